//! The line-level scenario (data/scenarios/us-china-lines-2025.toml): 14,422
//! HTS-10 lines of 2024 imports from China, the Section 301 lists by HS code,
//! the reciprocal exemptions, and an importer's own portfolio.
//!
//! Published figures come from the reference README of the line data
//! (copied to data/lines/README.md, "Published figures"); the others are
//! worked beside them, or computed here straight from the CSV files, apart
//! from the crate's loader and engine.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tariffsim::outcome::{Action, ActionKind, Branch, Node, OutcomeKind, OutcomeTree};
use tariffsim::portfolio::Portfolio;
use tariffsim::*;

use crate::common::*;

const SCENARIO: &str = "data/scenarios/us-china-lines-2025.toml";

fn lines() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| load::load_scenario(SCENARIO.as_ref()).unwrap())
}

/// The three CSV files of data/lines, read with the csv crate alone.
struct Raw {
    /// (hts10, 2024 value) per line.
    values: Vec<(String, Decimal)>,
    /// HTS-8 code → the list ids naming it.
    lists: HashMap<String, BTreeSet<String>>,
    /// HTS-10 code → the exemption class.
    exempt: HashMap<String, String>,
}

fn raw() -> &'static Raw {
    static R: OnceLock<Raw> = OnceLock::new();
    R.get_or_init(|| {
        let mut values = Vec::new();
        let mut rdr =
            csv::Reader::from_path("data/lines/us-imports-from-china-2024-hts10.csv").unwrap();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            values.push((
                rec[0].to_string(),
                Decimal::from_str_exact(&rec[2]).unwrap(),
            ));
        }
        let mut lists: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut rdr = csv::Reader::from_path("data/lines/section-301-lists-hts8.csv").unwrap();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            lists
                .entry(rec[0].to_string())
                .or_default()
                .insert(rec[1].to_string());
        }
        let mut exempt = HashMap::new();
        let mut rdr = csv::Reader::from_path("data/lines/reciprocal-exempt-hts10.csv").unwrap();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            exempt.insert(rec[0].to_string(), rec[1].to_string());
        }
        Raw {
            values,
            lists,
            exempt,
        }
    })
}

impl Raw {
    fn lists_of(&self, hts10: &str) -> BTreeSet<String> {
        self.lists.get(&hts10[..8]).cloned().unwrap_or_default()
    }

    fn value_where(&self, keep: impl Fn(&str) -> bool) -> Decimal {
        self.values
            .iter()
            .filter(|(c, _)| keep(c))
            .map(|(_, v)| *v)
            .sum()
    }
}

/// `v` in billions rounded to one decimal, as the reference README prints it.
fn tenths_of_a_billion(v: Decimal) -> Decimal {
    (v / dec!(100_000_000)).round() / dec!(10)
}

fn measure<'a>(s: &'a Scenario, id: &str) -> &'a Measure {
    &s.regime().measures()[s.regime().index_of(id).unwrap()]
}

/// The value of the baseline's lines that any of `ids` covers, through the
/// loaded scenario's own coverage.
fn covered_value(ids: &[&str]) -> Decimal {
    let s = lines();
    let ms: Vec<&Measure> = ids.iter().map(|id| measure(s, id)).collect();
    s.baselines()[0]
        .baskets()
        .iter()
        .filter(|b| ms.iter().any(|m| m.coverage().goods().matches(b.key())))
        .map(|b| b.values()[0])
        .sum()
}

#[test]
fn the_baseline_is_the_2024_census_total_over_14422_lines() {
    // Reference lines/README.md: 14,422 rows, value $429,425,828,419.
    let s = lines();
    assert_eq!(s.baselines().len(), 1);
    let b = &s.baselines()[0];
    assert_eq!(b.label(), "US<-CN");
    assert_eq!(b.baskets().len(), 14_422);
    assert!(
        b.baskets()
            .iter()
            .all(|x| matches!(x.key(), BasketKey::Hs(c) if c.len() == 10))
    );
    let total: Decimal = b.baskets().iter().map(|x| x.values()[0]).sum();
    assert_eq!(total, dec!(429_425_828_419));
    // Over the two-year horizon at the annual value: 2 × 429,425,828,419 =
    // 858,851,656,838 (both years have 365 days, each accrues its value).
    let e = s.evaluate(Detail::Totals).unwrap();
    let e = e.reference().exposure();
    assert_eq!(
        e.side("US", "CN").unwrap().import_value().amount(),
        dec!(858_851_656_838)
    );
}

