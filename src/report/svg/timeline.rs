//! The average stacked rate over time under each path, per side.

use super::*;

/// The trade-weighted average stacked additional rate over time under each
/// path, one panel per side (the first side's importer on top), as step
/// lines. Weights are the baseline's values; MFN duty is not included.
///
/// - The shared history (from the start of the horizon to the first day on
///   which the paths differ) is drawn once, as one dark line.
/// - After it, one `<polyline>` per path, coloured and dashed by path;
///   paths that coincide are drawn a few pixels apart (at most 15 in all),
///   and each line is named at its end, the names pushed apart so they
///   never overlap.
/// - The reference is drawn as a black dashed line and named in the legend:
///   the entry of `paths` whose id is the report's reference (for a named
///   reference path, it is among [`crate::report::path_timelines`]; for
///   `as-scheduled`, add [`crate::report::reference_timeline`]).
/// - Each decision date inside the horizon is marked once, its label
///   wrapped and, if need be, shortened with `…` inside the plot width, the
///   full text kept in a `<title>`; decisions outside the horizon are named
///   in a note.
/// - Under the chart, the scenario's sources and what it leaves out.
///
/// The same report and paths give the same bytes.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, path_timelines, reference_timeline, timeline_svg}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let mut paths = path_timelines(&scenario)?;
/// paths.push(reference_timeline(&scenario)?);
/// let svg = timeline_svg(&report, &paths);
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("2019-02-24 Truce deadline"));
/// assert!(svg.contains("as scheduled (reference)"));
/// assert!(svg.contains("Source: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline_svg(report: &EvaluationReport, paths: &[PathTimelines]) -> String {
    let horizon = report.window;
    let sides: Vec<(Party, Party)> = report
        .reference
        .sides
        .iter()
        .map(|s| (s.importer.clone(), s.exporter.clone()))
        .collect();
    let (left, right) = (64.0, 230.0);
    let plot_w = WIDTH - left - right;
    let plot_right = left + plot_w;
    let (panel_h, gap) = (220.0, 64.0);
    let total_days = horizon.days().max(1) as f64;
    let x_of = |d: Date| {
        left + plot_w * (days_between(horizon.start(), d) as f64 / total_days).clamp(0.0, 1.0)
    };
    let reference_id = report.reference.id.as_str();
    // Outcomes first, in the order given, then the reference on top.
    let outcomes: Vec<&PathTimelines> = paths.iter().filter(|p| p.path != reference_id).collect();
    let reference = paths.iter().find(|p| p.path == reference_id);
    let name = |p: &PathTimelines| format!("{} ({})", p.path, percent_text(p.probability, 2));
    let reference_name = match reference {
        Some(r) if report.reference_is_path() => format!("{}, the reference", name(r)),
        _ => "as scheduled (reference)".to_string(),
    };

    let (outside, notes) = decision_notes(report, &x_of, (left, plot_right));
    let outside: Vec<Vec<String>> = outside
        .iter()
        .map(|n| wrap(n, chars_in(WIDTH - 2.0 * left, 12.0), 2))
        .collect();
    let outside_rows: usize = outside.iter().map(Vec::len).sum();
    let ann_top = 60.0 + 15.0 * outside_rows as f64 + 4.0;
    let panels_top = ann_top + NOTE_STEP * note_rows(&notes) as f64 + 30.0;
    let bottom = panels_top + (sides.len() as f64 - 1.0).max(0.0) * (panel_h + gap) + panel_h;

    let mut keys: Vec<Key> = Vec::new();
    let any_shared = sides.iter().any(|(i, e)| {
        let tls: Vec<&Timeline> = paths
            .iter()
            .flat_map(|p| &p.sides)
            .filter(|t| &t.importer == i && &t.exporter == e)
            .collect();
        first_difference(&tls, horizon) != Some(horizon.start())
    });
    if any_shared && paths.len() > 1 {
        keys.push(Key {
            colour: SHARED_COLOUR.into(),
            dash: String::new(),
            width: 2.5,
            area: false,
            label: "shared history".into(),
        });
    }
    for (i, p) in outcomes.iter().enumerate() {
        keys.push(Key {
            colour: PALETTE[i % PALETTE.len()].into(),
            dash: DASHES[i % DASHES.len()].into(),
            width: 2.0,
            area: false,
            label: name(p),
        });
    }
    if reference.is_some() {
        keys.push(Key {
            colour: REFERENCE_LINE.into(),
            dash: REFERENCE_DASH.into(),
            width: 1.5,
            area: false,
            label: reference_name.clone(),
        });
    }
    let legend_top = bottom + 44.0;
    let foot = footer_lines(
        report,
        ". Lines that coincide are drawn up to 5 pixels apart; the rates at their ends are exact.",
        false,
    );
    let foot_top = legend_top + legend_height(&keys, left) + 2.0;
    let height = foot_top + footer_height(&foot.0);

    let mut out = String::new();
    heading(
        &mut out,
        height,
        left,
        &report.scenario.title,
        "average additional tariff rate by outcome",
        &format!(
            "Trade-weighted average additional tariff rate by outcome, {horizon}; weights = baseline import values"
        ),
    );
    let mut y = 60.0;
    for l in outside.iter().flatten() {
        text(&mut out, left, y, "start", " fill=\"#555555\"", l);
        y += 15.0;
    }
    draw_notes(&mut out, &notes, ann_top + 10.0, bottom);

    for (k, (importer, exporter)) in sides.iter().enumerate() {
        let top = panels_top + k as f64 * (panel_h + gap);
        let all: Vec<&Timeline> = paths
            .iter()
            .filter_map(|p| side_of(p, importer, exporter))
            .collect();
        let max = all
            .iter()
            .flat_map(|t| &t.pieces)
            .map(|p| p.total)
            .max()
            .unwrap_or(Decimal::ZERO);
        let y_top = rate_panel(
            &mut out,
            (left, plot_w, top, panel_h),
            &side_title(importer, exporter),
            max,
            horizon,
            &x_of,
        );
        let y_of = |v: Decimal| top + panel_h * (1.0 - share(v, y_top));
        let split = if all.len() > 1 {
            first_difference(&all, horizon)
        } else {
            Some(horizon.start())
        };
        let shared_end = split.unwrap_or(horizon.end());
        // End labels: (line's y, text, colour).
        let mut ends: Vec<(f64, String, String)> = Vec::new();
        if shared_end > horizon.start()
            && let Some(first) = all.first()
        {
            let pts = step_points(first, (horizon.start(), shared_end), &x_of, &y_of, TOTAL);
            polyline(
                &mut out,
                &pts,
                &format!("stroke=\"{SHARED_COLOUR}\" stroke-width=\"2.5\""),
                &format!("shared history, {}..{shared_end}", horizon.start()),
            );
            if split.is_none()
                && let (Some(last), Some(end)) = (pts.last(), first.pieces.last())
            {
                ends.push((
                    last.1,
                    if reference.is_some() {
                        format!("every path, ref. {}", percent_text(end.total, 1))
                    } else {
                        format!("every path {}", percent_text(end.total, 1))
                    },
                    SHARED_COLOUR.into(),
                ));
            }
        }
        if let Some(split) = split {
            let drawn: Vec<(usize, &PathTimelines, &Timeline)> = outcomes
                .iter()
                .enumerate()
                .filter_map(|(i, p)| side_of(p, importer, exporter).map(|t| (i, *p, t)))
                .collect();
            let n = drawn.len();
            let spacing = if n > 1 {
                (10.0 / (n - 1) as f64).min(2.0)
            } else {
                0.0
            };
            for (slot, (i, p, t)) in drawn.iter().enumerate() {
                let off = (slot as f64 - (n as f64 - 1.0) / 2.0) * spacing;
                let pts: Vec<(f64, f64)> =
                    step_points(t, (split, horizon.end()), &x_of, &|v| y_of(v) + off, TOTAL);
                let colour = PALETTE[i % PALETTE.len()];
                polyline(
                    &mut out,
                    &pts,
                    &format!(
                        "stroke=\"{colour}\" stroke-width=\"2\" stroke-opacity=\"0.9\"{}",
                        dash_attr(DASHES[i % DASHES.len()])
                    ),
                    &name(p),
                );
                if let (Some(last), Some(end)) = (pts.last(), t.pieces.last()) {
                    ends.push((
                        last.1,
                        format!("{} {}", p.path, percent_text(end.total, 1)),
                        colour.to_string(),
                    ));
                }
            }
            if let Some(t) = reference.and_then(|r| side_of(r, importer, exporter)) {
                let pts = step_points(t, (split, horizon.end()), &x_of, &y_of, TOTAL);
                polyline(
                    &mut out,
                    &pts,
                    &format!(
                        "stroke=\"{REFERENCE_LINE}\" stroke-width=\"1.5\" stroke-dasharray=\"{REFERENCE_DASH}\""
                    ),
                    &reference_name,
                );
                if let (Some(last), Some(end)) = (pts.last(), t.pieces.last()) {
                    let short = match reference {
                        Some(r) if report.reference_is_path() => {
                            format!("{}, ref. {}", r.path, percent_text(end.total, 1))
                        }
                        _ => format!("as scheduled, ref. {}", percent_text(end.total, 1)),
                    };
                    ends.push((last.1, short, REFERENCE_LINE.to_string()));
                }
            }
        }
        end_labels(&mut out, ends, plot_right, (top, top + panel_h));
    }
    legend(&mut out, &keys, left, legend_top);
    footer(&mut out, foot_top, &foot);
    out.push_str("</svg>\n");
    out
}

