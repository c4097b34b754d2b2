//! Naming a side: `"US<-CN"`, `("US", "CN")`, or nothing when there is one.

use pyo3::prelude::*;

use crate::errors::input_error;

fn label((i, e): &(String, String)) -> String {
    format!("{i}<-{e}")
}

/// The side `side` names among `known`; an unknown side is an error that
/// lists the known ones (never a silent zero).
pub fn pick(
    py: Python<'_>,
    side: Option<&Bound<'_, PyAny>>,
    known: &[(String, String)],
) -> PyResult<(String, String)> {
    let list = || known.iter().map(label).collect::<Vec<_>>().join(", ");
    let example = known.first().map(label).unwrap_or_else(|| "US<-CN".into());
    let wanted: (String, String) = match side {
        None if known.len() == 1 => return Ok(known[0].clone()),
        None => {
            return Err(input_error(
                py,
                "UnknownIdError",
                format!(
                    "this scenario has several sides ({}): name one, e.g. side=\"{}\"",
                    list(),
                    example
                ),
                None,
            ));
        }
        Some(s) => {
            if let Ok(t) = s.extract::<(String, String)>() {
                t
            } else {
                let text: String = s.extract()?;
                match text.split_once("<-") {
                    Some((i, e)) => (i.trim().to_string(), e.trim().to_string()),
                    None => {
                        return Err(input_error(
                            py,
                            "ParseError",
                            format!(
                                "invalid side {text:?}: write it as \"importer<-exporter\", e.g. \"{}\"",
                                example
                            ),
                            Some(text),
                        ));
                    }
                }
            }
        }
    };
    if known.contains(&wanted) {
        Ok(wanted)
    } else {
        Err(input_error(
            py,
            "UnknownIdError",
            format!("unknown side {:?}; sides are {}", label(&wanted), list()),
            Some(label(&wanted)),
        ))
    }
}
