//! Walking the outcome tree: the state of the measures at the end of each
//! path, with every action applied and checked.

use std::sync::Arc;

use super::scenario::Scenario;
use crate::error::{Error, Result};
use crate::outcome::{Action, Branch, Commitment, Node, Path};
use crate::tariff::Schedule;
use crate::units::{Date, Window};

/// The state of the regime's measures at the end of a path.
#[derive(Debug, Clone)]
pub(crate) struct PathState {
    pub schedules: Vec<Arc<Schedule>>,
    /// The ruling that voids each measure's authority on this path.
    pub voided: Vec<Option<Date>>,
    pub commitments: Vec<Commitment>,
}

/// What a branch's action replaced in a [`PathState`]: the measure's index,
/// its schedule and its ruling before, so the walk can step back up the tree
/// without a copy of the state per branch.
type Replaced = (usize, Arc<Schedule>, Option<Date>);

impl Scenario {
    fn apply(
        &self,
        state: &mut PathState,
        node: &Node,
        branch: &Branch,
        ai: usize,
        action: &Action,
        replaced: &mut Vec<Replaced>,
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
        let measures = self.regime.measures();
        let mut targets = (0..measures.len())
            .filter(|i| action.target().matches(&measures[*i]))
            .peekable();
        if targets.peek().is_none() {
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
            let was_voided = state.voided[i];
            if let Some(d) = action.void_date() {
                state.voided[i] = Some(was_voided.map_or(d, |v| v.min(d)));
                self.refunds
                    .check_ruling(d)
                    .map_err(|e| e.at(format!("{}, measure {id:?}", ctx())))?;
            }
            if let Some(ruling) = state.voided[i] {
                let after = next.timeline(Window::open(ruling));
                if let Some((from, rate)) = after.iter().find(|(_, r)| !r.is_zero()) {
                    return Err(Error::Invalid(format!(
                        "measure {id:?} was voided on {ruling}, so its authority cannot collect after the ruling, but this action gives it {rate} from {from}: impose a new measure under another authority instead"
                    ))
                    .at(ctx()));
                }
            }
            let was = std::mem::replace(&mut state.schedules[i], Arc::new(next));
            replaced.push((i, was, was_voided));
        }
        Ok(())
    }

    pub(crate) fn base_state(&self) -> PathState {
        let measures = self.regime.measures();
        PathState {
            schedules: measures
                .iter()
                .map(|m| Arc::new(m.schedule().clone()))
                .collect(),
            voided: vec![None; measures.len()],
            commitments: Vec::new(),
        }
    }

    /// Takes branch `b` of `node` on state `s`: its actions applied in
    /// order (what each replaced added to `replaced`), its commitments
    /// added.
    fn take_noting(
        &self,
        s: &mut PathState,
        node: &Node,
        b: &Branch,
        replaced: &mut Vec<Replaced>,
    ) -> Result<()> {
        for (ai, a) in b.actions().iter().enumerate() {
            self.apply(s, node, b, ai, a, replaced)?;
        }
        s.commitments.extend(b.commitments().iter().cloned());
        Ok(())
    }

    /// Takes branch `b` of `node` on state `s`, for good.
    fn take(&self, s: &mut PathState, node: &Node, b: &Branch) -> Result<()> {
        self.take_noting(s, node, b, &mut Vec::new())
    }

    /// The states at the end of the paths `range` (by index in path
    /// order), in path order: each branch's actions applied once on its
    /// parent's state, as [`Scenario::each_path_state`] applies them, but
    /// only on the branches these paths take.
    ///
    /// # Errors
    /// As [`Scenario::each_path_state`]; [`Error::Invalid`] for a range
    /// past the paths.
    #[cfg(any(test, feature = "parallel"))]
    pub(crate) fn path_states_in(&self, range: std::ops::Range<usize>) -> Result<Vec<PathState>> {
        let paths = self.tree.paths();
        let chosen = paths.get(range.clone()).ok_or_else(|| {
            Error::Invalid(format!(
                "paths {}..{} asked of a tree of {}",
                range.start,
                range.end,
                paths.len()
            ))
        })?;
        let nodes = self.tree.nodes();
        let mut out = Vec::with_capacity(chosen.len());
        let base = self.base_state();
        // The branches the last path took and the state after each.
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut after: Vec<PathState> = Vec::new();
        for path in chosen {
            let steps: Vec<(usize, usize)> = path.branches_taken().collect();
            let shared = taken.iter().zip(&steps).take_while(|(a, b)| a == b).count();
            taken.truncate(shared);
            after.truncate(shared);
            for &(ni, bi) in &steps[shared..] {
                let (node, b) = nodes
                    .get(ni)
                    .and_then(|n| Some((*n, n.branches().get(bi)?)))
                    .ok_or_else(|| Error::Invalid(format!("path {} leaves the tree", path.id())))?;
                let mut s = after.last().unwrap_or(&base).clone();
                self.take(&mut s, node, b)?;
                taken.push((ni, bi));
                after.push(s);
            }
            // A leaf's state is no other path's parent state.
            taken.pop();
            out.push(after.pop().unwrap_or_else(|| base.clone()));
        }
        Ok(out)
    }

