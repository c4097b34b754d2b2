//! The core: schedules, stacking and static exposure, against the worked
//! numbers of docs/DOMAIN.md.

use rust_decimal::Decimal;
use tariffsim::*;

use crate::common::*;

#[test]
fn worked_number_1_rates_in_force_on_2018_12_01_annualised() {
    // docs/DOMAIN.md worked number 1: List 1 $34B × 25% + List 2 $16B × 25% +
    // List 3 $200B × 10% = 8.5 + 4 + 20 = $32.5B a year. Annualised: a full
    // calendar year (2018-12-01..2019-12-01 is 365 days) at the rates of
    // 2018-12-01, i.e. with List 3's scheduled step not yet applied.
    let (b, mut ms) = us_2018();
    ms[2] = measure(
        "list-3",
        Authority::Section301,
        "US",
        "CN",
        &["list-3-goods"],
        &[("2018-09-24", "10%")],
    );
    let e = engine::exposure(
        &[b],
        &Regime::new(ms, vec![]).unwrap(),
        window("2018-12-01", "2019-12-01"),
        Detail::Totals,
    )
    .unwrap();
    assert_eq!(total(&e, "US", "CN"), billions("32.5"));
}

#[test]
fn worked_number_2_calendar_2019_on_the_g20_truce_path_to_the_cent() {
    // docs/DOMAIN.md worked number 2: List 3 has 60 days at 10% (Jan 1–Mar 1)
    // and 305 at 25%: 200B × (60 × 0.10 + 305 × 0.25) / 365
    // = 200B × 82.25 / 365 = 45,068,493,150.684931…; plus Lists 1–2 for the
    // whole year (34B + 16B) × 25% = 12.5B: 57,568,493,150.68 to the cent.
    let (b, ms) = us_2018();
    let truce = ms[2]
        .schedule()
        .postpone(d("2019-01-01"), d("2019-03-02"))
        .unwrap();
    let mut ms = ms;
    ms[2] = ms[2].with_schedule(truce);
    let e = engine::exposure(
        &[b],
        &Regime::new(ms, vec![]).unwrap(),
        Window::year(2019).unwrap(),
        Detail::Totals,
    )
    .unwrap();
    let side = e.side("US", "CN").unwrap();
    assert_eq!(
        side.gross().to_cents(Currency::USD).amount(),
        "57568493150.68".parse::<Decimal>().unwrap()
    );
    // List 3 alone, exactly: 200e9 × 82.25 / 365 in accrual units is exact,
    // so 365 × duty = 200e9 × 82.25 = 16,450,000,000,000.
    let list3 = side.measure("list-3").unwrap().gross();
    assert_eq!(
        list3.units() * Decimal::from(365) / Decimal::from(units::ACCRUAL_DENOMINATOR),
        "16450000000000".parse::<Decimal>().unwrap()
    );
    // The months add up: January at 10% is 200B × 31 × 0.10 / 365.
    let jan = side.measure("list-3").unwrap().by_month()[0];
    assert_eq!(
        jan.units() * Decimal::from(365) / Decimal::from(units::ACCRUAL_DENOMINATOR),
        "620000000000".parse::<Decimal>().unwrap()
    );
}

#[test]
fn worked_number_3_calendar_2019_if_talks_fail() {
    // docs/DOMAIN.md worked number 3: List 3 at 25% and the remaining $257B at
    // 25% from 2019-01-01: 12.5 + 50 + 64.25 = $126.75B.
    let (b, mut ms) = us_2018();
    ms.push(measure(
        "list-4-threat",
        Authority::Section301,
        "US",
        "CN",
        &["remaining-goods"],
        &[("2019-01-01", "25%")],
    ));
    let e = engine::exposure(
        &[b],
        &Regime::new(ms, vec![]).unwrap(),
        Window::year(2019).unwrap(),
        Detail::Totals,
    )
    .unwrap();
    assert_eq!(total(&e, "US", "CN"), billions("126.75"));
    // Effective rate: 126.75 / (34 + 16 + 200 + 257 = 507) = 0.25.
    assert_eq!(
        e.side("US", "CN").unwrap().effective_rate().unwrap(),
        Decimal::new(25, 2)
    );
}

