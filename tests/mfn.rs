//! MFN base rates (data/lines/2026/mfn-hts8.csv) and the reconciliation of
//! calendar 2024 with the duty customs collected
//! (data/scenarios/us-china-lines-2024.toml).
//!
//! Figures are sourced beside each assertion: `check.py` is
//! data/lines/2026/check.py (an independent computation with Python's
//! decimal module; its output is quoted in data/lines/2026/README.md,
//! "What check.py computes" and "Calendar 2024 against the Census
//! calculated duty"), or worked by hand.

use std::path::Path;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tariffsim::load::{CsvColumns, read_observed_duty_csv};
use tariffsim::outcome::{Action, ActionKind, Branch, Node, OutcomeKind, OutcomeTree};
use tariffsim::report::{EvaluationReport, Reconciliation, text_table};
use tariffsim::tariff::{BaseRate, BaseRateKind, BaseRates};
use tariffsim::*;

use crate::common::*;

const Y2024: &str = "data/scenarios/us-china-lines-2024.toml";

fn y2024() -> &'static (Scenario, Evaluation) {
    static S: OnceLock<(Scenario, Evaluation)> = OnceLock::new();
    S.get_or_init(|| {
        let s = load::load_scenario(Y2024.as_ref()).unwrap();
        let e = s.evaluate(Detail::Baskets).unwrap();
        (s, e)
    })
}

fn dollars(a: Accrued) -> Decimal {
    a.amount().round_dp(0)
}

#[test]
fn mfn_on_the_2024_china_lines_is_2_544_percent_on_ad_valorem_and_free_lines() {
    let (_, e) = y2024();
    let side = e.paths()[0].side("US", "CN").unwrap();
    let base = side.base().expect("the 2024 scenario has base rates");
    // check.py section 1: value-weighted MFN on the ad valorem and free
    // lines = $10,681,988,310 / $419,896,278,672 = 2.5440% (reference set:
    // 2.54%). A whole calendar year of annual values accrues to the value
    // exactly, so the denominator is exact.
    let fully = base.fully_valued();
    assert_eq!(fully.lines, 5_332 + 8_142); // free + ad_valorem lines, check.py
    assert_eq!(fully.import_value.amount(), dec!(419_896_278_672));
    assert_eq!(dollars(base.fully_valued_duty()), dec!(10_681_988_310));
    let weighted = base.fully_valued_duty().ratio(fully.import_value).unwrap();
    assert_eq!(weighted.round_dp(6), dec!(0.025440));
    // Every ad valorem component over all value: $10,872,904,739 (check.py).
    assert_eq!(dollars(base.duty()), dec!(10_872_904_739));
    // Not valued beyond the ad valorem part: compound 483 + specific 407 +
    // other_pct 26 + other_text 31 = 947 lines, $2,649,152,773 +
    // $1,301,021,554 + $101,357,271 + $342,045,086 = $4,393,576,684
    // (check.py's table by rate type).
    assert_eq!(base.partly_valued().lines, 947);
    assert_eq!(
        base.partly_valued().import_value.amount(),
        dec!(4_393_576_684)
    );
    // No rate: only 9999.95.0000 (low-value estimates), $5,135,973,063.
    assert_eq!(base.missing().lines, 1);
    assert_eq!(base.missing().import_value.amount(), dec!(5_135_973_063));
    assert_eq!(base.missing_keys()[0].to_string(), "9999950000");
    assert_eq!(base.by_basket().iter().filter(|b| b.is_none()).count(), 1);
    // The months add up to the whole exactly.
    let months = base
        .by_month()
        .iter()
        .try_fold(Accrued::ZERO, |a, b| a.checked_add(*b))
        .unwrap();
    assert_eq!(months, base.duty());
    // And so do the lines.
    let lines = base
        .by_basket()
        .iter()
        .flatten()
        .try_fold(Accrued::ZERO, |a, b| a.checked_add(*b))
        .unwrap();
    assert_eq!(lines, base.duty());
}

