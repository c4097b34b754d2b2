//! HS codes, and the ids of parties, measures, rules and the rest.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::error::{Error, Result};

/// A Harmonized System code: 2 to 10 digits, an even number of them
/// (chapter, heading, subheading, 8-digit tariff line, 10-digit statistical
/// line). Leading zeros are kept.
///
/// ```
/// use tariffsim::HsCode;
/// let line: HsCode = "0106199120".parse()?;
/// let chapter: HsCode = "01".parse()?;
/// assert!(chapter.is_prefix_of(&line));
/// assert_eq!(line.truncate(8).to_string(), "01061991");
/// assert!("8471a".parse::<HsCode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HsCode {
    // Order by digits value then length keeps prefixes together when sorted
    // at the same length.
    len: u8,
    digits: u64,
}

const POW10: [u64; 11] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
];

impl HsCode {
    /// The number of digits.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always false: a code has at least two digits.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The code cut to its first `len` digits (`len` even, at most its length).
    pub fn truncate(&self, len: usize) -> HsCode {
        let len = len.min(self.len()).max(2) & !1;
        let drop = self.len() - len;
        HsCode {
            len: len as u8,
            digits: self.digits / POW10[drop],
        }
    }

    /// Whether this code is a prefix of (or equal to) `other`.
    pub fn is_prefix_of(&self, other: &HsCode) -> bool {
        self.len <= other.len && other.truncate(self.len()).digits == self.digits
    }

    /// The codes under this one (itself and its extensions), as the range
    /// of their digits padded with zeros to ten places: a code `c` of at
    /// least this length lies under it exactly when `c.padded()` is in the
    /// range.
    pub(crate) fn padded_range(&self) -> std::ops::Range<u64> {
        let scale = POW10[10 - self.len()];
        self.digits * scale..(self.digits + 1) * scale
    }

    /// The digits padded with zeros to ten places (`8471` → 8471000000).
    pub(crate) fn padded(&self) -> u64 {
        self.digits * POW10[10 - self.len()]
    }
}

impl FromStr for HsCode {
    type Err = Error;

    #[inline]
    fn from_str(s: &str) -> Result<HsCode> {
        // Read in place (a code per row of large files). Plain digits, the
        // common case, need no trimming and no dots skipped.
        match HsCode::plain(s) {
            Some(code) => Ok(code),
            None => HsCode::parse_long(s),
        }
    }
}

impl HsCode {
    /// A code in any other spelling than plain digits.
    #[inline(never)]
    fn parse_long(s: &str) -> Result<HsCode> {
        // Trimmed, dots skipped, at most ten digits.
        let mut len = 0usize;
        let mut digits = 0u64;
        let mut only_digits = true;
        for b in s.trim().bytes().filter(|b| *b != b'.') {
            len += 1;
            if b.is_ascii_digit() && len <= 10 {
                digits = digits * 10 + u64::from(b - b'0');
            } else {
                only_digits = false;
            }
        }
        if !only_digits || len < 2 || len % 2 != 0 {
            return Err(Error::Parse {
                what: "HS code",
                input: s.to_string(),
                fix: "an HS code has 2, 4, 6, 8 or 10 digits (dots allowed, e.g. 8471.30.01)"
                    .into(),
            });
        }
        Ok(HsCode {
            len: len as u8,
            digits,
        })
    }

    /// The code `s` spells in plain digits, an even number of them from 2
    /// to 10 (no dots, no spaces), checked and read in one pass; `None`
    /// for anything else, which `from_str` reads the long way.
    #[inline]
    pub(crate) fn plain(s: &str) -> Option<HsCode> {
        let bytes = s.as_bytes();
        if !(2..=10).contains(&bytes.len()) || bytes.len() % 2 != 0 {
            return None;
        }
        let mut digits = 0u64;
        for b in bytes {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            digits = digits * 10 + u64::from(d);
        }
        Some(HsCode {
            len: bytes.len() as u8,
            digits,
        })
    }
}

impl fmt::Display for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$}", self.digits, width = self.len())
    }
}

/// Checks an id against the rule every id follows: 1 to 64 characters from
/// `A-Z a-z 0-9 . _ - : /`. `what` names the id in the error ("scenario
/// id").
///
/// ```
/// use tariffsim::units::check_id;
/// assert!(check_id("scenario id", "busan-2025").is_ok());
/// assert_eq!(
///     check_id("scenario id", "busan 2025").unwrap_err().to_string(),
///     "invalid scenario id \"busan 2025\": use 1 to 64 letters, digits or . _ - : /"
/// );
/// ```
///
/// # Errors
/// [`Error::Parse`] when the id breaks the rule.
pub fn check_id(what: &'static str, text: &str) -> Result<()> {
    let ok = (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-:/".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::Parse {
            what,
            input: text.to_string(),
            fix: "use 1 to 64 letters, digits or . _ - : /".into(),
        })
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        ///
        /// Ids are 1 to 64 characters from `A-Z a-z 0-9 . _ - : /`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<$name> {
                check_id($kind, s)?;
                Ok($name(Arc::from(s)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A party: an economy that imposes or faces duties (`US`, `CN`, `EU`).
    Party,
    "party id"
);
id_type!(
    /// The id of a measure (`list-3`, `ieepa-fentanyl`).
    MeasureId,
    "measure id"
);
id_type!(
    /// The id of a named basket of goods (`list-3-goods`).
    BasketId,
    "basket id"
);
id_type!(
    /// The id of a stacking or retaliation rule.
    RuleId,
    "rule id"
);
id_type!(
    /// The id of an outcome-tree node or branch.
    NodeId,
    "node id"
);
id_type!(
    /// A layer: measures reported together on the average-rate timeline
    /// (`section-301`, `ieepa-fentanyl`).
    LayerId,
    "layer id"
);

#[cfg(test)]
mod tests {
    use super::HsCode;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass read takes exactly an even number (2 to 10) of
        /// ASCII digits, and reads them as `u64`'s own parser does; every
        /// other text goes the long way, which still reads dotted codes.
        #[test]
        fn plain_codes_are_even_runs_of_ascii_digits(
            s in "[0-9]{0,12}|[0-9.]{0,12}|[0-9 ]{0,12}|[0-9a٣]{0,6}"
        ) {
            let digits_only = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let plain = digits_only && (2..=10).contains(&s.len()) && s.len() % 2 == 0;
            match HsCode::plain(&s) {
                Some(code) => {
                    prop_assert!(plain, "{s:?} read as plain");
                    prop_assert_eq!(code.len(), s.len());
                    prop_assert_eq!(code.digits, s.parse::<u64>().unwrap());
                    prop_assert_eq!(s.parse::<HsCode>().ok(), Some(code));
                }
                None => prop_assert!(!plain, "{s:?} not read as plain"),
            }
        }
    }

    #[test]
    fn dotted_and_odd_codes_go_the_long_way() {
        // 8471.30.01 is 847130 01 with its dots skipped: eight digits.
        let dotted: HsCode = "8471.30.01".parse().unwrap();
        assert_eq!(HsCode::plain("84713001"), Some(dotted));
        assert_eq!(HsCode::plain("8471.30.01"), None);
        // Seven and eleven digits are no HS code either way.
        assert!(HsCode::plain("0101300").is_none());
        assert!("0101300".parse::<HsCode>().is_err());
        assert!(HsCode::plain("01013000001").is_none());
        assert!("01013000001".parse::<HsCode>().is_err());
    }
}
