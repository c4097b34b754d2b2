//! An importer's own SKUs across the outcomes of a line-level scenario.
//!
//! ```text
//! cargo run --release --example portfolio -- my-skus.csv [scenario.toml] [--out FILE]
//! ```
//!
//! `my-skus.csv` has the columns `sku,hts10,annual_value_usd` and optionally
//! `description` (see `tariffsim::portfolio`); the scenario defaults to
//! `data/scenarios/us-china-lines-2025.toml`. Without arguments the example
//! reads `examples/sample-portfolio.csv`: seventeen made-up SKUs across
//! chapters, one of them (`CORN-FEED`) under a line with no 2024 imports
//! from China, to show the warning. None of it is a real importer's data.
//!
//! Every SKU is valued through its HTS-10 line; the table shows the duty
//! over the scenario's horizon on each outcome path, the probability-weighted
//! expectation, the part a court ruling made refundable, and the measures
//! that carry most of the expected duty. Amounts are exact until printed,
//! then rounded to cents (half away from zero).
//!
//! `--out FILE` writes the table to a file instead of standard output: whole
//! or not at all, and never over the SKU file or a file the scenario reads.
//! `--totals` values the whole portfolio per outcome without the per-SKU
//! table (the engine then keeps no per-SKU detail: the mode for very large
//! portfolios).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rust_decimal::Decimal;
use std::collections::HashSet;

use tariffsim::load::{
    LoadOptions, check_outputs, load_scenario_with, read_portfolio, write_outputs,
};
use tariffsim::portfolio::{Portfolio, PortfolioExposure};
use tariffsim::units::Accrued;
use tariffsim::{Baseline, Basket, BasketKey, Currency, Detail, Periods, Scenario};

const DEFAULT_PORTFOLIO: &str = "examples/sample-portfolio.csv";
const DEFAULT_SCENARIO: &str = "data/scenarios/us-china-lines-2025.toml";

