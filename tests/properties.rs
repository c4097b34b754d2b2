//! The crate held to its stated invariants (`tariffsim::strategies`, "#
//! Invariants"; module `kit`, feature `proptest`), and the engine at the
//! documented extremes: trade values up to 10^15, rates up to 10,000%,
//! horizons of 50 years, trees and retaliation chains at their limits.

use rust_decimal::Decimal;
use tariffsim::outcome::{
    Action, ActionKind, Branch, MAX_DEPTH, MAX_LEAVES, Node, OutcomeKind, OutcomeTree,
};
use tariffsim::retaliation::{ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
use tariffsim::units::ACCRUAL_DENOMINATOR;
use tariffsim::*;

use crate::common::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// An annual baseline of `importer`'s imports from `exporter`, values as
/// written (whole units, not billions).
fn annual(importer: &str, exporter: &str, baskets: &[(&str, &str)]) -> Baseline {
    Baseline::new(
        importer.parse().unwrap(),
        exporter.parse().unwrap(),
        Currency::USD,
        Periods::Annual,
        baskets
            .iter()
            .map(|(k, v)| Basket::annual(k.parse().unwrap(), *k, dec(v)))
            .collect(),
    )
    .unwrap()
}

fn flat(id: &str, imposer: &str, target: &str, from: &str, rate: &str) -> Measure {
    measure(
        id,
        Authority::Other,
        imposer,
        target,
        &["goods"],
        &[(from, rate)],
    )
}

fn horizon_2000_2050() -> Window {
    window("2000-01-01", "2050-01-01")
}

#[test]
fn ten_to_the_fifteen_at_ten_thousand_percent_for_a_year_is_exact() {
    // 10^15 × 10,000% = 10^15 × 100 = 10^17 for calendar 2019, to the digit.
    let b = annual("US", "CN", &[("goods", "1000000000000000")]);
    let m = flat("wall", "US", "CN", "2019-01-01", "10000%");
    let e = engine::exposure(
        &[b],
        &Regime::new(vec![m], vec![]).unwrap(),
        Window::year(2019).unwrap(),
        Detail::Baskets,
    )
    .unwrap();
    let side = e.side("US", "CN").unwrap();
    assert_eq!(side.gross().amount(), dec("100000000000000000"));
    // The effective rate is the rate itself: 10^17 / 10^15 = 100.
    assert_eq!(side.effective_rate().unwrap(), Decimal::ONE_HUNDRED);
    assert_eq!(side.baskets()[0].gross(), side.gross());
}

#[test]
fn fifty_years_at_the_extremes_are_exact() {
    // Each of the 50 calendar years 2000..2049 at a constant rate gives
    // value × rate (docs/DOMAIN.md, Accrual): 50 × 10^15 × 100 = 5 × 10^18.
    // In accrual units that is 5e18 × 1,681,363,740 = 8.4e27, inside
    // Decimal's 7.9e28.
    let b = annual("US", "CN", &[("goods", "1000000000000000")]);
    let m = flat("wall", "US", "CN", "2000-01-01", "10000%");
    let e = engine::exposure(
        &[b],
        &Regime::new(vec![m], vec![]).unwrap(),
        horizon_2000_2050(),
        Detail::Totals,
    )
    .unwrap();
    let side = e.side("US", "CN").unwrap();
    assert_eq!(e.months().len(), 600);
    assert_eq!(side.gross().amount(), dec("5000000000000000000"));
    assert_eq!(
        side.gross().units(),
        dec("5000000000000000000") * Decimal::from(ACCRUAL_DENOMINATOR)
    );
}

#[test]
fn monthly_values_over_fifty_years_at_the_extremes_are_exact() {
    // 10^14 a month (1.2 × 10^15 a year) at 10,000% for 50 years: each month
    // accrues its value × rate, so 600 × 10^14 × 100 = 6 × 10^18.
    let months: Vec<Month> = (2000..2050)
        .flat_map(|y| (1..=12).map(move |m| Month::new(y, m).unwrap()))
        .collect();
    let b = Baseline::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        Periods::Months(months),
        vec![Basket::new(
            "goods".parse().unwrap(),
            "",
            vec![dec("100000000000000"); 600],
        )],
    )
    .unwrap();
    let m = flat("wall", "US", "CN", "2000-01-01", "10000%");
    let e = engine::exposure(
        &[b],
        &Regime::new(vec![m], vec![]).unwrap(),
        horizon_2000_2050(),
        Detail::Totals,
    )
    .unwrap();
    assert_eq!(total(&e, "US", "CN"), dec("6000000000000000000"));
}

#[test]
fn nine_layers_at_the_extremes_fit_and_ten_overflow_with_a_clear_error() {
    // Nine measures, each 5 × 10^18 over 2000..2050 (see above): 4.5 × 10^19,
    // 7.57e28 accrual units, just inside Decimal's 7.92e28. A tenth layer
    // needs 8.4e28 units: the engine says so instead of rounding.
    let b = annual("US", "CN", &[("goods", "1000000000000000")]);
    let layers = |n: usize| -> Regime {
        Regime::new(
            (0..n)
                .map(|i| flat(&format!("layer-{i}"), "US", "CN", "2000-01-01", "10000%"))
                .collect(),
            vec![],
        )
        .unwrap()
    };
    let nine = engine::exposure(
        std::slice::from_ref(&b),
        &layers(9),
        horizon_2000_2050(),
        Detail::Totals,
    )
    .unwrap();
    assert_eq!(total(&nine, "US", "CN"), dec("45000000000000000000"));
    let ten = engine::exposure(&[b], &layers(10), horizon_2000_2050(), Detail::Totals).unwrap_err();
    assert_eq!(
        ten.to_string(),
        "baseline US<-CN: arithmetic overflow while computing a sum of accrued duty: the values are too large to hold exactly"
    );
}

/// `terms` summed exactly and rounded once, half to even, dropping the
/// fewest digits that fit `Decimal`'s 96 bits: worked out on `i128`, apart
/// from the engine's arithmetic. Zero terms count for nothing.
fn rounded_once(terms: &[Decimal]) -> Decimal {
    let nonzero: Vec<&Decimal> = terms.iter().filter(|t| !t.is_zero()).collect();
    let scale = nonzero.iter().map(|t| t.scale()).max().unwrap_or(0);
    let exact = nonzero.iter().fold(0u128, |sum, t| {
        let raised = t
            .mantissa()
            .unsigned_abs()
            .checked_mul(10u128.pow(scale - t.scale()))
            .expect("fits 128 bits");
        sum.checked_add(raised).expect("fits 128 bits")
    });
    let (mut m, mut drop) = (exact, 0);
    while m >> 96 != 0 {
        drop += 1;
        let p = 10u128.pow(drop);
        let (q, r) = (exact / p, exact % p);
        m = q + u128::from(r > p / 2 || (r == p / 2 && q % 2 == 1));
    }
    Decimal::from_i128_with_scale(m as i128, scale - drop)
}

