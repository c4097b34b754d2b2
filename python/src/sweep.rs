//! A parameter sweep: each variation applied to one scenario, evaluated,
//! and summarised per side (expected value and distribution).

use pyo3::prelude::*;
use pyo3::types::PyList;
use tariffsim::{Basis, Detail, Scenario};

use crate::columns::{Columns, MONEY_SCALE};
use crate::errors::IntoPy;
use crate::scenario::PyScenario;
use crate::variation::Variation;

/// The columns of a sweep's result, in order.
/// Figures are net duty (kept), with the expected gross and refundable
/// duty beside the expected net.
pub const COLUMNS: [&str; 10] = [
    "variation",
    "side",
    "expected",
    "expected_gross",
    "expected_refundable",
    "min",
    "p10",
    "median",
    "p90",
    "max",
];

fn run(s: &Scenario, variations: &[Variation]) -> tariffsim::Result<Columns> {
    let mut c = Columns::default();
    let ids: Vec<usize> = vec![c.text(COLUMNS[0]), c.text(COLUMNS[1])];
    let money: Vec<usize> = COLUMNS[2..]
        .iter()
        .map(|n| c.decimal(n, MONEY_SCALE))
        .collect();
    for v in variations {
        let varied = v.apply(s)?;
        let e = varied.evaluate(Detail::Totals)?;
        for (i, x) in e.sides() {
            let at = |err: tariffsim::Error| err.at(format!("variation {:?}", v.id));
            let d = e
                .distribution(i.as_str(), x.as_str(), Basis::Net)
                .map_err(at)?;
            let f = e.expected(i.as_str(), x.as_str()).map_err(at)?;
            c.push_text(ids[0], v.id.as_str());
            c.push_text(ids[1], format!("{i}<-{x}"));
            let figures = [
                d.expected,
                f.gross,
                f.refundable,
                d.min,
                d.p10,
                d.median,
                d.p90,
                d.max,
            ];
            for (k, a) in money.iter().zip(figures) {
                c.push_decimal(*k, a.amount());
            }
        }
    }
    Ok(c)
}

fn parse(variations: &Bound<'_, PyList>, offset: usize) -> PyResult<Vec<Variation>> {
    variations
        .iter()
        .enumerate()
        .map(|(k, v)| Variation::from_py(&v, &format!("{}", offset + k)))
        .collect()
}

/// Checks every variation against `scenario` (ids, schedules, probability
/// sums) without evaluating anything.
#[pyfunction]
#[pyo3(signature = (scenario, variations, offset = 0))]
pub fn check_variations(
    py: Python<'_>,
    scenario: &PyScenario,
    variations: &Bound<'_, PyList>,
    offset: usize,
) -> PyResult<()> {
    let vs = parse(variations, offset)?;
    let s = scenario.inner.clone();
    py.detach(move || vs.iter().try_for_each(|v| v.check(&s)))
        .py(py)
}

/// Evaluates every variation of `scenario`, in order, with the GIL
/// released; a variation without an `id` is named by its position
/// (`offset` + index).
#[pyfunction]
#[pyo3(signature = (scenario, variations, offset = 0))]
pub fn sweep_columns<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    variations: &Bound<'py, PyList>,
    offset: usize,
) -> PyResult<Bound<'py, PyList>> {
    let vs = parse(variations, offset)?;
    let s = scenario.inner.clone();
    py.detach(move || run(&s, &vs)).py(py)?.into_py(py)
}

/// Evaluates `scenario` `n` times inside Rust and returns the seconds each
/// evaluation took (for measuring the Python call overhead).
#[pyfunction]
pub fn time_evaluations(py: Python<'_>, scenario: &PyScenario, n: usize) -> PyResult<Vec<f64>> {
    let s = scenario.inner.clone();
    py.detach(move || {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let t = std::time::Instant::now();
            std::hint::black_box(s.evaluate(Detail::Totals)?);
            out.push(t.elapsed().as_secs_f64());
        }
        Ok(out)
    })
    .py(py)
}
