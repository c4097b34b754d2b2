//! `Scenario::with_tree`: another outcome tree on a prepared scenario gives
//! what building the scenario anew with that tree gives, and refuses what
//! building would refuse.

use rust_decimal::Decimal;
use tariffsim::outcome::*;
use tariffsim::units::{Window, parse_date};
use tariffsim::*;

fn busan() -> Scenario {
    tariffsim::load::load_scenario("data/scenarios/busan-2025.toml".as_ref()).unwrap()
}

fn branch(id: &str, kind: OutcomeKind, p: &str) -> Branch {
    Branch::new(id.parse().unwrap(), id, kind, p.parse().unwrap())
}

/// One decision on 2025-10-30: the fentanyl duty held at 20%, or cut to 5%
/// from 2025-11-10 with the US reciprocal suspension extended a year, the
/// second branch voiding the IEEPA measures on 2026-02-20 as well.
fn other_tree() -> OutcomeTree {
    let day = |s: &str| parse_date(s).unwrap();
    let cut = Action::new(
        "us-fentanyl".parse().unwrap(),
        ActionKind::Cut {
            from: day("2025-11-10"),
            rate: "5%".parse().unwrap(),
            then: None,
        },
    );
    let extend = Action::new(
        "us-reciprocal".parse().unwrap(),
        ActionKind::ExtendSuspension {
            on: day("2025-11-10"),
            until: day("2026-11-10"),
        },
    );
    let void = Action::new(
        "authority:ieepa".parse().unwrap(),
        ActionKind::Void {
            from: day("2026-02-20"),
        },
    );
    OutcomeTree::new(Node::new(
        "busan".parse().unwrap(),
        "",
        day("2025-10-30"),
        vec![
            branch("hold", OutcomeKind::StatusQuo, "0.5"),
            branch("cut", OutcomeKind::Deal, "0.3")
                .with_action(cut.clone())
                .with_action(extend.clone()),
            branch("cut-void", OutcomeKind::Ruling, "0.2")
                .with_action(cut)
                .with_action(extend)
                .with_action(void),
        ],
    ))
    .unwrap()
}

/// `s` built anew from its parts with `tree` and `reference`.
fn built_anew(s: &Scenario, tree: OutcomeTree, reference: Option<&str>) -> Result<Scenario> {
    let mut b = Scenario::builder(s.horizon())
        .info(s.info().clone())
        .baselines(s.baselines().to_vec())
        .regime(s.regime().clone())
        .rules(s.retaliation().to_vec())
        .exchange_rates(s.exchange_rates().clone())
        .refunds(s.refund_terms().clone())
        .tree(tree);
    for r in s.base_rates() {
        b = b.base_rates(r.clone());
    }
    for (i, e) in s.not_valued() {
        b = b.not_valued(i.clone(), e.clone());
    }
    if let Some(d) = s.history_from() {
        b = b.history_from(d);
    }
    if let Some(id) = reference {
        b = b.reference(id);
    }
    b.build()
}

#[test]
fn another_tree_gives_what_building_anew_gives() {
    // Busan has retaliation that follows its triggers (China's counter to
    // the reciprocal layer), refunds on a ruling and two sides: every
    // figure of every path, and the reference, must be the same.
    let s = busan();
    for reference in [None, Some("cut-void")] {
        let kept = s.with_tree(other_tree(), reference).unwrap();
        let anew = built_anew(&s, other_tree(), reference).unwrap();
        assert_eq!(kept, anew);
        let (a, b) = (
            kept.evaluate(Detail::Baskets).unwrap(),
            anew.evaluate(Detail::Baskets).unwrap(),
        );
        assert_eq!(a, b);
        assert_eq!(a.paths().len(), 3);
        assert_eq!(
            a.reference().id(),
            reference.unwrap_or(tariffsim::AS_SCHEDULED)
        );
    }
    // And the original tree gives back the original scenario.
    let same = s
        .with_tree(s.tree().clone(), s.reference().map(|p| p.id()))
        .unwrap();
    assert_eq!(same, s);
}

