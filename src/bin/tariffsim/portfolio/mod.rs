//! `tariffsim portfolio`: an importer's SKUs across the outcomes of a
//! line-level scenario.

mod totals;

use std::path::PathBuf;

use clap::Args;
use rust_decimal::Decimal;
use serde_json::json;
use tariffsim::load::{LoadOptions, read_portfolio};
use tariffsim::portfolio::{DutyAcrossOutcomes, Portfolio, PortfolioExposure};
use tariffsim::units::Accrued;

use crate::files::{self, Outputs};
use crate::progress::Progress;
use crate::run::ReportFormat;
use crate::{Done, Failure, tidy};

const EXAMPLES: &str = "\
Examples:
  tariffsim portfolio examples/sample-portfolio.csv
  tariffsim portfolio my-skus.csv --scenario us-china-lines-2026
  tariffsim portfolio my-skus.csv --format csv --out duty.csv
  tariffsim portfolio my-skus.csv --totals --format json

SKUS.csv has the columns sku,hts10,annual_value_usd and optionally
description. Every SKU is valued through its HTS-10 line of the scenario's
US<-CN baseline: duty over the horizon on each outcome path, the
probability-weighted expectation, the part a ruling made refundable, and
the measures that carry most of it. SKUs whose line the baseline lacks are
listed, never valued at zero. Amounts are rounded to the cent so that the
SKUs add up to the total to the cent (largest remainder); the table and the
CSV show the same cents, --exact gives CSV amounts in full precision.
CSV has one row per SKU and outcome (each path, then expected): filter on
outcome before summing. --totals values the whole portfolio per outcome
without per-SKU detail (for very large portfolios).";

/// The scenario a portfolio is valued under unless `--scenario` says.
const DEFAULT_SCENARIO: &str = "us-china-lines-2025";

