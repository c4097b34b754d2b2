//! Streaming: every path's outcome handed over as it is worked out, the
//! paths' states made as the tree is walked, and the work they share let go
//! past a bound, so memory does not grow with the number of leaves.

use super::cache::Cache;
use super::exposure::Detail;
use super::results::PathOutcome;
use super::run::as_scheduled;
use super::scenario::Scenario;
use crate::error::Result;

/// How many group results and answer sets [`Scenario::evaluate_each`] keeps
/// for the paths after them before it lets them go, a result made once and
/// not kept (a linear group's, met for the first time) counting as one (some 2,000 paths' worth
/// on the synthetic trees of the benches, whose 1,000 paths keep 1,180 group
/// results and, with rules, 930 answer sets: at 100,000 leaves × 20,000
/// lines the evaluation then adds nothing to the peak of building the
/// scenario).
pub const STREAM_KEPT: usize = 4_096;

impl Scenario {
    /// Evaluates every path of the tree as [`Scenario::evaluate`] does, but
    /// hands each path's outcome to `each` (with its index in
    /// [`crate::outcome::OutcomeTree::paths`]) as soon as it is worked out,
    /// keeping none: the states of the paths are made as the tree is walked, and the
    /// work paths share is kept for up to [`STREAM_KEPT`] group results and
    /// answer sets, then begun again, so memory holds the scenario and a
    /// bounded amount more, not one outcome per leaf. Returns the reference
    /// path's outcome (see [`crate::Evaluation::reference`]). Each outcome is the
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
    pub(super) fn stream(
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
            let outcome = self.evaluate_state(state, path, detail, &mut cache)?;
            if self.reference == Some(i) {
                reference = Some(outcome.clone());
            }
            each(i, outcome)?;
            i += 1;
            // Paths next to each other in the walk share the most work; what
            // older paths shared is let go, so memory stays bounded.
            // A linear group's result met once is not kept, but the
            // schedules it was made under are: it counts as kept.
            if cache.groups.len() + cache.answers.len() + cache.linear_met.len() > kept {
                cache = Cache::new(self)?;
            }
            Ok(())
        })?;
        match reference {
            Some(r) => Ok(r),
            None => self.evaluate_state(&self.base_state(), &as_scheduled(), detail, &mut cache),
        }
    }
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
