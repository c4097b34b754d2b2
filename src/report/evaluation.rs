//! The report of an evaluation as data: every figure the table, the CSV and
//! the charts show, exact, with the scenario it comes from.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::text;
use crate::engine::{Evaluation, PathOutcome, Scenario, SideExposure, Timeline};
use crate::error::{Error, Result};
use crate::outcome::OutcomeKind;
use crate::retaliation::AnswerNote;
use crate::tariff::Authority;
use crate::units::{
    Accrued, Currency, Date, LayerId, MeasureId, Month, NodeId, Party, RuleId, Window,
};

/// An exact amount as a plain decimal, trailing zeros dropped.
fn exact(a: Accrued) -> Decimal {
    a.amount().normalize()
}

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
    /// The horizon `[start, end)` evaluated, as `START..END`.
    #[serde(with = "text")]
    pub horizon: Window,
    /// The months of the horizon (`2019-01`): the columns of every `by_month`.
    #[serde(with = "text::list")]
    pub months: Vec<Month>,
    /// The decision points of the outcome tree, in tree order.
    pub decisions: Vec<DecisionReport>,
    /// The reference changes are measured against: a named path, or the
    /// status quo (every measure as scheduled, no outcome applied,
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

/// One path (or the reference) and its exposure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathReport {
    /// The path id (branch ids joined by `/`), or `status-quo`.
    pub id: String,
    /// The branch labels along the path.
    pub labels: Vec<String>,
    /// The outcome kinds along the path.
    #[serde(with = "text::list")]
    pub kinds: Vec<OutcomeKind>,
    /// The path's probability, a fraction (0 for the status-quo reference).
    #[serde(with = "text")]
    pub probability: Decimal,
    /// Duty per side, in baseline order.
    pub sides: Vec<SideReport>,
    /// The retaliation answers made on the path, in date order.
    pub answers: Vec<AnswerReport>,
    /// Measures whose authority the path voids, with the ruling date.
    pub voided: Vec<VoidedReport>,
    /// Non-tariff commitments the path carries.
    pub commitments: Vec<CommitmentReport>,
    /// Measures no baseline can value: listed, never counted as zero.
    #[serde(with = "text::list")]
    pub unvalued: Vec<MeasureId>,
}

/// Duty one importer collects on goods from one exporter, on one path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideReport {
    /// The importing party (it collects the duty).
    #[serde(with = "text")]
    pub importer: Party,
    /// The exporting party.
    #[serde(with = "text")]
    pub exporter: Party,
    /// The currency of every amount on this side.
    #[serde(with = "text")]
    pub currency: Currency,
    /// Imports accrued over the horizon (exact).
    #[serde(with = "text")]
    pub import_value: Decimal,
    /// Duty over the horizon (exact).
    #[serde(with = "text")]
    pub total: Decimal,
    /// Duty over import value, a fraction; `null` when nothing is imported.
    #[serde(with = "text::optional")]
    pub effective_rate: Option<Decimal>,
    /// `total` minus the reference's total on this side.
    #[serde(with = "text")]
    pub change: Decimal,
    /// Duty refundable because its authority was voided (exact).
    #[serde(with = "text")]
    pub refundable: Decimal,
    /// Imports accrued in each month of the horizon.
    #[serde(with = "text::list")]
    pub import_by_month: Vec<Decimal>,
    /// Duty in each month of the horizon.
    #[serde(with = "text::list")]
    pub by_month: Vec<Decimal>,
    /// Duty per measure, in regime order (retaliation answers last).
    pub measures: Vec<MeasureReport>,
}

impl SideReport {
    /// `importer<-exporter`.
    pub fn label(&self) -> String {
        format!("{}<-{}", self.importer, self.exporter)
    }

    /// `US duties on goods from CN`: the side as a heading.
    pub fn title(&self) -> String {
        side_title(&self.importer, &self.exporter)
    }
}

