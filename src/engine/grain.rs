//! What an answer inherits from a trigger the baseline's grain cannot value.
//!
//! A value-matched or proportional answer is sized on the value its
//! triggers cover. When a trigger is an HS-coded measure over a coarser or
//! named basket, that value is unknown (or known only in part), so the
//! answer's duty is unknown too: it is reported "not valued" (or as a lower
//! bound), never as the zero or the part that the known baskets give. A rule
//! that compares a covered value with a threshold cannot say whether it
//! fires, so it is an error.

use super::plan::SidePlan;
use crate::error::{Error, Result};
use crate::retaliation::{Answers, RetaliationRule, TriggerEvent};
use crate::tariff::Measure;
use crate::trade::Baseline;

/// What an answer knows of the value its triggers cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TriggerGrain {
    /// Baskets of its triggers the grain cannot value (0: all known).
    pub gaps: usize,
    /// Whether any part of that value is known.
    pub known: bool,
}

impl TriggerGrain {
    const KNOWN: TriggerGrain = TriggerGrain {
        gaps: 0,
        known: true,
    };

    fn merge(self, other: TriggerGrain) -> TriggerGrain {
        TriggerGrain {
            gaps: self.gaps + other.gaps,
            known: self.known || other.known,
        }
    }
}

/// Per answer (in the order of `answers`), what it knows of its triggers'
/// covered value; answers sized on a list of goods know all they need.
///
/// # Errors
/// [`Error::Invalid`] naming the rule and the trigger when a rule compares a
/// covered value the grain cannot value (in whole or in part).
pub(crate) fn trigger_grains(
    rules: &[RetaliationRule],
    answers: &Answers,
    measures: &[&Measure],
    sides: &[(&Baseline, &SidePlan)],
) -> Result<Vec<TriggerGrain>> {
    let base = answers.base();
    let of_measure = |t: usize| -> TriggerGrain {
        let m = measures[t];
        sides
            .iter()
            .filter(|(b, _)| b.importer() == m.imposer() && b.exporter() == m.target())
            .find_map(|(_, p)| {
                let li = p.local(t)?;
                let gaps = p.grain_gaps[li].len();
                Some(TriggerGrain {
                    gaps,
                    known: gaps == 0 || p.covers_anything(li),
                })
            })
            .unwrap_or(TriggerGrain::KNOWN)
    };
    let list = answers.list();
    let mut grains = vec![TriggerGrain::KNOWN; list.len()];
    // Answers may watch answers: settle in passes, at most one per answer.
    for _ in 0..=list.len() {
        let mut changed = false;
        for (ai, a) in list.iter().enumerate() {
            let rule = &rules[a.rule()];
            let compares = matches!(rule.trigger().event, TriggerEvent::CoveredValueAbove { .. });
            if !rule.matches_value() && !compares {
                continue;
            }
            let mut grain = TriggerGrain {
                gaps: 0,
                known: false,
            };
            for &t in a.triggers() {
                let g = if t < base {
                    of_measure(t)
                } else {
                    grains[t - base]
                };
                if compares && g.gaps > 0 {
                    return Err(Error::Invalid(format!(
                        "it compares the value measure {:?} covers with a threshold, but the baseline's grain cannot value what it covers in {} basket(s): give that side an HS-level baseline, or watch measures on its baskets",
                        measures[t].id().as_str(),
                        g.gaps
                    ))
                    .at(format!("retaliation rule {:?}", rule.id().as_str())));
                }
                grain = grain.merge(g);
            }
            if a.triggers().is_empty() {
                grain = TriggerGrain::KNOWN;
            }
            if rule.matches_value() && grains[ai] != grain {
                grains[ai] = grain;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(grains)
}
