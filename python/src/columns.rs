//! Arrow-ready columns: what the Python side turns into a `pyarrow.Table`
//! without copying values one by one.
//!
//! Each column goes to Python as `(name, kind, payload, scale)`: `"str"` with
//! a list of str, `"decimal"` with the little-endian 16-byte integers of an
//! Arrow `decimal128(38, scale)`, `"date32"` with little-endian days since
//! 1970-01-01.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use rust_decimal::Decimal;
use tariffsim::Date;

use crate::convert::{epoch_days, scaled};
use crate::errors::input_error;

/// Scale of money columns: amounts rounded once, half away from zero, to
/// 1e-10 of the currency unit.
pub const MONEY_SCALE: u32 = 10;
/// Scale of rate columns (fractions): rounded to 1e-20.
pub const RATE_SCALE: u32 = 20;
/// Scale of probability columns: 28 places, which holds every path
/// probability the crate accepts exactly.
pub const PROBABILITY_SCALE: u32 = 28;

enum Data {
    Str(Vec<String>),
    Decimal(u32, Vec<u8>),
    Date(Vec<u8>),
}

/// Columns under construction.
#[derive(Default)]
pub struct Columns {
    cols: Vec<(&'static str, Data)>,
    overflow: Option<(&'static str, Decimal)>,
}

impl Columns {
    /// Declares a text column.
    pub fn text(&mut self, name: &'static str) -> usize {
        self.cols.push((name, Data::Str(Vec::new())));
        self.cols.len() - 1
    }

    /// Declares a decimal column of `scale` places.
    pub fn decimal(&mut self, name: &'static str, scale: u32) -> usize {
        self.cols.push((name, Data::Decimal(scale, Vec::new())));
        self.cols.len() - 1
    }

    /// Declares a date column.
    pub fn date(&mut self, name: &'static str) -> usize {
        self.cols.push((name, Data::Date(Vec::new())));
        self.cols.len() - 1
    }

    /// Appends text to column `i`.
    pub fn push_text(&mut self, i: usize, v: impl Into<String>) {
        if let (_, Data::Str(x)) = &mut self.cols[i] {
            x.push(v.into());
        }
    }

    /// Appends a decimal to column `i`, rounded to its scale.
    pub fn push_decimal(&mut self, i: usize, v: Decimal) {
        let (name, data) = &mut self.cols[i];
        if let Data::Decimal(scale, x) = data {
            match scaled(v, *scale) {
                Some(n) => x.extend_from_slice(&n.to_le_bytes()),
                None => {
                    x.extend_from_slice(&0i128.to_le_bytes());
                    self.overflow.get_or_insert((*name, v));
                }
            }
        }
    }

    /// Appends a date to column `i`.
    pub fn push_date(&mut self, i: usize, v: Date) {
        if let (_, Data::Date(x)) = &mut self.cols[i] {
            x.extend_from_slice(&epoch_days(v).to_le_bytes());
        }
    }

    /// The columns as Python tuples.
    pub fn into_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        if let Some((name, v)) = self.overflow {
            return Err(input_error(
                py,
                "ArithmeticOverflowError",
                format!("column {name:?}: {v} does not fit an Arrow decimal128(38, _)"),
                Some(name.to_string()),
            ));
        }
        let out = PyList::empty(py);
        for (name, data) in self.cols {
            let t = match data {
                Data::Str(v) => PyTuple::new(
                    py,
                    [
                        name.into_pyobject(py)?.into_any(),
                        "str".into_pyobject(py)?.into_any(),
                        v.into_pyobject(py)?.into_any(),
                        0u32.into_pyobject(py)?.into_any(),
                    ],
                )?,
                Data::Decimal(scale, bytes) => PyTuple::new(
                    py,
                    [
                        name.into_pyobject(py)?.into_any(),
                        "decimal".into_pyobject(py)?.into_any(),
                        PyBytes::new(py, &bytes).into_any(),
                        scale.into_pyobject(py)?.into_any(),
                    ],
                )?,
                Data::Date(bytes) => PyTuple::new(
                    py,
                    [
                        name.into_pyobject(py)?.into_any(),
                        "date32".into_pyobject(py)?.into_any(),
                        PyBytes::new(py, &bytes).into_any(),
                        0u32.into_pyobject(py)?.into_any(),
                    ],
                )?,
            };
            out.append(t)?;
        }
        Ok(out)
    }
}