#[test]
fn the_2024_all_in_duty_is_within_3_percent_of_what_customs_collected() {
    let (_, e) = y2024();
    let side = e.paths()[0].side("US", "CN").unwrap();
    // The additional duty is unchanged by base rates: $36,176,987,505.48
    // (data/scenarios/us-china-lines-2024.toml; check.py to the cent).
    assert_eq!(
        side.net().to_cents(Currency::USD).amount(),
        dec!(36_176_987_505.48)
    );
    // All-in = $10,872,904,738.89 + $36,176,987,505.48 = $47,049,892,244.37:
    // check.py's rule to the cent, Section 232 on metal content included
    // ($125,144.29: 10% on the aluminum share of 8708.10.30, 8708.29.21).
    let all_in = side.all_in().unwrap().unwrap();
    assert_eq!(
        all_in.to_cents(Currency::USD).amount(),
        dec!(47_049_892_244.37)
    );
    // Census calculated duty 2024: $46,661,215,871 (data/lines/README.md).
    let census = dec!(46_661_215_871);
    let gap = all_in.amount() - census;
    assert!(gap.abs() <= census * dec!(0.03), "gap {gap}");
    // +$388,676,373, +0.83% (check.py).
    assert_eq!(gap.round_dp(0), dec!(388_676_373));
    assert_eq!((gap / census * dec!(100)).round_dp(2), dec!(0.83));
}

fn census() -> tariffsim::trade::ObservedDuty {
    let columns = CsvColumns {
        key: "hts10".into(),
        value: Some("calculated_duty_usd".into()),
        ..CsvColumns::default()
    };
    read_observed_duty_csv(
        "data/lines/us-imports-from-china-2024-hts10.csv".as_ref(),
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        window("2024-01-01", "2025-01-01"),
        &columns,
        "Census",
    )
    .unwrap()
}

#[test]
fn the_reconciliation_matches_check_py_per_chapter_and_line() {
    let (s, e) = y2024();
    let r = Reconciliation::new(s, &e.paths()[0], &census()).unwrap();
    let t = r.total();
    assert_eq!(t.observed, dec!(46_661_215_871));
    assert_eq!(t.import_value, dec!(429_425_828_419));
    assert_eq!(t.mfn.round_dp(0), dec!(10_872_904_739));
    assert_eq!(t.modelled.round_dp(2), dec!(47_049_892_244.37));
    assert_eq!(r.unmatched(), (0, Decimal::ZERO));
    let ch = |c: &str| r.chapters().iter().find(|x| x.key == c).unwrap();
    // check.py section 5a (the rule): chapter 84 Census $7,467,369,249,
    // modelled $7,196,266,720; chapter 85 $8,538,507,047 and $8,532,095,347.
    assert_eq!(ch("84").observed, dec!(7_467_369_249));
    assert_eq!(ch("84").modelled.round_dp(0), dec!(7_196_266_720));
    assert_eq!(ch("85").modelled.round_dp(0), dec!(8_532_095_347));
    // Chapter 87 holds the only 2024 Section 232 on metal content (8708.10.30,
    // 8708.29.21: $125,144.29): check.py's $4,055,733,902.
    assert_eq!(ch("87").modelled.round_dp(0), dec!(4_055_733_902));
    // Chapters add up to the total.
    let sum: Decimal = r.chapters().iter().map(|c| c.modelled).sum();
    assert_eq!(sum.round_dp(6), t.modelled.round_dp(6));
    // The largest gap (check.py section 5b): 8507.60.00.20, +$661,010,513.
    let top = &r.lines()[0];
    assert_eq!(top.row.key, "8507600020");
    assert_eq!(top.row.gap().round_dp(0), dec!(661_010_513));
    assert_eq!(top.mfn_text.as_deref(), Some("3.4%"));
    // The second: 7326.90.86.88, −$350,475,279.
    assert_eq!(r.lines()[1].row.key, "7326908688");
    assert_eq!(r.lines()[1].row.gap().round_dp(0), dec!(-350_475_279));
    let md = r.to_markdown(3, 2);
    assert!(md.contains("| total | $429,425,828,419 | $46,661,215,871 | 10.87% | $47,049,892,244 | 10.96% | $10,872,904,739 | +$388,676,373 | +0.83% |"), "{md}");
    assert!(md.contains("| other 95 chapters |"), "{md}");
    // The CSV: a total row, 98 chapters (ch 77 has no line), 14,422 lines;
    // exact amounts that add up.
    let csv = r.to_csv().unwrap();
    let mut rdr = ::csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        tariffsim::report::RECONCILIATION_COLUMNS
    );
    let rows: Vec<::csv::StringRecord> = rdr.records().map(|x| x.unwrap()).collect();
    assert_eq!(r.chapters().len(), 98); // check.py section 5a: 98 chapters
    assert_eq!(rows.len(), 1 + 98 + 14_422);
    assert_eq!(&rows[0][4], "46661215871");
    let line_gaps: Decimal = rows
        .iter()
        .filter(|x| &x[0] == "line")
        .map(|x| x[8].parse::<Decimal>().unwrap())
        .sum();
    assert_eq!(line_gaps.round_dp(2), t.gap().round_dp(2));
    assert_eq!(&rows[1 + r.chapters().len()][1], "8507600020");
    // The README's table is this report's (15 chapters, 6 lines): every row
    // of it is in the README, so the two cannot drift apart.
    let readme = std::fs::read_to_string("README.md").unwrap();
    let full = r.to_markdown(15, 6);
    for row in full.lines().filter(|l| l.starts_with("| ")) {
        assert!(readme.contains(row), "README.md lacks: {row}");
    }
}

