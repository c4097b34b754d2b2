//! `tariffsim`: tariff scenarios from the command line.
//!
//! A thin layer over the library: each subcommand loads a scenario (a file,
//! or the name of a shipped one), calls the public API and prints a table
//! for people or CSV/JSON for programs. Errors are one line on standard
//! error; the exit status is 2 for usage errors and 1 for failures.

mod chart;
mod diff;
mod explain;
mod files;
mod portfolio;
mod progress;
mod run;
mod tidy;
mod timeline;
mod validate;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  tariffsim run busan-2025
  tariffsim run data/scenarios/g20-2018.toml --format csv --out g20.csv
  tariffsim portfolio examples/sample-portfolio.csv --format csv
  tariffsim timeline busan-2025 --path deal/void --layers
  tariffsim explain us-china-lines-2025 --line 8471300100 --date 2025-12-01
  tariffsim validate busan-2025 --strict
  tariffsim diff busan-2025 --path deal/void --against deal/upheld

A SCENARIO is a scenario file (relative to the current folder) or the name
of a shipped scenario (busan-2025, g20-2018, ...), looked up in the data
folder the binary was built from, or in $TARIFFSIM_DATA/scenarios.
Amounts are additional duty: MFN duty is not included.";

/// Tariff scenarios: duty exposure across the ways a negotiation can end.
#[derive(Parser)]
#[command(name = "tariffsim", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario: duty kept by outcome, expected value, distribution
    Run(run::RunArgs),
    /// Value an importer's SKUs across the outcomes of a line-level scenario
    Portfolio(portfolio::PortfolioArgs),
    /// The trade-weighted average additional rate over time, per path
    Timeline(timeline::TimelineArgs),
    /// Every measure on one HS line on one day, its rate and why
    Explain(explain::ExplainArgs),
    /// Load, check and evaluate a scenario; print what cannot be valued
    Validate(validate::ValidateArgs),
    /// Where two paths differ, by measure and month
    Diff(diff::DiffArgs),
}

/// What went wrong: a usage error (status 2) or a failure (status 1).
#[derive(Debug)]
pub enum Failure {
    /// The command line asks for something that cannot be done.
    Usage(String),
    /// The input could not be read, evaluated or written.
    Run(String),
}

impl Failure {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::Usage(message.into())
    }

    /// A failure, from any error.
    pub fn run(e: impl std::fmt::Display) -> Failure {
        Failure::Run(e.to_string())
    }
}

/// What a subcommand hands back: text for standard output and whether the
/// run still counts as failed (`validate` with errors).
pub struct Done {
    /// Printed to standard output.
    pub text: String,
    /// The exit status when nothing failed outright.
    pub status: u8,
}

impl Done {
    /// Text to print, status 0.
    pub fn text(text: String) -> Done {
        Done { text, status: 0 }
    }
}

/// Writes `text` to standard output; a reader that stops early (a closed
/// pipe) is not an error.
fn print(text: &str) -> Result<(), std::io::Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// One line, whatever the message holds: line breaks and other control
/// characters are written as visible escapes.
fn one_line(message: &str) -> String {
    message
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_debug().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Portfolio(a) => portfolio::run(&a),
        Command::Timeline(a) => timeline::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Diff(a) => diff::run(&a),
    };
    match result {
        Ok(done) => match print(&done.text) {
            Ok(()) => ExitCode::from(done.status),
            Err(e) => {
                eprintln!("tariffsim: cannot write to standard output: {e}");
                ExitCode::from(1)
            }
        },
        Err(Failure::Usage(m)) => {
            eprintln!("tariffsim: {}", one_line(&m));
            ExitCode::from(2)
        }
        Err(Failure::Run(m)) => {
            eprintln!("tariffsim: {}", one_line(&m));
            ExitCode::from(1)
        }
    }
}
