//! SVG charts, written by hand: the average stacked rate over time under each
//! path, and exposure by outcome. Values are laid out with `f64` pixel
//! coordinates only; every label is written from the exact decimal, and the
//! same report gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::evaluation::{EvaluationReport, PathTimelines, side_title};
use super::figures::{money_text, money_tick, percent_text};
use crate::engine::Timeline;
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
    let title = super::table::printable(title);
    text(
        out,
        left,
        24.0,
        "start",
        " font-size=\"16\" font-weight=\"bold\"",
        &clip_end(&title, chars_in(WIDTH - left - 16.0, 16.0)),
    );
    let subtitle = super::table::printable(subtitle);
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

/// The estimated advance of `text` in pixels at font size `size`: 0.6 em a
/// character, a little wider than the average sans-serif glyph, so text
/// measured with it fits when drawn.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// How many characters fit in `width` pixels at font size `size` (at least 2).
fn chars_in(width: f64, size: f64) -> usize {
    ((width / (size * 0.6)).floor() as usize).max(2)
}

/// At most `n` characters, ending in `…` when cut.
fn clip_end(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `text` broken between words into lines of at most `width` characters,
/// at most `max_lines` of them. What does not fit ends in `…`: after the
/// last whole word that fits, or inside a word longer than a whole line.
/// Control characters are shown as escapes first, so the width is the
/// width drawn.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let text = super::table::printable(text);
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    let cut = lines.len() > max_lines.max(1);
    lines.truncate(max_lines.max(1));
    for l in &mut lines {
        *l = clip_end(l, width);
    }
    if cut
        && let Some(last) = lines.last_mut()
        && !last.ends_with('…')
    {
        while last.chars().count() + 1 > width {
            match last.rfind(' ') {
                Some(i) => last.truncate(i),
                None => {
                    *last = clip_end(last, width.saturating_sub(1));
                    break;
                }
            }
        }
        if !last.ends_with('…') {
            last.push('…');
        }
    }
    lines
}

/// Lines of text at `(x, y)`, `step` apart, with the whole text as a
/// tooltip when what is drawn is shorter.
fn text_block(
    out: &mut String,
    (x, y): (f64, f64),
    step: f64,
    anchor: &str,
    extra: &str,
    lines: &[String],
    full: &str,
) {
    let shown = lines.join(" ");
    let whole = super::table::printable(full);
    let titled = shown != whole.split_whitespace().collect::<Vec<_>>().join(" ");
    if titled {
        let _ = writeln!(out, "<g><title>{}</title>", escape(full));
    }
    for (i, l) in lines.iter().enumerate() {
        text(out, x, y + step * i as f64, anchor, extra, l);
    }
    if titled {
        out.push_str("</g>\n");
    }
}

/// The lines under every chart: its sources (or the tool and scenario) and
/// what its amounts leave out.
fn footer_lines(report: &EvaluationReport, extra: &str) -> (Vec<String>, String) {
    let source = if report.scenario.sources.is_empty() {
        format!("Source: tariffsim, scenario {}", report.scenario.id)
    } else {
        format!(
            "Source: {} (tariffsim, scenario {})",
            report.scenario.sources.join("; "),
            report.scenario.id
        )
    };
    let mut lines = wrap(&source, chars_in(WIDTH - 32.0, FOOTER_SIZE), 3);
    let has_base = report
        .reference
        .sides
        .iter()
        .chain(report.paths.iter().flat_map(|p| &p.sides))
        .any(|s| s.mfn.is_some());
    lines.push(format!(
        "{}{extra}",
        if has_base {
            "Additional duties only: the MFN base rates are in the scenario's all-in figures, not in this chart"
        } else {
            "MFN not included: additional duties only"
        }
    ));
    (lines, source)
}

const FOOTER_SIZE: f64 = 10.0;
const FOOTER_STEP: f64 = 13.0;

/// The height the footer takes.
fn footer_height(lines: &[String]) -> f64 {
    12.0 + FOOTER_STEP * lines.len() as f64
}

