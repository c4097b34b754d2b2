//! The Busan meeting of 2025-10-30 (`data/scenarios/busan-2025.toml`):
//! each outcome's duty on both sides, effective rates and change against the
//! status quo, then the expected values and the distribution, with the
//! probabilities the scenario states.
//!
//! ```text
//! cargo run --example busan
//! ```

use std::path::Path;
use std::process::ExitCode;

use tariffsim::Detail;
use tariffsim::load::load_scenario;
use tariffsim::report::{EvaluationReport, text_table};

fn table() -> tariffsim::Result<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/busan-2025.toml");
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
            eprintln!("busan: {e}");
            ExitCode::FAILURE
        }
    }
}
