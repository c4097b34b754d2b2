//! Holding scenarios to your own invariants with `tariffsim::strategies`.
//!
//! Two beliefs an analyst might hold, each run on generated scenarios with
//! proptest's `TestRunner` (deterministic, so the output is the same each
//! run):
//!
//! 1. "Doubling every rate doubles the duty." It holds: stacking rules look
//!    only at which rates are positive and which is highest, and doubling
//!    changes neither.
//! 2. "Lifting a measure never raises the duty." It does not hold: under an
//!    exclusive rule (goods under Section 232 pay no reciprocal duty), lifting
//!    the winning layer lets the yielding one apply again. The runner finds a
//!    scenario that shows it and shrinks it.
//!
//! Run with `cargo run --example own_invariant --features proptest`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRng, TestRunner};
use tariffsim::strategies::{self, ScenarioParts, Sizes};
use tariffsim::{
    Detail, Exposure, Prepared, Rate, Regime, Schedule, Selector, Stacking, StackingRule, Step,
    StepStatus, Suspension,
};

fn status_quo(parts: &ScenarioParts, regime: Regime) -> Result<Exposure, TestCaseError> {
    Prepared::new(parts.baselines.clone(), regime)
        .and_then(|p| p.exposure(parts.horizon, Detail::Totals))
        .map_err(|e| TestCaseError::fail(e.to_string()))
}

fn doubled(s: &Schedule) -> Result<Schedule, TestCaseError> {
    let twice = |r: Rate| {
        r.checked_add(r)
            .map_err(|e| TestCaseError::fail(e.to_string()))
    };
    let mut steps = Vec::new();
    for x in s.steps() {
        let r = twice(x.rate())?;
        steps.push(match x.status() {
            StepStatus::InForce => Step::in_force(x.effective(), r),
            StepStatus::Announced => Step::announced(x.effective(), r),
        });
    }
    let mut suspensions = Vec::new();
    for x in s.suspensions() {
        suspensions.push(Suspension::new(x.window(), twice(x.rate())?));
    }
    Schedule::new(steps, suspensions).map_err(|e| TestCaseError::fail(e.to_string()))
}

/// Belief 1: doubling every rate doubles every side's duty, exactly.
fn doubling_doubles(parts: ScenarioParts) -> Result<(), TestCaseError> {
    let base = status_quo(&parts, parts.regime.clone())?;
    let mut measures = Vec::new();
    for m in parts.regime.measures() {
        measures.push(m.with_schedule(doubled(m.schedule())?));
    }
    let regime = Regime::new(measures, parts.regime.stacking().to_vec())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let twice = status_quo(&parts, regime)?;
    for (a, b) in base.sides().iter().zip(twice.sides()) {
        prop_assert_eq!(
            a.gross().checked_add(a.gross()).ok(),
            Some(b.gross()),
            "side {}",
            a.label()
        );
    }
    Ok(())
}

/// Belief 2: lifting the first measure never raises any side's duty.
/// A stacking rule in one line, e.g. `us-s0: measure:a over measure:b`.
fn describe(rule: &StackingRule) -> String {
    let list = |v: &[Selector]| {
        v.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match rule.stacking() {
        Stacking::Exclusive { over, excluded } => {
            format!("{}: {} over {}", rule.id(), list(over), list(excluded))
        }
        Stacking::Highest { among } => format!("{}: highest of {}", rule.id(), list(among)),
        Stacking::Exempt { measures, .. } => {
            format!("{}: {} exempt goods", rule.id(), list(measures))
        }
    }
}

fn lifting_never_raises(parts: ScenarioParts) -> Result<(), TestCaseError> {
    let all = status_quo(&parts, parts.regime.clone())?;
    let rest: Vec<_> = parts.regime.measures()[1..].to_vec();
    // Rules that name the lifted measure no longer apply.
    let rules = parts
        .regime
        .stacking()
        .iter()
        .filter(|r| Regime::new(rest.clone(), vec![(*r).clone()]).is_ok())
        .cloned()
        .collect();
    let lifted = status_quo(
        &parts,
        Regime::new(rest, rules).map_err(|e| TestCaseError::fail(e.to_string()))?,
    )?;
    for (a, b) in all.sides().iter().zip(lifted.sides()) {
        prop_assert!(
            b.gross() <= a.gross(),
            "lifting {} raises side {} from {} to {}; stacking rules: {}",
            parts.regime.measures()[0].id(),
            a.label(),
            a.gross().to_cents(a.currency()),
            b.gross().to_cents(a.currency()),
            parts
                .regime
                .stacking()
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    Ok(())
}

fn report<T: std::fmt::Debug>(belief: &str, cases: u32, result: Result<(), TestError<T>>) {
    match result {
        Ok(()) => println!("{belief}: holds on {cases} generated scenarios"),
        Err(TestError::Fail(reason, _)) => {
            println!("{belief}: does not hold; smallest counterexample found: {reason}")
        }
        Err(TestError::Abort(reason)) => println!("{belief}: gave up: {reason}"),
    }
}

/// A runner with a fixed seed, so every run prints the same lines.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        max_shrink_iters: 100_000,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    TestRunner::new_with_rng(config, rng)
}

fn main() {
    let sizes = Sizes {
        retaliation_rules: 0,
        ..Sizes::default()
    };
    report(
        "doubling every rate doubles the duty",
        64,
        runner(64).run(&strategies::scenario_parts(&sizes), doubling_doubles),
    );
    let crowded = Sizes {
        stacking_rules: 4,
        measures: 3,
        ..sizes
    };
    report(
        "lifting a measure never raises the duty",
        256,
        runner(256).run(&strategies::scenario_parts(&crowded), lifting_never_raises),
    );
}
