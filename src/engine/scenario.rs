//! Scenarios: baselines, measures, stacking and retaliation rules, an outcome
//! tree and a horizon, checked as a whole when built (`builder.rs`) and
//! varied once prepared (`variants.rs`).

use std::sync::Arc;

use super::answers::Retaliation;
use super::cache::Shared;
use super::grain::TriggerGrain;
use super::plan::SidePlan;
use super::refunds::RefundTerms;
use crate::outcome::{OutcomeTree, Path};
use crate::retaliation::{Answers, RetaliationRule};
use crate::tariff::{BaseRates, Measure, Regime};
use crate::trade::{Baseline, ExchangeRates};
use crate::units::{Date, Party, Window};

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

/// The id of the reference when no path is named: every measure as
/// scheduled, no outcome applied. No path of a tree may take it.
pub const AS_SCHEDULED: &str = "as-scheduled";

/// A validated scenario: baselines + measures + stacking rules + retaliation
/// rules + outcome tree + horizon, with a reference that differences are
/// taken against: a named path, or (by default) [`AS_SCHEDULED`] — every
/// measure as scheduled, no outcome applied.
///
/// Built with [`Scenario::builder`]. Every path of the tree is checked when
/// the scenario is built: each action names existing measures, is dated on
/// or after its decision point and inside the horizon, applies cleanly to
/// the schedules as the path has left them, and never revives a measure
/// whose authority the path voided.
///
/// # Windows
///
/// The *horizon* is the span the scenario is about; its *history* runs from
/// its earliest dated step (or `history_from`) to the horizon's end.
/// Retaliation and refunds are worked out over the whole history, so a
/// trigger dated before the horizon still fires and a refund counts every
/// collection since a voided measure's first day. Reports cover the
/// *window*: the horizon, or a sub-window of the history
/// ([`Scenario::with_window`]); narrowing the window never changes which
/// actions apply.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub(crate) info: ScenarioInfo,
    pub(crate) baselines: Vec<Baseline>,
    pub(crate) regime: Regime,
    pub(crate) rules: Vec<RetaliationRule>,
    pub(crate) tree: OutcomeTree,
    pub(crate) horizon: Window,
    pub(crate) window: Window,
    pub(crate) history_from: Option<Date>,
    pub(crate) reference: Option<usize>,
    pub(crate) fx: ExchangeRates,
    pub(crate) refunds: RefundTerms,
    pub(crate) not_valued: Vec<(Party, Party)>,
    pub(crate) base_rates: Vec<BaseRates>,
    pub(crate) core: Arc<Core>,
    /// What every evaluation over `window` shares: made with `core`, and
    /// again when the window or the baselines change. `None` where it cannot
    /// be made (a baseline without a period the window needs): each
    /// evaluation then tries again and reports why, so the scenario can
    /// still be narrowed with [`Scenario::with_window`] to what its
    /// baselines cover.
    pub(crate) shared: Option<Arc<Shared>>,
}

/// What is derived from a scenario's definition, once.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    /// The regime's measures, then the answers the rules can make.
    pub measures: Vec<Measure>,
    /// One plan per (valuation) baseline, over `measures`.
    pub plans: Vec<Arc<SidePlan>>,
    /// Whether a value-matched answer is imposed on each baseline's side.
    pub value_sides: Vec<bool>,
    /// Whether a value-matched answer on each side shares a stacking group
    /// with other measures (then its slices change the side's classes).
    pub value_tied: Vec<bool>,
    /// Per valuation baseline, the national baseline it is (the same index
    /// unless a portfolio took its place).
    pub own_national: Vec<Option<usize>>,
    pub retaliation: Option<Retaliation>,
    /// Per answer, what it knows of the value its triggers cover.
    pub trigger_grains: Vec<TriggerGrain>,
    pub history: Window,
}

impl Core {
    /// The measures, by reference.
    pub fn measure_refs(&self) -> Vec<&Measure> {
        self.measures.iter().collect()
    }

    /// The number of regime measures (answers come after).
    pub fn base(&self) -> usize {
        self.retaliation
            .as_ref()
            .map_or(self.measures.len(), |r| r.answers.base())
    }
}

impl PartialEq for Scenario {
    /// Scenarios are equal when what they say is equal: info, baselines,
    /// regime, rules, tree, horizon, window, reference, exchange rates,
    /// refund terms and the directions declared not valued.
    fn eq(&self, other: &Scenario) -> bool {
        self.info == other.info
            && self.baselines == other.baselines
            && self.regime == other.regime
            && self.rules == other.rules
            && self.tree == other.tree
            && self.horizon == other.horizon
            && self.window == other.window
            && self.history_from == other.history_from
            && self.reference == other.reference
            && self.fx == other.fx
            && self.refunds == other.refunds
            && self.not_valued == other.not_valued
            && self.base_rates == other.base_rates
    }
}

impl Eq for Scenario {}

impl Scenario {
    /// The base rates (MFN) of each importer that has them.
    pub fn base_rates(&self) -> &[BaseRates] {
        &self.base_rates
    }

    /// The base rates `importer` applies, if the scenario has them.
    pub fn base_rates_of(&self, importer: &Party) -> Option<&BaseRates> {
        self.base_rates.iter().find(|b| b.importer() == importer)
    }

    /// The scenario's id, title and assumptions.
    pub fn info(&self) -> &ScenarioInfo {
        &self.info
    }

    /// The baselines duty is valued on.
    pub fn baselines(&self) -> &[Baseline] {
        &self.baselines
    }

    /// The measures and stacking rules.
    pub fn regime(&self) -> &Regime {
        &self.regime
    }

    /// The retaliation rules.
    pub fn retaliation(&self) -> &[RetaliationRule] {
        &self.rules
    }

    /// Every answer the rules can make, in evaluation order.
    pub fn answers(&self) -> Option<&Answers> {
        self.core.retaliation.as_ref().map(|r| &r.answers)
    }

    /// The outcome tree.
    pub fn tree(&self) -> &OutcomeTree {
        &self.tree
    }

    /// The horizon `[start, end)` the scenario is about.
    pub fn horizon(&self) -> Window {
        self.horizon
    }

    /// The history: from the earliest dated step (or `history_from`) to the
    /// horizon's end. Retaliation and refunds are worked out over it.
    pub fn history(&self) -> Window {
        self.core.history
    }

    /// The window reports cover: the horizon unless narrowed.
    pub fn window(&self) -> Window {
        self.window
    }

    /// The exchange rates.
    pub fn exchange_rates(&self) -> &ExchangeRates {
        &self.fx
    }

    /// How refunds are paid.
    pub fn refund_terms(&self) -> &RefundTerms {
        &self.refunds
    }

    /// The directions declared not valued.
    pub fn not_valued(&self) -> &[(Party, Party)] {
        &self.not_valued
    }

    /// The date history starts from, when stated.
    pub fn history_from(&self) -> Option<Date> {
        self.history_from
    }

    /// The reference path, or `None` for [`AS_SCHEDULED`].
    pub fn reference(&self) -> Option<&Path> {
        self.reference.map(|i| &self.tree.paths()[i])
    }

    /// The reference's id: a path id, or [`AS_SCHEDULED`].
    pub fn reference_id(&self) -> &str {
        self.reference().map_or(AS_SCHEDULED, |p| p.id())
    }
}
