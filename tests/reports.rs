//! reports tests: the table, CSV, JSON and SVG of the G20 2018 scenario, with
//! figures worked by hand (docs/DOMAIN.md worked numbers 2, 3 and 5; the list
//! values are reference section A, the 2017 totals section J).

use std::path::Path;

use rust_decimal::Decimal;
use tariffsim::load::{load_scenario, parse_scenario};
use tariffsim::report::*;
use tariffsim::{Detail, Scenario};

fn g20() -> Scenario {
    load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/g20-2018.toml"))
        .unwrap()
}

fn report_of(s: &Scenario) -> EvaluationReport {
    EvaluationReport::new(s, &s.evaluate(Detail::Totals).unwrap()).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The whitespace-separated cells of the first table line that is `first`
/// followed by a space, after an indent of at most four spaces (deeper
/// lines are group headings).
fn row<'a>(table: &'a str, first: &str) -> Vec<&'a str> {
    table
        .lines()
        .find(|l| {
            let rest = l.trim_start();
            l.len() - rest.len() <= 4 && rest.starts_with(&format!("{first} "))
        })
        .unwrap_or_else(|| panic!("no row {first:?} in\n{table}"))
        .split_whitespace()
        .collect()
}

#[test]
fn g20_table_rows_hold_the_hand_worked_figures() {
    let table = text_table(&report_of(&g20()));
    // Columns: outcome, probability, then per side duty, effective rate and
    // change against the reference, every measure as scheduled (US 12.5 + 200 × 25% = $62.5B; CN
    // 34 × 25% + 16 × 25% + 60 × 10% = $18.5B, no answer to a threat).
    //
    // Truce extended: 0.6 × 0.7 = 42%. US: List 3 stays at 10% all year:
    // 12.5 + 20 = $32.5B; 32.5 / 505.6 = 6.428%; 32.5 - 62.5 = -$30B.
    assert_eq!(
        row(&table, "truce/extended"),
        [
            "truce/extended",
            "42.00%",
            "$32.50B",
            "$32.50B",
            "6.43%",
            "-$30.00B",
            "$18.50B",
            "$18.50B",
            "14.19%",
            "$0.00"
        ]
    );
    // Truce lapses: 0.6 × 0.3 = 18%. US: worked number 2, $57,568,493,150.68;
    // over 505.6: 11.386%; minus 62.5: -$4.93B. CN: 18.5 / 130.4 = 14.187%.
    assert_eq!(
        row(&table, "truce/lapses"),
        [
            "truce/lapses",
            "18.00%",
            "$57.57B",
            "$57.57B",
            "11.39%",
            "-$4.93B",
            "$18.50B",
            "$18.50B",
            "14.19%",
            "$0.00"
        ]
    );
    // No deal: 30%. US: 12.5 + 50 + 255.6 × 25% = $126.4B, 126.4 / 505.6 =
    // 25%, +$63.9B. CN: 18.5 + 20.4 × 25% = $23.6B with the $20.4B cap
    // (worked number 5); 23.6 / 130.4 = 18.098%; +$5.1B.
    assert_eq!(
        row(&table, "no-deal"),
        [
            "no-deal", "30.00%", "$126.40B", "$126.40B", "25.00%", "+$63.90B", "$23.60B",
            "$23.60B", "18.10%", "+$5.10B"
        ]
    );
    // Deal: 10%. List 3 at 10% for the 90 days to 2019-04-01: 12.5 + 200 ×
    // 0.1 × 90 / 365 = $17.43B (3.448%); CN: 12.5 + 60 × 0.1 × 90 / 365 =
    // $13.98B (10.720%); changes -45.07 and -4.52.
    assert_eq!(
        row(&table, "deal"),
        [
            "deal", "10.00%", "$17.43B", "$17.43B", "3.45%", "-$45.07B", "$13.98B", "$13.98B",
            "10.72%", "-$4.52B"
        ]
    );
    assert_eq!(
        row(&table, "as-scheduled"),
        [
            "as-scheduled",
            "reference",
            "$62.50B",
            "$62.50B",
            "12.36%",
            "-",
            "$18.50B",
            "$18.50B",
            "14.19%",
            "-"
        ]
    );
}

