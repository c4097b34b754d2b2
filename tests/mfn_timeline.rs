//! The base (MFN) rate in the average-rate timeline: a layer of its own
//! under the additional layers, the all-in rate on top, and what it leaves
//! out said, never a zero for a rate not given.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tariffsim::report::{EvaluationReport, PathTimelines, base_note, layers_svg, timeline_csv};
use tariffsim::tariff::{BaseRate, BaseRateKind, BaseRates};
use tariffsim::*;

use crate::common::*;

fn basket(code: &str, values: &[Decimal]) -> Basket {
    Basket::new(code.parse().unwrap(), code, values.to_vec())
}

/// Two years of imports: 0101 at 4% ad valorem, 0201 at "1¢/kg + 2%"
/// (compound: its 2% counts), 9999 with no base rate; a 25% measure on
/// 0101 from 2019-01-01.
fn prepared() -> Prepared {
    let b = Baseline::new(
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        Periods::Years(vec![2019, 2020]),
        vec![
            basket("0101300000", &[dec!(300_000_000), dec!(100_000_000)]),
            basket("0201100000", &[dec!(100_000_000), dec!(300_000_000)]),
            basket("9999950000", &[dec!(100_000_000), dec!(100_000_000)]),
        ],
    )
    .unwrap();
    let mfn = BaseRates::new(
        "US".parse().unwrap(),
        "test schedule",
        [
            (
                "01013000".parse().unwrap(),
                BaseRate::new(BaseRateKind::AdValorem, Some(r("4%")), "4%").unwrap(),
            ),
            (
                "02011000".parse().unwrap(),
                BaseRate::new(BaseRateKind::Compound, Some(r("2%")), "1¢/kg + 2%").unwrap(),
            ),
        ],
    )
    .unwrap();
    let list = Measure::new(
        "extra".parse().unwrap(),
        Authority::Section301,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Coverage::of(Goods::hs(["0101".parse().unwrap()])),
        Schedule::flat(d("2019-01-01"), r("25%")),
    )
    .unwrap();
    Prepared::new(vec![b], Regime::new(vec![list], vec![]).unwrap())
        .unwrap()
        .with_base_rates(vec![mfn])
        .unwrap()
}

