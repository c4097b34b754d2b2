//! An importer's SKUs across the outcomes: per SKU and path, and expected.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use tariffsim::portfolio::{Portfolio, PortfolioExposure};

use crate::columns::{Columns, MONEY_SCALE, PROBABILITY_SCALE};

/// `by_path` (SKU × path: gross, refundable, net), `items` (per SKU:
/// imports and expected gross, refundable, net), `total`, `unknown` SKUs
/// and `warning`.
pub fn columns<'py>(
    py: Python<'py>,
    p: &Portfolio,
    e: &PortfolioExposure,
) -> PyResult<Bound<'py, PyDict>> {
    let mut by = Columns::default();
    let sku = by.text("sku");
    let hts10 = by.text("hts10");
    let path = by.text("path");
    let probability = by.decimal("probability", PROBABILITY_SCALE);
    let gross = by.decimal("gross", MONEY_SCALE);
    let refundable = by.decimal("refundable", MONEY_SCALE);
    let net = by.decimal("net", MONEY_SCALE);
    let mut items = Columns::default();
    let isku = items.text("sku");
    let ihts = items.text("hts10");
    let idesc = items.text("description");
    let iimports = items.decimal("imports", MONEY_SCALE);
    let inet = items.decimal("expected_net", MONEY_SCALE);
    let igross = items.decimal("expected_gross", MONEY_SCALE);
    let iref = items.decimal("expected_refundable", MONEY_SCALE);
    for (item, d) in e.items() {
        items.push_text(isku, item.sku().as_str());
        items.push_text(ihts, item.hts10().to_string());
        items.push_text(idesc, item.description());
        items.push_decimal(iimports, d.import_value().amount());
        let x = d.expected();
        items.push_decimal(inet, x.net.amount());
        items.push_decimal(igross, x.gross.amount());
        items.push_decimal(iref, x.refundable.amount());
        let nets = d.net_by_path();
        let rows = e
            .paths()
            .iter()
            .zip(d.gross_by_path())
            .zip(d.refundable_by_path())
            .zip(&nets);
        for (((pp, g), r), n) in rows {
            by.push_text(sku, item.sku().as_str());
            by.push_text(hts10, item.hts10().to_string());
            by.push_text(path, pp.id.as_str());
            by.push_decimal(probability, pp.probability);
            by.push_decimal(gross, g.amount());
            by.push_decimal(refundable, r.amount());
            by.push_decimal(net, n.amount());
        }
    }
    let out = PyDict::new(py);
    out.set_item("by_path", by.into_py(py)?)?;
    out.set_item("items", items.into_py(py)?)?;
    let t = e.total();
    let total = PyDict::new(py);
    total.set_item("imports", t.import_value().amount())?;
    let x = t.expected();
    total.set_item("expected_net", x.net.amount())?;
    total.set_item("expected_gross", x.gross.amount())?;
    total.set_item("expected_refundable", x.refundable.amount())?;
    let tp = PyDict::new(py);
    for (pp, a) in e.paths().iter().zip(t.net_by_path()) {
        tp.set_item(pp.id.as_str(), a.amount())?;
    }
    total.set_item("net_by_path", tp)?;
    out.set_item("total", total)?;
    let unknown = PyList::empty(py);
    for i in e.unknown() {
        unknown.append((i.sku().as_str(), i.hts10().to_string(), i.line()))?;
    }
    out.set_item("unknown", unknown)?;
    out.set_item("warning", e.warning().map(|w| w.to_string()))?;
    out.set_item("source", p.source())?;
    out.set_item("currency", e.currency().code())?;
    Ok(out)
}
