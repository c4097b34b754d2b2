//! Baselines: inline baskets or a CSV file of annual, yearly or monthly values.

use std::path::Path;

use super::csv_rows::open_csv;
use super::dto::*;
use super::fields::{check_text, field};
use super::input::{LoadOptions, Opener};
use crate::error::{Error, Result, ResultExt, excerpt};
use crate::trade::{Baseline, Basket, BasketKey, Keys, Nesting, Periods};
use crate::units::{Currency, Month, parse_decimal};

pub(super) fn read_baseline_dto(
    opener: &mut Opener<'_>,
    dir: &Path,
    b: &BaselineDto,
) -> Result<Baseline> {
    let importer = field("importer", &b.importer)?;
    let exporter = field("exporter", &b.exporter)?;
    let currency: Currency = match &b.currency {
        Some(c) => field("currency", c)?,
        None => Currency::USD,
    };
    let nesting = match b.nested.as_deref() {
        None | Some("refuse") => Nesting::Refuse,
        Some("residual") => Nesting::Residual,
        Some(other) => {
            return Err(Error::Parse {
                what: "nesting",
                input: other.to_string(),
                fix: "write \"residual\" (a coarser HS basket holds only what its finer baskets do not) or \"refuse\"".into(),
            })
            .at(|| "field \"nested\"".into());
        }
    };
    match (&b.file, b.basket.is_empty()) {
        (Some(file), true) => {
            let columns = CsvColumns {
                key: b.key_column.clone().unwrap_or_else(|| "key".into()),
                value: b.value_column.clone(),
                ignore: b.ignore_columns.clone(),
                nesting,
            };
            read_baseline_file(
                opener,
                &dir.join(file),
                importer,
                exporter,
                currency,
                &columns,
            )
        }
        (None, false) => {
            let mut baskets = Vec::with_capacity(b.basket.len());
            for (i, k) in b.basket.iter().enumerate() {
                let ctx = || format!("basket {}", i + 1);
                let key: BasketKey = field("key", &k.key).at(ctx)?;
                let value = parse_decimal("value", &k.value)
                    .at(|| format!("basket {} field \"value\"", i + 1))?;
                check_text(&k.description, false)
                    .at(|| format!("basket {} field \"description\"", i + 1))?;
                baskets.push(Basket::annual(key, k.description.clone(), value));
            }
            Baseline::with_nesting(
                importer,
                exporter,
                currency,
                Periods::Annual,
                baskets,
                nesting,
            )
        }
        _ => Err(Error::Invalid(
            "a baseline takes either `file` (a CSV) or inline `basket` rows, not both or neither"
                .into(),
        )),
    }
}

/// Which CSV columns a baseline reads.
#[derive(Debug, Clone)]
pub struct CsvColumns {
    /// The column holding the basket key (HS code or name). Default `key`.
    pub key: String,
    /// The column holding an annual value; `None` reads `value`, or else
    /// one column per period (`2017`, `2018`, or `2025-01`, `2025-02`, ...).
    pub value: Option<String>,
    /// Columns to skip.
    pub ignore: Vec<String>,
    /// What an HS key inside another HS key means (refused by default).
    pub nesting: Nesting,
}

impl Default for CsvColumns {
    fn default() -> CsvColumns {
        CsvColumns {
            key: "key".into(),
            value: None,
            ignore: Vec::new(),
            nesting: Nesting::Refuse,
        }
    }
}

/// Reads a baseline from CSV: a key column, an optional `description`, and
/// either one annual value column or one column per year or month. Values are
/// plain decimals (no exponents, no separators), zero or more. A key given
/// twice with the same values is read once; with different values it is an
/// error.
///
/// The file is read row by row (never whole), as a regular file of at most
/// the default [`LoadOptions`] CSV limit.
///
/// # Errors
/// [`Error::Io`] for an unreadable file; [`Error::Refused`] for one that is
/// not a regular file; [`Error::TooLarge`] past the limit; every other
/// error names the file, the line and the field.
pub fn read_baseline_csv(
    path: &Path,
    importer: crate::units::Party,
    exporter: crate::units::Party,
    currency: Currency,
    columns: &CsvColumns,
) -> Result<Baseline> {
    let options = LoadOptions::default();
    let mut opener = Opener::anywhere(&options);
    read_baseline_file(&mut opener, path, importer, exporter, currency, columns)
}

