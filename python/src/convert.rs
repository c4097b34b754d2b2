//! Values between Python and the crate: exact decimals, rates,
//! probabilities and dates in; `decimal.Decimal` and `datetime.date` out.
//!
//! Floats are refused wherever an exact value is meant: `0.1` as a float is
//! 0.1000000000000000055511151231257827…, not a tenth.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use rust_decimal::{Decimal, RoundingStrategy};
use tariffsim::{Date, Probability, Rate};

use crate::errors::{IntoPy, input_error};

fn type_error(py: Python<'_>, what: &str, example: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let kind = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    let float_note = if got.is_instance_of::<PyFloat>() {
        format!(
            " (a float such as {} is not exact)",
            got.repr().map(|r| r.to_string()).unwrap_or_default()
        )
    } else {
        String::new()
    };
    input_error(
        py,
        "InputTypeError",
        format!(
            "{what} must be a str or a decimal.Decimal, not {kind}{float_note}: write {example}"
        ),
        Some(what.to_string()),
    )
}

fn is_decimal(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let class = py.import("decimal")?.getattr("Decimal")?;
    obj.is_instance(&class)
}

/// The text of a `str`, or of a `decimal.Decimal` (exact), or `None`.
fn exact_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<(String, bool)>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some((s.to_str()?.to_string(), false)));
    }
    if is_decimal(obj)? {
        return Ok(Some((obj.str()?.to_str()?.to_string(), true)));
    }
    Ok(None)
}

/// A probability from a `str` (`"0.6"`), a `decimal.Decimal` or the int 0
/// or 1; a float is refused.
pub fn probability(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Probability> {
    let py = obj.py();
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        let n: i64 = obj.extract()?;
        return Probability::new(Decimal::from(n)).py(py);
    }
    match exact_text(obj)? {
        Some((t, _)) => t.parse::<Probability>().py(py),
        None => Err(type_error(py, what, "it as text, e.g. \"0.6\"", obj)),
    }
}

/// A rate from a `str` with its unit (`"25%"`) or a `decimal.Decimal`
/// fraction (`Decimal("0.25")` is 25%, as `Rate::from_fraction`).
pub fn rate(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Rate> {
    let py = obj.py();
    match exact_text(obj)? {
        Some((t, false)) => t.parse::<Rate>().py(py),
        Some((t, true)) => {
            let d: Decimal = t
                .parse()
                .or_else(|_| Decimal::from_scientific(&t))
                .map_err(|e| input_error(py, "ParseError", format!("{what}: {e}"), None))?;
            Rate::from_fraction(d).py(py)
        }
        None => Err(type_error(
            py,
            what,
            "it as text with its unit, e.g. \"25%\", or as a decimal.Decimal fraction, e.g. Decimal(\"0.25\")",
            obj,
        )),
    }
}

/// A date from a `datetime.date` (not a `datetime.datetime`) or ISO text.
pub fn date(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Date> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return tariffsim::units::parse_date(s.to_str()?).py(py);
    }
    let datetime = py.import("datetime")?;
    if obj.is_instance(&datetime.getattr("datetime")?)? {
        return Err(input_error(
            py,
            "InputTypeError",
            format!("{what} must be a datetime.date, not a datetime.datetime: pass .date()"),
            Some(what.to_string()),
        ));
    }
    if obj.is_instance(&datetime.getattr("date")?)? {
        return obj.extract::<Date>();
    }
    Err(input_error(
        py,
        "InputTypeError",
        format!(
            "{what} must be a datetime.date or text \"YYYY-MM-DD\", not {}",
            obj.get_type().name()?
        ),
        Some(what.to_string()),
    ))
}

/// `value` rounded once (half away from zero) to `scale` places, as the
/// integer an Arrow `decimal128(38, scale)` stores.
pub fn scaled(value: Decimal, scale: u32) -> Option<i128> {
    let mut r = value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(scale);
    (r.scale() == scale).then(|| r.mantissa())
}

/// Days from 1970-01-01 to `date`, as an Arrow `date32` stores it.
pub fn epoch_days(date: Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    (date.duration_since(epoch).as_secs() / 86_400) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_rounds_half_away_from_zero_once() {
        // 1.00000000005 to 10 places is 1.0000000001 (half away from zero).
        let d: Decimal = "1.00000000005".parse().unwrap();
        assert_eq!(scaled(d, 10), Some(10_000_000_001));
        let d: Decimal = "-1.00000000005".parse().unwrap();
        assert_eq!(scaled(d, 10), Some(-10_000_000_001));
    }

    #[test]
    fn epoch_days_count_from_1970() {
        // 2025-10-01 is 20,362 days after 1970-01-01 (55 years, 14 leap days, + 273 days).
        assert_eq!(epoch_days(jiff::civil::date(2025, 10, 1)), 20_362);
    }
}
