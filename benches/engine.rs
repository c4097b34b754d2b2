//! Engine benchmarks at realistic scale, with the straightforward per-line,
//! per-day evaluation they are measured against.
//!
//! Inputs are built outside the timed closures. Before anything is timed,
//! the engine's results are checked against the per-line, per-day reference
//! to the last accrual unit (static exposure, and three paths of the tree),
//! so a faster engine that drifts by a fraction of a cent fails here.
//!
//! The reference is timed on the static case only: on a tree it runs the
//! same loop once per path, about 1,000 × as long.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tariffsim::outcome::OutcomeTree;
use tariffsim::synthetic::Synthetic;
use tariffsim::{Baseline, Detail, Exposure, Measure, Regime, Scenario, Schedule, Window};

/// The size every `engine/*` bench runs at: 20,000 lines, 10 measures with
/// 3 steps each, two years, 10 × 10 × 10 leaves.
fn sizes() -> Synthetic {
    Synthetic::new(2018)
        .lines(20_000)
        .measures(10)
        .steps(3)
        .tree(3, 10)
}

/// Every `stride`-th line of `baseline`.
fn slice(baseline: &Baseline, stride: usize) -> Baseline {
    Baseline::new(
        baseline.importer().clone(),
        baseline.exporter().clone(),
        baseline.currency(),
        baseline.periods().clone(),
        baseline.baskets().iter().step_by(stride).cloned().collect(),
    )
    .unwrap()
}

/// The schedules at the end of a path: the base schedules with each
/// branch's actions applied in order to the measures they pick.
fn path_schedules(regime: &Regime, tree: &OutcomeTree, path: usize) -> Vec<Schedule> {
    let mut schedules: Vec<Schedule> = regime
        .measures()
        .iter()
        .map(|m| m.schedule().clone())
        .collect();
    for (_, branch) in tree.steps(&tree.paths()[path]) {
        for action in branch.actions() {
            for (m, s) in regime.measures().iter().zip(schedules.iter_mut()) {
                if action.target().matches(m) {
                    *s = action.apply(s).unwrap();
                }
            }
        }
    }
    schedules
}

/// Asserts the engine's exposure equals the reference's, measure by measure
/// and month by month, to the accrual unit.
fn assert_same(
    engine: &Exposure,
    baseline: &Baseline,
    regime: &Regime,
    schedules: &[&Schedule],
    window: Window,
) {
    let expected = reference::exposure(baseline, regime, schedules, window);
    let side = engine
        .side(baseline.importer().as_str(), baseline.exporter().as_str())
        .unwrap();
    assert_eq!(side.measures().len(), expected.len());
    for (m, months) in side.measures().iter().zip(&expected) {
        let got: Vec<_> = m.by_month().iter().map(|a| a.units()).collect();
        assert_eq!(
            &got,
            months,
            "measure {} differs from the reference",
            m.id()
        );
    }
}

/// Before timing the tree with rules: three paths evaluated alone give what
/// the whole tree gives them (sharing work across paths changes nothing),
/// and every answer's rate on every day is what its rule makes of its
/// watched measures' rates `lag` days earlier (worked day by day here, apart
/// from the engine).
fn check_answers(s: &Scenario) {
    let e = s.evaluate(Detail::Totals).unwrap();
    let rules = s.retaliation();
    assert!(rules.len() >= 3, "three chained rules");
    assert!(
        rules.iter().filter(|r| r.matches_value()).count() >= 2,
        "two value-matched"
    );
    let derived = tariffsim::retaliation::derive_answers(rules, s.regime().measures()).unwrap();
    for path in [0, 457, s.tree().paths().len() - 1] {
        let id = s.tree().paths()[path].id();
        let alone = s.evaluate_path(id, Detail::Totals).unwrap();
        assert_eq!(&alone, &e.paths()[path], "path {id} differs alone");
        let mut all: Vec<Schedule> = path_schedules(s.regime(), s.tree(), path);
        for a in derived.list() {
            let rule = &rules[a.rule()];
            let made = alone
                .answers()
                .iter()
                .find(|n| &n.answer == a.measure().id())
                .map(|n| n.schedule.as_ref().clone())
                .unwrap_or_default();
            let want: Vec<Vec<tariffsim::Rate>> = a
                .triggers()
                .iter()
                .map(|t| reference::answer_by_day(rule, &all[*t], s.history()))
                .collect();
            let mut d = s.history().start();
            let mut k = 0;
            while d < s.history().end() {
                let expected = want
                    .iter()
                    .map(|w| w[k])
                    .max()
                    .unwrap_or(tariffsim::Rate::ZERO);
                assert_eq!(
                    made.rate_on(d),
                    expected,
                    "{} on {d}, path {id}",
                    a.measure().id()
                );
                d = d.tomorrow().unwrap();
                k += 1;
            }
            all.push(made);
        }
    }
}

