//! The report of an evaluation as data: every figure the table, the CSV and
//! the charts show, exact, with the scenario it comes from.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::text;
use crate::engine::{
    BaseExposure, Basis, Distribution, Evaluation, MeasureExposure, PathOutcome, Scenario,
    SideExposure, Timeline, Valuation,
};
use crate::error::{Error, Result};
use crate::outcome::OutcomeKind;
use crate::retaliation::AnswerNote;
use crate::tariff::Authority;
use crate::units::{
    Accrued, Currency, Date, LayerId, MeasureId, Month, NodeId, Party, RuleId, Window, days_between,
};

/// An exact amount as a plain decimal, trailing zeros dropped.
fn exact(a: Accrued) -> Decimal {
    a.amount().normalize()
}

/// [`exact`] for every figure of a report's paths, each distinct figure
/// divided once, and each measure's report made once for as long as the
/// paths repeat its exposure: the paths of a tree repeat the figures of the
/// measures they do not change, and the division is most of the cost of a
/// report.
#[derive(Default)]
struct Exact {
    seen: FxHashMap<[u8; 16], Decimal>,
    /// Per side (by position) and measure (by position): the last exposure
    /// reported and its report.
    last: Vec<Vec<Option<(MeasureExposure, MeasureReport)>>>,
}

impl Exact {
    /// The most figures remembered: past these, figures are divided anew.
    const REMEMBERED: usize = 1 << 12;

    fn of(&mut self, a: Accrued) -> Decimal {
        let units = a.units();
        // (0 / d).normalize() is zero, positive and of scale 0.
        if units.is_zero() {
            return Decimal::ZERO;
        }
        let key = units.serialize();
        if let Some(d) = self.seen.get(&key) {
            return *d;
        }
        let d = exact(a);
        if self.seen.len() < Self::REMEMBERED {
            self.seen.insert(key, d);
        }
        d
    }

    /// The report of `m`, the measure at `at` on the side at `side`: the
    /// last one made there when the exposure is the same (a report is a
    /// function of the exposure alone).
    fn measure(&mut self, side: usize, at: usize, m: &MeasureExposure) -> MeasureReport {
        if let Some(Some((seen, report))) = self.last.get(side).and_then(|s| s.get(at)) {
            if seen == m {
                return report.clone();
            }
        }
        let report = measure_report(m, self);
        if self.last.len() <= side {
            self.last.resize_with(side + 1, Vec::new);
        }
        let slots = &mut self.last[side];
        if slots.len() <= at {
            slots.resize_with(at + 1, || None);
        }
        slots[at] = Some((m.clone(), report.clone()));
        report
    }
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
    /// Measures in a direction the scenario declares not valued (no
    /// baseline): listed, never counted as zero.
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
    /// Imports accrued over the window (exact).
    #[serde(with = "text")]
    pub import_value: Decimal,
    /// Duty kept over the window: gross less refundable (exact). The
    /// headline figure.
    #[serde(with = "text")]
    pub net: Decimal,
    /// Duty accrued over the window, refundable included (exact).
    #[serde(with = "text")]
    pub gross: Decimal,
    /// The part of `gross` collected under a voided authority: owed back.
    #[serde(with = "text")]
    pub refundable: Decimal,
    /// Duty collected under a voided authority before the window, owed back
    /// too (not part of `gross`).
    #[serde(with = "text")]
    pub refundable_before: Decimal,
    /// Interest owed on every refund, when the scenario states a rate.
    #[serde(with = "text::optional")]
    pub refund_interest: Option<Decimal>,
    /// `net` per year: net ÷ the years the window covers, actual/actual
    /// (each day is 1/365 or 1/366 of its year, so a whole leap year is one
    /// year).
    #[serde(with = "text")]
    pub net_per_year: Decimal,
    /// Net duty over import value, a fraction; `null` when nothing is
    /// imported.
    #[serde(with = "text::optional")]
    pub effective_rate: Option<Decimal>,
    /// `net` minus the reference's net on this side.
    #[serde(with = "text")]
    pub change: Decimal,
    /// Whether every measure was valued, so the figures are complete; when
    /// not, the diagnostics say which were not.
    pub complete: bool,
    /// Imports accrued in each month of the window.
    #[serde(with = "text::list")]
    pub import_by_month: Vec<Decimal>,
    /// Gross duty in each month of the window.
    #[serde(with = "text::list")]
    pub by_month: Vec<Decimal>,
    /// Duty per measure, in regime order (retaliation answers last).
    pub measures: Vec<MeasureReport>,
    /// The base (MFN) duty, when the scenario has base rates for the
    /// importer; absent otherwise. Not part of `net` or `gross`, which are
    /// the additional duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfn: Option<BaseReport>,
    /// All-in duty: `net` (additional duty kept) plus `mfn.duty`; absent
    /// without base rates.
    #[serde(
        default,
        with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub all_in: Option<Decimal>,
    /// `all_in` over import value, a fraction; absent without base rates
    /// or imports.
    #[serde(
        default,
        with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub all_in_rate: Option<Decimal>,
}

