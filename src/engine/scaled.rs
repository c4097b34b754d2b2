//! Amounts that are only added, subtracted and compared, held as integers
//! at one common scale: the day-by-day claims of value-matched answers run
//! on them instead of on `Decimal`s.
//!
//! [`Scaled`] gives, value and representation alike, what the same
//! `Decimal` operations give: each amount carries the scale its `Decimal`
//! would have (a sum takes the larger scale of its terms; adding zero gives
//! the other term unchanged), so an amount turned back into a `Decimal` is
//! the very `Decimal` the arithmetic on `Decimal`s would have made, to the
//! last trailing zero. It is exact only while every amount, at the common
//! scale, stays below 2^96 and is not negative: [`Scaling`] refuses any
//! input outside that, and a sum that leaves it is refused too, so the
//! caller falls back to `Decimal`s (which are then exact as well).

use rust_decimal::Decimal;

/// Amounts that can be added, subtracted, compared and turned back into a
/// `Decimal`, as `Decimal` does.
pub(crate) trait Amount: Copy + PartialEq + PartialOrd {
    /// Zero (a `Decimal` zero of scale 0).
    const ZERO: Self;
    fn is_zero(&self) -> bool;
    /// `self + other`, or `None` where `Decimal`'s sum would not be exact.
    fn plus(self, other: Self) -> Option<Self>;
    /// `self - other` for `other <= self`, or `None` as for [`Amount::plus`].
    fn minus(self, other: Self) -> Option<Self>;
    /// The amount as the `Decimal` that `Decimal` arithmetic gives.
    fn decimal(self) -> Decimal;

    /// `Decimal::min`: `other` when it is smaller, else `self`.
    fn least(self, other: Self) -> Self {
        if self > other { other } else { self }
    }

    /// `Decimal::max`: `other` when it is larger, else `self`.
    fn most(self, other: Self) -> Self {
        if self < other { other } else { self }
    }
}

impl Amount for Decimal {
    const ZERO: Decimal = Decimal::ZERO;

    fn is_zero(&self) -> bool {
        Decimal::is_zero(self)
    }

    fn plus(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(other)
    }

    fn minus(self, other: Decimal) -> Option<Decimal> {
        self.checked_sub(other)
    }

    fn decimal(self) -> Decimal {
        self
    }
}

/// 2^96: the first mantissa a `Decimal` cannot hold.
const LIMIT: i128 = 1 << 96;

/// A non-negative amount as an integer count of `10^-scale` units of the
/// common scale of its [`Scaling`], with the scale of its own `Decimal`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scaled {
    units: i128,
    scale: u32,
    /// The common scale `units` counts in.
    common: u32,
}

impl PartialEq for Scaled {
    fn eq(&self, other: &Scaled) -> bool {
        self.units == other.units
    }
}

impl PartialOrd for Scaled {
    fn partial_cmp(&self, other: &Scaled) -> Option<std::cmp::Ordering> {
        Some(self.units.cmp(&other.units))
    }
}

impl Amount for Scaled {
    const ZERO: Scaled = Scaled {
        units: 0,
        scale: 0,
        common: 0,
    };

    fn is_zero(&self) -> bool {
        self.units == 0
    }

    fn plus(self, other: Scaled) -> Option<Scaled> {
        // `Decimal` returns the other term, as it is, when one is zero.
        if self.units == 0 {
            return Some(other);
        }
        if other.units == 0 {
            return Some(self);
        }
        let units = self.units + other.units;
        (units < LIMIT).then_some(Scaled {
            units,
            scale: self.scale.max(other.scale),
            common: self.common.max(other.common),
        })
    }

    fn minus(self, other: Scaled) -> Option<Scaled> {
        // As `Decimal`: `0 - x` is `x` negated (zero minus zero is the
        // second zero), `x - 0` is `x`. Negative amounts are out of range.
        if self.units == 0 {
            return (other.units == 0).then_some(other);
        }
        if other.units == 0 {
            return Some(self);
        }
        if other.units > self.units {
            return None;
        }
        Some(Scaled {
            units: self.units - other.units,
            scale: self.scale.max(other.scale),
            common: self.common.max(other.common),
        })
    }