#[test]
fn the_base_rate_is_its_own_layer_per_year_and_all_in_adds_it() {
    let t = prepared()
        .timeline(window("2019-07-01", "2020-07-01"))
        .unwrap();
    let t = &t[0];
    // Worked by hand, the values' sum is $500M both years:
    // 2019: (300M × 4% + 100M × 2%) / 500M = 14M / 500M = 2.8%;
    //       additional 300M × 25% / 500M = 15%; all-in 17.8%.
    // 2020: (100M × 4% + 300M × 2%) / 500M = 10M / 500M = 2%;
    //       additional 100M × 25% / 500M = 5%; all-in 7%.
    type Piece = (Date, Date, Decimal, Option<Decimal>, Option<Decimal>);
    let got: Vec<Piece> = t
        .pieces
        .iter()
        .map(|p| {
            (
                p.window.start(),
                p.window.end(),
                p.total,
                p.base,
                p.all_in(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                d("2019-07-01"),
                d("2020-01-01"),
                dec!(0.15),
                Some(dec!(0.028)),
                Some(dec!(0.178))
            ),
            (
                d("2020-01-01"),
                d("2020-07-01"),
                dec!(0.05),
                Some(dec!(0.02)),
                Some(dec!(0.07))
            ),
        ]
    );
    // The layers are the additional ones only: the base is apart.
    assert_eq!(t.layers.len(), 1);
    let base = t.base.as_ref().unwrap();
    assert_eq!(base.source, "test schedule");
    assert_eq!(base.partly_valued.lines, 1);
    assert_eq!(base.missing.lines, 1);
    // The line with no rate: $100M × 184/365 + $100M × 182/366 of value
    // over the window (2019-07-01..2020-01-01 is 184 days of 365, the rest
    // 182 of 366): more than $100M, less than $100.5M.
    let missing = base.missing.import_value.amount();
    assert!(missing > dec!(100_000_000) && missing < dec!(100_500_000));
    assert!(!base.is_complete());
}

#[test]
fn what_the_base_rate_leaves_out_is_said_in_words_csv_and_chart() {
    let p = prepared();
    let t = p.timeline(window("2019-01-01", "2020-01-01")).unwrap();
    // A whole year of 2019 values: $100M at a compound rate, $100M with none.
    assert_eq!(
        base_note(&t[0]).unwrap(),
        "US<-CN: the MFN and all-in averages are lower bounds: 1 line ($100.00M of imports) \
         has a specific, compound or other rate and counts only its ad valorem part; \
         1 line ($100.00M) has no base rate and counts none"
    );
    let csv = timeline_csv(&t).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("date,side,extra,total,mfn,all_in"));
    assert_eq!(
        lines.next(),
        Some("2019-01-01,US<-CN,0.15,0.15,0.028,0.178")
    );

    // A scenario with base rates draws them as the bottom band and the
    // all-in rate on top; the note is under the chart.
    let s = Scenario::builder(window("2019-01-01", "2020-01-01"))
        .baseline(p.baselines()[0].clone())
        .regime(p.regime().clone())
        .base_rates(p.base_rates()[0].clone())
        .build()
        .unwrap();
    let report = EvaluationReport::new(&s, &s.evaluate(Detail::Totals).unwrap()).unwrap();
    let path = PathTimelines {
        path: AS_SCHEDULED.into(),
        probability: Decimal::ZERO,
        sides: s.timeline(AS_SCHEDULED).unwrap(),
    };
    let svg = layers_svg(&report, &path);
    assert!(
        svg.contains("<title>MFN (base rate)</title></polygon>"),
        "{svg}"
    );
    assert!(svg.contains("all-in (MFN + additional)"));
    assert!(
        svg.contains("($100.00M) has no base rate and counts none."),
        "{svg}"
    );
}

#[test]
fn a_side_without_base_rates_has_no_base_figure_and_no_base_column() {
    let g20 = load::load_scenario("data/scenarios/g20-2018.toml".as_ref()).unwrap();
    let t = g20.timeline("no-deal").unwrap();
    assert!(t.iter().all(|s| s.base.is_none() && base_note(s).is_none()));
    assert!(
        t.iter()
            .flat_map(|s| &s.pieces)
            .all(|p| p.base.is_none() && p.all_in().is_none())
    );
    let csv = timeline_csv(&t).unwrap();
    assert!(!csv.lines().next().unwrap().contains("mfn"));
}

#[test]
fn the_rebuilt_record_carries_the_2024_mfn_under_every_piece() {
    let s = load::load_scenario("data/scenarios/us-china-lines-2026.toml".as_ref()).unwrap();
    let path = &s.tree().paths()[0];
    let t = s.timeline(path.id()).unwrap();
    let side = &t[0];
    // Every ad valorem component over all 2024 value, data/lines/2026/
    // check.py section 1: $10,872,904,739 of MFN on $419,896,278,672 +
    // $4,393,576,684 + $5,135,973,063 = $429,425,828,419 of imports
    // (fully, partly and not valued) = 2.5320%; the record's baseline is
    // the 2024 annual value in every year, so every piece has it.
    for p in &side.pieces {
        let base = p.base.unwrap();
        assert_eq!(
            (base * dec!(100)).round_dp(4),
            dec!(2.5320),
            "{:?}",
            p.window
        );
        assert_eq!(p.all_in(), Some(base + p.total));
    }
    let base = side.base.as_ref().unwrap();
    // 947 lines not valued beyond an ad valorem part and 1 with no rate
    // (9999.95.0000), as in the 2024 reconciliation.
    assert_eq!((base.partly_valued.lines, base.missing.lines), (947, 1));
    // Over the record's two years the line with no rate carries twice its
    // 2024 value: 2 × $5,135,973,063 = $10,271,946,126.
    assert_eq!(base.missing.import_value.amount(), dec!(10_271_946_126));
}
