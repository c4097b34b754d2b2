//! Base rates (MFN): a CSV of one rate per HS code.

use std::path::Path;

use super::csv_rows::open_csv;
use super::dto::BaseRatesDto;
use super::fields::{check_text, field};
use super::input::{LoadOptions, Opener};
use crate::error::{Error, Result, ResultExt, excerpt};
use crate::tariff::{BaseRate, BaseRateKind, BaseRates};
use crate::units::{HsCode, Party, Rate};

/// The columns a base-rates CSV must have besides its key column.
pub const BASE_RATE_COLUMNS: [&str; 4] = ["rate_type", "ad_valorem", "fully_valued", "text"];

pub(super) fn read_base_rates_dto(
    opener: &mut Opener<'_>,
    dir: &Path,
    b: &BaseRatesDto,
) -> Result<BaseRates> {
    let importer: Party = field("importer", &b.importer)?;
    check_text(&b.source, true).at(|| "field \"source\"".to_string())?;
    let key = b.key_column.as_deref().unwrap_or("hts8");
    read_base_rates_file(opener, &dir.join(&b.file), importer, &b.source, key)
}

/// Reads base rates (MFN) from CSV: a key column (`key_column`, an HS code
/// of 2 to 10 digits) and the columns `rate_type` (`free`, `ad_valorem`,
/// `specific`, `compound`, `other_pct`, `other_text`), `ad_valorem` (the
/// percentage part with its `%`, `0%` when there is none, blank only for
/// `other_text`), `fully_valued` (`yes` exactly for `free` and
/// `ad_valorem`, else `no`) and `text` (the rate as the schedule writes
/// it, kept as is). A code given twice is an error.
///
/// The file is read row by row, as a regular file of at most the default
/// [`LoadOptions`] CSV limit.
///
/// # Errors
/// [`Error::Io`], [`Error::Refused`] and [`Error::TooLarge`] as for any
/// file; every other error names the file, the line and the field: an
/// ad valorem part that does not read as a rate is an error, never a zero.
///
/// ```
/// use tariffsim::load::read_base_rates_csv;
/// let mfn = read_base_rates_csv(
///     "data/lines/2026/mfn-hts8.csv".as_ref(), "US".parse()?, "HTS 2025 Basic", "hts8")?;
/// assert_eq!(mfn.len(), 11_569);
/// // Live asses: 6.8%, wholly ad valorem.
/// let asses = mfn.rate_of(&"0101300000".parse()?).unwrap();
/// assert_eq!((asses.ad_valorem().unwrap().to_string(), asses.is_fully_valued()), ("6.8%".into(), true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_base_rates_csv(
    path: &Path,
    importer: Party,
    source: &str,
    key_column: &str,
) -> Result<BaseRates> {
    let options = LoadOptions::default();
    let mut opener = Opener::anywhere(&options);
    read_base_rates_file(&mut opener, path, importer, source, key_column)
}

fn read_base_rates_file(
    opener: &mut Opener<'_>,
    path: &Path,
    importer: Party,
    source: &str,
    key_column: &str,
) -> Result<BaseRates> {
    let mut csv = open_csv(opener, path, "give a header line and at least one row")?;
    let name = csv.name.clone();
    let headers = csv.headers.clone();
    let find = |c: &str| {
        headers.iter().position(|h| h == c).ok_or_else(|| {
            Error::Invalid(format!(
                "no {} column; the header is {}",
                excerpt(c),
                excerpt(&headers.iter().collect::<Vec<_>>().join(","))
            ))
            .at(name.clone())
        })
    };
    let key_col = find(key_column)?;
    let [kind_col, av_col, full_col, text_col] = [
        find(BASE_RATE_COLUMNS[0])?,
        find(BASE_RATE_COLUMNS[1])?,
        find(BASE_RATE_COLUMNS[2])?,
        find(BASE_RATE_COLUMNS[3])?,
    ];
    let rows = csv.rows_hint();
    let mut rates: Vec<(HsCode, BaseRate)> = Vec::with_capacity(rows);
    let mut first_line: rustc_hash::FxHashMap<HsCode, u64> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(rows, Default::default());
    while let Some(rec) = csv.next_row()? {
        let line = rec.line();
        let ctx = |f: &str| format!("{name}, line {line}, field {}", excerpt(f));
        let get = |c: usize| rec.get(c).unwrap_or("");
        let code: HsCode = get(key_col).parse().at(|| ctx(key_column))?;
        let kind: BaseRateKind = get(kind_col).parse().at(|| ctx("rate_type"))?;
        let av = match get(av_col).trim() {
            "" => None,
            t => Some(t.parse::<Rate>().at(|| ctx("ad_valorem"))?),
        };
        let fully = match get(full_col) {
            "yes" => true,
            "no" => false,
            other => {
                return Err(Error::Parse {
                    what: "fully_valued flag",
                    input: other.to_string(),
                    fix: "write yes (free and ad valorem rates) or no".into(),
                }
                .at(ctx("fully_valued")));
            }
        };
        if fully != kind.is_fully_valued() {
            return Err(Error::Invalid(format!(
                "a {kind} rate is {} valued in full, but the row says {}",
                if kind.is_fully_valued() {
                    "always"
                } else {
                    "never"
                },
                if fully { "yes" } else { "no" }
            ))
            .at(ctx("fully_valued")));
        }
        let text = get(text_col);
        check_text(text, false).at(|| ctx("text"))?;
        let rate = BaseRate::new(kind, av, text).at(|| format!("{name}, line {line}"))?;
        if let Some(first) = first_line.insert(code, line) {
            return Err(Error::Invalid(format!(
                "{code} is given again (first on line {first}): keep one rate per code"
            ))
            .at(format!("{name}, line {line}")));
        }
        rates.push((code, rate));
    }
    if rates.is_empty() {
        return Err(Error::Invalid("the file has a header but no rows".into()).at(name));
    }
    BaseRates::new(importer, source, rates).at(|| name.clone())
}
