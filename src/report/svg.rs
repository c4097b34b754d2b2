//! SVG charts, written by hand: the average stacked rate over time under each
//! path, and exposure by outcome. Values are laid out with `f64` pixel
//! coordinates only; every label is written from the exact decimal, and the
//! same report gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::evaluation::{EvaluationReport, PathTimelines, side_title};
use super::figures::{money_text, money_tick, percent_text};
use crate::units::{Date, Month, Party, Window, days_between};

const WIDTH: f64 = 960.0;
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#7f7f7f",
];
const DASHES: [&str; 4] = ["", "7 3", "2 3", "9 3 2 3"];
const SIDE_COLOURS: [&str; 2] = ["#4e79a7", "#e15759"];
const REFERENCE_COLOUR: &str = "#bab0ac";
const LABEL_CHARS: usize = 44;
/// A white outline behind a label, so lines under it do not cross the text.
const HALO: &str = " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"";

/// Text safe inside an SVG element or attribute: markup characters as
/// entities, control characters as visible escapes (XML 1.0 allows none of
/// them, escaped or not).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::table::printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `n` characters, with `...` when cut.
fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(n.saturating_sub(3)).collect();
        t.push_str("...");
        t
    }
}

/// `part / whole` as a pixel fraction, clamped to `0..=1`.
fn share(part: Decimal, whole: Decimal) -> f64 {
    part.checked_div(whole)
        .and_then(|r| f64::try_from(r).ok())
        .map_or(0.0, |f| f.clamp(0.0, 1.0))
}

/// A round top for an axis holding values up to `max`, and its tick step:
/// 1, 2, 2.5 or 5 times a power of ten, about five steps; `fallback` when
/// `max` is not positive.
fn axis(max: Decimal, fallback: (Decimal, Decimal)) -> (Decimal, Decimal) {
    let ten = Decimal::TEN;
    if max <= Decimal::ZERO {
        return fallback;
    }
    let raw = max / Decimal::from(5);
    let mut p = Decimal::ONE;
    for _ in 0..40 {
        match p.checked_mul(ten) {
            Some(next) if next <= raw => p = next,
            _ => break,
        }
    }
    for _ in 0..40 {
        if p <= raw || p.is_zero() {
            break;
        }
        p /= ten;
    }
    if p.is_zero() {
        return fallback;
    }
    let step = [
        Decimal::ONE,
        Decimal::TWO,
        Decimal::new(25, 1),
        Decimal::from(5),
        ten,
    ]
    .into_iter()
    .filter_map(|k| k.checked_mul(p))
    .find(|s| *s >= raw)
    .unwrap_or(p);
    let top = (max / step).ceil().checked_mul(step).unwrap_or(max);
    (top, step)
}

/// The ticks `0, step, …, top`.
fn ticks(top: Decimal, step: Decimal) -> Vec<Decimal> {
    let mut out = vec![Decimal::ZERO];
    let mut v = Decimal::ZERO;
    while out.len() < 50 {
        match v.checked_add(step) {
            Some(n) if n <= top && step > Decimal::ZERO => {
                out.push(n);
                v = n;
            }
            _ => break,
        }
    }
    out
}

/// Decimals a percentage tick needs: none for 5%, one for 2.5%.
fn percent_places(step: Decimal) -> u32 {
    step.checked_mul(Decimal::ONE_HUNDRED)
        .map_or(2, |p| p.normalize().scale().min(2))
}

fn open(out: &mut String, height: f64, title: &str) {
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
}

/// Opens a chart and writes its title (the scenario's) and subtitle.
fn heading(out: &mut String, height: f64, left: f64, title: &str, chart: &str, subtitle: &str) {
    open(out, height, &format!("{title}: {chart}"));
    text(
        out,
        left,
        24.0,
        "start",
        " font-size=\"16\" font-weight=\"bold\"",
        title,
    );
    text(out, left, 42.0, "start", "", subtitle);
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, extra: &str, body: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
        escape(body)
    );
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), style: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" {style}/>"
    );
}

/// The month starts inside `window` to mark on a time axis, with labels:
/// every month, or every 2, 3, 6, 12, ... so that at most 12 show.
fn month_ticks(window: Window) -> Vec<(Date, String)> {
    let mut starts = Vec::new();
    let mut m = Month::of(window.start());
    loop {
        let d = m.first_day();
        if d >= window.end() {
            break;
        }
        if d >= window.start() {
            starts.push(m);
        }
        match m.next_first_day() {
            Some(n) => m = Month::of(n),
            None => break,
        }
    }
    let every: usize = [1, 2, 3, 6, 12, 24, 60, 120, 600]
        .into_iter()
        .find(|k| starts.len().div_ceil(*k) <= 12)
        .unwrap_or(1200);
    let every_months = every as i64;
    starts
        .into_iter()
        .filter(|m| {
            (i64::from(m.year()) * 12 + i64::from(m.month()) - 1).rem_euclid(every_months) == 0
        })
        .map(|m| {
            let label = if every >= 12 {
                m.year().to_string()
            } else {
                m.to_string()
            };
            (m.first_day(), label)
        })
        .collect()
}