#[test]
fn a_named_reference_path_takes_the_status_quo_s_place() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios");
    let text = std::fs::read_to_string(dir.join("g20-2018.toml"))
        .unwrap()
        .replace(
            "horizon = \"2019-01-01..2020-01-01\"",
            "horizon = \"2019-01-01..2020-01-01\"\nreference = \"no-deal\"",
        );
    let report = report_of(&parse_scenario(&text, &dir).unwrap());
    assert!(report.reference_is_path());
    let table = text_table(&report);
    assert!(table.contains("(net of refunds; change against no-deal)\n"));
    // Truce extended against no deal: 32.5 - 126.4 = -$93.9B; 18.5 - 23.6 = -$5.1B.
    assert_eq!(
        row(&table, "truce/extended"),
        [
            "truce/extended",
            "42.00%",
            "$32.50B",
            "$32.50B",
            "6.43%",
            "-$93.90B",
            "$18.50B",
            "$18.50B",
            "14.19%",
            "-$5.10B"
        ]
    );
    assert_eq!(
        row(&table, "no-deal"),
        [
            "no-deal", "30.00%", "$126.40B", "$126.40B", "25.00%", "-", "$23.60B", "$23.60B",
            "18.10%", "-"
        ]
    );
    assert!(!table.contains("as-scheduled"));
    assert!(!exposure_svg(&report).contains("as scheduled (reference)"));
}

#[test]
fn g20_table_columns_line_up() {
    let table = text_table(&report_of(&g20()));
    let lines: Vec<&str> = table.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("Outcome "))
        .unwrap();
    // The US duty column is right-aligned: each cell ends where "Net duty" ends.
    let end = lines[header].find("Net duty").unwrap() + "Net duty".len();
    for (line, duty) in lines[header + 1..]
        .iter()
        .zip(["$32.50B", "$57.57B", "$126.40B", "$17.43B", "$62.50B"])
    {
        assert_eq!(line.find(duty).map(|i| i + duty.len()), Some(end), "{line}");
    }
    // The group heading sits over the first US column.
    let group = lines[header - 1];
    let duty_start = lines[header + 3].find("$126.40B").unwrap();
    assert_eq!(group.find("US duties on goods from CN"), Some(duty_start));
}

#[test]
fn g20_table_states_assumptions_answers_and_the_distribution() {
    let s = g20();
    let table = text_table(&report_of(&s));
    for a in &s.info().assumptions {
        assert!(
            table.contains(&format!("  - {a}\n")),
            "assumption missing: {a}"
        );
    }
    // The answer to the $255.6B list asked for $255.6B a year and covered
    // the $20.4B China does not yet tax (130.4 - 110).
    // It follows its trigger (the default policy), from its first day at 25%.
    let answers = &table[table.find("  Retaliation answers").unwrap()..];
    assert_eq!(
        row(answers, "cn-value-match:list-4-threat"),
        [
            "cn-value-match:list-4-threat",
            "list-4-threat",
            "follow",
            "2019-01-01",
            "25.00%",
            "25.00%",
            "$255.60B",
            "$20.40B",
            "capped"
        ]
    );
    // Expected US duty: 0.42 × 32.5 + 0.18 × 57.5684931… + 0.3 × 126.4 +
    // 0.1 × 17.4315068… = 13.65 + 10.3623288 + 37.92 + 1.7431507 = $63.675B;
    // over 505.6: 12.594%; minus 62.5: +$1.18B. Sorted totals 17.43 (0.1),
    // 32.5 (0.52), 57.57 (0.70), 126.4 (1.0): P10 17.43, median 32.5, P90 126.4.
    assert_eq!(
        row(&table, "US duties on goods from CN"),
        [
            "US", "duties", "on", "goods", "from", "CN", "$63.68B", "12.59%", "+$1.18B", "$17.43B",
            "$17.43B", "$32.50B", "$126.40B", "$126.40B"
        ]
    );
    // Expected CN duty: 0.6 × 18.5 + 0.3 × 23.6 + 0.1 × 13.9794521 = 11.1 +
    // 7.08 + 1.3979452 = $19.578B (15.014%, +$1.08B); median 18.5, P90 23.6.
    assert_eq!(
        row(&table, "CN duties on goods from US"),
        [
            "CN", "duties", "on", "goods", "from", "US", "$19.58B", "15.01%", "+$1.08B", "$13.98B",
            "$13.98B", "$18.50B", "$23.60B", "$23.60B"
        ]
    );
    // Expected List 4 duty: 0.3 × 63.9 = $19.17B, net and gross alike (no
    // ruling voids it).
    let expected = &table[table.find("Expected duty by measure").unwrap()..];
    assert_eq!(
        row(expected, "list-4-threat"),
        ["list-4-threat", "$19.17B", "$19.17B"]
    );
    assert!(!table.contains("Refundable"), "no path voids an authority");
}

