//! `tariffsim.Scenario`: loading, reading, varying and evaluating a scenario.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use tariffsim::load::LoadOptions;
use tariffsim::{Detail, Scenario, Window};

use crate::convert;
use crate::errors::{IntoPy, input_error};
use crate::evaluation::PyEvaluation;
use crate::variation::Variation;
use crate::{bundle, document, explain, portfolio, timeline};

/// A validated scenario (immutable: every change returns a new one).
#[pyclass(frozen, eq, name = "Scenario", module = "tariffsim._native")]
pub struct PyScenario {
    pub inner: Arc<Scenario>,
}

impl PartialEq for PyScenario {
    fn eq(&self, other: &PyScenario) -> bool {
        self.inner == other.inner
    }
}

impl PyScenario {
    pub fn new(s: Scenario) -> PyScenario {
        PyScenario { inner: Arc::new(s) }
    }

    /// The side named by `side` (`"US<-CN"` or `("US", "CN")`), checked
    /// against the scenario's baselines; `None` means the only side, or the
    /// first when `first` is set.
    pub fn side(
        &self,
        py: Python<'_>,
        side: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(String, String)> {
        let known: Vec<(String, String)> = self
            .inner
            .baselines()
            .iter()
            .map(|b| (b.importer().to_string(), b.exporter().to_string()))
            .collect();
        crate::side::pick(py, side, &known)
    }
}

/// The default loading policy, with `roots` as further folders includes
/// and data files may come from.
fn options(roots: Vec<PathBuf>) -> LoadOptions {
    roots
        .into_iter()
        .fold(LoadOptions::new(), |o, r| o.allow_root(r))
}

fn vary(py: Python<'_>, s: &Arc<Scenario>, v: Variation) -> PyResult<PyScenario> {
    let s = s.clone();
    py.detach(move || v.apply(&s)).py(py).map(PyScenario::new)
}

#[pymethods]
impl PyScenario {
    /// Loads a scenario file with its includes and CSV files.
    #[staticmethod]
    #[pyo3(signature = (path, allow_roots = Vec::new()))]
    fn load(py: Python<'_>, path: PathBuf, allow_roots: Vec<PathBuf>) -> PyResult<PyScenario> {
        let options = options(allow_roots);
        py.detach(move || tariffsim::load::load_scenario_with(&path, &options))
            .py(py)
            .map(|l| PyScenario::new(l.into_parts().0))
    }

    /// Reads a scenario from TOML text; relative paths resolve against
    /// `base_dir` (default: the current directory).
    #[staticmethod]
    #[pyo3(signature = (text, base_dir = None, allow_roots = Vec::new()))]
    fn from_toml(
        py: Python<'_>,
        text: &str,
        base_dir: Option<PathBuf>,
        allow_roots: Vec<PathBuf>,
    ) -> PyResult<PyScenario> {
        let dir = base_dir.unwrap_or_else(|| PathBuf::from("."));
        let text = text.to_string();
        let options = options(allow_roots);
        py.detach(move || tariffsim::load::parse_scenario_with(&text, &dir, &options))
            .py(py)
            .map(|l| PyScenario::new(l.into_parts().0))
    }

    /// Reads a scenario from a dict in the scenario file's schema.
    #[staticmethod]
    #[pyo3(signature = (document, base_dir = None, allow_roots = Vec::new()))]
    fn from_dict(
        py: Python<'_>,
        document: &Bound<'_, PyDict>,
        base_dir: Option<PathBuf>,
        allow_roots: Vec<PathBuf>,
    ) -> PyResult<PyScenario> {
        let text = document::toml_text(document)?;
        PyScenario::from_toml(py, &text, base_dir, allow_roots)
    }

    #[getter]
    fn id(&self) -> String {
        self.inner.info().id.clone()
    }

    #[getter]
    fn title(&self) -> String {
        self.inner.info().title.clone()
    }

    #[getter]
    fn description(&self) -> String {
        self.inner.info().description.clone()
    }

    #[getter]
    fn assumptions(&self) -> Vec<String> {
        self.inner.info().assumptions.clone()
    }

    #[getter]
    fn sources(&self) -> Vec<String> {
        self.inner.info().sources.clone()
    }

    /// `(start, end)`: the first day counted and the first day not counted.
    #[getter]
    fn horizon(&self) -> (tariffsim::Date, tariffsim::Date) {
        (self.inner.horizon().start(), self.inner.horizon().end())
    }

