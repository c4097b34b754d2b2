//! One path's detail: its duty by measure, answers, voided measures,
//! refunds and commitments.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::columns::{Align, Cell, Columns};
use super::rate_text;
use super::rows::{Amounts, MeasureRows};
use super::summary::Outcomes;
use crate::report::evaluation::{PathReport, SideReport};
use crate::report::figures::{money_text, percent_text};
use crate::units::Currency;

/// One path's block: labels, duty by measure per side, answers, voided
/// measures, commitments. Its probability (`reference` for the reference
/// when it is not one of the paths) and effective rates are the texts on
/// `row` of `outcomes`; `measures` writes each side's measure table.
pub(super) fn path_detail<'r>(
    out: &mut String,
    p: &'r PathReport,
    (outcomes, row): (&Outcomes<'_>, usize),
    measures: &mut MeasureRows<'r>,
) {
    out.push('\n');
    out.push_str(&p.id);
    out.push_str(" (");
    out.push_str(outcomes.probability(row));
    out.push_str("; ");
    for (i, k) in p.kinds.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k.name());
    }
    out.push_str(")\n");
    for l in p.labels.iter().filter(|l| !l.is_empty()) {
        out.push_str("  > ");
        out.push_str(l);
        out.push('\n');
    }
    for (k, s) in p.sides.iter().enumerate() {
        out.push_str("  ");
        push_title(out, s);
        if s.nothing_valued() {
            out.push_str(": not valued on ");
            out.push_str(&money_text(s.import_value, s.currency));
            out.push_str(" of imports (no measure could be valued)\n");
            continue;
        }
        out.push_str(": ");
        out.push_str(&money_text(s.net, s.currency));
        out.push_str(" kept on ");
        out.push_str(&money_text(s.import_value, s.currency));
        out.push_str(" of imports (");
        match outcomes.rate(row, k, s) {
            Some(rate) => out.push_str(rate),
            None => out.push_str(&rate_text(s.effective_rate)),
        }
        out.push(')');
        if !s.complete {
            out.push_str("; not complete");
        }
        out.push('\n');
        if let (Some(b), Some(all_in)) = (&s.mfn, s.all_in) {
            let _ = writeln!(
                out,
                "    additional {} + MFN {} = all-in {} ({})",
                money_text(s.net, s.currency),
                money_text(b.duty, s.currency),
                money_text(all_in, s.currency),
                rate_text(s.all_in_rate)
            );
        }
        if s.measures.is_empty() {
            continue;
        }
        measures.write(out, s, Amounts::of(p, s));
    }
    if !p.answers.is_empty() {
        out.push_str("  Retaliation answers (annual values; covered is capped by the imports not yet taxed)\n");
        let mut cols = Columns::new(
            &[
                "Answer",
                "Answers",
                "Policy",
                "From",
                "Rate",
                "Peak",
                "Requested",
                "Covered",
                "",
            ],
            &[
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
        );
        for a in &p.answers {
            let value = |v: Option<Decimal>, c: Currency| {
                v.map_or_else(|| "-".to_string(), |v| money_text(v, c))
            };
            let triggers = match a.triggers.as_slice() {
                [one] => one.to_string(),
                many => format!("{} measures", many.len()),
            };
            cols.row(
                [
                    a.answer.to_string(),
                    triggers,
                    a.policy.clone(),
                    a.effective.to_string(),
                    percent_text(a.rate, 2),
                    percent_text(a.peak, 2),
                    value(a.requested, a.currency),
                    value(a.covered, a.currency),
                    if a.capped() {
                        "capped".to_string()
                    } else {
                        String::new()
                    },
                ]
                .map(Cell::Owned),
            );
        }
        cols.write(out, "    ");
    }
    for v in &p.voided {
        let _ = writeln!(
            out,
            "  Voided: {} (ruling {}); everything it collected up to the ruling is owed back",
            v.measure, v.date
        );
    }
    for s in p
        .sides
        .iter()
        .filter(|s| !s.refundable.is_zero() || !s.refundable_before.is_zero())
    {
        let _ = writeln!(
            out,
            "  Refundable on {}: {} collected in the window, {} before it{}",
            s.label(),
            money_text(s.refundable, s.currency),
            money_text(s.refundable_before, s.currency),
            s.refund_interest.map_or_else(String::new, |i| format!(
                ", plus {} interest",
                money_text(i, s.currency)
            ))
        );
    }
    for c in &p.commitments {
        let _ = writeln!(
            out,
            "  Commitment: {} buys {} within the window ({})",
            c.buyer,
            money_text(c.accrued, c.currency),
            c.description
        );
    }
    if !p.unvalued.is_empty() {
        let ids: Vec<String> = p.unvalued.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "  Not valued (their direction has no baseline, as the scenario declares): {}",
            ids.join(", ")
        );
    }
}

/// `US duties on goods from CN`: [`SideReport::title`] written in place.
fn push_title(out: &mut String, s: &SideReport) {
    out.push_str(s.importer.as_str());
    out.push_str(" duties on goods from ");
    out.push_str(s.exporter.as_str());
}

#[cfg(test)]
mod tests {
    use super::push_title;
    use crate::report::table::tests::shipped_reports;

    #[test]
    fn a_side_written_in_place_reads_as_its_title() {
        for report in &shipped_reports() {
            for s in report.paths.iter().flat_map(|p| &p.sides) {
                let mut title = String::new();
                push_title(&mut title, s);
                assert_eq!(title, s.title());
            }
        }
    }
}
