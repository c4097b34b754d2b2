//! Retaliation on one path: each answer's schedule, worked out from the
//! schedules of what it watches, and each value-matched answer's claim on
//! the answering side's imports.
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

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::cache::{Covered, Versions};
use super::eval::stack;
use super::plan::{SidePlan, Slice};
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

/// The answering side's baskets grouped by the retaliation measures (other
/// than value-matched answers) that cover them: baskets in one cell are
/// taxed alike on every day, so claims are worked out per cell.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    pub cells: Vec<Cell>,
}

/// Baskets the same retaliation measures cover over the same windows.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// The baskets, by index in the baseline.
    pub baskets: Vec<usize>,
    /// The covering measures (indices into the measures) and when.
    pub taxing: Vec<(usize, Vec<Window>)>,
    /// The cell's value per period column.
    pub values: Vec<Decimal>,
}

impl Pool {
    pub(crate) fn new(b: &Baseline, taxing: &[(usize, &Measure)]) -> Result<Pool> {
        let mut index: HashMap<Vec<(usize, Vec<Window>)>, usize> = HashMap::new();
        let mut cells: Vec<Cell> = Vec::new();
        for (bi, basket) in b.baskets().iter().enumerate() {
            let key: Vec<(usize, Vec<Window>)> = taxing
                .iter()
                .filter_map(|(mi, m)| {
                    let w = m.coverage().covered_windows(basket.key(), Window::ALL);
                    (!w.is_empty()).then_some((*mi, w))
                })
                .collect();
            let ci = *index.entry(key.clone()).or_insert_with(|| {
                cells.push(Cell {
                    baskets: Vec::new(),
                    taxing: key,
                    values: vec![Decimal::ZERO; b.periods().len()],
                });
                cells.len() - 1
            });
            let cell = &mut cells[ci];
            cell.baskets.push(bi);
            for (v, x) in cell.values.iter_mut().zip(basket.values()) {
                *v = v
                    .checked_add(*x)
                    .ok_or_else(|| Error::overflow("a pool's value"))?;
            }
        }
        Ok(Pool { cells })
    }
}

/// A share of every basket of a pool cell that a claim covers over `cover`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CellSlice {
    pub cell: usize,
    pub share: Decimal,
    pub cover: Vec<Window>,
}

/// A value-matched answer's claim on the answering side's imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    /// The answering side (index of its baseline among the national ones).
    pub side: usize,
    /// The shares of its pool cells the answer covers, and when.
    pub slices: Vec<CellSlice>,
    /// The annual value asked for on the event's day, in the answering
    /// side's currency.
    pub requested: Decimal,
    /// The annual value claimed on the answer's first day in force (at most
    /// the untaxed imports).
    pub covered: Decimal,
    /// The annual value claimed over time (answer time).
    pub value: Vec<(Date, Decimal)>,
}

impl Claim {
    /// The claim's slices, basket by basket.
    pub fn basket_slices(&self, pool: &Pool) -> Vec<Slice> {
        let mut out = Vec::new();
        for s in &self.slices {
            for b in &pool.cells[s.cell].baskets {
                out.push(Slice {
                    basket: *b,
                    share: s.share,
                    cover: s.cover.clone(),
                });
            }
        }
        out
    }
}

/// The answers on one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnswerSet {
    /// Each answer's schedule, aligned with [`Answers::list`].
    pub schedules: Vec<Arc<Schedule>>,
    /// Each value-matched answer's claim, when it made one.
    pub claims: Vec<Option<Claim>>,
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
    /// The baselines answers are sized on (the nation's own, even when a
    /// portfolio is valued).
    pub national: Vec<Baseline>,
    /// Their plans, over the regime's measures and the answers (value-matched
    /// answers covering nothing).
    pub plans: Vec<SidePlan>,
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
struct Watched {
    points: Vec<TriggerPoint>,
    covered: Arc<Vec<(Date, Decimal)>>,
}

