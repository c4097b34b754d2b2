//! Refunds as an account: when a court voids an authority, every duty its
//! measures collected, from their first day to the ruling, is owed back —
//! the part collected within the report's window and the part collected
//! before it, reported apart — with simple interest where the scenario
//! states a rate.
//!
//! # Interest convention
//!
//! Simple daily interest, actual/actual: each day's collection earns, for
//! every day from the day it was collected up to the day before payment,
//! the annual rate in force that day divided by the number of days in that
//! day's year. Rates come from dated windows that must cover every day from
//! the scenario's history start to the payment date, without gaps. Interest
//! is exact to Decimal's 28 significant digits (daily rates are quotients)
//! and rounded, like every amount, only when reported.

use rust_decimal::Decimal;

use super::eval::{Grid, eval_group, month_factors};
use super::plan::SidePlan;
use super::walk::{base_points, walk_class};
use crate::error::{Error, Result};
use crate::tariff::Schedule;
use crate::trade::Baseline;
use crate::units::{Accrued, Date, Rate, Window, days_between};

/// The interest owed on refunds: an annual rate over contiguous dated
/// windows, and the day refunds are paid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RefundInterest {
    paid: Date,
    rates: Vec<(Window, Rate)>,
}

impl RefundInterest {
    /// Interest at `rates` (annual, over windows listed by date that meet
    /// end to start), on refunds paid on `paid`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for no rates, or windows out of order, overlapping
    /// or leaving a gap (named).
    ///
    /// ```
    /// use tariffsim::engine::RefundInterest;
    /// use tariffsim::units::parse_date;
    /// let w = |a, b| tariffsim::Window::new(parse_date(a).unwrap(), parse_date(b).unwrap()).unwrap();
    /// let gap = RefundInterest::new(parse_date("2026-06-01")?, vec![
    ///     (w("2025-01-01", "2026-01-01"), "7%".parse()?),
    ///     (w("2026-02-01", "2027-01-01"), "6%".parse()?),
    /// ]).unwrap_err();
    /// assert_eq!(gap.to_string(), "refund interest rates leave 2026-01-01..2026-02-01 without a rate: give every day a rate");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(paid: Date, rates: Vec<(Window, Rate)>) -> Result<RefundInterest> {
        if rates.is_empty() {
            return Err(Error::Invalid(
                "refund interest has no rates: give annual rates over dated windows".into(),
            ));
        }
        for w in rates.windows(2) {
            let (a, b) = (w[0].0, w[1].0);
            if b.start() < a.end() {
                return Err(Error::Invalid(format!(
                    "refund interest rates {a} and {b} overlap or are out of order: list windows by date, end to start"
                )));
            }
            if b.start() > a.end() {
                return Err(Error::Invalid(format!(
                    "refund interest rates leave {}..{} without a rate: give every day a rate",
                    a.end(),
                    b.start()
                )));
            }
        }
        Ok(RefundInterest { paid, rates })
    }

    /// The day refunds are paid.
    pub fn paid(&self) -> Date {
        self.paid
    }

    /// The annual rates over their windows.
    pub fn rates(&self) -> &[(Window, Rate)] {
        &self.rates
    }

    /// The window the rates cover.
    fn span(&self) -> Window {
        Window::ordered(
            self.rates[0].0.start(),
            self.rates[self.rates.len() - 1].0.end(),
        )
    }
}

/// How a scenario's refunds are paid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RefundTerms {
    interest: Option<RefundInterest>,
}

impl RefundTerms {
    /// Refunds with interest.
    pub fn with_interest(interest: RefundInterest) -> RefundTerms {
        RefundTerms {
            interest: Some(interest),
        }
    }

    /// The interest terms, if any.
    pub fn interest(&self) -> Option<&RefundInterest> {
        self.interest.as_ref()
    }

    /// The rates cover every day from the history's start to payment.
    pub(crate) fn check(&self, history: Window) -> Result<()> {
        if let Some(i) = &self.interest {
            let span = i.span();
            if span.start() > history.start() || span.end() < i.paid {
                return Err(Error::Invalid(format!(
                    "refund interest rates cover {span}, but refunds may be owed on collections from {} until payment on {}: give rates over every day between",
                    history.start(),
                    i.paid
                )));
            }
        }
        Ok(())
    }

    /// Refunds are paid on or after a ruling.
    pub(crate) fn check_ruling(&self, ruling: Date) -> Result<()> {
        match &self.interest {
            Some(i) if i.paid < ruling => Err(Error::Invalid(format!(
                "refunds are paid on {}, before the ruling of {ruling} that makes them owed: pay them on or after it",
                i.paid
            ))),
            _ => Ok(()),
        }
    }
}

/// One measure's refund facts on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refund {
    /// Collected before `window` and owed back.
    pub before: Accrued,
    /// Interest on everything owed back, when terms state it.
    pub interest: Option<Accrued>,
}

