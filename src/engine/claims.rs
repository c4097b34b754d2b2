//! Value-matched answers' claims on the answering side's imports: the pool
//! of untaxed imports, grouped into cells taxed alike, and the day-by-day
//! division of it among the answers, first in force first served.
//!
//! A division is kept by what it depends on ([`ClaimMemo`]), so paths whose
//! answers agree share it, and within a division an answer is worked out
//! again only on the dates where something before it changed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::answers::{Request, Retaliation};
use super::cache::Versions;
use super::plan::Slice;
use super::scaled::{Amount, Scaled, Scaling};
use crate::error::{Error, Result};
use crate::tariff::{Measure, Schedule};
use crate::trade::Baseline;
use crate::units::{Date, Rate, Window};

/// The answering side's baskets grouped by the retaliation measures (other
/// than value-matched answers) that cover them: baskets in one cell are
/// taxed alike on every day, so claims are worked out per cell.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    pub cells: Vec<Cell>,
    /// The measures taxing some cell, ascending, once each.
    pub taxing: Vec<usize>,
}

/// Claims already divided, by what a division depends on: the answering
/// side, its answers in priority order (first day, answer, the version of
/// its schedule and the address of its interned request) and the versions
/// of the measures taxing its pool. Paths whose answers agree share the
/// division.
#[derive(Default)]
pub(crate) struct ClaimMemo {
    /// Every request made, once.
    pub requests: Interned<Request>,
    divisions: rustc_hash::FxHashMap<DivisionKey, Arc<Division>>,
    /// An answer's rates over the history (day number, date, rate) and the
    /// id of the days it comes into or goes out of force, indexed by the
    /// version of its schedule.
    timelines: Vec<Option<(Arc<Timeline>, u32)>>,
    /// Ids of the days answers come into or go out of force.
    forces: rustc_hash::FxHashMap<Vec<u32>, u32>,
    /// Every claim made, once.
    claims: Interned<Claim>,
}

impl ClaimMemo {
    /// The rates over `history` of `schedule`, whose version is `version`,
    /// and the id of the days it comes into or goes out of force.
    fn timeline(
        &mut self,
        version: u32,
        schedule: &Schedule,
        history: Window,
    ) -> Result<(Arc<Timeline>, u32)> {
        // Versions are small ids from zero: the table is indexed by them.
        let slot = version as usize;
        if let Some(Some((tl, force))) = self.timelines.get(slot) {
            return Ok((Arc::clone(tl), *force));
        }
        let tl: Timeline = schedule
            .timeline(history)
            .into_iter()
            .map(|(d, r)| (day_number(d), d, r))
            .collect();
        let mut toggles = Vec::new();
        let mut in_force = false;
        for (day, _, r) in &tl {
            if r.is_zero() == in_force {
                in_force = !in_force;
                toggles.push(*day);
            }
        }
        let next = u32::try_from(self.forces.len())
            .map_err(|_| Error::overflow("the number of answer schedules"))?;
        let force = *self.forces.entry(toggles).or_insert(next);
        let tl = Arc::new(tl);
        if self.timelines.len() <= slot {
            self.timelines.resize(slot + 1, None);
        }
        self.timelines[slot] = Some((Arc::clone(&tl), force));
        Ok((tl, force))
    }
}

/// Values kept once each: equal values are one `Arc`, held as long as the
/// cache, so what is worked out from one can be kept by its address.
pub(crate) struct Interned<T>(rustc_hash::FxHashSet<Arc<T>>);

impl<T> Default for Interned<T> {
    fn default() -> Self {
        Interned(rustc_hash::FxHashSet::default())
    }
}

impl<T: Eq + std::hash::Hash> Interned<T> {
    /// The one `Arc` of values equal to `v`.
    pub fn of(&mut self, v: T) -> Arc<T> {
        if let Some(found) = self.0.get(&v) {
            return Arc::clone(found);
        }
        let v = Arc::new(v);
        self.0.insert(Arc::clone(&v));
        v
    }
}

type Timeline = Vec<(u32, Date, Rate)>;

/// The claims of one side's answers, by answer.
type Division = Vec<(usize, Arc<Claim>)>;