/// Work kept across paths while answers are settled: schedule versions,
/// the covered values of watched measures, and answers by what they watch.
pub(crate) struct Memo<'a> {
    pub versions: &'a mut Versions,
    pub covered: &'a mut Covered,
    pub answers: &'a mut AnswerMemo,
}

/// An answer's schedule and request, by the answer and the versions of what
/// it depends on.
pub(crate) type AnswerMemo =
    rustc_hash::FxHashMap<(usize, Vec<u32>), (Arc<Schedule>, Option<Request>)>;

fn value_at(steps: &[(Date, Decimal)], d: Date) -> Decimal {
    steps
        .iter()
        .rev()
        .find(|(x, _)| *x <= d)
        .map_or(Decimal::ZERO, |(_, v)| *v)
}

fn rate_at(steps: &[(Date, Rate)], d: Date) -> Rate {
    steps
        .iter()
        .rev()
        .find(|(x, _)| *x <= d)
        .map_or(Rate::ZERO, |(_, r)| *r)
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
    fn side_of(&self, m: &Measure) -> Option<usize> {
        self.national
            .iter()
            .position(|b| b.importer() == m.imposer() && b.exporter() == m.target())
    }

    fn base(&self) -> usize {
        self.answers.base()
    }

    fn is_value_answer(&self, i: usize) -> bool {
        i >= self.base()
            && matches!(
                self.answers.list()[i - self.base()].kind(),
                AnswerKind::Value { .. }
            )
    }

    /// The annual value of the goods that pay measure `t` on each day of the
    /// history, after stacking with the other measures of its side (answers
    /// other than `t` count as zero), in its side's currency.
    fn covered_timeline(
        &self,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
        claims: &[Option<Claim>],
        memo: &mut Memo<'_>,
    ) -> Result<Arc<Vec<(Date, Decimal)>>> {
        if self.is_value_answer(t) {
            return Ok(Arc::new(
                claims[t - self.base()]
                    .as_ref()
                    .map(|c| c.value.clone())
                    .unwrap_or_else(|| vec![(self.history.start(), Decimal::ZERO)]),
            ));
        }
        let key = Some((
            t,
            self.group_versions(t, measures, schedules, memo.versions),
        ));
        if let Some(found) = key.as_ref().and_then(|k| memo.covered.get(k)) {
            return Ok(Arc::clone(found));
        }
        let out = Arc::new(self.covered_timeline_of(t, measures, schedules)?);
        if let Some(k) = key {
            memo.covered.insert(k, Arc::clone(&out));
        }
        Ok(out)
    }

    /// What measure `t`'s covered value depends on: the versions of the
    /// schedules of its stacking group (answers other than itself count as
    /// zero, so they are left out).
    fn group_versions(
        &self,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
        versions: &mut Versions,
    ) -> Vec<u32> {
        let Some((plan, li)) = self
            .side_of(measures[t])
            .and_then(|si| Some((&self.plans[si], self.plans[si].local(t)?)))
        else {
            return Vec::new();
        };
        let (g, _) = plan.group_of[li];
        plan.groups[g]
            .measures
            .iter()
            .map(|gl| plan.measures[*gl])
            .filter(|mi| *mi < self.base() || *mi == t)
            .map(|mi| versions.of(&schedules[mi]))
            .collect()
    }

    /// [`Retaliation::covered_timeline`] of a measure that is not a
    /// value-matched answer, worked out.
    fn covered_timeline_of(
        &self,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
    ) -> Result<Vec<(Date, Decimal)>> {
        let m = measures[t];
        let Some(si) = self.side_of(m) else {
            return Err(Error::Invalid(format!(
                "the value measure {:?} covers cannot be found: no baseline has {} importing from {}; add that baseline",
                m.id().as_str(),
                m.imposer(),
                m.target()
            )));
        };
        let plan = &self.plans[si];
        let baseline = &self.national[si];
        let Some(li) = plan.local(t) else {
            return Ok(vec![(self.history.start(), Decimal::ZERO)]);
        };
        let (g, pos) = plan.group_of[li];
        let group = &plan.groups[g];
        let sched: Vec<Option<&Schedule>> = group
            .measures
            .iter()
            .map(|gl| {
                let mi = plan.measures[*gl];
                (mi < self.base() || mi == t).then(|| schedules[mi].as_ref())
            })
            .collect();
        let w = self.history;
        let mut dates = vec![w.start()];
        for s in sched.iter().flatten() {
            dates.extend(s.change_dates());
        }
        for r in &group.rules {
            dates.extend([r.window().start(), r.window().end()]);
        }
        for c in &group.classes {
            for win in c.cover.iter().flatten() {
                dates.extend([win.start(), win.end()]);
            }
        }
        for y in w.start().year()..=w.end().year() {
            if let Ok(d) = Date::new(y, 1, 1) {
                dates.push(d);
            }
        }
        dates.retain(|d| w.contains(*d));
        dates.sort_unstable();
        dates.dedup();
        let mut annual: HashMap<i16, Vec<usize>> = HashMap::new();
        let mut out: Vec<(Date, Decimal)> = Vec::with_capacity(dates.len());
        let n = group.measures.len();
        let mut base_rates = vec![Rate::ZERO; n];
        let mut rates = vec![Rate::ZERO; n];
        for d in dates {
            for (i, s) in sched.iter().enumerate() {
                base_rates[i] = s.map_or(Rate::ZERO, |s| s.rate_on(d));
            }
            if base_rates[pos].is_zero() {
                if out.last().is_none_or(|(_, v)| !v.is_zero()) {
                    out.push((d, Decimal::ZERO));
                }
                continue;
            }
            let cols = match annual.get(&d.year()) {
                Some(c) => c,
                None => {
                    let c = baseline.annual_columns(d.year())?;
                    annual.entry(d.year()).or_insert(c)
                }
            };
            let mut total = Decimal::ZERO;
            for c in &group.classes {
                if !c.cover[pos].iter().any(|x| x.contains(d)) {
                    continue;
                }
                for i in 0..n {
                    rates[i] = if c.cover[i].iter().any(|x| x.contains(d)) {
                        base_rates[i]
                    } else {
                        Rate::ZERO
                    };
                }
                stack(&group.rules, d, &mut rates);
                if rates[pos].is_zero() {
                    continue;
                }
                for col in cols {
                    total = total
                        .checked_add(c.values[*col])
                        .ok_or_else(|| Error::overflow("a covered value"))?;
                }
            }
            if out.last().is_none_or(|(_, v)| *v != total) {
                out.push((d, total));
            }
        }
        Ok(out)
    }

    /// The states of watched measure `t` as rule `rule` sees them.
    fn watched(
        &self,
        rule: &RetaliationRule,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
        claims: &[Option<Claim>],
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
        let mut dates: Vec<Date> = tl
            .iter()
            .map(|(d, _)| *d)
            .chain(covered.iter().map(|(d, _)| *d))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let own = self
            .side_of(measures[t])
            .map_or(Currency::USD, |s| self.national[s].currency());
        let mut points = Vec::with_capacity(dates.len());
        for d in dates {
            let value = value_at(&covered, d);
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
                rate: rate_at(&tl, d),
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
        let mut claims: Vec<Option<Claim>> = vec![None; list.len()];
        // Per value-matched answer: trigger event date, requested value,
        // and the covered fraction over time (answer time).
        let mut requests: Vec<Option<Request>> = vec![None; list.len()];
        let rounds = if self.iterate { MAX_ROUNDS } else { 1 };
        let mut last_changed: Vec<String> = Vec::new();
        for round in 0..rounds {
            let mut changed: Vec<String> = Vec::new();
            for (ai, answer) in list.iter().enumerate() {
                let rule = &self.rules[answer.rule()];
                // An answer depends only on its triggers' schedules (and,
                // when it reads covered values, their stacking groups'):
                // paths that share those share it. Not while passes repeat,
                // where claims feed back.
                let key = (!self.iterate).then(|| {
                    let needs_value = rule.matches_value()
                        || matches!(rule.trigger().event, TriggerEvent::CoveredValueAbove { .. });
                    let mut v: Vec<u32> = Vec::new();
                    for &t in answer.triggers() {
                        v.push(memo.versions.of(&schedules[t]));
                        if needs_value {
                            v.extend(self.group_versions(t, measures, &schedules, memo.versions));
                        }
                    }
                    (ai, v)
                });
                if let Some(found) = key.as_ref().and_then(|k| memo.answers.get(k)) {
                    let (s, request) = found.clone();
                    let i = self.base() + ai;
                    if *s != *schedules[i] || request != requests[ai] {
                        changed.push(rule.id().to_string());
                        schedules[i] = s;
                        requests[ai] = request;
                    }
                    continue;
                }
                let mut each: Vec<Vec<(Date, Rate)>> = Vec::with_capacity(answer.triggers().len());
                let mut request = None;
                for &t in answer.triggers() {
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
                    each.push(shifted);
                    if let (AnswerKind::Value { .. }, Some(&e)) =
                        (answer.kind(), resp.events.first())
                    {
                        request = Some(self.request(rule, t, e, &w, measures)?);
                    }
                }
                let s = Arc::new(schedule_of(&max_steps(each))?);
                if let Some(k) = key {
                    memo.answers.insert(k, (Arc::clone(&s), request.clone()));
                }
                let i = self.base() + ai;
                if *s != *schedules[i] || request != requests[ai] {
                    changed.push(rule.id().to_string());
                    schedules[i] = s;
                    requests[ai] = request;
                }
            }
            let new_claims = self.claim(&schedules, &requests)?;
            if new_claims != claims {
                for (ai, (a, b)) in new_claims.iter().zip(&claims).enumerate() {
                    if a != b {
                        changed.push(self.rules[list[ai].rule()].id().to_string());
                    }
                }
                claims = new_claims;
            }
            if changed.is_empty() || !self.iterate {
                return self.finish(measures, schedules, claims);
            }
            if round + 1 == rounds {
                changed.sort();
                changed.dedup();
                last_changed = changed;
            }
        }
        Err(Error::RetaliationLoop {
            rules: last_changed,
            bound: MAX_ROUNDS,
        })
    }

    /// What a value-matched answer to `t` asks for, answering the event of
    /// `e` (trigger time).
    fn request(
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
            lag: rule.lag_days(),
            requested,
            wanted,
        })
    }

    /// Claims of every value-matched answer on the pools of the answering
    /// sides, day by day: on each day the live answers, first in force
    /// first, take what they ask for out of the imports no other answer
    /// taxes that day and no earlier answer has taken, spread over them in
    /// proportion. An answer that ends frees its imports for the others; one
    /// that asks for more takes more, if any is left.
    fn claim(
        &self,
        schedules: &[Arc<Schedule>],
        requests: &[Option<Request>],
    ) -> Result<Vec<Option<Claim>>> {
        let list = self.answers.list();
        let mut out: Vec<Option<Claim>> = vec![None; list.len()];
        let mut order: Vec<(Date, usize, usize)> = Vec::new();
        for (ai, r) in requests.iter().enumerate() {
            let Some(r) = r else { continue };
            let Some(first) = schedules[self.base() + ai]
                .steps()
                .iter()
                .find(|s| !s.rate().is_zero())
                .map(|s| s.effective().max(r.first_day()))
            else {
                continue;
            };
            // An answer first in force after the history claims nothing
            // any window can show.
            if first >= self.history.end() {
                continue;
            }
            let rule = &self.rules[list[ai].rule()];
            let Some(si) = self.side_of(list[ai].measure()) else {
                return Err(Error::Invalid(format!(
                    "{} has no baseline of imports from {}, so its answers cannot be valued; add a baseline {}<-{}",
                    rule.party(),
                    rule.against(),
                    rule.party(),
                    rule.against()
                ))
                .at(format!("retaliation rule {:?}", rule.id().as_str())));
            };
            order.push((first, ai, si));
        }
        order.sort();
        let mut sides: Vec<usize> = order.iter().map(|(_, _, si)| *si).collect();
        sides.sort_unstable();
        sides.dedup();
        for si in sides {
            let answering: Vec<(Date, usize)> = order
                .iter()
                .filter(|(_, _, s)| *s == si)
                .map(|(first, ai, _)| (*first, *ai))
                .collect();
            for (ai, claim) in self.claim_side(si, &answering, schedules, requests)? {
                out[ai] = Some(claim);
            }
        }
        Ok(out)
    }

    /// [`Retaliation::claim`] on one answering side, for `answering` (first
    /// day in force, answer), in priority order.
    fn claim_side(
        &self,
        si: usize,
        answering: &[(Date, usize)],
        schedules: &[Arc<Schedule>],
        requests: &[Option<Request>],
    ) -> Result<Vec<(usize, Claim)>> {
        let cells = &self.pools[si].cells;
        let baseline = &self.national[si];
        let history = self.history;
        let mut dates = vec![history.start()];
        for (first, ai) in answering {
            dates.push(*first);
            dates.extend(schedules[self.base() + ai].change_dates());
            if let Some(r) = &requests[*ai] {
                dates.extend(r.wanted.iter().map(|(d, _)| *d));
            }
        }
        for cell in cells {
            for (mi, cover) in &cell.taxing {
                dates.extend(schedules[*mi].change_dates());
                for w in cover {
                    dates.extend([w.start(), w.end()]);
                }
            }
        }
        for y in history.start().year()..=history.end().year() {
            if let Ok(d) = Date::new(y, 1, 1) {
                dates.push(d);
            }
        }
        dates.retain(|d| history.contains(*d));
        dates.sort_unstable();
        dates.dedup();

        let n = answering.len();
        let base = self.base();
        // Per answer: its rates over the history and what it asks for, each
        // read with a cursor as the dates ascend.
        let timelines: Vec<Vec<(Date, Rate)>> = answering
            .iter()
            .map(|(_, ai)| schedules[base + ai].timeline(history))
            .collect();
        let empty: Vec<(Date, Decimal)> = Vec::new();
        let wanted: Vec<&Vec<(Date, Decimal)>> = answering
            .iter()
            .map(|(_, ai)| requests[*ai].as_ref().map_or(&empty, |r| &r.wanted))
            .collect();
        let mut at_rate = vec![0usize; n];
        let mut at_want = vec![0usize; n];
        let mut slices: Vec<Vec<CellSlice>> = vec![Vec::new(); n];
        // The run each answer holds in each cell: its share and since when.
        let mut runs: Vec<Vec<Option<(Decimal, Date)>>> = vec![vec![None; cells.len()]; n];
        let mut value: Vec<Vec<(Date, Decimal)>> = vec![Vec::new(); n];
        let mut opening: Vec<Option<Decimal>> = vec![None; n];
        let mut year: Option<(i16, Vec<usize>)> = None;
        let mut untaxed = vec![false; cells.len()];
        // Per answer: the last (value taken, untaxed value) and the share it
        // gave, so a share is divided out only when one of them changes.
        let mut last: Vec<Option<(Decimal, Decimal, Decimal)>> = vec![None; n];
        for &d in &dates {
            if year.as_ref().is_none_or(|(y, _)| *y != d.year()) {
                year = Some((d.year(), baseline.annual_columns(d.year())?));
            }
            let cols = year.as_ref().map_or(&[][..], |(_, c)| c.as_slice());
            // The imports no other answer taxes today: every answer claims
            // the same share of each of them (in proportion to value).
            let mut pool = Decimal::ZERO;
            for (ci, cell) in cells.iter().enumerate() {
                let taxed = cell.taxing.iter().any(|(mi, cover)| {
                    !schedules[*mi].rate_on(d).is_zero() && cover.iter().any(|w| w.contains(d))
                });
                untaxed[ci] = !taxed;
                if taxed {
                    continue;
                }
                for c in cols {
                    pool = pool
                        .checked_add(cell.values[*c])
                        .ok_or_else(|| Error::overflow("an import value"))?;
                }
            }
            let mut left = pool;
            let mut shared = Decimal::ZERO;
            for (j, (first, _)) in answering.iter().enumerate() {
                let rate = step_at(&timelines[j], &mut at_rate[j], d).unwrap_or(Rate::ZERO);
                let asked = step_at(wanted[j], &mut at_want[j], d).unwrap_or(Decimal::ZERO);
                let live = d >= *first && !rate.is_zero();
                let take = if live {
                    asked.min(left).max(Decimal::ZERO)
                } else {
                    Decimal::ZERO
                };
                // A share of the pool; the answer that takes the last of it
                // gets exactly what is left of the share, so shares never add
                // past one (a quotient can round up in the 28th digit).
                let share = if take.is_zero() {
                    Decimal::ZERO
                } else if take == left {
                    Decimal::ONE - shared
                } else {
                    match last[j] {
                        Some((t, p, s)) if t == take && p == pool => s,
                        _ => take
                            .checked_div(pool)
                            .ok_or_else(|| Error::overflow("a retaliation share"))?
                            .min(Decimal::ONE - shared),
                    }
                };
                last[j] = Some((take, pool, share));
                left -= take;
                shared += share;
                for (ci, free) in untaxed.iter().enumerate() {
                    let share = if *free { share } else { Decimal::ZERO };
                    let run = &mut runs[j][ci];
                    if run.is_some_and(|(s, _)| s == share) {
                        continue;
                    }
                    if let Some((s, from)) = run.take() {
                        slices[j].push(CellSlice {
                            cell: ci,
                            share: s,
                            cover: vec![Window::ordered(from, d)],
                        });
                    }
                    if !share.is_zero() {
                        *run = Some((share, d));
                    }
                }
                if live && opening[j].is_none() {
                    opening[j] = Some(take);
                }
                if value[j].last().is_none_or(|(_, v)| *v != take) {
                    value[j].push((d, take));
                }
            }
        }
        let mut out = Vec::with_capacity(n);
        for (j, (_, ai)) in answering.iter().enumerate() {
            let Some(r) = &requests[*ai] else { continue };
            for (ci, run) in runs[j].iter().enumerate() {
                if let Some((share, from)) = run {
                    slices[j].push(CellSlice {
                        cell: ci,
                        share: *share,
                        cover: vec![Window::ordered(*from, history.end())],
                    });
                }
            }
            out.push((
                *ai,
                Claim {
                    side: si,
                    slices: merge_slices(std::mem::take(&mut slices[j])),
                    requested: r.requested,
                    covered: opening[j].unwrap_or(Decimal::ZERO),
                    value: std::mem::take(&mut value[j]),
                },
            ));
        }
        Ok(out)
    }

    fn finish(
        &self,
        measures: &[&Measure],
        schedules: Vec<Arc<Schedule>>,
        claims: Vec<Option<Claim>>,
    ) -> Result<AnswerSet> {
        let list = self.answers.list();
        let mut made = Vec::with_capacity(list.len());
        let mut notes = Vec::new();
        let answers: Vec<Arc<Schedule>> = schedules[self.base()..].to_vec();
        for (ai, a) in list.iter().enumerate() {
            let s = &answers[ai];
            let first = s.steps().iter().find(|x| !x.rate().is_zero());
            let is_made = first.is_some_and(|f| f.effective() < self.history.end());
            made.push(is_made);
            let Some(first) = first.filter(|_| is_made) else {
                continue;
            };
            let rule = &self.rules[a.rule()];
            let claim = claims[ai].as_ref();
            notes.push(AnswerNote {
                rule: rule.id().clone(),
                answer: a.measure().id().clone(),
                triggers: a
                    .triggers()
                    .iter()
                    .map(|t| measures[*t].id().clone())
                    .collect(),
                policy: rule.policy(),
                effective: first.effective(),
                rate: first.rate(),
                peak: s.steps().iter().map(Step::rate).max().unwrap_or(Rate::ZERO),
                requested: claim.map(|c| c.requested),
                covered: claim.map(|c| c.covered),
                schedule: s.as_ref().clone(),
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

/// The value of a step function on `d`, reading forward from `*at` (dates
/// asked in ascending order); `None` before its first step.
fn step_at<T: Copy>(steps: &[(Date, T)], at: &mut usize, d: Date) -> Option<T> {
    while *at < steps.len() && steps[*at].0 <= d {
        *at += 1;
    }
    (*at > 0).then(|| steps[*at - 1].1)
}

/// What a value-matched answer asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// The trigger date of the event answered.
    event: Date,
    lag: i64,
    /// The annual value asked for on the event's day, in the answering
    /// side's currency.
    requested: Decimal,
    /// The annual value asked for over time (answer time), by the rule's
    /// policy.
    wanted: Vec<(Date, Decimal)>,
}

impl Request {
    /// The answer's first possible day.
    fn first_day(&self) -> Date {
        jiff::Span::new()
            .try_days(self.lag)
            .ok()
            .and_then(|l| self.event.checked_add(l).ok())
            .unwrap_or(self.event)
    }
}

/// A claim's slices, one per cell and share, each over every window it
/// holds that share (adjacent windows joined).
fn merge_slices(mut slices: Vec<CellSlice>) -> Vec<CellSlice> {
    slices.sort_by(|a, b| {
        (a.cell, a.share)
            .cmp(&(b.cell, b.share))
            .then(a.cover[0].start().cmp(&b.cover[0].start()))
    });
    let mut out: Vec<CellSlice> = Vec::with_capacity(slices.len());
    for s in slices {
        match out.last_mut() {
            Some(last) if last.cell == s.cell && last.share == s.share => {
                let w = s.cover[0];
                match last.cover.last_mut() {
                    Some(prev) if prev.end() == w.start() => {
                        *prev = Window::ordered(prev.start(), w.end());
                    }
                    _ => last.cover.push(w),
                }
            }
            _ => out.push(s),
        }
    }
    out
}

/// The pointwise maximum of step functions (each zero before its first
/// step), in one sweep over their dates: O(n log n) in the number of steps,
/// however many functions.
fn max_steps(each: Vec<Vec<(Date, Rate)>>) -> Vec<(Date, Rate)> {
    if each.len() == 1 {
        return each.into_iter().next().unwrap_or_default();
    }
    let mut events: Vec<(Date, usize, Rate)> = each
        .iter()
        .enumerate()
        .flat_map(|(i, steps)| steps.iter().map(move |(d, r)| (*d, i, *r)))
        .collect();
    events.sort_unstable_by_key(|(d, i, _)| (*d, *i));
    let mut current = vec![Rate::ZERO; each.len()];
    let mut live: std::collections::BTreeMap<Rate, usize> = std::collections::BTreeMap::new();
    live.insert(Rate::ZERO, each.len());
    let mut out: Vec<(Date, Rate)> = Vec::new();
    let mut k = 0;
    while k < events.len() {
        let d = events[k].0;
        while k < events.len() && events[k].0 == d {
            let (_, i, r) = events[k];
            let old = std::mem::replace(&mut current[i], r);
            if let Some(c) = live.get_mut(&old) {
                *c -= 1;
                if *c == 0 {
                    live.remove(&old);
                }
            }
            *live.entry(r).or_insert(0) += 1;
            k += 1;
        }
        let top = live.keys().next_back().copied().unwrap_or(Rate::ZERO);
        if out.last().map_or(!top.is_zero(), |(_, x)| *x != top) {
            out.push((d, top));
        }
    }
    out
}
