//! Duty observed by customs: what was actually collected per basket over a
//! window, to set the model beside.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::BasketKey;
use crate::error::{Error, Result};
use crate::units::{Currency, Party, Window};

/// Duty an importer's customs collected on goods from one exporter over a
/// window, per basket (US: the Census "calculated duty" per HTS-10 line),
/// with its source. Amounts are zero or more.
///
/// ```
/// use tariffsim::trade::ObservedDuty;
/// use tariffsim::Window;
/// use rust_decimal::Decimal;
/// let seen = ObservedDuty::new("US".parse()?, "CN".parse()?, tariffsim::Currency::USD,
///     Window::year(2024)?, "Census", vec![("0106199120".parse()?, Decimal::from(1299))])?;
/// assert_eq!(seen.total()?, Decimal::from(1299));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedDuty {
    importer: Party,
    exporter: Party,
    currency: Currency,
    window: Window,
    source: String,
    lines: Vec<(BasketKey, Decimal)>,
    index: HashMap<BasketKey, usize>,
}

impl ObservedDuty {
    /// Observed duty per basket over `window`.
    ///
    /// # Errors
    /// [`Error::Negative`] for a negative amount; [`Error::DuplicateId`]
    /// for a basket given twice.
    pub fn new(
        importer: Party,
        exporter: Party,
        currency: Currency,
        window: Window,
        source: impl Into<String>,
        lines: Vec<(BasketKey, Decimal)>,
    ) -> Result<ObservedDuty> {
        let mut index = HashMap::with_capacity(lines.len());
        for (i, (k, v)) in lines.iter().enumerate() {
            if v.is_sign_negative() && !v.is_zero() {
                return Err(Error::Negative {
                    what: format!("observed duty on {k}"),
                    value: *v,
                });
            }
            if index.insert(k.clone(), i).is_some() {
                return Err(Error::DuplicateId {
                    kind: "basket",
                    id: k.to_string(),
                });
            }
        }
        Ok(ObservedDuty {
            importer,
            exporter,
            currency,
            window,
            source: source.into(),
            lines,
            index,
        })
    }

    /// The importer whose customs collected the duty.
    pub fn importer(&self) -> &Party {
        &self.importer
    }

    /// The exporter whose goods paid it.
    pub fn exporter(&self) -> &Party {
        &self.exporter
    }

    /// The currency of the amounts.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The window the amounts cover.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Where the figures come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every basket and its observed duty, in the order given.
    pub fn lines(&self) -> &[(BasketKey, Decimal)] {
        &self.lines
    }

    /// The observed duty on one basket.
    pub fn get(&self, key: &BasketKey) -> Option<Decimal> {
        self.index.get(key).map(|i| self.lines[*i].1)
    }

    /// The total observed duty.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the sum does not fit.
    pub fn total(&self) -> Result<Decimal> {
        self.lines.iter().try_fold(Decimal::ZERO, |a, (_, v)| {
            a.checked_add(*v)
                .ok_or_else(|| Error::overflow("an observed duty total"))
        })
    }
}
