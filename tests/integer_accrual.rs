//! Decimal accrual (the engine's) against integer accrual worked here, day
//! by day, in `i128` numerators of accrual units over one power of ten.
//!
//! A day's duty on a basket is `value × rate × ACCRUAL_DENOMINATOR / days
//! in the year` accrual units (docs/DOMAIN.md, Accrual). With the value
//! written `v / 10^2` (cents) and the rate's fraction `r / 10^6` (a percent
//! with four decimals), that is `v × r × (ACCRUAL_DENOMINATOR / days)` over
//! `10^8`: an integer numerator, because `ACCRUAL_DENOMINATOR` is divisible
//! by 365 and 366. Summed over every day, basket and measure in `i128`, it
//! stays below `10^15 × 10^6 × 4.6 × 10^6 × 800 days × 8 baskets × 4
//! measures ≈ 1.2 × 10^32`, inside `i128`'s 1.7 × 10^38, so the sum here is
//! exact and never rounds.
//!
//! The engine holds the same amounts as `Decimal`s, exact while a mantissa
//! fits 96 bits. The property: wherever the exact sum fits a `Decimal` at
//! the scale of its parts (so none of them was rounded), the engine gives
//! it to the last digit; wherever it does not, the engine is within one
//! accrual unit of it.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tariffsim::units::ACCRUAL_DENOMINATOR;
use tariffsim::*;

/// The power of ten under every numerator: cents (2) and a rate's fraction
/// to six places (a percent to four).
const SCALE: u32 = 8;

/// A generated measure: the baskets it covers and its steps as (day offset
/// from the window's start, which may fall before it; rate in millionths).
#[derive(Debug, Clone)]
struct Drawn {
    covers: Vec<usize>,
    steps: Vec<(i64, i64)>,
}

fn drawn(baskets: usize) -> impl Strategy<Value = Drawn> {
    (
        proptest::collection::btree_set(0..baskets, 1..=baskets),
        proptest::collection::btree_map(-60i64..800, 0i64..=1_000_000, 1..=3),
    )
        .prop_map(|(covers, steps)| Drawn {
            covers: covers.into_iter().collect(),
            steps: steps.into_iter().collect(),
        })
}

/// Baskets' annual values in cents, measures, the window's first day
/// (2019-01-01 plus an offset, so windows cross the leap years 2020 and
/// 2024) and its length in days.
fn case() -> impl Strategy<Value = (Vec<i64>, Vec<Drawn>, i64, i64)> {
    proptest::collection::vec(
        prop_oneof![
            // Whole dollars up to $100B; amounts with cents up to $10^13,
            // whose sums outgrow a Decimal's 28 digits; small amounts.
            (0i64..=100_000_000_000).prop_map(|d| d * 100),
            0i64..=1_000_000_000_000_000,
            0i64..=100_000_000,
        ],
        1..=8,
    )
    .prop_flat_map(|values| {
        let n = values.len();
        (
            Just(values),
            proptest::collection::vec(drawn(n), 1..=4),
            0i64..2_200,
            1i64..=800,
        )
    })
}

fn day(offset: i64) -> Date {
    let start: Date = "2019-01-01".parse().unwrap();
    start
        .checked_add(jiff::Span::new().days(offset))
        .expect("offsets stay in range")
}

/// The numerator, over `10^SCALE`, of a decimal given at a scale of at most
/// `SCALE`.
fn numerator(d: Decimal) -> i128 {
    assert!(d.scale() <= SCALE, "{d} has more than {SCALE} places");
    d.mantissa() * 10i128.pow(SCALE - d.scale())
}

