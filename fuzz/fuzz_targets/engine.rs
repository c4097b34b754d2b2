//! The engine on arbitrary scenarios: the bytes drive the
//! `tariffsim::strategies` generators (through proptest's pass-through
//! random source) at sizes past the precision budget, with rules that answer
//! answers and horizons up to 50 years. Evaluation ends in a result or a
//! clean error; a result has path probabilities summing to exactly 1 and no
//! negative duty.
//!
//! The input is followed by a fixed pseudo-random stream: past its end the
//! pass-through source gives zeros, on which range sampling (rejection
//! sampling) never returns.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rust_decimal::Decimal;
use tariffsim::Detail;
use tariffsim::strategies::{self, Sizes};

/// 64 KiB of xorshift output, the same every run.
fn filler() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..8192)
            .flat_map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x.to_le_bytes()
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let sizes = Sizes {
        max_value: 1_000_000_000_000_000,
        value_decimals: 2,
        horizon_years: 50,
        answer_answers: true,
        retaliation_rules: 3,
        measures: 6,
        depth: 4,
        ..Sizes::default()
    };
    let mut bytes = data.to_vec();
    bytes.extend_from_slice(filler());
    let rng = TestRng::from_seed(RngAlgorithm::PassThrough, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let Ok(tree) = strategies::scenario_parts(&sizes).new_tree(&mut runner) else {
        return;
    };
    let parts = tree.current();
    let scenario = match parts.build() {
        Ok(s) => s,
        Err(e) => panic!("the strategies generated an invalid scenario: {e}"),
    };
    match scenario.evaluate(Detail::Totals) {
        Ok(e) => {
            assert_eq!(e.probability_sum(), Decimal::ONE);
            for p in e.paths() {
                for side in p.exposure().sides() {
                    assert!(side.total().units() >= Decimal::ZERO);
                }
            }
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.is_empty() && !text.ends_with('.'), "{text}");
        }
    }
});
