//! Evaluating a scenario: every path of the tree over the window, sharing
//! work across paths through the [`Cache`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::answers::AnswerSet;
use super::cache::Cache;
use super::eval::{GroupResult, eval_alone, eval_group};
use super::exposure::{Detail, Exposure};
use super::paths::PathState;
use super::plan::{GroupPlan, SidePlan, Slice, base_of};
use super::refunds::{Refund, refund};
use super::results::{CommitmentOutcome, Evaluation, PathOutcome};
use super::scenario::{AS_SCHEDULED, Scenario};
use super::side::{MeasureFacts, on_side, side_exposure};
use crate::error::Result;
use crate::outcome::{OutcomeKind, Path};
use crate::tariff::Schedule;
use crate::trade::Baseline;
use crate::units::{MeasureId, Window};
use rust_decimal::Decimal;

/// How many group results and answer sets [`Scenario::evaluate_each`] keeps
/// for the paths after them before it lets them go: about 1,000 paths' worth
/// on the synthetic trees of the benches (a few megabytes).
pub const STREAM_KEPT: usize = 4_096;

impl Scenario {
    /// Evaluates every path of the tree over the window.
    ///
    /// Work is shared: goods are evaluated by coverage class, a group of
    /// measures tied by stacking rules is evaluated once per distinct set of
    /// schedules, and retaliation once per distinct set of the schedules it
    /// watches, whichever paths share them. With the `parallel` feature,
    /// paths are spread over threads; the result is identical.
    ///
    /// # Errors
    /// [`crate::Error::RetaliationLoop`] when answers do not settle on some
    /// path; [`crate::Error::BaselineGap`] when a baseline lacks a period the
    /// window (or a refund before it) needs; [`crate::Error::Overflow`].
    pub fn evaluate(&self, detail: Detail) -> Result<Evaluation> {
        self.evaluate_observed(detail, &mut |_, _| {})
    }

