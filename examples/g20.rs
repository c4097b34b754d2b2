//! The G20 Buenos Aires decision of 2018-12-01: what calendar 2019 costs
//! under a truce (extended or lapsed), no deal, or a rollback deal, with the
//! probabilities the scenario states.
//!
//! ```text
//! cargo run --example g20
//! ```

use std::path::Path;
use std::process::ExitCode;

use tariffsim::Detail;
use tariffsim::load::load_scenario;
use tariffsim::report::{EvaluationReport, text_table};

fn table() -> tariffsim::Result<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/g20-2018.toml");
    let scenario = load_scenario(&file)?;
    let evaluation = scenario.evaluate(Detail::Totals)?;
    Ok(text_table(&EvaluationReport::new(&scenario, &evaluation)?))
}

fn main() -> ExitCode {
    match table() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("g20: {e}");
            ExitCode::FAILURE
        }
    }
}