pub(crate) fn side_title(importer: &Party, exporter: &Party) -> String {
    format!("{importer} duties on goods from {exporter}")
}

/// Duty under one measure on one path and side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureReport {
    /// The measure id.
    #[serde(with = "text")]
    pub id: MeasureId,
    /// Its name.
    pub name: String,
    /// The authority it is imposed under.
    #[serde(with = "text")]
    pub authority: Authority,
    /// The layer it belongs to.
    #[serde(with = "text")]
    pub layer: LayerId,
    /// The retaliation rule that made it, for an answer measure.
    pub origin: Option<OriginReport>,
    /// Duty over the horizon (exact).
    #[serde(with = "text")]
    pub total: Decimal,
    /// The part of `total` that is refundable (its authority was voided).
    #[serde(with = "text")]
    pub refundable: Decimal,
    /// Duty in each month of the horizon.
    #[serde(with = "text::list")]
    pub by_month: Vec<Decimal>,
}

/// Which rule made an answer measure, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginReport {
    /// The retaliation rule.
    #[serde(with = "text")]
    pub rule: RuleId,
    /// The measure it answered.
    #[serde(with = "text")]
    pub trigger: MeasureId,
}

/// One retaliation answer, with the import-base cap it met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerReport {
    /// The rule that answered.
    #[serde(with = "text")]
    pub rule: RuleId,
    /// The measure answered.
    #[serde(with = "text")]
    pub trigger: MeasureId,
    /// When the answer takes effect.
    #[serde(with = "text")]
    pub effective: Date,
    /// The answer's rate, a fraction.
    #[serde(with = "text")]
    pub rate: Decimal,
    /// The currency of `requested` and `covered`: the answering side's.
    #[serde(with = "text")]
    pub currency: Currency,
    /// The annual value the rule asked to cover (value-matched answers).
    #[serde(with = "text::optional")]
    pub requested: Option<Decimal>,
    /// The annual value covered after the cap (never more than the
    /// answering side imports and does not yet tax).
    #[serde(with = "text::optional")]
    pub covered: Option<Decimal>,
}

impl AnswerReport {
    /// Whether the import base capped the answer below what it asked.
    pub fn capped(&self) -> bool {
        matches!((self.requested, self.covered), (Some(r), Some(c)) if c < r)
    }
}

/// A measure whose authority a path voids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidedReport {
    /// The measure.
    #[serde(with = "text")]
    pub measure: MeasureId,
    /// The date of the ruling.
    #[serde(with = "text")]
    pub date: Date,
}

/// A non-tariff commitment on a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentReport {
    /// Who buys.
    #[serde(with = "text")]
    pub buyer: Party,
    /// What.
    pub description: String,
    /// The currency of `accrued`.
    #[serde(with = "text")]
    pub currency: Currency,
    /// The committed value accrued within the horizon (exact).
    #[serde(with = "text")]
    pub accrued: Decimal,
}

/// One side across every path: the expectation and the distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideSummary {
    /// The importing party.
    #[serde(with = "text")]
    pub importer: Party,
    /// The exporting party.
    #[serde(with = "text")]
    pub exporter: Party,
    /// The currency of every amount.
    #[serde(with = "text")]
    pub currency: Currency,
    /// The reference's total on this side.
    #[serde(with = "text")]
    pub reference_total: Decimal,
    /// The probability-weighted expected duty.
    #[serde(with = "text")]
    pub expected: Decimal,
    /// `expected` minus the reference's total.
    #[serde(with = "text")]
    pub expected_change: Decimal,
    /// `expected` over the reference's import value (static exposure: the
    /// same on every path), a fraction; `null` when nothing is imported.
    #[serde(with = "text::optional")]
    pub expected_effective_rate: Option<Decimal>,
    /// The lowest path total.
    #[serde(with = "text")]
    pub min: Decimal,
    /// The probability-weighted 10th percentile of path totals.
    #[serde(with = "text")]
    pub p10: Decimal,
    /// The probability-weighted median.
    #[serde(with = "text")]
    pub median: Decimal,
    /// The probability-weighted 90th percentile.
    #[serde(with = "text")]
    pub p90: Decimal,
    /// The highest path total.
    #[serde(with = "text")]
    pub max: Decimal,
    /// The expected duty of each measure, in order of first appearance.
    pub expected_by_measure: Vec<MeasureAmount>,
}

