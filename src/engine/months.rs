//! A group's result put together month by month.
//!
//! The duty a group owes in one month depends only on the rates its measures
//! have during that month (the classes, their values and the stacking rules
//! are the group's own). A branch that changes a measure from some date on
//! changes the group's months from that date only, so paths that differ in
//! one measure share every month before the change, and paths that differ
//! in several measures changed at different dates share most months
//! with some path evaluated before them.
//!
//! Each month of a group is therefore kept by the *signature* of each of the
//! group's measures in that month: an id of its schedule's timeline inside
//! the month. A group's result is its kept months put together. A month is
//! evaluated exactly as before, over the same classes in the same order;
//! only the pieces it is cut at can differ (a change of another month's
//! rate no longer cuts it), and accruals never round (see
//! [`crate::units::Accrued`]), so a piece cut in two adds up to the whole:
//! the result is the same to the last unit.
//!
//! A group of one measure whose duty is linear in its rate does not come
//! here: [`super::linear`] evaluates it from its covered value summed over
//! days.
//!
//! With the `parallel` feature, the threads of one evaluation share the
//! months of the scenario's own side plans ([`SharedMonths`]): a month one
//! thread worked out is not worked out again by another, unless both were
//! at it at once.

use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rust_decimal::Decimal;

use super::eval::{Grid, GroupResult, GroupScratch, LayerSum, eval_group, exact_total, rows_of};
use super::groups::GroupPlan;
use crate::error::Result;
use crate::tariff::Schedule;
use crate::units::{Accrued, Date, Rate, Window};

/// What one group owes in one month, in accrual units, in one slice: per
/// group measure, then per side layer of the group, in the order of
/// [`GroupResult::layers`] (of each layer's first measure, as
/// [`group_layers`] gives them).
type MonthDuty = [Decimal];

/// The side layers of a group whose measures' layers are `layer_of`, in
/// the order of their first measure.
fn group_layers(layer_of: &[usize]) -> impl Iterator<Item = usize> + '_ {
    layer_of
        .iter()
        .enumerate()
        .filter(|(i, l)| !layer_of[..*i].contains(l))
        .map(|(_, l)| *l)
}

/// A timeline inside one month, each rate by its bits: held once, by the
/// shared memo and by every thread's memo that met it.
type MonthTimeline = Arc<[(Date, [u8; 16])]>;

/// One group's months: per month, by the signatures of the group's
/// measures there.
type Kept = Vec<HashMap<Box<[u32]>, Arc<MonthDuty>>>;

/// `months` months of a group, none kept yet.
fn no_months(months: usize) -> Kept {
    (0..months).map(|_| HashMap::default()).collect()
}

/// What the memos of one evaluation's threads share: the ids of timelines
/// inside one month, and the months of the groups of the scenario's own
/// side plans (those every thread numbers alike). A thread holds the lock
/// only to look months up or to put them in, never while it evaluates one,
/// so two threads may evaluate the same month at once; both give the same
/// duty to the bit, and the first one put in is kept.
#[derive(Default)]
pub(crate) struct SharedMonths {
    /// Ids of timelines inside one month (a timeline starts on its month's
    /// first day, so those of different months never share an id), each
    /// rate by its bits (rates are held normalised, so equal rates have
    /// equal bits), which hash without `Decimal`'s normalising.
    timelines: HashMap<MonthTimeline, u32>,
    /// Per side plan of the scenario and group, its months.
    kept: HashMap<(usize, usize), Kept>,
}

impl SharedMonths {
    /// A new, empty memo for threads to share.
    pub fn new_shared() -> Arc<Mutex<SharedMonths>> {
        Arc::new(Mutex::new(SharedMonths::default()))
    }
}