#[test]
fn lists_1_to_3_and_4a_cover_the_published_values() {
    // Reference lines/README.md, joining 2024 imports on the first 8 digits:
    // any of lists 1-3 covers $143.8B; lists 1-3 or 4A $216.1B; $76.9B has
    // no 301 heading at all.
    let r = raw();
    let l13 = covered_value(&["list-1", "list-2", "list-3"]);
    assert_eq!(tenths_of_a_billion(l13), dec!(143.8));
    let l14a = covered_value(&["list-1", "list-2", "list-3", "list-4a"]);
    assert_eq!(tenths_of_a_billion(l14a), dec!(216.1));
    // The loader's prefix coverage is the same join, to the dollar.
    let join = |names: &[&str]| {
        r.value_where(|c| r.lists_of(c).iter().any(|l| names.contains(&l.as_str())))
    };
    assert_eq!(l13, join(&["list-1", "list-2", "list-3"]));
    assert_eq!(l14a, join(&["list-1", "list-2", "list-3", "list-4a"]));
    let s = lines();
    let all_301: Vec<&str> = s
        .regime()
        .measures()
        .iter()
        .filter(|m| m.layer().as_str() == "section-301")
        .map(|m| m.id().as_str())
        .collect();
    assert_eq!(all_301.len(), 15);
    let none = dec!(429_425_828_419) - covered_value(&all_301);
    assert_eq!(tenths_of_a_billion(none), dec!(76.9));
}

#[test]
fn the_reciprocal_exemptions_carry_the_published_value_and_are_dated() {
    // Reference lines/README.md: the exempt codes carry $182.4B of 2024
    // imports. The model adds chapter 97 (no code in the file), dates the
    // electronics class from 2025-04-11 and the rest from 2025-04-05.
    let s = lines();
    let r = raw();
    let reciprocal = measure(s, "ieepa-reciprocal");
    let exempt_on = |day: &str| -> Decimal {
        let on = window(day, "2027-01-01");
        s.baselines()[0]
            .baskets()
            .iter()
            .filter(|b| {
                !reciprocal
                    .coverage()
                    .covered_windows(b.key(), on)
                    .iter()
                    .any(|w| w.contains(d(day)))
            })
            .map(|b| b.values()[0])
            .sum()
    };
    let file = r.value_where(|c| r.exempt.contains_key(c));
    assert_eq!(tenths_of_a_billion(file), dec!(182.4));
    let chapter_97 = r.value_where(|c| c.starts_with("97"));
    let electronics = r.value_where(|c| {
        r.exempt
            .get(c)
            .is_some_and(|l| l == "reciprocal-electronics")
    });
    assert_eq!(exempt_on("2025-05-20"), file + chapter_97);
    assert_eq!(exempt_on("2025-04-08"), file + chapter_97 - electronics);
    assert_eq!(exempt_on("2025-04-04"), Decimal::ZERO);
}

/// The Section 301 rate of a line on 2025-05-20 by the rules of
/// data/lines/README.md, from its raw list ids: a review heading in force
/// then (2024 review from 2024-09-27, 2025 step from 2025-01-01) replaces
/// the lists; otherwise the earliest of lists 1-4B applies (lists 1-3 at 25%
/// since 2019-05-10, list 4A at 7.5% since 2020-02-14, 4B never applied).
fn rate_301_on_2025_05_20(lists: &BTreeSet<String>) -> Decimal {
    let review: Vec<Decimal> = lists
        .iter()
        .filter_map(|l| match l.as_str() {
            "review-2024-25" | "review-2024-cranes" | "review-2025-25" => Some(dec!(0.25)),
            "review-2024-50" | "review-2025-50" => Some(dec!(0.50)),
            "review-2024-100" => Some(dec!(1)),
            _ => None,
        })
        .collect();
    assert!(
        review.len() <= 1,
        "two review headings in force on one code: {lists:?}"
    );
    if let Some(r) = review.first() {
        return *r;
    }
    for (l, r) in [
        ("list-1", dec!(0.25)),
        ("list-2", dec!(0.25)),
        ("list-3", dec!(0.25)),
        ("list-3-addl", dec!(0.25)),
        ("list-4a", dec!(0.075)),
    ] {
        if lists.contains(l) {
            return r;
        }
    }
    Decimal::ZERO
}

