//! Exact addition and multiplication of two decimals on integers, bit for
//! bit `Decimal`'s own; checked products of the `i128` mantissas sums of
//! accrued units are worked in, and the powers of ten that rescale them.

use rust_decimal::Decimal;

use super::wide::{SCALES, U256, decimal};

/// `a + b`: the very `Decimal` (value, scale and sign) that
/// [`Decimal::checked_add`] gives, worked out on integers when neither is
/// negative: a sum of duty, which `Decimal`'s general addition (built for
/// either sign, and rescaling in a 192-bit buffer) makes at several times
/// the cost. With a negative operand it is `Decimal`'s own addition.
///
/// As `Decimal` does, the lower scale is raised to the higher and the
/// mantissas added exactly; a sum past 96 bits drops as many digits as
/// `Decimal` drops (its estimate from the sum's bit length, then one more
/// until the quotient fits) and rounds half to even on the exact
/// remainder; a rounding that carries past 96 bits drops one more digit,
/// rounded again. The crate's tests check it against `Decimal` to the bit
/// on generated and edge-case operands.
pub(crate) fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_sign_negative() || b.is_sign_negative() {
        return a.checked_add(b);
    }
    // A zero added leaves the other operand as it is, scale included.
    if a.is_zero() {
        return Some(b);
    }
    if b.is_zero() {
        return Some(a);
    }
    let (sa, sb) = (a.scale(), b.scale());
    // `low` has the lower scale and is raised to `scale`.
    let (low, high, scale) = if sa < sb { (a, b, sb) } else { (b, a, sa) };
    let x = low.mantissa().unsigned_abs();
    let y = high.mantissa().unsigned_abs();
    let p = SCALES[(scale - low.scale()) as usize];
    // Most sums of duty fit: raised and added in 128 bits. Operands of one
    // scale (weights of a tree, sums of a month) are not multiplied.
    let raised = if p == 1 { Some(x) } else { x.checked_mul(p) };
    if let Some(m) = raised
        .and_then(|r| r.checked_add(y))
        .filter(|m| *m >> 96 == 0)
    {
        return Some(decimal(m, scale, false));
    }
    let sum = U256::product(x, p).plus(U256::from_u128(y));
    let Some(bits) = sum.bits().checked_sub(96).filter(|over| *over > 0) else {
        return Some(decimal(sum.low(), scale, false));
    };
    // `Decimal`'s estimate of the digits to drop, from the sum's length.
    let mut drop = (((bits - 1) * 77) >> 8) + 1;
    let (mut q, up) = loop {
        let (q, up) = sum.rounded_quotient(drop);
        if q.bits() <= 96 {
            break (q.low(), up);
        }
        drop += 1;
    };
    if drop > scale {
        return a.checked_add(b);
    }
    if up {
        q += 1;
    }
    let mut out_scale = scale - drop;
    if q >> 96 != 0 {
        // The rounding carried past 96 bits: one digit more, rounded again
        // on that digit alone.
        if out_scale == 0 {
            return a.checked_add(b);
        }
        let (d, r) = (q / 10, q % 10);
        q = d + u128::from(r > 5 || (r == 5 && d & 1 == 1));
        out_scale -= 1;
    }
    Some(decimal(q, out_scale, false))
}

/// `a × b`: the very `Decimal` (value, scale and sign) that
/// [`Decimal::checked_mul`] gives, worked out inline when both mantissas
/// fit 64 bits, their product 96 bits and the two scales add up to at
/// most 28 (a duty's daily value times a rate, a rate times days): then
/// `Decimal` keeps the product whole at the summed scale, and so does
/// this. A zero operand gives [`Decimal::ZERO`], as `Decimal` gives it.
/// Otherwise (a product `Decimal` would round or reject) it is
/// `Decimal`'s own multiplication. The crate's tests check it against
/// `Decimal` to the bit on generated and edge-case operands.
#[inline]
pub(crate) fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_zero() || b.is_zero() {
        return Some(Decimal::ZERO);
    }
    let scale = a.scale() + b.scale();
    let (x, y) = (a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
    if scale <= 28 && x >> 64 == 0 && y >> 64 == 0 {
        // Both below 2^64: the product fits 128 bits.
        let m = x * y;
        if m >> 96 == 0 {
            let negative = a.is_sign_negative() != b.is_sign_negative();
            return Some(decimal(m, scale, negative));
        }
    }
    a.checked_mul(b)
}