/// The base (MFN) duty on one side: the same on every path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseReport {
    /// Where the base rates come from.
    pub source: String,
    /// The base duty counted over the window (exact): the ad valorem part of
    /// every line's rate.
    #[serde(with = "text")]
    pub duty: Decimal,
    /// The base duty in each month of the window.
    #[serde(with = "text::list")]
    pub by_month: Vec<Decimal>,
    /// Lines whose rate is free or wholly ad valorem (valued in full).
    pub fully_valued_lines: usize,
    /// Their import value over the window (exact).
    #[serde(with = "text")]
    pub fully_valued_import_value: Decimal,
    /// Their base duty (exact).
    #[serde(with = "text")]
    pub fully_valued_duty: Decimal,
    /// Lines whose rate is specific, compound or other: only the ad valorem
    /// part is counted, so their base duty is a lower bound.
    pub partly_valued_lines: usize,
    /// Their import value over the window (exact).
    #[serde(with = "text")]
    pub partly_valued_import_value: Decimal,
    /// Lines with no base rate: nothing counted.
    pub missing_lines: usize,
    /// Their import value over the window (exact).
    #[serde(with = "text")]
    pub missing_import_value: Decimal,
    /// The baskets with no base rate, in baseline order.
    pub missing: Vec<String>,
}

/// `1 line`, `947 lines`.
fn lines_text(n: usize) -> String {
    if n == 1 {
        "1 line".into()
    } else {
        format!("{n} lines")
    }
}

impl BaseReport {
    fn of(b: &BaseExposure, x: &mut Exact) -> BaseReport {
        BaseReport {
            source: b.source().to_string(),
            duty: x.of(b.duty()),
            by_month: b.by_month().iter().map(|a| x.of(*a)).collect(),
            fully_valued_lines: b.fully_valued().lines,
            fully_valued_import_value: x.of(b.fully_valued().import_value),
            fully_valued_duty: x.of(b.fully_valued_duty()),
            partly_valued_lines: b.partly_valued().lines,
            partly_valued_import_value: x.of(b.partly_valued().import_value),
            missing_lines: b.missing().lines,
            missing_import_value: x.of(b.missing().import_value),
            missing: b.missing_keys().iter().map(|k| k.to_string()).collect(),
        }
    }

    /// What the base duty leaves out, as sentences for people ("MFN not
    /// valued beyond its ad valorem part on 947 lines ($4.39B of
    /// imports)"); empty when every line was valued in full.
    pub fn caveats(&self, currency: Currency) -> Vec<String> {
        let mut out = Vec::new();
        if self.partly_valued_lines > 0 {
            out.push(format!(
                "MFN not valued beyond its ad valorem part on {} ({} of imports): specific, compound or other rates",
                lines_text(self.partly_valued_lines),
                super::money_text(self.partly_valued_import_value, currency)
            ));
        }
        if self.missing_lines > 0 {
            const SHOWN: usize = 5;
            let mut codes = self
                .missing
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if self.missing.len() > SHOWN {
                codes.push_str(&format!(" and {} more", self.missing.len() - SHOWN));
            }
            out.push(format!(
                "MFN not valued on {} with no MFN rate ({} of imports): {codes}",
                lines_text(self.missing_lines),
                super::money_text(self.missing_import_value, currency)
            ));
        }
        out
    }
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