/// The months of groups, kept across the paths of one evaluation (and, for
/// the scenario's own side plans, across its threads).
pub(crate) struct MonthMemo {
    /// One grid per month of the window, made on first use.
    grids: Vec<Grid>,
    /// What this memo shares with the other threads of the evaluation.
    shared: Arc<Mutex<SharedMonths>>,
    /// Side plans numbered from here on are this memo's own (made for the
    /// slices of a path): their months are kept here, not shared.
    own_plans: usize,
    /// The months of groups this memo has met: all of those of its own
    /// side plans, and those of the scenario's it has looked up or put in
    /// the shared memo, so that it looks each up under the lock once.
    local: HashMap<(usize, usize), Kept>,
    /// The ids of the timelines this memo has met, as the shared memo
    /// numbers them.
    ids: HashMap<MonthTimeline, u32>,
    /// Whether a group's missing months are evaluated last month first.
    backward: bool,
    /// Per schedule version (numbered by this memo's cache): per month, the
    /// id of its timeline there.
    signatures: HashMap<u32, Box<[u32]>>,
    /// The buffers of a month's evaluation.
    scratch: GroupScratch,
    /// A timeline inside one month, while its id is looked up.
    timeline: Vec<(Date, [u8; 16])>,
    /// The signatures of a group's measures, month after month.
    keys: Vec<u32>,
    /// A group's months while they are looked up.
    found: Vec<Option<Arc<MonthDuty>>>,
    /// The same, in order, once every one is found.
    duties: Vec<Arc<MonthDuty>>,
    /// The months a group's look-up did not find here, and those it did
    /// not find at all.
    new: Vec<usize>,
    missing: Vec<usize>,
    /// A month's duty while it is made.
    cells: Vec<Decimal>,
}

impl MonthMemo {
    /// A memo of one thread's own, sharing nothing: every side plan's
    /// months are kept in it alone, looked up without a lock.
    pub fn alone() -> MonthMemo {
        MonthMemo::sharing(SharedMonths::new_shared(), 0, false)
    }