    /// `(start, end)` of the window reports cover (the horizon unless narrowed).
    #[getter]
    fn window(&self) -> (tariffsim::Date, tariffsim::Date) {
        (self.inner.window().start(), self.inner.window().end())
    }

    /// `(start, end)` of the history answers and refunds are worked out over.
    #[getter]
    fn history(&self) -> (tariffsim::Date, tariffsim::Date) {
        (self.inner.history().start(), self.inner.history().end())
    }

    /// The reference path id, or `"as-scheduled"`.
    #[getter]
    fn reference(&self) -> String {
        self.inner.reference_id().to_string()
    }

    /// The sides, as `"importer<-exporter"`, in baseline order.
    fn sides(&self) -> Vec<String> {
        self.inner.baselines().iter().map(|b| b.label()).collect()
    }

    /// Every path: id, probability, labels and kinds.
    fn paths<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for p in self.inner.tree().paths() {
            let d = PyDict::new(py);
            d.set_item("id", p.id())?;
            d.set_item("probability", p.probability())?;
            d.set_item("labels", p.labels().collect::<Vec<_>>())?;
            d.set_item("kinds", p.kinds().map(|k| k.name()).collect::<Vec<_>>())?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Every decision node with its branches.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for n in self.inner.tree().nodes() {
            let d = PyDict::new(py);
            d.set_item("id", n.id().as_str())?;
            d.set_item("label", n.label())?;
            d.set_item("date", n.date())?;
            let branches = PyList::empty(py);
            for b in n.branches() {
                let bd = PyDict::new(py);
                bd.set_item("id", b.id().as_str())?;
                bd.set_item("label", b.label())?;
                bd.set_item("kind", b.kind().name())?;
                bd.set_item("probability", b.probability().value())?;
                bd.set_item("next", b.next().map(|x| x.id().as_str().to_string()))?;
                branches.append(bd)?;
            }
            d.set_item("branches", branches)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Every measure with its schedule (rates as fractions).
    fn measures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for m in self.inner.regime().measures() {
            let d = PyDict::new(py);
            d.set_item("id", m.id().as_str())?;
            d.set_item("name", m.name())?;
            d.set_item("authority", m.authority().name())?;
            d.set_item("layer", m.layer().as_str())?;
            d.set_item("imposer", m.imposer().as_str())?;
            d.set_item("target", m.target().as_str())?;
            let steps = PyList::empty(py);
            for s in m.schedule().steps() {
                let sd = PyDict::new(py);
                sd.set_item("date", s.effective())?;
                sd.set_item("rate", s.rate().as_fraction())?;
                sd.set_item("status", s.status().to_string())?;
                steps.append(sd)?;
            }
            d.set_item("steps", steps)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// The scenario with a variation's edits made (see `tariffsim.Variation`).
    fn vary(&self, py: Python<'_>, variation: &Bound<'_, PyAny>) -> PyResult<PyScenario> {
        let v = Variation::from_py(variation, "vary")?;
        vary(py, &self.inner, v)
    }

    /// New probabilities for some branches of one node (they must still sum to 1).
    fn with_probabilities(
        &self,
        py: Python<'_>,
        node: String,
        probabilities: &Bound<'_, PyDict>,
    ) -> PyResult<PyScenario> {
        let what = format!("probability[{node:?}]");
        let mut m = BTreeMap::new();
        for (b, p) in probabilities.iter() {
            let b: String = b.extract()?;
            let p = convert::probability(&p, &format!("{what}[{b:?}]"))?;
            m.insert(b, p);
        }
        let mut v = Variation {
            id: "with_probabilities".into(),
            ..Variation::default()
        };
        v.probability.insert(node, m);
        vary(py, &self.inner, v)
    }

    /// A new rate for the step of `measure` dated `step`.
    fn with_rate(
        &self,
        py: Python<'_>,
        measure: String,
        step: &Bound<'_, PyAny>,
        rate: &Bound<'_, PyAny>,
    ) -> PyResult<PyScenario> {
        let step = convert::date(step, "step")?;
        let rate = convert::rate(rate, "rate")?;
        let mut v = Variation {
            id: "with_rate".into(),
            ..Variation::default()
        };
        v.rate.insert(measure, BTreeMap::from([(step, rate)]));
        vary(py, &self.inner, v)
    }

    /// The step of `measure` dated `step` moved to `to`.
    fn with_step_date(
        &self,
        py: Python<'_>,
        measure: String,
        step: &Bound<'_, PyAny>,
        to: &Bound<'_, PyAny>,
    ) -> PyResult<PyScenario> {
        let step = convert::date(step, "step")?;
        let to = convert::date(to, "to")?;
        let mut v = Variation {
            id: "with_step_date".into(),
            ..Variation::default()
        };
        v.step_date.insert(measure, BTreeMap::from([(step, to)]));
        vary(py, &self.inner, v)
    }

    /// The decision `node` dated `date` instead.
    fn with_node_date(
        &self,
        py: Python<'_>,
        node: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<PyScenario> {
        let date = convert::date(date, "date")?;
        let mut v = Variation {
            id: "with_node_date".into(),
            ..Variation::default()
        };
        v.node_date.insert(node, date);
        vary(py, &self.inner, v)
    }

    /// The same scenario reported over `[start, end)`, a sub-window of its
    /// history: every action still applies, and answers and refunds still
    /// count the whole history.
    fn with_window(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<PyScenario> {
        let start = convert::date(start, "start")?;
        let end = convert::date(end, "end")?;
        let s = self.inner.clone();
        py.detach(move || Window::new(start, end).and_then(|w| s.with_window(w)))
            .py(py)
            .map(PyScenario::new)
    }

    /// Evaluates every path (the GIL is released while the engine runs).
    fn evaluate(&self, py: Python<'_>) -> PyResult<PyEvaluation> {
        let s = self.inner.clone();
        let e = py.detach(move || s.evaluate(Detail::Totals)).py(py)?;
        Ok(PyEvaluation::new(e))
    }

    /// The average-rate timeline of path `path` as Arrow-ready columns.
    #[pyo3(signature = (path, layers = true))]
    fn timeline_columns<'py>(
        &self,
        py: Python<'py>,
        path: String,
        layers: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let s = self.inner.clone();
        let t = py.detach(move || s.timeline(&path)).py(py)?;
        timeline::columns(py, &t, layers)
    }

    /// Every measure's rate on one line on one date, on one path.
    #[pyo3(signature = (line, date, path, side = None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        line: &str,
        date: &Bound<'py, PyAny>,
        path: String,
        side: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let date = convert::date(date, "date")?;
        let side = self.side(py, side)?;
        explain::explain(py, &self.inner, line, date, &path, side)
    }

    /// A portfolio CSV (text) evaluated in place of one side's baseline.
    #[pyo3(signature = (csv_text, source, side = None))]
    fn portfolio_columns<'py>(
        &self,
        py: Python<'py>,
        csv_text: String,
        source: String,
        side: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (importer, exporter) = self.side(py, side)?;
        let s = self.inner.clone();
        let (p, e) = py
            .detach(move || {
                let p = tariffsim::portfolio::Portfolio::parse(&source, &csv_text)?;
                let e = p.evaluate(&s, &importer, &exporter)?;
                Ok::<_, tariffsim::Error>((p, e))
            })
            .py(py)?;
        portfolio::columns(py, &p, &e)
    }

    /// Saves the scenario as TOML with its baselines and HS lists as CSV
    /// files beside it.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let s = self.inner.clone();
        py.detach(move || tariffsim::load::save_scenario(&s, &path))
            .py(py)
    }

    /// The scenario as files (name -> bytes): what `save` writes.
    fn to_bundle<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.inner.clone();
        let files = py.detach(move || bundle::write(&s)).py(py)?;
        let d = PyDict::new(py);
        for (name, bytes) in files {
            d.set_item(name, PyBytes::new(py, &bytes))?;
        }
        Ok(d)
    }

    /// A scenario from `to_bundle`'s files.
    #[staticmethod]
    fn from_bundle(py: Python<'_>, files: BTreeMap<String, Vec<u8>>) -> PyResult<PyScenario> {
        if !files.contains_key(bundle::MAIN) {
            return Err(input_error(
                py,
                "InvalidScenarioError",
                format!("a scenario bundle needs {:?}", bundle::MAIN),
                None,
            ));
        }
        py.detach(move || bundle::read(&files))
            .py(py)
            .map(PyScenario::new)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let f = py.get_type::<PyScenario>().getattr("from_bundle")?;
        Ok((f, (self.to_bundle(py)?,)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario(id={:?}, horizon={}, paths={})",
            self.inner.info().id,
            self.inner.horizon(),
            self.inner.tree().paths().len()
        )
    }
}
