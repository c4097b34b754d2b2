//! SVG charts, written by hand: the average stacked rate over time under each
//! path, and exposure by outcome. Values are laid out with `f64` pixel
//! coordinates only; every label is written from the exact decimal, and the
//! same report gives the same bytes.
//!
//! This module holds what every chart draws with (escaping, axes, lines,
//! month ticks); `labels` lays out text that must fit (wrapped decision
//! notes, the footer, the legend); `timeline`, `layers` and `exposure` are
//! the three charts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

mod exposure;
mod labels;
mod layers;
mod timeline;

pub use exposure::exposure_svg;
pub use layers::layers_svg;
pub use timeline::timeline_svg;

use labels::*;

use super::evaluation::{EvaluationReport, PathTimelines, base_note, side_title};
use super::figures::{money_text, money_tick, percent_text};
use crate::engine::{Timeline, TimelinePiece};
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
const HALO: &str =
    " stroke=\"#ffffff\" stroke-width=\"5\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// Text safe inside an SVG element or attribute: markup characters as
/// entities, control characters as visible escapes (XML 1.0 allows none of
/// them, escaped or not).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::report::table::printable(text).chars() {
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
    let title = crate::report::table::printable(title);
    text(
        out,
        left,
        24.0,
        "start",
        " font-size=\"16\" font-weight=\"bold\"",
        &clip_end(&title, chars_in(WIDTH - left - 16.0, 16.0)),
    );
    let subtitle = crate::report::table::printable(subtitle);
    text(
        out,
        left,
        42.0,
        "start",
        "",
        &clip_end(&subtitle, chars_in(WIDTH - left - 16.0, 12.0)),
    );
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

/// The first date inside `window` on which the timelines do not all give
/// the same total; `None` when they agree throughout.
fn first_difference(timelines: &[&Timeline], window: Window) -> Option<Date> {
    let mut dates: Vec<Date> = timelines
        .iter()
        .flat_map(|t| t.pieces.iter().map(|p| p.window.start()))
        .chain([window.start()])
        .filter(|d| window.contains(*d))
        .collect();
    dates.sort();
    dates.dedup();
    dates.into_iter().find(|d| {
        let first = timelines.first().and_then(|t| t.on(*d)).map(|p| p.total);
        timelines.iter().any(|t| t.on(*d).map(|p| p.total) != first)
    })
}

/// The step line of `t` over `[from, to)`, starting at `from` from the
/// value just before it, as `x,y` pixels.
/// A piece's additional rate, the line most charts draw.
const TOTAL: fn(&TimelinePiece) -> Decimal = |p| p.total;

fn step_points(
    t: &Timeline,
    (from, to): (Date, Date),
    x_of: &dyn Fn(Date) -> f64,
    y_of: &dyn Fn(Decimal) -> f64,
    rate: fn(&TimelinePiece) -> Decimal,
) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    if let Some(prev) = t
        .pieces
        .iter()
        .find(|p| p.window.start() < from && p.window.end() >= from)
    {
        points.push((x_of(from), y_of(rate(prev))));
    }
    for p in &t.pieces {
        let (s, e) = (p.window.start().max(from), p.window.end().min(to));
        if s >= e {
            continue;
        }
        let y = y_of(rate(p));
        points.push((x_of(s), y));
        points.push((x_of(e), y));
    }
    points
}

fn polyline(out: &mut String, points: &[(f64, f64)], style: &str, title: &str) {
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" {style}><title>{}</title></polyline>",
        pts.join(" "),
        escape(title)
    );
}

fn dash_attr(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

const SHARED_COLOUR: &str = "#404040";
const REFERENCE_LINE: &str = "#111111";
const REFERENCE_DASH: &str = "6 4";

/// The y-axis grid and labels of a rate panel, and its axes and month
/// ticks.
/// A rate panel: its title above, its axes scaled to `max` (rounded up to
/// a round value), grid and month ticks; returns the rate at its top.
fn rate_panel(
    out: &mut String,
    frame: (f64, f64, f64, f64),
    title: &str,
    max: Decimal,
    horizon: Window,
    x_of: &dyn Fn(Date) -> f64,
) -> Decimal {
    let (y_top, step) = axis(max, (Decimal::new(1, 1), Decimal::new(2, 2)));
    text(
        out,
        frame.0,
        frame.2 - 8.0,
        "start",
        " font-size=\"13\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
        title,
    );
    rate_axes(out, frame, (y_top, step), horizon, x_of);
    y_top
}

fn rate_axes(
    out: &mut String,
    (left, plot_w, top, panel_h): (f64, f64, f64, f64),
    (y_top, step): (Decimal, Decimal),
    horizon: Window,
    x_of: &dyn Fn(Date) -> f64,
) {
    let y_of = |v: Decimal| top + panel_h * (1.0 - share(v, y_top));
    let dp = percent_places(step);
    for t in ticks(y_top, step) {
        let y = y_of(t);
        line(
            out,
            (left, y),
            (left + plot_w, y),
            "stroke=\"#e5e5e5\" stroke-width=\"1\"",
        );
        text(out, left - 6.0, y + 4.0, "end", "", &percent_text(t, dp));
    }
    for (d, label) in month_ticks(horizon) {
        let x = x_of(d);
        line(
            out,
            (x, top + panel_h),
            (x, top + panel_h + 4.0),
            "stroke=\"#333333\"",
        );
        text(
            out,
            x,
            top + panel_h + 17.0,
            "middle",
            " font-size=\"11\"",
            &label,
        );
    }
    line(
        out,
        (left, top + panel_h),
        (left + plot_w, top + panel_h),
        "stroke=\"#333333\"",
    );
    line(
        out,
        (left, top),
        (left, top + panel_h),
        "stroke=\"#333333\"",
    );
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
    fn labels_wrap_between_words_and_shorten_with_an_ellipsis() {
        assert_eq!(wrap("a bb ccc", 20, 2), vec!["a bb ccc"]);
        assert_eq!(wrap("aaa bbb ccc ddd", 7, 2), vec!["aaa bbb", "ccc ddd"]);
        // Too many lines: the last ends after a whole word, then `…`.
        assert_eq!(wrap("aaa bbb ccc ddd eee", 7, 2), vec!["aaa bbb", "ccc…"]);
        // A word longer than a line is cut inside, with `…`.
        assert_eq!(wrap("abcdefghijkl", 5, 2), vec!["abcd…"]);
        assert_eq!(wrap("x abcdefghijkl y z", 5, 2), vec!["x", "abcd…"]);
        // Control characters are measured as the escapes drawn.
        assert_eq!(wrap("a\u{1b}b", 20, 1), vec!["a\\u{1b}b"]);
        assert_eq!(clip_end("abcdef", 4), "abc…");
    }

    #[test]
    fn decision_labels_take_the_first_free_row_and_always_find_one() {
        let note = |x: f64, span: (f64, f64), row: usize| Note {
            x,
            anchor: "end",
            lines: vec!["label".into()],
            full: "label".into(),
            span,
            row,
        };
        // Apart: the same row.
        assert_eq!(
            free_row(&[note(100.0, (100.0, 200.0), 0)], 300.0, (300.0, 400.0), 1),
            0
        );
        // Overlapping: the next row.
        assert_eq!(
            free_row(&[note(100.0, (100.0, 200.0), 0)], 150.0, (150.0, 250.0), 1),
            1
        );
        // Crossing a marker at every row above: below them all.
        let placed = [
            note(800.0, (500.0, 800.0), 0),
            note(700.0, (400.0, 700.0), 1),
        ];
        assert_eq!(free_row(&placed, 850.0, (550.0, 850.0), 2), 2);
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