impl SideSummary {
    /// `US duties on goods from CN`: the side as a heading.
    pub fn title(&self) -> String {
        side_title(&self.importer, &self.exporter)
    }
}

/// An amount owed under one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureAmount {
    /// The measure.
    #[serde(with = "text")]
    pub measure: MeasureId,
    /// The amount (exact).
    #[serde(with = "text")]
    pub amount: Decimal,
}

impl EvaluationReport {
    /// The report of `evaluation`, an evaluation of `scenario`.
    ///
    /// # Errors
    /// [`Error::Overflow`] when an expectation does not fit.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation) -> Result<EvaluationReport> {
        let info = scenario.info();
        let reference = evaluation.reference();
        let paths = evaluation
            .paths()
            .iter()
            .map(|p| path_report(p, reference))
            .collect::<Result<Vec<_>>>()?;
        let mut sides = Vec::new();
        for (importer, exporter) in evaluation.sides() {
            let (i, e) = (importer.as_str(), exporter.as_str());
            let dist = evaluation.distribution(i, e)?;
            let ref_side = reference.exposure().side(i, e);
            let reference_total = ref_side.map_or(Accrued::ZERO, SideExposure::total);
            let currency = ref_side
                .or_else(|| {
                    evaluation
                        .paths()
                        .iter()
                        .find_map(|p| p.exposure().side(i, e))
                })
                .map_or(Currency::USD, SideExposure::currency);
            sides.push(SideSummary {
                currency,
                reference_total: exact(reference_total),
                expected: exact(dist.expected),
                expected_change: exact(dist.expected.checked_sub(reference_total)?),
                expected_effective_rate: ref_side
                    .and_then(|s| dist.expected.ratio(s.import_value()))
                    .map(|r| r.normalize()),
                min: exact(dist.min),
                p10: exact(dist.p10),
                median: exact(dist.median),
                p90: exact(dist.p90),
                max: exact(dist.max),
                expected_by_measure: evaluation
                    .expected_by_measure(i, e)?
                    .into_iter()
                    .map(|(measure, a)| MeasureAmount {
                        measure,
                        amount: exact(a),
                    })
                    .collect(),
                importer,
                exporter,
            });
        }
        Ok(EvaluationReport {
            scenario: ScenarioReport {
                id: info.id.clone(),
                title: info.title.clone(),
                description: info.description.clone(),
                assumptions: info.assumptions.clone(),
                sources: info.sources.clone(),
            },
            horizon: evaluation.horizon(),
            months: evaluation.months().to_vec(),
            decisions: scenario
                .tree()
                .nodes()
                .into_iter()
                .map(|n| DecisionReport {
                    node: n.id().clone(),
                    label: n.label().to_string(),
                    date: n.date(),
                })
                .collect(),
            reference: path_report(reference, reference)?,
            paths,
            sides,
        })
    }

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
    /// rather than the status quo.
    pub fn reference_is_path(&self) -> bool {
        self.paths.iter().any(|p| p.id == self.reference.id)
    }

    /// Whether any path voids an authority (then refundable duty is shown).
    pub fn voids_any(&self) -> bool {
        self.paths.iter().any(|p| !p.voided.is_empty())
    }
}