    /// [`Scenario::evaluate`], telling `progress` after each path how many
    /// of how many are done (for a progress bar; the result is the same).
    ///
    /// # Errors
    /// As [`Scenario::evaluate`].
    pub fn evaluate_observed(
        &self,
        detail: Detail,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<Evaluation> {
        let states = self.path_states()?;
        let paths = self.tree.paths();
        let (outcomes, mut cache) = self.evaluate_states(&states, paths, detail, progress)?;
        // The reference shares the paths' work: the same sides, and every
        // group result its schedules share with some path.
        let reference = match self.reference {
            Some(i) => outcomes[i].clone(),
            None => self.evaluate_state(&self.base_state(), &as_scheduled(), detail, &mut cache)?,
        };
        Ok(Evaluation {
            window: self.window,
            horizon: self.horizon,
            months: super::eval::Grid::new(self.window)?.months,
            paths: outcomes,
            reference,
            not_valued: self.not_valued.clone(),
        })
    }

    /// Evaluates every path of the tree as [`Scenario::evaluate`] does, but
    /// hands each path's outcome to `each` (with its index in
    /// [`crate::outcome::OutcomeTree::paths`]) as soon as it is worked out, keeping
    /// none: the states of the paths are made as the tree is walked, and the
    /// work paths share is kept for up to [`STREAM_KEPT`] group results and
    /// answer sets, then begun again, so memory holds the scenario and a
    /// bounded amount more, not one outcome per leaf. Returns the reference
    /// path's outcome (see [`Evaluation::reference`]). Each outcome is the
    /// one [`Scenario::evaluate`] gives for that path.
    ///
    /// ```
    /// use tariffsim::synthetic::Synthetic;
    /// use tariffsim::units::Accrued;
    /// use tariffsim::{Detail, PathOutcome};
    /// // A path's gross duty, over both sides.
    /// let gross = |p: &PathOutcome| -> tariffsim::Result<Accrued> {
    ///     p.exposure()
    ///         .sides()
    ///         .iter()
    ///         .try_fold(Accrued::ZERO, |a, s| a.checked_add(s.gross()))
    /// };
    /// let s = Synthetic::new(2018).lines(50).measures(3).tree(2, 3).scenario()?;
    /// let mut streamed = Vec::new();
    /// let reference = s.evaluate_each(Detail::Totals, &mut |i, path| {
    ///     streamed.push((i, gross(&path)?));
    ///     Ok(())
    /// })?;
    /// let whole = s.evaluate(Detail::Totals)?;
    /// let expected = whole
    ///     .paths()
    ///     .iter()
    ///     .enumerate()
    ///     .map(|(i, p)| Ok((i, gross(p)?)))
    ///     .collect::<tariffsim::Result<Vec<_>>>()?;
    /// assert_eq!(streamed, expected);
    /// assert_eq!(&reference, whole.reference());
    /// # Ok::<(), tariffsim::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Scenario::evaluate`], and whatever `each` returns (which stops
    /// the walk).
    pub fn evaluate_each(
        &self,
        detail: Detail,
        each: &mut dyn FnMut(usize, PathOutcome) -> Result<()>,
    ) -> Result<PathOutcome> {
        self.stream(detail, STREAM_KEPT, each)
    }

    /// [`Scenario::evaluate_each`], keeping up to `kept` group results and
    /// answer sets.
    fn stream(
        &self,
        detail: Detail,
        kept: usize,
        each: &mut dyn FnMut(usize, PathOutcome) -> Result<()>,
    ) -> Result<PathOutcome> {
        let paths = self.tree.paths();
        let mut cache = Cache::new(self)?;
        let mut reference = None;
        let mut i = 0;
        self.each_path_state(|state| {
            let path = paths.get(i).ok_or_else(|| {
                crate::Error::Invalid("the tree has more leaves than paths".into())
            })?;
            let outcome = self.evaluate_state(&state, path, detail, &mut cache)?;
            if self.reference == Some(i) {
                reference = Some(outcome.clone());
            }
            each(i, outcome)?;
            i += 1;
            // Paths next to each other in the walk share the most work; what
            // older paths shared is let go, so memory stays bounded.
            if cache.groups.len() + cache.answers.len() > kept {
                cache = Cache::new(self)?;
            }
            Ok(())
        })?;
        match reference {
            Some(r) => Ok(r),
            None => self.evaluate_state(&self.base_state(), &as_scheduled(), detail, &mut cache),
        }
    }

    /// Evaluates one path, by id.
    ///
    /// # Errors
    /// [`crate::Error::Unknown`] for an unknown path id; as
    /// [`Scenario::evaluate`].
    pub fn evaluate_path(&self, path_id: &str, detail: Detail) -> Result<PathOutcome> {
        let path = self.find_path(path_id)?;
        let state = self.path_state(path)?;
        let mut cache = Cache::new(self)?;
        self.evaluate_state(&state, path, detail, &mut cache)
    }

    #[cfg(not(feature = "parallel"))]
    fn evaluate_states(
        &self,
        states: &[PathState],
        paths: &[Path],
        detail: Detail,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<(Vec<PathOutcome>, Cache)> {
        let mut cache = Cache::new(self)?;
        let total = states.len();
        let outcomes = states
            .iter()
            .zip(paths)
            .enumerate()
            .map(|(i, (s, p))| {
                let out = self.evaluate_state(s, p, detail, &mut cache);
                progress(i + 1, total);
                out
            })
            .collect::<Result<_>>()?;
        Ok((outcomes, cache))
    }

    #[cfg(feature = "parallel")]
    fn evaluate_states(
        &self,
        states: &[PathState],
        paths: &[Path],
        detail: Detail,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<(Vec<PathOutcome>, Cache)> {
        use rayon::prelude::*;
        let threads = rayon::current_num_threads().max(1);
        let chunk = states.len().div_ceil(threads).max(1);
        let parts: Vec<Result<(Vec<PathOutcome>, Cache)>> = states
            .par_chunks(chunk)
            .zip(paths.par_chunks(chunk))
            .map(|(ss, ps)| {
                let mut cache = Cache::new(self)?;
                let outcomes = ss
                    .iter()
                    .zip(ps)
                    .map(|(s, p)| self.evaluate_state(s, p, detail, &mut cache))
                    .collect::<Result<_>>()?;
                Ok((outcomes, cache))
            })
            .collect();
        let mut out = Vec::with_capacity(states.len());
        let mut last = None;
        for p in parts {
            let (outcomes, cache) = p?;
            out.extend(outcomes);
            last = Some(cache);
        }
        progress(out.len(), states.len());
        let cache = match last {
            Some(c) => c,
            None => Cache::new(self)?,
        };
        Ok((out, cache))
    }

    /// The answers on a path, shared with every path whose watched
    /// schedules are the same.
    pub(crate) fn answer_set(
        &self,
        state: &PathState,
        cache: &mut Cache,
    ) -> Result<Option<Arc<AnswerSet>>> {
        let Some(r) = &self.core.retaliation else {
            return Ok(None);
        };
        let key: Vec<u32> = r
            .relevant
            .iter()
            .map(|i| cache.version(&state.schedules[*i]))
            .collect();
        if let Some(a) = cache.answers.get(&key) {
            return Ok(Some(Arc::clone(a)));
        }
        let measures = self.core.measure_refs();
        let mut memo = super::answers::Memo {
            versions: &mut cache.versions,
            covered: &mut cache.covered,
            answers: &mut cache.answer_memo,
            triggers: &mut cache.trigger_memo,
            claims: &mut cache.claim_memo,
        };
        let a = Arc::new(r.settle(&measures, &state.schedules, &mut memo)?);
        cache.answers.insert(key, Arc::clone(&a));
        Ok(Some(a))
    }

    /// The plan of valuation side `si` with the slices the path's
    /// value-matched answers claim (mapped onto its baskets).
    pub(crate) fn path_plan_for(
        &self,
        si: usize,
        answers: &AnswerSet,
        cache: &mut Cache,
    ) -> Result<usize> {
        let measures = self.core.measure_refs();
        let base = self.core.base();
        let b = &self.baselines[si];
        let Some(r) = &self.core.retaliation else {
            return Ok(si);
        };
        let mut key: Vec<(usize, Vec<Slice>)> = Vec::new();
        for (ai, claim) in answers.claims.iter().enumerate() {
            let Some(c) = claim else { continue };
            let national = &r.national[c.side];
            if national.importer() != b.importer() || national.exporter() != b.exporter() {
                continue;
            }
            let basket_slices = c.basket_slices(&r.pools[c.side]);
            let slices = if self.core.own_national[si] == Some(c.side) {
                basket_slices
            } else {
                map_slices(&basket_slices, national, b)
            };
            if !slices.is_empty() {
                key.push((base + ai, slices));
            }
        }
        let key = (si, key);
        if let Some(id) = cache.plan_index.get(&key) {
            return Ok(*id);
        }
        let map: HashMap<usize, Vec<Slice>> = key.1.iter().cloned().collect();
        let base = base_of(&self.base_rates, b);
        let plan = SidePlan::new(si, b, &measures, self.regime.stacking(), base, &map)?;
        cache.plans.push(Arc::new(plan));
        let id = cache.plans.len() - 1;
        cache.plan_index.insert(key, id);
        Ok(id)
    }

    pub(crate) fn evaluate_state(
        &self,
        state: &PathState,
        path: &Path,
        detail: Detail,
        cache: &mut Cache,
    ) -> Result<PathOutcome> {
        let measures = self.core.measure_refs();
        let base = self.core.base();
        let answers = self.answer_set(state, cache)?;
        let ext: Vec<&Arc<Schedule>> = state
            .schedules
            .iter()
            .chain(answers.iter().flat_map(|a| a.schedules.iter()))
            .collect();
        let baskets = detail == Detail::Baskets;
        let mut sides = Vec::with_capacity(self.baselines.len());
        for (si, baseline) in self.baselines.iter().enumerate() {
            // Value-matched answers alone in their stacking group are
            // evaluated from their claims directly; otherwise (tied to other
            // measures, or per-basket detail asked for) the side is planned
            // again with their slices.
            let alone = !baskets && !self.core.value_tied[si];
            let plan_id = match (&answers, self.core.value_sides[si]) {
                (Some(a), true) if !alone => self.path_plan_for(si, a, cache)?,
                _ => si,
            };
            let plan = Arc::clone(&cache.plans[plan_id]);
            let mut one = || -> Result<super::exposure::SideExposure> {
                let mut results: Vec<Arc<GroupResult>> = Vec::with_capacity(plan.groups.len());
                // Each group's versions, one after another, ending at `ends`.
                let mut versions_of: Vec<u32> = Vec::with_capacity(plan.measures.len());
                let mut ends: Vec<usize> = Vec::with_capacity(plan.groups.len());
                for (gi, g) in plan.groups.iter().enumerate() {
                    if let (Some(a), true, [li]) = (&answers, alone, g.measures.as_slice()) {
                        let mi = plan.measures[*li];
                        if measures[mi].coverage().is_matched_value() {
                            let version = cache.version(ext[mi]);
                            results.push(self.value_group(
                                si,
                                g,
                                mi - base,
                                a,
                                ext[mi],
                                version,
                                cache,
                            )?);
                            versions_of.push(version);
                            ends.push(versions_of.len());
                            continue;
                        }
                    }
                    let versions: Vec<u32> = g
                        .measures
                        .iter()
                        .map(|li| cache.version(ext[plan.measures[*li]]))
                        .collect();
                    versions_of.extend_from_slice(&versions);
                    ends.push(versions_of.len());
                    let key = (plan_id, gi, versions, baskets);
                    let r = match cache.groups.get(&key) {
                        Some(r) => Arc::clone(r),
                        None => {
                            let schedules: Vec<&Schedule> = g
                                .measures
                                .iter()
                                .map(|li| ext[plan.measures[*li]].as_ref())
                                .collect();
                            let r = Arc::new(if baskets {
                                eval_group(g, &schedules, &cache.grid, &cache.factors[si], true)?
                            } else {
                                cache.group_months.group(
                                    plan_id,
                                    gi,
                                    g,
                                    &schedules,
                                    &key.2,
                                    &cache.grid,
                                    &cache.factors[si],
                                )?
                            });
                            cache.groups.insert(key, Arc::clone(&r));
                            r
                        }
                    };
                    results.push(r);
                }
                let refunds = self.refunds_on(
                    &plan,
                    plan_id,
                    baseline,
                    state,
                    &ext,
                    (&versions_of, &ends),
                    cache,
                )?;
                let refs: Vec<&GroupResult> = results.iter().map(Arc::as_ref).collect();
                let facts = |mi: usize| {
                    let r = refunds.get(&mi);
                    MeasureFacts {
                        shown: mi < base || answers.as_ref().is_some_and(|a| a.made[mi - base]),
                        voided: state.voided.get(mi).copied().flatten(),
                        refundable_before: r.map_or(crate::units::Accrued::ZERO, |r| r.before),
                        // With a stated rate, a measure owing nothing owes no
                        // interest: zero, not "none stated".
                        refund_interest: r.and_then(|r| r.interest).or_else(|| {
                            self.refunds.interest().map(|_| crate::units::Accrued::ZERO)
                        }),
                        trigger_grain: mi
                            .checked_sub(base)
                            .and_then(|ai| self.core.trigger_grains.get(ai).copied())
                            .unwrap_or(MeasureFacts::PLAIN.trigger_grain),
                    }
                };
                side_exposure(
                    &plan,
                    baseline,
                    &measures,
                    &cache.grid,
                    &cache.factors[si],
                    detail,
                    &refs,
                    &cache.imports[si],
                    cache.bases[si].clone(),
                    &facts,
                )
            };
            sides.push(one().map_err(|e| on_side(e, baseline))?);
        }
        let exposure = Exposure {
            window: self.window,
            months: Arc::clone(&cache.months),
            sides,
            unvalued: measures
                .iter()
                .filter(|m| {
                    !self
                        .baselines
                        .iter()
                        .any(|b| b.importer() == m.imposer() && b.exporter() == m.target())
                })
                .map(|m| m.id().clone())
                .collect(),
        };
        let commitments = state
            .commitments
            .iter()
            .map(|c| CommitmentOutcome::new(c, self.window))
            .collect::<Result<_>>()?;
        let voided: Vec<(MeasureId, crate::units::Date)> = state
            .voided
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|d| (measures[i].id().clone(), d)))
            .collect();
        Ok(PathOutcome {
            id: path.id().to_string(),
            labels: path.labels().to_vec(),
            kinds: path.kinds().to_vec(),
            probability: path.probability(),
            exposure,
            answers: answers.map_or_else(|| Arc::from(Vec::new()), |a| Arc::clone(&a.notes)),
            commitments,
            voided,
        })
    }

    /// The result of a value-matched answer alone in its stacking group on
    /// valuation side `si`: its claimed slices, mapped onto the side's
    /// baskets and summed by the windows they are covered over, evaluated as
    /// classes of their own (no other measure changes its duty).
    #[allow(clippy::too_many_arguments)]
    fn value_group(
        &self,
        si: usize,
        group: &GroupPlan,
        ai: usize,
        answers: &AnswerSet,
        schedule: &Arc<Schedule>,
        version: u32,
        cache: &mut Cache,
    ) -> Result<Arc<GroupResult>> {
        // Claims are interned (one `Arc` per distinct claim, kept as long as
        // the cache), so a claim's address stands for its content.
        let claim = answers.claims[ai]
            .as_ref()
            .map_or(0, |c| Arc::as_ptr(c) as usize);
        let quick = (si, ai, claim, version);
        if let Some(r) = cache.value_by_claim.get(&quick) {
            return Ok(Arc::clone(r));
        }
        let b = &self.baselines[si];
        let mut by_cover: BTreeMap<Vec<Window>, Vec<Decimal>> = BTreeMap::new();
        if let (Some(c), Some(r)) = (&answers.claims[ai], &self.core.retaliation) {
            let national = &r.national[c.side];
            let pool = &r.pools[c.side];
            // On the nation's own baseline a cell's slice is its value times
            // the share; on another (a portfolio) basket by basket.
            let mut add = |cover: &Vec<Window>, share: Decimal, values: &[Decimal]| {
                let acc = by_cover
                    .entry(cover.clone())
                    .or_insert_with(|| vec![Decimal::ZERO; values.len()]);
                for (v, x) in acc.iter_mut().zip(values) {
                    *v = x
                        .checked_mul(share)
                        .and_then(|y| v.checked_add(y))
                        .ok_or_else(|| crate::Error::overflow("a claimed value"))?;
                }
                Ok::<(), crate::Error>(())
            };
            if self.core.own_national[si] == Some(c.side) {
                for sl in &c.slices {
                    add(&sl.cover, sl.share, &pool.cells[sl.cell].values)?;
                }
            } else {
                for sl in map_slices(&c.basket_slices(pool), national, b) {
                    add(&sl.cover, sl.share, b.baskets()[sl.basket].values())?;
                }
            }
        }
        let key = (si, ai, by_cover.into_iter().collect::<Vec<_>>(), version);
        if let Some(r) = cache.value_groups.get(&key) {
            let r = Arc::clone(r);
            cache.value_by_claim.insert(quick, Arc::clone(&r));
            return Ok(r);
        }
        let r = eval_alone(
            group.layer_of[0],
            schedule,
            &key.2,
            &cache.grid,
            &cache.factors[si],
        )?;
        // Checked in debug builds: the general evaluation of the same group
        // gives the very same result.
        #[cfg(debug_assertions)]
        {
            let general = GroupPlan {
                measures: group.measures.clone(),
                rules: Vec::new(),
                classes: key
                    .2
                    .iter()
                    .map(|(cover, values)| super::plan::GroupClass {
                        cover: vec![cover.clone()],
                        less: vec![crate::units::Rate::ZERO],
                        values: values.clone(),
                    })
                    .collect(),
                of_class: Vec::new(),
                layer_of: group.layer_of.clone(),
            };
            let expected = eval_group(
                &general,
                &[schedule.as_ref()],
                &cache.grid,
                &cache.factors[si],
                false,
            )?;
            assert_eq!(format!("{r:?}"), format!("{expected:?}"));
        }
        let r = Arc::new(r);
        cache.value_groups.insert(key, Arc::clone(&r));
        cache.value_by_claim.insert(quick, Arc::clone(&r));
        Ok(r)
    }

    /// The refunds beyond the window of every voided measure on a side.
    #[allow(clippy::too_many_arguments)]
    fn refunds_on(
        &self,
        plan: &SidePlan,
        plan_id: usize,
        baseline: &Baseline,
        state: &PathState,
        ext: &[&Arc<Schedule>],
        (versions_of, ends): (&[u32], &[usize]),
        cache: &mut Cache,
    ) -> Result<HashMap<usize, Refund>> {
        let mut out = HashMap::new();
        for (li, &mi) in plan.measures.iter().enumerate() {
            let Some(ruling) = state.voided.get(mi).copied().flatten() else {
                continue;
            };
            let (g, pos) = plan.group_of[li];
            let start = g.checked_sub(1).map_or(0, |p| ends[p]);
            let key = (
                plan_id,
                g,
                pos,
                versions_of[start..ends[g]].to_vec(),
                ruling,
            );
            let r = match cache.refunds.get(&key) {
                Some(r) => *r,
                None => {
                    let schedules: Vec<&Schedule> = plan.groups[g]
                        .measures
                        .iter()
                        .map(|gl| ext[plan.measures[*gl]].as_ref())
                        .collect();
                    let r = refund(
                        plan,
                        baseline,
                        g,
                        pos,
                        &schedules,
                        self.core.history,
                        self.window,
                        ruling,
                        &self.refunds,
                    )
                    .map_err(|e| {
                        e.at(format!(
                            "the refund of measure {:?}",
                            self.core.measures[mi].id().as_str()
                        ))
                    })?;
                    cache.refunds.insert(key, r);
                    r
                }
            };
            out.insert(mi, r);
        }
        Ok(out)
    }
}

/// The reference path when none is named: no branch taken, probability 0.
fn as_scheduled() -> Path {
    Path::reference(
        AS_SCHEDULED,
        "As scheduled (no outcome applied)",
        OutcomeKind::StatusQuo,
    )
}

/// Slices of national baskets carried onto the baskets of another baseline
/// of the same direction: a basket of the same key, or — for a national HS
/// line — every basket (an importer's item) whose HS code falls under it.
fn map_slices(slices: &[Slice], national: &Baseline, to: &Baseline) -> Vec<Slice> {
    let mut out = Vec::new();
    for s in slices {
        let key = national.baskets()[s.basket].key();
        for (i, b) in to.baskets().iter().enumerate() {
            let under = b.key() == key
                || match (key.hs(), b.key().hs()) {
                    (Some(line), Some(code)) if matches!(key, crate::trade::BasketKey::Hs(_)) => {
                        line.is_prefix_of(code)
                    }
                    _ => false,
                };
            if under {
                out.push(Slice {
                    basket: i,
                    share: s.share,
                    cover: s.cover.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::synthetic::Synthetic;
    use crate::{Detail, PathOutcome};

    #[test]
    fn work_let_go_while_streaming_gives_the_same_outcomes() {
        // 4 × 4 leaves with three rules, keeping at most 5 group results
        // and answer sets: the work is begun again every path or two, and
        // every outcome is still the one the whole evaluation gives.
        let s = Synthetic::new(2018)
            .lines(200)
            .measures(4)
            .steps(2)
            .tree(2, 4)
            .retaliation(3)
            .scenario()
            .unwrap();
        let mut streamed: Vec<PathOutcome> = Vec::new();
        let reference = s
            .stream(Detail::Totals, 5, &mut |_, p| {
                streamed.push(p);
                Ok(())
            })
            .unwrap();
        let whole = s.evaluate(Detail::Totals).unwrap();
        assert_eq!(streamed.len(), 16);
        assert_eq!(streamed.as_slice(), whole.paths());
        assert_eq!(&reference, whole.reference());
    }
}
