//! Text tables: what an evaluation says, for people, in aligned columns.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::rc::Rc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::evaluation::{EvaluationReport, PathReport, SideReport};
use super::figures::{change_text, money_text, percent_text};
use crate::units::Currency;

/// How a column lines up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// A cell's text: borrowed from the report, written for the cell, or
/// shared by every cell that shows one amount.
enum Cell<'a> {
    Borrowed(&'a str),
    Owned(String),
    Shared(Rc<str>),
}

impl AsRef<str> for Cell<'_> {
    fn as_ref(&self) -> &str {
        match self {
            Cell::Borrowed(text) => text,
            Cell::Owned(text) => text,
            Cell::Shared(text) => text,
        }
    }
}

/// Columns of text, padded to the widest cell, with an optional row of
/// group headings above the column headings.
struct Columns<'a> {
    groups: Vec<(usize, String)>,
    header: Vec<Cell<'a>>,
    align: Vec<Align>,
    rows: Vec<Vec<Cell<'a>>>,
}

impl<'a> Columns<'a> {
    fn new(header: &[impl AsRef<str>], align: &[Align]) -> Columns<'a> {
        let header = header.iter().map(|h| Cell::Owned(h.as_ref().to_string()));
        Columns::headed(header.collect(), align)
    }

    /// [`Columns::new`] with headings borrowed, not copied: for the tables
    /// made once per path.
    fn borrowing(header: &[&'a str], align: &[Align]) -> Columns<'a> {
        Columns::headed(header.iter().map(|h| Cell::Borrowed(h)).collect(), align)
    }

    /// Columns under `header`, lined up as `align`, with no row yet.
    fn headed(header: Vec<Cell<'a>>, align: &[Align]) -> Columns<'a> {
        Columns {
            groups: Vec::new(),
            header,
            align: align.to_vec(),
            rows: Vec::new(),
        }
    }

    /// A heading over the next `span` columns (after those already grouped).
    fn group(&mut self, span: usize, title: String) {
        self.groups.push((span, title));
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.into_iter().map(Cell::Owned).collect());
    }

    /// A row of cells some of which are borrowed (ids and names) or shared
    /// (amounts).
    fn cells(&mut self, cells: Vec<Cell<'a>>) {
        self.rows.push(cells);
    }

    fn write(&self, out: &mut String, indent: &str) {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h.as_ref())).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(width(c.as_ref()));
            }
        }
        // Widen the last column of a group whose heading is wider than it.
        let mut at = 0;
        for (span, title) in &self.groups {
            let cols = at..(at + span).min(n);
            if cols.is_empty() {
                break;
            }
            let width: usize = widths[cols.clone()].iter().sum::<usize>() + 2 * (cols.len() - 1);
            let need = title.chars().count();
            if need > width {
                widths[cols.end - 1] += need - width;
            }
            at = cols.end;
        }
        // Each line written in place, then its trailing blanks cut.
        let spaces = |out: &mut String, mut n: usize| {
            const BLANKS: &str = "                                ";
            while n > 0 {
                let k = n.min(BLANKS.len());
                out.push_str(&BLANKS[..k]);
                n -= k;
            }
        };
        let line = |cells: &[Cell], out: &mut String| {
            let start = out.len();
            out.push_str(indent);
            for (i, w) in widths.iter().enumerate() {
                let c = cells.get(i).map_or("", |c| c.as_ref());
                let pad = w.saturating_sub(width(c));
                if i > 0 {
                    out.push_str("  ");
                }
                if self.align.get(i) == Some(&Align::Right) {
                    spaces(out, pad);
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    spaces(out, pad);
                }
            }
            let kept = out[start..].trim_end().len();
            out.truncate(start + kept);
            out.push('\n');
        };
        if !self.groups.is_empty() {
            let mut text = String::from(indent);
            let mut at = 0;
            for (span, title) in &self.groups {
                let end = (at + span).min(n);
                let start_col: usize = widths[..at].iter().sum::<usize>() + 2 * at;
                let pad = start_col.saturating_sub(text.chars().count() - indent.chars().count());
                text.push_str(&" ".repeat(pad));
                text.push_str(title);
                at = end;
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        line(&self.header, out);
        for r in &self.rows {
            line(r, out);
        }
    }
}

