//! Duty exposure: what the engine returns for one path (or the reference).
//!
//! Every amount says what it is. *Gross* duty is what accrues over the
//! window; *refundable* is the part of it collected under an authority a
//! court voided on this path, which is owed back; *net* is gross less
//! refundable, the duty kept. Duty collected under a voided authority
//! *before* the window is owed back too: it is reported apart
//! ([`MeasureExposure::refundable_before`]), never mixed into the window's
//! figures. A measure the engine cannot value on a baseline says so
//! ([`MeasureExposure::valuation`]) instead of showing zero.

use rust_decimal::Decimal;

use super::eval::MeasureRow;
use crate::error::Result;
use crate::tariff::{Authority, Origin};
use crate::trade::BasketKey;
use crate::units::{Accrued, Currency, Date, LayerId, MeasureId, Month, Party, Window};

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
    pub(crate) months: std::sync::Arc<[Month]>,
    pub(crate) sides: Vec<SideExposure>,
    pub(crate) unvalued: std::sync::Arc<[MeasureId]>,
}

impl Exposure {
    /// The window `[start, end)` the amounts cover.
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

    /// The side where `importer` imports from `exporter`, or an error that
    /// names the sides there are.
    ///
    /// # Errors
    /// [`crate::Error::Unknown`] for a side no baseline has.
    pub fn side_or_err(&self, importer: &str, exporter: &str) -> Result<&SideExposure> {
        self.side(importer, exporter).ok_or_else(|| {
            crate::Error::unknown(
                "side",
                format!("{importer}<-{exporter}"),
                format!(
                    "; the sides are {}",
                    self.sides
                        .iter()
                        .map(SideExposure::label)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    }

    /// Measures no baseline can value (no baseline for their direction):
    /// listed, never counted as zero.
    pub fn unvalued(&self) -> &[MeasureId] {
        &self.unvalued
    }
}

/// Whether a measure's duty on a side could be valued at the baseline's
/// grain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Valuation {
    /// Every basket it may cover was valued.
    Valued,
    /// Valued on the baskets it covers; on `baskets` others the baseline's
    /// grain cannot show what it covers (an HS-coded measure on a coarser or
    /// named basket), or, for a measure net of the base rate, the basket's
    /// base rate is not valued in full, so the duty shown is a lower bound.
    Partly {
        /// Baskets that could not be valued.
        baskets: usize,
    },
    /// Nothing it covers can be valued at this grain: its duty is unknown,
    /// not zero.
    NotValued {
        /// Baskets that could not be valued.
        baskets: usize,
    },
    /// It covers no basket of the baseline at all (its goods are not
    /// traded here): its duty is truly zero.
    CoversNothing,
}

impl Valuation {
    /// Whether the amounts shown are the measure's full duty.
    pub fn is_complete(&self) -> bool {
        matches!(self, Valuation::Valued | Valuation::CoversNothing)
    }
}

/// Duty collected by one importer on goods from one exporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideExposure {
    pub(crate) importer: Party,
    pub(crate) exporter: Party,
    pub(crate) currency: Currency,
    pub(crate) import_by_month: std::sync::Arc<[Accrued]>,
    pub(crate) import_value: Accrued,
    pub(crate) measures: Vec<MeasureExposure>,
    pub(crate) layers: Vec<LayerExposure>,
    pub(crate) by_month: Vec<Accrued>,
    pub(crate) gross: Accrued,
    pub(crate) refundable: Accrued,
    pub(crate) refundable_before: Accrued,
    pub(crate) refund_interest: Option<Accrued>,
    pub(crate) baskets: Vec<BasketExposure>,
    pub(crate) base: Option<std::sync::Arc<BaseExposure>>,
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

    /// Every measure on this side, in measure order (retaliation answers
    /// made on this path last).
    pub fn measures(&self) -> &[MeasureExposure] {
        &self.measures
    }

    /// The measure with id `id`.
    pub fn measure(&self, id: &str) -> Option<&MeasureExposure> {
        self.measures.iter().find(|m| m.id().as_str() == id)
    }

    /// Duty per layer (the measures reported together), in order of first
    /// measure; the layers add up to the side's gross duty exactly.
    pub fn layers(&self) -> &[LayerExposure] {
        &self.layers
    }

    /// The layer with id `id`.
    pub fn layer(&self, id: &str) -> Option<&LayerExposure> {
        self.layers.iter().find(|l| l.layer.as_str() == id)
    }

    /// Gross duty accrued over the window (refundable duty included).
    pub fn gross(&self) -> Accrued {
        self.gross
    }

    /// Gross duty in each month.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// The part of the window's gross duty collected under a voided
    /// authority before its ruling: owed back.
    pub fn refundable(&self) -> Accrued {
        self.refundable
    }

    /// Duty kept: gross less refundable, over the window.
    pub fn net(&self) -> Accrued {
        Accrued::from_units(self.gross.units() - self.refundable.units())
    }

    /// Duty collected under a voided authority *before* the window, owed
    /// back too (not part of the window's gross or net).
    pub fn refundable_before(&self) -> Accrued {
        self.refundable_before
    }

    /// Interest owed on every refund of this side (before and within the
    /// window), when the scenario states an interest rate.
    pub fn refund_interest(&self) -> Option<Accrued> {
        self.refund_interest
    }

    /// The effective tariff rate: duty kept over import value in the window,
    /// as a fraction; `None` when nothing was imported.
    pub fn effective_rate(&self) -> Option<Decimal> {
        self.net().ratio(self.import_value)
    }

    /// The gross effective rate: gross duty over import value.
    pub fn gross_rate(&self) -> Option<Decimal> {
        self.gross.ratio(self.import_value)
    }

    /// Whether every measure on the side was fully valued, so its totals are
    /// complete.
    pub fn is_complete(&self) -> bool {
        self.measures.iter().all(|m| m.valuation.is_complete())
    }

    /// Per-basket duty, when [`Detail::Baskets`] was asked for.
    pub fn baskets(&self) -> &[BasketExposure] {
        &self.baskets
    }

    /// The base (MFN) duty on this side over the window, valued apart from
    /// the measures; `None` when the scenario has no base rates for the
    /// importer. The same on every path.
    pub fn base(&self) -> Option<&BaseExposure> {
        self.base.as_deref()
    }

    /// The all-in duty: the additional duty kept ([`SideExposure::net`])
    /// plus the base duty; `None` without base rates.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] when the sum does not fit.
    pub fn all_in(&self) -> Result<Option<Accrued>> {
        self.base
            .as_ref()
            .map(|b| self.net().checked_add(b.duty))
            .transpose()
    }
}

/// Lines and the import value they carry over the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineCount {
    /// How many baskets (lines).
    pub lines: usize,
    /// Their import value accrued over the window.
    pub import_value: Accrued,
}

/// The base (MFN) duty on one side over a window: every basket's value
/// times the ad valorem part of its base rate, accrued like any measure's
/// duty (exact, per month). What is not valued is counted, never taken as
/// zero: lines whose rate is not wholly ad valorem count their ad valorem
/// part only ([`BaseExposure::partly_valued`]), and lines with no rate
/// count nothing ([`BaseExposure::missing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseExposure {
    pub(crate) source: std::sync::Arc<str>,
    pub(crate) by_month: std::sync::Arc<[Accrued]>,
    pub(crate) duty: Accrued,
    pub(crate) fully_valued_duty: Accrued,
    pub(crate) fully_valued: LineCount,
    pub(crate) partly_valued: LineCount,
    pub(crate) missing: LineCount,
    pub(crate) missing_keys: Vec<BasketKey>,
    pub(crate) by_basket: std::sync::Arc<[Option<Accrued>]>,
}

