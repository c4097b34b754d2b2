//! How figures are written for people: money in billions or millions with two
//! decimals and thousands separators, percentages with two decimals.
//!
//! Each figure is rounded once, here, from the exact value, half away from
//! zero ([`RoundingStrategy::MidpointAwayFromZero`]), to the two decimals of
//! the unit it is shown in.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::units::Currency;

const BILLION: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
const THOUSAND: Decimal = Decimal::from_parts(1_000, 0, 0, false, 0);
const HUNDRED: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// `value` rounded half away from zero to `dp` decimals, written with exactly
/// `dp` decimals and never as `-0`.
pub(crate) fn fixed(value: Decimal, dp: u32) -> Decimal {
    let mut v = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(dp);
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v
}

/// Inserts `,` every three digits into the whole part of a plain decimal.
pub(crate) fn separated(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    push_grouped(&mut out, whole.as_bytes());
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Writes the digits `whole` (ASCII) with `,` every three from the right.
fn push_grouped(out: &mut String, whole: &[u8]) {
    for (i, d) in whole.iter().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(*d));
    }
}

/// The unit an amount is shown in: billions, millions, or plain units.
/// `value / unit` for a unit of 1, a thousand, a million or a billion: the
/// same value as the division, found by moving the decimal point when the
/// quotient keeps to Decimal's 28 decimals (nearly always), so no division
/// is made.
fn over(value: Decimal, unit: Decimal) -> Decimal {
    let places = match unit {
        u if u == Decimal::ONE => 0,
        u if u == THOUSAND => 3,
        u if u == MILLION => 6,
        u if u == BILLION => 9,
        _ => return value / unit,
    };
    let mut quotient = value;
    match quotient.set_scale(value.scale() + places) {
        Ok(()) => quotient,
        Err(_) => value / unit,
    }
}

fn scale_of(amount: Decimal) -> (Decimal, &'static str) {
    let abs = amount.abs();
    let in_millions = fixed(over(abs, MILLION), 2);
    if abs >= BILLION || in_millions >= THOUSAND {
        (BILLION, "B")
    } else if abs >= MILLION || fixed(abs, 2) >= MILLION {
        (MILLION, "M")
    } else {
        (Decimal::ONE, "")
    }
}

fn symbol(currency: Currency) -> String {
    let mut out = String::new();
    push_symbol(&mut out, currency);
    out
}

/// Writes how an amount in `currency` begins: `$` for dollars, else the
/// currency's code and a space.
fn push_symbol(out: &mut String, currency: Currency) {
    if currency == Currency::USD {
        out.push('$');
    } else {
        out.push_str(currency.code());
        out.push(' ');
    }
}

/// An amount for people: `$57.57B`, `$850.00M`, `$12,345.67`, `-$4.93B`.
///
/// Amounts of a billion or more are shown in billions, of a million or more
/// in millions, smaller ones in full with thousands separators; always with
/// two decimals, rounded once from the exact value, half away from zero.
/// Dollars are written `$`; other currencies by their code (`CNY 1.20B`).
///
/// ```
/// use tariffsim::{Currency, report::money_text};
/// use rust_decimal::Decimal;
/// // docs/DOMAIN.md worked number 2: $57,568,493,150.68 is $57.57B.
/// let truce = Decimal::new(5_756_849_315_068, 2);
/// assert_eq!(money_text(truce, Currency::USD), "$57.57B");
/// assert_eq!(money_text(Decimal::new(-1_234_567, 2), Currency::USD), "-$12,345.67");
/// assert_eq!(money_text(Decimal::from(850_000_000), "CNY".parse()?), "CNY 850.00M");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn money_text(amount: Decimal, currency: Currency) -> String {
    match Shown::of(amount) {
        Some(shown) => shown.text(currency),
        None => money_text_at_length(amount, currency),
    }
}

/// [`money_text`] the general way, on `Decimal`'s own rounding and
/// division: for the rare amount whose unit would move its decimal point
/// past 28 places.
fn money_text_at_length(amount: Decimal, currency: Currency) -> String {
    let (unit, suffix) = scale_of(amount);
    let v = fixed(over(amount, unit), 2);
    let sign = if v.is_sign_negative() { "-" } else { "" };
    format!(
        "{sign}{}{}{suffix}",
        symbol(currency),
        separated(&v.abs().to_string())
    )
}