type DivisionKey = (usize, Vec<(Date, usize, u32, usize)>, Vec<u32>);

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
        let mut taxing: Vec<usize> = cells
            .iter()
            .flat_map(|c| c.taxing.iter().map(|(mi, _)| *mi))
            .collect();
        taxing.sort_unstable();
        taxing.dedup();
        Ok(Pool { cells, taxing })
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    pub value: Arc<Vec<(Date, Decimal)>>,
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

impl Retaliation {
    /// Claims of every value-matched answer on the pools of the answering
    /// sides, day by day: on each day the live answers, first in force
    /// first, take what they ask for out of the imports no other answer
    /// taxes that day and no earlier answer has taken, spread over them in
    /// proportion. An answer that ends frees its imports for the others; one
    /// that asks for more takes more, if any is left.
    pub(super) fn claim(
        &self,
        schedules: &[Arc<Schedule>],
        requests: &[Option<Arc<Request>>],
        versions: &mut Versions,
        memo: &mut ClaimMemo,
    ) -> Result<Vec<Option<Arc<Claim>>>> {
        let list = self.answers.list();
        let mut out: Vec<Option<Arc<Claim>>> = vec![None; list.len()];
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
            // An answer's schedule matters to a division only as in force or
            // not (see `claim_side`): answers are keyed by the days they come
            // into or go out of force, so paths whose answers differ only in
            // rates while in force share the division.
            let mut key: Vec<(Date, usize, u32, usize)> = Vec::with_capacity(answering.len());
            let mut timelines = Vec::with_capacity(answering.len());
            for (first, ai) in &answering {
                // Requests are interned: the address stands for the content.
                let request = requests[*ai]
                    .as_ref()
                    .map_or(0, |r| Arc::as_ptr(r) as usize);
                let version = versions.of(&schedules[self.base() + ai]);
                let (tl, force) =
                    memo.timeline(version, &schedules[self.base() + ai], self.history)?;
                timelines.push(tl);
                key.push((*first, *ai, force, request));
            }
            let taxing = self.pools[si]
                .taxing
                .iter()
                .map(|mi| versions.of(&schedules[*mi]))
                .collect();
            let key = (si, key, taxing);
            let claims = match memo.divisions.get(&key) {
                Some(c) => Arc::clone(c),
                None => {
                    let c: Division = self
                        .claim_side(si, &answering, &timelines, schedules, requests)?
                        .into_iter()
                        .map(|(ai, c)| (ai, memo.claims.of(c)))
                        .collect();
                    let c = Arc::new(c);
                    memo.divisions.insert(key, Arc::clone(&c));
                    c
                }
            };
            for (ai, claim) in claims.iter() {
                out[*ai] = Some(Arc::clone(claim));
            }
        }
        Ok(out)
    }

    /// [`Retaliation::claim`] on one answering side, for `answering` (first
    /// day in force, answer), in priority order, whose rates over the
    /// history are `timelines`.
    fn claim_side(
        &self,
        si: usize,
        answering: &[(Date, usize)],
        timelines: &[Arc<Timeline>],
        schedules: &[Arc<Schedule>],
        requests: &[Option<Arc<Request>>],
    ) -> Result<Vec<(usize, Claim)>> {
        let cells = &self.pools[si].cells;
        let baseline = &self.national[si];
        let history = self.history;
        // The dates anything changes on. An answer's rate matters only as
        // in force or not (what it takes depends on what it asks for), so
        // of its timeline only the dates it comes into or out of force
        // count: on a date where rates merely change, every answer takes,
        // shares and leaves what it did the day before.
        let mut dates = Vec::with_capacity(64);
        dates.push(history.start());
        for ((first, ai), tl) in answering.iter().zip(timelines) {
            dates.push(*first);
            let mut in_force = false;
            for (_, d, r) in tl.iter() {
                if r.is_zero() == in_force {
                    in_force = !in_force;
                    dates.push(*d);
                }
            }
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
        // Sorted by day number: one compare of integers instead of three.
        let mut numbered: Vec<(u32, Date)> = dates
            .into_iter()
            .filter(|d| history.contains(*d))
            .map(|d| (day_number(d), d))
            .collect();
        numbered.sort_unstable_by_key(|(n, _)| *n);
        numbered.dedup_by_key(|(n, _)| *n);
        let dates: Vec<Date> = numbered.into_iter().map(|(_, d)| d).collect();

        let n = answering.len();
        let empty: Vec<(Date, Decimal)> = Vec::new();
        let wanted: Vec<&Vec<(Date, Decimal)>> = answering
            .iter()
            .map(|(_, ai)| requests[*ai].as_ref().map_or(&empty, |r| &r.wanted))
            .collect();
        // Whether each cell is taxed by another answer, on each date.
        let mut taxed = Vec::with_capacity(dates.len() * cells.len());
        for &d in &dates {
            for cell in cells {
                taxed.push(cell.taxing.iter().any(|(mi, cover)| {
                    !schedules[*mi].rate_on(d).is_zero() && cover.iter().any(|w| w.contains(d))
                }));
            }
        }
        let days = Days {
            dates: &dates,
            first: answering.iter().map(|(f, _)| day_number(*f)).collect(),
            timelines,
            taxed: &taxed,
            years: &self.years[si],
            baseline,
        };
        // Amounts are only added, subtracted and compared: as integers at
        // one scale when they fit, as `Decimal`s otherwise (the same result).
        let scaling = Scaling::of(
            cells
                .iter()
                .flat_map(|c| c.values.iter())
                .chain(wanted.iter().flat_map(|w| w.iter().map(|(_, v)| v))),
        );
        let values: Option<Vec<Vec<Scaled>>> = cells
            .iter()
            .map(|c| c.values.iter().map(|v| scaling.scaled(*v)).collect())
            .collect();
        // Every answer's asks, one after another, ending at `ends`.
        let ends: Vec<usize> = wanted
            .iter()
            .scan(0, |end, w| {
                *end += w.len();
                Some(*end)
            })
            .collect();
        let asks: Option<Vec<(u32, Scaled)>> = wanted
            .iter()
            .flat_map(|w| w.iter())
            .map(|(d, v)| Some((day_number(*d), scaling.scaled(*v)?)))
            .collect();
        let divided = match (values, asks) {
            (Some(values), Some(asks)) => days.divide(&values, (&asks, &ends))?,
            _ => None,
        };
        let in_decimals = || -> Result<Divided> {
            let values: Vec<Vec<Decimal>> = cells.iter().map(|c| c.values.clone()).collect();
            let asks: Vec<(u32, Decimal)> = wanted
                .iter()
                .flat_map(|w| w.iter())
                .map(|(d, v)| (day_number(*d), *v))
                .collect();
            days.divide(&values, (&asks, &ends))?
                .ok_or_else(|| Error::overflow("an import value"))
        };
        let mut divided = match divided {
            Some(d) => {
                // Checked in debug builds: integers give the very Decimals
                // (down to their trailing zeros) that Decimals give.
                #[cfg(debug_assertions)]
                assert_eq!(format!("{d:?}"), format!("{:?}", in_decimals()?));
                d
            }
            None => in_decimals()?,
        };
        let mut out = Vec::with_capacity(n);
        for (j, (_, ai)) in answering.iter().enumerate() {
            let Some(r) = &requests[*ai] else { continue };
            let slices = &mut divided.slices;
            for (ci, run) in divided.runs[j * cells.len()..(j + 1) * cells.len()]
                .iter()
                .enumerate()
            {
                if let Some((share, from)) = run {
                    slices[j].push((ci, *share, Window::ordered(*from, history.end())));
                }
            }
            out.push((
                *ai,
                Claim {
                    side: si,
                    slices: merge_slices(std::mem::take(&mut slices[j])),
                    requested: r.requested,
                    covered: divided.opening[j].unwrap_or(Decimal::ZERO),
                    value: Arc::new(std::mem::take(&mut divided.value[j])),
                },
            ));
        }
        Ok(out)
    }
}

