//! Trade baselines: what one party imports from another, by basket, per period.
//!
//! A basket is a set of goods: an HS code at any depth, or a named group such
//! as `list-3-goods`. Values are in the importer's currency. A period's value
//! accrues evenly over its days: an annual $200B in 2019 is 200B / 365 a day,
//! in 2020 200B / 366 a day (docs/DOMAIN.md, Accrual).

use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

use crate::error::{Error, Result};
use crate::units::{Currency, Date, HsCode, Month, Party};

mod basket;
mod fx;
mod observed;

pub use basket::{Basket, BasketKey, Periods};
pub use fx::{ExchangeRates, FxGap, FxSeries};
pub use observed::ObservedDuty;

/// What one party imports from another, by basket, per period.
///
/// ```
/// use tariffsim::{Baseline, Basket, BasketKey, Currency, Periods};
/// use rust_decimal::Decimal;
/// let us = Baseline::new(
///     "US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual,
///     vec![Basket::annual("list-3-goods".parse()?, "List 3", Decimal::from(200_000_000_000u64))],
/// )?;
/// assert_eq!(us.label(), "US<-CN");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Baseline {
    importer: Party,
    exporter: Party,
    currency: Currency,
    periods: Periods,
    baskets: Vec<Basket>,
    nesting: Nesting,
}

/// What a baseline means when one HS basket lies inside another (`8471`
/// and `8471300100`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nesting {
    /// Nested baskets are refused: their values would be counted twice.
    #[default]
    Refuse,
    /// A coarser basket holds only the goods that no finer basket of the
    /// baseline lists (its value is the residual), so values add up.
    Residual,
}

impl Baseline {
    /// A validated baseline.
    ///
    /// # Errors
    /// [`Error::Negative`] for a negative value, [`Error::DuplicateId`] for a
    /// basket listed twice, [`Error::Invalid`] for a row with the wrong number
    /// of values, periods out of order, importer equal to exporter, or an HS
    /// basket inside another (see [`Baseline::with_nesting`]).
    pub fn new(
        importer: Party,
        exporter: Party,
        currency: Currency,
        periods: Periods,
        baskets: Vec<Basket>,
    ) -> Result<Baseline> {
        Baseline::with_nesting(
            importer,
            exporter,
            currency,
            periods,
            baskets,
            Nesting::Refuse,
        )
    }

