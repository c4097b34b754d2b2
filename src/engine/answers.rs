//! Retaliation on one path: each answer's schedule, worked out from the
//! schedules of what it watches, and each value-matched answer's claim on
//! the answering side's imports (worked out in `claims`, from the values
//! watched measures cover, worked out in `covered`).
//!
//! Answers are measures known before any path is evaluated
//! ([`crate::retaliation::derive_answers`]); a path only decides their
//! schedules and claims. Rules run in the order of what they watch, so one
//! pass settles every chain whose answers do not depend on a value-matched
//! answer's claim. When one does (a rule watching a value-matched answer's
//! covered value), passes repeat until nothing changes, at most
//! [`MAX_ROUNDS`] times.
//!
//! Everything here is computed over the scenario's *history*, from its
//! earliest dated step to the end of the horizon, whatever window a report
//! shows: a trigger dated before the horizon still fires.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::cache::{Covered, Versions};
use super::plan::SidePlan;

use super::claims::{Claim, ClaimMemo, Pool};
use crate::error::{Error, Result};
use crate::retaliation::{
    AnswerKind, AnswerNote, Answers, Policy, ResponseGoods, RetaliationRule, TriggerEvent,
    TriggerPoint, respond, shift,
};
use crate::tariff::{Measure, Schedule, Step};
use crate::trade::{Baseline, ExchangeRates, FxGap};
use crate::units::{Currency, Date, Rate, Window};

/// The most passes over the rules before answers are said not to settle.
pub const MAX_ROUNDS: usize = 32;

/// The answers on one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnswerSet {
    /// Each answer's schedule, aligned with [`Answers::list`].
    pub schedules: Vec<Arc<Schedule>>,
    /// Each value-matched answer's claim, when it made one.
    pub claims: Vec<Option<Arc<Claim>>>,
    /// Whether each answer was made on this path.
    pub made: Vec<bool>,
    /// What was made, for reports, by first day.
    pub notes: Arc<[AnswerNote]>,
}

/// What retaliation needs of a scenario, prepared once.
#[derive(Debug, Clone)]
pub(crate) struct Retaliation {
    pub rules: Vec<RetaliationRule>,
    pub answers: Answers,
    /// The ids of each answer's triggers, aligned with [`Answers::list`]:
    /// shared by every path's notes.
    pub trigger_ids: Vec<Arc<[crate::units::MeasureId]>>,
    /// The baselines answers are sized on (the nation's own, even when a
    /// portfolio is valued).
    pub national: Vec<Baseline>,
    /// Their plans, over the regime's measures and the answers (value-matched
    /// answers covering nothing).
    pub plans: Vec<SidePlan>,
    /// Per national baseline, the period columns of each year of the
    /// history that it covers whole (see [`Retaliation::columns`]).
    pub years: Vec<Vec<(i16, Vec<usize>)>>,
    /// Their pools, for value-matched answers to claim from.
    pub pools: Vec<Pool>,
    pub fx: ExchangeRates,
    /// From the scenario's earliest dated step to the end of its horizon.
    pub history: Window,
    /// The regime measures the answers depend on, ascending.
    pub relevant: Vec<usize>,
    /// Whether some answer depends on a value-matched answer's claim.
    pub iterate: bool,
}

/// The per-trigger inputs of one rule, read off the path.
pub(super) struct Watched {
    points: Vec<TriggerPoint>,
    covered: Arc<Vec<(Date, Decimal)>>,
}

/// Work kept across paths while answers are settled: schedule versions,
/// the covered values of watched measures, and answers by what they watch.
pub(crate) struct Memo<'a> {
    pub versions: &'a mut Versions,
    pub covered: &'a mut Covered,
    pub answers: &'a mut AnswerMemo,
    pub triggers: &'a mut TriggerMemo,
    pub claims: &'a mut ClaimMemo,
}

/// An answer's schedule and request, by the answer followed by the versions
/// of what it depends on (looked up by a slice, so a path that finds it
/// allocates nothing).
pub(crate) type AnswerMemo = rustc_hash::FxHashMap<Vec<u32>, (Arc<Schedule>, Option<Arc<Request>>)>;

