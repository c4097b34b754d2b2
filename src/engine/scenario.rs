//! Scenarios: baselines, measures, stacking and retaliation rules, an outcome
//! tree and a horizon, evaluated path by path.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::Prepared;
use super::eval::{
    Grid, GroupResult, eval_group, month_factors, on_side, side_exposure, side_imports,
};
use super::exposure::{Detail, Exposure, sum};
use super::plan::Plan;
use crate::error::{Error, Result};
use crate::outcome::{Action, Branch, Commitment, Node, OutcomeKind, OutcomeTree, Path};
use crate::retaliation::{AnswerNote, RetaliationRule, answers};
use crate::tariff::{Measure, Regime, Schedule};
use crate::trade::Baseline;
use crate::units::{
    ACCRUAL_DENOMINATOR, Accrued, Currency, Date, MeasureId, Month, Party, Window, days_between,
};

/// What a scenario is: its id, title and the assumptions it states.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScenarioInfo {
    /// A short id, e.g. `g20-2018`.
    pub id: String,
    /// A title for reports.
    pub title: String,
    /// What the scenario asks.
    pub description: String,
    /// Stated assumptions (probabilities, simplifications), printed with results.
    pub assumptions: Vec<String>,
    /// Sources for the facts it encodes.
    pub sources: Vec<String>,
}

/// A validated scenario: baselines + measures + stacking rules + retaliation
/// rules + outcome tree + horizon, with a reference that differences are
/// taken against: a named path, or (by default) the status quo — every
/// measure as scheduled, no outcome applied.
///
/// Every path of the tree is checked when the scenario is built: each action
/// names existing measures, is dated on or after its decision point and
/// inside the horizon, and applies cleanly to the schedules as the path has
/// left them.
#[derive(Debug, Clone)]
pub struct Scenario {
    info: ScenarioInfo,
    prepared: Prepared,
    retaliation: Vec<RetaliationRule>,
    tree: OutcomeTree,
    horizon: Window,
    reference: Option<usize>,
    /// The baselines retaliation answers are sized on, when the scenario is
    /// valued on other ones (an importer's portfolio).
    answer_baselines: Option<Vec<Baseline>>,
}

/// The id of the status-quo reference when no path is named.
pub const STATUS_QUO: &str = "status-quo";

impl PartialEq for Scenario {
    /// Scenarios are equal when what they say is equal: info, baselines,
    /// regime, rules, tree, horizon and reference path.
    fn eq(&self, other: &Scenario) -> bool {
        self.info == other.info
            && self.baselines() == other.baselines()
            && self.regime() == other.regime()
            && self.retaliation == other.retaliation
            && self.tree == other.tree
            && self.horizon == other.horizon
            && self.reference == other.reference
    }
}

impl Eq for Scenario {}

/// The state of the measures at the end of a path.
#[derive(Debug, Clone)]
pub(crate) struct PathState {
    pub schedules: Vec<Arc<Schedule>>,
    pub voided: Vec<Option<Date>>,
    pub commitments: Vec<Commitment>,
}

