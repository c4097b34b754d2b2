//! Opening the files a scenario names.

use std::path::Path;

use crate::error::{Error, Result};

/// Reads a whole file, naming it on failure.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: format!("cannot read: {e}"),
    })
}

/// A CSV file read whole, with its header; `name` is how errors name it.
pub(super) fn open_csv(
    path: &Path,
    name: &str,
) -> Result<(csv::Reader<std::io::Cursor<Vec<u8>>>, csv::StringRecord)> {
    let text = read_text(path)?;
    if text.trim().is_empty() {
        return Err(Error::Invalid(
            "the file is empty: give a header line and at least one row".into(),
        )
        .at(name));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(std::io::Cursor::new(text.into_bytes()));
    let headers = rdr
        .headers()
        .map_err(|e| Error::Invalid(format!("unreadable header: {e}")).at(name))?
        .clone();
    Ok((rdr, headers))
}
