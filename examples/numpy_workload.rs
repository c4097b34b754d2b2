//! The Rust side of the comparison with numpy (`benches/numpy/compare.py`):
//! the paths of a JSON file (written by the driver) evaluated over the
//! 14,422 real lines of `data/scenarios/us-china-lines-2025.toml`, per path
//! the duty of each snapped layer in each month, exact.
//!
//! ```text
//! cargo run --release --example numpy_workload -- PATHS.json TOTALS.txt
//! ```
//!
//! Prints its timings as JSON (`load`: the scenario read and the paths
//! applied; `evaluate`: every path evaluated and its totals gathered;
//! `end_to_end`: from the start of `main` to the totals; in seconds), then
//! writes the totals: one line per path, the months of each layer in the
//! order of `LAYERS` in `benches/numpy/workload.rs`, exact decimals.

use std::fmt::Write as _;
use std::time::Instant;

use tariffsim::Detail;

#[path = "../benches/numpy/workload.rs"]
mod workload;

const SCENARIO: &str = "data/scenarios/us-china-lines-2025.toml";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [paths, out] = args.as_slice() else {
        return Err("usage: numpy_workload PATHS.json TOTALS.txt".into());
    };
    let lines = tariffsim::load::load_scenario(SCENARIO.as_ref())?;
    let snaps: Vec<workload::PathSnaps> = serde_json::from_str(&std::fs::read_to_string(paths)?)
        .map_err(|e| format!("{paths}: {e}"))?;
    let scenario = workload::scenario(&lines, &snaps)?;
    let loaded = start.elapsed();
    let evaluation = scenario.evaluate(Detail::Totals)?;
    let totals = workload::totals(&evaluation);
    let end_to_end = start.elapsed();

    let mut text = String::new();
    for path in &totals {
        let cells: Vec<String> = path.iter().flatten().map(|d| d.to_string()).collect();
        let _ = writeln!(text, "{}", cells.join(" "));
    }
    std::fs::write(out, text)?;
    println!(
        "{{\"load\": {}, \"evaluate\": {}, \"end_to_end\": {}}}",
        loaded.as_secs_f64(),
        (end_to_end - loaded).as_secs_f64(),
        end_to_end.as_secs_f64()
    );
    Ok(())
}
