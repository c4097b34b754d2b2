//! Figures a finance team can sign: refunds as an account, net beside gross,
//! windows, no silent zero. Each figure is worked by hand beside it; a basket
//! of $365B a year accrues $1B a day.

use std::path::Path;

use rust_decimal::Decimal;
use tariffsim::load::{load_scenario, parse_scenario};
use tariffsim::report::{Amounts, EvaluationReport, exposure_csv, money_text, text_table};
use tariffsim::*;

use crate::common::*;

fn scenario(text: &str) -> Result<Scenario> {
    parse_scenario(text, Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// An error's text with the test folder left out of file names.
fn message(e: Error) -> String {
    e.to_string()
        .replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "")
}

fn shipped(name: &str) -> Scenario {
    load_scenario(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/scenarios")
            .join(name),
    )
    .unwrap()
}

/// A duty of `rate` on $100B from 2027-01-01, voided on 2027-07-01, then
/// `after`.
fn voided_in_2027(after: &str) -> String {
    format!(
        r#"
[scenario]
id = "void"
horizon = "2027-01-01..2028-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{{ key = "goods", value = "100000000000" }}]
[[measure]]
id = "emergency"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = {{ all = true }}
steps = [{{ from = "2027-01-01", rate = "25%" }}]
[[measure]]
id = "s122"
authority = "section-122"
imposer = "US"
target = "CN"
goods = {{ all = true }}
steps = [{{ from = "2027-09-01", rate = "50%", status = "announced" }}]
[[node]]
id = "court"
date = "2027-07-01"
[[node.branch]]
id = "void"
kind = "ruling"
probability = "1"
action = [{{ do = "void", target = "authority:ieepa", from = "2027-07-01" }}, {after}]
"#
    )
}

#[test]
fn a_voided_authority_cannot_collect_again_but_a_new_one_can() {
    // Raising the voided measure after the ruling is refused.
    let e = scenario(&voided_in_2027(
        r#"{ do = "raise", target = "emergency", from = "2027-09-01", rate = "50%" }"#,
    ))
    .unwrap_err();
    assert_eq!(
        message(e),
        "<text>: node \"court\", branch \"void\", action 2 (measure:emergency): measure \"emergency\" was voided on 2027-07-01, so its authority cannot collect after the ruling, but this action gives it 50% from 2027-09-01: impose a new measure under another authority instead"
    );
    // A Section 122 surcharge imposed instead is ordinary duty. Refundable:
    // 181 days (Jan-Jun) × 100B × 25% / 365 = $12,397,260,273.97; kept:
    // 122 days (Sep-Dec) × 100B × 50% / 365 = $16,712,328,767.12.
    let s = scenario(&voided_in_2027(
        r#"{ do = "impose", target = "s122", step = "2027-09-01" }"#,
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let side = e.paths()[0].side("US", "CN").unwrap();
    let cents = |a: Accrued| a.to_cents(Currency::USD).amount();
    assert_eq!(
        cents(side.refundable()),
        "12397260273.97".parse::<Decimal>().unwrap()
    );
    assert_eq!(
        cents(side.net()),
        "16712328767.12".parse::<Decimal>().unwrap()
    );
    assert_eq!(
        cents(side.gross()),
        "29109589041.10".parse::<Decimal>().unwrap()
    );
    assert!(side.measure("s122").unwrap().refundable().is_zero());
}

/// A duty at 25% on $365B in force since 2018-07-01 and voided on
/// 2019-06-01, reported over 2019.
const SINCE_2018: &str = r#"
[scenario]
id = "since-2018"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "goods", value = "365000000000" }]
[[measure]]
id = "emergency"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = { all = true }
steps = [{ from = "2018-07-01", rate = "25%" }]
[[node]]
id = "court"
date = "2019-06-01"
[[node.branch]]
id = "void"
kind = "ruling"
probability = "1"
action = [{ do = "void", target = "emergency", from = "2019-06-01" }]
"#;

#[test]
fn a_refund_counts_every_collection_since_the_first_day() {
    // Collected before 2019: 184 days (Jul-Dec 2018) × $1B × 25% = $46B.
    // In 2019, before the ruling: 151 days (Jan-May) × 0.25 = $37.75B.
    // Both are owed back; 2019's duty kept is 37.75 - 37.75 = 0.
    let s = scenario(SINCE_2018).unwrap();
    assert_eq!(s.history().start(), d("2018-07-01"));
    let e = s.evaluate(Detail::Totals).unwrap();
    let side = e.paths()[0].side("US", "CN").unwrap();
    assert_eq!(side.refundable_before().amount(), billions("46"));
    assert_eq!(side.refundable().amount(), billions("37.75"));
    assert_eq!(side.gross().amount(), billions("37.75"));
    assert!(side.net().is_zero());
    let report = EvaluationReport::new(&s, &e).unwrap();
    assert!(
        text_table(&report).contains(
            "  Refundable on US<-CN: $37.75B collected in the window, $46.00B before it\n"
        )
    );
    // The headline carries the $46B in a column of its own, and the CSV's
    // refundable_before column sums to it (it stands on January's row).
    let table = text_table(&report);
    let header = table.lines().find(|l| l.starts_with("Outcome")).unwrap();
    assert!(header.contains("Owed from before"), "{header}");
    let void = table.lines().find(|l| l.starts_with("void ")).unwrap();
    assert!(void.trim_end().ends_with("$46.00B"), "{void}");
    let csv = exposure_csv(&report, Amounts::Exact).unwrap();
    let mut rows = csv.lines();
    let columns: Vec<&str> = rows.next().unwrap().split(',').collect();
    let at = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let (before, interest) = (at("refundable_before"), at("refund_interest"));
    let mut sum = Decimal::ZERO;
    for row in rows {
        let fields: Vec<&str> = row.split(',').collect();
        sum += fields[before].parse::<Decimal>().unwrap();
        assert_eq!(fields[interest], "", "no interest rate is stated");
    }
    assert_eq!(sum, billions("46"));
}

#[test]
fn refunds_earn_simple_interest_to_the_day_of_payment() {
    // 10% on $365B from 2019-01-01 ($0.1B a day), voided 2019-01-11: ten
    // days collected, $1B owed back. Paid 2019-01-21 with 3.65% a year, i.e.
    // 0.01% a day in 2019: the collection of Jan 1 earns 20 days (to Jan
    // 20), Jan 2 19 days, ..., Jan 10 11 days: 20 + 19 + ... + 11 = 155
    // days, 0.1B × 0.0001 × 155 = $1,550,000.
    let text = r#"
[scenario]
id = "interest"
horizon = "2019-01-01..2020-01-01"
[refunds]
paid = "2019-01-21"
interest = [{ from = "2018-01-01", until = "2020-01-01", rate = "3.65%" }]
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "goods", value = "365000000000" }]
[[measure]]
id = "emergency"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = { all = true }
steps = [{ from = "2019-01-01", rate = "10%" }]
[[node]]
id = "court"
date = "2019-01-11"
[[node.branch]]
id = "void"
kind = "ruling"
probability = "1"
action = [{ do = "void", target = "emergency", from = "2019-01-11" }]
"#;
    let s = scenario(text).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    // With a rate stated, the reference (nothing voided) owes no interest:
    // zero, not "no rate stated".
    assert_eq!(
        e.reference().side("US", "CN").unwrap().refund_interest(),
        Some(Accrued::ZERO)
    );
    let side = e.paths()[0].side("US", "CN").unwrap();
    assert_eq!(side.refundable().amount(), billions("1"));
    assert_eq!(
        side.refund_interest()
            .unwrap()
            .to_cents(Currency::USD)
            .amount(),
        Decimal::from(1_550_000)
    );
    // Rates with a gap, or payment before the ruling, are refused.
    let gap = text.replace(
        r#"interest = [{ from = "2018-01-01", until = "2020-01-01", rate = "3.65%" }]"#,
        r#"interest = [{ from = "2018-01-01", until = "2019-01-05", rate = "3.65%" }, { from = "2019-01-06", until = "2020-01-01", rate = "3%" }]"#,
    );
    assert_eq!(
        message(scenario(&gap).unwrap_err()),
        "<text>, [refunds]: refund interest rates leave 2019-01-05..2019-01-06 without a rate: give every day a rate"
    );
    let early = text.replace(r#"paid = "2019-01-21""#, r#"paid = "2019-01-05""#);
    assert_eq!(
        message(scenario(&early).unwrap_err()),
        "<text>: node \"court\", branch \"void\", action 1 (measure:emergency), measure \"emergency\": refunds are paid on 2019-01-05, before the ruling of 2019-01-11 that makes them owed: pay them on or after it"
    );
}