const USAGE: &str = "usage: portfolio [my-skus.csv] [scenario.toml] [--out FILE] [--totals]";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = None;
    if let Some(i) = args.iter().position(|a| a == "--out") {
        if i + 1 >= args.len() {
            eprintln!("--out needs a file; {USAGE}");
            return ExitCode::from(2);
        }
        out = Some(PathBuf::from(args.remove(i + 1)));
        args.remove(i);
    }
    let totals = args.iter().any(|a| a == "--totals");
    args.retain(|a| a != "--totals");
    if args.len() > 2 || args.iter().any(|a| a.starts_with('-')) {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let skus = args.first().map_or(DEFAULT_PORTFOLIO, String::as_str);
    let scenario = args.get(1).map_or(DEFAULT_SCENARIO, String::as_str);
    match run(Path::new(skus), Path::new(scenario), out.as_deref(), totals) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The table, or nothing when it went to `out`.
fn run(
    skus: &Path,
    scenario: &Path,
    out: Option<&Path>,
    totals: bool,
) -> tariffsim::Result<String> {
    let options = LoadOptions::new();
    let (portfolio, mut inputs) = read_portfolio(skus, &options)?;
    let loaded = load_scenario_with(scenario, &options)?;
    inputs.extend(loaded.inputs());
    if let Some(out) = out {
        check_outputs(&[out], &inputs)?;
    }
    let scenario = loaded.scenario();
    let text = if totals {
        render_totals(&portfolio, scenario)?
    } else {
        let exposure = portfolio.evaluate(scenario, "US", "CN")?;
        render(&portfolio, &scenario.info().title, &exposure)
    };
    match out {
        Some(out) => {
            write_outputs(&[(out, text.as_bytes())], &inputs)?;
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// The whole portfolio's duty per outcome, valued in place of the US<-CN
/// baseline; SKUs whose line the baseline lacks are counted and left out.
fn render_totals(portfolio: &Portfolio, scenario: &Scenario) -> tariffsim::Result<String> {
    let lines = scenario
        .baselines()
        .iter()
        .find(|b| b.importer().as_str() == "US" && b.exporter().as_str() == "CN")
        .ok_or_else(|| tariffsim::Error::Invalid("the scenario has no US<-CN baseline".into()))?;
    let known: HashSet<_> = lines.baskets().iter().map(|b| b.key().clone()).collect();
    let mut left_out = 0usize;
    let mut baskets = Vec::with_capacity(portfolio.items().len());
    for i in portfolio.items() {
        if known.contains(&BasketKey::Hs(i.hts10())) {
            baskets.push(Basket::annual(i.key(), "", i.annual_value()));
        } else {
            left_out += 1;
        }
    }
    let own = Baseline::new(
        lines.importer().clone(),
        lines.exporter().clone(),
        lines.currency(),
        Periods::Annual,
        baskets,
    )?;
    let baselines = scenario
        .baselines()
        .iter()
        .map(|b| {
            if std::ptr::eq(b, lines) {
                own.clone()
            } else {
                b.clone()
            }
        })
        .collect();
    let evaluation = scenario.revalue(baselines)?.evaluate(Detail::Totals)?;
    let mut out = format!(
        "Portfolio {}: {} SKUs valued, {left_out} left out (line not in the baseline)
",
        portfolio.source(),
        portfolio.items().len() - left_out
    );
    for p in evaluation.paths() {
        out.push_str(&format!(
            "  {:<24} p = {:<5} {:>24} kept\n",
            p.id(),
            p.probability(),
            money(p.side("US", "CN")?.net(), lines.currency())
        ));
    }
    Ok(out)
}

/// `1234567.891` as `1,234,567.89`: rounded to cents here, at print time.
fn money(amount: Accrued, currency: Currency) -> String {
    grouped(amount.to_cents(currency).amount())
}

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

fn render(portfolio: &Portfolio, title: &str, e: &PortfolioExposure) -> String {
    let c = e.currency();
    let mut out = String::new();
    let annual: Decimal = e.items().iter().map(|(i, _)| i.annual_value()).sum();
    out.push_str(&format!(
        "Portfolio {}: {} SKUs valued, {} a year ({})\n",
        portfolio.source(),
        e.items().len(),
        grouped(annual),
        c
    ));
    out.push_str(&format!("Scenario {}: {title}\n", e.scenario()));
    out.push_str(&format!(
        "Additional duty (MFN not included) over {}, annual values held constant\n\n",
        e.horizon()
    ));

    // Path columns are headed by their last branch id when that is unique.
    let last: Vec<&str> = e
        .paths()
        .iter()
        .map(|p| p.id.rsplit('/').next().unwrap_or(&p.id))
        .collect();
    let unique = last.iter().enumerate().all(|(i, a)| !last[..i].contains(a));
    let heads: Vec<String> = e
        .paths()
        .iter()
        .zip(&last)
        .map(|(p, l)| if unique { l.to_string() } else { p.id.clone() })
        .collect();
    out.push_str("Outcomes\n");
    let id_width = e.paths().iter().map(|p| p.id.len()).max().unwrap_or(0);
    for p in e.paths() {
        out.push_str(&format!(
            "  {:<id_width$}  p = {:<5}  {}\n",
            p.id,
            p.probability.normalize().to_string(),
            p.labels.last().map_or("", String::as_str)
        ));
    }
    out.push('\n');

    let mut header = vec![
        "SKU".to_string(),
        "HTS-10".to_string(),
        "Annual value".to_string(),
    ];
    header.extend(heads);
    header.extend([
        "Expected".to_string(),
        "Refundable".to_string(),
        "Main measures".to_string(),
    ]);
    let row = |sku: String,
               code: String,
               value: String,
               duty: &tariffsim::portfolio::DutyAcrossOutcomes| {
        let mut r = vec![sku, code, value];
        r.extend(duty.net_by_path().iter().map(|a| money(*a, c)));
        r.push(money(duty.expected().net, c));
        r.push(money(duty.expected().refundable, c));
        let drivers: Vec<String> = e
            .drivers(duty)
            .into_iter()
            .take(2)
            .map(|(m, a)| format!("{m} {}", percent(a, duty.expected().net)))
            .collect();
        r.push(drivers.join(", "));
        r
    };
    let mut rows: Vec<Vec<String>> = e
        .items()
        .iter()
        .map(|(i, d)| {
            row(
                i.sku().to_string(),
                hts(&i.hts10().to_string()),
                grouped(i.annual_value()),
                d,
            )
        })
        .collect();
    rows.push(row(
        "TOTAL".into(),
        String::new(),
        grouped(annual),
        e.total(),
    ));
    let widths: Vec<usize> = (0..header.len())
        .map(|k| {
            rows.iter()
                .chain([&header])
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
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let last_row = rows.len() - 1;
    for (i, r) in rows.iter().enumerate() {
        if i == last_row {
            out.push_str(&line(&rule));
        }
        out.push_str(&line(r));
    }

    out.push_str("\nExpected duty by measure, all SKUs\n");
    let drivers = e.drivers(e.total());
    let mwidth = drivers
        .iter()
        .map(|(m, _)| m.as_str().len())
        .max()
        .unwrap_or(0);
    let amounts: Vec<String> = drivers.iter().map(|(_, a)| money(*a, c)).collect();
    let awidth = amounts.iter().map(String::len).max().unwrap_or(0);
    for ((m, a), text) in drivers.iter().zip(&amounts) {
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
