//! Outcome trees, retaliation and exposure across outcomes.

use rust_decimal::Decimal;
use tariffsim::*;

#[allow(unused_imports)]
use crate::common::*;

#[test]
fn the_g20_file_loads_and_evaluates() {
    let s = load::load_scenario("data/scenarios/g20-2018.toml".as_ref()).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    for p in e.paths() {
        println!(
            "{} {} US {} CN {}",
            p.id(),
            p.probability(),
            p.total("US", "CN").amount().round_dp(0),
            p.total("CN", "US").amount().round_dp(0)
        );
        for a in p.answers() {
            println!("  {:?}", a);
        }
    }
    assert_eq!(e.probability_sum(), Decimal::ONE);
}