#[test]
fn the_busan_deal_and_ruling_keeps_gross_less_refundable() {
    // busan-2025, deal then void: $84.02B of US duty accrues over the
    // horizon, $38.12B of it under IEEPA before the ruling, owed back; the
    // US keeps the difference, exactly (the rounded figures differ by
    // $45.90B; the exact difference rounds to $45.91B).
    let s = shipped("busan-2025.toml");
    let e = s.evaluate(Detail::Totals).unwrap();
    let side = e.path("deal/void").unwrap().side("US", "CN").unwrap();
    let usd = Currency::USD;
    assert_eq!(money_text(side.gross().amount(), usd), "$84.02B");
    assert_eq!(money_text(side.refundable().amount(), usd), "$38.12B");
    assert_eq!(
        side.net(),
        side.gross().checked_sub(side.refundable()).unwrap()
    );
    assert_eq!(money_text(side.net().amount(), usd), "$45.91B");
    // What IEEPA collected from 2025-02-04 to the horizon's start is owed
    // back as well, and shown apart.
    assert!(!side.refundable_before().is_zero());
    // The table leads with net duty and shows gross and refundable beside it.
    let table = text_table(&EvaluationReport::new(&s, &e).unwrap());
    let row = table.lines().find(|l| l.starts_with("deal/void ")).unwrap();
    assert!(row.contains("$45.91B"));
    assert!(row.contains("$38.12B"));
    assert!(row.contains("$84.02B"));
}

