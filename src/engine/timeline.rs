//! The trade-weighted average stacked rate over time, per layer and in total.

use rust_decimal::Decimal;

use super::Prepared;
use super::eval::{Grid, base_points, month_factors, stack, walk_class};
use super::scenario::{PathState, Scenario};
use crate::error::{Error, Result};
use crate::tariff::{Regime, Schedule};
use crate::trade::{Baseline, BasketKey};
use crate::units::{Date, LayerId, MeasureId, Party, Rate, Window};

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
}

/// The trade-weighted average additional duty of one side over time:
/// `Σ (daily value × stacked rate) / Σ daily value` over every basket of the
/// baseline (covered or not), as a step function. Weights are the
/// baseline's values; MFN duty is not included.
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

/// Timelines of every side of `prepared` with the given schedule per regime
/// measure, over `window`.
pub(crate) fn timelines(
    prepared: &Prepared,
    schedules: &[&Schedule],
    window: Window,
) -> Result<Vec<Timeline>> {
    let grid = Grid::new(window)?;
    let regime = prepared.regime();
    let mut out = Vec::new();
    for side in &prepared.plan().sides {
        let baseline = &prepared.baselines()[side.baseline];
        let factors = month_factors(baseline, &grid)?;
        let mut layers: Vec<LayerId> = Vec::new();
        let layer_of: Vec<usize> = side
            .measures
            .iter()
            .map(|ri| {
                let l = regime.measures()[*ri].layer();
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
                    for (i, r) in rates.iter().enumerate() {
                        if !r.is_zero() {
                            let l = layer_of[g.measures[i]];
                            acc[pi][l] = add(acc[pi][l], mul(dv, r.as_fraction())?)?;
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
            match pieces.last_mut() {
                Some(last) if last.by_layer == by_layer && last.total == total => {
                    last.window = Window::new(last.window.start(), b)?;
                }
                _ => pieces.push(TimelinePiece {
                    window: Window::new(*a, b)?,
                    by_layer,
                    total,
                }),
            }
        }
        out.push(Timeline {
            importer: baseline.importer().clone(),
            exporter: baseline.exporter().clone(),
            layers,
            pieces,
        });
    }
    Ok(out)
}

/// The rate each measure adds to basket `key` of side `importer<-exporter`
/// on `date`, after stacking; measures that add nothing are left out.
pub(crate) fn rates_on(
    prepared: &Prepared,
    schedules: &[&Schedule],
    side: (&str, &str),
    key: &BasketKey,
    date: Date,
) -> Result<Vec<(MeasureId, Rate)>> {
    let regime: &Regime = prepared.regime();
    let sp = prepared
        .plan()
        .sides
        .iter()
        .find(|s| {
            let b: &Baseline = &prepared.baselines()[s.baseline];
            b.importer().as_str() == side.0 && b.exporter().as_str() == side.1
        })
        .ok_or_else(|| {
            Error::unknown(
                "baseline",
                format!("{}<-{}", side.0, side.1),
                ": the scenario has no such side",
            )
        })?;
    let baseline = &prepared.baselines()[sp.baseline];
    let bi = baseline.find(key).ok_or_else(|| {
        Error::unknown(
            "basket",
            key.to_string(),
            format!(" in baseline {}", baseline.label()),
        )
    })?;
    let mut out: Vec<(MeasureId, Rate)> = Vec::new();
    for (ui, u) in sp.units.iter().enumerate() {
        if u.basket != bi {
            continue;
        }
        let class = sp.unit_class[ui];
        for g in &sp.groups {
            let Some(gc) = g.of_class[class] else {
                continue;
            };
            let mut rates: Vec<Rate> = g
                .measures
                .iter()
                .enumerate()
                .map(|(i, li)| {
                    if g.classes[gc].cover[i].iter().any(|w| w.contains(date)) {
                        schedules[sp.measures[*li]].rate_on(date)
                    } else {
                        Rate::ZERO
                    }
                })
                .collect();
            stack(&g.rules, date, &mut rates);
            for (i, r) in rates.iter().enumerate() {
                if !r.is_zero() {
                    let id = regime.measures()[sp.measures[g.measures[i]]].id().clone();
                    if !out.iter().any(|(x, _)| *x == id) {
                        out.push((id, *r));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

impl Scenario {
    /// The average-rate timeline of every side on path `path_id`, over the
    /// horizon.
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown path; as [`Scenario::evaluate`].
    pub fn timeline(&self, path_id: &str) -> Result<Vec<Timeline>> {
        self.on_path(path_id, |prepared, schedules| {
            timelines(prepared, schedules, self.horizon())
        })
    }

    /// The rate each measure adds to one basket on one date on path
    /// `path_id`, after stacking (what drives a line's duty).
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
        self.on_path(path_id, |prepared, schedules| {
            rates_on(prepared, schedules, side, key, date)
        })
    }

    /// Runs `f` on the measures of path `path_id` (retaliation answers
    /// included) with the schedule each has at the end of the path.
    fn on_path<T>(
        &self,
        path_id: &str,
        f: impl FnOnce(&Prepared, &[&Schedule]) -> Result<T>,
    ) -> Result<T> {
        let path = self.find_path(path_id)?;
        let state: PathState = self.path_state(path)?;
        let (extra, _) = self.path_regime(&state)?;
        let prepared = extra.as_ref().unwrap_or(self.prepared());
        let schedules: Vec<&Schedule> = prepared
            .regime()
            .measures()
            .iter()
            .enumerate()
            .map(|(i, m)| state.schedules.get(i).map_or(m.schedule(), |s| s.as_ref()))
            .collect();
        f(prepared, &schedules)
    }
}

impl Prepared {
    /// The average-rate timeline of every side over `window`, every measure
    /// with its own schedule.
    ///
    /// # Errors
    /// [`Error::BaselineGap`], [`Error::Overflow`].
    pub fn timeline(&self, window: Window) -> Result<Vec<Timeline>> {
        let schedules: Vec<&Schedule> = self
            .regime()
            .measures()
            .iter()
            .map(|m| m.schedule())
            .collect();
        timelines(self, &schedules, window)
    }

    /// The rate each measure adds to one basket on one date, after stacking.
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown side or basket.
    pub fn rates_on(
        &self,
        side: (&str, &str),
        key: &BasketKey,
        date: Date,
    ) -> Result<Vec<(MeasureId, Rate)>> {
        let schedules: Vec<&Schedule> = self
            .regime()
            .measures()
            .iter()
            .map(|m| m.schedule())
            .collect();
        rates_on(self, &schedules, side, key, date)
    }
}
