//! Calendar 2024 modelled line by line (MFN + Section 301 + Section 232) set
//! beside the duty customs collected (the Census calculated duty), in
//! total, per HS chapter and for the lines with the largest gaps.
//!
//! Run: `cargo run --release --example reconcile [CHAPTERS] [LINES]`
//! (default 15 chapters and 12 lines) for Markdown, or
//! `cargo run --release --example reconcile -- --csv` for every chapter and
//! line as CSV with exact amounts.

use tariffsim::load::{CsvColumns, load_scenario, read_observed_duty_csv};
use tariffsim::report::Reconciliation;
use tariffsim::{Currency, Detail};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let csv = std::env::args().any(|a| a == "--csv");
    let mut args = std::env::args().skip(1).filter(|a| a != "--csv");
    let chapters: usize = args.next().map_or(Ok(15), |a| a.parse())?;
    let lines: usize = args.next().map_or(Ok(12), |a| a.parse())?;
    let scenario = load_scenario("data/scenarios/us-china-lines-2024.toml".as_ref())?;
    let evaluation = scenario.evaluate(Detail::Baskets)?;
    let columns = CsvColumns {
        key: "hts10".into(),
        value: Some("calculated_duty_usd".into()),
        ..CsvColumns::default()
    };
    let census = read_observed_duty_csv(
        "data/lines/us-imports-from-china-2024-hts10.csv".as_ref(),
        "US".parse()?,
        "CN".parse()?,
        Currency::USD,
        scenario.horizon(),
        &columns,
        "US Census Bureau calculated duty, 2024 imports for consumption from China",
    )?;
    let path = evaluation
        .paths()
        .first()
        .ok_or("the scenario has no path")?;
    let r = Reconciliation::new(&scenario, path, &census)?;
    if csv {
        print!("{}", r.to_csv()?);
    } else {
        print!("{}", r.to_markdown(chapters, lines));
    }
    Ok(())
}