#[test]
fn every_shipped_scenario_reports_a_sub_window_of_its_history() {
    // Every file in data/scenarios: where 2026-01-01..2026-07-01 lies in its
    // history, each month's duty is the same as in the full evaluation
    // (window additivity); where it does not (G20, 2018-2020; the 2024
    // reconciliation year), the window is refused by name.
    let w = window("2026-01-01", "2026-07-01");
    let mut names: Vec<String> = std::fs::read_dir("data/scenarios")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let (mut narrowed, mut refused) = (0, 0);
    for name in &names {
        let s = shipped(name);
        if !(s.history().start() <= w.start() && w.end() <= s.history().end()) {
            let e = s.with_window(w).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "window 2026-01-01..2026-07-01 is outside the scenario's history {}: report a non-empty window inside it",
                    s.history()
                ),
                "{name}"
            );
            refused += 1;
            continue;
        }
        // The whole history as the window: it holds every month of `w`, also
        // where the horizon starts after `w` (the Busan expiry).
        let full = s
            .with_window(s.history())
            .unwrap()
            .evaluate(Detail::Totals)
            .unwrap();
        let part = s.with_window(w).unwrap().evaluate(Detail::Totals).unwrap();
        assert_eq!(part.window(), w, "{name}");
        assert_eq!(part.months().len(), 6, "{name}");
        let k = full
            .months()
            .iter()
            .position(|m| m.to_string() == "2026-01")
            .expect("the history holds the window's months");
        for (p, q) in full.paths().iter().zip(part.paths()) {
            for (a, b) in p.exposure().sides().iter().zip(q.exposure().sides()) {
                assert_eq!(&a.by_month()[k..k + 6], b.by_month(), "{name} {}", p.id());
            }
        }
        narrowed += 1;
    }
    // busan-2025, busan-expiry-2026, record-2018-2026, us-china-lines-2025
    // and -2026 reach 2026; g20-2018 and us-china-lines-2024 do not.
    assert_eq!((narrowed, refused), (5, 2), "{names:?}");
}

/// A US baseline, a measure and, in `extra`, what a test changes.
fn us_only(baseline: &str, measure_goods: &str, extra: &str) -> String {
    format!(
        r#"
[scenario]
id = "grain"
horizon = "2019-01-01..2020-01-01"
{extra}
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{baseline}]
[[measure]]
id = "m"
authority = "section-301"
imposer = "US"
target = "CN"
goods = {measure_goods}
steps = [{{ from = "2019-01-01", rate = "25%" }}]
"#
    )
}

