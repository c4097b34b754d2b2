//! The shipped data files against published figures. Each test names its
//! source: the record `data/record/us-china-2018-2026.md` (section letter and
//! source number), `lines/README.md`, or docs/DOMAIN.md. Checks are exact where
//! the figure is arithmetic on the data, and within a stated tolerance where
//! it is a trade-weighted average computed by someone else.

use rust_decimal::Decimal;
use tariffsim::*;

use crate::common::*;

/// The one path of the record: Phase One signed, then the IEEPA ruling.
const RECORD_PATH: &str = "signed/void";

fn scenario(name: &str) -> Scenario {
    load::load_scenario(format!("data/scenarios/{name}.toml").as_ref()).unwrap()
}

fn baseline<'a>(s: &'a Scenario, importer: &str, exporter: &str) -> &'a Baseline {
    s.baselines()
        .iter()
        .find(|b| b.importer().as_str() == importer && b.exporter().as_str() == exporter)
        .unwrap()
}

fn measure<'a>(s: &'a Scenario, id: &str) -> &'a Measure {
    &s.regime().measures()[s.regime().index_of(id).unwrap()]
}

/// The summed covered value of `ids` on `date`, in the baseline of the
/// measures' direction.
fn covered(s: &Scenario, importer: &str, exporter: &str, ids: &[&str], date: &str) -> Decimal {
    let b = baseline(s, importer, exporter);
    ids.iter()
        .map(|id| measure(s, id).covered_value(b, d(date)).unwrap())
        .sum()
}

/// The stacked rates on one basket on one date, as (measure, "NN%").
fn rates(
    s: &Scenario,
    path: &str,
    side: (&str, &str),
    basket: &str,
    date: &str,
) -> Vec<(String, String)> {
    s.rates_on(path, side, &basket.parse().unwrap(), d(date))
        .unwrap()
        .into_iter()
        .map(|(m, r)| (m.to_string(), r.to_string()))
        .collect()
}