#[test]
fn a_sides_months_and_gross_are_its_layers_summed_exactly_and_rounded_once() {
    // 999,999,999,999,999.99 a year at 9,999.99%, 33.3333% and 7.7777% over
    // 2019: in accrual units each layer's month has more significant digits
    // than Decimal's 28, so it is already rounded (see the test below).
    // A month of the side is the exact sum of its three layers' months,
    // rounded once, and the gross the exact sum of all 36 layer-months,
    // rounded once; both are worked out here on i128, as is each layer's
    // gross over its months.
    let b = annual("US", "CN", &[("goods", "999999999999999.99")]);
    let regime = Regime::new(
        vec![
            flat("a", "US", "CN", "2019-01-01", "9999.99%"),
            flat("b", "US", "CN", "2019-01-01", "33.3333%"),
            flat("c", "US", "CN", "2019-01-01", "7.7777%"),
        ],
        vec![],
    )
    .unwrap();
    let e = engine::exposure(&[b], &regime, Window::year(2019).unwrap(), Detail::Totals).unwrap();
    let side = e.side("US", "CN").unwrap();
    let layers = side.layers();
    assert_eq!(layers.len(), 3);
    let units = |a: &tariffsim::units::Accrued| a.units();
    for k in 0..12 {
        let cells: Vec<Decimal> = layers.iter().map(|l| units(&l.by_month()[k])).collect();
        assert_eq!(
            units(&side.by_month()[k]).to_string(),
            rounded_once(&cells).to_string(),
            "month {}",
            k + 1
        );
    }
    // Each layer (one measure here) totals its own months the same way.
    for (l, m) in layers.iter().zip(side.measures()) {
        let months: Vec<Decimal> = l.by_month().iter().map(units).collect();
        assert_eq!(
            units(&l.gross()).to_string(),
            rounded_once(&months).to_string()
        );
        assert_eq!(units(&m.gross()), units(&l.gross()));
    }
    let all: Vec<Decimal> = layers
        .iter()
        .flat_map(|l| l.by_month().iter().map(units))
        .collect();
    let once = rounded_once(&all);
    assert_eq!(units(&side.gross()).to_string(), once.to_string());
    // Added one by one, Decimal rounds at every addition past 28 digits
    // and ends two hundredths of a unit away: ...686.91 against ...686.89.
    assert_eq!(once.to_string(), "168827431310777398311725686.89");
    let folded = all[1..].iter().fold(all[0], |a, b| a + b);
    assert_eq!(folded.to_string(), "168827431310777398311725686.91");
}

#[test]
fn cents_at_the_extremes_are_right_to_the_cent() {
    // 999,999,999,999,999.99 at 9,999.99% for 50 years:
    // 999,999,999,999,999.99 × 99.9999 × 50 = 4,999,994,999,999,999,950.000050.
    // In accrual units that has 34 significant digits, more than Decimal's
    // 28, so the units are rounded past the 28th digit; the amount is still
    // right to the cent (the one rounding reports apply).
    let b = annual("US", "CN", &[("goods", "999999999999999.99")]);
    let m = flat("wall", "US", "CN", "2000-01-01", "9999.99%");
    let e = engine::exposure(
        &[b],
        &Regime::new(vec![m], vec![]).unwrap(),
        horizon_2000_2050(),
        Detail::Totals,
    )
    .unwrap();
    let side = e.side("US", "CN").unwrap();
    assert_eq!(
        side.gross().to_cents(Currency::USD).amount(),
        dec("4999994999999999950.00")
    );
}

#[test]
fn a_value_matched_answer_to_ten_to_the_fifteen_covers_only_what_is_imported() {
    // docs/DOMAIN.md worked number 5 at the extremes: the US taxes $10^15 at
    // 10,000%; China answers on the same value but imports only $130.4B
    // from the US (reference J): the answer covers 130.4B, not 10^15.
    let us = annual("US", "CN", &[("goods", "1000000000000000")]);
    let cn = annual(
        "CN",
        "US",
        &[("soybeans", "30400000000"), ("aircraft", "100000000000")],
    );
    let wall = flat("wall", "US", "CN", "2019-01-01", "10000%");
    let rule = RetaliationRule::builder(
        "cn-match".parse().unwrap(),
        "CN".parse().unwrap(),
        "US".parse().unwrap(),
    )
    .watch("wall".parse().unwrap())
    .on(TriggerEvent::InForce)
    .rate(ResponseRate::Match)
    .covers(ResponseGoods::MatchValue)
    .lag_days(0)
    .build()
    .unwrap();
    let s = Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![us, cn])
        .regime(Regime::new(vec![wall], vec![]).unwrap())
        .rules(vec![rule])
        .build()
        .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let p = &e.paths()[0];
    assert_eq!(p.answers()[0].requested, Some(dec("1000000000000000")));
    assert_eq!(p.answers()[0].covered, Some(dec("130400000000")));
    // All of China's imports at 10,000% for a full year: 130.4B × 100 = 13.04T.
    assert_eq!(
        p.side("CN", "US").unwrap().gross().amount(),
        dec("13040000000000")
    );
}

/// A chain of `levels` decisions, one a month from 2019-01-01's horizon on,
/// each with one certain branch that raises `wall` by one point.
fn raising_chain(levels: usize) -> Node {
    let mut next: Option<Node> = None;
    for k in (0..levels).rev() {
        let day = d("2019-01-01")
            .checked_add(jiff::Span::new().days(5 * k as i64))
            .unwrap();
        let mut b = Branch::new(
            format!("raise-{k}").parse().unwrap(),
            "",
            OutcomeKind::Escalation,
            Probability::ONE,
        )
        .with_action(Action::new(
            "wall".parse().unwrap(),
            ActionKind::Raise {
                from: day,
                rate: Rate::from_percent(Decimal::from(k as u64 + 1)).unwrap(),
                then: None,
            },
        ));
        if let Some(n) = next.take() {
            b = b.then(n);
        }
        next = Some(Node::new(
            format!("n{k}").parse().unwrap(),
            "",
            day,
            vec![b],
        ));
    }
    next.unwrap()
}