/// A court ruling voids an IEEPA duty on $365B (a billion a day) from
/// 2025-07-01; the other branch carries a purchase commitment.
const RULING: &str = r#"
[scenario]
id = "ruling"
title = "Ruling on an emergency duty"
horizon = "2025-01-01..2026-01-01"
assumptions = ["Even odds on the ruling."]

[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "goods", value = "365000000000" }]

[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "soybeans", value = "10000000000" }]

[[measure]]
id = "fentanyl"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = { baskets = ["goods"] }
steps = [{ from = "2025-01-01", rate = "20%" }]

[[node]]
id = "court"
label = "Supreme Court ruling"
date = "2025-01-01"

[[node.branch]]
id = "upheld"
label = "Upheld"
kind = "ruling"
probability = "0.5"
commitment = [{ buyer = "CN", description = "soybeans", annual_value = "36500000000", from = "2025-01-01", until = "2026-01-01" }]

[[node.branch]]
id = "struck"
label = "Struck down from 2025-07-01"
kind = "ruling"
probability = "0.5"
action = [{ do = "void", target = "fentanyl", from = "2025-07-01" }]
"#;

#[test]
fn a_voided_authority_shows_its_refundable_duty() {
    let s = parse_scenario(RULING, Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let report = report_of(&s);
    let table = text_table(&report);
    // With a voiding path the outcome table grows Refundable and Gross
    // columns per side, after net duty, net per year, effective rate and the
    // change against the reference (as scheduled: $73B, no ruling). China's
    // side has no duty: 0% of its $10B. Upheld: 365 days × $1B × 20% = $73B
    // kept (20%), nothing refundable. Struck: 181 days (Jan 1 to Jun 30) ×
    // $1B × 20% = $36.2B gross, all of it refundable, so the US keeps $0:
    // 0 - 73 = -$73B against the reference.
    assert_eq!(
        row(&table, "upheld"),
        [
            "upheld", "50.00%", "$73.00B", "$73.00B", "20.00%", "$0.00", "$0.00", "$73.00B",
            "$0.00", "$0.00", "0.00%", "$0.00", "$0.00", "$0.00"
        ]
    );
    assert_eq!(
        row(&table, "struck"),
        [
            "struck", "50.00%", "$0.00", "$0.00", "0.00%", "-$73.00B", "$36.20B", "$36.20B",
            "$0.00", "$0.00", "0.00%", "$0.00", "$0.00", "$0.00"
        ]
    );
    assert!(table.contains(
        "  Voided: fentanyl (ruling 2025-07-01); everything it collected up to the ruling is owed back\n"
    ));
    assert!(
        table
            .contains("  Refundable on US<-CN: $36.20B collected in the window, $0.00 before it\n")
    );
    // $36.5B a year over the whole of 2025.
    assert!(table.contains("  Commitment: CN buys $36.50B within the window (soybeans)\n"));
    let struck = &report.paths[1].sides[0];
    assert_eq!(struck.refundable, dec("36200000000"));
    // The CSV's refundable column holds each month's duty: 31 days of
    // January × $1B × 20% = $6.2B gross, all refundable, 0 kept; after the
    // ruling nothing. Nothing was collected before the window (the measure
    // starts on its first day), so refundable_before is 0 on January's row;
    // no interest rate is stated, so refund_interest is empty.
    let csv = exposure_csv(&report, Amounts::Exact).unwrap();
    assert!(csv.contains("\nstruck,0.5,US,CN,USD,fentanyl,ieepa,fentanyl,,2025-01,31,31000000000,6200000000,6200000000,0,0,,valued\n"));
    assert!(csv.contains(
        "\nstruck,0.5,US,CN,USD,fentanyl,ieepa,fentanyl,,2025-07,31,31000000000,0,0,0,0,,valued\n"
    ));
    assert!(csv.contains(
        "\nupheld,0.5,US,CN,USD,fentanyl,ieepa,fentanyl,,2025-01,31,31000000000,6200000000,0,6200000000,0,,valued\n"
    ));
}

#[test]
fn exposure_csv_reads_back_into_the_documented_columns() {
    let report = report_of(&g20());
    let text = exposure_csv(&report, Amounts::Exact).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        EXPOSURE_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 4 paths × 7 measures (4 US, 3 CN) + the no-deal answer, × 12 months.
    assert_eq!(rows.len(), (4 * 7 + 1) * 12);
    let col = |name: &str| EXPOSURE_COLUMNS.iter().position(|c| *c == name).unwrap();
    let pick = |path: &str, importer: &str, measure: &str| -> Vec<&csv::StringRecord> {
        rows.iter()
            .filter(|r| {
                &r[col("path")] == path
                    && &r[col("importer")] == importer
                    && &r[col("measure")] == measure
            })
            .collect()
    };
    // List 3 on the lapsed truce: 200B × (60 × 0.10 + 305 × 0.25) / 365 =
    // 45,068,493,150.684931…, the months adding up to it to far below a
    // cent (each is exact to 28 significant digits; worked number 2).
    let list3 = pick("truce/lapses", "US", "list-3");
    assert_eq!(list3.len(), 12);
    let sum: Decimal = list3.iter().map(|r| dec(&r[col("net")])).sum();
    assert_eq!(sum.round_dp(12), dec("45068493150.684931506849"));
    assert_eq!(sum.round_dp(2), dec("45068493150.68"));
    // February: 28 days at 10%: 200B × 0.1 × 28 / 365 = 1,534,246,575.34…
    assert_eq!(&list3[1][col("month")], "2019-02");
    assert_eq!(&list3[1][col("days")], "28");
    assert_eq!(
        dec(&list3[1][col("gross")]).round_dp(2),
        dec("1534246575.34")
    );
    // The days of the months add up to the 365 of the horizon.
    let days: i64 = list3
        .iter()
        .map(|r| r[col("days")].parse::<i64>().unwrap())
        .sum();
    assert_eq!(days, 365);
    // Every row of a side adds up to the side's total: 126.4B on no deal.
    let us: Decimal = rows
        .iter()
        .filter(|r| &r[col("path")] == "no-deal" && &r[col("importer")] == "US")
        .map(|r| dec(&r[col("gross")]))
        .sum();
    assert_eq!(us.round_dp(12), dec("126400000000"));
    // The answer measure names the rule that made it; 20.4B × 25% / 12 months
    // of 2019 is not even, but the year adds to 5.1B.
    let answer = pick("no-deal", "CN", "cn-value-match:list-4-threat");
    assert!(
        answer
            .iter()
            .all(|r| &r[col("origin_rule")] == "cn-value-match")
    );
    let cn: Decimal = answer.iter().map(|r| dec(&r[col("gross")])).sum();
    assert_eq!(cn.round_dp(12), dec("5100000000"));
    // Plain decimals: no separators, no symbols.
    assert!(rows.iter().all(|r| !r[col("gross")].contains([',', '$'])));
}

#[test]
fn timeline_csv_has_a_row_per_day_per_side() {
    let s = g20();
    let text = timeline_csv(&s.timeline("truce/lapses").unwrap()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["date", "side", "section-301", "cn-retaliation", "total"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 365 days × 2 sides.
    assert_eq!(rows.len(), 730);
    let on = |date: &str, side: &str| {
        rows.iter()
            .find(|r| &r[0] == date && &r[1] == side)
            .unwrap()
    };
    // 2019-03-01: Lists 1-2 at 25% and List 3 at 10%: 32.5B / 505.6B.
    let before = dec(&on("2019-03-01", "US<-CN")[4]);
    assert_eq!(
        before.round_dp(20),
        (dec("32.5") / dec("505.6")).round_dp(20)
    );
    // 2019-03-02: List 3 at 25%: 62.5B / 505.6B.
    let after = dec(&on("2019-03-02", "US<-CN")[4]);
    assert_eq!(
        after.round_dp(20),
        (dec("62.5") / dec("505.6")).round_dp(20)
    );
    // China's side has no Section 301 layer: 0; its answers 18.5B / 130.4B.
    let cn = on("2019-03-02", "CN<-US");
    assert_eq!(&cn[2], "0");
    assert_eq!(
        dec(&cn[3]).round_dp(20),
        (dec("18.5") / dec("130.4")).round_dp(20)
    );
}

#[test]
fn timeline_csv_refuses_a_layer_named_like_a_column() {
    let t = tariffsim::engine::Timeline {
        importer: "US".parse().unwrap(),
        exporter: "CN".parse().unwrap(),
        layers: vec!["total".parse().unwrap()],
        pieces: vec![],
        base: None,
    };
    assert_eq!(
        timeline_csv(std::slice::from_ref(&t))
            .unwrap_err()
            .to_string(),
        "layer \"total\" clashes with a timeline csv column: rename the layer"
    );
    // `mfn` is a column only where a side has base rates.
    let mfn = tariffsim::engine::Timeline {
        layers: vec!["mfn".parse().unwrap()],
        ..t
    };
    assert!(timeline_csv(std::slice::from_ref(&mfn)).is_ok());
    let with_base = tariffsim::engine::Timeline {
        base: Some(tariffsim::TimelineBase {
            source: "schedule".into(),
            currency: tariffsim::Currency::USD,
            partly_valued: Default::default(),
            missing: Default::default(),
        }),
        ..mfn
    };
    assert_eq!(
        timeline_csv(&[with_base]).unwrap_err().to_string(),
        "layer \"mfn\" clashes with a timeline csv column: rename the layer"
    );
}

#[test]
fn json_round_trips_into_an_equal_report() {
    let report = report_of(&g20());
    let json = report.to_json().unwrap();
    let back: EvaluationReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert_eq!(EvaluationReport::from_json(&json).unwrap(), report);
    // Identity, horizon, and decimals as strings (worked number 2, exact).
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["scenario"]["id"], "g20-2018");
    assert_eq!(
        v["scenario"]["title"],
        "G20 Buenos Aires, 2018-12-01: truce, no deal, or rollback"
    );
    assert_eq!(v["horizon"], "2019-01-01..2020-01-01");
    assert_eq!(v["paths"][1]["id"], "truce/lapses");
    assert_eq!(v["paths"][1]["probability"], "0.18");
    assert_eq!(
        v["paths"][1]["sides"][0]["net"],
        "57568493150.684931506849315068"
    );
    assert_eq!(v["paths"][2]["answers"][0]["covered"], "20400000000");
    assert_eq!(v["decisions"][1]["date"], "2019-02-24");
    assert_eq!(v["reference"]["id"], "as-scheduled");
}

#[test]
fn json_errors_name_what_does_not_read() {
    assert_eq!(
        EvaluationReport::from_json("{}").unwrap_err().to_string(),
        "invalid report json: missing field `scenario` at line 1 column 2"
    );
    let mut v: serde_json::Value =
        serde_json::from_str(&report_of(&g20()).to_json().unwrap()).unwrap();
    v["paths"][0]["probability"] = "0.4x".into();
    let e = EvaluationReport::from_json(&v.to_string())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("invalid report json: \"0.4x\": "), "{e}");
}

#[test]
fn timeline_chart_draws_a_line_per_path_and_side_with_decision_dates() {
    let s = g20();
    let svg = timeline_svg(&report_of(&s), &path_timelines(&s).unwrap());
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>\n"));
    // 4 paths × 2 sides.
    assert_eq!(svg.matches("<polyline").count(), 8);
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    // The summit precedes the 2019 horizon; the truce deadline is inside it.
    assert!(svg.contains("Decided before the horizon: 2018-12-01 G20 summit, Buenos Aires"));
    assert!(svg.contains(">2019-02-24 Truce deadline</text>"));
    // Side labels are escaped, never a raw "<-".
    assert!(svg.contains(">US duties on goods from CN</text>"));
    assert!(!svg.contains("<-"));
    // Axis labels come from decimals: the US no-deal line tops at 25%.
    assert!(svg.contains(">25%</text>"));
    for p in [
        "truce/extended (42.00%)",
        "truce/lapses (18.00%)",
        "no-deal (30.00%)",
        "deal (10.00%)",
    ] {
        assert!(svg.contains(p), "legend misses {p}");
    }
}

#[test]
fn exposure_chart_draws_a_bar_per_path_and_side_with_probabilities() {
    let svg = exposure_svg(&report_of(&g20()));
    assert!(svg.starts_with("<svg"));
    // A background, then (4 paths + the as-scheduled reference) × 2 sides.
    assert_eq!(svg.matches("<rect").count(), 1 + 5 * 2);
    assert!(svg.contains(">no-deal (30.00%)</text>"));
    assert!(svg.contains(">$126.40B</text>"));
    assert!(svg.contains(">expected $63.68B</text>"));
    assert!(svg.contains(">as scheduled (reference)</text>"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (a, b) = (g20(), g20());
    let (ra, rb) = (report_of(&a), report_of(&b));
    assert_eq!(text_table(&ra), text_table(&rb));
    assert_eq!(
        exposure_csv(&ra, Amounts::Exact).unwrap(),
        exposure_csv(&rb, Amounts::Exact).unwrap()
    );
    assert_eq!(ra.to_json().unwrap(), rb.to_json().unwrap());
    assert_eq!(exposure_svg(&ra), exposure_svg(&rb));
    assert_eq!(
        timeline_svg(&ra, &path_timelines(&a).unwrap()),
        timeline_svg(&rb, &path_timelines(&b).unwrap())
    );
    assert_eq!(
        timeline_svg(&ra, &with_reference(&a)),
        timeline_svg(&rb, &with_reference(&b))
    );
    assert_eq!(
        timeline_csv(&a.timeline("deal").unwrap()).unwrap(),
        timeline_csv(&b.timeline("deal").unwrap()).unwrap()
    );
}

#[test]
fn a_narrower_horizon_reevaluates() {
    // The first half of 2019 (181 days) on the lapsed truce: Lists 1-2 at
    // 25% all along, List 3 at 10% for 60 days and 25% for the 121 from
    // 2019-03-02: (12.5 × 181 + 200 × (6 + 30.25)) / 365 = 9512.5 / 365 =
    // $26,061,643,835.616…
    let s = g20()
        .with_window("2019-01-01..2019-07-01".parse().unwrap())
        .unwrap();
    let report = report_of(&s);
    assert_eq!(report.months.len(), 6);
    assert_eq!(report.days, 181);
    assert_eq!(
        report.paths[1].sides[0].net.round_dp(2),
        dec("26061643835.62")
    );
    assert!(text_table(&report).contains(
        "window 2019-01-01..2019-07-01 (181 days; the scenario's horizon is 2019-01-01..2020-01-01)"
    ));
}

#[test]
fn exposure_csv_in_cents_adds_up_and_counts_imports_once() {
    // Cents: list 3 on the lapsed truce, 45,068,493,150.684931… exact
    // (worked number 2), rounds to 45,068,493,150.68, and its twelve months
    // in cents add up to exactly that. The side's imports stand once per
    // month, so the column sums to the side's imports over the year (to the
    // cent), not to that times its number of measures.
    let report = report_of(&g20());
    let text = exposure_csv(&report, Amounts::Cents).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |name: &str| EXPOSURE_COLUMNS.iter().position(|c| *c == name).unwrap();
    let of = |path: &str, importer: &str| -> Vec<&csv::StringRecord> {
        rows.iter()
            .filter(|r| &r[col("path")] == path && &r[col("importer")] == importer)
            .collect()
    };
    let list3: Decimal = of("truce/lapses", "US")
        .iter()
        .filter(|r| &r[col("measure")] == "list-3")
        .map(|r| dec(&r[col("net")]))
        .sum();
    assert_eq!(list3, dec("45068493150.68"));
    for r in &rows {
        for c in ["gross", "refundable", "net"] {
            let cell = &r[col(c)];
            assert!(
                cell.split('.').nth(1).is_none_or(|d| d.len() == 2),
                "{cell}"
            );
        }
    }
    let imports: Decimal = of("truce/lapses", "US")
        .iter()
        .map(|r| &r[col("side_import_value")])
        .filter(|cell| !cell.is_empty())
        .map(dec)
        .sum();
    let side = report
        .paths
        .iter()
        .find(|p| p.id == "truce/lapses")
        .unwrap();
    assert_eq!(imports, side.sides[0].import_value.round_dp(2));
}

fn busan() -> Scenario {
    load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/busan-2025.toml"))
        .unwrap()
}

/// Every path's timeline and the reference's.
fn with_reference(s: &Scenario) -> Vec<PathTimelines> {
    let mut all = path_timelines(s).unwrap();
    all.push(reference_timeline(s).unwrap());
    all
}

/// The text content of every `<text>` element, in order.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("ill-formed: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn timeline_chart_draws_shared_history_once_the_reference_dashed_and_its_sources() {
    let s = busan();
    let report = report_of(&s);
    let svg = timeline_svg(&report, &with_reference(&s));
    // Per side: the shared history once, 6 paths, the reference.
    assert_eq!(svg.matches("<polyline").count(), 2 * (1 + 6 + 1));
    assert_eq!(
        svg.matches("<title>shared history, 2025-10-01..").count(),
        2
    );
    // The reference: black, dashed, named in the legend and at its ends.
    assert_eq!(
        svg.matches("stroke=\"#111111\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>as scheduled (reference)</title>")
            .count(),
        2
    );
    let t = texts(&svg);
    assert!(t.iter().any(|x| x == "as scheduled (reference)"), "{t:?}");
    assert_eq!(
        t.iter()
            .filter(|x| x.starts_with("as scheduled, ref. "))
            .count(),
        2
    );
    // Each decision date once, its date not repeated inside the label.
    assert_eq!(t.iter().filter(|x| x.starts_with("2025-10-30 ")).count(), 1);
    assert_eq!(t.iter().filter(|x| x.starts_with("2026-02-20 ")).count(), 1);
    // The source line and what the chart leaves out.
    assert!(
        t.iter()
            .any(|x| x.starts_with("Source: reference file us-china-2018-2026.md")),
        "{t:?}"
    );
    assert!(t.iter().any(|x| x.starts_with("MFN not included")));
    assert_eq!(svg, timeline_svg(&report, &with_reference(&busan())));
}

#[test]
fn a_named_reference_path_is_the_dashed_line_and_says_so() {
    let s = load_scenario(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/us-china-lines-2025.toml"),
    )
    .unwrap();
    let report = report_of(&s);
    assert!(report.reference_is_path());
    let svg = timeline_svg(&report, &path_timelines(&s).unwrap());
    assert!(svg.contains(
        "stroke-dasharray=\"6 4\"><title>ieepa-void/extension (60.00%), the reference</title>"
    ));
    let t = texts(&svg);
    assert!(
        t.iter()
            .any(|x| x.starts_with("ieepa-void/extension, ref. ")),
        "{t:?}"
    );
    // Sources as written in the scenario, without a repeated date.
    assert!(
        t.iter()
            .any(|x| x.starts_with("Source: data/record/us-china-2018-2026.md"))
    );
    assert!(!t.iter().any(|x| x.contains("(2026-11-10)")), "{t:?}");
}

#[test]
fn a_decision_label_wider_than_the_plot_is_wrapped_and_shortened_whole_words_first() {
    let long = "Truce deadline: the ninety days agreed at Buenos Aires run out and the \
                List 3 rate would rise from ten to twenty-five percent unless both sides \
                sign a comprehensive agreement on structural issues, purchases and \
                enforcement (Learning Resources v. Trump, 2019)";
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/g20-2018.toml"),
    )
    .unwrap()
    .replace("label = \"Truce deadline\"", &format!("label = \"{long}\""));
    let s = parse_scenario(
        &text,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios"),
    )
    .unwrap();
    let svg = timeline_svg(&report_of(&s), &with_reference(&s));
    // The whole label is kept as a tooltip.
    assert!(svg.contains(&format!("<title>2019-02-24 {long}</title>")));
    let full = format!("2019-02-24 {long}");
    let words: Vec<&str> = full.split_whitespace().collect();
    // The lines drawn for it: the texts of the group it is the title of.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let group = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("g")
                && n.children()
                    .any(|c| c.has_tag_name("title") && c.text() == Some(full.as_str()))
        })
        .expect("the label's group");
    let lines: Vec<String> = group
        .children()
        .filter(|c| c.has_tag_name("text"))
        .map(|c| c.text().unwrap_or_default().to_string())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let shown = lines.join(" ");
    assert!(shown.ends_with('…'), "{shown}");
    assert!(shown.len() < full.len());
    // Every word drawn is a word of the label, but the last, which is
    // one shortened with an ellipsis.
    let drawn: Vec<&str> = shown.split_whitespace().collect();
    for (i, w) in drawn.iter().enumerate() {
        if i + 1 == drawn.len() {
            let stem = w.trim_end_matches('…');
            assert!(stem.is_empty() || words[i].starts_with(stem), "{w}");
        } else {
            assert_eq!(*w, words[i]);
        }
    }
    // Each line fits the plot (960 wide, less 64 on the left and 230 on
    // the right) at 0.6 em of 11 pixels a character.
    for l in &lines {
        assert!(
            l.chars().count() as f64 * 6.6 <= 960.0 - 64.0 - 230.0,
            "{l}"
        );
    }
}

