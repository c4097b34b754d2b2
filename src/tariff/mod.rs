//! Measures, their coverage and dated schedules, and the rules that stack them.
//!
//! A [`Measure`] is one legal layer of additional duty: an authority, the
//! party imposing it, the party whose goods it targets, the goods it covers
//! ([`Coverage`]) and a dated [`Schedule`] of rates. Measures on the same goods
//! add up by default; [`StackingRule`]s, which are data with effective dates,
//! make one layer exclusive of another, keep only the highest, or exempt goods.
//! A [`Regime`] is a validated set of measures and stacking rules.

mod base;
mod content;
mod coverage;
mod goods;
mod matching;
mod schedule;
mod stacking;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

pub use base::{BaseRate, BaseRateKind, BaseRates};
pub use content::ContentShares;
pub(crate) use coverage::subtract;
pub use coverage::{Coverage, Exclusion};
pub use goods::{Goods, HsList};
pub(crate) use matching::{BasketIndex, Candidates, CoverageIndex};
pub use schedule::{AfterEdit, Schedule, Step, StepStatus, Suspension};
pub(crate) use stacking::check_selector;
pub use stacking::{Regime, Selector, Stacking, StackingRule};

use crate::error::{Error, Result};
use crate::units::{LayerId, MeasureId, Party, RuleId, Window};

/// The legal authority a measure is imposed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Authority {
    /// US Section 301 (unfair trade practices).
    Section301,
    /// US Section 232 (national security).
    Section232,
    /// US International Emergency Economic Powers Act.
    Ieepa,
    /// US Section 122 (balance of payments, at most 150 days).
    Section122,
    /// A counter-measure answering another party's duties.
    Retaliation,
    /// Any other authority.
    Other,
}

impl Authority {
    /// Every authority, in the order they are listed in docs and errors.
    pub const ALL: [Authority; 6] = [
        Authority::Section301,
        Authority::Section232,
        Authority::Ieepa,
        Authority::Section122,
        Authority::Retaliation,
        Authority::Other,
    ];

    /// The name used in files: `section-301`, `ieepa`, ...
    pub fn name(&self) -> &'static str {
        match self {
            Authority::Section301 => "section-301",
            Authority::Section232 => "section-232",
            Authority::Ieepa => "ieepa",
            Authority::Section122 => "section-122",
            Authority::Retaliation => "retaliation",
            Authority::Other => "other",
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Authority {
    type Err = Error;

    fn from_str(s: &str) -> Result<Authority> {
        Authority::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                Error::unknown(
                    "authority",
                    s,
                    format!(
                        "; known authorities are {}",
                        Authority::ALL.map(|a| a.name()).join(", ")
                    ),
                )
            })
    }
}

/// Where a measure came from, when a retaliation rule made it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The rule that answers.
    pub rule: RuleId,
    /// The measures it answers.
    pub triggers: Vec<MeasureId>,
}

/// One legal layer of additional duty.
///
/// ```
/// use tariffsim::{Authority, Coverage, Goods, Measure, Schedule, units::parse_date};
/// let list1 = Measure::new(
///     "list-1".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
///     Coverage::of(Goods::baskets(["list-1-goods".parse()?])),
///     Schedule::flat(parse_date("2018-07-06")?, "25%".parse()?),
/// )?
/// .named("Section 301 List 1")
/// .in_layer("section-301".parse()?);
/// assert_eq!(list1.layer().as_str(), "section-301");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    heading: Arc<Heading>,
    imposer: Party,
    target: Party,
    coverage: Coverage,
    schedule: Schedule,
    source: String,
    net_of_base: bool,
}

/// What a measure is reported under: its id, name, authority, layer and,
/// for a retaliation answer, what it answers. Shared by the measure and
/// every report of it, so a path's report holds one reference to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub id: MeasureId,
    pub name: Arc<str>,
    pub authority: Authority,
    pub layer: LayerId,
    pub origin: Option<Arc<Origin>>,
}

impl Measure {
    /// A measure; its layer defaults to its id and its name to its id.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the imposing and target party are the same or
    /// the coverage names no goods.
    pub fn new(
        id: MeasureId,
        authority: Authority,
        imposer: Party,
        target: Party,
        coverage: Coverage,
        schedule: Schedule,
    ) -> Result<Measure> {
        if imposer == target {
            return Err(Error::Invalid(format!(
                "measure {:?} is imposed by {imposer} on itself: the target must be another party",
                id.as_str()
            )));
        }
        if coverage.goods().is_empty() {
            return Err(Error::Invalid(format!(
                "measure {:?} covers no goods: name baskets, HS prefixes, HS lists, or all goods",
                id.as_str()
            )));
        }
        let layer = LayerId::from_str(id.as_str())?;
        Ok(Measure {
            heading: Arc::new(Heading {
                name: Arc::from(id.as_str()),
                id,
                authority,
                layer,
                origin: None,
            }),
            imposer,
            target,
            coverage,
            schedule,
            source: String::new(),
            net_of_base: false,
        })
    }

