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
    c.bench_function("engine/tree/1k-leaves-20k-lines", |b| {
        b.iter(|| black_box(&scenario).evaluate(Detail::Totals).unwrap())
    });

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
