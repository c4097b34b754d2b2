//! `tariffsim timeline`: the trade-weighted average additional rate over
//! time, per path and side.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;
use tariffsim::Detail;
use tariffsim::report::{EvaluationReport, PathTimelines, path_timelines, timeline_svg};

use crate::files::{self, Outputs, SCENARIO_HELP};
use crate::progress::Progress;
use crate::run::check_path;
use crate::{Done, Failure, tidy};

const EXAMPLES: &str = "\
Examples:
  tariffsim timeline busan-2025
  tariffsim timeline busan-2025 --path deal/void --layers
  tariffsim timeline busan-2025 --format json --out rates.json
  tariffsim timeline g20-2018 --chart g20-timeline.svg

The average is weighted by the baseline's import values, over every basket
(covered or not); MFN duty is not included. CSV is a step function: one
row per path, side and stretch of days [from, to) over which every rate is
constant, rates in percent with four decimals (--exact: full precision);
--layers adds one column per layer (<layer>_percent). JSON carries the
rates as exact fractions, as strings. Without --path, every path.";

/// The formats of a timeline.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// One row per path, side and constant stretch.
    Csv,
    /// Every rate, exact.
    Json,
}

/// Arguments of `tariffsim timeline`.
#[derive(Args)]
#[command(after_help = EXAMPLES)]
pub struct TimelineArgs {
    #[arg(help = SCENARIO_HELP)]
    scenario: String,
    /// Only this path (default: every path)
    #[arg(long, value_name = "PATH")]
    path: Option<String>,
    /// One column per layer beside the total
    #[arg(long)]
    layers: bool,
    /// What to print
    #[arg(long, value_enum, default_value_t = TimelineFormat::Csv)]
    format: TimelineFormat,
    /// Rates in full precision instead of four decimals
    #[arg(long)]
    exact: bool,
    /// Write the average-rate chart (SVG)
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    /// Write the timeline to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs `tariffsim timeline`.
///
/// # Errors
/// Usage errors for an unknown path or bad outputs; failures from loading,
/// evaluating or writing.
pub fn run(a: &TimelineArgs) -> Result<Done, Failure> {
    let outputs = Outputs::new(&[("--out", &a.out), ("--chart", &a.chart)]);
    let source = files::load_for(&a.scenario, &outputs)?;
    let scenario = &source.scenario;
    if let Some(p) = &a.path {
        check_path(scenario, "--path", p)?;
    }
    let progress = Progress::start(format!("drawing the timelines of {}", scenario.info().id));
    let all: Vec<PathTimelines> = match &a.path {
        Some(p) => vec![PathTimelines {
            path: p.clone(),
            probability: scenario
                .tree()
                .path(p)
                .map(|x| x.probability().normalize())
                .unwrap_or_default(),
            sides: scenario.timeline(p).map_err(Failure::run)?,
        }],
        None => path_timelines(scenario).map_err(Failure::run)?,
    };
    let mut contents: Vec<(&'static str, String)> = Vec::new();
    if outputs.has("--chart") {
        let evaluation = scenario.evaluate(Detail::Totals).map_err(Failure::run)?;
        let report = EvaluationReport::new(scenario, &evaluation).map_err(Failure::run)?;
        contents.push(("--chart", timeline_svg(&report, &all)));
    }
    drop(progress);
    let text = match a.format {
        TimelineFormat::Csv => csv(&all, a.layers, a.exact)?,
        TimelineFormat::Json => json_text(scenario.info().id.as_str(), &all, a.layers)?,
    };
    if outputs.has("--out") {
        contents.push(("--out", text));
        outputs.write(&contents, &source.inputs)?;
        return Ok(Done::text(String::new()));
    }
    outputs.write(&contents, &source.inputs)?;
    Ok(Done::text(text))
}

fn csv(all: &[PathTimelines], layers: bool, exact: bool) -> Result<String, Failure> {
    let mut names: Vec<&str> = Vec::new();
    if layers {
        for t in all.iter().flat_map(|p| &p.sides) {
            for l in &t.layers {
                if !names.contains(&l.as_str()) {
                    names.push(l.as_str());
                }
            }
        }
    }
    let mut header: Vec<String> = ["path", "probability", "side", "from", "to"]
        .map(String::from)
        .to_vec();
    header.extend(names.iter().map(|n| tidy::text(&format!("{n}_percent"))));
    header.push("total_percent".into());
    let mut rows = vec![header];
    for p in all {
        for t in &p.sides {
            for piece in &t.pieces {
                let mut r = vec![
                    tidy::text(&p.path),
                    p.probability.normalize().to_string(),
                    tidy::text(&t.label()),
                    piece.window.start().to_string(),
                    piece.window.end().to_string(),
                ];
                for n in &names {
                    let rate = t
                        .layers
                        .iter()
                        .position(|l| l.as_str() == *n)
                        .and_then(|i| piece.by_layer.get(i).copied())
                        .unwrap_or_default();
                    r.push(tidy::percent(rate, exact));
                }
                r.push(tidy::percent(piece.total, exact));
                rows.push(r);
            }
        }
    }
    tidy::csv(&rows)
}

fn json_text(scenario: &str, all: &[PathTimelines], layers: bool) -> Result<String, Failure> {
    let paths: Vec<_> = all
        .iter()
        .map(|p| {
            let sides: Vec<_> = p
                .sides
                .iter()
                .map(|t| {
                    let pieces: Vec<_> = t
                        .pieces
                        .iter()
                        .map(|piece| {
                            let mut v = json!({
                                "from": piece.window.start().to_string(),
                                "to": piece.window.end().to_string(),
                                "total": piece.total.normalize().to_string(),
                            });
                            if layers {
                                let by: serde_json::Map<String, serde_json::Value> = t
                                    .layers
                                    .iter()
                                    .zip(&piece.by_layer)
                                    .map(|(l, r)| (l.to_string(), json!(r.normalize().to_string())))
                                    .collect();
                                v["by_layer"] = by.into();
                            }
                            v
                        })
                        .collect();
                    json!({"side": t.label(), "pieces": pieces})
                })
                .collect();
            json!({"path": p.path, "probability": p.probability.normalize().to_string(), "sides": sides})
        })
        .collect();
    let doc = json!({"scenario": scenario, "rates": "fractions (0.25 is 25%), MFN not included", "paths": paths});
    Ok(serde_json::to_string_pretty(&doc).map_err(Failure::run)? + "\n")
}
