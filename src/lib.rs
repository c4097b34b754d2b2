//! # tariffsim
//!
//! Tariff scenarios, exact to the cent: dated duty schedules on baskets of
//! goods, stacking rules, retaliation capped by what the other side imports,
//! and duty exposure across the ways a negotiation can end.
//!
//! ```
//! use tariffsim::*;
//! use tariffsim::outcome::{Action, ActionKind, Branch, Node, OutcomeKind, OutcomeTree, Postponement};
//! use tariffsim::units::parse_date;
//! use rust_decimal::Decimal;
//!
//! // $200B of imports taxed at 10%, stepping to 25% on 2019-01-01.
//! let baseline = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual,
//!     vec![Basket::annual("list-3-goods".parse()?, "List 3", Decimal::from(200_000_000_000u64))])?;
//! let list3 = Measure::new("list-3".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
//!     Coverage::of(Goods::baskets(["list-3-goods".parse()?])),
//!     Schedule::new(vec![
//!         Step::in_force(parse_date("2018-09-24")?, "10%".parse()?),
//!         Step::in_force(parse_date("2019-01-01")?, "25%".parse()?),
//!     ], vec![])?)?;
//!
//! // At the G20 summit the step is either postponed to 2019-03-02 or not.
//! let truce = Branch::new("truce".parse()?, "Truce", OutcomeKind::Truce, "0.6".parse()?)
//!     .with_action(Action::new("list-3".parse()?, ActionKind::Postpone {
//!         step: parse_date("2019-01-01")?, to: Postponement::To(parse_date("2019-03-02")?),
//!         shift_later: false }));
//! let no_deal = Branch::new("no-deal".parse()?, "No deal", OutcomeKind::Escalation, "0.4".parse()?);
//! let tree = OutcomeTree::new(Node::new("g20".parse()?, "G20", parse_date("2018-12-01")?, vec![truce, no_deal]))?;
//!
//! let scenario = Scenario::builder(Window::year(2019)?)
//!     .baseline(baseline)
//!     .regime(Regime::new(vec![list3], vec![])?)
//!     .tree(tree)
//!     .build()?;
//! let result = scenario.evaluate(Detail::Totals)?;
//!
//! // Truce: 60 days at 10% and 305 at 25% on 200B/365 a day = 45,068,493,150.68.
//! let truce = result.path("truce").unwrap().side("US", "CN")?.net();
//! assert_eq!(truce.to_cents(Currency::USD).amount().to_string(), "45068493150.68");
//! // No deal: a full year at 25% = exactly 50B.
//! assert_eq!(result.path("no-deal").unwrap().side("US", "CN")?.net().amount(), Decimal::from(50_000_000_000u64));
//! // Expected: 0.6 × 45,068,493,150.68… + 0.4 × 50B, kept (nothing is refunded).
//! let expected = result.expected("US", "CN")?.net.to_cents(Currency::USD);
//! assert_eq!(expected.amount().to_string(), "47041095890.41");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Layers
//!
//! Data flows one way; each module uses only the ones above it:
//!
//! ```text
//! units        money, rates, shares, probabilities, dates and windows, HS codes, ids
//! trade        baselines: who imports what from whom, by basket, per period
//! tariff       measures, dated schedules, coverage, stacking rules
//! retaliation  triggers -> answers, capped by the answering side's imports
//! outcome      negotiation outcomes, dated actions, probability trees
//! engine       pure evaluation: scenario in, exposure out; no IO, no clock
//! portfolio    an importer's SKUs matched to HS lines
//! report       tables, CSV, JSON, SVG charts
//! load         TOML/CSV files -> domain types and back (all file IO lives here)
//! ```
//!
//! ## Accrual and exactness
//!
//! A baseline value for a period (a calendar year, or a month) accrues evenly
//! over that period's days. Exposure over a window `[start, end)` is the sum
//! over days of daily value × the rate stacked on that day, computed by
//! splitting the window at every effective date, month start and coverage or
//! stacking-rule edge — never by looping over days. Amounts are held as
//! [`Accrued`]: whole units of `1 / ACCRUAL_DENOMINATOR` (the least common
//! multiple of every month and year length), so daily values are exact and
//! sums never round: splitting a window and adding the parts gives the whole
//! to the last digit, and a full calendar year at a constant rate gives
//! value × rate exactly.
//!
//! ## Rounding
//!
//! Nothing is rounded to cents during evaluation: accrued units keep
//! Decimal's 28 significant digits, and the sums of many parts (a
//! measure's gross over its months, a side's month over its layers and
//! its gross) are taken exactly and rounded once to those 28 digits (see
//! [`Accrued`]). Reports round once, at the edge, to
//! cents with [`rust_decimal::RoundingStrategy::MidpointAwayFromZero`]
//! ([`Money::round_cents`], [`Accrued::to_cents`]). Average rates on a
//! timeline are a division and are exact to Decimal's 28 significant digits.
//!
//! ## Semantics worth knowing
//!
//! - Rates are fractions ([`Rate`]); files write them with a unit, `"25%"`.
//! - Measures on the same goods add up. [`Stacking`] rules, with dates, change
//!   that: `Exclusive` (goods paying a positive rate under one set of measures
//!   pay nothing under another; decided on the rates before any exclusion, so
//!   the result does not depend on rule order), `Highest` (only the highest of
//!   a set applies; ties go to the measure listed first; several `Highest`
//!   rules apply one after another in the order listed), `Exempt`.
//! - A schedule's `Announced` steps count only once an outcome imposes them.
//!   A suspension lowers the rate for a window (to the lower of the two) and
//!   the rate snaps back when it ends.
//! - Retaliation: see [`retaliation`]. A value-matched answer covers a share
//!   of every basket not yet under an answer of the same party, so it never
//!   covers more than the party imports.
//! - Retaliation answers follow their triggers (see [`retaliation`]), over
//!   the scenario's whole history, so a trigger dated before the horizon
//!   still fires.
//! - Voiding an authority ends its measures from the ruling date; every duty
//!   they collected from their first day to the ruling is owed back, and
//!   reports lead with net duty (gross less refundable), showing both.
//! - A measure the engine cannot value says so ("not valued", and
//!   [`engine::Valuation`]) instead of counting as zero; a measure whose
//!   direction has no baseline is an error unless the scenario declares it
//!   not valued.
//!
//! ## Files
//!
//! Scenarios are TOML, baselines and HS lists CSV: see [`load`] and
//! `data/README.md`. The shipped record of the US–China trade war lives in
//! `data/`, each item with its source.
//!
//! ## Features
//!
//! - `proptest`: reusable proptest strategies in `strategies`, with the
//!   numbered list of invariants the crate guarantees, each checked by a
//!   property test (`cargo test --all-features`).
//! - `parallel`: evaluate outcome paths on several threads (rayon); results
//!   are identical to the serial run.
//! - `cli` (default): the `tariffsim` command-line tool (clap); it adds
//!   nothing to the library, so library users can turn it off with
//!   `default-features = false`.
//! - `png`: `report::svg_to_png` renders any chart to PNG (resvg, with the
//!   system's fonts), and the tool writes `--chart FILE.png`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod engine;
pub mod error;
pub mod load;
pub mod outcome;
pub mod portfolio;
pub mod report;
pub mod retaliation;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod synthetic;
pub mod tariff;
pub mod trade;
pub mod units;

pub use engine::{
    Basis, Detail, Evaluation, Exposure, PathOutcome, Prepared, Scenario, ScenarioBuilder,
    ScenarioInfo,
};
pub use error::{Error, Result};
pub use retaliation::{Policy, ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
pub use tariff::{
    Authority, Coverage, Exclusion, Goods, HsList, Measure, Regime, Schedule, Selector, Stacking,
    StackingRule, Step, StepStatus, Suspension,
};
pub use trade::{Baseline, Basket, BasketKey, Periods};
pub use units::{
    Accrued, BasketId, Currency, Date, HsCode, LayerId, MeasureId, Money, Month, NodeId, Party,
    Probability, Rate, RuleId, Share, Window,
};

pub use engine::{AS_SCHEDULED, LinePart, STREAM_KEPT, Timeline, TimelineBase, TimelinePiece};
pub use units::ACCRUAL_DENOMINATOR;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