    /// Whether the side has measures and none of them could be valued: its
    /// totals are then unknown, not a lower bound worth printing.
    pub fn nothing_valued(&self) -> bool {
        !self.measures.is_empty() && self.measures.iter().all(|m| m.net.is_none())
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
    /// Whether it could be valued: `valued`, `partly-valued` (the figures
    /// are a lower bound), `not-valued` (the figures are unknown, not zero)
    /// or `covers-nothing` (truly zero).
    pub valuation: String,
    /// Duty kept over the window (exact); `null` when the measure is not
    /// valued (its duty is unknown, not zero).
    #[serde(with = "text::optional")]
    pub net: Option<Decimal>,
    /// Duty accrued over the window (exact); `null` when not valued.
    #[serde(with = "text::optional")]
    pub gross: Option<Decimal>,
    /// The part of `gross` owed back (its authority was voided); `null` when
    /// not valued.
    #[serde(with = "text::optional")]
    pub refundable: Option<Decimal>,
    /// Collected before the window and owed back; `null` when not valued.
    #[serde(with = "text::optional")]
    pub refundable_before: Option<Decimal>,
    /// Interest on its refunds, when the scenario states a rate.
    #[serde(with = "text::optional")]
    pub refund_interest: Option<Decimal>,
    /// Gross duty in each month of the window; `null` when not valued.
    #[serde(with = "text::optional_list")]
    pub by_month: Option<Vec<Decimal>>,
}

impl MeasureReport {
    /// Whether its figures are its full duty (valued, or covering nothing).
    pub fn is_complete(&self) -> bool {
        self.valuation == "valued" || self.valuation == "covers-nothing"
    }
}

/// Which rule made an answer measure, and what it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginReport {
    /// The retaliation rule.
    #[serde(with = "text")]
    pub rule: RuleId,
    /// The measures it answers.
    #[serde(with = "text::list")]
    pub triggers: Vec<MeasureId>,
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

/// One retaliation answer, with the import-base cap it met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerReport {
    /// The rule that answered.
    #[serde(with = "text")]
    pub rule: RuleId,
    /// The answer measure.
    #[serde(with = "text")]
    pub answer: MeasureId,
    /// The measures answered.
    #[serde(with = "text::list")]
    pub triggers: Vec<MeasureId>,
    /// How the answer moves with its triggers (`follow`, `ratchet`, `fixed`).
    pub policy: String,
    /// Its first day in force.
    #[serde(with = "text")]
    pub effective: Date,
    /// Its rate on that day, a fraction.
    #[serde(with = "text")]
    pub rate: Decimal,
    /// Its highest rate on the path, a fraction.
    #[serde(with = "text")]
    pub peak: Decimal,
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
    /// The reference's net duty on this side.
    #[serde(with = "text")]
    pub reference_net: Decimal,
    /// The probability-weighted expected duty kept (net).
    #[serde(with = "text")]
    pub expected: Decimal,
    /// The probability-weighted expected gross duty.
    #[serde(with = "text")]
    pub expected_gross: Decimal,
    /// The probability-weighted expected refundable duty.
    #[serde(with = "text")]
    pub expected_refundable: Decimal,
    /// `expected` minus the reference's net.
    #[serde(with = "text")]
    pub expected_change: Decimal,
    /// `expected` over the reference's import value (static exposure: the
    /// same on every path), a fraction; `null` when nothing is imported.
    #[serde(with = "text::optional")]
    pub expected_effective_rate: Option<Decimal>,
    /// The distribution of net duty over paths.
    pub net: DistributionReport,
    /// The distribution of gross duty over paths.
    pub gross: DistributionReport,
    /// The expected duty of each measure, in order of first appearance.
    pub expected_by_measure: Vec<MeasureAmount>,
    /// Whether the side is complete on every path; when not, the expected
    /// value and the distribution are lower bounds.
    pub complete: bool,
    /// Whether no measure of the side could be valued on any path: its
    /// expected value and distribution are then unknown, not zero.
    pub nothing_valued: bool,
    /// The base (MFN) duty (the same on every path); absent without base
    /// rates.
    #[serde(
        default,
        with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub mfn: Option<Decimal>,
    /// The expected all-in duty: `expected` plus `mfn`; absent without base
    /// rates.
    #[serde(
        default,
        with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub expected_all_in: Option<Decimal>,
}

