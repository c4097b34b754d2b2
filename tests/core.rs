//! The core: schedules, stacking and static exposure, against the worked
//! numbers of DOMAIN.md.

use rust_decimal::Decimal;
use tariffsim::*;

use crate::common::*;

#[test]
fn worked_number_1_rates_in_force_on_2018_12_01_annualised() {
    // DOMAIN.md worked number 1: List 1 $34B × 25% + List 2 $16B × 25% +
    // List 3 $200B × 10% = 8.5 + 4 + 20 = $32.5B a year. Annualised: a full
    // calendar year (2018-12-01..2019-12-01 is 365 days) at the rates of
    // 2018-12-01, i.e. with List 3's scheduled step not yet applied.
    let (b, mut ms) = us_2018();
    ms[2] = measure("list-3", Authority::Section301, "US", "CN", &["list-3-goods"], &[("2018-09-24", "10%")]);
    let e = engine::exposure(&[b], &Regime::new(ms, vec![]).unwrap(), window("2018-12-01", "2019-12-01"), Detail::Totals).unwrap();
    assert_eq!(total(&e, "US", "CN"), billions("32.5"));
}

#[test]
fn worked_number_2_calendar_2019_on_the_g20_truce_path_to_the_cent() {
    // DOMAIN.md worked number 2: List 3 has 60 days at 10% (Jan 1–Mar 1)
    // and 305 at 25%: 200B × (60 × 0.10 + 305 × 0.25) / 365
    // = 200B × 82.25 / 365 = 45,068,493,150.684931…; plus Lists 1–2 for the
    // whole year (34B + 16B) × 25% = 12.5B: 57,568,493,150.68 to the cent.
    let (b, ms) = us_2018();
    let truce = ms[2].schedule().postpone(d("2019-01-01"), d("2019-03-02")).unwrap();
    let mut ms = ms;
    ms[2] = ms[2].with_schedule(truce);
    let e = engine::exposure(&[b], &Regime::new(ms, vec![]).unwrap(), Window::year(2019).unwrap(), Detail::Totals).unwrap();
    let side = e.side("US", "CN").unwrap();
    assert_eq!(side.total().to_cents(Currency::USD).amount(), "57568493150.68".parse::<Decimal>().unwrap());
    // List 3 alone, exactly: 200e9 × 82.25 / 365 in accrual units is exact,
    // so 365 × duty = 200e9 × 82.25 = 16,450,000,000,000.
    let list3 = side.measure("list-3").unwrap().total();
    assert_eq!(list3.units() * Decimal::from(365) / Decimal::from(units::ACCRUAL_DENOMINATOR), "16450000000000".parse::<Decimal>().unwrap());
    // The months add up: January at 10% is 200B × 31 × 0.10 / 365.
    let jan = side.measure("list-3").unwrap().by_month()[0];
    assert_eq!(jan.units() * Decimal::from(365) / Decimal::from(units::ACCRUAL_DENOMINATOR), "620000000000".parse::<Decimal>().unwrap());
}

#[test]
fn worked_number_3_calendar_2019_if_talks_fail() {
    // DOMAIN.md worked number 3: List 3 at 25% and the remaining $257B at
    // 25% from 2019-01-01: 12.5 + 50 + 64.25 = $126.75B.
    let (b, mut ms) = us_2018();
    ms.push(measure("list-4-threat", Authority::Section301, "US", "CN", &["remaining-goods"], &[("2019-01-01", "25%")]));
    let e = engine::exposure(&[b], &Regime::new(ms, vec![]).unwrap(), Window::year(2019).unwrap(), Detail::Totals).unwrap();
    assert_eq!(total(&e, "US", "CN"), billions("126.75"));
    // Effective rate: 126.75 / (34 + 16 + 200 + 257 = 507) = 0.25.
    assert_eq!(e.side("US", "CN").unwrap().effective_rate().unwrap(), Decimal::new(25, 2));
}
