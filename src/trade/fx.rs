//! Exchange rates: dated conversions between the currencies baselines are
//! valued in.
//!
//! Values in different currencies are never compared one to one. A scenario
//! states, for each pair it needs, how many units of the quote currency one
//! unit of the base currency buys, from dated steps (e.g. CNY per USD by
//! year). A conversion uses the rate in force on the date it is asked for;
//! the inverse pair is derived by division.

use std::fmt;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::units::{Currency, Date};

/// One currency pair's rates: `quote` units per `base` unit, from each date
/// on until the next.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FxSeries {
    base: Currency,
    quote: Currency,
    steps: Vec<(Date, Decimal)>,
}

impl FxSeries {
    /// `quote` per `base` from each dated step on.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a pair of one currency, no steps, steps out of
    /// order or sharing a date, or a rate that is zero or negative.
    ///
    /// ```
    /// use tariffsim::trade::FxSeries;
    /// use tariffsim::units::parse_date;
    /// let cny = FxSeries::new("USD".parse()?, "CNY".parse()?, vec![
    ///     (parse_date("2019-01-01")?, "6.9".parse()?),
    ///     (parse_date("2020-01-01")?, "7.0".parse()?),
    /// ])?;
    /// assert_eq!(cny.rate_on(parse_date("2019-07-01")?), Some("6.9".parse()?));
    /// assert_eq!(cny.rate_on(parse_date("2018-12-31")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(base: Currency, quote: Currency, steps: Vec<(Date, Decimal)>) -> Result<FxSeries> {
        let pair = format!("{base}->{quote}");
        if base == quote {
            return Err(Error::Invalid(format!(
                "exchange rate {pair} converts a currency into itself: name two currencies"
            )));
        }
        if steps.is_empty() {
            return Err(Error::Invalid(format!(
                "exchange rate {pair} has no rates: give at least one dated rate"
            )));
        }
        for w in steps.windows(2) {
            if w[1].0 <= w[0].0 {
                return Err(Error::Invalid(format!(
                    "exchange rate {pair}: the rate dated {} comes after the one dated {}; list rates by date, one per date",
                    w[0].0, w[1].0
                )));
            }
        }
        for (d, r) in &steps {
            if *r <= Decimal::ZERO {
                return Err(Error::Invalid(format!(
                    "exchange rate {pair} on {d} is {r}: a rate must be above zero"
                )));
            }
        }
        Ok(FxSeries { base, quote, steps })
    }

    /// The currency converted from.
    pub fn base(&self) -> Currency {
        self.base
    }

    /// The currency converted into.
    pub fn quote(&self) -> Currency {
        self.quote
    }

    /// The dated rates.
    pub fn steps(&self) -> &[(Date, Decimal)] {
        &self.steps
    }

    /// The rate in force on `date`, or `None` before the first step.
    pub fn rate_on(&self, date: Date) -> Option<Decimal> {
        self.steps
            .iter()
            .rev()
            .find(|(d, _)| *d <= date)
            .map(|(_, r)| *r)
    }
}

/// Every exchange rate a scenario states.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ExchangeRates {
    series: Vec<FxSeries>,
}

/// A conversion the exchange rates cannot make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FxGap {
    /// No series names the pair, in either direction.
    NoPair,
    /// The pair has no rate in force on the date.
    NoRateOn(Date),
}

impl fmt::Display for FxGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FxGap::NoPair => f.write_str("no exchange rate is given for the pair"),
            FxGap::NoRateOn(d) => write!(f, "no exchange rate is in force on {d}"),
        }
    }
}

impl ExchangeRates {
    /// No exchange rates: values convert only into their own currency.
    pub const NONE: ExchangeRates = ExchangeRates { series: Vec::new() };