    /// A validated baseline whose nested HS baskets mean what `nesting`
    /// says: with [`Nesting::Residual`] a coarser basket holds only what its
    /// finer baskets do not.
    ///
    /// # Errors
    /// As [`Baseline::new`]; nested baskets only under [`Nesting::Refuse`].
    ///
    /// ```
    /// use tariffsim::{Baseline, Basket, Currency, Periods, trade::Nesting};
    /// use rust_decimal::Decimal;
    /// let rows = || vec![
    ///     Basket::annual("8471".parse().unwrap(), "", Decimal::from(60)),
    ///     Basket::annual("8471300100".parse().unwrap(), "", Decimal::from(40)),
    /// ];
    /// let e = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual, rows()).unwrap_err();
    /// assert_eq!(e.to_string(), "baseline US<-CN: basket 8471300100 lies inside basket 8471, so their values would be counted twice; keep one grain, or declare nested = \"residual\" if 8471 holds only what its finer baskets do not");
    /// let b = Baseline::with_nesting("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual, rows(), Nesting::Residual)?;
    /// assert_eq!(b.nesting(), Nesting::Residual);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_nesting(
        importer: Party,
        exporter: Party,
        currency: Currency,
        periods: Periods,
        baskets: Vec<Basket>,
        nesting: Nesting,
    ) -> Result<Baseline> {
        Baseline::checked(
            (importer, exporter, currency),
            periods,
            baskets,
            nesting,
            Keys::Check,
        )
    }

    /// [`Baseline::with_nesting`], where `keys` says whether each key is
    /// checked to be given once here or the caller has found it so (a CSV
    /// reader that keeps one row per key), so the keys are not hashed a
    /// second time.
    pub(crate) fn checked(
        (importer, exporter, currency): (Party, Party, Currency),
        periods: Periods,
        baskets: Vec<Basket>,
        nesting: Nesting,
        keys: Keys,
    ) -> Result<Baseline> {
        let label = format!("{importer}<-{exporter}");
        if importer == exporter {
            return Err(Error::Invalid(format!(
                "baseline {label} imports from itself: importer and exporter must differ"
            )));
        }
        let ordered = match &periods {
            Periods::Annual => true,
            Periods::Years(y) => !y.is_empty() && y.windows(2).all(|w| w[0] < w[1]),
            Periods::Months(m) => !m.is_empty() && m.windows(2).all(|w| w[0] < w[1]),
        };
        if !ordered {
            return Err(Error::Invalid(format!(
                "baseline {label}: periods must be listed once each, in ascending order"
            )));
        }
        let mut seen = match keys {
            Keys::Check => FxHashSet::with_capacity_and_hasher(baskets.len(), Default::default()),
            Keys::Unique => {
                debug_assert!(
                    {
                        let mut once = FxHashSet::default();
                        baskets.iter().all(|b| once.insert(&b.key))
                    },
                    "a caller that vouches for its keys gives each once"
                );
                FxHashSet::default()
            }
        };
        let labels = periods.labels();
        for b in &baskets {
            if b.values().len() != periods.len() {
                return Err(Error::Invalid(format!(
                    "baseline {label}, basket {}: {} values for {} periods; give one value per period",
                    b.key,
                    b.values().len(),
                    periods.len()
                )));
            }
            for (v, p) in b.values().iter().zip(&labels) {
                if v.is_sign_negative() && !v.is_zero() {
                    return Err(Error::Negative {
                        what: format!(
                            "trade value of basket {} for {p} in baseline {label}",
                            b.key
                        ),
                        value: *v,
                    });
                }
            }
            if keys == Keys::Check && !seen.insert(&b.key) {
                return Err(Error::DuplicateId {
                    kind: "basket",
                    id: b.key.to_string(),
                });
            }
        }
        if nesting == Nesting::Refuse {
            if let Some((outer, inner)) = nested_pair(&baskets) {
                return Err(Error::Invalid(format!(
                    "baseline {label}: basket {inner} lies inside basket {outer}, so their values would be counted twice; keep one grain, or declare nested = \"residual\" if {outer} holds only what its finer baskets do not"
                )));
            }
        }
        Ok(Baseline {
            importer,
            exporter,
            currency,
            periods,
            baskets,
            nesting,
        })
    }

    /// What nested HS baskets mean in this baseline.
    pub fn nesting(&self) -> Nesting {
        self.nesting
    }

    /// The importing party (who collects the duty).
    pub fn importer(&self) -> &Party {
        &self.importer
    }

    /// The exporting party.
    pub fn exporter(&self) -> &Party {
        &self.exporter
    }

    /// The currency of the values.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The periods the values are given for.
    pub fn periods(&self) -> &Periods {
        &self.periods
    }

    /// The baskets, in the order given.
    pub fn baskets(&self) -> &[Basket] {
        &self.baskets
    }

    /// `importer<-exporter`, e.g. `US<-CN`.
    pub fn label(&self) -> String {
        format!("{}<-{}", self.importer, self.exporter)
    }

    /// The index of the period column holding `date`'s value, and that
    /// period's length in days.
    ///
    /// # Errors
    /// [`Error::BaselineGap`] when no period covers the date.
    pub(crate) fn period_of(&self, date: Date) -> Result<(usize, i64)> {
        match &self.periods {
            Periods::Annual => Ok((0, i64::from(date.days_in_year()))),
            Periods::Years(ys) => ys
                .binary_search(&date.year())
                .map(|i| (i, i64::from(date.days_in_year())))
                .map_err(|_| Error::BaselineGap {
                    baseline: self.label(),
                    period: format!("year {}", date.year()),
                }),
            Periods::Months(ms) => {
                let m = Month::of(date);
                ms.binary_search(&m)
                    .map(|i| (i, m.days()))
                    .map_err(|_| Error::BaselineGap {
                        baseline: self.label(),
                        period: format!("month {m}"),
                    })
            }
        }
    }

    /// The value of basket `index` over calendar year `year`: the annual value,
    /// that year's value, or the sum of that year's months.
    ///
    /// # Errors
    /// [`Error::BaselineGap`] when the baseline does not cover the whole year.
    pub fn annual_value(&self, index: usize, year: i16) -> Result<Decimal> {
        let b = self.baskets.get(index).ok_or_else(|| {
            Error::unknown(
                "basket",
                format!("#{index}"),
                format!(
                    " in baseline {}: it has {} baskets",
                    self.label(),
                    self.baskets.len()
                ),
            )
        })?;
        match &self.periods {
            Periods::Annual => Ok(b.values()[0]),
            Periods::Years(ys) => {
                ys.binary_search(&year)
                    .map(|i| b.values()[i])
                    .map_err(|_| Error::BaselineGap {
                        baseline: self.label(),
                        period: format!("year {year}"),
                    })
            }
            Periods::Months(ms) => {
                let mut sum = Decimal::ZERO;
                for m in 1..=12 {
                    let month = Month::new(year, m)?;
                    let i = ms.binary_search(&month).map_err(|_| Error::BaselineGap {
                        baseline: self.label(),
                        period: format!("month {month}"),
                    })?;
                    sum = sum
                        .checked_add(b.values()[i])
                        .ok_or_else(|| Error::overflow("an annual trade value"))?;
                }
                Ok(sum)
            }
        }
    }

    /// The period columns whose values add up to calendar year `year`: the
    /// annual column, that year's, or its twelve months'.
    ///
    /// # Errors
    /// [`Error::BaselineGap`] when the baseline does not cover the whole year.
    pub(crate) fn annual_columns(&self, year: i16) -> Result<Vec<usize>> {
        match &self.periods {
            Periods::Annual => Ok(vec![0]),
            Periods::Years(ys) => {
                ys.binary_search(&year)
                    .map(|i| vec![i])
                    .map_err(|_| Error::BaselineGap {
                        baseline: self.label(),
                        period: format!("year {year}"),
                    })
            }
            Periods::Months(ms) => (1..=12)
                .map(|m| {
                    let month = Month::new(year, m)?;
                    ms.binary_search(&month).map_err(|_| Error::BaselineGap {
                        baseline: self.label(),
                        period: format!("month {month}"),
                    })
                })
                .collect(),
        }
    }

    /// The index of the basket with `key`, if any.
    pub fn find(&self, key: &BasketKey) -> Option<usize> {
        self.baskets.iter().position(|b| &b.key == key)
    }
}

