//! CSV files read row by row, with their header; errors name the file and
//! line and never echo a row.
//!
//! A file is read whole (within its limit, see [`super::input`]) and its
//! rows are cut in place: fields separated by commas, rows ended by a line
//! feed, a field quoted whole (with no doubled quote or line break inside)
//! or not quoted at all. That covers the shipped files, and those rows give
//! exactly the fields the `csv` parser gives. From the first row that is
//! anything else (a doubled quote, a quote inside a field, a blank line,
//! invalid UTF-8, a row with another number of fields than the header) to
//! the end of the file, the `csv` parser reads the rows, and its errors are
//! reported as they always were, at the same lines; it reads the whole of a
//! file that starts with a byte order mark or holds a carriage return.

use std::io::Cursor;
use std::path::Path;

use super::input::{Kind, Opener};
use crate::error::{Error, Result};

/// A CSV file read row by row, with its header.
pub(crate) struct CsvFile {
    /// How messages name the file.
    pub name: String,
    /// The header row.
    pub headers: csv::StringRecord,
    rows: Rows,
}

/// Where the next rows come from.
enum Rows {
    /// Cut in place from `text` (the file up to its first invalid UTF-8,
    /// if any; `tail` is the rest), from byte `at`, whose line is `line`.
    Plain {
        text: String,
        tail: Vec<u8>,
        at: usize,
        line: u64,
        spans: Vec<(usize, usize)>,
        /// How many rows were cut.
        rows: u64,
    },
    /// Read by the `csv` parser.
    Parsed {
        reader: csv::Reader<Cursor<Vec<u8>>>,
        record: csv::StringRecord,
    },
}

/// One row of a [`CsvFile`].
pub(crate) struct Row<'r> {
    line: u64,
    fields: Fields<'r>,
}

enum Fields<'r> {
    Plain(&'r str, &'r [(usize, usize)]),
    Parsed(&'r csv::StringRecord),
}

impl<'r> Row<'r> {
    /// The line the row starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Field `i`, if the row has it.
    pub fn get(&self, i: usize) -> Option<&'r str> {
        match self.fields {
            Fields::Plain(text, spans) => spans.get(i).and_then(|&(s, e)| text.get(s..e)),
            Fields::Parsed(record) => record.get(i),
        }
    }
}

impl CsvFile {
    /// Reads the header of the CSV text `bytes`; `name` is how errors name
    /// it, `empty` what to do about an empty file.
    pub fn new(name: &str, bytes: Vec<u8>, empty: &str) -> Result<CsvFile> {
        // The text up to its first invalid UTF-8, if any (checked once),
        // and the rest, which the parser reads.
        let (text, tail) = match String::from_utf8(bytes) {
            Ok(text) => (text, Vec::new()),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut text = e.into_bytes();
                let tail = text.split_off(valid);
                match String::from_utf8(text) {
                    Ok(text) => (text, tail),
                    Err(e) => {
                        let mut all = e.into_bytes();
                        all.extend_from_slice(&tail);
                        (String::new(), all)
                    }
                }
            }
        };
        let mut spans = Vec::new();
        // A byte order mark the parser drops, and carriage returns, which
        // end lines too: the parser reads such files.
        let parser =
            text.starts_with('\u{feff}') || memchr::memchr(b'\r', text.as_bytes()).is_some();
        let header = match parser {
            true => None,
            false => plain_row(text.as_bytes(), 0, tail.is_empty(), &mut spans),
        };
        let (headers, rows) = match header {
            Some(next) => {
                let headers: csv::StringRecord = spans
                    .iter()
                    .map(|&(s, e)| text.get(s..e).unwrap_or_default())
                    .collect();
                let rows = Rows::Plain {
                    text,
                    tail,
                    at: next,
                    line: 2,
                    spans,
                    rows: 0,
                };
                (headers, rows)
            }
            None => {
                let mut bytes = text.into_bytes();
                bytes.extend_from_slice(&tail);
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(Cursor::new(bytes));
                let headers = reader.headers().map_err(|e| Error::csv(name, &e))?.clone();
                let rows = Rows::Parsed {
                    reader,
                    record: csv::StringRecord::new(),
                };
                (headers, rows)
            }
        };
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(Error::Invalid(format!("the file is empty: {empty}")).at(name));
        }
        Ok(CsvFile {
            name: name.to_string(),
            headers,
            rows,
        })
    }

    /// How many rows are left at most, as far as cheaply known (the line
    /// feeds left in a file cut in place; 0 once the parser reads): what
    /// to reserve for them.
    pub fn rows_hint(&self) -> usize {
        match &self.rows {
            Rows::Plain { text, at, .. } => text
                .as_bytes()
                .get(*at..)
                .map_or(0, |rest| memchr::memchr_iter(b'\n', rest).count() + 1),
            Rows::Parsed { .. } => 0,
        }
    }

    /// The next row; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        match self.cut_next() {
            Cut::End => return Ok(None),
            Cut::Row(line) => {
                let Rows::Plain { text, spans, .. } = &self.rows else {
                    return Ok(None);
                };
                return Ok(Some(Row {
                    line,
                    fields: Fields::Plain(text, spans),
                }));
            }
            Cut::Parser => {}
        }
        let Rows::Parsed { reader, record } = &mut self.rows else {
            return Ok(None);
        };
        if !reader
            .read_record(record)
            .map_err(|e| Error::csv(&self.name, &e))?
        {
            return Ok(None);
        }
        let line = record.position().map_or(0, |p| p.line());
        Ok(Some(Row {
            line,
            fields: Fields::Parsed(record),
        }))
    }
}

