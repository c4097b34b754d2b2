//! The model set beside what customs collected: all-in duty (base + additional)
//! against observed duty, in total, per HS chapter and per line.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::figures::{fixed, percent_text, separated};
use crate::engine::{PathOutcome, Scenario};
use crate::error::{Error, Result};
use crate::trade::ObservedDuty;
use crate::units::{Accrued, Currency, Window};

/// The columns of [`Reconciliation::to_csv`]: `level` (`total`, `chapter`
/// or `line`), `key` (the chapter or line), `description`, `import_value`,
/// `observed`, `mfn`, `additional` (net), `modelled` (mfn + additional),
/// `gap` (modelled − observed), `mfn_rate` (as the schedule writes it) and
/// `cause` (likely cause of a line's gap).
pub const RECONCILIATION_COLUMNS: [&str; 11] = [
    "level",
    "key",
    "description",
    "import_value",
    "observed",
    "mfn",
    "additional",
    "modelled",
    "gap",
    "mfn_rate",
    "cause",
];

/// Modelled and observed duty on a set of lines (a chapter, or all).
///
/// Amounts are exact; `modelled` = `mfn` + `additional`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconRow {
    /// The HS chapter (`84`), the line, or `total`.
    pub key: String,
    /// Import value over the window.
    pub import_value: Decimal,
    /// Duty customs collected.
    pub observed: Decimal,
    /// Base (MFN) duty modelled: the ad valorem part of each line's rate.
    pub mfn: Decimal,
    /// Additional duty modelled, kept (net of refunds).
    pub additional: Decimal,
    /// All-in duty modelled: `mfn` + `additional`.
    pub modelled: Decimal,
}

impl ReconRow {
    fn new(key: String) -> ReconRow {
        ReconRow {
            key,
            import_value: Decimal::ZERO,
            observed: Decimal::ZERO,
            mfn: Decimal::ZERO,
            additional: Decimal::ZERO,
            modelled: Decimal::ZERO,
        }
    }

    /// Modelled less observed.
    pub fn gap(&self) -> Decimal {
        self.modelled - self.observed
    }

    /// The gap as a fraction of the observed duty; `None` when nothing was
    /// observed.
    pub fn gap_share(&self) -> Option<Decimal> {
        (!self.observed.is_zero()).then(|| self.gap() / self.observed)
    }

    /// Observed duty over import value, a fraction; `None` without imports.
    pub fn observed_rate(&self) -> Option<Decimal> {
        (!self.import_value.is_zero()).then(|| self.observed / self.import_value)
    }

    /// Modelled duty over import value, a fraction; `None` without imports.
    pub fn modelled_rate(&self) -> Option<Decimal> {
        (!self.import_value.is_zero()).then(|| self.modelled / self.import_value)
    }

    fn add(&mut self, other: &ReconRow) -> Result<()> {
        let sum = |a: Decimal, b: Decimal| {
            a.checked_add(b)
                .ok_or_else(|| Error::overflow("a reconciliation total"))
        };
        self.import_value = sum(self.import_value, other.import_value)?;
        self.observed = sum(self.observed, other.observed)?;
        self.mfn = sum(self.mfn, other.mfn)?;
        self.additional = sum(self.additional, other.additional)?;
        self.modelled = sum(self.modelled, other.modelled)?;
        Ok(())
    }
}

/// One line of a reconciliation, with the likely cause of its gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconLine {
    /// The figures; `row.key` is the line.
    pub row: ReconRow,
    /// The line's description in the baseline.
    pub description: String,
    /// Its base rate as the schedule writes it; `None` when it has none.
    pub mfn_text: Option<String>,
    /// The likely cause of the gap, worked out from the figures.
    pub cause: String,
}

/// Modelled all-in duty (base rates + the measures' duty kept) beside the
/// duty customs observed, on one side and one path, over the observed
/// window: in total, per HS chapter and per line.
///
/// ```no_run
/// use tariffsim::{Detail, load::{CsvColumns, load_scenario, read_observed_duty_csv}};
/// use tariffsim::report::Reconciliation;
/// let scenario = load_scenario("data/scenarios/us-china-lines-2024.toml".as_ref())?;
/// let evaluation = scenario.evaluate(Detail::Baskets)?;
/// let columns = CsvColumns { key: "hts10".into(), value: Some("calculated_duty_usd".into()), ..CsvColumns::default() };
/// let census = read_observed_duty_csv("data/lines/us-imports-from-china-2024-hts10.csv".as_ref(),
///     "US".parse()?, "CN".parse()?, tariffsim::Currency::USD, scenario.horizon(), &columns, "Census")?;
/// let r = Reconciliation::new(&scenario, &evaluation.paths()[0], &census)?;
/// println!("{}", r.to_markdown(15, 10));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    side: String,
    currency: Currency,
    window: Window,
    observed_source: String,
    mfn_source: String,
    total: ReconRow,
    chapters: Vec<ReconRow>,
    lines: Vec<ReconLine>,
    unmatched: (usize, Decimal),
}

