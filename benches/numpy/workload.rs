//! The workload tariffsim is compared with numpy on: outcome paths over the
//! 14,422 real lines of `data/scenarios/us-china-lines-2025.toml`, each
//! path snapping three layers to a rate from a date of its own.
//!
//! A snap `(from, rate)` on a layer's measure puts an in-force step at
//! `from` and drops its later in-force steps (`then = hold`): a raise when
//! the rate is at least the scheduled one on that day, a cut otherwise.
//! Suspensions stay, so the reciprocal layer is still capped at 10% until
//! 2026-11-10. The layers and their measures ([`LAYERS`]):
//!
//! - `busan-snap-back`: the Section 301 snap-back (all goods but the
//!   reciprocal exemptions and chapter 97), announced and never in force as
//!   scheduled, so zero before the snap;
//! - `ieepa-fentanyl`: all goods;
//! - `ieepa-reciprocal`: all goods but the reciprocal exemptions.
//!
//! Every path has probability 1/N (the remainder of the division on the
//! first). Included by `benches/report.rs` and `examples/numpy_workload.rs`.

use rust_decimal::Decimal;
use serde::Deserialize;
use tariffsim::outcome::{Action, ActionKind, Branch, Node, OutcomeKind, OutcomeTree};
use tariffsim::tariff::AfterEdit;
use tariffsim::units::{Date, Probability, Rate, parse_date};
use tariffsim::{Evaluation, Result, Scenario, Selector};

/// The layers a path snaps, each by its one measure.
pub const LAYERS: [&str; 3] = ["busan-snap-back", "ieepa-fentanyl", "ieepa-reciprocal"];

/// The first day a snap may fall on: the decision's date.
pub const FIRST: &str = "2025-03-01";

/// One layer's snap: its rate from a date on.
#[derive(Debug, Clone, Deserialize)]
pub struct Snap {
    /// The first day at the new rate, `YYYY-MM-DD`.
    pub from: String,
    /// The new rate, a percentage (`27.5%`).
    pub rate: String,
}

/// One path: a snap per layer, in the order of [`LAYERS`].
#[derive(Debug, Clone, Deserialize)]
pub struct PathSnaps {
    /// The snaps.
    pub snaps: Vec<Snap>,
}

/// `n` paths drawn from `seed` by a 64-bit LCG: dates uniform over the 671
/// days from [`FIRST`] to the end of the horizon (2027-01-01), rates 0% to
/// 100% in half points. (The comparison with numpy draws its paths in
/// `compare.py` instead, so its example does not call this.)
#[allow(dead_code)]
pub fn generate(n: usize, seed: u64) -> Vec<PathSnaps> {
    const SPAN_DAYS: u64 = 671;
    let mut state = seed;
    let mut next = |bound: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    let first = day(FIRST);
    (0..n)
        .map(|_| PathSnaps {
            snaps: LAYERS
                .iter()
                .map(|_| {
                    let days = i64::try_from(next(SPAN_DAYS)).expect("a small offset");
                    let from = first
                        .checked_add(jiff::Span::new().days(days))
                        .expect("inside the calendar");
                    let half_points = next(201);
                    Snap {
                        from: from.to_string(),
                        rate: format!(
                            "{}%",
                            Decimal::new(i64::try_from(half_points).expect("small") * 5, 1)
                        ),
                    }
                })
                .collect(),
        })
        .collect()
}

fn day(text: &str) -> Date {
    parse_date(text).expect("a literal date")
}

/// `lines` with one decision on [`FIRST`] whose branches are `paths`
/// ([`Scenario::with_tree`]: the lines' preparation is kept), every
/// measure as scheduled as the reference.
///
/// # Errors
/// When a snap's date or rate does not read or a snap does not apply.
pub fn scenario(lines: &Scenario, paths: &[PathSnaps]) -> Result<Scenario> {
    let n = Decimal::from(paths.len().max(1));
    let each = Decimal::ONE / n;
    let first = Decimal::ONE - each * (n - Decimal::ONE);
    let measures: Vec<_> = LAYERS
        .iter()
        .map(|id| {
            lines
                .regime()
                .measures()
                .iter()
                .find(|m| m.id().as_str() == *id)
                .ok_or_else(|| tariffsim::Error::Invalid(format!("no measure {id}")))
        })
        .collect::<Result<_>>()?;
    let branches = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let probability = Probability::new(if i == 0 { first } else { each })?;
            let mut branch =
                Branch::new(format!("p{i}").parse()?, "", OutcomeKind::Deal, probability);
            for (m, snap) in measures.iter().zip(&p.snaps) {
                let from = parse_date(&snap.from)?;
                let rate: Rate = snap.rate.parse()?;
                let then = Some(AfterEdit::Hold);
                let kind = if rate >= m.schedule().scheduled_rate_on(from) {
                    ActionKind::Raise { from, rate, then }
                } else {
                    ActionKind::Cut { from, rate, then }
                };
                let target: Selector = m.id().as_str().parse()?;
                branch = branch.with_action(Action::new(target, kind));
            }
            Ok(branch)
        })
        .collect::<Result<Vec<_>>>()?;
    let tree = OutcomeTree::new(Node::new("snaps".parse()?, "", day(FIRST), branches))?;
    // The loaded scenario's preparation is kept: only the tree is new.
    lines.with_tree(tree, None)
}

/// Per path, per layer (in [`LAYERS`] order), per month: the duty accrued,
/// exact.
pub fn totals(e: &Evaluation) -> Vec<Vec<Vec<Decimal>>> {
    e.paths()
        .iter()
        .map(|p| {
            LAYERS
                .iter()
                .map(|id| {
                    p.exposure()
                        .sides()
                        .iter()
                        .find_map(|s| s.layer(id))
                        .map_or_else(Vec::new, |l| {
                            l.by_month().iter().map(|a| a.amount()).collect()
                        })
                })
                .collect()
        })
        .collect()
}
