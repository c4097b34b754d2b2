//! `tariffsim explain`: every measure on one HS line on one day, its rate
//! and why.

use std::fmt::Write as _;

use clap::Args;
use rust_decimal::Decimal;
use tariffsim::report::percent_text;
use tariffsim::units::{HsCode, MeasureId, Rate};
use tariffsim::{BasketKey, Date, Goods, LinePart, Measure, Scenario, Stacking, Window};

use crate::files::{self, SCENARIO_HELP, excerpt};
use crate::run::check_path;
use crate::{Done, Failure};

const EXAMPLES: &str = "\
Examples:
  tariffsim explain us-china-lines-2025 --line 8471300100 --date 2025-12-01
  tariffsim explain us-china-lines-2025 --line 7208.10.15.00 --date 2025-06-01 --path truce
  tariffsim explain busan-2025 --line 8471300100 --date 2025-12-01

For each measure of the side whose baseline holds the line: the rate it
adds on that day on the path (after stacking), and why: what covers the
line (every good, an HS prefix, a list), a product exclusion, a stacking
rule (exclusive, highest, exempt), or no rate in force that day. Where a
measure covers only a share of the line's value (a metal content), a layer
it displaces there says on which share, and the rate it keeps on the rest.
Then the total additional rate, and MFN and the all-in rate where the
scenario has base rates. The line must be a basket of a
baseline: a line-level scenario knows HTS-10 lines, a list-level one only
its named lists. Without --path, the scenario's first path.";

/// Arguments of `tariffsim explain`.
#[derive(Args)]
#[command(after_help = EXAMPLES)]
pub struct ExplainArgs {
    #[arg(help = SCENARIO_HELP)]
    scenario: String,
    /// Choose a setting of one of the scenario's switches (a stated
    /// assumption with alternatives), e.g. s122-civil-aircraft=exempt;
    /// repeatable
    #[arg(long = "set", value_name = "SWITCH=SETTING")]
    set: Vec<String>,
    /// The HS line, 2 to 10 digits (dots allowed: 8471.30.01.00)
    #[arg(long, value_name = "HTS10")]
    line: String,
    /// The day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    date: String,
    /// The outcome path (default: the first path)
    #[arg(long, value_name = "PATH")]
    path: Option<String>,
}

/// The line argument as an HS code.
///
/// # Errors
/// A usage error with a bounded, escaped excerpt.
fn line_arg(s: &str) -> Result<HsCode, Failure> {
    let digits: String = s.chars().filter(|c| *c != '.').collect();
    let ok = (2..=10).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    let code = if ok { s.parse::<HsCode>().ok() } else { None };
    code.ok_or_else(|| {
        Failure::usage(format!(
            "--line: {} is not an HS code: write 2, 4, 6, 8 or 10 digits, dots allowed (8471.30.01.00)",
            excerpt(s)
        ))
    })
}

/// Runs `tariffsim explain`.
///
/// # Errors
/// Usage errors for a bad line, date or path; a failure when no baseline
/// holds the line.
pub fn run(a: &ExplainArgs) -> Result<Done, Failure> {
    let code = line_arg(&a.line)?;
    let date = files::date("--date", &a.date)?;
    let source = files::load(&a.scenario, &a.set)?;
    let s = &source.scenario;
    let path = match &a.path {
        Some(p) => {
            check_path(s, "--path", p)?;
            p.clone()
        }
        None => s
            .tree()
            .paths()
            .first()
            .map(|p| p.id().to_string())
            .ok_or_else(|| Failure::run("the scenario has no path"))?,
    };
    let key = BasketKey::Hs(code);
    let sides: Vec<_> = s
        .baselines()
        .iter()
        .filter(|b| b.find(&key).is_some())
        .collect();
    if sides.is_empty() {
        let labels: Vec<String> = s.baselines().iter().map(|b| b.label()).collect();
        return Err(Failure::run(format!(
            "line {code} is not a basket of any baseline of scenario {} ({}); a line-level scenario such as us-china-lines-2025 holds HTS-10 lines",
            s.info().id,
            labels.join(", ")
        )));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Line {code} on {date}, path {path} of scenario {}{}",
        s.info().id,
        if s.horizon().contains(date) {
            String::new()
        } else {
            format!(" (outside its horizon {})", s.horizon())
        }
    );
    for b in sides {
        let side = (b.importer().as_str(), b.exporter().as_str());
        let parts = s
            .line_parts(&path, side, &key, date)
            .map_err(Failure::run)?;
        let applied = LinePart::rates(&parts).map_err(Failure::run)?;
        let _ = writeln!(out, "\n{} duties on goods from {}", side.0, side.1);
        explain_side(&mut out, s, side, (&key, code), date, &applied, &parts)?;
    }
    Ok(Done::text(out))
}