impl BaseExposure {
    /// Where the base rates come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The base duty counted over the window (ad valorem parts only).
    pub fn duty(&self) -> Accrued {
        self.duty
    }

    /// The base duty in each month of the window.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Lines whose rate is free or wholly ad valorem: valued in full.
    pub fn fully_valued(&self) -> LineCount {
        self.fully_valued
    }

    /// The base duty of the lines valued in full: over their import value
    /// it is the value-weighted base rate of those lines.
    pub fn fully_valued_duty(&self) -> Accrued {
        self.fully_valued_duty
    }

    /// Lines whose rate is specific, compound or otherwise not wholly ad
    /// valorem: only its ad valorem part is counted, so their base duty is
    /// a lower bound.
    pub fn partly_valued(&self) -> LineCount {
        self.partly_valued
    }

    /// Lines with no base rate (no code of the rates is a prefix of theirs,
    /// or a named basket): nothing is counted.
    pub fn missing(&self) -> LineCount {
        self.missing
    }

    /// The baskets with no base rate, in baseline order.
    pub fn missing_keys(&self) -> &[BasketKey] {
        &self.missing_keys
    }

    /// Each basket's base duty over the window, aligned with the baseline's
    /// baskets; `None` for a basket with no base rate.
    pub fn by_basket(&self) -> &[Option<Accrued>] {
        &self.by_basket
    }

