//! The average-rate timelines of a scenario's paths and reference.

use rust_decimal::Decimal;

use crate::engine::{Scenario, Timeline};
use crate::error::Result;
use crate::report::money_text;

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

/// What the base (MFN) rate of `timeline` leaves out, for a person: `None`
/// when the side has no base rates or every line's rate is in its average
/// in full; otherwise which lines count only the ad valorem part of their
/// rate and which have no rate, so the MFN and all-in averages are lower
/// bounds.
///
/// ```
/// let scenario = tariffsim::load::load_scenario("data/scenarios/us-china-lines-2026.toml".as_ref())?;
/// let sides = scenario.timeline(tariffsim::AS_SCHEDULED)?;
/// let note = tariffsim::report::base_note(&sides[0]).expect("some MFN rates are specific");
/// assert!(note.starts_with("US<-CN: the MFN and all-in averages are lower bounds: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn base_note(timeline: &Timeline) -> Option<String> {
    let base = timeline.base.as_ref().filter(|b| !b.is_complete())?;
    let lines = |n: usize| match n {
        1 => "1 line".to_string(),
        n => format!("{n} lines"),
    };
    let verb = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut parts = Vec::new();
    let p = base.partly_valued;
    if p.lines > 0 {
        parts.push(format!(
            "{} ({} of imports) {} a specific, compound or other rate and {} only its ad valorem part",
            lines(p.lines),
            money_text(p.import_value.amount(), base.currency),
            verb(p.lines, "has", "have"),
            verb(p.lines, "counts", "count"),
        ));
    }
    let m = base.missing;
    if m.lines > 0 {
        parts.push(format!(
            "{} ({}) {} no base rate and {} none",
            lines(m.lines),
            money_text(m.import_value.amount(), base.currency),
            verb(m.lines, "has", "have"),
            verb(m.lines, "counts", "count"),
        ));
    }
    Some(format!(
        "{}: the MFN and all-in averages are lower bounds: {}",
        timeline.label(),
        parts.join("; ")
    ))
}