#[test]
fn a_tree_at_the_depth_limit_evaluates_exactly_and_one_deeper_is_refused() {
    // 64 decisions, five days apart from 2019-01-01, raise the rate to 1%,
    // 2%, ..., 64%. A basket of $365 a year imports $1 a day in 2019, so the
    // duty is the sum of rate-days: 5 days at each of 1..=63% (5 × 2016% =
    // $100.80) and the 50 days from day 315 to the year's end at 64%
    // ($32.00): $132.80.
    assert_eq!(MAX_DEPTH, 64);
    let b = annual("US", "CN", &[("goods", "365")]);
    let regime = Regime::new(vec![flat("wall", "US", "CN", "2019-01-01", "0%")], vec![]).unwrap();
    let tree = OutcomeTree::new(raising_chain(MAX_DEPTH)).unwrap();
    let s = Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![b.clone()])
        .regime(regime.clone())
        .tree(tree)
        .build()
        .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(e.paths().len(), 1);
    assert_eq!(
        e.paths()[0].side("US", "CN").unwrap().gross().amount(),
        dec("132.8")
    );
    assert_eq!(
        OutcomeTree::new(raising_chain(MAX_DEPTH + 1))
            .unwrap_err()
            .to_string(),
        "outcome tree depth is 65, above the limit of 64"
    );
}

/// A root with `first` branches, each followed by a decision with `second`
/// branches; probabilities 1/first and 1/second.
fn wide_tree(first: usize, second: usize) -> Node {
    let p = |n: usize| Probability::new(Decimal::ONE / Decimal::from(n as u64)).unwrap();
    let branches = (0..first)
        .map(|i| {
            let leaves = (0..second)
                .map(|j| {
                    Branch::new(
                        format!("b{j}").parse().unwrap(),
                        "",
                        OutcomeKind::Deal,
                        p(second),
                    )
                })
                .collect();
            Branch::new(
                format!("a{i}").parse().unwrap(),
                "",
                OutcomeKind::Truce,
                p(first),
            )
            .then(Node::new(
                format!("n{i}").parse().unwrap(),
                "",
                d("2019-01-01"),
                leaves,
            ))
        })
        .collect();
    Node::new("root".parse().unwrap(), "", d("2019-01-01"), branches)
}

#[test]
fn a_tree_at_the_leaf_limit_evaluates_and_one_more_leaf_is_refused() {
    // 10 branches of 0.1, each with 10,000 of 0.0001: 100,000 paths of
    // probability 0.00001, summing to exactly 1. Every path owes the same
    // $20 (a $200 basket at 10% for 2019), so expected, min and max are $20.
    assert_eq!(MAX_LEAVES, 100_000);
    let b = annual("US", "CN", &[("goods", "200")]);
    let regime = Regime::new(vec![flat("wall", "US", "CN", "2019-01-01", "10%")], vec![]).unwrap();
    let tree = OutcomeTree::new(wide_tree(10, 10_000)).unwrap();
    let s = Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![b])
        .regime(regime)
        .tree(tree)
        .build()
        .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(e.paths().len(), 100_000);
    assert_eq!(e.probability_sum(), Decimal::ONE);
    let dist = e.distribution("US", "CN", Basis::Net).unwrap();
    assert_eq!(dist.expected.amount(), Decimal::from(20));
    assert_eq!((dist.min, dist.max), (dist.expected, dist.expected));
    // Ten branches of 10,001 leaves (probability 1/10001, which Decimal
    // cannot hold exactly, so the sums are checked after the count): the
    // count is refused first.
    let p = Probability::new(Decimal::new(1, 1)).unwrap();
    let mut branches: Vec<Branch> = (0..10)
        .map(|i| {
            let leaves = (0..10_000)
                .map(|j| {
                    Branch::new(
                        format!("b{j}").parse().unwrap(),
                        "",
                        OutcomeKind::Deal,
                        Probability::new(Decimal::new(1, 4)).unwrap(),
                    )
                })
                .collect();
            Branch::new(format!("a{i}").parse().unwrap(), "", OutcomeKind::Truce, p).then(
                Node::new(
                    format!("n{i}").parse().unwrap(),
                    "",
                    d("2019-01-01"),
                    leaves,
                ),
            )
        })
        .collect();
    // One more leaf: split the first leaf of the last decision in two halves.
    let last = branches.pop().unwrap();
    let mut leaves: Vec<Branch> = last.next().unwrap().branches().to_vec();
    leaves[0] = Branch::new(
        "b0".parse().unwrap(),
        "",
        OutcomeKind::Deal,
        Probability::new(Decimal::new(1, 4)).unwrap(),
    )
    .then(Node::new(
        "split".parse().unwrap(),
        "",
        d("2019-01-01"),
        vec![
            Branch::new(
                "x".parse().unwrap(),
                "",
                OutcomeKind::Deal,
                Probability::new(Decimal::new(5, 1)).unwrap(),
            ),
            Branch::new(
                "y".parse().unwrap(),
                "",
                OutcomeKind::Deal,
                Probability::new(Decimal::new(5, 1)).unwrap(),
            ),
        ],
    ));
    branches.push(
        Branch::new("a9".parse().unwrap(), "", OutcomeKind::Truce, p).then(Node::new(
            "n9".parse().unwrap(),
            "",
            d("2019-01-01"),
            leaves,
        )),
    );
    assert_eq!(
        OutcomeTree::new(Node::new(
            "root".parse().unwrap(),
            "",
            d("2019-01-01"),
            branches
        ))
        .unwrap_err()
        .to_string(),
        "outcome tree leaf count is 100001, above the limit of 100000"
    );
}

#[test]
fn path_probabilities_beyond_decimal_places_are_refused_not_rounded() {
    // A chain of decisions, each ending the talks (0.5) or going on (0.5):
    // the path that stops at level k has probability 0.5^k, which needs k
    // decimal places. 28 levels fit exactly (0.5^28 has 28 places); at 29 a
    // decimal would round, and the paths would no longer sum to exactly 1.
    fn halving(levels: usize) -> Node {
        let half = Probability::new(Decimal::new(5, 1)).unwrap();
        let mut next: Option<Node> = None;
        for k in (0..levels).rev() {
            let mut go = Branch::new("go".parse().unwrap(), "", OutcomeKind::Truce, half);
            if let Some(n) = next.take() {
                go = go.then(n);
            }
            let stop = Branch::new("stop".parse().unwrap(), "", OutcomeKind::Collapse, half);
            next = Some(Node::new(
                format!("n{k}").parse().unwrap(),
                "",
                d("2019-01-01"),
                vec![stop, go],
            ));
        }
        next.unwrap()
    }
    let fits = OutcomeTree::new(halving(28)).unwrap();
    assert_eq!(
        fits.paths()
            .iter()
            .map(|p| p.probability())
            .sum::<Decimal>(),
        Decimal::ONE
    );
    assert_eq!(
        fits.paths().last().unwrap().probability(),
        dec("0.0000000037252902984619140625")
    );
    assert_eq!(
        OutcomeTree::new(halving(29)).unwrap_err().to_string(),
        "node \"n28\", branch \"stop\": the path's probability needs 29 decimal places, more than the 28 a decimal holds: give the branch probabilities along it fewer decimal places"
    );
}

