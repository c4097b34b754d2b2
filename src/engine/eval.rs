//! Exact evaluation of a prepared plan over a window.
//!
//! The window is cut at every month start, every date a schedule, a coverage
//! window or a stacking rule changes; inside each piece every rate is
//! constant, so the duty of a piece is `daily value × rate × days`, with the
//! daily value held exactly in accrual units (see [`crate::units::Accrued`]).

use rust_decimal::Decimal;

use std::sync::Arc;

use super::exposure::{
    BasketExposure, Detail, Exposure, LayerExposure, MeasureExposure, SideExposure, Valuation, sum,
};
use super::plan::{GroupPlan, GroupRule, Plan, SidePlan};
use crate::error::{Error, Result};
use crate::tariff::{Measure, Schedule};
use crate::trade::Baseline;
use crate::units::{ACCRUAL_DENOMINATOR, Accrued, Date, Month, Rate, Window, days_between};

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
    fn month_index(&self, date: Date) -> usize {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GroupResult {
    pub by_measure: Vec<Arc<[Accrued]>>,
    pub totals: Vec<Accrued>,
    pub layers: Vec<LayerSum>,
    pub rate_days: Vec<Vec<Vec<Decimal>>>,
}

/// A group's duty in one side layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LayerSum {
    /// The side layer.
    pub layer: usize,
    pub by_month: Arc<[Accrued]>,
    pub total: Accrued,
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| Error::overflow("accrued duty"))
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b)
        .ok_or_else(|| Error::overflow("accrued duty"))
}

/// The rates each group measure contributes on a day, after stacking rules.
pub(crate) fn stack(rules: &[GroupRule], day: Date, rates: &mut [Rate]) {
    if rules.is_empty() {
        return;
    }
    // Which exclusive rules win, decided on the rates before any exclusion
    // (so rule order never matters), then applied.
    let wins = |rule: &GroupRule, rates: &[Rate]| match rule {
        GroupRule::Exclusive { over, window, .. } => {
            window.contains(day) && over.iter().zip(rates).any(|(o, r)| *o && !r.is_zero())
        }
        GroupRule::Highest { .. } => false,
    };
    let mut small = [false; 16];
    let mut large = Vec::new();
    let won: &mut [bool] = if rules.len() <= small.len() {
        &mut small[..rules.len()]
    } else {
        large.resize(rules.len(), false);
        &mut large
    };
    for (w, rule) in won.iter_mut().zip(rules) {
        *w = wins(rule, rates);
    }
    for (rule, w) in rules.iter().zip(won.iter()) {
        if let (GroupRule::Exclusive { over, excluded, .. }, true) = (rule, *w) {
            for (i, r) in rates.iter_mut().enumerate() {
                if excluded[i] && !over[i] {
                    *r = Rate::ZERO;
                }
            }
        }
    }
    for rule in rules {
        if let GroupRule::Highest { among, window } = rule {
            if !window.contains(day) {
                continue;
            }
            let best = rates.iter().enumerate().filter(|(i, _)| among[*i]).fold(
                None::<(usize, Rate)>,
                |acc, (i, r)| match acc {
                    Some((_, b)) if b >= *r => acc,
                    _ => Some((i, *r)),
                },
            );
            if let Some((keep, _)) = best {
                for (i, r) in rates.iter_mut().enumerate() {
                    if among[i] && i != keep {
                        *r = Rate::ZERO;
                    }
                }
            }
        }
    }
}

/// Walks the pieces of the window for one group class, calling `visit` with
/// the piece's start, its month index, its days and the stacked rates.
pub(crate) fn walk_class(
    group: &GroupPlan,
    gc: usize,
    timelines: &[Vec<(Date, Rate)>],
    base_points: &[Date],
    grid: &Grid,
    mut visit: impl FnMut(Date, usize, i64, &[Rate]) -> Result<()>,
) -> Result<()> {
    let class = &group.classes[gc];
    let window = grid.window;
    let mut points: Vec<Date> = base_points.to_vec();
    let mut extra = false;
    for cover in &class.cover {
        for w in cover {
            for d in [w.start(), w.end()] {
                if d > window.start() && d < window.end() {
                    points.push(d);
                    extra = true;
                }
            }
        }
    }
    if extra {
        points.sort_unstable();
        points.dedup();
    }
    let n = group.measures.len();
    let mut rates = vec![Rate::ZERO; n];
    let mut cursor = vec![0usize; n];
    for (pi, &a) in points.iter().enumerate() {
        let b = points.get(pi + 1).copied().unwrap_or(window.end());
        let days = days_between(a, b);
        if days <= 0 {
            continue;
        }
        for i in 0..n {
            let tl = &timelines[i];
            while cursor[i] + 1 < tl.len() && tl[cursor[i] + 1].0 <= a {
                cursor[i] += 1;
            }
            let covered = class.cover[i].iter().any(|w| w.contains(a));
            rates[i] = if covered { tl[cursor[i]].1 } else { Rate::ZERO };
        }
        stack(&group.rules, a, &mut rates);
        visit(a, grid.month_index(a), days, &rates)?;
    }
    Ok(())
}