#[test]
fn the_average_additional_duty_on_2025_05_20_is_fentanyl_plus_reciprocal_share_plus_301() {
    // On 2025-05-20 (after Geneva): fentanyl 20% on every line (reference
    // D), the reciprocal 34% suspended to 10% on lines not exempt (E), and
    // the Section 301 rate of each line. Trade-weighted with 2024 values:
    //   average = 0.20 + 0.10 × (non-exempt value / total) + Σ(value × 301 rate) / total.
    // Computed here from the raw CSVs with Decimal.
    let r = raw();
    let total = r.value_where(|_| true);
    let non_exempt = r.value_where(|c| !r.exempt.contains_key(c) && !c.starts_with("97"));
    let n301: Decimal = r
        .values
        .iter()
        .map(|(c, v)| v * rate_301_on_2025_05_20(&r.lists_of(c)))
        .sum();
    let fentanyl = dec!(0.20);
    let reciprocal = dec!(0.10) * non_exempt / total;
    let s301 = n301 / total;
    let expected = (dec!(0.20) * total + dec!(0.10) * non_exempt + n301) / total;

    let tl = lines().timeline("ieepa-void/extension").unwrap();
    let piece = tl[0].on(d("2025-05-20")).unwrap();
    assert_eq!(piece.window, window("2025-05-14", "2025-11-10"));
    let layer =
        |id: &str| piece.by_layer[tl[0].layers.iter().position(|l| l.as_str() == id).unwrap()];
    // Exact: the engine divides the same exact sums scaled by the daily
    // accrual factor, and Decimal's quotient of equal rationals is equal.
    assert_eq!(layer("ieepa-fentanyl"), fentanyl);
    assert_eq!(layer("ieepa-reciprocal"), reciprocal.normalize());
    assert_eq!(layer("section-301"), s301.normalize());
    assert_eq!(piece.total, expected.normalize());
    // For the record, in points: 20 + 10 × 57.5% + 9.98 = 35.73.
    assert_eq!((non_exempt / total * dec!(100)).round_dp(1), dec!(57.5));
    assert_eq!((s301 * dec!(100)).round_dp(2), dec!(9.98));
    assert_eq!((piece.total * dec!(100)).round_dp(2), dec!(35.73));
}

fn rates(path: &str, hts10: &str, day: &str) -> Vec<(String, Rate)> {
    lines()
        .rates_on(path, ("US", "CN"), &hts10.parse().unwrap(), d(day))
        .unwrap()
        .into_iter()
        .map(|(m, r)| (m.to_string(), r))
        .collect()
}

fn list(pairs: &[(&str, &str)]) -> Vec<(String, Rate)> {
    pairs.iter().map(|(m, p)| (m.to_string(), r(p))).collect()
}

#[test]
fn a_list_3_line_stacks_as_the_reference_works_it() {
    // Reference H (docs/DOMAIN.md worked number 4): a List 3 good on 2025-05-01
    // pays 25% (301) + 20% (fentanyl) + 125% (reciprocal) = 170% over MFN;
    // after 2025-11-10, 25 + 10 + 10 = 45%. 7321.11.60.00 (cooking
    // appliances) is on list 3 alone and not exempt.
    let p = "ieepa-void/extension";
    assert_eq!(
        rates(p, "7321116000", "2025-05-01"),
        list(&[
            ("ieepa-fentanyl", "20%"),
            ("ieepa-reciprocal", "125%"),
            ("list-3", "25%")
        ])
    );
    assert_eq!(
        rates(p, "7321116000", "2025-11-10"),
        list(&[
            ("ieepa-fentanyl", "10%"),
            ("ieepa-reciprocal", "10%"),
            ("list-3", "25%")
        ])
    );
    // After the 2026-02-20 ruling only Section 301 is left (reference K) ...
    assert_eq!(
        rates(p, "7321116000", "2026-03-01"),
        list(&[("list-3", "25%")])
    );
    // ... until escalation brings 34% + 100% on 2026-11-10: 25 + 34 + 100 = 159%.
    assert_eq!(
        rates("ieepa-void/escalation", "7321116000", "2026-11-10"),
        list(&[
            ("busan-escalation", "100%"),
            ("busan-snap-back", "34%"),
            ("list-3", "25%")
        ])
    );
}