/// `a` against `b` by value, as [`Decimal`]'s `Ord` orders them, on the
/// `i128` mantissas raised to the higher of the two scales (sums of duty
/// over paths differ in scale as often as not), or by `Decimal`'s own
/// comparison when a raised mantissa would not fit.
#[inline]
pub(crate) fn exact_cmp(a: &Decimal, b: &Decimal) -> std::cmp::Ordering {
    if a.scale() == b.scale() {
        // A negative zero's mantissa is 0: equal to zero, as `Decimal` has it.
        a.mantissa().cmp(&b.mantissa())
    } else {
        raised_cmp(a, b)
    }
}

/// [`exact_cmp`] of two decimals of different scales.
#[inline(never)]
fn raised_cmp(a: &Decimal, b: &Decimal) -> std::cmp::Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    let (x, y) = if sa > sb {
        let raised = checked_product(TENS[(sa - sb) as usize], b.mantissa());
        (Some(a.mantissa()), raised)
    } else {
        let raised = checked_product(TENS[(sb - sa) as usize], a.mantissa());
        (raised, Some(b.mantissa()))
    };
    match (x, y) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// `10^k` for every `k` whose power fits `i128` (0 to 38).
pub(crate) const TENS: [i128; 39] = {
    let mut tens = [1i128; 39];
    let mut k = 1;
    while k < tens.len() {
        tens[k] = tens[k - 1] * 10;
        k += 1;
    }
    tens
};

