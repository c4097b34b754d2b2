//! Outcome trees, retaliation and exposure across outcomes.

use rust_decimal::Decimal;
use tariffsim::outcome::*;
use tariffsim::retaliation::*;
use tariffsim::*;

use crate::common::*;

/// $365B a year of one basket: $1B a day in 2019; a 10% tariff from
/// 2019-01-01.
fn one_basket(tree: Option<OutcomeTree>) -> Result<Scenario> {
    let b = baseline("US", "CN", &[("goods", "365")]);
    let m = measure(
        "tariff",
        Authority::Section301,
        "US",
        "CN",
        &["goods"],
        &[("2019-01-01", "10%")],
    );
    let b = Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![b])
        .regime(Regime::new(vec![m], vec![]).unwrap());
    match tree {
        Some(t) => b.tree(t),
        None => b,
    }
    .build()
}

fn branch(id: &str, kind: OutcomeKind, p: &str) -> Branch {
    Branch::new(id.parse().unwrap(), id, kind, p.parse().unwrap())
}

fn on(target: &str, kind: ActionKind) -> Action {
    Action::new(target.parse().unwrap(), kind)
}

fn two_decisions() -> OutcomeTree {
    let talks = Node::new(
        "review".parse().unwrap(),
        "Review",
        d("2019-04-01"),
        vec![
            branch("escalate", OutcomeKind::Escalation, "0.4").with_action(on(
                "tariff",
                ActionKind::Raise {
                    from: d("2019-04-01"),
                    rate: r("25%"),
                    then: None,
                },
            )),
            branch("hold", OutcomeKind::StatusQuo, "0.6"),
        ],
    );
    OutcomeTree::new(Node::new(
        "summit".parse().unwrap(),
        "Summit",
        d("2019-01-01"),
        vec![
            branch("deal", OutcomeKind::Deal, "0.5").with_action(on(
                "tariff",
                ActionKind::Cut {
                    from: d("2019-07-01"),
                    rate: Rate::ZERO,
                    then: None,
                },
            )),
            branch("talks", OutcomeKind::Truce, "0.5").then(talks),
        ],
    ))
    .unwrap()
}

#[test]
fn a_two_decision_tree_worked_by_hand() {
    // $1B a day over 2019 (365 days).
    // deal (p 0.5): 10% for Jan 1–Jun 30 = 181 days → 18.1B.
    // talks/escalate (p 0.5 × 0.4 = 0.2): 90 days (Jan–Mar) at 10% + 275 at
    //   25% = 9 + 68.75 = 77.75B.
    // talks/hold (p 0.5 × 0.6 = 0.3): 365 × 10% = 36.5B.
    // Expected: 0.5 × 18.1 + 0.2 × 77.75 + 0.3 × 36.5 = 9.05 + 15.55 + 10.95
    //   = 35.55B.
    // Sorted: 18.1 (cum 0.5), 36.5 (0.8), 77.75 (1.0): P10 = median = 18.1,
    //   P90 = 77.75. As scheduled (no action) = 36.5B.
    let s = one_basket(Some(two_decisions())).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let totals: Vec<(String, Decimal, Decimal)> = e
        .paths()
        .iter()
        .map(|p| {
            (
                p.id().to_string(),
                p.probability(),
                p.side("US", "CN").unwrap().gross().amount(),
            )
        })
        .collect();
    assert_eq!(
        totals,
        vec![
            ("deal".to_string(), Decimal::new(5, 1), billions("18.1")),
            (
                "talks/escalate".to_string(),
                Decimal::new(20, 2),
                billions("77.75")
            ),
            (
                "talks/hold".to_string(),
                Decimal::new(30, 2),
                billions("36.5")
            ),
        ]
    );
    assert_eq!(
        e.expected("US", "CN").unwrap().net.amount(),
        billions("35.55")
    );
    let dist = e.distribution("US", "CN", Basis::Net).unwrap();
    assert_eq!(dist.min.amount(), billions("18.1"));
    assert_eq!(dist.p10.amount(), billions("18.1"));
    assert_eq!(dist.median.amount(), billions("18.1"));
    assert_eq!(dist.p90.amount(), billions("77.75"));
    assert_eq!(dist.max.amount(), billions("77.75"));
    assert_eq!(e.reference().id(), "as-scheduled");
    assert_eq!(
        e.reference().side("US", "CN").unwrap().gross().amount(),
        billions("36.5")
    );
    // Differences to the reference (every measure as scheduled): −18.4, +41.25, 0.
    let diffs: Vec<Decimal> = e
        .paths()
        .iter()
        .map(|p| e.difference(p, "US", "CN").unwrap().amount())
        .collect();
    assert_eq!(
        diffs,
        vec![billions("-18.4"), billions("41.25"), Decimal::ZERO]
    );
    assert_eq!(e.probability_sum(), Decimal::ONE);
}