#[test]
fn overlapping_lists_pay_one_301_rate() {
    let p = "ieepa-void/extension";
    // 8536.90.85.85 is on lists 1 and 3: the earliest list wins, 25% once.
    assert_eq!(
        rates(p, "8536908585", "2025-06-01"),
        list(&[
            ("ieepa-fentanyl", "20%"),
            ("ieepa-reciprocal", "10%"),
            ("list-1", "25%")
        ])
    );
    // 8541.29.00.95 is on list 3 and under 9903.91.05 (50% from 2025-01-01),
    // and an electronics line: 50% replaces 25%; no reciprocal from 2025-04-11,
    // but 10% on 2025-04-08.
    assert_eq!(
        rates(p, "8541290095", "2025-06-01"),
        list(&[("ieepa-fentanyl", "20%"), ("review-2025-50", "50%")])
    );
    assert_eq!(
        rates(p, "8541290095", "2025-04-08"),
        list(&[
            ("ieepa-fentanyl", "20%"),
            ("ieepa-reciprocal", "10%"),
            ("review-2025-50", "50%")
        ])
    );
    // 6307.90.98.91 is on lists 4A and 4B and under 9903.91.07 (50% from
    // 2026-01-01): 7.5% in 2025, 50% instead from 2026.
    assert_eq!(
        rates(p, "6307909891", "2025-06-01"),
        list(&[
            ("ieepa-fentanyl", "20%"),
            ("ieepa-reciprocal", "10%"),
            ("list-4a", "7.5%")
        ])
    );
    assert_eq!(
        rates(p, "6307909891", "2026-01-15"),
        list(&[
            ("ieepa-fentanyl", "10%"),
            ("ieepa-reciprocal", "10%"),
            ("review-2026-50", "50%")
        ])
    );
}

#[test]
fn the_ruling_makes_every_ieepa_dollar_refundable_and_ends_the_layers() {
    let e = lines().evaluate(Detail::Totals).unwrap();
    assert_eq!(e.probability_sum(), Decimal::ONE);
    let ids: Vec<&str> = e.paths().iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        [
            "ieepa-void/extension",
            "ieepa-void/snap-back",
            "ieepa-void/escalation"
        ]
    );
    for p in e.paths() {
        let side = p.exposure().side("US", "CN").unwrap();
        let ieepa = side
            .measure("ieepa-fentanyl")
            .unwrap()
            .gross()
            .checked_add(side.measure("ieepa-reciprocal").unwrap().gross())
            .unwrap();
        assert!(!ieepa.is_zero());
        assert_eq!(side.refundable(), ieepa);
        assert_eq!(side.net().checked_add(ieepa).unwrap(), side.gross());
        // Months from March 2026 on carry no IEEPA duty: the ruling is 2026-02-20.
        let march = e
            .months()
            .iter()
            .position(|m| m.to_string() == "2026-03")
            .unwrap();
        for id in ["ieepa-fentanyl", "ieepa-reciprocal"] {
            assert!(
                side.measure(id).unwrap().by_month()[march..]
                    .iter()
                    .all(Accrued::is_zero),
                "{id}"
            );
        }
    }
    // The reference is the extension path; snap-back and escalation only add.
    assert_eq!(e.reference().id(), "ieepa-void/extension");
    let ext = e.paths()[0].side("US", "CN").unwrap().gross();
    assert!(
        e.paths()[1].side("US", "CN").unwrap().gross() > ext
            && e.paths()[2].side("US", "CN").unwrap().gross()
                > e.paths()[1].side("US", "CN").unwrap().gross()
    );
}

const SAMPLE_HEADER: &str = "sku,hts10,annual_value_usd,description\n";

fn parse_err(body: &str) -> String {
    Portfolio::parse("my-skus.csv", &format!("{SAMPLE_HEADER}{body}"))
        .unwrap_err()
        .to_string()
}