/// An amount as [`money_text`] shows it, worked out on its mantissa: the
/// unit, and the hundredths of that unit, rounded once half away from
/// zero.
struct Shown {
    negative: bool,
    hundredths: u128,
    suffix: &'static str,
}

impl Shown {
    /// The unit is chosen as [`scale_of`] chooses it: billions from a
    /// billion, or from 1,000.00 million once rounded; millions from a
    /// million, or from 1,000,000.00 once rounded. `None` where a unit
    /// would take the decimal point past Decimal's 28 places, as
    /// [`over`] then divides.
    fn of(amount: Decimal) -> Option<Shown> {
        let (m, s) = (amount.mantissa().unsigned_abs(), amount.scale());
        let at_least = |power: u32| m >= pow10(power + s);
        let (unit, suffix) = if at_least(9) || hundredths(m, s, 6)? >= 100_000 {
            (9, "B")
        } else if at_least(6) || hundredths(m, s, 0)? >= 100_000_000 {
            (6, "M")
        } else {
            (0, "")
        };
        let hundredths = hundredths(m, s, unit)?;
        Some(Shown {
            negative: amount.is_sign_negative() && hundredths != 0,
            hundredths,
            suffix,
        })
    }

    /// The text: sign, currency, the whole units with thousands
    /// separators, two decimals, the unit's letter.
    fn text(&self, currency: Currency) -> String {
        self.text_after("", currency)
    }

    /// [`Shown::text`] after `lead` (a `+` on a rise).
    fn text_after(&self, lead: &str, currency: Currency) -> String {
        let mut out = String::with_capacity(24);
        out.push_str(lead);
        if self.negative {
            out.push('-');
        }
        push_symbol(&mut out, currency);
        push_fixed(&mut out, self.hundredths, 2);
        out.push_str(self.suffix);
        out
    }
}

/// Writes `n` units of `10^-dp` (`dp` at most 8) as a plain decimal: the
/// whole part with thousands separators, then `dp` decimals (none, and no
/// point, for `dp = 0`).
fn push_fixed(out: &mut String, n: u128, dp: u32) {
    let mut digits = [0u8; 48];
    let mut at = digits.len();
    let least = dp as usize + 1;
    // The digits past 64 bits on the u128, the others on a u64, which
    // divides by ten with a multiplication instead of a call.
    let mut wide = n;
    let mut n = loop {
        match u64::try_from(wide) {
            Ok(narrow) => break narrow,
            Err(_) => {
                at -= 1;
                digits[at] = b'0' + (wide % 10) as u8;
                wide /= 10;
            }
        }
    };
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 && digits.len() - at >= least {
            break;
        }
    }
    let (whole, decimals) = digits[at..].split_at(digits.len() - at - dp as usize);
    push_grouped(out, whole);
    if dp > 0 {
        out.push('.');
        out.extend(decimals.iter().map(|d| char::from(*d)));
    }
}

/// `10^k` for `k` at most 38, from the crate's table rather than
/// multiplied out.
fn pow10(k: u32) -> u128 {
    crate::units::TENS[k as usize].unsigned_abs()
}

/// The magnitude `m` at scale `s` in hundredths of `10^unit`, rounded half
/// away from zero; `None` when `s + unit` passes 28.
fn hundredths(m: u128, s: u32, unit: u32) -> Option<u128> {
    let places = s + unit;
    if places > 28 {
        return None;
    }
    match places.checked_sub(2) {
        // Two places or fewer: exact, `m` below 2^96 times at most 100.
        None => Some(m * pow10(2 - places)),
        Some(drop) => Some(dropped(m, drop)),
    }
}

/// `m / 10^drop` (`drop` at most 38), rounded half away from zero.
fn dropped(m: u128, drop: u32) -> u128 {
    let d = pow10(drop);
    let q = m / d;
    let r = m - q * d;
    q + u128::from(r >= d - r)
}

