//! CSV: exposure by path, side, measure and month; a path's average-rate
//! timeline day by day. Columns are documented in [`super`].

use rust_decimal::Decimal;

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
    "import_value",
    "gross",
    "refundable",
    "net",
    "refundable_before",
    "refund_interest",
    "valuation",
];

fn csv_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("cannot write the {what} csv: {e}"))
}

fn finish(w: ::csv::Writer<Vec<u8>>, what: &str) -> Result<String> {
    let bytes = w.into_inner().map_err(|e| csv_error(what, e))?;
    String::from_utf8(bytes).map_err(|e| csv_error(what, e))
}

/// Exposure as CSV: one row per path × side × measure × month, paths in tree
/// order, sides in baseline order, measures in regime order, months
/// ascending; a header row of [`EXPOSURE_COLUMNS`]. Amounts are exact
/// decimals (not rounded to cents, no separators), each to 28 significant
/// digits, so a measure's rows add up to its total to far below a cent. The
/// reference (as scheduled, or a named path) is not a row: it is in the table
/// and the JSON.
///
/// `gross`, `refundable` and `net` are the month's duty; `refundable` is the
/// part collected under a voided authority, owed back, and `net` = `gross` −
/// `refundable`. What a measure collected before the window and owes back
/// (`refundable_before`) and the interest on all its refunds
/// (`refund_interest`, empty when the scenario states no rate) are not
/// monthly: each stands on the measure's first row and is `0` on the others,
/// so every column sums to its total. A measure the engine could not value
/// has every amount empty, never `0`, and `valuation` = `not-valued` (the
/// diagnostics say why); `partly-valued` amounts are lower bounds.
///
/// # Errors
/// [`Error::Invalid`] if the CSV writer fails.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, exposure_csv}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let csv = exposure_csv(&report)?;
/// assert!(csv.starts_with("path,probability,importer,exporter,currency,measure,"));
/// // 4 paths × (4 US measures + 3 or 4 Chinese ones) × 12 months, plus the header.
/// assert_eq!(csv.lines().count(), 1 + 12 * (4 * 7 + 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn exposure_csv(report: &EvaluationReport) -> Result<String> {
    let what = "exposure";
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
    for p in &report.paths {
        let probability = p.probability.to_string();
        for s in &p.sides {
            let (importer, exporter, currency) = (
                s.importer.to_string(),
                s.exporter.to_string(),
                s.currency.to_string(),
            );
            for m in &s.measures {
                let (id, authority, layer) =
                    (m.id.to_string(), m.authority.name(), m.layer.to_string());
                let origin = m
                    .origin
                    .as_ref()
                    .map_or(String::new(), |o| o.rule.to_string());
                let voided = m.refundable.is_some_and(|r| !r.is_zero());
                let text = |a: Option<Decimal>| a.map_or(String::new(), |a| a.to_string());
                for (k, month) in report.months.iter().enumerate() {
                    let duty = m
                        .by_month
                        .as_ref()
                        .map(|b| b.get(k).copied().unwrap_or(Decimal::ZERO));
                    let owed = duty.map(|d| if voided { d } else { Decimal::ZERO });
                    let kept = duty.zip(owed).map(|(d, o)| d - o);
                    let (before, interest) = if k == 0 {
                        (m.refundable_before, m.refund_interest)
                    } else {
                        (
                            m.refundable_before.map(|_| Decimal::ZERO),
                            m.refund_interest.map(|_| Decimal::ZERO),
                        )
                    };
                    let import = s.import_by_month.get(k).copied().unwrap_or(Decimal::ZERO);
                    w.write_record([
                        p.id.as_str(),
                        &probability,
                        &importer,
                        &exporter,
                        &currency,
                        &id,
                        authority,
                        &layer,
                        &origin,
                        &month.to_string(),
                        &days.get(k).copied().unwrap_or(0).to_string(),
                        &import.to_string(),
                        &text(duty),
                        &text(owed),
                        &text(kept),
                        &text(before),
                        &text(interest),
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
/// average additional rate, weighted by the baseline's values; MFN duty is
/// not included.
///
/// # Errors
/// [`Error::Invalid`] when a layer is named `date`, `side` or `total` (the
/// columns would clash), or the CSV writer fails.
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
    let mut layers: Vec<&LayerId> = Vec::new();
    for t in timelines {
        for l in &t.layers {
            if !layers.contains(&l) {
                if ["date", "side", "total"].contains(&l.as_str()) {
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