/// The characters of `text`, as a column counts them: its length when it
/// is ASCII (most cells: figures and ids), checked a word at a time.
fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

fn rate_text(rate: Option<Decimal>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| percent_text(r, 2))
}

/// The reference as a heading word: `as scheduled` or the path id.
fn reference_name(report: &EvaluationReport) -> String {
    if report.reference_is_path() {
        report.reference.id.clone()
    } else {
        "as scheduled".to_string()
    }
}

/// [`money_text`] for the measure rows of every path, each distinct amount
/// written once: the paths of a tree repeat the amounts of the measures they
/// do not change.
#[derive(Default)]
struct MoneyTexts {
    seen: FxHashMap<([u8; 16], Currency), Rc<str>>,
}

impl MoneyTexts {
    /// The most texts remembered: past these, amounts are written anew.
    const REMEMBERED: usize = 1 << 12;

    fn text(&mut self, amount: Decimal, c: Currency) -> Rc<str> {
        let key = (amount.serialize(), c);
        if let Some(text) = self.seen.get(&key) {
            return Rc::clone(text);
        }
        let text: Rc<str> = Rc::from(money_text(amount, c));
        if self.seen.len() < Self::REMEMBERED {
            self.seen.insert(key, Rc::clone(&text));
        }
        text
    }
}

/// A measure's amount, "not valued" when there is none, or marked as a part
/// when it is a lower bound.
fn measure_money(
    texts: &mut MoneyTexts,
    valuation: &str,
    amount: Option<Decimal>,
    c: Currency,
) -> Cell<'static> {
    match amount {
        None => Cell::Borrowed("not valued"),
        Some(a) if valuation == "partly-valued" => {
            Cell::Owned(format!("{} (part)", texts.text(a, c)))
        }
        Some(a) => Cell::Shared(texts.text(a, c)),
    }
}

/// The table of an evaluation, for people.
///
/// In order: the scenario's title, id, window (with its days) and stated
/// assumptions; one row per path with its probability and, per side, the
/// duty kept (net of refunds), the same per 365 days, the effective rate
/// and the change against the reference (and refundable and gross duty when
/// a path voids an authority); each path's duty by measure (net, gross,
/// refundable, and what was collected before the window and is owed back),
/// retaliation answers (requested against covered value, after the
/// import-base cap), voided measures and commitments; then, per side, the
/// expected duty and the distribution over paths (min, P10, median, P90,
/// max) of net duty, the expected gross and refundable duty, and the
/// expected duty by measure; last, what could not be valued and why. A
/// measure that could not be valued reads "not valued", never $0.00.
///
/// When the scenario has base rates (MFN), the duty kept reads "Additional
/// net" and three columns follow it per side: MFN, All-in (additional net
/// plus MFN) and the all-in rate, marked `+` when some lines' MFN is valued
/// only on its ad valorem part or not at all (the lines and their value are
/// listed under the table). Without base rates the table is unchanged.
///
/// Amounts are rounded once, for display, half away from zero, to two
/// decimals of the unit shown (`$57.57B` is $57,568,493,150.68 in billions);
/// percentages to two decimals. The exact figures are in the CSV and JSON.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, text_table}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let table = text_table(&report);
/// // The no-deal path: 12.5 + 50 + 255.6 × 25% = $126.4B of US duty in 2019.
/// assert!(table.lines().any(|l| l.starts_with("no-deal") && l.contains("$126.40B")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn text_table(report: &EvaluationReport) -> String {
    // Labels can come from any file or caller: no control character reaches
    // a terminal raw.
    printable_owned(table_text(report))
}

/// [`printable`] of a text owned already: the same text, unless it has a
/// control character to escape.
pub(crate) fn printable_owned(text: String) -> String {
    let escaped = match printable(&text) {
        Cow::Owned(escaped) => Some(escaped),
        Cow::Borrowed(_) => None,
    };
    escaped.unwrap_or(text)
}