/// Two parties whose rules answer every retaliation measure of the other.
fn ping_pong() -> Result<Scenario> {
    let us = annual("US", "CN", &[("goods", "1000")]);
    let cn = annual("CN", "US", &[("goods", "1000")]);
    let opening = measure(
        "opening",
        Authority::Section301,
        "US",
        "CN",
        &["goods"],
        &[("2019-01-01", "10%")],
    );
    let rule = |id: &str, party: &str, against: &str, watch: &[&str]| {
        watch
            .iter()
            .fold(
                RetaliationRule::builder(
                    id.parse().unwrap(),
                    party.parse().unwrap(),
                    against.parse().unwrap(),
                ),
                |b, w| b.watch(w.parse().unwrap()),
            )
            .on(TriggerEvent::InForce)
            .rate(ResponseRate::Match)
            .covers(ResponseGoods::List(Goods::all()))
            .build()
            .unwrap()
    };
    Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![us, cn])
        .regime(Regime::new(vec![opening], vec![]).unwrap())
        .rules(vec![
            rule(
                "cn-answer",
                "CN",
                "US",
                &["authority:section-301", "authority:retaliation"],
            ),
            rule("us-answer", "US", "CN", &["authority:retaliation"]),
        ])
        .build()
}

#[test]
fn rules_answering_each_others_answers_are_a_cycle_refused_when_built() {
    // cn-answer watches US retaliation, us-answer watches China's: an
    // answer could keep the other alive after "opening" is revoked.
    assert_eq!(
        ping_pong().unwrap_err().to_string(),
        "retaliation rules cn-answer -> us-answer -> cn-answer answer each other's answers in a cycle: an answer could keep the one it answers alive after the first trigger is gone; narrow what one of them watches"
    );
}

/// `n` US measures on one basket each, every one watched by China's rule.
fn many_answers(n: usize) -> Result<Evaluation> {
    let keys: Vec<String> = (0..n).map(|i| format!("goods-{i}")).collect();
    let rows: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "1000")).collect();
    let us = annual("US", "CN", &rows);
    let cn = annual("CN", "US", &[("soybeans", "1000")]);
    let ms = (0..n)
        .map(|i| {
            measure(
                &format!("m{i}"),
                Authority::Section301,
                "US",
                "CN",
                &[keys[i].as_str()],
                &[("2019-01-01", "10%")],
            )
        })
        .collect();
    let rule = RetaliationRule::builder(
        "cn".parse().unwrap(),
        "CN".parse().unwrap(),
        "US".parse().unwrap(),
    )
    .watch("authority:section-301".parse().unwrap())
    .on(TriggerEvent::InForce)
    .rate(ResponseRate::Fixed(r("5%")))
    .covers(ResponseGoods::List(Goods::all()))
    .build()
    .unwrap();
    Scenario::builder(Window::year(2019).unwrap())
        .baselines(vec![us, cn])
        .regime(Regime::new(ms, vec![]).unwrap())
        .rules(vec![rule])
        .build()?
        .evaluate(Detail::Totals)
}

#[test]
fn a_rule_watching_many_measures_answers_once() {
    // China's rule watches 1,000 US measures that all come into force on
    // 2019-01-01 and answers with 5% on its $1,000 of soybeans: one answer,
    // $50 for 2019, not 1,000 × $50.
    let e = many_answers(1_000).unwrap();
    let answers = e.paths()[0].answers();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].triggers.len(), 1_000);
    assert_eq!(
        e.paths()[0].side("CN", "US").unwrap().gross().amount(),
        Decimal::from(50)
    );
}

/// Exact arithmetic for checking the engine's expectations, independent of
/// its own: big integers over a power of ten.
#[cfg(feature = "proptest")]
mod exact {
    use num_bigint::BigInt;
    use rust_decimal::Decimal;

    fn big(d: Decimal) -> (BigInt, u32) {
        (BigInt::from(d.mantissa()), d.scale())
    }

    /// Whether `result` is `Σ p × x` rounded to the digits a Decimal holds:
    /// within half a unit of its last place, and equal when the exact sum
    /// fits a Decimal.
    pub fn is_rounding_of(items: &[(Decimal, Decimal)], result: Decimal) -> bool {
        let scale = items
            .iter()
            .map(|(p, x)| p.scale() + x.scale())
            .max()
            .unwrap_or(0);
        let ten = BigInt::from(10);
        let mut n = BigInt::from(0);
        for (p, x) in items {
            let ((mp, sp), (mx, sx)) = (big(*p), big(*x));
            n += mp * mx * ten.pow(scale - sp - sx);
        }
        let (mr, sr) = big(result);
        // Compare n / 10^scale with mr / 10^sr at a common scale.
        let common = scale.max(sr);
        let exact = &n * ten.pow(common - scale);
        let got = mr * ten.pow(common - sr);
        let diff = (exact.clone() - got).magnitude().clone();
        let half_ulp = ten.pow(common - sr).magnitude().clone();
        if diff * 2u8 > half_ulp {
            return false;
        }
        // When the exact sum fits a Decimal, it must be given exactly.
        let mut m = n;
        let mut s = scale;
        while s > 0 && (&m % &ten) == BigInt::from(0) {
            m /= &ten;
            s -= 1;
        }
        let fits = s <= 28 && m.magnitude().bits() <= 96;
        !fits || (exact == mr_scaled(result, common))
    }

    fn mr_scaled(d: Decimal, common: u32) -> BigInt {
        BigInt::from(d.mantissa()) * BigInt::from(10).pow(common - d.scale())
    }
}

/// Retaliation worked day by day, apart from the engine: what a rule's
/// answer to one watched measure is on each day.
#[cfg(feature = "proptest")]
mod oracle {
    use tariffsim::retaliation::{Policy, ResponseRate, RetaliationRule, TriggerEvent};
    use tariffsim::{Rate, Schedule, Window};

    fn answer_rate(rule: &RetaliationRule, trigger: Rate) -> Rate {
        let r = match rule.rate() {
            ResponseRate::Match => trigger,
            ResponseRate::Fixed(r) => r,
        };
        rule.cap().map_or(r, |c| r.min(c))
    }