/// Percentiles of path figures, probability-weighted, never interpolated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionReport {
    /// The lowest.
    #[serde(with = "text")]
    pub min: Decimal,
    /// The 10th percentile.
    #[serde(with = "text")]
    pub p10: Decimal,
    /// The median.
    #[serde(with = "text")]
    pub median: Decimal,
    /// The 90th percentile.
    #[serde(with = "text")]
    pub p90: Decimal,
    /// The highest.
    #[serde(with = "text")]
    pub max: Decimal,
}

impl DistributionReport {
    fn of(d: &Distribution) -> DistributionReport {
        DistributionReport {
            min: exact(d.min),
            p10: exact(d.p10),
            median: exact(d.median),
            p90: exact(d.p90),
            max: exact(d.max),
        }
    }
}

impl SideSummary {
    /// `US duties on goods from CN`: the side as a heading.
    pub fn title(&self) -> String {
        side_title(&self.importer, &self.exporter)
    }
}

/// The expected duty under one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureAmount {
    /// The measure.
    #[serde(with = "text")]
    pub measure: MeasureId,
    /// Expected duty kept (exact); `null` when the measure is not valued.
    #[serde(with = "text::optional")]
    pub net: Option<Decimal>,
    /// Expected gross duty (exact); `null` when not valued.
    #[serde(with = "text::optional")]
    pub gross: Option<Decimal>,
    /// `valued`, `partly-valued`, `not-valued` or `covers-nothing`, as on
    /// the paths.
    pub valuation: String,
}

