//! Measures net of the base rate (a floor net of MFN: Section 232 Annex
//! III's "15% less the line's column-1 rate, never below 0"): hand-worked
//! lines, a line whose MFN is not valued, the file round trip, and the
//! shipped line-level record.

use std::path::Path;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tariffsim::*;

use tariffsim::engine::{SideExposure, Valuation};

/// Four lines of $3,650 a year ($10 a day, so $1,000 over the 100 days of
/// the horizon 2026-04-06..2026-07-15: 25 + 31 + 30 + 14 days): MFN 4%,
/// MFN 20%, MFN free, and a compound MFN (`1.5¢/kg + 4%`), not valued.
const BASELINE: &str =
    "hts10,value\n7616991000,3650\n7616995000,3650\n7616996000,3650\n7616997000,3650\n";
const MFN: &str = "hts8,rate_type,ad_valorem,fully_valued,text\n\
    76169910,ad_valorem,4%,yes,4%\n\
    76169950,ad_valorem,20%,yes,20%\n\
    76169960,free,0%,yes,Free\n\
    76169970,compound,4%,no,1.5¢/kg + 4%\n";

/// Annex III's floor of 15% net of MFN on heading 7616, displacing a
/// surcharge of 10% (Section 122) where it owes a positive rate; `base`
/// is the [[base_rates]] table (or nothing).
fn scenario_text(base: &str) -> String {
    format!(
        r#"[scenario]
id = "floor"
horizon = "2026-04-06..2026-07-15"

[[baseline]]
importer = "US"
exporter = "CN"
file = "b.csv"
key_column = "hts10"
{base}
[[measure]]
id = "annex-iii"
authority = "section-232"
imposer = "US"
target = "CN"
goods = {{ hs = ["7616"] }}
net_of_base = true
steps = [{{ from = "2026-04-06", rate = "15%" }}]

[[measure]]
id = "s122"
authority = "section-122"
imposer = "US"
target = "CN"
goods = {{ all = true }}
steps = [{{ from = "2026-02-24", rate = "10%" }}]

[[stacking]]
id = "s232-over-s122"
kind = "exclusive"
over = ["authority:section-232"]
excluded = ["s122"]
"#
    )
}

const BASE_RATES: &str =
    "\n[[base_rates]]\nimporter = \"US\"\nfile = \"mfn.csv\"\nsource = \"hand-made\"\n";

fn load(base: &str) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.csv"), BASELINE).unwrap();
    std::fs::write(dir.path().join("mfn.csv"), MFN).unwrap();
    load::parse_scenario(&scenario_text(base), dir.path()).unwrap()
}

fn cents(a: Accrued) -> Decimal {
    a.to_cents(Currency::USD).amount()
}

/// The duty of measure `id` on line `hts10`, in cents.
fn on_line(side: &SideExposure, id: &str, hts10: &str) -> Decimal {
    let key = BasketKey::Hs(hts10.parse().unwrap());
    let m = side
        .measures()
        .iter()
        .position(|m| m.id().as_str() == id)
        .unwrap();
    let b = side.baskets().iter().find(|b| b.key() == &key).unwrap();
    cents(b.by_measure()[m])
}

#[test]
fn a_floor_owes_its_rate_less_the_line_s_mfn_and_never_below_zero() {
    let s = load(BASE_RATES);
    let e = s.evaluate(Detail::Baskets).unwrap();
    let side = e.reference().exposure().side("US", "CN").unwrap();
    // $1,000 of value over the horizon on each line:
    // MFN 4%: 15% − 4% = 11% → $110.00, and Section 232 displaces the 10%.
    assert_eq!(on_line(side, "annex-iii", "7616991000"), dec!(110.00));
    assert_eq!(on_line(side, "s122", "7616991000"), dec!(0));
    // MFN 20% ≥ 15%: the floor owes 0% → $0; owing nothing, it displaces
    // nothing, and the 10% is owed: $100.00.
    assert_eq!(on_line(side, "annex-iii", "7616995000"), dec!(0));
    assert_eq!(on_line(side, "s122", "7616995000"), dec!(100.00));
    // Free: the whole 15% → $150.00.
    assert_eq!(on_line(side, "annex-iii", "7616996000"), dec!(150.00));
    // Compound MFN: the floor cannot be valued there (not the full 15%,
    // not 0%): the line is left out of the measure and counted.
    assert_eq!(on_line(side, "annex-iii", "7616997000"), dec!(0));
    let floor = side.measure("annex-iii").unwrap();
    assert_eq!(floor.valuation(), Valuation::Partly { baskets: 1 });
    assert!(!floor.valuation().is_complete());
    // The total: $110 + $0 + $150 = $260.00.
    assert_eq!(cents(floor.gross()), dec!(260.00));
    // MFN itself is reported apart, unchanged: $40 + $200 + $0 + $40 (the
    // compound rate's 4%) = $280.00.
    assert_eq!(cents(side.base().unwrap().duty()), dec!(280.00));
}