/// Whether `engine` is `exact` (a numerator over `10^SCALE`): to the last
/// digit when the exact numerator fits 96 bits, so that every part of the
/// sum (none negative, none larger) fits a `Decimal` at `SCALE` and
/// nothing is rounded; else within one unit (the parts' sums dropped digits
/// past the 28th, each worth far less than a unit at these magnitudes).
fn agrees(engine: Decimal, exact: i128) -> bool {
    if exact.unsigned_abs() >> 96 == 0 {
        engine.scale() <= SCALE && numerator(engine) == exact
    } else {
        let drop = 10i128.pow(SCALE - engine.scale().min(SCALE));
        (engine.mantissa() * drop - exact).abs() < 10i128.pow(SCALE)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Integer and decimal accrual agree, per measure over the window and
    /// per measure and month, on generated baselines, schedules and windows:
    /// in static exposure and on a scenario's path.
    #[test]
    fn integer_and_decimal_accrual_agree_to_the_unit((values, measures, start, length) in case()) {
        let keys: Vec<String> = (0..values.len()).map(|i| format!("b{i}")).collect();
        let baseline = Baseline::new(
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Currency::USD,
            Periods::Annual,
            values
                .iter()
                .zip(&keys)
                .map(|(v, k)| Basket::annual(k.parse().unwrap(), k.as_str(), Decimal::new(*v, 2)))
                .collect(),
        )
        .unwrap();
        let window = Window::new(day(start), day(start + length)).unwrap();
        let regime = Regime::new(
            measures
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let goods = Goods::baskets(m.covers.iter().map(|b| keys[*b].parse().unwrap()));
                    let steps = m
                        .steps
                        .iter()
                        .map(|(at, millionths)| {
                            Step::in_force(
                                day(start + at),
                                Rate::from_fraction(Decimal::new(*millionths, 6)).unwrap(),
                            )
                        })
                        .collect();
                    Measure::new(
                        format!("m{i}").parse().unwrap(),
                        Authority::Other,
                        "US".parse().unwrap(),
                        "CN".parse().unwrap(),
                        Coverage::of(goods),
                        Schedule::new(steps, vec![]).unwrap(),
                    )
                    .unwrap()
                })
                .collect(),
            vec![],
        )
        .unwrap();
        let e = engine::exposure(
            std::slice::from_ref(&baseline),
            &regime,
            window,
            Detail::Totals,
        )
        .unwrap();
        // The same measures on a scenario's one path, as scheduled: each is
        // a group of its own, evaluated by its covered value summed over
        // days (the linear evaluation) where every figure fits.
        let scenario = Scenario::builder(window)
            .baseline(baseline)
            .regime(regime)
            .build()
            .unwrap();
        let evaluation = scenario.evaluate(Detail::Totals).unwrap();
        let on_path = evaluation.paths()[0].exposure().side("US", "CN").unwrap();

        // Integer accrual, day by day, apart from the engine.
        let months = e.months();
        let mut by_measure = vec![0i128; measures.len()];
        let mut by_month = vec![vec![0i128; months.len()]; measures.len()];
        for offset in start..start + length {
            let today = day(offset);
            let units_per_day = i128::from(ACCRUAL_DENOMINATOR / i64::from(today.days_in_year()));
            let month = months
                .iter()
                .position(|m| m.year() == today.year() && m.month() == today.month())
                .unwrap();
            for (i, m) in measures.iter().enumerate() {
                // The last step dated on or before today; none before the first.
                let rate = m
                    .steps
                    .iter()
                    .rev()
                    .find(|(at, _)| start + at <= offset)
                    .map_or(0, |(_, r)| i128::from(*r));
                let value: i128 = m.covers.iter().map(|b| i128::from(values[*b])).sum();
                let duty = value * rate * units_per_day;
                by_measure[i] = by_measure[i].checked_add(duty).unwrap();
                by_month[i][month] = by_month[i][month].checked_add(duty).unwrap();
            }
        }

        for side in [e.side("US", "CN").unwrap(), on_path] {
            // Every measure reported, in order, each with a row per month.
            prop_assert_eq!(side.measures().len(), measures.len());
            for (i, got) in side.measures().iter().enumerate() {
                prop_assert_eq!(got.id().as_str(), format!("m{i}"));
                prop_assert_eq!(got.by_month().len(), months.len());
                prop_assert!(
                    agrees(got.gross().units(), by_measure[i]),
                    "measure {i}: engine {} units, integer {} / 10^{SCALE}",
                    got.gross().units(),
                    by_measure[i]
                );
                for (k, cell) in got.by_month().iter().enumerate() {
                    prop_assert!(
                        agrees(cell.units(), by_month[i][k]),
                        "measure {i}, month {k}: engine {}, integer {} / 10^{SCALE}",
                        cell.units(),
                        by_month[i][k]
                    );
                }
            }
            let total: i128 = by_measure.iter().sum();
            prop_assert!(agrees(side.gross().units(), total), "side: engine {}, integer {} / 10^{SCALE}", side.gross().units(), total);
        }
    }
}
