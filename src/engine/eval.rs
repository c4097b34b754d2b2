//! Exact evaluation of a prepared plan over a window.
//!
//! The window is cut at every month start, every date a schedule, a coverage
//! window or a stacking rule changes; inside each piece every rate is
//! constant, so the duty of a piece is `daily value × rate × days`, with the
//! daily value held exactly in accrual units (see [`crate::units::Accrued`]).

use rust_decimal::Decimal;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::exposure::{Detail, Exposure, SideExposure};
use super::groups::GroupPlan;
use super::plan::Plan;
use super::side::{MeasureFacts, SideScratch, on_side, side_base, side_exposure, side_imports};
use super::walk::{Walk, base_points_into};
use crate::error::{Error, Result};
use crate::tariff::{BaseRates, Heading, Measure, Schedule};
use crate::trade::Baseline;
use crate::units::{
    ACCRUAL_DENOMINATOR, Accrued, Date, ExactSum, Month, Rate, Window, days_between,
};

/// The months of a window and where each starts (clipped to the window).
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub window: Window,
    pub months: Vec<Month>,
    /// First day of each month inside the window.
    pub starts: Vec<Date>,
    /// Days of each month inside the window.
    pub days: Vec<i64>,
}

impl Grid {
    pub fn new(window: Window) -> Result<Grid> {
        let mut months = Vec::new();
        let mut starts = Vec::new();
        let mut days = Vec::new();
        let mut d = window.start();
        while d < window.end() {
            let m = Month::of(d);
            let next = m
                .next_first_day()
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "window {window} runs past the last representable date"
                    ))
                })?
                .min(window.end());
            months.push(m);
            starts.push(d);
            days.push(days_between(d, next));
            d = next;
        }
        Ok(Grid {
            window,
            months,
            starts,
            days,
        })
    }

    /// The index of the month holding `date` (a date inside the window).
    pub fn month_index(&self, date: Date) -> usize {
        self.starts
            .partition_point(|s| *s <= date)
            .saturating_sub(1)
    }
}

/// Per month of the grid: which period column of a baseline applies, and the
/// factor `ACCRUAL_DENOMINATOR / period days` turning a value into daily units.
pub(crate) fn month_factors(baseline: &Baseline, grid: &Grid) -> Result<Vec<(usize, Decimal)>> {
    grid.starts
        .iter()
        .map(|d| {
            let (col, days) = baseline.period_of(*d)?;
            Ok((col, Decimal::from(ACCRUAL_DENOMINATOR / days)))
        })
        .collect()
}

/// What one group contributes: duty per group measure per month and over
/// the window, the same summed per side layer, and (when kept) the
/// rate-days per group class. Paths that share a group's schedules share
/// its result, so these sums are made once, not once per path.
#[derive(Debug, Clone)]
pub(crate) struct GroupResult {
    /// Per group measure: its heading, its duty per month and in total,
    /// shared by every path's report of it.
    pub rows: Vec<Arc<MeasureRow>>,
    pub layers: Vec<LayerSum>,
    pub rate_days: Vec<Vec<Vec<Decimal>>>,
    /// The exact sums of its layers' duty, made on first use.
    sums: OnceLock<GroupSums>,
    /// Whether a side has added it up before, or is to take its sums
    /// whenever it does ([`GroupResult::sums_if_shared`]).
    met: Met,
}

/// Whether a group result was met before: a flag that clones with its
/// value.
#[derive(Debug)]
struct Met(AtomicBool);

impl Clone for Met {
    fn clone(&self) -> Met {
        Met(AtomicBool::new(self.0.load(Ordering::Relaxed)))
    }
}

/// A group result's duty over all its layers in each month, exactly and
/// unrounded: what a side adds up its months from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GroupSums {
    /// In each month.
    pub months: Box<[ExactSum]>,
}

impl GroupResult {
    /// A group's result from its rows, layers and rate-days.
    pub fn new(
        rows: Vec<Arc<MeasureRow>>,
        layers: Vec<LayerSum>,
        rate_days: Vec<Vec<Vec<Decimal>>>,
    ) -> GroupResult {
        GroupResult {
            rows,
            layers,
            rate_days,
            sums: OnceLock::new(),
            met: Met(AtomicBool::new(true)),
        }
    }

