//! What each measure adds to one basket (an HS line, an item) on one day:
//! the rate on the basket's whole value, and the parts a line is split into
//! when a measure covers only a share of its value (a metal content) or an
//! answer claims a slice of it.

use rust_decimal::Decimal;

use super::Prepared;
use super::plan::SidePlan;
use super::scenario::Scenario;
use super::walk::stack;
use crate::error::{Error, Result};
use crate::tariff::{Measure, Schedule};
use crate::trade::{Baseline, BasketKey};
use crate::units::{Date, MeasureId, Rate};

/// One measure on one part of a basket on one day: the part is a share of
/// the basket's value taxed alike (the whole basket when nothing splits it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinePart {
    /// Which part of the basket, from 0: parts with the same number are the
    /// same share of its value.
    pub part: usize,
    /// The part's share of the basket's value (1 for a basket not split).
    pub share: Decimal,
    /// The measure.
    pub measure: MeasureId,
    /// The rate the measure's schedule sets on the part before stacking
    /// (zero where it does not cover the part that day).
    pub scheduled: Rate,
    /// The rate it adds on the part after stacking.
    pub applied: Rate,
}

/// Every covering measure's [`LinePart`] on basket `key` of side
/// `importer<-exporter` on `date`, part by part, in the side's measure
/// order.
pub(crate) fn line_parts(
    baselines: &[Baseline],
    plans: &[&SidePlan],
    measures: &[&Measure],
    schedules: &[&Schedule],
    side: (&str, &str),
    key: &BasketKey,
    date: Date,
) -> Result<Vec<LinePart>> {
    let sp = plans
        .iter()
        .find(|s| {
            let b: &Baseline = &baselines[s.baseline];
            b.importer().as_str() == side.0 && b.exporter().as_str() == side.1
        })
        .ok_or_else(|| {
            Error::unknown_among(
                "side",
                &format!("{}<-{}", side.0, side.1),
                baselines
                    .iter()
                    .map(|b| b.label())
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            )
        })?;
    let baseline = &baselines[sp.baseline];
    let bi = baseline.find(key).ok_or_else(|| {
        Error::unknown(
            "basket",
            key.to_string(),
            format!(" in baseline {}", baseline.label()),
        )
    })?;
    let mut out = Vec::new();
    let mut part = 0;
    for (ui, u) in sp.units.iter().enumerate() {
        if u.basket != bi {
            continue;
        }
        let class = sp.unit_class[ui];
        for g in &sp.groups {
            let Some(gc) = g.of_class[class] else {
                continue;
            };
            let scheduled: Vec<Rate> = g
                .measures
                .iter()
                .enumerate()
                .map(|(i, li)| {
                    if g.classes[gc].cover[i].iter().any(|w| w.contains(date)) {
                        schedules[sp.measures[*li]]
                            .rate_on(date)
                            .net_of(g.classes[gc].less[i])
                    } else {
                        Rate::ZERO
                    }
                })
                .collect();
            let mut applied = scheduled.clone();
            stack(&g.rules, date, &mut applied);
            for (i, li) in g.measures.iter().enumerate() {
                out.push(LinePart {
                    part,
                    share: u.weight,
                    measure: measures[sp.measures[*li]].id().clone(),
                    scheduled: scheduled[i],
                    applied: applied[i],
                });
            }
        }
        part += 1;
    }
    Ok(out)
}

impl LinePart {
    /// The rate each measure adds to the basket the `parts` are of, after
    /// stacking, as a rate on the basket's whole value (a measure on a
    /// content share of 0.4 at 50% adds 20%), by measure id; measures that
    /// add nothing are left out.
    ///
    /// # Errors
    /// [`Error::Overflow`] when a sum does not fit.
    pub fn rates(parts: &[LinePart]) -> Result<Vec<(MeasureId, Rate)>> {
        rates_on(parts)
    }
}

/// [`LinePart::rates`].
fn rates_on(parts: &[LinePart]) -> Result<Vec<(MeasureId, Rate)>> {
    let mut out: Vec<(MeasureId, Decimal)> = Vec::new();
    for p in parts.iter().filter(|p| !p.applied.is_zero()) {
        let add = p
            .share
            .checked_mul(p.applied.as_fraction())
            .ok_or_else(|| Error::overflow("a line's rate"))?;
        match out.iter_mut().find(|(x, _)| *x == p.measure) {
            Some((_, sum)) => {
                *sum = sum
                    .checked_add(add)
                    .ok_or_else(|| Error::overflow("a line's rate"))?
            }
            None => out.push((p.measure.clone(), add)),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter()
        .map(|(id, f)| Ok((id, Rate::from_fraction(f)?)))
        .collect()
}

impl Scenario {
    /// The rate each measure adds to one basket on one date on path
    /// `path_id`, after stacking (what drives a line's duty), on the
    /// basket's whole value: a measure on a content share or an answer on a
    /// slice adds its rate times the share it covers.
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown path, side or basket.
    pub fn rates_on(
        &self,
        path_id: &str,
        side: (&str, &str),
        key: &BasketKey,
        date: Date,
    ) -> Result<Vec<(MeasureId, Rate)>> {
        rates_on(&self.line_parts(path_id, side, key, date)?)
    }

    /// Each covering measure on each part of one basket on one date on path
    /// `path_id`, before and after stacking: where a measure covers only a
    /// share of the basket's value, the rest is a part of its own, so a
    /// layer the measure displaces there shows its rate on the rest.
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown path, side or basket.
    pub fn line_parts(
        &self,
        path_id: &str,
        side: (&str, &str),
        key: &BasketKey,
        date: Date,
    ) -> Result<Vec<LinePart>> {
        self.on_path(path_id, |_, plans, measures, schedules| {
            line_parts(&self.baselines, plans, measures, schedules, side, key, date)
        })
    }
}

impl Prepared {
    /// The rate each measure adds to one basket on one date, after stacking,
    /// on the basket's whole value (see [`Scenario::rates_on`]).
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown side or basket.
    pub fn rates_on(
        &self,
        side: (&str, &str),
        key: &BasketKey,
        date: Date,
    ) -> Result<Vec<(MeasureId, Rate)>> {
        let measures: Vec<&Measure> = self.regime().measures().iter().collect();
        let schedules: Vec<&Schedule> = measures.iter().map(|m| m.schedule()).collect();
        let plans: Vec<&SidePlan> = self.plan().sides.iter().collect();
        rates_on(&line_parts(
            self.baselines(),
            &plans,
            &measures,
            &schedules,
            side,
            key,
            date,
        )?)
    }
}