    /// Whether every line's rate was valued in full.
    pub fn is_complete(&self) -> bool {
        self.partly_valued.lines == 0 && self.missing.lines == 0
    }
}

/// Duty under one measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureExposure {
    /// The measure's heading and its duty, shared by every path with the
    /// same result for its stacking group.
    pub(crate) row: std::sync::Arc<MeasureRow>,
    /// Its refunds from before the window and their interest, when either
    /// is other than the literal zero (or no interest, with no rate
    /// stated): most measures on most paths owe nothing, and hold nothing
    /// here.
    refunds: Option<Box<(Accrued, Option<Accrued>)>>,
    pub(crate) voided: Option<Date>,
    /// Without `refunds`: whether the scenario states an interest rate
    /// (the interest is then zero, not "none stated").
    interest_stated: bool,
    pub(crate) valuation: Valuation,
}

impl MeasureExposure {
    /// A measure's report on a side: its row, the ruling that voids it,
    /// its refunds from before the window and their interest (`None`: no
    /// rate stated), and its valuation.
    pub(crate) fn new(
        row: std::sync::Arc<MeasureRow>,
        voided: Option<Date>,
        refundable_before: Accrued,
        refund_interest: Option<Accrued>,
        valuation: Valuation,
    ) -> MeasureExposure {
        let literal_zero = |a: &Accrued| a.is_zero() && a.units().scale() == 0;
        let (refunds, interest_stated) = match (literal_zero(&refundable_before), refund_interest) {
            (true, None) => (None, false),
            (true, Some(i)) if literal_zero(&i) => (None, true),
            (_, interest) => (Some(Box::new((refundable_before, interest))), false),
        };
        MeasureExposure {
            row,
            refunds,
            voided,
            interest_stated,
            valuation,
        }
    }

    /// The measure's id.
    pub fn id(&self) -> &MeasureId {
        &self.row.heading.id
    }

    /// The measure's name.
    pub fn name(&self) -> &str {
        &self.row.heading.name
    }

    /// The authority.
    pub fn authority(&self) -> Authority {
        self.row.heading.authority
    }

    /// The layer.
    pub fn layer(&self) -> &LayerId {
        &self.row.heading.layer
    }

    /// The retaliation rule that made this measure, if one did.
    pub fn origin(&self) -> Option<&Origin> {
        self.row.heading.origin.as_deref()
    }

    /// Gross duty in each month of the window.
    pub fn by_month(&self) -> &[Accrued] {
        &self.row.by_month
    }

    /// Gross duty over the window.
    pub fn gross(&self) -> Accrued {
        self.row.gross
    }

    /// The ruling date, when the path voids the measure's authority.
    pub fn voided(&self) -> Option<Date> {
        self.voided
    }

    /// The part of the window's duty owed back (all of it, when voided: a
    /// voided measure collects nothing after its ruling).
    pub fn refundable(&self) -> Accrued {
        if self.voided.is_some() {
            self.row.gross
        } else {
            Accrued::ZERO
        }
    }