#[test]
fn portfolio_bad_input_names_file_line_and_field() {
    assert_eq!(
        parse_err("PAN-1,7321.11.60,1000,Pan\n"),
        "my-skus.csv, line 2, field \"hts10\": invalid HTS-10 code \"7321.11.60\": write the 10-digit statistical line in digits (dots allowed), e.g. 8471300100"
    );
    assert_eq!(
        parse_err("PAN-1,73211160AB,1000,Pan\n"),
        "my-skus.csv, line 2, field \"hts10\": invalid HTS-10 code \"73211160AB\": write the 10-digit statistical line in digits (dots allowed), e.g. 8471300100"
    );
    assert_eq!(
        parse_err("PAN-1,7321116000,1000,Pan\nPAN-1,7321116000,2000,Pan\n"),
        "my-skus.csv, line 3: SKU \"PAN-1\" is given again with a different HTS-10 code or value (first on line 2): keep one row per SKU"
    );
    assert_eq!(
        parse_err("PAN-1,7321116000,-5,Pan\n"),
        "my-skus.csv, line 2, field \"annual_value_usd\": annual value of SKU \"PAN-1\" is negative (-5): it must be zero or more"
    );
    assert_eq!(
        parse_err("PAN-1,7321116000,lots,Pan\n"),
        "my-skus.csv, line 2, field \"annual_value_usd\": invalid annual value \"lots\": write a plain decimal number such as 34000000000 or 0.5"
    );
    assert_eq!(
        parse_err("PAN-1,7321116000,1e6,Pan\n"),
        "my-skus.csv, line 2, field \"annual_value_usd\": invalid annual value \"1e6\": write the number in plain digits, without an exponent"
    );
    assert_eq!(
        parse_err("PAN 1,7321116000,1000,Pan\n"),
        "my-skus.csv, line 2, field \"sku\": invalid SKU \"PAN 1\": use 1 to 64 letters, digits or . _ - : /"
    );
    assert_eq!(
        Portfolio::parse("my-skus.csv", "").unwrap_err().to_string(),
        "my-skus.csv: the file is empty: give a header line sku,hts10,annual_value_usd (description optional) and one row per SKU"
    );
    assert_eq!(
        Portfolio::parse("my-skus.csv", SAMPLE_HEADER)
            .unwrap_err()
            .to_string(),
        "my-skus.csv: the file has a header but no rows: add one row per SKU"
    );
    assert_eq!(
        Portfolio::parse("my-skus.csv", "sku,hts,annual_value_usd\n")
            .unwrap_err()
            .to_string(),
        "my-skus.csv: unknown column \"hts\": a portfolio has the columns sku, hts10, annual_value_usd and optionally description"
    );
    assert_eq!(
        Portfolio::parse("my-skus.csv", "sku,annual_value_usd\nA,1\n")
            .unwrap_err()
            .to_string(),
        "my-skus.csv: no \"hts10\" column; the header is \"sku,annual_value_usd\""
    );
    assert_eq!(
        Portfolio::read("no/such/skus.csv".as_ref())
            .unwrap_err()
            .to_string(),
        "no/such/skus.csv: cannot open: No such file or directory (os error 2)"
    );
    // A row given twice exactly is read once.
    let p = Portfolio::parse(
        "my-skus.csv",
        &format!("{SAMPLE_HEADER}PAN-1,7321116000,1000,Pan\nPAN-1,7321116000,1000,Pan\n"),
    )
    .unwrap();
    assert_eq!(p.items().len(), 1);
}

#[test]
fn a_portfolio_is_valued_line_by_line_and_unknown_codes_are_listed_not_zeroed() {
    let text = format!(
        "{SAMPLE_HEADER}PAN-1,7321116000,2400000,Cooktop\nPAN-2,7321.11.6000,1000000,Same line\nCORN,1005902030,150000,Feed corn\n"
    );
    let p = Portfolio::parse("my-skus.csv", &text).unwrap();
    let e = p.evaluate(lines(), "US", "CN").unwrap();
    assert_eq!(e.unknown().len(), 1);
    assert_eq!(
        e.warning().unwrap().to_string(),
        "warning: 1 of 3 SKUs has an HTS-10 code that is not a line of baseline US<-CN; it is left out, not valued at zero: CORN (1005902030, line 4)"
    );
    assert_eq!(e.items().len(), 2);
    let (item, pan) = &e.items()[0];
    assert_eq!(item.key().to_string(), "PAN-1@7321116000");
    let cents = |a: Accrued| a.to_cents(Currency::USD).amount();
    let m = |id: &str| {
        pan.expected_by_measure()[e.measures().iter().position(|x| x.as_str() == id).unwrap()]
    };
    // List 3 at 25% for two full years on $2.4M: 2.4M × 0.25 × 2 = 1,200,000.
    assert_eq!(m("list-3").gross.amount(), dec!(1_200_000));
    // Fentanyl, 2025-02-04 to the ruling (2026-02-20), in rate-days over 365:
    // 28 days at 10% + 251 at 20% + 52 at 10% (2025) + 50 at 10% (2026)
    // = 2.8 + 50.2 + 5.2 + 5.0 = 63.2; 2.4M × 63.2 / 365 = 415,561.6438… .
    assert_eq!(cents(m("ieepa-fentanyl").gross), dec!(415_561.64));
    // Reciprocal, not exempt: 4 days at 10% + 1 at 84% + 34 at 125% + 232
    // at 10% (2025) + 50 at 10% (2026) = 0.4 + 0.84 + 42.5 + 23.2 + 5.0
    // = 71.94; 2.4M × 71.94 / 365 = 473,030.1369… . Both are refundable:
    // 2.4M × 135.14 / 365 = 888,591.7808… .
    assert_eq!(cents(m("ieepa-reciprocal").gross), dec!(473_030.14));
    assert_eq!(cents(pan.expected().refundable), dec!(888_591.78));
    // Escalation adds 34% + 100% over the 52 days from 2026-11-10:
    // 2.4M × 1.34 × 52 / 365 = 458,169.8630… on top of the extension path.
    let esc = pan.gross_by_path()[2]
        .checked_sub(pan.gross_by_path()[0])
        .unwrap();
    assert_eq!(cents(esc), dec!(458_169.86));
    // Expected = 0.6 × extension + 0.3 × snap-back + 0.1 × escalation, exactly.
    let weighted = [dec!(0.6), dec!(0.3), dec!(0.1)]
        .iter()
        .zip(pan.gross_by_path())
        .try_fold(Accrued::ZERO, |acc, (p, a)| {
            acc.checked_add(a.checked_scale(*p)?)
        })
        .unwrap();
    assert_eq!(pan.expected().gross, weighted);
    // The SKUs add up to the total exactly, path by path.
    for k in 0..e.paths().len() {
        let sum = e
            .items()
            .iter()
            .try_fold(Accrued::ZERO, |acc, (_, d)| {
                acc.checked_add(d.gross_by_path()[k])
            })
            .unwrap();
        assert_eq!(sum, e.total().gross_by_path()[k]);
    }
    // A second SKU on the same line is valued apart, in proportion:
    // 1.0M / 2.4M of PAN-1's duty, since both face the same measures.
    let (_, pan2) = &e.items()[1];
    assert_eq!(
        pan2.expected().gross.units() * dec!(2.4),
        pan.expected().gross.units()
    );
    // The drivers are largest first: list 3 carries the most.
    assert_eq!(e.drivers(pan)[0].0.as_str(), "list-3");
}