    /// A set of series, at most one per pair (in either direction).
    ///
    /// # Errors
    /// [`Error::DuplicateId`] for a pair given twice.
    pub fn new(series: Vec<FxSeries>) -> Result<ExchangeRates> {
        for (i, s) in series.iter().enumerate() {
            let twice = series[..i].iter().any(|o| {
                (o.base == s.base && o.quote == s.quote) || (o.base == s.quote && o.quote == s.base)
            });
            if twice {
                return Err(Error::DuplicateId {
                    kind: "exchange rate",
                    id: format!("{}->{}", s.base, s.quote),
                });
            }
        }
        Ok(ExchangeRates { series })
    }

    /// The series, as given.
    pub fn series(&self) -> &[FxSeries] {
        &self.series
    }

    /// Units of `to` that one unit of `from` buys on `date`: 1 within one
    /// currency, the stated rate, or the inverse of the stated reverse rate
    /// (exact to Decimal's 28 significant digits).
    ///
    /// # Errors
    /// The [`FxGap`] when the pair or a rate on that date is missing; the
    /// caller names the item that needed it.
    pub fn factor(&self, from: Currency, to: Currency, date: Date) -> Result<Decimal, FxGap> {
        if from == to {
            return Ok(Decimal::ONE);
        }
        for s in &self.series {
            if s.base == from && s.quote == to {
                return s.rate_on(date).ok_or(FxGap::NoRateOn(date));
            }
            if s.base == to && s.quote == from {
                let r = s.rate_on(date).ok_or(FxGap::NoRateOn(date))?;
                return Ok(Decimal::ONE / r);
            }
        }
        Err(FxGap::NoPair)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::parse_date as d;

    fn usd_cny() -> ExchangeRates {
        ExchangeRates::new(vec![
            FxSeries::new(
                Currency::USD,
                "CNY".parse().unwrap(),
                vec![(d("2019-01-01").unwrap(), Decimal::from(7))],
            )
            .unwrap(),
        ])
        .unwrap()
    }

    #[test]
    fn both_directions_convert_and_gaps_are_named() {
        let fx = usd_cny();
        let cny: Currency = "CNY".parse().unwrap();
        let day = d("2019-06-01").unwrap();
        // 7 CNY per USD, so 1 CNY buys 1/7 USD.
        assert_eq!(fx.factor(Currency::USD, cny, day), Ok(Decimal::from(7)));
        assert_eq!(
            fx.factor(cny, Currency::USD, day),
            Ok(Decimal::ONE / Decimal::from(7))
        );
        assert_eq!(
            fx.factor(cny, Currency::USD, d("2018-06-01").unwrap()),
            Err(FxGap::NoRateOn(d("2018-06-01").unwrap()))
        );
        assert_eq!(
            fx.factor(Currency::USD, "EUR".parse().unwrap(), day),
            Err(FxGap::NoPair)
        );
    }

    #[test]
    fn zero_negative_and_unordered_rates_are_refused() {
        let cny: Currency = "CNY".parse().unwrap();
        let e = FxSeries::new(
            Currency::USD,
            cny,
            vec![(d("2019-01-01").unwrap(), Decimal::ZERO)],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "exchange rate USD->CNY on 2019-01-01 is 0: a rate must be above zero"
        );
        let e = FxSeries::new(
            Currency::USD,
            cny,
            vec![
                (d("2020-01-01").unwrap(), Decimal::ONE),
                (d("2019-01-01").unwrap(), Decimal::ONE),
            ],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "exchange rate USD->CNY: the rate dated 2020-01-01 comes after the one dated 2019-01-01; list rates by date, one per date"
        );
        let twice = ExchangeRates::new(vec![
            FxSeries::new(
                Currency::USD,
                cny,
                vec![(d("2019-01-01").unwrap(), Decimal::ONE)],
            )
            .unwrap(),
            FxSeries::new(
                cny,
                Currency::USD,
                vec![(d("2019-01-01").unwrap(), Decimal::ONE)],
            )
            .unwrap(),
        ])
        .unwrap_err();
        assert_eq!(
            twice.to_string(),
            "exchange rate id \"CNY->USD\" is used twice: give each exchange rate its own id"
        );
    }
}
