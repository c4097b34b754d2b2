//! `tariffsim run`: a scenario's report as a table, CSV or JSON, with charts.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tariffsim::report::{
    Amounts, EvaluationReport, exposure_csv, exposure_svg, path_timelines, reference_timeline,
    text_summary, text_table, timeline_csv, timeline_svg,
};
use tariffsim::{Date, Detail, Window};

use crate::chart;
use crate::files::{self, Outputs, SCENARIO_HELP};
use crate::progress::Progress;
use crate::{Done, Failure};

const EXAMPLES: &str = "\
Examples:
  tariffsim run busan-2025
  tariffsim run busan-2025 --detail
  tariffsim run data/scenarios/g20-2018.toml --from 2019-01-01 --to 2019-07-01
  tariffsim run busan-2025 --format csv --out busan.csv
  tariffsim run busan-2025 --format json > busan.json
  tariffsim run busan-2025 --chart timeline.svg --exposure-chart exposure.svg
  tariffsim run busan-2025 --chart timeline.png   (built with --features png)

The table leads with the duty kept by outcome (net of refunds), the days
covered and the same per year, then the expected value and distribution,
a key of the path ids, the assumptions and the sources; --detail adds the
per-measure breakdown of every path. CSV has one row per path x side x
measure x month, amounts to the cent (--exact: full precision), where each
measure's months add up to its total; side_import_value is filled on the
first measure row of each path, side and month only, so it can be summed.
JSON carries every figure exact, as strings. Files are written all or
none, never over a file the scenario reads.";

/// The formats of a report.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned columns, for people.
    Table,
    /// One row per path x side x measure x month.
    Csv,
    /// Every figure, exact.
    Json,
}

/// Arguments of `tariffsim run`.
#[derive(Args)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    #[arg(help = SCENARIO_HELP)]
    scenario: String,
    /// Choose a setting of one of the scenario's switches (a stated
    /// assumption with alternatives), e.g. s122-civil-aircraft=exempt;
    /// repeatable
    #[arg(long = "set", value_name = "SWITCH=SETTING")]
    set: Vec<String>,
    /// First day of the window (default: the scenario's horizon)
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Day after the last day of the window (not counted)
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// What to print
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write the report to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Add each path's duty by measure, answers and refunds to the table
    #[arg(long)]
    detail: bool,
    /// CSV amounts in full precision instead of cents
    #[arg(long)]
    exact: bool,
    /// Write the average-rate chart of every path (SVG; PNG for FILE.png with the png feature)
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    /// Write the duty-by-outcome chart (SVG; PNG for FILE.png with the png feature)
    #[arg(long, value_name = "FILE.svg")]
    exposure_chart: Option<PathBuf>,
    /// Write one path's day-by-day average rates (CSV, exact fractions)
    #[arg(long, value_name = "FILE.csv")]
    timeline_csv: Option<PathBuf>,
    /// The path of --timeline-csv (default: the first path)
    #[arg(long, value_name = "PATH", requires = "timeline_csv")]
    path: Option<String>,
}

/// The window `[from, to)` asked for, within the scenario's horizon.
///
/// # Errors
/// A usage error when `from` is not before `to`.
pub fn window(from: Option<Date>, to: Option<Date>, horizon: Window) -> Result<Window, Failure> {
    let (start, end) = (from.unwrap_or(horizon.start()), to.unwrap_or(horizon.end()));
    if start >= end {
        return Err(Failure::usage(format!(
            "--from {start} is not before --to {end} (the window is [from, to))"
        )));
    }
    Window::new(start, end).map_err(|e| Failure::usage(format!("--from/--to: {e}")))
}