#[test]
fn a_portfolio_of_unknown_codes_only_is_refused() {
    let p = Portfolio::parse(
        "my-skus.csv",
        &format!("{SAMPLE_HEADER}CORN,1005902030,150000,Feed corn\n"),
    )
    .unwrap();
    assert_eq!(
        p.evaluate(lines(), "US", "CN").unwrap_err().to_string(),
        "none of the 1 SKUs of my-skus.csv has an HTS-10 code that is a line of baseline US<-CN: check the codes (1005902030)"
    );
    assert_eq!(
        p.evaluate(lines(), "CN", "US").unwrap_err().to_string(),
        "unknown baseline \"CN<-US\": scenario \"us-china-lines-2025\" has US<-CN; a portfolio takes the place of one of them"
    );
}

/// Lines that reach every kind of coverage: one list; lists 1 and 3;
/// list 3 with a 2025 review heading (electronics); lists 4A/4B with a 2026
/// heading; an EV under 100%; list 4A and Annex II; electronics on list 4B;
/// no list, electronics; chapter 98; chapter 97; low-value estimates.
const POOL: [&str; 11] = [
    "7321116000",
    "8536908585",
    "8541290095",
    "6307909891",
    "8703800060",
    "8415908085",
    "8471300100",
    "8517130000",
    "9801001098",
    "9701210000",
    "9999950000",
];

/// A generated action of kind `kind` (0 to 6) from `from`; `param` picks
/// the rate where the kind takes one.
fn action(kind: usize, from: Date, param: usize) -> Action {
    let sel = |s: &str| s.parse::<Selector>().unwrap();
    let rate = |p: &[&str]| r(p[param % p.len()]);
    match kind {
        0 => Action::new(sel("ieepa-reciprocal"), ActionKind::Revoke { from }),
        1 => Action::new(
            sel("ieepa-fentanyl"),
            ActionKind::Raise {
                from,
                rate: rate(&["20%", "30%", "45%"]),
                then: Some(tariffsim::tariff::AfterEdit::KeepSchedule),
            },
        ),
        2 => Action::new(
            sel("list-4a"),
            ActionKind::Cut {
                from,
                rate: rate(&["0%", "5%", "7.5%"]),
                then: Some(tariffsim::tariff::AfterEdit::KeepSchedule),
            },
        ),
        3 => Action::new(sel("authority:ieepa"), ActionKind::Void { from }),
        4 => Action::new(
            sel("list-3"),
            ActionKind::Suspend {
                from,
                until: from.checked_add(jiff::Span::new().days(15)).unwrap(),
                rate: r("10%"),
            },
        ),
        5 => Action::new(sel("review-2025-50"), ActionKind::Revoke { from }),
        _ => Action::new(
            sel("list-1"),
            ActionKind::Raise {
                from,
                rate: r("50%"),
                then: Some(tariffsim::tariff::AfterEdit::KeepSchedule),
            },
        ),
    }
}

