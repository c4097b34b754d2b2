//! Arrow-ready columns: what the Python side turns into a `pyarrow.Table`
//! without copying values one by one.
//!
//! Each column goes to Python as `(name, kind, payload, scale, validity)`:
//! `"str"` with a list of str (`None` for a missing value), `"decimal"` with
//! the little-endian 16-byte integers of an Arrow `decimal128(38, scale)`,
//! `"date32"` with little-endian days since 1970-01-01; `validity` is the
//! Arrow validity bitmap (least significant bit first) when a value is
//! missing, else `None`. A missing figure is one the engine could not value:
//! it is null, never zero.

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
    Str(Vec<Option<String>>),
    Decimal(u32, Vec<u8>, Vec<bool>),
    Date(Vec<u8>, Vec<bool>),
}

/// The Arrow validity bitmap of `valid`, or `None` when nothing is missing.
fn bitmap(valid: &[bool]) -> Option<Vec<u8>> {
    if valid.iter().all(|v| *v) {
        return None;
    }
    let mut out = vec![0u8; valid.len().div_ceil(8)];
    for (i, v) in valid.iter().enumerate() {
        if *v {
            out[i / 8] |= 1 << (i % 8);
        }
    }
    Some(out)
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
        self.cols
            .push((name, Data::Decimal(scale, Vec::new(), Vec::new())));
        self.cols.len() - 1
    }

    /// Declares a date column.
    pub fn date(&mut self, name: &'static str) -> usize {
        self.cols.push((name, Data::Date(Vec::new(), Vec::new())));
        self.cols.len() - 1
    }

    /// Appends text to column `i`.
    pub fn push_text(&mut self, i: usize, v: impl Into<String>) {
        self.push_text_or_null(i, Some(v.into()));
    }

    /// Appends text, or a null, to column `i`.
    pub fn push_text_or_null(&mut self, i: usize, v: Option<String>) {
        if let (_, Data::Str(x)) = &mut self.cols[i] {
            x.push(v);
        }
    }

    /// Appends a decimal to column `i`, rounded to its scale.
    pub fn push_decimal(&mut self, i: usize, v: Decimal) {
        self.push_decimal_or_null(i, Some(v));
    }

    /// Appends a decimal (rounded to the column's scale), or a null, to
    /// column `i`.
    pub fn push_decimal_or_null(&mut self, i: usize, v: Option<Decimal>) {
        let (name, data) = &mut self.cols[i];
        if let Data::Decimal(scale, x, valid) = data {
            valid.push(v.is_some());
            let n = match v {
                None => 0,
                Some(v) => scaled(v, *scale).unwrap_or_else(|| {
                    self.overflow.get_or_insert((*name, v));
                    0
                }),
            };
            x.extend_from_slice(&n.to_le_bytes());
        }
    }

    /// Appends a date, or a null, to column `i`.
    pub fn push_date_or_null(&mut self, i: usize, v: Option<Date>) {
        if let (_, Data::Date(x, valid)) = &mut self.cols[i] {
            valid.push(v.is_some());
            x.extend_from_slice(&v.map_or(0, epoch_days).to_le_bytes());
        }
    }

    /// Appends a date to column `i`.
    pub fn push_date(&mut self, i: usize, v: Date) {
        self.push_date_or_null(i, Some(v));
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
            let (kind, payload, scale, valid) = match data {
                Data::Str(v) => ("str", v.into_pyobject(py)?.into_any(), 0, None),
                Data::Decimal(scale, bytes, valid) => (
                    "decimal",
                    PyBytes::new(py, &bytes).into_any(),
                    scale,
                    bitmap(&valid),
                ),
                Data::Date(bytes, valid) => (
                    "date32",
                    PyBytes::new(py, &bytes).into_any(),
                    0,
                    bitmap(&valid),
                ),
            };
            let valid = match valid {
                Some(b) => PyBytes::new(py, &b).into_any(),
                None => py.None().into_bound(py),
            };
            let t = PyTuple::new(
                py,
                [
                    name.into_pyobject(py)?.into_any(),
                    kind.into_pyobject(py)?.into_any(),
                    payload,
                    scale.into_pyobject(py)?.into_any(),
                    valid,
                ],
            )?;
            out.append(t)?;
        }
        Ok(out)
    }
}
