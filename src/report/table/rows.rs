//! The lines of the measure tables, remembered by measure: the paths of a
//! tree share the reports of the measures they do not change, and such a
//! measure's line reads the same in every table whose columns are as wide.

use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::columns::{Align, Cell, width, write_line};
use crate::report::evaluation::{MeasureReport, PathReport, SideReport};
use crate::report::figures::money_text;
use crate::units::Currency;

/// Which columns a side's measure table shows after the net duty.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Amounts {
    /// Gross and refundable duty: the path voids an authority.
    refunds: bool,
    /// What was collected before the window and is owed back.
    before: bool,
    /// The interest on refunds.
    interest: bool,
}

impl Amounts {
    /// The amounts `side`'s table shows on path `p`: refunds when the path
    /// voids an authority, and what is owed from before, or interest, when
    /// some measure has it.
    pub(super) fn of(p: &PathReport, side: &SideReport) -> Amounts {
        Amounts {
            refunds: !p.voided.is_empty(),
            before: side
                .measures
                .iter()
                .any(|m| m.refundable_before.is_some_and(|b| !b.is_zero())),
            interest: side.measures.iter().any(|m| m.refund_interest.is_some()),
        }
    }

    /// The headings of a measure table showing these amounts, with how
    /// each column lines up.
    fn header(self) -> impl Iterator<Item = (&'static str, Align)> {
        [
            ("Measure", true),
            ("Authority", true),
            ("Layer", true),
            ("Net", true),
            ("Gross", self.refunds),
            ("Refundable", self.refunds),
            ("Owed back from before", self.before),
            ("Refund interest", self.interest),
        ]
        .into_iter()
        .enumerate()
        .filter(|(_, (_, shown))| *shown)
        .map(|(i, (heading, _))| (heading, if i < 3 { Align::Left } else { Align::Right }))
    }
}

/// A measure's row: its cells, and its line as last written.
struct Row<'r> {
    /// The cells, each with its width.
    cells: Vec<(Cell<'r>, usize)>,
    /// The column widths `line` was written at; empty before it is.
    widths: Vec<usize>,
    /// The row's line, indent and line break included.
    line: String,
}

impl<'r> Row<'r> {
    /// The cells of `m`'s row in a table showing `amounts`, in `c`.
    fn of(m: &'r MeasureReport, amounts: Amounts, c: Currency) -> Row<'r> {
        let money = |a: Option<Decimal>| measure_money(&m.valuation, a, c);
        let mut cells = Vec::with_capacity(8);
        let mut cell = |cell: Cell<'r>| {
            let w = width(cell.as_ref());
            cells.push((cell, w));
        };
        cell(Cell::Borrowed(m.id.as_str()));
        cell(Cell::Borrowed(m.authority.name()));
        cell(Cell::Borrowed(m.layer.as_str()));
        cell(money(m.net));
        if amounts.refunds {
            cell(money(m.gross));
            cell(money(m.refundable));
        }
        if amounts.before {
            cell(money(m.refundable_before));
        }
        if amounts.interest {
            cell(Cell::Owned(
                m.refund_interest
                    .map_or_else(|| "-".to_string(), |i| money_text(i, c)),
            ));
        }
        Row {
            cells,
            widths: Vec::new(),
            line: String::new(),
        }
    }
}

/// The rows of every measure table of a report, by the address of the
/// measure's report (which the report holds, unchanged, while its tables
/// are written), the amounts shown and the currency.
#[derive(Default)]
pub(super) struct MeasureRows<'r> {
    /// Where each measure's row is in `rows`.
    index: FxHashMap<(usize, Amounts, Currency), usize>,
    /// Every row made so far.
    rows: Vec<Row<'r>>,
    /// The rows of the table being written, in order.
    table: Vec<usize>,
    /// The headings of the table being written, each with its width.
    header: Vec<(Cell<'r>, usize)>,
    /// How each of its columns lines up.
    align: Vec<Align>,
    /// The widest cell of each of its columns.
    widths: Vec<usize>,
}

