//! Retaliation: how the other side answers, capped by what it imports.
//!
//! A [`RetaliationRule`] watches the measures of one party against another
//! (its [`Trigger`]) and answers with a measure of its own after a lag: at
//! the trigger's rate or a fixed one (optionally capped), on a fixed
//! counter-list, on the same value, or on a proportion of it. A value-matched
//! answer never covers more than the answering party's *remaining* imports
//! from the other side: those not under one of its retaliation measures in
//! force on the answer's date or later in the horizon, so answers with
//! different lags never cover the same trade (DOMAIN.md, worked number 5).
//! Answers can trigger answers; evaluation runs in date order until nothing
//! new fires, and stops with [`Error::RetaliationLoop`] when the chain does
//! not settle.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::tariff::{
    Authority, Coverage, Goods, Measure, Origin, Schedule, Selector, Step, check_selector,
};
use crate::trade::Baseline;
use crate::units::{Date, LayerId, Party, Rate, RuleId, Share, Window};

/// The most answers one evaluation may generate before it is called a loop.
pub const MAX_ANSWERS: usize = 256;
/// The longest chain of answers to answers before it is called a loop.
pub const MAX_CHAIN: usize = 16;

/// What makes a rule fire, for each watched measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerEvent {
    /// The measure comes into force (its rate turns positive).
    InForce,
    /// Each time the measure's rate rises (its first positive rate included).
    StepUp,
    /// The measure's rate first exceeds a threshold.
    RateAbove(Rate),
    /// The measure is in force on goods worth more than this a year.
    CoveredValueAbove(Decimal),
}

impl fmt::Display for TriggerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TriggerEvent::InForce => f.write_str("in-force"),
            TriggerEvent::StepUp => f.write_str("step-up"),
            TriggerEvent::RateAbove(r) => write!(f, "rate-above {r}"),
            TriggerEvent::CoveredValueAbove(v) => write!(f, "covered-value-above {v}"),
        }
    }
}

/// The measures a rule watches and the event it fires on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The watched measures (of the party being answered).
    pub measures: Vec<Selector>,
    /// When it fires.
    pub event: TriggerEvent,
}

/// The rate of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseRate {
    /// The trigger's rate on the day it fired.
    Match,
    /// A fixed rate.
    Fixed(Rate),
}

/// The goods an answer covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseGoods {
    /// A fixed counter-list of the answering party's baskets or HS codes.
    List(Goods),
    /// The same value as the trigger covers, from the remaining imports.
    MatchValue,
    /// This share of the trigger's covered value, from the remaining imports.
    Proportion(Share),
}

/// How one party answers another's measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetaliationRule {
    id: RuleId,
    party: Party,
    against: Party,
    trigger: Trigger,
    rate: ResponseRate,
    goods: ResponseGoods,
    lag_days: i64,
    cap: Option<Rate>,
    active: Window,
}

