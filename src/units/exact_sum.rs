//! Exact sums of many decimals, rounded once.

use rust_decimal::Decimal;

use super::wide::{SCALES, U256, decimal};

/// A running sum of decimals kept exactly, on integers, and rounded once
/// when it is read: the same whatever the order of its terms, and the same
/// whether terms are added one by one or as sums of some of them
/// ([`ExactSum::merge`]).
///
/// **Rounding.** [`ExactSum::total`] is the exact sum when it fits a
/// `Decimal` at the highest scale of the nonzero terms: then it is the
/// very `Decimal`, value and scale, that `Decimal`'s own addition gives,
/// which rounds nothing either. A sum past 96 bits at that scale drops the
/// fewest digits that make it fit, rounding half to even on the exact
/// remainder, once, where adding term by term rounds at every addition
/// past 96 bits. For two terms the two are the same to the bit.
///
/// **Zeros** are skipped, as the crate's addition skips them: a zero term
/// neither raises the scale nor changes the sum. A sum of zeros alone is
/// the last of them (or [`Decimal::ZERO`] for none).
///
/// **Bound.** A term is below 2^96 at a scale of at most 28, so below
/// 2^190 once raised to scale 28; the sum holds 255 bits and a sign, room
/// for 2^60 terms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ExactSum {
    /// The sum at `scale`, in two's complement.
    sum: U256,
    /// The highest scale among the nonzero terms.
    scale: u32,
    /// Whether a nonzero term was added.
    nonzero: bool,
    /// The last zero added while every term was zero, if any was.
    zero: Option<Decimal>,
}

impl ExactSum {
    /// An empty sum.
    pub fn new() -> ExactSum {
        ExactSum::default()
    }

    /// Adds `d`.
    #[inline]
    pub fn add(&mut self, d: Decimal) {
        if d.is_zero() {
            if !self.nonzero {
                self.zero = Some(d);
            }
            return;
        }
        let s = d.scale();
        self.raise(s);
        let term = U256::product(
            d.mantissa().unsigned_abs(),
            SCALES[(self.scale - s) as usize],
        );
        self.sum = if d.is_sign_negative() {
            self.sum.minus(term)
        } else {
            self.sum.plus(term)
        };
    }

    /// Adds every term of `other`: the sum is as if they were added here
    /// one by one.
    #[inline]
    pub fn merge(&mut self, other: &ExactSum) {
        if !other.nonzero {
            // An empty sum adds nothing, not even a zero.
            if let (false, Some(z)) = (self.nonzero, other.zero) {
                self.zero = Some(z);
            }
            return;
        }
        self.raise(other.scale);
        self.sum = self
            .sum
            .plus(other.sum.times(SCALES[(self.scale - other.scale) as usize]));
    }

    /// Makes ready for a nonzero term of scale `s`: the sum is held at the
    /// higher of `s` and its scale.
    #[inline]
    fn raise(&mut self, s: u32) {
        if !self.nonzero {
            self.scale = s;
            self.nonzero = true;
        } else if s > self.scale {
            self.sum = self.sum.times(SCALES[(s - self.scale) as usize]);
            self.scale = s;
        }
    }

