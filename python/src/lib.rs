//! The native module under the `tariffsim` Python package.
//!
//! No logic lives here: each module converts Python values to the crate's
//! types, calls the crate's public API (with the GIL released while the
//! engine runs) and converts the result back, one module per concept.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

mod bundle;
mod columns;
mod convert;
mod document;
mod errors;
mod evaluation;
mod explain;
mod portfolio;
mod scenario;
mod side;
mod sweep;
mod table;
mod timeline;
mod variation;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<scenario::PyScenario>()?;
    m.add_class::<evaluation::PyEvaluation>()?;
    m.add_function(wrap_pyfunction!(sweep::sweep_columns, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::check_variations, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::time_evaluations, m)?)?;
    m.add("MONTH_COLUMNS", table::MONTH_COLUMNS.to_vec())?;
    m.add("MEASURE_COLUMNS", table::MEASURE_COLUMNS.to_vec())?;
    m.add("SWEEP_COLUMNS", sweep::COLUMNS.to_vec())?;
    m.add("MONEY_SCALE", columns::MONEY_SCALE)?;
    m.add("RATE_SCALE", columns::RATE_SCALE)?;
    m.add("ALL_LAYERS", timeline::ALL)?;
    m.add("MFN_LAYER", timeline::MFN)?;
    m.add("ALL_IN_LAYER", timeline::ALL_IN)?;
    m.add("ACCRUAL_DENOMINATOR", tariffsim::ACCRUAL_DENOMINATOR)?;
    Ok(())
}