/// An answer's response to one of its triggers (its steps, after the lag,
/// and its request), by the answer, the trigger and the versions of what
/// the response depends on: an answer to many measures is worked out again
/// on a path only for the triggers that path changes.
pub(crate) type TriggerMemo = rustc_hash::FxHashMap<Vec<u32>, Arc<Response>>;

/// An index as a part of a memo key.
fn key_part(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|_| Error::overflow("the number of measures"))
}

/// An answer's steps in response to one trigger (after the lag), and what
/// it asks for when it matches the trigger's value.
pub(crate) type Response = (Vec<(Date, Rate)>, Option<Arc<Request>>);

fn value_at(steps: &[(Date, Decimal)], d: Date) -> Decimal {
    steps
        .iter()
        .rev()
        .find(|(x, _)| *x <= d)
        .map_or(Decimal::ZERO, |(_, v)| *v)
}

/// A schedule from `(from, rate)` steps: leading zeros dropped, repeats
/// merged.
fn schedule_of(steps: &[(Date, Rate)]) -> Result<Schedule> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for (d, r) in steps {
        let last = out.last().map(Step::rate).unwrap_or(Rate::ZERO);
        if *r != last {
            out.push(Step::in_force(*d, *r));
        }
    }
    Schedule::new(out, Vec::new())
}

fn fx_error(rule: &RetaliationRule, what: &str, from: Currency, to: Currency, gap: FxGap) -> Error {
    Error::Invalid(format!(
        "{what} in {from} against {to}, but {gap}: add an [[exchange_rate]] for {from}->{to} covering that date"
    ))
    .at(format!("retaliation rule {:?}", rule.id().as_str()))
}

impl Retaliation {
    /// The national side where `m` is imposed, if a baseline has it.
    pub(super) fn side_of(&self, m: &Measure) -> Option<usize> {
        self.national
            .iter()
            .position(|b| b.importer() == m.imposer() && b.exporter() == m.target())
    }