    /// The same measure with a human-readable name.
    pub fn named(mut self, name: impl AsRef<str>) -> Measure {
        Arc::make_mut(&mut self.heading).name = Arc::from(name.as_ref());
        self
    }

    /// The same measure reported in `layer`.
    pub fn in_layer(mut self, layer: LayerId) -> Measure {
        Arc::make_mut(&mut self.heading).layer = layer;
        self
    }

    /// The same measure with a source citation.
    pub fn sourced(mut self, source: impl Into<String>) -> Measure {
        self.source = source.into();
        self
    }

    /// The same measure with every rate of its schedule read as a total
    /// that the good's base rate (MFN) counts toward: on each line it owes
    /// the rate less the line's base rate, never below 0 (Section 232
    /// Annex III's floor of 15% net of the column-1 rate). A line whose base
    /// rate is not valued in full (specific, compound, or none) cannot be
    /// valued under it: the measure is reported as not valued there
    /// ([`crate::engine::Valuation`]), never as owing the whole rate or
    /// nothing.
    ///
    /// ```
    /// use tariffsim::*;
    /// use tariffsim::units::parse_date;
    /// let floor = Measure::new("annex-iii".parse()?, Authority::Section232, "US".parse()?,
    ///     "CN".parse()?, Coverage::of(Goods::hs(["7616".parse()?])),
    ///     Schedule::flat(parse_date("2026-04-06")?, "15%".parse()?))?
    ///     .net_of_base();
    /// assert!(floor.is_net_of_base());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn net_of_base(mut self) -> Measure {
        self.net_of_base = true;
        self
    }

    /// Whether its rates are totals net of the base rate
    /// ([`Measure::net_of_base`]).
    pub fn is_net_of_base(&self) -> bool {
        self.net_of_base
    }

    pub(crate) fn with_origin(mut self, origin: Origin) -> Measure {
        Arc::make_mut(&mut self.heading).origin = Some(Arc::new(origin));
        self
    }

    /// The same measure with another schedule.
    pub fn with_schedule(&self, schedule: Schedule) -> Measure {
        Measure {
            schedule,
            ..self.clone()
        }
    }

    /// The id.
    pub fn id(&self) -> &MeasureId {
        &self.heading.id
    }

    /// The human-readable name.
    pub fn name(&self) -> &str {
        &self.heading.name
    }

    /// Its id, name, authority, layer and origin, shared.
    pub(crate) fn heading(&self) -> &Arc<Heading> {
        &self.heading
    }

    /// The authority.
    pub fn authority(&self) -> Authority {
        self.heading.authority
    }

    /// The layer it is reported in.
    pub fn layer(&self) -> &LayerId {
        &self.heading.layer
    }

    /// The party imposing the duty (the importer that collects it).
    pub fn imposer(&self) -> &Party {
        &self.imposer
    }

    /// The party whose goods pay it.
    pub fn target(&self) -> &Party {
        &self.target
    }

    /// The goods covered.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// The dated rates.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The source citation.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The retaliation rule that made it, if one did.
    pub fn origin(&self) -> Option<&Origin> {
        self.heading.origin.as_deref()
    }

    /// The annual value of the baskets of `b` this measure's coverage takes
    /// in on `date` (exclusions applied; stacking rules, which need the
    /// other measures, not), in the year of `date`; on content, each
    /// basket's value times its content share, exactly.
    ///
    /// # Errors
    /// [`Error::BaselineGap`] when the baseline lacks that year;
    /// [`Error::MissingShare`] when a covered basket has no content share;
    /// [`Error::Overflow`].
    ///
    /// ```
    /// use tariffsim::*;
    /// use tariffsim::units::parse_date;
    /// use rust_decimal::Decimal;
    /// let b = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual, vec![
    ///     Basket::annual("8471300100".parse()?, "", Decimal::from(40)),
    ///     Basket::annual("9401610000".parse()?, "", Decimal::from(60)),
    /// ])?;
    /// let m = Measure::new("m".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
    ///     Coverage::of(Goods::hs(["84".parse()?])), Schedule::flat(parse_date("2019-01-01")?, "25%".parse()?))?;
    /// assert_eq!(m.covered_value(&b, parse_date("2019-06-01")?)?, Decimal::from(40));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn covered_value(
        &self,
        b: &crate::trade::Baseline,
        date: crate::units::Date,
    ) -> Result<rust_decimal::Decimal> {
        let day = Window::new(date, date.tomorrow().unwrap_or(date))?;
        let cols = b.annual_columns(date.year())?;
        let mut total = rust_decimal::Decimal::ZERO;
        for basket in b.baskets() {
            if self.coverage.covered_windows(basket.key(), day).is_empty() {
                continue;
            }
            let share = match self.coverage.content() {
                Some(c) => c.share_for(basket.key(), self.id().as_str())?,
                None => rust_decimal::Decimal::ONE,
            };
            for c in &cols {
                let v = basket.values()[*c]
                    .checked_mul(share)
                    .ok_or_else(|| Error::overflow("a covered value"))?;
                total = total
                    .checked_add(v)
                    .ok_or_else(|| Error::overflow("a covered value"))?;
            }
        }
        Ok(total)
    }
}