/// A change for people: like [`money_text`] with an explicit `+` on a rise;
/// a change that rounds to zero is written without a sign.
///
/// ```
/// use tariffsim::{Currency, report::change_text};
/// use rust_decimal::Decimal;
/// assert_eq!(change_text(Decimal::from(63_900_000_000u64), Currency::USD), "+$63.90B");
/// assert_eq!(change_text(Decimal::new(1, 3), Currency::USD), "$0.00");
/// ```
pub fn change_text(amount: Decimal, currency: Currency) -> String {
    match Shown::of(amount) {
        Some(shown) if !shown.negative && shown.hundredths > 0 => shown.text_after("+", currency),
        Some(shown) => shown.text(currency),
        None => change_text_at_length(amount, currency),
    }
}

/// [`change_text`] the general way ([`money_text_at_length`]).
fn change_text_at_length(amount: Decimal, currency: Currency) -> String {
    let (unit, _) = scale_of(amount);
    let text = money_text_at_length(amount, currency);
    if fixed(over(amount, unit), 2) > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// A fraction as a percentage with `dp` decimals: `0.0642…` is `6.43%` for
/// `dp = 2`; rounded half away from zero.
///
/// ```
/// use tariffsim::report::percent_text;
/// use rust_decimal::Decimal;
/// assert_eq!(percent_text(Decimal::new(25, 2), 2), "25.00%");
/// assert_eq!(percent_text(Decimal::new(18, 2), 0), "18%");
/// ```
pub fn percent_text(fraction: Decimal, dp: u32) -> String {
    // On the mantissa where the percentage and its decimals fit 96 bits
    // and the decimals are few: rounded once, half away from zero.
    let (m, s) = (fraction.mantissa().unsigned_abs(), fraction.scale());
    let percent = m * 100;
    if percent >> 96 == 0 && dp <= 8 {
        let units = match dp.checked_sub(s) {
            Some(up) => percent * pow10(up),
            None => dropped(percent, s - dp),
        };
        // Past 96 bits `Decimal` cannot show every decimal asked for, and
        // shows fewer: the general way below.
        if units >> 96 == 0 {
            let mut out = String::with_capacity(16);
            if fraction.is_sign_negative() && units != 0 {
                out.push('-');
            }
            push_fixed(&mut out, units, dp);
            out.push('%');
            return out;
        }
    }
    percent_text_at_length(fraction, dp)
}

/// [`percent_text`] the general way, on `Decimal`'s own product and
/// rounding.
fn percent_text_at_length(fraction: Decimal, dp: u32) -> String {
    match fraction.checked_mul(HUNDRED) {
        Some(p) => format!("{}%", separated(&fixed(p, dp).to_string())),
        None => "overflow".to_string(),
    }
}

/// A round axis value for a chart: like [`money_text`] without trailing
/// zeros (`$50B`, `$2.5B`, `$500M`).
pub(crate) fn money_tick(amount: Decimal, currency: Currency) -> String {
    let (unit, suffix) = scale_of(amount);
    let v = fixed(over(amount, unit), 2).normalize();
    let sign = if v.is_sign_negative() { "-" } else { "" };
    format!(
        "{sign}{}{}{suffix}",
        symbol(currency),
        separated(&v.abs().to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn money_picks_the_unit_after_rounding() {
        // 999,999,999.999 is 1,000.00M once rounded: shown as $1.00B.
        assert_eq!(money_text(d("999999999.999"), Currency::USD), "$1.00B");
        // 995,000,000 stays in millions (it is under a billion and 995.00M).
        assert_eq!(money_text(d("995000000"), Currency::USD), "$995.00M");
        // 999,999.996 rounds to 1,000,000.00: shown as $1.00M.
        assert_eq!(money_text(d("999999.996"), Currency::USD), "$1.00M");
        assert_eq!(money_text(d("1234.5"), Currency::USD), "$1,234.50");
        assert_eq!(
            money_text(d("1234567000000000"), Currency::USD),
            "$1,234,567.00B"
        );
    }

    #[test]
    fn money_rounds_half_away_from_zero_once() {
        // Under a billion, an amount is shown in millions, not as $0.01B.
        assert_eq!(money_text(d("5000000"), Currency::USD), "$5.00M");
        // 1.005B: the half rounds away from zero, both signs.
        assert_eq!(money_text(d("1005000000"), Currency::USD), "$1.01B");
        assert_eq!(money_text(d("-1005000000"), Currency::USD), "-$1.01B");
        // A negative amount that rounds to zero prints no sign.
        assert_eq!(money_text(d("-0.004"), Currency::USD), "$0.00");
    }

    #[test]
    fn changes_carry_a_plus_only_when_they_show_a_rise() {
        assert_eq!(change_text(d("-4931506849.315"), Currency::USD), "-$4.93B");
        assert_eq!(change_text(d("0"), Currency::USD), "$0.00");
        assert_eq!(change_text(d("0.006"), Currency::USD), "+$0.01");
    }

    #[test]
    fn percentages_have_fixed_decimals() {
        // 32.5 / 505.6 = 0.064280063…: 6.43%.
        assert_eq!(
            percent_text(d("0.0642800632911392405063291139"), 2),
            "6.43%"
        );
        assert_eq!(percent_text(d("12.5"), 2), "1,250.00%");
        assert_eq!(percent_text(d("-0.00001"), 2), "0.00%");
    }

    #[test]
    fn moving_the_point_gives_the_quotient() {
        // 57,568,493,150.684931506849315068 (scale 18) in billions moves the
        // point 9 places: 57.568493150684931506849315068, scale 27.
        for text in [
            "57568493150.684931506849315068",
            "-4931506849.315",
            "0",
            "1",
            "0.0000000000000000000000000001",
            // Scale 28 already: the point cannot move, so it divides.
            "1.2345678901234567890123456789",
            "79228162514264337593543950335",
        ] {
            for unit in [Decimal::ONE, THOUSAND, MILLION, BILLION] {
                let (got, want) = (over(d(text), unit), d(text) / unit);
                assert_eq!(got, want, "{text} / {unit}");
                assert_eq!(fixed(got, 2).to_string(), fixed(want, 2).to_string());
            }
        }
        assert_eq!(
            over(d("57568493150.684931506849315068"), BILLION).to_string(),
            "57.568493150684931506849315068"
        );
    }

    #[test]
    fn ticks_drop_trailing_zeros() {
        assert_eq!(money_tick(d("50000000000"), Currency::USD), "$50B");
        assert_eq!(money_tick(d("2500000000"), Currency::USD), "$2.5B");
        assert_eq!(money_tick(d("0"), Currency::USD), "$0");
    }

    /// Mantissas for the properties: any of 96 bits, small ones, and those
    /// around the roundings (`10^k − 1`, `5 × 10^k`, `10^k − 5`).
    fn edge_mantissas() -> impl proptest::strategy::Strategy<Value = i128> {
        use proptest::strategy::Strategy;
        proptest::prop_oneof![
            -(1i128 << 96) + 1..(1i128 << 96),
            -10_000_000_000_000i128..10_000_000_000_000,
            (0u32..20).prop_map(|k| 10i128.pow(k) - 1),
            (0u32..20).prop_map(|k| 10i128.pow(k) * 5),
            (2u32..20).prop_map(|k| 10i128.pow(k) - 5),
        ]
    }

    proptest::proptest! {
        /// A figure worked out on its mantissa is the text `Decimal`'s own
        /// rounding and division give, for every mantissa, scale and sign:
        /// units, millions and billions, the roundings that move an amount
        /// up a unit, and other currencies; a change's sign too.
        #[test]
        fn money_on_the_mantissa_is_money_the_general_way(
            m in edge_mantissas(),
            scale in 0u32..=28,
            usd in proptest::bool::ANY,
        ) {
            let amount = Decimal::from_i128_with_scale(m, scale);
            let currency: Currency = if usd { Currency::USD } else { "CNY".parse().unwrap() };
            proptest::prop_assert_eq!(money_text(amount, currency), money_text_at_length(amount, currency));
            proptest::prop_assert_eq!(change_text(amount, currency), change_text_at_length(amount, currency));
        }

        /// A percentage worked out on the mantissa is the text `Decimal`'s
        /// own product and rounding give, for every mantissa, scale and
        /// sign, and zero to eight decimals.
        #[test]
        fn percent_on_the_mantissa_is_percent_the_general_way(
            m in edge_mantissas(),
            scale in 0u32..=28,
            dp in 0u32..=8,
        ) {
            let fraction = Decimal::from_i128_with_scale(m, scale);
            proptest::prop_assert_eq!(percent_text(fraction, dp), percent_text_at_length(fraction, dp));
        }
    }
}
