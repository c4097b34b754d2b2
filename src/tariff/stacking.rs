//! Selectors, the stacking rules that change how layers add up, and the
//! validated regime of measures and rules.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use super::{Authority, Goods, Measure};
use crate::error::{Error, Result};
use crate::units::{LayerId, MeasureId, RuleId, Window};

/// Picks measures: by id, by authority or by layer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// One measure.
    Measure(MeasureId),
    /// Every measure under an authority.
    Authority(Authority),
    /// Every measure in a layer.
    Layer(LayerId),
}

impl Selector {
    /// Whether `m` is picked.
    pub fn matches(&self, m: &Measure) -> bool {
        match self {
            Selector::Measure(id) => m.id() == id,
            Selector::Authority(a) => m.authority() == *a,
            Selector::Layer(l) => m.layer() == l,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Measure(id) => write!(f, "measure:{id}"),
            Selector::Authority(a) => write!(f, "authority:{a}"),
            Selector::Layer(l) => write!(f, "layer:{l}"),
        }
    }
}

impl FromStr for Selector {
    type Err = Error;

    /// Reads `measure:ID`, `authority:NAME` or `layer:ID`; a bare id is a
    /// measure id.
    fn from_str(s: &str) -> Result<Selector> {
        match s.split_once(':') {
            Some(("measure", id)) => Ok(Selector::Measure(id.parse()?)),
            Some(("authority", a)) => Ok(Selector::Authority(a.parse()?)),
            Some(("layer", l)) => Ok(Selector::Layer(l.parse()?)),
            Some(_) => Err(Error::Parse {
                what: "selector",
                input: s.to_string(),
                fix: "write measure:ID, authority:NAME or layer:ID".into(),
            }),
            None => Ok(Selector::Measure(s.parse()?)),
        }
    }
}

/// How a stacking rule changes the default of adding layers up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stacking {
    /// Goods that pay a positive rate under an `over` measure pay nothing
    /// under the `excluded` measures (goods under Section 232 pay no
    /// reciprocal duty; a 2024-review heading replaces the earlier 301 rate).
    Exclusive {
        /// The measures that win.
        over: Vec<Selector>,
        /// The measures that yield.
        excluded: Vec<Selector>,
    },
    /// Of the selected measures, only the highest rate applies.
    Highest {
        /// The measures compared.
        among: Vec<Selector>,
    },
    /// The selected measures do not apply to `goods` (Annex II).
    Exempt {
        /// The measures that do not apply.
        measures: Vec<Selector>,
        /// The goods exempt.
        goods: Goods,
    },
}

/// A stacking rule in force over a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackingRule {
    id: RuleId,
    stacking: Stacking,
    window: Window,
}

impl StackingRule {
    /// A rule in force over `window` (use [`Window::open`] for an open
    /// end, [`Window::ALL`] for always).
    pub fn new(id: RuleId, stacking: Stacking, window: Window) -> StackingRule {
        StackingRule {
            id,
            stacking,
            window,
        }
    }

    /// The id.
    pub fn id(&self) -> &RuleId {
        &self.id
    }

    /// What it does.
    pub fn stacking(&self) -> &Stacking {
        &self.stacking
    }

    /// When it holds.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Every selector the rule names.
    pub fn selectors(&self) -> impl Iterator<Item = &Selector> {
        let (a, b): (&[Selector], &[Selector]) = match &self.stacking {
            Stacking::Exclusive { over, excluded } => (over, excluded),
            Stacking::Highest { among } => (among, &[]),
            Stacking::Exempt { measures, .. } => (measures, &[]),
        };
        a.iter().chain(b)
    }
}

/// A validated set of measures and stacking rules: unique ids, and every
/// selector naming something that exists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Regime {
    measures: Vec<Measure>,
    stacking: Vec<StackingRule>,
}

impl Regime {
    /// A regime.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] for a measure or rule id used twice;
    /// [`Error::Unknown`] for a selector that picks no measure.
    pub fn new(measures: Vec<Measure>, stacking: Vec<StackingRule>) -> Result<Regime> {
        let mut ids = HashMap::new();
        for m in &measures {
            if ids.insert(m.id().clone(), ()).is_some() {
                return Err(Error::DuplicateId {
                    kind: "measure",
                    id: m.id().to_string(),
                });
            }
        }
        let mut rule_ids = HashSet::new();
        for r in &stacking {
            if !rule_ids.insert(r.id.clone()) {
                return Err(Error::DuplicateId {
                    kind: "stacking rule",
                    id: r.id.to_string(),
                });
            }
            for s in r.selectors() {
                check_selector(s, &measures)
                    .map_err(|e| e.at(format!("stacking rule {:?}", r.id.as_str())))?;
            }
        }
        Ok(Regime { measures, stacking })
    }

    /// The measures, in the order given.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// The stacking rules.
    pub fn stacking(&self) -> &[StackingRule] {
        &self.stacking
    }

    /// The index of measure `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.id().as_str() == id)
    }
}

/// Checks that `s` picks at least one of `measures`.
pub(crate) fn check_selector(s: &Selector, measures: &[Measure]) -> Result<()> {
    if measures.iter().any(|m| s.matches(m)) {
        return Ok(());
    }
    Err(match s {
        Selector::Measure(id) => Error::unknown(
            "measure",
            id.as_str(),
            ": define it under [[measure]] or fix the id",
        ),
        Selector::Authority(a) => {
            Error::unknown("authority", a.name(), ": no measure is imposed under it")
        }
        Selector::Layer(l) => Error::unknown("layer", l.as_str(), ": no measure is in that layer"),
    })
}
