//! The report of an evaluation as data: every figure the table, the CSV and
//! the charts show, exact, with the scenario it comes from.
//!
//! The records are here (the report and its scenario) and in `paths`
//! (each path and side) and `summary` (across paths); `build` makes
//! them from an evaluation; `timelines` gathers the average-rate
//! timelines the charts draw.

mod build;
mod paths;
mod summary;
mod timelines;

pub(crate) use paths::side_title;
pub use paths::{
    AnswerReport, BaseReport, CommitmentReport, MeasureReport, OriginReport, PathReport,
    SideReport, VoidedReport,
};
pub use summary::{DistributionReport, MeasureAmount, SideSummary};
pub use timelines::{PathTimelines, base_note, path_timelines, reference_timeline};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::report::text;
use crate::units::{Date, MeasureId, Month, NodeId, Window};

/// Everything an evaluation says, ready to print, save or chart.
///
/// A plain record built by [`EvaluationReport::new`]: amounts are exact
/// (currency units to Decimal's 28 significant digits, never rounded),
/// rates and probabilities are fractions (`0.25` is 25%). In JSON every
/// decimal, date and id is a string.
///
/// ```
/// use tariffsim::{Detail, report::EvaluationReport};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let json = report.to_json()?;
/// assert_eq!(EvaluationReport::from_json(&json)?, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationReport {
    /// What the scenario is.
    pub scenario: ScenarioReport,
    /// The window `[start, end)` every amount covers, as `START..END`.
    #[serde(with = "text")]
    pub window: Window,
    /// The number of days in the window.
    pub days: i64,
    /// The scenario's horizon (the window unless a report narrowed it).
    #[serde(with = "text")]
    pub horizon: Window,
    /// The months of the window (`2019-01`): the columns of every `by_month`.
    #[serde(with = "text::list")]
    pub months: Vec<Month>,
    /// What could not be valued, and why: never shown as zero.
    pub diagnostics: Vec<DiagnosticReport>,
    /// The decision points of the outcome tree, in tree order.
    pub decisions: Vec<DecisionReport>,
    /// The reference changes are measured against: a named path, or
    /// `as-scheduled` (every measure as scheduled, no outcome applied,
    /// probability 0).
    pub reference: PathReport,
    /// Every path of the tree, in tree order.
    pub paths: Vec<PathReport>,
    /// Expected values and distributions across paths, one per side.
    pub sides: Vec<SideSummary>,
}

/// A scenario's identity and the assumptions it states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioReport {
    /// The scenario id, e.g. `g20-2018`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What it asks.
    pub description: String,
    /// The assumptions it states (probabilities, simplifications).
    pub assumptions: Vec<String>,
    /// The sources of its facts.
    pub sources: Vec<String>,
}

/// One decision point of the outcome tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionReport {
    /// The node id.
    #[serde(with = "text")]
    pub node: NodeId,
    /// Its label.
    pub label: String,
    /// The date of the decision.
    #[serde(with = "text")]
    pub date: Date,
}

/// A measure the engine could not (fully) value, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticReport {
    /// The side, `importer<-exporter`.
    pub side: String,
    /// The measure.
    #[serde(with = "text")]
    pub measure: MeasureId,
    /// `not-valued`, `partly-valued` or `covers-nothing`.
    pub valuation: String,
    /// What it means, in a sentence.
    pub message: String,
}

impl EvaluationReport {
    /// The report as pretty-printed JSON, ending with a newline.
    ///
    /// # Errors
    /// [`Error::Invalid`] if serialisation fails (it does not for a report
    /// built by [`EvaluationReport::new`]).
    pub fn to_json(&self) -> Result<String> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Invalid(format!("cannot write the report as json: {e}")))?;
        text.push('\n');
        Ok(text)
    }

    /// A report read back from [`EvaluationReport::to_json`]'s output.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the line, column and field that do not read.
    pub fn from_json(text: &str) -> Result<EvaluationReport> {
        serde_json::from_str(text).map_err(|e| Error::Invalid(format!("invalid report json: {e}")))
    }

    /// Whether the reference is one of the paths (a named reference path)
    /// rather than `as-scheduled`.
    pub fn reference_is_path(&self) -> bool {
        self.paths.iter().any(|p| p.id == self.reference.id)
    }

    /// Whether any path voids an authority (then refundable duty is shown).
    pub fn voids_any(&self) -> bool {
        self.paths.iter().any(|p| !p.voided.is_empty())
    }

    /// Whether any refund carries interest.
    pub fn has_interest(&self) -> bool {
        self.paths
            .iter()
            .flat_map(|p| &p.sides)
            .any(|s| s.refund_interest.is_some())
    }
}