/// The 2025 layers on a List 3 good, at list level (reference sections D, E,
/// H): Section 301 at 25%, fentanyl 10% → 20% → 10%, reciprocal 10% → 84% →
/// 125% → 34% with 24 points suspended (so 10%) from 2025-05-14.
fn layers_2025() -> Prepared {
    let b = baseline("US", "CN", &[("list-3-goods", "200")]);
    let all = |id: &str, authority, steps: &[(&str, &str)], suspend: Option<(&str, &str, &str)>| {
        let mut s = Schedule::new(
            steps
                .iter()
                .map(|(a, b)| Step::in_force(d(a), r(b)))
                .collect(),
            vec![],
        )
        .unwrap();
        if let Some((a, b, rate)) = suspend {
            s = s.suspend(window(a, b), r(rate)).unwrap();
        }
        Measure::new(
            id.parse().unwrap(),
            authority,
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Coverage::of(Goods::all()),
            s,
        )
        .unwrap()
    };
    let ms = vec![
        measure(
            "list-3",
            Authority::Section301,
            "US",
            "CN",
            &["list-3-goods"],
            &[("2018-09-24", "10%"), ("2019-05-10", "25%")],
        ),
        all(
            "fentanyl",
            Authority::Ieepa,
            &[
                ("2025-02-04", "10%"),
                ("2025-03-04", "20%"),
                ("2025-11-10", "10%"),
            ],
            None,
        ),
        all(
            "reciprocal",
            Authority::Ieepa,
            &[
                ("2025-04-05", "10%"),
                ("2025-04-09", "84%"),
                ("2025-04-10", "125%"),
                ("2025-05-14", "34%"),
            ],
            Some(("2025-05-14", "2026-11-10", "10%")),
        ),
    ];
    Prepared::new(vec![b], Regime::new(ms, vec![]).unwrap()).unwrap()
}

fn stacked(p: &Prepared, key: &str, day: &str) -> Rate {
    p.rates_on(("US", "CN"), &key.parse().unwrap(), d(day))
        .unwrap()
        .iter()
        .fold(Rate::ZERO, |a, (_, r)| a.checked_add(*r).unwrap())
}

#[test]
fn worked_number_4_stacking_on_a_list_3_good() {
    // docs/DOMAIN.md worked number 4 (reference H): on 2025-05-01 a List 3 good
    // pays 25 (301) + 20 (fentanyl) + 125 (reciprocal) = 170% over MFN;
    // after 2025-11-10, 25 + 10 + 10 = 45%.
    let p = layers_2025();
    assert_eq!(stacked(&p, "list-3-goods", "2025-05-01"), r("170%"));
    assert_eq!(stacked(&p, "list-3-goods", "2025-11-10"), r("45%"));
    // "145%" in the news = 125 + 20 before 301 (reference E).
    let ieepa: Rate = p
        .rates_on(
            ("US", "CN"),
            &"list-3-goods".parse().unwrap(),
            d("2025-04-10"),
        )
        .unwrap()
        .iter()
        .filter(|(id, _)| id.as_str() != "list-3")
        .fold(Rate::ZERO, |a, (_, r)| a.checked_add(*r).unwrap());
    assert_eq!(ieepa, r("145%"));
}

#[test]
fn a_rate_change_mid_horizon_is_split_exactly_at_its_date() {
    // 2025-11-01..2025-11-20 on $200B with fentanyl 20% until 11-09 and 10%
    // from 11-10: 9 days at 20% + 10 days at 10% (List 3 25%, reciprocal 10%
    // throughout). Daily value 200B / 365.
    // Fentanyl: 200e9 × (9 × 0.20 + 10 × 0.10) / 365 = 200e9 × 2.8 / 365.
    let p = layers_2025();
    let e = p
        .exposure(window("2025-11-01", "2025-11-20"), Detail::Totals)
        .unwrap();
    let f = e
        .side("US", "CN")
        .unwrap()
        .measure("fentanyl")
        .unwrap()
        .gross();
    assert_eq!(
        f.units() * Decimal::from(365) / Decimal::from(units::ACCRUAL_DENOMINATOR),
        billions("560")
    );
}

