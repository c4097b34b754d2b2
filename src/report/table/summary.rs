//! The headline across outcomes: one row per path, the expected duty and
//! the distribution over paths, and the summary built from them.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::columns::{Align, Cell, Columns};
use super::{any_incomplete, has_mfn, heading, mfn_notes, rate_text, reference_name};
use crate::report::evaluation::{EvaluationReport, PathReport, SideReport};
use crate::report::figures::{change_text, money_text, percent_text};

/// The text of [`super::text_summary`], before control characters are
/// escaped.
pub(super) fn summary_text(report: &EvaluationReport) -> String {
    let mut out = String::new();
    heading(&mut out, report);
    let reference = reference_name(report);
    let _ = writeln!(
        out,
        "\nDuty kept by outcome over the {} days (net of refunds; change against {reference})",
        report.days
    );
    outcome_columns(report, &reference)
        .columns
        .write(&mut out, "");
    if any_incomplete(report) {
        out.push_str(
            "  * not complete: some measures could not be valued (see \"Not valued\" below)\n",
        );
    }
    mfn_notes(&mut out, report);
    across_outcomes(&mut out, report, &reference);

    out.push_str("\nKey\n");
    let width = report
        .paths
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(0);
    for p in &report.paths {
        let _ = writeln!(out, "  {:<width$}  {}", p.id, p.labels.join("; then "));
    }
    if !report.reference_is_path() {
        let _ = writeln!(
            out,
            "  {:<width$}  the reference: every measure as scheduled, no outcome applied",
            report.reference.id
        );
    }
    let s = &report.scenario;
    if !s.assumptions.is_empty() {
        out.push_str("\nAssumptions\n");
        for a in &s.assumptions {
            let _ = writeln!(out, "  - {a}");
        }
    }
    if !s.sources.is_empty() {
        out.push_str("\nSources\n");
        for source in &s.sources {
            let _ = writeln!(out, "  - {source}");
        }
    }
    if !report.diagnostics.is_empty() {
        let mut measures: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.measure.as_str())
            .collect();
        measures.sort_unstable();
        measures.dedup();
        let _ = writeln!(
            out,
            "\nNot valued: {} measure(s) the baseline cannot value are left out of the figures, never counted as zero: {}",
            measures.len(),
            measures.join(", ")
        );
    }
    out.push_str(if has_mfn(report) {
        "\nAdditional duty, MFN and all-in as labelled above."
    } else {
        "\nAdditional duty only: MFN duty is not included."
    });
    out.push_str(
        " Amounts are rounded for display only, half away from zero, to two decimals of the unit \
         shown (B = billion, M = million); the JSON report carries the exact figures. Net = gross \
         duty less what is refundable; \"per year\" = net / years covered, actual/actual (a day \
         is 1/365 or 1/366 of its year); \"owed from before\" = duty collected before the window \
         under an authority voided since, owed back too.\n",
    );
    out
}