#[test]
fn a_reconciliation_needs_base_rates_and_the_same_window() {
    let (s, e) = y2024();
    let wrong = tariffsim::trade::ObservedDuty::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        window("2024-01-01", "2024-07-01"),
        "half a year",
        vec![],
    )
    .unwrap();
    assert_eq!(
        Reconciliation::new(s, &e.paths()[0], &wrong)
            .unwrap_err()
            .to_string(),
        "reconciliation of US<-CN: the observed duty covers 2024-01-01..2024-07-01 but the evaluation covers 2024-01-01..2025-01-01: evaluate the same window"
    );
    let g20 = load::load_scenario("data/scenarios/g20-2018.toml".as_ref()).unwrap();
    let eg = g20.evaluate(Detail::Baskets).unwrap();
    let y2019 = tariffsim::trade::ObservedDuty::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        window("2019-01-01", "2020-01-01"),
        "none",
        vec![],
    )
    .unwrap();
    assert_eq!(
        Reconciliation::new(&g20, &eg.paths()[0], &y2019)
            .unwrap_err()
            .to_string(),
        "reconciliation of US<-CN: the scenario has no base rates for US: add [[base_rates]] so the all-in duty can be set beside what customs collected"
    );
}

fn rates(rows: &[(&str, BaseRateKind, Option<&str>, &str)]) -> BaseRates {
    BaseRates::new(
        "US".parse().unwrap(),
        "test",
        rows.iter()
            .map(|(c, k, a, t)| (c.parse().unwrap(), BaseRate::new(*k, a.map(r), *t).unwrap())),
    )
    .unwrap()
}