    /// The answer's rate on each day of `history`: the policy's state
    /// machine run day by day over the trigger's rates, `lag` days behind.
    pub fn answer_by_day(rule: &RetaliationRule, trigger: &Schedule, history: Window) -> Vec<Rate> {
        let event = rule.trigger().event;
        let live = |r: Rate| match event {
            TriggerEvent::RateAbove(t) => r > t,
            _ => !r.is_zero(),
        };
        let mut by_trigger_day = Vec::new();
        let (mut prev, mut was_live, mut episode) = (Rate::ZERO, false, false);
        let (mut high, mut held) = (Rate::ZERO, None::<Rate>);
        let mut day = history.start();
        while day < history.end() {
            let r = trigger.rate_on(day);
            let is_live = live(r);
            let fired = match event {
                TriggerEvent::StepUp => r > prev,
                _ => is_live && !was_live,
            } && rule.active_window().contains(day);
            episode = is_live && (episode || fired);
            let follow = if episode {
                answer_rate(rule, r)
            } else {
                Rate::ZERO
            };
            by_trigger_day.push(match rule.policy() {
                Policy::Follow => follow,
                Policy::Ratchet => {
                    high = high.max(follow);
                    high
                }
                Policy::Fixed => {
                    // Each answer made keeps its rate; a rule's answers on
                    // the same goods do not add, so the highest made stands.
                    if fired {
                        let made = answer_rate(rule, r);
                        held = Some(match held {
                            Some(h) if event == TriggerEvent::StepUp => h.max(made),
                            Some(h) => h,
                            None => made,
                        });
                    }
                    held.unwrap_or(Rate::ZERO)
                }
            });
            prev = r;
            was_live = is_live;
            day = day.tomorrow().unwrap();
        }
        let lag = usize::try_from(rule.lag_days()).unwrap();
        (0..by_trigger_day.len())
            .map(|k| {
                if k >= lag {
                    by_trigger_day[k - lag]
                } else {
                    Rate::ZERO
                }
            })
            .collect()
    }
}

#[cfg(feature = "proptest")]
mod kit {
    //! The invariants of `tariffsim::strategies` (# Invariants), numbered as
    //! there, each on the public strategies.

    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::properties::{exact, oracle};
    use proptest::prelude::*;
    use proptest::sample::Index;
    use rust_decimal::Decimal;
    use tariffsim::engine::MeasureExposure;
    use tariffsim::strategies::{self, ScenarioParts, Sizes};
    use tariffsim::*;

    fn config() -> ProptestConfig {
        ProptestConfig::with_cases(64)
    }

    /// Sizes whose duty is exact to the last digit and whose stacking and
    /// outcomes cannot lower a total when a rate rises.
    fn monotone() -> Sizes {
        Sizes {
            exclusive: false,
            retaliation_rules: 0,
            ..Sizes::default()
        }
    }

    /// The schedules of every measure at the end of every path, applying the
    /// actions as written (an oracle independent of the engine's own walk).
    fn path_schedules(s: &Scenario) -> Vec<Vec<Schedule>> {
        let ms = s.regime().measures();
        s.tree()
            .paths()
            .iter()
            .map(|p| {
                let mut out: Vec<Schedule> = ms.iter().map(|m| m.schedule().clone()).collect();
                for (_, b) in s.tree().steps(p) {
                    for a in b.actions() {
                        for (i, m) in ms.iter().enumerate() {
                            if a.target().matches(m) {
                                out[i] = a.apply(&out[i]).unwrap();
                            }
                        }
                    }
                }
                out
            })
            .collect()
    }

    /// The parts with exempt rules and at most one highest-rate rule: two
    /// highest-rate rules sharing a measure can raise the total when that
    /// measure's rate falls (each keeps only its own highest).
    fn one_highest(mut parts: ScenarioParts) -> ScenarioParts {
        let mut highest = 0;
        let rules: Vec<StackingRule> = parts
            .regime
            .stacking()
            .iter()
            .filter(|r| match r.stacking() {
                Stacking::Highest { .. } => {
                    highest += 1;
                    highest == 1
                }
                Stacking::Exempt { .. } => true,
                Stacking::Exclusive { .. } => false,
            })
            .cloned()
            .collect();
        parts.regime = Regime::new(parts.regime.measures().to_vec(), rules).unwrap();
        parts
    }

    fn with_schedules(regime: &Regime, schedules: &[Schedule]) -> Regime {
        let ms = regime
            .measures()
            .iter()
            .zip(schedules)
            .map(|(m, s)| m.with_schedule(s.clone()))
            .collect();
        Regime::new(ms, regime.stacking().to_vec()).unwrap()
    }

    fn map_rates(s: &Schedule, f: impl Fn(Rate) -> Rate) -> Schedule {
        let steps = s
            .steps()
            .iter()
            .map(|x| match x.status() {
                StepStatus::InForce => Step::in_force(x.effective(), f(x.rate())),
                StepStatus::Announced => Step::announced(x.effective(), f(x.rate())),
            })
            .collect();
        let sus = s
            .suspensions()
            .iter()
            .map(|x| Suspension::new(x.window(), f(x.rate())))
            .collect();
        Schedule::new(steps, sus).unwrap()
    }

    fn map_values(b: &Baseline, f: impl Fn(usize, usize, Decimal) -> Decimal) -> Baseline {
        let baskets = b
            .baskets()
            .iter()
            .enumerate()
            .map(|(i, k)| {
                Basket::new(
                    k.key().clone(),
                    k.description(),
                    k.values()
                        .iter()
                        .enumerate()
                        .map(|(p, v)| f(i, p, *v))
                        .collect(),
                )
            })
            .collect();
        Baseline::new(
            b.importer().clone(),
            b.exporter().clone(),
            b.currency(),
            b.periods().clone(),
            baskets,
        )
        .unwrap()
    }

    fn static_exposure(parts: &ScenarioParts, regime: &Regime, w: Window) -> Exposure {
        Prepared::new(parts.baselines.clone(), regime.clone())
            .unwrap()
            .exposure(w, Detail::Totals)
            .unwrap()
    }

    /// Whether `a`'s rate is at most `b`'s on every day of `w`.
    fn pointwise_le(a: &Schedule, b: &Schedule, w: Window) -> bool {
        let mut days: Vec<Date> = vec![w.start()];
        days.extend(
            a.change_dates()
                .into_iter()
                .chain(b.change_dates())
                .filter(|d| w.contains(*d)),
        );
        days.iter().all(|d| a.rate_on(*d) <= b.rate_on(*d))
    }

    fn side_totals(e: &Exposure) -> Vec<Accrued> {
        e.sides().iter().map(|s| s.gross()).collect()
    }

    fn measure_totals(e: &Exposure) -> Vec<(String, Accrued)> {
        let mut out: Vec<(String, Accrued)> = e
            .sides()
            .iter()
            .flat_map(|s| s.measures().iter().map(|m| (m.id().to_string(), m.gross())))
            .collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(config())]

