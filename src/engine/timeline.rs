//! The trade-weighted average stacked rate over time, per layer and in total.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::Prepared;
use super::eval::{Grid, month_factors};
use super::exposure::{BaseExposure, LineCount};
use super::plan::{SidePlan, base_of};
use super::scenario::Scenario;
use super::side::side_base;
use super::walk::{base_points, walk_class};
use crate::error::{Error, Result};
use crate::tariff::{BaseRates, Measure, Schedule};
use crate::trade::Baseline;
use crate::units::{Currency, Date, LayerId, Party, Rate, Window};

/// One piece of a timeline: a window over which every average is constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinePiece {
    /// The days the piece holds for.
    pub window: Window,
    /// The average additional rate per layer (a fraction), aligned with
    /// [`Timeline::layers`].
    pub by_layer: Vec<Decimal>,
    /// The average additional rate of all layers together (a fraction).
    pub total: Decimal,
    /// The average base (MFN) rate, ad valorem parts only (a fraction),
    /// when the side has base rates ([`Timeline::base`] says what it leaves
    /// out); `None` when it has none, never a zero standing for "not
    /// given".
    pub base: Option<Decimal>,
}

impl TimelinePiece {
    /// The average all-in rate, base plus additional, when the side has
    /// base rates.
    pub fn all_in(&self) -> Option<Decimal> {
        self.base.and_then(|b| b.checked_add(self.total))
    }
}

/// What a timeline's base (MFN) rate is made of and what it leaves out:
/// the average counts every line's ad valorem part, so it is a lower bound
/// when some lines are not valued in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineBase {
    /// Where the base rates come from.
    pub source: String,
    /// The currency of the import values below.
    pub currency: Currency,
    /// Lines whose rate is specific, compound or otherwise not wholly ad
    /// valorem: only its ad valorem part is in the average. The import
    /// value is over the timeline's window.
    pub partly_valued: LineCount,
    /// Lines with no base rate: nothing of theirs is in the average,
    /// though their value is in its weights.
    pub missing: LineCount,
}

impl TimelineBase {
    fn of(base: &BaseExposure, currency: Currency) -> TimelineBase {
        TimelineBase {
            source: base.source().to_string(),
            currency,
            partly_valued: base.partly_valued(),
            missing: base.missing(),
        }
    }

    /// Whether every line's base rate is in the average in full.
    pub fn is_complete(&self) -> bool {
        self.partly_valued.lines == 0 && self.missing.lines == 0
    }
}

/// The trade-weighted average additional duty of one side over time:
/// `Σ (daily value × stacked rate) / Σ daily value` over every basket of the
/// baseline (covered or not), as a step function. Weights are the
/// baseline's values. The base (MFN) rate is apart, in
/// [`TimelinePiece::base`], when the scenario gives base rates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The importing party.
    pub importer: Party,
    /// The exporting party.
    pub exporter: Party,
    /// The layers, in order of first measure.
    pub layers: Vec<LayerId>,
    /// The pieces, in date order, consecutive and non-overlapping; adjacent
    /// pieces differ.
    pub pieces: Vec<TimelinePiece>,
    /// The base (MFN) rates under the pieces' [`TimelinePiece::base`], when
    /// the scenario gives them for this importer.
    pub base: Option<TimelineBase>,
}

impl Timeline {
    /// The piece holding `date`, if the timeline covers it.
    pub fn on(&self, date: Date) -> Option<&TimelinePiece> {
        self.pieces.iter().find(|p| p.window.contains(date))
    }

    /// `importer<-exporter`.
    pub fn label(&self) -> String {
        format!("{}<-{}", self.importer, self.exporter)
    }
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| Error::overflow("an average rate"))
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b)
        .ok_or_else(|| Error::overflow("an average rate"))
}

/// `x / denom`, zero when nothing is imported.
fn ratio(x: Decimal, denom: Decimal) -> Result<Decimal> {
    if denom.is_zero() {
        return Ok(Decimal::ZERO);
    }
    x.checked_div(denom)
        .map(|r| r.normalize())
        .ok_or_else(|| Error::overflow("an average rate"))
}

/// The base rates of a scenario, with the base duty of each baseline over
/// the timeline's window where it is already worked out (else it is
/// worked out for what the base leaves out).
#[derive(Clone, Copy)]
pub(crate) struct Bases<'a> {
    /// One set per importer that has them.
    pub rates: &'a [BaseRates],
    /// By baseline; empty when not worked out.
    pub exposures: &'a [Option<Arc<BaseExposure>>],
}

