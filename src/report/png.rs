//! PNG charts: the SVG charts rendered with resvg (feature `png`).

use crate::error::{Error, Result};

/// Sans-serif families tried, in order, for the charts' `sans-serif` text.
const SANS: [&str; 6] = [
    "DejaVu Sans",
    "Liberation Sans",
    "Noto Sans",
    "Arial",
    "Helvetica",
    "FreeSans",
];

/// Renders one of this module's SVG charts ([`super::timeline_svg`],
/// [`super::exposure_svg`], [`super::layers_svg`]) to a PNG image at its
/// own size, on white.
///
/// Text is drawn with the fonts installed on the system: the first of
/// DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica or FreeSans
/// found stands for `sans-serif`, else any font there is; on a system with
/// no fonts at all the image has no text rather than failing.
///
/// # Errors
/// [`Error::Invalid`] when `svg` is not an SVG document or has no area to
/// draw.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, exposure_svg, svg_to_png}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let png = svg_to_png(&exposure_svg(&report))?;
/// assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    let db = options.fontdb_mut();
    db.load_system_fonts();
    let family = {
        let mut have: Vec<&str> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.as_str()))
            .collect();
        have.sort_unstable();
        have.dedup();
        SANS.iter()
            .find(|f| have.binary_search(f).is_ok())
            .map(|f| (*f).to_string())
            .or_else(|| have.first().map(|f| (*f).to_string()))
    };
    if let Some(family) = family {
        db.set_sans_serif_family(family.clone());
        options.font_family = family;
    }
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::Invalid(format!("cannot render the chart as PNG: {e}")))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        Error::Invalid("cannot render the chart as PNG: it has no area".to_string())
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| Error::Invalid(format!("cannot encode the chart as PNG: {e}")))
}
