//! Text that must fit: wrapped and shortened labels, decision notes placed
//! on free rows, the footer under every chart, and the legend.

use super::*;

/// The estimated advance of `text` in pixels at font size `size`: 0.6 em a
/// character, a little wider than the average sans-serif glyph, so text
/// measured with it fits when drawn.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// How many characters fit in `width` pixels at font size `size` (at least 2).
pub(super) fn chars_in(width: f64, size: f64) -> usize {
    ((width / (size * 0.6)).floor() as usize).max(2)
}

/// At most `n` characters, ending in `…` when cut.
pub(super) fn clip_end(text: &str, n: usize) -> String {
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
pub(super) fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let text = crate::report::table::printable(text);
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
pub(super) fn text_block(
    out: &mut String,
    (x, y): (f64, f64),
    step: f64,
    anchor: &str,
    extra: &str,
    lines: &[String],
    full: &str,
) {
    let shown = lines.join(" ");
    let whole = crate::report::table::printable(full);
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
pub(super) fn footer_lines(
    report: &EvaluationReport,
    extra: &str,
    shows_base: bool,
) -> (Vec<String>, String) {
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
    let note = format!(
        "{}{extra}",
        if shows_base {
            "MFN base rates stacked under the additional layers (ad valorem parts only); the top line is the all-in rate"
        } else if has_base {
            "Additional duties only: the MFN base rates are in the scenario's all-in figures, not in this chart"
        } else {
            "MFN not included: additional duties only"
        }
    );
    lines.extend(wrap(&note, chars_in(WIDTH - 32.0, FOOTER_SIZE), 4));
    (lines, source)
}

pub(super) const FOOTER_SIZE: f64 = 10.0;
pub(super) const FOOTER_STEP: f64 = 13.0;

/// The height the footer takes.
pub(super) fn footer_height(lines: &[String]) -> f64 {
    12.0 + FOOTER_STEP * lines.len() as f64
}

/// Writes the footer from `top`, with a rule above it.
pub(super) fn footer(out: &mut String, top: f64, (lines, source): &(Vec<String>, String)) {
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
pub(super) struct Note {
    pub(super) x: f64,
    pub(super) anchor: &'static str,
    pub(super) lines: Vec<String>,
    pub(super) full: String,
    /// Horizontal extent of the text, with the marker.
    pub(super) span: (f64, f64),
    pub(super) row: usize,
}

pub(super) const NOTE_SIZE: f64 = 11.0;
pub(super) const NOTE_STEP: f64 = 13.0;

/// The decision dates of `report`: notes for those outside the horizon, and
/// one label per date inside it, each fitted inside `[left, right]`
/// (wrapped on two lines, then shortened with `…`; the full text is kept
/// for a tooltip) and placed on the first row where it overlaps neither
/// another label nor another date's marker line.
pub(super) fn decision_notes(
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
pub(super) fn free_row(notes: &[Note], x: f64, span: (f64, f64), rows: usize) -> usize {
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
pub(super) fn note_rows(notes: &[Note]) -> usize {
    notes
        .iter()
        .map(|n| n.row + n.lines.len())
        .max()
        .unwrap_or(0)
}

/// Writes the decision labels from `top` and their marker lines down to
/// `bottom`.
pub(super) fn draw_notes(out: &mut String, notes: &[Note], top: f64, bottom: f64) {
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

/// One entry of a chart's legend: a line or a swatch, and its text.
pub(super) struct Key {
    pub(super) colour: String,
    pub(super) dash: String,
    pub(super) width: f64,
    pub(super) area: bool,
    pub(super) label: String,
}

pub(super) const LEGEND_STEP: f64 = 20.0;

/// Legend entries per row: three, or fewer when a label would not fit.
pub(super) fn legend_per_row(keys: &[Key], left: f64) -> usize {
    let longest = keys
        .iter()
        .map(|k| crate::report::table::printable(&k.label).chars().count())
        .max()
        .unwrap_or(0);
    (1..=3)
        .rev()
        .find(|n| chars_in((WIDTH - 2.0 * left) / *n as f64 - 42.0, 12.0) >= longest)
        .unwrap_or(1)
}

pub(super) fn legend_height(keys: &[Key], left: f64) -> f64 {
    LEGEND_STEP * keys.len().div_ceil(legend_per_row(keys, left)) as f64
}

pub(super) fn legend(out: &mut String, keys: &[Key], left: f64, top: f64) {
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
            &[clip_end(&crate::report::table::printable(&k.label), chars)],
            &k.label,
        );
    }
}
