//! Why a line pays what it pays on a date: each measure's rate after
//! stacking, from `Scenario::rates_on`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use tariffsim::trade::BasketKey;
use tariffsim::{Date, Scenario};

use crate::errors::IntoPy;

/// The rates each measure adds to `line` on `date` on path `path`, with the
/// measure's name, authority and layer, and their sum.
pub fn explain<'py>(
    py: Python<'py>,
    s: &Scenario,
    line: &str,
    date: Date,
    path: &str,
    (importer, exporter): (String, String),
) -> PyResult<Bound<'py, PyDict>> {
    let key: BasketKey = line.parse().py(py)?;
    let rates = py
        .detach(|| s.rates_on(path, (&importer, &exporter), &key, date))
        .py(py)?;
    let out = PyDict::new(py);
    out.set_item("line", key.to_string())?;
    out.set_item("date", date)?;
    out.set_item("path", path)?;
    out.set_item("side", format!("{importer}<-{exporter}"))?;
    let measures = PyList::empty(py);
    let mut total = rust_decimal::Decimal::ZERO;
    for (id, rate) in &rates {
        let d = PyDict::new(py);
        d.set_item("measure", id.as_str())?;
        if let Some(m) = s.regime().measures().iter().find(|m| m.id() == id) {
            d.set_item("name", m.name())?;
            d.set_item("authority", m.authority().name())?;
            d.set_item("layer", m.layer().as_str())?;
        }
        d.set_item("rate", rate.as_fraction())?;
        total = total
            .checked_add(rate.as_fraction())
            .ok_or_else(|| tariffsim::Error::Overflow {
                what: "the all-in rate".into(),
            })
            .py(py)?;
        measures.append(d)?;
    }
    out.set_item("measures", measures)?;
    out.set_item("total", total)?;
    Ok(out)
}