impl<'r> MeasureRows<'r> {
    /// The indent of a measure table's lines.
    const INDENT: &'static str = "    ";

    /// `side`'s measures as a table showing `amounts`: the headings, then a
    /// line per measure, each cell padded to its column as
    /// [`super::columns::Columns`] pads it.
    pub(super) fn write(&mut self, out: &mut String, side: &'r SideReport, amounts: Amounts) {
        self.header.clear();
        self.align.clear();
        self.widths.clear();
        self.table.clear();
        for (heading, align) in amounts.header() {
            let w = width(heading);
            self.header.push((Cell::Borrowed(heading), w));
            self.align.push(align);
            self.widths.push(w);
        }
        let c = side.currency;
        for m in &side.measures {
            let key = (Arc::as_ptr(m).addr(), amounts, c);
            let at = *self.index.entry(key).or_insert_with(|| {
                self.rows.push(Row::of(m, amounts, c));
                self.rows.len() - 1
            });
            for (widest, (_, w)) in self.widths.iter_mut().zip(&self.rows[at].cells) {
                *widest = (*widest).max(*w);
            }
            self.table.push(at);
        }
        write_line(out, Self::INDENT, &self.header, &self.widths, &self.align);
        for &at in &self.table {
            let row = &mut self.rows[at];
            if row.widths != self.widths {
                row.line.clear();
                write_line(
                    &mut row.line,
                    Self::INDENT,
                    &row.cells,
                    &self.widths,
                    &self.align,
                );
                row.widths.clone_from(&self.widths);
            }
            out.push_str(&row.line);
        }
    }
}

/// A measure's amount, "not valued" when there is none, or marked as a part
/// when it is a lower bound.
pub(super) fn measure_money(
    valuation: &str,
    amount: Option<Decimal>,
    c: Currency,
) -> Cell<'static> {
    match amount {
        None => Cell::Borrowed("not valued"),
        Some(a) => {
            let mut text = money_text(a, c);
            if valuation == "partly-valued" {
                text.push_str(" (part)");
            }
            Cell::Owned(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Amounts, MeasureRows, Row};
    use crate::report::evaluation::SideReport;
    use crate::report::table::columns::Columns;
    use crate::report::table::tests::shipped_reports;

    /// `side`'s table showing `amounts` from `rows`, against the same cells
    /// in [`Columns`] written anew.
    fn same_table<'r>(rows: &mut MeasureRows<'r>, side: &'r SideReport, amounts: Amounts) {
        let mut fast = String::new();
        rows.write(&mut fast, side, amounts);
        let (header, align): (Vec<_>, Vec<_>) = amounts.header().unzip();
        let mut table = Columns::new(&header, &align);
        for m in &side.measures {
            let row = Row::of(m, amounts, side.currency);
            table.row(row.cells.into_iter().map(|(cell, _)| cell));
        }
        let mut plain = String::new();
        table.write(&mut plain, MeasureRows::INDENT);
        assert_eq!(fast, plain);
    }

    #[test]
    fn remembered_rows_read_as_the_table_written_anew() {
        let reports = shipped_reports();
        let (mut remembered, mut written) = (0, 0);
        for report in &reports {
            // One memo for every table of the report, as `text_table` has.
            let mut rows = MeasureRows::default();
            for p in report.paths.iter().chain([&report.reference]) {
                for s in p.sides.iter().filter(|s| !s.measures.is_empty()) {
                    same_table(&mut rows, s, Amounts::of(p, s));
                    written += s.measures.len();
                }
            }
            remembered += rows.rows.len();
            // The same measures again with every amount shown: rows of the
            // same measure with other columns are rows of their own.
            let every = Amounts {
                refunds: true,
                before: true,
                interest: true,
            };
            for p in report.paths.iter().chain([&report.reference]) {
                for s in &p.sides {
                    same_table(&mut rows, s, every);
                }
            }
        }
        // The scenarios share measures between paths: fewer rows are made
        // than written.
        assert!(0 < remembered && remembered < written);
    }
}
