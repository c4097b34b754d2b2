//! `tariffsim diff`: where two paths of a scenario differ, by measure and
//! month.

use std::fmt::Write as _;

use clap::Args;
use rust_decimal::Decimal;
use serde_json::json;
use tariffsim::Detail;
use tariffsim::report::{EvaluationReport, MeasureReport, PathReport, change_text, money_text};

use crate::files::{self, SCENARIO_HELP};
use crate::run::{ReportFormat, check_path};
use crate::{Done, Failure, tidy};

const EXAMPLES: &str = "\
Examples:
  tariffsim diff busan-2025 --path deal/void --against deal/upheld
  tariffsim diff g20-2018 --path truce/holds --against no-deal --format csv

One row per side, measure and month where the two paths differ: the net
duty (kept, after refunds) on each, the change from --against to --path,
and the change in gross and refundable duty; then each measure's change
over the window. Measures the baseline cannot value are listed apart,
never counted as zero. CSV amounts are to the cent (--exact: full
precision); JSON is exact, as strings.";

/// Arguments of `tariffsim diff`.
#[derive(Args)]
#[command(after_help = EXAMPLES)]
pub struct DiffArgs {
    #[arg(help = SCENARIO_HELP)]
    scenario: String,
    /// Choose a setting of one of the scenario's switches (a stated
    /// assumption with alternatives), e.g. s122-civil-aircraft=exempt;
    /// repeatable
    #[arg(long = "set", value_name = "SWITCH=SETTING")]
    set: Vec<String>,
    /// The path to look at
    #[arg(long, value_name = "PATH")]
    path: String,
    /// The path it is compared with
    #[arg(long, value_name = "PATH")]
    against: String,
    /// What to print
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// CSV amounts in full precision instead of cents
    #[arg(long)]
    exact: bool,
}

/// A measure's duty in one month on one path: gross and refundable.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Figures {
    gross: Decimal,
    refundable: Decimal,
}

impl Figures {
    fn net(self) -> Decimal {
        self.gross - self.refundable
    }
}

fn month_figures(m: Option<&MeasureReport>, k: usize) -> Figures {
    m.map_or_else(Figures::default, |m| {
        let gross = m
            .by_month
            .as_ref()
            .and_then(|b| b.get(k))
            .copied()
            .unwrap_or_default();
        Figures {
            gross,
            refundable: if m.refundable.is_none_or(|r| r.is_zero()) {
                Decimal::ZERO
            } else {
                gross
            },
        }
    })
}

/// One row of the difference.
struct Row {
    side: String,
    currency: tariffsim::units::Currency,
    measure: String,
    month: String,
    a: Figures,
    b: Figures,
}

/// Runs `tariffsim diff`.
///
/// # Errors
/// Usage errors for unknown paths; failures from loading or evaluating.
pub fn run(a: &DiffArgs) -> Result<Done, Failure> {
    let source = files::load(&a.scenario, &a.set)?;
    let scenario = &source.scenario;
    check_path(scenario, "--path", &a.path)?;
    check_path(scenario, "--against", &a.against)?;
    let evaluation = scenario.evaluate(Detail::Totals).map_err(Failure::run)?;
    let report = EvaluationReport::new(scenario, &evaluation).map_err(Failure::run)?;
    let find = |id: &str| -> Result<&PathReport, Failure> {
        report
            .paths
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Failure::run(format!("path {id} has no report")))
    };
    let (pa, pb) = (find(&a.path)?, find(&a.against)?);
    let mut rows = Vec::new();
    let mut unvalued: Vec<String> = Vec::new();
    for sa in &pa.sides {
        let sb = pb
            .sides
            .iter()
            .find(|s| s.importer == sa.importer && s.exporter == sa.exporter);
        let mut ids: Vec<&MeasureReport> = sa.measures.iter().map(AsRef::as_ref).collect();
        for m in sb.iter().flat_map(|s| s.measures.iter().map(AsRef::as_ref)) {
            if !ids.iter().any(|x| x.id == m.id) {
                ids.push(m);
            }
        }
        for m in ids {
            let ma = sa.measures.iter().find(|x| x.id == m.id).map(AsRef::as_ref);
            let mb = sb
                .and_then(|s| s.measures.iter().find(|x| x.id == m.id))
                .map(AsRef::as_ref);
            if [ma, mb]
                .iter()
                .flatten()
                .any(|x| x.valuation == "not-valued")
            {
                unvalued.push(format!("{} ({})", m.id, sa.label()));
                continue;
            }
            for (k, month) in report.months.iter().enumerate() {
                let (fa, fb) = (month_figures(ma, k), month_figures(mb, k));
                if fa != fb {
                    rows.push(Row {
                        side: sa.label(),
                        currency: sa.currency,
                        measure: m.id.to_string(),
                        month: month.to_string(),
                        a: fa,
                        b: fb,
                    });
                }
            }
        }
    }
    let text = match a.format {
        ReportFormat::Table => table(a, &report, &rows, &unvalued),
        ReportFormat::Csv => csv(a, &rows)?,
        ReportFormat::Json => {
            let list: Vec<_> = rows
                .iter()
                .map(|r| {
                    json!({"side": r.side, "measure": r.measure, "month": r.month,
                        "net": r.a.net().normalize().to_string(),
                        "against_net": r.b.net().normalize().to_string(),
                        "change_net": (r.a.net() - r.b.net()).normalize().to_string(),
                        "change_gross": (r.a.gross - r.b.gross).normalize().to_string(),
                        "change_refundable": (r.a.refundable - r.b.refundable).normalize().to_string()})
                })
                .collect();
            let doc = json!({"scenario": report.scenario.id, "path": a.path, "against": a.against,
                "window": report.window.to_string(), "rows": list, "not_valued": unvalued});
            serde_json::to_string_pretty(&doc).map_err(Failure::run)? + "\n"
        }
    };
    Ok(Done::text(text))
}