#[test]
fn a_measure_the_grain_cannot_value_says_so_never_zero() {
    // A measure on HS 8471 over a baseline whose basket is chapter 84: the
    // chapter's value cannot say how much is 8471.
    let s = scenario(&us_only(
        r#"{ key = "84", value = "100" }"#,
        r#"{ hs = ["8471"] }"#,
        "",
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let side = e.paths()[0].side("US", "CN").unwrap();
    assert_eq!(
        side.measure("m").unwrap().valuation(),
        engine::Valuation::NotValued { baskets: 1 }
    );
    assert!(!side.is_complete());
    let report = EvaluationReport::new(&s, &e).unwrap();
    let table = text_table(&report);
    assert!(
        table
            .lines()
            .any(|l| l.trim_start().starts_with("m ") && l.contains("not valued"))
    );
    assert!(
        !table
            .lines()
            .any(|l| l.trim_start().starts_with("m ") && l.contains("$0.00"))
    );
    // The side has no other measure, so its totals are unknown too: the
    // headline says "not valued" rather than a $0.00 lower bound.
    let row = table
        .lines()
        .find(|l| l.starts_with("as-scheduled "))
        .unwrap();
    assert!(
        row.contains("not valued") && !row.contains("$0.00"),
        "{row}"
    );
    // In JSON its amounts are null, in the CSV empty: never 0.
    let json: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    let m = &json["paths"][0]["sides"][0]["measures"][0];
    assert_eq!(m["valuation"], "not-valued");
    for field in [
        "net",
        "gross",
        "refundable",
        "refundable_before",
        "by_month",
    ] {
        assert!(m[field].is_null(), "{field}: {}", m[field]);
    }
    assert!(json["sides"][0]["expected_by_measure"][0]["net"].is_null());
    // Across outcomes, the side's expected value and percentiles are
    // unknown too, and the JSON says so.
    let across = table
        .lines()
        .skip_while(|l| !l.starts_with("Across outcomes"))
        .find(|l| l.starts_with("US duties on goods from CN"))
        .unwrap();
    assert_eq!(across.matches("not valued").count(), 8, "{across}");
    assert_eq!(json["sides"][0]["complete"], false);
    assert_eq!(json["sides"][0]["nothing_valued"], true);
    let csv = exposure_csv(&report, Amounts::Exact).unwrap();
    for row in csv.lines().skip(1) {
        assert!(row.ends_with(",,,,,,not-valued"), "{row}");
    }
    assert_eq!(
        e.diagnostics()[0].to_string(),
        "US<-CN: measure \"m\" is not valued: the baseline's grain cannot show what it covers in 1 basket(s) (named or coarser than its HS codes; for an answer sized on value, what its triggers cover); give the side an HS-level baseline"
    );
}

#[test]
fn nested_baskets_are_refused_unless_the_baseline_says_which_holds_what() {
    // 8471 and 8471300100 in one baseline would count 40 twice (140 for
    // 100 of goods).
    let nested = r#"{ key = "8471", value = "100" }, { key = "8471300100", value = "40" }"#;
    assert_eq!(
        message(scenario(&us_only(nested, "{ all = true }", "")).unwrap_err()),
        "<text>, baseline \"US\"<-\"CN\": baseline US<-CN: basket 8471300100 lies inside basket 8471, so their values would be counted twice; keep one grain, or declare nested = \"residual\" if 8471 holds only what its finer baskets do not"
    );
    // Declared residual: 8471 holds the other 60, and 25% of 100 is 25.
    let residual = us_only(
        r#"{ key = "8471", value = "60" }, { key = "8471300100", value = "40" }"#,
        "{ all = true }",
        "",
    )
    .replace(
        "exporter = \"CN\"\nbasket",
        "exporter = \"CN\"\nnested = \"residual\"\nbasket",
    );
    let e = scenario(&residual)
        .unwrap()
        .evaluate(Detail::Totals)
        .unwrap();
    assert_eq!(
        e.paths()[0].side("US", "CN").unwrap().net().amount(),
        Decimal::from(25)
    );
}

#[test]
fn a_party_no_baseline_names_is_an_error_not_a_silent_zero() {
    // The baseline says "USA"; the measure says "US".
    let text = us_only(r#"{ key = "goods", value = "100" }"#, "{ all = true }", "")
        .replace("importer = \"US\"", "importer = \"USA\"");
    assert_eq!(
        message(scenario(&text).unwrap_err()),
        "<text>: measure \"m\" names party US, which no baseline has (baselines: USA<-CN): fix the party id or add a baseline"
    );
    // A direction with no baseline is an error unless declared not valued.
    let text = us_only(r#"{ key = "goods", value = "100" }"#, "{ all = true }", "")
        + "[[measure]]\nid = \"cn-m\"\nauthority = \"retaliation\"\nimposer = \"CN\"\ntarget = \"US\"\ngoods = { all = true }\nsteps = [{ from = \"2019-01-01\", rate = \"25%\" }]\n";
    assert_eq!(
        message(scenario(&text).unwrap_err()),
        "<text>: measure \"cn-m\" is imposed by CN on US, but no baseline has CN importing from US (baselines: US<-CN), so it cannot be valued: add a baseline CN<-US, or declare the direction not valued (not_valued = [\"CN<-US\"])"
    );
    let declared = text.replace(
        "horizon = \"2019-01-01..2020-01-01\"",
        "horizon = \"2019-01-01..2020-01-01\"\nnot_valued = [\"CN<-US\"]",
    );
    let e = scenario(&declared)
        .unwrap()
        .evaluate(Detail::Totals)
        .unwrap();
    assert_eq!(e.paths()[0].exposure().unvalued()[0].as_str(), "cn-m");
}

#[test]
fn accessors_given_an_unknown_side_name_the_sides_there_are() {
    let s = scenario(&us_only(
        r#"{ key = "goods", value = "100" }"#,
        "{ all = true }",
        "",
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(
        e.expected("us", "cn").unwrap_err().to_string(),
        "unknown side \"us<-cn\"; the sides are US<-CN"
    );
    assert_eq!(
        e.distribution("USA", "CN", Basis::Net)
            .unwrap_err()
            .to_string(),
        "unknown side \"USA<-CN\"; the sides are US<-CN"
    );
    assert_eq!(
        e.paths()[0].side("XX", "YY").unwrap_err().to_string(),
        "unknown side \"XX<-YY\"; the sides are US<-CN"
    );
}

#[test]
fn schedule_edits_say_what_happens_to_later_steps() {
    let two_steps = us_only(
        r#"{ key = "goods", value = "365000000000" }"#,
        "{ all = true }",
        "",
    )
    .replace(
        r#"steps = [{ from = "2019-01-01", rate = "25%" }]"#,
        r#"steps = [{ from = "2019-01-01", rate = "25%" }, { from = "2019-07-01", rate = "30%" }]"#,
    );
    let with = |action: &str| {
        format!(
            "{two_steps}[[node]]\nid = \"n\"\ndate = \"2019-01-01\"\n[[node.branch]]\nid = \"b\"\nkind = \"deal\"\nprobability = \"1\"\naction = [{action}]\n"
        )
    };
    // A cut before a scheduled step must say what becomes of it.
    assert_eq!(
        message(
            scenario(&with(
                r#"{ do = "cut", target = "m", from = "2019-04-01", rate = "10%" }"#
            ))
            .unwrap_err()
        ),
        "<text>: node \"n\", branch \"b\", action 1 (measure:m), measure \"m\": the cut on 2019-04-01 comes before scheduled steps (2019-07-01): say whether they still apply with then = \"keep-schedule\" or end with then = \"hold\""
    );
    let net = |action: &str| {
        scenario(&with(action))
            .unwrap()
            .evaluate(Detail::Totals)
            .unwrap()
            .paths()[0]
            .side("US", "CN")
            .unwrap()
            .net()
            .amount()
    };
    // Hold: 90 days at 25% then 275 at 10% = 22.5 + 27.5 = $50B. Keep the
    // schedule: 90 at 25%, 91 at 10% (Apr-Jun), 184 at 30% = 22.5 + 9.1 +
    // 55.2 = $86.8B.
    assert_eq!(
        net(r#"{ do = "cut", target = "m", from = "2019-04-01", rate = "10%", then = "hold" }"#),
        billions("50")
    );
    assert_eq!(
        net(
            r#"{ do = "cut", target = "m", from = "2019-04-01", rate = "10%", then = "keep-schedule" }"#
        ),
        billions("86.8")
    );
    // Postponing the 25% step past the 30% one is refused; shifting moves
    // both by 273 days (25% from 2019-10-01, 30% from 2020-03-30): 273
    // days at 0 and 92 at 25% in 2019 = $23B.
    assert_eq!(
        message(
            scenario(&with(
                r#"{ do = "postpone", target = "m", step = "2019-01-01", to = "2019-10-01" }"#
            ))
            .unwrap_err()
        ),
        "<text>: node \"n\", branch \"b\", action 1 (measure:m), measure \"m\": postponing the step of 2019-01-01 to 2019-10-01 would move it past the step of 2019-07-01: postpone to an earlier date, or shift the later steps too (shift-later = true)"
    );
    assert_eq!(
        net(
            r#"{ do = "postpone", target = "m", step = "2019-01-01", to = "2019-10-01", shift_later = true }"#
        ),
        billions("23")
    );
}

#[test]
fn path_ids_cannot_collide_or_take_the_reference_s_name() {
    let base = us_only(r#"{ key = "goods", value = "100" }"#, "{ all = true }", "");
    let tree = |branch: &str| {
        format!(
            "{base}[[node]]\nid = \"n\"\ndate = \"2019-01-01\"\n[[node.branch]]\nid = \"{branch}\"\nkind = \"deal\"\nprobability = \"1\"\n"
        )
    };
    assert_eq!(
        message(scenario(&tree("a/b")).unwrap_err()),
        "<text>: invalid branch \"a/b\": ids in an outcome tree cannot hold \"/\", which joins branch ids into path ids; use letters, digits, . _ - or :"
    );
    assert_eq!(
        message(scenario(&tree("as-scheduled")).unwrap_err()),
        "<text>: path id \"as-scheduled\" is the reference's (every measure as scheduled, no outcome applied): rename the branch"
    );
}

#[test]
fn duty_per_year_counts_a_leap_year_as_one_year() {
    // $366B a year at 10% over 2024 (366 days): $36.6B kept, and per year
    // the same $36.6B (a day is 1/366 of 2024), not 36.6 × 365 / 366.
    let s = scenario(
        r#"
[scenario]
id = "leap"
horizon = "2024-01-01..2025-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "goods", value = "366000000000" }]
[[measure]]
id = "m"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { all = true }
steps = [{ from = "2024-01-01", rate = "10%" }]
"#,
    )
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let report = EvaluationReport::new(&s, &e).unwrap();
    let side = &report.reference.sides[0];
    assert_eq!(side.net, billions("36.6"));
    assert_eq!(side.net_per_year, billions("36.6"));
    let s = s.with_window(window("2024-01-01", "2024-07-01")).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let report = EvaluationReport::new(&s, &e).unwrap();
    let side = &report.reference.sides[0];
    // 182 days of 2024 = 182/366 of a year: $18.2B kept, $36.6B per year.
    assert_eq!(side.net, billions("18.2"));
    assert_eq!(side.net_per_year, billions("36.6"));
}

/// `x` at `scale` (at least its own) as an integer: `x × 10^scale`.
fn at_scale(x: Decimal, scale: u32) -> num_bigint::BigInt {
    num_bigint::BigInt::from(x.mantissa()) * num_bigint::BigInt::from(10u8).pow(scale - x.scale())
}

#[test]
fn the_expected_duty_by_measure_is_the_probability_weighted_sum_over_paths() {
    // Per measure, Σ over paths of the path's probability times the
    // measure's gross, refundable and net duty (zero where the path lacks
    // the measure), worked exactly on integers here; every shipped
    // scenario's sums fit a Decimal at their largest scale, so the
    // engine's figure is that sum exactly. Busan's ruling voids measures on
    // some paths, and its paths repeat most measures' figures, which the
    // engine adds up by weight first.
    let mut measures = 0;
    for name in [
        "busan-2025",
        "busan-expiry-2026",
        "g20-2018",
        "record-2018-2026",
        "us-china-lines-2025",
    ] {
        let s = shipped(&format!("{name}.toml"));
        let e = s.evaluate(Detail::Totals).expect("evaluates");
        for (importer, exporter) in e.sides() {
            let (i, x) = (importer.as_str(), exporter.as_str());
            for (id, figures) in e.expected_by_measure(i, x).expect("a side") {
                let terms: Vec<(Decimal, [Decimal; 3])> = e
                    .paths()
                    .iter()
                    .map(|p| {
                        let m = p.side(i, x).expect("a side").measure(id.as_str());
                        let f = m.map_or([Decimal::ZERO; 3], |m| {
                            [m.gross(), m.refundable(), m.net()].map(|a| a.units())
                        });
                        (p.probability(), f)
                    })
                    .collect();
                let got = [figures.gross, figures.refundable, figures.net];
                for (k, got) in got.iter().enumerate() {
                    let scale = terms
                        .iter()
                        .map(|(p, f)| p.scale() + f[k].scale())
                        .max()
                        .unwrap_or(0);
                    let sum: num_bigint::BigInt = terms
                        .iter()
                        .map(|(p, f)| {
                            at_scale(*p, p.scale())
                                * at_scale(f[k], f[k].scale())
                                * num_bigint::BigInt::from(10u8)
                                    .pow(scale - p.scale() - f[k].scale())
                        })
                        .sum();
                    assert_eq!(got.units().scale(), scale, "{name} {id}");
                    assert_eq!(at_scale(got.units(), scale), sum, "{name} {id}");
                }
                measures += 1;
            }
        }
    }
    assert!(measures > 50, "{measures} measures checked");
}
