//! CSV: exposure by path, side, measure and month; a path's average-rate
//! timeline day by day. Columns are documented in [`super`].

use rust_decimal::Decimal;

use super::cells;
use super::evaluation::EvaluationReport;
use crate::engine::Timeline;
use crate::error::{Error, Result};
use crate::units::{Date, LayerId, days_between};

/// The columns of [`exposure_csv`], in order.
pub const EXPOSURE_COLUMNS: [&str; 18] = [
    "path",
    "probability",
    "importer",
    "exporter",
    "currency",
    "measure",
    "authority",
    "layer",
    "origin_rule",
    "month",
    "days",
    "side_import_value",
    "gross",
    "refundable",
    "net",
    "refundable_before",
    "refund_interest",
    "valuation",
];

/// How [`exposure_csv`] writes amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amounts {
    /// To the cent, half away from zero, each measure's months adjusted by
    /// largest remainder so they add up to its rounded total (and a side's
    /// monthly imports to theirs): what a spreadsheet sums.
    Cents,
    /// Exact decimals, to 28 significant digits, trailing zeros dropped.
    Exact,
}

fn csv_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("cannot write the {what} csv: {e}"))
}

fn finish(w: ::csv::Writer<Vec<u8>>, what: &str) -> Result<String> {
    let bytes = w.into_inner().map_err(|e| csv_error(what, e))?;
    String::from_utf8(bytes).map_err(|e| csv_error(what, e))
}

/// Exposure as CSV: one row per path × side × measure × month, paths in tree
/// order, sides in baseline order, measures in regime order, months
/// ascending; a header row of [`EXPOSURE_COLUMNS`] (plain RFC 4180, no
/// comment rows). The reference (as scheduled, or a named path) is not a
/// row: it is in the table and the JSON.
///
/// `gross`, `refundable` and `net` are the month's duty; `refundable` is the
/// part collected under a voided authority, owed back, and `net` = `gross` −
/// `refundable`. What a measure collected before the window and owes back
/// (`refundable_before`) and the interest on all its refunds
/// (`refund_interest`, empty when the scenario states no rate) are not
/// monthly: each stands on the measure's first row and is `0` on the others.
/// The side's imports in the month (`side_import_value`) stand on the
/// side's first measure row of each month and are empty on the others. So
/// every column sums to its total. A measure the engine could not value has
/// every amount empty, never `0`, and `valuation` = `not-valued` (the
/// diagnostics say why); `partly-valued` amounts are lower bounds. Text
/// cells that a spreadsheet would read as a formula are escaped
/// ([`cells::text`]).
///
/// # Errors
/// [`Error::Invalid`] if the CSV writer fails.
///
/// ```
/// use tariffsim::{Detail, report::{Amounts, EvaluationReport, exposure_csv}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let csv = exposure_csv(&report, Amounts::Cents)?;
/// assert!(csv.starts_with("path,probability,importer,exporter,currency,measure,"));
/// // 4 paths × (4 US measures + 3 or 4 Chinese ones) × 12 months, plus the header.
/// assert_eq!(csv.lines().count(), 1 + 12 * (4 * 7 + 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn exposure_csv(report: &EvaluationReport, amounts: Amounts) -> Result<String> {
    let what = "exposure";
    let exact = amounts == Amounts::Exact;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(EXPOSURE_COLUMNS)
        .map_err(|e| csv_error(what, e))?;
    let h = report.window;
    let days: Vec<i64> = report
        .months
        .iter()
        .map(|m| {
            let start = m.first_day().max(h.start());
            let end = m.next_first_day().map_or(h.end(), |d| d.min(h.end()));
            days_between(start, end).max(0)
        })
        .collect();
    let months = report.months.len();
    let monthly = |values: &[Decimal]| -> Vec<Decimal> {
        let by_month: Vec<Decimal> = (0..months)
            .map(|k| values.get(k).copied().unwrap_or(Decimal::ZERO))
            .collect();
        if exact {
            by_month
        } else {
            let total = cells::cents(by_month.iter().sum());
            cells::cents_summing_to(&by_month, total)
        }
    };
    let money = |a: Option<Decimal>| a.map_or(String::new(), |a| cells::amount(a, exact));
    for p in &report.paths {
        let (path, probability) = (cells::text(&p.id), p.probability.normalize().to_string());
        for s in &p.sides {
            let (importer, exporter, currency) = (
                cells::text(s.importer.as_str()),
                cells::text(s.exporter.as_str()),
                s.currency.to_string(),
            );
            let imports = monthly(&s.import_by_month);
            for (mi, m) in s.measures.iter().enumerate() {
                let (id, authority, layer) = (
                    cells::text(m.id.as_str()),
                    cells::text(m.authority.name()),
                    cells::text(m.layer.as_str()),
                );
                let origin = m
                    .origin
                    .as_ref()
                    .map_or(String::new(), |o| cells::text(o.rule.as_str()));
                let voided = m.refundable.is_some_and(|r| !r.is_zero());
                let duty = m.by_month.as_deref().map(monthly);
                for (k, month) in report.months.iter().enumerate() {
                    let gross = duty.as_ref().map(|d| d[k]);
                    let owed = gross.map(|g| if voided { g } else { Decimal::ZERO });
                    let kept = gross.zip(owed).map(|(g, o)| g - o);
                    let (before, interest) = if k == 0 {
                        (m.refundable_before, m.refund_interest)
                    } else {
                        (
                            m.refundable_before.map(|_| Decimal::ZERO),
                            m.refund_interest.map(|_| Decimal::ZERO),
                        )
                    };
                    let import = (mi == 0).then(|| imports[k]);
                    w.write_record([
                        path.as_str(),
                        &probability,
                        &importer,
                        &exporter,
                        &currency,
                        &id,
                        &authority,
                        &layer,
                        &origin,
                        &month.to_string(),
                        &days.get(k).copied().unwrap_or(0).to_string(),
                        &money(import),
                        &money(gross),
                        &money(owed),
                        &money(kept),
                        &money(before),
                        &money(interest),
                        &m.valuation,
                    ])
                    .map_err(|e| csv_error(what, e))?;
                }
            }
        }
    }
    finish(w, what)
}

