//! Work shared across the paths of one evaluation: schedules are interned
//! to small ids, and group results, answer sets, per-path side plans and
//! refunds are kept by what they depend on, so paths that share a prefix
//! share the work.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::answers::AnswerSet;
use super::eval::{Grid, GroupResult, month_factors};
use super::exposure::BaseExposure;
use super::linear::LinearMemo;
use super::months::MonthMemo;
use super::plan::{SidePlan, Slice, base_of};
use super::refunds::Refund;
use super::scenario::Scenario;
use super::side::{side_base, side_imports};
use crate::error::Result;
use crate::tariff::{BaseRates, Measure, Schedule};
use crate::trade::Baseline;
use crate::units::{Accrued, Date, MeasureId, Month, Window};

/// A group's result is keyed by side plan, group, the schedule version of
/// each of its measures, and whether per-class rate-days were kept.
pub(crate) type GroupKey = (usize, usize, Vec<u32>, bool);

/// A refund is keyed by side plan, group, position, versions and ruling.
pub(crate) type RefundKey = (usize, usize, usize, Vec<u32>, Date);

/// A per-path side plan is keyed by side and the slices of each
/// value-matched answer on it.
pub(crate) type PlanKey = (usize, Vec<(usize, Vec<Slice>)>);

/// Small ids for schedules, the same for equal schedules.
#[derive(Default)]
pub(crate) struct Versions {
    /// Schedule ids by content, each schedule held by the `Arc` it first
    /// came in (not copied).
    schedules: HashMap<Hashed, u32>,
    /// Schedule ids by the address of an `Arc`: paths share the `Arc` of
    /// every measure no branch on them touched, so most look-ups end here
    /// without hashing a schedule. The `Arc` is kept, so its address cannot
    /// be reused while the cache lives.
    shared: HashMap<usize, (Arc<Schedule>, u32)>,
    /// Per measure index, the address of the last schedule looked up there
    /// and its id: a path shares most of its `Arc`s with the path before,
    /// so most look-ups end here without hashing. Every address here is
    /// kept in `shared`, so an equal address is the same `Arc`.
    last: Vec<(usize, u32)>,
}

impl Versions {
    /// The id of a schedule held in an `Arc`: by the `Arc`'s address when
    /// seen before, else by content.
    pub fn of(&mut self, s: &Arc<Schedule>) -> u32 {
        let address = Arc::as_ptr(s) as usize;
        if let Some((_, v)) = self.shared.get(&address) {
            return *v;
        }
        let next = self.schedules.len() as u32;
        let v = *self.schedules.entry(Hashed::new(s)).or_insert(next);
        self.shared.insert(address, (Arc::clone(s), v));
        v
    }

    /// [`Versions::of`] for the schedule of measure `mi`.
    pub fn of_measure(&mut self, mi: usize, s: &Arc<Schedule>) -> u32 {
        let address = Arc::as_ptr(s) as usize;
        match self.last.get(mi) {
            Some(&(last, v)) if last == address => v,
            _ => {
                let v = self.of(s);
                if self.last.len() <= mi {
                    // No `Arc` lies at address 0.
                    self.last.resize(mi + 1, (0, 0));
                }
                self.last[mi] = (address, v);
                v
            }
        }
    }
}

/// A schedule with its hash, worked out once: a table of many schedules
/// grows without reading each schedule again.
struct Hashed {
    hash: u64,
    schedule: Arc<Schedule>,
}

impl Hashed {
    fn new(schedule: &Arc<Schedule>) -> Hashed {
        use std::hash::BuildHasher;
        Hashed {
            hash: rustc_hash::FxBuildHasher.hash_one(&**schedule),
            schedule: Arc::clone(schedule),
        }
    }
}

impl PartialEq for Hashed {
    fn eq(&self, other: &Hashed) -> bool {
        self.hash == other.hash && self.schedule == other.schedule
    }
}

impl Eq for Hashed {}

