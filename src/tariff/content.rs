//! Content shares: the part of each line's value that is one material
//! (steel, aluminum, copper), for measures that tax a line on its content.

use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::trade::BasketKey;
use crate::units::{HsCode, Share};

/// The share of one content (`steel`) in the value of each line, from data.
///
/// A line takes the share of its longest listed prefix; a line with none
/// listed has no share, and a measure taxing it on this content cannot be
/// valued there ([`Error::MissingShare`]), never valued at zero or in full.
///
/// ```
/// use tariffsim::tariff::ContentShares;
/// let steel = ContentShares::new("steel", "shares.csv", [("7326908688".parse()?, "0.4".parse()?)])?;
/// assert_eq!(steel.share_of(&"7326908688".parse()?).map(|s| s.to_string()), Some("0.4".into()));
/// assert!(steel.share_of(&"7326908610".parse()?).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Two tables are equal when they give the same content the same shares,
/// wherever the shares were read from.
#[derive(Debug, Clone)]
pub struct ContentShares {
    content: Arc<str>,
    source: Arc<str>,
    shares: FxHashMap<HsCode, Share>,
    lengths: Vec<usize>,
}

impl PartialEq for ContentShares {
    fn eq(&self, other: &ContentShares) -> bool {
        self.content == other.content && self.shares == other.shares
    }
}

impl Eq for ContentShares {}

impl ContentShares {
    /// The shares of `content` per HS code, from `source` (the files read,
    /// named in errors).
    ///
    /// # Errors
    /// [`Error::Invalid`] for an empty content name or a code given twice.
    pub fn new(
        content: &str,
        source: &str,
        shares: impl IntoIterator<Item = (HsCode, Share)>,
    ) -> Result<ContentShares> {
        if content.trim().is_empty() {
            return Err(Error::Invalid(
                "a content share needs the content's name, e.g. \"steel\"".into(),
            ));
        }
        let shares = shares.into_iter();
        let mut map = FxHashMap::with_capacity_and_hasher(shares.size_hint().0, Default::default());
        for (code, share) in shares {
            if map.insert(code, share).is_some() {
                return Err(Error::Invalid(format!(
                    "the {content} share of {code} is given twice: keep one"
                )));
            }
        }
        let mut lengths: Vec<usize> = map.keys().map(HsCode::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        Ok(ContentShares {
            content: Arc::from(content),
            source: Arc::from(source),
            shares: map,
            lengths,
        })
    }

    /// The content: `steel`, `aluminum`, `copper`.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// Where the shares come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// How many codes have a share.
    pub fn len(&self) -> usize {
        self.shares.len()
    }

    /// Every code with its share, ascending by code.
    pub fn iter(&self) -> impl Iterator<Item = (HsCode, Share)> {
        let mut rows: Vec<(HsCode, Share)> = self.shares.iter().map(|(c, s)| (*c, *s)).collect();
        rows.sort_unstable();
        rows.into_iter()
    }

    /// Whether no code has a share.
    pub fn is_empty(&self) -> bool {
        self.shares.is_empty()
    }

    /// The share of `code`'s value that is this content: its longest listed
    /// prefix's, or `None` when no prefix is listed.
    pub fn share_of(&self, code: &HsCode) -> Option<Share> {
        self.lengths
            .iter()
            .rev()
            .filter(|l| **l <= code.len())
            .find_map(|l| self.shares.get(&code.truncate(*l)).copied())
    }

    /// The share of basket `key` for `measure`, which taxes it on this
    /// content.
    ///
    /// # Errors
    /// [`Error::MissingShare`] when the basket has no share (a named basket
    /// never has one).
    pub(crate) fn share_for(&self, key: &BasketKey, measure: &str) -> Result<Decimal> {
        let share = match key {
            BasketKey::Hs(code) | BasketKey::Item(_, code) => self.share_of(code),
            BasketKey::Named(_) => None,
        };
        share.map(|s| s.value()).ok_or_else(|| Error::MissingShare {
            content: self.content.to_string(),
            code: key.to_string(),
            measure: measure.to_string(),
            files: self.source.to_string(),
        })
    }
}