/// The dates every class of a group is cut at: month starts, schedule
/// changes and stacking-rule edges inside the window.
pub(crate) fn base_points(
    group: &GroupPlan,
    timelines: &[Vec<(Date, Rate)>],
    grid: &Grid,
) -> Vec<Date> {
    let w = grid.window;
    let mut points: Vec<Date> = grid.starts.clone();
    for tl in timelines {
        points.extend(tl.iter().map(|(d, _)| *d));
    }
    for r in &group.rules {
        for d in [r.window().start(), r.window().end()] {
            if d > w.start() && d < w.end() {
                points.push(d);
            }
        }
    }
    points.sort_unstable();
    points.dedup();
    points
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
    let n = group.measures.len();
    let months = grid.months.len();
    let timelines: Vec<Vec<(Date, Rate)>> =
        schedules.iter().map(|s| s.timeline(grid.window)).collect();
    let points = base_points(group, &timelines, grid);
    let mut duty = vec![vec![Decimal::ZERO; months]; n];
    let mut kept = Vec::new();
    for gc in 0..group.classes.len() {
        let mut rd = vec![vec![Decimal::ZERO; months]; n];
        walk_class(group, gc, &timelines, &points, grid, |_, k, days, rates| {
            let days = Decimal::from(days);
            for (i, r) in rates.iter().enumerate() {
                if !r.is_zero() {
                    rd[i][k] = add(rd[i][k], mul(r.as_fraction(), days)?)?;
                }
            }
            Ok(())
        })?;
        let values = &group.classes[gc].values;
        for k in 0..months {
            let (col, f) = factors[k];
            let dv = mul(values[col], f)?;
            for i in 0..n {
                if !rd[i][k].is_zero() {
                    duty[i][k] = add(duty[i][k], mul(dv, rd[i][k])?)?;
                }
            }
        }
        if keep_rate_days {
            kept.push(rd);
        }
    }
    let mut totals = Vec::with_capacity(n);
    let mut layer_rows: Vec<(usize, Vec<Decimal>)> = Vec::new();
    for (i, row) in duty.iter().enumerate() {
        let layer = group.layer_of[i];
        let li = match layer_rows.iter().position(|(l, _)| *l == layer) {
            Some(li) => li,
            None => {
                layer_rows.push((layer, vec![Decimal::ZERO; months]));
                layer_rows.len() - 1
            }
        };
        let mut t = Decimal::ZERO;
        for (k, u) in row.iter().enumerate() {
            if !u.is_zero() {
                t = add(t, *u)?;
                layer_rows[li].1[k] = add(layer_rows[li].1[k], *u)?;
            }
        }
        totals.push(Accrued::from_units(t));
    }
    let mut layers = Vec::with_capacity(layer_rows.len());
    for (layer, row) in layer_rows {
        let total = row.iter().try_fold(Decimal::ZERO, |a, u| add(a, *u))?;
        layers.push(LayerSum {
            layer,
            by_month: row.into_iter().map(Accrued::from_units).collect(),
            total: Accrued::from_units(total),
        });
    }
    Ok(GroupResult {
        by_measure: duty
            .into_iter()
            .map(|row| row.into_iter().map(Accrued::from_units).collect())
            .collect(),
        totals,
        layers,
        rate_days: kept,
    })
}

/// The import value of one side in each month of the grid, and over the
/// whole grid: the same on every path, so computed once per evaluation.
pub(crate) fn side_imports(
    side: &SidePlan,
    grid: &Grid,
    factors: &[(usize, Decimal)],
) -> Result<(Arc<[Accrued]>, Accrued)> {
    let mut import_by_month = Vec::with_capacity(grid.months.len());
    for (&(col, f), days) in factors.iter().zip(&grid.days) {
        let v = mul(mul(side.totals[col], f)?, Decimal::from(*days))?;
        import_by_month.push(Accrued::from_units(v));
    }
    let import_value = sum(&import_by_month)?;
    Ok((import_by_month.into(), import_value))
}