#[test]
fn mfn_accrues_like_a_measure_and_is_the_same_on_every_path() {
    // (values in billions) $365M at 4% and $730M at a compound "1¢/kg + 2%", plus a line with no
    // rate: a full year gives 365M × 4% + 730M × 2% = 14.6M + 14.6M =
    // $29,200,000 exactly, and any split of the year adds up to it.
    let b = baseline(
        "US",
        "CN",
        &[
            ("0101300000", "0.365"),
            ("0201100000", "0.73"),
            ("9999950000", "0.000001"),
        ],
    );
    let mfn = rates(&[
        ("01013000", BaseRateKind::AdValorem, Some("4%"), "4%"),
        ("02011000", BaseRateKind::Compound, Some("2%"), "1¢/kg + 2%"),
    ]);
    let list = Measure::new(
        "extra".parse().unwrap(),
        Authority::Section301,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Coverage::of(Goods::hs(["0101".parse().unwrap()])),
        Schedule::flat(d("2019-01-01"), r("25%")),
    )
    .unwrap();
    let regime = Regime::new(vec![list], vec![]).unwrap();
    let prepared = Prepared::new(vec![b.clone()], regime.clone())
        .unwrap()
        .with_base_rates(vec![mfn.clone()])
        .unwrap();
    let year = prepared
        .exposure(window("2019-01-01", "2020-01-01"), Detail::Totals)
        .unwrap();
    let side = year.side("US", "CN").unwrap();
    let base = side.base().unwrap();
    assert_eq!(base.duty().amount(), dec!(29_200_000));
    assert_eq!(base.partly_valued().lines, 1);
    assert_eq!(base.missing().lines, 1);
    assert_eq!(base.missing().import_value.amount(), dec!(1000));
    // The measure's duty is apart: 365M × 25% = 91.25M; all-in adds MFN.
    assert_eq!(side.net().amount(), dec!(91_250_000));
    assert_eq!(side.all_in().unwrap().unwrap().amount(), dec!(120_450_000));
    // Split anywhere: the parts add up exactly.
    let part = |a: &str, z: &str| {
        prepared
            .exposure(window(a, z), Detail::Totals)
            .unwrap()
            .side("US", "CN")
            .unwrap()
            .base()
            .unwrap()
            .duty()
    };
    let parts = part("2019-01-01", "2019-03-02")
        .checked_add(part("2019-03-02", "2020-01-01"))
        .unwrap();
    assert_eq!(parts, base.duty());
    // 59 days of 365: 29.2M × 59 / 365 = $4,720,000.
    assert_eq!(part("2019-01-01", "2019-03-01").amount(), dec!(4_720_000));

    // A baseline by year: each year's value accrues over its own days.
    // 2019-07-01..2020-07-01 at 10%: $365M × 184 / 365 + $732M × 182 / 366
    // = $184M + $364M = $548M of value, $54.8M of MFN.
    let yearly = Baseline::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        Periods::Years(vec![2019, 2020]),
        vec![Basket::new(
            "0101300000".parse().unwrap(),
            "asses",
            vec![dec!(365_000_000), dec!(732_000_000)],
        )],
    )
    .unwrap();
    let ten = rates(&[("0101", BaseRateKind::AdValorem, Some("10%"), "10%")]);
    let e = Prepared::new(vec![yearly], Regime::default())
        .unwrap()
        .with_base_rates(vec![ten])
        .unwrap()
        .exposure(window("2019-07-01", "2020-07-01"), Detail::Totals)
        .unwrap();
    let base = e.side("US", "CN").unwrap().base().unwrap();
    assert_eq!(base.duty().amount(), dec!(54_800_000));
    assert_eq!(base.fully_valued().import_value.amount(), dec!(548_000_000));
    assert_eq!(base.by_month().len(), 12);
    // July 2019: $365M × 31 / 365 × 10% = $3.1M.
    assert_eq!(base.by_month()[0].amount(), dec!(3_100_000));

    // A tree: the measure is revoked on one path; MFN is the same on both.
    let half = Probability::new(dec!(0.5)).unwrap();
    let tree = OutcomeTree::new(Node::new(
        "n".parse().unwrap(),
        "decision",
        d("2019-07-01"),
        vec![
            Branch::new("keep".parse().unwrap(), "keep", OutcomeKind::Truce, half),
            Branch::new("revoke".parse().unwrap(), "revoke", OutcomeKind::Deal, half).with_action(
                Action::new(
                    "extra".parse().unwrap(),
                    ActionKind::Revoke {
                        from: d("2019-07-01"),
                    },
                ),
            ),
        ],
    ))
    .unwrap();
    let s = Scenario::builder(window("2019-01-01", "2020-01-01"))
        .baseline(b)
        .regime(regime)
        .base_rates(mfn.clone())
        .tree(tree)
        .build()
        .unwrap();
    let ev = s.evaluate(Detail::Totals).unwrap();
    let bases: Vec<Decimal> = ev
        .paths()
        .iter()
        .chain([ev.reference()])
        .map(|p| p.side("US", "CN").unwrap().base().unwrap().duty().amount())
        .collect();
    assert_eq!(bases, vec![dec!(29_200_000); 3]);
    let nets: Vec<Decimal> = ev
        .paths()
        .iter()
        .map(|p| p.side("US", "CN").unwrap().net().amount())
        .collect();
    assert_ne!(nets[0], nets[1]);
    // Two sets of rates for one importer are refused.
    let e = Scenario::builder(window("2019-01-01", "2020-01-01"))
        .baseline(baseline("US", "CN", &[("0101300000", "0.001")]))
        .base_rates(mfn.clone())
        .base_rates(mfn)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "two sets of base rates for importer US: give one [[base_rates]] per importer"
    );
}