#[test]
fn exclusive_and_highest_stacking_rules_apply_on_their_dates() {
    // Steel at 50% under 232 and a reciprocal 125%: from 2025-04-05 goods
    // under a 232 measure pay no reciprocal duty (reference E, "Not stacking").
    let b = baseline("US", "CN", &[("steel", "10"), ("toys", "10")]);
    let steel = measure(
        "steel-232",
        Authority::Section232,
        "US",
        "CN",
        &["steel"],
        &[("2025-01-01", "50%")],
    );
    let recip = Measure::new(
        "reciprocal".parse().unwrap(),
        Authority::Ieepa,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Coverage::of(Goods::all()),
        Schedule::flat(d("2025-01-01"), r("125%")),
    )
    .unwrap();
    let rule = StackingRule::new(
        "232-over-reciprocal".parse().unwrap(),
        Stacking::Exclusive {
            over: vec!["authority:section-232".parse().unwrap()],
            excluded: vec!["reciprocal".parse().unwrap()],
        },
        Window::open(d("2025-04-05")),
    );
    let p = Prepared::new(
        vec![b.clone()],
        Regime::new(vec![steel.clone(), recip.clone()], vec![rule]).unwrap(),
    )
    .unwrap();
    assert_eq!(stacked(&p, "steel", "2025-04-04"), r("175%"));
    assert_eq!(stacked(&p, "steel", "2025-04-05"), r("50%"));
    assert_eq!(stacked(&p, "toys", "2025-04-05"), r("125%"));
    // Calendar 2025 on steel ($10B): 94 days (Jan 1–Apr 4) at 175% and 271
    // at 50%: 10e9 × (94 × 1.75 + 271 × 0.5) / 365 = 10e9 × 300 / 365.
    let e = p
        .exposure(Window::year(2025).unwrap(), Detail::Baskets)
        .unwrap();
    let side = e.side("US", "CN").unwrap();
    let steel_duty = side
        .baskets()
        .iter()
        .find(|x| x.key().to_string() == "steel")
        .unwrap()
        .gross();
    assert_eq!(
        steel_duty.units() * Decimal::from(365) / Decimal::from(units::ACCRUAL_DENOMINATOR),
        billions("3000")
    );
    // Highest: only the larger of the two applies.
    let rule = StackingRule::new(
        "highest".parse().unwrap(),
        Stacking::Highest {
            among: vec!["steel-232".parse().unwrap(), "reciprocal".parse().unwrap()],
        },
        Window::ALL,
    );
    let p = Prepared::new(
        vec![b],
        Regime::new(vec![steel, recip], vec![rule]).unwrap(),
    )
    .unwrap();
    assert_eq!(stacked(&p, "steel", "2025-06-01"), r("125%"));
}

#[test]
fn per_basket_duty_adds_up_to_the_measure_totals_exactly() {
    let (b, ms) = us_2018();
    let e = engine::exposure(
        &[b],
        &Regime::new(ms, vec![]).unwrap(),
        Window::year(2019).unwrap(),
        Detail::Baskets,
    )
    .unwrap();
    let side = e.side("US", "CN").unwrap();
    for (i, m) in side.measures().iter().enumerate() {
        let by_basket = side
            .baskets()
            .iter()
            .try_fold(Accrued::ZERO, |a, b| a.checked_add(b.by_measure()[i]))
            .unwrap();
        assert_eq!(by_basket, m.gross(), "{}", m.id());
    }
    // Each basket's months add up to its total, and the months of all
    // baskets to the side's months.
    for b in side.baskets() {
        assert_eq!(
            b.by_month()
                .iter()
                .try_fold(Accrued::ZERO, |a, x| a.checked_add(*x))
                .unwrap(),
            b.gross()
        );
    }
    for (k, month) in side.by_month().iter().enumerate() {
        let across = side
            .baskets()
            .iter()
            .try_fold(Accrued::ZERO, |a, b| a.checked_add(b.by_month()[k]))
            .unwrap();
        assert_eq!(across, *month);
    }
}

