//! Currencies, money and exact accrued amounts, and decimals read from text.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Rate, exact_add};
use crate::error::{Error, Result};

/// Exact amounts are held as whole multiples of `1 / ACCRUAL_DENOMINATOR` of a
/// currency unit: the least common multiple of every period length the crate
/// accrues over (28, 29, 30 and 31-day months, 365 and 366-day years). A daily
/// value `V / days` is then `V × (ACCRUAL_DENOMINATOR / days)` units exactly, so
/// sums over days never round.
pub const ACCRUAL_DENOMINATOR: i64 = 1_681_363_740;

/// An ISO 4217 currency code such as `USD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollars.
    pub const USD: Currency = Currency(*b"USD");

    /// The code as text.
    pub fn code(&self) -> &str {
        // The bytes are checked ASCII uppercase letters on construction.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for Currency {
    type Err = Error;

    /// Reads a three-letter uppercase code.
    fn from_str(s: &str) -> Result<Currency> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Ok(Currency([b[0], b[1], b[2]]))
        } else {
            Err(Error::Parse {
                what: "currency",
                input: s.to_string(),
                fix: "write a three-letter ISO 4217 code such as USD".into(),
            })
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money: an exact decimal in a currency. It may be negative (a
/// difference between two outcomes); trade values are checked to be zero or
/// more where they enter a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// `amount` in `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// `amount` US dollars.
    pub fn usd(amount: Decimal) -> Money {
        Money::new(amount, Currency::USD)
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount rounded to cents, half away from zero: the one rounding the
    /// crate applies, at report time.
    ///
    /// ```
    /// use tariffsim::Money;
    /// use rust_decimal::Decimal;
    /// let m = Money::usd(Decimal::new(57_568_493_150_684_931, 6));
    /// assert_eq!(m.round_cents().amount().to_string(), "57568493150.68");
    /// ```
    pub fn round_cents(&self) -> Money {
        Money::new(
            self.amount
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            self.currency,
        )
    }

    /// The sum of two amounts in one currency.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] for different currencies, [`Error::Overflow`]
    /// when the sum does not fit.
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or_else(|| Error::overflow("a sum of money"))?;
        Ok(Money::new(amount, self.currency))
    }

    /// The difference of two amounts in one currency.
    ///
    /// # Errors
    /// As [`Money::checked_add`].
    pub fn checked_sub(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or_else(|| Error::overflow("a difference of money"))?;
        Ok(Money::new(amount, self.currency))
    }

    /// The duty at `rate` on this amount.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the product does not fit.
    pub fn checked_mul_rate(&self, rate: Rate) -> Result<Money> {
        let amount = self
            .amount
            .checked_mul(rate.as_fraction())
            .ok_or_else(|| Error::overflow("money times a rate"))?;
        Ok(Money::new(amount, self.currency))
    }

    fn same_currency(&self, other: &Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                left: self.currency.to_string(),
                right: other.currency.to_string(),
            })
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// An exact accrued amount in a currency, held as whole units of
/// `1 / ACCRUAL_DENOMINATOR`: sums of accruals never round, so splitting a
/// window and adding the parts gives the whole to the last digit.
///
/// **Bound.** An amount is a `Decimal` of units: exact while its mantissa
/// fits 96 bits, that is up to 2^96 − 1 =
/// 79,228,162,514,264,337,593,543,950,335 whole units, about 4.71 × 10^19
/// currency units (47 quintillion dollars). Sums of non-negative amounts
/// are added on 128-bit integers where they fit (the same `Decimal`,
/// value and scale, that `Decimal`'s addition gives). An amount that
/// carries fractions of a unit (a value with cents times a rate with
/// decimals) keeps them while its 28 significant digits allow; past that
/// each addition rounds its last kept digit half to even, an error of at
/// most half that digit, below a unit while the sum's whole units fit.
/// The engine's sums of many parts (a measure's or a layer's gross over
/// its months, a layer's month over its measures, a side's month and
/// gross) are taken exactly and rounded once, the same in whatever order
/// the parts come.
/// A sum of whole units past the bound is [`Error::Overflow`], never a
/// rounded amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Accrued(Decimal);

impl Accrued {
    /// Nothing accrued.
    pub const ZERO: Accrued = Accrued(Decimal::ZERO);

    pub(crate) fn from_units(units: Decimal) -> Accrued {
        Accrued(units)
    }

    /// The amount in `1 / ACCRUAL_DENOMINATOR` units.
    pub fn units(&self) -> Decimal {
        self.0
    }

    /// The amount in currency units: exact to Decimal's 28 significant
    /// digits, the very `Decimal` (value and scale) that dividing the
    /// units by [`ACCRUAL_DENOMINATOR`] gives, worked out on native
    /// integers.
    pub fn amount(&self) -> Decimal {
        super::quotient::per_denominator(self.0)
    }

    /// The amount as money in `currency`, rounded to cents (half away from
    /// zero) — the report-time rounding.
    pub fn to_cents(&self, currency: Currency) -> Money {
        Money::new(self.amount(), currency).round_cents()
    }

    /// Whether nothing accrued.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// The exact sum.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the sum does not fit.
    pub fn checked_add(self, other: Accrued) -> Result<Accrued> {
        exact_add(self.0, other.0)
            .map(Accrued)
            .ok_or_else(|| Error::overflow("a sum of accrued duty"))
    }

    /// The exact difference.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the difference does not fit.
    pub fn checked_sub(self, other: Accrued) -> Result<Accrued> {
        self.0
            .checked_sub(other.0)
            .map(Accrued)
            .ok_or_else(|| Error::overflow("a difference of accrued duty"))
    }

    /// This amount as a fraction of `base` (duty over import value gives the
    /// effective rate); `None` when `base` is zero.
    pub fn ratio(&self, base: Accrued) -> Option<Decimal> {
        if base.0.is_zero() {
            None
        } else {
            self.0.checked_div(base.0)
        }
    }

    /// This amount scaled by a probability or share.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the product does not fit.
    pub fn checked_scale(self, factor: Decimal) -> Result<Accrued> {
        self.0
            .checked_mul(factor)
            .map(Accrued)
            .ok_or_else(|| Error::overflow("a weighted amount"))
    }
}

/// Reads a decimal written as text, refusing floats with exponents.
///
/// A decimal holds at most 28 significant digits and magnitudes below
/// 79,228,162,514,264,337,593,543,950,336; a number past either bound is an
/// error that says which, never a rounded value.
///
/// ```
/// use tariffsim::units::parse_decimal;
/// assert_eq!(parse_decimal("value", "0.5")?.to_string(), "0.5");
/// assert_eq!(
///     parse_decimal("value", "0.12345678901234567890123456789").unwrap_err().to_string(),
///     "invalid value \"0.12345678901234567890123456789\": it has 29 significant digits and at most 28 are held exactly: round it"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Parse`] naming what was wrong: an exponent, a separator, too many
/// significant digits, too large a magnitude, or not a number.
#[inline]
pub fn parse_decimal(what: &'static str, text: &str) -> Result<Decimal> {
    // Plain digits that fit a u64 (a value per row of large files) are read
    // in place: the same decimal, at scale 0, as the text gives.
    let plain = text.as_bytes();
    if (1..=19).contains(&plain.len()) && plain.iter().all(u8::is_ascii_digit) {
        let n = plain.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        return Ok(Decimal::from(n));
    }
    match plain_fraction(plain) {
        Some(d) => Ok(d),
        None => parse_long(what, text),
    }
}

/// Digits, a point and digits, 19 digits at most (a share or a rate per
/// row of large files), read in place: the decimal the long way reads, at
/// the scale of the digits after the point, trailing zeros kept. `None`
/// for any other text.
#[inline]
fn plain_fraction(bytes: &[u8]) -> Option<Decimal> {
    if bytes.len() > 20 {
        return None;
    }
    let point = bytes.iter().position(|b| *b == b'.')?;
    if point == 0 || point + 1 == bytes.len() {
        return None;
    }
    let mut n = 0u64;
    for (i, b) in bytes.iter().enumerate() {
        if i == point {
            continue;
        }
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u64::from(d);
    }
    let scale = u32::try_from(bytes.len() - point - 1).ok()?;
    Decimal::try_from_i128_with_scale(i128::from(n), scale).ok()
}

/// [`parse_decimal`] of any text other than plain digits.
#[inline(never)]
fn parse_long(what: &'static str, text: &str) -> Result<Decimal> {
    let t = text.trim();
    let bad = |fix: &str| Error::Parse {
        what,
        input: text.to_string(),
        fix: fix.to_string(),
    };
    // Byte scans: these ASCII characters are never part of a longer one.
    if t.bytes().any(|b| b == b'e' || b == b'E') {
        return Err(bad("write the number in plain digits, without an exponent"));
    }
    if t.bytes().any(|b| b == b',' || b == b'_') {
        return Err(bad(
            "write the number without thousands separators, e.g. 34000000000",
        ));
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits_only = !(int.is_empty() && frac.is_empty())
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit());
    if !digits_only {
        return Err(bad(
            "write a plain decimal number such as 34000000000 or 0.5",
        ));
    }
    let int = int.trim_start_matches('0');
    if int.len() > 29 || (int.len() == 29 && int > "79228162514264337593543950335") {
        return Err(bad(
            "it is too large: a value must be below 79228162514264337593543950336",
        ));
    }
    let significant = if int.is_empty() {
        frac.trim_start_matches('0').trim_end_matches('0').len()
    } else {
        int.len() + frac.trim_end_matches('0').len()
    };
    if significant > 28 {
        return Err(bad(&format!(
            "it has {significant} significant digits and at most 28 are held exactly: round it"
        )));
    }
    // Zeros past the 28th decimal place carry nothing; a digit there cannot
    // be held.
    let frac_kept = if frac.len() > 28 {
        frac.trim_end_matches('0')
    } else {
        frac
    };
    if frac_kept.len() > 28 {
        return Err(bad(
            "it has more than 28 decimal places and a value holds at most 28: round it",
        ));
    }
    let sign = if t.starts_with('-') { "-" } else { "" };
    let exact = if frac_kept.len() == frac.len() {
        Decimal::from_str_exact(t)
    } else if frac_kept.is_empty() {
        Decimal::from_str_exact(&format!("{sign}{int}0"))
    } else {
        Decimal::from_str_exact(&format!("{sign}{int}0.{frac_kept}"))
    };
    exact.map_err(|_| bad("write a plain decimal number such as 34000000000 or 0.5"))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Digits, a point and digits read in place are the decimal the
        /// long way and `Decimal::from_str_exact` read, value and scale,
        /// trailing and leading zeros included; other texts go the long
        /// way.
        #[test]
        fn plain_fractions_read_as_the_long_way_reads_them(
            s in "[0-9]{1,12}\\.[0-9]{1,12}|0{0,3}[0-9]{0,3}\\.[0-9]{0,3}0{0,3}|[0-9.]{0,22}"
        ) {
            let long = parse_long("value", &s).ok();
            let read = parse_decimal("value", &s).ok();
            proptest::prop_assert_eq!(read, long);
            if let (Some(r), Some(l)) = (read, long) {
                proptest::prop_assert_eq!(r.scale(), l.scale());
                proptest::prop_assert_eq!(Some(r), Decimal::from_str_exact(&s).ok());
            }
        }
    }
}