/// China's 2017 imports from the US ($130.4B, reference J) with its 2018
/// answers on $34B, $16B and $60B (reference A), and a US list on the
/// remaining $257B (seed figure).
fn answer_scenario(rules: Vec<RetaliationRule>) -> Result<Scenario> {
    let us = baseline(
        "US",
        "CN",
        &[("lists-1-3", "250"), ("remaining-goods", "257")],
    );
    let cn = baseline(
        "CN",
        "US",
        &[("a1", "34"), ("a2", "16"), ("a3", "60"), ("other", "20.4")],
    );
    let mut ms = vec![
        measure(
            "lists-1-3",
            Authority::Section301,
            "US",
            "CN",
            &["lists-1-3"],
            &[("2018-09-24", "10%")],
        ),
        measure(
            "cn-1",
            Authority::Retaliation,
            "CN",
            "US",
            &["a1"],
            &[("2018-07-06", "25%")],
        ),
        measure(
            "cn-2",
            Authority::Retaliation,
            "CN",
            "US",
            &["a2"],
            &[("2018-08-23", "25%")],
        ),
        measure(
            "cn-3",
            Authority::Retaliation,
            "CN",
            "US",
            &["a3"],
            &[("2018-09-24", "10%")],
        ),
    ];
    let threat = Measure::new(
        "list-4".parse().unwrap(),
        Authority::Section301,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Coverage::of(Goods::baskets(["remaining-goods".parse().unwrap()])),
        Schedule::new(vec![Step::announced(d("2019-01-01"), r("25%"))], vec![]).unwrap(),
    )
    .unwrap();
    ms.push(threat);
    let tree = OutcomeTree::new(Node::new(
        "g20".parse().unwrap(),
        "G20",
        d("2018-12-01"),
        vec![
            branch("no-deal", OutcomeKind::Escalation, "1")
                .with_action(on("list-4", ActionKind::Impose { step: None })),
        ],
    ))
    .unwrap();
    Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![us, cn])
        .regime(Regime::new(ms, vec![]).unwrap())
        .rules(rules)
        .tree(tree)
        .build()
}

/// China matches the value of a *new* US list: it answered Lists 1-3 with
/// lists of its own in 2018 ("cn-1" to "cn-3"), so the rule watches events
/// from the G20 summit on; without the active window it would also answer
/// "lists-1-3", in force since 2018-09-24 (the history counts it).
fn value_match(id: &str) -> RetaliationRule {
    RetaliationRule::builder(
        id.parse().unwrap(),
        "CN".parse().unwrap(),
        "US".parse().unwrap(),
    )
    .watch("authority:section-301".parse().unwrap())
    .on(TriggerEvent::InForce)
    .rate(ResponseRate::Match)
    .covers(ResponseGoods::MatchValue)
    .lag_days(0)
    .cap(r("25%"))
    .active(Window::open(d("2018-12-01")))
    .build()
    .unwrap()
}

