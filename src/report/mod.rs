//! Reports: text tables, CSV, JSON and SVG charts of evaluations.
//!
//! Build an [`EvaluationReport`] from a scenario and its evaluation once;
//! every format is written from it, in a stable order (paths in tree order,
//! sides in baseline order, measures in regime order, months ascending), so
//! the same input gives the same bytes.
//!
//! ```
//! use tariffsim::{Detail, report::{EvaluationReport, text_table}};
//! let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
//! let report = EvaluationReport::new(&scenario, &scenario.evaluate(Detail::Totals)?)?;
//! // docs/DOMAIN.md worked number 2: the truce that lapses costs $57,568,493,150.68 in 2019.
//! assert!(text_table(&report).lines().any(|l| l.starts_with("truce/lapses") && l.contains("$57.57B")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Rounding
//!
//! The engine's amounts are exact. Reports round **once, at display**: the
//! table ([`text_table`]) and chart labels show money in billions (`B`) or
//! millions (`M`) with two decimals, or in full with thousands separators
//! under a million, and rates with two decimals, all rounded half away from
//! zero from the exact value ([`money_text`], [`percent_text`]). The CSV and
//! the JSON carry **exact** decimals, not rounded to cents: currency units to
//! Decimal's 28 significant digits, trailing zeros dropped. Round them to
//! cents with [`crate::Accrued::to_cents`]'s rule (half away from zero) if
//! you need cents.
//!
//! # Exposure CSV ([`exposure_csv`])
//!
//! One row per path × side × measure × month, with a header row; columns, in
//! this order ([`EXPOSURE_COLUMNS`]):
//!
//! | column | meaning |
//! |---|---|
//! | `path` | the path id (branch ids joined by `/`) |
//! | `probability` | the path's probability, a fraction (`0.42`) |
//! | `importer` | the party that imports and collects the duty (`US`) |
//! | `exporter` | the party whose goods pay it (`CN`) |
//! | `currency` | the currency of `import_value`, `gross`, `refundable` and `net` |
//! | `measure` | the measure id |
//! | `authority` | its authority (`section-301`, `retaliation`, ...) |
//! | `layer` | its layer |
//! | `origin_rule` | the retaliation rule that made an answer measure; empty otherwise |
//! | `month` | the calendar month, `YYYY-MM` |
//! | `days` | the days of the month inside the window |
//! | `import_value` | the side's imports accrued in the month (the same on every measure's row) |
//! | `gross` | the measure's duty accrued in the month, exact |
//! | `refundable` | the month's duty when the path voids the measure's authority (all of it is owed back), else `0` |
//! | `net` | `gross` less `refundable`: the duty kept |
//! | `valuation` | `valued`, `partly-valued` (a lower bound), `not-valued` (amounts unknown, shown as 0 only here: filter on this column) or `covers-nothing` |
//!
//! Numbers are plain decimals: no thousands separators, no currency
//! symbols, `.` as the decimal point. Each amount is exact to 28
//! significant digits, so a measure's `duty` rows add up to its total over
//! the horizon to far below a cent (within the last digit of each row).
//!
//! # Timeline CSV ([`timeline_csv`])
//!
//! One path's trade-weighted average additional rate, one row per day per
//! side: `date`, `side` (`US<-CN`), one column per layer, `total`; rates are
//! exact fractions. Weights are the baseline's values; MFN duty is not
//! included.
//!
//! # JSON ([`EvaluationReport::to_json`])
//!
//! The [`EvaluationReport`] with serde: field names as in the Rust types
//! (`scenario`, `horizon`, `months`, `decisions`, `reference`, `paths`,
//! `sides`); every decimal, date, id and kind a string
//! (`"probability": "0.42"`, `"total": "57568493150.684931506849315068"`);
//! rates and probabilities are fractions. [`EvaluationReport::from_json`]
//! reads it back into an equal report. With base rates each side also
//! carries `mfn` ([`BaseReport`]), `all_in` and `all_in_rate`, and each
//! summary `mfn` and `expected_all_in`; without them these fields are absent.
//!
//! # Reconciliation ([`Reconciliation`])
//!
//! Modelled all-in duty (MFN + additional net) beside the duty customs
//! observed ([`crate::trade::ObservedDuty`]), in total, per HS chapter and
//! per line with a likely cause, as Markdown or CSV
//! ([`RECONCILIATION_COLUMNS`]); `examples/reconcile.rs`
//! prints calendar 2024 against the Census calculated duty.
//!
//! # Charts ([`timeline_svg`], [`exposure_svg`])
//!
//! Self-contained SVG written by hand: the average stacked additional rate
//! over time under each path, per side, with the tree's decision dates; and
//! duty by outcome per side, labelled with probabilities.

mod csv;
mod evaluation;
mod figures;
mod reconcile;
mod svg;
mod table;
mod text;

pub use self::csv::{EXPOSURE_COLUMNS, exposure_csv, timeline_csv};
pub use evaluation::{
    AnswerReport, BaseReport, CommitmentReport, DecisionReport, EvaluationReport, MeasureAmount,
    MeasureReport, OriginReport, PathReport, PathTimelines, ScenarioReport, SideReport,
    SideSummary, VoidedReport, path_timelines,
};
pub use figures::{change_text, money_text, percent_text};
pub use reconcile::{RECONCILIATION_COLUMNS, ReconLine, ReconRow, Reconciliation};
pub use svg::{exposure_svg, timeline_svg};
pub use table::text_table;