    /// The sum, rounded once as the type's documentation says; `None`
    /// past `Decimal`'s range (more than 96 bits of whole units).
    pub fn total(&self) -> Option<Decimal> {
        if !self.nonzero {
            return Some(self.zero.unwrap_or(Decimal::ZERO));
        }
        let negative = self.sum.0[3] >> 63 == 1;
        let magnitude = if negative {
            U256::default().minus(self.sum)
        } else {
            self.sum
        };
        let bits = magnitude.bits();
        if bits <= 96 {
            return Some(decimal(magnitude.low(), self.scale, negative));
        }
        // The fewest digits to drop, estimated from the sum's length (a
        // digit is a little over 3.32 bits), then one more until the
        // rounded quotient fits.
        let mut drop = (((bits - 97) * 77) >> 8) + 1;
        loop {
            if drop > self.scale {
                return None;
            }
            let (q, up) = magnitude.rounded_quotient(drop);
            let q = if up { q.plus(U256::from_u128(1)) } else { q };
            if q.bits() <= 96 {
                return Some(decimal(q.low(), self.scale - drop, negative));
            }
            drop += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A `Decimal` from any 96-bit mantissa, sign and scale, skewed
    /// towards the edges: zero, one and the largest mantissas.
    fn any_decimal() -> impl Strategy<Value = Decimal> {
        let top = (1i128 << 96) - 1;
        let mantissa = prop_oneof![
            Just(0i128),
            Just(1),
            Just(top),
            (top - 1000)..=top,
            0i128..1_000_000,
            -top..=top,
        ];
        (mantissa, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
    }

    /// `terms` (nonzero, each of scale at most `scale`) summed exactly on
    /// `i128` at `scale`, then rounded half to even at the fewest dropped
    /// digits that fit 96 bits: worked out without [`U256`].
    fn by_hand(terms: &[Decimal], scale: u32) -> Option<Decimal> {
        let v: i128 = terms
            .iter()
            .map(|t| t.mantissa() * 10i128.pow(scale - t.scale()))
            .sum();
        let exact = v.unsigned_abs();
        let (mut m, mut s, mut drop) = (exact, scale, 0u32);
        while m >> 96 != 0 {
            drop += 1;
            if drop > scale {
                return None;
            }
            let p = 10u128.pow(drop);
            let (q, r) = (exact / p, exact % p);
            let half = p / 2;
            m = q + u128::from(r > half || (r == half && q & 1 == 1));
            s = scale - drop;
        }
        let mut d = Decimal::from_i128_with_scale(m as i128, s);
        d.set_sign_negative(v < 0 && m != 0);
        Some(d)
    }

    /// Terms whose exact sum fits `i128` at their highest scale.
    fn small_terms() -> impl Strategy<Value = Vec<Decimal>> {
        proptest::collection::vec(
            (-(1i128 << 94)..=(1i128 << 94), 0u32..=6)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
            0..60,
        )
    }

    proptest! {
        /// Two terms: the very `Decimal` (value, scale and sign, as its 16
        /// bytes) that `Decimal`'s addition gives, or overflow where it
        /// overflows.
        #[test]
        fn two_terms_are_decimal_addition_to_the_bit(a in any_decimal(), b in any_decimal()) {
            let mut s = ExactSum::new();
            s.add(a);
            s.add(b);
            let expected = if a.is_zero() {
                Some(b)
            } else if b.is_zero() {
                Some(a)
            } else {
                a.checked_add(b)
            };
            prop_assert_eq!(
                s.total().map(|d| d.serialize()),
                expected.map(|d| d.serialize()),
                "{} + {}", a, b
            );
        }

        /// Many terms: the exact sum rounded once, as worked out on `i128`,
        /// whatever the order, and whether added one by one or as two sums
        /// merged.
        #[test]
        fn many_terms_round_once(terms in small_terms(), cut in 0usize..60) {
            let nonzero: Vec<Decimal> = terms.iter().copied().filter(|t| !t.is_zero()).collect();
            let scale = nonzero.iter().map(|t| t.scale()).max().unwrap_or(0);
            let expected = if nonzero.is_empty() {
                Some(terms.last().copied().unwrap_or(Decimal::ZERO))
            } else {
                by_hand(&nonzero, scale)
            };
            let bits = |s: &ExactSum| s.total().map(|d| d.serialize());
            let mut forward = ExactSum::new();
            terms.iter().for_each(|t| forward.add(*t));
            prop_assert_eq!(bits(&forward), expected.map(|d| d.serialize()));
            let mut backward = ExactSum::new();
            terms.iter().rev().for_each(|t| backward.add(*t));
            if !nonzero.is_empty() {
                prop_assert_eq!(bits(&backward), bits(&forward));
            }
            let (a, b) = terms.split_at(cut.min(terms.len()));
            let (mut left, mut right) = (ExactSum::new(), ExactSum::new());
            a.iter().for_each(|t| left.add(*t));
            b.iter().for_each(|t| right.add(*t));
            left.merge(&right);
            prop_assert_eq!(bits(&left), bits(&forward));
        }
    }

    #[test]
    fn a_sum_past_96_bits_rounds_once() {
        // The exact sum of 286059201584122439011979821.64,
        // 5306150887365833750375933.7337 and 16813706608176536873.733702489
        // is 291365369285194880938892629.107402489; 29 digits fit 96 bits
        // below 7.92 × 10^28, so it keeps two decimals: ...629.11. Term by
        // term, the first two make ...755.3737, rounded to ...755.37, and
        // adding the third gives ...629.103702489, rounded to ...629.10.
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let terms = [
            d("286059201584122439011979821.64"),
            d("5306150887365833750375933.7337"),
            d("16813706608176536873.733702489"),
        ];
        let mut s = ExactSum::new();
        terms.iter().for_each(|t| s.add(*t));
        assert_eq!(
            s.total().map(|d| d.to_string()),
            Some("291365369285194880938892629.11".to_string())
        );
        let folded = terms[1..]
            .iter()
            .try_fold(terms[0], |a, b| a.checked_add(*b));
        assert_eq!(
            folded.map(|d| d.to_string()),
            Some("291365369285194880938892629.10".to_string())
        );
        // Whole units past 96 bits cannot be rounded away: overflow.
        let mut s = ExactSum::new();
        s.add(Decimal::MAX);
        s.add(Decimal::ONE);
        assert_eq!(s.total(), None);
        // Zeros neither raise the scale nor change the sum; zeros alone
        // read as the last of them.
        let mut s = ExactSum::new();
        s.add(d("0.000"));
        assert_eq!(s.total().map(|d| d.to_string()), Some("0.000".into()));
        s.add(d("2.5"));
        s.add(d("0.0000"));
        assert_eq!(s.total().map(|d| d.to_string()), Some("2.5".into()));
        // Opposite signs cancel exactly, at the highest scale.
        s.add(d("-2.50"));
        assert_eq!(s.total().map(|d| d.to_string()), Some("0.00".into()));
        // Merging an empty sum adds nothing, so a sum of zeros keeps its
        // last zero's scale; merging a sum of zeros brings its last zero.
        let mut s = ExactSum::new();
        s.add(d("0.00"));
        s.merge(&ExactSum::new());
        assert_eq!(s.total().map(|d| d.to_string()), Some("0.00".into()));
        let mut zeros = ExactSum::new();
        zeros.add(d("0.0000"));
        s.merge(&zeros);
        assert_eq!(s.total().map(|d| d.to_string()), Some("0.0000".into()));
        assert_eq!(
            ExactSum::new().total().map(|d| d.to_string()),
            Some("0".into())
        );
    }
}
