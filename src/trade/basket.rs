//! Baskets: which goods a baseline row stands for, the periods its values
//! are given for, and the row itself.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::units::{BasketId, HsCode, Month};

/// Which goods a baseline row stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BasketKey {
    /// Goods under an HS code, at any depth (a 10-digit line, a chapter).
    Hs(HsCode),
    /// A named group of goods, such as `list-3-goods`.
    Named(BasketId),
    /// One item of an importer's own (an SKU) with the HS code it enters
    /// under: unique by its id, covered by HS prefixes through its code.
    /// Written `id@code`, e.g. `SKU-17@8471300100`.
    Item(BasketId, HsCode),
}

impl BasketKey {
    /// The HS code the basket enters under, if it has one.
    pub fn hs(&self) -> Option<&HsCode> {
        match self {
            BasketKey::Hs(c) | BasketKey::Item(_, c) => Some(c),
            BasketKey::Named(_) => None,
        }
    }
}

impl fmt::Display for BasketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BasketKey::Hs(c) => c.fmt(f),
            BasketKey::Named(n) => n.fmt(f),
            BasketKey::Item(id, c) => write!(f, "{id}@{c}"),
        }
    }
}

impl FromStr for BasketKey {
    type Err = Error;

    /// Digits (dots allowed) read as an HS code, `id@code` as an item,
    /// anything else as a name.
    #[inline]
    fn from_str(s: &str) -> Result<BasketKey> {
        // An HS code in plain digits, the common case (a key per row of
        // large files), needs no trimming and no search for `@`.
        match HsCode::plain(s) {
            Some(code) => Ok(BasketKey::Hs(code)),
            None => BasketKey::parse_long(s),
        }
    }
}

impl BasketKey {
    /// A key other than an HS code in plain digits.
    #[inline(never)]
    fn parse_long(s: &str) -> Result<BasketKey> {
        let t = s.trim();
        if let Some((id, code)) = t.split_once('@') {
            return Ok(BasketKey::Item(id.parse()?, code.parse()?));
        }
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            Ok(BasketKey::Hs(t.parse()?))
        } else {
            Ok(BasketKey::Named(t.parse()?))
        }
    }
}

/// The periods a baseline's values are given for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Periods {
    /// One annual value per basket, the same every year (static volumes).
    Annual,
    /// One value per calendar year listed, ascending; other years are gaps.
    Years(Vec<i16>),
    /// One value per calendar month listed, ascending; other months are gaps.
    Months(Vec<Month>),
}

impl Periods {
    /// How many values each basket carries.
    pub fn len(&self) -> usize {
        match self {
            Periods::Annual => 1,
            Periods::Years(y) => y.len(),
            Periods::Months(m) => m.len(),
        }
    }

    /// Whether there are no period columns (never true for a valid baseline).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column labels: `value`, or years, or months.
    pub fn labels(&self) -> Vec<String> {
        match self {
            Periods::Annual => vec!["value".into()],
            Periods::Years(y) => y.iter().map(|y| y.to_string()).collect(),
            Periods::Months(m) => m.iter().map(|m| m.to_string()).collect(),
        }
    }
}

/// One row of a baseline: a basket and its value per period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Basket {
    pub(super) key: BasketKey,
    pub(super) description: String,
    values: Values,
}

/// A basket's values: one (an annual baseline, the common case) held in
/// place, more in a vector. One value is always `One`, so derived equality
/// and hashing follow the values.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Values {
    One(Decimal),
    Many(Vec<Decimal>),
}

impl Values {
    fn as_slice(&self) -> &[Decimal] {
        match self {
            Values::One(v) => std::slice::from_ref(v),
            Values::Many(v) => v,
        }
    }
}

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Basket {
    /// A basket with one value per period of the baseline it goes into.
    pub fn new(key: BasketKey, description: impl Into<String>, values: Vec<Decimal>) -> Basket {
        let values = match values.as_slice() {
            [one] => Values::One(*one),
            _ => Values::Many(values),
        };
        Basket {
            key,
            description: description.into(),
            values,
        }
    }

    /// A basket with one annual value.
    pub fn annual(key: BasketKey, description: impl Into<String>, value: Decimal) -> Basket {
        Basket {
            key,
            description: description.into(),
            values: Values::One(value),
        }
    }

    /// Which goods.
    pub fn key(&self) -> &BasketKey {
        &self.key
    }

    /// The description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The value per period, aligned with the baseline's [`Periods`].
    pub fn values(&self) -> &[Decimal] {
        self.values.as_slice()
    }
}
