//! Evaluates any scenario file and prints or saves its report.
//!
//! ```text
//! cargo run --release --example simulate -- <scenario.toml>
//!     [--from DATE --to DATE] [--format table|csv|json]
//!     [--chart FILE.svg] [--exposure-chart FILE.svg]
//!     [--timeline-csv FILE.csv [--path PATH-ID]]
//! ```
//!
//! The report goes to standard output (`table` by default). `--from` and
//! `--to` replace the scenario's horizon `[from, to)`. `--chart` writes the
//! average-rate chart, `--exposure-chart` the duty-by-outcome chart, and
//! `--timeline-csv` one path's day-by-day average rates (the first path of
//! the tree unless `--path` names another). Files are written whole or not
//! at all, all of them or none, and never over a file the scenario reads
//! (through `..`, a symlink or a hard link) or over a folder; two flags
//! naming one file are a usage error. A usage or input error prints one
//! line on standard error and exits with status 2 (usage) or 1 (scenario).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tariffsim::load::{Inputs, LoadOptions, check_outputs, load_scenario_with, write_outputs};
use tariffsim::report::{
    EvaluationReport, exposure_csv, exposure_svg, path_timelines, text_table, timeline_csv,
    timeline_svg,
};
use tariffsim::units::parse_date;
use tariffsim::{Date, Detail, Window};

const USAGE: &str = "usage: simulate <scenario.toml> [--from DATE --to DATE] [--format table|csv|json] \
[--chart FILE.svg] [--exposure-chart FILE.svg] [--timeline-csv FILE.csv [--path PATH-ID]]";

/// Paths past which a progress line goes to standard error.
const MANY_PATHS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug)]
struct Options {
    scenario: PathBuf,
    from: Option<Date>,
    to: Option<Date>,
    format: Format,
    chart: Option<PathBuf>,
    exposure_chart: Option<PathBuf>,
    timeline_csv: Option<PathBuf>,
    path: Option<String>,
}

/// What went wrong: a usage error (status 2) or a failure on the input (status 1).
enum Failure {
    Usage(String),
    Run(String),
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

fn run_error(e: impl std::fmt::Display) -> Failure {
    Failure::Run(e.to_string())
}

fn parse_args(args: &[String]) -> Result<Option<Options>, Failure> {
    let mut scenario = None;
    let mut opts = Options {
        scenario: PathBuf::new(),
        from: None,
        to: None,
        format: Format::Table,
        chart: None,
        exposure_chart: None,
        timeline_csv: None,
        path: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| usage(format!("{flag} needs a value; {USAGE}")))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--from" => {
                opts.from =
                    Some(parse_date(&value("--from")?).map_err(|e| usage(format!("--from: {e}")))?)
            }
            "--to" => {
                opts.to =
                    Some(parse_date(&value("--to")?).map_err(|e| usage(format!("--to: {e}")))?)
            }
            "--format" => {
                opts.format = match value("--format")?.as_str() {
                    "table" => Format::Table,
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    other => {
                        return Err(usage(format!(
                            "--format: unknown format {other:?}: write table, csv or json"
                        )));
                    }
                }
            }
            "--chart" => opts.chart = Some(PathBuf::from(value("--chart")?)),
            "--exposure-chart" => {
                opts.exposure_chart = Some(PathBuf::from(value("--exposure-chart")?))
            }
            "--timeline-csv" => opts.timeline_csv = Some(PathBuf::from(value("--timeline-csv")?)),
            "--path" => opts.path = Some(value("--path")?),
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(usage(format!("unknown option {flag:?}; {USAGE}")));
            }
            file => {
                if scenario.is_some() {
                    return Err(usage(format!(
                        "one scenario file at a time, got a second: {file:?}"
                    )));
                }
                scenario = Some(PathBuf::from(file));
            }
        }
    }
    opts.scenario = scenario.ok_or_else(|| usage(format!("no scenario file given; {USAGE}")))?;
    if opts.path.is_some() && opts.timeline_csv.is_none() {
        return Err(usage(
            "--path chooses the path of --timeline-csv: give --timeline-csv too",
        ));
    }
    Ok(Some(opts))
}