#[test]
fn reports_label_additional_mfn_and_all_in_only_with_base_rates() {
    let (s, e) = y2024();
    let report = EvaluationReport::new(s, e).unwrap();
    let table = text_table(&report);
    assert!(table.contains("Additional net"), "{table}");
    assert!(table.contains("All-in"), "{table}");
    // $4,393,576,684 → $4.39B; $5,135,973,063 → $5.14B.
    assert!(
        table
            .contains("MFN not valued beyond its ad valorem part on 947 lines ($4.39B of imports)"),
        "{table}"
    );
    assert!(
        table.contains("MFN not valued on 1 line with no MFN rate ($5.14B of imports): 9999950000"),
        "{table}"
    );
    assert!(
        table.contains("    additional $36.18B + MFN $10.87B = all-in $47.05B (10.96%)"),
        "{table}"
    );
    // $36.18B + $10.87B = $47.05B all-in, 10.96% of $429.4B.
    assert!(
        table.contains("expected all-in $47.05B = expected additional net $36.18B + MFN $10.87B"),
        "{table}"
    );
    let side = &report.reference.sides[0];
    let mfn = side.mfn.as_ref().unwrap();
    assert_eq!(mfn.partly_valued_lines, 947);
    assert_eq!(side.all_in.unwrap().round_dp(2), dec!(47_049_892_244.37));
    let json = report.to_json().unwrap();
    assert!(
        json.contains("\"all_in\": \"47049892244.37"),
        "all_in in JSON"
    );
    assert_eq!(EvaluationReport::from_json(&json).unwrap(), report);

    // Without base rates the table and the JSON are as before.
    let g20 = load::load_scenario("data/scenarios/g20-2018.toml".as_ref()).unwrap();
    let r = EvaluationReport::new(&g20, &g20.evaluate(Detail::Totals).unwrap()).unwrap();
    let t = text_table(&r);
    assert!(!t.contains("MFN") && !t.contains("All-in") && t.contains("Net duty"));
    let j = r.to_json().unwrap();
    assert!(!j.contains("\"mfn\"") && !j.contains("all_in"));
}

/// The error of loading a scenario that reads `csv` as its base rates.
fn load_error(csv: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mfn.csv"), csv).unwrap();
    std::fs::write(dir.path().join("b.csv"), "key,value\n0101300000,100\n").unwrap();
    let text = "[scenario]\nid = \"t\"\nhorizon = \"2024-01-01..2025-01-01\"\n\n\
        [[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"b.csv\"\n\n\
        [[base_rates]]\nimporter = \"US\"\nfile = \"mfn.csv\"\nsource = \"test\"\n";
    let e = load::parse_scenario(text, dir.path())
        .unwrap_err()
        .to_string();
    // Paths differ by machine: keep what follows the folder.
    let folder = format!("{}/", dir.path().display());
    e.replace(&folder, "")
}

const HEADER: &str = "hts8,rate_type,ad_valorem,fully_valued,text\n";