#[test]
fn worked_number_5_a_value_matching_answer_is_capped_by_the_import_base() {
    // docs/DOMAIN.md worked number 5: China's 2018 answers cover 34 + 16 + 60 =
    // $110B of its $130.4B imports from the US; an answer matching a new
    // $257B list can cover at most the remaining $20.4B.
    let s = answer_scenario(vec![value_match("cn-match")]).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let p = &e.paths()[0];
    let a = &p.answers()[0];
    assert_eq!(a.requested, Some(billions("257")));
    assert_eq!(a.covered, Some(billions("20.4")));
    assert_eq!(a.effective, d("2019-01-01"));
    // The answer shows as a measure of the answering side, with its rule.
    let cn = p.exposure().side("CN", "US").unwrap();
    let answer = cn.measure("cn-match:list-4").unwrap();
    assert_eq!(answer.origin().unwrap().rule.as_str(), "cn-match");
    assert_eq!(answer.authority(), Authority::Retaliation);
    // 2019 on $20.4B at 25% = $5.1B.
    assert_eq!(answer.gross().amount(), billions("5.1"));
    // A second value-matching rule finds nothing left to cover: it answers,
    // asks for $257B, and covers nothing, so its duty is truly zero.
    let s = answer_scenario(vec![value_match("cn-match"), value_match("cn-again")]).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let p = &e.paths()[0];
    let again = p
        .answers()
        .iter()
        .find(|n| n.rule.as_str() == "cn-again")
        .unwrap();
    assert_eq!(again.requested, Some(billions("257")));
    assert_eq!(again.covered, Some(Decimal::ZERO));
    let cn = p.side("CN", "US").unwrap();
    assert!(cn.measure("cn-again:list-4").unwrap().gross().is_zero());
    assert_eq!(
        cn.measure("cn-match:list-4").unwrap().gross().amount(),
        billions("5.1")
    );
}

#[test]
fn rules_that_answer_each_others_answers_are_refused_as_a_cycle() {
    let counter = |id: &str, party: &str, against: &str, basket: &str| {
        RetaliationRule::builder(
            id.parse().unwrap(),
            party.parse().unwrap(),
            against.parse().unwrap(),
        )
        .watch("authority:retaliation".parse().unwrap())
        .watch("authority:section-301".parse().unwrap())
        .on(TriggerEvent::InForce)
        .rate(ResponseRate::Fixed(r("10%")))
        .covers(ResponseGoods::List(Goods::baskets([basket
            .parse()
            .unwrap()])))
        .lag_days(0)
        .build()
        .unwrap()
    };
    let e = answer_scenario(vec![
        counter("cn-counter", "CN", "US", "other"),
        counter("us-counter", "US", "CN", "remaining-goods"),
    ])
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "retaliation rules cn-counter -> us-counter -> cn-counter answer each other's answers in a cycle: an answer could keep the one it answers alive after the first trigger is gone; narrow what one of them watches"
    );
}

#[test]
fn bad_actions_are_errors_naming_node_branch_and_action() {
    let tree = |action: Action, date: &str| {
        OutcomeTree::new(Node::new(
            "summit".parse().unwrap(),
            "",
            d(date),
            vec![branch("deal", OutcomeKind::Deal, "1").with_action(action)],
        ))
        .unwrap()
    };
    let err = |t| one_basket(Some(t)).unwrap_err().to_string();
    assert_eq!(
        err(tree(
            on(
                "tarif",
                ActionKind::Revoke {
                    from: d("2019-06-01")
                }
            ),
            "2019-01-01"
        )),
        "node \"summit\", branch \"deal\", action 1 (measure:tarif): unknown measure \"tarif\": define it under [[measure]] or fix the id"
    );
    assert_eq!(
        err(tree(
            on(
                "tariff",
                ActionKind::Revoke {
                    from: d("2019-03-01")
                }
            ),
            "2019-04-01"
        )),
        "node \"summit\", branch \"deal\", action 1 (measure:tariff): action on \"tariff\" dated 2019-03-01 is before its decision point (2019-04-01); date it on or after the decision"
    );
    assert_eq!(
        err(tree(
            on(
                "tariff",
                ActionKind::Revoke {
                    from: d("2020-03-01")
                }
            ),
            "2019-04-01"
        )),
        "node \"summit\", branch \"deal\", action 1 (measure:tariff): action on \"tariff\" dated 2020-03-01 is outside the horizon 2019-01-01..2020-01-01; widen the horizon or move the action"
    );
    assert_eq!(
        err(tree(
            on(
                "tariff",
                ActionKind::Postpone {
                    step: d("2019-05-01"),
                    to: Postponement::To(d("2019-06-01")),
                    shift_later: false
                }
            ),
            "2019-04-01"
        )),
        "node \"summit\", branch \"deal\", action 1 (measure:tariff), measure \"tariff\": schedule has no step on 2019-05-01; its steps are on 2019-01-01"
    );
}