/// What [`CsvFile::cut_next`] found.
enum Cut {
    /// A row cut in place, starting on this line.
    Row(u64),
    /// The end of the file.
    End,
    /// The parser reads from here on.
    Parser,
}

impl CsvFile {
    /// Cuts the next row in place if it has the plain shape, or hands the
    /// rest of the file to the parser.
    fn cut_next(&mut self) -> Cut {
        let Rows::Plain {
            text,
            tail,
            at,
            line,
            spans,
            rows,
        } = &mut self.rows
        else {
            return Cut::Parser;
        };
        if *at >= text.len() && tail.is_empty() {
            return Cut::End;
        }
        match plain_row(text.as_bytes(), *at, tail.is_empty(), spans) {
            Some(next) if spans.len() == self.headers.len() => {
                let row = *line;
                *at = next;
                *line += 1;
                *rows += 1;
                Cut::Row(row)
            }
            _ => {
                // The parser reads the file again from its start, past the
                // header and the rows cut (which it reads the same, without
                // error), so it stands where it would have stood.
                let skip = *rows;
                let mut bytes = std::mem::take(text).into_bytes();
                bytes.append(tail);
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(Cursor::new(bytes));
                let mut past = csv::ByteRecord::new();
                for _ in 0..skip {
                    if !matches!(reader.read_byte_record(&mut past), Ok(true)) {
                        break;
                    }
                }
                self.rows = Rows::Parsed {
                    reader,
                    record: csv::StringRecord::new(),
                };
                Cut::Parser
            }
        }
    }
}

/// Cuts the row at byte `at` of `text` (which holds no carriage return)
/// into `spans` (field start and end): fields separated by commas, the row
/// ended by a line feed (or the end of `text` when `complete`), each field
/// unquoted with no quote in it, or quoted whole with no quote or line feed
/// inside. Gives where the next row starts, or `None` for a row of any
/// other shape (or a blank line, or the end of `text`).
fn plain_row(
    text: &[u8],
    at: usize,
    complete: bool,
    spans: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    spans.clear();
    let n = text.len();
    if at >= n || text[at] == b'\n' {
        return None;
    }
    let mut i = at;
    loop {
        let (start, end);
        if text.get(i) == Some(&b'"') {
            start = i + 1;
            let j = text
                .get(start..)
                .and_then(|rest| memchr::memchr2(b'"', b'\n', rest))
                .map_or(n, |k| start + k);
            if text.get(j) != Some(&b'"') {
                return None;
            }
            end = j;
            i = j + 1;
        } else {
            start = i;
            i = field_end(text, start);
            end = i;
        }
        spans.push((start, end));
        match text.get(i) {
            Some(b',') => i += 1,
            Some(b'\n') => return Some(i + 1),
            None if complete => return Some(n),
            _ => return None,
        }
    }
}

/// How many bytes of a field are looked at one by one before the rest is
/// searched: codes, values and names end within them, and a search costs
/// more than a short field's bytes. (Two in the unit tests, so their
/// fields take both ways.)
#[cfg(not(test))]
const SHORT_FIELD: usize = 16;
#[cfg(test)]
const SHORT_FIELD: usize = 2;

/// Where the unquoted field at byte `start` of `text` ends: its first
/// comma, line feed or quote, or the end of `text`.
fn field_end(text: &[u8], start: usize) -> usize {
    let n = text.len();
    let short = n.min(start + SHORT_FIELD);
    let mut i = start;
    while i < short {
        if matches!(text[i], b',' | b'\n' | b'"') {
            return i;
        }
        i += 1;
    }
    text.get(short..)
        .and_then(|rest| memchr::memchr3(b',', b'\n', b'"', rest))
        .map_or(n, |k| short + k)
}

