//! The figures of every shipped scenario, held still: loading and preparing
//! a scenario may change how it is done, never what it gives.
//!
//! `tests/data/shipped-results.json` holds, per scenario in
//! `data/scenarios/`, the figures of `tariffsim run SCENARIO --format json`
//! that depend on which goods each measure covers and when: per path (the
//! reference first) and side, the import value, gross, net, refundable and
//! monthly duty, and per side the expected duty overall and by measure.
//! A change meant to move them rewrites the file with
//! `TARIFFSIM_BLESS=1 cargo test --test tariffsim shipped`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};
use tariffsim::Detail;
use tariffsim::load::load_scenario;
use tariffsim::report::EvaluationReport;

const EXPECTED: &str = "tests/data/shipped-results.json";

fn pick(v: &Value, keys: &[&str]) -> Value {
    let mut out = Map::new();
    for k in keys {
        out.insert((*k).to_string(), v.get(*k).cloned().unwrap_or(Value::Null));
    }
    Value::Object(out)
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The figures kept of one scenario's report.
fn figures(report: &Value) -> Value {
    let path = |p: &Value| {
        let sides: Vec<Value> = list(p, "sides")
            .iter()
            .map(|s| {
                pick(
                    s,
                    &[
                        "importer",
                        "exporter",
                        "import_value",
                        "gross",
                        "net",
                        "refundable",
                        "by_month",
                    ],
                )
            })
            .collect();
        json!({ "id": p.get("id").cloned().unwrap_or(Value::Null), "sides": sides })
    };
    let paths: Vec<Value> = std::iter::once(&report["reference"])
        .chain(list(report, "paths"))
        .map(path)
        .collect();
    let sides: Vec<Value> = list(report, "sides")
        .iter()
        .map(|s| {
            pick(
                s,
                &[
                    "importer",
                    "exporter",
                    "expected",
                    "expected_gross",
                    "expected_by_measure",
                ],
            )
        })
        .collect();
    json!({ "paths": paths, "sides": sides })
}

#[test]
fn every_shipped_scenario_gives_the_figures_it_gave() {
    let mut names: Vec<String> = std::fs::read_dir("data/scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut got = BTreeMap::new();
    for name in &names {
        let path = Path::new("data/scenarios").join(format!("{name}.toml"));
        let scenario = load_scenario(&path).unwrap();
        let evaluation = scenario.evaluate(Detail::Totals).unwrap();
        let report = EvaluationReport::new(&scenario, &evaluation).unwrap();
        let json: Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
        got.insert(name.clone(), figures(&json));
    }
    if std::env::var_os("TARIFFSIM_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
        std::fs::write(EXPECTED, text).unwrap();
        return;
    }
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(EXPECTED).unwrap()).unwrap();
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "the shipped scenarios and {EXPECTED} name different scenarios"
    );
    for (name, want) in &expected {
        let have = &got[name];
        for (i, (w, h)) in list(want, "paths")
            .iter()
            .zip(list(have, "paths"))
            .enumerate()
        {
            assert_eq!(w, h, "{name}: path {i} (0 is the reference) differs");
        }
        assert_eq!(want, have, "{name}: the figures differ");
    }
}
