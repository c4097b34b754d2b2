//! Units: money, rates, shares, probabilities, dates and windows, HS codes and ids.
//!
//! Every type here validates on construction and is trusted afterwards. Rates
//! are fractions (`0.25` is 25%) that may exceed 1 (145% is real); shares and
//! probabilities lie in `0..=1`. Money is a [`Decimal`] amount with a
//! [`Currency`]; it is never a float.
//!
//! ```compile_fail
//! use tariffsim::{Money, Rate};
//! // Money and a rate do not add: one is an amount, the other a fraction.
//! let _ = Money::usd(rust_decimal::Decimal::ONE) + Rate::from_percent(25.into());
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{Error, Result};

/// A calendar date (re-exported from `jiff`).
pub use jiff::civil::Date;

/// Exact amounts are held as whole multiples of `1 / ACCRUAL_DENOMINATOR` of a
/// currency unit: the least common multiple of every period length the crate
/// accrues over (28, 29, 30 and 31-day months, 365 and 366-day years). A daily
/// value `V / days` is then `V × (ACCRUAL_DENOMINATOR / days)` units exactly, so
/// sums over days never round.
pub const ACCRUAL_DENOMINATOR: i64 = 1_681_363_740;

/// Days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_secs() / 86_400
}

/// Parses a date written exactly `YYYY-MM-DD` (`2019-03-02`; spaces around
/// it are ignored), with an error that names the input. A time or a zone
/// (`2019-01-01T23:59`) is an error, never silently dropped.
///
/// ```
/// use tariffsim::units::parse_date;
/// assert_eq!(parse_date("2019-03-02")?.to_string(), "2019-03-02");
/// assert_eq!(
///     parse_date("2019-01-01T23:59").unwrap_err().to_string(),
///     "invalid date \"2019-01-01T23:59\": write dates as YYYY-MM-DD, e.g. 2019-03-02, with no time or zone"
/// );
/// assert_eq!(
///     parse_date("2019-02-30").unwrap_err().to_string(),
///     "invalid date \"2019-02-30\": that day is not in the calendar"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Parse`] for any other shape, or a day not in the calendar.
pub fn parse_date(text: &str) -> Result<Date> {
    let t = text.trim();
    let bad = |fix: &str| Error::Parse {
        what: "date",
        input: text.to_string(),
        fix: fix.into(),
    };
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(bad(
            "write dates as YYYY-MM-DD, e.g. 2019-03-02, with no time or zone",
        ));
    }
    Date::from_str(t).map_err(|_| bad("that day is not in the calendar"))
}

/// A half-open date window `[start, end)`: `start` is the first day counted,
/// `end` the first day not counted.
///
/// ```
/// use tariffsim::{Window, units::parse_date};
/// let year = Window::new(parse_date("2019-01-01")?, parse_date("2020-01-01")?)?;
/// assert_eq!(year.days(), 365);
/// assert_eq!(year.to_string(), "2019-01-01..2020-01-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    start: Date,
    end: Date,
}

impl Window {
    /// A window from `start` (counted) to `end` (not counted).
    ///
    /// # Errors
    /// [`Error::WindowReversed`] when `end` is before `start`. An empty window
    /// (`start == end`) is allowed: it counts no days.
    pub fn new(start: Date, end: Date) -> Result<Window> {
        if end < start {
            return Err(Error::WindowReversed { start, end });
        }
        Ok(Window { start, end })
    }

    /// Every representable day.
    pub const ALL: Window = Window {
        start: Date::MIN,
        end: Date::MAX,
    };

    /// The window from `start` with no end (it runs to `Date::MAX`).
    pub fn open(start: Date) -> Window {
        Window {
            start,
            end: Date::MAX,
        }
    }

    /// The window between two dates, whichever comes first.
    pub(crate) fn ordered(a: Date, b: Date) -> Window {
        Window {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// Whether the window has no end (it runs to `Date::MAX`).
    pub fn is_open(&self) -> bool {
        self.end == Date::MAX
    }

    /// The calendar year `year`, January 1 to the next January 1.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the year is outside the supported range.
    pub fn year(year: i16) -> Result<Window> {
        let start = Date::new(year, 1, 1)
            .map_err(|_| Error::Invalid(format!("year {year} is out of range")))?;
        let end = Date::new(year + 1, 1, 1)
            .map_err(|_| Error::Invalid(format!("year {} is out of range", year + 1)))?;
        Window::new(start, end)
    }

    /// The first day counted.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The first day not counted.
    pub fn end(&self) -> Date {
        self.end
    }

    /// How many days the window counts.
    pub fn days(&self) -> i64 {
        days_between(self.start, self.end)
    }

    /// Whether `date` is one of the window's days.
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date < self.end
    }

    /// The days both windows count, if any.
    pub fn intersect(&self, other: &Window) -> Option<Window> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Window { start, end })
    }

    /// Whether the two windows share at least one day.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.intersect(other).is_some()
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl FromStr for Window {
    type Err = Error;

    /// Reads `2019-01-01..2020-01-01`.
    fn from_str(s: &str) -> Result<Window> {
        let (a, b) = s.split_once("..").ok_or_else(|| Error::Parse {
            what: "window",
            input: s.to_string(),
            fix: "write a window as START..END, e.g. 2019-01-01..2020-01-01 (END not counted)"
                .into(),
        })?;
        Window::new(parse_date(a)?, parse_date(b)?)
    }
}