        /// Invariant 1.
        #[test]
        fn every_generated_scenario_is_valid(parts in strategies::scenario_parts(&Sizes::default())) {
            prop_assert!(parts.build().is_ok(), "{:?}", parts.build().err());
        }

        /// Invariant 1, with every knob turned up.
        #[test]
        fn every_generated_scenario_is_valid_at_large_sizes(parts in strategies::scenario_parts(&Sizes {
            answer_answers: true, depth: 5, branching: 3, actions: 4, steps: 5, suspensions: 3, ..Sizes::default()
        })) {
            prop_assert!(parts.build().is_ok(), "{:?}", parts.build().err());
        }

        /// Invariant 2 (and, inside the precision budget, no error at all).
        #[test]
        fn duty_is_never_negative(s in strategies::scenario(&Sizes::default())) {
            let e = s.evaluate(Detail::Baskets).unwrap();
            for p in e.paths().iter().chain([e.reference()]) {
                for side in p.exposure().sides() {
                    prop_assert!(side.gross() >= Accrued::ZERO);
                    prop_assert!(side.by_month().iter().all(|a| *a >= Accrued::ZERO));
                    for m in side.measures() {
                        prop_assert!(m.gross() >= Accrued::ZERO);
                        prop_assert!(m.by_month().iter().all(|a| *a >= Accrued::ZERO));
                    }
                    prop_assert!(side.baskets().iter().all(|b| b.gross() >= Accrued::ZERO));
                }
            }
        }

        /// Invariant 3.
        #[test]
        fn zero_rates_give_zero_duty(parts in strategies::scenario_parts(&Sizes::default())) {
            let zeroed: Vec<Schedule> = parts.regime.measures().iter().map(|m| map_rates(m.schedule(), |_| Rate::ZERO)).collect();
            let e = static_exposure(&parts, &with_schedules(&parts.regime, &zeroed), parts.horizon);
            for side in e.sides() {
                prop_assert!(side.gross().is_zero());
            }
        }

        /// Invariant 4, rates: raise every positive rate of one measure.
        #[test]
        fn raising_a_rate_never_lowers_duty(
            parts in strategies::scenario_parts(&monotone()).prop_map(one_highest),
            pick in any::<Index>(),
            delta in strategies::rate(&Sizes { max_percent: 500, ..Sizes::default() }),
        ) {
            let ms = parts.regime.measures();
            let i = pick.index(ms.len());
            let mut schedules: Vec<Schedule> = ms.iter().map(|m| m.schedule().clone()).collect();
            schedules[i] = map_rates(&schedules[i], |r| if r.is_zero() { r } else { r.checked_add(delta).unwrap() });
            let before = static_exposure(&parts, &parts.regime, parts.horizon);
            let after = static_exposure(&parts, &with_schedules(&parts.regime, &schedules), parts.horizon);
            for (a, b) in side_totals(&after).iter().zip(side_totals(&before)) {
                prop_assert!(*a >= b, "{a:?} < {b:?}");
            }
        }

        /// Invariant 4, values: raise one basket's value in one period.
        #[test]
        fn raising_a_value_never_lowers_duty(
            parts in strategies::scenario_parts(&Sizes::default()),
            side in any::<Index>(),
            basket in any::<Index>(),
            period in any::<Index>(),
            delta in strategies::trade_value(&Sizes::default()),
        ) {
            let mut raised = parts.clone();
            let si = side.index(parts.baselines.len());
            let b = &parts.baselines[si];
            let (bi, pi) = (basket.index(b.baskets().len()), period.index(b.periods().len()));
            raised.baselines[si] = map_values(b, |i, p, v| if (i, p) == (bi, pi) { v + delta } else { v });
            let before = static_exposure(&parts, &parts.regime, parts.horizon);
            let after = static_exposure(&raised, &parts.regime, parts.horizon);
            for (a, b) in side_totals(&after).iter().zip(side_totals(&before)) {
                prop_assert!(*a >= b, "{a:?} < {b:?}");
            }
        }

        /// Invariant 5, with every measure as scheduled and on every path's schedules.
        #[test]
        fn splitting_a_window_adds_up_exactly(s in strategies::scenario(&Sizes::default()), at in any::<Index>()) {
            let parts = ScenarioParts {
                info: s.info().clone(),
                baselines: s.baselines().to_vec(),
                regime: s.regime().clone(),
                retaliation: vec![],
                tree: s.tree().clone(),
                horizon: s.horizon(),
                reference: None,
            };
            let w = s.horizon();
            let split = w.start().checked_add(jiff::Span::new().days(at.index(w.days() as usize + 1) as i64)).unwrap();
            let (left, right) = (Window::new(w.start(), split).unwrap(), Window::new(split, w.end()).unwrap());
            let mut regimes = vec![s.regime().clone()];
            regimes.extend(path_schedules(&s).iter().map(|sch| with_schedules(s.regime(), sch)));
            for regime in regimes.iter().take(6) {
                let whole = static_exposure(&parts, regime, w);
                let (l, r) = (static_exposure(&parts, regime, left), static_exposure(&parts, regime, right));
                for ((a, b), c) in side_totals(&l).iter().zip(side_totals(&r)).zip(side_totals(&whole)) {
                    prop_assert_eq!(a.checked_add(b).unwrap(), c);
                }
                for ((a, b), c) in measure_totals(&l).iter().zip(measure_totals(&r)).zip(measure_totals(&whole)) {
                    prop_assert_eq!(a.1.checked_add(b.1).unwrap(), c.1);
                }
                for (a, b) in l.sides().iter().zip(r.sides()) {
                    prop_assert_eq!(a.import_value().checked_add(b.import_value()).unwrap(), whole.side(a.importer().as_str(), a.exporter().as_str()).unwrap().import_value());
                }
            }
        }

        /// Invariant 6.
        #[test]
        fn a_full_year_at_a_constant_rate_is_value_times_rate(
            baseline in (2000i16..2060).prop_flat_map(|y| strategies::baseline(&Sizes::default(), "US".parse().unwrap(), "CN".parse().unwrap(), Window::year(y).unwrap()).prop_map(move |b| (y, b))),
            rate in strategies::rate(&Sizes::default()),
            early in 0i64..400,
        ) {
            let (y, b) = baseline;
            let w = Window::year(y).unwrap();
            let from = w.start().checked_sub(jiff::Span::new().days(early)).unwrap();
            let m = Measure::new("flat".parse().unwrap(), Authority::Other, "US".parse().unwrap(), "CN".parse().unwrap(), Coverage::of(Goods::all()), Schedule::flat(from, rate)).unwrap();
            let e = engine::exposure(std::slice::from_ref(&b), &Regime::new(vec![m], vec![]).unwrap(), w, Detail::Totals).unwrap();
            let value: Decimal = (0..b.baskets().len()).map(|i| b.annual_value(i, y).unwrap()).sum();
            let side = e.side("US", "CN").unwrap();
            prop_assert_eq!(side.gross().units(), value * rate.as_fraction() * Decimal::from(units::ACCRUAL_DENOMINATOR));
            prop_assert_eq!(side.gross().amount(), value * rate.as_fraction());
            prop_assert_eq!(side.import_value().amount(), value);
        }