/// The trade-weighted average stacked additional rate over time under each
/// path, one panel per side (the first side's importer on top), as step
/// lines: one `<polyline>` per path per side, coloured and dashed by path,
/// with a legend of path ids and probabilities, and the decision points of
/// the tree as dated dashed lines (decisions outside the horizon are named
/// in a note). Weights are the baseline's values; MFN duty is not included.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, path_timelines, timeline_svg}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let svg = timeline_svg(&report, &path_timelines(&scenario)?);
/// assert!(svg.starts_with("<svg"));
/// // 4 paths × 2 sides.
/// assert_eq!(svg.matches("<polyline").count(), 8);
/// assert!(svg.contains("2019-02-24 Truce deadline"));
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
    let (left, right) = (64.0, 24.0);
    let plot_w = WIDTH - left - right;
    let (panel_h, gap) = (220.0, 64.0);
    let total_days = horizon.days().max(1) as f64;
    let x_of = |d: Date| {
        left + plot_w * (days_between(horizon.start(), d) as f64 / total_days).clamp(0.0, 1.0)
    };

    let mut by_date: BTreeMap<Date, Vec<&str>> = BTreeMap::new();
    for d in &report.decisions {
        let labels = by_date.entry(d.date).or_default();
        if !labels.contains(&d.label.as_str()) {
            labels.push(&d.label);
        }
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut inside = Vec::new();
    for (date, labels) in &by_date {
        let t = format!("{date} {}", labels.join("; "));
        if *date < horizon.start() {
            before.push(t);
        } else if *date >= horizon.end() {
            after.push(t);
        } else {
            inside.push((*date, t));
        }
    }
    let notes: Vec<String> = [
        ("Decided before the horizon: ", &before),
        ("Decided after the horizon: ", &after),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(head, v)| format!("{head}{}", v.join("; ")))
    .collect();
    let ann_rows = inside.len().min(3) as f64;
    let ann_top = 56.0 + 16.0 * notes.len() as f64;
    let panels_top = ann_top + 14.0 * ann_rows + 34.0;
    let legend_top = panels_top + sides.len() as f64 * (panel_h + gap) - 16.0;
    let per_row = 3usize;
    let legend_rows = paths.len().div_ceil(per_row) as f64;
    let height = legend_top + 20.0 * legend_rows + 16.0;

    let mut out = String::new();
    heading(
        &mut out,
        height,
        left,
        &report.scenario.title,
        "average additional tariff rate by outcome",
        &format!(
            "Trade-weighted average additional tariff rate by outcome, {horizon}; weights = baseline import values; MFN not included"
        ),
    );
    for (i, n) in notes.iter().enumerate() {
        text(
            &mut out,
            left,
            58.0 + 16.0 * i as f64,
            "start",
            " fill=\"#555555\"",
            n,
        );
    }
    let bottom = panels_top + (sides.len() as f64 - 1.0).max(0.0) * (panel_h + gap) + panel_h;
    for (i, (date, label)) in inside.iter().enumerate() {
        let x = x_of(*date);
        let y = ann_top + 14.0 * (i % 3) as f64 + 10.0;
        let (anchor, tx) = if x > WIDTH - 280.0 {
            ("end", x - 4.0)
        } else {
            ("start", x + 4.0)
        };
        text(
            &mut out,
            tx,
            y,
            anchor,
            " font-size=\"11\" fill=\"#333333\"",
            &clip(label, 60),
        );
        line(
            &mut out,
            (x, y + 3.0),
            (x, bottom),
            "stroke=\"#666666\" stroke-width=\"1\" stroke-dasharray=\"4 3\"",
        );
    }

    for (k, (importer, exporter)) in sides.iter().enumerate() {
        let top = panels_top + k as f64 * (panel_h + gap);
        let max = paths
            .iter()
            .flat_map(|p| &p.sides)
            .filter(|t| &t.importer == importer && &t.exporter == exporter)
            .flat_map(|t| &t.pieces)
            .map(|p| p.total)
            .max()
            .unwrap_or(Decimal::ZERO);
        let (y_top, step) = axis(max, (Decimal::new(1, 1), Decimal::new(2, 2)));
        let y_of = |v: Decimal| top + panel_h * (1.0 - share(v, y_top));
        text(
            &mut out,
            left,
            top - 8.0,
            "start",
            " font-size=\"13\" font-weight=\"bold\"",
            &side_title(importer, exporter),
        );
        let dp = percent_places(step);
        for t in ticks(y_top, step) {
            let y = y_of(t);
            line(
                &mut out,
                (left, y),
                (left + plot_w, y),
                "stroke=\"#e5e5e5\" stroke-width=\"1\"",
            );
            text(
                &mut out,
                left - 6.0,
                y + 4.0,
                "end",
                "",
                &percent_text(t, dp),
            );
        }
        for (d, label) in month_ticks(horizon) {
            let x = x_of(d);
            line(
                &mut out,
                (x, top + panel_h),
                (x, top + panel_h + 4.0),
                "stroke=\"#333333\"",
            );
            text(
                &mut out,
                x,
                top + panel_h + 17.0,
                "middle",
                " font-size=\"11\"",
                &label,
            );
        }
        line(
            &mut out,
            (left, top + panel_h),
            (left + plot_w, top + panel_h),
            "stroke=\"#333333\"",
        );
        line(
            &mut out,
            (left, top),
            (left, top + panel_h),
            "stroke=\"#333333\"",
        );
        for (i, p) in paths.iter().enumerate() {
            let Some(t) = p
                .sides
                .iter()
                .find(|t| &t.importer == importer && &t.exporter == exporter)
            else {
                continue;
            };
            let mut points = Vec::new();
            for (j, piece) in t.pieces.iter().enumerate() {
                let y = y_of(piece.total);
                if j == 0 {
                    points.push((x_of(piece.window.start()), y));
                }
                let x = x_of(piece.window.end());
                points.push((x, y));
                if let Some(next) = t.pieces.get(j + 1) {
                    points.push((x, y_of(next.total)));
                }
            }
            let pts: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect();
            let dash = DASHES[i % DASHES.len()];
            let dash = if dash.is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{dash}\"")
            };
            let _ = writeln!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-opacity=\"0.9\"{dash}><title>{}</title></polyline>",
                pts.join(" "),
                PALETTE[i % PALETTE.len()],
                escape(&format!("{} ({})", p.path, percent_text(p.probability, 2)))
            );
        }
    }

    for (i, p) in paths.iter().enumerate() {
        let x = left + (i % per_row) as f64 * (plot_w / per_row as f64);
        let y = legend_top + 20.0 * (i / per_row) as f64;
        let dash = DASHES[i % DASHES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        line(
            &mut out,
            (x, y - 4.0),
            (x + 28.0, y - 4.0),
            &format!(
                "stroke=\"{}\" stroke-width=\"2\"{dash}",
                PALETTE[i % PALETTE.len()]
            ),
        );
        text(
            &mut out,
            x + 34.0,
            y,
            "start",
            "",
            &format!(
                "{} ({})",
                clip(&p.path, LABEL_CHARS - 10),
                percent_text(p.probability, 2)
            ),
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Exposure by outcome: one panel per side, one bar per path (and one for
/// the reference), each labelled with the path id, its probability and the
/// duty, with the expected duty marked as a dashed line.
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
    let mut rows: Vec<(String, &super::evaluation::PathReport, bool)> = report
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
    let height = top0 + report.sides.len() as f64 * (panel_h + gap) - 20.0;

    let mut out = String::new();
    heading(
        &mut out,
        height,
        left,
        &report.scenario.title,
        "duty by outcome",
        &format!(
            "Duty kept (net of refunds) by outcome over {} ({} days), with each path's probability; dashed: the probability-weighted expectation",
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
        line(
            &mut out,
            (x, top - 4.0),
            (x, top + panel_h),
            "stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"",
        );
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
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn axes_end_on_round_values() {
        // 126.4B / 5 = 25.28B: the first round step at or above it is 50B,
        // and 126.4B rounds up to 150B.
        assert_eq!(
            axis(d("126400000000"), (d("1"), d("1"))),
            (d("150000000000"), d("50000000000"))
        );
        // A 25% rate: step 5%, top 25%.
        assert_eq!(axis(d("0.25"), (d("1"), d("1"))), (d("0.25"), d("0.05")));
        // 18.1%: step 5% (3.62% rounds up to 5%), top 20%.
        assert_eq!(axis(d("0.181"), (d("1"), d("1"))), (d("0.20"), d("0.05")));
        assert_eq!(
            axis(Decimal::ZERO, (d("0.1"), d("0.02"))),
            (d("0.1"), d("0.02"))
        );
    }

    #[test]
    fn labels_are_escaped_and_clipped() {
        assert_eq!(escape("US<-CN & \"x\""), "US&lt;-CN &amp; &quot;x&quot;");
        assert_eq!(escape("a\u{1b}[31m\r\0b"), "a\\u{1b}[31m\\r\\0b");
        assert_eq!(clip("abcdefgh", 6), "abc...");
        assert_eq!(clip("abc", 6), "abc");
    }

    #[test]
    fn month_ticks_thin_out_on_long_horizons() {
        let year: Window = "2019-01-01..2020-01-01".parse().unwrap();
        assert_eq!(month_ticks(year).len(), 12);
        // 2019-01 to 2026-12: 96 months, every 12th shown: one per year.
        let long: Window = "2019-01-01..2027-01-01".parse().unwrap();
        let t = month_ticks(long);
        assert_eq!(t.len(), 8);
        assert_eq!(t[0].1, "2019");
    }
}
