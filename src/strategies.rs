//! Reusable proptest strategies for scenarios (feature `proptest`).
//!
//! Each strategy generates *valid* domain values, bounded by [`Sizes`] so
//! that exact decimal arithmetic stays exact (see the precision budget
//! below): money, rates, dates and windows, HS codes, schedules, baselines,
//! measures with coverage, stacking and retaliation rules, outcome trees and
//! whole scenarios. Use them to hold your own scenarios and invariants to
//! account, with the `proptest!` macro or a [`TestRunner`]:
//!
//! ```
//! use proptest::prelude::*;
//! use proptest::test_runner::{Config, TestRunner};
//! use tariffsim::Detail;
//! use tariffsim::strategies::{self, Sizes};
//!
//! // "No path of any scenario owes negative duty."
//! let mut runner = TestRunner::new(Config::with_cases(8));
//! runner.run(&strategies::scenario(&Sizes::default()), |s| {
//!     let e = s.evaluate(Detail::Totals).map_err(|e| TestCaseError::fail(e.to_string()))?;
//!     for p in e.paths() {
//!         for side in p.exposure().sides() {
//!             prop_assert!(!side.gross().units().is_sign_negative());
//!         }
//!     }
//!     Ok(())
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Composite strategies draw their choices from a tape of random numbers, so
//! dependent parts (a measure's coverage names the baskets of its baseline;
//! an outcome's actions fit the schedules its path has left) stay consistent,
//! and shrinking the tape shrinks the value towards fewer, earlier, smaller
//! choices.
//!
//! # Precision budget
//!
//! [`Accrued`](crate::Accrued) amounts are exact while their mantissa fits a
//! Decimal (below 7.9 × 10^28). A side's duty over a horizon reaches about
//! 10^d accrual units, with `d = log10(value × 10^value_decimals) +
//! log10(rate × 10^4) + 6.7 + log10(horizon days) + log10(measures)`; 6.7
//! is the accrual factor `ACCRUAL_DENOMINATOR / 365`. The default [`Sizes`]
//! — values up to 10^11 in whole units, rates up to 10,000% with four
//! decimals of a fraction, two-year horizons, a dozen measures a side
//! counting answers — give d ≈ 11 + 6 + 6.7 + 2.9 + 1.1 = 27.7, below 28.9.
//! Larger sizes may end in
//! [`Error::Overflow`](crate::Error::Overflow) or, for amounts with decimals,
//! in rounding past the 28th digit. Value-matched retaliation answers cover
//! shares of baskets that come from a division, so exposure under them is
//! exact only to 28 digits: set [`Sizes::value_matching`] to `false` for
//! invariants that need every digit.
//!
//! # Invariants
//!
//! The crate holds itself to these, each checked by a property test in
//! `tests/properties.rs` built on the strategies of this module:
//!
//! 1. Every generated scenario is valid: [`Scenario::builder`] builds from its parts.
//! 2. Duty is never negative: on every path, side, measure and month.
//! 3. Zero rates give zero duty.
//! 4. Duty is monotone in rates and in trade values: raising any rate, or a
//!    basket's value, never lowers a side's duty. For rates this holds with
//!    exempt rules and one highest-rate rule, not with exclusive rules (an
//!    exclusive rule lowers the total when its winning layer comes into
//!    force, which is what it is for) nor with two highest-rate rules that
//!    share a measure (lowering the shared measure lets both others apply).
//! 5. Window additivity is exact: splitting a window at any date, the parts'
//!    accrued duty adds up to the whole's, per side and per measure, to the
//!    last digit.
//! 6. A full calendar year at a constant rate gives value × rate exactly.
//! 7. Duty is linear in values: scaling every trade value by `k` scales every
//!    side's duty by `k` exactly.
//! 8. Additive stacking does not depend on the order measures are listed in.
//! 9. Exclusive stacking never counts a basket twice: under a highest-rate
//!    rule over every measure of a side, its duty is at most the highest rate
//!    × its import value; under an exclusive rule whose winning measure is in
//!    force all along, the yielding measure owes nothing.
//! 10. The expected exposure is the probability-weighted sum of the paths'
//!     net duty, exactly, rounded once to the digits a Decimal holds (no
//!     clamp); percentiles are ordered.
//! 11. Path probabilities sum to exactly 1.
//! 12. Retaliation follows its triggers: each answer's rate on every day of
//!     the history is what its policy makes of its watched measures' rates
//!     `lag` days earlier; value-matched answers never tax more than the
//!     answering side imports (month by month, their duty is at most their
//!     highest rate on the side's imports, to 20 significant digits: each
//!     share is a quotient held to 28).
//! 13. A path whose rates are pointwise at most another's has at most its
//!     exposure (stacking as in invariant 4, no retaliation).
//! 14. Evaluation is deterministic: evaluating twice gives equal
//!     [`Evaluation`](crate::Evaluation)s and equal `Debug` bytes.
//! 15. Saving a scenario and loading it back gives an equal scenario.
//! 16. No generated scenario makes evaluation panic: it returns `Ok` or a
//!     clean error, even at sizes past the precision budget and with rules
//!     that answer answers.
//!
//! [`TestRunner`]: proptest::test_runner::TestRunner
//! [`Scenario::builder`]: crate::Scenario::builder

