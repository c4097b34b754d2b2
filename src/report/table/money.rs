//! The amounts of the measure rows, each distinct amount written once.

use std::rc::Rc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::columns::Cell;
use crate::report::figures::money_text;
use crate::units::Currency;

/// [`money_text`] for the measure rows of every path, each distinct amount
/// written once: the paths of a tree repeat the amounts of the measures they
/// do not change.
#[derive(Default)]
pub(super) struct MoneyTexts {
    seen: FxHashMap<([u8; 16], Currency), Rc<str>>,
}

impl MoneyTexts {
    /// The most texts remembered: past these, amounts are written anew.
    const REMEMBERED: usize = 1 << 12;

    /// The text of `amount` in `c`, shared with every earlier cell of it.
    fn text(&mut self, amount: Decimal, c: Currency) -> Rc<str> {
        let key = (amount.serialize(), c);
        if let Some(text) = self.seen.get(&key) {
            return Rc::clone(text);
        }
        let text: Rc<str> = Rc::from(money_text(amount, c));
        if self.seen.len() < Self::REMEMBERED {
            self.seen.insert(key, Rc::clone(&text));
        }
        text
    }
}

/// A measure's amount, "not valued" when there is none, or marked as a part
/// when it is a lower bound.
pub(super) fn measure_money(
    texts: &mut MoneyTexts,
    valuation: &str,
    amount: Option<Decimal>,
    c: Currency,
) -> Cell<'static> {
    match amount {
        None => Cell::Borrowed("not valued"),
        Some(a) if valuation == "partly-valued" => {
            Cell::Owned(format!("{} (part)", texts.text(a, c)))
        }
        Some(a) => Cell::Shared(texts.text(a, c)),
    }
}
