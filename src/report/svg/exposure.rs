//! Duty by outcome: a bar per path and side.

use super::*;

/// Exposure by outcome: one panel per side, one bar per path (and one for
/// the reference), each labelled with the path id, its probability and the
/// duty, with the expected duty marked as a dashed line; under it, the
/// scenario's sources and what it leaves out.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, exposure_svg}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let svg = exposure_svg(&report);
/// assert!(svg.contains("no-deal (30.00%)"));
/// assert!(svg.contains("$126.40B"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn exposure_svg(report: &EvaluationReport) -> String {
    let mut rows: Vec<(String, &crate::report::evaluation::PathReport, bool)> = report
        .paths
        .iter()
        .map(|p| {
            (
                format!(
                    "{} ({})",
                    clip(&p.id, LABEL_CHARS - 10),
                    percent_text(p.probability, 2)
                ),
                p,
                false,
            )
        })
        .collect();
    if !report.reference_is_path() {
        rows.push((
            "as scheduled (reference)".to_string(),
            &report.reference,
            true,
        ));
    }
    let (left, bars_x, bars_w) = (16.0, 300.0, 540.0);
    let (row_h, bar_h) = (22.0, 14.0);
    let panel_h = rows.len() as f64 * row_h;
    let gap = 84.0;
    let top0 = 76.0;
    let foot = footer_lines(report, "", false);
    let foot_top = top0 + report.sides.len() as f64 * (panel_h + gap) - 20.0;
    let height = foot_top + footer_height(&foot.0);

    let mut out = String::new();
    heading(
        &mut out,
        height,
        left,
        &report.scenario.title,
        "duty by outcome",
        &format!(
            "Duty kept (net of refunds) by outcome, {} ({} days), with each path's probability; dashed: the expectation",
            report.window, report.days
        ),
    );
    for (k, side) in report.sides.iter().enumerate() {
        let top = top0 + k as f64 * (panel_h + gap);
        let colour = SIDE_COLOURS
            .get(k)
            .copied()
            .unwrap_or(PALETTE[k % PALETTE.len()]);
        let totals: Vec<Option<Decimal>> = rows
            .iter()
            .map(|(_, p, _)| {
                p.sides
                    .iter()
                    .find(|s| s.importer == side.importer && s.exporter == side.exporter)
                    .map(|s| s.net)
            })
            .collect();
        let max = totals
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(Decimal::ZERO)
            .max(side.expected);
        let (x_top, step) = axis(max, (Decimal::ONE, Decimal::ONE));
        let x_of = |v: Decimal| bars_x + bars_w * share(v, x_top);
        text(
            &mut out,
            left,
            top - 10.0,
            "start",
            " font-size=\"13\" font-weight=\"bold\"",
            &side.title(),
        );
        for t in ticks(x_top, step) {
            let x = x_of(t);
            line(
                &mut out,
                (x, top),
                (x, top + panel_h),
                "stroke=\"#e5e5e5\" stroke-width=\"1\"",
            );
            text(
                &mut out,
                x,
                top + panel_h + 16.0,
                "middle",
                " font-size=\"11\"",
                &money_tick(t, side.currency),
            );
        }
        let x = x_of(side.expected);
        // The expectation's line, broken where it would cross a value label.
        let crosses: Vec<bool> = totals
            .iter()
            .map(|t| {
                t.is_some_and(|t| {
                    let start = x_of(t) + 2.0;
                    let w = text_width(&money_text(t, side.currency), 12.0);
                    start <= x && x <= start + w + 8.0
                })
            })
            .collect();
        let mut from = top - 4.0;
        for (r, cross) in crosses.iter().enumerate() {
            let y = top + r as f64 * row_h;
            if *cross {
                if y > from {
                    line(
                        &mut out,
                        (x, from),
                        (x, y + 2.0),
                        "stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"",
                    );
                }
                from = y + row_h - 2.0;
            }
        }
        if top + panel_h > from {
            line(
                &mut out,
                (x, from),
                (x, top + panel_h),
                "stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"",
            );
        }
        text(
            &mut out,
            x + 4.0,
            top + panel_h + 30.0,
            "start",
            " font-size=\"11\"",
            &format!("expected {}", money_text(side.expected, side.currency)),
        );
        line(
            &mut out,
            (bars_x, top),
            (bars_x, top + panel_h),
            "stroke=\"#333333\"",
        );
        for (r, ((label, _, is_reference), total)) in rows.iter().zip(&totals).enumerate() {
            let y = top + r as f64 * row_h;
            text(&mut out, bars_x - 8.0, y + 15.0, "end", "", label);
            let Some(total) = total else {
                text(
                    &mut out,
                    bars_x + 4.0,
                    y + 15.0,
                    "start",
                    " fill=\"#555555\"",
                    "n/a",
                );
                continue;
            };
            let w = x_of(*total) - bars_x;
            let fill = if *is_reference {
                REFERENCE_COLOUR
            } else {
                colour
            };
            let value = money_text(*total, side.currency);
            let _ = writeln!(
                out,
                "<rect x=\"{bars_x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{bar_h:.1}\" fill=\"{fill}\"><title>{}</title></rect>",
                y + (row_h - bar_h) / 2.0,
                escape(&format!("{label}: {value}"))
            );
            text(&mut out, bars_x + w + 4.0, y + 15.0, "start", HALO, &value);
        }
    }
    footer(&mut out, foot_top, &foot);
    out.push_str("</svg>\n");
    out
}
