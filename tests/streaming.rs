//! `Scenario::evaluate_each`: every path's outcome handed over as it is
//! worked out, each the very outcome `Scenario::evaluate` gives, in path
//! order, and the reference path's returned.

use std::path::Path;

use tariffsim::load::load_scenario;
use tariffsim::synthetic::Synthetic;
use tariffsim::{Detail, Error, PathOutcome, Scenario};

/// Every path of `s` streamed, against the whole evaluation: the same
/// outcomes (every figure, answers, refunds and notes), in the same order,
/// and the same reference.
fn streams_as_evaluated(s: &Scenario, detail: Detail) {
    let mut streamed: Vec<(usize, PathOutcome)> = Vec::new();
    let reference = s
        .evaluate_each(detail, &mut |i, p| {
            streamed.push((i, p));
            Ok(())
        })
        .unwrap();
    let whole = s.evaluate(detail).unwrap();
    assert_eq!(streamed.len(), whole.paths().len());
    for (k, ((i, p), q)) in streamed.iter().zip(whole.paths()).enumerate() {
        assert_eq!(*i, k);
        assert_eq!(p, q, "path {}", q.id());
    }
    assert_eq!(&reference, whole.reference());
}

#[test]
fn every_shipped_scenario_streams_the_outcomes_it_evaluates() {
    // The record with its retaliation, the ruling and its refunds, the
    // Busan trees; the line-level scenarios are left to the synthetic
    // trees below (their single evaluation is covered in `shipped`).
    for name in [
        "g20-2018",
        "busan-2025",
        "busan-expiry-2026",
        "record-2018-2026",
    ] {
        let path = Path::new("data/scenarios").join(format!("{name}.toml"));
        let scenario = load_scenario(&path).unwrap();
        streams_as_evaluated(&scenario, Detail::Totals);
        streams_as_evaluated(&scenario, Detail::Baskets);
    }
}

#[test]
fn a_tree_with_chained_value_matched_answers_streams_the_outcomes_it_evaluates() {
    // 3 × 3 leaves, three rules (two value-matched, one chained).
    let s = Synthetic::new(2018)
        .lines(300)
        .measures(4)
        .steps(2)
        .tree(2, 3)
        .retaliation(3)
        .scenario()
        .unwrap();
    streams_as_evaluated(&s, Detail::Totals);
}

#[test]
fn an_error_from_the_receiver_stops_the_walk_and_is_returned() {
    // 2 × 2 leaves: the receiver refuses the second path, so it sees two.
    let s = Synthetic::new(2018)
        .lines(20)
        .measures(2)
        .tree(2, 2)
        .scenario()
        .unwrap();
    let mut seen = 0;
    let err = s
        .evaluate_each(Detail::Totals, &mut |i, _| {
            seen += 1;
            if i == 1 {
                return Err(Error::Invalid("stop here".into()));
            }
            Ok(())
        })
        .unwrap_err();
    assert_eq!(seen, 2);
    assert_eq!(err.to_string(), "stop here");
}
