//! Evaluating a scenario: every path of the tree over the window, sharing
//! work across paths through the [`Cache`].

use std::collections::HashMap;
use std::sync::Arc;

use super::answers::AnswerSet;
use super::cache::{Cache, PathScratch};
use super::eval::eval_group;
use super::exposure::{Detail, Exposure};
use super::paths::PathState;
use super::plan::{SidePlan, Slice, base_of};
use super::refunds::{Refund, refund};
use super::results::{CommitmentOutcome, Evaluation, PathOutcome};
use super::scenario::{AS_SCHEDULED, Scenario};
use super::side::{MeasureFacts, on_side, side_exposure};
use super::value::map_slices;
use crate::error::Result;
use crate::outcome::{OutcomeKind, Path};
use crate::tariff::Schedule;
use crate::trade::Baseline;
use crate::units::MeasureId;

impl Scenario {
    /// Evaluates every path of the tree over the window.
    ///
    /// Work is shared: goods are evaluated by coverage class, a group of
    /// measures tied by stacking rules is evaluated once per distinct set of
    /// schedules, and retaliation once per distinct set of the schedules it
    /// watches, whichever paths share them. With the `parallel` feature,
    /// paths are spread over threads, one run of neighbouring paths a
    /// thread, sharing the months of groups; the result is identical.
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
        let (outcomes, reference) = self.evaluate_paths(detail, progress)?;
        Ok(Evaluation {
            window: self.window,
            horizon: self.horizon,
            months: super::eval::Grid::new(self.window)?.months,
            paths: outcomes,
            reference,
            not_valued: self.not_valued.clone(),
        })
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

