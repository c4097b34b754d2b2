//! The line-level scenario at scale: 14,422 HTS-10 lines of 2024 imports
//! from China (data/scenarios/us-china-lines-2025.toml).
//!
//! - `engine/tree/1000-leaves-14k-lines`: every path of a 10 × 10 × 10 tree
//!   built here (fentanyl rate, reciprocal end date, then snap-back rate or
//!   a List 4A cut), with per-path totals per layer and per month.
//! - `engine/tree/1000-leaves-14k-lines-retaliation`: the same tree with
//!   China's answers on its 2017 imports from the US: a value-matched answer
//!   to every Section 301 measure (at its rate, capped at 25%) and a
//!   counter-list answer following the reciprocal layer (one-day lag).
//! - `engine/tree/1000-leaves-14k-lines-2026`: the same tree on the rebuilt
//!   record (data/scenarios/us-china-lines-2026.toml: Section 232 by
//!   product on metal content, Section 122, dated exemptions, the 2026
//!   Section 301 actions) with its MFN base rates.
//! - `engine/timeline/14k-lines`: the average-rate timeline of one path.
//! - `load/lines-2025`: reading the scenario, its includes and CSV files and
//!   preparing it (coverage classes and groups): what a user pays before the
//!   first evaluation.
//!
//! Inputs are built outside the timed closures.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tariffsim::outcome::{Action, ActionKind, Branch, Node, OutcomeKind, OutcomeTree};
use tariffsim::retaliation::{ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
use tariffsim::tariff::AfterEdit;
use tariffsim::units::{Accrued, Date, parse_date};
use tariffsim::{Detail, Evaluation, Scenario, Selector};

const SCENARIO: &str = "data/scenarios/us-china-lines-2025.toml";
const RECORD: &str = "data/scenarios/us-china-lines-2026.toml";

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

/// `big` with China's side: its 2017 imports from the US by answer list and
/// two rules, a value-matched answer to Section 301 and a counter-list
/// answer following the reciprocal layer.
/// The tree with China's side added, with China's two rules or without any
/// (the denominator of the retaliation bench).
fn with_answers(big: &Scenario, answer: bool) -> Scenario {
    let cn = tariffsim::load::read_baseline_csv(
        "data/baselines/cn-us-2017-lists.csv".as_ref(),
        "CN".parse().expect("a party"),
        "US".parse().expect("a party"),
        tariffsim::Currency::USD,
        &tariffsim::load::CsvColumns::default(),
    )
    .expect("China's baseline reads");
    let party = |p: &str| p.parse().expect("a party");
    let value =
        RetaliationRule::builder("cn-match".parse().expect("an id"), party("CN"), party("US"))
            .watch(target("authority:section-301"))
            .on(TriggerEvent::InForce)
            .rate(ResponseRate::Match)
            .covers(ResponseGoods::MatchValue)
            .cap("25%".parse().expect("a rate"))
            .build()
            .expect("a rule");
    let counter = RetaliationRule::builder(
        "cn-counter".parse().expect("an id"),
        party("CN"),
        party("US"),
    )
    .watch(target("ieepa-reciprocal"))
    .on(TriggerEvent::StepUp)
    .rate(ResponseRate::Match)
    .covers(ResponseGoods::List(tariffsim::Goods::all()))
    .lag_days(1)
    .build()
    .expect("a rule");
    Scenario::builder(big.horizon())
        .baselines(big.baselines().iter().cloned().chain([cn]))
        .regime(big.regime().clone())
        .rules(if answer { vec![value, counter] } else { vec![] })
        .tree(big.tree().clone())
        .build()
        .expect("the answered tree applies")
}

/// Before timing: three paths evaluated alone give what the whole tree gives
/// them (sharing work across paths changes nothing), and China's counter
/// follows the reciprocal layer a day later, day by day.
fn check_answers(s: &Scenario) {
    let e = s.evaluate(Detail::Totals).expect("evaluates");
    for id in ["a0/b0/c0", "a4/b7/c3", "a9/b9/c9"] {
        let alone = s.evaluate_path(id, Detail::Totals).expect("evaluates");
        assert_eq!(Some(&alone), e.path(id), "path {id} differs alone");
        let counter = alone
            .answers()
            .iter()
            .find(|n| n.rule.as_str() == "cn-counter")
            .expect("China answers the reciprocal layer");
        let path = s.tree().path(id).expect("a path");
        let mut reciprocal = s
            .regime()
            .measures()
            .iter()
            .find(|m| m.id().as_str() == "ieepa-reciprocal")
            .expect("the layer")
            .schedule()
            .clone();
        for (_, branch) in s.tree().steps(path) {
            for a in branch.actions() {
                if a.target() == &target("ieepa-reciprocal") {
                    reciprocal = a.apply(&reciprocal).expect("applies");
                }
            }
        }
        let mut d = s.history().start();
        while d < s.history().end() {
            let before = d.yesterday().expect("a day");
            assert_eq!(
                counter.schedule.rate_on(d),
                reciprocal.rate_on(before),
                "{id} on {d}"
            );
            d = d.tomorrow().expect("a day");
        }
    }
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

    let record = tariffsim::load::load_scenario(RECORD.as_ref()).expect("the rebuilt record loads");
    let rebuilt = record
        .base_rates()
        .iter()
        .fold(
            Scenario::builder(record.horizon())
                .baselines(record.baselines().to_vec())
                .regime(record.regime().clone())
                .tree(thousand_leaves()),
            |b, r| b.base_rates(r.clone()),
        )
        .build()
        .expect("the generated tree applies to the rebuilt record");

    let answered = with_answers(&big, true);
    let unanswered = with_answers(&big, false);
    check_answers(&answered);

    c.bench_function("engine/tree/1000-leaves-14k-lines", |b| {
        b.iter(|| {
            let e = big.evaluate(Detail::Totals).expect("evaluates");
            black_box(per_layer_per_month(&e).len())
        })
    });
    c.bench_function("engine/tree/1000-leaves-14k-lines-2026", |b| {
        b.iter(|| {
            let e = rebuilt.evaluate(Detail::Totals).expect("evaluates");
            black_box(per_layer_per_month(&e).len())
        })
    });
    c.bench_function("engine/tree/1000-leaves-14k-lines-two-sides", |b| {
        b.iter(|| {
            let e = unanswered.evaluate(Detail::Totals).expect("evaluates");
            black_box(per_layer_per_month(&e).len())
        })
    });
    c.bench_function("engine/tree/1000-leaves-14k-lines-retaliation", |b| {
        b.iter(|| {
            let e = answered.evaluate(Detail::Totals).expect("evaluates");
            black_box(per_layer_per_month(&e).len())
        })
    });
    c.bench_function("load/lines-2025", |b| {
        b.iter(|| {
            tariffsim::load::load_scenario(black_box(SCENARIO.as_ref()))
                .expect("the line-level scenario loads")
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