/// The first pair of baskets where an HS basket lies inside another (an
/// item lies inside an HS basket of its code or a prefix; items never lie
/// inside items), as `(outer, inner)`.
/// Whether a baseline's constructor checks that each key is given once, or
/// its caller has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keys {
    /// The constructor checks.
    Check,
    /// The caller has found every key given once.
    Unique,
}

fn nested_pair(baskets: &[Basket]) -> Option<(String, String)> {
    // HS baskets all of one length and no items (a lines file): none lies
    // inside another, since only a shorter code can hold a code.
    let mut lengths = baskets.iter().map(|b| match &b.key {
        BasketKey::Hs(c) => Some(c.len()),
        BasketKey::Item(..) => None,
        BasketKey::Named(_) => Some(0),
    });
    let first = lengths.find(|l| *l != Some(0));
    if let Some(Some(len)) = first {
        if lengths.all(|l| l == Some(len) || l == Some(0)) {
            return None;
        }
    }
    let hs: FxHashSet<HsCode> = baskets
        .iter()
        .filter_map(|b| match &b.key {
            BasketKey::Hs(c) => Some(*c),
            _ => None,
        })
        .collect();
    if hs.is_empty() {
        return None;
    }
    for b in baskets {
        let (code, own) = match &b.key {
            BasketKey::Hs(c) => (*c, true),
            BasketKey::Item(_, c) => (*c, false),
            BasketKey::Named(_) => continue,
        };
        // Shorter prefixes, and for an item its own code too.
        let longest = if own { code.len() - 1 } else { code.len() };
        for len in (2..=longest).rev().filter(|l| l % 2 == 0) {
            let outer = code.truncate(len);
            if hs.contains(&outer) {
                return Some((outer.to_string(), b.key.to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> BasketKey {
        s.parse().unwrap()
    }

    #[test]
    fn negative_and_duplicate_values_are_refused_with_names() {
        let neg = Baseline::new(
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Currency::USD,
            Periods::Annual,
            vec![Basket::annual(key("list-3-goods"), "", Decimal::from(-5))],
        )
        .unwrap_err();
        assert_eq!(
            neg.to_string(),
            "trade value of basket list-3-goods for value in baseline US<-CN is negative (-5): it must be zero or more"
        );
        let dup = Baseline::new(
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Currency::USD,
            Periods::Annual,
            vec![
                Basket::annual(key("8471"), "", Decimal::ONE),
                Basket::annual(key("84.71"), "", Decimal::TWO),
            ],
        )
        .unwrap_err();
        assert_eq!(
            dup.to_string(),
            "basket id \"8471\" is used twice: give each basket its own id"
        );
    }

    #[test]
    fn months_sum_to_the_annual_value_and_gaps_are_named() {
        let months: Vec<Month> = (1..=12).map(|m| Month::new(2019, m).unwrap()).collect();
        let b = Baseline::new(
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Currency::USD,
            Periods::Months(months),
            vec![Basket::new(key("x"), "", vec![Decimal::TEN; 12])],
        )
        .unwrap();
        // 12 months × 10 = 120.
        assert_eq!(b.annual_value(0, 2019).unwrap(), Decimal::from(120));
        assert_eq!(
            b.annual_value(0, 2020).unwrap_err().to_string(),
            "baseline US<-CN has no value for month 2020-01: add that period or widen the baseline"
        );
    }
}