/// Reads the duty customs observed per basket over `window` (US: the
/// Census `calculated_duty_usd` column of a lines file) from CSV: the
/// baseline reader with `columns.value` naming the duty column, so the same
/// rules hold (plain decimals, zero or more; errors name the file, the line
/// and the field).
///
/// # Errors
/// As [`read_baseline_csv`]; [`Error::Invalid`] when `columns.value` is not
/// given.
///
/// ```
/// use tariffsim::load::{CsvColumns, read_observed_duty_csv};
/// let columns = CsvColumns { key: "hts10".into(), value: Some("calculated_duty_usd".into()), ..CsvColumns::default() };
/// let census = read_observed_duty_csv("data/lines/us-imports-from-china-2024-hts10.csv".as_ref(),
///     "US".parse()?, "CN".parse()?, tariffsim::Currency::USD, tariffsim::Window::year(2024)?, &columns, "Census")?;
/// // data/lines/README.md: $46,661,215,871 of calculated duty in 2024.
/// assert_eq!(census.total()?, rust_decimal::Decimal::from(46_661_215_871u64));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_observed_duty_csv(
    path: &Path,
    importer: crate::units::Party,
    exporter: crate::units::Party,
    currency: Currency,
    window: crate::units::Window,
    columns: &CsvColumns,
    source: &str,
) -> Result<crate::trade::ObservedDuty> {
    if columns.value.is_none() {
        return Err(Error::Invalid(
            "name the column of observed duty: CsvColumns::value".into(),
        ));
    }
    let options = LoadOptions::default();
    let mut opener = Opener::anywhere(&options);
    let b = read_baseline_file(&mut opener, path, importer, exporter, currency, columns)?;
    let lines = b
        .baskets()
        .iter()
        .map(|k| {
            (
                k.key().clone(),
                k.values().first().copied().unwrap_or_default(),
            )
        })
        .collect();
    crate::trade::ObservedDuty::new(
        b.importer().clone(),
        b.exporter().clone(),
        currency,
        window,
        source,
        lines,
    )
}

