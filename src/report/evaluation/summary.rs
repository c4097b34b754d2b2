//! Each side across paths: the expected duty and the distribution.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::side_title;
use crate::report::text;
use crate::units::{Currency, MeasureId, Party};

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
