//! One path's rate over time, stacked by layer.

use super::*;

/// Layer colours: the palette from its fourth colour, so the layers do not
/// take the colours the paths have in [`timeline_svg`].
fn layer_colour(i: usize) -> &'static str {
    PALETTE[(i + 3) % PALETTE.len()]
}

/// The base (MFN) band: a neutral grey under the additional layers.
const BASE_COLOUR: &str = "#b0b0b0";

/// The band's name in the legend and its tooltip.
const BASE_NAME: &str = "MFN (base rate)";

/// The top of a piece's stack: the all-in rate where the side has base
/// rates, else the additional total.
fn top_of(p: &TimelinePiece) -> Decimal {
    p.all_in().unwrap_or(p.total)
}

/// One path's trade-weighted average additional rate over time, stacked by
/// layer: one panel per side, one filled `<polygon>` per layer that is ever
/// non-zero (a layer's band is its own average rate; the top of the stack
/// is the total), the path's decision dates marked once, a legend of the
/// layers, and the scenario's sources and what it leaves out under it.
/// Weights are the baseline's values. Where the scenario gives base rates
/// the base (MFN) rate is the bottom band, the line on top is the all-in
/// rate, and what the base leaves out ([`base_note`]) is under the chart.
/// The same input gives the same bytes.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, PathTimelines, layers_svg}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let path = PathTimelines {
///     path: "no-deal".into(),
///     probability: "0.3".parse()?,
///     sides: scenario.timeline("no-deal")?,
/// };
/// let svg = layers_svg(&report, &path);
/// assert!(svg.contains("<polygon"));
/// assert!(svg.contains("no-deal"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn layers_svg(report: &EvaluationReport, path: &PathTimelines) -> String {
    let horizon = report.window;
    let (left, right) = (64.0, 24.0);
    let plot_w = WIDTH - left - right;
    let plot_right = left + plot_w;
    let (panel_h, gap) = (220.0, 64.0);
    let total_days = horizon.days().max(1) as f64;
    let x_of = |d: Date| {
        left + plot_w * (days_between(horizon.start(), d) as f64 / total_days).clamp(0.0, 1.0)
    };
    // The base band first, then every layer that is ever non-zero, in order
    // of first appearance.
    let with_base = path.sides.iter().any(|t| t.base.is_some());
    let mut layers: Vec<&str> = Vec::new();
    for t in &path.sides {
        for (i, l) in t.layers.iter().enumerate() {
            let used = t
                .pieces
                .iter()
                .any(|p| p.by_layer.get(i).is_some_and(|r| !r.is_zero()));
            if used && !layers.contains(&l.as_str()) {
                layers.push(l.as_str());
            }
        }
    }
    let (outside, notes) = decision_notes(report, &x_of, (left, plot_right));
    let outside: Vec<Vec<String>> = outside
        .iter()
        .map(|n| wrap(n, chars_in(WIDTH - 2.0 * left, 12.0), 2))
        .collect();
    let outside_rows: usize = outside.iter().map(Vec::len).sum();
    let ann_top = 60.0 + 15.0 * outside_rows as f64 + 4.0;
    let panels_top = ann_top + NOTE_STEP * note_rows(&notes) as f64 + 30.0;
    let n_sides = path.sides.len().max(1) as f64;
    let bottom = panels_top + (n_sides - 1.0) * (panel_h + gap) + panel_h;
    let total_name = if with_base {
        "all-in (MFN + additional)"
    } else {
        "total"
    };
    let mut keys: Vec<Key> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| Key {
            colour: layer_colour(i).into(),
            dash: String::new(),
            width: 0.0,
            area: true,
            label: (*l).to_string(),
        })
        .collect();
    if with_base {
        keys.insert(
            0,
            Key {
                colour: BASE_COLOUR.into(),
                dash: String::new(),
                width: 0.0,
                area: true,
                label: BASE_NAME.into(),
            },
        );
    }
    keys.push(Key {
        colour: SHARED_COLOUR.into(),
        dash: String::new(),
        width: 1.5,
        area: false,
        label: total_name.into(),
    });
    let mut extra = ". Weights: baseline import values.".to_string();
    for note in path.sides.iter().filter_map(base_note) {
        extra.push_str(&format!(" {note}."));
    }
    let legend_top = bottom + 44.0;
    let foot = footer_lines(report, &extra, with_base);
    let foot_top = legend_top + legend_height(&keys, left) + 2.0;
    let height = foot_top + footer_height(&foot.0);

    let rate_name = if with_base {
        "tariff rate, MFN and additional,"
    } else {
        "additional tariff rate"
    };
    let mut out = String::new();
    heading(
        &mut out,
        height,
        left,
        &report.scenario.title,
        &format!("average {rate_name} by layer, path {}", path.path),
        &format!(
            "Trade-weighted average {rate_name} by layer, path {} ({}), {horizon}",
            path.path,
            percent_text(path.probability, 2)
        ),
    );
    let mut y = 60.0;
    for l in outside.iter().flatten() {
        text(&mut out, left, y, "start", " fill=\"#555555\"", l);
        y += 15.0;
    }
    for (k, t) in path.sides.iter().enumerate() {
        let top = panels_top + k as f64 * (panel_h + gap);
        // The running sum under and over each layer, piece by piece.
        let stacks: Vec<Vec<Decimal>> = t
            .pieces
            .iter()
            .map(|p| {
                let mut sums = vec![Decimal::ZERO];
                let mut acc = Decimal::ZERO;
                if with_base {
                    acc = p.base.unwrap_or_default().max(Decimal::ZERO);
                    sums.push(acc);
                }
                for l in &layers {
                    let r = t
                        .layers
                        .iter()
                        .position(|x| x.as_str() == *l)
                        .and_then(|i| p.by_layer.get(i).copied())
                        .unwrap_or_default()
                        .max(Decimal::ZERO);
                    acc = acc.checked_add(r).unwrap_or(acc);
                    sums.push(acc);
                }
                sums
            })
            .collect();
        let max = stacks
            .iter()
            .filter_map(|s| s.last().copied())
            .chain(t.pieces.iter().map(top_of))
            .max()
            .unwrap_or(Decimal::ZERO);
        let y_top = rate_panel(
            &mut out,
            (left, plot_w, top, panel_h),
            &side_title(&t.importer, &t.exporter),
            max,
            horizon,
            &x_of,
        );
        let y_of = |v: Decimal| top + panel_h * (1.0 - share(v, y_top));
        let bands = with_base
            .then_some((BASE_NAME, BASE_COLOUR))
            .into_iter()
            .chain(
                layers
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (*l, layer_colour(i))),
            );
        for (j, (l, colour)) in bands.enumerate() {
            if stacks.iter().all(|s| s.get(j) == s.get(j + 1)) {
                continue;
            }
            let mut upper = Vec::new();
            let mut lower = Vec::new();
            for (p, s) in t.pieces.iter().zip(&stacks) {
                let (x0, x1) = (x_of(p.window.start()), x_of(p.window.end()));
                let hi = y_of(s.get(j + 1).copied().unwrap_or_default());
                let lo = y_of(s.get(j).copied().unwrap_or_default());
                upper.push((x0, hi));
                upper.push((x1, hi));
                lower.push((x0, lo));
                lower.push((x1, lo));
            }
            lower.reverse();
            let pts: Vec<String> = upper
                .iter()
                .chain(&lower)
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect();
            let _ = writeln!(
                out,
                "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"0.5\"><title>{}</title></polygon>",
                pts.join(" "),
                colour,
                escape(l)
            );
        }
        let pts = step_points(t, (horizon.start(), horizon.end()), &x_of, &y_of, top_of);
        polyline(
            &mut out,
            &pts,
            &format!("stroke=\"{SHARED_COLOUR}\" stroke-width=\"1.5\""),
            &format!("{total_name}, {}", path.path),
        );
    }
    draw_notes(&mut out, &notes, ann_top + 10.0, bottom);
    legend(&mut out, &keys, left, legend_top);
    footer(&mut out, foot_top, &foot);
    out.push_str("</svg>\n");
    out
}