    fn decimal(self) -> Decimal {
        // The common scale is at least the amount's own, and the amount has
        // no digits below its own scale, so the division is exact.
        let units = self.units / 10i128.pow(self.common - self.scale);
        Decimal::from_i128_with_scale(units, self.scale)
    }
}

/// The common scale of a set of `Decimal`s, to turn them into [`Scaled`]
/// amounts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scaling {
    common: u32,
}

impl Scaling {
    /// The scaling of `values`: their largest scale.
    pub fn of<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Scaling {
        Scaling {
            common: values.into_iter().map(Decimal::scale).max().unwrap_or(0),
        }
    }

    /// `v` as a [`Scaled`] amount, or `None` when negative or too large at
    /// the common scale (where `Decimal`s must be used).
    pub fn scaled(&self, v: Decimal) -> Option<Scaled> {
        if v.is_sign_negative() && !v.is_zero() {
            return None;
        }
        if v.is_zero() {
            // Zero in any representation: `Decimal`'s sums treat every zero
            // alike (the other term is returned), so only its scale is kept.
            return Some(Scaled {
                units: 0,
                scale: v.scale(),
                common: self.common,
            });
        }
        let shift = self.common.checked_sub(v.scale())?;
        let units = v
            .mantissa()
            .checked_mul(10i128.checked_pow(shift)?)
            .filter(|u| *u < LIMIT)?;
        Some(Scaled {
            units,
            scale: v.scale(),
            common: self.common,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Sums, differences, least and most of `Scaled` amounts give the very
    /// `Decimal`s (value and scale) that `Decimal` arithmetic gives.
    #[test]
    fn scaled_amounts_are_the_decimals_decimal_arithmetic_makes() {
        let values = [
            "0",
            "0.00",
            "0.000",
            "1",
            "1.5",
            "1.50",
            "2.125",
            "365000000000.00",
            "0.001",
            "7",
        ];
        let all: Vec<Decimal> = values.iter().map(|v| d(v)).collect();
        let scaling = Scaling::of(&all);
        for a in &all {
            for b in &all {
                let (sa, sb) = (scaling.scaled(*a).unwrap(), scaling.scaled(*b).unwrap());
                let sum = sa.plus(sb).unwrap().decimal();
                let want = *a + *b;
                assert_eq!(
                    (sum, sum.to_string()),
                    (want, want.to_string()),
                    "{a} + {b}"
                );
                if b <= a {
                    let diff = sa.minus(sb).unwrap().decimal();
                    let want = *a - *b;
                    assert_eq!(
                        (diff, diff.to_string()),
                        (want, want.to_string()),
                        "{a} - {b}"
                    );
                }
                let least = sa.least(sb).decimal().to_string();
                assert_eq!(least, Decimal::min(*a, *b).to_string(), "min {a} {b}");
                let most = sa.most(sb).decimal().to_string();
                assert_eq!(most, Decimal::max(*a, *b).to_string(), "max {a} {b}");
                assert_eq!(sa == sb, a == b);
                assert_eq!(sa < sb, a < b);
            }
        }
        let zero = <Scaled as Amount>::ZERO.most(scaling.scaled(d("0.00")).unwrap());
        assert_eq!(
            zero.decimal().to_string(),
            Decimal::ZERO.max(d("0.00")).to_string()
        );
    }

    #[test]
    fn amounts_out_of_range_are_refused() {
        let scaling = Scaling::of(&[d("0.0000000001")]);
        assert!(scaling.scaled(d("-1")).is_none());
        assert!(scaling.scaled(Decimal::MAX).is_none());
        let big = scaling.scaled(d("2000000000000000000")).unwrap();
        assert!(
            big.plus(big)
                .unwrap()
                .plus(big)
                .unwrap()
                .plus(big)
                .is_none()
        );
        let one = scaling.scaled(Decimal::ONE).unwrap();
        assert!(one.minus(big).is_none());
    }
}