/// Opens a CSV file under `opener`'s policy and reads its header.
pub(crate) fn open_csv(opener: &mut Opener<'_>, path: &Path, empty: &str) -> Result<CsvFile> {
    let file = opener.open(path, Kind::Csv)?;
    let name = file.name.clone();
    let bytes = file.into_bytes()?;
    CsvFile::new(&name, bytes, empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file as read: its header and its rows with their lines, or the
    /// error as shown.
    type Read = std::result::Result<(Vec<String>, Vec<(u64, Vec<String>)>), String>;

    /// Every row as the `csv` parser reads it, or its error.
    fn parsed(text: &str) -> Read {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::csv("f.csv", &e).to_string())?
            .iter()
            .map(String::from)
            .collect::<Vec<_>>();
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err("f.csv: the file is empty: fix".into());
        }
        let mut rows = Vec::new();
        let mut rec = csv::StringRecord::new();
        while reader
            .read_record(&mut rec)
            .map_err(|e| Error::csv("f.csv", &e).to_string())?
        {
            let line = rec.position().map_or(0, |p| p.line());
            rows.push((line, rec.iter().map(String::from).collect()));
        }
        Ok((headers, rows))
    }

    fn cut(text: &[u8]) -> Read {
        let mut f = CsvFile::new("f.csv", text.to_vec(), "fix").map_err(|e| e.to_string())?;
        let headers = f.headers.iter().map(String::from).collect();
        let width = f.headers.len();
        let mut rows = Vec::new();
        while let Some(row) = f.next_row().map_err(|e| e.to_string())? {
            let fields = (0..width).map_while(|i| row.get(i)).map(String::from);
            rows.push((row.line(), fields.collect()));
        }
        Ok((headers, rows))
    }

    #[test]
    fn rows_cut_in_place_are_those_the_parser_reads() {
        let texts: &[&str] = &[
            "a,b\n1,2\n3,4\n",
            "a,b\n1,2\n3,4",
            "a,b\n1,\"x, y\"\n\"\",4\n",
            "a,b\n1,2\n\n3,4\n",
            "a,b\n1,2\r\n3,4\n",
            "a,b\n1,\"say \"\"hi\"\"\"\n3,4\n",
            "a,b\n1,2,3\n3,4\n",
            "a,b\n1,2\n3\n",
            "a,b\n1,\"two\nlines\"\n3,4\n5\n",
            "a,b\n1,x\"y\n3,4\n",
            "a,b\n1,\"x\"y\n3,4\n",
            "a,b\n1,2\n3,\"open\n",
            "\u{feff}a,b\n1,2\n",
            "a,b,\n1,2,\n",
            "\"a\",b\n1,2\n",
            "a\r\n1\r\n",
            "\n\na,b\n1,2\n",
            ",\n,\n",
            "",
            " \n1\n",
        ];
        for text in texts {
            assert_eq!(cut(text.as_bytes()), parsed(text), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Any text of commas, quotes, line ends, spaces and letters is
        /// read as the `csv` parser reads it: rows cut in place where they
        /// have the plain shape, the parser's rows and errors from the
        /// first that does not.
        #[test]
        fn any_text_reads_as_the_parser_reads_it(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"ab,,\"\n\n\r 1".to_vec()), 0..60),
        ) {
            proptest::prop_assert_eq!(cut(&bytes), parsed(&String::from_utf8_lossy(&bytes)));
        }

        /// Rows of fields, quoted with commas inside or not, read as the
        /// parser reads them, with now and then a field of another shape.
        #[test]
        fn rows_of_quoted_and_plain_fields_read_as_the_parser_reads_them(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "a", "", "12", "\"x,\"", "\",\"", "\"\"", "\"a,b,c\"", "\"x y\"",
                        "\"x\ny\"", "a\"b", "\"q\"\"q\"",
                    ]),
                    1..4,
                ),
                1..12,
            ),
        ) {
            let text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
            proptest::prop_assert_eq!(cut(text.as_bytes()), parsed(&text));
        }
    }

    #[test]
    fn invalid_utf8_is_reported_where_the_parser_reports_it() {
        let text = b"a,b\n1,2\n3,\xff\n5,6\n";
        let e = cut(text).unwrap_err();
        assert_eq!(
            e,
            "f.csv, line 3: invalid UTF-8 in field 2 at byte 1 of the field: save the file as UTF-8"
        );
        let e = cut(b"a,b\n1,2\n3,4,5\n6,\xff\n").unwrap_err();
        assert_eq!(
            e,
            "f.csv, line 3: the row has 3 fields and the header 2: give every row the header's columns"
        );
        let e = cut(b"a,\xff\n1,2\n").unwrap_err();
        assert!(e.starts_with("f.csv, line 1: invalid UTF-8"), "{e}");
    }
}
