//! Baseline CSV on arbitrary bytes: the first byte picks the columns read,
//! the rest is the file. Reading gives a baseline or an error, never a
//! panic; a baseline read is valued under a flat 10% over its first period.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tariffsim::load::{CsvColumns, read_baseline_csv};
use tariffsim::{
    Authority, Coverage, Currency, Detail, Goods, Measure, Periods, Prepared, Regime, Schedule,
    Window,
};

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("tariffsim-fuzz-{}.csv", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let columns = match pick % 4 {
        0 => CsvColumns::default(),
        1 => CsvColumns {
            value: Some("value".into()),
            ..CsvColumns::default()
        },
        2 => CsvColumns {
            key: "hs".into(),
            ignore: vec!["note".into()],
            ..CsvColumns::default()
        },
        _ => CsvColumns {
            key: "description".into(),
            ..CsvColumns::default()
        },
    };
    let path = scratch();
    if std::fs::write(path, bytes).is_err() {
        return;
    }
    let (Ok(us), Ok(cn)) = ("US".parse(), "CN".parse()) else {
        return;
    };
    let Ok(b) = read_baseline_csv(path, us, cn, Currency::USD, &columns) else {
        return;
    };
    let window = match b.periods() {
        Periods::Annual => Window::year(2019),
        Periods::Years(ys) => Window::year(ys[0]),
        Periods::Months(ms) => match ms[0].next_first_day() {
            Some(end) => Window::new(ms[0].first_day(), end),
            None => return,
        },
    };
    let (Ok(window), Ok(id), Ok(rate)) = (window, "flat".parse(), "10%".parse()) else {
        return;
    };
    let Ok(m) = Measure::new(
        id,
        Authority::Other,
        b.importer().clone(),
        b.exporter().clone(),
        Coverage::of(Goods::all()),
        Schedule::flat(window.start(), rate),
    ) else {
        return;
    };
    let Ok(e) = Regime::new(vec![m], vec![])
        .and_then(|r| Prepared::new(vec![b], r))
        .and_then(|p| p.exposure(window, Detail::Baskets))
    else {
        return;
    };
    for side in e.sides() {
        assert!(side.total().units() >= rust_decimal::Decimal::ZERO);
    }
});