impl std::hash::Hash for Hashed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The keys met once, by their hashes: a result is kept from the second
/// time its key is met. Two keys of one hash make the second kept from its
/// first meeting, which costs memory, never a figure.
#[derive(Default)]
pub(crate) struct MetOnce(rustc_hash::FxHashSet<u64>);

impl MetOnce {
    /// Whether `key` was met before; it is met from now on.
    pub fn met_before<K: std::hash::Hash + ?Sized>(&mut self, key: &K) -> bool {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(key);
        !self.0.insert(hash)
    }

    /// How many keys were met once.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The covered value of a watched measure over the history, by the measure
/// and the versions of the schedules of its stacking group.
pub(crate) type Covered = HashMap<(usize, Vec<u32>), Arc<Vec<(Date, Decimal)>>>;

/// A value-matched answer evaluated alone: side, answer, the values it
/// covers by window, and its schedule's version.
pub(crate) type ValueKey = (
    usize,
    usize,
    Vec<(Vec<crate::units::Window>, Vec<Decimal>)>,
    u32,
);

pub(crate) struct Cache {
    /// What every path shares, made when the scenario was prepared.
    pub shared: Arc<Shared>,
    pub versions: Versions,
    pub groups: HashMap<GroupKey, Arc<GroupResult>>,
    /// The months of groups, for the group results not kept whole.
    pub group_months: MonthMemo,
    /// The groups whose duty is linear in their one measure's rate,
    /// evaluated without the month memo.
    pub linear: LinearMemo,
    /// The keys of the linear groups' results met once and not kept.
    pub linear_met: MetOnce,
    pub answers: HashMap<Vec<u32>, Arc<AnswerSet>>,
    pub covered: Covered,
    pub answer_memo: super::answers::AnswerMemo,
    pub trigger_memo: super::answers::TriggerMemo,
    pub claim_memo: super::claims::ClaimMemo,
    pub value_groups: HashMap<ValueKey, Arc<GroupResult>>,
    /// The same, by side, answer, the address of its interned claim (0 for
    /// none) and its schedule's version: found without working out the
    /// values the claim covers.
    pub value_by_claim: HashMap<(usize, usize, usize, u32), Arc<GroupResult>>,
    /// Side plans: the scenario's own first (ids `0..sides`), then those
    /// built for the slices of a path.
    pub plans: Vec<Arc<SidePlan>>,
    pub plan_index: HashMap<PlanKey, usize>,
    pub refunds: HashMap<RefundKey, Refund>,
    /// Buffers a path's evaluation works in, kept from one path to the
    /// next.
    pub scratch: PathScratch,
}

/// The buffers of one path's evaluation, kept from one path to the next so
/// that a path allocates only what its outcome keeps.
#[derive(Default)]
pub(crate) struct PathScratch {
    /// A group's key while its result is looked up.
    pub group_key: GroupKey,
    /// Each group's versions, one group after another.
    pub versions_of: Vec<u32>,
    /// Where each group's versions end in `versions_of`.
    pub ends: Vec<usize>,
    /// The side's group results.
    pub results: Vec<Arc<GroupResult>>,
    /// The side's sums ([`super::side::SideScratch`]).
    pub side: super::side::SideScratch,
}

/// What every evaluation of a scenario over its window shares, worked out
/// when the scenario is prepared (and again for another window or other
/// baselines): the window's months, each baseline's month factors, its
/// import values and its base (MFN) duty, and the measures no baseline
/// values, the same on every path.
#[derive(Debug)]
pub(crate) struct Shared {
    pub grid: Grid,
    /// The window's months, shared by every path's exposure.
    pub months: Arc<[Month]>,
    /// Per baseline, its month factors ([`month_factors`]).
    pub factors: Vec<Vec<(usize, Decimal)>>,
    /// Import values per month and in total, per baseline.
    pub imports: Vec<(Arc<[Accrued]>, Accrued)>,
    /// The base (MFN) duty per baseline, when the scenario has base rates
    /// for its importer.
    pub bases: Vec<Option<Arc<BaseExposure>>>,
    /// The measures (answers included) imposed on a direction no baseline
    /// trades.
    pub unvalued: Arc<[MeasureId]>,
    /// No answer notes, shared by every path without answers.
    pub no_answers: Arc<[crate::retaliation::AnswerNote]>,
}

impl Shared {
    /// The shared figures of `measures` on `baselines`, planned as `plans`,
    /// over `window`, with the base rates of each importer found in
    /// `base_rates`.
    ///
    /// # Errors
    /// A window past the calendar, a baseline without a period for some
    /// month, an overflow.
    pub fn new(
        window: Window,
        measures: &[Measure],
        baselines: &[Baseline],
        plans: &[Arc<SidePlan>],
        base_rates: &[BaseRates],
    ) -> Result<Shared> {
        let grid = Grid::new(window)?;
        let factors = baselines
            .iter()
            .map(|b| month_factors(b, &grid))
            .collect::<Result<Vec<_>>>()?;
        let mut imports = Vec::with_capacity(baselines.len());
        for (i, side) in plans.iter().enumerate() {
            imports.push(side_imports(side, &grid, &factors[i])?);
        }
        let bases = baselines
            .iter()
            .zip(&factors)
            .map(|(b, f)| side_base(b, base_of(base_rates, b), &grid, f))
            .collect::<Result<Vec<_>>>()?;
        let unvalued = measures
            .iter()
            .filter(|m| {
                !baselines
                    .iter()
                    .any(|b| b.importer() == m.imposer() && b.exporter() == m.target())
            })
            .map(|m| m.id().clone())
            .collect();
        Ok(Shared {
            months: grid.months.clone().into(),
            grid,
            factors,
            imports,
            bases,
            unvalued,
            no_answers: Arc::from(Vec::new()),
        })
    }
}

impl Cache {
    /// A cache for one evaluation of `s`, every memo empty.
    ///
    /// # Errors
    /// Where the scenario's shared figures could not be made when it was
    /// prepared, why (a baseline without a period the window needs).
    pub fn new(s: &Scenario) -> Result<Cache> {
        Cache::with_months(s, MonthMemo::alone())
    }