/// Timelines of every side planned by `plans` on `baselines`, with the
/// given schedule per measure, over `window`.
pub(crate) fn timelines(
    baselines: &[Baseline],
    base: Bases<'_>,
    plans: &[&SidePlan],
    measures: &[&Measure],
    schedules: &[&Schedule],
    window: Window,
    shown: &dyn Fn(usize) -> bool,
) -> Result<Vec<Timeline>> {
    let grid = Grid::new(window)?;
    let mut out = Vec::new();
    for side in plans {
        let baseline = &baselines[side.baseline];
        let factors = month_factors(baseline, &grid)?;
        let rates = base_of(base.rates, baseline);
        let rated = rates.map(|r| rated_by_column(baseline, r)).transpose()?;
        // Measures not shown (answers a path never made) carry no duty;
        // their layers are left out.
        let mut layers: Vec<LayerId> = Vec::new();
        let layer_of: Vec<usize> = side
            .measures
            .iter()
            .map(|ri| {
                if !shown(*ri) {
                    return usize::MAX;
                }
                let l = measures[*ri].layer();
                match layers.iter().position(|x| x == l) {
                    Some(i) => i,
                    None => {
                        layers.push(l.clone());
                        layers.len() - 1
                    }
                }
            })
            .collect();
        // Every date any piece of any class may change.
        let mut points: Vec<Date> = grid.starts.clone();
        let mut timelines_by_group = Vec::new();
        for g in &side.groups {
            let tls: Vec<Vec<(Date, Rate)>> = g
                .measures
                .iter()
                .map(|li| schedules[side.measures[*li]].timeline(window))
                .collect();
            points.extend(base_points(g, &tls, &grid));
            for c in &g.classes {
                for w in c.cover.iter().flatten() {
                    for d in [w.start(), w.end()] {
                        if d > window.start() && d < window.end() {
                            points.push(d);
                        }
                    }
                }
            }
            timelines_by_group.push(tls);
        }
        points.sort_unstable();
        points.dedup();
        let mut acc = vec![vec![Decimal::ZERO; layers.len()]; points.len()];
        for (g, tls) in side.groups.iter().zip(&timelines_by_group) {
            for gc in 0..g.classes.len() {
                let values = &g.classes[gc].values;
                walk_class(g, gc, tls, &points, &grid, |a, k, _, rates| {
                    let pi = points.partition_point(|p| *p <= a).saturating_sub(1);
                    let (col, f) = factors[k];
                    let dv = mul(values[col], f)?;
                    for (&i, r) in g.classes[gc].active.iter().zip(rates) {
                        if !r.is_zero() {
                            let l = layer_of[g.measures[i]];
                            if let Some(cell) = acc[pi].get_mut(l) {
                                *cell = add(*cell, mul(dv, r.as_fraction())?)?;
                            }
                        }
                    }
                    Ok(())
                })?;
            }
        }
        let mut pieces: Vec<TimelinePiece> = Vec::new();
        for (pi, a) in points.iter().enumerate() {
            let b = points.get(pi + 1).copied().unwrap_or(window.end());
            if b <= *a {
                continue;
            }
            let k = grid.starts.partition_point(|s| s <= a).saturating_sub(1);
            let (col, f) = factors[k];
            let denom = mul(side.totals[col], f)?;
            let by_layer: Vec<Decimal> = acc[pi]
                .iter()
                .map(|x| ratio(*x, denom))
                .collect::<Result<_>>()?;
            let total = ratio(
                acc[pi].iter().try_fold(Decimal::ZERO, |s, x| add(s, *x))?,
                denom,
            )?;
            let base = match &rated {
                Some(r) => Some(ratio(mul(r[col], f)?, denom)?),
                None => None,
            };
            match pieces.last_mut() {
                Some(last)
                    if last.by_layer == by_layer && last.total == total && last.base == base =>
                {
                    last.window = Window::new(last.window.start(), b)?;
                }
                _ => pieces.push(TimelinePiece {
                    window: Window::new(*a, b)?,
                    by_layer,
                    total,
                    base,
                }),
            }
        }
        let base = match (
            rates,
            base.exposures.get(side.baseline).and_then(Option::as_ref),
        ) {
            (None, _) => None,
            (Some(_), Some(b)) => Some(TimelineBase::of(b, baseline.currency())),
            (Some(r), None) => side_base(baseline, Some(r), &grid, &factors)?
                .map(|b| TimelineBase::of(&b, baseline.currency())),
        };
        out.push(Timeline {
            importer: baseline.importer().clone(),
            exporter: baseline.exporter().clone(),
            layers,
            pieces,
            base,
        });
    }
    Ok(out)
}

