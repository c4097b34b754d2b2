//! The whole pipeline on real files: the input is split at `0xFF` bytes
//! into a scenario file, a baseline CSV and an HS list CSV, written into a
//! folder of their own; the scenario is loaded under the default policy
//! (with small limits), evaluated, and every report rendered: the table,
//! the CSV, the JSON, both SVG charts and the timeline CSV. The SVG must be
//! well-formed XML, the CSV must parse with the same number of fields on
//! every row, the JSON must parse, and the table must carry no raw ESC or
//! CR.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tariffsim::Detail;
use tariffsim::load::{LoadOptions, load_scenario_with};
use tariffsim::report::{
    Amounts, EvaluationReport, exposure_csv, exposure_svg, path_timelines, text_table, timeline_csv,
    timeline_svg,
};

fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tariffsim-fuzz-pipeline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

fn well_formed_svg(svg: &str) {
    if let Err(e) = roxmltree::Document::parse(svg) {
        panic!("ill-formed SVG ({e}):\n{svg}");
    }
}

fn parses_as_csv(text: &str) {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    for row in rdr.records() {
        if let Err(e) = row {
            panic!("CSV that does not parse ({e}):\n{text}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0xFF);
    let scenario = parts.next().unwrap_or_default();
    let baseline = parts.next().unwrap_or_default();
    let lists = parts.next().unwrap_or_default();
    let dir = folder();
    let path = dir.join("scenario.toml");
    for (name, bytes) in [("scenario.toml", scenario), ("baseline.csv", baseline), ("lists.csv", lists)] {
        std::fs::write(dir.join(name), bytes).expect("the scratch folder is writable");
    }
    let options = LoadOptions::new().max_csv_bytes(1 << 20).max_toml_bytes(1 << 20);
    let Ok(loaded) = load_scenario_with(&path, &options) else {
        return;
    };
    let scenario = loaded.scenario();
    if scenario.horizon().days() > 366 * 20 || scenario.tree().paths().len() > 64 {
        return;
    }
    let Ok(evaluation) = scenario.evaluate(Detail::Totals) else {
        return;
    };
    let Ok(report) = EvaluationReport::new(scenario, &evaluation) else {
        return;
    };
    let table = text_table(&report);
    assert!(!table.contains('\u{1b}') && !table.contains('\r'), "raw ESC or CR in:\n{table}");
    if let Ok(csv) = exposure_csv(&report, Amounts::Exact) {
        parses_as_csv(&csv);
    }
    if let Ok(json) = report.to_json() {
        serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    }
    well_formed_svg(&exposure_svg(&report));
    if let Ok(timelines) = path_timelines(scenario) {
        well_formed_svg(&timeline_svg(&report, &timelines));
    }
    if let Some(first) = report.paths.first() {
        if let Ok(t) = scenario.timeline(&first.id) {
            if let Ok(csv) = timeline_csv(&t) {
                parses_as_csv(&csv);
            }
        }
    }
});