/// What one voided measure (position `pos` in group `g` of `side`) owes
/// back beyond the window: what it collected from the history's start to the
/// earlier of its ruling and the window's start, and interest on every
/// collection up to the ruling.
#[allow(clippy::too_many_arguments)]
pub(crate) fn refund(
    side: &SidePlan,
    baseline: &Baseline,
    g: usize,
    pos: usize,
    schedules: &[&Schedule],
    history: Window,
    window: Window,
    ruling: Date,
    terms: &RefundTerms,
) -> Result<Refund> {
    let group = &side.groups[g];
    let before = match Window::new(history.start(), ruling.min(window.start())) {
        Ok(w) if w.days() > 0 => {
            let grid = Grid::new(w)?;
            let factors = month_factors(baseline, &grid)?;
            eval_group(group, schedules, &grid, &factors, false)?.rows[pos].gross
        }
        _ => Accrued::ZERO,
    };
    let interest = match terms.interest() {
        Some(i) => Some(interest(
            group_walk(side, g, pos, schedules, history, ruling, baseline)?,
            i,
        )?),
        None => None,
    };
    Ok(Refund { before, interest })
}

/// The daily duty of one measure over `[history start, ruling)` as pieces
/// `(first day, days, duty per day in accrual units)`.
fn group_walk(
    side: &SidePlan,
    g: usize,
    pos: usize,
    schedules: &[&Schedule],
    history: Window,
    ruling: Date,
    baseline: &Baseline,
) -> Result<Vec<(Date, i64, Decimal)>> {
    let Ok(w) = Window::new(history.start(), ruling.max(history.start())) else {
        return Ok(Vec::new());
    };
    if w.days() == 0 {
        return Ok(Vec::new());
    }
    let group = &side.groups[g];
    let grid = Grid::new(w)?;
    let factors = month_factors(baseline, &grid)?;
    let timelines: Vec<Vec<(Date, Rate)>> = schedules.iter().map(|s| s.timeline(w)).collect();
    let points = base_points(group, &timelines, &grid);
    let mut out = Vec::new();
    for (gc, class) in group.classes.iter().enumerate() {
        // A class the measure never covers owes it nothing.
        let Ok(at) = class.active.binary_search(&pos) else {
            continue;
        };
        let values = &class.values;
        walk_class(
            group,
            gc,
            &timelines,
            &points,
            &grid,
            |a, k, days, rates| {
                let r = rates[at];
                if !r.is_zero() {
                    let (col, f) = factors[k];
                    let per_day = values[col]
                        .checked_mul(f)
                        .and_then(|x| x.checked_mul(r.as_fraction()))
                        .ok_or_else(|| Error::overflow("a refund"))?;
                    out.push((a, days, per_day));
                }
                Ok(())
            },
        )?;
    }
    Ok(out)
}

/// Simple interest on collections `pieces` paid on `terms.paid`.
fn interest(pieces: Vec<(Date, i64, Decimal)>, terms: &RefundInterest) -> Result<Accrued> {
    let overflow = || Error::overflow("refund interest");
    // Segments of constant daily rate (annual rate / year length), from the
    // first rate to payment.
    let mut segments: Vec<(Date, Date, Decimal)> = Vec::new();
    for (w, r) in &terms.rates {
        let mut d = w.start();
        let end = w.end().min(terms.paid);
        while d < end {
            let next_year = Date::new(d.year() + 1, 1, 1).unwrap_or(end).min(end);
            let per_day = r
                .as_fraction()
                .checked_div(Decimal::from(d.days_in_year()))
                .ok_or_else(overflow)?;
            segments.push((d, next_year, per_day));
            d = next_year;
        }
    }
    // h(d): the interest factor from day d to payment.
    let h = |d: Date| -> Result<Decimal> {
        let mut sum = Decimal::ZERO;
        for (s, e, p) in &segments {
            if *e <= d {
                continue;
            }
            let from = (*s).max(d);
            sum = Decimal::from(days_between(from, *e))
                .checked_mul(*p)
                .and_then(|x| sum.checked_add(x))
                .ok_or_else(overflow)?;
        }
        Ok(sum)
    };
    let mut total = Decimal::ZERO;
    for (a, days, per_day) in pieces {
        let end = a
            .checked_add(jiff::Span::new().days(days))
            .map_err(|_| overflow())?;
        // Sum of h(d) over the piece, segment by segment: within a segment
        // of m days ending at e, h(d) = h(e) + (e - d) p.
        let mut sum_h = Decimal::ZERO;
        for (s, e, p) in &segments {
            let (from, to) = ((*s).max(a), (*e).min(end));
            if from >= to {
                continue;
            }
            let m = Decimal::from(days_between(from, to));
            let part = m
                .checked_mul(h(to)?)
                .and_then(|x| {
                    p.checked_mul(m)
                        .and_then(|y| y.checked_mul(m + Decimal::ONE))
                        .and_then(|y| y.checked_div(Decimal::TWO))
                        .and_then(|y| x.checked_add(y))
                })
                .ok_or_else(overflow)?;
            sum_h = sum_h.checked_add(part).ok_or_else(overflow)?;
        }
        total = per_day
            .checked_mul(sum_h)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(overflow)?;
    }
    Ok(Accrued::from_units(total))
}
