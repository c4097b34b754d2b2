//! A Python dict in the scenario file's schema, turned into the TOML text
//! the crate's loader reads (so a dict is checked exactly as a file is).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::input_error;

/// The TOML value of a Python value at `at` (a dotted path for messages).
fn value(obj: &Bound<'_, PyAny>, at: &str) -> PyResult<toml::Value> {
    let py = obj.py();
    if obj.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(toml::Value::Integer(obj.extract()?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(toml::Value::String(s.to_str()?.to_string()));
    }
    if obj.is_instance_of::<PyFloat>() {
        return Err(input_error(
            py,
            "InputTypeError",
            format!(
                "field {at:?} is the float {}, which is not exact: write amounts, rates and probabilities as text, e.g. \"0.6\" or \"25%\"",
                obj.repr()?
            ),
            Some(at.to_string()),
        ));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut t = toml::Table::new();
        for (k, v) in d.iter() {
            let k: String = k.extract().map_err(|_| {
                input_error(
                    py,
                    "InputTypeError",
                    format!("the keys of {at:?} must be str"),
                    Some(at.to_string()),
                )
            })?;
            let child = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            t.insert(k, value(&v, &child)?);
        }
        return Ok(toml::Value::Table(t));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut a = Vec::new();
        for (i, v) in obj.try_iter()?.enumerate() {
            a.push(value(&v?, &format!("{at}[{i}]"))?);
        }
        return Ok(toml::Value::Array(a));
    }
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    let date = py.import("datetime")?.getattr("date")?;
    if obj.is_instance(&decimal)? || obj.is_instance(&date)? {
        return Ok(toml::Value::String(obj.str()?.to_string()));
    }
    Err(input_error(
        py,
        "InputTypeError",
        format!(
            "field {at:?} holds a {}: use str, int, bool, decimal.Decimal, datetime.date, list or dict",
            obj.get_type().name()?
        ),
        Some(at.to_string()),
    ))
}

/// The TOML text of a scenario document given as a dict.
pub fn toml_text(document: &Bound<'_, PyDict>) -> PyResult<String> {
    let v = value(document.as_any(), "")?;
    toml::to_string(&v).map_err(|e| {
        input_error(
            document.py(),
            "ParseError",
            format!("the document cannot be written as TOML: {e}"),
            None,
        )
    })
}