    /// The same result, to be added up from its layers' months the first
    /// time a side meets it rather than from sums made for it: for a
    /// result that most likely serves one path (a linear group's, see
    /// [`super::linear`]).
    pub fn summed_when_shared(self) -> GroupResult {
        self.met.0.store(false, Ordering::Relaxed);
        self
    }

    /// Its sums ([`GroupResult::sums`]), except the first time a side asks
    /// for those of a result [`GroupResult::summed_when_shared`]: then
    /// `None`, and the side adds up its layers' months directly. The
    /// exact sums are the same either way ([`ExactSum::merge`]).
    pub fn sums_if_shared(&self) -> Option<&GroupSums> {
        match self.sums.get() {
            Some(sums) => Some(sums),
            None if self.met.0.swap(true, Ordering::Relaxed) => Some(self.sums()),
            None => None,
        }
    }

    /// Its exact sums per month, made once.
    pub fn sums(&self) -> &GroupSums {
        self.sums.get_or_init(|| {
            let count = self.layers.first().map_or(0, |l| l.by_month.len());
            let mut months = vec![ExactSum::new(); count];
            for l in &self.layers {
                for (sum, a) in months.iter_mut().zip(l.by_month.iter()) {
                    sum.add(a.units());
                }
            }
            GroupSums {
                months: months.into(),
            }
        })
    }
}

/// One measure's duty under one group result: what every path sharing the
/// result reports of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MeasureRow {
    pub heading: Arc<Heading>,
    pub by_month: Arc<[Accrued]>,
    pub gross: Accrued,
}

/// A group's duty in one side layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LayerSum {
    /// The side layer.
    pub layer: usize,
    pub by_month: Arc<[Accrued]>,
    pub total: Accrued,
}

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    crate::units::exact_add(a, b).ok_or_else(|| Error::overflow("accrued duty"))
}

/// The exact sum of `terms`, rounded once ([`ExactSum`]).
pub(crate) fn exact_total(terms: impl IntoIterator<Item = Decimal>) -> Result<Decimal> {
    let mut sum = ExactSum::new();
    for t in terms {
        sum.add(t);
    }
    sum.total()
        .ok_or_else(|| Error::overflow("a sum of accrued duty"))
}

/// `a × b` as [`Decimal::checked_mul`] gives it ([`crate::units::exact_mul`]).
pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    crate::units::exact_mul(a, b).ok_or_else(|| Error::overflow("accrued duty"))
}

/// The buffers a group's evaluation works in, kept from one evaluation to
/// the next: a month memo evaluates thousands of months of one group, each
/// of which would otherwise allocate them anew.
#[derive(Default)]
pub(crate) struct GroupScratch {
    timelines: Vec<Vec<(Date, Rate)>>,
    points: Vec<Date>,
    /// Rate-days per group measure and month (row-major), zeroed for each
    /// class where its walk left any.
    rd: Vec<Decimal>,
    /// Duty per group measure and month (row-major): what the last
    /// evaluation gave.
    pub duty: Vec<Decimal>,
    walk: Walk,
}

impl GroupScratch {
    /// Evaluates `group` under `schedules` (aligned with its measures)
    /// into [`GroupScratch::duty`], pushing each class's rate-days per
    /// group measure and month onto `kept` when given.
    pub fn eval(
        &mut self,
        group: &GroupPlan,
        schedules: &[&Schedule],
        grid: &Grid,
        factors: &[(usize, Decimal)],
        mut kept: Option<&mut Vec<Vec<Vec<Decimal>>>>,
    ) -> Result<()> {
        let n = group.measures.len();
        let months = grid.months.len();
        let GroupScratch {
            timelines,
            points,
            rd,
            duty,
            walk,
        } = self;
        timelines.truncate(n);
        timelines.resize_with(n, Vec::new);
        for (tl, s) in timelines.iter_mut().zip(schedules) {
            s.timeline_into(grid.window, tl);
        }
        base_points_into(group, timelines, grid, points);
        for v in [&mut *duty, &mut *rd] {
            v.clear();
            v.resize(n * months, Decimal::ZERO);
        }
        for (gc, class) in group.classes.iter().enumerate() {
            walk.class(group, gc, timelines, points, grid, |_, k, days, rates| {
                let days = Decimal::from(days);
                for (&i, &r) in class.active.iter().zip(rates) {
                    if !r.is_zero() {
                        let cell = &mut rd[i * months + k];
                        *cell = add(*cell, mul(r.as_fraction(), days)?)?;
                    }
                }
                Ok(())
            })?;
            let values = &class.values;
            for k in 0..months {
                let (col, f) = factors[k];
                let dv = mul(values[col], f)?;
                for &i in &class.active {
                    let cell = rd[i * months + k];
                    if !cell.is_zero() {
                        let at = i * months + k;
                        duty[at] = add(duty[at], mul(dv, cell)?)?;
                    }
                }
            }
            if let Some(kept) = kept.as_deref_mut() {
                kept.push(
                    (0..n)
                        .map(|i| rd[i * months..(i + 1) * months].to_vec())
                        .collect(),
                );
            }
            for &i in &class.active {
                rd[i * months..(i + 1) * months].fill(Decimal::ZERO);
            }
        }
        Ok(())
    }
}

