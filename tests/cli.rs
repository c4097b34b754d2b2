//! The `tariffsim` binary: every subcommand, its help, and bad input.

use std::path::Path;
use std::process::{Command, Output};

fn tariffsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tariffsim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Runs and expects success, returning standard output.
fn ok(args: &[&str]) -> String {
    let o = tariffsim(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Runs and expects `code`, returning standard error (one line).
fn fails(args: &[&str], code: i32) -> String {
    let o = tariffsim(args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stdout(&o));
    stderr(&o)
}

#[test]
fn run_leads_with_the_headline() {
    let out = ok(&["run", "busan-2025"]);
    let row = out
        .lines()
        .find(|l| l.starts_with("deal/void"))
        .expect("a deal/void row");
    assert!(row.contains("36.00%") && row.contains("$45.91B"), "{row}");
    assert!(out.contains("Across outcomes"));
    assert!(out.contains("\nKey\n") && out.contains("\nAssumptions\n"));
    assert!(out.contains("MFN duty is not included"));
    // The per-measure breakdown is behind --detail.
    assert!(!out.contains("Expected duty by measure"));
    let detail = ok(&["run", "busan-2025", "--detail"]);
    assert!(detail.contains("Expected duty by measure"));
}

#[test]
fn run_csv_is_tidy_and_json_parses() {
    let csv = ok(&["run", "data/scenarios/g20-2018.toml", "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("path,probability,importer,exporter,currency,measure,"));
    assert!(header.contains("side_import_value"));
    // Amounts to the cent by default.
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let gross = row[12];
    assert!(
        gross.split('.').nth(1).is_some_and(|c| c.len() == 2),
        "{gross}"
    );
    let exact = ok(&["run", "g20-2018", "--format", "csv", "--exact"]);
    assert!(exact.lines().any(|l| l.split(',').any(|c| c.len() > 20)));

    let json = ok(&["run", "g20-2018", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["scenario"]["id"], "g20-2018");
}

#[test]
fn run_window_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let chart = dir.path().join("chart.svg");
    let text = ok(&[
        "run",
        "g20-2018",
        "--from",
        "2019-01-01",
        "--to",
        "2019-07-01",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--chart",
        chart.to_str().unwrap(),
    ]);
    assert!(text.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("2019-06"));
    assert!(std::fs::read_to_string(&chart).unwrap().starts_with("<svg"));
}

#[test]
fn portfolio_csv_sums_to_the_table() {
    let table = ok(&["portfolio", "examples/sample-portfolio.csv"]);
    let total = table.lines().find(|l| l.starts_with("TOTAL")).unwrap();
    let csv = ok(&[
        "portfolio",
        "examples/sample-portfolio.csv",
        "--format",
        "csv",
    ]);
    let mut sum = rust_decimal::Decimal::ZERO;
    for line in csv.lines().skip(1) {
        // The sample has no quoted commas before the net column.
        let cells: Vec<&str> = line.split(',').collect();
        if cells[4] == "expected" {
            sum += cells[6].parse::<rust_decimal::Decimal>().unwrap();
        }
    }
    let grouped = {
        let text = format!("{sum:.2}");
        let (whole, cents) = text.split_once('.').unwrap();
        let mut out = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{out}.{cents}")
    };
    assert!(total.contains(&grouped), "{total} lacks {grouped}");
    let json = ok(&[
        "portfolio",
        "examples/sample-portfolio.csv",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["unknown"][0]["sku"], "CORN-FEED");
    assert!(ok(&["portfolio", "examples/sample-portfolio.csv", "--totals"]).contains("kept"));
}

#[test]
fn timeline_explain_validate_diff() {
    let csv = ok(&["timeline", "g20-2018", "--path", "no-deal", "--layers"]);
    assert!(csv.starts_with("path,probability,side,from,to,section-301_percent,"));
    assert!(csv.contains("no-deal,0.3,US<-CN,2019-01-01,2020-01-01,25.0000,"));
    let json = ok(&["timeline", "g20-2018", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&json).unwrap();

    let explain = ok(&[
        "explain",
        "us-china-lines-2025",
        "--line",
        "8471300100",
        "--date",
        "2025-12-01",
    ]);
    assert!(explain.contains("ieepa-fentanyl"));
    assert!(explain.contains("Total additional rate: 10.00%"));

    let v = ok(&["validate", "g20-2018"]);
    assert!(v.contains("loaded and evaluated"));
    let strict = tariffsim(&["validate", "busan-2025", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("not valued"));

    let diff = ok(&[
        "diff",
        "busan-2025",
        "--path",
        "deal/void",
        "--against",
        "deal/upheld",
    ]);
    assert!(diff.contains("us-fentanyl") && diff.contains("2026-03"));
}

#[test]
fn every_help_has_examples() {
    for sub in [
        "run",
        "portfolio",
        "timeline",
        "explain",
        "validate",
        "diff",
    ] {
        let help = ok(&[sub, "--help"]);
        assert!(help.contains("Examples:"), "{sub}");
        assert!(help.contains(&format!("tariffsim {sub} ")), "{sub}");
    }
    assert!(ok(&["--help"]).contains("Examples:"));
}

#[test]
fn typos_get_the_closest_match() {
    let e = fails(&["porfolio", "x.csv"], 2);
    assert!(e.contains("'portfolio'"), "{e}");
    let e = fails(&["run", "busan-2025", "--fromm", "2025-01-01"], 2);
    assert!(e.contains("'--from'"), "{e}");
}

#[test]
fn unknown_scenarios_list_the_shipped_ones() {
    let e = fails(&["run", "busan-2052"], 2);
    assert!(
        e.contains("\"busan-2052\"") && e.contains("busan-2025, "),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn outputs_that_are_folders_or_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("g20.toml");
    std::fs::copy("data/scenarios/g20-2018.toml", &scenario).unwrap();
    let before = std::fs::read(&scenario).unwrap();
    let s = scenario.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    assert_ne!(
        tariffsim(&["run", s, "--out", folder]).status.code(),
        Some(0)
    );
    let e = fails(&["run", "g20-2018", "--out", folder], 2);
    assert!(e.contains("--out"), "{e}");
    let e = fails(
        &[
            "run",
            "data/scenarios/g20-2018.toml",
            "--chart",
            "data/scenarios/g20-2018.toml",
        ],
        2,
    );
    assert!(e.contains("--chart"), "{e}");
    let twice = dir.path().join("a.svg");
    let t = twice.to_str().unwrap();
    fails(&["run", "g20-2018", "--chart", t, "--exposure-chart", t], 2);
    assert!(!Path::new(t).exists());
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
    let e = fails(
        &[
            "portfolio",
            "examples/sample-portfolio.csv",
            "--out",
            "examples/sample-portfolio.csv",
        ],
        2,
    );
    assert!(e.contains("--out"), "{e}");
}

#[test]
fn bad_windows_paths_and_lines() {
    let e = fails(
        &[
            "run",
            "g20-2018",
            "--from",
            "2019-06-01",
            "--to",
            "2019-01-01",
        ],
        2,
    );
    assert!(
        e.contains("--from 2019-06-01 is not before --to 2019-01-01"),
        "{e}"
    );
    let e = fails(&["timeline", "g20-2018", "--path", "no-such"], 2);
    assert!(e.contains("\"no-such\"") && e.contains("no-deal"), "{e}");
    let e = fails(
        &[
            "diff",
            "busan-2025",
            "--path",
            "deal/void",
            "--against",
            "deal/nope",
        ],
        2,
    );
    assert!(e.contains("--against") && e.contains("deal/upheld"), "{e}");
    let long = "1".repeat(10_000);
    let e = fails(
        &[
            "explain",
            "us-china-lines-2025",
            "--line",
            &long,
            "--date",
            "2025-12-01",
        ],
        2,
    );
    assert!(e.len() < 300, "{e}");
    let e = fails(
        &[
            "explain",
            "us-china-lines-2025",
            "--line",
            "84\u{1b}[2J",
            "--date",
            "2025-12-01",
        ],
        2,
    );
    assert!(!e.contains('\u{1b}') && e.contains("\\u{1b}"), "{e}");
    let e = fails(
        &[
            "explain",
            "busan-2025",
            "--line",
            "8471300100",
            "--date",
            "2025-12-01",
        ],
        1,
    );
    assert!(e.contains("not a basket of any baseline"), "{e}");
}

#[test]
fn shipped_names_work_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tariffsim"))
        .args(["run", "g20-2018"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).lines().any(|l| l.starts_with("no-deal")));
    let o = Command::new(env!("CARGO_BIN_EXE_tariffsim"))
        .args(["run", "g20-2018"])
        .env("TARIFFSIM_DATA", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no shipped scenarios found in"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_scenario_fails_naming_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(
        &file,
        "[scenario]\nid = \"x\"\nhorizon = \"2019-01-01..2018-01-01\"\n",
    )
    .unwrap();
    let e = fails(&["validate", file.to_str().unwrap()], 1);
    assert!(e.contains("broken.toml"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn machine_formats_warn_on_standard_error_about_what_is_not_valued() {
    // Busan's list-level baselines cannot value its HS-coded measures: the
    // CSV leaves their amounts empty, and standard error says why, at most
    // ten lines and a count (the table prints them itself).
    let o = tariffsim(&["run", "busan-2025", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("tariffsim: warning: US<-CN: measure \"s232-steel\" is not valued"),
        "{err}"
    );
    assert!(err.lines().count() <= 11, "{err}");
    let csv = stdout(&o);
    let steel = csv
        .lines()
        .find(|l| l.contains(",s232-steel,"))
        .expect("a steel row");
    assert!(steel.ends_with(",,,,,,not-valued"), "{steel}");
    // A scenario with every measure valued warns about nothing.
    let o = tariffsim(&["run", "g20-2018", "--format", "json"]);
    assert_eq!(stderr(&o), "");
}

#[test]
fn explain_gives_a_content_measure_its_rate_on_the_whole_line() {
    // 8544.42.90.90 on 2025-12-01 (data/lines/2026/s232-metal-content-hts10.csv:
    // aluminum 0.083189, copper 0.49139): Section 232 at 50% on each
    // content is 50% × 0.083189 = 4.16% and 50% × 0.49139 = 24.57% of the
    // line; the reciprocal 10% reaches the rest, 1 − 0.083189 − 0.49139 =
    // 0.425421, so 4.25%; fentanyl 10% the whole line. Total 42.98%.
    let o = ok(&[
        "explain",
        "us-china-lines-2026",
        "--line",
        "8544429090",
        "--date",
        "2025-12-01",
    ]);
    let row = |id: &str| {
        o.lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row {id}: {o}"))
            .to_string()
    };
    let copper = row("s232-copper-on-content");
    assert!(copper.contains(" 24.57% "), "{copper}");
    assert!(
        copper.contains("on its copper content only (share 0.49139 of the line's value)"),
        "{copper}"
    );
    assert!(row("s232-aluminum-inclusions-2025-08-on-content").contains(" 4.16% "));
    // The reciprocal's note says where it is displaced and what it keeps:
    // 10% on 42.5421% of the value is the 4.25% shown.
    let reciprocal = row("ieepa-reciprocal");
    assert!(reciprocal.contains(" 4.25% "), "{reciprocal}");
    assert!(
        reciprocal.contains(
            "on 8.3189% of the line's value it yields to s232-aluminum-inclusions-2025-08-on-content under stacking rule s232-over-reciprocal (exclusive); on 49.1390% of the line's value it yields to s232-copper-on-content"
        ),
        "{reciprocal}"
    );
    assert!(
        reciprocal.contains("its 10.00% applies to the rest, 42.5421%"),
        "{reciprocal}"
    );
    // A measure with no rate in force is said to have none, not to yield
    // to a stacking rule that would displace it.
    let forced_labor = row("s301-forced-labor");
    assert!(
        forced_labor.contains("but no rate is in force on this day"),
        "{forced_labor}"
    );
    assert!(row("ieepa-fentanyl").contains(" 10.00% "));
    assert!(o.contains("Total additional rate: 42.98%"), "{o}");
}

#[test]
fn explain_gives_annex_iii_its_floor_net_of_the_line_s_mfn() {
    // 8207.20.00.70 on 2026-05-01: Annex III's floor of 15% net of MFN
    // (data/lines/2026/mfn-hts8.csv: 8207.20.00 is 3.9%) owes 15% − 3.9% =
    // 11.10%; List 3 25% stays; all-in 25% + 11.1% + 3.9% = 40.00%.
    let o = ok(&[
        "explain",
        "us-china-lines-2026",
        "--line",
        "8207200070",
        "--date",
        "2026-05-01",
    ]);
    let floor = o
        .lines()
        .find(|l| l.trim_start().starts_with("s232-annex-iii "))
        .unwrap_or_else(|| panic!("no Annex III row: {o}"));
    assert!(floor.contains(" 11.10% "), "{floor}");
    assert!(
        floor.contains(
            "a total net of MFN: the rate shown is the scheduled rate less the line's MFN 3.90%"
        ),
        "{floor}"
    );
    assert!(o.contains("Total additional rate: 36.10%"), "{o}");
    assert!(o.contains("All-in rate: 40.00%"), "{o}");
}

#[test]
fn explain_adds_mfn_and_the_all_in_rate_only_where_it_can() {
    // data/lines/2026/mfn-hts8.csv: 8471.30.01 is Free, so laptops' all-in
    // rate is their additional rate; fresh mushrooms (0709.51.01) pay
    // 8.8¢/kg + 20%, a compound rate whose specific part needs quantities,
    // so their all-in rate is not valued rather than understated.
    let laptops = ok(&[
        "explain",
        "us-china-lines-2026",
        "--line",
        "8471300100",
        "--date",
        "2026-03-01",
    ]);
    assert!(laptops.contains("  MFN: Free (0.00%)\n"), "{laptops}");
    assert!(laptops.contains("  All-in rate: "), "{laptops}");
    let mushrooms = ok(&[
        "explain",
        "us-china-lines-2026",
        "--line",
        "0709510100",
        "--date",
        "2026-03-01",
    ]);
    assert!(
        mushrooms.contains("MFN: 8.8¢/kg + 20% (compound): not valued beyond its ad valorem part (20.00%), so the all-in rate is not valued"),
        "{mushrooms}"
    );
    assert!(!mushrooms.contains("All-in rate:"), "{mushrooms}");
    // A scenario without base rates says MFN is not included.
    let busan = ok(&[
        "explain",
        "us-china-lines-2025",
        "--line",
        "8471300100",
        "--date",
        "2025-12-01",
    ]);
    assert!(
        busan.contains("(MFN not included: the scenario has no base rates)"),
        "{busan}"
    );
}

#[test]
fn timeline_layers_chart_of_one_path() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("layers.svg");
    let c = chart.to_str().unwrap();
    ok(&[
        "timeline",
        "busan-2025",
        "--path",
        "deal/void",
        "--layers",
        "--chart",
        c,
    ]);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("<polygon") && svg.contains("path deal/void"));
    // Without a path there is no one path to stack.
    let e = fails(&["timeline", "busan-2025", "--layers", "--chart", c], 2);
    assert!(
        e.contains("--chart with --layers draws one path's layers: name it with --path"),
        "{e}"
    );
}

#[test]
fn png_charts_need_the_png_feature() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("chart.PNG");
    let p = png.to_str().unwrap();
    if cfg!(feature = "png") {
        ok(&["timeline", "g20-2018", "--chart", p]);
        let bytes = std::fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(bytes.len() > 1000);
        let exposure = dir.path().join("exposure.png");
        ok(&[
            "run",
            "g20-2018",
            "--exposure-chart",
            exposure.to_str().unwrap(),
        ]);
        assert!(std::fs::read(&exposure).unwrap().starts_with(b"\x89PNG"));
    } else {
        let e = fails(&["timeline", "g20-2018", "--chart", p], 2);
        assert!(
            e.contains("PNG charts need the png feature; build with `--features png`"),
            "{e}"
        );
        assert!(!png.exists());
    }
}

#[test]
fn set_chooses_a_switch_setting_and_says_so() {
    // 3917.21.00.00 (tubes of ethylene polymers) is in the civil-aircraft
    // class of Section 122 (data/lines/2026/s122-exempt-products.csv,
    // 9903.03.05): by default it pays the 10%; exempt, it pays nothing.
    let args = |setting: &'static str| {
        [
            "explain",
            "us-china-lines-2026",
            "--line",
            "3917210000",
            "--date",
            "2026-03-01",
            "--set",
            setting,
        ]
    };
    let row = |o: &str| {
        o.lines()
            .find(|l| l.trim_start().starts_with("s122-surcharge "))
            .unwrap_or_else(|| panic!("no Section 122 row: {o}"))
            .to_string()
    };
    let pay = ok(&args("s122-civil-aircraft=pay"));
    assert!(row(&pay).contains(" 10.00% "), "{pay}");
    let exempt = ok(&args("s122-civil-aircraft=exempt"));
    let r = row(&exempt);
    assert!(
        r.contains(" 0.00% ")
            && r.contains("exempt under stacking rule s122-civil-aircraft-exempt"),
        "{r}"
    );
    // The report states the setting among the assumptions.
    let o = ok(&[
        "run",
        "us-china-lines-2026",
        "--set",
        "s122-civil-aircraft=exempt",
    ]);
    assert!(
        o.contains("taken as exempt in full")
            && o.contains("(switch s122-civil-aircraft = exempt; also: pay)"),
        "{o}"
    );
    let e = fails(
        &[
            "explain",
            "us-china-lines-2026",
            "--line",
            "3917210000",
            "--date",
            "2026-03-01",
            "--set",
            "s122",
        ],
        2,
    );
    assert!(e.contains("--set: \"s122\" is not SWITCH=SETTING"), "{e}");
    let e = fails(&args("s122-civil-aircraft=maybe"), 1);
    assert!(
        e.contains("unknown setting \"maybe\"") && e.contains("exempt"),
        "{e}"
    );
}