/// Duty on one line on one path over `w`, in accrual units, computed apart
/// from the engine: each measure's schedule rebuilt by applying the path's
/// actions, its coverage asked of the measure, the exclusive rules applied
/// by hand, and the days summed one by one.
fn line_by_line(
    s: &Scenario,
    path: &outcome::Path,
    key: &BasketKey,
    value: Decimal,
    w: Window,
) -> Decimal {
    let ms = s.regime().measures();
    let mut schedules: Vec<Schedule> = ms.iter().map(|m| m.schedule().clone()).collect();
    for (_, branch) in s.tree().steps(path) {
        for a in branch.actions() {
            for (i, m) in ms.iter().enumerate() {
                if a.target().matches(m) {
                    schedules[i] = a.apply(&schedules[i]).unwrap();
                }
            }
        }
    }
    let covers: Vec<Vec<Window>> = ms
        .iter()
        .map(|m| m.coverage().covered_windows(key, Window::ALL))
        .collect();
    let mut units = Decimal::ZERO;
    let mut day = w.start();
    while day < w.end() {
        let mut rates: Vec<Decimal> = (0..ms.len())
            .map(|i| {
                if covers[i].iter().any(|c| c.contains(day)) {
                    schedules[i].rate_on(day).as_fraction()
                } else {
                    Decimal::ZERO
                }
            })
            .collect();
        let before = rates.clone();
        for rule in s.regime().stacking() {
            let Stacking::Exclusive { over, excluded } = rule.stacking() else {
                panic!("the line-level scenario has exclusive rules only");
            };
            if !rule.window().contains(day) {
                continue;
            }
            let picks = |sels: &[Selector], i: usize| sels.iter().any(|x| x.matches(&ms[i]));
            if (0..ms.len()).any(|i| picks(over, i) && !before[i].is_zero()) {
                for (i, rate) in rates.iter_mut().enumerate() {
                    if picks(excluded, i) && !picks(over, i) {
                        *rate = Decimal::ZERO;
                    }
                }
            }
        }
        let per_day = Decimal::from(units::ACCRUAL_DENOMINATOR / i64::from(day.days_in_year()));
        units += value * per_day * rates.iter().sum::<Decimal>();
        day = day.tomorrow().unwrap();
    }
    units
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Evaluating by coverage classes (Detail::Baskets) and line by line,
    /// day by day, give the same duty to the accrual unit, hence the same
    /// cents, for small portfolios on generated outcome paths.
    #[test]
    fn classes_and_line_by_line_agree_to_the_unit(
        skus in prop::collection::vec((0..POOL.len(), 0u64..100_000_000_000), 1..=6),
        start in 0i64..330,
        days in 20i64..100,
        decision in 0i64..20,
        branches in prop::collection::vec(prop::collection::btree_map(0usize..7, (0i64..40, 0usize..3), 0..=2), 1..=3),
    ) {
        let s = lines();
        let first = d("2025-03-01").checked_add(jiff::Span::new().days(start)).unwrap();
        let w = Window::new(first, first.checked_add(jiff::Span::new().days(days)).unwrap()).unwrap();
        let at = |n: i64| first.checked_add(jiff::Span::new().days(n.min(days - 1))).unwrap();
        let node_day = at(decision);
        let probabilities: &[&str] = match branches.len() {
            1 => &["1"],
            2 => &["0.5", "0.5"],
            _ => &["0.5", "0.3", "0.2"],
        };
        let tree_branches: Vec<Branch> = branches
            .iter()
            .enumerate()
            .map(|(i, acts)| {
                let mut b = Branch::new(format!("b{i}").parse().unwrap(), "", OutcomeKind::Deal, probabilities[i].parse().unwrap());
                for (kind, (after, param)) in acts {
                    b = b.with_action(action(*kind, at(decision + after).max(node_day), *param));
                }
                b
            })
            .collect();
        let tree = OutcomeTree::new(Node::new("n".parse().unwrap(), "", node_day, tree_branches)).unwrap();
        let mut csv = String::from("sku,hts10,annual_value_usd\n");
        for (i, (line, cents)) in skus.iter().enumerate() {
            csv.push_str(&format!("sku-{i},{},{}\n", POOL[*line], Decimal::new(*cents as i64, 2)));
        }
        let portfolio = Portfolio::parse("generated.csv", &csv).unwrap();
        let baskets = portfolio.items().iter().map(|i| Basket::annual(i.key(), "", i.annual_value())).collect();
        let baseline = Baseline::new("US".parse().unwrap(), "CN".parse().unwrap(), Currency::USD, Periods::Annual, baskets).unwrap();
        let small = Scenario::builder(w).baselines(vec![baseline]).regime(s.regime().clone()).tree(tree).build().unwrap();
        let e = small.evaluate(Detail::Baskets).unwrap();
        for (path, outcome) in small.tree().paths().iter().zip(e.paths()) {
            let side = outcome.exposure().side("US", "CN").unwrap();
            for (item, b) in portfolio.items().iter().zip(side.baskets()) {
                let by_hand = line_by_line(&small, path, &item.key(), item.annual_value(), w);
                prop_assert_eq!(b.gross().units(), by_hand, "{} on {}", item.key(), path.id());
                let by_hand_cents = (by_hand / Decimal::from(units::ACCRUAL_DENOMINATOR))
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
                prop_assert_eq!(b.gross().to_cents(Currency::USD).amount(), by_hand_cents);
                // The rates the engine reports for the decision day add up
                // to the same as the hand-stacked rates times one day.
                let reported: Decimal = small
                    .rates_on(path.id(), ("US", "CN"), &item.key(), node_day)
                    .unwrap()
                    .iter()
                    .map(|(_, r)| r.as_fraction())
                    .sum();
                let one_day = Window::new(node_day, node_day.tomorrow().unwrap()).unwrap();
                let per_day = Decimal::from(units::ACCRUAL_DENOMINATOR / i64::from(node_day.days_in_year()));
                prop_assert_eq!(item.annual_value() * per_day * reported, line_by_line(&small, path, &item.key(), item.annual_value(), one_day));
            }
        }
    }
}