/// Evaluates one group for the given schedules (aligned with the group's
/// measures).
pub(crate) fn eval_group(
    group: &GroupPlan,
    schedules: &[&Schedule],
    grid: &Grid,
    factors: &[(usize, Decimal)],
    keep_rate_days: bool,
) -> Result<GroupResult> {
    let months = grid.months.len();
    let mut scratch = GroupScratch::default();
    let mut kept = Vec::new();
    scratch.eval(
        group,
        schedules,
        grid,
        factors,
        keep_rate_days.then_some(&mut kept),
    )?;
    let duty = if months == 0 {
        vec![Vec::new(); group.measures.len()]
    } else {
        scratch
            .duty
            .chunks(months)
            .map(<[Decimal]>::to_vec)
            .collect()
    };
    result_of(&group.headings, &group.layer_of, duty, kept)
}

/// A group's result from its duty per group measure (whose headings are
/// `headings` and side layers `layer_of`) and month: totals, the same
/// summed per layer, and the rate-days `kept` per class.
fn result_of(
    headings: &[Arc<Heading>],
    layer_of: &[usize],
    duty: Vec<Vec<Decimal>>,
    kept: Vec<Vec<Vec<Decimal>>>,
) -> Result<GroupResult> {
    let months = duty.first().map_or(0, Vec::len);
    let mut totals = Vec::with_capacity(duty.len());
    for row in &duty {
        totals.push(Accrued::from_units(exact_total(row.iter().copied())?));
    }
    let by_measure: Vec<Arc<[Accrued]>> = duty
        .iter()
        .map(|row| row.iter().map(|u| Accrued::from_units(*u)).collect())
        .collect();
    // Layers in the order of their first measure. A layer of one measure
    // is that measure's row and total: adding its months to zeros, and its
    // zeros to the sum, gives back the very same `Decimal`s.
    let mut layers: Vec<LayerSum> = Vec::new();
    for (i, layer) in layer_of.iter().enumerate() {
        if layers.iter().any(|l| l.layer == *layer) {
            continue;
        }
        // `i` is the layer's first measure.
        if !layer_of[i + 1..].contains(layer) {
            layers.push(LayerSum {
                layer: *layer,
                by_month: Arc::clone(&by_measure[i]),
                total: totals[i],
            });
            continue;
        }
        let mut row = vec![ExactSum::new(); months];
        for j in (i..duty.len()).filter(|j| layer_of[*j] == *layer) {
            for (cell, u) in row.iter_mut().zip(&duty[j]) {
                cell.add(*u);
            }
        }
        let row = row
            .iter()
            .map(|cell| {
                cell.total()
                    .ok_or_else(|| Error::overflow("a sum of accrued duty"))
            })
            .collect::<Result<Vec<Decimal>>>()?;
        let total = exact_total(row.iter().copied())?;
        layers.push(LayerSum {
            layer: *layer,
            by_month: row.into_iter().map(Accrued::from_units).collect(),
            total: Accrued::from_units(total),
        });
    }
    Ok(GroupResult::new(
        rows_of(headings, by_measure, totals),
        layers,
        kept,
    ))
}