/// Arguments of `tariffsim portfolio`.
#[derive(Args)]
#[command(after_help = EXAMPLES)]
pub struct PortfolioArgs {
    /// A CSV of sku,hts10,annual_value_usd[,description]
    #[arg(value_name = "SKUS.csv")]
    skus: PathBuf,
    /// A line-level scenario file or shipped name
    #[arg(long, value_name = "SCENARIO", default_value = DEFAULT_SCENARIO)]
    scenario: String,
    /// Choose a setting of one of the scenario's switches (a stated
    /// assumption with alternatives), e.g. s122-civil-aircraft=exempt;
    /// repeatable
    #[arg(long = "set", value_name = "SWITCH=SETTING")]
    set: Vec<String>,
    /// What to print
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// The whole portfolio per outcome, without the per-SKU table
    #[arg(long)]
    totals: bool,
    /// CSV amounts in full precision instead of cents
    #[arg(long)]
    exact: bool,
    /// Write the result to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs `tariffsim portfolio`.
///
/// # Errors
/// Usage errors for outputs; failures from reading or evaluating.
pub fn run(a: &PortfolioArgs) -> Result<Done, Failure> {
    let outputs = Outputs::new(&[("--out", &a.out)]);
    outputs.check(&tariffsim::load::Inputs::new())?;
    let (portfolio, mut inputs) =
        read_portfolio(&a.skus, &LoadOptions::new()).map_err(Failure::run)?;
    let source = files::load(&a.scenario, &a.set)?;
    inputs.extend(&source.inputs);
    outputs.check(&inputs)?;
    let scenario = &source.scenario;
    let progress = Progress::start(format!(
        "valuing {} SKUs on {} paths",
        portfolio.items().len(),
        scenario.tree().paths().len()
    ));
    let text = if a.totals {
        totals::totals(&portfolio, scenario, a.format)?
    } else {
        let exposure = portfolio
            .evaluate(scenario, "US", "CN")
            .map_err(Failure::run)?;
        let cents = Cents::of(&exposure);
        match a.format {
            ReportFormat::Table => table(&portfolio, &scenario.info().title, &exposure, &cents),
            ReportFormat::Csv => csv(&exposure, &cents, a.exact)?,
            ReportFormat::Json => json_text(&exposure)?,
        }
    };
    drop(progress);
    if outputs.has("--out") {
        outputs.write(&[("--out", text.into_bytes())], &inputs)?;
        return Ok(Done::text(String::new()));
    }
    Ok(Done::text(text))
}

/// Per-SKU amounts to the cent that add up to the total's: per path net
/// and refundable, then expected net and refundable.
struct Cents {
    /// `[path][item]`.
    net: Vec<Vec<Decimal>>,
    refundable: Vec<Vec<Decimal>>,
    expected_net: Vec<Decimal>,
    expected_refundable: Vec<Decimal>,
    total_net: Vec<Decimal>,
    total_expected_net: Decimal,
    total_expected_refundable: Decimal,
}

impl Cents {
    fn of(e: &PortfolioExposure) -> Cents {
        let c = e.currency();
        let round = |a: Accrued| a.to_cents(c).amount();
        let share = |of: &dyn Fn(&DutyAcrossOutcomes) -> Accrued| {
            let exact: Vec<Decimal> = e.items().iter().map(|(_, d)| of(d).amount()).collect();
            tidy::cents_summing_to(&exact, round(of(e.total())))
        };
        let paths = e.paths().len();
        let at = |v: &[Accrued], k: usize| v.get(k).copied().unwrap_or(Accrued::ZERO);
        Cents {
            net: (0..paths)
                .map(|k| share(&|d| at(&d.net_by_path(), k)))
                .collect(),
            refundable: (0..paths)
                .map(|k| share(&|d| at(d.refundable_by_path(), k)))
                .collect(),
            expected_net: share(&|d| d.expected().net),
            expected_refundable: share(&|d| d.expected().refundable),
            total_net: e.total().net_by_path().iter().map(|a| round(*a)).collect(),
            total_expected_net: round(e.total().expected().net),
            total_expected_refundable: round(e.total().expected().refundable),
        }
    }
}

/// `1234567.891` as `1,234,567.89` (already rounded to cents by the caller).
fn grouped(amount: Decimal) -> String {
    let text = format!("{:.2}", amount.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{out}.{cents}")
}

/// `7321116000` as `7321.11.6000`.
fn hts(code: &str) -> String {
    if code.len() == 10 {
        format!("{}.{}.{}", &code[..4], &code[4..6], &code[6..])
    } else {
        code.to_string()
    }
}

/// A share of `whole` in whole percent, e.g. `41%`.
fn percent(part: Accrued, whole: Accrued) -> String {
    part.ratio(whole)
        .map(|r| format!("{}%", (r * Decimal::ONE_HUNDRED).round()))
        .unwrap_or_default()
}

/// The two measures that carry most of `duty`'s expected duty.
fn drivers(e: &PortfolioExposure, duty: &DutyAcrossOutcomes) -> String {
    let parts: Vec<String> = e
        .drivers(duty)
        .into_iter()
        .take(2)
        .map(|(m, a)| format!("{m} {}", percent(a, duty.expected().net)))
        .collect();
    parts.join(", ")
}

fn table(portfolio: &Portfolio, title: &str, e: &PortfolioExposure, cents: &Cents) -> String {
    let c = e.currency();
    let mut out = String::new();
    let annual: Decimal = e.items().iter().map(|(i, _)| i.annual_value()).sum();
    out.push_str(&format!(
        "Portfolio {}: {} SKUs valued, {} a year ({c})\n",
        portfolio.source(),
        e.items().len(),
        grouped(annual),
    ));
    out.push_str(&format!("Scenario {}: {title}\n", e.scenario()));
    out.push_str(&format!(
        "Additional duty (MFN not included) over {}, annual values held constant\n\n",
        e.horizon()
    ));
    out.push_str("Outcomes\n");
    let id_width = e.paths().iter().map(|p| p.id.len()).max().unwrap_or(0);
    for p in e.paths() {
        out.push_str(&format!(
            "  {:<id_width$}  p = {:<5}  {}\n",
            p.id,
            p.probability.normalize().to_string(),
            p.labels.join("; then ")
        ));
    }
    out.push('\n');
    let mut header: Vec<String> = vec!["SKU".into(), "HTS-10".into(), "Annual value".into()];
    header.extend(e.paths().iter().map(|p| p.id.clone()));
    header.extend([
        "Expected".into(),
        "Refundable".into(),
        "Main measures".into(),
    ]);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (k, (item, duty)) in e.items().iter().enumerate() {
        let mut r = vec![
            item.sku().to_string(),
            hts(&item.hts10().to_string()),
            grouped(item.annual_value()),
        ];
        r.extend(cents.net.iter().map(|per| grouped(per[k])));
        r.push(grouped(cents.expected_net[k]));
        r.push(grouped(cents.expected_refundable[k]));
        r.push(drivers(e, duty));
        rows.push(r);
    }
    let mut total = vec!["TOTAL".to_string(), String::new(), grouped(annual)];
    total.extend(cents.total_net.iter().map(|a| grouped(*a)));
    total.push(grouped(cents.total_expected_net));
    total.push(grouped(cents.total_expected_refundable));
    total.push(drivers(e, e.total()));
    let widths: Vec<usize> = (0..header.len())
        .map(|k| {
            rows.iter()
                .chain([&header, &total])
                .map(|r| r[k].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let text_column = |k: usize| k < 2 || k + 1 == header.len();
    let line = |r: &[String]| -> String {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(k, cell)| {
                let w = widths[k];
                if text_column(k) {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        format!("{}\n", cells.join("  ").trim_end())
    };
    out.push_str(&line(&header));
    for r in &rows {
        out.push_str(&line(r));
    }
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rule));
    out.push_str(&line(&total));

    out.push_str("\nExpected duty by measure, all SKUs\n");
    let measures = e.drivers(e.total());
    let mwidth = measures
        .iter()
        .map(|(m, _)| m.as_str().len())
        .max()
        .unwrap_or(0);
    let amounts: Vec<String> = measures
        .iter()
        .map(|(_, a)| grouped(a.to_cents(c).amount()))
        .collect();
    let awidth = amounts.iter().map(String::len).max().unwrap_or(0);
    for ((m, a), text) in measures.iter().zip(&amounts) {
        out.push_str(&format!(
            "  {:<mwidth$}  {text:>awidth$}  {:>4}\n",
            m.as_str(),
            percent(*a, e.total().expected().net)
        ));
    }
    if let Some(w) = e.warning() {
        out.push_str(&format!("\n{w}\n"));
    }
    out
}

/// One row per SKU and outcome: each path, then `expected`.
fn csv(e: &PortfolioExposure, cents: &Cents, exact: bool) -> Result<String, Failure> {
    let mut rows = vec![
        [
            "sku",
            "hts10",
            "description",
            "annual_value",
            "outcome",
            "probability",
            "net",
            "refundable",
            "gross",
            "main_measures",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (k, (item, duty)) in e.items().iter().enumerate() {
        let base = [
            tidy::text(item.sku().as_str()),
            item.hts10().to_string(),
            tidy::text(item.description()),
            item.annual_value().normalize().to_string(),
        ];
        let figures =
            |net: Decimal, refundable: Decimal, exact_net: Accrued, exact_ref: Accrued| {
                if exact {
                    let (n, r) = (exact_net.amount(), exact_ref.amount());
                    [n, r, n + r].map(|v| tidy::amount(v, true))
                } else {
                    [net, refundable, net + refundable].map(|v| format!("{v:.2}"))
                }
            };
        let net_by_path = duty.net_by_path();
        for (pk, p) in e.paths().iter().enumerate() {
            let mut r = base.to_vec();
            r.push(tidy::text(&p.id));
            r.push(p.probability.normalize().to_string());
            r.extend(figures(
                cents.net[pk][k],
                cents.refundable[pk][k],
                net_by_path.get(pk).copied().unwrap_or(Accrued::ZERO),
                duty.refundable_by_path()
                    .get(pk)
                    .copied()
                    .unwrap_or(Accrued::ZERO),
            ));
            r.push(String::new());
            rows.push(r);
        }
        let mut r = base.to_vec();
        r.push("expected".into());
        r.push(String::new());
        r.extend(figures(
            cents.expected_net[k],
            cents.expected_refundable[k],
            duty.expected().net,
            duty.expected().refundable,
        ));
        r.push(tidy::text(&drivers(e, duty)));
        rows.push(r);
    }
    tidy::csv(&rows)
}

/// The exposure as JSON: every amount exact, as a string.
fn json_text(e: &PortfolioExposure) -> Result<String, Failure> {
    let exact = |a: Accrued| a.amount().normalize().to_string();
    let duty = |d: &DutyAcrossOutcomes| {
        let paths: serde_json::Map<String, serde_json::Value> = e
            .paths()
            .iter()
            .zip(d.net_by_path().iter().zip(d.refundable_by_path()))
            .map(|(p, (n, r))| {
                (
                    p.id.clone(),
                    json!({"net": exact(*n), "refundable": exact(*r)}),
                )
            })
            .collect();
        let x = d.expected();
        json!({
            "by_path": paths,
            "expected": {"net": exact(x.net), "gross": exact(x.gross), "refundable": exact(x.refundable)},
            "drivers": e.drivers(d).into_iter().map(|(m, a)| json!({"measure": m.as_str(), "expected_net": exact(a)})).collect::<Vec<_>>(),
        })
    };
    let items: Vec<_> = e
        .items()
        .iter()
        .map(|(i, d)| {
            json!({"sku": i.sku().as_str(), "hts10": i.hts10().to_string(),
                "description": i.description(), "annual_value": i.annual_value().normalize().to_string(),
                "duty": duty(d)})
        })
        .collect();
    let doc = json!({
        "scenario": e.scenario(),
        "baseline": e.baseline(),
        "currency": e.currency().to_string(),
        "horizon": e.horizon().to_string(),
        "reference": e.reference(),
        "paths": e.paths().iter().map(|p| json!({"id": p.id, "probability": p.probability.normalize().to_string(), "labels": p.labels})).collect::<Vec<_>>(),
        "items": items,
        "total": duty(e.total()),
        "unknown": e.unknown().iter().map(|i| json!({"sku": i.sku().as_str(), "hts10": i.hts10().to_string(), "line": i.line()})).collect::<Vec<_>>(),
    });
    Ok(serde_json::to_string_pretty(&doc).map_err(Failure::run)? + "\n")
}
