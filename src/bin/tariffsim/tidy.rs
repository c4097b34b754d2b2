//! The tool's CSV writer; its cells come from [`tariffsim::report::cells`].

pub use tariffsim::report::cells::{amount, cents_summing_to, percent, text};

use crate::Failure;

/// A CSV document from its rows, header first.
///
/// # Errors
/// A failure if the CSV writer fails.
pub fn csv(rows: &[Vec<String>]) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).map_err(Failure::run)?;
    }
    let bytes = w.into_inner().map_err(Failure::run)?;
    String::from_utf8(bytes).map_err(Failure::run)
}