        /// Invariant 7, on every path (retaliation set aside: its value
        /// thresholds are not linear).
        #[test]
        fn duty_is_linear_in_values(parts in strategies::scenario_parts(&Sizes::default()), k in 2u32..10) {
            let mut parts = parts;
            parts.retaliation.clear();
            let mut scaled = parts.clone();
            let k = Decimal::from(k);
            scaled.baselines = parts.baselines.iter().map(|b| map_values(b, |_, _, v| v * k)).collect();
            let (a, b) = (parts.build().unwrap().evaluate(Detail::Totals).unwrap(), scaled.build().unwrap().evaluate(Detail::Totals).unwrap());
            for (p, q) in a.paths().iter().zip(b.paths()) {
                for (x, y) in p.exposure().sides().iter().zip(q.exposure().sides()) {
                    prop_assert_eq!(x.gross().checked_scale(k).unwrap(), y.gross());
                    for (m, n) in x.measures().iter().zip(y.measures()) {
                        prop_assert_eq!(m.gross().checked_scale(k).unwrap(), n.gross());
                    }
                }
            }
        }

        /// Invariant 8, on every path.
        #[test]
        fn additive_stacking_does_not_depend_on_measure_order(
            parts in strategies::scenario_parts(&Sizes { stacking_rules: 0, retaliation_rules: 0, ..Sizes::default() }),
            keys in proptest::collection::vec(any::<u32>(), 16),
        ) {
            let mut shuffled = parts.clone();
            let mut ms: Vec<(u32, Measure)> = parts.regime.measures().iter().cloned().enumerate().map(|(i, m)| (keys[i % 16], m)).collect();
            ms.sort_by_key(|(k, _)| *k);
            shuffled.regime = Regime::new(ms.into_iter().map(|(_, m)| m).collect(), vec![]).unwrap();
            let (a, b) = (parts.build().unwrap().evaluate(Detail::Totals).unwrap(), shuffled.build().unwrap().evaluate(Detail::Totals).unwrap());
            for (p, q) in a.paths().iter().zip(b.paths()).chain([(a.reference(), b.reference())]) {
                prop_assert_eq!(side_totals(p.exposure()), side_totals(q.exposure()));
                prop_assert_eq!(measure_totals(p.exposure()), measure_totals(q.exposure()));
            }
        }

        /// Invariant 9, highest: one rate per basket per day.
        #[test]
        fn highest_stacking_counts_a_basket_once(parts in strategies::scenario_parts(&Sizes::default())) {
            let ms = parts.regime.measures();
            let among = ms.iter().map(|m| Selector::Measure(m.id().clone())).collect();
            let rule = StackingRule::new("one-rate".parse().unwrap(), Stacking::Highest { among }, Window::ALL);
            let regime = Regime::new(ms.to_vec(), vec![rule]).unwrap();
            let e = static_exposure(&parts, &regime, parts.horizon);
            for side in e.sides() {
                let top = ms
                    .iter()
                    .filter(|m| m.imposer() == side.importer() && m.target() == side.exporter())
                    .flat_map(|m| m.schedule().steps().iter().map(|s| s.rate()).chain(m.schedule().suspensions().iter().map(|s| s.rate())))
                    .max()
                    .unwrap_or(Rate::ZERO);
                prop_assert!(side.gross().units() <= side.import_value().units() * top.as_fraction());
            }
        }

        /// Invariant 9, exclusive: the yielding measure owes nothing while
        /// the winning one is in force all along.
        #[test]
        fn exclusive_stacking_counts_a_basket_once(
            b in strategies::baseline(&Sizes::default(), "US".parse().unwrap(), "CN".parse().unwrap(), Window::year(2019).unwrap()),
            win in strategies::rate(&Sizes::default()).prop_filter("a winning rate", |r| !r.is_zero()),
            other in strategies::schedule(&Sizes::default(), Window::year(2019).unwrap()),
        ) {
            let m = |id: &str, s: Schedule| Measure::new(id.parse().unwrap(), Authority::Section232, "US".parse().unwrap(), "CN".parse().unwrap(), Coverage::of(Goods::all()), s).unwrap();
            let over = m("metals", Schedule::flat(units::parse_date("2018-03-23").unwrap(), win));
            let yields = m("reciprocal", other);
            let rule = StackingRule::new("232-first".parse().unwrap(), Stacking::Exclusive {
                over: vec![Selector::Measure(over.id().clone())],
                excluded: vec![Selector::Measure(yields.id().clone())],
            }, Window::ALL);
            let year = Window::year(2019).unwrap();
            let both = engine::exposure(std::slice::from_ref(&b), &Regime::new(vec![over.clone(), yields], vec![rule]).unwrap(), year, Detail::Totals).unwrap();
            let alone = engine::exposure(&[b], &Regime::new(vec![over], vec![]).unwrap(), year, Detail::Totals).unwrap();
            let side = both.side("US", "CN").unwrap();
            prop_assert!(side.measure("reciprocal").unwrap().gross().is_zero());
            prop_assert_eq!(side.gross(), alone.side("US", "CN").unwrap().gross());
        }

        /// Invariants 10 and 11: the expected net duty is the probability-weighted
        /// sum of the paths' net duty, worked here in exact integers (no
        /// clamp), rounded once to the digits a Decimal holds; percentiles are
        /// ordered.
        #[test]
        fn expected_exposure_is_the_exact_weighted_sum(s in strategies::scenario(&Sizes::default())) {
            let e = s.evaluate(Detail::Totals).unwrap();
            prop_assert_eq!(e.probability_sum(), Decimal::ONE);
            for (importer, exporter) in e.sides() {
                let (i, x) = (importer.as_str(), exporter.as_str());
                let d = e.distribution(i, x, Basis::Net).unwrap();
                prop_assert!(d.min <= d.p10 && d.p10 <= d.median && d.median <= d.p90 && d.p90 <= d.max, "{d:?}");
                let items: Vec<(Decimal, Decimal)> = e
                    .paths()
                    .iter()
                    .map(|p| (p.probability(), p.side(i, x).unwrap().net().units()))
                    .collect();
                let engine = e.expected(i, x).unwrap().net.units();
                prop_assert_eq!(d.expected.units(), engine);
                prop_assert!(exact::is_rounding_of(&items, engine), "{items:?} -> {engine}");
            }
        }

