//! Columns of text lined up: the layout every text table shares.

use std::borrow::Cow;

/// How a column lines up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Right,
}

/// A cell's text: borrowed from the report, or written for the cell.
pub(super) enum Cell<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl AsRef<str> for Cell<'_> {
    fn as_ref(&self) -> &str {
        match self {
            Cell::Borrowed(text) => text,
            Cell::Owned(text) => text,
        }
    }
}

/// Columns of text, padded to the widest cell, with an optional row of
/// group headings above the column headings.
///
/// The headings and the rows are kept in one vector, a row after another,
/// each cell with its width; the widest cell of each column is known as
/// cells are added.
pub(super) struct Columns<'a> {
    /// Headings over runs of columns: how many columns each spans, and its
    /// title.
    groups: Vec<(usize, String)>,
    /// How each column lines up: one a column.
    align: Vec<Align>,
    /// The headings, then every row, `align.len()` cells a row, each with
    /// its [`width`].
    cells: Vec<(Cell<'a>, usize)>,
    /// The widest cell of each column so far.
    widths: Vec<usize>,
}

impl<'a> Columns<'a> {
    /// Columns under `header` (copied), lined up as `align`, with no row
    /// yet.
    pub(super) fn new(header: &[impl AsRef<str>], align: &[Align]) -> Columns<'a> {
        let header = header.iter().map(|h| Cell::Owned(h.as_ref().to_string()));
        Columns::headed(header, align)
    }

    /// Columns under `header`, lined up as `align` (a column `align` does
    /// not name lines up left), with no row yet.
    fn headed(header: impl ExactSizeIterator<Item = Cell<'a>>, align: &[Align]) -> Columns<'a> {
        let n = header.len();
        let mut cols = Columns {
            groups: Vec::new(),
            align: (0..n)
                .map(|i| align.get(i).copied().unwrap_or(Align::Left))
                .collect(),
            cells: Vec::new(),
            widths: vec![0; n],
        };
        cols.row(header);
        cols
    }

    /// A heading over the next `span` columns (after those already grouped).
    pub(super) fn group(&mut self, span: usize, title: String) {
        self.groups.push((span, title));
    }

    /// A row of cells, some borrowed (ids and names), some written for it,
    /// some shared (amounts): cells past the last column are left out, and
    /// a row short of cells ends in empty ones.
    pub(super) fn row(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) {
        let mut cells = cells.into_iter();
        for widest in &mut self.widths {
            let cell = cells.next().unwrap_or(Cell::Borrowed(""));
            let w = width(cell.as_ref());
            *widest = (*widest).max(w);
            self.cells.push((cell, w));
        }
    }

    /// The text of column `col` on row `row` (0 is the headings; empty
    /// past the last row or column).
    pub(super) fn text(&self, row: usize, col: usize) -> &str {
        let n = self.align.len();
        if col >= n {
            return "";
        }
        self.cells
            .get(row * n + col)
            .map_or("", |(cell, _)| cell.as_ref())
    }

    /// The width of each column: its widest cell, and the last column of a
    /// group whose heading is wider than its columns widened to fit it.
    fn widths(&self) -> Cow<'_, [usize]> {
        if self.groups.is_empty() {
            return Cow::Borrowed(&self.widths);
        }
        let n = self.widths.len();
        let mut widths = self.widths.clone();
        let mut at = 0;
        for (span, title) in &self.groups {
            let cols = at..(at + span).min(n);
            if cols.is_empty() {
                break;
            }
            let width: usize = widths[cols.clone()].iter().sum::<usize>() + 2 * (cols.len() - 1);
            let need = title.chars().count();
            if need > width {
                widths[cols.end - 1] += need - width;
            }
            at = cols.end;
        }
        Cow::Owned(widths)
    }

    /// The table, each line after `indent`: the group headings (if any),
    /// the column headings, then the rows, each cell padded to its column
    /// and trailing blanks cut.
    pub(super) fn write(&self, out: &mut String, indent: &str) {
        let n = self.align.len();
        let widths = self.widths();
        if !self.groups.is_empty() {
            let mut text = String::from(indent);
            let mut at = 0;
            for (span, title) in &self.groups {
                let end = (at + span).min(n);
                let start_col: usize = widths[..at].iter().sum::<usize>() + 2 * at;
                let pad = start_col.saturating_sub(text.chars().count() - indent.chars().count());
                spaces(&mut text, pad);
                text.push_str(title);
                at = end;
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        // A line of ASCII cells is this long: the output grows once.
        let line = indent.len() + widths.iter().sum::<usize>() + 2 * n.saturating_sub(1) + 1;
        out.reserve(line * (self.cells.len() / n.max(1)));
        for cells in self.cells.chunks(n.max(1)) {
            write_line(out, indent, cells, &widths, &self.align);
        }
    }
}

/// One line of a table: `indent`, each cell padded to its column's width
/// (before it when the column lines up right, after it when left), two
/// blanks between columns, the line's trailing blanks cut, a line break.
///
/// The blanks after a cell (its padding when it lines up left, and the two
/// between columns) are written with those before the next, at once; after
/// the last cell they are not written.
pub(super) fn write_line(
    out: &mut String,
    indent: &str,
    cells: &[(Cell<'_>, usize)],
    widths: &[usize],
    align: &[Align],
) {
    // A line of ASCII cells is this long: the text grows at most once.
    let line = indent.len() + widths.iter().sum::<usize>() + 2 * widths.len() + 1;
    out.reserve(line);
    let start = out.len();
    out.push_str(indent);
    let mut blanks = 0;
    for ((cell, w), (widest, align)) in cells.iter().zip(widths.iter().zip(align)) {
        let pad = widest.saturating_sub(*w);
        if *align == Align::Right {
            spaces(out, blanks + pad);
            out.push_str(cell.as_ref());
            blanks = 2;
        } else {
            spaces(out, blanks);
            out.push_str(cell.as_ref());
            blanks = pad + 2;
        }
    }
    let kept = out[start..].trim_end().len();
    out.truncate(start + kept);
    out.push('\n');
}

/// `n` blanks, written a slice at a time.
fn spaces(out: &mut String, mut n: usize) {
    const BLANKS: &str = "                                                                ";
    while n > 0 {
        let k = n.min(BLANKS.len());
        out.push_str(&BLANKS[..k]);
        n -= k;
    }
}

/// The characters of `text`, as a column counts them: its length when it
/// is ASCII (most cells: figures and ids), checked a word at a time.
pub(super) fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::{Align, Cell, Columns};
    use proptest::prelude::*;

    /// A table to write: its headings, how its columns line up, its group
    /// headings, its rows and the indent of its lines.
    #[derive(Clone, Copy)]
    struct Layout<'a> {
        header: &'a [String],
        align: &'a [Align],
        groups: &'a [(usize, String)],
        rows: &'a [Vec<String>],
        indent: &'a str,
    }

    /// The table the plain way: widths by counting characters, each cell
    /// padded with blanks repeated, every line built whole and trimmed.
    fn plain(t: &Layout<'_>) -> String {
        let Layout {
            header,
            align,
            groups,
            rows,
            indent,
        } = *t;
        let n = header.len();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for r in rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let mut at = 0;
        for (span, title) in groups {
            let end = (at + span).min(n);
            if end <= at {
                break;
            }
            let width: usize = widths[at..end].iter().sum::<usize>() + 2 * (end - at - 1);
            let need = title.chars().count();
            if need > width {
                widths[end - 1] += need - width;
            }
            at = end;
        }
        let mut out = String::new();
        if !groups.is_empty() {
            let mut text = String::new();
            let mut at = 0;
            for (span, title) in groups {
                let start: usize = widths[..at].iter().sum::<usize>() + 2 * at;
                text += &" ".repeat(start.saturating_sub(text.chars().count()));
                text += title;
                at = (at + span).min(n);
            }
            out += format!("{indent}{text}").trim_end();
            out.push('\n');
        }
        for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
            let mut line = String::from(indent);
            for (i, w) in widths.iter().enumerate() {
                let c = r.get(i).map_or("", String::as_str);
                let pad = " ".repeat(w - c.chars().count());
                if i > 0 {
                    line += "  ";
                }
                if align.get(i) == Some(&Align::Right) {
                    line = line + &pad + c;
                } else {
                    line = line + c + &pad;
                }
            }
            out += line.trim_end();
            out.push('\n');
        }
        out
    }

    /// [`Columns`] of the same headings, groups and rows, written.
    fn written(t: &Layout<'_>) -> String {
        let mut cols = Columns::new(t.header, t.align);
        for (span, title) in t.groups {
            cols.group(*span, title.clone());
        }
        for r in t.rows {
            cols.row(r.iter().map(|c| Cell::Borrowed(c.as_str())));
        }
        let mut out = String::new();
        cols.write(&mut out, t.indent);
        out
    }

    #[test]
    fn columns_pad_to_the_widest_cell() {
        // Widths: "Measure" 7, "ieepa-fentanyl" 14 -> 14; "Net" 3,
        // "$1.00B" 6, "$250.00M" 8 -> 8. "Measure" then 14 - 7 = 7 blanks,
        // two between columns, then 8 - 3 = 5 blanks before "Net"; the
        // short row gets an empty last cell, and its trailing blanks go.
        let header = ["Measure", "Net"].map(String::from);
        let rows = [
            vec!["s301".to_string(), "$1.00B".to_string()],
            vec!["ieepa-fentanyl".to_string(), "$250.00M".to_string()],
            vec!["short".to_string()],
        ];
        let out = written(&Layout {
            header: &header,
            align: &[Align::Left, Align::Right],
            groups: &[],
            rows: &rows,
            indent: "  ",
        });
        let blanks = |n: usize| " ".repeat(n);
        let lines = [
            format!("  Measure{}Net", blanks(7 + 2 + 5)),
            format!("  s301{}$1.00B", blanks(10 + 2 + 2)),
            format!("  ieepa-fentanyl{}$250.00M", blanks(2)),
            "  short".to_string(),
        ];
        assert_eq!(out, lines.join("\n") + "\n");
    }

    /// A cell's text: ASCII, accented, wide blank, trailing blanks, empty.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec!["a", "7", "$", " ", "é", "\u{3000}", "-", "."]),
            0..6,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Either way of lining up.
    fn align() -> impl Strategy<Value = Align> {
        prop::sample::select(vec![Align::Left, Align::Right])
    }

    proptest! {
        /// Any headings, alignments, group headings, rows (short, long or
        /// empty) and indent are written as the plain way writes them.
        #[test]
        fn columns_write_what_plain_padding_writes(
            header in prop::collection::vec(text(), 1..5),
            align in prop::collection::vec(align(), 0..6),
            groups in prop::collection::vec((0usize..4, text()), 0..3),
            rows in prop::collection::vec(prop::collection::vec(text(), 0..6), 0..5),
            indent in prop::sample::select(vec!["", "  ", "    "]),
        ) {
            let table = Layout {
                header: &header,
                align: &align,
                groups: &groups,
                rows: &rows,
                indent,
            };
            prop_assert_eq!(written(&table), plain(&table));
        }
    }
}