#[test]
fn layers_add_up_to_their_measures_and_to_the_side() {
    // SideExposure::layers sums the measures of each layer month by month;
    // exact sums, so the layers equal their measures and add up to the side.
    let e = lines().evaluate(Detail::Totals).unwrap();
    for p in e.paths() {
        let side = p.exposure().side("US", "CN").unwrap();
        let ids: Vec<&str> = side.layers().iter().map(|l| l.layer().as_str()).collect();
        assert_eq!(
            ids,
            [
                "section-301",
                "ieepa-fentanyl",
                "ieepa-reciprocal",
                "busan-snap-back",
                "busan-escalation"
            ]
        );
        let mut total = Accrued::ZERO;
        for l in side.layers() {
            let mut row = vec![Accrued::ZERO; e.months().len()];
            for m in side.measures().iter().filter(|m| m.layer() == l.layer()) {
                for (cell, a) in row.iter_mut().zip(m.by_month()) {
                    *cell = cell.checked_add(*a).unwrap();
                }
            }
            assert_eq!(l.by_month(), row.as_slice(), "{}", l.layer());
            assert_eq!(
                l.gross(),
                row.iter()
                    .try_fold(Accrued::ZERO, |a, b| a.checked_add(*b))
                    .unwrap()
            );
            total = total.checked_add(l.gross()).unwrap();
        }
        assert_eq!(total, side.gross());
    }
}

#[test]
fn a_portfolio_sees_the_answers_the_national_trade_triggers() {
    // tests/data/portfolio-answers.toml: the US taxes $500B of imports at
    // 25%; China answers once the covered value passes $100B, and the US
    // counters any answer with 10% on all goods. Nationally the counter
    // fires, so a $1M SKU on the same line pays 25% + 10% = $350,000 over
    // 2019 — not 25% alone, as it would if the portfolio's own $1M were
    // measured against the $100B threshold.
    let s = tariffsim::load::load_scenario("tests/data/portfolio-answers.toml".as_ref()).unwrap();
    let pf = tariffsim::portfolio::Portfolio::parse(
        "skus.csv",
        "sku,hts10,annual_value_usd\nPC-1,8471300100,1000000\n",
    )
    .unwrap();
    let x = pf.evaluate(&s, "US", "CN").unwrap();
    let (_, duty) = &x.items()[0];
    assert_eq!(duty.expected().gross.amount(), Decimal::from(350_000));
}
