//! `tariffsim.Evaluation`: every path's result, with expectations and
//! distributions. Amounts come out as `decimal.Decimal`, exact to Decimal's
//! 28 significant digits (round with `tariffsim.cents`).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use tariffsim::{Evaluation, PathOutcome};

use crate::errors::IntoPy;
use crate::table;

/// The result of `Scenario.evaluate()`.
#[pyclass(frozen, name = "Evaluation", module = "tariffsim._native")]
pub struct PyEvaluation {
    pub inner: Arc<Evaluation>,
}

impl PyEvaluation {
    pub fn new(e: Evaluation) -> PyEvaluation {
        PyEvaluation { inner: Arc::new(e) }
    }

    fn side(&self, py: Python<'_>, side: Option<&Bound<'_, PyAny>>) -> PyResult<(String, String)> {
        let known: Vec<(String, String)> = self
            .inner
            .sides()
            .into_iter()
            .map(|(i, e)| (i.to_string(), e.to_string()))
            .collect();
        crate::side::pick(py, side, &known)
    }

    fn path_dict<'py>(&self, py: Python<'py>, p: &PathOutcome) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", p.id())?;
        d.set_item("probability", p.probability())?;
        d.set_item("labels", p.labels().to_vec())?;
        d.set_item(
            "kinds",
            p.kinds().iter().map(|k| k.name()).collect::<Vec<_>>(),
        )?;
        let duty = PyDict::new(py);
        let refundable = PyDict::new(py);
        let change = PyDict::new(py);
        let imports = PyDict::new(py);
        for s in p.exposure().sides() {
            let (i, e) = (s.importer().as_str(), s.exporter().as_str());
            duty.set_item(s.label(), s.total().amount())?;
            refundable.set_item(s.label(), self.inner.refundable(p, i, e).py(py)?.amount())?;
            change.set_item(s.label(), self.inner.difference(p, i, e).py(py)?.amount())?;
            imports.set_item(s.label(), s.import_value().amount())?;
        }
        d.set_item("duty", duty)?;
        d.set_item("refundable", refundable)?;
        d.set_item("change", change)?;
        d.set_item("imports", imports)?;
        let voided = PyList::empty(py);
        for (m, date) in p.voided() {
            voided.append((m.as_str(), *date))?;
        }
        d.set_item("voided", voided)?;
        Ok(d)
    }
}

#[pymethods]
impl PyEvaluation {
    /// The sides, as `"importer<-exporter"`.
    fn sides(&self) -> Vec<String> {
        self.inner
            .sides()
            .iter()
            .map(|(i, e)| format!("{i}<-{e}"))
            .collect()
    }

    /// `(start, end)` of the horizon evaluated.
    #[getter]
    fn horizon(&self) -> (tariffsim::Date, tariffsim::Date) {
        (self.inner.horizon().start(), self.inner.horizon().end())
    }

    /// The probability-weighted expected duty on a side.
    #[pyo3(signature = (side = None))]
    fn expected(
        &self,
        py: Python<'_>,
        side: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<rust_decimal::Decimal> {
        let (i, e) = self.side(py, side)?;
        Ok(self.inner.expected(&i, &e).py(py)?.amount())
    }

    /// The probability-weighted distribution of a side's duty over paths.
    #[pyo3(signature = (side = None))]
    fn distribution<'py>(
        &self,
        py: Python<'py>,
        side: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (i, e) = self.side(py, side)?;
        let d = self.inner.distribution(&i, &e).py(py)?;
        let out = PyDict::new(py);
        out.set_item("min", d.min.amount())?;
        out.set_item("p10", d.p10.amount())?;
        out.set_item("median", d.median.amount())?;
        out.set_item("p90", d.p90.amount())?;
        out.set_item("max", d.max.amount())?;
        out.set_item("expected", d.expected.amount())?;
        Ok(out)
    }

    /// Every path's totals per side.
    fn paths<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for p in self.inner.paths() {
            out.append(self.path_dict(py, p)?)?;
        }
        Ok(out)
    }

    /// The reference's totals (a named path, or the status quo).
    fn reference<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.path_dict(py, self.inner.reference())
    }

    /// The sum of the path probabilities (exactly 1).
    fn probability_sum(&self) -> rust_decimal::Decimal {
        self.inner.probability_sum()
    }

    /// Measures no baseline can value, on any path: listed, never zero.
    fn unvalued(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self.inner.paths().iter().chain([self.inner.reference()]) {
            for m in p.exposure().unvalued() {
                if !out.iter().any(|x| x == m.as_str()) {
                    out.push(m.as_str().to_string());
                }
            }
        }
        out
    }

    /// The long table (path × side × measure × month) as Arrow-ready columns.
    #[pyo3(signature = (include_reference = false))]
    fn table_columns<'py>(
        &self,
        py: Python<'py>,
        include_reference: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let e = self.inner.clone();
        let cols = py.detach(move || table::long(&e, include_reference));
        cols.into_py(py)
    }
}