fn engine(c: &mut Criterion) {
    let sizes = sizes();
    let scenario = sizes.scenario().unwrap();
    let window = scenario.horizon();
    let prepared = sizes.prepared().unwrap();
    let baseline = prepared.baselines()[0].clone();
    let regime = prepared.regime().clone();
    let base: Vec<&Schedule> = regime.measures().iter().map(Measure::schedule).collect();

    // Static exposure checked at full size; three paths of the tree
    // checked on a 1,000-line slice (every 20th line), as the reference
    // takes about as long per path as for the status quo.
    let exposure = prepared.exposure(window, Detail::Totals).unwrap();
    assert_same(&exposure, &baseline, &regime, &base, window);
    let sliced = slice(&baseline, 20);
    let tree = scenario.tree().clone();
    let sliced_scenario = Scenario::builder(window)
        .info(scenario.info().clone())
        .baseline(sliced.clone())
        .regime(regime.clone())
        .tree(tree.clone())
        .build()
        .unwrap();
    let evaluation = sliced_scenario.evaluate(Detail::Totals).unwrap();
    for path in [0, 457, tree.paths().len() - 1] {
        let schedules = path_schedules(&regime, &tree, path);
        let refs: Vec<&Schedule> = schedules.iter().collect();
        assert_same(
            evaluation.paths()[path].exposure(),
            &sliced,
            &regime,
            &refs,
            window,
        );
    }

    c.bench_function("engine/static/20k-lines", |b| {
        b.iter(|| {
            black_box(&prepared)
                .exposure(black_box(window), Detail::Totals)
                .unwrap()
        })
    });
    let answered = sizes.clone().retaliation(3).scenario().unwrap();
    check_answers(&answered);
    c.bench_function("engine/tree/1k-leaves-20k-lines", |b| {
        b.iter(|| black_box(&scenario).evaluate(Detail::Totals).unwrap())
    });
    // The denominator of the retaliation bench: the same two sides, measures
    // and tree, with no rules.
    let unanswered = Scenario::builder(window)
        .info(answered.info().clone())
        .baselines(answered.baselines().iter().cloned())
        .regime(answered.regime().clone())
        .tree(answered.tree().clone())
        .build()
        .unwrap();
    c.bench_function("engine/tree/1000-leaves-20k-lines-two-sides", |b| {
        b.iter(|| black_box(&unanswered).evaluate(Detail::Totals).unwrap())
    });
    c.bench_function("engine/tree/1000-leaves-20k-lines-retaliation", |b| {
        b.iter(|| black_box(&answered).evaluate(Detail::Totals).unwrap())
    });

    // Ten times the leaves (10 × 10 × 10 × 10): what `--features parallel`
    // is measured on, against the serial build.
    let wide = sizes.clone().tree(4, 10).scenario().unwrap();
    let mut big = c.benchmark_group("engine/tree");
    big.sample_size(10);
    big.bench_function("10k-leaves-20k-lines", |b| {
        b.iter(|| black_box(&wide).evaluate(Detail::Totals).unwrap())
    });
    big.finish();

    let mut slow = c.benchmark_group("reference");
    slow.sample_size(10);
    slow.bench_function("static/20k-lines", |b| {
        b.iter(|| reference::exposure(black_box(&baseline), &regime, &base, window))
    });
    slow.finish();
}