#[test]
fn bad_base_rates_name_the_file_line_and_field() {
    assert_eq!(
        load_error(&format!(
            "{HEADER}01013000,ad_valorem,6.8%,yes,6.8%\n01019030,ad_valorem,6,8%,yes,6.8%\n"
        )),
        "<text>, base_rates \"US\": mfn.csv, line 3: the row has 6 fields and the header 5: give every row the header's columns"
    );
    assert_eq!(
        load_error(&format!("{HEADER}01013000,ad_valorem,6.8,yes,6.8%\n")),
        "<text>, base_rates \"US\": mfn.csv, line 2, field \"ad_valorem\": invalid rate \"6.8\": write rates as percentages with their unit, e.g. \"25%\" (a fraction 0.25 is \"25%\")"
    );
    assert_eq!(
        load_error(&format!("{HEADER}01013000,ad_valorem,,yes,6.8%\n")),
        "<text>, base_rates \"US\": mfn.csv, line 2: rate type ad_valorem needs its ad valorem part (0% when free)"
    );
    assert_eq!(
        load_error(&format!("{HEADER}01013000,specific,0%,yes,1¢/kg\n")),
        "<text>, base_rates \"US\": mfn.csv, line 2, field \"fully_valued\": a specific rate is never valued in full, but the row says yes"
    );
    assert_eq!(
        load_error(&format!("{HEADER}0101300,free,0%,yes,Free\n")),
        "<text>, base_rates \"US\": mfn.csv, line 2, field \"hts8\": invalid HS code \"0101300\": an HS code has 2, 4, 6, 8 or 10 digits (dots allowed, e.g. 8471.30.01)"
    );
    assert_eq!(
        load_error(&format!(
            "{HEADER}01013000,free,0%,yes,Free\n01013000,free,0%,yes,Free\n"
        )),
        "<text>, base_rates \"US\": mfn.csv, line 3: 01013000 is given again (first on line 2): keep one rate per code"
    );
    assert_eq!(
        load_error("hts8,rate_type,ad_valorem,text\n01013000,free,0%,Free\n"),
        "<text>, base_rates \"US\": mfn.csv: no \"fully_valued\" column; the header is \"hts8,rate_type,ad_valorem,text\""
    );
    // A rate given by reference keeps its text, counts nothing, and is
    // reported: never a zero that reads as a fact.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mfn.csv"),
        format!("{HEADER}01013000,other_text,,no,See additional U.S. note 1\n"),
    )
    .unwrap();
    let rates = load::read_base_rates_csv(
        &dir.path().join("mfn.csv"),
        "US".parse().unwrap(),
        "test",
        "hts8",
    )
    .unwrap();
    let r = rates.rate_of(&"0101300000".parse().unwrap()).unwrap();
    assert_eq!((r.ad_valorem(), r.is_fully_valued()), (None, false));
    assert_eq!(r.text(), "See additional U.S. note 1");
    let _ = Path::new(".");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// MFN follows the accrual rule exactly: a window split at any day
    /// gives parts that add up to the whole to the accrual unit, a full year
    /// gives value × rate exactly, and the lines add up to the side.
    #[test]
    fn mfn_splits_add_up_and_a_year_is_value_times_rate(
        lines in proptest::collection::vec((0u64..1_000_000_000_000, 0u32..30_000), 1..=5),
        year in 2019i16..=2024,
        cut in 1i64..365,
    ) {
        let codes = ["0101300000", "0201100000", "0301110000", "0401100000", "0501000000"];
        let baskets: Vec<Basket> = lines
            .iter()
            .zip(codes)
            .map(|((v, _), c)| Basket::annual(c.parse().unwrap(), c, Decimal::from(*v)))
            .collect();
        let b = Baseline::new("US".parse().unwrap(), "CN".parse().unwrap(), Currency::USD, Periods::Annual, baskets).unwrap();
        // Rates in hundredths of a percent, 0% to 299.99%.
        let rows: Vec<(String, BaseRate)> = lines
            .iter()
            .zip(codes)
            .map(|((_, bp), c)| {
                let rate = Rate::from_percent(Decimal::new(i64::from(*bp), 2)).unwrap();
                (c[..8].to_string(), BaseRate::new(BaseRateKind::AdValorem, Some(rate), rate.to_string()).unwrap())
            })
            .collect();
        let mfn = BaseRates::new("US".parse().unwrap(), "gen", rows.iter().map(|(c, r)| (c.parse().unwrap(), r.clone()))).unwrap();
        let p = Prepared::new(vec![b], Regime::default()).unwrap().with_base_rates(vec![mfn]).unwrap();
        let start = Date::new(year, 1, 1).unwrap();
        let end = Date::new(year + 1, 1, 1).unwrap();
        let mid = start.checked_add(jiff::Span::new().days(cut)).unwrap();
        let base = |a: Date, z: Date| {
            let e = p.exposure(Window::new(a, z).unwrap(), Detail::Totals).unwrap();
            e.side("US", "CN").unwrap().base().unwrap().clone()
        };
        let whole = base(start, end);
        let parts = base(start, mid).duty().checked_add(base(mid, end).duty()).unwrap();
        proptest::prop_assert_eq!(parts, whole.duty());
        let expected: Decimal = lines
            .iter()
            .map(|(v, bp)| Decimal::from(*v) * Decimal::new(i64::from(*bp), 4))
            .sum();
        proptest::prop_assert_eq!(whole.duty().amount(), expected);
        let by_line = whole.by_basket().iter().flatten().try_fold(Accrued::ZERO, |a, b| a.checked_add(*b)).unwrap();
        proptest::prop_assert_eq!(by_line, whole.duty());
    }
}
