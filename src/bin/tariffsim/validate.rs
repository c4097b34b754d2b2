//! `tariffsim validate`: load, check and evaluate a scenario, and say what
//! it cannot value.

use std::fmt::Write as _;

use clap::Args;
use tariffsim::Detail;
use tariffsim::engine::Valuation;

use crate::files::{self, SCENARIO_HELP};
use crate::progress::Progress;
use crate::{Done, Failure};

const EXAMPLES: &str = "\
Examples:
  tariffsim validate busan-2025
  tariffsim validate my-scenario.toml --strict

Loading checks everything a scenario states: fields, ids, dates, schedules,
branch probabilities summing to exactly 1, baskets that nest or overlap,
includes and data files inside the scenario's tree. Any of these is an
error (exit status 1, with the file and item). The scenario is then
evaluated on every path, and every measure the baselines cannot value (not
valued, partly valued, or covering nothing) is listed as a warning; with
--strict a warning also fails the run (exit status 1).";

/// Arguments of `tariffsim validate`.
#[derive(Args)]
#[command(after_help = EXAMPLES)]
pub struct ValidateArgs {
    #[arg(help = SCENARIO_HELP)]
    scenario: String,
    /// Choose a setting of one of the scenario's switches (a stated
    /// assumption with alternatives), e.g. s122-civil-aircraft=exempt;
    /// repeatable
    #[arg(long = "set", value_name = "SWITCH=SETTING")]
    set: Vec<String>,
    /// Fail (exit status 1) when some measure cannot be fully valued
    #[arg(long)]
    strict: bool,
}

/// Runs `tariffsim validate`.
///
/// # Errors
/// Failures from loading or evaluating (exit status 1).
pub fn run(a: &ValidateArgs) -> Result<Done, Failure> {
    let source = files::load(&a.scenario, &a.set)?;
    let s = &source.scenario;
    let progress = Progress::start(format!("evaluating {}", s.info().id));
    let evaluation = s.evaluate(Detail::Totals).map_err(Failure::run)?;
    drop(progress);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scenario {}: loaded and evaluated; {} file(s) read, {} baseline(s), {} measure(s), {} stacking rule(s), {} retaliation rule(s), {} path(s) over {}",
        s.info().id,
        source.inputs.files().len(),
        s.baselines().len(),
        s.regime().measures().len(),
        s.regime().stacking().len(),
        s.retaliation().len(),
        s.tree().paths().len(),
        s.horizon()
    );
    for (i, e) in s.not_valued() {
        let _ = writeln!(
            out,
            "note: {i}<-{e} is declared not valued (no baseline); its measures are listed, never counted"
        );
    }
    let diagnostics = evaluation.diagnostics();
    let (mut not_valued, mut partly, mut nothing) = (0, 0, 0);
    for d in &diagnostics {
        match d.valuation {
            Valuation::NotValued { .. } => not_valued += 1,
            Valuation::Partly { .. } => partly += 1,
            _ => nothing += 1,
        }
        let _ = writeln!(out, "warning: {d}");
    }
    let _ = writeln!(
        out,
        "{} warning(s): {not_valued} not valued, {partly} partly valued, {nothing} covering nothing{}",
        diagnostics.len(),
        if a.strict && !diagnostics.is_empty() {
            "; --strict: failed"
        } else {
            ""
        }
    );
    Ok(Done {
        text: out,
        status: u8::from(a.strict && !diagnostics.is_empty()),
    })
}
