//! Columns of text lined up: the layout every text table shares.

use std::rc::Rc;

/// How a column lines up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Right,
}

/// A cell's text: borrowed from the report, written for the cell, or
/// shared by every cell that shows one amount.
pub(super) enum Cell<'a> {
    Borrowed(&'a str),
    Owned(String),
    Shared(Rc<str>),
}

impl AsRef<str> for Cell<'_> {
    fn as_ref(&self) -> &str {
        match self {
            Cell::Borrowed(text) => text,
            Cell::Owned(text) => text,
            Cell::Shared(text) => text,
        }
    }
}

/// Columns of text, padded to the widest cell, with an optional row of
/// group headings above the column headings.
pub(super) struct Columns<'a> {
    groups: Vec<(usize, String)>,
    header: Vec<Cell<'a>>,
    align: Vec<Align>,
    rows: Vec<Vec<Cell<'a>>>,
}

impl<'a> Columns<'a> {
    /// Columns under `header` (copied), lined up as `align`, with no row
    /// yet.
    pub(super) fn new(header: &[impl AsRef<str>], align: &[Align]) -> Columns<'a> {
        let header = header.iter().map(|h| Cell::Owned(h.as_ref().to_string()));
        Columns::headed(header.collect(), align)
    }

    /// [`Columns::new`] with headings borrowed, not copied: for the tables
    /// made once per path.
    pub(super) fn borrowing(header: &[&'a str], align: &[Align]) -> Columns<'a> {
        Columns::headed(header.iter().map(|h| Cell::Borrowed(h)).collect(), align)
    }

    /// Columns under `header`, lined up as `align`, with no row yet.
    fn headed(header: Vec<Cell<'a>>, align: &[Align]) -> Columns<'a> {
        Columns {
            groups: Vec::new(),
            header,
            align: align.to_vec(),
            rows: Vec::new(),
        }
    }

    /// A heading over the next `span` columns (after those already grouped).
    pub(super) fn group(&mut self, span: usize, title: String) {
        self.groups.push((span, title));
    }

    /// A row of cells written for it.
    pub(super) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.into_iter().map(Cell::Owned).collect());
    }

    /// A row of cells some of which are borrowed (ids and names) or shared
    /// (amounts).
    pub(super) fn cells(&mut self, cells: Vec<Cell<'a>>) {
        self.rows.push(cells);
    }

    /// The table, each line after `indent`: the group headings (if any),
    /// the column headings, then the rows, each cell padded to its column
    /// and trailing blanks cut.
    pub(super) fn write(&self, out: &mut String, indent: &str) {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h.as_ref())).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(width(c.as_ref()));
            }
        }
        // Widen the last column of a group whose heading is wider than it.
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
        // Each line written in place, then its trailing blanks cut.
        let spaces = |out: &mut String, mut n: usize| {
            const BLANKS: &str = "                                ";
            while n > 0 {
                let k = n.min(BLANKS.len());
                out.push_str(&BLANKS[..k]);
                n -= k;
            }
        };
        let line = |cells: &[Cell], out: &mut String| {
            let start = out.len();
            out.push_str(indent);
            for (i, w) in widths.iter().enumerate() {
                let c = cells.get(i).map_or("", |c| c.as_ref());
                let pad = w.saturating_sub(width(c));
                if i > 0 {
                    out.push_str("  ");
                }
                if self.align.get(i) == Some(&Align::Right) {
                    spaces(out, pad);
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    spaces(out, pad);
                }
            }
            let kept = out[start..].trim_end().len();
            out.truncate(start + kept);
            out.push('\n');
        };
        if !self.groups.is_empty() {
            let mut text = String::from(indent);
            let mut at = 0;
            for (span, title) in &self.groups {
                let end = (at + span).min(n);
                let start_col: usize = widths[..at].iter().sum::<usize>() + 2 * at;
                let pad = start_col.saturating_sub(text.chars().count() - indent.chars().count());
                text.push_str(&" ".repeat(pad));
                text.push_str(title);
                at = end;
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        line(&self.header, out);
        for r in &self.rows {
            line(r, out);
        }
    }
}

/// The characters of `text`, as a column counts them: its length when it
/// is ASCII (most cells: figures and ids), checked a word at a time.
fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}