/// One path's average-rate timeline as CSV, day by day: one row per day per
/// side, days ascending and sides in baseline order within a day; columns
/// `date`, `side` (`US<-CN`), one column per layer (every side's layers, in
/// order of first appearance; `0` where a side has no such layer) and
/// `total`. Rates are exact fractions (`0.25` is 25%): the trade-weighted
/// average additional rate, weighted by the baseline's values. Where a side
/// has base rates, two more columns follow: `mfn`, the average base rate
/// (ad valorem parts only, see [`crate::report::base_note`]), and `all_in`,
/// `mfn + total`; both are empty for a side without base rates.
///
/// # Errors
/// [`Error::Invalid`] when a layer is named `date`, `side`, `total`, or
/// (with base rates) `mfn` or `all_in` (the columns would clash), or the CSV
/// writer fails.
///
/// ```
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let csv = tariffsim::report::timeline_csv(&scenario.timeline("no-deal")?)?;
/// let mut lines = csv.lines();
/// assert_eq!(lines.next(), Some("date,side,section-301,cn-retaliation,cn-value-match,total"));
/// // No deal: every US import from China pays 25% from 2019-01-01.
/// assert_eq!(lines.next(), Some("2019-01-01,US<-CN,0.25,0,0,0.25"));
/// // 365 days × 2 sides, plus the header.
/// assert_eq!(csv.lines().count(), 1 + 365 * 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline_csv(timelines: &[Timeline]) -> Result<String> {
    let what = "timeline";
    let with_base = timelines.iter().any(|t| t.base.is_some());
    let mut layers: Vec<&LayerId> = Vec::new();
    for t in timelines {
        for l in &t.layers {
            if !layers.contains(&l) {
                if ["date", "side", "total"].contains(&l.as_str())
                    || (with_base && ["mfn", "all_in"].contains(&l.as_str()))
                {
                    return Err(Error::Invalid(format!(
                        "layer {:?} clashes with a timeline csv column: rename the layer",
                        l.as_str()
                    )));
                }
                layers.push(l);
            }
        }
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["date", "side"];
    header.extend(layers.iter().map(|l| l.as_str()));
    header.push("total");
    if with_base {
        header.extend(["mfn", "all_in"]);
    }
    w.write_record(&header).map_err(|e| csv_error(what, e))?;

    let start = timelines
        .iter()
        .filter_map(|t| t.pieces.first())
        .map(|p| p.window.start())
        .min();
    let end = timelines
        .iter()
        .filter_map(|t| t.pieces.last())
        .map(|p| p.window.end())
        .max();
    let (Some(start), Some(end)) = (start, end) else {
        return finish(w, what);
    };
    let labels: Vec<String> = timelines.iter().map(Timeline::label).collect();
    // For each side, where each of the csv's layers sits in its own layers.
    let columns: Vec<Vec<Option<usize>>> = timelines
        .iter()
        .map(|t| {
            layers
                .iter()
                .map(|l| t.layers.iter().position(|x| x == *l))
                .collect()
        })
        .collect();
    let mut cursor = vec![0usize; timelines.len()];
    let mut day: Date = start;
    while day < end {
        for (si, t) in timelines.iter().enumerate() {
            while cursor[si] < t.pieces.len() && t.pieces[cursor[si]].window.end() <= day {
                cursor[si] += 1;
            }
            let Some(piece) = t.pieces.get(cursor[si]).filter(|p| p.window.contains(day)) else {
                continue;
            };
            let mut row = vec![day.to_string(), labels[si].clone()];
            for c in &columns[si] {
                let v = c
                    .and_then(|i| piece.by_layer.get(i))
                    .copied()
                    .unwrap_or(Decimal::ZERO);
                row.push(v.normalize().to_string());
            }
            row.push(piece.total.normalize().to_string());
            if with_base {
                for rate in [piece.base, piece.all_in()] {
                    row.push(rate.map_or(String::new(), |r| r.normalize().to_string()));
                }
            }
            w.write_record(&row).map_err(|e| csv_error(what, e))?;
        }
        day = day.tomorrow().map_err(|e| {
            Error::Invalid(format!(
                "the timeline runs past the last representable date: {e}"
            ))
        })?;
    }
    finish(w, what)
}