/// The dates a side's claims are worked out on, and what does not depend
/// on the amounts: each answer's first day and rates, and which cells
/// another answer taxes on each date (`dates.len()` rows of cells).
struct Days<'a> {
    dates: &'a [Date],
    first: Vec<u32>,
    timelines: &'a [Arc<Timeline>],
    taxed: &'a [bool],
    years: &'a [(i16, Vec<usize>)],
    baseline: &'a Baseline,
}

/// The day-by-day division of a pool among its answers: per answer, the
/// slices it has held, the run it holds at the end in each cell (share,
/// since when), the value it takes over time and on its first day.
#[derive(Debug)]
struct Divided {
    slices: Vec<Vec<(usize, Decimal, Window)>>,
    /// `cells` runs per answer, one after another.
    runs: Vec<Option<(Decimal, Date)>>,
    value: Vec<Vec<(Date, Decimal)>>,
    opening: Vec<Option<Decimal>>,
}

impl Days<'_> {
    /// On each date the live answers, in order, take what they ask for
    /// (`asks`) out of what is left of the untaxed cells' `values` (per
    /// period column). `None` when an amount leaves the range of `A` (for
    /// `Decimal`, when a sum overflows).
    fn divide<A: Amount>(
        &self,
        values: &[Vec<A>],
        (asks, ends): (&[(u32, A)], &[usize]),
    ) -> Result<Option<Divided>> {
        let n = ends.len();
        let asks_of = |j: usize| &asks[j.checked_sub(1).map_or(0, |p| ends[p])..ends[j]];
        let cells = values.len();
        let mut at_rate = vec![0usize; n];
        let mut at_want = vec![0usize; n];
        // The runs each answer has ended: cell, share and window.
        let mut slices: Vec<Vec<(usize, Decimal, Window)>> = vec![Vec::new(); n];
        // The run each answer holds in each cell: its share and since when.
        let mut runs: Vec<Option<(Decimal, Date)>> = vec![None; n * cells];
        let mut value: Vec<Vec<(Date, Decimal)>> = vec![Vec::new(); n];
        let mut last_value: Vec<Option<A>> = vec![None; n];
        let mut opening: Vec<Option<Decimal>> = vec![None; n];
        let mut year: Option<(i16, Cow<'_, [usize]>)> = None;
        // Per answer: the last (value taken, untaxed value) and the share it
        // gave, so a share is divided out only when one of them changes.
        let mut last: Vec<Option<(A, A, Decimal)>> = vec![None; n];
        // Today's shares, added up (in answer order) only when needed.
        let mut shares = vec![Decimal::ZERO; n];
        // Whether each answer was out of force on the date it was last
        // looked at (and so has nothing left to close).
        let mut idle = vec![false; n];
        // Per answer, as last worked out: whether it was live, what it
        // asked, and what it left of the pool. On a date where nothing
        // before it changed (the pool, which cells are taxed, an earlier
        // answer's take or share) and it is as live and asks as much, it
        // takes, shares and leaves what it did: it is not worked out again.
        let mut was: Vec<Option<(bool, A, A)>> = vec![None; n];
        let mut last_pool: Option<A> = None;
        for (di, &d) in self.dates.iter().enumerate() {
            let day = day_number(d);
            if year.as_ref().is_none_or(|(y, _)| *y != d.year()) {
                year = Some((d.year(), columns_in(self.years, self.baseline, d.year())?));
            }
            let cols = year.as_ref().map_or(&[][..], |(_, c)| c.as_ref());
            let untaxed = |ci: usize| !self.taxed[di * cells + ci];
            // The imports no other answer taxes today: every answer claims
            // the same share of each of them (in proportion to value).
            let mut pool = A::ZERO;
            for (ci, cell) in values.iter().enumerate() {
                if !untaxed(ci) {
                    continue;
                }
                for c in cols {
                    let Some(p) = pool.plus(cell[*c]) else {
                        return Ok(None);
                    };
                    pool = p;
                }
            }
            let row = &self.taxed[di * cells..(di + 1) * cells];
            let mut changed = last_pool != Some(pool)
                || di == 0
                || self.taxed[(di - 1) * cells..di * cells] != *row;
            last_pool = Some(pool);
            let mut left = pool;
            let mut shared = Decimal::ZERO;
            let mut shared_upto = 0;
            for j in 0..n {
                let rate = step_at(&self.timelines[j], &mut at_rate[j], day, |s| (s.0, s.2))
                    .unwrap_or(Rate::ZERO);
                let live = day >= self.first[j] && !rate.is_zero();
                if !live && idle[j] {
                    // Out of force again: it takes nothing, holds no run and
                    // already shows a zero value; only what is left becomes
                    // what `left - 0` gives.
                    shares[j] = Decimal::ZERO;
                    if left.is_zero() {
                        left = A::ZERO;
                    }
                    continue;
                }
                idle[j] = !live;
                let asked = step_at(asks_of(j), &mut at_want[j], day, |s| *s).unwrap_or(A::ZERO);
                if let Some((l, a, after)) = was[j]
                    && !changed
                    && l == live
                    && a == asked
                {
                    left = after;
                    continue;
                }
                let take = if live {
                    asked.least(left).most(A::ZERO)
                } else {
                    A::ZERO
                };
                // A share of the pool; the answer that takes the last of it
                // gets exactly what is left of the share, so shares never add
                // past one (a quotient can round up in the 28th digit).
                let share = if take.is_zero() {
                    Decimal::ZERO
                } else {
                    match last[j] {
                        Some((t, p, s)) if take != left && t == take && p == pool => s,
                        _ => {
                            for s in &shares[shared_upto..j] {
                                if !s.is_zero() {
                                    shared += *s;
                                }
                            }
                            shared_upto = j;
                            if take == left {
                                Decimal::ONE - shared
                            } else {
                                take.decimal()
                                    .checked_div(pool.decimal())
                                    .ok_or_else(|| Error::overflow("a retaliation share"))?
                                    .min(Decimal::ONE - shared)
                            }
                        }
                    }
                };
                changed |= last[j].is_none_or(|(t, _, s)| t != take || s != share);
                last[j] = Some((take, pool, share));
                shares[j] = share;
                let Some(l) = left.minus(take) else {
                    return Ok(None);
                };
                left = l;
                was[j] = Some((live, asked, left));
                for (ci, run) in runs[j * cells..(j + 1) * cells].iter_mut().enumerate() {
                    let share = if untaxed(ci) { share } else { Decimal::ZERO };
                    if run.is_some_and(|(s, _)| s == share) {
                        continue;
                    }
                    if let Some((s, from)) = run.take() {
                        slices[j].push((ci, s, Window::ordered(from, d)));
                    }
                    if !share.is_zero() {
                        *run = Some((share, d));
                    }
                }
                if live && opening[j].is_none() {
                    opening[j] = Some(take.decimal());
                }
                if last_value[j].is_none_or(|v| v != take) {
                    last_value[j] = Some(take);
                    value[j].push((d, take.decimal()));
                }
            }
        }
        Ok(Some(Divided {
            slices,
            runs,
            value,
            opening,
        }))
    }
}

