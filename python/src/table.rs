//! The long table of an evaluation: one row per path × side × measure ×
//! month. Its columns are listed here once; when the engine reports gross,
//! refundable and net duty per month they are added beside `duty`.

use tariffsim::{Evaluation, PathOutcome};

use crate::columns::{Columns, MONEY_SCALE, PROBABILITY_SCALE};

/// The columns, in order.
pub const COLUMNS: [&str; 12] = [
    "path",
    "probability",
    "side",
    "importer",
    "exporter",
    "currency",
    "measure",
    "layer",
    "authority",
    "month",
    "duty",
    "side_imports",
];

/// The long table of `e`'s paths (and its reference, when asked, with the
/// reference's probability of 0).
pub fn long(e: &Evaluation, include_reference: bool) -> Columns {
    let mut c = Columns::default();
    let path = c.text(COLUMNS[0]);
    let probability = c.decimal(COLUMNS[1], PROBABILITY_SCALE);
    let side = c.text(COLUMNS[2]);
    let importer = c.text(COLUMNS[3]);
    let exporter = c.text(COLUMNS[4]);
    let currency = c.text(COLUMNS[5]);
    let measure = c.text(COLUMNS[6]);
    let layer = c.text(COLUMNS[7]);
    let authority = c.text(COLUMNS[8]);
    let month = c.date(COLUMNS[9]);
    let duty = c.decimal(COLUMNS[10], MONEY_SCALE);
    let imports = c.decimal(COLUMNS[11], MONEY_SCALE);
    let reference = include_reference.then(|| e.reference());
    let paths: Vec<&PathOutcome> = e.paths().iter().chain(reference).collect();
    for p in paths {
        let x = p.exposure();
        for s in x.sides() {
            for m in s.measures() {
                let rows = x.months().iter().zip(m.by_month()).zip(s.import_by_month());
                for ((mo, d), i) in rows {
                    c.push_text(path, p.id());
                    c.push_decimal(probability, p.probability());
                    c.push_text(side, s.label());
                    c.push_text(importer, s.importer().as_str());
                    c.push_text(exporter, s.exporter().as_str());
                    c.push_text(currency, s.currency().code());
                    c.push_text(measure, m.id().as_str());
                    c.push_text(layer, m.layer().as_str());
                    c.push_text(authority, m.authority().name());
                    c.push_date(month, mo.first_day());
                    c.push_decimal(duty, d.amount());
                    c.push_decimal(imports, i.amount());
                }
            }
        }
    }
    c
}
