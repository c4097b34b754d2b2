//! HS lists: inline codes, or a CSV file of one list or of several.

use std::collections::BTreeMap;
use std::path::Path;

use super::dto::*;
use super::fields::field;
use super::input::open_csv;
use crate::error::{Error, Result, ResultExt};
use crate::tariff::HsList;
use crate::units::HsCode;

/// Reads HS lists from CSV: with `name`, every row's first column is a code
/// of that one list; with `lists`, the file has a `list` column and every
/// row must name a declared list.
pub(super) fn read_hs_list(dir: &Path, l: &HsListDto) -> Result<Vec<HsList>> {
    match (&l.name, l.lists.is_empty(), &l.file, l.codes.is_empty()) {
        (Some(name), true, None, false) => {
            let codes = l.codes.iter().map(|c| field::<HsCode>("codes", c)).collect::<Result<Vec<_>>>()?;
            Ok(vec![HsList::new(name, codes)])
        }
        (Some(name), true, Some(file), true) => {
            let rows = read_code_rows(&dir.join(file), false)?;
            Ok(vec![HsList::new(name, rows.into_iter().map(|(c, _)| c))])
        }
        (None, false, Some(file), true) => {
            let path = dir.join(file);
            let rows = read_code_rows(&path, true)?;
            let mut by: BTreeMap<&str, Vec<HsCode>> = l.lists.iter().map(|n| (n.as_str(), Vec::new())).collect();
            for (code, list) in &rows {
                let (list, line) = list.as_ref().map(|(s, n)| (s.as_str(), *n)).unwrap_or(("", 0));
                match by.get_mut(list) {
                    Some(v) => v.push(*code),
                    None => {
                        return Err(Error::unknown(
                            "list",
                            list,
                            format!(": the scenario declares {}; add it to `lists` or drop the row", l.lists.join(", ")),
                        )
                        .at(format!("{}, line {line}, field \"list\"", path.display())));
                    }
                }
            }
            Ok(by.into_iter().map(|(n, codes)| HsList::new(n, codes)).collect())
        }
        _ => Err(Error::Invalid(
            "an [[hs_list]] takes `name` with `codes` or `file`, or `lists` with a `file` that has a list column".into(),
        )),
    }
}

type CodeRow = (HsCode, Option<(String, u64)>);

fn read_code_rows(path: &Path, with_list: bool) -> Result<Vec<CodeRow>> {
    let name = path.display().to_string();
    let (mut rdr, headers) = open_csv(path, &name)?;
    let list_col = headers.iter().position(|h| h == "list");
    if with_list && list_col.is_none() {
        return Err(Error::Invalid("no `list` column".into()).at(name));
    }
    let code_name = headers.get(0).unwrap_or("code").to_string();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| Error::Invalid(format!("unreadable row: {e}")).at(name.clone()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let code: HsCode = rec
            .get(0)
            .unwrap_or("")
            .parse()
            .at(|| format!("{name}, line {line}, field {code_name:?}"))?;
        let list = if with_list {
            list_col
                .and_then(|c| rec.get(c))
                .map(|s| (s.to_string(), line))
        } else {
            None
        };
        out.push((code, list));
    }
    Ok(out)
}
