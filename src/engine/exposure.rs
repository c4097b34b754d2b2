//! Duty exposure: what the engine returns for one path (or the status quo).

use rust_decimal::Decimal;

use crate::error::Result;
use crate::tariff::{Authority, Origin};
use crate::trade::BasketKey;
use crate::units::{Accrued, Currency, LayerId, MeasureId, Month, Party, Window};

/// How much detail to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Totals per side, per measure and per month.
    #[default]
    Totals,
    /// Also the duty per basket and measure (per line at product level).
    Baskets,
}

/// Duty owed over a window, per importer side, per measure, per month (and
/// per basket when asked for). Amounts are exact ([`Accrued`]); round them
/// only when reporting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    pub(crate) window: Window,
    pub(crate) months: Vec<Month>,
    pub(crate) sides: Vec<SideExposure>,
    pub(crate) unvalued: Vec<MeasureId>,
}

impl Exposure {
    /// The window `[start, end)` evaluated.
    pub fn window(&self) -> Window {
        self.window
    }

    /// The calendar months the window touches, ascending: the columns of
    /// every `by_month` vector.
    pub fn months(&self) -> &[Month] {
        &self.months
    }

    /// One entry per baseline, in the scenario's baseline order.
    pub fn sides(&self) -> &[SideExposure] {
        &self.sides
    }

    /// The side where `importer` imports from `exporter`.
    pub fn side(&self, importer: &str, exporter: &str) -> Option<&SideExposure> {
        self.sides
            .iter()
            .find(|s| s.importer.as_str() == importer && s.exporter.as_str() == exporter)
    }

    /// Measures no baseline can value (no baseline for their direction):
    /// listed, never counted as zero.
    pub fn unvalued(&self) -> &[MeasureId] {
        &self.unvalued
    }
}

/// Duty collected by one importer on goods from one exporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideExposure {
    pub(crate) importer: Party,
    pub(crate) exporter: Party,
    pub(crate) currency: Currency,
    pub(crate) import_by_month: Vec<Accrued>,
    pub(crate) import_value: Accrued,
    pub(crate) measures: Vec<MeasureExposure>,
    pub(crate) layers: Vec<LayerExposure>,
    pub(crate) by_month: Vec<Accrued>,
    pub(crate) total: Accrued,
    pub(crate) refundable: Accrued,
    pub(crate) baskets: Vec<BasketExposure>,
}

impl SideExposure {
    /// The importing party (it collects the duty).
    pub fn importer(&self) -> &Party {
        &self.importer
    }

    /// The exporting party (its goods pay).
    pub fn exporter(&self) -> &Party {
        &self.exporter
    }

    /// `importer<-exporter`.
    pub fn label(&self) -> String {
        format!("{}<-{}", self.importer, self.exporter)
    }

    /// The baseline's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The import value accrued over the window.
    pub fn import_value(&self) -> Accrued {
        self.import_value
    }

    /// The import value accrued in each month of the window.
    pub fn import_by_month(&self) -> &[Accrued] {
        &self.import_by_month
    }

    /// Every measure on this side, in regime order (retaliation answers last).
    pub fn measures(&self) -> &[MeasureExposure] {
        &self.measures
    }

    /// The measure with id `id`.
    pub fn measure(&self, id: &str) -> Option<&MeasureExposure> {
        self.measures.iter().find(|m| m.id.as_str() == id)
    }

    /// Duty per layer (the measures reported together), in order of first
    /// measure; the layers add up to the side's total exactly.
    pub fn layers(&self) -> &[LayerExposure] {
        &self.layers
    }

    /// The layer with id `id`.
    pub fn layer(&self, id: &str) -> Option<&LayerExposure> {
        self.layers.iter().find(|l| l.layer.as_str() == id)
    }

    /// Total duty over the window.
    pub fn total(&self) -> Accrued {
        self.total
    }

    /// Total duty in each month.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Duty refundable because its authority was voided.
    pub fn refundable(&self) -> Accrued {
        self.refundable
    }

    /// The effective tariff rate: duty over import value in the window, as a
    /// fraction; `None` when nothing was imported.
    pub fn effective_rate(&self) -> Option<Decimal> {
        self.total.ratio(self.import_value)
    }

    /// Per-basket duty, when [`Detail::Baskets`] was asked for.
    pub fn baskets(&self) -> &[BasketExposure] {
        &self.baskets
    }
}

/// Duty under one measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureExposure {
    pub(crate) id: MeasureId,
    pub(crate) name: std::sync::Arc<str>,
    pub(crate) authority: Authority,
    pub(crate) layer: LayerId,
    pub(crate) origin: Option<Origin>,
    pub(crate) by_month: std::sync::Arc<[Accrued]>,
    pub(crate) total: Accrued,
    pub(crate) refundable: Accrued,
}

impl MeasureExposure {
    /// The measure's id.
    pub fn id(&self) -> &MeasureId {
        &self.id
    }

    /// The measure's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The authority.
    pub fn authority(&self) -> Authority {
        self.authority
    }

    /// The layer.
    pub fn layer(&self) -> &LayerId {
        &self.layer
    }

    /// The retaliation rule that made this measure, if one did.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// Duty in each month of the window.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Duty over the window.
    pub fn total(&self) -> Accrued {
        self.total
    }

    /// The part of the duty that is refundable (its authority was voided).
    pub fn refundable(&self) -> Accrued {
        self.refundable
    }
}

/// Duty under the measures of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerExposure {
    pub(crate) layer: LayerId,
    pub(crate) by_month: std::sync::Arc<[Accrued]>,
    pub(crate) total: Accrued,
}

impl LayerExposure {
    /// The layer.
    pub fn layer(&self) -> &LayerId {
        &self.layer
    }

    /// Duty in each month of the window.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Duty over the window.
    pub fn total(&self) -> Accrued {
        self.total
    }
}

/// Duty on one basket (one line at product level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasketExposure {
    pub(crate) key: BasketKey,
    pub(crate) import_value: Accrued,
    pub(crate) by_measure: Vec<Accrued>,
    pub(crate) by_month: Vec<Accrued>,
    pub(crate) total: Accrued,
}

impl BasketExposure {
    /// The basket.
    pub fn key(&self) -> &BasketKey {
        &self.key
    }

    /// Its import value accrued over the window.
    pub fn import_value(&self) -> Accrued {
        self.import_value
    }

    /// Duty per measure, aligned with [`SideExposure::measures`].
    pub fn by_measure(&self) -> &[Accrued] {
        &self.by_measure
    }

    /// Duty in each month of the window, all measures together.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Duty over the window.
    pub fn total(&self) -> Accrued {
        self.total
    }
}

/// Sums accrued amounts exactly.
pub(crate) fn sum<'a>(items: impl IntoIterator<Item = &'a Accrued>) -> Result<Accrued> {
    items
        .into_iter()
        .try_fold(Accrued::ZERO, |a, b| a.checked_add(*b))
}