fn sum_percent(rates: &[(String, String)]) -> Decimal {
    rates
        .iter()
        .map(|(_, r)| r.parse::<Rate>().unwrap().as_percent())
        .sum()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The average additional rate of side `importer<-exporter` on `date`, in
/// percent, on path `path`.
fn average(s: &Scenario, path: &str, importer: &str, exporter: &str, date: &str) -> Decimal {
    let t = s.timeline(path).unwrap();
    let side = t
        .iter()
        .find(|t| t.importer.as_str() == importer && t.exporter.as_str() == exporter)
        .unwrap();
    side.on(d(date)).unwrap().total * Decimal::ONE_HUNDRED
}

#[test]
fn lists_1_to_3_cover_250b_and_chinas_2018_answers_110b() {
    // Reference A, headline seed figures: "$250B" = 34 + 16 + 200 (USTR
    // notices [1-5]); "$110B" = 34 + 16 + 60 (China's answers [14-17]).
    let s = scenario("record-2018-2026");
    assert_eq!(
        covered(
            &s,
            "US",
            "CN",
            &["list-1", "list-2", "list-3"],
            "2018-09-24"
        ),
        billions("250")
    );
    // China's List 3 answer is four tier measures whose baskets split the
    // $60B by line count; the whole-dollar parts add up to exactly $60B.
    let cn = [
        "cn-answer-1",
        "cn-answer-2",
        "cn-answer-3-25",
        "cn-answer-3-20",
        "cn-answer-3-10",
        "cn-answer-3-5",
    ];
    assert_eq!(covered(&s, "CN", "US", &cn, "2018-09-24"), billions("110"));
    // All of them are in force that day: each basket pays its list's rate.
    assert_eq!(
        rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", "2018-09-24"),
        pairs(&[("list-3", "10%")])
    );
    assert_eq!(
        rates(
            &s,
            RECORD_PATH,
            ("CN", "US"),
            "cn-answer-3-5-goods",
            "2018-09-24"
        ),
        pairs(&[("cn-answer-3-5", "5%")])
    );
    // The G20 file, with its own view of the same lists, agrees.
    let g20 = scenario("g20-2018");
    assert_eq!(
        covered(
            &g20,
            "US",
            "CN",
            &["list-1", "list-2", "list-3"],
            "2018-12-01"
        ),
        billions("250")
    );
    assert_eq!(
        covered(
            &g20,
            "CN",
            "US",
            &["cn-answer-1", "cn-answer-2", "cn-answer-3"],
            "2018-12-01"
        ),
        billions("110")
    );
}

#[test]
fn list_3_steps_from_10_to_25_percent_on_2019_05_10_and_not_before() {
    // Reference A, List 3 ($200B): 10% from 2018-09-24; 25% scheduled for
    // 2019-01-01, postponed to 2019-03-02, postponed without a date on
    // 2019-02-24, applied 2019-05-10 (H [3,4,5]).
    let s = scenario("record-2018-2026");
    assert_eq!(
        covered(&s, "US", "CN", &["list-3"], "2019-05-10"),
        billions("200")
    );
    for day in ["2019-01-01", "2019-03-02", "2019-05-09"] {
        assert_eq!(
            rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", day),
            pairs(&[("list-3", "10%")]),
            "{day}"
        );
    }
    assert_eq!(
        rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", "2019-05-10"),
        pairs(&[("list-3", "25%")])
    );
    // The Lists 1-3 step to 30% was announced and cancelled: never in force
    // (reference A, H [10,41]).
    assert_eq!(
        rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", "2019-10-15"),
        pairs(&[("list-3", "25%")])
    );
    // Every measure as scheduled (no outcome applied) gives the same: the record holds
    // history in its schedules.
    let sq = Prepared::new(s.baselines().to_vec(), s.regime().clone())
        .unwrap()
        .rates_on(
            ("US", "CN"),
            &"list-3-goods".parse().unwrap(),
            d("2019-05-10"),
        )
        .unwrap();
    assert_eq!(sq, vec![("list-3".parse().unwrap(), r("25%"))]);
}

#[test]
fn the_remaining_goods_threatened_in_2018_are_255_6b_against_the_seeds_257b() {
    // Reference A, headline seed figures: "remaining ~$257B" threatened at
    // 25% if the G20 talks fail, "using last year's import figures"; with
    // 2017 imports of $505.6B (reference J, [42]) the remainder is
    // 505.6 - 250 = $255.6B exactly. The seed's figure is a rounded press
    // number on a different import total: we accept a gap of up to $1.5B
    // (0.6%), and hold the file to the arithmetic exactly.
    let g20 = scenario("g20-2018");
    let remaining = covered(&g20, "US", "CN", &["list-4-threat"], "2019-01-01");
    assert_eq!(remaining, billions("505.6") - billions("250"));
    assert!((billions("257") - remaining).abs() <= billions("1.5"));
    // The baseline adds up to the Census total (reference J).
    let total: Decimal = baseline(&g20, "US", "CN")
        .baskets()
        .iter()
        .map(|b| b.values()[0])
        .sum();
    assert_eq!(total, billions("505.6"));
}

#[test]
fn the_145_percent_of_april_2025_is_125_reciprocal_plus_20_fentanyl() {
    // Reference E (H [24,25]) and H: "145%" = 125% reciprocal + 20%
    // fentanyl, before Section 301, 232 and MFN, from 2025-04-10 until
    // Geneva took effect on 2025-05-14. A List 4B good has no 301 duty in
    // force and, at list level, no 232.
    let s = scenario("record-2018-2026");
    for day in ["2025-04-10", "2025-05-13"] {
        let got = rates(&s, RECORD_PATH, ("US", "CN"), "list-4b-goods", day);
        assert_eq!(
            got,
            pairs(&[("us-fentanyl", "20%"), ("us-reciprocal", "125%")]),
            "{day}"
        );
        assert_eq!(sum_percent(&got), Decimal::from(145));
    }
    // Geneva (reference E, H [27,28]): 34% with 24 points suspended, so 10%.
    let got = rates(&s, RECORD_PATH, ("US", "CN"), "list-4b-goods", "2025-05-14");
    assert_eq!(
        got,
        pairs(&[("us-fentanyl", "20%"), ("us-reciprocal", "10%")])
    );
}

#[test]
fn a_list_3_good_pays_170_percent_on_2025_05_01_and_45_after_2025_11_10() {
    // docs/DOMAIN.md worked number 4 and reference H: on 2025-05-01 a List 3
    // good pays MFN + 25% (301) + 20% (fentanyl) + 125% (reciprocal) = MFN +
    // 170%; after 2025-11-10, MFN + 25 + 10 + 10 = MFN + 45%.
    let s = scenario("record-2018-2026");
    let may = rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", "2025-05-01");
    assert_eq!(
        may,
        pairs(&[
            ("list-3", "25%"),
            ("us-fentanyl", "20%"),
            ("us-reciprocal", "125%")
        ])
    );
    assert_eq!(sum_percent(&may), Decimal::from(170));
    // The day before Busan's cut: 25 + 20 + 10 = 55.
    assert_eq!(
        sum_percent(&rates(
            &s,
            RECORD_PATH,
            ("US", "CN"),
            "list-3-goods",
            "2025-11-09"
        )),
        Decimal::from(55)
    );
    for day in ["2025-11-10", "2026-02-19"] {
        let got = rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", day);
        assert_eq!(
            got,
            pairs(&[
                ("list-3", "25%"),
                ("us-fentanyl", "10%"),
                ("us-reciprocal", "10%")
            ]),
            "{day}"
        );
        assert_eq!(sum_percent(&got), Decimal::from(45));
    }
    // Reference K (H [46]): IEEPA void from 2026-02-20; Section 301 stays.
    assert_eq!(
        rates(&s, RECORD_PATH, ("US", "CN"), "list-3-goods", "2026-02-20"),
        pairs(&[("list-3", "25%")])
    );
    // Busan's deal branch, applied to the schedules as they stood before the
    // meeting, reproduces the record: 45% on the same good.
    let busan = scenario("busan-2025");
    let deal = rates(
        &busan,
        "deal/upheld",
        ("US", "CN"),
        "list-3-goods",
        "2025-11-10",
    );
    assert_eq!(
        deal,
        pairs(&[
            ("list-3", "25%"),
            ("us-fentanyl", "10%"),
            ("us-reciprocal", "10%")
        ])
    );
    // Its escalation branch: 25 + 20 + 34 (the suspension lapsed) + 100.
    let esc = rates(
        &busan,
        "escalation/upheld",
        ("US", "CN"),
        "list-3-goods",
        "2025-11-10",
    );
    assert_eq!(sum_percent(&esc), Decimal::from(179));
}

#[test]
fn us_average_after_phase_one_against_piies_19_3_percent() {
    // Reference J, PIIE [41]: US tariffs on China average 19.3% after
    // February 2020 (MFN included), covering 66.4% of imports (~$335B at 2017
    // values).
    //
    // Ours, on 2020-03-01 with 2017 list values as weights, additional duty
    // only: (34 + 16 + 200) x 25% + 85.7184 x 7.5% = 62.5 + 6.42888 =
    // 68.92888B over 505.6B = 13.633085...%.
    let s = scenario("record-2018-2026");
    let ours = average(&s, RECORD_PATH, "US", "CN", "2020-03-01");
    assert_eq!(ours.round_dp(6), "13.633085".parse::<Decimal>().unwrap());
    // Why it differs from 19.3%: PIIE includes MFN (its own pre-2018 level
    // is 3.1%, same chart [41]), weights product by product rather than by
    // the lists' announced values, and counts the Section 232 duties, which
    // value nothing at list level. Tolerance: 6 points (MFN ~3 + up to ~3
    // for weights and 232), and ours must be the lower figure.
    let piie = Decimal::new(193, 1);
    assert!(
        ours < piie && piie - ours <= Decimal::from(6),
        "ours {ours}"
    );
    // Coverage: 66.4% exactly, but by construction (List 4A's 2017 value is
    // derived from this very figure, see the baseline); the check guards
    // the data and the engine's coverage, not PIIE.
    let b = baseline(&s, "US", "CN");
    let covered_value: Decimal = b
        .baskets()
        .iter()
        .filter(|k| {
            !rates(
                &s,
                RECORD_PATH,
                ("US", "CN"),
                &k.key().to_string(),
                "2020-03-01",
            )
            .is_empty()
        })
        .map(|k| k.values()[0])
        .sum();
    assert_eq!(covered_value / billions("505.6"), Decimal::new(664, 3));
}

#[test]
fn china_average_after_phase_one_against_piies_21_1_percent() {
    // Reference J, PIIE [41]: China's tariffs on the US average 21.1% (MFN
    // included), covering 58.3% of its imports (~$90B at 2017 values).
    //
    // Ours, on 2020-03-01 with 2017 list values as weights (130.4B),
    // additional duty only:
    //   answers to Lists 1-2: 50 x 25%                          = 12.5
    //   answer to List 3: 29.101167315 x 25% + 12.583657588 x 20%
    //     + 11.369649805 x 10% + 6.945525292 x 5%               = 11.27626459145
    //   answer to 232: 0.1875 x 25% + 2.8125 x 15%               = 0.46875
    //   List 4 answer batch 1: 5.883379283 x 5%                  = 0.29416896415
    //   total 24.5391835556B / 130.4B                            = 18.818392...%
    let s = scenario("record-2018-2026");
    let ours = average(&s, RECORD_PATH, "CN", "US", "2020-03-01");
    assert_eq!(ours.round_dp(6), "18.818392".parse::<Decimal>().unwrap());
    // Why it differs: PIIE includes China's MFN (7-8 points before the war,
    // same chart [41]) which we leave out, while our coverage is far higher
    // than PIIE's: China's answer lists were announced at values larger than
    // the goods they name were worth in 2017 trade, and we take those values
    // at face value (118.88B of 130.4B = 91.2% against PIIE's 58.3%). The
    // two errors pull in opposite directions; the tolerance is 3 points and
    // ours must be the lower figure.
    let piie = Decimal::new(211, 1);
    assert!(
        ours < piie && piie - ours <= Decimal::from(3),
        "ours {ours}"
    );
    let b = baseline(&s, "CN", "US");
    let covered_value: Decimal = b
        .baskets()
        .iter()
        .filter(|k| {
            !rates(
                &s,
                RECORD_PATH,
                ("CN", "US"),
                &k.key().to_string(),
                "2020-03-01",
            )
            .is_empty()
        })
        .map(|k| k.values()[0])
        .sum();
    // 34 + 16 + 60 + 3 + 5.883379283 = 118.883379283 (batch 2 never applied).
    assert_eq!(covered_value, billions("118.883379283"));
}

#[test]
fn the_2024_baseline_adds_up_to_the_lines_file_total_not_the_census_total() {
    // lines/README.md: 2024 imports for consumption from China total
    // $429,425,828,419 on HTS-10 lines; Lists 1-3 cover $143.8B, Lists 1-3
    // or 4A $216.1B, no 301 heading $76.9B. The list-level file uses the
    // lines file's total (rounded to $429.4B) so its parts add up; Census's
    // $438.9B (reference J [45]) is total goods imports, which also counts
    // goods not entered for consumption, so the two differ by $9.5B.
    let s = scenario("busan-2025");
    let b = baseline(&s, "US", "CN");
    let value = |k: &str| b.baskets()[b.find(&k.parse().unwrap()).unwrap()].values()[0];
    let total: Decimal = b.baskets().iter().map(|k| k.values()[0]).sum();
    assert_eq!(total, billions("429.4"));
    assert_eq!(
        value("list-1-goods") + value("list-2-goods") + value("list-3-goods"),
        billions("143.8")
    );
    assert_eq!(
        value("list-1-goods")
            + value("list-2-goods")
            + value("list-3-goods")
            + value("list-4a-goods"),
        billions("216.1")
    );
    assert_eq!(value("unlisted-goods"), billions("76.9"));
    let census = baseline_csv("data/baselines/us-cn-census-totals.csv", "US", "CN");
    assert_eq!(
        census.annual_value(0, 2024).unwrap() - total,
        billions("9.5")
    );
    assert_eq!(census.annual_value(0, 2017).unwrap(), billions("505.6"));
    // China's side: the 2017 list-level file adds up to US exports of
    // $130.4B (reference J [42]).
    let cn = baseline(&s, "CN", "US");
    let cn_total: Decimal = cn.baskets().iter().map(|k| k.values()[0]).sum();
    let census_cn = baseline_csv("data/baselines/cn-us-census-totals.csv", "CN", "US");
    assert_eq!(cn_total, census_cn.annual_value(0, 2017).unwrap());
    assert_eq!(cn_total, billions("130.4"));
}

fn baseline_csv(path: &str, importer: &str, exporter: &str) -> Baseline {
    load::read_baseline_csv(
        path.as_ref(),
        importer.parse().unwrap(),
        exporter.parse().unwrap(),
        Currency::USD,
        &load::CsvColumns::default(),
    )
    .unwrap()
}

/// The dated reciprocal exemptions of the rebuilt record: on 2025-04-10 the
/// goods the reciprocal layer does not reach are worth $122,412,029,211 of
/// 2024 imports, and $122,559,869,733 on 2025-12-01 (data/lines/2026/
/// README.md, "reciprocal-exempt-dated-hts10.csv", from check.py and equal
/// to the reference set's sanity-summary.csv). The older undated list kept
/// $182,357,792,181 (the same README): the dates and the classes matter.
#[test]
fn the_dated_reciprocal_exemptions_leave_out_what_the_record_says() {
    let s = scenario("us-china-lines-2026");
    let us = baseline(&s, "US", "CN");
    let reciprocal = measure(&s, "ieepa-reciprocal");
    let total: Decimal = us.baskets().iter().map(|b| b.values()[0]).sum();
    // The lines file's total, data/lines/README.md.
    assert_eq!(total, Decimal::from(429_425_828_419_u64));
    for (day, exempt) in [
        ("2025-04-10", 122_412_029_211_u64),
        ("2025-12-01", 122_559_869_733_u64),
    ] {
        let covered = reciprocal.covered_value(us, day.parse().unwrap()).unwrap();
        assert_eq!(total - covered, Decimal::from(exempt), "on {day}");
    }
}