impl EvaluationReport {
    /// The report of `evaluation`, an evaluation of `scenario`.
    ///
    /// # Errors
    /// [`Error::Overflow`] when an expectation does not fit.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation) -> Result<EvaluationReport> {
        let info = scenario.info();
        let reference = evaluation.reference();
        let days = evaluation.window().days();
        let years = year_parts(evaluation.window())?;
        let mut x = Exact::default();
        let paths = evaluation
            .paths()
            .iter()
            .map(|p| path_report(p, reference, years, &mut x))
            .collect::<Result<Vec<_>>>()?;
        let mut sides = Vec::new();
        for (importer, exporter) in evaluation.sides() {
            let (i, e) = (importer.as_str(), exporter.as_str());
            let net = evaluation.distribution(i, e, Basis::Net)?;
            let gross = evaluation.distribution(i, e, Basis::Gross)?;
            let expected = evaluation.expected(i, e)?;
            let ref_side = reference.side(i, e)?;
            let path_sides = paths
                .iter()
                .flat_map(|p: &PathReport| &p.sides)
                .filter(|s| s.importer == importer && s.exporter == exporter);
            let complete = path_sides.clone().all(|s| s.complete);
            let nothing_valued = path_sides.clone().count() > 0
                && path_sides.clone().all(SideReport::nothing_valued);
            let mfn = ref_side.base().map(|b| b.duty());
            let expected_all_in = mfn
                .map(|m| expected.net.checked_add(m))
                .transpose()?
                .map(exact);
            sides.push(SideSummary {
                complete,
                nothing_valued,
                mfn: mfn.map(exact),
                expected_all_in,
                currency: ref_side.currency(),
                reference_net: exact(ref_side.net()),
                expected: exact(expected.net),
                expected_gross: exact(expected.gross),
                expected_refundable: exact(expected.refundable),
                expected_change: exact(expected.net.checked_sub(ref_side.net())?),
                expected_effective_rate: expected
                    .net
                    .ratio(ref_side.import_value())
                    .map(|r| r.normalize()),
                net: DistributionReport::of(&net),
                gross: DistributionReport::of(&gross),
                expected_by_measure: evaluation
                    .expected_by_measure(i, e)?
                    .into_iter()
                    .map(|(measure, a)| {
                        let valuation = evaluation
                            .paths()
                            .iter()
                            .find_map(|p| p.side(i, e).ok()?.measure(measure.as_str()))
                            .map_or(Valuation::Valued, |m| m.valuation());
                        MeasureAmount {
                            measure,
                            net: valued(valuation, || exact(a.net)),
                            gross: valued(valuation, || exact(a.gross)),
                            valuation: valuation_name(valuation).to_string(),
                        }
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
            window: evaluation.window(),
            days,
            horizon: evaluation.horizon(),
            months: evaluation.months().to_vec(),
            diagnostics: evaluation
                .diagnostics()
                .into_iter()
                .map(|d| DiagnosticReport {
                    side: d.side.clone(),
                    measure: d.measure.clone(),
                    valuation: valuation_name(d.valuation).to_string(),
                    message: d.to_string(),
                })
                .collect(),
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
            reference: path_report(reference, reference, years, &mut x)?,
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

/// The name of a valuation in reports.
fn valuation_name(v: Valuation) -> &'static str {
    match v {
        Valuation::Valued => "valued",
        Valuation::Partly { .. } => "partly-valued",
        Valuation::NotValued { .. } => "not-valued",
        Valuation::CoversNothing => "covers-nothing",
    }
}

/// The days of a 365- and a 366-day year both divide: a day of any year is
/// a whole number of these parts of a year.
const YEAR_PARTS: i64 = 365 * 366;

/// The years a window covers, actual/actual (each day is 1/365 or 1/366 of
/// its calendar year, so a whole leap year is exactly one year), in
/// [`YEAR_PARTS`] of a year.
fn year_parts(window: Window) -> Result<i64> {
    let mut parts = 0i64;
    for y in window.start().year()..=window.end().year() {
        let year = Window::year(y)?;
        let (start, end) = (
            window.start().max(year.start()),
            window.end().min(year.end()),
        );
        if start < end {
            parts += days_between(start, end) * (YEAR_PARTS / year.days());
        }
    }
    Ok(parts.max(1))
}

fn path_report(
    path: &PathOutcome,
    reference: &PathOutcome,
    years: i64,
    x: &mut Exact,
) -> Result<PathReport> {
    let sides = path
        .exposure()
        .sides()
        .iter()
        .enumerate()
        .map(|(position, s)| side_report(s, position, reference, years, x))
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
                accrued: x.of(c.accrued),
            })
            .collect(),
        unvalued: path.exposure().unvalued().to_vec(),
    })
}

fn side_report(
    side: &SideExposure,
    position: usize,
    reference: &PathOutcome,
    years: i64,
    x: &mut Exact,
) -> Result<SideReport> {
    let reference_net = reference
        .side(side.importer().as_str(), side.exporter().as_str())?
        .net();
    let net = x.of(side.net());
    let all_in = side.all_in()?;
    // net × parts per year ÷ parts covered: multiplied first, so the
    // quotient is exact whenever it can be.
    let per_year = net
        .checked_mul(Decimal::from(YEAR_PARTS))
        .and_then(|x| x.checked_div(Decimal::from(years)))
        .ok_or_else(|| Error::overflow("a duty per year"))?
        .normalize();
    Ok(SideReport {
        importer: side.importer().clone(),
        exporter: side.exporter().clone(),
        currency: side.currency(),
        import_value: x.of(side.import_value()),
        net,
        gross: x.of(side.gross()),
        refundable: x.of(side.refundable()),
        refundable_before: x.of(side.refundable_before()),
        refund_interest: side.refund_interest().map(exact),
        net_per_year: per_year,
        effective_rate: side.effective_rate().map(|r| r.normalize()),
        change: x.of(side.net().checked_sub(reference_net)?),
        complete: side.is_complete(),
        import_by_month: side.import_by_month().iter().map(|a| x.of(*a)).collect(),
        by_month: side.by_month().iter().map(|a| x.of(*a)).collect(),
        measures: side
            .measures()
            .iter()
            .enumerate()
            .map(|(at, m)| x.measure(position, at, m))
            .collect(),
        mfn: side.base().map(|b| BaseReport::of(b, x)),
        all_in: all_in.map(exact),
        all_in_rate: all_in
            .and_then(|a| a.ratio(side.import_value()))
            .map(|r| r.normalize()),
    })
}

/// The report of one measure's exposure.
fn measure_report(m: &MeasureExposure, x: &mut Exact) -> MeasureReport {
    MeasureReport {
        id: m.id().clone(),
        name: m.name().to_string(),
        authority: m.authority(),
        layer: m.layer().clone(),
        origin: m.origin().map(|o| OriginReport {
            rule: o.rule.clone(),
            triggers: o.triggers.clone(),
        }),
        valuation: valuation_name(m.valuation()).to_string(),
        net: valued(m.valuation(), || x.of(m.net())),
        gross: valued(m.valuation(), || x.of(m.gross())),
        refundable: valued(m.valuation(), || x.of(m.refundable())),
        refundable_before: valued(m.valuation(), || x.of(m.refundable_before())),
        refund_interest: m.refund_interest().map(exact),
        by_month: valued(m.valuation(), || {
            m.by_month().iter().map(|a| x.of(*a)).collect()
        }),
    }
}

/// A measure's figure, or `None` when the measure is not valued: its duty is
/// unknown, and a zero would read as a fact.
fn valued<T>(valuation: Valuation, figure: impl FnOnce() -> T) -> Option<T> {
    (!matches!(valuation, Valuation::NotValued { .. })).then(figure)
}

/// An answer with the currency of the side its measure lands on.
fn answer_report(note: &AnswerNote, path: &PathOutcome) -> AnswerReport {
    let sides = path.exposure().sides();
    let currency = sides
        .iter()
        .find(|s| s.measure(note.answer.as_str()).is_some())
        .or(sides.first())
        .map_or(Currency::USD, SideExposure::currency);
    AnswerReport {
        rule: note.rule.clone(),
        answer: note.answer.clone(),
        triggers: note.triggers.clone(),
        policy: note.policy.to_string(),
        effective: note.effective,
        rate: note.rate.as_fraction().normalize(),
        peak: note.peak.as_fraction().normalize(),
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

/// The average-rate timeline of the scenario's reference: the named
/// reference path, or [`AS_SCHEDULED`](crate::engine::AS_SCHEDULED) (every
/// measure as scheduled, probability 0). Put it among the paths given to
/// [`super::timeline_svg`] to draw the reference line.
///
/// # Errors
/// As [`Scenario::timeline`].
///
/// ```
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let reference = tariffsim::report::reference_timeline(&scenario)?;
/// assert_eq!(reference.path, "as-scheduled");
/// assert_eq!(reference.sides.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reference_timeline(scenario: &Scenario) -> Result<PathTimelines> {
    let id = scenario.reference_id();
    Ok(PathTimelines {
        path: id.to_string(),
        probability: scenario
            .reference()
            .map_or(Decimal::ZERO, |p| p.probability().normalize()),
        sides: scenario.timeline(id)?,
    })
}
