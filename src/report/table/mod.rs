//! Text tables: what an evaluation says, for people, in aligned columns.

mod columns;
mod path;
mod rows;
mod summary;

use std::borrow::Cow;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use self::columns::{Align, Cell, Columns};
use self::path::path_detail;
use self::rows::{MeasureRows, measure_money};
use self::summary::{across_outcomes, outcome_columns, summary_text};
use super::evaluation::EvaluationReport;
use super::figures::percent_text;

/// A rate as a percentage with two decimals, `n/a` when there is none.
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

/// The text of [`text_table`], before control characters are escaped.
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
    let outcomes = outcome_columns(report, &reference);
    outcomes.columns.write(&mut out, "");
    if any_incomplete(report) {
        out.push_str("  * not complete: some measures could not be valued (listed under \"Not valued\" below)\n");
    }
    mfn_notes(&mut out, report);

    out.push_str("\nOutcomes\n");
    let mut measures = MeasureRows::default();
    for (row, p) in report.paths.iter().enumerate() {
        path_detail(&mut out, p, (&outcomes, row), &mut measures);
    }
    if !report.reference_is_path() {
        let row = report.paths.len();
        let detail = (&outcomes, row);
        path_detail(&mut out, &report.reference, detail, &mut measures);
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
            let amount = |a: Option<Decimal>| measure_money(&m.valuation, a, side.currency);
            let measure = Cell::Borrowed(m.measure.as_str());
            by_measure.row([measure, amount(m.net), amount(m.gross)]);
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

#[cfg(test)]
mod tests {
    use super::{printable, printable_owned};
    use crate::report::EvaluationReport;
    use std::borrow::Cow;

    /// The report of every shipped scenario.
    pub(super) fn shipped_reports() -> Vec<EvaluationReport> {
        let mut paths: Vec<_> = std::fs::read_dir("data/scenarios")
            .expect("the shipped scenarios")
            .map(|e| e.expect("a scenario file").path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let scenario = crate::load::load_scenario(p).expect("a shipped scenario loads");
                let evaluation = scenario
                    .evaluate(crate::Detail::Totals)
                    .expect("it evaluates");
                EvaluationReport::new(&scenario, &evaluation).expect("it reports")
            })
            .collect()
    }

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