impl Reconciliation {
    /// Sets `path`'s all-in duty on the side `observed` names beside the
    /// observed duty. The path must be evaluated with
    /// [`Detail::Baskets`](crate::Detail::Baskets) over the observed window,
    /// and the scenario must have base rates for the importer.
    ///
    /// # Errors
    /// [`Error::Unknown`] for a side the path lacks; [`Error::Invalid`]
    /// when the windows differ, per-line detail is missing, or the side has
    /// no base rates; [`Error::Overflow`] when a total does not fit.
    pub fn new(
        scenario: &Scenario,
        path: &PathOutcome,
        observed: &ObservedDuty,
    ) -> Result<Reconciliation> {
        let (i, e) = (observed.importer().as_str(), observed.exporter().as_str());
        let side = path.side(i, e)?;
        let label = side.label();
        let window = path.exposure().window();
        if window != observed.window() {
            return Err(Error::Invalid(format!(
                "the observed duty covers {} but the evaluation covers {window}: evaluate the same window",
                observed.window()
            ))
            .at(format!("reconciliation of {label}")));
        }
        let Some(base) = side.base() else {
            return Err(Error::Invalid(format!(
                "the scenario has no base rates for {i}: add [[base_rates]] so the all-in duty can be set beside what customs collected"
            ))
            .at(format!("reconciliation of {label}")));
        };
        let Some(baseline) = scenario
            .baselines()
            .iter()
            .find(|b| b.importer().as_str() == i && b.exporter().as_str() == e)
        else {
            return Err(Error::unknown("side", label, ""));
        };
        if side.baskets().len() != baseline.baskets().len() {
            return Err(Error::Invalid(
                "per-line duty is missing: evaluate with Detail::Baskets".into(),
            )
            .at(format!("reconciliation of {label}")));
        }
        let rates = scenario.base_rates_of(side.importer());
        let amount = |a: Accrued| a.amount();
        let mut lines = Vec::with_capacity(side.baskets().len());
        let mut chapters: BTreeMap<String, ReconRow> = BTreeMap::new();
        let mut total = ReconRow::new("total".into());
        let mut seen: HashMap<&crate::trade::BasketKey, ()> = HashMap::new();
        for ((b, line), mfn) in baseline
            .baskets()
            .iter()
            .zip(side.baskets())
            .zip(base.by_basket())
        {
            seen.insert(b.key(), ());
            let mfn_duty = mfn.map_or(Decimal::ZERO, amount);
            let additional = amount(line.net());
            let row = ReconRow {
                key: b.key().to_string(),
                import_value: amount(line.import_value()),
                observed: observed.get(b.key()).unwrap_or_default(),
                mfn: mfn_duty,
                additional,
                modelled: mfn_duty
                    .checked_add(additional)
                    .ok_or_else(|| Error::overflow("a line's all-in duty"))?,
            };
            let chapter = b
                .key()
                .hs()
                .map_or_else(|| "named".to_string(), |c| c.truncate(2).to_string());
            chapters
                .entry(chapter.clone())
                .or_insert_with(|| ReconRow::new(chapter))
                .add(&row)?;
            total.add(&row)?;
            let rate = rates.and_then(|r| r.rate_of_basket(b.key()));
            let cause = cause(&row, rate);
            lines.push(ReconLine {
                row,
                description: b.description().to_string(),
                mfn_text: rate.map(|r| r.text().to_string()),
                cause,
            });
        }
        let mut unmatched = (0usize, Decimal::ZERO);
        for (k, v) in observed.lines() {
            if !seen.contains_key(k) {
                unmatched.0 += 1;
                unmatched.1 += *v;
            }
        }
        lines.sort_by(|a, b| {
            b.row
                .gap()
                .abs()
                .cmp(&a.row.gap().abs())
                .then_with(|| a.row.key.cmp(&b.row.key))
        });
        Ok(Reconciliation {
            side: label,
            currency: side.currency(),
            window,
            observed_source: observed.source().to_string(),
            mfn_source: base.source().to_string(),
            total,
            chapters: chapters.into_values().collect(),
            lines,
            unmatched,
        })
    }

