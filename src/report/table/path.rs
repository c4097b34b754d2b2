//! One path's detail: its duty by measure, answers, voided measures,
//! refunds and commitments.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::columns::{Align, Cell, Columns};
use super::money::{MoneyTexts, measure_money};
use super::rate_text;
use crate::report::evaluation::PathReport;
use crate::report::figures::{money_text, percent_text};
use crate::units::Currency;

/// One path's block: labels, duty by measure per side, answers, voided
/// measures, commitments. `is_path` is false for the reference when it is
/// not one of the paths (its probability then reads "reference").
pub(super) fn path_detail(out: &mut String, p: &PathReport, is_path: bool, texts: &mut MoneyTexts) {
    let probability = if is_path {
        percent_text(p.probability, 2)
    } else {
        "reference".to_string()
    };
    let kinds: Vec<&str> = p.kinds.iter().map(|k| k.name()).collect();
    let _ = writeln!(out, "\n{} ({probability}; {})", p.id, kinds.join(", "));
    for l in p.labels.iter().filter(|l| !l.is_empty()) {
        let _ = writeln!(out, "  > {l}");
    }
    for s in &p.sides {
        if s.nothing_valued() {
            let _ = writeln!(
                out,
                "  {}: not valued on {} of imports (no measure could be valued)",
                s.title(),
                money_text(s.import_value, s.currency),
            );
            continue;
        }
        let _ = writeln!(
            out,
            "  {}: {} kept on {} of imports ({}){}",
            s.title(),
            money_text(s.net, s.currency),
            money_text(s.import_value, s.currency),
            rate_text(s.effective_rate),
            if s.complete { "" } else { "; not complete" }
        );
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
        let refunds = !p.voided.is_empty();
        let before = s
            .measures
            .iter()
            .any(|m| m.refundable_before.is_some_and(|b| !b.is_zero()));
        let interest = s.measures.iter().any(|m| m.refund_interest.is_some());
        let mut header = vec!["Measure", "Authority", "Layer", "Net"];
        if refunds {
            header.extend(["Gross", "Refundable"]);
        }
        if before {
            header.push("Owed back from before");
        }
        if interest {
            header.push("Refund interest");
        }
        let mut align = vec![Align::Left, Align::Left, Align::Left];
        align.extend(header[3..].iter().map(|_| Align::Right));
        let mut cols = Columns::borrowing(&header, &align);
        for m in &s.measures {
            let mut money = |a: Option<Decimal>| measure_money(texts, &m.valuation, a, s.currency);
            let mut row = vec![
                Cell::Borrowed(m.id.as_str()),
                Cell::Borrowed(m.authority.name()),
                Cell::Borrowed(m.layer.as_str()),
                money(m.net),
            ];
            if refunds {
                row.push(money(m.gross));
                row.push(money(m.refundable));
            }
            if before {
                row.push(money(m.refundable_before));
            }
            if interest {
                row.push(Cell::Owned(
                    m.refund_interest
                        .map_or_else(|| "-".to_string(), |i| money_text(i, s.currency)),
                ));
            }
            cols.cells(row);
        }
        cols.write(out, "    ");
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
            cols.row(vec![
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
            ]);
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
