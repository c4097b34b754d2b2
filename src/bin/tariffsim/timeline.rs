//! `tariffsim timeline`: the trade-weighted average additional rate over
//! time, per path and side.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;
use tariffsim::Detail;
use tariffsim::report::{
    EvaluationReport, PathTimelines, base_note, layers_svg, path_timelines, reference_timeline,
    timeline_svg,
};

use crate::chart;
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
  tariffsim timeline busan-2025 --path deal/void --layers --chart layers.svg
  tariffsim timeline g20-2018 --chart g20-timeline.png   (built with --features png)

The average is weighted by the baseline's import values, over every basket
(covered or not). total_percent is the additional rate; where the scenario
gives base rates, all_in_percent adds the base (MFN) rate, and --layers
shows it as mfn_percent (ad valorem parts only: lines with specific or
compound rates are listed on standard error, and the two are lower bounds
there; empty for a side without base rates). CSV is a step function: one
row per path, side and stretch of days [from, to) over which every rate is
constant, rates in percent with four decimals (--exact: full precision);
--layers adds one column per layer (<layer>_percent). JSON carries the
rates as exact fractions, as strings. Without --path, every path.

--chart draws every path (or the one --path names) beside the reference,
dashed; with --path and --layers it draws that path's rate stacked by
layer instead. A chart named FILE.png is written as PNG when the tool is
built with --features png.";

/// The base-rate column and field.
const MFN: &str = "mfn";
/// The all-in (base plus additional) column and field.
const ALL_IN: &str = "all_in";
/// What the JSON's rates are.
const RATES: &str = "fractions (0.25 is 25%): total is the additional rate; where the scenario gives base rates, mfn is the base rate (ad valorem parts only; the side's mfn says which lines it leaves out) and all_in their sum";

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
    /// Choose a setting of one of the scenario's switches (a stated
    /// assumption with alternatives), e.g. s122-civil-aircraft=exempt;
    /// repeatable
    #[arg(long = "set", value_name = "SWITCH=SETTING")]
    set: Vec<String>,
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
    /// Write the average-rate chart (SVG; PNG for FILE.png with the png feature); with --path and --layers, that path's layers stacked
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
    chart::check("--chart", a.chart.as_deref())?;
    if a.chart.is_some() && a.layers && a.path.is_none() {
        return Err(Failure::usage(
            "--chart with --layers draws one path's layers: name it with --path",
        ));
    }
    let outputs = Outputs::new(&[("--out", &a.out), ("--chart", &a.chart)]);
    let source = files::load_for(&a.scenario, &a.set, &outputs)?;
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
    let mut contents: Vec<(&'static str, Vec<u8>)> = Vec::new();
    if outputs.has("--chart") {
        let evaluation = scenario.evaluate(Detail::Totals).map_err(Failure::run)?;
        let report = EvaluationReport::new(scenario, &evaluation).map_err(Failure::run)?;
        let svg = match all.as_slice() {
            [one] if a.layers => layers_svg(&report, one),
            _ => {
                let mut drawn = all.clone();
                if !drawn.iter().any(|p| p.path == report.reference.id) {
                    drawn.push(reference_timeline(scenario).map_err(Failure::run)?);
                }
                timeline_svg(&report, &drawn)
            }
        };
        contents.push((
            "--chart",
            chart::encode("--chart", a.chart.as_deref(), svg)?,
        ));
    }
    drop(progress);
    // Base rates and their gaps are the same on every path.
    for t in all.first().map_or(&[][..], |p| &p.sides[..]) {
        if let Some(note) = base_note(t) {
            eprintln!("tariffsim: warning: {note}");
        }
    }
    let text = match a.format {
        TimelineFormat::Csv => csv(&all, a.layers, a.exact)?,
        TimelineFormat::Json => json_text(scenario.info().id.as_str(), &all, a.layers)?,
    };
    if outputs.has("--out") {
        contents.push(("--out", text.into_bytes()));
        outputs.write(&contents, &source.inputs)?;
        return Ok(Done::text(String::new()));
    }
    outputs.write(&contents, &source.inputs)?;
    Ok(Done::text(text))
}

fn csv(all: &[PathTimelines], layers: bool, exact: bool) -> Result<String, Failure> {
    let with_base = all.iter().flat_map(|p| &p.sides).any(|t| t.base.is_some());
    let mut names: Vec<&str> = Vec::new();
    if layers {
        for t in all.iter().flat_map(|p| &p.sides) {
            for l in &t.layers {
                if with_base && [MFN, ALL_IN].contains(&l.as_str()) {
                    return Err(Failure::run(format!(
                        "layer {:?} clashes with the base-rate column {}_percent: rename the layer",
                        l.as_str(),
                        l.as_str()
                    )));
                }
                if !names.contains(&l.as_str()) {
                    names.push(l.as_str());
                }
            }
        }
    }
    let mut header: Vec<String> = ["path", "probability", "side", "from", "to"]
        .map(String::from)
        .to_vec();
    if with_base && layers {
        header.push(format!("{MFN}_percent"));
    }
    header.extend(names.iter().map(|n| tidy::text(&format!("{n}_percent"))));
    header.push("total_percent".into());
    if with_base {
        header.push(format!("{ALL_IN}_percent"));
    }
    let cell =
        |r: Option<rust_decimal::Decimal>| r.map_or(String::new(), |r| tidy::percent(r, exact));
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
                if with_base && layers {
                    r.push(cell(piece.base));
                }
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
                if with_base {
                    r.push(cell(piece.all_in()));
                }
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
                            if let (Some(base), Some(all_in)) = (piece.base, piece.all_in()) {
                                v[MFN] = json!(base.normalize().to_string());
                                v[ALL_IN] = json!(all_in.normalize().to_string());
                            }
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
                    let mut side = json!({"side": t.label(), "pieces": pieces});
                    if let Some(b) = &t.base {
                        side[MFN] = json!({
                            "source": b.source,
                            "partly_valued_lines": b.partly_valued.lines,
                            "partly_valued_import_value": b.partly_valued.import_value.amount().normalize().to_string(),
                            "missing_lines": b.missing.lines,
                            "missing_import_value": b.missing.import_value.amount().normalize().to_string(),
                        });
                    }
                    side
                })
                .collect();
            json!({"path": p.path, "probability": p.probability.normalize().to_string(), "sides": sides})
        })
        .collect();
    let doc = json!({"scenario": scenario, "rates": RATES, "paths": paths});
    Ok(serde_json::to_string_pretty(&doc).map_err(Failure::run)? + "\n")
}
