//! Rust errors as Python exceptions.
//!
//! Each [`tariffsim::Error`] becomes an instance of one class of the
//! `tariffsim.errors` hierarchy, chosen by its innermost variant, with the
//! Rust message unchanged (`str(e)`), and `file`, `line`, `item` and
//! `context` read off the [`Error::In`] wrappers it travelled through.

use pyo3::prelude::*;
use tariffsim::Error;

/// Whether the context right around the innermost error names a column:
/// the loader reports TOML syntax errors as `Invalid` wrapped with
/// `"<file>, line L, column C"`.
fn at_column(error: &Error) -> bool {
    let mut e = error;
    let mut last = None;
    while let Error::In { context, inner } = e {
        last = Some(context.as_str());
        e = inner;
    }
    last.is_some_and(|c| c.split(", ").any(|p| p.starts_with("column ")))
}

/// The `tariffsim.errors` class for an error's innermost variant.
fn class_name(error: &Error) -> &'static str {
    match error.innermost() {
        Error::Parse { .. } => "ParseError",
        Error::Invalid(_) if at_column(error) => "ParseError",
        Error::Unknown { .. } => "UnknownIdError",
        Error::DuplicateId { .. } => "DuplicateIdError",
        Error::Io { .. } | Error::Output { .. } => "ScenarioIOError",
        Error::Refused { .. } | Error::TooLarge { .. } | Error::IncludeLimit { .. } => {
            "LoadPolicyError"
        }
        Error::Overflow { .. } => "ArithmeticOverflowError",
        Error::ProbabilitySum { .. } | Error::OutOfUnitRange { .. } => "ProbabilityError",
        Error::StepsUnordered { .. }
        | Error::StepsSameDate { .. }
        | Error::SuspensionsOverlap { .. }
        | Error::NoSuchStep { .. }
        | Error::NoSuchSuspension { .. }
        | Error::WrongDirection { .. } => "ScheduleError",
        Error::ActionDate { .. } => "ActionDateError",
        Error::RetaliationLoop { .. } | Error::RetaliationCycle { .. } => "RetaliationLoopError",
        Error::BaselineGap { .. } => "BaselineGapError",
        _ => "InvalidScenarioError",
    }
}

/// Where an error happened, read off its [`Error::In`] wrappers.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The innermost file named (a `.toml` or `.csv` path).
    pub file: Option<String>,
    /// The innermost line number named.
    pub line: Option<u64>,
    /// The column named with that line (TOML syntax errors).
    pub column: Option<u64>,
    /// What inside the file: the parts after it (`measure "x", step 2`).
    pub item: Option<String>,
    /// Every context, outermost first.
    pub context: Vec<String>,
}

fn is_file(part: &str) -> bool {
    let head = part.split(" (").next().unwrap_or(part);
    head.ends_with(".toml") || head.ends_with(".csv") || is_unnamed(head)
}

/// A source with no file: TOML text (`<dir>/<text>`) or a DataFrame (`<DataFrame>`).
fn is_unnamed(part: &str) -> bool {
    part.ends_with('>') && part.contains('<')
}

/// The file, line and item an error names.
///
/// The crate wraps errors with free-text contexts (`"a.toml, measure \"x\""`,
/// `"step 2"`); this splits them on `", "` and takes the innermost part that
/// names a `.toml` or `.csv` file as the file and the parts after it as the
/// item. Text given to `Scenario.from_toml` has no file (`<text>`).
pub fn place(error: &Error) -> Place {
    let mut context = Vec::new();
    let mut e = error;
    while let Error::In { context: c, inner } = e {
        context.push(c.clone());
        e = inner;
    }
    let parts: Vec<&str> = context.iter().flat_map(|c| c.split(", ")).collect();
    let mut out = Place::default();
    let mut after = 0;
    for (i, p) in parts.iter().enumerate() {
        if is_file(p) {
            let head = p.split(" (").next().unwrap_or(p);
            out.file = (!is_unnamed(head)).then(|| head.to_string());
            out.line = None;
            out.column = None;
            after = i + 1;
        } else if let Some(n) = p.strip_prefix("line ").and_then(|n| n.parse().ok()) {
            out.line = Some(n);
        } else if let Some(n) = p.strip_prefix("column ").and_then(|n| n.parse().ok()) {
            out.column = Some(n);
        }
    }
    match e {
        Error::Io { path, .. } | Error::Refused { path, .. } | Error::TooLarge { path, .. } => {
            out.file = Some(path.clone());
        }
        _ => {}
    }
    let item: Vec<&str> = parts[after.min(parts.len())..]
        .iter()
        .copied()
        .filter(|p| !p.starts_with("line ") && !p.starts_with("column "))
        .collect();
    out.item = (!item.is_empty()).then(|| item.join(", "));
    out.context = context;
    out
}

/// The Python exception for `error`.
pub fn to_py(py: Python<'_>, error: &Error) -> PyErr {
    match build(py, error) {
        Ok(e) => e,
        Err(e) => e,
    }
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let module = py.import("tariffsim.errors")?;
    let class = module.getattr(class_name(error))?;
    let exc = class.call1((error.to_string(),))?;
    let p = place(error);
    exc.setattr("file", p.file)?;
    exc.setattr("line", p.line)?;
    exc.setattr("column", p.column)?;
    exc.setattr("item", p.item)?;
    exc.setattr("context", p.context)?;
    Ok(PyErr::from_value(exc))
}

/// A Python exception of class `class` (in `tariffsim.errors`) with `message`.
pub fn input_error(py: Python<'_>, class: &str, message: String, item: Option<String>) -> PyErr {
    let made = py.import("tariffsim.errors").and_then(|m| {
        let exc = m.getattr(class)?.call1((message.clone(),))?;
        exc.setattr("item", item)?;
        Ok(PyErr::from_value(exc))
    });
    match made {
        Ok(e) => e,
        Err(e) => e,
    }
}

/// Converts a crate result into a Python one.
pub trait IntoPy<T> {
    /// The value, or the error as a Python exception.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for tariffsim::Result<T> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_file_and_the_item_after_it_are_named() {
        let e = Error::Invalid("bad".into())
            .at("field \"rate\"")
            .at("step 2")
            .at("data/record/x.toml, measure \"list-3\"")
            .at("data/scenarios/s.toml, include \"../record/x.toml\"");
        let p = place(&e);
        assert_eq!(p.file.as_deref(), Some("data/record/x.toml"));
        assert_eq!(
            p.item.as_deref(),
            Some("measure \"list-3\", step 2, field \"rate\"")
        );
        assert_eq!(p.context.len(), 4);
    }

    #[test]
    fn a_csv_line_is_read_and_text_has_no_file() {
        let e = Error::Invalid("bad".into()).at("b.csv, line 7");
        let p = place(&e);
        assert_eq!(
            (p.file.as_deref(), p.line, p.item),
            (Some("b.csv"), Some(7), None)
        );
        let e = Error::Invalid("bad".into()).at("/tmp/<text>, measure \"m\"");
        let p = place(&e);
        assert_eq!((p.file, p.item.as_deref()), (None, Some("measure \"m\"")));
    }
}