fn table(a: &DiffArgs, report: &EvaluationReport, rows: &[Row], unvalued: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} against {} over {} (net duty kept, after refunds; MFN not included)",
        report.scenario.id, a.path, a.against, report.window
    );
    if rows.is_empty() {
        out.push_str("\nThe two paths carry the same duty on every measure in every month.\n");
    }
    let header = [
        "Measure".to_string(),
        "Month".into(),
        a.path.clone(),
        a.against.clone(),
        "Change".into(),
        "Gross change".into(),
        "Refundable change".into(),
    ];
    let mut side = "";
    let mut block: Vec<[String; 7]> = Vec::new();
    let flush = |out: &mut String, block: &mut Vec<[String; 7]>| {
        if block.is_empty() {
            return;
        }
        let widths: Vec<usize> = (0..7)
            .map(|k| {
                block
                    .iter()
                    .chain([&header])
                    .map(|r| r[k].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for r in [&header].into_iter().chain(block.iter()) {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let w = widths[k];
                    if k < 2 {
                        format!("{c:<w$}")
                    } else {
                        format!("{c:>w$}")
                    }
                })
                .collect();
            let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
        }
        block.clear();
    };
    for r in rows {
        if r.side != side {
            flush(&mut out, &mut block);
            side = &r.side;
            let _ = writeln!(out, "\n{side}");
        }
        let c = r.currency;
        block.push([
            r.measure.clone(),
            r.month.clone(),
            money_text(r.a.net(), c),
            money_text(r.b.net(), c),
            change_text(r.a.net() - r.b.net(), c),
            change_text(r.a.gross - r.b.gross, c),
            change_text(r.a.refundable - r.b.refundable, c),
        ]);
    }
    flush(&mut out, &mut block);
    // Each measure's change over the window.
    let mut totals: Vec<(&str, &str, tariffsim::units::Currency, Decimal)> = Vec::new();
    for r in rows {
        let change = r.a.net() - r.b.net();
        match totals
            .iter_mut()
            .find(|t| t.0 == r.side && t.1 == r.measure)
        {
            Some(t) => t.3 += change,
            None => totals.push((&r.side, &r.measure, r.currency, change)),
        }
    }
    if !totals.is_empty() {
        out.push_str("\nChange over the window, by measure\n");
        let w = totals
            .iter()
            .map(|t| t.0.len() + t.1.len() + 2)
            .max()
            .unwrap_or(0);
        for (side, measure, c, change) in &totals {
            let name = format!("{side}  {measure}");
            let _ = writeln!(out, "  {name:<w$}  {:>12}", change_text(*change, *c));
        }
    }
    if !unvalued.is_empty() {
        let _ = writeln!(
            out,
            "\nNot valued on the baseline, left out (never counted as zero): {}",
            unvalued.join(", ")
        );
    }
    out
}

fn csv(a: &DiffArgs, rows: &[Row]) -> Result<String, Failure> {
    let mut table = vec![
        [
            "side",
            "measure",
            "month",
            "path",
            "against",
            "net",
            "against_net",
            "change_net",
            "change_gross",
            "change_refundable",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        table.push(vec![
            tidy::text(&r.side),
            tidy::text(&r.measure),
            r.month.clone(),
            tidy::text(&a.path),
            tidy::text(&a.against),
            tidy::amount(r.a.net(), a.exact),
            tidy::amount(r.b.net(), a.exact),
            tidy::amount(r.a.net() - r.b.net(), a.exact),
            tidy::amount(r.a.gross - r.b.gross, a.exact),
            tidy::amount(r.a.refundable - r.b.refundable, a.exact),
        ]);
    }
    tidy::csv(&table)
}
