//! Dates, the days between them, half-open windows of days, and months.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A calendar date (re-exported from `jiff`).
pub use jiff::civil::Date;

/// Days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    epoch_day(b) - epoch_day(a)
}

/// The days from 1970-01-01 to `d` (negative before it), from its year,
/// month and day alone: a proleptic Gregorian calendar counted in 400-year
/// eras of 146,097 days, each year taken to start on March 1 so that a
/// leap day falls at its end.
#[inline]
pub(crate) fn epoch_day(d: Date) -> i64 {
    let (month, day) = (i64::from(d.month()), i64::from(d.day()));
    // January and February count with the year before.
    let year = i64::from(d.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    // Days from March 1 to the first of the month: 31, 30, 31, 30, 31
    // repeat from March, so 153 days every five months.
    let from_march = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + from_march;
    // 0000-03-01 is 719,468 days before 1970-01-01.
    era * 146_097 + day_of_era - 719_468
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: 1970-01-01 is day 0; 2000-03-01 is 30 years of 365
    /// days, 7 leap days (1972 to 1996) and the 31 + 29 days of January and
    /// February 2000: 10,950 + 7 + 60 = 11,017; 1969-12-31 is day −1.
    #[test]
    fn epoch_days_worked_by_hand() {
        let day = |s: &str| epoch_day(s.parse().expect("a literal date"));
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(day("2000-03-01"), 11_017);
        assert_eq!(day("1969-12-31"), -1);
    }

    proptest::proptest! {
        /// The days between two dates are `jiff`'s, over its whole range
        /// of years (−9999 to 9999).
        #[test]
        fn days_between_is_jiffs(a in -3_652_059i64..=2_932_896, b in -3_652_059i64..=2_932_896) {
            let at = |n: i64| {
                Date::new(1970, 1, 1)
                    .and_then(|d| d.checked_add(jiff::Span::new().days(n)))
                    .expect("inside jiff's range")
            };
            let (a, b) = (at(a), at(b));
            proptest::prop_assert_eq!(days_between(a, b), a.duration_until(b).as_secs() / 86_400);
        }
    }
}