/// The timeline of `p` on one side.
fn side_of<'a>(p: &'a PathTimelines, importer: &Party, exporter: &Party) -> Option<&'a Timeline> {
    p.sides
        .iter()
        .find(|t| &t.importer == importer && &t.exporter == exporter)
}

/// Names lines at their right ends: sorted by height, pushed apart to at
/// least 12 pixels, kept inside the panel, joined to their lines by short
/// leaders; names longer than the margin end in `…` (the whole name is in
/// a `<title>`).
fn end_labels(
    out: &mut String,
    mut ends: Vec<(f64, String, String)>,
    plot_right: f64,
    (top, bottom): (f64, f64),
) {
    const GAP: f64 = 12.0;
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut placed: Vec<f64> = Vec::with_capacity(ends.len());
    for (y, _, _) in &ends {
        let y = match placed.last() {
            Some(prev) => y.max(prev + GAP),
            None => *y,
        };
        placed.push(y);
    }
    if let Some(last) = placed.last().copied() {
        let excess = last - (bottom + 4.0);
        if excess > 0.0 {
            for y in &mut placed {
                *y -= excess;
            }
        }
        // Pushed up past the top: spread from the top instead.
        if placed.first().is_some_and(|f| *f < top - 6.0) {
            for (i, y) in placed.iter_mut().enumerate() {
                *y = top - 6.0 + GAP * i as f64;
            }
        }
    }
    let chars = chars_in(WIDTH - plot_right - 18.0, NOTE_SIZE);
    for ((y, label, colour), ly) in ends.iter().zip(&placed) {
        let _ = writeln!(
            out,
            "<path d=\"M{:.1},{y:.1} H{:.1} L{:.1},{ly:.1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"/>",
            plot_right,
            plot_right + 4.0,
            plot_right + 9.0,
        );
        text_block(
            out,
            (plot_right + 12.0, ly + 4.0),
            0.0,
            "start",
            " font-size=\"11\" fill=\"#333333\"",
            &[clip_end(&crate::report::table::printable(label), chars)],
            label,
        );
    }
}