/// The value of a step function on day `d`, reading forward from `*at`
/// (days asked in ascending order); `None` before its first step. `part`
/// reads a step's day and value.
fn step_at<S, T>(steps: &[S], at: &mut usize, d: u32, part: impl Fn(&S) -> (u32, T)) -> Option<T> {
    while *at < steps.len() && part(&steps[*at]).0 <= d {
        *at += 1;
    }
    (*at > 0).then(|| part(&steps[*at - 1]).1)
}

/// The period columns adding up to `year` on `baseline`: from `years`, the
/// table made once, or — for a year the baseline does not cover — the gap,
/// as an error.
pub(super) fn columns_in<'a>(
    years: &'a [(i16, Vec<usize>)],
    baseline: &Baseline,
    year: i16,
) -> Result<Cow<'a, [usize]>> {
    match years.iter().find(|(y, _)| *y == year) {
        Some((_, c)) => Ok(Cow::Borrowed(c.as_slice())),
        None => baseline.annual_columns(year).map(Cow::Owned),
    }
}

/// A number for each date, in the dates' order (one compare instead of
/// three).
fn day_number(d: Date) -> u32 {
    // Years are -9999..=9999 in `jiff`: shifted to be non-negative.
    let year = u32::try_from(i32::from(d.year()) + 10_000).unwrap_or(0);
    (year << 9) | (u32::from(d.month().unsigned_abs()) << 5) | u32::from(d.day().unsigned_abs())
}

/// A claim's slices, one per cell and share, each over every window it
/// holds that share (adjacent windows joined).
fn merge_slices(mut runs: Vec<(usize, Decimal, Window)>) -> Vec<CellSlice> {
    runs.sort_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then(a.2.start().cmp(&b.2.start()))
    });
    let mut out: Vec<CellSlice> = Vec::new();
    for (cell, share, w) in runs {
        match out.last_mut() {
            Some(last) if last.cell == cell && last.share == share => match last.cover.last_mut() {
                Some(prev) if prev.end() == w.start() => {
                    *prev = Window::ordered(prev.start(), w.end());
                }
                _ => last.cover.push(w),
            },
            _ => out.push(CellSlice {
                cell,
                share,
                cover: vec![w],
            }),
        }
    }
    out
}
