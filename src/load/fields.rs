//! Reading one field of a file: typed values, dates, required fields, windows.

use std::str::FromStr;

use crate::error::{Error, Result, ResultExt};
use crate::units::{Date, Window, parse_date};

pub(super) fn field<T: FromStr<Err = Error>>(name: &str, text: &str) -> Result<T> {
    text.parse::<T>().at(|| format!("field {name:?}"))
}

pub(super) fn date_field(name: &str, text: &str) -> Result<Date> {
    parse_date(text).at(|| format!("field {name:?}"))
}

pub(super) fn required<'a>(name: &str, v: &'a Option<String>, what: &str) -> Result<&'a str> {
    v.as_deref()
        .ok_or_else(|| Error::Invalid(format!("{what} needs field {name:?}")))
}

pub(super) fn window_of(from: &Option<String>, until: &Option<String>) -> Result<Window> {
    let start = match from {
        Some(f) => date_field("from", f)?,
        None => Date::MIN,
    };
    match until {
        Some(u) => Window::new(start, date_field("until", u)?),
        None => Ok(Window::open(start)),
    }
}