/// Writes the footer from `top`, with a rule above it.
fn footer(out: &mut String, top: f64, (lines, source): &(Vec<String>, String)) {
    line(
        out,
        (16.0, top),
        (WIDTH - 16.0, top),
        "stroke=\"#cccccc\" stroke-width=\"1\"",
    );
    let (last, sources) = lines
        .split_last()
        .map_or((None, &[][..]), |(l, s)| (Some(l), s));
    text_block(
        out,
        (16.0, top + 14.0),
        FOOTER_STEP,
        "start",
        " font-size=\"10\" fill=\"#555555\"",
        sources,
        source,
    );
    if let Some(note) = last {
        text(
            out,
            16.0,
            top + 14.0 + FOOTER_STEP * sources.len() as f64,
            "start",
            " font-size=\"10\" fill=\"#555555\"",
            note,
        );
    }
}

/// A decision label placed above the plot.
struct Note {
    x: f64,
    anchor: &'static str,
    lines: Vec<String>,
    full: String,
    /// Horizontal extent of the text, with the marker.
    span: (f64, f64),
    row: usize,
}

const NOTE_SIZE: f64 = 11.0;
const NOTE_STEP: f64 = 13.0;

/// The decision dates of `report`: notes for those outside the horizon, and
/// one label per date inside it, each fitted inside `[left, right]`
/// (wrapped on two lines, then shortened with `…`; the full text is kept
/// for a tooltip) and placed on the first row where it overlaps neither
/// another label nor another date's marker line.
fn decision_notes(
    report: &EvaluationReport,
    x_of: &dyn Fn(Date) -> f64,
    (left, right): (f64, f64),
) -> (Vec<String>, Vec<Note>) {
    let horizon = report.window;
    let mut by_date: BTreeMap<Date, Vec<String>> = BTreeMap::new();
    for d in &report.decisions {
        // The date is printed once, in front: not again inside the label.
        let label = d.label.replace(&format!(" ({})", d.date), "");
        let labels = by_date.entry(d.date).or_default();
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    for (date, labels) in &by_date {
        let full = format!("{date} {}", labels.join("; "));
        if *date < horizon.start() {
            before.push(full);
            continue;
        } else if *date >= horizon.end() {
            after.push(full);
            continue;
        }
        let x = x_of(*date);
        let room_right = right - x - 4.0;
        let room_left = x - left - 4.0;
        let start = room_right >= room_left || room_right >= text_width(&full, NOTE_SIZE);
        let room = if start { room_right } else { room_left };
        let lines = wrap(&full, chars_in(room, NOTE_SIZE), 2);
        let w = lines
            .iter()
            .map(|l| text_width(l, NOTE_SIZE))
            .fold(0.0, f64::max);
        let span = if start {
            (x, x + 4.0 + w)
        } else {
            (x - 4.0 - w, x)
        };
        let row = free_row(&notes, x, span, lines.len());
        notes.push(Note {
            x,
            anchor: if start { "start" } else { "end" },
            lines,
            full,
            span,
            row,
        });
    }
    let outside = [
        ("Decided before the horizon: ", &before),
        ("Decided after the horizon: ", &after),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(head, v)| format!("{head}{}", v.join("; ")))
    .collect();
    (outside, notes)
}

/// The first row where a label of `rows` lines spanning `span`, with its
/// marker at `x`, overlaps neither a placed label nor a placed marker line
/// (which runs down from under its label); below every placed label when
/// no row above is free.
fn free_row(notes: &[Note], x: f64, span: (f64, f64), rows: usize) -> usize {
    let clashes = |row: usize, n: &Note| {
        let pad = 6.0;
        let (a0, a1) = (span.0 - pad, span.1 + pad);
        let (b0, b1) = (n.span.0 - pad, n.span.1 + pad);
        let n_end = n.row + n.lines.len();
        let boxes = row < n_end && n.row < row + rows && a0 < b1 && b0 < a1;
        let through_new = row >= n_end && a0 < n.x && n.x < a1;
        let through_old = n.row >= row + rows && b0 < x && x < b1;
        boxes || through_new || through_old
    };
    let below = note_rows(notes);
    (0..below)
        .find(|r| !notes.iter().any(|n| clashes(*r, n)))
        .unwrap_or(below)
}

/// How many rows of labels `notes` take.
fn note_rows(notes: &[Note]) -> usize {
    notes
        .iter()
        .map(|n| n.row + n.lines.len())
        .max()
        .unwrap_or(0)
}

/// Writes the decision labels from `top` and their marker lines down to
/// `bottom`.
fn draw_notes(out: &mut String, notes: &[Note], top: f64, bottom: f64) {
    for n in notes {
        let y = top + NOTE_STEP * n.row as f64;
        line(
            out,
            (n.x, y - 9.0),
            (n.x, bottom),
            "stroke=\"#666666\" stroke-width=\"1\" stroke-dasharray=\"4 3\"",
        );
    }
    for n in notes {
        let y = top + NOTE_STEP * n.row as f64;
        let tx = if n.anchor == "start" {
            n.x + 4.0
        } else {
            n.x - 4.0
        };
        text_block(
            out,
            (tx, y),
            NOTE_STEP,
            n.anchor,
            " font-size=\"11\" fill=\"#333333\"",
            &n.lines,
            &n.full,
        );
    }
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
fn step_points(
    t: &Timeline,
    (from, to): (Date, Date),
    x_of: &dyn Fn(Date) -> f64,
    y_of: &dyn Fn(Decimal) -> f64,
) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    if let Some(prev) = t
        .pieces
        .iter()
        .find(|p| p.window.start() < from && p.window.end() >= from)
    {
        points.push((x_of(from), y_of(prev.total)));
    }
    for p in &t.pieces {
        let (s, e) = (p.window.start().max(from), p.window.end().min(to));
        if s >= e {
            continue;
        }
        let y = y_of(p.total);
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

/// One entry of a chart's legend: a line or a swatch, and its text.
struct Key {
    colour: String,
    dash: String,
    width: f64,
    area: bool,
    label: String,
}

const LEGEND_STEP: f64 = 20.0;

/// Legend entries per row: three, or fewer when a label would not fit.
fn legend_per_row(keys: &[Key], left: f64) -> usize {
    let longest = keys
        .iter()
        .map(|k| super::table::printable(&k.label).chars().count())
        .max()
        .unwrap_or(0);
    (1..=3)
        .rev()
        .find(|n| chars_in((WIDTH - 2.0 * left) / *n as f64 - 42.0, 12.0) >= longest)
        .unwrap_or(1)
}

fn legend_height(keys: &[Key], left: f64) -> f64 {
    LEGEND_STEP * keys.len().div_ceil(legend_per_row(keys, left)) as f64
}

fn legend(out: &mut String, keys: &[Key], left: f64, top: f64) {
    let per_row = legend_per_row(keys, left);
    let col = (WIDTH - 2.0 * left) / per_row as f64;
    let chars = chars_in(col - 42.0, 12.0);
    for (i, k) in keys.iter().enumerate() {
        let x = left + (i % per_row) as f64 * col;
        let y = top + LEGEND_STEP * (i / per_row) as f64;
        if k.area {
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"28\" height=\"10\" fill=\"{}\"/>",
                y - 9.0,
                k.colour
            );
        } else {
            line(
                out,
                (x, y - 4.0),
                (x + 28.0, y - 4.0),
                &format!(
                    "stroke=\"{}\" stroke-width=\"{}\"{}",
                    k.colour,
                    k.width,
                    dash_attr(&k.dash)
                ),
            );
        }
        text_block(
            out,
            (x + 34.0, y),
            0.0,
            "start",
            "",
            &[clip_end(&super::table::printable(&k.label), chars)],
            &k.label,
        );
    }
}

/// The y-axis grid and labels of a rate panel, and its axes and month
/// ticks.
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
///   reference path, it is among [`super::path_timelines`]; for
///   `as-scheduled`, add [`super::reference_timeline`]).
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
        let (y_top, step) = axis(max, (Decimal::new(1, 1), Decimal::new(2, 2)));
        let y_of = |v: Decimal| top + panel_h * (1.0 - share(v, y_top));
        text(
            &mut out,
            left,
            top - 8.0,
            "start",
            " font-size=\"13\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
            &side_title(importer, exporter),
        );
        rate_axes(
            &mut out,
            (left, plot_w, top, panel_h),
            (y_top, step),
            horizon,
            &x_of,
        );
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
            let pts = step_points(first, (horizon.start(), shared_end), &x_of, &y_of);
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
                    step_points(t, (split, horizon.end()), &x_of, &|v| y_of(v) + off);
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
                let pts = step_points(t, (split, horizon.end()), &x_of, &y_of);
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
            &[clip_end(&super::table::printable(label), chars)],
            label,
        );
    }
}