impl RetaliationRule {
    /// `party` answers `against`'s measures picked by `trigger`, `lag_days`
    /// after they fire, with `rate` on `goods`. The rule watches events from
    /// the evaluation window's start on, unless [`RetaliationRule::active`]
    /// narrows or widens that.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a party answering itself, a negative lag, or a
    /// trigger with no selector.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: RuleId,
        party: Party,
        against: Party,
        trigger: Trigger,
        rate: ResponseRate,
        goods: ResponseGoods,
        lag_days: i64,
        cap: Option<Rate>,
    ) -> Result<RetaliationRule> {
        let name = id.to_string();
        if party == against {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} has {party} answering itself: name the other party in `against`"
            )));
        }
        if lag_days < 0 {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} has a negative lag ({lag_days} days): answers come after triggers"
            )));
        }
        if jiff::Span::new().try_days(lag_days).is_err() {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} has a lag of {lag_days} days, longer than the calendar: give a lag in days that fits between two dates"
            )));
        }
        if trigger.measures.is_empty() {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} watches no measures: list selectors in its trigger"
            )));
        }
        Ok(RetaliationRule {
            id,
            party,
            against,
            trigger,
            rate,
            goods,
            lag_days,
            cap,
            active: Window::ALL,
        })
    }

    /// The same rule watching only events inside `window`.
    pub fn active(mut self, window: Window) -> RetaliationRule {
        self.active = window;
        self
    }

    /// The id.
    pub fn id(&self) -> &RuleId {
        &self.id
    }

    /// The answering party.
    pub fn party(&self) -> &Party {
        &self.party
    }

    /// The party being answered.
    pub fn against(&self) -> &Party {
        &self.against
    }

    /// The trigger.
    pub fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// The answer's rate.
    pub fn rate(&self) -> ResponseRate {
        self.rate
    }

    /// The answer's goods.
    pub fn goods(&self) -> &ResponseGoods {
        &self.goods
    }

    /// Days from trigger to answer.
    pub fn lag_days(&self) -> i64 {
        self.lag_days
    }

    /// The highest rate the answer may have.
    pub fn cap(&self) -> Option<Rate> {
        self.cap
    }

    /// The window of trigger events the rule watches.
    pub fn active_window(&self) -> Window {
        self.active
    }

    /// Checks the rule's selectors against the measures it could watch.
    ///
    /// # Errors
    /// [`Error::Unknown`] for a selector that picks no measure.
    pub fn check(&self, measures: &[Measure]) -> Result<()> {
        self.check_watch(measures)
            .map_err(|e| e.at(format!("retaliation rule {:?}", self.id.as_str())))
    }

    /// [`RetaliationRule::check`] without naming the rule in the error.
    pub(crate) fn check_watch(&self, measures: &[Measure]) -> Result<()> {
        for s in &self.trigger.measures {
            // Answers are retaliation measures made during evaluation: a rule
            // may watch them before any exists.
            if *s == Selector::Authority(Authority::Retaliation) {
                continue;
            }
            check_selector(s, measures)?;
        }
        Ok(())
    }
}

/// One answer made, for reports: which rule answered which measure, when,
/// on how much trade, and how much the import-base cap cut it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerNote {
    /// The rule.
    pub rule: RuleId,
    /// The measure answered.
    pub trigger: crate::units::MeasureId,
    /// When the answer takes effect.
    pub effective: Date,
    /// The rate of the answer.
    pub rate: Rate,
    /// The annual value the rule asked to cover (value-matched answers).
    pub requested: Option<Decimal>,
    /// The annual value covered after the cap.
    pub covered: Option<Decimal>,
}