/// `a × b`, when it fits `i128`: [`i128::checked_mul`], at a fraction of
/// its cost when `a` fits 64 bits (a rate's or a probability's mantissa, a
/// power of ten up to 10^19), as two 64-bit products of `b`'s magnitude.
#[inline]
pub(crate) fn checked_product(a: i128, b: i128) -> Option<i128> {
    let Ok(a) = u64::try_from(a) else {
        return a.checked_mul(b);
    };
    let m = b.unsigned_abs();
    let low = u128::from(m as u64) * u128::from(a);
    let high = u64::try_from((m >> 64) * u128::from(a)).ok()?;
    let magnitude = low.checked_add(u128::from(high) << 64)?;
    if b < 0 {
        0i128.checked_sub_unsigned(magnitude)
    } else {
        i128::try_from(magnitude).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Decimal` from any 96-bit mantissa and scale, skewed towards the
    /// edges: zero, one, the largest mantissa and sums that carry past it.
    fn any_decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        let top = (1i128 << 96) - 1;
        let mantissa = prop_oneof![
            Just(0i128),
            Just(1),
            Just(top),
            (top / 2 - 1000)..(top / 2 + 1000),
            0i128..1_000_000,
            -top..=top,
        ];
        with_scale(mantissa)
    }

    /// A `Decimal` of each of `mantissas` at any scale; a zero may be
    /// negative, as `Decimal` can carry it.
    fn with_scale(
        mantissas: impl proptest::strategy::Strategy<Value = i128>,
    ) -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        (mantissas, 0u32..=28, any::<bool>()).prop_map(|(m, s, neg)| {
            let mut d = Decimal::from_i128_with_scale(m, s);
            if neg && m == 0 {
                d.set_sign_negative(true);
            }
            d
        })
    }

    proptest::proptest! {
        /// The integer addition gives the very `Decimal` — value, scale
        /// and sign, compared as `Decimal`'s own 16 bytes — that `Decimal`'s
        /// addition gives, or overflows where it does.
        #[test]
        fn exact_add_is_decimal_addition_to_the_bit(a in any_decimal(), b in any_decimal()) {
            let fast = exact_add(a, b).map(|d| d.serialize());
            let slow = a.checked_add(b).map(|d| d.serialize());
            proptest::prop_assert_eq!(fast, slow, "{} + {}", a, b);
        }
    }

    proptest::proptest! {
        /// The comparison on mantissas orders any two decimals as
        /// `Decimal`'s `Ord` does, zeros of either sign and equal values at
        /// other scales included (a shared scale is drawn half the time).
        #[test]
        fn exact_cmp_is_decimal_order(
            a in any_decimal(),
            b in any_decimal(),
            same_scale in proptest::prelude::any::<bool>(),
        ) {
            let mut b = b;
            if same_scale {
                b.rescale(a.scale());
            }
            proptest::prop_assert_eq!(exact_cmp(&a, &b), a.cmp(&b), "{} against {}", a, b);
            proptest::prop_assert_eq!(exact_cmp(&a, &a), std::cmp::Ordering::Equal);
            // `a` at a higher scale, as many places as still fit 96 bits:
            // the same value written longer (1.5 against 1.500) is equal.
            let mut longer = a;
            longer.rescale(28);
            proptest::prop_assert_eq!(longer.cmp(&a), std::cmp::Ordering::Equal);
            proptest::prop_assert_eq!(exact_cmp(&a, &longer), std::cmp::Ordering::Equal);
            proptest::prop_assert_eq!(exact_cmp(&longer, &a), std::cmp::Ordering::Equal);
        }
    }

    /// Mantissas at the edges of the inline multiplication: below and
    /// past 64 bits, of either sign, and products either side of 96 bits.
    fn mul_operand() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        let mantissa = prop_oneof![
            Just(0i128),
            Just(1),
            (1i128 << 31)..(1i128 << 33),
            -(1i128 << 49)..(1i128 << 49),
            ((1i128 << 64) - 1000)..((1i128 << 64) + 1000),
            -(1i128 << 96) + 1..(1i128 << 96),
        ];
        with_scale(mantissa)
    }

    proptest::proptest! {
        /// The inline multiplication gives the very `Decimal` — value,
        /// scale and sign, as `Decimal`'s own 16 bytes — that `Decimal`'s
        /// multiplication gives, or overflows where it does.
        #[test]
        fn exact_mul_is_decimal_multiplication_to_the_bit(a in mul_operand(), b in mul_operand()) {
            let fast = exact_mul(a, b).map(|d| d.serialize());
            let slow = a.checked_mul(b).map(|d| d.serialize());
            proptest::prop_assert_eq!(fast, slow, "{} × {}", a, b);
        }
    }

    #[test]
    fn exact_mul_at_its_edges() {
        // (2^64 - 1)² is past 96 bits, so the inline path gives way to
        // Decimal's own, which drops digits: the same bits either way.
        let top = Decimal::from_i128_with_scale((1i128 << 64) - 1, 2);
        let same = |a: Decimal, b: Decimal| {
            assert_eq!(
                exact_mul(a, b).map(|d| d.serialize()),
                a.checked_mul(b).map(|d| d.serialize()),
                "{a} × {b}"
            );
        };
        same(top, top);
        // 0.25 × 31 days = 7.75 at scale 2, kept whole.
        let quarter = Decimal::new(25, 2);
        assert_eq!(
            exact_mul(quarter, Decimal::from(31)),
            Some(Decimal::new(775, 2))
        );
        // A zero operand of any scale gives the plain zero, scale 0.
        let zero = Decimal::new(0, 7);
        assert_eq!(exact_mul(zero, quarter).map(|d| d.scale()), Some(0));
        // -0.5 × 0.5 = -0.25 at scale 2; scales past 28 go to Decimal.
        same(Decimal::new(-5, 1), Decimal::new(5, 1));
        same(Decimal::new(3, 20), Decimal::new(7, 20));
    }

    /// Two positive operands whose sum, past 96 bits, often leaves a
    /// remainder of exactly one half where `Decimal` drops digits: the
    /// higher-scale one ends in a 5 followed by zeros, the other is raised
    /// past those zeros.
    fn tie_operands() -> impl proptest::strategy::Strategy<Value = (Decimal, Decimal)> {
        use proptest::prelude::*;
        let top = (1u128 << 96) - 1;
        (
            1u128..=top,
            1u32..=28,
            0u32..28,
            0u128..(1 << 60),
            0u32..=28,
        )
            .prop_map(move |(x, d, k, c, s)| {
                let k = k.min(d - 1);
                let tail = 10u128.pow(k);
                let y = (c * 10 + 5).saturating_mul(tail).min(top);
                let high = s.max(d);
                (
                    Decimal::from_i128_with_scale(x as i128, high - d),
                    Decimal::from_i128_with_scale(y as i128, high),
                )
            })
    }

    proptest::proptest! {
        /// As above, on sums that round at a tie.
        #[test]
        fn exact_add_rounds_ties_as_decimal_does((a, b) in tie_operands()) {
            let fast = exact_add(a, b).map(|d| d.serialize());
            let slow = a.checked_add(b).map(|d| d.serialize());
            proptest::prop_assert_eq!(fast, slow, "{} + {}", a, b);
            let fast = exact_add(b, a).map(|d| d.serialize());
            proptest::prop_assert_eq!(fast, slow, "{} + {}", b, a);
        }
    }

    #[test]
    fn exact_add_keeps_the_scale_decimal_keeps() {
        // 1.50 + 2 = 3.50 at scale 2; 0.000 + 2.5 = 2.5 (a zero leaves the
        // other operand as it is); (2^96 - 1) + 1 does not fit at scale 0.
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(exact_add(d("1.50"), d("2")).unwrap().to_string(), "3.50");
        assert_eq!(exact_add(d("0.000"), d("2.5")).unwrap().to_string(), "2.5");
        assert_eq!(exact_add(Decimal::MAX, Decimal::ONE), None);
        // Equal scales past 96 bits drop one digit, rounding half to even,
        // as `Decimal` does: (2^96 - 1) + 5, at scale 3, is
        // 79228162514264337593543950340 thousandths, 7922816251426433759354395034
        // hundredths.
        let top = Decimal::from_i128_with_scale((1 << 96) - 1, 3);
        let five = Decimal::from_i128_with_scale(5, 3);
        assert_eq!(
            exact_add(top, five).unwrap().to_string(),
            "79228162514264337593543950.34"
        );
        assert_eq!(exact_add(top, five), top.checked_add(five));
    }
    proptest::proptest! {
        /// The split product is `i128`'s checked one, for every sign and
        /// size: a factor of 64 bits or not, products near and past
        /// `i128`'s bounds (`i128::MIN` itself included).
        #[test]
        fn split_products_are_checked_products(
            a in proptest::prop_oneof![0i128..=i128::from(u64::MAX), proptest::num::i128::ANY, proptest::strategy::Just(1i128 << 63)],
            b in proptest::prop_oneof![
                proptest::num::i128::ANY,
                -(1i128 << 96)..(1i128 << 96),
                proptest::strategy::Just(i128::MIN),
                proptest::strategy::Just(i128::MAX),
                proptest::strategy::Just(-(1i128 << 64)),
            ],
        ) {
            proptest::prop_assert_eq!(checked_product(a, b), a.checked_mul(b));
        }
    }

    /// `i128::MIN` is `2^63 × −2^64`, and `2^127` does not fit: the split
    /// product gives the one and refuses the other, as `checked_mul` does.
    #[test]
    fn the_split_product_reaches_i128_min_and_no_further() {
        assert_eq!(checked_product(1 << 63, -(1i128 << 64)), Some(i128::MIN));
        assert_eq!(checked_product(1 << 63, 1i128 << 64), None);
        assert_eq!(TENS[38], 10i128.pow(38));
    }
}