fn load(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/g20-2018.toml");
    let loaded = tariffsim::load::load_scenario(&path).unwrap();
    assert_eq!(loaded.info().id, "g20-2018");
    c.bench_function("load/record", |b| {
        b.iter(|| tariffsim::load::load_scenario(black_box(&path)).unwrap())
    });
}

fn retaliation(c: &mut Criterion) {
    // Four chained rules over two sides: China answers US rises, the US
    // answers that answer, China the US answer, the US again.
    let scenario = Synthetic::new(2018)
        .lines(2_000)
        .measures(10)
        .steps(3)
        .tree(0, 1)
        .retaliation(4)
        .scenario()
        .unwrap();
    let e = scenario.evaluate(Detail::Totals).unwrap();
    assert!(
        e.paths()[0]
            .answers()
            .iter()
            .any(|n| n.rule.as_str() == "answer-4"),
        "the chain reaches its fourth rule"
    );
    c.bench_function("retaliation/fixpoint", |b| {
        b.iter(|| black_box(&scenario).evaluate(Detail::Totals).unwrap())
    });
}

/// The straightforward evaluation: for each line, for each day, the rate
/// each measure stacks on that line that day, times the line's daily value.
mod reference {
    use rust_decimal::Decimal;
    use tariffsim::units::ACCRUAL_DENOMINATOR;
    use tariffsim::{Baseline, Measure, Periods, Rate, Regime, Schedule, Stacking, Window};

    /// A stacking rule on the side's measures (aligned flags).
    enum Rule {
        Exclusive {
            window: Window,
            over: Vec<bool>,
            excluded: Vec<bool>,
        },
        Highest {
            window: Window,
            among: Vec<bool>,
        },
    }

    /// Duty in accrual units per side measure (regime order) per month of
    /// `window`, with `schedules` aligned with the regime's measures.
    pub fn exposure(
        baseline: &Baseline,
        regime: &Regime,
        schedules: &[&Schedule],
        window: Window,
    ) -> Vec<Vec<Decimal>> {
        assert_eq!(
            *baseline.periods(),
            Periods::Annual,
            "the reference reads annual baselines"
        );
        let side: Vec<(&Measure, &Schedule)> = regime
            .measures()
            .iter()
            .zip(schedules)
            .filter(|(m, _)| {
                m.imposer() == baseline.importer() && m.target() == baseline.exporter()
            })
            .map(|(m, s)| (m, *s))
            .collect();
        assert!(
            side.iter().all(|(m, _)| !m.coverage().is_matched_value()),
            "no value-matched answers"
        );
        let flags = |sels: &[tariffsim::Selector]| -> Vec<bool> {
            side.iter()
                .map(|(m, _)| sels.iter().any(|s| s.matches(m)))
                .collect()
        };
        let rules: Vec<Rule> = regime
            .stacking()
            .iter()
            .map(|r| match r.stacking() {
                Stacking::Exclusive { over, excluded } => Rule::Exclusive {
                    window: r.window(),
                    over: flags(over),
                    excluded: flags(excluded),
                },
                Stacking::Highest { among } => Rule::Highest {
                    window: r.window(),
                    among: flags(among),
                },
                Stacking::Exempt { .. } => panic!("the reference does not read exemptions"),
            })
            .collect();

        let start = window.start();
        let month_of = |d: tariffsim::Date| -> usize {
            (i32::from(d.year() - start.year()) * 12 + i32::from(d.month() - start.month()))
                as usize
        };
        let months = month_of(window.end().yesterday().unwrap()) + 1;
        let mut out = vec![vec![Decimal::ZERO; months]; side.len()];
        let mut rates = vec![Rate::ZERO; side.len()];
        for basket in baseline.baskets() {
            let cover: Vec<Vec<Window>> = side
                .iter()
                .map(|(m, _)| m.coverage().covered_windows(basket.key(), Window::ALL))
                .collect();
            let mut day = start;
            while day < window.end() {
                let per_day = Decimal::from(ACCRUAL_DENOMINATOR / i64::from(day.days_in_year()));
                let daily = basket.values()[0] * per_day;
                for (i, (_, s)) in side.iter().enumerate() {
                    rates[i] = if cover[i].iter().any(|w| w.contains(day)) {
                        s.rate_on(day)
                    } else {
                        Rate::ZERO
                    };
                }
                stack(&rules, day, &mut rates);
                let k = month_of(day);
                for (i, r) in rates.iter().enumerate() {
                    if !r.is_zero() {
                        out[i][k] += daily * r.as_fraction();
                    }
                }
                day = day.tomorrow().unwrap();
            }
        }
        out
    }

