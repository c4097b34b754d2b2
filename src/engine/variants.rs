//! Variants of a prepared scenario: another reporting window, other
//! baselines to value, another outcome tree. Each keeps what its change
//! leaves valid of the preparation.

use std::sync::Arc;

use super::builder::{check_tree, history, reference_of, side_plans, value_tied};
use super::cache::Shared;
use super::scenario::{Core, Scenario};
use crate::error::{Error, Result};
use crate::outcome::OutcomeTree;
use crate::trade::Baseline;
use crate::units::Window;

impl Scenario {
    /// The same scenario reported over `window`, a sub-window of its history
    /// (or the horizon itself). Every action still applies, whatever its
    /// date; answers and refunds still count the whole history.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a window outside the history.
    pub fn with_window(&self, window: Window) -> Result<Scenario> {
        let h = self.history();
        if window.start() < h.start() || window.end() > h.end() || window.days() == 0 {
            return Err(Error::Invalid(format!(
                "window {window} is outside the scenario's history {h}: report a non-empty window inside it"
            )));
        }
        Ok(Scenario {
            window,
            shared: Shared::new(
                window,
                &self.core.measures,
                &self.baselines,
                &self.core.plans,
                &self.base_rates,
            )
            .ok()
            .map(Arc::new),
            ..self.clone()
        })
    }

    /// The same scenario valued on other baselines (an importer's own
    /// SKUs): the measures, rules, tree and windows stay, and retaliation
    /// still answers — with the thresholds and import caps — what this
    /// scenario's own baselines trade, so the answers a path makes do not
    /// depend on which goods are valued. Value-matched answers cover the
    /// same share of each item as of the national line it falls under.
    ///
    /// # Errors
    /// As [`Scenario::builder`]: coverage must name baskets the new
    /// baselines have.
    pub fn revalue(&self, baselines: Vec<Baseline>) -> Result<Scenario> {
        let refs = self.core.measure_refs();
        let plans = side_plans(&baselines, &refs, &self.regime, &self.base_rates)?;
        let value_sides = baselines
            .iter()
            .map(|b| {
                self.core.measures[self.core.base()..].iter().any(|m| {
                    m.coverage().is_matched_value()
                        && m.imposer() == b.importer()
                        && m.target() == b.exporter()
                })
            })
            .collect();
        let own_national = baselines
            .iter()
            .map(|b| {
                self.core
                    .retaliation
                    .as_ref()
                    .and_then(|r| r.national.iter().position(|n| n == b))
            })
            .collect();
        let shared = Shared::new(
            self.window,
            &self.core.measures,
            &baselines,
            &plans,
            &self.base_rates,
        )
        .ok()
        .map(Arc::new);
        Ok(Scenario {
            baselines,
            shared,
            core: Arc::new(Core {
                value_tied: value_tied(&plans, &self.core.measures),
                own_national,
                plans,
                value_sides,
                ..(*self.core).clone()
            }),
            ..self.clone()
        })
    }

    /// The same scenario under another outcome tree, keeping what was
    /// prepared: coverage classes, stacking groups and retaliation do not
    /// depend on the tree, so only the tree is checked (its ids, its
    /// reference, every action on every path) — what a sweep over trees
    /// pays per tree instead of a whole [`Scenario::builder`]. The
    /// reference is the path `reference` of the new tree, or every measure
    /// as scheduled when `None`; the reporting window stays.
    ///
    /// ```
    /// use tariffsim::outcome::{Branch, Node, OutcomeKind, OutcomeTree};
    /// use tariffsim::units::parse_date;
    /// use tariffsim::Detail;
    /// let s = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
    /// let one = OutcomeTree::new(Node::new(
    ///     "now".parse()?,
    ///     "",
    ///     parse_date("2018-12-01")?,
    ///     vec![Branch::new("hold".parse()?, "Hold", OutcomeKind::StatusQuo, "1".parse()?)],
    /// ))?;
    /// let held = s.with_tree(one, None)?;
    /// assert_eq!(held.evaluate(Detail::Totals)?.paths().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Scenario::builder`] for a tree: a path named
    /// [`crate::AS_SCHEDULED`], an unknown `reference`, an action that does
    /// not apply on some path. [`Error::Invalid`] for a tree whose
    /// decisions start the scenario's history earlier than its own do
    /// (answers and refunds are worked out over the history): build that
    /// scenario anew.
    pub fn with_tree(&self, tree: OutcomeTree, reference: Option<&str>) -> Result<Scenario> {
        check_tree(&tree)?;
        let reference = reference_of(&tree, reference)?;
        let h = history(&self.core.measures, &tree, self.horizon, self.history_from)?;
        if h != self.core.history {
            return Err(Error::Invalid(format!(
                "the tree's decisions make the history {h}, not the scenario's {}: build the scenario anew with this tree",
                self.core.history
            )));
        }
        let scenario = Scenario {
            tree,
            reference,
            ..self.clone()
        };
        // Every action is applied and checked, as when built.
        scenario.each_path_state(|_| Ok(()))?;
        Ok(scenario)
    }
}
