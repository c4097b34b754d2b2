//! The engine: pure evaluation, scenario in, exposure out. No IO, no clock.
//!
//! Static exposure holds trade volumes fixed: each basket's value for a period
//! accrues evenly over that period's days, and the duty of a day is that
//! daily value times the rate stacked on the day. The window is split at
//! every effective date, so no loop runs over days.
//!
//! The engine's parts, in the order a scenario flows through them:
//! `scenario` (definition, validation, builder), `paths` (the tree walked
//! and its actions applied), `answers` (retaliation on a path, with
//! `covered`, the value a watched measure covers, and `claims`,
//! value-matched answers' share of imports, divided in `scaled` integers),
//! `plan` and `eval` (coverage classes, with `shares` cutting baskets into
//! the units answers claim, and their exact accrual), `side` (a
//! side's exposure from its groups' results), `value` (a value-matched
//! answer's group from its claim), `refunds`, `cache` (work shared across
//! paths), `run` (every path), `stream` (every path handed over as it is
//! worked out), `results` (expectation and distribution), `timeline`
//! (average rates over time).

mod answers;
mod builder;
mod cache;
mod claims;
mod content;
mod covered;
mod eval;
mod exposure;
mod grain;
mod groups;
mod line;
mod linear;
mod months;
mod paths;
mod plan;
mod refunds;
mod results;
mod run;
mod scaled;
mod scenario;
mod shares;
mod side;
mod stream;
mod timeline;
mod value;
mod variants;
mod walk;

pub use answers::MAX_ROUNDS;
pub use builder::ScenarioBuilder;
pub use exposure::{
    BaseExposure, BasketExposure, Detail, Exposure, LayerExposure, LineCount, MeasureExposure,
    SideExposure, Valuation,
};
pub use line::LinePart;
pub use refunds::{RefundInterest, RefundTerms};
pub(crate) use results::weighted_sum;
pub use results::{
    Basis, CommitmentOutcome, Diagnostic, Distribution, DutyFigures, Evaluation, PathOutcome,
};
pub use scenario::{AS_SCHEDULED, Scenario, ScenarioInfo};
pub use stream::STREAM_KEPT;
pub use timeline::{Timeline, TimelineBase, TimelinePiece};

use crate::error::Result;
use crate::tariff::{BaseRates, Measure, Regime};
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
/// assert_eq!(year.side("US", "CN").unwrap().gross().amount(), Decimal::from(20_000_000_000u64));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Prepared {
    baselines: Vec<Baseline>,
    regime: Regime,
    base_rates: Vec<BaseRates>,
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
        let measures: Vec<&Measure> = regime.measures().iter().collect();
        let plan = Plan::new(&baselines, &measures, regime.stacking(), &[])?;
        Ok(Prepared {
            baselines,
            regime,
            base_rates: Vec::new(),
            plan,
        })
    }

    /// The same, with the base rates (MFN) of importers: each side whose
    /// importer has them reports its base duty
    /// ([`SideExposure::base`]) beside the measures', and measures net of
    /// the base rate ([`Measure::net_of_base`]) read them.
    ///
    /// # Errors
    /// [`crate::Error::Invalid`] when two sets of rates share an
    /// importer.
    pub fn with_base_rates(mut self, rates: Vec<BaseRates>) -> Result<Prepared> {
        for (i, a) in rates.iter().enumerate() {
            if rates[..i].iter().any(|b| b.importer() == a.importer()) {
                return Err(crate::Error::Invalid(format!(
                    "two sets of base rates for importer {}: give one [[base_rates]] per importer",
                    a.importer()
                )));
            }
        }
        if self.regime.measures().iter().any(Measure::is_net_of_base) {
            let measures: Vec<&Measure> = self.regime.measures().iter().collect();
            self.plan = Plan::new(&self.baselines, &measures, self.regime.stacking(), &rates)?;
        }
        self.base_rates = rates;
        Ok(self)
    }

    /// The baselines.
    pub fn baselines(&self) -> &[Baseline] {
        &self.baselines
    }

    /// The regime.
    pub fn regime(&self) -> &Regime {
        &self.regime
    }

    /// The base (MFN) rates, one set per importer that has them.
    pub fn base_rates(&self) -> &[BaseRates] {
        &self.base_rates
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
        let measures: Vec<&Measure> = self.regime.measures().iter().collect();
        eval::static_exposure(
            &self.baselines,
            &self.base_rates,
            &measures,
            &self.plan,
            window,
            detail,
        )
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
