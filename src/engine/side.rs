//! A side's exposure, assembled from the results of its stacking groups:
//! its import values, each measure and layer by month, refunds, and (when
//! asked for) each basket's share of them.

use rust_decimal::Decimal;

use std::borrow::Borrow;
use std::sync::Arc;

use super::eval::{Grid, GroupResult, LayerSum, add, mul};
use super::exposure::{
    BaseExposure, BasketExposure, Detail, LayerExposure, LineCount, MeasureExposure, SideExposure,
    Valuation, sum,
};
use super::grain::TriggerGrain;
use super::plan::SidePlan;
use crate::error::{Error, Result};
use crate::tariff::{BaseRates, Measure};
use crate::trade::Baseline;
use crate::units::{Accrued, Date, ExactSum, Rate};

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

/// The base (MFN) duty of one side over the grid, when `rates` are given:
/// each basket's daily value times the ad valorem part of its rate, times
/// the days of each month — the accrual rule of every measure, exact. The
/// same on every path, so computed once per evaluation.
pub(crate) fn side_base(
    baseline: &Baseline,
    rates: Option<&BaseRates>,
    grid: &Grid,
    factors: &[(usize, Decimal)],
) -> Result<Option<Arc<BaseExposure>>> {
    let Some(rates) = rates else {
        return Ok(None);
    };
    let months = grid.months.len();
    // A month's accrual weight is `factor × days`; months reading the same
    // period column add their weights, so each basket costs one product per
    // column, and each month one product of the column's rated value.
    let columns = baseline.periods().len().max(1);
    let mut weight = vec![Decimal::ZERO; columns];
    for (k, &(col, f)) in factors.iter().enumerate() {
        weight[col] = add(weight[col], mul(f, Decimal::from(grid.days[k]))?)?;
    }
    let mut rated = vec![Decimal::ZERO; columns];
    let mut by_basket = Vec::with_capacity(baseline.baskets().len());
    let (mut fully, mut partly, mut missing) = (
        LineCount::default(),
        LineCount::default(),
        LineCount::default(),
    );
    let mut missing_keys = Vec::new();
    let mut fully_valued_duty = Accrued::ZERO;
    for b in baseline.baskets() {
        let rate = rates.rate_of_basket(b.key());
        let av = rate.and_then(|r| r.ad_valorem()).unwrap_or(Rate::ZERO);
        let mut value = Decimal::ZERO;
        let mut duty = Decimal::ZERO;
        for (c, w) in weight.iter().enumerate() {
            let Some(v) = b.values().get(c) else { continue };
            if w.is_zero() || v.is_zero() {
                continue;
            }
            value = add(value, mul(*v, *w)?)?;
            if !av.is_zero() {
                let r = mul(*v, av.as_fraction())?;
                rated[c] = add(rated[c], r)?;
                duty = add(duty, mul(r, *w)?)?;
            }
        }
        let count = match rate {
            None => {
                missing_keys.push(b.key().clone());
                &mut missing
            }
            Some(r) if r.is_fully_valued() => {
                fully_valued_duty = fully_valued_duty.checked_add(Accrued::from_units(duty))?;
                &mut fully
            }
            Some(_) => &mut partly,
        };
        count.lines += 1;
        count.import_value = count.import_value.checked_add(Accrued::from_units(value))?;
        by_basket.push(rate.map(|_| Accrued::from_units(duty)));
    }
    let mut by_month = vec![Decimal::ZERO; months];
    for (k, &(col, f)) in factors.iter().enumerate() {
        by_month[k] = mul(mul(rated[col], f)?, Decimal::from(grid.days[k]))?;
    }
    let total = by_month.iter().try_fold(Decimal::ZERO, |a, d| add(a, *d))?;
    Ok(Some(Arc::new(BaseExposure {
        source: Arc::from(rates.source()),
        by_month: by_month.into_iter().map(Accrued::from_units).collect(),
        duty: Accrued::from_units(total),
        fully_valued_duty,
        fully_valued: fully,
        partly_valued: partly,
        missing,
        missing_keys,
        by_basket: by_basket.into(),
    })))
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
    /// For a value-matched answer, what is known of the value its triggers
    /// cover.
    pub trigger_grain: TriggerGrain,
}

