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

impl Scenario {
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
        let measures = self.regime.measures();
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
            if let Some(d) = action.void_date() {
                state.voided[i] = Some(state.voided[i].map_or(d, |v| v.min(d)));
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
            state.schedules[i] = Arc::new(next);
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

    /// The state at the end of every path, in path order; applying each
    /// branch's actions once on its parent's state.
    pub(crate) fn path_states(&self) -> Result<Vec<PathState>> {
        let mut out = Vec::with_capacity(self.tree.paths().len());
        self.each_path_state(|s| {
            out.push(s);
            Ok(())
        })?;
        Ok(out)
    }

    /// Hands `visit` the state at the end of every path, in path order, as
    /// the tree is walked: only the states of the branches still to visit
    /// are held, never every path's.
    pub(crate) fn each_path_state(
        &self,
        mut visit: impl FnMut(PathState) -> Result<()>,
    ) -> Result<()> {
        let root = self.tree.root();
        let base = self.base_state();
        // Depth first, first branches first: siblings are pushed in reverse.
        let mut pending: Vec<(&Node, &Branch, PathState)> = root
            .branches()
            .iter()
            .rev()
            .map(|b| (root, b, base.clone()))
            .collect();
        while let Some((node, b, mut s)) = pending.pop() {
            for (ai, a) in b.actions().iter().enumerate() {
                self.apply(&mut s, node, b, ai, a)?;
            }
            s.commitments.extend(b.commitments().iter().cloned());
            match b.next() {
                Some(child) => {
                    for cb in child.branches().iter().rev() {
                        pending.push((child, cb, s.clone()));
                    }
                }
                None => visit(s)?,
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