    /// A cache for one thread of an evaluation of `s`, every memo empty
    /// but the months of groups, which it shares with the other threads'
    /// caches through `months`, evaluating a group's missing months last
    /// month first when `backward` (so that threads going opposite ways
    /// seldom evaluate the same month).
    ///
    /// # Errors
    /// As [`Cache::new`].
    #[cfg(feature = "parallel")]
    pub fn sharing_months(
        s: &Scenario,
        months: Arc<std::sync::Mutex<super::months::SharedMonths>>,
        backward: bool,
    ) -> Result<Cache> {
        let memo = MonthMemo::sharing(months, s.core.plans.len(), backward);
        Cache::with_months(s, memo)
    }

    /// A cache for `s` whose months of groups are kept in `group_months`.
    fn with_months(s: &Scenario, group_months: MonthMemo) -> Result<Cache> {
        let shared = match &s.shared {
            Some(shared) => Arc::clone(shared),
            None => Arc::new(Shared::new(
                s.window,
                &s.core.measures,
                &s.baselines,
                &s.core.plans,
                &s.base_rates,
            )?),
        };
        Ok(Cache {
            shared,
            versions: Versions::default(),
            groups: HashMap::default(),
            group_months,
            linear: LinearMemo::default(),
            linear_met: MetOnce::default(),
            answers: HashMap::default(),
            covered: HashMap::default(),
            answer_memo: HashMap::default(),
            trigger_memo: HashMap::default(),
            claim_memo: super::claims::ClaimMemo::default(),
            value_groups: HashMap::default(),
            value_by_claim: HashMap::default(),
            plans: s.core.plans.clone(),
            plan_index: HashMap::default(),
            refunds: HashMap::default(),
            scratch: PathScratch::default(),
        })
    }

    /// The id of measure `mi`'s schedule, held in an `Arc` (see
    /// [`Versions::of_measure`]).
    pub fn version(&mut self, mi: usize, s: &Arc<Schedule>) -> u32 {
        self.versions.of_measure(mi, s)
    }
}
