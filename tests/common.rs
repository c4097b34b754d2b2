//! Small builders shared by the test modules.

use rust_decimal::Decimal;
use tariffsim::units::parse_date;
use tariffsim::*;

pub fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

pub fn r(s: &str) -> Rate {
    s.parse().unwrap()
}

pub fn billions(b: &str) -> Decimal {
    b.parse::<Decimal>().unwrap() * Decimal::from(1_000_000_000u64)
}

pub fn window(a: &str, b: &str) -> Window {
    Window::new(d(a), d(b)).unwrap()
}

/// An annual baseline of named baskets, values in $B.
pub fn baseline(importer: &str, exporter: &str, baskets: &[(&str, &str)]) -> Baseline {
    Baseline::new(
        importer.parse().unwrap(),
        exporter.parse().unwrap(),
        Currency::USD,
        Periods::Annual,
        baskets
            .iter()
            .map(|(k, v)| Basket::annual(k.parse().unwrap(), *k, billions(v)))
            .collect(),
    )
    .unwrap()
}

/// A measure of `imposer` on `target` covering named baskets, with in-force steps.
pub fn measure(
    id: &str,
    authority: Authority,
    imposer: &str,
    target: &str,
    baskets: &[&str],
    steps: &[(&str, &str)],
) -> Measure {
    Measure::new(
        id.parse().unwrap(),
        authority,
        imposer.parse().unwrap(),
        target.parse().unwrap(),
        Coverage::of(Goods::baskets(baskets.iter().map(|b| b.parse().unwrap()))),
        Schedule::new(
            steps
                .iter()
                .map(|(a, b)| Step::in_force(d(a), r(b)))
                .collect(),
            vec![],
        )
        .unwrap(),
    )
    .unwrap()
}

/// The 2018 US Section 301 lists at list-level values, with List 3's step to
/// 25% scheduled for 2019-01-01 (data/record/us-china-2018-2026.md, section A).
pub fn us_2018() -> (Baseline, Vec<Measure>) {
    let b = baseline(
        "US",
        "CN",
        &[
            ("list-1-goods", "34"),
            ("list-2-goods", "16"),
            ("list-3-goods", "200"),
            ("remaining-goods", "257"),
        ],
    );
    let m = vec![
        measure(
            "list-1",
            Authority::Section301,
            "US",
            "CN",
            &["list-1-goods"],
            &[("2018-07-06", "25%")],
        ),
        measure(
            "list-2",
            Authority::Section301,
            "US",
            "CN",
            &["list-2-goods"],
            &[("2018-08-23", "25%")],
        ),
        measure(
            "list-3",
            Authority::Section301,
            "US",
            "CN",
            &["list-3-goods"],
            &[("2018-09-24", "10%"), ("2019-01-01", "25%")],
        ),
    ];
    (b, m)
}

pub fn total(e: &Exposure, importer: &str, exporter: &str) -> Decimal {
    e.side(importer, exporter).unwrap().gross().amount()
}