    /// The period columns adding up to `year` on national side `si`: from
    /// the table made once, or — for a year the baseline does not cover —
    /// the gap, as an error.
    pub(super) fn columns(&self, si: usize, year: i16) -> Result<std::borrow::Cow<'_, [usize]>> {
        super::claims::columns_in(&self.years[si], &self.national[si], year)
    }

    pub(super) fn base(&self) -> usize {
        self.answers.base()
    }

    pub(super) fn is_value_answer(&self, i: usize) -> bool {
        i >= self.base()
            && matches!(
                self.answers.list()[i - self.base()].kind(),
                AnswerKind::Value { .. }
            )
    }

    /// The states of watched measure `t` as rule `rule` sees them.
    fn watched(
        &self,
        rule: &RetaliationRule,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
        claims: &[Option<Arc<Claim>>],
        memo: &mut Memo<'_>,
    ) -> Result<Watched> {
        let tl = schedules[t].timeline(self.history);
        let threshold = match rule.trigger().event {
            TriggerEvent::CoveredValueAbove { currency, .. } => Some(currency),
            _ => None,
        };
        if threshold.is_none() && !rule.matches_value() {
            let points = tl
                .into_iter()
                .map(|(date, rate)| TriggerPoint {
                    date,
                    rate,
                    covered: None,
                })
                .collect();
            return Ok(Watched {
                points,
                covered: Arc::new(Vec::new()),
            });
        }
        let covered = self
            .covered_timeline(t, measures, schedules, claims, memo)
            .map_err(|e| e.at(format!("retaliation rule {:?}", rule.id().as_str())))?;
        let own = self
            .side_of(measures[t])
            .map_or(Currency::USD, |s| self.national[s].currency());
        // The rate and the covered value on each date either changes, read
        // off both step functions (each ascending) in one merge.
        let mut points = Vec::with_capacity(tl.len() + covered.len());
        let (mut i, mut j) = (0, 0);
        loop {
            let d = match (tl.get(i), covered.get(j)) {
                (Some(a), Some(b)) => a.0.min(b.0),
                (Some(a), None) => a.0,
                (None, Some(b)) => b.0,
                (None, None) => break,
            };
            while tl.get(i).is_some_and(|x| x.0 <= d) {
                i += 1;
            }
            while covered.get(j).is_some_and(|x| x.0 <= d) {
                j += 1;
            }
            let rate = i.checked_sub(1).map_or(Rate::ZERO, |k| tl[k].1);
            let value = j.checked_sub(1).map_or(Decimal::ZERO, |k| covered[k].1);
            let value = match threshold {
                Some(Some(c)) if c != own => {
                    let f = self.fx.factor(own, c, d).map_err(|gap| {
                        fx_error(
                            rule,
                            &format!(
                                "it compares the value {:?} covers",
                                measures[t].id().as_str()
                            ),
                            own,
                            c,
                            gap,
                        )
                    })?;
                    value
                        .checked_mul(f)
                        .ok_or_else(|| Error::overflow("a converted value"))?
                }
                _ => value,
            };
            points.push(TriggerPoint {
                date: d,
                rate,
                covered: Some(value),
            });
        }
        Ok(Watched { points, covered })
    }

    /// The answers on a path whose regime measures have `regime` schedules.
    pub(crate) fn settle(
        &self,
        measures: &[&Measure],
        regime: &[Arc<Schedule>],
        memo: &mut Memo<'_>,
    ) -> Result<AnswerSet> {
        let list = self.answers.list();
        let empty = Arc::new(Schedule::default());
        let mut schedules: Vec<Arc<Schedule>> = regime
            .iter()
            .cloned()
            .chain(list.iter().map(|_| Arc::clone(&empty)))
            .collect();
        let mut claims: Vec<Option<Arc<Claim>>> = vec![None; list.len()];
        // Per value-matched answer: trigger event date, requested value,
        // and the covered fraction over time (answer time).
        let mut requests: Vec<Option<Arc<Request>>> = vec![None; list.len()];
        let rounds = if self.iterate { MAX_ROUNDS } else { 1 };
        let mut last_changed: Vec<usize> = Vec::new();
        // Memo keys, built in place for every answer and trigger.
        let mut key: Vec<u32> = Vec::new();
        let mut tkey: Vec<u32> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        for round in 0..rounds {
            // The rules whose answers changed in this pass, by index.
            let mut changed: Vec<usize> = Vec::new();
            for (ai, answer) in list.iter().enumerate() {
                let rule = &self.rules[answer.rule()];
                // An answer depends only on its triggers' schedules (and,
                // when it reads covered values, their stacking groups'):
                // paths that share those share it. Not while passes repeat,
                // where claims feed back.
                let needs_value = rule.matches_value()
                    || matches!(rule.trigger().event, TriggerEvent::CoveredValueAbove { .. });
                // What the response to each trigger depends on: its schedule
                // (and, when it reads covered values, its stacking group's).
                // One key for the answer: its index, then each trigger's
                // part, ending at `ends`.
                let keyed = !self.iterate;
                key.clear();
                ends.clear();
                if keyed {
                    key.push(key_part(ai)?);
                    for &t in answer.triggers() {
                        key.push(memo.versions.of(&schedules[t]));
                        if needs_value {
                            self.group_versions(t, measures, &schedules, memo.versions, &mut key);
                        }
                        ends.push(key.len());
                    }
                }
                if let Some((s, request)) =
                    keyed.then(|| memo.answers.get(key.as_slice())).flatten()
                {
                    let i = self.base() + ai;
                    if (!Arc::ptr_eq(s, &schedules[i]) && **s != *schedules[i])
                        || *request != requests[ai]
                    {
                        changed.push(answer.rule());
                        schedules[i] = Arc::clone(s);
                        requests[ai].clone_from(request);
                    }
                    continue;
                }
                let mut each: Vec<Arc<Response>> = Vec::with_capacity(answer.triggers().len());
                for (k, &t) in answer.triggers().iter().enumerate() {
                    if keyed {
                        let start = k.checked_sub(1).map_or(1, |p| ends[p]);
                        tkey.clear();
                        tkey.extend([key_part(ai)?, key_part(t)?]);
                        tkey.extend_from_slice(&key[start..ends[k]]);
                        if let Some(found) = memo.triggers.get(tkey.as_slice()) {
                            each.push(Arc::clone(found));
                            continue;
                        }
                    }
                    let w = self.watched(rule, t, measures, &schedules, &claims, memo)?;
                    let resp = respond(rule, &w.points);
                    let shifted = shift(&resp.steps, rule.lag_days()).ok_or_else(|| {
                        Error::Invalid(format!(
                            "its answer to {:?}, {} days after {}, falls past the last date of the calendar: shorten the lag",
                            measures[t].id().as_str(),
                            rule.lag_days(),
                            resp.steps.last().map_or(self.history.start(), |s| s.0)
                        ))
                        .at(format!("retaliation rule {:?}", rule.id().as_str()))
                    })?;
                    let request = match (answer.kind(), resp.events.first()) {
                        (AnswerKind::Value { .. }, Some(&e)) => {
                            let r = self.request(rule, t, e, &w, measures)?;
                            Some(memo.claims.requests.of(r))
                        }
                        _ => None,
                    };
                    let response = Arc::new((shifted, request));
                    if keyed {
                        memo.triggers.insert(tkey.clone(), Arc::clone(&response));
                    }
                    each.push(response);
                }
                // The request of the last trigger that made one.
                let request = each.iter().rev().find_map(|r| r.1.clone());
                let s = Arc::new(schedule_of(&max_steps(&each))?);
                if keyed {
                    memo.answers
                        .insert(key.clone(), (Arc::clone(&s), request.clone()));
                }
                let i = self.base() + ai;
                if *s != *schedules[i] || request != requests[ai] {
                    changed.push(answer.rule());
                    schedules[i] = s;
                    requests[ai] = request;
                }
            }
            let new_claims = self.claim(&schedules, &requests, memo.versions, memo.claims)?;
            if !self.iterate {
                return self.finish(schedules, new_claims);
            }
            if new_claims != claims {
                for (ai, (a, b)) in new_claims.iter().zip(&claims).enumerate() {
                    if a != b {
                        changed.push(list[ai].rule());
                    }
                }
                claims = new_claims;
            }
            if changed.is_empty() {
                return self.finish(schedules, claims);
            }
            if round + 1 == rounds {
                last_changed = changed;
            }
        }
        let mut rules: Vec<String> = last_changed
            .into_iter()
            .map(|r| self.rules[r].id().to_string())
            .collect();
        rules.sort();
        rules.dedup();
        Err(Error::RetaliationLoop {
            rules,
            bound: MAX_ROUNDS,
        })
    }

    /// What a value-matched answer to `t` asks for, answering the event of
    /// `e` (trigger time).
    pub(super) fn request(
        &self,
        rule: &RetaliationRule,
        t: usize,
        e: Date,
        w: &Watched,
        measures: &[&Measure],
    ) -> Result<Request> {
        let at = value_at(&w.covered, e);
        let share = match rule.goods() {
            ResponseGoods::Proportion(s) => s.value(),
            _ => Decimal::ONE,
        };
        let own = self
            .side_of(measures[t])
            .map_or(Currency::USD, |s| self.national[s].currency());
        let answering = self
            .national
            .iter()
            .find(|b| b.importer() == rule.party() && b.exporter() == rule.against())
            .map_or(own, Baseline::currency);
        let f = self.fx.factor(own, answering, e).map_err(|gap| {
            fx_error(
                rule,
                &format!(
                    "it matches the value {:?} covers",
                    measures[t].id().as_str()
                ),
                own,
                answering,
                gap,
            )
        })?;
        let scale = |v: Decimal| {
            v.checked_mul(share)
                .and_then(|v| v.checked_mul(f))
                .ok_or_else(|| Error::overflow("a retaliation value"))
        };
        let requested = scale(at)?;
        let lag = jiff::Span::new().try_days(rule.lag_days()).ok();
        let later = |d: Date| lag.and_then(|l| d.checked_add(l).ok());
        // What the answer asks for over time, in answer time: the trigger's
        // covered value `lag` days earlier (follow), its highest since the
        // event (ratchet), or the value on the event's day (fixed).
        let mut wanted: Vec<(Date, Decimal)> = Vec::new();
        match rule.policy() {
            Policy::Follow => {
                for (d, v) in w.covered.iter() {
                    if let Some(d) = later(*d) {
                        wanted.push((d, scale(*v)?));
                    }
                }
            }
            Policy::Ratchet => {
                let mut high = requested;
                wanted.extend(later(e).map(|d| (d, requested)));
                for (d, v) in w.covered.iter().filter(|(d, _)| *d > e) {
                    let v = scale(*v)?;
                    if v > high {
                        high = v;
                        wanted.extend(later(*d).map(|d| (d, v)));
                    }
                }
            }
            Policy::Fixed => wanted.extend(later(e).map(|d| (d, requested))),
        }
        Ok(Request {
            event: e,
            first: later(e).unwrap_or(e),
            requested,
            wanted,
        })
    }

    fn finish(
        &self,
        mut schedules: Vec<Arc<Schedule>>,
        claims: Vec<Option<Arc<Claim>>>,
    ) -> Result<AnswerSet> {
        let list = self.answers.list();
        let answers = schedules.split_off(self.base());
        let mut made = Vec::with_capacity(list.len());
        let mut notes = Vec::with_capacity(list.len());
        for ((a, s), (claim, ids)) in list
            .iter()
            .zip(&answers)
            .zip(claims.iter().zip(&self.trigger_ids))
        {
            let first = s.steps().iter().find(|x| !x.rate().is_zero());
            let is_made = first.is_some_and(|f| f.effective() < self.history.end());
            made.push(is_made);
            let Some(first) = first.filter(|_| is_made) else {
                continue;
            };
            let rule = &self.rules[a.rule()];
            notes.push(AnswerNote {
                rule: rule.id().clone(),
                answer: a.measure().id().clone(),
                triggers: Arc::clone(ids),
                policy: rule.policy(),
                effective: first.effective(),
                rate: first.rate(),
                peak: s.steps().iter().map(Step::rate).max().unwrap_or(Rate::ZERO),
                requested: claim.as_ref().map(|c| c.requested),
                covered: claim.as_ref().map(|c| c.covered),
                schedule: Arc::clone(s),
            });
        }
        notes.sort_by_key(|n| n.effective);
        Ok(AnswerSet {
            schedules: answers,
            claims,
            made,
            notes: notes.into(),
        })
    }
}