/// What a path says of one measure of a side, beyond its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MeasureFacts {
    /// Whether the measure is reported (an answer a path never made is not).
    pub shown: bool,
    /// The ruling that voids it on this path.
    pub voided: Option<Date>,
    /// Duty collected before the window and owed back.
    pub refundable_before: Accrued,
    /// Interest on its refunds, when the scenario states a rate.
    pub refund_interest: Option<Accrued>,
}

impl MeasureFacts {
    /// A measure reported with nothing voided.
    pub const PLAIN: MeasureFacts = MeasureFacts {
        shown: true,
        voided: None,
        refundable_before: Accrued::ZERO,
        refund_interest: None,
    };
}

/// Evaluates one side with one schedule per local measure, from the
/// results of its groups (which paths may share) and its import values
/// ([`side_imports`]); `facts` is indexed like `measures`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn side_exposure(
    side: &SidePlan,
    baseline: &Baseline,
    measures: &[&Measure],
    grid: &Grid,
    factors: &[(usize, Decimal)],
    detail: Detail,
    results: &[&GroupResult],
    imports: &(Arc<[Accrued]>, Accrued),
    facts: &dyn Fn(usize) -> MeasureFacts,
) -> Result<SideExposure> {
    let months = grid.months.len();
    let (import_by_month, import_value) = (Arc::clone(&imports.0), imports.1);

    let mut shown = Vec::with_capacity(side.measures.len());
    let mut out = Vec::with_capacity(side.measures.len());
    for (li, &mi) in side.measures.iter().enumerate() {
        let f = facts(mi);
        if !f.shown {
            continue;
        }
        shown.push(li);
        let m = measures[mi];
        let (g, pos) = side.group_of[li];
        let gaps = side.grain_gaps[li].len();
        let covers = side.covers_anything(li);
        let valuation = match (gaps, covers) {
            (0, true) => Valuation::Valued,
            (0, false) if m.coverage().is_matched_value() => Valuation::Valued,
            (0, false) => Valuation::CoversNothing,
            (n, true) => Valuation::Partly { baskets: n },
            (n, false) => Valuation::NotValued { baskets: n },
        };
        out.push(MeasureExposure {
            id: m.id().clone(),
            name: m.name_arc(),
            authority: m.authority(),
            layer: m.layer().clone(),
            origin: m.origin_arc().cloned(),
            by_month: Arc::clone(&results[g].by_measure[pos]),
            gross: results[g].totals[pos],
            voided: f.voided,
            refundable_before: f.refundable_before,
            refund_interest: f.refund_interest,
            valuation,
        });
    }
    let mut layers = Vec::with_capacity(side.layers.len());
    for (li, layer) in side.layers.iter().enumerate() {
        if !out.iter().any(|m| &m.layer == layer) {
            continue;
        }
        let mut parts = results
            .iter()
            .flat_map(|r| r.layers.iter())
            .filter(|x| x.layer == li);
        let (by_month, gross) = match (parts.next(), parts.next()) {
            (Some(only), None) => (Arc::clone(&only.by_month), only.total),
            _ => {
                let mut row = vec![Accrued::ZERO; months];
                let mut total = Accrued::ZERO;
                for part in results
                    .iter()
                    .flat_map(|r| r.layers.iter())
                    .filter(|x| x.layer == li)
                {
                    for (cell, a) in row.iter_mut().zip(part.by_month.iter()) {
                        *cell = plus(*cell, *a)?;
                    }
                    total = plus(total, part.total)?;
                }
                (row.into(), total)
            }
        };
        let refundable = sum(out
            .iter()
            .filter(|m| &m.layer == layer)
            .map(|m| m.refundable())
            .collect::<Vec<_>>()
            .iter())?;
        layers.push(LayerExposure {
            layer: layer.clone(),
            by_month,
            gross,
            refundable,
        });
    }
    let mut by_month = vec![Accrued::ZERO; months];
    for l in &layers {
        for (cell, a) in by_month.iter_mut().zip(l.by_month.iter()) {
            if !a.is_zero() {
                *cell = cell.checked_add(*a)?;
            }
        }
    }
    let gross = sum(&by_month)?;
    let refundable = sum(out
        .iter()
        .map(|m| m.refundable())
        .collect::<Vec<_>>()
        .iter())?;
    let refundable_before = sum(out.iter().map(|m| &m.refundable_before))?;
    let refund_interest = out
        .iter()
        .filter_map(|m| m.refund_interest)
        .try_fold(None::<Accrued>, |acc, x| {
            Ok::<_, crate::Error>(Some(acc.unwrap_or(Accrued::ZERO).checked_add(x)?))
        })?;

    let baskets = if detail == Detail::Baskets {
        basket_detail(side, baseline, grid, factors, results, &shown, &out)?
    } else {
        Vec::new()
    };

    Ok(SideExposure {
        importer: baseline.importer().clone(),
        exporter: baseline.exporter().clone(),
        currency: baseline.currency(),
        import_by_month,
        import_value,
        measures: out,
        layers,
        by_month,
        gross,
        refundable,
        refundable_before,
        refund_interest,
        baskets,
    })
}

