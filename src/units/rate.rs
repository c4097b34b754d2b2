//! Rates, and the fractions that lie in `0..=1`: shares and probabilities.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::parse_decimal;
use crate::error::{Error, Result};

/// An ad valorem duty rate, held as a fraction of the value (`0.25` is 25%).
/// Zero or more; may exceed 100%.
///
/// ```
/// use tariffsim::Rate;
/// use rust_decimal::Decimal;
/// let r: Rate = "145%".parse()?;
/// assert_eq!(r.as_fraction(), Decimal::new(145, 2));
/// assert_eq!(r.as_percent(), Decimal::from(145));
/// assert_eq!(r.to_string(), "145%");
/// assert!("0.25".parse::<Rate>().is_err()); // the unit must be written
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Rate(Decimal);

/// A rate is held normalised (every constructor normalises it), so equal
/// rates have the same bits: hashing the bits agrees with equality and
/// skips the normalising `Decimal`'s own hash does.
impl std::hash::Hash for Rate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.serialize().hash(state);
    }
}

impl Rate {
    /// No duty.
    pub const ZERO: Rate = Rate(Decimal::ZERO);

    /// A rate from a fraction (`0.25` for 25%).
    ///
    /// # Errors
    /// [`Error::Negative`] for a negative fraction; [`Error::Overflow`] for
    /// one whose percentage does not fit a Decimal.
    pub fn from_fraction(fraction: Decimal) -> Result<Rate> {
        let percent = fraction
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(|| Error::overflow(format!("rate {fraction} as a percentage")))?;
        if fraction.is_sign_negative() && !fraction.is_zero() {
            return Err(Error::Negative {
                what: format!("rate {}%", percent.normalize()),
                value: fraction,
            });
        }
        Ok(Rate(fraction.normalize()))
    }

    /// A rate from a percentage (`25` for 25%).
    ///
    /// # Errors
    /// [`Error::Negative`] for a negative percentage, [`Error::Overflow`] if
    /// the division does not fit.
    pub fn from_percent(percent: Decimal) -> Result<Rate> {
        let f = percent
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or_else(|| Error::overflow("a percentage"))?;
        Rate::from_fraction(f)
    }

    /// The rate as a fraction.
    pub fn as_fraction(&self) -> Decimal {
        self.0
    }

    /// The rate in percent (it always fits: [`Rate::from_fraction`] refuses
    /// fractions whose percentage would not).
    pub fn as_percent(&self) -> Decimal {
        self.0
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::MAX)
            .normalize()
    }

    /// Whether the rate is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// The sum of two rates (layers that stack).
    ///
    /// # Errors
    /// [`Error::Overflow`] when the sum does not fit.
    pub fn checked_add(self, other: Rate) -> Result<Rate> {
        self.0
            .checked_add(other.0)
            .map(|sum| Rate(sum.normalize()))
            .ok_or_else(|| Error::overflow("a sum of rates"))
    }

    /// This rate less `base`, never below 0: what a total of this rate
    /// adds to a good that already pays `base` (a floor net of MFN).
    ///
    /// ```
    /// use tariffsim::units::Rate;
    /// let floor: Rate = "15%".parse()?;
    /// assert_eq!(floor.net_of("4%".parse()?).to_string(), "11%");
    /// assert_eq!(floor.net_of("20%".parse()?), Rate::ZERO);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn net_of(self, base: Rate) -> Rate {
        // Every rate is held normalized, so net of nothing it is itself, as
        // the difference below would give it.
        if base.0.is_zero() {
            return self;
        }
        if base.0 >= self.0 {
            Rate::ZERO
        } else {
            // Both are non-negative and base < self: the difference is
            // exact and positive.
            Rate((self.0 - base.0).normalize())
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.as_percent())
    }
}

impl FromStr for Rate {
    type Err = Error;