/// Runs `tariffsim run`.
///
/// # Errors
/// Usage errors for bad windows, outputs or paths; failures from loading,
/// evaluating or writing.
pub fn run(a: &RunArgs) -> Result<Done, Failure> {
    let from = a
        .from
        .as_deref()
        .map(|d| files::date("--from", d))
        .transpose()?;
    let to =
        a.to.as_deref()
            .map(|d| files::date("--to", d))
            .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(Failure::usage(format!(
                "--from {f} is not before --to {t} (the window is [from, to))"
            )));
        }
    }
    chart::check("--chart", a.chart.as_deref())?;
    chart::check("--exposure-chart", a.exposure_chart.as_deref())?;
    let outputs = Outputs::new(&[
        ("--out", &a.out),
        ("--chart", &a.chart),
        ("--exposure-chart", &a.exposure_chart),
        ("--timeline-csv", &a.timeline_csv),
    ]);
    let source = files::load_for(&a.scenario, &a.set, &outputs)?;
    let mut scenario = source.scenario;
    if from.is_some() || to.is_some() {
        let w = window(from, to, scenario.horizon())?;
        scenario = scenario.with_window(w).map_err(Failure::run)?;
    }
    if let Some(p) = &a.path {
        check_path(&scenario, "--path", p)?;
    }
    let paths = scenario.tree().paths().len();
    let progress = Progress::start(format!(
        "evaluating {paths} paths of {}",
        scenario.info().id
    ));
    let evaluation = scenario.evaluate(Detail::Totals).map_err(Failure::run)?;
    let report = EvaluationReport::new(&scenario, &evaluation).map_err(Failure::run)?;

    // Everything is computed before the first file is written.
    let mut contents: Vec<(&'static str, Vec<u8>)> = Vec::new();
    if outputs.has("--timeline-csv") {
        let path = match &a.path {
            Some(p) => p.clone(),
            None => report
                .paths
                .first()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
        };
        let timelines = scenario.timeline(&path).map_err(Failure::run)?;
        contents.push((
            "--timeline-csv",
            timeline_csv(&timelines).map_err(Failure::run)?.into_bytes(),
        ));
    }
    if outputs.has("--chart") {
        let mut timelines = path_timelines(&scenario).map_err(Failure::run)?;
        if !report.reference_is_path() {
            timelines.push(reference_timeline(&scenario).map_err(Failure::run)?);
        }
        let svg = timeline_svg(&report, &timelines);
        contents.push((
            "--chart",
            chart::encode("--chart", a.chart.as_deref(), svg)?,
        ));
    }
    if outputs.has("--exposure-chart") {
        let svg = exposure_svg(&report);
        contents.push((
            "--exposure-chart",
            chart::encode("--exposure-chart", a.exposure_chart.as_deref(), svg)?,
        ));
    }
    drop(progress);
    if !matches!(a.format, ReportFormat::Table) || outputs.has("--out") {
        warn_not_valued(&report);
    }
    let text = match a.format {
        ReportFormat::Table if a.detail => text_table(&report),
        ReportFormat::Table => text_summary(&report),
        ReportFormat::Csv => exposure_csv(
            &report,
            if a.exact {
                Amounts::Exact
            } else {
                Amounts::Cents
            },
        )
        .map_err(Failure::run)?,
        ReportFormat::Json => report.to_json().map_err(Failure::run)?,
    };
    if outputs.has("--out") {
        contents.push(("--out", text.into_bytes()));
        outputs.write(&contents, &source.inputs)?;
        Ok(Done::text(String::new()))
    } else {
        outputs.write(&contents, &source.inputs)?;
        Ok(Done::text(text))
    }
}

/// What could not be valued, on standard error: the table prints it, but a
/// CSV or JSON written for a machine should not leave a person unaware that
/// some figures are unknown (null or empty there) and some totals lower
/// bounds. At most ten lines, then a count.
fn warn_not_valued(report: &EvaluationReport) {
    const SHOWN: usize = 10;
    for d in report.diagnostics.iter().take(SHOWN) {
        eprintln!("tariffsim: warning: {}", d.message);
    }
    if report.diagnostics.len() > SHOWN {
        eprintln!(
            "tariffsim: warning: and {} more measures not (fully) valued; `tariffsim validate` lists them all",
            report.diagnostics.len() - SHOWN
        );
    }
}

/// Refuses a path id the scenario's tree does not have, listing those it has.
///
/// # Errors
/// A usage error naming `flag`.
pub fn check_path(scenario: &tariffsim::Scenario, flag: &str, id: &str) -> Result<(), Failure> {
    if scenario.tree().path(id).is_some() {
        return Ok(());
    }
    let ids: Vec<&str> = scenario.tree().paths().iter().map(|p| p.id()).collect();
    Err(Failure::usage(format!(
        "{flag}: no path {} in scenario {}; its paths: {}",
        files::excerpt(id),
        scenario.info().id,
        ids.join(", ")
    )))
}