    /// Every path's outcome, in path order, and the reference's: the paths
    /// evaluated as the tree is walked, sharing one cache, each state let
    /// go once evaluated.
    #[cfg(not(feature = "parallel"))]
    fn evaluate_paths(
        &self,
        detail: Detail,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<(Vec<PathOutcome>, PathOutcome)> {
        let total = self.tree.paths().len();
        let mut outcomes = Vec::with_capacity(total);
        let reference = self.stream(detail, usize::MAX, &mut |i, outcome| {
            outcomes.push(outcome);
            progress(i + 1, total);
            Ok(())
        })?;
        Ok((outcomes, reference))
    }

    /// Every path's outcome, in path order, and the reference's, on the
    /// threads of the pool: one run of paths a thread, whose states the
    /// thread makes and lets go, each with its own cache but all sharing
    /// the months of groups; a reference off the tree after the last run's
    /// paths, sharing their work.
    #[cfg(feature = "parallel")]
    fn evaluate_paths(
        &self,
        detail: Detail,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<(Vec<PathOutcome>, PathOutcome)> {
        use rayon::prelude::*;
        let paths = self.tree.paths();
        let threads = rayon::current_num_threads().max(1);
        // A reference off the tree counts as one more path when the paths
        // are shared out.
        let items = paths.len() + usize::from(self.reference.is_none());
        let run = items.div_ceil(threads).max(1);
        let runs: Vec<std::ops::Range<usize>> = (0..paths.len())
            .step_by(run)
            .map(|start| start..(start + run).min(paths.len()))
            .collect();
        let last = runs.len().saturating_sub(1);
        // Paths next to each other share most months, and the first paths
        // of every run need the months all paths share: every other run
        // goes from its last path back, and its last month back, so two
        // threads seldom work out the same month at once.
        let months = super::months::SharedMonths::new_shared();
        type Part = (Vec<PathOutcome>, Option<PathOutcome>);
        let parts: Vec<Result<Part>> = runs
            .into_par_iter()
            .enumerate()
            .map(|(r, range)| {
                let backward = r % 2 == 1;
                let mut cache = Cache::sharing_months(self, Arc::clone(&months), backward)?;
                let states = self.path_states_in(range.clone())?;
                let mut one =
                    |(s, p): (&PathState, &Path)| self.evaluate_state(s, p, detail, &mut cache);
                let pairs = states.iter().zip(&paths[range]);
                let outcomes = if !backward {
                    pairs.map(&mut one).collect::<Result<Vec<_>>>()?
                } else {
                    // Every path is evaluated, so that the error reported is
                    // the first path's in path order, as serially.
                    let mut back: Vec<Result<PathOutcome>> = pairs.rev().map(&mut one).collect();
                    back.reverse();
                    back.into_iter().collect::<Result<Vec<_>>>()?
                };
                let off_tree = match self.reference {
                    None if r == last => Some(one((&self.base_state(), &as_scheduled()))?),
                    _ => None,
                };
                Ok((outcomes, off_tree))
            })
            .collect();
        let mut outcomes = Vec::with_capacity(paths.len());
        let mut off_tree = None;
        for part in parts {
            let (run, r) = part?;
            outcomes.extend(run);
            off_tree = off_tree.or(r);
        }
        progress(outcomes.len(), paths.len());
        let reference = match (self.reference.and_then(|i| outcomes.get(i)), off_tree) {
            (Some(r), _) => r.clone(),
            (None, Some(r)) => r,
            (None, None) => {
                let mut cache = Cache::new(self)?;
                self.evaluate_state(&self.base_state(), &as_scheduled(), detail, &mut cache)?
            }
        };
        Ok((outcomes, reference))
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
            .map(|i| cache.version(*i, &state.schedules[*i]))
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
        let measures = &self.core.measures;
        let answers = self.answer_set(state, cache)?;
        let ext = Schedules {
            regime: &state.schedules,
            answers: answers.as_ref().map_or(&[], |a| a.schedules.as_slice()),
        };
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
                let mut scratch = std::mem::take(&mut cache.scratch);
                let out = self.side_of(
                    state,
                    (si, baseline, plan_id, &plan),
                    (&answers, ext, alone, baskets),
                    detail,
                    &mut scratch,
                    cache,
                );
                cache.scratch = scratch;
                out
            };
            sides.push(one().map_err(|e| on_side(e, baseline))?);
        }
        let exposure = Exposure {
            window: self.window,
            months: Arc::clone(&cache.shared.months),
            sides,
            unvalued: Arc::clone(&cache.shared.unvalued),
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
            labels: path.labels().map(str::to_string).collect(),
            kinds: path.kinds().collect(),
            probability: path.probability(),
            exposure,
            answers: answers.map_or_else(
                || Arc::clone(&cache.shared.no_answers),
                |a| Arc::clone(&a.notes),
            ),
            commitments,
            voided,
        })
    }

    /// One side of a path: its groups' results (kept in `cache` by their
    /// schedules' versions), its refunds and its exposure. `side` is the
    /// side's index, baseline, side plan id and plan; `ext` the schedule of
    /// every measure (answers after the regime's), `alone` whether
    /// value-matched answers alone in their group are evaluated from their
    /// claims.
    #[allow(clippy::too_many_arguments)]
    fn side_of(
        &self,
        state: &PathState,
        (si, baseline, plan_id, plan): (usize, &Baseline, usize, &SidePlan),
        (answers, ext, alone, baskets): (&Option<Arc<AnswerSet>>, Schedules<'_>, bool, bool),
        detail: Detail,
        scratch: &mut PathScratch,
        cache: &mut Cache,
    ) -> Result<super::exposure::SideExposure> {
        let measures = &self.core.measures;
        let base = self.core.base();
        let PathScratch {
            group_key: key,
            versions_of,
            ends,
            results,
            side,
        } = scratch;
        versions_of.clear();
        ends.clear();
        results.clear();
        for (gi, g) in plan.groups.iter().enumerate() {
            if let (Some(a), true, [li]) = (answers, alone, g.measures.as_slice()) {
                let mi = plan.measures[*li];
                if measures[mi].coverage().is_matched_value() {
                    let version = cache.version(mi, &ext[mi]);
                    results.push(self.value_group(
                        si,
                        g,
                        mi - base,
                        a,
                        &ext[mi],
                        version,
                        cache,
                    )?);
                    versions_of.push(version);
                    ends.push(versions_of.len());
                    continue;
                }
            }
            // The group's key, in a buffer kept from one look-up to the
            // next: most look-ups find a result, and allocate nothing.
            key.0 = plan_id;
            key.1 = gi;
            key.2.clear();
            for li in &g.measures {
                let mi = plan.measures[*li];
                key.2.push(cache.version(mi, &ext[mi]));
            }
            key.3 = baskets;
            versions_of.extend_from_slice(&key.2);
            ends.push(versions_of.len());
            let r = match cache.groups.get(&*key) {
                Some(r) => Arc::clone(r),
                None => {
                    let (grid, factors) = (&cache.shared.grid, &cache.shared.factors[si]);
                    let linear = match (baskets, g.measures.as_slice()) {
                        (false, [li]) => {
                            let one = &ext[plan.measures[*li]];
                            cache.linear.group((plan_id, gi), g, one, grid, factors)
                        }
                        _ => None,
                    };
                    let (r, kept) = match linear {
                        // A linear group's result is cheap to make again,
                        // and most serve one path: it is kept from its
                        // second meeting on.
                        Some(r) => (Arc::new(r), cache.linear_met.met_before(&*key)),
                        None => {
                            let schedules: Vec<&Schedule> = g
                                .measures
                                .iter()
                                .map(|li| ext[plan.measures[*li]].as_ref())
                                .collect();
                            let r = if baskets {
                                eval_group(g, &schedules, grid, factors, true)?
                            } else {
                                cache
                                    .group_months
                                    .group(plan_id, gi, g, &schedules, &key.2, grid, factors)?
                            };
                            (Arc::new(r), true)
                        }
                    };
                    if kept {
                        cache.groups.insert(key.clone(), Arc::clone(&r));
                    }
                    r
                }
            };
            results.push(r);
        }
        let refunds = self.refunds_on(
            plan,
            plan_id,
            baseline,
            state,
            ext,
            (versions_of, ends),
            cache,
        )?;
        // With a stated rate, a measure owing nothing owes no
        // interest: zero, not "none stated".
        let no_interest = self.refunds.interest().map(|_| crate::units::Accrued::ZERO);
        let facts = |mi: usize| {
            let r = if refunds.is_empty() {
                None
            } else {
                refunds.get(&mi)
            };
            MeasureFacts {
                shown: mi < base || answers.as_ref().is_some_and(|a| a.made[mi - base]),
                voided: state.voided.get(mi).copied().flatten(),
                refundable_before: r.map_or(crate::units::Accrued::ZERO, |r| r.before),
                refund_interest: r.and_then(|r| r.interest).or(no_interest),
                trigger_grain: mi
                    .checked_sub(base)
                    .and_then(|ai| self.core.trigger_grains.get(ai).copied())
                    .unwrap_or(MeasureFacts::PLAIN.trigger_grain),
            }
        };
        side_exposure(
            plan,
            baseline,
            measures,
            &cache.shared.grid,
            &cache.shared.factors[si],
            detail,
            results,
            &cache.shared.imports[si],
            cache.shared.bases[si].clone(),
            facts,
            side,
        )
    }

    /// The refunds beyond the window of every voided measure on a side.
    #[allow(clippy::too_many_arguments)]
    fn refunds_on(
        &self,
        plan: &SidePlan,
        plan_id: usize,
        baseline: &Baseline,
        state: &PathState,
        ext: Schedules<'_>,
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

/// The schedule of every measure on a path, by the measure's index: the
/// regime's measures, then the answers made on the path.
#[derive(Clone, Copy)]
pub(crate) struct Schedules<'a> {
    regime: &'a [Arc<Schedule>],
    answers: &'a [Arc<Schedule>],
}

impl std::ops::Index<usize> for Schedules<'_> {
    type Output = Arc<Schedule>;

    fn index(&self, mi: usize) -> &Arc<Schedule> {
        match self.regime.get(mi) {
            Some(s) => s,
            None => &self.answers[mi - self.regime.len()],
        }
    }
}

/// The reference path when none is named: no branch taken, probability 0.
pub(super) fn as_scheduled() -> Path {
    Path::reference(
        AS_SCHEDULED,
        "As scheduled (no outcome applied)",
        OutcomeKind::StatusQuo,
    )
}