    /// The side, `importer<-exporter`.
    pub fn side(&self) -> &str {
        &self.side
    }

    /// The window compared.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Every line: modelled and observed.
    pub fn total(&self) -> &ReconRow {
        &self.total
    }

    /// Per HS chapter, ascending (`named` for baskets that are not HS codes).
    pub fn chapters(&self) -> &[ReconRow] {
        &self.chapters
    }

    /// Every line, the largest gap (in absolute value) first.
    pub fn lines(&self) -> &[ReconLine] {
        &self.lines
    }

    /// Observed lines the baseline does not have: how many, and their duty
    /// (not in the total, which covers the baseline's lines).
    pub fn unmatched(&self) -> (usize, Decimal) {
        self.unmatched
    }

    /// The reconciliation as CSV, for programs: a header, then one row for
    /// the total, one per chapter (ascending) and one per line (largest gap
    /// first), with the columns [`RECONCILIATION_COLUMNS`]. Amounts are exact
    /// plain decimals (never rounded); `mfn_rate` is the schedule's text,
    /// empty for a line with no rate (and on the total and chapter rows).
    ///
    /// # Errors
    /// [`Error::Invalid`] if the CSV writer fails (it does not, writing to
    /// memory).
    pub fn to_csv(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let err = |e: csv::Error| Error::Invalid(format!("cannot write the reconciliation: {e}"));
        w.write_record(RECONCILIATION_COLUMNS).map_err(err)?;
        let row = |level: &str, r: &ReconRow, description: &str, rate: &str, cause: &str| {
            vec![
                level.to_string(),
                r.key.clone(),
                description.to_string(),
                r.import_value.normalize().to_string(),
                r.observed.normalize().to_string(),
                r.mfn.normalize().to_string(),
                r.additional.normalize().to_string(),
                r.modelled.normalize().to_string(),
                r.gap().normalize().to_string(),
                rate.to_string(),
                cause.to_string(),
            ]
        };
        w.write_record(row("total", &self.total, "", "", ""))
            .map_err(err)?;
        for c in &self.chapters {
            w.write_record(row("chapter", c, "", "", "")).map_err(err)?;
        }
        for l in &self.lines {
            w.write_record(row(
                "line",
                &l.row,
                &l.description,
                l.mfn_text.as_deref().unwrap_or(""),
                &l.cause,
            ))
            .map_err(err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Invalid(format!("cannot write the reconciliation: {e}")))?;
        String::from_utf8(bytes)
            .map_err(|e| Error::Invalid(format!("cannot write the reconciliation: {e}")))
    }

    /// The reconciliation as Markdown: the total; the `chapters` chapters
    /// with the most observed duty (then the rest in one row, then the
    /// total); the `lines` lines with the largest gaps and their likely
    /// cause. Dollars are rounded once, half away from zero, to whole units;
    /// rates to two decimals.
    pub fn to_markdown(&self, chapters: usize, lines: usize) -> String {
        let c = self.currency;
        let mut out = String::new();
        let t = &self.total;
        let _ = writeln!(
            out,
            "{} over {} ({} days): modelled all-in {} (MFN {} + additional {}) against observed {} ({}): gap {} ({}).",
            self.side,
            self.window,
            self.window.days(),
            whole(t.modelled, c),
            whole(t.mfn, c),
            whole(t.additional, c),
            whole(t.observed, c),
            self.observed_source,
            signed(t.gap(), c),
            t.gap_share().map_or_else(|| "n/a".into(), signed_percent)
        );
        let _ = writeln!(out, "\nMFN: {}.", self.mfn_source);
        if self.unmatched.0 > 0 {
            let _ = writeln!(
                out,
                "Observed on {} lines the baseline lacks ({}), not in the figures.",
                self.unmatched.0,
                whole(self.unmatched.1, c)
            );
        }
        out.push_str(
            "\n| ch | value | observed | rate | modelled (MFN + additional) | rate | MFN | gap | gap % |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        let mut by_duty: Vec<&ReconRow> = self.chapters.iter().collect();
        by_duty.sort_by(|a, b| b.observed.cmp(&a.observed).then_with(|| a.key.cmp(&b.key)));
        let mut rest = ReconRow::new(format!(
            "other {} chapters",
            by_duty.len().saturating_sub(chapters)
        ));
        for (n, r) in by_duty.iter().enumerate() {
            if n < chapters {
                chapter_row(&mut out, r, c);
            } else if rest.add(r).is_err() {
                break;
            }
        }
        if by_duty.len() > chapters {
            chapter_row(&mut out, &rest, c);
        }
        chapter_row(&mut out, t, c);
        if lines > 0 {
            out.push_str(
                "\n| line | description | value | observed | modelled | MFN rate | gap | likely cause |\n\
                 |---|---|---:|---:|---:|---|---:|---|\n",
            );
            for l in self.lines.iter().take(lines) {
                let r = &l.row;
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    r.key,
                    cell(&l.description),
                    whole(r.import_value, c),
                    rate_of(r.observed_rate()),
                    rate_of(r.modelled_rate()),
                    l.mfn_text.as_deref().map_or_else(|| "none".into(), cell),
                    signed(r.gap(), c),
                    cell(&l.cause)
                );
            }
        }
        super::table::printable(&out).into_owned()
    }
}

fn chapter_row(out: &mut String, r: &ReconRow, c: Currency) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        r.key,
        whole(r.import_value, c),
        whole(r.observed, c),
        rate_of(r.observed_rate()),
        whole(r.modelled, c),
        rate_of(r.modelled_rate()),
        whole(r.mfn, c),
        signed(r.gap(), c),
        r.gap_share().map_or_else(|| "n/a".into(), signed_percent)
    );
}