/// Text with every control character but line breaks and tabs written as a
/// visible escape (`\u{1b}`, `\r`), so it cannot move a terminal's cursor,
/// change its colours, or make an XML document ill-formed. Used by every
/// text and SVG report.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    // Control characters are U+0000 to U+001F and U+007F to U+009F: in
    // UTF-8 a byte below 0x20, 0x7F, or 0xC2 followed by 0x80 to 0x9F. Text
    // with none of those bytes (0xC2 also begins U+00A0 to U+00BF) is
    // printable as it is, without decoding a character.
    let suspect = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F || b == 0xC2;
    // Looked at 64 bytes at a time, each block whole: a loop with no early
    // exit, which the compiler turns into vector compares.
    let any_suspect = text
        .as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |seen, b| seen | suspect(*b)));
    if !any_suspect
        || !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The headline of an evaluation, for people: what [`text_table`] shows
/// without the per-measure breakdown.
///
/// In order: the scenario's title, id and window (with its days); one row
/// per path with its probability and, per side, the duty kept (net of
/// refunds), the same per year (actual/actual), the effective rate and the change
/// against the reference (and refundable and gross duty when a path voids
/// an authority); per side, the expected duty and the distribution over
/// paths; then a key of the path ids (each branch's label), the stated
/// assumptions, the sources, and how many measures could not be valued.
/// Amounts are rounded for display as in [`text_table`]; MFN duty is in no
/// figure unless the scenario has base rates, and then it is labelled.
///
/// ```
/// use tariffsim::{Detail, report::{EvaluationReport, text_summary}};
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
/// let summary = text_summary(&report);
/// assert!(summary.lines().any(|l| l.starts_with("no-deal") && l.contains("$126.40B")));
/// // No per-measure breakdown.
/// assert!(!summary.contains("Expected duty by measure"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn text_summary(report: &EvaluationReport) -> String {
    printable_owned(summary_text(report))
}

/// The title, the window and what the window covers.
fn heading(out: &mut String, report: &EvaluationReport) {
    let s = &report.scenario;
    let _ = writeln!(out, "{}", s.title);
    let _ = writeln!(
        out,
        "scenario {}, window {} ({} days{})",
        s.id,
        report.window,
        report.days,
        if report.window == report.horizon {
            String::new()
        } else {
            format!("; the scenario's horizon is {}", report.horizon)
        }
    );
}

/// With base rates, what additional, MFN and all-in mean, and what MFN
/// could not value.
fn mfn_notes(out: &mut String, report: &EvaluationReport) {
    if !has_mfn(report) {
        return;
    }
    out.push_str(
        "  Additional net = the measures' duty kept (net of refunds); MFN = the base rate's duty, \
         the same on every path; All-in = additional net + MFN.\n",
    );
    for s in &report.reference.sides {
        let Some(b) = &s.mfn else { continue };
        for c in b.caveats(s.currency) {
            let _ = writeln!(out, "  + {}: {c}", s.title());
        }
    }
}

/// Whether some side of some path (or the reference) is not complete.
fn any_incomplete(report: &EvaluationReport) -> bool {
    report
        .paths
        .iter()
        .chain([&report.reference])
        .flat_map(|p| &p.sides)
        .any(|s| !s.complete)
}

