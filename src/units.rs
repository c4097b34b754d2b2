//! Units: money, rates, shares, probabilities, dates and windows, HS codes and ids.
//!
//! Every type here validates on construction and is trusted afterwards. Rates
//! are fractions (`0.25` is 25%) that may exceed 1 (145% is real); shares and
//! probabilities lie in `0..=1`. Money is a
//! [`Decimal`](rust_decimal::Decimal) amount with a [`Currency`]; it is never
//! a float. One file per idea: the calendar, money and accrued amounts, rates
//! and fractions, HS codes and ids, and the exact addition sums of duty use.
//!
//! ```compile_fail
//! use tariffsim::{Money, Rate};
//! // Money and a rate do not add: one is an amount, the other a fraction.
//! let _ = Money::usd(rust_decimal::Decimal::ONE) + Rate::from_percent(25.into());
//! ```

mod calendar;
mod codes;
mod exact;
mod exact_sum;
mod money;
mod quotient;
mod rate;
mod wide;

pub use calendar::*;
pub use codes::*;
pub(crate) use exact::{TENS, checked_product, exact_add, exact_cmp, exact_mul};
pub(crate) use exact_sum::ExactSum;
pub use money::*;
pub use rate::*;

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn accrual_denominator_is_divisible_by_every_period_length() {
        for d in [28, 29, 30, 31, 365, 366] {
            assert_eq!(ACCRUAL_DENOMINATOR % d, 0, "{d}");
        }
    }

    #[test]
    fn accrued_sums_are_exact_up_to_the_documented_bound_and_an_error_past_it() {
        // The bound in `Accrued`'s docs: 2^96 - 1 whole units.
        let units = |d: Decimal| Accrued::from_units(d);
        let top = units(Decimal::MAX);
        assert_eq!(top.units().to_string(), "79228162514264337593543950335");
        // (2^96 - 2) + 1 is the bound itself, exactly.
        assert_eq!(
            units(Decimal::MAX - Decimal::ONE)
                .checked_add(units(Decimal::ONE))
                .unwrap(),
            top
        );
        // One unit more is an error that says what overflowed.
        let e = top.checked_add(units(Decimal::ONE)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "arithmetic overflow while computing a sum of accrued duty: the values are too large to hold exactly"
        );
        // In currency: (2^96 - 1) / 1,681,363,740 = 47,121,369,772,292,304,575.06…
        assert_eq!(top.amount().trunc().to_string(), "47121369772292304575");
        // With fractions of a unit, past 28 digits the last fractional digit
        // goes, rounded half to even: 7922816251426433759354395033.5 + 0.6
        // = …34.1 exactly, held as …34, within one unit.
        let tenths = |m: i128| units(Decimal::from_i128_with_scale(m, 1));
        let sum = tenths((1 << 96) - 1).checked_add(tenths(6)).unwrap();
        assert_eq!(sum.units().to_string(), "7922816251426433759354395034");
    }

    #[test]
    fn rate_needs_its_unit_and_is_never_negative() {
        assert_eq!(
            "0.25".parse::<Rate>().unwrap_err().to_string(),
            "invalid rate \"0.25\": write rates as percentages with their unit, e.g. \"25%\" (a fraction 0.25 is \"25%\")"
        );
        assert_eq!(
            "-5%".parse::<Rate>().unwrap_err().to_string(),
            "rate -5% is negative (-0.05): it must be zero or more"
        );
        assert_eq!(
            "7.5%".parse::<Rate>().unwrap().as_fraction().to_string(),
            "0.075"
        );
        assert_eq!(
            "1e2%".parse::<Rate>().unwrap_err().to_string(),
            "rate \"1e2%\": invalid rate \"1e2\": write the number in plain digits, without an exponent"
        );
    }

    #[test]
    fn probability_outside_unit_interval_is_refused() {
        assert_eq!(
            "1.2".parse::<Probability>().unwrap_err().to_string(),
            "probability 1.2 is outside 0..=1"
        );
        assert_eq!(
            "60%".parse::<Probability>().unwrap_err().to_string(),
            "invalid probability \"60%\": write it as a fraction from 0 to 1, e.g. \"0.6\" for 60%"
        );
    }

    #[test]
    fn hs_codes_validate_and_compare_as_prefixes() {
        let e = "123".parse::<HsCode>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid HS code \"123\": an HS code has 2, 4, 6, 8 or 10 digits (dots allowed, e.g. 8471.30.01)"
        );
        assert!("12345678901".parse::<HsCode>().is_err());
        let a: HsCode = "8471.30.01".parse().unwrap();
        assert_eq!(a.to_string(), "84713001");
        let p: HsCode = "8471".parse().unwrap();
        assert!(p.is_prefix_of(&a));
        assert!(!a.is_prefix_of(&p));
        let q: HsCode = "8472".parse().unwrap();
        assert!(!q.is_prefix_of(&a));
    }

    #[test]
    fn window_order_is_checked() {
        let a = parse_date("2019-02-01").unwrap();
        let b = parse_date("2019-01-01").unwrap();
        assert_eq!(
            Window::new(a, b).unwrap_err().to_string(),
            "window 2019-02-01..2019-01-01 ends before it starts: write the earlier date first"
        );
        assert_eq!(Window::year(2020).unwrap().days(), 366);
    }

    #[test]
    fn money_rounds_half_away_from_zero_and_keeps_currency() {
        let m = Money::usd(Decimal::new(12345, 3)); // 12.345
        assert_eq!(m.round_cents().amount(), Decimal::new(1235, 2));
        let eur = Money::new(Decimal::ONE, "EUR".parse().unwrap());
        assert_eq!(
            m.checked_add(&eur).unwrap_err().to_string(),
            "cannot combine USD with EUR: convert one of them first"
        );
    }

    #[test]
    fn dates_are_exactly_year_month_day() {
        assert_eq!(
            parse_date(" 2019-03-02 ").unwrap().to_string(),
            "2019-03-02"
        );
        for bad in [
            "2019-01-01T23:59",
            "2019-01-01 00:00",
            "2019-01-01Z",
            "2019-1-1",
            "+2019-01-01",
            "20190101",
            "",
        ] {
            assert_eq!(
                parse_date(bad).unwrap_err().to_string(),
                format!(
                    "invalid date {bad:?}: write dates as YYYY-MM-DD, e.g. 2019-03-02, with no time or zone"
                )
            );
        }
        assert_eq!(
            parse_date("2019-13-01").unwrap_err().to_string(),
            "invalid date \"2019-13-01\": that day is not in the calendar"
        );
    }

    #[test]
    fn decimals_past_what_a_decimal_holds_say_so() {
        // 28 significant digits are held exactly.
        let max = "1234567890123456789012345678";
        assert_eq!(parse_decimal("value", max).unwrap().to_string(), max);
        assert_eq!(
            parse_decimal("value", "12345678901234567890123456789")
                .unwrap_err()
                .to_string(),
            "invalid value \"12345678901234567890123456789\": it has 29 significant digits and at most 28 are held exactly: round it"
        );
        // Trailing zeros after the point and leading zeros are not significant.
        assert_eq!(
            parse_decimal("value", "000.10000000000000000000000000000000")
                .unwrap()
                .to_string(),
            "0.1"
        );
        assert_eq!(
            parse_decimal("value", "0.00000000000000000000000000001")
                .unwrap_err()
                .to_string(),
            "invalid value \"0.00000000000000000000000000001\": it has more than 28 decimal places and a value holds at most 28: round it"
        );
        assert_eq!(
            parse_decimal("value", "99999999999999999999999999999")
                .unwrap_err()
                .to_string(),
            "invalid value \"99999999999999999999999999999\": it is too large: a value must be below 79228162514264337593543950336"
        );
        assert_eq!(
            parse_decimal("value", "1.2.3").unwrap_err().to_string(),
            "invalid value \"1.2.3\": write a plain decimal number such as 34000000000 or 0.5"
        );
        assert!(parse_decimal("value", ".").is_err());
        assert_eq!(parse_decimal("value", "-0.5").unwrap().to_string(), "-0.5");
    }

    #[test]
    fn ids_refuse_spaces() {
        assert_eq!(
            "list 3".parse::<MeasureId>().unwrap_err().to_string(),
            "invalid measure id \"list 3\": use 1 to 64 letters, digits or . _ - : /"
        );
    }
}