/// A description safe in a Markdown cell: no `|`, one line.
fn cell(text: &str) -> String {
    text.replace('|', "/").replace(['\n', '\r'], " ")
}

fn symbol(c: Currency) -> String {
    if c == Currency::USD {
        "$".into()
    } else {
        format!("{} ", c.code())
    }
}

/// Whole currency units with separators, rounded half away from zero.
fn whole(amount: Decimal, c: Currency) -> String {
    let v = fixed(amount, 0);
    if v.is_sign_negative() {
        format!("-{}{}", symbol(c), separated(&(-v).to_string()))
    } else {
        format!("{}{}", symbol(c), separated(&v.to_string()))
    }
}

fn signed(amount: Decimal, c: Currency) -> String {
    if fixed(amount, 0).is_sign_positive() && !fixed(amount, 0).is_zero() {
        format!("+{}", whole(amount, c))
    } else {
        whole(amount, c)
    }
}

fn signed_percent(share: Decimal) -> String {
    let p = percent_text(share, 2);
    if share.is_sign_positive() && !p.starts_with("0.00") {
        format!("+{p}")
    } else {
        p
    }
}

fn rate_of(r: Option<Decimal>) -> String {
    r.map_or_else(|| "n/a".into(), |r| percent_text(r, 2))
}

/// The likely cause of a line's gap, from its figures alone.
fn cause(row: &ReconRow, rate: Option<&crate::tariff::BaseRate>) -> String {
    let v = row.import_value;
    if v.is_zero() {
        return if row.observed.is_zero() {
            "no imports".into()
        } else {
            "duty observed on a line with no imports in the baseline".into()
        };
    }
    let half_point = v / Decimal::from(200);
    let above_mfn = (row.observed - row.mfn) / v;
    let modelled_extra = row.additional / v;
    match rate {
        None if row.observed > row.modelled => {
            return "no MFN rate for the line: its base duty is not modelled".into();
        }
        Some(r) if !r.is_fully_valued() && row.observed > row.modelled => {
            return format!("MFN \"{}\" is valued only on its ad valorem part", r.text());
        }
        _ => {}
    }
    if row.additional > half_point && row.observed <= row.mfn + half_point {
        return "no additional duty observed although modelled: an exclusion, a 10-digit split or another provision the data does not hold".into();
    }
    if modelled_extra.is_zero() && above_mfn > Decimal::new(5, 3) {
        return format!(
            "observed {} above MFN, none modelled: the line is modelled as excluded or unlisted, yet customs collected additional duty (an exclusion narrower than the line, or a list the data does not hold)",
            percent_text(above_mfn, 2)
        );
    }
    if row.modelled > row.observed {
        format!(
            "observed {} above MFN against {} modelled: part of the line entered without the modelled duty (an exclusion narrower than the line, chapter 98, ...)",
            percent_text(above_mfn, 2),
            percent_text(modelled_extra, 2)
        )
    } else {
        format!(
            "observed {} above MFN against {} modelled: a list, heading or layer the data does not hold",
            percent_text(above_mfn, 2),
            percent_text(modelled_extra, 2)
        )
    }
}