/// What a value-matched answer asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Request {
    /// The trigger date of the event answered.
    event: Date,
    /// The answer's first possible day: the event's, `lag` days later (the
    /// event's own when that falls past the calendar, which the schedule's
    /// own check reports).
    first: Date,
    /// The annual value asked for on the event's day, in the answering
    /// side's currency.
    pub(super) requested: Decimal,
    /// The annual value asked for over time (answer time), by the rule's
    /// policy.
    pub(super) wanted: Vec<(Date, Decimal)>,
}

impl Request {
    /// The answer's first possible day.
    pub(super) fn first_day(&self) -> Date {
        self.first
    }
}

/// The pointwise maximum of step functions (each zero before its first
/// step), in one sweep over their dates: on each date the maximum of the
/// functions' current rates (an answer responds to a handful of triggers,
/// so a scan beats keeping them ordered).
fn max_steps(each: &[Arc<Response>]) -> Vec<(Date, Rate)> {
    if each.len() == 1 {
        return each[0].0.clone();
    }
    let mut events: Vec<(Date, usize, Rate)> = each
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.0.iter().map(move |(d, r)| (*d, i, *r)))
        .collect();
    events.sort_unstable_by_key(|(d, i, _)| (*d, *i));
    let mut current = vec![Rate::ZERO; each.len()];
    let mut out: Vec<(Date, Rate)> = Vec::new();
    let mut k = 0;
    while k < events.len() {
        let d = events[k].0;
        while k < events.len() && events[k].0 == d {
            let (_, i, r) = events[k];
            current[i] = r;
            k += 1;
        }
        let top = current.iter().copied().max().unwrap_or(Rate::ZERO);
        if out.last().map_or(!top.is_zero(), |(_, x)| *x != top) {
            out.push((d, top));
        }
    }
    out
}