    /// Duty kept over the window: gross less refundable.
    pub fn net(&self) -> Accrued {
        match self.voided {
            // Less the literal zero, which `Decimal` gives as the gross
            // itself, or as the literal zero for a zero of any scale.
            None if self.row.gross.is_zero() => Accrued::ZERO,
            None => self.row.gross,
            Some(_) => Accrued::from_units(self.row.gross.units() - self.refundable().units()),
        }
    }

    /// Whether `other` has, for certain, the same gross, refundable and net
    /// duty: the same row (which the paths that repeat the measure's
    /// schedule share) and the same voiding, of which the three are
    /// functions. `false` says nothing.
    pub(crate) fn repeats(&self, other: &MeasureExposure) -> bool {
        std::sync::Arc::ptr_eq(&self.row, &other.row)
            && self.voided.is_some() == other.voided.is_some()
    }

    /// Duty collected before the window and owed back.
    pub fn refundable_before(&self) -> Accrued {
        self.refunds.as_ref().map_or(Accrued::ZERO, |r| r.0)
    }

    /// Interest on the measure's refunds, when the scenario states a rate.
    pub fn refund_interest(&self) -> Option<Accrued> {
        match &self.refunds {
            Some(r) => r.1,
            None => self.interest_stated.then_some(Accrued::ZERO),
        }
    }

    /// Whether its duty could be valued at the baseline's grain.
    pub fn valuation(&self) -> Valuation {
        self.valuation
    }
}

/// Duty under the measures of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerExposure {
    pub(crate) layer: LayerId,
    pub(crate) by_month: std::sync::Arc<[Accrued]>,
    pub(crate) gross: Accrued,
    pub(crate) refundable: Accrued,
}

impl LayerExposure {
    /// The layer.
    pub fn layer(&self) -> &LayerId {
        &self.layer
    }

    /// Gross duty in each month of the window.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Gross duty over the window.
    pub fn gross(&self) -> Accrued {
        self.gross
    }

    /// The refundable part of it.
    pub fn refundable(&self) -> Accrued {
        self.refundable
    }

    /// Duty kept.
    pub fn net(&self) -> Accrued {
        Accrued::from_units(self.gross.units() - self.refundable.units())
    }
}

/// Duty on one basket (one line at product level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasketExposure {
    pub(crate) key: BasketKey,
    pub(crate) import_value: Accrued,
    pub(crate) by_measure: Vec<Accrued>,
    pub(crate) by_month: Vec<Accrued>,
    pub(crate) gross: Accrued,
    pub(crate) refundable: Accrued,
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

    /// Gross duty per measure, aligned with [`SideExposure::measures`].
    pub fn by_measure(&self) -> &[Accrued] {
        &self.by_measure
    }

    /// Gross duty in each month of the window, all measures together.
    pub fn by_month(&self) -> &[Accrued] {
        &self.by_month
    }

    /// Gross duty over the window.
    pub fn gross(&self) -> Accrued {
        self.gross
    }

    /// The refundable part of it.
    pub fn refundable(&self) -> Accrued {
        self.refundable
    }

    /// Duty kept on the basket.
    pub fn net(&self) -> Accrued {
        Accrued::from_units(self.gross.units() - self.refundable.units())
    }
}