#[test]
fn another_tree_is_refused_where_building_refuses_it() {
    let s = busan();
    // An unknown reference names the paths there are.
    let e = s
        .with_tree(other_tree(), Some("deal/void"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"deal/void\""), "{e}");
    assert!(e.contains("cut-void"), "{e}");
    // An action on a measure the regime lacks, named by node and branch.
    let bad = OutcomeTree::new(Node::new(
        "busan".parse().unwrap(),
        "",
        parse_date("2025-10-30").unwrap(),
        vec![branch("x", OutcomeKind::Deal, "1").with_action(Action::new(
            "no-such-measure".parse().unwrap(),
            ActionKind::Revoke {
                from: parse_date("2025-11-10").unwrap(),
            },
        ))],
    ))
    .unwrap();
    let e = s.with_tree(bad.clone(), None).unwrap_err().to_string();
    let anew = built_anew(&s, bad, None).unwrap_err().to_string();
    assert_eq!(e, anew);
    assert!(e.contains("no-such-measure") && e.contains("\"x\""), "{e}");
    // A path named as the reference that takes no branch.
    let named = OutcomeTree::new(Node::new(
        "busan".parse().unwrap(),
        "",
        parse_date("2025-10-30").unwrap(),
        vec![branch(tariffsim::AS_SCHEDULED, OutcomeKind::StatusQuo, "1")],
    ))
    .unwrap();
    assert!(
        s.with_tree(named, None)
            .unwrap_err()
            .to_string()
            .contains("rename the branch")
    );
    // A decision before the history, which answers and refunds are worked
    // out over: built anew, not varied.
    let early = OutcomeTree::new(Node::new(
        "early".parse().unwrap(),
        "",
        parse_date("1990-01-01").unwrap(),
        vec![branch("hold", OutcomeKind::StatusQuo, "1")],
    ))
    .unwrap();
    let e = s.with_tree(early, None).unwrap_err().to_string();
    assert!(e.contains("build the scenario anew"), "{e}");
}

#[test]
fn a_window_the_baselines_cover_evaluates_where_the_horizon_has_a_gap() {
    // A baseline of 2019 alone ($365 a year, $1 a day) under a 25% measure,
    // on a 2019–2020 horizon: the scenario builds, evaluating the whole
    // horizon names the missing year, and the scenario narrowed to 2019
    // evaluates: 365 days × $1 × 0.25 = $91.25.
    let us = Baseline::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        Periods::Years(vec![2019]),
        vec![Basket::new(
            "goods".parse().unwrap(),
            "",
            vec![Decimal::from(365)],
        )],
    )
    .unwrap();
    let m = Measure::new(
        "m".parse().unwrap(),
        Authority::Section301,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Coverage::of(Goods::all()),
        Schedule::flat(parse_date("2019-01-01").unwrap(), "25%".parse().unwrap()),
    )
    .unwrap();
    let horizon = Window::new(
        parse_date("2019-01-01").unwrap(),
        parse_date("2021-01-01").unwrap(),
    )
    .unwrap();
    let s = Scenario::builder(horizon)
        .baseline(us)
        .regime(Regime::new(vec![m], vec![]).unwrap())
        .build()
        .unwrap();
    let err = s.evaluate(Detail::Totals).unwrap_err();
    assert_eq!(
        err.to_string(),
        "baseline US<-CN has no value for year 2020: add that period or widen the baseline"
    );
    assert!(s.evaluate_path("as-scheduled", Detail::Totals).is_err());
    let y = s.with_window(Window::year(2019).unwrap()).unwrap();
    let e = y.evaluate(Detail::Totals).unwrap();
    let side = e.path("as-scheduled").unwrap().side("US", "CN").unwrap();
    assert_eq!(side.net().amount(), Decimal::new(9125, 2));
}