impl Scenario {
    /// A validated scenario. Without a tree, the scenario has one certain
    /// status-quo path; without a named reference path, differences are
    /// taken against the status quo (no outcome applied).
    ///
    /// # Errors
    /// Everything [`Prepared::new`] refuses; [`Error::DuplicateId`] for
    /// retaliation rules sharing an id; [`Error::Unknown`] for a selector or
    /// reference path that names nothing; [`Error::ActionDate`] for an action
    /// before its decision or outside the horizon; the schedule error of an
    /// action that does not apply (postponing a missing step, ...), each
    /// wrapped with the node, branch and action.
    pub fn new(
        info: ScenarioInfo,
        baselines: Vec<Baseline>,
        regime: Regime,
        retaliation: Vec<RetaliationRule>,
        tree: Option<OutcomeTree>,
        horizon: Window,
        reference: Option<&str>,
    ) -> Result<Scenario> {
        if horizon.days() == 0 {
            return Err(Error::Invalid(format!(
                "scenario {:?} has an empty horizon {horizon}: give it at least one day",
                info.id
            )));
        }
        let prepared = Prepared::new(baselines, regime)?;
        let mut seen = std::collections::HashSet::new();
        for r in &retaliation {
            if !seen.insert(r.id().clone()) {
                return Err(Error::DuplicateId {
                    kind: "retaliation rule",
                    id: r.id().to_string(),
                });
            }
            r.check(prepared.regime().measures())?;
        }
        let tree = tree.unwrap_or_else(|| OutcomeTree::status_quo(horizon.start()));
        let reference = match reference {
            None => None,
            Some(id) if id == STATUS_QUO && tree.path(id).is_none() => None,
            Some(id) => tree
                .paths()
                .iter()
                .position(|p| p.id() == id)
                .ok_or_else(|| {
                    Error::unknown(
                        "reference path",
                        id,
                        format!(
                            "; paths are {}",
                            tree.paths()
                                .iter()
                                .map(|p| p.id().to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })
                .map(Some)?,
        };
        let scenario = Scenario {
            info,
            prepared,
            retaliation,
            tree,
            horizon,
            reference,
            answer_baselines: None,
        };
        scenario.path_states()?;
        Ok(scenario)
    }

    /// The scenario's id, title and assumptions.
    pub fn info(&self) -> &ScenarioInfo {
        &self.info
    }

    /// The baselines.
    pub fn baselines(&self) -> &[Baseline] {
        self.prepared.baselines()
    }

    /// The measures and stacking rules.
    pub fn regime(&self) -> &Regime {
        self.prepared.regime()
    }

    /// The retaliation rules.
    pub fn retaliation(&self) -> &[RetaliationRule] {
        &self.retaliation
    }

    /// The outcome tree.
    pub fn tree(&self) -> &OutcomeTree {
        &self.tree
    }

    /// The horizon `[start, end)` evaluated.
    pub fn horizon(&self) -> Window {
        self.horizon
    }

    /// The reference path, or `None` for the status quo.
    pub fn reference(&self) -> Option<&Path> {
        self.reference.map(|i| &self.tree.paths()[i])
    }

    /// The reference's id: a path id, or [`STATUS_QUO`].
    pub fn reference_id(&self) -> &str {
        self.reference().map_or(STATUS_QUO, |p| p.id())
    }

    /// Baselines and regime, prepared.
    pub fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// The same scenario valued on other baselines (an importer's own
    /// SKUs): the measures, rules, tree and horizon stay, and retaliation
    /// still answers — with the thresholds and import caps — what this
    /// scenario's own baselines trade, so the answers a path makes do not
    /// depend on which goods are valued.
    ///
    /// # Errors
    /// As [`Prepared::new`]: coverage must name baskets the new baselines
    /// have.
    pub fn revalue(&self, baselines: Vec<Baseline>) -> Result<Scenario> {
        let answer_baselines = Some(
            self.answer_baselines
                .clone()
                .unwrap_or_else(|| self.baselines().to_vec()),
        );
        let prepared = Prepared::new(baselines, self.regime().clone())?;
        Ok(Scenario {
            prepared,
            answer_baselines,
            ..self.clone()
        })
    }

    /// The same scenario with another horizon.
    ///
    /// # Errors
    /// As [`Scenario::new`]: actions must fall inside the new horizon.
    pub fn with_horizon(&self, horizon: Window) -> Result<Scenario> {
        let s = Scenario {
            horizon,
            ..self.clone()
        };
        s.path_states()?;
        Ok(s)
    }

    fn apply(
        &self,
        state: &mut PathState,
        node: &Node,
        branch: &Branch,
        ai: usize,
        action: &Action,
    ) -> Result<()> {
        let ctx = || {
            format!(
                "node {:?}, branch {:?}, action {} ({})",
                node.id().as_str(),
                branch.id().as_str(),
                ai + 1,
                action.target()
            )
        };
        let measures = self.regime().measures();
        let targets: Vec<usize> = (0..measures.len())
            .filter(|i| action.target().matches(&measures[*i]))
            .collect();
        if targets.is_empty() {
            crate::tariff::check_selector(action.target(), measures).map_err(|e| e.at(ctx()))?;
        }
        for i in targets {
            let id = measures[i].id().as_str();
            if let Some(date) = action.effective_date(&state.schedules[i]) {
                if date < node.date() {
                    return Err(Error::ActionDate {
                        target: id.to_string(),
                        date,
                        problem: format!(
                            "is before its decision point ({}); date it on or after the decision",
                            node.date()
                        ),
                    }
                    .at(ctx()));
                }
                if !self.horizon.contains(date) {
                    return Err(Error::ActionDate {
                        target: id.to_string(),
                        date,
                        problem: format!(
                            "is outside the horizon {}; widen the horizon or move the action",
                            self.horizon
                        ),
                    }
                    .at(ctx()));
                }
            }
            let next = action
                .apply(&state.schedules[i])
                .map_err(|e| e.at(format!("{}, measure {id:?}", ctx())))?;
            state.schedules[i] = Arc::new(next);
            if let Some(d) = action.void_date() {
                state.voided[i] = Some(d);
            }
        }
        Ok(())
    }

    fn base_state(&self) -> PathState {
        let measures = self.regime().measures();
        PathState {
            schedules: measures
                .iter()
                .map(|m| Arc::new(m.schedule().clone()))
                .collect(),
            voided: vec![None; measures.len()],
            commitments: Vec::new(),
        }
    }

    /// The state at the end of every path, in path order; applying each
    /// branch's actions once on its parent's state.
    pub(crate) fn path_states(&self) -> Result<Vec<PathState>> {
        let mut out = Vec::with_capacity(self.tree.paths().len());
        self.walk(self.tree.root(), self.base_state(), &mut out)?;
        Ok(out)
    }

    fn walk(&self, node: &Node, state: PathState, out: &mut Vec<PathState>) -> Result<()> {
        for b in node.branches() {
            let mut s = state.clone();
            for (ai, a) in b.actions().iter().enumerate() {
                self.apply(&mut s, node, b, ai, a)?;
            }
            s.commitments.extend(b.commitments().iter().cloned());
            match b.next() {
                Some(child) => self.walk(child, s, out)?,
                None => out.push(s),
            }
        }
        Ok(())
    }

    /// The state at the end of one path.
    pub(crate) fn path_state(&self, path: &Path) -> Result<PathState> {
        let mut s = self.base_state();
        for (node, b) in self.tree.steps(path) {
            for (ai, a) in b.actions().iter().enumerate() {
                self.apply(&mut s, node, b, ai, a)?;
            }
            s.commitments.extend(b.commitments().iter().cloned());
        }
        Ok(s)
    }

    /// Static exposure over the horizon with every measure as scheduled (no
    /// outcome applied, no retaliation).
    ///
    /// # Errors
    /// As [`Prepared::exposure`].
    pub fn status_quo(&self, detail: Detail) -> Result<Exposure> {
        self.prepared.exposure(self.horizon, detail)
    }

    /// Evaluates every path of the tree over the horizon.
    ///
    /// Work is shared: goods are evaluated by coverage class, and a group of
    /// measures tied by stacking rules is evaluated once per distinct set of
    /// schedules, whichever paths share it. With the `parallel` feature,
    /// paths are spread over threads; the result is identical.
    ///
    /// # Errors
    /// [`Error::RetaliationLoop`] when answers do not settle on some path;
    /// [`Error::BaselineGap`] when a baseline lacks a period of the horizon;
    /// [`Error::Overflow`].
    pub fn evaluate(&self, detail: Detail) -> Result<Evaluation> {
        let states = self.path_states()?;
        let paths = self.tree.paths();
        let outcomes = self.evaluate_states(&states, paths, detail)?;
        let reference = match self.reference {
            Some(i) => outcomes[i].clone(),
            None => self.status_quo_outcome(detail)?,
        };
        Ok(Evaluation {
            horizon: self.horizon,
            months: Grid::new(self.horizon)?.months,
            paths: outcomes,
            reference,
        })
    }

    #[cfg(not(feature = "parallel"))]
    fn evaluate_states(
        &self,
        states: &[PathState],
        paths: &[Path],
        detail: Detail,
    ) -> Result<Vec<PathOutcome>> {
        let mut cache = Cache::new(self)?;
        states
            .iter()
            .zip(paths)
            .map(|(s, p)| self.evaluate_state(s, p, detail, &mut cache))
            .collect()
    }

    #[cfg(feature = "parallel")]
    fn evaluate_states(
        &self,
        states: &[PathState],
        paths: &[Path],
        detail: Detail,
    ) -> Result<Vec<PathOutcome>> {
        use rayon::prelude::*;
        let threads = rayon::current_num_threads().max(1);
        let chunk = states.len().div_ceil(threads).max(1);
        let parts: Vec<Result<Vec<PathOutcome>>> = states
            .par_chunks(chunk)
            .zip(paths.par_chunks(chunk))
            .map(|(ss, ps)| {
                let mut cache = Cache::new(self)?;
                ss.iter()
                    .zip(ps)
                    .map(|(s, p)| self.evaluate_state(s, p, detail, &mut cache))
                    .collect()
            })
            .collect();
        let mut out = Vec::with_capacity(states.len());
        for p in parts {
            out.extend(p?);
        }
        Ok(out)
    }

    /// The status quo as a path outcome: every measure as scheduled, no
    /// outcome applied (probability 0: it is a reference, not a branch).
    fn status_quo_outcome(&self, detail: Detail) -> Result<PathOutcome> {
        let mut cache = Cache::new(self)?;
        let path = Path::status_quo_reference();
        self.evaluate_state(&self.base_state(), &path, detail, &mut cache)
    }

    /// Evaluates one path, by id.
    ///
    /// # Errors
    /// [`Error::Unknown`] for an unknown path id; as [`Scenario::evaluate`].
    pub fn evaluate_path(&self, path_id: &str, detail: Detail) -> Result<PathOutcome> {
        let path = self.find_path(path_id)?;
        let state = self.path_state(path)?;
        let mut cache = Cache::new(self)?;
        self.evaluate_state(&state, path, detail, &mut cache)
    }

    pub(crate) fn find_path(&self, path_id: &str) -> Result<&Path> {
        self.tree.path(path_id).ok_or_else(|| {
            Error::unknown(
                "path",
                path_id,
                format!(
                    "; paths are {}",
                    self.tree
                        .paths()
                        .iter()
                        .map(|p| p.id().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    }

    /// The regime, plan and answers on one path: the base ones when no rule
    /// answers, else the base measures plus the answers.
    pub(crate) fn path_regime(
        &self,
        state: &PathState,
    ) -> Result<(Option<Prepared>, Vec<AnswerNote>)> {
        if self.retaliation.is_empty() {
            return Ok((None, Vec::new()));
        }
        let pairs: Vec<(&Measure, &Schedule)> = self
            .regime()
            .measures()
            .iter()
            .zip(&state.schedules)
            .map(|(m, s)| (m, s.as_ref()))
            .collect();
        let sized_on = self.answer_baselines.as_deref().unwrap_or(self.baselines());
        let (made, notes) = answers(sized_on, &pairs, &self.retaliation, self.horizon)?;
        if made.is_empty() {
            return Ok((None, notes));
        }
        let regime = self.regime().with_more(made);
        let prepared = Prepared::new(self.baselines().to_vec(), regime)?;
        Ok((Some(prepared), notes))
    }

    fn evaluate_state(
        &self,
        state: &PathState,
        path: &Path,
        detail: Detail,
        cache: &mut Cache,
    ) -> Result<PathOutcome> {
        let (extra, notes) = self.path_regime(state)?;
        // Plans are shared between paths whose answers cover the same goods;
        // the answers' schedules always come from this path.
        let answer_schedules: Vec<Schedule> = extra.as_ref().map_or_else(Vec::new, |p| {
            p.regime().measures()[state.schedules.len()..]
                .iter()
                .map(|m| m.schedule().clone())
                .collect()
        });
        let (plan_id, path_plan): (usize, Option<Arc<Prepared>>) = match extra {
            None => (0, None),
            Some(p) => {
                let key = format!(
                    "{:?}",
                    p.regime().measures()[state.schedules.len()..]
                        .iter()
                        .map(|m| (m.id(), m.coverage()))
                        .collect::<Vec<_>>()
                );
                let id = match cache.plan_index.get(&key) {
                    Some(id) => *id,
                    None => {
                        cache.plans.push(Arc::new(p));
                        cache.plan_index.insert(key, cache.plans.len());
                        cache.plans.len()
                    }
                };
                (id, Some(Arc::clone(&cache.plans[id - 1])))
            }
        };
        let prepared: &Prepared = path_plan.as_deref().unwrap_or(&self.prepared);
        let regime = prepared.regime();
        let base = state.schedules.len();
        let schedule_of = |ri: usize| -> &Schedule {
            match state.schedules.get(ri) {
                Some(s) => s.as_ref(),
                None => answer_schedules
                    .get(ri - base)
                    .unwrap_or_else(|| regime.measures()[ri].schedule()),
            }
        };
        let plan: &Plan = prepared.plan();
        let refundable: Vec<bool> = (0..regime.measures().len())
            .map(|i| state.voided.get(i).copied().flatten().is_some())
            .collect();
        let mut sides = Vec::with_capacity(plan.sides.len());
        for (si, side) in plan.sides.iter().enumerate() {
            let baseline = &self.baselines()[side.baseline];
            let mut one = || -> Result<super::exposure::SideExposure> {
                let factors = &cache.factors[side.baseline];
                let mut results: Vec<Arc<GroupResult>> = Vec::with_capacity(side.groups.len());
                for (gi, g) in side.groups.iter().enumerate() {
                    let schedules: Vec<&Schedule> = g
                        .measures
                        .iter()
                        .map(|li| schedule_of(side.measures[*li]))
                        .collect();
                    let versions: Vec<u32> = g
                        .measures
                        .iter()
                        .zip(&schedules)
                        .map(|(li, s)| match state.schedules.get(side.measures[*li]) {
                            Some(shared) => {
                                intern_shared(&mut cache.shared, &mut cache.schedules, shared)
                            }
                            None => intern(&mut cache.schedules, s),
                        })
                        .collect();
                    let key = (plan_id, si, gi, versions, detail == Detail::Baskets);
                    let r = match cache.groups.get(&key) {
                        Some(r) => Arc::clone(r),
                        None => {
                            let r = Arc::new(eval_group(
                                g,
                                &schedules,
                                &cache.grid,
                                factors,
                                detail == Detail::Baskets,
                            )?);
                            cache.groups.insert(key, Arc::clone(&r));
                            r
                        }
                    };
                    results.push(r);
                }
                let refs: Vec<&GroupResult> = results.iter().map(Arc::as_ref).collect();
                let imports = &cache.imports[side.baseline];
                side_exposure(
                    side,
                    baseline,
                    regime,
                    &cache.grid,
                    factors,
                    detail,
                    &refs,
                    imports,
                    &refundable,
                )
            };
            sides.push(one().map_err(|e| on_side(e, baseline))?);
        }
        let exposure = Exposure {
            window: self.horizon,
            months: cache.grid.months.clone(),
            sides,
            unvalued: plan
                .unvalued
                .iter()
                .map(|i| regime.measures()[*i].id().clone())
                .collect(),
        };
        let commitments = state
            .commitments
            .iter()
            .map(|c| CommitmentOutcome::new(c, self.horizon))
            .collect::<Result<_>>()?;
        let voided = state
            .voided
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|d| (self.regime().measures()[i].id().clone(), d)))
            .collect();
        Ok(PathOutcome {
            id: path.id().to_string(),
            labels: path.labels().to_vec(),
            kinds: path.kinds().to_vec(),
            probability: path.probability(),
            exposure,
            answers: notes,
            commitments,
            voided,
        })
    }
}

/// A group's result is keyed by plan, side, group, the schedule version of
/// each of its measures, and whether per-class rate-days were kept.
type GroupKey = (usize, usize, usize, Vec<u32>, bool);

/// Work shared across the paths of one evaluation.
struct Cache {
    grid: Grid,
    factors: Vec<Vec<(usize, Decimal)>>,
    /// Import values per month and in total, per baseline: the same on
    /// every path.
    imports: Vec<(Vec<Accrued>, Accrued)>,
    schedules: HashMap<Schedule, u32>,
    /// Schedule ids by the address of a path state's `Arc`: paths share the
    /// `Arc` of every measure no branch on them touched, so most look-ups
    /// end here without hashing a schedule. The `Arc` is kept, so its
    /// address cannot be reused while the cache lives.
    shared: HashMap<usize, (Arc<Schedule>, u32)>,
    groups: HashMap<GroupKey, Arc<GroupResult>>,
    plans: Vec<Arc<Prepared>>,
    plan_index: HashMap<String, usize>,
}

impl Cache {
    fn new(s: &Scenario) -> Result<Cache> {
        let grid = Grid::new(s.horizon)?;
        let factors = s
            .baselines()
            .iter()
            .map(|b| month_factors(b, &grid))
            .collect::<Result<Vec<_>>>()?;
        let mut imports = vec![(Vec::new(), Accrued::ZERO); s.baselines().len()];
        for side in &s.prepared.plan().sides {
            imports[side.baseline] = side_imports(side, &grid, &factors[side.baseline])?;
        }
        Ok(Cache {
            grid,
            factors,
            imports,
            schedules: HashMap::new(),
            shared: HashMap::new(),
            groups: HashMap::new(),
            plans: Vec::new(),
            plan_index: HashMap::new(),
        })
    }
}

/// The id of a path state's schedule: by its `Arc`'s address when seen
/// before, else by content ([`intern`]).
fn intern_shared(
    shared: &mut HashMap<usize, (Arc<Schedule>, u32)>,
    schedules: &mut HashMap<Schedule, u32>,
    s: &Arc<Schedule>,
) -> u32 {
    let address = Arc::as_ptr(s) as usize;
    if let Some((_, v)) = shared.get(&address) {
        return *v;
    }
    let v = intern(schedules, s);
    shared.insert(address, (Arc::clone(s), v));
    v
}

/// A small id for a schedule, the same for equal schedules.
fn intern(schedules: &mut HashMap<Schedule, u32>, s: &Schedule) -> u32 {
    if let Some(v) = schedules.get(s) {
        return *v;
    }
    let v = schedules.len() as u32;
    schedules.insert(s.clone(), v);
    v
}

/// A commitment as one path carries it: its value accrued within the horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentOutcome {
    /// Who buys.
    pub buyer: Party,
    /// What.
    pub description: String,
    /// The currency of the value.
    pub currency: Currency,
    /// The committed value accrued over the horizon's days within the
    /// commitment's window (annual value over each year's days).
    pub accrued: Accrued,
}

impl CommitmentOutcome {
    fn new(c: &Commitment, horizon: Window) -> Result<CommitmentOutcome> {
        let mut units = Decimal::ZERO;
        if let Some(w) = c.window().intersect(&horizon) {
            let mut d = w.start();
            while d < w.end() {
                let next_year = Date::new(d.year() + 1, 1, 1)
                    .unwrap_or(w.end())
                    .min(w.end());
                let per_day = ACCRUAL_DENOMINATOR / i64::from(d.days_in_year());
                let part = c
                    .annual_value()
                    .amount()
                    .checked_mul(Decimal::from(per_day))
                    .and_then(|x| x.checked_mul(Decimal::from(days_between(d, next_year))))
                    .and_then(|x| units.checked_add(x))
                    .ok_or_else(|| Error::overflow("a commitment's value"))?;
                units = part;
                d = next_year;
            }
        }
        Ok(CommitmentOutcome {
            buyer: c.buyer().clone(),
            description: c.description().to_string(),
            currency: c.annual_value().currency(),
            accrued: Accrued::from_units(units),
        })
    }
}

/// One path's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathOutcome {
    id: String,
    labels: Vec<String>,
    kinds: Vec<OutcomeKind>,
    probability: Decimal,
    exposure: Exposure,
    answers: Vec<AnswerNote>,
    commitments: Vec<CommitmentOutcome>,
    voided: Vec<(MeasureId, Date)>,
}

impl PathOutcome {
    /// The path id (branch ids joined by `/`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The branch labels along the path.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The outcome kinds along the path.
    pub fn kinds(&self) -> &[OutcomeKind] {
        &self.kinds
    }

    /// The path's probability (exact product of its branches').
    pub fn probability(&self) -> Decimal {
        self.probability
    }

    /// The exposure on this path.
    pub fn exposure(&self) -> &Exposure {
        &self.exposure
    }

    /// The retaliation answers made on this path.
    pub fn answers(&self) -> &[AnswerNote] {
        &self.answers
    }

    /// The non-tariff commitments on this path.
    pub fn commitments(&self) -> &[CommitmentOutcome] {
        &self.commitments
    }

    /// Measures voided on this path, with the ruling date.
    pub fn voided(&self) -> &[(MeasureId, Date)] {
        &self.voided
    }

    /// Total duty on side `importer<-exporter`, zero if the side is absent.
    pub fn total(&self, importer: &str, exporter: &str) -> Accrued {
        self.exposure
            .side(importer, exporter)
            .map_or(Accrued::ZERO, |s| s.total())
    }
}

/// The probability-weighted distribution of one side's total over paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distribution {
    /// The lowest total.
    pub min: Accrued,
    /// The 10th percentile.
    pub p10: Accrued,
    /// The median.
    pub median: Accrued,
    /// The 90th percentile.
    pub p90: Accrued,
    /// The highest total.
    pub max: Accrued,
    /// The probability-weighted mean.
    pub expected: Accrued,
}

/// Every path's result, with expectations and distributions.
///
/// Percentiles are probability-weighted and never interpolated: the q-th
/// percentile is the lowest path total whose cumulative probability (paths
/// sorted by total, ties by path order) reaches q.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    horizon: Window,
    months: Vec<Month>,
    paths: Vec<PathOutcome>,
    reference: PathOutcome,
}

impl Evaluation {
    /// The horizon evaluated.
    pub fn horizon(&self) -> Window {
        self.horizon
    }

    /// The months of the horizon.
    pub fn months(&self) -> &[Month] {
        &self.months
    }

    /// Every path, in tree order.
    pub fn paths(&self) -> &[PathOutcome] {
        &self.paths
    }

    /// The reference: the named reference path, or the status quo (every
    /// measure as scheduled, probability 0).
    pub fn reference(&self) -> &PathOutcome {
        &self.reference
    }

    /// The path with id `id`.
    pub fn path(&self, id: &str) -> Option<&PathOutcome> {
        self.paths.iter().find(|p| p.id == id)
    }

    /// The sides, as `(importer, exporter)`, in baseline order.
    pub fn sides(&self) -> Vec<(Party, Party)> {
        self.paths
            .first()
            .map(|p| {
                p.exposure
                    .sides()
                    .iter()
                    .map(|s| (s.importer().clone(), s.exporter().clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The probability-weighted expected total on a side. Each weighted
    /// total is held to Decimal's 28 significant digits; the mean is kept
    /// within the totals of the paths that can happen, where the exact mean
    /// lies.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn expected(&self, importer: &str, exporter: &str) -> Result<Accrued> {
        let mean = self.paths.iter().try_fold(Accrued::ZERO, |acc, p| {
            acc.checked_add(p.total(importer, exporter).checked_scale(p.probability)?)
        })?;
        let possible = self
            .paths
            .iter()
            .filter(|p| p.probability > Decimal::ZERO)
            .map(|p| p.total(importer, exporter));
        match (possible.clone().min(), possible.max()) {
            (Some(lo), Some(hi)) => Ok(mean.clamp(lo, hi)),
            _ => Ok(mean),
        }
    }

    /// The probability-weighted expected duty of each measure on a side, in
    /// order of first appearance across paths.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn expected_by_measure(
        &self,
        importer: &str,
        exporter: &str,
    ) -> Result<Vec<(MeasureId, Accrued)>> {
        let mut out: Vec<(MeasureId, Accrued)> = Vec::new();
        for p in &self.paths {
            let Some(side) = p.exposure.side(importer, exporter) else {
                continue;
            };
            for m in side.measures() {
                let w = m.total().checked_scale(p.probability)?;
                match out.iter_mut().find(|(id, _)| id == m.id()) {
                    Some((_, a)) => *a = a.checked_add(w)?,
                    None => out.push((m.id().clone(), w)),
                }
            }
        }
        Ok(out)
    }

    /// The distribution of a side's total over paths.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn distribution(&self, importer: &str, exporter: &str) -> Result<Distribution> {
        let mut totals: Vec<(Accrued, usize)> = self
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.total(importer, exporter), i))
            .collect();
        totals.sort();
        let quantile = |q: Decimal| -> Accrued {
            let mut cum = Decimal::ZERO;
            for (t, i) in &totals {
                cum += self.paths[*i].probability;
                if cum >= q {
                    return *t;
                }
            }
            totals.last().map_or(Accrued::ZERO, |x| x.0)
        };
        Ok(Distribution {
            min: totals.first().map_or(Accrued::ZERO, |x| x.0),
            p10: quantile(Decimal::new(1, 1)),
            median: quantile(Decimal::new(5, 1)),
            p90: quantile(Decimal::new(9, 1)),
            max: totals.last().map_or(Accrued::ZERO, |x| x.0),
            expected: self.expected(importer, exporter)?,
        })
    }

    /// A path's total on a side minus the reference path's.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn difference(
        &self,
        path: &PathOutcome,
        importer: &str,
        exporter: &str,
    ) -> Result<Accrued> {
        path.total(importer, exporter)
            .checked_sub(self.reference().total(importer, exporter))
    }

    /// The sum of path probabilities (exactly 1 for a valid tree).
    pub fn probability_sum(&self) -> Decimal {
        self.paths.iter().map(|p| p.probability).sum()
    }

    /// Total refundable duty on a side on a path (voided authorities).
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn refundable(
        &self,
        path: &PathOutcome,
        importer: &str,
        exporter: &str,
    ) -> Result<Accrued> {
        match path.exposure.side(importer, exporter) {
            Some(s) => sum(s.measures().iter().map(|m| &m.refundable)),
            None => Ok(Accrued::ZERO),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Branch, Node, OutcomeKind};
    use crate::tariff::{Authority, Coverage, Goods, Measure};
    use crate::trade::{Basket, Periods};
    use crate::units::parse_date;

    #[test]
    fn the_expected_total_of_equal_paths_is_their_total() {
        // $12,345,678,901 at 1,234.5678% for all of 2019 is value × rate =
        // $152,415,776,403.139878 on every path. Weighted by 0.3333, 0.3333
        // and 0.3334 each product needs more than 28 digits and is rounded;
        // the rounded sum came out 1e-8 accrual units above the total.
        let year = Window::year(2019).unwrap();
        let b = Baseline::new(
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Currency::USD,
            Periods::Annual,
            vec![Basket::annual(
                "goods".parse().unwrap(),
                "",
                Decimal::from(12_345_678_901u64),
            )],
        )
        .unwrap();
        let m = Measure::new(
            "wall".parse().unwrap(),
            Authority::Other,
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Coverage::of(Goods::all()),
            Schedule::flat(year.start(), "1234.5678%".parse().unwrap()),
        )
        .unwrap();
        let branches = ["0.3333", "0.3333", "0.3334"]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Branch::new(
                    format!("b{i}").parse().unwrap(),
                    "",
                    OutcomeKind::Deal,
                    p.parse().unwrap(),
                )
            })
            .collect();
        let tree = OutcomeTree::new(Node::new(
            "n".parse().unwrap(),
            "",
            parse_date("2019-01-01").unwrap(),
            branches,
        ))
        .unwrap();
        let s = Scenario::new(
            ScenarioInfo::default(),
            vec![b],
            Regime::new(vec![m], vec![]).unwrap(),
            vec![],
            Some(tree),
            year,
            None,
        )
        .unwrap();
        let d = s
            .evaluate(Detail::Totals)
            .unwrap()
            .distribution("US", "CN")
            .unwrap();
        assert_eq!(
            d.max.amount(),
            "152415776403.139878".parse::<Decimal>().unwrap()
        );
        assert_eq!(d.expected, d.max);
    }
}
