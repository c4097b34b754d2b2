//! Reports of a 10,000-path evaluation over the 14,422 real lines, beside
//! the evaluation itself: the paths of `benches/numpy/workload.rs` (each
//! snapping the snap-back, fentanyl and reciprocal layers to a rate of its
//! own from a date of its own), drawn from a fixed seed.
//!
//! - `engine/numpy-workload/10000`: the evaluation, totals per side,
//!   measure, layer and month on every path; `engine/numpy-workload/1000`
//!   the same on the first 1,000 paths drawn.
//! - `report/build/10000-paths`: the [`EvaluationReport`] of that
//!   evaluation (every figure, exact, per path and across paths).
//! - `report/table/10000-paths`: the report built and rendered as the text
//!   table (`tariffsim run --detail`); `report/summary/10000-paths` as the
//!   summary (`tariffsim run`).
//! - `report/csv/10000-paths`, `report/json/10000-paths`: the report built
//!   and written as the exposure CSV (cents) and as JSON.
//!
//! The evaluation is made once, outside the timed closures of the reports.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tariffsim::Detail;
use tariffsim::report::{Amounts, EvaluationReport, exposure_csv, text_summary, text_table};

#[path = "numpy/workload.rs"]
mod workload;

const SCENARIO: &str = "data/scenarios/us-china-lines-2025.toml";
const PATHS: usize = 10_000;

fn benches(c: &mut Criterion) {
    let lines =
        tariffsim::load::load_scenario(SCENARIO.as_ref()).expect("the line-level scenario loads");
    let scenario = workload::scenario(&lines, &workload::generate(PATHS, 2025))
        .expect("the generated paths apply");
    let evaluation = scenario.evaluate(Detail::Totals).expect("evaluates");
    assert_eq!(evaluation.paths().len(), PATHS);

    let fewer = workload::scenario(&lines, &workload::generate(1_000, 2025))
        .expect("the generated paths apply");
    c.bench_function("engine/numpy-workload/1000", |b| {
        b.iter(|| {
            let e = fewer.evaluate(Detail::Totals).expect("evaluates");
            black_box(workload::totals(&e).len())
        })
    });
    c.bench_function("engine/numpy-workload/10000", |b| {
        b.iter(|| {
            let e = scenario.evaluate(Detail::Totals).expect("evaluates");
            black_box(workload::totals(&e).len())
        })
    });
    let report = || EvaluationReport::new(&scenario, &evaluation).expect("a report");
    c.bench_function("report/build/10000-paths", |b| {
        b.iter(|| black_box(report().paths.len()))
    });
    c.bench_function("report/table/10000-paths", |b| {
        b.iter(|| black_box(text_table(&report()).len()))
    });
    c.bench_function("report/summary/10000-paths", |b| {
        b.iter(|| black_box(text_summary(&report()).len()))
    });
    c.bench_function("report/csv/10000-paths", |b| {
        b.iter(|| {
            black_box(
                exposure_csv(&report(), Amounts::Cents)
                    .expect("a csv")
                    .len(),
            )
        })
    });
    c.bench_function("report/json/10000-paths", |b| {
        b.iter(|| black_box(report().to_json().expect("json").len()))
    });
}

criterion_group! {
    name = report;
    // Whole reports of 10,000 paths take hundreds of milliseconds: ten
    // samples are enough.
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(10));
    targets = benches
}
criterion_main!(report);