impl MeasureFacts {
    /// A measure reported with nothing voided.
    pub const PLAIN: MeasureFacts = MeasureFacts {
        shown: true,
        voided: None,
        refundable_before: Accrued::ZERO,
        refund_interest: None,
        trigger_grain: TriggerGrain {
            gaps: 0,
            known: true,
        },
    };
}

/// The buffers [`side_exposure`] adds a side up in, kept from one path to
/// the next.
#[derive(Default)]
pub(crate) struct SideScratch {
    /// Per layer, whether a measure of it is shown, and its refundable
    /// duty.
    shown_in: Vec<(bool, Accrued)>,
    /// Per layer, its first part and whether it has more.
    first: Vec<(Option<(usize, usize)>, bool)>,
    /// A row of months while its parts are added.
    cells: Vec<ExactSum>,
    /// The same row, rounded.
    row: Vec<Accrued>,
}

/// Evaluates one side with one schedule per local measure, from the
/// results of its groups (which paths may share) and its import values
/// ([`side_imports`]); `facts` is indexed like `measures`; `scratch` holds
/// the sums while they are made.
#[allow(clippy::too_many_arguments)]
pub(crate) fn side_exposure<
    M: Borrow<Measure>,
    R: Borrow<GroupResult>,
    F: Fn(usize) -> MeasureFacts,
