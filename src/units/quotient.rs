//! Division of accrued units by [`ACCRUAL_DENOMINATOR`] on native
//! integers, bit for bit `Decimal`'s own division.

use rust_decimal::Decimal;

use super::ACCRUAL_DENOMINATOR;
use super::wide::decimal;

/// The divisor, as an unsigned integer.
const D: u64 = ACCRUAL_DENOMINATOR.unsigned_abs();

/// The part of `D` prime to ten: `D = 20 × ODD`. A mantissa times a power
/// of ten is a multiple of `D` only if `ODD` divides the mantissa, and
/// only then can its quotient end in a half.
const ODD: u64 = D / 20;

// `D` has 31 bits: twice a remainder fits 64 bits, and a dividend below
// 2^127 times `MAGIC` leaves its quotient in the top bits.
const _: () = assert!(D >> 30 == 1 && D % 20 == 0);

/// `D × 2^96`: a mantissa times 10^k is below it exactly when its
/// quotient by `D` fits 96 bits. It has 127 bits.
const BOUND: u128 = (D as u128) << 96;

/// The largest scale a `Decimal` holds.
const MAX_SCALE: u32 = 28;

/// 10^0 to 10^38.
const POW10: [u128; 39] = {
    let mut p = [1; 39];
    let mut i = 1;
    while i < 39 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// `BELOW[k]` is the largest mantissa whose product with 10^k is below
/// [`BOUND`].
const BELOW: [u128; 39] = {
    let mut below = [0; 39];
    let mut k = 0;
    while k < 39 {
        below[k] = (BOUND - 1) / POW10[k];
        k += 1;
    }
    below
};

/// `⌈2^158 / D⌉`, 128 bits: for `x` below 2^127, `x × MAGIC / 2^158`
/// rounded down is `x / D` rounded down, since `MAGIC × D` passes 2^158 by
/// less than `D` and so `x × MAGIC / 2^158` passes `x / D` by less than
/// `1 / D`.
const MAGIC: u128 = {
    let d = D as u128;
    // 2^128 = whole × D + left.
    let whole = u128::MAX / d + (u128::MAX % d + 1) / d;
    let left = (u128::MAX % d + 1) % d;
    (whole << 30) + (left << 30) / d + 1
};

/// `units / ACCRUAL_DENOMINATOR`, the very `Decimal` (mantissa, scale and
/// sign) that `rust_decimal`'s division gives.
///
/// `Decimal` divides in steps of up to nine digits, each as many as keep
/// the quotient within 96 bits and the scale within 28; the result comes
/// out as follows, worked out here with a multiplication or two:
///
/// - a zero is [`Decimal::ZERO`], and a mantissa that `D` divides gives
///   its quotient at the dividend's scale, as it is;
/// - a mantissa that is not a multiple of [`ODD`] has a quotient that
///   never ends and is never a tie: it takes the most digits that keep it
///   within 96 bits and the scale within 28, rounded (a step whose digits
///   carry the quotient past 96 bits drops back to that many digits,
///   rounded the same way);
/// - any other multiple of [`ODD`] has a quotient with one or two decimal
///   places: exact after `Decimal`'s first step, with that step's digits,
///   when the scale leaves room for the places, and otherwise rounded
///   half to even at scale 28;
/// - last, trailing zeros go as `Decimal` drops them after a division
///   with a remainder (see [`trim`]).
#[inline]
pub(crate) fn per_denominator(units: Decimal) -> Decimal {
    let n = units.mantissa().unsigned_abs();
    let negative = units.is_sign_negative();
    let s = units.scale();
    let (whole, rest) = div_rem(n);
    if rest == 0 {
        return if n == 0 {
            Decimal::ZERO
        } else {
            decimal(whole, s, negative)
        };
    }
    // `rest % ODD` is `n % ODD`, as `ODD` divides `D`.
    let (q, scale) = if rest % ODD != 0 {
        let k = digits(n, s);
        // Rounded half up, with no tie to break. Never past 96 bits: no
        // mantissa has a quotient of 2^96 − 1 and a half or more (see the
        // tests).
        (quotient(n * POW10[k as usize] + u128::from(D / 2)), s + k)
    } else {
        // One decimal place when `n` is even, two when odd. `Decimal`'s
        // first step takes nine digits, as the scale allows: any mantissa's
        // quotient by `D` (below 2^66) times 10^9 fits 96 bits.
        let places = 1 + (n as u32 & 1);
        let first = 9.min(MAX_SCALE - s);
        if first >= places {
            (quotient(n * POW10[first as usize]), s + first)
        } else {
            let (q, r) = div_rem(n * POW10[(MAX_SCALE - s) as usize]);
            let up = r << 1 > D || (r << 1 == D && q & 1 == 1);
            (q + u128::from(up), MAX_SCALE)
        }
    };
    // Mostly no trailing zero: `q` not a multiple of 10.
    if tenths::<1>(q).is_none() {
        return decimal(q, scale, negative);
    }
    let (q, scale) = trim(q, scale);
    decimal(q, scale, negative)
}

/// The most digits the quotient of a nonzero mantissa `n` below 2^96 at
/// scale `s` takes: the most `k` with `n × 10^k` below [`BOUND`] and
/// `s + k` at most 28. With `n` below 2^bits, `n × 10^sure` is below
/// 2^126, 1233 / 4096 being just below log10(2), and `n × 10^(sure + 2)`
/// is past 2^127.
#[inline]
fn digits(n: u128, s: u32) -> u32 {
    let bits = 128 - n.leading_zeros();
    let sure = ((126 - bits) * 1233) >> 12;
    (sure + u32::from(n <= BELOW[sure as usize + 1])).min(MAX_SCALE - s)
}

/// `x / D` rounded down, for `x` below 2^127: the top bits of
/// `x × MAGIC`, from its four 64-bit partial products.
#[inline]
fn quotient(x: u128) -> u128 {
    let (x0, x1) = (u128::from(x as u64), x >> 64);
    let (m0, m1) = (u128::from(MAGIC as u64), MAGIC >> 64);
    let (low, cross0, cross1) = (x0 * m0, x0 * m1, x1 * m0);
    let carry = ((low >> 64) + u128::from(cross0 as u64) + u128::from(cross1 as u64)) >> 64;
    (x1 * m1 + (cross0 >> 64) + (cross1 >> 64) + carry) >> 30
}

/// `x / D` and `x % D`, for `x` below 2^127.
#[inline]
fn div_rem(x: u128) -> (u128, u64) {
    let q = quotient(x);
    (q, (x as u64).wrapping_sub((q as u64).wrapping_mul(D)))
}

/// `q / 10^E` if 10^E divides `q`: then `q` times the inverse of 5^E
/// modulo 2^128 is `q / 5^E` exactly, and turned right by `E` bits it is
/// `q / 10^E`; otherwise it is past `(2^128 − 1) / 10^E`.
#[inline]
fn tenths<const E: u32>(q: u128) -> Option<u128> {
    let d = q
        .wrapping_mul(const { inverse(5u128.pow(E)) })
        .rotate_right(E);
    (d <= const { u128::MAX / 10u128.pow(E) }).then_some(d)
}

/// The inverse of an odd `a` modulo 2^128, by Newton's iteration: each
/// step doubles the low bits that are right, from the three of `a` itself.
const fn inverse(a: u128) -> u128 {
    let mut x = a;
    let mut i = 0;
    while i < 6 {
        x = x.wrapping_mul(2u128.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x
}

/// Trailing zeros of a quotient dropped as `Decimal` drops them after a
/// division with a remainder: eight at a time while the low 32 bits are
/// zero, then four, two and one, each tried once, never below scale zero.
fn trim(mut q: u128, mut scale: u32) -> (u128, u32) {
    while q as u32 == 0 && scale >= 8 {
        let Some(d) = tenths::<8>(q) else { break };
        q = d;
        scale -= 8;
    }
    if let Some(d) = tenths::<4>(q).filter(|_| scale >= 4) {
        q = d;
        scale -= 4;
    }
    if let Some(d) = tenths::<2>(q).filter(|_| scale >= 2) {
        q = d;
        scale -= 2;
    }
    if let Some(d) = tenths::<1>(q).filter(|_| scale >= 1) {
        q = d;
        scale -= 1;
    }
    (q, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The largest mantissa a `Decimal` holds: 2^96 − 1.
    const TOP: u128 = (1 << 96) - 1;

    /// `Decimal`'s own division, which `per_denominator` must give to
    /// the bit.
    fn by_decimal(units: Decimal) -> Decimal {
        units / Decimal::from(ACCRUAL_DENOMINATOR)
    }

    /// Both divisions of `m` at `scale`, checked to be the same 16 bytes,
    /// and the result as mantissa and scale.
    fn divided(m: u128, scale: u32, negative: bool) -> (i128, u32) {
        let units = decimal(m, scale, negative);
        let fast = per_denominator(units);
        assert_eq!(fast.serialize(), by_decimal(units).serialize(), "{units}");
        (fast.mantissa(), fast.scale())
    }

    /// A multiple of `D` divides exactly, at the dividend's own scale.
    #[test]
    fn whole_denominators_keep_the_dividend_scale() {
        // D / D = 1 exactly: no remainder, so nothing is rescaled or trimmed.
        assert_eq!(divided(u128::from(D), 0, false), (1, 0));
        // 100·D at scale 0 is 100, its zeros kept; at scale 2 it is 1.00.
        assert_eq!(divided(100 * u128::from(D), 0, false), (100, 0));
        assert_eq!(divided(100 * u128::from(D), 2, true), (-100, 2));
    }

    /// An exact quotient after the first step keeps the zeros that
    /// `Decimal`'s trimming leaves.
    #[test]
    fn half_a_denominator_is_half_with_one_zero_kept() {
        // D/2 = 840,681,870. The first step takes nine digits:
        // 840,681,870 × 10^9 / D = 500,000,000 exactly, at scale 9. Its low
        // 32 bits are not zero (0x1DCD6500), so no eight zeros go at once;
        // then four (50,000, scale 5), two (500, scale 3) and one (50,
        // scale 2): 0.50, not 0.5.
        assert_eq!(divided(u128::from(D / 2), 0, false), (50, 2));
        // 3·D/2 at scale 1 is 0.15: 1,500,000,000 at scale 10 after the
        // first step (low 32 bits 0x59682F00), then 150,000, 1,500 and 150:
        // 0.150.
        assert_eq!(divided(u128::from(3 * D / 2), 1, false), (150, 3));
    }

    /// A quotient that never ends is rounded at scale 28.
    #[test]
    fn one_unit_is_rounded_at_the_28th_place() {
        // 1 / 1,681,363,740 = 5.947553026211924850|95… × 10^-10: scale 28
        // keeps 19 of those digits, and what follows (0.95… of the last) is
        // more than half: 0.0000000005947553026211924851.
        assert_eq!(divided(1, 0, false), (5_947_553_026_211_924_851, 28));
        assert_eq!(divided(1, 0, true), (-5_947_553_026_211_924_851, 28));
    }

    /// A half at the last place goes to the even neighbour.
    #[test]
    fn ties_at_scale_28_go_to_even() {
        // k·D + D/2 at scale 28 is (k + ½) × 10^-28, no place left to scale:
        // 0.5 goes to 0 (and no negative zero), 1.5 to 2, 2.5 to 2, and a
        // unit more than 0.5 to 1.
        let half = u128::from(D / 2);
        let d = u128::from(D);
        assert_eq!(divided(half, 28, true), (0, 0));
        assert_eq!(divided(d + half, 28, false), (2, 28));
        assert_eq!(divided(2 * d + half, 28, false), (2, 28));
        assert_eq!(divided(half + 1, 28, false), (1, 28));
        // At scale 27 one place is left: 3·D/2, whose quotient 1.5 has one
        // place, gives 15 × 10^-28 exactly, while 3·ODD, whose quotient 0.15
        // has two, is 1.5 × 10^-28, a tie that goes to 2.
        assert_eq!(divided(3 * half, 27, false), (15, 28));
        assert_eq!(divided(3 * u128::from(ODD), 27, false), (2, 28));
    }

    /// A quotient stops at the most digits that fit 96 bits.
    #[test]
    fn the_largest_mantissa_stops_short_of_scale_28() {
        // (2^96 − 1) / D = 47,121,369,772,292,304,575.061164537 186…: nine
        // places give 29 digits, 47121369772292304575061164537, below
        // 2^96 − 1 = 79228162514264337593543950335; a tenth would pass it.
        // The next digit is 1: rounded down, at scale 9.
        assert_eq!(
            divided(TOP, 0, false),
            (47_121_369_772_292_304_575_061_164_537, 9)
        );
    }

    /// A step whose digits carry the quotient past 96 bits gives one
    /// digit back, rounded.
    #[test]
    fn a_step_that_carries_past_96_bits_drops_a_digit() {
        // 1332113596383112900049036562 / D =
        // 792,281,625,142,643,375.935439503411…. Nine places give
        // 792281625142643375935439503 (27 digits); times 100 it still fits
        // 96 bits, so the next step takes two more places, 41, and
        // 79228162514264337593543950341 passes 2^96 − 1. One digit goes
        // back, rounded: …5034|1 is …5034, at scale 10.
        assert_eq!(
            divided(1_332_113_596_383_112_900_049_036_562, 0, false),
            (7_922_816_251_426_433_759_354_395_034, 10)
        );
    }

    /// Every zero, negative or at any scale, is `Decimal::ZERO`.
    #[test]
    fn zeros_of_any_scale_and_sign_are_decimal_zero() {
        for scale in 0..=28 {
            for negative in [false, true] {
                let mut zero = Decimal::new(0, scale);
                zero.set_sign_negative(negative);
                let fast = per_denominator(zero);
                assert_eq!(fast.serialize(), Decimal::ZERO.serialize());
                assert_eq!(fast.serialize(), by_decimal(zero).serialize());
            }
        }
    }

    /// Rounding up never carries a quotient past 96 bits, which the
    /// division leaves unchecked.
    #[test]
    fn no_rounding_carries_past_96_bits() {
        // A rounded quotient passes 2^96 − 1 only if some mantissa times
        // 10^k (k up to 28) lies in [(2^96 − 1)·D + D/2, 2^96·D): the first
        // multiple of 10^k from the start of that range is past its end,
        // or past the largest mantissa.
        let start = TOP * u128::from(D) + u128::from(D / 2);
        for (k, &p) in POW10.iter().enumerate().take(29) {
            let first = start.div_ceil(p) * p;
            assert!(first >= BOUND || first / p > TOP, "10^{k}");
        }
    }

    /// The multiplication by `MAGIC` divides exactly, at the ends of its
    /// range and next to multiples of `D`.
    #[test]
    fn quotient_is_integer_division_up_to_2_pow_127() {
        let d = u128::from(D);
        let top = (1u128 << 127) - 1;
        for x in [
            0,
            1,
            d - 1,
            d,
            d + 1,
            BOUND - 1,
            BOUND,
            top,
            top - top % d,
            top - top % d - 1,
        ] {
            assert_eq!(div_rem(x), (x / d, (x % d) as u64), "{x}");
        }
    }

    /// Mantissas skewed to the edges: zero, one, the largest, multiples
    /// of `D` and their neighbours and halves (the ties), multiples of
    /// `ODD` (quotients with one or two places), of the day counts'
    /// shares of `D`, runs of trailing zeros, values whose quotient comes
    /// close to 96 bits at some scale, any length, any value.
    fn mantissa() -> impl Strategy<Value = u128> {
        let d = u128::from(D);
        let clamp = |m: i128| m.clamp(0, TOP as i128) as u128;
        prop_oneof![
            Just(0u128),
            Just(1),
            (TOP - 10_000)..=TOP,
            (0..=TOP / d, 0usize..6).prop_map(move |(k, i)| {
                let h = (d / 2) as i128;
                clamp((k * d) as i128 + [0, 1, -1, h, h - 1, h + 1][i])
            }),
            (0..=TOP / u128::from(ODD)).prop_map(|k| k * u128::from(ODD)),
            (0usize..6, 0..=TOP / (d / 28)).prop_map(move |(i, k)| {
                let share = d / [28, 29, 30, 31, 365, 366][i];
                (k * share).min(TOP)
            }),
            (0usize..=28).prop_flat_map(|t| (0..=TOP / POW10[t]).prop_map(move |m| m * POW10[t])),
            (1usize..=38, -3000i128..3000)
                .prop_map(move |(j, off)| clamp((BOUND / POW10[j]) as i128 + off)),
            (0u32..=96).prop_flat_map(|bits| 0..=(TOP >> (96 - bits))),
            0..=TOP,
        ]
    }

    /// A `Decimal` of any mantissa from [`mantissa`], scale and sign; a
    /// zero may be negative, as `Decimal` can carry it.
    fn units() -> impl Strategy<Value = Decimal> {
        (mantissa(), 0u32..=28, any::<bool>()).prop_map(|(m, scale, negative)| {
            let mut units = decimal(m, scale, negative);
            units.set_sign_negative(negative);
            units
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            // 4096 unless PROPTEST_CASES asks for another number.
            cases: if std::env::var_os("PROPTEST_CASES").is_some() {
                ProptestConfig::default().cases
            } else {
                4096
            },
            ..ProptestConfig::default()
        })]

        /// The very `Decimal`, compared as its 16 bytes, that `Decimal`'s
        /// division gives.
        #[test]
        fn per_denominator_is_decimal_division_to_the_bit(units in units()) {
            prop_assert_eq!(
                per_denominator(units).serialize(),
                by_decimal(units).serialize(),
                "{}", units
            );
        }
    }
}