    /// Hands `visit` the state at the end of every path, in path order, as
    /// the tree is walked depth first. One state is kept: a branch's
    /// actions change it, and what they replaced is put back once every
    /// path under the branch has been visited, so no state is copied.
    pub(crate) fn each_path_state(
        &self,
        mut visit: impl FnMut(&PathState) -> Result<()>,
    ) -> Result<()> {
        let mut state = self.base_state();
        let mut replaced: Vec<Replaced> = Vec::new();
        // Per node on the way down: the node, the next branch to take, and
        // where the replacements and commitments of the branch taken last
        // begin.
        let mut open: Vec<(&Node, usize, (usize, usize))> = vec![(self.tree.root(), 0, (0, 0))];
        while let Some((node, next, mark)) = open.last_mut() {
            let node: &Node = node;
            if *next > 0 {
                // Step back out of the branch taken last here.
                let (from, kept) = *mark;
                for (i, schedule, voided) in replaced.drain(from..).rev() {
                    state.schedules[i] = schedule;
                    state.voided[i] = voided;
                }
                state.commitments.truncate(kept);
            }
            let Some(b) = node.branches().get(*next) else {
                open.pop();
                continue;
            };
            *next += 1;
            *mark = (replaced.len(), state.commitments.len());
            self.take_noting(&mut state, node, b, &mut replaced)?;
            match b.next() {
                Some(child) => open.push((child, 0, (0, 0))),
                None => visit(&state)?,
            }
        }
        Ok(())
    }

    /// The state at the end of one path.
    pub(crate) fn path_state(&self, path: &Path) -> Result<PathState> {
        let mut s = self.base_state();
        for (node, b) in self.tree.steps(path) {
            self.take(&mut s, node, b)?;
        }
        Ok(s)
    }

    /// The path with id `path_id`.
    ///
    /// # Errors
    /// [`Error::Unknown`] naming the nearest path ids.
    pub(crate) fn find_path(&self, path_id: &str) -> Result<&Path> {
        self.tree.path(path_id).ok_or_else(|| {
            Error::unknown_among("path", path_id, self.tree.paths().iter().map(Path::id))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::PathState;
    use crate::outcome::{Branch, Commitment, Node, OutcomeTree};
    use crate::synthetic::Synthetic;
    use rust_decimal::Decimal;

    /// Every run of paths `a..b` gets the states the whole walk gives those
    /// paths, whatever branches its first path shares with the path before.
    fn runs_match_the_walk(s: &crate::Scenario) {
        let mut walked: Vec<PathState> = Vec::new();
        s.each_path_state(|state| {
            walked.push(state.clone());
            Ok(())
        })
        .unwrap();
        let n = walked.len();
        assert_eq!(n, s.tree.paths().len());
        for a in 0..n {
            for b in a..=n {
                let run = s.path_states_in(a..b).unwrap();
                assert_eq!(run.len(), b - a);
                for (i, (got, want)) in run.iter().zip(&walked[a..b]).enumerate() {
                    let at = || format!("{}: paths {a}..{b}, path {}", s.info().id, a + i);
                    assert_eq!(got.schedules, want.schedules, "{}", at());
                    assert_eq!(got.voided, want.voided, "{}", at());
                    assert_eq!(got.commitments, want.commitments, "{}", at());
                }
            }
        }
        assert!(s.path_states_in(0..n + 1).is_err());
    }

    /// `s` with a commitment added to every branch of its tree, each with
    /// its own value (its position in the walk, in dollars).
    fn with_commitments(s: &crate::Scenario) -> crate::Scenario {
        fn node(n: &Node, count: &mut u64) -> Node {
            let branches = n
                .branches()
                .iter()
                .map(|b| {
                    *count += 1;
                    let c = Commitment::new(
                        "CN".parse().unwrap(),
                        format!("branch {count}"),
                        crate::units::Money::usd(Decimal::from(*count)),
                        s_window(),
                    )
                    .unwrap();
                    let plain = b.actions().iter().cloned().fold(
                        Branch::new(b.id().clone(), b.label(), b.kind(), b.probability()),
                        Branch::with_action,
                    );
                    let plain = plain.with_commitment(c);
                    match b.next() {
                        Some(next) => plain.then(node(next, count)),
                        None => plain,
                    }
                })
                .collect();
            Node::new(n.id().clone(), n.label(), n.date(), branches)
        }
        fn s_window() -> crate::units::Window {
            crate::units::Window::year(2019).unwrap()
        }
        let tree = OutcomeTree::new(node(s.tree().root(), &mut 0)).unwrap();
        crate::Scenario::builder(s.horizon())
            .baselines(s.baselines().to_vec())
            .regime(s.regime().clone())
            .tree(tree)
            .build()
            .unwrap()
    }

    #[test]
    fn a_run_of_paths_has_the_states_the_walk_gives_them() {
        // Three levels of three branches, each branch changing a measure:
        // runs start under every branch and at every depth.
        let s = Synthetic::new(2018)
            .lines(20)
            .measures(3)
            .steps(2)
            .tree(3, 3)
            .scenario()
            .unwrap();
        runs_match_the_walk(&s);
        // Every branch of the same tree with a purchase commitment of its
        // own: a path holds its own branches' commitments and no sibling's.
        runs_match_the_walk(&with_commitments(&s));
        // The shipped trees: leaves at different depths, rulings that void,
        // purchase commitments.
        for name in ["busan-2025", "record-2018-2026", "g20-2018"] {
            let path = format!("data/scenarios/{name}.toml");
            let s = crate::load::load_scenario(path.as_ref()).unwrap();
            runs_match_the_walk(&s);
        }
    }
}