fn summary_text(report: &EvaluationReport) -> String {
    let mut out = String::new();
    heading(&mut out, report);
    let reference = reference_name(report);
    let _ = writeln!(
        out,
        "\nDuty kept by outcome over the {} days (net of refunds; change against {reference})",
        report.days
    );
    outcome_columns(report, &reference).write(&mut out, "");
    if any_incomplete(report) {
        out.push_str(
            "  * not complete: some measures could not be valued (see \"Not valued\" below)\n",
        );
    }
    mfn_notes(&mut out, report);
    across_outcomes(&mut out, report, &reference);

    out.push_str("\nKey\n");
    let width = report
        .paths
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(0);
    for p in &report.paths {
        let _ = writeln!(out, "  {:<width$}  {}", p.id, p.labels.join("; then "));
    }
    if !report.reference_is_path() {
        let _ = writeln!(
            out,
            "  {:<width$}  the reference: every measure as scheduled, no outcome applied",
            report.reference.id
        );
    }
    let s = &report.scenario;
    if !s.assumptions.is_empty() {
        out.push_str("\nAssumptions\n");
        for a in &s.assumptions {
            let _ = writeln!(out, "  - {a}");
        }
    }
    if !s.sources.is_empty() {
        out.push_str("\nSources\n");
        for source in &s.sources {
            let _ = writeln!(out, "  - {source}");
        }
    }
    if !report.diagnostics.is_empty() {
        let mut measures: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.measure.as_str())
            .collect();
        measures.sort_unstable();
        measures.dedup();
        let _ = writeln!(
            out,
            "\nNot valued: {} measure(s) the baseline cannot value are left out of the figures, never counted as zero: {}",
            measures.len(),
            measures.join(", ")
        );
    }
    out.push_str(if has_mfn(report) {
        "\nAdditional duty, MFN and all-in as labelled above."
    } else {
        "\nAdditional duty only: MFN duty is not included."
    });
    out.push_str(
        " Amounts are rounded for display only, half away from zero, to two decimals of the unit \
         shown (B = billion, M = million); the JSON report carries the exact figures. Net = gross \
         duty less what is refundable; \"per year\" = net / years covered, actual/actual (a day \
         is 1/365 or 1/366 of its year); \"owed from before\" = duty collected before the window \
         under an authority voided since, owed back too.\n",
    );
    out
}

