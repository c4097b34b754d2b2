//! Product exclusions whose end a branch can move: the duty on the excluded
//! lines is a measure of its own, due from the day the exclusions end, and
//! an extension postpones that day (the Section 301 exclusions of the
//! shipped line-level record).

use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tariffsim::*;

/// Two lines of $3,650 a year ($10 a day): 8471.30.01.00 on the list, and
/// 8473.30.51.00 on the list but excluded. The horizon 2026-11-01..
/// 2026-12-01 is 30 days: 9 before the exclusions end on 2026-11-10, 21
/// after.
const TEXT: &str = r#"[scenario]
id = "exclusions"
horizon = "2026-11-01..2026-12-01"

[[baseline]]
importer = "US"
exporter = "CN"
file = "b.csv"
key_column = "hts10"

[[measure]]
id = "list"
authority = "section-301"
layer = "section-301"
imposer = "US"
target = "CN"
goods = { hs = ["8471", "8473"] }
steps = [{ from = "2019-09-01", rate = "25%" }]
exclusions = [{ goods = { hs = ["8473305100"] } }]

[[measure]]
id = "list-excluded-lines"
authority = "section-301"
layer = "section-301"
imposer = "US"
target = "CN"
goods = { hs = ["8471", "8473"] }
steps = [{ from = "2026-11-10", rate = "25%" }]

[[stacking]]
id = "list-over-its-excluded-lines"
kind = "exclusive"
over = ["list"]
excluded = ["list-excluded-lines"]

[[node]]
id = "expiry"
label = "The exclusions expire"
date = "2026-11-10"

[[node.branch]]
id = "lapse"
label = "They end"
kind = "collapse"
probability = "0.5"

[[node.branch]]
id = "extend"
label = "They are extended a year"
kind = "truce"
probability = "0.5"
action = [{ do = "postpone", target = "list-excluded-lines", step = "2026-11-10", to = "2027-11-10" }]
"#;

fn cents(a: Accrued) -> Decimal {
    a.to_cents(Currency::USD).amount()
}

#[test]
fn an_extension_on_a_branch_moves_the_end_of_an_exclusion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.csv"),
        "hts10,value\n8471300100,3650\n8473305100,3650\n",
    )
    .unwrap();
    let s = load::parse_scenario(TEXT, dir.path()).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let duty = |path: &str, id: &str| {
        let side = e.path(path).unwrap().exposure().side("US", "CN").unwrap();
        cents(side.measure(id).unwrap().gross())
    };
    // The listed line pays 25% all 30 days on both paths: $10 × 30 × 25% = $75.
    assert_eq!(duty("lapse", "list"), dec!(75.00));
    assert_eq!(duty("extend", "list"), dec!(75.00));
    // The excluded line: free for 9 days, then 25% for 21 days: $52.50;
    // the exclusion extended, nothing in the window.
    assert_eq!(duty("lapse", "list-excluded-lines"), dec!(52.50));
    assert_eq!(duty("extend", "list-excluded-lines"), dec!(0));
}

#[test]
fn the_shipped_truce_extension_extends_the_section_301_exclusions() {
    let s = load::load_scenario(Path::new("data/scenarios/us-china-lines-2026.toml")).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let ids = [
        "list-1-excluded-lines",
        "list-2-excluded-lines",
        "list-3-excluded-lines",
        "list-3-addl-excluded-lines",
        "list-4a-excluded-lines",
    ];
    let on = |path: &str| {
        let side = e.path(path).unwrap().exposure().side("US", "CN").unwrap();
        ids.iter()
            .map(|id| side.measure(id).unwrap().gross().amount())
            .sum::<Decimal>()
    };
    // Extended: the excluded lines pay no list duty through the horizon
    // (2027-01-01). After snap-back or escalation the exclusions end on
    // 2026-11-10 as scheduled, the same on both: the 52 days to 2027-01-01
    // of the list rate on the 144 excluded lines, $827,376,283.86, which is
    // what the extension path's total moved by when the extension was added
    // (the snap-back and escalation totals did not move: the duty on the
    // excluded lines only changed measure). Not recomputed outside the
    // crate: bounded below.
    assert_eq!(on("ieepa-void/extension"), Decimal::ZERO);
    let lapse = on("ieepa-void/snap-back");
    assert_eq!(lapse, on("ieepa-void/escalation"));
    assert_eq!(lapse.round_dp(2), dec!(827_376_283.86));
    // At most 25% of the excluded lines' 2024 value for 52 days: the 142
    // lines with value carry $27,912,925,865 (data/lines/2026/README.md).
    assert!(lapse < dec!(27_912_925_865) * dec!(0.25) * dec!(52) / dec!(365));
}