use proptest::collection::vec;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{AS_SCHEDULED, Scenario, ScenarioInfo};
use crate::error::Result;
use crate::outcome::{
    Action, ActionKind, Branch, Commitment, Node, OutcomeKind, OutcomeTree, Postponement,
};
use crate::retaliation::{Policy, ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
use crate::tariff::{
    AfterEdit, Authority, Coverage, Exclusion, Goods, HsList, Measure, Regime, Schedule, Selector,
    Stacking, StackingRule, Step, Suspension,
};
use crate::trade::{Baseline, Basket, BasketKey, Periods};
use crate::units::{
    Currency, Date, HsCode, Money, Month, Party, Probability, Rate, Share, Window,
    days_between as days,
};

/// How big generated values may get. The defaults keep every amount inside
/// the precision budget (see the module docs); change fields with struct
/// update syntax.
///
/// ```
/// use tariffsim::strategies::Sizes;
/// let exact = Sizes { value_matching: false, ..Sizes::default() };
/// assert_eq!(exact.max_percent, 10_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// The most baskets in one baseline (at least 1 is always drawn).
    pub baskets: usize,
    /// The most measures one party imposes on the other.
    pub measures: usize,
    /// The most steps in one schedule (at least 1 is always drawn).
    pub steps: usize,
    /// The most suspensions in one schedule.
    pub suspensions: usize,
    /// The most stacking rules on one side.
    pub stacking_rules: usize,
    /// Whether stacking rules may be exclusive.
    pub exclusive: bool,
    /// The most retaliation rules of one answering party.
    pub retaliation_rules: usize,
    /// Whether answers may match the trigger's covered value or a proportion
    /// of it (else they answer on fixed lists).
    pub value_matching: bool,
    /// Whether rules may answer the other side's answers, which can end in
    /// [`Error::RetaliationLoop`](crate::Error::RetaliationLoop).
    pub answer_answers: bool,
    /// The most levels of decisions in an outcome tree (at least 1). Branch
    /// probabilities have four decimal places, fewer past seven levels
    /// (`28 / depth`), so every path's probability stays exact.
    pub depth: usize,
    /// The most branches at one decision (at least 1).
    pub branching: usize,
    /// The most actions on one branch.
    pub actions: usize,
    /// The longest horizon, in years (at least 1).
    pub horizon_years: i16,
    /// The first calendar year dates fall in.
    pub first_year: i16,
    /// The last calendar year dates fall in.
    pub last_year: i16,
    /// The largest trade value of one basket for one year, in whole
    /// currency units (a month's value is at most a twelfth of it).
    pub max_value: u64,
    /// Decimal places of trade values, 0 to 2 (cents).
    pub value_decimals: u32,
    /// The highest rate, in percent.
    pub max_percent: u32,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            baskets: 5,
            measures: 4,
            steps: 3,
            suspensions: 1,
            stacking_rules: 2,
            exclusive: true,
            retaliation_rules: 2,
            value_matching: true,
            answer_answers: false,
            depth: 3,
            branching: 3,
            actions: 2,
            horizon_years: 2,
            first_year: 2000,
            last_year: 2060,
            max_value: 100_000_000_000,
            value_decimals: 0,
            max_percent: 10_000,
        }
    }
}

impl Sizes {
    fn year_range(&self) -> (i16, i16) {
        let first = self.first_year.clamp(1900, 2500);
        let last = self.last_year.clamp(first, 2500);
        (first, last)
    }

    fn horizon_span(&self) -> i16 {
        let (first, last) = self.year_range();
        self.horizon_years.clamp(1, (last - first).max(1))
    }
}

/// The number of random choices a composite strategy's tape holds; choices
/// past its end are zero (the first option).
const TAPE: usize = 1024;

/// Random choices for the composite builders, read front to back.
struct Tape<'a> {
    data: &'a [u32],
    pos: usize,
}

impl<'a> Tape<'a> {
    fn new(data: &'a [u32]) -> Tape<'a> {
        Tape { data, pos: 0 }
    }

    fn raw(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    /// A choice in `0..n` (0 when `n` is 0 or 1).
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let v = if n > u64::from(u32::MAX) {
            (u64::from(self.raw()) << 32) | u64::from(self.raw())
        } else {
            u64::from(self.raw())
        };
        v % n
    }

    /// A count in `lo..=hi`.
    fn count(&mut self, lo: usize, hi: usize) -> usize {
        let hi = hi.max(lo);
        lo + self.below((hi - lo + 1) as u64) as usize
    }

    fn flip(&mut self) -> bool {
        self.below(2) == 1
    }

    fn pick<'b, T>(&mut self, items: &'b [T]) -> Option<&'b T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len() as u64) as usize)
        }
    }
}

