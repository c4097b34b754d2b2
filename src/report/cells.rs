//! Cells for spreadsheets: text that no spreadsheet reads as a formula,
//! amounts to the cent that add up to their rounded totals, rates as
//! percent. The CSV reports and the `tariffsim` tool write through these.

use rust_decimal::{Decimal, RoundingStrategy};

/// A text cell that a spreadsheet will not read as a formula: a leading
/// `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front. Only
/// text goes through here; numbers are written as they are.
pub fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// `amount` to the cent, half away from zero.
pub fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Each exact amount to the cent, so that the rounded amounts add up to
/// `total` (itself to the cent): each is rounded half away from zero, then
/// the cents still missing (or in excess) go to the amounts that rounding
/// moved furthest (largest remainder; ties to the first). Every result is
/// within a cent of its exact amount whenever `total` is the rounded sum.
pub fn cents_summing_to(amounts: &[Decimal], total: Decimal) -> Vec<Decimal> {
    let mut out: Vec<Decimal> = amounts.iter().map(|a| cents(*a)).collect();
    let sum: Decimal = out.iter().sum();
    let step = Decimal::new(1, 2);
    let missing = ((total - sum) / step).round();
    let Ok(count) = i64::try_from(missing) else {
        return out;
    };
    if count == 0 || amounts.is_empty() {
        return out;
    }
    // How far rounding moved each amount down (positive: rounded down).
    let mut order: Vec<usize> = (0..amounts.len()).collect();
    let moved = |i: usize| amounts[i] - out[i];
    if count > 0 {
        order.sort_by(|a, b| moved(*b).cmp(&moved(*a)).then(a.cmp(b)));
    } else {
        order.sort_by(|a, b| moved(*a).cmp(&moved(*b)).then(a.cmp(b)));
    }
    let delta = if count > 0 { step } else { -step };
    let n = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    for i in order.into_iter().cycle().take(n) {
        out[i] += delta;
    }
    out
}

/// An amount for CSV: to the cent, or exact.
pub fn amount(value: Decimal, exact: bool) -> String {
    if exact {
        value.normalize().to_string()
    } else {
        format!("{:.2}", cents(value))
    }
}

/// A rate (a fraction) as a percent: four decimals, or exact.
pub fn percent(rate: Decimal, exact: bool) -> String {
    let p = rate * Decimal::ONE_HUNDRED;
    if exact {
        p.normalize().to_string()
    } else {
        format!(
            "{:.4}",
            p.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn cents_add_up_to_the_rounded_total() {
        let amounts = [d("0.005"), d("0.005"), d("0.005")];
        let total = cents(amounts.iter().sum());
        let out = cents_summing_to(&amounts, total);
        assert_eq!(out.iter().sum::<Decimal>(), total);
        assert_eq!(out, vec![d("0.00"), d("0.01"), d("0.01")]);
    }

    #[test]
    fn formulas_are_escaped_numbers_are_not() {
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("-x"), "'-x");
        assert_eq!(text("deal/void"), "deal/void");
        assert_eq!(amount(d("-1.005"), false), "-1.01");
        assert_eq!(percent(d("0.25"), false), "25.0000");
    }
}