fn run(opts: &Options) -> Result<String, Failure> {
    let outputs: Vec<(&str, &Path)> = [
        ("--chart", &opts.chart),
        ("--exposure-chart", &opts.exposure_chart),
        ("--timeline-csv", &opts.timeline_csv),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.as_deref().map(|p| (flag, p)))
    .collect();
    // Outputs that are folders, or name one file twice, are refused before
    // the scenario is read; outputs that are inputs, once it is known what
    // the scenario reads, before any work.
    let none = Inputs::new();
    check_outputs_named(&outputs, &none)?;
    let loaded = load_scenario_with(&opts.scenario, &LoadOptions::new()).map_err(run_error)?;
    let (mut scenario, inputs) = loaded.into_parts();
    check_outputs_named(&outputs, &inputs)?;
    if opts.from.is_some() || opts.to.is_some() {
        let h = scenario.horizon();
        let window = Window::new(opts.from.unwrap_or(h.start()), opts.to.unwrap_or(h.end()))
            .map_err(|e| usage(format!("--from/--to: {e}")))?;
        scenario = scenario.with_window(window).map_err(run_error)?;
    }
    let paths = scenario.tree().paths().len();
    if paths > MANY_PATHS {
        eprintln!(
            "simulate: evaluating {paths} paths of {} over {}",
            scenario.info().id,
            scenario.horizon()
        );
    }
    let evaluation = scenario.evaluate(Detail::Totals).map_err(run_error)?;
    let report = EvaluationReport::new(&scenario, &evaluation).map_err(run_error)?;

    // Everything is computed before the first file is written.
    let mut files: Vec<(&Path, String)> = Vec::new();
    if let Some(file) = &opts.timeline_csv {
        let path = match &opts.path {
            Some(p) => p.clone(),
            None => report
                .paths
                .first()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
        };
        let timelines = scenario
            .timeline(&path)
            .map_err(|e| run_error(format!("--path: {e}")))?;
        files.push((file, timeline_csv(&timelines).map_err(run_error)?));
    }
    if let Some(file) = &opts.chart {
        if paths > MANY_PATHS {
            eprintln!("simulate: drawing the timelines of {paths} paths");
        }
        let timelines = path_timelines(&scenario).map_err(run_error)?;
        files.push((file, timeline_svg(&report, &timelines)));
    }
    if let Some(file) = &opts.exposure_chart {
        files.push((file, exposure_svg(&report)));
    }
    let text = match opts.format {
        Format::Table => text_table(&report),
        Format::Csv => exposure_csv(&report).map_err(run_error)?,
        Format::Json => report.to_json().map_err(run_error)?,
    };
    let bytes: Vec<(&Path, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_bytes())).collect();
    write_outputs(&bytes, &inputs).map_err(run_error)?;
    Ok(text)
}

/// Checks the output flags' paths, each naming its flag, then the set (no
/// two naming one file).
fn check_outputs_named(outputs: &[(&str, &Path)], inputs: &Inputs) -> Result<(), Failure> {
    for (flag, p) in outputs {
        check_outputs(&[*p], inputs).map_err(|e| usage(format!("{flag}: {e}")))?;
    }
    let paths: Vec<&Path> = outputs.iter().map(|(_, p)| *p).collect();
    check_outputs(&paths, inputs).map_err(|e| usage(e.to_string()))
}
/// Writes the report to standard output; a reader that stops early (a
/// closed pipe) is not an error.
fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("simulate: cannot write the report to standard output: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&args).and_then(|opts| match opts {
        Some(opts) => run(&opts).map(Some),
        None => Ok(None),
    });
    match result {
        Ok(Some(text)) => print(&text),
        Ok(None) => print(&format!("{USAGE}\n")),
        Err(Failure::Usage(m)) => {
            eprintln!("simulate: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Run(m)) => {
            eprintln!("simulate: {m}");
            ExitCode::from(1)
        }
    }
}
