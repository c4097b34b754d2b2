//! Portfolio CSV files, read under the loading policy.

use std::path::Path;

use super::input::{Inputs, Kind, LoadOptions, Opener};
use crate::error::Result;
use crate::portfolio::Portfolio;

/// Reads a portfolio CSV file (see [`crate::portfolio`]) row by row, as a
/// regular file within `options`' CSV limit, with the record of the file
/// read (to check outputs against).
///
/// ```
/// use tariffsim::load::{LoadOptions, read_portfolio};
/// let (p, inputs) = read_portfolio("examples/sample-portfolio.csv".as_ref(), &LoadOptions::new())?;
/// assert_eq!(p.items().len(), 17);
/// assert_eq!(inputs.files().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) when the file cannot be opened or read,
/// [`Error::Refused`](crate::Error::Refused) when it is not a regular file,
/// [`Error::TooLarge`](crate::Error::TooLarge) past the limit; otherwise as
/// [`Portfolio::parse`].
pub fn read_portfolio(path: &Path, options: &LoadOptions) -> Result<(Portfolio, Inputs)> {
    let mut opener = Opener::anywhere(options);
    let file = opener.open(path, Kind::Csv)?;
    let name = file.name.clone();
    let portfolio = Portfolio::from_reader(&name, file.into_reader())?;
    Ok((portfolio, opener.into_inputs()))
}