/// One side's measures on the line: rate and reason, then the total.
fn explain_side(
    out: &mut String,
    s: &Scenario,
    side: (&str, &str),
    (key, code): (&BasketKey, HsCode),
    date: Date,
    applied: &[(MeasureId, Rate)],
    parts: &[LinePart],
) -> Result<(), Failure> {
    let rate_of = |id: &MeasureId| applied.iter().find(|(m, _)| m == id).map(|(_, r)| *r);
    let day = Window::new(
        date,
        date.tomorrow()
            .map_err(|e| Failure::usage(format!("--date: {e}")))?,
    )
    .map_err(Failure::run)?;
    let measures: Vec<&Measure> = s
        .regime()
        .measures()
        .iter()
        .filter(|m| m.imposer().as_str() == side.0 && m.target().as_str() == side.1)
        .collect();
    let applied_measures: Vec<&Measure> = measures
        .iter()
        .copied()
        .filter(|m| rate_of(m.id()).is_some())
        .collect();
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut not_covering = 0usize;
    for m in &measures {
        let goods = m.coverage().goods();
        if !goods.matches(key) {
            not_covering += 1;
            continue;
        }
        let mut covered = format!("covered: {}", coverage(goods, code));
        if let Some(c) = m.coverage().content() {
            let share = c
                .share_of(&code)
                .map_or_else(|| "no share given".to_string(), |x| x.to_string());
            covered.push_str(&format!(
                ", on its {} content only (share {share} of the line's value): the rate shown is on the whole value",
                c.content()
            ));
        }
        if m.is_net_of_base() {
            let base = s
                .base_rates_of(m.imposer())
                .and_then(|b| b.rate_of(&code))
                .filter(|r| r.is_fully_valued())
                .and_then(|r| r.ad_valorem());
            covered.push_str(&match base {
                Some(b) => format!(
                    ", a total net of MFN: the rate shown is the scheduled rate less the line's MFN {}, never below 0",
                    percent_text(b.as_fraction(), 2)
                ),
                None => ", a total net of MFN, and the line's MFN is not valued in full: not valued on this line".into(),
            });
        }
        let (rate, why) = match rate_of(m.id()) {
            Some(r) => {
                let mut why = covered;
                if let Some(note) = highest_note(s, m, date) {
                    why.push_str("; ");
                    why.push_str(&note);
                }
                if let Some(note) = displaced_note(s, m, date, parts, &measures) {
                    why.push_str("; ");
                    why.push_str(&note);
                }
                (percent_text(r.as_fraction(), 2), why)
            }
            None => {
                let scheduled = parts
                    .iter()
                    .any(|p| p.measure == *m.id() && !p.scheduled.is_zero());
                (
                    percent_text(Decimal::ZERO, 2),
                    why_not(
                        s,
                        m,
                        (key, date, day),
                        scheduled,
                        &applied_measures,
                        covered,
                    ),
                )
            }
        };
        rows.push([
            m.id().to_string(),
            m.authority().name().to_string(),
            m.layer().to_string(),
            rate,
            why,
        ]);
    }
    for (id, r) in applied {
        if !measures.iter().any(|m| m.id() == id) {
            rows.push([
                id.to_string(),
                "retaliation".into(),
                "answer".into(),
                percent_text(r.as_fraction(), 2),
                "a retaliation answer this path makes, on goods that include the line".into(),
            ]);
        }
    }
    let header = ["Measure", "Authority", "Layer", "Rate", "Why"].map(String::from);
    let widths: Vec<usize> = (0..5)
        .map(|k| {
            rows.iter()
                .chain([&header])
                .map(|r| r[k].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in [&header].into_iter().chain(rows.iter()) {
        let _ = writeln!(
            out,
            "  {:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
    }
    if rows.is_empty() {
        out.push_str("  No measure covers the line.\n");
    }
    let total: Decimal = applied.iter().map(|(_, r)| r.as_fraction()).sum();
    let base = s
        .base_rates()
        .iter()
        .find(|b| b.importer().as_str() == side.0);
    let _ = writeln!(
        out,
        "  Total additional rate: {}{}{}",
        percent_text(total, 2),
        if base.is_some() {
            ""
        } else {
            " (MFN not included: the scenario has no base rates)"
        },
        if not_covering > 0 {
            format!("; {not_covering} other measure(s) of this side do not cover the line")
        } else {
            String::new()
        }
    );
    if let Some(base) = base {
        let _ = match base.rate_of(&code) {
            None => writeln!(
                out,
                "  MFN: no base rate for this line, so the all-in rate is not valued"
            ),
            Some(b) if b.is_fully_valued() => {
                let mfn = b.ad_valorem().map_or(Decimal::ZERO, |r| r.as_fraction());
                writeln!(
                    out,
                    "  MFN: {} ({})\n  All-in rate: {} (additional + MFN)",
                    b.text(),
                    percent_text(mfn, 2),
                    percent_text(total + mfn, 2)
                )
            }
            Some(b) => writeln!(
                out,
                "  MFN: {} ({}): not valued beyond its ad valorem part{}, so the all-in rate is not valued",
                b.text(),
                b.kind().name(),
                b.ad_valorem().map_or(String::new(), |r| format!(
                    " ({})",
                    percent_text(r.as_fraction(), 2)
                ))
            ),
        };
    }
    Ok(())
}

/// What in `goods` takes in `code`.
fn coverage(goods: &Goods, code: HsCode) -> String {
    if goods.is_all() {
        return "every good".into();
    }
    if let Some(p) = goods.hs_prefixes().iter().find(|p| p.is_prefix_of(&code)) {
        return format!("HS {p}");
    }
    if let Some(l) = goods.hs_lists().iter().find(|l| l.covers(&code)) {
        return format!("list {}", l.name());
    }
    "the line's basket".into()
}

/// A note when `m` applies as the highest of a `Highest` rule in force.
fn highest_note(s: &Scenario, m: &Measure, date: Date) -> Option<String> {
    s.regime()
        .stacking()
        .iter()
        .filter(|r| r.window().contains(date))
        .find_map(|r| match r.stacking() {
            Stacking::Highest { among } if among.iter().any(|x| x.matches(m)) => Some(format!(
                "the highest rate of stacking rule {} (only the highest applies)",
                r.id()
            )),
            _ => None,
        })
}

/// Where `m` applies to part of the line only, because on another part
/// (a content share another measure covers) stacking displaces it: which
/// part, what displaces it, and the rate it keeps on the rest.
fn displaced_note(
    s: &Scenario,
    m: &Measure,
    date: Date,
    parts: &[LinePart],
    measures: &[&Measure],
) -> Option<String> {
    let own: Vec<&LinePart> = parts.iter().filter(|p| p.measure == *m.id()).collect();
    let rest: Vec<&LinePart> = own
        .iter()
        .copied()
        .filter(|p| !p.applied.is_zero())
        .collect();
    let kept = rest.first()?;
    let lost: Vec<String> = own
        .iter()
        .filter(|p| !p.scheduled.is_zero() && p.applied.is_zero())
        .map(|lost| {
            let there: Vec<&Measure> = measures
                .iter()
                .copied()
                .filter(|x| {
                    parts.iter().any(|p| {
                        p.part == lost.part && p.measure == *x.id() && !p.applied.is_zero()
                    })
                })
                .collect();
            let reason = stacking_reason(s, m, date, &there)
                .unwrap_or_else(|| "stacking takes it off".into());
            format!(
                "on {} of the line's value {reason}",
                percent_text(lost.share, 4)
            )
        })
        .collect();
    if lost.is_empty() {
        return None;
    }
    let share: Decimal = rest.iter().map(|p| p.share).sum();
    let rate = if rest.iter().all(|p| p.applied == kept.applied) {
        percent_text(kept.applied.as_fraction(), 2)
    } else {
        "rate".into()
    };
    Some(format!(
        "{}; its {rate} applies to the rest, {}",
        lost.join("; "),
        percent_text(share, 4)
    ))
}

/// The exemption in force on `date` that takes the line out of `m`, in
/// words.
fn exemption(s: &Scenario, m: &Measure, key: &BasketKey, date: Date) -> Option<String> {
    s.regime()
        .stacking()
        .iter()
        .filter(|r| r.window().contains(date))
        .find_map(|r| match r.stacking() {
            Stacking::Exempt { measures, goods }
                if measures.iter().any(|x| x.matches(m)) && goods.matches(key) =>
            {
                Some(format!("exempt under stacking rule {}", r.id()))
            }
            _ => None,
        })
}

/// The rule in force on `date` that stacks `m` off the line where the
/// `applied` measures apply (exclusive, or only the highest), in words.
fn stacking_reason(s: &Scenario, m: &Measure, date: Date, applied: &[&Measure]) -> Option<String> {
    for r in s
        .regime()
        .stacking()
        .iter()
        .filter(|r| r.window().contains(date))
    {
        match r.stacking() {
            Stacking::Exclusive { over, excluded } if excluded.iter().any(|x| x.matches(m)) => {
                if let Some(w) = applied.iter().find(|a| over.iter().any(|x| x.matches(a))) {
                    return Some(format!(
                        "it yields to {} under stacking rule {} (exclusive)",
                        w.id(),
                        r.id()
                    ));
                }
            }
            Stacking::Highest { among } if among.iter().any(|x| x.matches(m)) => {
                if let Some(w) = applied
                    .iter()
                    .find(|a| a.id() != m.id() && among.iter().any(|x| x.matches(a)))
                {
                    return Some(format!(
                        "{} is higher and only the highest applies (stacking rule {})",
                        w.id(),
                        r.id()
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// Why a measure that covers the line adds nothing on `date`: excluded
/// that day, no rate in force (`scheduled` is whether the path sets it a
/// rate on some part of the line before stacking), or a stacking rule.
fn why_not(
    s: &Scenario,
    m: &Measure,
    (key, date, day): (&BasketKey, Date, Window),
    scheduled: bool,
    applied: &[&Measure],
    covered: String,
) -> String {
    if m.coverage().covered_windows(key, day).is_empty() {
        let windows: Vec<String> = m
            .coverage()
            .exclusions()
            .iter()
            .filter(|x| x.goods().matches(key) && x.window().contains(date))
            .map(|x| window_text(x.window()))
            .collect();
        return format!(
            "{covered}, but excluded on this day ({})",
            windows.join(", ")
        );
    }
    if let Some(reason) = exemption(s, m, key, date) {
        return format!("{covered}, but {reason}");
    }
    if scheduled && let Some(reason) = stacking_reason(s, m, date, applied) {
        return format!("{covered}, but {reason}");
    }
    let as_scheduled = m.schedule().rate_on(date);
    if m.is_net_of_base() && !as_scheduled.is_zero() {
        return format!("{covered}, but net of the line's MFN it adds nothing on this day");
    }
    if as_scheduled.is_zero() {
        format!("{covered}, but no rate is in force on this day")
    } else {
        format!(
            "{covered}, but this path sets no rate on this day (as scheduled: {})",
            percent_text(as_scheduled.as_fraction(), 2)
        )
    }
}

/// An exclusion's window in words: `always`, `from 2025-04-11`, or the
/// window itself.
fn window_text(w: Window) -> String {
    let (open_start, open_end) = (w.start().year() <= 1, w.end().year() >= 9999);
    match (open_start, open_end) {
        (true, true) => "always".into(),
        (false, true) => format!("from {}", w.start()),
        (true, false) => format!("until {}", w.end()),
        (false, false) => format!("{w}, end not counted"),
    }
}