/// Expected duty and the distribution over paths, per side.
pub(super) fn across_outcomes(out: &mut String, report: &EvaluationReport, reference: &str) {
    out.push_str("\nAcross outcomes (probability-weighted net duty; percentiles are path figures, never interpolated)\n");
    let mut across = Columns::new(
        &[
            "Side",
            "Expected",
            "Eff. rate",
            &format!("vs {reference}"),
            "Min",
            "P10",
            "Median",
            "P90",
            "Max",
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    for side in &report.sides {
        let c = side.currency;
        if side.nothing_valued {
            let mut row = vec![side.title()];
            row.extend((0..8).map(|_| "not valued".to_string()));
            across.row(row.into_iter().map(Cell::Owned));
            continue;
        }
        // A lower bound on some path makes every figure here one too.
        let mark = if side.complete { "" } else { "*" };
        let money = |a: Decimal| format!("{}{mark}", money_text(a, c));
        across.row(
            [
                side.title(),
                money(side.expected),
                rate_text(side.expected_effective_rate),
                change_text(side.expected_change, c),
                money(side.net.min),
                money(side.net.p10),
                money(side.net.median),
                money(side.net.p90),
                money(side.net.max),
            ]
            .map(Cell::Owned),
        );
    }
    across.write(out, "");
    for side in &report.sides {
        if let (Some(mfn), Some(all_in)) = (side.mfn, side.expected_all_in) {
            let _ = writeln!(
                out,
                "  {}: expected all-in {} = expected additional net {} + MFN {}",
                side.title(),
                money_text(all_in, side.currency),
                money_text(side.expected, side.currency),
                money_text(mfn, side.currency)
            );
        }
    }
    for side in report
        .sides
        .iter()
        .filter(|s| !s.expected_refundable.is_zero())
    {
        let _ = writeln!(
            out,
            "  {}: expected gross {} less expected refundable {}",
            side.title(),
            money_text(side.expected_gross, side.currency),
            money_text(side.expected_refundable, side.currency)
        );
    }
}

/// The table of outcomes, and where in it each path's probability and
/// effective rates are, so that a path's detail shows the same texts
/// without writing them again.
pub(super) struct Outcomes<'r> {
    /// One row per path, in order, then the reference when it is not one
    /// of the paths: a group of columns per side of the reference.
    pub(super) columns: Columns<'r>,
    /// The columns of each side.
    per_side: usize,
    /// The sides of the reference, in the order of the groups of columns.
    sides: &'r [SideReport],
}

impl Outcomes<'_> {
    /// The first column of a side's group, after the outcome and its
    /// probability.
    const FIRST_SIDE: usize = 2;
    /// Where the effective rate is in a side's group: after the net duty
    /// and the same per year.
    const RATE: usize = 2;

    /// The probability on `row` (0 is the first path): the path's, with
    /// two decimals, or `reference`.
    pub(super) fn probability(&self, row: usize) -> &str {
        self.columns.text(row + 1, 1)
    }

    /// The effective rate of `side`, the `k`-th side of the path on `row`,
    /// when the table shows it: when the `k`-th side of the reference is
    /// the same importer and exporter (the table then shows this side in
    /// its `k`-th group) and something on the side is valued.
    pub(super) fn rate(&self, row: usize, k: usize, side: &SideReport) -> Option<&str> {
        let shown = self
            .sides
            .get(k)
            .is_some_and(|rs| rs.importer == side.importer && rs.exporter == side.exporter)
            && !side.nothing_valued();
        shown.then(|| {
            self.columns
                .text(row + 1, Self::FIRST_SIDE + k * self.per_side + Self::RATE)
        })
    }
}

