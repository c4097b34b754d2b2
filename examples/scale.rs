//! The benchmark's largest case, run once: a synthetic scenario of 20,000
//! tariff lines, 10 measures and a 1,000-leaf outcome tree over 2019-2020,
//! evaluated to totals per side, per measure and per month on every leaf.
//!
//! Run it under `/usr/bin/time -v` to read the peak memory:
//!
//! ```text
//! cargo build --release --example scale
//! /usr/bin/time -v target/release/examples/scale
//! ```

use tariffsim::Detail;
use tariffsim::synthetic::Synthetic;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes = Synthetic::new(2018)
        .lines(20_000)
        .measures(10)
        .steps(3)
        .tree(3, 10);
    let scenario = sizes.scenario()?;
    let evaluation = scenario.evaluate(Detail::Totals)?;
    println!("{}", scenario.info().title);
    println!("paths evaluated: {}", evaluation.paths().len());
    for (importer, exporter) in evaluation.sides() {
        let (i, e) = (importer.as_str(), exporter.as_str());
        let currency = evaluation
            .reference()
            .exposure()
            .side(i, e)
            .map_or(tariffsim::Currency::USD, |s| s.currency());
        let d = evaluation.distribution(i, e, tariffsim::Basis::Net)?;
        println!("{i}<-{e}, duty kept over {}:", evaluation.window());
        println!(
            "  as scheduled {}",
            evaluation.reference().side(i, e)?.net().to_cents(currency)
        );
        println!("  expected    {}", d.expected.to_cents(currency));
        println!("  lowest      {}", d.min.to_cents(currency));
        println!("  median      {}", d.median.to_cents(currency));
        println!("  highest     {}", d.max.to_cents(currency));
    }
    Ok(())
}