/// Each measure's row from its heading, months and total.
pub(crate) fn rows_of(
    headings: &[Arc<Heading>],
    by_measure: Vec<Arc<[Accrued]>>,
    totals: Vec<Accrued>,
) -> Vec<Arc<MeasureRow>> {
    headings
        .iter()
        .zip(by_measure)
        .zip(totals)
        .map(|((h, by_month), gross)| {
            Arc::new(MeasureRow {
                heading: Arc::clone(h),
                by_month,
                gross,
            })
        })
        .collect()
}

/// [`eval_group`] of a group of one measure (in side layer `layer`) under
/// no stacking rule, whose classes are `classes` (the windows each is
/// covered over, nothing netted, and its values): the same result, worked
/// out over the pieces of the measure's timeline inside each cover window,
/// month by month, without the general walk. Rate-days are sums of
/// `rate × days`, exact whichever way a window is cut, and the duty is then
/// made exactly as [`eval_group`] makes it.
pub(crate) fn eval_alone(
    heading: &Arc<Heading>,
    layer: usize,
    schedule: &Schedule,
    classes: &[(Vec<Window>, Vec<Decimal>)],
    grid: &Grid,
    factors: &[(usize, Decimal)],
) -> Result<GroupResult> {
    let months = grid.months.len();
    let w = grid.window;
    let tl = schedule.timeline(w);
    let mut duty = vec![Decimal::ZERO; months];
    let mut rd = vec![Decimal::ZERO; months];
    for (cover, values) in classes {
        rd.fill(Decimal::ZERO);
        for c in cover {
            let (a, b) = (c.start().max(w.start()), c.end().min(w.end()));
            for (pi, (from, rate)) in tl.iter().enumerate() {
                let to = tl.get(pi + 1).map_or(w.end(), |x| x.0);
                let (mut d, end) = ((*from).max(a), to.min(b));
                // Nothing is netted: the rate is the schedule's.
                let r = *rate;
                if r.is_zero() {
                    continue;
                }
                let mut k = grid.month_index(d);
                while d < end {
                    let next = grid.starts.get(k + 1).map_or(end, |x| (*x).min(end));
                    let days = Decimal::from(days_between(d, next));
                    rd[k] = add(rd[k], mul(r.as_fraction(), days)?)?;
                    d = next;
                    k += 1;
                }
            }
        }
        for (k, cell) in rd.iter().enumerate() {
            if !cell.is_zero() {
                let (col, f) = factors[k];
                duty[k] = add(duty[k], mul(mul(values[col], f)?, *cell)?)?;
            }
        }
    }
    result_of(
        std::slice::from_ref(heading),
        &[layer],
        vec![duty],
        Vec::new(),
    )
}

/// Static exposure of `measures` on `baselines` over `window`: every measure
/// with its own schedule (announced steps do not count).
pub(crate) fn static_exposure(
    baselines: &[Baseline],
    base_rates: &[BaseRates],
    measures: &[&Measure],
    plan: &Plan,
    window: Window,
    detail: Detail,
) -> Result<Exposure> {
    let grid = Grid::new(window)?;
    let mut sides = Vec::with_capacity(plan.sides.len());
    for side in &plan.sides {
        let baseline = &baselines[side.baseline];
        let one = || -> Result<SideExposure> {
            let factors = month_factors(baseline, &grid)?;
            let mut results = Vec::with_capacity(side.groups.len());
            for g in &side.groups {
                let schedules: Vec<&Schedule> = g
                    .measures
                    .iter()
                    .map(|li| measures[side.measures[*li]].schedule())
                    .collect();
                results.push(eval_group(
                    g,
                    &schedules,
                    &grid,
                    &factors,
                    detail == Detail::Baskets,
                )?);
            }
            let imports = side_imports(side, &grid, &factors)?;
            let rates = super::plan::base_of(base_rates, baseline);
            let base = side_base(baseline, rates, &grid, &factors)?;
            side_exposure(
                side,
                baseline,
                measures,
                &grid,
                &factors,
                detail,
                &results,
                &imports,
                base,
                |_| MeasureFacts::PLAIN,
                &mut SideScratch::default(),
            )
        };
        sides.push(one().map_err(|e| on_side(e, baseline))?);
    }
    Ok(Exposure {
        window,
        months: grid.months.clone().into(),
        sides,
        unvalued: plan
            .unvalued
            .iter()
            .map(|i| measures[*i].id().clone())
            .collect(),
    })
}