#[test]
fn a_voided_authority_makes_its_duty_refundable() {
    // Void the tariff's authority from 2019-07-01: 181 days at 10% on $1B a
    // day were paid (18.1B) and are refundable; nothing accrues after.
    let t = OutcomeTree::new(Node::new(
        "court".parse().unwrap(),
        "Ruling",
        d("2019-06-01"),
        vec![branch("void", OutcomeKind::Ruling, "1").with_action(on(
            "authority:section-301",
            ActionKind::Void {
                from: d("2019-07-01"),
            },
        ))],
    ))
    .unwrap();
    let e = one_basket(Some(t))
        .unwrap()
        .evaluate(Detail::Totals)
        .unwrap();
    let side = e.paths()[0].exposure().side("US", "CN").unwrap();
    assert_eq!(side.gross().amount(), billions("18.1"));
    assert_eq!(side.refundable().amount(), billions("18.1"));
    assert_eq!(e.paths()[0].voided()[0].1, d("2019-07-01"));
}

#[test]
fn the_g20_file_reproduces_the_worked_numbers() {
    // data/scenarios/g20-2018.toml at 2017 list values (reference A, J).
    let s = load::load_scenario("data/scenarios/g20-2018.toml".as_ref()).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    // Truce as first agreed, then lapsing: docs/DOMAIN.md worked number 2.
    let lapses = e.path("truce/lapses").unwrap();
    assert_eq!(
        lapses
            .side("US", "CN")
            .unwrap()
            .gross()
            .to_cents(Currency::USD)
            .amount(),
        "57568493150.68".parse::<Decimal>().unwrap()
    );
    // No deal: 12.5 + 50 + 255.6 × 25% = 126.4B (the file's remaining goods
    // are 505.6 − 250 = 255.6B, reference J); China's value-matched answer is
    // capped at the $20.4B it does not yet tax (worked number 5).
    let no_deal = e.path("no-deal").unwrap();
    assert_eq!(
        no_deal.side("US", "CN").unwrap().gross().amount(),
        billions("126.4")
    );
    assert_eq!(no_deal.answers()[0].covered, Some(billions("20.4")));
    assert_eq!(e.probability_sum(), Decimal::ONE);
}

#[test]
fn each_path_is_charged_its_own_answer() {
    // China answers m1 at its rate on soy ($365 a year, $1 a day) from
    // 2019-03-01: 306 days to the year's end. Path "hi" raises m1 to 25%
    // (306 × 0.25 = 76.5), path "lo" leaves it at 10% (306 × 0.10 = 30.6).
    // Both answers cover the same goods, so they share a plan; each path
    // must still be charged its own rate.
    let text = r#"
include = []
[scenario]
id = "answers"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "soy", value = "365" }]
[[measure]]
id = "m1"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["a"] }
steps = [{ from = "2019-03-01", rate = "10%" }]
[[retaliation]]
id = "r"
party = "CN"
against = "US"
watch = ["m1"]
on = "in-force"
rate = "match"
covers = "list"
goods = { baskets = ["soy"] }
[[node]]
id = "n"
date = "2019-01-15"
[[node.branch]]
id = "hi"
kind = "escalation"
probability = "0.5"
action = [{ do = "raise", target = "m1", from = "2019-03-01", rate = "25%" }]
[[node.branch]]
id = "lo"
kind = "status-quo"
probability = "0.5"
"#;
    let s = load::parse_scenario(text, ".".as_ref()).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(
        e.path("hi")
            .unwrap()
            .side("CN", "US")
            .unwrap()
            .gross()
            .amount(),
        Decimal::new(765, 1)
    );
    assert_eq!(
        e.path("lo")
            .unwrap()
            .side("CN", "US")
            .unwrap()
            .gross()
            .amount(),
        Decimal::new(306, 1)
    );
}