fn tape() -> impl Strategy<Value = Vec<u32>> {
    vec(any::<u32>(), TAPE / 4..TAPE)
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// A date in `[lo, hi)`, or `lo` when that is empty.
fn date_in(t: &mut Tape, lo: Date, hi: Date) -> Date {
    let n = days(lo, hi);
    add_days(lo, t.below(n.max(0) as u64) as i64)
}

fn draw_value(t: &mut Tape, sizes: &Sizes, divisor: u64) -> Decimal {
    let places = sizes.value_decimals.min(2);
    let max = (sizes.max_value / divisor.max(1)).min(10u64.pow(15));
    let scale = 10u64.pow(places);
    let units = match t.below(4) {
        0 => 0,
        1 => (t.below(max / 1_000_000 + 1)) * 1_000_000 * scale,
        _ => t.below(max * scale + 1),
    };
    Decimal::from_i128_with_scale(i128::from(units), places)
}

fn draw_rate(t: &mut Tape, sizes: &Sizes) -> Rate {
    let max = u64::from(sizes.max_percent) * 100;
    let basis = match t.below(4) {
        0 => 0,
        1 => (t.below(31) * 500).min(max),
        2 => t.below(max.min(10_000) + 1),
        _ => t.below(max + 1),
    };
    Rate::from_fraction(Decimal::new(basis as i64, 4)).unwrap_or(Rate::ZERO)
}

fn draw_hs(t: &mut Tape) -> Option<HsCode> {
    let len = 2 * (1 + t.below(5)) as u32;
    let digits = t.below(10u64.pow(len));
    format!("{digits:0width$}", width = len as usize)
        .parse()
        .ok()
}

fn draw_window(t: &mut Tape, sizes: &Sizes) -> Window {
    let (first, last) = sizes.year_range();
    let years = sizes.horizon_span();
    let start_year = first + t.below((last - first - years + 1).max(1) as u64) as i16;
    let jan1 = Date::new(start_year, 1, 1).unwrap_or(Date::MIN);
    let start = if t.flip() {
        jan1
    } else {
        date_in(t, jan1, add_days(jan1, 365))
    };
    let whole = 1 + t.below(years as u64) as i16;
    let end = if t.flip() {
        start
            .checked_add(jiff::Span::new().years(whole))
            .unwrap_or(start)
    } else {
        add_days(start, 1 + t.below(365 * years as u64) as i64)
    };
    Window::new(start, end.max(add_days(start, 1))).unwrap_or(Window::ALL)
}

/// How far before the horizon steps may be drawn.
const HISTORY_DAYS: i64 = 120;

fn draw_schedule(t: &mut Tape, sizes: &Sizes, within: Window) -> Schedule {
    let lo = add_days(within.start(), -HISTORY_DAYS);
    let hi = add_days(within.end(), 60);
    let n = t.count(1, sizes.steps.max(1));
    let mut dates: Vec<Date> = (0..n).map(|_| date_in(t, lo, hi)).collect();
    dates.sort_unstable();
    dates.dedup();
    let steps: Vec<Step> = dates
        .iter()
        .map(|d| {
            let r = draw_rate(t, sizes);
            if t.below(5) == 0 {
                Step::announced(*d, r)
            } else {
                Step::in_force(*d, r)
            }
        })
        .collect();
    let mut suspensions = Vec::new();
    let mut from = lo;
    for _ in 0..t.count(0, sizes.suspensions) {
        let start = date_in(t, from, hi);
        let end = add_days(start, 1 + t.below(200) as i64);
        if start >= hi {
            break;
        }
        if let Ok(w) = Window::new(start, end) {
            suspensions.push(Suspension::new(w, draw_rate(t, sizes)));
        }
        from = end;
    }
    let mut schedule = Schedule::new(steps, suspensions).unwrap_or_default();
    // A postponement applied, as an outcome would leave it.
    if t.below(3) == 0 {
        if let Some(step) = t.pick(schedule.steps()).copied() {
            let to = add_days(step.effective(), 1 + t.below(180) as i64);
            if let Ok(s) = schedule.postpone(step.effective(), to) {
                schedule = s;
            }
        }
    }
    schedule
}

/// The years and months a baseline must cover for every date of `cover`.
fn periods_for(t: &mut Tape, cover: Window) -> Periods {
    let first = cover.start().year();
    let last = add_days(cover.end(), -1).year().max(first);
    match t.below(3) {
        0 => Periods::Annual,
        1 => Periods::Years((first..=last).collect()),
        _ => Periods::Months(
            (first..=last)
                .flat_map(|y| (1..=12).filter_map(move |m| Month::new(y, m).ok()))
                .collect(),
        ),
    }
}

fn draw_baseline(
    t: &mut Tape,
    sizes: &Sizes,
    importer: &Party,
    exporter: &Party,
    cover: Window,
) -> Option<Baseline> {
    let periods = periods_for(t, cover);
    let divisor = if matches!(periods, Periods::Months(_)) {
        12
    } else {
        1
    };
    let n = t.count(1, sizes.baskets.max(1));
    let mut keys: Vec<BasketKey> = Vec::with_capacity(n);
    for i in 0..n {
        let key = match t.below(3) {
            0 => draw_hs(t).map(BasketKey::Hs),
            1 => format!("sku-{i}")
                .parse()
                .ok()
                .zip(draw_hs(t))
                .map(|(id, c)| BasketKey::Item(id, c)),
            _ => format!("goods-{i}").parse().ok().map(BasketKey::Named),
        };
        let Some(key) = key else { continue };
        // No basket inside another: a baseline refuses nested HS baskets.
        let nested = |a: &BasketKey, b: &BasketKey| match (a, b) {
            (BasketKey::Hs(x), BasketKey::Hs(y)) => x.is_prefix_of(y) || y.is_prefix_of(x),
            (BasketKey::Hs(x), BasketKey::Item(_, y))
            | (BasketKey::Item(_, y), BasketKey::Hs(x)) => x.is_prefix_of(y),
            _ => false,
        };
        if !keys.iter().any(|k| k == &key || nested(k, &key)) {
            keys.push(key);
        }
    }
    let baskets = keys
        .into_iter()
        .map(|k| {
            let values = (0..periods.len())
                .map(|_| draw_value(t, sizes, divisor))
                .collect();
            let description = format!("{k} goods");
            Basket::new(k, description, values)
        })
        .collect();
    Baseline::new(
        importer.clone(),
        exporter.clone(),
        Currency::USD,
        periods,
        baskets,
    )
    .ok()
}

/// Goods drawn from a baseline's baskets: named baskets, HS prefixes of its
/// coded baskets (or random ones), an HS list, or everything.
fn draw_goods(t: &mut Tape, baseline: &Baseline, list_name: &str) -> Goods {
    let named: Vec<_> = baseline
        .baskets()
        .iter()
        .filter_map(|b| match b.key() {
            BasketKey::Named(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let coded: Vec<HsCode> = baseline
        .baskets()
        .iter()
        .filter_map(|b| b.key().hs().copied())
        .collect();
    let prefix = |t: &mut Tape| -> Option<HsCode> {
        match t.pick(&coded) {
            Some(c) if t.below(4) != 0 => Some(c.truncate(2 * t.count(1, 5))),
            _ => draw_hs(t),
        }
    };
    let mut goods = Goods::default();
    for _ in 0..t.count(1, 2) {
        let more = match t.below(6) {
            0 | 1 if !named.is_empty() => {
                let chosen: Vec<_> = named.iter().filter(|_| t.flip()).cloned().collect();
                if chosen.is_empty() {
                    Goods::baskets(named.first().cloned())
                } else {
                    Goods::baskets(chosen)
                }
            }
            2 | 3 => Goods::hs(
                (0..t.count(1, 3))
                    .filter_map(|_| prefix(t))
                    .collect::<Vec<_>>(),
            ),
            4 => Goods::lists([HsList::new(
                list_name,
                (0..t.count(1, 3))
                    .filter_map(|_| prefix(t))
                    .collect::<Vec<_>>(),
            )]),
            _ => Goods::all(),
        };
        goods = goods.union(more);
    }
    goods
}

fn draw_selector(t: &mut Tape, pool: &[&Measure]) -> Option<Selector> {
    let m = t.pick(pool)?;
    Some(match t.below(5) {
        0 => Selector::Authority(m.authority()),
        1 => Selector::Layer(m.layer().clone()),
        _ => Selector::Measure(m.id().clone()),
    })
}

fn draw_measures(
    t: &mut Tape,
    sizes: &Sizes,
    baseline: &Baseline,
    horizon: Window,
    min: usize,
) -> Vec<Measure> {
    let prefix = baseline.importer().as_str().to_ascii_lowercase();
    let n = t.count(min, sizes.measures.max(min));
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("{prefix}-m{i}");
        let mut coverage = Coverage::of(draw_goods(t, baseline, &format!("{id}-list")));
        if t.below(4) == 0 {
            let goods = draw_goods(t, baseline, &format!("{id}-excluded"));
            let start = date_in(t, horizon.start(), horizon.end());
            let window = if t.flip() {
                Window::open(start)
            } else {
                Window::new(start, add_days(start, 1 + t.below(400) as i64)).unwrap_or(Window::ALL)
            };
            coverage = coverage.excluding(Exclusion::new(goods, window));
        }
        let authority = *t.pick(&Authority::ALL).unwrap_or(&Authority::Other);
        let schedule = draw_schedule(t, sizes, horizon);
        let Ok(mid) = id.parse() else { continue };
        let Ok(mut m) = Measure::new(
            mid,
            authority,
            baseline.importer().clone(),
            baseline.exporter().clone(),
            coverage,
            schedule,
        ) else {
            continue;
        };
        if t.below(3) == 0 {
            if let Ok(layer) = format!("{prefix}-layer-{}", t.below(2)).parse() {
                m = m.in_layer(layer);
            }
        }
        if t.flip() {
            m = m.named(format!("Measure {i} of {}", baseline.importer()));
        }
        out.push(m);
    }
    out
}

fn draw_stacking(
    t: &mut Tape,
    sizes: &Sizes,
    measures: &[Measure],
    horizon: Window,
    side: &str,
) -> Vec<StackingRule> {
    let pool: Vec<&Measure> = measures.iter().collect();
    let mut out = Vec::new();
    if pool.len() < 2 {
        return out;
    }
    for k in 0..t.count(0, sizes.stacking_rules) {
        let Ok(id) = format!("{side}-s{k}").parse() else {
            continue;
        };
        let selectors = |t: &mut Tape| -> Vec<Selector> {
            (0..t.count(1, 2))
                .filter_map(|_| draw_selector(t, &pool))
                .collect()
        };
        let stacking = match t.below(3) {
            0 if sizes.exclusive => Stacking::Exclusive {
                over: selectors(t),
                excluded: selectors(t),
            },
            0 | 1 => Stacking::Highest {
                among: selectors(t),
            },
            _ => {
                let measures = selectors(t);
                let codes: Vec<HsCode> = (0..t.count(1, 2)).filter_map(|_| draw_hs(t)).collect();
                let goods = if codes.is_empty() || t.below(3) == 0 {
                    Goods::all()
                } else {
                    Goods::hs(codes)
                };
                Stacking::Exempt { measures, goods }
            }
        };
        let window = match t.below(3) {
            0 => Window::ALL,
            1 => Window::open(date_in(t, horizon.start(), horizon.end())),
            _ => {
                let a = date_in(t, horizon.start(), horizon.end());
                Window::new(a, add_days(a, 1 + t.below(500) as i64)).unwrap_or(Window::ALL)
            }
        };
        out.push(StackingRule::new(id, stacking, window));
    }
    out
}

/// Rules of `party` answering `against`'s measures, valued on `baseline`
/// (`party`'s imports from `against`).
fn draw_rules(
    t: &mut Tape,
    sizes: &Sizes,
    baseline: &Baseline,
    measures: &[Measure],
    horizon: Window,
) -> Vec<RetaliationRule> {
    let party = baseline.importer();
    let against = baseline.exporter();
    let watched: Vec<&Measure> = measures
        .iter()
        .filter(|m| m.imposer() == against && m.target() == party)
        .filter(|m| sizes.answer_answers || m.authority() != Authority::Retaliation)
        .collect();
    let mut out = Vec::new();
    if watched.is_empty() {
        return out;
    }
    let prefix = party.as_str().to_ascii_lowercase();
    for k in 0..t.count(0, sizes.retaliation_rules) {
        let mut selectors: Vec<Selector> = (0..t.count(1, 2))
            .filter_map(|_| match draw_selector(t, &watched) {
                Some(Selector::Authority(Authority::Retaliation)) if !sizes.answer_answers => None,
                Some(Selector::Layer(_)) if !sizes.answer_answers => {
                    t.pick(&watched).map(|m| Selector::Measure(m.id().clone()))
                }
                other => other,
            })
            .collect();
        let answerable = measures
            .iter()
            .any(|m| m.authority() == Authority::Retaliation);
        if sizes.answer_answers && answerable && t.flip() {
            selectors.push(Selector::Authority(Authority::Retaliation));
        }
        if selectors.is_empty() {
            continue;
        }
        let event = match t.below(4) {
            0 => TriggerEvent::StepUp,
            1 => TriggerEvent::RateAbove(draw_rate(t, sizes)),
            2 => TriggerEvent::CoveredValueAbove {
                value: draw_value(t, sizes, 1),
                currency: None,
            },
            _ => TriggerEvent::InForce,
        };
        if matches!(event, TriggerEvent::CoveredValueAbove { .. }) {
            // A threshold is compared with a value every baseline grain can
            // show: watch only measures named by basket or on every good
            // (an HS-coded measure over a coarser basket has no known
            // covered value, and such a rule is refused).
            let by_basket = |m: &&Measure| {
                let c = m.coverage();
                std::iter::once(c.goods())
                    .chain(c.exclusions().iter().map(|e| e.goods()))
                    .all(|g| g.hs_prefixes().is_empty() && g.hs_lists().is_empty())
                    && m.authority() != Authority::Retaliation
            };
            let safe: Vec<&Measure> = watched.iter().copied().filter(by_basket).collect();
            let Some(m) = t.pick(&safe) else {
                continue;
            };
            selectors = vec![Selector::Measure(m.id().clone())];
        }
        let rate = if t.flip() {
            ResponseRate::Match
        } else {
            ResponseRate::Fixed(draw_rate(t, sizes))
        };
        let goods = match t.below(3) {
            0 if sizes.value_matching => ResponseGoods::MatchValue,
            1 if sizes.value_matching => ResponseGoods::Proportion(
                Share::new(Decimal::new(t.below(10_001) as i64, 4)).unwrap_or(Share::ONE),
            ),
            _ => ResponseGoods::List(draw_goods(t, baseline, &format!("{prefix}-r{k}-list"))),
        };
        let cap = if t.below(3) == 0 {
            Some(draw_rate(t, sizes))
        } else {
            None
        };
        let Ok(id) = format!("{prefix}-r{k}").parse() else {
            continue;
        };
        let mut rule = RetaliationRule::builder(id, party.clone(), against.clone())
            .on(event)
            .rate(rate)
            .covers(goods)
            .lag_days(t.below(181) as i64)
            .policy(match t.below(3) {
                0 => Policy::Ratchet,
                1 => Policy::Fixed,
                _ => Policy::Follow,
            });
        for s in selectors {
            rule = rule.watch(s);
        }
        if let Some(c) = cap {
            rule = rule.cap(c);
        }
        if t.below(4) == 0 {
            rule = rule.active(Window::open(date_in(t, horizon.start(), horizon.end())));
        }
        let Ok(rule) = rule.build() else {
            continue;
        };
        out.push(rule);
    }
    out
}

/// Branch probabilities with at most `places` decimals that sum to exactly
/// 1: integer weights in units of `10^-places`, the last one taking what is
/// left.
fn draw_probabilities(t: &mut Tape, n: usize, places: u32) -> Vec<Probability> {
    let mut left: u64 = 10u64.pow(places);
    let mut weights = Vec::with_capacity(n);
    for _ in 1..n {
        let w = t.below(left + 1);
        left -= w;
        weights.push(w);
    }
    weights.push(left);
    weights
        .into_iter()
        .map(|w| Probability::new(Decimal::new(w as i64, places)).unwrap_or(Probability::ZERO))
        .collect()
}

/// The schedules a path has reached, and the ruling that voided each.
#[derive(Debug, Clone)]
struct Reached {
    schedules: Vec<Schedule>,
    voided: Vec<Option<Date>>,
}

/// Applies `action` to every measure it selects, with the checks the
/// scenario makes: dated on or after the decision, inside the horizon,
/// applying cleanly, and never reviving a voided measure. Leaves `state`
/// unchanged and returns false otherwise.
fn try_action(
    action: &Action,
    state: &mut Reached,
    measures: &[Measure],
    decided: Date,
    horizon: Window,
) -> bool {
    let mut next = state.clone();
    for (i, m) in measures.iter().enumerate() {
        if !action.target().matches(m) {
            continue;
        }
        if let Some(d) = action.effective_date(&next.schedules[i]) {
            if d < decided || !horizon.contains(d) {
                return false;
            }
        }
        match action.apply(&next.schedules[i]) {
            Ok(s) => next.schedules[i] = s,
            Err(_) => return false,
        }
        if let Some(d) = action.void_date() {
            next.voided[i] = Some(next.voided[i].map_or(d, |v| v.min(d)));
        }
        if let Some(ruling) = next.voided[i] {
            let after = next.schedules[i].timeline(Window::open(ruling));
            if after.iter().any(|(_, r)| !r.is_zero()) {
                return false;
            }
        }
    }
    *state = next;
    true
}

/// What a cut or raise does to later steps: unsaid (an error when there
/// are any, so such actions are dropped), keep or hold.
fn draw_then(t: &mut Tape) -> Option<AfterEdit> {
    match t.below(3) {
        0 => None,
        1 => Some(AfterEdit::KeepSchedule),
        _ => Some(AfterEdit::Hold),
    }
}

fn draw_action(
    t: &mut Tape,
    sizes: &Sizes,
    measures: &[Measure],
    state: &Reached,
    decided: Date,
    horizon: Window,
) -> Option<Action> {
    let i = t.below(measures.len() as u64) as usize;
    let m = measures.get(i)?;
    let s = state.schedules.get(i)?;
    let lo = decided.max(horizon.start());
    let hi = horizon.end();
    if lo >= hi {
        return None;
    }
    let target = if t.below(6) == 0 {
        Selector::Authority(m.authority())
    } else {
        Selector::Measure(m.id().clone())
    };
    let from = date_in(t, lo, hi);
    let kind = match t.below(8) {
        0 => {
            let steps: Vec<Date> = s
                .steps()
                .iter()
                .map(|x| x.effective())
                .filter(|d| *d >= lo && *d < hi)
                .collect();
            let step = *t.pick(&steps)?;
            let to = match t.below(3) {
                0 => Postponement::To(add_days(step, 1 + t.below(400) as i64)),
                1 => Postponement::ByDays(1 + t.below(400) as i64),
                _ => Postponement::Indefinitely,
            };
            ActionKind::Postpone {
                step,
                to,
                shift_later: t.flip(),
            }
        }
        1 => ActionKind::Suspend {
            from,
            until: add_days(from, 1 + t.below(365) as i64),
            rate: draw_rate(t, sizes),
        },
        2 => {
            let on: Vec<Date> = s
                .suspensions()
                .iter()
                .map(|x| x.window().start().max(lo))
                .filter(|d| *d < hi)
                .collect();
            let on = *t.pick(&on)?;
            ActionKind::ExtendSuspension {
                on,
                until: add_days(on, 1 + t.below(365) as i64),
            }
        }
        3 => ActionKind::Cut {
            from,
            rate: draw_rate(t, sizes).min(s.scheduled_rate_on(from)),
            then: draw_then(t),
        },
        4 => ActionKind::Raise {
            from,
            rate: draw_rate(t, sizes).max(s.scheduled_rate_on(from)),
            then: draw_then(t),
        },
        5 => ActionKind::Revoke { from },
        6 => {
            let announced: Vec<Date> = s
                .steps()
                .iter()
                .filter(|x| x.status() == crate::tariff::StepStatus::Announced)
                .map(|x| x.effective())
                .collect();
            ActionKind::Impose {
                step: if t.flip() {
                    t.pick(&announced).copied()
                } else {
                    None
                },
            }
        }
        _ => ActionKind::Void { from },
    };
    Some(Action::new(target, kind))
}

struct TreeDraw<'a> {
    sizes: &'a Sizes,
    measures: &'a [Measure],
    parties: Vec<Party>,
    horizon: Window,
    nodes: usize,
    /// Decimal places of branch probabilities: four, fewer in trees so deep
    /// that a path's product would need more than 28.
    places: u32,
}

impl TreeDraw<'_> {
    fn node(&mut self, t: &mut Tape, date: Date, state: &Reached, depth: usize) -> Option<Node> {
        let id = format!("n{}", self.nodes).parse().ok()?;
        self.nodes += 1;
        // The first decision always has a choice, when branching allows.
        let n = t.count(
            if depth == 1 { 2 } else { 1 }.min(self.sizes.branching.max(1)),
            self.sizes.branching.max(1),
        );
        let probabilities = draw_probabilities(t, n, self.places);
        let mut branches = Vec::with_capacity(n);
        for (j, p) in probabilities.into_iter().enumerate() {
            let kind = *t.pick(&OutcomeKind::ALL).unwrap_or(&OutcomeKind::StatusQuo);
            let bid = format!("{}-{j}", kind.name()).parse().ok()?;
            let mut branch = Branch::new(bid, format!("{} {j}", kind.name()), kind, p);
            let mut s = state.clone();
            if !self.measures.is_empty() {
                for _ in 0..t.count(0, self.sizes.actions) {
                    if let Some(a) =
                        draw_action(t, self.sizes, self.measures, &s, date, self.horizon)
                    {
                        if try_action(&a, &mut s, self.measures, date, self.horizon) {
                            branch = branch.with_action(a);
                        }
                    }
                }
            }
            if t.below(6) == 0 {
                if let Some(buyer) = t.pick(&self.parties).cloned() {
                    let value = Money::usd(draw_value(t, self.sizes, 1));
                    let start = date_in(t, self.horizon.start(), self.horizon.end());
                    let end = add_days(start, 1 + t.below(730) as i64);
                    if let Ok(w) = Window::new(start, end) {
                        if let Ok(c) = Commitment::new(buyer, "purchases", value, w) {
                            branch = branch.with_commitment(c);
                        }
                    }
                }
            }
            if depth < self.sizes.depth.max(1) && t.flip() {
                let later = date_in(t, date, self.horizon.end()).max(date);
                if let Some(child) = self.node(t, later, &s, depth + 1) {
                    branch = branch.then(child);
                }
            }
            branches.push(branch);
        }
        Some(Node::new(
            id,
            format!("decision {}", self.nodes),
            date,
            branches,
        ))
    }
}

fn draw_tree(t: &mut Tape, sizes: &Sizes, measures: &[Measure], horizon: Window) -> OutcomeTree {
    let mut parties: Vec<Party> = measures.iter().map(|m| m.imposer().clone()).collect();
    parties.sort();
    parties.dedup();
    let mut draw = TreeDraw {
        sizes,
        measures,
        parties,
        horizon,
        nodes: 0,
        places: (28 / sizes.depth.max(1) as u32).min(4),
    };
    let root_date = date_in(t, add_days(horizon.start(), -60), horizon.end());
    let state = Reached {
        schedules: measures.iter().map(|m| m.schedule().clone()).collect(),
        voided: vec![None; measures.len()],
    };
    draw.node(t, root_date, &state, 1)
        .and_then(|root| OutcomeTree::new(root).ok())
        .unwrap_or_else(|| OutcomeTree::status_quo(AS_SCHEDULED, horizon.start()))
}

const PARTIES: [&str; 6] = ["US", "CN", "EU", "CA", "MX", "JP"];

fn draw_parties(t: &mut Tape) -> Option<(Party, Party)> {
    let a = t.below(PARTIES.len() as u64) as usize;
    let b = (a + 1 + t.below(PARTIES.len() as u64 - 1) as usize) % PARTIES.len();
    Some((PARTIES[a].parse().ok()?, PARTIES[b].parse().ok()?))
}

/// A scenario's parts before validation: what [`Scenario::builder`] takes.
/// Change a part (scale values, reorder measures, zero rates) and
/// [`ScenarioParts::build`] again to compare.
#[derive(Debug, Clone)]
pub struct ScenarioParts {
    /// Id and title.
    pub info: ScenarioInfo,
    /// One or two baselines: `A<-B`, and often `B<-A`.
    pub baselines: Vec<Baseline>,
    /// The measures of both sides and their stacking rules.
    pub regime: Regime,
    /// Retaliation rules (only where the answering side has a baseline).
    pub retaliation: Vec<RetaliationRule>,
    /// The outcome tree.
    pub tree: OutcomeTree,
    /// The horizon.
    pub horizon: Window,
    /// The reference path: `None`, `"as-scheduled"` or a path id.
    pub reference: Option<String>,
}

impl ScenarioParts {
    /// The validated scenario.
    ///
    /// # Errors
    /// What [`crate::ScenarioBuilder::build`] refuses; never for parts the strategies
    /// generate (invariant 1).
    pub fn build(&self) -> Result<Scenario> {
        let mut b = Scenario::builder(self.horizon)
            .info(self.info.clone())
            .baselines(self.baselines.clone())
            .regime(self.regime.clone())
            .rules(self.retaliation.clone())
            .tree(self.tree.clone());
        if let Some(r) = &self.reference {
            b = b.reference(r.clone());
        }
        b.build()
    }
}

fn draw_parts(t: &mut Tape, sizes: &Sizes, serial: u32) -> Option<ScenarioParts> {
    let horizon = draw_window(t, sizes);
    let (a, b) = draw_parties(t)?;
    // Baselines cover the history too: steps are drawn from 120 days before
    // the horizon, and retaliation and refunds count from the first.
    let history = Window::new(add_days(horizon.start(), -HISTORY_DAYS), horizon.end()).ok()?;
    let mut baselines = vec![draw_baseline(t, sizes, &a, &b, history)?];
    if t.below(3) != 0 {
        baselines.push(draw_baseline(t, sizes, &b, &a, history)?);
    }
    let mut measures = Vec::new();
    let mut stacking = Vec::new();
    for (i, base) in baselines.iter().enumerate() {
        let ms = draw_measures(t, sizes, base, horizon, usize::from(i == 0));
        let side = base.importer().as_str().to_ascii_lowercase();
        stacking.extend(draw_stacking(t, sizes, &ms, horizon, &side));
        measures.extend(ms);
    }
    let mut retaliation = Vec::new();
    if baselines.len() == 2 {
        // Only the second side's rules may answer answers: two sides
        // answering each other's answers would be a cycle.
        for (i, base) in baselines.iter().enumerate() {
            let sizes = Sizes {
                answer_answers: sizes.answer_answers && i == 1,
                ..sizes.clone()
            };
            retaliation.extend(draw_rules(t, &sizes, base, &measures, horizon));
        }
    }
    let regime = Regime::new(measures.clone(), stacking)
        .or_else(|_| Regime::new(measures, Vec::new()))
        .unwrap_or_default();
    let tree = draw_tree(t, sizes, regime.measures(), horizon);
    let reference = match t.below(4) {
        0 => Some(AS_SCHEDULED.to_string()),
        1 => t.pick(tree.paths()).map(|p| p.id().to_string()),
        _ => None,
    };
    Some(ScenarioParts {
        info: ScenarioInfo {
            id: format!("generated-{serial}"),
            title: format!("Generated scenario {serial}"),
            description: String::new(),
            assumptions: vec!["Generated by tariffsim::strategies.".into()],
            sources: Vec::new(),
        },
        baselines,
        regime,
        retaliation,
        tree,
        horizon,
        reference,
    })
}

/// A trade value: zero, a round number of millions, or any amount up to
/// [`Sizes::max_value`] with [`Sizes::value_decimals`] places.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::strategies::{self, Sizes};
/// // "A value is never negative and never above the ceiling."
/// let sizes = Sizes::default();
/// TestRunner::new(Config::with_cases(32)).run(&strategies::trade_value(&sizes), |v| {
///     prop_assert!(!v.is_sign_negative() && v <= sizes.max_value.into());
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn trade_value(sizes: &Sizes) -> impl Strategy<Value = Decimal> + use<> {
    let sizes = sizes.clone();
    vec(any::<u32>(), 4).prop_map(move |d| draw_value(&mut Tape::new(&d), &sizes, 1))
}

/// Money in US dollars: a [`trade_value`].
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::strategies::{self, Sizes};
/// // "Rounding to cents moves an amount by at most half a cent."
/// TestRunner::new(Config::with_cases(32)).run(&strategies::money(&Sizes::default()), |m| {
///     let moved = (m.round_cents().amount() - m.amount()).abs();
///     prop_assert!(moved <= rust_decimal::Decimal::new(5, 3));
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn money(sizes: &Sizes) -> impl Strategy<Value = Money> + use<> {
    trade_value(sizes).prop_map(Money::usd)
}

/// A rate from 0 to [`Sizes::max_percent`]: a fraction with at most four
/// decimal places (7.25% is 0.0725), often zero, a multiple of 5% or at
/// most 100%.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::Rate;
/// use tariffsim::strategies::{self, Sizes};
/// // "A rate survives printing and reading back."
/// TestRunner::new(Config::with_cases(32)).run(&strategies::rate(&Sizes::default()), |r| {
///     prop_assert_eq!(r.to_string().parse::<Rate>().unwrap(), r);
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rate(sizes: &Sizes) -> impl Strategy<Value = Rate> + use<> {
    let sizes = sizes.clone();
    vec(any::<u32>(), 2).prop_map(move |d| draw_rate(&mut Tape::new(&d), &sizes))
}

/// Branch probabilities for `n` branches (at least 1): at most four decimal
/// places each, summing to exactly 1.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use rust_decimal::Decimal;
/// use tariffsim::strategies;
/// // "The branches of a decision add up to exactly 1."
/// TestRunner::new(Config::with_cases(32)).run(&strategies::probabilities(4), |ps| {
///     prop_assert_eq!(ps.iter().map(|p| p.value()).sum::<Decimal>(), Decimal::ONE);
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn probabilities(n: usize) -> impl Strategy<Value = Vec<Probability>> + use<> {
    let n = n.max(1);
    vec(any::<u32>(), n).prop_map(move |d| draw_probabilities(&mut Tape::new(&d), n, 4))
}

/// A date from January 1 of [`Sizes::first_year`] to the end of
/// [`Sizes::last_year`] (clamped to 1900..=2500).
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::strategies::{self, Sizes};
/// // "Every date lies in a month that prints and reads back."
/// TestRunner::new(Config::with_cases(32)).run(&strategies::date(&Sizes::default()), |d| {
///     let m = tariffsim::Month::of(d);
///     prop_assert_eq!(m.to_string().parse::<tariffsim::Month>().unwrap(), m);
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn date(sizes: &Sizes) -> impl Strategy<Value = Date> + use<> {
    let (first, last) = sizes.year_range();
    let start = Date::new(first, 1, 1).unwrap_or(Date::MIN);
    let end = Date::new(last, 12, 31).unwrap_or(Date::MAX);
    let span = days(start, end).max(0);
    (0..=span).prop_map(move |n| add_days(start, n))
}

/// A window of at least one day and at most [`Sizes::horizon_years`] years,
/// inside the years of [`Sizes`]; often a run of whole years from January 1.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::strategies::{self, Sizes};
/// // "A window contains its first day and not its end."
/// TestRunner::new(Config::with_cases(32)).run(&strategies::window(&Sizes::default()), |w| {
///     prop_assert!(w.contains(w.start()) && !w.contains(w.end()));
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn window(sizes: &Sizes) -> impl Strategy<Value = Window> + use<> {
    let sizes = sizes.clone();
    vec(any::<u32>(), 6).prop_map(move |d| draw_window(&mut Tape::new(&d), &sizes))
}

/// An HS code of 2, 4, 6, 8 or 10 digits (leading zeros kept).
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::strategies;
/// // "A code's chapter is a prefix of it."
/// TestRunner::new(Config::with_cases(32)).run(&strategies::hs_code(), |c| {
///     prop_assert!(c.truncate(2).is_prefix_of(&c));
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hs_code() -> impl Strategy<Value = HsCode> {
    vec(any::<u32>(), 3).prop_filter_map("a valid code", |d| draw_hs(&mut Tape::new(&d)))
}

/// A schedule for dates around `within`: one to [`Sizes::steps`] ordered
/// steps (some announced), up to [`Sizes::suspensions`] disjoint
/// suspensions, and sometimes one step postponed.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::Window;
/// use tariffsim::strategies::{self, Sizes};
/// // "A suspension never raises the rate."
/// let year = Window::year(2019)?;
/// TestRunner::new(Config::with_cases(32)).run(&strategies::schedule(&Sizes::default(), year), |s| {
///     for d in s.change_dates() {
///         prop_assert!(s.rate_on(d) <= s.scheduled_rate_on(d));
///     }
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn schedule(sizes: &Sizes, within: Window) -> impl Strategy<Value = Schedule> + use<> {
    let sizes = sizes.clone();
    tape().prop_map(move |d| draw_schedule(&mut Tape::new(&d), &sizes, within))
}

/// A baseline of `importer`'s imports from `exporter` with one to
/// [`Sizes::baskets`] baskets (HS codes, items and named baskets), annual,
/// by year or by month; its periods cover every day of `cover` (whole
/// calendar years, so annual values exist for each).
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::{Detail, Prepared, Regime, Window};
/// use tariffsim::strategies::{self, Sizes};
/// // "With no measures, a baseline owes nothing."
/// let year = Window::year(2019)?;
/// let baselines = strategies::baseline(&Sizes::default(), "US".parse()?, "CN".parse()?, year);
/// TestRunner::new(Config::with_cases(16)).run(&baselines, |b| {
///     let e = Prepared::new(vec![b], Regime::default()).unwrap().exposure(year, Detail::Totals).unwrap();
///     prop_assert!(e.sides()[0].gross().is_zero());
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn baseline(
    sizes: &Sizes,
    importer: Party,
    exporter: Party,
    cover: Window,
) -> impl Strategy<Value = Baseline> + use<> {
    let sizes = sizes.clone();
    tape().prop_filter_map("importer and exporter differ", move |d| {
        draw_baseline(&mut Tape::new(&d), &sizes, &importer, &exporter, cover)
    })
}

/// One to [`Sizes::measures`] measures the baseline's importer imposes on
/// its exporter, each covering goods of the baseline — named baskets, HS
/// prefixes (often of its coded baskets), an HS list or everything —
/// sometimes with a dated exclusion, with a [`schedule`] around `horizon`.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::{Baseline, Basket, Currency, Periods, Regime, Window};
/// use tariffsim::strategies::{self, Sizes};
/// // "Every generated measure set forms a valid regime."
/// let b = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual,
///     vec![Basket::annual("list-3-goods".parse()?, "List 3", 200_000_000_000u64.into())])?;
/// let year = Window::year(2019)?;
/// TestRunner::new(Config::with_cases(16)).run(&strategies::measures(&Sizes::default(), &b, year), |ms| {
///     prop_assert!(Regime::new(ms, vec![]).is_ok());
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn measures(
    sizes: &Sizes,
    baseline: &Baseline,
    horizon: Window,
) -> impl Strategy<Value = Vec<Measure>> + use<> {
    let sizes = sizes.clone();
    let baseline = baseline.clone();
    tape().prop_map(move |d| draw_measures(&mut Tape::new(&d), &sizes, &baseline, horizon, 1))
}

/// Up to [`Sizes::stacking_rules`] stacking rules among `measures`
/// (exclusive when [`Sizes::exclusive`], highest, exempt), always or over
/// dated windows around `horizon`; ids start with `side`.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::{Authority, Coverage, Goods, Measure, Regime, Schedule, Window};
/// use tariffsim::strategies::{self, Sizes};
/// // "Rules only name measures that exist."
/// let year = Window::year(2019)?;
/// let m = |id: &str| -> Result<Measure, tariffsim::Error> {
///     Measure::new(id.parse()?, Authority::Ieepa, "US".parse()?, "CN".parse()?,
///         Coverage::of(Goods::all()), Schedule::flat(year.start(), "10%".parse()?))
/// };
/// let ms = vec![m("fentanyl")?, m("reciprocal")?];
/// TestRunner::new(Config::with_cases(16)).run(&strategies::stacking_rules(&Sizes::default(), &ms, year, "us"), |rules| {
///     prop_assert!(Regime::new(ms.clone(), rules).is_ok());
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stacking_rules(
    sizes: &Sizes,
    measures: &[Measure],
    horizon: Window,
    side: &str,
) -> impl Strategy<Value = Vec<StackingRule>> + use<> {
    let sizes = sizes.clone();
    let measures = measures.to_vec();
    let side = side.to_string();
    tape().prop_map(move |d| draw_stacking(&mut Tape::new(&d), &sizes, &measures, horizon, &side))
}

/// Up to [`Sizes::retaliation_rules`] rules by which `baseline`'s importer
/// answers its exporter's `measures`: on entry into force, step-ups, a rate
/// or value threshold; at the trigger's rate or a fixed one, sometimes
/// capped; on a list of the baseline's goods or (when
/// [`Sizes::value_matching`]) on the trigger's value or a proportion of it.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::*;
/// use tariffsim::strategies::{self, Sizes};
/// // "A rule never has a party answer itself."
/// let year = Window::year(2019)?;
/// let cn = Baseline::new("CN".parse()?, "US".parse()?, Currency::USD, Periods::Annual,
///     vec![Basket::annual("soybeans".parse()?, "Soybeans", 12_000_000_000u64.into())])?;
/// let us = Measure::new("list-1".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
///     Coverage::of(Goods::all()), Schedule::flat(year.start(), "25%".parse()?))?;
/// TestRunner::new(Config::with_cases(16)).run(&strategies::retaliation_rules(&Sizes::default(), &cn, &[us], year), |rules| {
///     for r in &rules {
///         prop_assert_ne!(r.party(), r.against());
///     }
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn retaliation_rules(
    sizes: &Sizes,
    baseline: &Baseline,
    measures: &[Measure],
    horizon: Window,
) -> impl Strategy<Value = Vec<RetaliationRule>> + use<> {
    let sizes = sizes.clone();
    let baseline = baseline.clone();
    let measures = measures.to_vec();
    tape().prop_map(move |d| draw_rules(&mut Tape::new(&d), &sizes, &baseline, &measures, horizon))
}

/// An outcome tree over `measures`: up to [`Sizes::depth`] levels of dated
/// decisions with up to [`Sizes::branching`] branches whose probabilities
/// (four decimals at most) sum to exactly 1, each branch taking up to
/// [`Sizes::actions`] actions that apply cleanly to the schedules its path
/// has left, dated inside `horizon`; some branches carry a commitment.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use rust_decimal::Decimal;
/// use tariffsim::*;
/// use tariffsim::strategies::{self, Sizes};
/// // "Path probabilities add up to exactly 1."
/// let year = Window::year(2019)?;
/// let m = Measure::new("list-3".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
///     Coverage::of(Goods::all()), Schedule::flat(year.start(), "10%".parse()?))?;
/// TestRunner::new(Config::with_cases(16)).run(&strategies::outcome_tree(&Sizes::default(), &[m], year), |t| {
///     prop_assert_eq!(t.paths().iter().map(|p| p.probability()).sum::<Decimal>(), Decimal::ONE);
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn outcome_tree(
    sizes: &Sizes,
    measures: &[Measure],
    horizon: Window,
) -> impl Strategy<Value = OutcomeTree> + use<> {
    let sizes = sizes.clone();
    let measures = measures.to_vec();
    tape().prop_map(move |d| draw_tree(&mut Tape::new(&d), &sizes, &measures, horizon))
}

/// The parts of a whole scenario: a horizon, one or two baselines between
/// two parties covering it, measures of both sides with stacking rules,
/// retaliation rules where the answering side has a baseline, an outcome
/// tree, and a reference.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::Detail;
/// use tariffsim::strategies::{self, Sizes};
/// // "Dropping the stacking rules never fails validation."
/// TestRunner::new(Config::with_cases(8)).run(&strategies::scenario_parts(&Sizes::default()), |mut parts| {
///     parts.regime = tariffsim::Regime::new(parts.regime.measures().to_vec(), vec![]).unwrap();
///     prop_assert!(parts.build().is_ok());
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scenario_parts(sizes: &Sizes) -> impl Strategy<Value = ScenarioParts> + use<> {
    let sizes = sizes.clone();
    (tape(), any::<u16>()).prop_filter_map("two distinct parties", move |(d, serial)| {
        draw_parts(&mut Tape::new(&d), &sizes, u32::from(serial))
    })
}

/// A whole valid scenario: [`scenario_parts`], built.
///
/// ```
/// use proptest::prelude::*;
/// use proptest::test_runner::{Config, TestRunner};
/// use tariffsim::Detail;
/// use tariffsim::strategies::{self, Sizes};
/// // "The reference is one of the paths, or every measure as scheduled."
/// TestRunner::new(Config::with_cases(8)).run(&strategies::scenario(&Sizes::default()), |s| {
///     let e = s.evaluate(Detail::Totals).unwrap();
///     prop_assert!(e.path(e.reference().id()).is_some() || e.reference().id() == tariffsim::AS_SCHEDULED);
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scenario(sizes: &Sizes) -> impl Strategy<Value = Scenario> + use<> {
    scenario_parts(sizes).prop_filter_map("the parts build a valid scenario", |p| p.build().ok())
}
