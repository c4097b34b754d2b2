//! Each path of a report: its duty per side and measure, the answers it
//! made, what it voids and commits to.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::outcome::OutcomeKind;
use crate::report::text;
use crate::tariff::Authority;
use crate::units::{Currency, Date, LayerId, MeasureId, Party, RuleId};

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
    /// Duty per measure, in regime order (retaliation answers last). A
    /// measure's report is shared with the paths before it while they
    /// report the same exposure for it (most measures on most paths of a
    /// tree): fields read through the `Arc`, and `Arc::make_mut` gives a
    /// copy to change.
    pub measures: Vec<Arc<MeasureReport>>,
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
    /// What the base duty leaves out, as sentences for people ("MFN not
    /// valued beyond its ad valorem part on 947 lines ($4.39B of
    /// imports)"); empty when every line was valued in full.
    pub fn caveats(&self, currency: Currency) -> Vec<String> {
        let mut out = Vec::new();
        if self.partly_valued_lines > 0 {
            out.push(format!(
                "MFN not valued beyond its ad valorem part on {} ({} of imports): specific, compound or other rates",
                lines_text(self.partly_valued_lines),
                crate::report::money_text(self.partly_valued_import_value, currency)
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
                crate::report::money_text(self.missing_import_value, currency)
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
