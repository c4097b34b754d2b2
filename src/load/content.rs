//! Content shares: CSV files giving each line's steel, aluminum or copper
//! share of value, for measures `on_content`.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashMap;

use super::csv_rows::open_csv;
use super::dto::ContentSharesDto;
use super::fields::check_text;
use super::input::Opener;
use crate::error::{Error, Result, ResultExt, excerpt};
use crate::tariff::ContentShares;
use crate::units::{HsCode, Share};

/// The rows of one content read so far, from every `[[content_shares]]`.
#[derive(Debug, Default)]
pub(super) struct ContentRows {
    rows: Vec<(HsCode, Share)>,
    /// Where each code's share was first given: the file (by index into
    /// `read`) and the line.
    first: FxHashMap<HsCode, (usize, u64)>,
    /// How messages name the files read, in order.
    read: Vec<String>,
    files: Vec<String>,
}

/// Every content's rows, by content name.
pub(super) type Contents = BTreeMap<String, ContentRows>;

/// Reads one `[[content_shares]]` into `into`: a wide file (`columns`: one
/// share column per content) or a long one (`content_column` and
/// `share_column`). A blank share is no share; a code given twice for one
/// content, in one file or across files, is an error.
pub(super) fn read_content_shares(
    opener: &mut Opener<'_>,
    dir: &Path,
    c: &ContentSharesDto,
    into: &mut Contents,
) -> Result<()> {
    check_text(&c.source, true).at(|| "field \"source\"".to_string())?;
    let long = match (&c.content_column, &c.share_column, c.columns.is_empty()) {
        (None, None, false) => false,
        (Some(_), Some(_), true) => true,
        _ => {
            return Err(Error::Invalid(
                "a [[content_shares]] takes `columns` (content = share column), or `content_column` with `share_column`".into(),
            ));
        }
    };
    for content in c.columns.keys() {
        check_content_name(content).at(|| "field \"columns\"".to_string())?;
    }
    let mut csv = open_csv(
        opener,
        &dir.join(&c.file),
        "give a header line and at least one row",
    )?;
    let name = csv.name.clone();
    let headers = csv.headers.clone();
    let find = |col: &str| {
        headers.iter().position(|h| h == col).ok_or_else(|| {
            Error::Invalid(format!(
                "no {} column; the header is {}",
                excerpt(col),
                excerpt(&headers.iter().collect::<Vec<_>>().join(","))
            ))
            .at(name.clone())
        })
    };
    let key_name = c.key_column.as_deref().unwrap_or("hts10");
    let key_col = find(key_name)?;
    // (content, share column) pairs for a wide file; for a long file the
    // content comes from each row.
    let wide: Vec<(&str, &str, usize)> = c
        .columns
        .iter()
        .map(|(content, col)| Ok((content.as_str(), col.as_str(), find(col)?)))
        .collect::<Result<_>>()?;
    let long_cols = match (&c.content_column, &c.share_column) {
        (Some(cc), Some(sc)) if long => Some((find(cc)?, sc.as_str(), find(sc)?)),
        _ => None,
    };
    let described = |content: &str| {
        let col = c
            .columns
            .get(content)
            .map_or_else(String::new, |col| format!(", column {}", excerpt(col)));
        format!("{name}{col}")
    };
    let mut seen: Vec<String> = Vec::new();
    while let Some(rec) = csv.next_row()? {
        let line = rec.line();
        let at = || format!("{name}, line {line}");
        let code: HsCode = rec
            .get(key_col)
            .unwrap_or("")
            .parse()
            .at(|| format!("{}, field {}", at(), excerpt(key_name)))?;
        let mut cells: Vec<(&str, &str, &str)> = Vec::with_capacity(wide.len() + 1);
        if let Some((cc, sc, si)) = long_cols {
            let content = rec.get(cc).unwrap_or("");
            check_content_name(content).at(|| {
                format!(
                    "{}, code {code}, field {}",
                    at(),
                    excerpt(c.content_column.as_deref().unwrap_or(""))
                )
            })?;
            cells.push((content, sc, rec.get(si).unwrap_or("")));
        }
        for (content, col, i) in &wide {
            cells.push((content, col, rec.get(*i).unwrap_or("")));
        }
        for (content, col, text) in cells {
            if text.trim().is_empty() {
                continue;
            }
            let here = || format!("{}, code {code}, field {}", at(), excerpt(col));
            let share = text.parse::<Share>().map_err(|e| match e {
                Error::OutOfUnitRange { value, .. } => Error::Invalid(format!(
                    "the {content} share {value} is outside 0..=1: write the fraction of the line's value that is {content}, from 0 to 1 (cap a larger input share at 1)"
                ))
                .at(here()),
                other => other.at(here()),
            })?;
            let slot = match into.get_mut(content) {
                Some(slot) => slot,
                None => into.entry(content.to_string()).or_default(),
            };
            if slot.read.last() != Some(&name) {
                slot.read.push(name.clone());
            }
            let file = slot.read.len() - 1;
            if let Some(&(f, l)) = slot.first.get(&code) {
                let first = format!("{}, line {l}", slot.read[f]);
                return Err(Error::Invalid(format!(
                    "the {content} share of {code} is given again (first at {first}): keep one, or leave one of them blank"
                ))
                .at(at()));
            }
            slot.first.insert(code, (file, line));
            slot.rows.push((code, share));
            // Each content's file (and column) is described once per file.
            if !seen.iter().any(|s| s == content) {
                let file = described(content);
                if !slot.files.contains(&file) {
                    slot.files.push(file);
                }
                seen.push(content.to_string());
            }
        }
    }
    Ok(())
}

fn check_content_name(content: &str) -> Result<()> {
    let ok = !content.is_empty()
        && content
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if ok {
        Ok(())
    } else {
        Err(Error::Parse {
            what: "content",
            input: content.to_string(),
            fix: "name a content in lowercase letters, digits and dashes, e.g. steel".into(),
        })
    }
}

/// The tables read, one per content, naming their files as their source.
pub(super) fn content_tables(contents: Contents) -> Result<BTreeMap<String, ContentShares>> {
    contents
        .into_iter()
        .map(|(content, r)| {
            let table = ContentShares::new(&content, &r.files.join(" and "), r.rows)?;
            Ok((content, table))
        })
        .collect()
}