#[test]
fn monthly_baselines_accrue_over_each_months_days() {
    // $31 in January 2019 and $28 in February: $1 a day. At 10% over
    // 2019-01-15..2019-02-15: 17 January days + 14 February days = $3.10.
    let months = vec![Month::new(2019, 1).unwrap(), Month::new(2019, 2).unwrap()];
    let b = Baseline::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        Periods::Months(months),
        vec![Basket::new(
            "x".parse().unwrap(),
            "",
            vec![Decimal::from(31), Decimal::from(28)],
        )],
    )
    .unwrap();
    let m = measure(
        "m",
        Authority::Other,
        "US",
        "CN",
        &["x"],
        &[("2018-01-01", "10%")],
    );
    let e = engine::exposure(
        std::slice::from_ref(&b),
        &Regime::new(vec![m.clone()], vec![]).unwrap(),
        window("2019-01-15", "2019-02-15"),
        Detail::Totals,
    )
    .unwrap();
    assert_eq!(total(&e, "US", "CN"), Decimal::new(310, 2));
    // March is not in the baseline: a clear error, not a zero.
    let err = engine::exposure(
        &[b],
        &Regime::new(vec![m], vec![]).unwrap(),
        window("2019-02-15", "2019-03-15"),
        Detail::Totals,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "baseline US<-CN has no value for month 2019-03: add that period or widen the baseline"
    );
}

#[test]
fn bad_input_is_an_error_that_names_the_item() {
    // Coverage naming a basket the baseline lacks.
    let b = baseline("US", "CN", &[("list-3-goods", "200")]);
    let m = measure(
        "list-9",
        Authority::Section301,
        "US",
        "CN",
        &["list-9-goods"],
        &[("2019-01-01", "25%")],
    );
    let e = Prepared::new(
        vec![b.clone()],
        Regime::new(vec![m.clone()], vec![]).unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown basket \"list-9-goods\": measure \"list-9\" covers it, but baseline US<-CN has no such basket; add it to the baseline or fix the coverage"
    );
    // A measure id used twice.
    let e = Regime::new(vec![m.clone(), m.clone()], vec![]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "measure id \"list-9\" is used twice: give each measure its own id"
    );
    // A stacking rule naming an unknown measure or an authority no measure has.
    let rule = |sel: &str| {
        StackingRule::new(
            "r".parse().unwrap(),
            Stacking::Highest {
                among: vec![sel.parse().unwrap()],
            },
            Window::ALL,
        )
    };
    assert_eq!(
        Regime::new(vec![m.clone()], vec![rule("list-7")])
            .unwrap_err()
            .to_string(),
        "stacking rule \"r\": unknown measure \"list-7\": define it under [[measure]] or fix the id"
    );
    assert_eq!(
        Regime::new(vec![m.clone()], vec![rule("authority:section-232")])
            .unwrap_err()
            .to_string(),
        "stacking rule \"r\": unknown authority \"section-232\": no measure is imposed under it"
    );
    assert_eq!(
        "authority:section-999"
            .parse::<Selector>()
            .unwrap_err()
            .to_string(),
        "unknown authority \"section-999\"; known authorities are section-301, section-232, ieepa, section-122, retaliation, other"
    );
    // Decimal overflow on huge values is an error, not a panic or a wrong number.
    let huge = Baseline::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        Periods::Annual,
        vec![Basket::annual("x".parse().unwrap(), "", Decimal::MAX)],
    )
    .unwrap();
    let m = measure(
        "m",
        Authority::Other,
        "US",
        "CN",
        &["x"],
        &[("2019-01-01", "25%")],
    );
    let e = engine::exposure(
        &[huge],
        &Regime::new(vec![m], vec![]).unwrap(),
        Window::year(2019).unwrap(),
        Detail::Totals,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "baseline US<-CN: arithmetic overflow while computing accrued duty: the values are too large to hold exactly"
    );
}