    /// Reads a percentage with its unit: `"25%"`, `"7.5%"`, `"145%"`.
    fn from_str(s: &str) -> Result<Rate> {
        let t = s.trim();
        let Some(number) = t.strip_suffix('%') else {
            return Err(Error::Parse {
                what: "rate",
                input: s.to_string(),
                fix: "write rates as percentages with their unit, e.g. \"25%\" (a fraction 0.25 is \"25%\")".into(),
            });
        };
        let p = parse_decimal("rate", number.trim()).map_err(|e| e.at(format!("rate {s:?}")))?;
        Rate::from_percent(p)
    }
}

macro_rules! unit_interval {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Decimal);

        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(Decimal::ZERO);
            /// One.
            pub const ONE: $name = $name(Decimal::ONE);

            #[doc = concat!("A ", $what, " from a decimal in `0..=1`.")]
            ///
            /// # Errors
            /// [`Error::OutOfUnitRange`] outside `0..=1`.
            pub fn new(value: Decimal) -> Result<$name> {
                if value < Decimal::ZERO || value > Decimal::ONE {
                    return Err(Error::OutOfUnitRange { what: $what.into(), value });
                }
                Ok($name(value.normalize()))
            }

            /// The value, in `0..=1`.
            pub fn value(&self) -> Decimal {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;

            #[doc = concat!("Reads a ", $what, " written as a decimal fraction, e.g. `\"0.6\"`.")]
            fn from_str(s: &str) -> Result<$name> {
                if s.trim().ends_with('%') {
                    return Err(Error::Parse {
                        what: $what,
                        input: s.to_string(),
                        fix: "write it as a fraction from 0 to 1, e.g. \"0.6\" for 60%".into(),
                    });
                }
                $name::new(parse_decimal($what, s)?)
            }
        }
    };
}

unit_interval!(
    /// A share of a value, in `0..=1`.
    Share,
    "share"
);
unit_interval!(
    /// A probability, in `0..=1`. Branch probabilities at a node must sum to
    /// exactly 1, which exact decimals make checkable.
    Probability,
    "probability"
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    proptest::proptest! {
        /// Rates equal in value hash alike, however they were written: a
        /// fraction at any scale (`0.25`, `0.250`, `0.2500…`), the same as a
        /// percentage, the difference of two rates and the sum of two halves
        /// (`0.125 + 0.125` is `0.250` to `Decimal`'s addition).
        #[test]
        fn equal_rates_hash_alike(m in 0i64..=10_000_000, scale in 0u32..=8, extra in 0u32..=6) {
            let hasher = std::collections::hash_map::RandomState::new();
            let hash = |r: Rate| hasher.hash_one(r);
            let a = Rate::from_fraction(Decimal::new(m, scale)).unwrap();
            let wider = Decimal::new(m, scale) * Decimal::new(10i64.pow(extra), 0);
            let b = Rate::from_fraction(Decimal::from_i128_with_scale(wider.mantissa(), scale + extra)).unwrap();
            let c = Rate::from_percent(Decimal::new(m, scale) * Decimal::ONE_HUNDRED).unwrap();
            let one = Rate::from_fraction(Decimal::ONE).unwrap();
            let d = Rate::from_fraction(Decimal::new(m, scale) + Decimal::ONE)
                .unwrap()
                .net_of(one);
            let half = Rate::from_fraction(Decimal::new(m * 5, scale + 1)).unwrap();
            let e = half.checked_add(half).unwrap();
            proptest::prop_assert_eq!(a, e);
            proptest::prop_assert_eq!(hash(a), hash(e));
            proptest::prop_assert_eq!(a, b);
            proptest::prop_assert_eq!(a, c);
            proptest::prop_assert_eq!(a, d);
            proptest::prop_assert_eq!(hash(a), hash(b));
            proptest::prop_assert_eq!(hash(a), hash(c));
            proptest::prop_assert_eq!(hash(a), hash(d));
        }
    }
}
