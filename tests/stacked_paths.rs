//! Paths that change different measures of one stacking group, at dates
//! inside months: the tree's months of a group are shared across paths, and
//! each path must still owe what it owes evaluated alone, and what the plain
//! evaluation (per-basket detail, every month of the group worked out again)
//! gives it.

use rust_decimal::Decimal;
use tariffsim::outcome::*;
use tariffsim::*;

use crate::common::*;

fn branch(id: &str, p: &str) -> Branch {
    Branch::new(
        id.parse().unwrap(),
        id,
        OutcomeKind::Deal,
        p.parse().unwrap(),
    )
}

fn on(target: &str, kind: ActionKind) -> Action {
    Action::new(target.parse().unwrap(), kind)
}

/// Then: Section 232 cut to nothing from 2019-08-20, or kept.
fn second(id: &str) -> Node {
    Node::new(
        id.parse().unwrap(),
        "Review",
        d("2019-06-01"),
        vec![
            branch("cut", "0.5").with_action(on(
                "s232",
                ActionKind::Cut {
                    from: d("2019-08-20"),
                    rate: Rate::ZERO,
                    then: None,
                },
            )),
            branch("keep", "0.5"),
        ],
    )
}

/// Steel ($365B a year: $1B a day) and toys ($2B a day) in 2019; Section
/// 232 at 25% on steel and a reciprocal 10% on both, tied by a rule (from
/// 2019-05-10, Section 232 goods pay no reciprocal duty). First the
/// reciprocal rate is raised to 20% from 2019-03-15 or held; then Section
/// 232 is cut or kept.
fn scenario() -> Scenario {
    let b = baseline("US", "CN", &[("steel", "365"), ("toys", "730")]);
    let s232 = measure(
        "s232",
        Authority::Section232,
        "US",
        "CN",
        &["steel"],
        &[("2019-01-01", "25%")],
    );
    let reciprocal = measure(
        "reciprocal",
        Authority::Ieepa,
        "US",
        "CN",
        &["steel", "toys"],
        &[("2019-01-01", "10%")],
    );
    let rule = StackingRule::new(
        "232-over-reciprocal".parse().unwrap(),
        Stacking::Exclusive {
            over: vec!["s232".parse().unwrap()],
            excluded: vec!["reciprocal".parse().unwrap()],
        },
        Window::open(d("2019-05-10")),
    );
    let tree = OutcomeTree::new(Node::new(
        "talks".parse().unwrap(),
        "Talks",
        d("2019-01-01"),
        vec![
            branch("raise", "0.5")
                .with_action(on(
                    "reciprocal",
                    ActionKind::Raise {
                        from: d("2019-03-15"),
                        rate: r("20%"),
                        then: None,
                    },
                ))
                .then(second("after-raise")),
            branch("hold", "0.5").then(second("after-hold")),
        ],
    ))
    .unwrap();
    Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![b])
        .regime(Regime::new(vec![s232, reciprocal], vec![rule]).unwrap())
        .tree(tree)
        .build()
        .unwrap()
}

fn duty(p: &PathOutcome, measure: &str) -> Decimal {
    p.side("US", "CN")
        .unwrap()
        .measure(measure)
        .unwrap()
        .gross()
        .amount()
}

#[test]
fn paths_changing_different_measures_of_a_group_owe_what_they_owe_alone() {
    let s = scenario();
    let e = s.evaluate(Detail::Totals).unwrap();
    let plain = s.evaluate(Detail::Baskets).unwrap();
    let ids: Vec<&str> = e.paths().iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        ["raise/cut", "raise/keep", "hold/cut", "hold/keep"],
        "every combination of the two changes"
    );
    for p in e.paths() {
        let alone = s.evaluate_path(p.id(), Detail::Totals).unwrap();
        assert_eq!(&alone, p, "path {} differs alone", p.id());
        let side = p.side("US", "CN").unwrap();
        let other = plain.path(p.id()).unwrap().side("US", "CN").unwrap();
        for (m, o) in side.measures().iter().zip(other.measures()) {
            assert_eq!(m.by_month(), o.by_month(), "{} on {}", m.id(), p.id());
            assert_eq!(m.gross(), o.gross(), "{} on {}", m.id(), p.id());
        }
        for (l, o) in side.layers().iter().zip(other.layers()) {
            assert_eq!(l.by_month(), o.by_month(), "a layer on {}", p.id());
            assert_eq!(l.gross(), o.gross(), "a layer on {}", p.id());
        }
    }
    // raise/cut, steel ($1B a day): Section 232 at 25% Jan 1–Aug 19 (231
    // days) = 57.75B. Reciprocal on steel: 10% Jan 1–Mar 14 (73 days) =
    // 7.3B, 20% Mar 15–May 9 (56 days) = 11.2B, nothing May 10–Aug 19
    // (Section 232 wins), 20% Aug 20–Dec 31 (134 days) = 26.8B: 45.3B. On
    // toys ($2B a day): 73 × 10% × 2 + 292 × 20% × 2 = 14.6 + 116.8 =
    // 131.4B. Reciprocal in all: 176.7B.
    let raise_cut = e.path("raise/cut").unwrap();
    assert_eq!(duty(raise_cut, "s232"), billions("57.75"));
    assert_eq!(duty(raise_cut, "reciprocal"), billions("176.7"));
    // In March: 14 days at 10% and 17 at 20% on $3B a day = 4.2 + 10.2.
    let march = raise_cut
        .side("US", "CN")
        .unwrap()
        .measure("reciprocal")
        .unwrap()
        .by_month()[2];
    assert_eq!(march.amount(), billions("14.4"));
    // hold/keep: Section 232 all year, 91.25B; reciprocal 10% on steel Jan
    // 1–May 9 (129 days) = 12.9B and on toys all year = 73B: 85.9B.
    let hold_keep = e.path("hold/keep").unwrap();
    assert_eq!(duty(hold_keep, "s232"), billions("91.25"));
    assert_eq!(duty(hold_keep, "reciprocal"), billions("85.9"));
}
