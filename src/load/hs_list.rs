//! HS lists: inline codes, or a CSV file of one list or of several.

use std::path::Path;

use super::csv_rows::open_csv;
use super::dto::*;
use super::fields::field;
use super::input::Opener;
use crate::error::{Error, Result, ResultExt, excerpt, nearest};
use crate::tariff::HsList;
use crate::units::HsCode;

/// How many declared lists an unknown-list error names.
const SHOWN_LISTS: usize = 5;

/// Reads HS lists from CSV: with `name`, every row's first column is a code
/// of that one list; with `lists`, the file has a `list` column and every
/// row must name a declared list.
pub(super) fn read_hs_list(
    opener: &mut Opener<'_>,
    dir: &Path,
    l: &HsListDto,
) -> Result<Vec<HsList>> {
    match (&l.name, l.lists.is_empty(), &l.file, l.codes.is_empty()) {
        (Some(name), true, None, false) => {
            let codes = l
                .codes
                .iter()
                .map(|c| field::<HsCode>("codes", c))
                .collect::<Result<Vec<_>>>()?;
            Ok(vec![HsList::new(name, codes)])
        }
        (Some(name), true, Some(file), true) => {
            let mut codes = Vec::new();
            read_code_rows(opener, &dir.join(file), false, |code, _, _| {
                codes.push(code);
                Ok(())
            })?;
            Ok(vec![HsList::new(name, codes)])
        }
        (None, false, Some(file), true) => {
            // By name, as a sorted map would hold them; rows of one list
            // tend to come together, so the last list found is tried first.
            let mut by: Vec<(&str, Vec<HsCode>)> =
                l.lists.iter().map(|n| (n.as_str(), Vec::new())).collect();
            by.sort_unstable_by(|a, b| a.0.cmp(b.0));
            by.dedup_by(|a, b| a.0 == b.0);
            let mut last = 0usize;
            read_code_rows(opener, &dir.join(file), true, |code, list, at| {
                let found = match by.get(last) {
                    Some((n, _)) if *n == list => Some(last),
                    _ => by.binary_search_by(|(n, _)| (*n).cmp(list)).ok(),
                };
                match found.and_then(|i| {
                    last = i;
                    by.get_mut(i)
                }) {
                    Some((_, v)) => {
                        v.push(code);
                        Ok(())
                    }
                    None => Err(Error::unknown(
                        "list",
                        list,
                        format!(
                            ": the scenario declares {}; add it to `lists` or drop the row",
                            nearest(list, l.lists.iter().map(String::as_str), SHOWN_LISTS)
                        ),
                    )
                    .at(format!("{}, field \"list\"", at()))),
                }
            })?;
            Ok(by
                .into_iter()
                .map(|(n, codes)| HsList::new(n, codes))
                .collect())
        }
        _ => Err(Error::Invalid(
            "an [[hs_list]] takes `name` with `codes` or `file`, or `lists` with a `file` that has a list column".into(),
        )),
    }
}

/// Reads a code list CSV row by row: the code in the first column and, with
/// `with_list`, the `list` column; `row` gets the code, the list name and
/// what gives "file, line N" for its errors (built only for an error).
fn read_code_rows(
    opener: &mut Opener<'_>,
    path: &Path,
    with_list: bool,
    mut row: impl FnMut(HsCode, &str, &dyn Fn() -> String) -> Result<()>,
) -> Result<()> {
    let mut csv = open_csv(opener, path, "give a header line and at least one row")?;
    let name = csv.name.clone();
    let list_col = csv.headers.iter().position(|h| h == "list");
    if with_list && list_col.is_none() {
        return Err(Error::Invalid("no `list` column".into()).at(name));
    }
    let code_name = csv.headers.get(0).unwrap_or("code").to_string();
    while let Some(rec) = csv.next_row()? {
        let line = rec.line();
        let at = || format!("{name}, line {line}");
        let code: HsCode = rec
            .get(0)
            .unwrap_or("")
            .parse()
            .at(|| format!("{}, field {}", at(), excerpt(&code_name)))?;
        let list = if with_list {
            list_col.and_then(|c| rec.get(c)).unwrap_or("")
        } else {
            ""
        };
        row(code, list, &at)?;
    }
    Ok(())
}