/// The answers the rules make to `measures` (each with the schedule in force
/// on this path), in date order.
///
/// # Errors
/// [`Error::RetaliationLoop`] when answers keep triggering answers past
/// [`MAX_ANSWERS`] or a chain longer than [`MAX_CHAIN`]; arithmetic overflow.
pub fn answers(
    baselines: &[Baseline],
    measures: &[(&Measure, &Schedule)],
    rules: &[RetaliationRule],
    horizon: Window,
) -> Result<(Vec<Measure>, Vec<AnswerNote>)> {
    let mut made: Vec<Measure> = Vec::new();
    let mut chains: Vec<Vec<RuleId>> = Vec::new();
    let mut notes = Vec::new();
    // Queue of (answer date, rule index, watched measure index in `all`).
    let mut queue: BTreeMap<(Date, usize, usize), ()> = BTreeMap::new();
    let mut answered: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let base = measures.len();

    let schedule_of = |i: usize, made: &[Measure]| -> Schedule {
        if i < base {
            measures[i].1.clone()
        } else {
            made[i - base].schedule().clone()
        }
    };

    let push_events =
        |queue: &mut BTreeMap<(Date, usize, usize), ()>, i: usize, m: &Measure, s: &Schedule| {
            for (ri, rule) in rules.iter().enumerate() {
                if m.imposer() != &rule.against || m.target() != &rule.party {
                    continue;
                }
                if !rule.trigger.measures.iter().any(|sel| sel.matches(m)) {
                    continue;
                }
                let dates = events(rule, baselines, m, s, horizon)
                    .map_err(|e| e.at(format!("retaliation rule {:?}", rule.id.as_str())))?;
                for d in dates {
                    queue.insert((d, ri, i), ());
                }
            }
            Ok::<(), Error>(())
        };

    for (i, (m, s)) in measures.iter().enumerate() {
        push_events(&mut queue, i, m, s)?;
    }

    while let Some(((date, ri, ti), ())) = queue.pop_first() {
        let rule = &rules[ri];
        let trig: Measure = if ti < base {
            measures[ti].0.clone()
        } else {
            made[ti - base].clone()
        };
        let trig_schedule = schedule_of(ti, &made);
        // A lag past the end of the calendar answers after every horizon.
        let Some(effective) = jiff::Span::new()
            .try_days(rule.lag_days)
            .ok()
            .and_then(|lag| date.checked_add(lag).ok())
        else {
            continue;
        };
        if effective >= horizon.end() {
            continue;
        }
        let mut rate = match rule.rate {
            ResponseRate::Match => trig_schedule.rate_on(date),
            ResponseRate::Fixed(r) => r,
        };
        if let Some(cap) = rule.cap {
            rate = rate.min(cap);
        }
        // A later step-up answered by the same rule raises the same answer.
        if let Some(&ai) = answered.get(&(ri, ti)) {
            let current = made[ai].schedule().clone();
            if rate > current.rate_on(effective) {
                let s = current.raise(effective, rate)?;
                made[ai] = made[ai].with_schedule(s);
                notes.push(AnswerNote {
                    rule: rule.id.clone(),
                    trigger: trig.id().clone(),
                    effective,
                    rate,
                    requested: None,
                    covered: None,
                });
            }
            continue;
        }
        let chain: Vec<RuleId> = if ti >= base {
            let mut c = chains[ti - base].clone();
            c.push(rule.id.clone());
            c
        } else {
            vec![rule.id.clone()]
        };
        if made.len() >= MAX_ANSWERS || chain.len() > MAX_CHAIN {
            // Name each rule on the loop once, in firing order.
            let mut rules: Vec<String> = Vec::new();
            for r in &chain {
                if !rules.contains(&r.to_string()) {
                    rules.push(r.to_string());
                }
            }
            return Err(Error::RetaliationLoop {
                rules,
                bound: if chain.len() > MAX_CHAIN {
                    MAX_CHAIN
                } else {
                    MAX_ANSWERS
                },
            });
        }
        let Some(answer_base) = baselines
            .iter()
            .find(|b| b.importer() == &rule.party && b.exporter() == &rule.against)
        else {
            return Err(Error::Invalid(format!(
                "retaliation rule {:?}: {} has no baseline of imports from {}, so its answer cannot be valued; add a baseline {}<-{}",
                rule.id.as_str(),
                rule.party,
                rule.against,
                rule.party,
                rule.against
            )));
        };
        let (coverage, requested, covered) = match &rule.goods {
            ResponseGoods::List(goods) => (Coverage::of(goods.clone()), None, None),
            ResponseGoods::MatchValue | ResponseGoods::Proportion(_) => {
                let trig_side = baselines
                    .iter()
                    .find(|b| b.importer() == trig.imposer() && b.exporter() == trig.target());
                let trig_value = match trig_side {
                    Some(b) => covered_value(b, &trig, date)?,
                    None => Decimal::ZERO,
                };
                let want = match &rule.goods {
                    ResponseGoods::Proportion(s) => trig_value
                        .checked_mul(s.value())
                        .ok_or_else(|| Error::overflow("a retaliation value"))?,
                    _ => trig_value,
                };
                let all: Vec<(&Measure, Schedule)> = measures
                    .iter()
                    .map(|(m, s)| (*m, (*s).clone()))
                    .chain(made.iter().map(|m| (m, m.schedule().clone())))
                    .collect();
                let remaining = remaining_shares(
                    answer_base,
                    &rule.party,
                    &rule.against,
                    &all,
                    effective,
                    horizon.end(),
                )?;
                let pool = remaining
                    .iter()
                    .try_fold(Decimal::ZERO, |a, (_, _, v)| a.checked_add(*v))
                    .ok_or_else(|| Error::overflow("a remaining import value"))?;
                let take = want.min(pool);
                if take.is_zero() {
                    notes.push(AnswerNote {
                        rule: rule.id.clone(),
                        trigger: trig.id().clone(),
                        effective,
                        rate,
                        requested: Some(want),
                        covered: Some(Decimal::ZERO),
                    });
                    continue;
                }
                let fraction = take
                    .checked_div(pool)
                    .ok_or_else(|| Error::overflow("a retaliation share"))?;
                let mut slices = Vec::new();
                for (bi, uncovered, value) in &remaining {
                    if value.is_zero() {
                        continue;
                    }
                    let share = fraction
                        .checked_mul(*uncovered)
                        .ok_or_else(|| Error::overflow("a retaliation share"))?
                        .min(Decimal::ONE);
                    slices.push((answer_base.baskets()[*bi].key().clone(), Share::new(share)?));
                }
                (Coverage::of_shares(slices), Some(want), Some(take))
            }
        };
        let id = format!("{}:{}", rule.id, trig.id())
            .parse()
            .or_else(|_| format!("{}:{}", rule.id, made.len()).parse())?;
        let layer: LayerId = rule.id.as_str().parse()?;
        let answer = Measure::new(
            id,
            Authority::Retaliation,
            rule.party.clone(),
            rule.against.clone(),
            coverage,
            Schedule::new(vec![Step::in_force(effective, rate)], vec![])?,
        )?
        .named(format!("{} answering {}", rule.id, trig.id()))
        .in_layer(layer)
        .with_origin(Origin {
            rule: rule.id.clone(),
            trigger: trig.id().clone(),
        });
        notes.push(AnswerNote {
            rule: rule.id.clone(),
            trigger: trig.id().clone(),
            effective,
            rate,
            requested,
            covered,
        });
        let index = base + made.len();
        answered.insert((ri, ti), made.len());
        push_events(&mut queue, index, &answer, &answer.schedule().clone())?;
        made.push(answer);
        chains.push(chain);
    }
    Ok((made, notes))
}