/// Sums accrued amounts exactly.
pub(crate) fn sum<'a>(items: impl IntoIterator<Item = &'a Accrued>) -> Result<Accrued> {
    items
        .into_iter()
        .try_fold(Accrued::ZERO, |a, b| a.checked_add(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A measure's report is kept per path and measure: 40 bytes on a
    /// 64-bit target (its row 8, its refunds 8, its valuation 16, its
    /// ruling 6, the stated-interest flag 1, padded to 8), against 72 with
    /// its refunds held inline. Nineteen of them, the line-level scenario's
    /// measures, take 760 bytes a path.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_measure_report_takes_forty_bytes() {
        assert_eq!(std::mem::size_of::<MeasureExposure>(), 40);
    }

    proptest::proptest! {
        /// A measure's net is its gross less its refundable duty, as
        /// `Decimal`'s subtraction gives it to the bit, voided or not, for
        /// any gross (zeros of any scale and sign included).
        #[test]
        fn net_is_gross_less_refundable(
            m in proptest::prop_oneof![-(1i128 << 96) + 1..(1i128 << 96), -3i128..3],
            scale in 0u32..=28,
            negative_zero in proptest::bool::ANY,
            voided in proptest::bool::ANY,
        ) {
            let mut gross = Decimal::from_i128_with_scale(m, scale);
            if m == 0 && negative_zero {
                gross.set_sign_negative(true);
            }
            let m = MeasureExposure::new(
                row_of(Accrued::from_units(gross)),
                voided.then(|| "2026-02-20".parse().expect("a date")),
                Accrued::ZERO,
                None,
                Valuation::Valued,
            );
            let expected = gross - m.refundable().units();
            proptest::prop_assert_eq!(m.net().units().serialize(), expected.serialize());
        }
    }

    proptest::proptest! {
        /// A measure repeats another only with its three figures, on any
        /// two rows (shared or not, equal or not) and voidings: the
        /// expected duty by measure merges the terms of paths it repeats.
        #[test]
        fn a_measure_repeats_another_only_with_its_figures(
            a in -3i128..3,
            b in -3i128..3,
            shared in proptest::bool::ANY,
            voided in (proptest::bool::ANY, proptest::bool::ANY),
            other_date in proptest::bool::ANY,
        ) {
            let row = row_of(Accrued::from_units(Decimal::from(a)));
            let other = if shared { std::sync::Arc::clone(&row) } else { row_of(Accrued::from_units(Decimal::from(b))) };
            let date = |on: bool, day: &str| on.then(|| day.parse().expect("a date"));
            let day = if other_date { "2026-03-01" } else { "2026-02-20" };
            let exposure = |row, voided| MeasureExposure::new(row, voided, Accrued::ZERO, None, Valuation::Valued);
            let x = exposure(row, date(voided.0, "2026-02-20"));
            let y = exposure(other, date(voided.1, day));
            let figures = |m: &MeasureExposure| [m.gross(), m.refundable(), m.net()].map(|f| f.units().serialize());
            if x.repeats(&y) {
                proptest::prop_assert_eq!(figures(&x), figures(&y));
            }
            // The same row and voiding always repeat.
            proptest::prop_assert!(x.repeats(&x.clone()));
            proptest::prop_assert_eq!(x.repeats(&y), shared && voided.0 == voided.1);
        }
    }

    /// A row of `gross` duty and no months.
    fn row_of(gross: Accrued) -> std::sync::Arc<MeasureRow> {
        std::sync::Arc::new(MeasureRow {
            heading: std::sync::Arc::new(crate::tariff::Heading {
                id: "m".parse().expect("an id"),
                name: "m".into(),
                authority: Authority::Section301,
                layer: "m".parse().expect("a layer"),
                origin: None,
            }),
            by_month: std::sync::Arc::from(Vec::new()),
            gross,
        })
    }

    /// Refunds the literal zero are held as nothing, and read back as they
    /// were given; any other figure, a zero of another scale included, is
    /// held as given.
    #[test]
    fn refunds_read_back_as_given() {
        let row = row_of(Accrued::ZERO);
        let zero_at_two = Accrued::from_units(Decimal::new(0, 2));
        let seven = Accrued::from_units(Decimal::new(7, 0));
        for (before, interest) in [
            (Accrued::ZERO, None),
            (Accrued::ZERO, Some(Accrued::ZERO)),
            (Accrued::ZERO, Some(zero_at_two)),
            (zero_at_two, None),
            (seven, None),
            (seven, Some(seven)),
        ] {
            let m = MeasureExposure::new(row.clone(), None, before, interest, Valuation::Valued);
            assert_eq!(
                m.refundable_before().units().serialize(),
                before.units().serialize()
            );
            assert_eq!(
                m.refund_interest().map(|i| i.units().serialize()),
                interest.map(|i| i.units().serialize())
            );
        }
    }
}
