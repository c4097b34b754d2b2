//! stub docs
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod engine;
pub mod error;
pub mod load;
pub mod outcome;
pub mod portfolio;
pub mod report;
pub mod retaliation;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod synthetic;
pub mod tariff;
pub mod trade;
pub mod units;

pub use engine::{Detail, Evaluation, Exposure, PathOutcome, Prepared, Scenario, ScenarioInfo};
pub use error::{Error, Result};
pub use tariff::{
    Authority, Coverage, Exclusion, Goods, HsList, Measure, Regime, Schedule, Selector, Stacking,
    StackingRule, Step, StepStatus, Suspension,
};
pub use trade::{Baseline, Basket, BasketKey, Periods};
pub use units::{
    Accrued, BasketId, Currency, Date, HsCode, LayerId, MeasureId, Money, Month, NodeId, Party,
    Probability, Rate, RuleId, Share, Window,
};