/// The dates within the rule's active window and the horizon on which the
/// rule fires for measure `m` with schedule `s`.
fn events(
    rule: &RetaliationRule,
    baselines: &[Baseline],
    m: &Measure,
    s: &Schedule,
    horizon: Window,
) -> Result<Vec<Date>> {
    let Some(w) = rule.active.intersect(&horizon) else {
        return Ok(Vec::new());
    };
    let tl = s.timeline(w);
    let mut prev = if w.start() > Date::MIN {
        w.start()
            .yesterday()
            .map(|d| s.rate_on(d))
            .unwrap_or(Rate::ZERO)
    } else {
        Rate::ZERO
    };
    let mut out = Vec::new();
    for (d, r) in tl {
        let fire = match rule.trigger.event {
            TriggerEvent::InForce => prev.is_zero() && !r.is_zero() && out.is_empty(),
            TriggerEvent::StepUp => r > prev,
            TriggerEvent::RateAbove(t) => r > t && prev <= t && out.is_empty(),
            TriggerEvent::CoveredValueAbove(t) => {
                let side = baselines
                    .iter()
                    .find(|b| b.importer() == m.imposer() && b.exporter() == m.target());
                match side {
                    Some(b) if !r.is_zero() && out.is_empty() => covered_value(b, m, d)? > t,
                    _ => false,
                }
            }
        };
        if fire {
            out.push(d);
        }
        prev = r;
    }
    Ok(out)
}

/// The annual value of the goods `m` covers on `date`, in the year of `date`.
///
/// # Errors
/// [`Error::BaselineGap`] when the baseline lacks that year.
pub fn covered_value(b: &Baseline, m: &Measure, date: Date) -> Result<Decimal> {
    let day = Window::new(date, date.tomorrow().unwrap_or(date))?;
    let mut total = Decimal::ZERO;
    let shares = m.coverage().shares();
    for (i, basket) in b.baskets().iter().enumerate() {
        let fraction = if shares.is_empty() {
            if m.coverage().covered_windows(basket.key(), day).is_empty() {
                continue;
            }
            Decimal::ONE
        } else {
            match shares.iter().find(|(k, _)| k == basket.key()) {
                Some((_, s)) => s.value(),
                None => continue,
            }
        };
        let v = b.annual_value(i, date.year())?;
        total = v
            .checked_mul(fraction)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(|| Error::overflow("a covered value"))?;
    }
    Ok(total)
}

