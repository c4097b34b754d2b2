//! The line-level scenario at scale: 14,422 HTS-10 lines of 2024 imports
//! from China (data/scenarios/us-china-lines-2025.toml).
//!
//! - `engine/tree/1000-leaves-14k-lines`: every path of a 10 × 10 × 10 tree
//!   built here (fentanyl rate, reciprocal end date, then snap-back rate or
//!   a List 4A cut), with per-path totals per layer and per month.
//! - `engine/timeline/14k-lines`: the average-rate timeline of one path.
//!
//! Inputs are built outside the timed closures.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tariffsim::outcome::{Action, ActionKind, Branch, Node, OutcomeKind, OutcomeTree};
use tariffsim::tariff::AfterEdit;
use tariffsim::units::{Accrued, Date, parse_date};
use tariffsim::{Detail, Evaluation, Scenario, Selector};

const SCENARIO: &str = "data/scenarios/us-china-lines-2025.toml";

fn day(text: &str) -> Date {
    parse_date(text).expect("a literal date")
}

fn later(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days))
        .expect("inside the calendar")
}

fn target(s: &str) -> Selector {
    s.parse().expect("a literal selector")
}

fn branch(id: String, actions: Vec<Action>) -> Branch {
    let tenth = "0.1".parse().expect("a literal probability");
    actions.into_iter().fold(
        Branch::new(
            id.parse().expect("a generated id"),
            "",
            OutcomeKind::Deal,
            tenth,
        ),
        Branch::with_action,
    )
}

/// Ten branches at each of three decisions: the fentanyl rate from
/// 2025-06-01 (20% to 65%), the end of the reciprocal layer (2025-09-01 plus
/// 0 to 90 days), then at 2026-11-10 a snap-back at 34% to 74% from a date
/// 0 to 12 days later, or a List 4A cut to 7.5% down to 1.5%.
fn thousand_leaves() -> OutcomeTree {
    let first = day("2025-06-01");
    let second = day("2025-09-01");
    let third = day("2026-11-10");
    let level1: Vec<Branch> = (0..10)
        .map(|i| {
            let rate = format!("{}%", 20 + 5 * i).parse().expect("a rate");
            let raise = Action::new(
                target("ieepa-fentanyl"),
                ActionKind::Raise {
                    from: first,
                    rate,
                    then: Some(AfterEdit::KeepSchedule),
                },
            );
            let level2: Vec<Branch> = (0..10)
                .map(|j| {
                    let end = Action::new(
                        target("ieepa-reciprocal"),
                        ActionKind::Revoke {
                            from: later(second, 10 * j),
                        },
                    );
                    let level3: Vec<Branch> = (0..10)
                        .map(|k| {
                            let actions = if k < 5 {
                                let from = later(third, 3 * k);
                                let rate = format!("{}%", 34 + 10 * k).parse().expect("a rate");
                                vec![
                                    Action::new(
                                        target("busan-snap-back"),
                                        ActionKind::Impose { step: None },
                                    ),
                                    Action::new(
                                        target("busan-snap-back"),
                                        ActionKind::Raise {
                                            from,
                                            rate,
                                            then: Some(AfterEdit::KeepSchedule),
                                        },
                                    ),
                                ]
                            } else {
                                let rate = ["7.5%", "6%", "4.5%", "3%", "1.5%"][k as usize - 5]
                                    .parse()
                                    .expect("a rate");
                                vec![Action::new(
                                    target("list-4a"),
                                    ActionKind::Cut {
                                        from: third,
                                        rate,
                                        then: Some(AfterEdit::KeepSchedule),
                                    },
                                )]
                            };
                            branch(format!("c{k}"), actions)
                        })
                        .collect();
                    let node = Node::new(
                        format!("busan-{i}-{j}").parse().expect("an id"),
                        "",
                        third,
                        level3,
                    );
                    branch(format!("b{j}"), vec![end]).then(node)
                })
                .collect();
            let node = Node::new(
                format!("geneva-{i}").parse().expect("an id"),
                "",
                second,
                level2,
            );
            branch(format!("a{i}"), vec![raise]).then(node)
        })
        .collect();
    OutcomeTree::new(Node::new(
        "talks".parse().expect("an id"),
        "",
        first,
        level1,
    ))
    .expect("a valid tree")
}

/// Per path: duty per layer, per month and over the horizon.
fn per_layer_per_month(e: &Evaluation) -> Vec<BTreeMap<&str, (&[Accrued], Accrued)>> {
    e.paths()
        .iter()
        .map(|p| {
            p.exposure()
                .sides()
                .iter()
                .flat_map(|side| side.layers())
                .map(|l| (l.layer().as_str(), (l.by_month(), l.gross())))
                .collect()
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let lines =
        tariffsim::load::load_scenario(SCENARIO.as_ref()).expect("the line-level scenario loads");
    let tree = thousand_leaves();
    assert_eq!(tree.paths().len(), 1000);
    let big = Scenario::builder(lines.horizon())
        .baselines(lines.baselines().to_vec())
        .regime(lines.regime().clone())
        .tree(tree)
        .build()
        .expect("the generated tree applies");

    c.bench_function("engine/tree/1000-leaves-14k-lines", |b| {
        b.iter(|| {
            let e = big.evaluate(Detail::Totals).expect("evaluates");
            black_box(per_layer_per_month(&e).len())
        })
    });
    c.bench_function("engine/timeline/14k-lines", |b| {
        b.iter(|| {
            black_box(
                lines
                    .timeline(black_box("ieepa-void/escalation"))
                    .expect("a timeline"),
            )
        })
    });
}

criterion_group!(lines, benches);
criterion_main!(lines);