#[test]
fn a_floor_without_base_rates_is_not_valued_never_the_whole_rate() {
    let s = load("");
    let e = s.evaluate(Detail::Totals).unwrap();
    let side = e.reference().exposure().side("US", "CN").unwrap();
    let floor = side.measure("annex-iii").unwrap();
    assert_eq!(floor.valuation(), Valuation::NotValued { baskets: 4 });
    assert_eq!(cents(floor.gross()), dec!(0));
}

#[test]
fn the_floor_stacks_by_its_net_rate_under_highest() {
    // Annex I-B 25% on 7616.99.10 beside the floor, highest wins: 25% >
    // 11%, so $250.00 under I-B and nothing under the floor.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.csv"), BASELINE).unwrap();
    std::fs::write(dir.path().join("mfn.csv"), MFN).unwrap();
    let text = format!(
        "{}\n[[measure]]\nid = \"annex-i-b\"\nauthority = \"section-232\"\nimposer = \"US\"\n\
         target = \"CN\"\ngoods = {{ hs = [\"7616991000\"] }}\n\
         steps = [{{ from = \"2026-04-06\", rate = \"25%\" }}]\n\n\
         [[stacking]]\nid = \"one-tier\"\nkind = \"highest\"\namong = [\"annex-i-b\", \"annex-iii\"]\n",
        scenario_text(BASE_RATES)
    );
    let s = load::parse_scenario(&text, dir.path()).unwrap();
    let e = s.evaluate(Detail::Baskets).unwrap();
    let side = e.reference().exposure().side("US", "CN").unwrap();
    assert_eq!(on_line(side, "annex-i-b", "7616991000"), dec!(250.00));
    assert_eq!(on_line(side, "annex-iii", "7616991000"), dec!(0));
    // The free line: the floor alone, 15% → $150.00.
    assert_eq!(on_line(side, "annex-iii", "7616996000"), dec!(150.00));
}

#[test]
fn a_floor_is_saved_and_loaded_again() {
    let s = load(BASE_RATES);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.toml");
    load::save_scenario(&s, &path).unwrap();
    let again = load::load_scenario(&path).unwrap();
    let m = &again.regime().measures()[again.regime().index_of("annex-iii").unwrap()];
    assert!(m.is_net_of_base());
    assert_eq!(again.regime(), s.regime());
}

#[test]
fn net_of_base_must_be_a_boolean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.csv"), BASELINE).unwrap();
    let text = scenario_text("").replace("net_of_base = true", "net_of_base = \"15%\"");
    assert!(load::parse_scenario(&text, dir.path()).is_err());
}

// ------------------------------------------------------- the shipped record

const Y2026: &str = "data/scenarios/us-china-lines-2026.toml";

fn y2026() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| load::load_scenario(Path::new(Y2026)).unwrap())
}

#[test]
fn the_shipped_annex_iii_is_a_floor_net_of_mfn() {
    let s = y2026();
    for id in ["s232-annex-iii", "s232-annex-iii-from-2026-06-08"] {
        let m = &s.regime().measures()[s.regime().index_of(id).unwrap()];
        assert!(m.is_net_of_base(), "{id}");
    }
}

#[test]
fn annex_iii_on_2026_05_01_owes_check_py_s_floor_net_of_mfn() {
    // data/lines/2026/check.py, "Annex III floor on 2026-05-01": the 80
    // lines whose longest metals-annex prefix is Annex III, $3,045,758,557
    // of 2024 value (the in-scope figure tests/content.rs holds), owe
    // Σ value × max(0, 15% − MFN) = $424,845,232.640 a year (13.9487% of
    // value, against $456,863,784 at a flat 15%); no line has an MFN of 15%
    // or more, none an MFN not valued. One day of 2026 is 1/365 of it:
    // $1,163,959.541479 → $1,163,959.54.
    let s = y2026();
    let e = engine::Prepared::new(s.baselines().to_vec(), s.regime().clone())
        .unwrap()
        .with_base_rates(s.base_rates().to_vec())
        .unwrap()
        .exposure(
            tariffsim::units::Window::new(
                "2026-05-01".parse().unwrap(),
                "2026-05-02".parse().unwrap(),
            )
            .unwrap(),
            Detail::Totals,
        )
        .unwrap();
    let floor = e
        .side("US", "CN")
        .unwrap()
        .measure("s232-annex-iii")
        .unwrap();
    assert_eq!(floor.valuation(), Valuation::Valued);
    assert_eq!(cents(floor.gross()), dec!(1_163_959.54));
}