/// For each basket of `party`'s imports from `against`: the fraction and the
/// annual value not under one of `party`'s retaliation measures in force on
/// `date` or on a later day before `until` (an earlier answer with a longer
/// lag counts, though it is not in force yet).
fn remaining_shares(
    b: &Baseline,
    party: &Party,
    against: &Party,
    all: &[(&Measure, Schedule)],
    date: Date,
    until: Date,
) -> Result<Vec<(usize, Decimal, Decimal)>> {
    let day = Window::new(date, date.tomorrow().unwrap_or(date))?;
    let in_force_from = |s: &Schedule| {
        !s.rate_on(date).is_zero()
            || s.change_dates()
                .into_iter()
                .any(|d| d > date && d < until && !s.rate_on(d).is_zero())
    };
    let answering: Vec<&(&Measure, Schedule)> = all
        .iter()
        .filter(|(m, s)| {
            m.imposer() == party
                && m.target() == against
                && m.authority() == Authority::Retaliation
                && in_force_from(s)
        })
        .collect();
    let mut out = Vec::with_capacity(b.baskets().len());
    for (i, basket) in b.baskets().iter().enumerate() {
        let mut covered = Decimal::ZERO;
        for (m, _) in &answering {
            let shares = m.coverage().shares();
            if shares.is_empty() {
                if !m.coverage().covered_windows(basket.key(), day).is_empty() {
                    covered = Decimal::ONE;
                }
            } else if let Some((_, s)) = shares.iter().find(|(k, _)| k == basket.key()) {
                covered += s.value();
            }
        }
        let uncovered = (Decimal::ONE - covered).max(Decimal::ZERO);
        let v = b.annual_value(i, date.year())?;
        out.push((
            i,
            uncovered,
            v.checked_mul(uncovered)
                .ok_or_else(|| Error::overflow("a remaining import value"))?,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tariff::{Coverage, Goods};
    use crate::trade::{Basket, Periods};
    use crate::units::{Currency, parse_date as d};

    #[test]
    fn a_late_answer_and_an_early_one_never_cover_the_same_trade() {
        // China imports $100 from the US. The US taxes $100 of goods from
        // 2019-01-01 and another $100 from 2019-02-01. China answers the first
        // after 100 days (2019-04-11) and the second at once (2019-02-01),
        // each on the same value. Both answers are in force from 2019-04-11:
        // together they may cover at most the $100 China imports.
        let us = Baseline::new(
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Currency::USD,
            Periods::Annual,
            vec![
                Basket::annual("a".parse().unwrap(), "", Decimal::ONE_HUNDRED),
                Basket::annual("b".parse().unwrap(), "", Decimal::ONE_HUNDRED),
            ],
        )
        .unwrap();
        let cn = Baseline::new(
            "CN".parse().unwrap(),
            "US".parse().unwrap(),
            Currency::USD,
            Periods::Annual,
            vec![Basket::annual(
                "soybeans".parse().unwrap(),
                "",
                Decimal::ONE_HUNDRED,
            )],
        )
        .unwrap();
        let m = |id: &str, basket: &str, from: &str| {
            Measure::new(
                id.parse().unwrap(),
                Authority::Section301,
                "US".parse().unwrap(),
                "CN".parse().unwrap(),
                Coverage::of(Goods::baskets([basket.parse().unwrap()])),
                Schedule::flat(d(from).unwrap(), "25%".parse().unwrap()),
            )
            .unwrap()
        };
        let (first, second) = (
            m("first", "a", "2019-01-01"),
            m("second", "b", "2019-02-01"),
        );
        let rule = |id: &str, watch: &str, lag: i64| {
            RetaliationRule::new(
                id.parse().unwrap(),
                "CN".parse().unwrap(),
                "US".parse().unwrap(),
                Trigger {
                    measures: vec![watch.parse().unwrap()],
                    event: TriggerEvent::InForce,
                },
                ResponseRate::Match,
                ResponseGoods::MatchValue,
                lag,
                None,
            )
            .unwrap()
        };
        let rules = [rule("slow", "first", 100), rule("fast", "second", 0)];
        let pairs = [(&first, first.schedule()), (&second, second.schedule())];
        let (made, notes) =
            answers(&[us, cn], &pairs, &rules, Window::year(2019).unwrap()).unwrap();
        let covered: Decimal = notes.iter().filter_map(|n| n.covered).sum();
        assert_eq!(covered, Decimal::ONE_HUNDRED);
        let shares: Decimal = made
            .iter()
            .flat_map(|m| m.coverage().shares().iter().map(|(_, s)| s.value()))
            .sum();
        assert_eq!(shares, Decimal::ONE);
    }
}