    /// A memo sharing `shared` with other threads, for a cache whose first
    /// `own_plans` side plans are the scenario's own, evaluating a group's
    /// missing months last month first when `backward`.
    pub fn sharing(
        shared: Arc<Mutex<SharedMonths>>,
        own_plans: usize,
        backward: bool,
    ) -> MonthMemo {
        MonthMemo {
            grids: Vec::new(),
            shared,
            own_plans,
            local: HashMap::default(),
            ids: HashMap::default(),
            backward,
            signatures: HashMap::default(),
            scratch: GroupScratch::default(),
            timeline: Vec::new(),
            keys: Vec::new(),
            found: Vec::new(),
            duties: Vec::new(),
            new: Vec::new(),
            missing: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// Runs `f` on the shared memo's months of group `gi` of the scenario's
    /// side plan `plan` (`months` of them), under its lock.
    fn with_shared<R>(
        &self,
        plan: usize,
        gi: usize,
        months: usize,
        f: impl FnOnce(&mut Kept) -> R,
    ) -> R {
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        f(shared
            .kept
            .entry((plan, gi))
            .or_insert_with(|| no_months(months)))
    }

    /// The per-month grids of `grid`'s window.
    fn grids(&mut self, grid: &Grid) -> Result<&[Grid]> {
        if self.grids.len() != grid.starts.len() {
            let mut grids = Vec::with_capacity(grid.starts.len());
            for (k, start) in grid.starts.iter().enumerate() {
                let end = grid.starts.get(k + 1).copied().unwrap_or(grid.window.end());
                grids.push(Grid::new(Window::new(*start, end)?)?);
            }
            self.grids = grids;
        }
        Ok(&self.grids)
    }

    /// The signatures of schedule `version` (whose schedule is `schedule`),
    /// one per month of `window`: its timeline over the window, cut at
    /// month starts (what [`Schedule::timeline`] gives for each month).
    fn signature(&mut self, version: u32, schedule: &Schedule, window: Window) -> &[u32] {
        let MonthMemo {
            grids,
            shared,
            ids,
            signatures,
            timeline,
            ..
        } = self;
        signatures.entry(version).or_insert_with(|| {
            let full = schedule.timeline(window);
            let mut at = 0;
            grids
                .iter()
                .map(|g| {
                    let (start, end) = (g.window.start(), g.window.end());
                    while at + 1 < full.len() && full[at + 1].0 <= start {
                        at += 1;
                    }
                    let bits = |r: Rate| r.as_fraction().serialize();
                    timeline.clear();
                    timeline.push((start, bits(full[at].1)));
                    timeline.extend(
                        full[at + 1..]
                            .iter()
                            .take_while(|(d, _)| *d < end)
                            .map(|(d, r)| (*d, bits(*r))),
                    );
                    if let Some(id) = ids.get(timeline.as_slice()) {
                        return *id;
                    }
                    let (kept, id) = {
                        let mut shared = shared.lock().unwrap_or_else(PoisonError::into_inner);
                        match shared.timelines.get_key_value(timeline.as_slice()) {
                            Some((kept, id)) => (Arc::clone(kept), *id),
                            None => {
                                let next = shared.timelines.len() as u32;
                                let kept: MonthTimeline = Arc::from(timeline.as_slice());
                                shared.timelines.insert(Arc::clone(&kept), next);
                                (kept, next)
                            }
                        }
                    };
                    ids.insert(kept, id);
                    id
                })
                .collect()
        })
    }

    /// The result of group `gi` of side plan `plan` (`group`) under
    /// `schedules`, whose versions are `versions` (both aligned with the
    /// group's measures), over `grid` with the month factors `factors`:
    /// what [`eval_group`] gives without per-class rate-days, from the
    /// months already evaluated where the group's measures had the same
    /// timelines.
    ///
    /// # Errors
    /// As [`eval_group`].
    #[allow(clippy::too_many_arguments)]
    pub fn group(
        &mut self,
        plan: usize,
        gi: usize,
        group: &GroupPlan,
        schedules: &[&Schedule],
        versions: &[u32],
        grid: &Grid,
        factors: &[(usize, Decimal)],
    ) -> Result<GroupResult> {
        let months = self.grids(grid)?.len();
        if months == 0 {
            return eval_group(group, schedules, grid, factors, false);
        }
        // The signatures of the group's measures, month by month:
        // `keys[k * n..(k + 1) * n]` is month `k`'s.
        let n = versions.len();
        let mut keys = std::mem::take(&mut self.keys);
        keys.clear();
        keys.resize(months * n, 0);
        for (i, (v, s)) in versions.iter().zip(schedules).enumerate() {
            for (k, id) in self.signature(*v, s, grid.window).iter().enumerate() {
                keys[k * n + i] = *id;
            }
        }
        // The months this memo has met; for the scenario's side plans, those
        // missing are looked up in the shared memo under one lock, and each
        // still missing is looked up again just before it is evaluated (as
        // another thread may have put it in since: threads going opposite
        // ways meet in the middle), evaluated without the lock and put in
        // (the first put in is kept).
        let in_shared = plan < self.own_plans;
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        {
            let local = self
                .local
                .entry((plan, gi))
                .or_insert_with(|| no_months(months));
            found.extend((0..months).map(|k| local[k].get(&keys[k * n..(k + 1) * n]).cloned()));
        }
        // Months not met before, to keep here once found.
        let mut new = std::mem::take(&mut self.new);
        new.clear();
        new.extend((0..months).filter(|k| found[*k].is_none()));
        if in_shared && !new.is_empty() {
            self.with_shared(plan, gi, months, |kept| {
                for (k, slot) in found.iter_mut().enumerate() {
                    if slot.is_none() {
                        *slot = kept[k].get(&keys[k * n..(k + 1) * n]).cloned();
                    }
                }
            });
        }
        let mut missing = std::mem::take(&mut self.missing);
        missing.clear();
        missing.extend((0..months).filter(|k| found[*k].is_none()));
        if self.backward {
            missing.reverse();
        }
        for &k in &missing {
            let key = &keys[k * n..(k + 1) * n];
            let put_in = match in_shared {
                true => self.with_shared(plan, gi, months, |kept| kept[k].get(key).cloned()),
                false => None,
            };
            let d = match put_in {
                Some(d) => d,
                None => {
                    let MonthMemo {
                        grids,
                        scratch,
                        cells,
                        ..
                    } = &mut *self;
                    scratch.eval(group, schedules, &grids[k], &factors[k..=k], None)?;
                    cells.clear();
                    cells.extend_from_slice(&scratch.duty);
                    month_layers(&group.layer_of, &scratch.duty, cells)?;
                    let d: Arc<MonthDuty> = Arc::from(cells.as_slice());
                    #[cfg(debug_assertions)]
                    check_month(group, schedules, &grids[k], &factors[k..=k], &d)?;
                    match in_shared {
                        true => self.with_shared(plan, gi, months, |kept| {
                            Arc::clone(kept[k].entry(key.into()).or_insert(d))
                        }),
                        false => d,
                    }
                }
            };
            found[k] = Some(d);
        }
        let local = self
            .local
            .entry((plan, gi))
            .or_insert_with(|| no_months(months));
        for &k in &new {
            if let Some(d) = &found[k] {
                local[k].insert(keys[k * n..(k + 1) * n].into(), Arc::clone(d));
            }
        }
        let mut duties = std::mem::take(&mut self.duties);
        duties.clear();
        duties.extend(found.drain(..).flatten());
        let result = assemble(group, &duties);
        duties.clear();
        (self.keys, self.found, self.duties, self.new, self.missing) =
            (keys, found, duties, new, missing);
        result
    }
}

/// Adds to `out` a month's duty per side layer of a group whose measures'
/// layers are `layer_of`, from its duty per measure: as [`eval_group`] sums
/// a layer (in the order of its first measure; a layer of one measure is
/// that measure's duty, the very `Decimal`; the others are exact sums
/// rounded once).
fn month_layers(layer_of: &[usize], duty: &[Decimal], out: &mut Vec<Decimal>) -> Result<()> {
    debug_assert_eq!(duty.len(), layer_of.len(), "one month's duty per measure");
    for layer in group_layers(layer_of) {
        let members = || (0..duty.len()).filter(move |i| layer_of[*i] == layer);
        let mut each = members();
        out.push(match (each.next(), each.next()) {
            (Some(only), None) => duty[only],
            _ => exact_total(members().map(|i| duty[i]))?,
        });
    }
    Ok(())
}

/// In debug builds: a month evaluated in kept buffers is, to the bit
/// (value and scale), the month [`eval_group`] gives.
#[cfg(debug_assertions)]
fn check_month(
    group: &GroupPlan,
    schedules: &[&Schedule],
    grid: &Grid,
    factors: &[(usize, Decimal)],
    got: &MonthDuty,
) -> Result<()> {
    let one = eval_group(group, schedules, grid, factors, false)?;
    let bits = |d: &Decimal| d.serialize();
    let want: Vec<[u8; 16]> = one
        .rows
        .iter()
        .map(|r| bits(&r.by_month[0].units()))
        .collect();
    let n = group.layer_of.len();
    let have: Vec<[u8; 16]> = got[..n].iter().map(bits).collect();
    assert_eq!(have, want, "a month's duty per measure");
    let want: Vec<(usize, [u8; 16])> = one
        .layers
        .iter()
        .map(|l| (l.layer, bits(&l.by_month[0].units())))
        .collect();
    let have: Vec<(usize, [u8; 16])> = group_layers(&group.layer_of)
        .zip(&got[n..])
        .map(|(l, d)| (l, bits(d)))
        .collect();
    assert_eq!(got.len(), n + have.len(), "one cell per measure and layer");
    assert_eq!(have, want, "a month's duty per layer");
    Ok(())
}

/// A group's result from its months, summed as [`eval_group`] sums them.
/// As there, a layer of one measure is that measure's row and total.
fn assemble(group: &GroupPlan, duties: &[Arc<MonthDuty>]) -> Result<GroupResult> {
    let layer_of = &group.layer_of;
    let n = layer_of.len();
    let mut by_measure: Vec<Arc<[Accrued]>> = Vec::with_capacity(n);
    let mut totals = Vec::with_capacity(n);
    for i in 0..n {
        let t = exact_total(duties.iter().map(|d| d[i]))?;
        by_measure.push(duties.iter().map(|d| Accrued::from_units(d[i])).collect());
        totals.push(Accrued::from_units(t));
    }
    let mut layers = Vec::new();
    for (li, layer) in group_layers(layer_of).enumerate() {
        let at = n + li;
        let mut members = (0..n).filter(|i| layer_of[*i] == layer);
        if let (Some(only), None) = (members.next(), members.next()) {
            layers.push(LayerSum {
                layer,
                by_month: Arc::clone(&by_measure[only]),
                total: totals[only],
            });
            continue;
        }
        let total = exact_total(duties.iter().map(|d| d[at]))?;
        layers.push(LayerSum {
            layer,
            by_month: duties.iter().map(|d| Accrued::from_units(d[at])).collect(),
            total: Accrued::from_units(total),
        });
    }
    Ok(GroupResult::new(
        rows_of(&group.headings, by_measure, totals),
        layers,
        Vec::new(),
    ))
}

#[cfg(all(test, feature = "parallel"))]
mod tests {
    /// A value-matched answer tied in a stacking group with another
    /// measure of its side: each path whose answer claims other imports
    /// gets a side plan of its own, numbered by each thread's cache in the
    /// order it meets them, so threads must not share those plans' months
    /// (sharing them by their numbers fails this at two threads). The
    /// answer's schedule is the same on every path; the value it claims is
    /// not, as the branches revoke Section 232 on `b`, which `m1` then
    /// covers, at different dates.
    #[test]
    fn threads_keep_per_path_side_plans_apart() {
        let text = r#"
[scenario]
id = "tied"
horizon = "2020-01-01..2021-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100000000000" }, { key = "b", value = "50000000000" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "x", value = "500000000000" }, { key = "z", value = "10000000000" }]
[[measure]]
id = "m1"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = { baskets = ["a", "b"] }
steps = [{ from = "2020-01-01", rate = "20%" }]
[[measure]]
id = "s232"
authority = "section-232"
imposer = "US"
target = "CN"
goods = { baskets = ["b"] }
steps = [{ from = "2020-01-01", rate = "25%" }]
[[measure]]
id = "cn-tax"
authority = "section-301"
imposer = "CN"
target = "US"
goods = { all = true }
steps = [{ from = "2020-01-01", rate = "5%" }]
[[measure]]
id = "cn-earlier"
authority = "retaliation"
imposer = "CN"
target = "US"
layer = "cnv"
goods = { baskets = ["z"] }
steps = [{ from = "2020-01-01", rate = "10%" }]
[[stacking]]
id = "ex"
kind = "exclusive"
over = ["s232"]
excluded = ["m1"]
[[stacking]]
id = "tie"
kind = "highest"
among = ["layer:cnv", "cn-tax"]
[[retaliation]]
id = "cnv"
party = "CN"
against = "US"
watch = ["m1"]
on = "in-force"
rate = "match"
covers = "value"
[[node]]
id = "n"
date = "2020-03-01"
[[node.branch]]
id = "drop-july"
kind = "deal"
probability = "0.25"
action = [{ do = "revoke", target = "s232", from = "2020-07-01" }]
[[node.branch]]
id = "drop-april"
kind = "deal"
probability = "0.25"
action = [{ do = "revoke", target = "s232", from = "2020-04-01" }]
[[node.branch]]
id = "drop-october"
kind = "deal"
probability = "0.25"
action = [{ do = "revoke", target = "s232", from = "2020-10-01" }]
[[node.branch]]
id = "sq"
kind = "status-quo"
probability = "0.25"
"#;
        let s = crate::load::parse_scenario(text, std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap();
        assert_eq!(
            s.core.value_tied,
            [false, true],
            "the answer is tied on China's side"
        );
        crate::synthetic::threads_agree(&s, &[2, 3, 4]);
    }
}