>(
    side: &SidePlan,
    baseline: &Baseline,
    measures: &[M],
    grid: &Grid,
    factors: &[(usize, Decimal)],
    detail: Detail,
    results: &[R],
    imports: &(Arc<[Accrued]>, Accrued),
    base: Option<Arc<BaseExposure>>,
    facts: F,
    scratch: &mut SideScratch,
) -> Result<SideExposure> {
    let months = grid.months.len();
    let (import_by_month, import_value) = (Arc::clone(&imports.0), imports.1);
    let SideScratch {
        shown_in,
        first,
        cells,
        row,
    } = scratch;
    let result = |g: usize| -> &GroupResult { results[g].borrow() };

    let count = side.layers.len();
    // The local measures shown (kept for basket detail alone), and per
    // layer whether a measure of it is shown and its refundable duty: its
    // measures' in their order.
    let baskets = detail == Detail::Baskets;
    let mut shown = Vec::new();
    let mut out = Vec::with_capacity(side.measures.len());
    shown_in.clear();
    shown_in.resize(count, (false, Accrued::ZERO));
    for (li, &mi) in side.measures.iter().enumerate() {
        let f = facts(mi);
        if !f.shown {
            continue;
        }
        if baskets {
            shown.push(li);
        }
        let m: &Measure = measures[mi].borrow();
        let (g, pos) = side.group_of[li];
        let gaps = side.grain_gaps[li].len();
        let covers = side.covers_anything(li);
        let inherited = f.trigger_grain;
        let valuation = match (gaps, covers) {
            _ if m.coverage().is_matched_value() && inherited.gaps > 0 => {
                if inherited.known {
                    Valuation::Partly {
                        baskets: inherited.gaps,
                    }
                } else {
                    Valuation::NotValued {
                        baskets: inherited.gaps,
                    }
                }
            }
            (0, true) => Valuation::Valued,
            (0, false) if m.coverage().is_matched_value() => Valuation::Valued,
            (0, false) => Valuation::CoversNothing,
            (n, true) => Valuation::Partly { baskets: n },
            (n, false) => Valuation::NotValued { baskets: n },
        };
        let exposure = MeasureExposure::new(
            Arc::clone(&result(g).rows[pos]),
            f.voided,
            f.refundable_before,
            f.refund_interest,
            valuation,
        );
        let layer = &mut shown_in[side.groups[g].layer_of[pos]];
        layer.0 = true;
        // A measure not voided owes back the literal zero, which leaves
        // the sum as it is.
        if exposure.voided.is_some() {
            layer.1 = layer.1.checked_add(exposure.refundable())?;
        }
        out.push(exposure);
    }
    // Each layer's first part (its group and place there) and whether it
    // has more, in one pass over the groups' results.
    first.clear();
    first.resize(count, (None, false));
    for (g, r) in results.iter().enumerate() {
        for (at, part) in r.borrow().layers.iter().enumerate() {
            match &mut first[part.layer] {
                (None, _) => first[part.layer].0 = Some((g, at)),
                (Some(_), several) => *several = true,
            }
        }
    }
    let parts = || results.iter().flat_map(|r| r.borrow().layers.iter());
    let mut layers = Vec::with_capacity(count);
    for (li, layer) in side.layers.iter().enumerate() {
        let (shown_here, refundable) = shown_in[li];
        if !shown_here {
            continue;
        }
        let (by_month, gross) = match first[li] {
            (Some((g, at)), false) => {
                let only: &LayerSum = &result(g).layers[at];
                (Arc::clone(&only.by_month), only.total)
            }
            _ => {
                cells.clear();
                cells.resize(months, ExactSum::new());
                let mut total = ExactSum::new();
                for part in parts().filter(|x| x.layer == li) {
                    for (cell, a) in cells.iter_mut().zip(part.by_month.iter()) {
                        cell.add(a.units());
                    }
                    total.add(part.total.units());
                }
                row.clear();
                for cell in cells.iter() {
                    row.push(rounded(cell)?);
                }
                (Arc::from(row.as_slice()), rounded(&total)?)
            }
        };
        layers.push(LayerExposure {
            layer: layer.clone(),
            by_month,
            gross,
            refundable,
        });
    }
    // A month is the exact sum of the side's duty in it, over the layers
    // shown, and the gross the exact sum of every month, each rounded
    // once. Where every layer is shown, a group result gives the sums it
    // made of its layers, except a linear group's result of a single layer
    // met for the first time, which gives its months as they are (most
    // such results serve one path; those shared make their sums on the
    // second meeting).
    cells.clear();
    cells.resize(months, ExactSum::new());
    let mut whole = ExactSum::new();
    if parts().all(|part| shown_in[part.layer].0) {
        for r in results {
            let r = r.borrow();
            match r.layers.as_slice() {
                [one] if r.sums_if_shared().is_none() => {
                    for (cell, a) in cells.iter_mut().zip(one.by_month.iter()) {
                        cell.add(a.units());
                    }
                }
                _ => {
                    for (cell, m) in cells.iter_mut().zip(r.sums().months.iter()) {
                        cell.merge(m);
                    }
                }
            }
        }
    } else {
        for part in parts().filter(|part| shown_in[part.layer].0) {
            for (cell, a) in cells.iter_mut().zip(part.by_month.iter()) {
                cell.add(a.units());
            }
        }
    }
    cells.iter().for_each(|cell| whole.merge(cell));
    let mut by_month = Vec::with_capacity(months);
    for cell in cells.iter() {
        by_month.push(rounded(cell)?);
    }
    let gross = rounded(&whole)?;
    // Most paths void nothing and owe nothing from before the window: each
    // sum is then of the literal zero, which is that zero.
    let refundable = if out.iter().all(|m| m.voided.is_none()) {
        Accrued::ZERO
    } else {
        out.iter()
            .try_fold(Accrued::ZERO, |a, m| a.checked_add(m.refundable()))?
    };
    let literal_zero = |a: &Accrued| a.is_zero() && a.units().scale() == 0;
    let refundable_before = if out.iter().all(|m| literal_zero(&m.refundable_before())) {
        Accrued::ZERO
    } else {
        out.iter()
            .try_fold(Accrued::ZERO, |a, m| a.checked_add(m.refundable_before()))?
    };
    let refund_interest = out
        .iter()
        .filter_map(MeasureExposure::refund_interest)
        .try_fold(None::<Accrued>, |acc, x| {
            Ok::<_, crate::Error>(Some(acc.unwrap_or(Accrued::ZERO).checked_add(x)?))
        })?;

    let baskets = if baskets {
        basket_detail(
            side,
            baseline,
            grid,
            factors,
            &results_of(results),
            &shown,
            &out,
        )?
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
        base,
    })
}

/// The group results `results` hold.
fn results_of<R: Borrow<GroupResult>>(results: &[R]) -> Vec<&GroupResult> {
    results.iter().map(Borrow::borrow).collect()
}

/// An exact sum of accrued units, rounded once ([`ExactSum`]).
fn rounded(sum: &ExactSum) -> Result<Accrued> {
    sum.total()
        .map(Accrued::from_units)
        .ok_or_else(|| Error::overflow("a sum of accrued duty"))
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