#[test]
fn layers_chart_stacks_one_path_by_layer() {
    let s = busan();
    let report = report_of(&s);
    let path = PathTimelines {
        path: "deal/void".into(),
        probability: dec("0.36"),
        sides: s.timeline("deal/void").unwrap(),
    };
    let svg = layers_svg(&report, &path);
    let t = texts(&svg);
    // One total line per side; a band per layer that is ever non-zero.
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert!(svg.matches("<polygon").count() >= 2);
    assert!(t.iter().any(|x| x == "total"));
    assert!(t.iter().any(|x| x.starts_with("Source: ")));
    assert!(t.iter().any(|x| x.starts_with("MFN not included")));
    assert_eq!(svg, layers_svg(&report, &path));
}

#[test]
fn reference_timeline_is_the_schedule_with_no_outcome() {
    let s = g20();
    let r = reference_timeline(&s).unwrap();
    assert_eq!(r.path, "as-scheduled");
    assert_eq!(r.probability, Decimal::ZERO);
    // As scheduled, List 3 is at 25% from 2019-01-01 (the truce that put
    // it off is an outcome): the truce that lapses joins it on 2019-03-02.
    let lapses = &path_timelines(&s).unwrap()[1];
    assert_eq!(lapses.path, "truce/lapses");
    let on = |t: &PathTimelines, d: &str| t.sides[0].on(d.parse().unwrap()).unwrap().total;
    assert!(on(&r, "2019-01-15") > on(lapses, "2019-01-15"));
    assert_eq!(on(&r, "2019-06-01"), on(lapses, "2019-06-01"));
    assert_eq!(r.sides[0].pieces.len(), 1);
}

