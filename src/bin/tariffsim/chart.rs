//! Chart files: SVG as drawn, or PNG when the file name ends in `.png`
//! (with the `png` feature).

use std::path::Path;

use crate::Failure;

/// Whether `path` names a PNG file (`.png`, any case).
fn is_png(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
}

/// Refuses a PNG chart when the tool was built without the `png` feature,
/// before any work is done.
///
/// # Errors
/// A usage error naming the flag and the feature to build with.
pub fn check(flag: &str, path: Option<&Path>) -> Result<(), Failure> {
    match path {
        Some(p) if is_png(p) && !cfg!(feature = "png") => Err(Failure::usage(format!(
            "{flag} {}: PNG charts need the png feature; build with `--features png` (or write an .svg)",
            p.display()
        ))),
        _ => Ok(()),
    }
}

/// The bytes of a chart written to `path`: the SVG, or the SVG rendered as
/// PNG when `path` ends in `.png`.
///
/// # Errors
/// As [`check`]; a failure when the chart cannot be rendered.
pub fn encode(flag: &str, path: Option<&Path>, svg: String) -> Result<Vec<u8>, Failure> {
    check(flag, path)?;
    match path {
        #[cfg(feature = "png")]
        Some(p) if is_png(p) => tariffsim::report::svg_to_png(&svg).map_err(Failure::run),
        _ => Ok(svg.into_bytes()),
    }
}