fn read_baseline_file(
    opener: &mut Opener<'_>,
    path: &Path,
    importer: crate::units::Party,
    exporter: crate::units::Party,
    currency: Currency,
    columns: &CsvColumns,
) -> Result<Baseline> {
    let mut csv = open_csv(opener, path, "give a header line and at least one row")?;
    let name = csv.name.clone();
    let headers = csv.headers.clone();
    let find = |c: &str| headers.iter().position(|h| h == c);
    let key_col = find(&columns.key).ok_or_else(|| {
        Error::Invalid(format!(
            "no {} column; the header is {}",
            excerpt(&columns.key),
            excerpt(&headers.iter().collect::<Vec<_>>().join(","))
        ))
        .at(name.clone())
    })?;
    let desc_col = find("description");
    let mut value_cols: Vec<usize> = Vec::new();
    let periods = match &columns.value {
        Some(v) => {
            value_cols.push(find(v).ok_or_else(|| {
                Error::Invalid(format!("no {} column", excerpt(v))).at(name.clone())
            })?);
            Periods::Annual
        }
        None => {
            let mut years = Vec::new();
            let mut months = Vec::new();
            for (i, h) in headers.iter().enumerate() {
                if i == key_col || Some(i) == desc_col || columns.ignore.iter().any(|x| x == h) {
                    continue;
                }
                if h == "value" {
                    value_cols.push(i);
                } else if h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit()) {
                    years.push(
                        h.parse::<i16>()
                            .map_err(|_| Error::Invalid(format!("bad year column {h:?}")))?,
                    );
                    value_cols.push(i);
                } else if let Ok(m) = h.parse::<Month>() {
                    months.push(m);
                    value_cols.push(i);
                } else {
                    return Err(Error::Invalid(format!(
                        "unknown column {}: a baseline has a key, a description, and `value` or period columns (YYYY or YYYY-MM); list other columns under ignore_columns",
                        excerpt(h)
                    ))
                    .at(name));
                }
            }
            match (value_cols.len(), years.is_empty(), months.is_empty()) {
                (0, _, _) => {
                    return Err(Error::Invalid(
                        "no value column: add `value`, or one column per year or month".into(),
                    )
                    .at(name));
                }
                (1, true, true) => Periods::Annual,
                (_, false, true) if years.len() == value_cols.len() => Periods::Years(years),
                (_, true, false) if months.len() == value_cols.len() => Periods::Months(months),
                _ => {
                    return Err(Error::Invalid(
                        "mixed value columns: use `value`, or years, or months, not a mix".into(),
                    )
                    .at(name));
                }
            }
        }
    };
    let rows = csv.rows_hint();
    let mut baskets: Vec<Basket> = Vec::with_capacity(rows);
    let mut lines: Vec<u64> = Vec::with_capacity(rows);
    // A row's values, in a buffer kept from row to row: one value (an
    // annual baseline) is held in its basket with no vector of its own.
    let mut values: Vec<rust_decimal::Decimal> = Vec::with_capacity(value_cols.len());
    let mut next = |csv: &mut super::csv_rows::CsvFile| -> Result<Option<(u64, Basket)>> {
        let Some(rec) = csv.next_row()? else {
            return Ok(None);
        };
        let line = rec.line();
        let ctx = |f: &str| format!("{name}, line {line}, field {}", excerpt(f));
        let key: BasketKey = rec
            .get(key_col)
            .unwrap_or("")
            .parse()
            .at(|| ctx(&columns.key))?;
        values.clear();
        for &c in &value_cols {
            let h = headers.get(c).unwrap_or("value");
            let v = parse_decimal("value", rec.get(c).unwrap_or("")).at(|| ctx(h))?;
            if v.is_sign_negative() && !v.is_zero() {
                return Err(Error::Negative {
                    what: format!("trade value of {key}"),
                    value: v,
                }
                .at(ctx(h)));
            }
            values.push(v);
        }
        let description = desc_col.and_then(|c| rec.get(c)).unwrap_or("");
        check_text(description, false).at(|| ctx("description"))?;
        let basket = match values.as_slice() {
            [v] => Basket::annual(key, description, *v),
            many => Basket::new(key, description, many.to_vec()),
        };
        Ok(Some((line, basket)))
    };
    loop {
        match next(&mut csv) {
            Ok(Some((line, basket))) => {
                lines.push(line);
                baskets.push(basket);
            }
            Ok(None) => break,
            // A key given again with other values on an earlier line is
            // the first error in the file.
            Err(e) => return Err(given_again(&baskets, &lines, &name).err().unwrap_or(e)),
        }
    }
    let again = given_again(&baskets, &lines, &name)?;
    // Not needed past the file: freed before the baseline is checked.
    drop(lines);
    if !again.is_empty() {
        let mut i = 0;
        baskets.retain(|_| {
            let keep = again.binary_search(&i).is_err();
            i += 1;
            keep
        });
    }
    if baskets.is_empty() {
        return Err(Error::Invalid("the file has a header but no rows".into()).at(name));
    }
    // `given_again` kept one row per key.
    Baseline::checked(
        (importer, exporter, currency),
        periods,
        baskets,
        columns.nesting,
        Keys::Unique,
    )
    .at(|| name.clone())
}

/// The rows (by index, ascending) that repeat an earlier row's key with the
/// same values, to be read once; `baskets` are the rows read so far, in
/// file order, at `lines`. Keys are compared in order, not hashed: a file
/// sorted by key costs one pass.
///
/// # Errors
/// [`Error::Invalid`] for the first row (in file order) that repeats an
/// earlier row's key with other values, naming both lines.
fn given_again(baskets: &[Basket], lines: &[u64], name: &str) -> Result<Vec<usize>> {
    if baskets.windows(2).all(|w| w[0].key() < w[1].key()) {
        return Ok(Vec::new());
    }
    let mut order: Vec<usize> = (0..baskets.len()).collect();
    // Stable: of the rows with one key, the first in the file comes first.
    order.sort_by(|a, b| baskets[*a].key().cmp(baskets[*b].key()));
    let mut again = Vec::new();
    // The repeat with other values that comes first in the file, and the
    // row it repeats.
    let mut clash: Option<(usize, usize)> = None;
    let mut run = 0;
    for k in 1..order.len() {
        let (first, later) = (order[run], order[k]);
        if baskets[first].key() != baskets[later].key() {
            run = k;
        } else if baskets[first].values() == baskets[later].values() {
            again.push(later);
        } else if clash.is_none_or(|(_, l)| later < l) {
            clash = Some((first, later));
        }
    }
    if let Some((first, later)) = clash {
        return Err(Error::Invalid(format!(
            "{} is given again with different values (first on line {}): keep one row per key",
            baskets[later].key(),
            lines[first]
        ))
        .at(format!("{name}, line {}", lines[later])));
    }
    again.sort_unstable();
    Ok(again)
}
