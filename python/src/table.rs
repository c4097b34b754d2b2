//! The long tables of an evaluation: per path × side × measure × month, and
//! per path × side × measure. Their columns are listed here once.

use tariffsim::engine::{MeasureExposure, Valuation};
use tariffsim::{Accrued, Evaluation, PathOutcome};

use crate::columns::{Columns, MONEY_SCALE, PROBABILITY_SCALE};

/// The columns of the monthly table, in order.
pub const MONTH_COLUMNS: [&str; 15] = [
    "path",
    "probability",
    "side",
    "importer",
    "exporter",
    "currency",
    "measure",
    "layer",
    "authority",
    "valuation",
    "month",
    "gross",
    "refundable",
    "net",
    "side_imports",
];

/// The columns of the per-measure table, in order.
pub const MEASURE_COLUMNS: [&str; 16] = [
    "path",
    "probability",
    "side",
    "importer",
    "exporter",
    "currency",
    "measure",
    "layer",
    "authority",
    "valuation",
    "voided",
    "gross",
    "refundable",
    "net",
    "refundable_before",
    "refund_interest",
];

/// How a measure's duty was valued, as a word.
pub fn valuation(v: Valuation) -> &'static str {
    match v {
        Valuation::Valued => "valued",
        Valuation::Partly { .. } => "partly-valued",
        Valuation::NotValued { .. } => "not-valued",
        Valuation::CoversNothing => "covers-nothing",
    }
}

/// The figures of a measure, or `None` when the engine could not value it
/// (never zero).
fn valued(m: &MeasureExposure) -> bool {
    !matches!(m.valuation(), Valuation::NotValued { .. })
}

/// The refundable part of each month's gross duty.
///
/// The engine gives refundable duty per measure, not per month; its rule
/// (`MeasureExposure::refundable`) is that a voided measure's duty in the
/// window is refundable whole and any other measure's not at all. The split
/// is that rule applied month by month, and is used only when its months add
/// up to the engine's figure exactly; otherwise the months are left null.
fn refundable_by_month(m: &MeasureExposure) -> Option<Vec<Accrued>> {
    let months = match m.voided() {
        Some(_) => m.by_month().to_vec(),
        None => vec![Accrued::ZERO; m.by_month().len()],
    };
    let sum = months
        .iter()
        .try_fold(Accrued::ZERO, |a, x| a.checked_add(*x))
        .ok()?;
    (sum == m.refundable()).then_some(months)
}

fn paths(e: &Evaluation, include_reference: bool) -> Vec<&PathOutcome> {
    let reference = include_reference.then(|| e.reference());
    e.paths().iter().chain(reference).collect()
}

/// One row per path × side × measure × month of `e`'s paths (and its
/// reference, with probability 0, when asked).
pub fn monthly(e: &Evaluation, include_reference: bool) -> Columns {
    let mut c = Columns::default();
    let k: Vec<usize> = MONTH_COLUMNS
        .iter()
        .map(|n| match *n {
            "probability" => c.decimal(n, PROBABILITY_SCALE),
            "month" => c.date(n),
            "gross" | "refundable" | "net" | "side_imports" => c.decimal(n, MONEY_SCALE),
            _ => c.text(n),
        })
        .collect();
    for p in paths(e, include_reference) {
        let x = p.exposure();
        for s in x.sides() {
            for m in s.measures() {
                let ok = valued(m);
                let refunds = refundable_by_month(m);
                let rows = x.months().iter().zip(m.by_month()).zip(s.import_by_month());
                for (j, ((mo, gross), imports)) in rows.enumerate() {
                    c.push_text(k[0], p.id());
                    c.push_decimal(k[1], p.probability());
                    c.push_text(k[2], s.label());
                    c.push_text(k[3], s.importer().as_str());
                    c.push_text(k[4], s.exporter().as_str());
                    c.push_text(k[5], s.currency().code());
                    c.push_text(k[6], m.id().as_str());
                    c.push_text(k[7], m.layer().as_str());
                    c.push_text(k[8], m.authority().name());
                    c.push_text(k[9], valuation(m.valuation()));
                    c.push_date(k[10], mo.first_day());
                    c.push_decimal_or_null(k[11], ok.then(|| gross.amount()));
                    let refund = refunds.as_ref().and_then(|r| r.get(j)).filter(|_| ok);
                    c.push_decimal_or_null(k[12], refund.map(|r| r.amount()));
                    let net = refund.and_then(|r| gross.checked_sub(*r).ok());
                    c.push_decimal_or_null(k[13], net.map(|n| n.amount()));
                    c.push_decimal(k[14], imports.amount());
                }
            }
        }
    }
    c
}

/// One row per path × side × measure of `e`'s paths (and its reference).
pub fn by_measure(e: &Evaluation, include_reference: bool) -> Columns {
    let mut c = Columns::default();
    let k: Vec<usize> = MEASURE_COLUMNS
        .iter()
        .map(|n| match *n {
            "probability" => c.decimal(n, PROBABILITY_SCALE),
            "voided" => c.date(n),
            "gross" | "refundable" | "net" | "refundable_before" | "refund_interest" => {
                c.decimal(n, MONEY_SCALE)
            }
            _ => c.text(n),
        })
        .collect();
    for p in paths(e, include_reference) {
        for s in p.exposure().sides() {
            for m in s.measures() {
                let ok = valued(m);
                c.push_text(k[0], p.id());
                c.push_decimal(k[1], p.probability());
                c.push_text(k[2], s.label());
                c.push_text(k[3], s.importer().as_str());
                c.push_text(k[4], s.exporter().as_str());
                c.push_text(k[5], s.currency().code());
                c.push_text(k[6], m.id().as_str());
                c.push_text(k[7], m.layer().as_str());
                c.push_text(k[8], m.authority().name());
                c.push_text(k[9], valuation(m.valuation()));
                c.push_date_or_null(k[10], m.voided());
                c.push_decimal_or_null(k[11], ok.then(|| m.gross().amount()));
                c.push_decimal_or_null(k[12], ok.then(|| m.refundable().amount()));
                c.push_decimal_or_null(k[13], ok.then(|| m.net().amount()));
                c.push_decimal_or_null(k[14], ok.then(|| m.refundable_before().amount()));
                c.push_decimal_or_null(
                    k[15],
                    m.refund_interest().filter(|_| ok).map(|a| a.amount()),
                );
            }
        }
    }
    c
}
