//! A path's average-rate timeline as a long table: one row per side ×
//! piece × layer, with the all-layers total as layer `"all"` and, where the
//! side has base rates, the base rate as layer `"mfn"` and base plus total
//! as layer `"all_in"`.

use pyo3::prelude::*;
use pyo3::types::PyList;
use tariffsim::Timeline;

use crate::columns::{Columns, RATE_SCALE};

/// The layer name of the all-layers total.
pub const ALL: &str = "all";

/// The layer name of the base (MFN) rate, ad valorem parts only.
pub const MFN: &str = "mfn";

/// The layer name of the all-in rate: base plus all additional layers.
pub const ALL_IN: &str = "all_in";

/// The timeline's columns: side, importer, exporter, start, end (first day
/// not counted), layer, rate (a fraction).
pub fn columns<'py>(
    py: Python<'py>,
    timelines: &[Timeline],
    layers: bool,
) -> PyResult<Bound<'py, PyList>> {
    let mut c = Columns::default();
    let side = c.text("side");
    let importer = c.text("importer");
    let exporter = c.text("exporter");
    let start = c.date("start");
    let end = c.date("end");
    let layer = c.text("layer");
    let rate = c.decimal("rate", RATE_SCALE);
    for t in timelines {
        for p in &t.pieces {
            let mut rows: Vec<(&str, rust_decimal::Decimal)> = Vec::new();
            if let (true, Some(base)) = (layers, p.base) {
                rows.push((MFN, base));
            }
            if layers {
                rows.extend(
                    t.layers
                        .iter()
                        .map(|l| l.as_str())
                        .zip(p.by_layer.iter().copied()),
                );
            }
            rows.push((ALL, p.total));
            if let Some(all_in) = p.all_in() {
                rows.push((ALL_IN, all_in));
            }
            for (l, r) in rows {
                c.push_text(side, t.label());
                c.push_text(importer, t.importer.as_str());
                c.push_text(exporter, t.exporter.as_str());
                c.push_date(start, p.window.start());
                c.push_date(end, p.window.end());
                c.push_text(layer, l);
                c.push_decimal(rate, r);
            }
        }
    }
    c.into_py(py)
}