/// A measure whose exposure a path repeats from the path before shares
/// that path's report (one `Arc`, not a copy), and the report reads the
/// same either way: on the Busan scenario's paths, consecutive paths
/// repeat most measures (the ones their branches do not touch).
#[test]
fn a_repeated_measure_shares_its_report_with_the_path_before() {
    let s = busan();
    let evaluation = s.evaluate(Detail::Totals).unwrap();
    let report = EvaluationReport::new(&s, &evaluation).unwrap();
    let mut shared = 0;
    for (k, pair) in evaluation.paths().windows(2).enumerate() {
        for (si, (a, b)) in pair[0]
            .exposure()
            .sides()
            .iter()
            .zip(pair[1].exposure().sides())
            .enumerate()
        {
            for (j, (ma, mb)) in a.measures().iter().zip(b.measures()).enumerate() {
                let (ra, rb) = (
                    &report.paths[k].sides[si].measures[j],
                    &report.paths[k + 1].sides[si].measures[j],
                );
                if ma == mb {
                    assert!(
                        std::sync::Arc::ptr_eq(ra, rb),
                        "{} on path {}",
                        ma.id(),
                        k + 1
                    );
                    shared += 1;
                } else {
                    assert!(!std::sync::Arc::ptr_eq(ra, rb));
                }
            }
        }
    }
    assert!(shared > 10, "only {shared} measures repeated");
    let json = report.to_json().unwrap();
    assert_eq!(EvaluationReport::from_json(&json).unwrap(), report);
}