/// A calendar month: the grain of the engine's time breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    /// The month `month` (1..=12) of `year`.
    ///
    /// # Errors
    /// [`Error::Parse`] when the month is not 1..=12 or the year is out of range.
    pub fn new(year: i16, month: i8) -> Result<Month> {
        Date::new(year, month, 1).map_err(|_| Error::Parse {
            what: "month",
            input: format!("{year}-{month:02}"),
            fix: "write a month as YYYY-MM with MM from 01 to 12".into(),
        })?;
        Ok(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    pub fn year(&self) -> i16 {
        self.year
    }

    /// The month number, 1 to 12.
    pub fn month(&self) -> i8 {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(&self) -> Date {
        Date::constant(self.year, self.month, 1)
    }

    /// The first day of the next month, if representable.
    pub fn next_first_day(&self) -> Option<Date> {
        if self.month == 12 {
            Date::new(self.year.checked_add(1)?, 1, 1).ok()
        } else {
            Date::new(self.year, self.month + 1, 1).ok()
        }
    }

    /// The number of days in the month.
    pub fn days(&self) -> i64 {
        i64::from(self.first_day().days_in_month())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = Error;

    /// Reads `2019-03`.
    fn from_str(s: &str) -> Result<Month> {
        let bad = || Error::Parse {
            what: "month",
            input: s.to_string(),
            fix: "write a month as YYYY-MM, e.g. 2019-03".into(),
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let y: i16 = y.parse().map_err(|_| bad())?;
        let m: i8 = m.parse().map_err(|_| bad())?;
        Month::new(y, m).map_err(|_| bad())
    }
}

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
            .checked_mul(rate.0)
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

    /// The amount in currency units: exact to Decimal's 28 significant digits.
    pub fn amount(&self) -> Decimal {
        self.0 / Decimal::from(ACCRUAL_DENOMINATOR)
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
        self.0
            .checked_add(other.0)
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
pub fn parse_decimal(what: &'static str, text: &str) -> Result<Decimal> {
    // Plain digits that fit a u64 (a value per row of large files) are read
    // in place: the same decimal, at scale 0, as the text gives.
    let plain = text.as_bytes();
    if (1..=19).contains(&plain.len()) && plain.iter().all(u8::is_ascii_digit) {
        let n = plain.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        return Ok(Decimal::from(n));
    }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Rate(Decimal);

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
            .map(Rate)
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

    fn from_str(s: &str) -> Result<HsCode> {
        // Read in place (a code per row of large files). Plain digits, the
        // common case, need no trimming and no dots skipped.
        let plain = s.as_bytes();
        if (2..=10).contains(&plain.len())
            && plain.len() % 2 == 0
            && plain.iter().all(u8::is_ascii_digit)
        {
            let digits = plain.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
            return Ok(HsCode {
                len: plain.len() as u8,
                digits,
            });
        }
        // Otherwise: trimmed, dots skipped, at most ten digits.
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
    use super::*;

    #[test]
    fn accrual_denominator_is_divisible_by_every_period_length() {
        for d in [28, 29, 30, 31, 365, 366] {
            assert_eq!(ACCRUAL_DENOMINATOR % d, 0, "{d}");
        }
    }

    #[test]
    fn rate_needs_its_unit_and_is_never_negative() {
        assert_eq!(
            "0.25".parse::<Rate>().unwrap_err().to_string(),
            "invalid rate \"0.25\": write rates as percentages with their unit, e.g. \"25%\" (a fraction 0.25 is \"25%\")"
        );
        assert_eq!(
            "-5%".parse::<Rate>().unwrap_err().to_string(),
            "rate -5% is negative (-0.05): it must be zero or more"
        );
        assert_eq!(
            "7.5%".parse::<Rate>().unwrap().as_fraction().to_string(),
            "0.075"
        );
        assert_eq!(
            "1e2%".parse::<Rate>().unwrap_err().to_string(),
            "rate \"1e2%\": invalid rate \"1e2\": write the number in plain digits, without an exponent"
        );
    }

    #[test]
    fn probability_outside_unit_interval_is_refused() {
        assert_eq!(
            "1.2".parse::<Probability>().unwrap_err().to_string(),
            "probability 1.2 is outside 0..=1"
        );
        assert_eq!(
            "60%".parse::<Probability>().unwrap_err().to_string(),
            "invalid probability \"60%\": write it as a fraction from 0 to 1, e.g. \"0.6\" for 60%"
        );
    }

    #[test]
    fn hs_codes_validate_and_compare_as_prefixes() {
        let e = "123".parse::<HsCode>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid HS code \"123\": an HS code has 2, 4, 6, 8 or 10 digits (dots allowed, e.g. 8471.30.01)"
        );
        assert!("12345678901".parse::<HsCode>().is_err());
        let a: HsCode = "8471.30.01".parse().unwrap();
        assert_eq!(a.to_string(), "84713001");
        let p: HsCode = "8471".parse().unwrap();
        assert!(p.is_prefix_of(&a));
        assert!(!a.is_prefix_of(&p));
        let q: HsCode = "8472".parse().unwrap();
        assert!(!q.is_prefix_of(&a));
    }

    #[test]
    fn window_order_is_checked() {
        let a = parse_date("2019-02-01").unwrap();
        let b = parse_date("2019-01-01").unwrap();
        assert_eq!(
            Window::new(a, b).unwrap_err().to_string(),
            "window 2019-02-01..2019-01-01 ends before it starts: write the earlier date first"
        );
        assert_eq!(Window::year(2020).unwrap().days(), 366);
    }

    #[test]
    fn money_rounds_half_away_from_zero_and_keeps_currency() {
        let m = Money::usd(Decimal::new(12345, 3)); // 12.345
        assert_eq!(m.round_cents().amount(), Decimal::new(1235, 2));
        let eur = Money::new(Decimal::ONE, "EUR".parse().unwrap());
        assert_eq!(
            m.checked_add(&eur).unwrap_err().to_string(),
            "cannot combine USD with EUR: convert one of them first"
        );
    }

    #[test]
    fn dates_are_exactly_year_month_day() {
        assert_eq!(
            parse_date(" 2019-03-02 ").unwrap().to_string(),
            "2019-03-02"
        );
        for bad in [
            "2019-01-01T23:59",
            "2019-01-01 00:00",
            "2019-01-01Z",
            "2019-1-1",
            "+2019-01-01",
            "20190101",
            "",
        ] {
            assert_eq!(
                parse_date(bad).unwrap_err().to_string(),
                format!(
                    "invalid date {bad:?}: write dates as YYYY-MM-DD, e.g. 2019-03-02, with no time or zone"
                )
            );
        }
        assert_eq!(
            parse_date("2019-13-01").unwrap_err().to_string(),
            "invalid date \"2019-13-01\": that day is not in the calendar"
        );
    }

    #[test]
    fn decimals_past_what_a_decimal_holds_say_so() {
        // 28 significant digits are held exactly.
        let max = "1234567890123456789012345678";
        assert_eq!(parse_decimal("value", max).unwrap().to_string(), max);
        assert_eq!(
            parse_decimal("value", "12345678901234567890123456789")
                .unwrap_err()
                .to_string(),
            "invalid value \"12345678901234567890123456789\": it has 29 significant digits and at most 28 are held exactly: round it"
        );
        // Trailing zeros after the point and leading zeros are not significant.
        assert_eq!(
            parse_decimal("value", "000.10000000000000000000000000000000")
                .unwrap()
                .to_string(),
            "0.1"
        );
        assert_eq!(
            parse_decimal("value", "0.00000000000000000000000000001")
                .unwrap_err()
                .to_string(),
            "invalid value \"0.00000000000000000000000000001\": it has more than 28 decimal places and a value holds at most 28: round it"
        );
        assert_eq!(
            parse_decimal("value", "99999999999999999999999999999")
                .unwrap_err()
                .to_string(),
            "invalid value \"99999999999999999999999999999\": it is too large: a value must be below 79228162514264337593543950336"
        );
        assert_eq!(
            parse_decimal("value", "1.2.3").unwrap_err().to_string(),
            "invalid value \"1.2.3\": write a plain decimal number such as 34000000000 or 0.5"
        );
        assert!(parse_decimal("value", ".").is_err());
        assert_eq!(parse_decimal("value", "-0.5").unwrap().to_string(), "-0.5");
    }

    #[test]
    fn ids_refuse_spaces() {
        assert_eq!(
            "list 3".parse::<MeasureId>().unwrap_err().to_string(),
            "invalid measure id \"list 3\": use 1 to 64 letters, digits or . _ - : /"
        );
    }
}
