//! Reading one field of a file: typed values, dates, required fields, windows.

use std::str::FromStr;

use crate::error::{Error, Result, ResultExt, excerpt};
use crate::units::{Date, Window, parse_date};

/// A typed field of a file.
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

/// Checks text meant for people (a title, a label, a description): no
/// control characters, which would reach a terminal raw or break an SVG.
/// `prose` allows line breaks and tabs (descriptions, assumptions, sources);
/// titles, names and labels are one line.
///
/// Control characters are refused rather than escaped, so what a report
/// prints is what the file says.
#[inline]
pub(crate) fn check_text(text: &str, prose: bool) -> Result<()> {
    // Printable ASCII holds no control character (the common case, and a
    // check per row of large files): every byte looked at, without an early
    // exit, so the loop runs on whole vectors.
    if text
        .bytes()
        .fold(true, |ok, b| ok & (0x20..0x7f).contains(&b))
    {
        return Ok(());
    }
    find_control(text, prose)
}

/// [`check_text`] of a text that is not all printable ASCII.
#[inline(never)]
fn find_control(text: &str, prose: bool) -> Result<()> {
    let bad = text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !(prose && (*c == '\n' || *c == '\t')));
    match bad {
        None => Ok(()),
        Some((i, c)) => Err(Error::Invalid(format!(
            "{} holds the control character U+{:04X} at character {}: remove it{}",
            excerpt(text),
            u32::from(c),
            i + 1,
            if prose {
                " (line breaks and tabs are allowed)"
            } else {
                " (this text is one line)"
            }
        ))),
    }
}

/// A message from a parser made safe to show: one line, control characters
/// escaped, at most `longest` characters.
pub(crate) fn one_line(text: &str, longest: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.trim_end().chars().enumerate() {
        if i == longest {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    out
}