/// Expected duty and the distribution over paths, per side.
fn across_outcomes(out: &mut String, report: &EvaluationReport, reference: &str) {
    out.push_str("\nAcross outcomes (probability-weighted net duty; percentiles are path figures, never interpolated)\n");
    let mut across = Columns::new(
        &[
            "Side",
            "Expected",
            "Eff. rate",
            &format!("vs {reference}"),
            "Min",
            "P10",
            "Median",
            "P90",
            "Max",
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    for side in &report.sides {
        let c = side.currency;
        if side.nothing_valued {
            let mut row = vec![side.title()];
            row.extend((0..8).map(|_| "not valued".to_string()));
            across.row(row);
            continue;
        }
        // A lower bound on some path makes every figure here one too.
        let mark = if side.complete { "" } else { "*" };
        let money = |a: Decimal| format!("{}{mark}", money_text(a, c));
        across.row(vec![
            side.title(),
            money(side.expected),
            rate_text(side.expected_effective_rate),
            change_text(side.expected_change, c),
            money(side.net.min),
            money(side.net.p10),
            money(side.net.median),
            money(side.net.p90),
            money(side.net.max),
        ]);
    }
    across.write(out, "");
    for side in &report.sides {
        if let (Some(mfn), Some(all_in)) = (side.mfn, side.expected_all_in) {
            let _ = writeln!(
                out,
                "  {}: expected all-in {} = expected additional net {} + MFN {}",
                side.title(),
                money_text(all_in, side.currency),
                money_text(side.expected, side.currency),
                money_text(mfn, side.currency)
            );
        }
    }
    for side in report
        .sides
        .iter()
        .filter(|s| !s.expected_refundable.is_zero())
    {
        let _ = writeln!(
            out,
            "  {}: expected gross {} less expected refundable {}",
            side.title(),
            money_text(side.expected_gross, side.currency),
            money_text(side.expected_refundable, side.currency)
        );
    }
}

fn table_text(report: &EvaluationReport) -> String {
    let mut out = String::new();
    heading(&mut out, report);
    let s = &report.scenario;
    if !s.description.is_empty() {
        let _ = writeln!(out, "{}", s.description);
    }
    if !s.assumptions.is_empty() {
        out.push_str("\nAssumptions\n");
        for a in &s.assumptions {
            let _ = writeln!(out, "  - {a}");
        }
    }

    let reference = reference_name(report);
    let _ = writeln!(
        out,
        "\nDuty kept by outcome over the {} days (net of refunds; change against {reference})",
        report.days
    );
    outcome_columns(report, &reference).write(&mut out, "");
    if any_incomplete(report) {
        out.push_str("  * not complete: some measures could not be valued (listed under \"Not valued\" below)\n");
    }
    mfn_notes(&mut out, report);

    out.push_str("\nOutcomes\n");
    let mut texts = MoneyTexts::default();
    for p in &report.paths {
        path_detail(&mut out, p, true, &mut texts);
    }
    if !report.reference_is_path() {
        path_detail(&mut out, &report.reference, false, &mut texts);
    }

    across_outcomes(&mut out, report, &reference);

    out.push_str("\nExpected duty by measure\n");
    for side in &report.sides {
        let _ = writeln!(out, "  {}", side.title());
        let mut by_measure = Columns::new(
            &["Measure", "Net", "Gross"],
            &[Align::Left, Align::Right, Align::Right],
        );
        for m in &side.expected_by_measure {
            let mut amount =
                |a: Option<Decimal>| measure_money(&mut texts, &m.valuation, a, side.currency);
            by_measure.cells(vec![
                Cell::Owned(m.measure.to_string()),
                amount(m.net),
                amount(m.gross),
            ]);
        }
        by_measure.write(&mut out, "    ");
    }

    if !report.diagnostics.is_empty() {
        out.push_str("\nNot valued (shown as \"not valued\", never as zero)\n");
        for d in &report.diagnostics {
            let _ = writeln!(out, "  - {}", d.message);
        }
    }

    out.push_str(
        "\nAmounts are rounded for display only, half away from zero, to two decimals of the unit \
         shown (B = billion, M = million); the CSV and JSON reports carry the exact figures. \
         Net = gross duty less what is refundable; \"per year\" = net / years covered, actual/actual (a day is 1/365 or 1/366 of its year); \
         \"owed from before\" = duty collected before the window under an authority voided \
         since, owed back too and not part of the window's gross.\n",
    );
    out
}

/// Whether any side has base (MFN) rates.
fn has_mfn(report: &EvaluationReport) -> bool {
    report.reference.sides.iter().any(|s| s.mfn.is_some())
}

/// One row per path (and the reference), a group of columns per side.
fn outcome_columns(report: &EvaluationReport, reference: &str) -> Columns<'static> {
    let refunds = report.voids_any();
    let change = format!("vs {reference}");
    // With base rates the additional duty is labelled as such, and MFN and
    // the all-in figure follow; without them the table is as it always was.
    let mfn = has_mfn(report);
    let first = if mfn { "Additional net" } else { "Net duty" };
    let mut per_side = vec![first, "Per year", "Eff. rate", change.as_str()];
    if mfn {
        per_side.extend(["MFN", "All-in", "All-in rate"]);
    }
    if refunds {
        per_side.push("Refundable");
        per_side.push("Gross");
    }
    // Collections before the window owed back: not part of the window's
    // gross, so a column of their own when any path has them.
    let before = report
        .paths
        .iter()
        .flat_map(|p| &p.sides)
        .any(|s| !s.refundable_before.is_zero());
    if before {
        per_side.push("Owed from before");
    }
    let sides: Vec<&SideReport> = report.reference.sides.iter().collect();
    let mut header = vec!["Outcome", "Probability"];
    let mut align = vec![Align::Left, Align::Right];
    for _ in &sides {
        header.extend_from_slice(&per_side);
        align.extend(per_side.iter().map(|_| Align::Right));
    }
    let mut cols = Columns::new(&header, &align);
    cols.group(2, String::new());
    for s in &sides {
        cols.group(per_side.len(), s.title());
    }
    let mut add = |p: &PathReport, probability: String, is_reference: bool| {
        let mut row = vec![p.id.clone(), probability];
        for (k, rs) in sides.iter().enumerate() {
            let same = |s: &&SideReport| s.importer == rs.importer && s.exporter == rs.exporter;
            // Every path lists its sides in baseline order, as the reference
            // does: the k-th side is the one, unless a path lacks a side.
            match p
                .sides
                .get(k)
                .filter(same)
                .or_else(|| p.sides.iter().find(same))
            {
                Some(s) if s.nothing_valued() => {
                    row.extend(per_side.iter().map(|_| "not valued".to_string()));
                }
                Some(s) => {
                    let mark = if s.complete { "" } else { "*" };
                    row.push(format!("{}{mark}", money_text(s.net, s.currency)));
                    row.push(money_text(s.net_per_year, s.currency));
                    row.push(rate_text(s.effective_rate));
                    row.push(if is_reference {
                        "-".to_string()
                    } else {
                        change_text(s.change, s.currency)
                    });
                    if mfn {
                        match (&s.mfn, s.all_in) {
                            (Some(b), Some(all_in)) => {
                                let mark = if b.partly_valued_lines + b.missing_lines > 0 {
                                    "+"
                                } else {
                                    ""
                                };
                                row.push(format!("{}{mark}", money_text(b.duty, s.currency)));
                                row.push(format!("{}{mark}", money_text(all_in, s.currency)));
                                row.push(rate_text(s.all_in_rate));
                            }
                            _ => row.extend(["n/a", "n/a", "n/a"].map(String::from)),
                        }
                    }
                    if refunds {
                        row.push(money_text(s.refundable, s.currency));
                        row.push(money_text(s.gross, s.currency));
                    }
                    if before {
                        row.push(money_text(s.refundable_before, s.currency));
                    }
                }
                None => row.extend(per_side.iter().map(|_| "n/a".to_string())),
            }
        }
        cols.row(row);
    };
    for p in &report.paths {
        add(
            p,
            percent_text(p.probability, 2),
            p.id == report.reference.id,
        );
    }
    if !report.reference_is_path() {
        add(&report.reference, "reference".to_string(), true);
    }
    cols
}

/// One path's block: labels, duty by measure per side, answers, voided
/// measures, commitments. `is_path` is false for the reference when it is
/// not one of the paths (its probability then reads "reference").
fn path_detail(out: &mut String, p: &PathReport, is_path: bool, texts: &mut MoneyTexts) {
    let probability = if is_path {
        percent_text(p.probability, 2)
    } else {
        "reference".to_string()
    };
    let kinds: Vec<&str> = p.kinds.iter().map(|k| k.name()).collect();
    let _ = writeln!(out, "\n{} ({probability}; {})", p.id, kinds.join(", "));
    for l in p.labels.iter().filter(|l| !l.is_empty()) {
        let _ = writeln!(out, "  > {l}");
    }
    for s in &p.sides {
        if s.nothing_valued() {
            let _ = writeln!(
                out,
                "  {}: not valued on {} of imports (no measure could be valued)",
                s.title(),
                money_text(s.import_value, s.currency),
            );
            continue;
        }
        let _ = writeln!(
            out,
            "  {}: {} kept on {} of imports ({}){}",
            s.title(),
            money_text(s.net, s.currency),
            money_text(s.import_value, s.currency),
            rate_text(s.effective_rate),
            if s.complete { "" } else { "; not complete" }
        );
        if let (Some(b), Some(all_in)) = (&s.mfn, s.all_in) {
            let _ = writeln!(
                out,
                "    additional {} + MFN {} = all-in {} ({})",
                money_text(s.net, s.currency),
                money_text(b.duty, s.currency),
                money_text(all_in, s.currency),
                rate_text(s.all_in_rate)
            );
        }
        if s.measures.is_empty() {
            continue;
        }
        let refunds = !p.voided.is_empty();
        let before = s
            .measures
            .iter()
            .any(|m| m.refundable_before.is_some_and(|b| !b.is_zero()));
        let interest = s.measures.iter().any(|m| m.refund_interest.is_some());
        let mut header = vec!["Measure", "Authority", "Layer", "Net"];
        if refunds {
            header.extend(["Gross", "Refundable"]);
        }
        if before {
            header.push("Owed back from before");
        }
        if interest {
            header.push("Refund interest");
        }
        let mut align = vec![Align::Left, Align::Left, Align::Left];
        align.extend(header[3..].iter().map(|_| Align::Right));
        let mut cols = Columns::borrowing(&header, &align);
        for m in &s.measures {
            let mut money = |a: Option<Decimal>| measure_money(texts, &m.valuation, a, s.currency);
            let mut row = vec![
                Cell::Borrowed(m.id.as_str()),
                Cell::Borrowed(m.authority.name()),
                Cell::Borrowed(m.layer.as_str()),
                money(m.net),
            ];
            if refunds {
                row.push(money(m.gross));
                row.push(money(m.refundable));
            }
            if before {
                row.push(money(m.refundable_before));
            }
            if interest {
                row.push(Cell::Owned(
                    m.refund_interest
                        .map_or_else(|| "-".to_string(), |i| money_text(i, s.currency)),
                ));
            }
            cols.cells(row);
        }
        cols.write(out, "    ");
    }
    if !p.answers.is_empty() {
        out.push_str("  Retaliation answers (annual values; covered is capped by the imports not yet taxed)\n");
        let mut cols = Columns::new(
            &[
                "Answer",
                "Answers",
                "Policy",
                "From",
                "Rate",
                "Peak",
                "Requested",
                "Covered",
                "",
            ],
            &[
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
        );
        for a in &p.answers {
            let value = |v: Option<Decimal>, c: Currency| {
                v.map_or_else(|| "-".to_string(), |v| money_text(v, c))
            };
            let triggers = match a.triggers.as_slice() {
                [one] => one.to_string(),
                many => format!("{} measures", many.len()),
            };
            cols.row(vec![
                a.answer.to_string(),
                triggers,
                a.policy.clone(),
                a.effective.to_string(),
                percent_text(a.rate, 2),
                percent_text(a.peak, 2),
                value(a.requested, a.currency),
                value(a.covered, a.currency),
                if a.capped() {
                    "capped".to_string()
                } else {
                    String::new()
                },
            ]);
        }
        cols.write(out, "    ");
    }
    for v in &p.voided {
        let _ = writeln!(
            out,
            "  Voided: {} (ruling {}); everything it collected up to the ruling is owed back",
            v.measure, v.date
        );
    }
    for s in p
        .sides
        .iter()
        .filter(|s| !s.refundable.is_zero() || !s.refundable_before.is_zero())
    {
        let _ = writeln!(
            out,
            "  Refundable on {}: {} collected in the window, {} before it{}",
            s.label(),
            money_text(s.refundable, s.currency),
            money_text(s.refundable_before, s.currency),
            s.refund_interest.map_or_else(String::new, |i| format!(
                ", plus {} interest",
                money_text(i, s.currency)
            ))
        );
    }
    for c in &p.commitments {
        let _ = writeln!(
            out,
            "  Commitment: {} buys {} within the window ({})",
            c.buyer,
            money_text(c.accrued, c.currency),
            c.description
        );
    }
    if !p.unvalued.is_empty() {
        let ids: Vec<String> = p.unvalued.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "  Not valued (their direction has no baseline, as the scenario declares): {}",
            ids.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{printable, printable_owned};
    use std::borrow::Cow;

    #[test]
    fn printable_escapes_every_control_character_and_only_those() {
        // Plain text, and text whose only suspect byte is 0xC2 starting a
        // printable character (° is C2 B0, a no-break space C2 A0): as is.
        for text in ["US<-CN $1.00B\n\ttab", "20°C\u{a0}£5 §2"] {
            assert!(matches!(printable(text), Cow::Borrowed(t) if t == text));
            assert_eq!(printable_owned(text.to_string()), text);
        }
        // C0 (ESC, CR), DEL and C1 (U+0085, U+009B, two bytes C2 9B).
        assert_eq!(
            printable("a\u{1b}[2Jb\rc\u{7f}d\u{85}e\u{9b}f"),
            "a\\u{1b}[2Jb\\rc\\u{7f}d\\u{85}e\\u{9b}f"
        );
        assert_eq!(printable_owned("x\u{9b}".to_string()), "x\\u{9b}");
    }
}