/// `Σ value × ad valorem base rate` over the baskets of `baseline`, per
/// period column: the numerator of the average base rate (a line not
/// valued in full counts its ad valorem part, a line with no rate none).
fn rated_by_column(baseline: &Baseline, rates: &BaseRates) -> Result<Vec<Decimal>> {
    let mut rated = vec![Decimal::ZERO; baseline.periods().len().max(1)];
    for b in baseline.baskets() {
        let Some(av) = rates.rate_of_basket(b.key()).and_then(|r| r.ad_valorem()) else {
            continue;
        };
        if av.is_zero() {
            continue;
        }
        for (c, v) in b.values().iter().enumerate() {
            if let Some(cell) = rated.get_mut(c) {
                *cell = add(*cell, mul(*v, av.as_fraction())?)?;
            }
        }
    }
    Ok(rated)
}

impl Scenario {
    /// The average-rate timeline of every side on path `path_id`, over the
    /// window (answers included; value-matched answers on the national
    /// shares they claim). [`AS_SCHEDULED`](super::AS_SCHEDULED) gives the
    /// reference when no path is named: every measure as scheduled, no
    /// outcome applied.
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown path; as [`Scenario::evaluate`].
    pub fn timeline(&self, path_id: &str) -> Result<Vec<Timeline>> {
        self.on_path(path_id, |bases, plans, measures, schedules| {
            let base = self.core.base();
            // An answer is shown when its schedule is ever positive.
            let shown =
                |i: usize| i < base || schedules[i].steps().iter().any(|s| !s.rate().is_zero());
            timelines(
                &self.baselines,
                Bases {
                    rates: &self.base_rates,
                    exposures: bases,
                },
                plans,
                measures,
                schedules,
                self.window,
                &shown,
            )
        })
    }

    /// Runs `f` on the base duty of each baseline over the horizon, the
    /// side plans, measures (answers included) and the schedule each has at
    /// the end of path `path_id`.
    pub(super) fn on_path<T>(
        &self,
        path_id: &str,
        f: impl FnOnce(
            &[Option<Arc<BaseExposure>>],
            &[&SidePlan],
            &[&Measure],
            &[&Schedule],
        ) -> Result<T>,
    ) -> Result<T> {
        let state = match self.tree.path(path_id) {
            Some(path) => self.path_state(path)?,
            // No branch may take the reference's id, so this is the base.
            None if path_id == super::AS_SCHEDULED => self.base_state(),
            None => self.path_state(self.find_path(path_id)?)?,
        };
        let mut cache = super::cache::Cache::new(self)?;
        let answers = self.answer_set(&state, &mut cache)?;
        let mut plans: Vec<std::sync::Arc<SidePlan>> = self.core.plans.clone();
        if let Some(a) = &answers {
            for (si, p) in plans.iter_mut().enumerate() {
                if self.core.value_sides[si] {
                    let id = self.path_plan_for(si, a, &mut cache)?;
                    *p = std::sync::Arc::clone(&cache.plans[id]);
                }
            }
        }
        let plan_refs: Vec<&SidePlan> = plans.iter().map(|p| p.as_ref()).collect();
        let measures = self.core.measure_refs();
        let schedules: Vec<&Schedule> = state
            .schedules
            .iter()
            .chain(answers.iter().flat_map(|a| a.schedules.iter()))
            .map(|s| s.as_ref())
            .collect();
        f(&cache.shared.bases, &plan_refs, &measures, &schedules)
    }
}

impl Prepared {
    /// The average-rate timeline of every side over `window`, every measure
    /// with its own schedule.
    ///
    /// # Errors
    /// [`Error::BaselineGap`], [`Error::Overflow`].
    pub fn timeline(&self, window: Window) -> Result<Vec<Timeline>> {
        let measures: Vec<&Measure> = self.regime().measures().iter().collect();
        let schedules: Vec<&Schedule> = measures.iter().map(|m| m.schedule()).collect();
        let plans: Vec<&SidePlan> = self.plan().sides.iter().collect();
        timelines(
            self.baselines(),
            Bases {
                rates: &self.base_rates,
                exposures: &[],
            },
            &plans,
            &measures,
            &schedules,
            window,
            &|_| true,
        )
    }
}