fn path_report(path: &PathOutcome, reference: &PathOutcome) -> Result<PathReport> {
    let sides = path
        .exposure()
        .sides()
        .iter()
        .map(|s| side_report(s, reference))
        .collect::<Result<Vec<_>>>()?;
    let answers = path
        .answers()
        .iter()
        .map(|a| answer_report(a, path))
        .collect();
    Ok(PathReport {
        id: path.id().to_string(),
        labels: path.labels().to_vec(),
        kinds: path.kinds().to_vec(),
        probability: path.probability().normalize(),
        sides,
        answers,
        voided: path
            .voided()
            .iter()
            .map(|(measure, date)| VoidedReport {
                measure: measure.clone(),
                date: *date,
            })
            .collect(),
        commitments: path
            .commitments()
            .iter()
            .map(|c| CommitmentReport {
                buyer: c.buyer.clone(),
                description: c.description.clone(),
                currency: c.currency,
                accrued: exact(c.accrued),
            })
            .collect(),
        unvalued: path.exposure().unvalued().to_vec(),
    })
}

fn side_report(side: &SideExposure, reference: &PathOutcome) -> Result<SideReport> {
    let reference_total = reference.total(side.importer().as_str(), side.exporter().as_str());
    Ok(SideReport {
        importer: side.importer().clone(),
        exporter: side.exporter().clone(),
        currency: side.currency(),
        import_value: exact(side.import_value()),
        total: exact(side.total()),
        effective_rate: side.effective_rate().map(|r| r.normalize()),
        change: exact(side.total().checked_sub(reference_total)?),
        refundable: exact(side.refundable()),
        import_by_month: side.import_by_month().iter().map(|a| exact(*a)).collect(),
        by_month: side.by_month().iter().map(|a| exact(*a)).collect(),
        measures: side
            .measures()
            .iter()
            .map(|m| MeasureReport {
                id: m.id().clone(),
                name: m.name().to_string(),
                authority: m.authority(),
                layer: m.layer().clone(),
                origin: m.origin().map(|o| OriginReport {
                    rule: o.rule.clone(),
                    trigger: o.trigger.clone(),
                }),
                total: exact(m.total()),
                refundable: exact(m.refundable()),
                by_month: m.by_month().iter().map(|a| exact(*a)).collect(),
            })
            .collect(),
    })
}

/// An answer with the currency of the side its measure lands on.
fn answer_report(note: &AnswerNote, path: &PathOutcome) -> AnswerReport {
    let sides = path.exposure().sides();
    let currency = sides
        .iter()
        .find(|s| {
            s.measures().iter().any(|m| {
                m.origin()
                    .is_some_and(|o| o.rule == note.rule && o.trigger == note.trigger)
            })
        })
        .or(sides.first())
        .map_or(Currency::USD, SideExposure::currency);
    AnswerReport {
        rule: note.rule.clone(),
        trigger: note.trigger.clone(),
        effective: note.effective,
        rate: note.rate.as_fraction().normalize(),
        currency,
        requested: note.requested.map(|v| v.normalize()),
        covered: note.covered.map(|v| v.normalize()),
    }
}

/// The average-rate timelines of one path, one per side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTimelines {
    /// The path id.
    pub path: String,
    /// The path's probability, a fraction.
    pub probability: Decimal,
    /// One timeline per side, in baseline order.
    pub sides: Vec<Timeline>,
}

/// The average-rate timelines of every path of `scenario`, in tree order,
/// over its horizon: what [`super::timeline_svg`] draws.
///
/// # Errors
/// As [`Scenario::timeline`].
///
/// ```
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let all = tariffsim::report::path_timelines(&scenario)?;
/// assert_eq!(all.len(), 4);
/// assert_eq!(all[0].sides.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn path_timelines(scenario: &Scenario) -> Result<Vec<PathTimelines>> {
    scenario
        .tree()
        .paths()
        .iter()
        .map(|p| {
            Ok(PathTimelines {
                path: p.id().to_string(),
                probability: p.probability().normalize(),
                sides: scenario.timeline(p.id())?,
            })
        })
        .collect()
}