#[test]
fn lags_and_postponements_past_the_calendar_are_errors() {
    let e = RetaliationRule::builder(
        "slow".parse().unwrap(),
        "CN".parse().unwrap(),
        "US".parse().unwrap(),
    )
    .watch("list-4".parse().unwrap())
    .on(TriggerEvent::InForce)
    .rate(ResponseRate::Match)
    .covers(ResponseGoods::MatchValue)
    .lag_days(99_999_999_999)
    .build()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "retaliation rule \"slow\" has a lag of 99999999999 days, longer than the calendar: give a lag in days that fits between two dates"
    );
    let t = OutcomeTree::new(Node::new(
        "summit".parse().unwrap(),
        "",
        d("2019-01-01"),
        vec![
            branch("later", OutcomeKind::Postponement, "1").with_action(on(
                "tariff",
                ActionKind::Postpone {
                    step: d("2019-01-01"),
                    to: Postponement::ByDays(99_999_999_999),
                    shift_later: false,
                },
            )),
        ],
    ))
    .unwrap();
    assert_eq!(
        one_basket(Some(t)).unwrap_err().to_string(),
        "node \"summit\", branch \"later\", action 1 (measure:tariff), measure \"tariff\": postponing 2019-01-01 by 99999999999 days leaves the calendar"
    );
}

#[test]
fn out_of_range_values_are_errors_not_panics() {
    assert_eq!(
        Rate::from_fraction(Decimal::MAX).unwrap_err().to_string(),
        "arithmetic overflow while computing rate 79228162514264337593543950335 as a percentage: the values are too large to hold exactly"
    );
    assert!(Rate::from_fraction(Decimal::MIN).is_err());
    let b = baseline("US", "CN", &[("a", "1"), ("b", "2")]);
    assert_eq!(
        b.annual_value(7, 2019).unwrap_err().to_string(),
        "unknown basket \"#7\" in baseline US<-CN: it has 2 baskets"
    );
}

/// Writes `files` into a fresh folder under the temp dir and returns it.
fn folder(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tariffsim-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

#[test]
fn a_rule_in_an_included_file_is_blamed_on_that_file() {
    let dir = folder(
        "include-blame",
        &[
            (
                "main.toml",
                "include = [\"rules.toml\"]\n[scenario]\nid = \"x\"\nhorizon = \"2019-01-01..2020-01-01\"\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nbasket = [{ key = \"a\", value = \"1\" }]\n[[measure]]\nid = \"m1\"\nauthority = \"section-301\"\nimposer = \"US\"\ntarget = \"CN\"\ngoods = { baskets = [\"a\"] }\nsteps = [{ from = \"2019-01-01\", rate = \"10%\" }]\n",
            ),
            (
                "rules.toml",
                "[[stacking]]\nid = \"s1\"\nkind = \"highest\"\namong = [\"m1\", \"m-typo\"]\n",
            ),
        ],
    );
    let e = load::load_scenario(&dir.join("main.toml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}, stacking rule \"s1\": unknown measure \"m-typo\": define it under [[measure]] or fix the id",
            dir.join("rules.toml").display()
        )
    );
}

#[test]
fn a_value_threshold_the_baseline_cannot_value_is_an_error_not_a_silent_no() {
    // The US baseline has months 2019-01 to 2019-06 only: the annual value
    // a covered-value trigger needs for 2019 cannot be known.
    let dir = folder(
        "threshold-gap",
        &[
            (
                "us.csv",
                "key,2019-01,2019-02,2019-03,2019-04,2019-05,2019-06\na,1,1,1,1,1,1\n",
            ),
            (
                "main.toml",
                "[scenario]\nid = \"x\"\nhorizon = \"2019-01-01..2019-07-01\"\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"us.csv\"\n[[baseline]]\nimporter = \"CN\"\nexporter = \"US\"\nbasket = [{ key = \"soy\", value = \"365\" }]\n[[measure]]\nid = \"m1\"\nauthority = \"section-301\"\nimposer = \"US\"\ntarget = \"CN\"\ngoods = { all = true }\nsteps = [{ from = \"2019-01-01\", rate = \"10%\" }]\n[[retaliation]]\nid = \"cn\"\nparty = \"CN\"\nagainst = \"US\"\nwatch = [\"m1\"]\non = \"covered-value-above\"\nthreshold = \"1\"\nrate = \"10%\"\ncovers = \"list\"\ngoods = { baskets = [\"soy\"] }\n",
            ),
        ],
    );
    let s = load::load_scenario(&dir.join("main.toml")).unwrap();
    assert_eq!(
        s.evaluate(Detail::Totals).unwrap_err().to_string(),
        "retaliation rule \"cn\": baseline US<-CN has no value for month 2019-07: add that period or widen the baseline"
    );
}
