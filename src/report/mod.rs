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
//! tables ([`text_table`], [`text_summary`]) and chart labels show money in
//! billions (`B`) or millions (`M`) with two decimals, or in full with
//! thousands separators under a million, and rates with two decimals, all
//! rounded half away from zero from the exact value ([`money_text`],
//! [`percent_text`]). The JSON carries **exact** decimals, not rounded to
//! cents: currency units to Decimal's 28 significant digits, trailing zeros
//! dropped. The exposure CSV carries cents ([`Amounts::Cents`]: half away
//! from zero, each measure's months adjusted by largest remainder so they
//! add up to its rounded total) or exact decimals ([`Amounts::Exact`]).
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
//! | `currency` | the currency of every amount on the row |
//! | `measure` | the measure id |
//! | `authority` | its authority (`section-301`, `retaliation`, ...) |
//! | `layer` | its layer |
//! | `origin_rule` | the retaliation rule that made an answer measure; empty otherwise |
//! | `month` | the calendar month, `YYYY-MM` |
//! | `days` | the days of the month inside the window |
//! | `side_import_value` | the side's imports accrued in the month, on the side's first measure row of the month only (empty on the others, so the column sums to the side's imports) |
//! | `gross` | the measure's duty accrued in the month |
//! | `refundable` | the month's duty when the path voids the measure's authority (all of it is owed back), else `0` |
//! | `net` | `gross` less `refundable`: the duty kept |
//! | `refundable_before` | on the measure's first row, what it collected before the window and owes back (not part of any `gross`); `0` on its other rows |
//! | `refund_interest` | on the measure's first row, the interest on all its refunds when the scenario states a rate; `0` on its other rows; empty when no rate is stated |
//! | `valuation` | `valued`, `partly-valued` (the amounts are a lower bound), `not-valued` (every amount empty: unknown, never `0`) or `covers-nothing` |
//!
//! Numbers are plain decimals: no thousands separators, no currency
//! symbols, `.` as the decimal point. Text cells that begin with `=`, `+`,
//! `-`, `@`, a tab or a carriage return get a `'` in front, so no
//! spreadsheet reads them as formulas ([`cells::text`]); numbers are never
//! escaped.
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
//! rates and probabilities are fractions. A measure that could not be valued
//! has `null` amounts (never `"0"`), and `diagnostics` says why.
//! [`EvaluationReport::from_json`] reads it back into an equal report. With
//! base rates each side also
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
//! # Charts ([`timeline_svg`], [`layers_svg`], [`exposure_svg`])
//!
//! Self-contained SVG written by hand: the average stacked additional rate
//! over time under each path, per side, with the shared history drawn once,
//! the reference dashed and the tree's decision dates; one path's rate
//! stacked by layer; and duty by outcome per side, labelled with
//! probabilities. Each carries the scenario's sources and what it leaves
//! out. With the `png` feature, `svg_to_png` renders any of them to PNG.

pub mod cells;
mod csv;
mod evaluation;
mod figures;
#[cfg(feature = "png")]
mod png;
mod reconcile;
mod svg;
mod table;
mod text;

pub use self::csv::{Amounts, EXPOSURE_COLUMNS, exposure_csv, timeline_csv};
pub use evaluation::{
    AnswerReport, BaseReport, CommitmentReport, DecisionReport, EvaluationReport, MeasureAmount,
    MeasureReport, OriginReport, PathReport, PathTimelines, ScenarioReport, SideReport,
    SideSummary, VoidedReport, base_note, path_timelines, reference_timeline,
};
pub use figures::{change_text, money_text, percent_text};
#[cfg(feature = "png")]
pub use png::svg_to_png;
pub use reconcile::{RECONCILIATION_COLUMNS, ReconLine, ReconRow, Reconciliation};
pub use svg::{exposure_svg, layers_svg, timeline_svg};
pub use table::{text_summary, text_table};
