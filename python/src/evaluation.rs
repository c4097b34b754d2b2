//! `tariffsim.Evaluation`: every path's result, with expectations and
//! distributions. Amounts come out as `decimal.Decimal`, exact to Decimal's
//! 28 significant digits (round with `tariffsim.cents`).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use tariffsim::engine::DutyFigures;
use tariffsim::{Basis, Evaluation, PathOutcome};

use crate::errors::{IntoPy, input_error};
use crate::table;

/// The result of `Scenario.evaluate()`.
#[pyclass(frozen, name = "Evaluation", module = "tariffsim._native")]
pub struct PyEvaluation {
    pub inner: Arc<Evaluation>,
}

/// The duty figure named `basis`: `"net"` (duty kept, the headline),
/// `"gross"` (refundable included) or `"refundable"`.
pub fn basis(py: Python<'_>, basis: &str) -> PyResult<Basis> {
    match basis {
        "net" => Ok(Basis::Net),
        "gross" => Ok(Basis::Gross),
        "refundable" => Ok(Basis::Refundable),
        other => Err(input_error(
            py,
            "ParseError",
            format!("invalid basis {other:?}: write \"net\", \"gross\" or \"refundable\""),
            Some(other.to_string()),
        )),
    }
}

fn figures<'py>(py: Python<'py>, f: &DutyFigures) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("net", f.net.amount())?;
    d.set_item("gross", f.gross.amount())?;
    d.set_item("refundable", f.refundable.amount())?;
    Ok(d)
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
        let sides = PyDict::new(py);
        for s in p.exposure().sides() {
            let (i, e) = (s.importer().as_str(), s.exporter().as_str());
            let sd = PyDict::new(py);
            sd.set_item("net", s.net().amount())?;
            sd.set_item("gross", s.gross().amount())?;
            sd.set_item("refundable", s.refundable().amount())?;
            sd.set_item("refundable_before", s.refundable_before().amount())?;
            sd.set_item("refund_interest", s.refund_interest().map(|a| a.amount()))?;
            sd.set_item("change", self.inner.difference(p, i, e).py(py)?.amount())?;
            sd.set_item("imports", s.import_value().amount())?;
            sd.set_item("effective_rate", s.effective_rate())?;
            sd.set_item("complete", s.is_complete())?;
            sides.set_item(s.label(), sd)?;
        }
        d.set_item("sides", sides)?;
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

    /// `(start, end)` of the window every figure covers.
    #[getter]
    fn window(&self) -> (tariffsim::Date, tariffsim::Date) {
        (self.inner.window().start(), self.inner.window().end())
    }

    /// `(start, end)` of the scenario's horizon.
    #[getter]
    fn horizon(&self) -> (tariffsim::Date, tariffsim::Date) {
        (self.inner.horizon().start(), self.inner.horizon().end())
    }

    /// The probability-weighted expected duty on a side: net, gross and
    /// refundable.
    #[pyo3(signature = (side = None))]
    fn expected<'py>(
        &self,
        py: Python<'py>,
        side: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (i, e) = self.side(py, side)?;
        figures(py, &self.inner.expected(&i, &e).py(py)?)
    }

    /// The probability-weighted distribution of a side's duty over paths.
    #[pyo3(signature = (side = None, basis = "net"))]
    fn distribution<'py>(
        &self,
        py: Python<'py>,
        side: Option<&Bound<'py, PyAny>>,
        basis: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (i, e) = self.side(py, side)?;
        let d = self
            .inner
            .distribution(&i, &e, self::basis(py, basis)?)
            .py(py)?;
        let out = PyDict::new(py);
        out.set_item("min", d.min.amount())?;
        out.set_item("p10", d.p10.amount())?;
        out.set_item("median", d.median.amount())?;
        out.set_item("p90", d.p90.amount())?;
        out.set_item("max", d.max.amount())?;
        out.set_item("expected", d.expected.amount())?;
        Ok(out)
    }

    /// Every path's figures per side.
    fn paths<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for p in self.inner.paths() {
            out.append(self.path_dict(py, p)?)?;
        }
        Ok(out)
    }

    /// The reference's figures (a named path, or every measure as scheduled).
    fn reference<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.path_dict(py, self.inner.reference())
    }

    /// The sum of the path probabilities (exactly 1).
    fn probability_sum(&self) -> rust_decimal::Decimal {
        self.inner.probability_sum()
    }

    /// What could not be valued: `(side, measure, valuation, message)`.
    fn diagnostics(&self) -> Vec<(String, String, &'static str, String)> {
        self.inner
            .diagnostics()
            .iter()
            .map(|d| {
                (
                    d.side.clone(),
                    d.measure.as_str().to_string(),
                    table::valuation(d.valuation),
                    d.to_string(),
                )
            })
            .collect()
    }

    /// A long table as Arrow-ready columns: `"month"` (path × side × measure
    /// × month) or `"measure"` (path × side × measure).
    #[pyo3(signature = (level = "month", include_reference = false))]
    fn table_columns<'py>(
        &self,
        py: Python<'py>,
        level: &str,
        include_reference: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let e = self.inner.clone();
        let cols = match level {
            "month" => py.detach(move || table::monthly(&e, include_reference)),
            "measure" => py.detach(move || table::by_measure(&e, include_reference)),
            other => {
                return Err(input_error(
                    py,
                    "ParseError",
                    format!("invalid level {other:?}: write \"month\" or \"measure\""),
                    Some(other.to_string()),
                ));
            }
        };
        cols.into_py(py)
    }
}