/// `a + b` as `Decimal` makes it, without the call where either is zero: a
/// zero plus `b` is `b` as it is, and `a` plus a zero is `a` as it is.
fn plus(a: Accrued, b: Accrued) -> Result<Accrued> {
    if a.is_zero() {
        Ok(b)
    } else if b.is_zero() {
        Ok(a)
    } else {
        a.checked_add(b)
    }
}

/// Distributes group results to baskets: each basket's duty is its own daily
/// value times its class's rate-days, so the per-basket figures add up
/// exactly to the class totals. `shown` lists the local measures reported,
/// aligned with `reported`.
fn basket_detail(
    side: &SidePlan,
    baseline: &Baseline,
    grid: &Grid,
    factors: &[(usize, Decimal)],
    results: &[&GroupResult],
    shown: &[usize],
    reported: &[MeasureExposure],
) -> Result<Vec<BasketExposure>> {
    let n = shown.len();
    let months = grid.months.len();
    let mut out: Vec<BasketExposure> = baseline
        .baskets()
        .iter()
        .map(|b| BasketExposure {
            key: b.key().clone(),
            import_value: Accrued::ZERO,
            by_measure: vec![Accrued::ZERO; n],
            by_month: vec![Accrued::ZERO; months],
            gross: Accrued::ZERO,
            refundable: Accrued::ZERO,
        })
        .collect();
    for (ui, u) in side.units.iter().enumerate() {
        let basket = &baseline.baskets()[u.basket];
        let class = side.unit_class[ui];
        let dv: Vec<Decimal> = (0..months)
            .map(|k| {
                let (col, f) = factors[k];
                mul(mul(basket.values()[col], u.weight)?, f)
            })
            .collect::<Result<_>>()?;
        let entry = &mut out[u.basket];
        let mut value = Decimal::ZERO;
        for (v, &days) in dv.iter().zip(&grid.days) {
            value = add(value, mul(*v, Decimal::from(days))?)?;
        }
        entry.import_value = entry.import_value.checked_add(Accrued::from_units(value))?;
        for (slot, &li) in shown.iter().enumerate() {
            let (g, pos) = side.group_of[li];
            let Some(gc) = side.groups[g].of_class[class] else {
                continue;
            };
            let rd = &results[g].rate_days[gc][pos];
            let mut d = Decimal::ZERO;
            for (k, (v, x)) in dv.iter().zip(rd).enumerate() {
                if !x.is_zero() {
                    let part = mul(*v, *x)?;
                    d = add(d, part)?;
                    entry.by_month[k] = entry.by_month[k].checked_add(Accrued::from_units(part))?;
                }
            }
            entry.by_measure[slot] = entry.by_measure[slot].checked_add(Accrued::from_units(d))?;
        }
    }
    for b in &mut out {
        b.gross = sum(&b.by_measure)?;
        b.refundable = sum(b
            .by_measure
            .iter()
            .zip(reported)
            .filter(|(_, m)| m.voided.is_some())
            .map(|(a, _)| a))?;
    }
    Ok(out)
}

/// Names the side an overflow happened on (other errors already name it).
pub(crate) fn on_side(e: Error, baseline: &Baseline) -> Error {
    match e {
        Error::Overflow { .. } => e.at(format!("baseline {}", baseline.label())),
        other => other,
    }
}

/// Static exposure of `measures` on `baselines` over `window`: every measure
/// with its own schedule (announced steps do not count).
pub(crate) fn static_exposure(
    baselines: &[Baseline],
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
            let refs: Vec<&GroupResult> = results.iter().collect();
            let imports = side_imports(side, &grid, &factors)?;
            side_exposure(
                side,
                baseline,
                measures,
                &grid,
                &factors,
                detail,
                &refs,
                &imports,
                &|_| MeasureFacts::PLAIN,
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