/// Layer colours: the palette from its fourth colour, so the layers do not
/// take the colours the paths have in [`timeline_svg`].
fn layer_colour(i: usize) -> &'static str {
    PALETTE[(i + 3) % PALETTE.len()]
}

/// One path's trade-weighted average additional rate over time, stacked by
/// layer: one panel per side, one filled `<polygon>` per layer that is ever
/// non-zero (a layer's band is its own average rate; the top of the stack
/// is the total), the path's decision dates marked once, a legend of the
/// layers, and the scenario's sources and what it leaves out under it.
/// Weights are the baseline's values; MFN duty is not included. The same
/// input gives the same bytes.
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
    // Every layer that is ever non-zero, in order of first appearance.
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
    let keys: Vec<Key> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| Key {
            colour: layer_colour(i).into(),
            dash: String::new(),
            width: 0.0,
            area: true,
            label: (*l).to_string(),
        })
        .chain([Key {
            colour: SHARED_COLOUR.into(),
            dash: String::new(),
            width: 1.5,
            area: false,
            label: "total".into(),
        }])
        .collect();
    let legend_top = bottom + 44.0;
    let foot = footer_lines(report, ". Weights: baseline import values.");
    let foot_top = legend_top + legend_height(&keys, left) + 2.0;
    let height = foot_top + footer_height(&foot.0);

    let mut out = String::new();
    heading(
        &mut out,
        height,
        left,
        &report.scenario.title,
        &format!(
            "average additional tariff rate by layer, path {}",
            path.path
        ),
        &format!(
            "Trade-weighted average additional tariff rate by layer, path {} ({}), {horizon}",
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
            .chain(t.pieces.iter().map(|p| p.total))
            .max()
            .unwrap_or(Decimal::ZERO);
        let (y_top, step) = axis(max, (Decimal::new(1, 1), Decimal::new(2, 2)));
        let y_of = |v: Decimal| top + panel_h * (1.0 - share(v, y_top));
        text(
            &mut out,
            left,
            top - 8.0,
            "start",
            " font-size=\"13\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
            &side_title(&t.importer, &t.exporter),
        );
        rate_axes(
            &mut out,
            (left, plot_w, top, panel_h),
            (y_top, step),
            horizon,
            &x_of,
        );
        for (j, l) in layers.iter().enumerate() {
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
                layer_colour(j),
                escape(l)
            );
        }
        let pts = step_points(t, (horizon.start(), horizon.end()), &x_of, &y_of);
        polyline(
            &mut out,
            &pts,
            &format!("stroke=\"{SHARED_COLOUR}\" stroke-width=\"1.5\""),
            &format!("total, {}", path.path),
        );
    }
    draw_notes(&mut out, &notes, ann_top + 10.0, bottom);
    legend(&mut out, &keys, left, legend_top);
    footer(&mut out, foot_top, &foot);
    out.push_str("</svg>\n");
    out
}

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
    let foot = footer_lines(report, "");
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
