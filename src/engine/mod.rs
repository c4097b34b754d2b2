//! The engine: pure evaluation, scenario in, exposure out. No IO, no clock.
//!
//! Static exposure holds trade volumes fixed: each basket's value for a period
//! accrues evenly over that period's days, and the duty of a day is that
//! daily value times the rate stacked on the day. The window is split at
//! every effective date, so no loop runs over days.

mod eval;
mod exposure;
mod plan;
mod scenario;
mod timeline;

pub use exposure::{
    BasketExposure, Detail, Exposure, LayerExposure, MeasureExposure, SideExposure,
};
pub use scenario::{
    CommitmentOutcome, Distribution, Evaluation, PathOutcome, STATUS_QUO, Scenario, ScenarioInfo,
};
pub use timeline::{Timeline, TimelinePiece};

use crate::error::Result;
use crate::tariff::Regime;
use crate::trade::Baseline;
use crate::units::Window;

pub(crate) use plan::Plan;

/// Baselines and a regime prepared for repeated evaluation: coverage is
/// resolved once into classes of goods that share the same measures.
///
/// ```
/// use tariffsim::*;
/// use tariffsim::units::parse_date;
/// use rust_decimal::Decimal;
/// let baseline = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual,
///     vec![Basket::annual("list-3-goods".parse()?, "List 3", Decimal::from(200_000_000_000u64))])?;
/// let list3 = Measure::new("list-3".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
///     Coverage::of(Goods::baskets(["list-3-goods".parse()?])),
///     Schedule::flat(parse_date("2018-09-24")?, "10%".parse()?))?;
/// let prepared = Prepared::new(vec![baseline], Regime::new(vec![list3], vec![])?)?;
/// let year = prepared.exposure(Window::year(2019)?, Detail::Totals)?;
/// // A full year at a constant 10% on $200B: exactly $20B.
/// assert_eq!(year.side("US", "CN").unwrap().total().amount(), Decimal::from(20_000_000_000u64));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Prepared {
    baselines: Vec<Baseline>,
    regime: Regime,
    plan: Plan,
}

impl Prepared {
    /// Prepares `regime` over `baselines`.
    ///
    /// # Errors
    /// [`crate::Error::Unknown`] when a measure covers a named basket its
    /// baseline lacks; [`crate::Error::DuplicateId`] when two baselines share a
    /// direction; [`crate::Error::Overflow`] when values do not fit.
    pub fn new(baselines: Vec<Baseline>, regime: Regime) -> Result<Prepared> {
        for (i, a) in baselines.iter().enumerate() {
            if baselines[..i]
                .iter()
                .any(|b| b.importer() == a.importer() && b.exporter() == a.exporter())
            {
                return Err(crate::Error::DuplicateId {
                    kind: "baseline",
                    id: a.label(),
                });
            }
        }
        let plan = Plan::new(&baselines, &regime)?;
        Ok(Prepared {
            baselines,
            regime,
            plan,
        })
    }

    /// The baselines.
    pub fn baselines(&self) -> &[Baseline] {
        &self.baselines
    }

    /// The regime.
    pub fn regime(&self) -> &Regime {
        &self.regime
    }

    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Static exposure over `window`: every measure with its own schedule.
    ///
    /// # Errors
    /// [`crate::Error::BaselineGap`] when a baseline has no value for a
    /// period the window needs; [`crate::Error::Overflow`] when amounts do
    /// not fit.
    pub fn exposure(&self, window: Window, detail: Detail) -> Result<Exposure> {
        eval::static_exposure(&self.baselines, &self.regime, &self.plan, window, detail)
    }
}

/// Static exposure of `regime` on `baselines` over `window`, in one call.
///
/// # Errors
/// As [`Prepared::new`] and [`Prepared::exposure`].
pub fn exposure(
    baselines: &[Baseline],
    regime: &Regime,
    window: Window,
    detail: Detail,
) -> Result<Exposure> {
    Prepared::new(baselines.to_vec(), regime.clone())?.exposure(window, detail)
}