/// One row per path (and the reference), a group of columns per side.
pub(super) fn outcome_columns<'r>(report: &'r EvaluationReport, reference: &str) -> Outcomes<'r> {
    let refunds = report.voids_any();
    let change = format!("vs {reference}");
    // With base rates the additional duty is labelled as such, and MFN and
    // the all-in figure follow; without them the table is as it always was.
    let mfn = has_mfn(report);
    let first = if mfn { "Additional net" } else { "Net duty" };
    let mut per_side = vec![first, "Per year", "Eff. rate", change.as_str()];
    if mfn {
        per_side.extend(["MFN", "All-in", "All-in rate"]);
    }
    if refunds {
        per_side.push("Refundable");
        per_side.push("Gross");
    }
    // Collections before the window owed back: not part of the window's
    // gross, so a column of their own when any path has them.
    let before = report
        .paths
        .iter()
        .flat_map(|p| &p.sides)
        .any(|s| !s.refundable_before.is_zero());
    if before {
        per_side.push("Owed from before");
    }
    let sides = &report.reference.sides;
    let mut header = vec!["Outcome", "Probability"];
    let mut align = vec![Align::Left, Align::Right];
    for _ in sides {
        header.extend_from_slice(&per_side);
        align.extend(per_side.iter().map(|_| Align::Right));
    }
    let mut cols = Columns::new(&header, &align);
    cols.group(2, String::new());
    for s in sides {
        cols.group(per_side.len(), s.title());
    }
    // Money with a mark after it, written in one string.
    let marked = |amount: Decimal, s: &SideReport, mark: &str| {
        let mut text = money_text(amount, s.currency);
        text.push_str(mark);
        Cell::Owned(text)
    };
    let owned = |text: String| Cell::Owned(text);
    let mut row: Vec<Cell<'r>> = Vec::with_capacity(header.len());
    let mut add = |p: &'r PathReport, probability: Cell<'r>, is_reference: bool| {
        row.push(Cell::Borrowed(&p.id));
        row.push(probability);
        for (k, rs) in sides.iter().enumerate() {
            let same = |s: &&SideReport| s.importer == rs.importer && s.exporter == rs.exporter;
            // Every path lists its sides in baseline order, as the reference
            // does: the k-th side is the one, unless a path lacks a side.
            match p
                .sides
                .get(k)
                .filter(same)
                .or_else(|| p.sides.iter().find(same))
            {
                Some(s) if s.nothing_valued() => {
                    row.extend(per_side.iter().map(|_| Cell::Borrowed("not valued")));
                }
                Some(s) => {
                    let mark = if s.complete { "" } else { "*" };
                    row.push(marked(s.net, s, mark));
                    row.push(owned(money_text(s.net_per_year, s.currency)));
                    row.push(owned(rate_text(s.effective_rate)));
                    row.push(if is_reference {
                        Cell::Borrowed("-")
                    } else {
                        owned(change_text(s.change, s.currency))
                    });
                    if mfn {
                        match (&s.mfn, s.all_in) {
                            (Some(b), Some(all_in)) => {
                                let mark = if b.partly_valued_lines + b.missing_lines > 0 {
                                    "+"
                                } else {
                                    ""
                                };
                                row.push(marked(b.duty, s, mark));
                                row.push(marked(all_in, s, mark));
                                row.push(owned(rate_text(s.all_in_rate)));
                            }
                            _ => row.extend(["n/a", "n/a", "n/a"].map(Cell::Borrowed)),
                        }
                    }
                    if refunds {
                        row.push(owned(money_text(s.refundable, s.currency)));
                        row.push(owned(money_text(s.gross, s.currency)));
                    }
                    if before {
                        row.push(owned(money_text(s.refundable_before, s.currency)));
                    }
                }
                None => row.extend(per_side.iter().map(|_| Cell::Borrowed("n/a"))),
            }
        }
        cols.row(row.drain(..));
    };
    for p in &report.paths {
        add(
            p,
            owned(percent_text(p.probability, 2)),
            p.id == report.reference.id,
        );
    }
    if !report.reference_is_path() {
        add(&report.reference, Cell::Borrowed("reference"), true);
    }
    Outcomes {
        columns: cols,
        per_side: per_side.len(),
        sides,
    }
}

#[cfg(test)]
mod tests {
    use super::outcome_columns;
    use crate::report::figures::percent_text;
    use crate::report::table::tests::shipped_reports;
    use crate::report::table::{rate_text, reference_name};

    #[test]
    fn a_path_reads_its_probability_and_rates_from_its_outcome_row() {
        let mut rates = 0;
        for report in &shipped_reports() {
            let outcomes = outcome_columns(report, &reference_name(report));
            let mut rows: Vec<_> = report.paths.iter().map(|p| (p, true)).collect();
            if !report.reference_is_path() {
                rows.push((&report.reference, false));
            }
            for (row, (p, is_path)) in rows.into_iter().enumerate() {
                let probability = if is_path {
                    percent_text(p.probability, 2)
                } else {
                    "reference".to_string()
                };
                assert_eq!(outcomes.probability(row), probability);
                for (k, s) in p.sides.iter().enumerate() {
                    if let Some(rate) = outcomes.rate(row, k, s) {
                        assert_eq!(rate, rate_text(s.effective_rate), "{}", p.id);
                        rates += 1;
                    }
                }
            }
        }
        // The shipped scenarios have rates to compare.
        assert!(rates > 0);
    }
}