    /// The rate `rule`'s answer to a measure on `trigger` has on each day of
    /// `history`, worked day by day: the state machine of the rule's event
    /// and policy, `lag` days behind.
    pub fn answer_by_day(
        rule: &tariffsim::RetaliationRule,
        trigger: &Schedule,
        history: Window,
    ) -> Vec<Rate> {
        use tariffsim::{Policy, ResponseRate, TriggerEvent};
        let event = rule.trigger().event;
        let rate_of = |r: Rate| {
            let r = match rule.rate() {
                ResponseRate::Match => r,
                ResponseRate::Fixed(f) => f,
            };
            rule.cap().map_or(r, |c| r.min(c))
        };
        let live = |r: Rate| match event {
            TriggerEvent::RateAbove(t) => r > t,
            _ => !r.is_zero(),
        };
        let (mut prev, mut was, mut episode, mut high, mut held) =
            (Rate::ZERO, false, false, Rate::ZERO, None::<Rate>);
        let mut by_trigger_day = Vec::new();
        let mut d = history.start();
        while d < history.end() {
            let r = trigger.rate_on(d);
            let is = live(r);
            let fired = match event {
                TriggerEvent::StepUp => r > prev,
                _ => is && !was,
            } && rule.active_window().contains(d);
            episode = is && (episode || fired);
            let follow = if episode { rate_of(r) } else { Rate::ZERO };
            by_trigger_day.push(match rule.policy() {
                Policy::Follow => follow,
                Policy::Ratchet => {
                    high = high.max(follow);
                    high
                }
                Policy::Fixed => {
                    if fired {
                        let made = rate_of(r);
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
            was = is;
            d = d.tomorrow().unwrap();
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

    /// Exclusive rules first (a winning layer is one with a positive rate
    /// before any rule applies), then each highest-rate rule in turn; ties
    /// go to the measure listed first.
    fn stack(rules: &[Rule], day: tariffsim::Date, rates: &mut [Rate]) {
        let positive: Vec<bool> = rates.iter().map(|r| !r.is_zero()).collect();
        for rule in rules {
            if let Rule::Exclusive {
                window,
                over,
                excluded,
            } = rule
            {
                if window.contains(day) && over.iter().zip(&positive).any(|(o, p)| *o && *p) {
                    for (i, r) in rates.iter_mut().enumerate() {
                        if excluded[i] && !over[i] {
                            *r = Rate::ZERO;
                        }
                    }
                }
            }
        }
        for rule in rules {
            if let Rule::Highest { window, among } = rule {
                if !window.contains(day) {
                    continue;
                }
                let mut best: Option<usize> = None;
                for i in (0..rates.len()).filter(|i| among[*i]) {
                    if best.is_none_or(|b| rates[i] > rates[b]) {
                        best = Some(i);
                    }
                }
                for (i, r) in rates.iter_mut().enumerate() {
                    if among[i] && Some(i) != best {
                        *r = Rate::ZERO;
                    }
                }
            }
        }
    }
}

criterion_group!(benches, engine, load, retaliation);
criterion_main!(benches);