        /// Invariant 11, on deeper and wider trees than the scenarios use.
        #[test]
        fn path_probabilities_sum_to_exactly_one(
            tree in strategies::outcome_tree(&Sizes { depth: 7, branching: 3, ..Sizes::default() }, &[], Window::year(2019).unwrap()),
        ) {
            prop_assert_eq!(tree.paths().iter().map(|p| p.probability()).sum::<Decimal>(), Decimal::ONE);
        }

        /// Invariant 12: each answer's rate on every day of the history is what
        /// its policy makes of its triggers' rates `lag` days earlier (worked
        /// here day by day, apart from the engine's retaliation code), and
        /// value-matched answers never tax more than the answering side
        /// imports.
        #[test]
        fn answers_follow_their_triggers_day_by_day(
            s in strategies::scenario(&Sizes { retaliation_rules: 3, ..Sizes::default() }),
        ) {
            let e = s.evaluate(Detail::Totals).unwrap();
            let derived = tariffsim::retaliation::derive_answers(s.retaliation(), s.regime().measures()).unwrap();
            let history = s.history();
            for (schedules, outcome) in path_schedules(&s).iter().zip(e.paths()) {
                let mut all: Vec<Schedule> = schedules.clone();
                for a in derived.list() {
                    let rule = &s.retaliation()[a.rule()];
                    let note = outcome.answers().iter().find(|n| &n.answer == a.measure().id());
                    let got = note.map(|n| n.schedule.as_ref().clone()).unwrap_or_default();
                    if let Some(n) = note {
                        if let (Some(req), Some(cov)) = (n.requested, n.covered) {
                            prop_assert!(cov <= req);
                        }
                    }
                    all.push(got.clone());
                    if matches!(rule.trigger().event, TriggerEvent::CoveredValueAbove { .. }) {
                        continue;
                    }
                    let want: Vec<Vec<Rate>> = a
                        .triggers()
                        .iter()
                        .map(|t| oracle::answer_by_day(rule, &all[*t], history))
                        .collect();
                    let mut day = history.start();
                    let mut k = 0usize;
                    while day < history.end() {
                        let expected = want.iter().map(|w| w[k]).max().unwrap_or(Rate::ZERO);
                        prop_assert_eq!(got.rate_on(day), expected, "answer {} on {}", a.measure().id(), day);
                        day = day.tomorrow().unwrap();
                        k += 1;
                    }
                }
                // Value-matched answers: month by month, their duty is at most
                // their highest rate on every good the side imports.
                for side in outcome.exposure().sides() {
                    let value: Vec<&MeasureExposure> = side
                        .measures()
                        .iter()
                        .filter(|m| derived.list().iter().any(|a| a.measure().id() == m.id() && a.measure().coverage().is_matched_value()))
                        .collect();
                    let peak = outcome
                        .answers()
                        .iter()
                        .filter(|n| value.iter().any(|m| m.id() == &n.answer))
                        .map(|n| n.peak.as_fraction())
                        .max()
                        .unwrap_or(Decimal::ZERO);
                    for (k, imports) in side.import_by_month().iter().enumerate() {
                        let duty: Decimal = value.iter().map(|m| m.by_month()[k].units()).sum();
                        // Shares are quotients held to 28 digits.
                        let cap = imports.units() * peak;
                        prop_assert!(duty <= cap + cap * Decimal::new(1, 20), "{duty} > {cap} in month {k}");
                    }
                }
            }
        }

        /// Invariant 13, and each path's exposure equals the static engine's
        /// on that path's schedules.
        #[test]
        fn pointwise_lower_rates_give_lower_exposure(parts in strategies::scenario_parts(&monotone()).prop_map(one_highest)) {
            let s = parts.build().unwrap();
            let e = s.evaluate(Detail::Totals).unwrap();
            let w = s.horizon();
            let mut schedules = path_schedules(&s);
            let base: Vec<Schedule> = s.regime().measures().iter().map(|m| m.schedule().clone()).collect();
            let mut outcomes: Vec<&PathOutcome> = e.paths().iter().collect();
            if s.reference().is_none() {
                schedules.push(base);
                outcomes.push(e.reference());
            }
            let parts = ScenarioParts { info: s.info().clone(), baselines: s.baselines().to_vec(), regime: s.regime().clone(), retaliation: vec![], tree: s.tree().clone(), horizon: w, reference: None };
            for (sch, out) in schedules.iter().zip(&outcomes) {
                let oracle = static_exposure(&parts, &with_schedules(s.regime(), sch), w);
                prop_assert_eq!(side_totals(&oracle), side_totals(out.exposure()));
            }
            for (a, pa) in schedules.iter().zip(&outcomes) {
                for (b, pb) in schedules.iter().zip(&outcomes) {
                    if a.iter().zip(b).all(|(x, y)| pointwise_le(x, y, w)) {
                        for (x, y) in side_totals(pa.exposure()).iter().zip(side_totals(pb.exposure())) {
                            prop_assert!(*x <= y, "{} above {}", pa.id(), pb.id());
                        }
                    }
                }
            }
        }

        /// Invariant 14.
        #[test]
        fn evaluation_is_deterministic(s in strategies::scenario(&Sizes::default())) {
            for detail in [Detail::Totals, Detail::Baskets] {
                let (a, b) = (s.evaluate(detail).unwrap(), s.evaluate(detail).unwrap());
                prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
                prop_assert_eq!(a, b);
            }
        }

        /// Invariant 15.
        #[test]
        fn saving_and_loading_gives_an_equal_scenario(s in strategies::scenario(&Sizes::default())) {
            static RUN: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!("tariffsim-props-{}-{}", std::process::id(), RUN.fetch_add(1, Ordering::Relaxed)));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("scenario.toml");
            load::save_scenario(&s, &path).unwrap();
            let back = load::load_scenario(&path);
            std::fs::remove_dir_all(&dir).unwrap();
            prop_assert_eq!(back.unwrap(), s);
        }

        /// Invariant 16: past the precision budget, with answers answering
        /// answers, evaluation ends in a result or a clean error.
        #[test]
        fn no_generated_scenario_panics(s in strategies::scenario(&Sizes {
            max_value: 1_000_000_000_000_000,
            value_decimals: 2,
            horizon_years: 50,
            answer_answers: true,
            retaliation_rules: 3,
            measures: 6,
            ..Sizes::default()
        })) {
            if let Err(e) = s.evaluate(Detail::Totals) {
                let text = e.to_string();
                prop_assert!(!text.is_empty() && !text.ends_with('.'), "{text}");
                prop_assert!(!text.starts_with(|c: char| c.is_uppercase()), "{text}");
            }
        }
    }
}
