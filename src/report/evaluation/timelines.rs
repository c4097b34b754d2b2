//! The average-rate timelines of a scenario's paths and reference.

use rust_decimal::Decimal;

use crate::engine::{Scenario, Timeline};
use crate::error::Result;

/// The average-rate timelines of one path, one per side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTimelines {
    /// The path id.
    pub path: String,
    /// The path's probability, a fraction.
    pub probability: Decimal,
    /// One timeline per side, in baseline order.
    pub sides: Vec<Timeline>,
}

/// The average-rate timelines of every path of `scenario`, in tree order,
/// over its horizon: what [`crate::report::timeline_svg`] draws.
///
/// # Errors
/// As [`Scenario::timeline`].
///
/// ```
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let all = tariffsim::report::path_timelines(&scenario)?;
/// assert_eq!(all.len(), 4);
/// assert_eq!(all[0].sides.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn path_timelines(scenario: &Scenario) -> Result<Vec<PathTimelines>> {
    scenario
        .tree()
        .paths()
        .iter()
        .map(|p| {
            Ok(PathTimelines {
                path: p.id().to_string(),
                probability: p.probability().normalize(),
                sides: scenario.timeline(p.id())?,
            })
        })
        .collect()
}

/// The average-rate timeline of the scenario's reference: the named
/// reference path, or [`AS_SCHEDULED`](crate::engine::AS_SCHEDULED) (every
/// measure as scheduled, probability 0). Put it among the paths given to
/// [`crate::report::timeline_svg`] to draw the reference line.
///
/// # Errors
/// As [`Scenario::timeline`].
///
/// ```
/// let scenario = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// let reference = tariffsim::report::reference_timeline(&scenario)?;
/// assert_eq!(reference.path, "as-scheduled");
/// assert_eq!(reference.sides.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reference_timeline(scenario: &Scenario) -> Result<PathTimelines> {
    let id = scenario.reference_id();
    Ok(PathTimelines {
        path: id.to_string(),
        probability: scenario
            .reference()
            .map_or(Decimal::ZERO, |p| p.probability().normalize()),
        sides: scenario.timeline(id)?,
    })
}
