//! Scenario text (TOML) on arbitrary UTF-8: reading it gives a scenario or
//! an error, never a panic; a scenario read is evaluated when it is small
//! enough to finish quickly.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tariffsim::Detail;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A folder that does not exist: includes and CSV files fail cleanly.
    let Ok(scenario) =
        tariffsim::load::parse_scenario(text, Path::new("/nonexistent/tariffsim-fuzz"))
    else {
        return;
    };
    if scenario.horizon().days() > 366 * 20 || scenario.tree().paths().len() > 64 {
        return;
    }
    if let Ok(e) = scenario.evaluate(Detail::Totals) {
        assert_eq!(e.probability_sum(), rust_decimal::Decimal::ONE);
    }
});
