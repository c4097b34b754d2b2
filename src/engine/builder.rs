//! Building a scenario: its parts checked as a whole, then prepared once
//! (coverage classes, stacking groups, retaliation) for every evaluation.

use std::collections::HashMap;
use std::sync::Arc;

use super::answers::Retaliation;
use super::cache::Shared;
use super::claims::Pool;
use super::grain::trigger_grains;
use super::plan::{SidePlan, base_of};
use super::refunds::RefundTerms;
use super::scenario::{AS_SCHEDULED, Core, Scenario, ScenarioInfo};
use crate::error::{Error, Result};
use crate::outcome::{OutcomeTree, Path};
use crate::retaliation::{AnswerKind, Answers, RetaliationRule, TriggerEvent, derive_answers};
use crate::tariff::{Authority, BaseRates, Measure, Regime};
use crate::trade::{Baseline, ExchangeRates};
use crate::units::{Date, Party, Window};

/// Builds a [`Scenario`] step by step; see [`Scenario::builder`].
#[derive(Debug, Clone)]
pub struct ScenarioBuilder {
    info: ScenarioInfo,
    baselines: Vec<Baseline>,
    regime: Regime,
    rules: Vec<RetaliationRule>,
    tree: Option<OutcomeTree>,
    horizon: Window,
    history_from: Option<Date>,
    reference: Option<String>,
    fx: ExchangeRates,
    refunds: RefundTerms,
    not_valued: Vec<(Party, Party)>,
    base_rates: Vec<BaseRates>,
}

impl ScenarioBuilder {
    /// The scenario's id, title and assumptions.
    pub fn info(mut self, info: ScenarioInfo) -> ScenarioBuilder {
        self.info = info;
        self
    }

    /// Adds a baseline (one per importer–exporter direction).
    pub fn baseline(mut self, baseline: Baseline) -> ScenarioBuilder {
        self.baselines.push(baseline);
        self
    }

    /// Adds baselines.
    pub fn baselines(mut self, baselines: impl IntoIterator<Item = Baseline>) -> ScenarioBuilder {
        self.baselines.extend(baselines);
        self
    }

    /// The measures and stacking rules.
    pub fn regime(mut self, regime: Regime) -> ScenarioBuilder {
        self.regime = regime;
        self
    }

    /// Adds a retaliation rule.
    pub fn rule(mut self, rule: RetaliationRule) -> ScenarioBuilder {
        self.rules.push(rule);
        self
    }

    /// Adds retaliation rules.
    pub fn rules(mut self, rules: impl IntoIterator<Item = RetaliationRule>) -> ScenarioBuilder {
        self.rules.extend(rules);
        self
    }

    /// The outcome tree (default: one certain path with no action).
    pub fn tree(mut self, tree: OutcomeTree) -> ScenarioBuilder {
        self.tree = Some(tree);
        self
    }

    /// The path differences are taken against (default: [`AS_SCHEDULED`]).
    pub fn reference(mut self, path: impl Into<String>) -> ScenarioBuilder {
        self.reference = Some(path.into());
        self
    }

    /// Where the history starts (default: the earliest dated step, decision
    /// or suspension of the scenario, or the horizon's start if earlier).
    pub fn history_from(mut self, date: Date) -> ScenarioBuilder {
        self.history_from = Some(date);
        self
    }

    /// Exchange rates between the baselines' currencies.
    pub fn exchange_rates(mut self, fx: ExchangeRates) -> ScenarioBuilder {
        self.fx = fx;
        self
    }

    /// How refunds of voided duty are paid (interest, payment date).
    pub fn refunds(mut self, terms: RefundTerms) -> ScenarioBuilder {
        self.refunds = terms;
        self
    }

    /// Declares that measures imposed by `importer` on `exporter` are
    /// deliberately not valued (no baseline for that direction): they are
    /// listed as not valued instead of refused.
    pub fn not_valued(mut self, importer: Party, exporter: Party) -> ScenarioBuilder {
        self.not_valued.push((importer, exporter));
        self
    }

    /// Adds the base rates (MFN) one importer applies: valued apart from
    /// the measures on every side that importer imports on
    /// ([`SideExposure::base`](super::SideExposure::base)), the same on every
    /// path.
    pub fn base_rates(mut self, rates: BaseRates) -> ScenarioBuilder {
        self.base_rates.push(rates);
        self
    }

    /// The validated scenario.
    ///
    /// # Errors
    /// An empty horizon; two baselines for one direction; a measure (or a
    /// rule's answer) whose direction has no baseline, unless declared
    /// [`ScenarioBuilder::not_valued`] (a party in no baseline at all is
    /// always an error: usually a typo); retaliation rules sharing an id,
    /// watching nothing, answering each other in a cycle, or needing a
    /// baseline they lack; a path id that is [`AS_SCHEDULED`]; an unknown
    /// reference path; an action before its decision, outside the horizon,
    /// that does not apply, or that revives a voided measure; refund terms
    /// paid before a ruling; two sets of base rates for one importer.
    pub fn build(self) -> Result<Scenario> {
        let horizon = self.horizon;
        if horizon.days() == 0 {
            return Err(Error::Invalid(format!(
                "scenario {:?} has an empty horizon {horizon}: give it at least one day",
                self.info.id
            )));
        }
        for (i, a) in self.baselines.iter().enumerate() {
            if self.baselines[..i]
                .iter()
                .any(|b| b.importer() == a.importer() && b.exporter() == a.exporter())
            {
                return Err(Error::DuplicateId {
                    kind: "baseline",
                    id: a.label(),
                });
            }
        }
        for (i, a) in self.base_rates.iter().enumerate() {
            if self.base_rates[..i]
                .iter()
                .any(|b| b.importer() == a.importer())
            {
                return Err(Error::Invalid(format!(
                    "two sets of base rates for importer {}: give one [[base_rates]] per importer",
                    a.importer()
                )));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for r in &self.rules {
            if !seen.insert(r.id().clone()) {
                return Err(Error::DuplicateId {
                    kind: "retaliation rule",
                    id: r.id().to_string(),
                });
            }
        }
        let answers = derive_answers(&self.rules, self.regime.measures())?;
        let measures: Vec<Measure> = self
            .regime
            .measures()
            .iter()
            .cloned()
            .chain(answers.list().iter().map(|a| a.measure().clone()))
            .collect();
        check_rule_baselines(&self.rules, &self.baselines)?;
        check_parties(&self.baselines, &measures, &self.not_valued)?;
        let tree = match self.tree {
            Some(t) => {
                check_tree(&t)?;
                t
            }
            None => OutcomeTree::status_quo(AS_SCHEDULED, horizon.start()),
        };
        let reference = reference_of(&tree, self.reference.as_deref())?;
        let history = history(&measures, &tree, horizon, self.history_from)?;
        let refs: Vec<&Measure> = measures.iter().collect();
        let plans = side_plans(&self.baselines, &refs, &self.regime, &self.base_rates)?;
        let value_sides = self
            .baselines
            .iter()
            .map(|b| {
                answers.list().iter().any(|a| {
                    matches!(a.kind(), AnswerKind::Value { .. })
                        && a.measure().imposer() == b.importer()
                        && a.measure().target() == b.exporter()
                })
            })
            .collect();
        let sides: Vec<(&Baseline, &SidePlan)> = self
            .baselines
            .iter()
            .zip(plans.iter().map(Arc::as_ref))
            .collect();
        let trigger_grains = trigger_grains(&self.rules, &answers, &refs, &sides)?;
        let retaliation = if answers.is_empty() {
            None
        } else {
            Some(retaliation(
                &self.rules,
                answers,
                &refs,
                &self.regime,
                self.baselines.clone(),
                &self.base_rates,
                self.fx.clone(),
                history,
            )?)
        };
        self.refunds.check(history)?;
        let n_baselines = self.baselines.len();
        let shared = Shared::new(
            horizon,
            &measures,
            &self.baselines,
            &plans,
            &self.base_rates,
        )
        .ok()
        .map(Arc::new);
        let scenario = Scenario {
            info: self.info,
            baselines: self.baselines,
            regime: self.regime,
            rules: self.rules,
            tree,
            horizon,
            window: horizon,
            history_from: self.history_from,
            reference,
            fx: self.fx,
            refunds: self.refunds,
            not_valued: self.not_valued,
            base_rates: self.base_rates,
            core: Arc::new(Core {
                value_tied: value_tied(&plans, &measures),
                own_national: (0..n_baselines).map(Some).collect(),
                measures,
                plans,
                value_sides,
                retaliation,
                trigger_grains,
                history,
            }),
            shared,
        };
        // Every action is applied and checked here, each path's state let
        // go as soon as it is made.
        scenario.each_path_state(|_| Ok(()))?;
        Ok(scenario)
    }
}

/// One plan per baseline over `measures`, each netting the base rates of
/// its importer.
pub(super) fn side_plans(
    baselines: &[Baseline],
    measures: &[&Measure],
    regime: &Regime,
    base_rates: &[BaseRates],
) -> Result<Vec<Arc<SidePlan>>> {
    baselines
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let base = base_of(base_rates, b);
            SidePlan::new(i, b, measures, regime.stacking(), base, &HashMap::new()).map(Arc::new)
        })
        .collect()
}

/// Refuses a tree with a path named as the reference that takes no branch.
pub(super) fn check_tree(tree: &OutcomeTree) -> Result<()> {
    if tree.path(AS_SCHEDULED).is_some() {
        return Err(Error::Invalid(format!(
            "path id {AS_SCHEDULED:?} is the reference's (every measure as scheduled, no outcome applied): rename the branch"
        )));
    }
    Ok(())
}

/// The index in `tree` of the reference path `id`; `None` for every
/// measure as scheduled ([`AS_SCHEDULED`], or no id).
pub(super) fn reference_of(tree: &OutcomeTree, id: Option<&str>) -> Result<Option<usize>> {
    match id {
        None | Some(AS_SCHEDULED) => Ok(None),
        Some(id) => tree
            .paths()
            .iter()
            .position(|p| p.id() == id)
            .map(Some)
            .ok_or_else(|| {
                Error::unknown_among("reference path", id, tree.paths().iter().map(Path::id))
            }),
    }
}

/// Prepares retaliation: the national plans (with the importers' base
/// rates, which measures net of the base rate read), the measures answers
/// depend on, and whether passes must repeat.
#[allow(clippy::too_many_arguments)]
pub(crate) fn retaliation(
    rules: &[RetaliationRule],
    answers: Answers,
    measures: &[&Measure],
    regime: &Regime,
    national: Vec<Baseline>,
    base_rates: &[BaseRates],
    fx: ExchangeRates,
    history: Window,
) -> Result<Retaliation> {
    let plans = national
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let base = base_of(base_rates, b);
            SidePlan::new(i, b, measures, regime.stacking(), base, &HashMap::new())
        })
        .collect::<Result<Vec<_>>>()?;
    let base = answers.base();
    let mut relevant: Vec<usize> = Vec::new();
    let group_of = |t: usize, out: &mut Vec<usize>| {
        for p in &plans {
            if let Some(li) = p.local(t) {
                let (g, _) = p.group_of[li];
                out.extend(
                    p.groups[g]
                        .measures
                        .iter()
                        .map(|gl| p.measures[*gl])
                        .filter(|mi| *mi < base),
                );
            }
        }
    };
    let mut iterate = false;
    for a in answers.list() {
        let rule = &rules[a.rule()];
        let needs_value = rule.matches_value()
            || matches!(rule.trigger().event, TriggerEvent::CoveredValueAbove { .. });
        for &t in a.triggers() {
            if t < base {
                relevant.push(t);
            }
            if needs_value {
                group_of(t, &mut relevant);
                if t >= base && matches!(answers.list()[t - base].kind(), AnswerKind::Value { .. })
                {
                    iterate = true;
                }
            }
        }
        if rule.matches_value() {
            relevant.extend((0..base).filter(|&i| {
                let m = measures[i];
                m.authority() == Authority::Retaliation
                    && m.imposer() == rule.party()
                    && m.target() == rule.against()
            }));
        }
    }
    relevant.sort_unstable();
    relevant.dedup();
    let pools = national
        .iter()
        .map(|b| {
            let taxing: Vec<(usize, &Measure)> = measures
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    m.authority() == Authority::Retaliation
                        && !m.coverage().is_matched_value()
                        && m.imposer() == b.importer()
                        && m.target() == b.exporter()
                })
                .map(|(i, m)| (i, *m))
                .collect();
            let value_answered = answers.list().iter().any(|a| {
                matches!(a.kind(), AnswerKind::Value { .. })
                    && a.measure().imposer() == b.importer()
                    && a.measure().target() == b.exporter()
            });
            let on_content = taxing
                .iter()
                .find(|(_, m)| value_answered && m.coverage().content().is_some());
            if let Some((_, m)) = on_content {
                return Err(Error::Invalid(format!(
                    "retaliation measure {:?} is on a content share: value-matched answers count whole lines, so they cannot value it; write it on whole lines",
                    m.id().as_str()
                )));
            }
            Pool::new(b, &taxing)
        })
        .collect::<Result<Vec<_>>>()?;
    let trigger_ids = answers
        .list()
        .iter()
        .map(|a| {
            a.triggers()
                .iter()
                .map(|t| measures[*t].id().clone())
                .collect()
        })
        .collect();
    let years = national
        .iter()
        .map(|b| {
            (history.start().year()..=history.end().year())
                .filter_map(|y| Some((y, b.annual_columns(y).ok()?)))
                .collect()
        })
        .collect();
    Ok(Retaliation {
        rules: rules.to_vec(),
        trigger_ids,
        years,
        answers,
        national,
        plans,
        pools,
        fx,
        history,
        relevant,
        iterate,
    })
}

/// Per side plan: whether a value-matched answer shares a stacking group
/// with another measure.
pub(super) fn value_tied(plans: &[Arc<SidePlan>], measures: &[Measure]) -> Vec<bool> {
    plans
        .iter()
        .map(|p| {
            p.groups.iter().any(|g| {
                g.measures.len() > 1
                    && g.measures
                        .iter()
                        .any(|li| measures[p.measures[*li]].coverage().is_matched_value())
            })
        })
        .collect()
}

/// Every measure's direction has a baseline, or is declared not valued; a
/// party in no baseline at all is refused.
fn check_parties(
    baselines: &[Baseline],
    measures: &[Measure],
    not_valued: &[(Party, Party)],
) -> Result<()> {
    let sides = || {
        baselines
            .iter()
            .map(Baseline::label)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for m in measures {
        let has = baselines
            .iter()
            .any(|b| b.importer() == m.imposer() && b.exporter() == m.target());
        if has
            || not_valued
                .iter()
                .any(|(i, e)| i == m.imposer() && e == m.target())
        {
            continue;
        }
        for p in [m.imposer(), m.target()] {
            if !baselines
                .iter()
                .any(|b| b.importer() == p || b.exporter() == p)
            {
                return Err(Error::Invalid(format!(
                    "measure {:?} names party {p}, which no baseline has (baselines: {}): fix the party id or add a baseline",
                    m.id().as_str(),
                    sides()
                )));
            }
        }
        return Err(Error::Invalid(format!(
            "measure {:?} is imposed by {} on {}, but no baseline has {} importing from {} (baselines: {}), so it cannot be valued: add a baseline {}<-{}, or declare the direction not valued (not_valued = [\"{}<-{}\"])",
            m.id().as_str(),
            m.imposer(),
            m.target(),
            m.imposer(),
            m.target(),
            sides(),
            m.imposer(),
            m.target(),
            m.imposer(),
            m.target()
        )));
    }
    Ok(())
}

/// A rule that matches value, or compares a covered value, needs the
/// baseline of the side it watches and (to claim imports) of its own.
fn check_rule_baselines(rules: &[RetaliationRule], baselines: &[Baseline]) -> Result<()> {
    let has = |i: &Party, e: &Party| {
        baselines
            .iter()
            .any(|b| b.importer() == i && b.exporter() == e)
    };
    for r in rules {
        let at = |e: Error| e.at(format!("retaliation rule {:?}", r.id().as_str()));
        let compares = matches!(r.trigger().event, TriggerEvent::CoveredValueAbove { .. });
        if (r.matches_value() || compares) && !has(r.against(), r.party()) {
            return Err(at(Error::Invalid(format!(
                "it {} the value its triggers cover, but no baseline has {} importing from {}: add a baseline {}<-{}",
                if compares { "compares" } else { "matches" },
                r.against(),
                r.party(),
                r.against(),
                r.party()
            ))));
        }
        if r.matches_value() && !has(r.party(), r.against()) {
            return Err(at(Error::Invalid(format!(
                "it matches value out of {}'s imports from {}, but no baseline has them: add a baseline {}<-{}",
                r.party(),
                r.against(),
                r.party(),
                r.against()
            ))));
        }
    }
    Ok(())
}

/// `[start, horizon end)`: from `from`, or the earliest dated step,
/// suspension or decision (never after the horizon's start). A `from` later
/// than one of those is refused: the history would drop duty a refund owes
/// back and triggers an answer follows.
pub(super) fn history(
    measures: &[Measure],
    tree: &OutcomeTree,
    horizon: Window,
    from: Option<Date>,
) -> Result<Window> {
    let earliest = measures
        .iter()
        .flat_map(|m| {
            let s = m.schedule();
            s.steps()
                .iter()
                .map(move |x| {
                    (
                        x.effective(),
                        format!("measure {:?}'s step", m.id().as_str()),
                    )
                })
                .chain(s.suspensions().iter().map(move |x| {
                    (
                        x.window().start(),
                        format!("measure {:?}'s suspension", m.id().as_str()),
                    )
                }))
        })
        .chain(
            tree.nodes()
                .iter()
                .map(|n| (n.date(), format!("decision {:?}", n.id().as_str()))),
        )
        .min_by_key(|(d, _)| *d);
    let start = match (from, earliest) {
        (Some(d), _) if d > horizon.start() => {
            return Err(Error::Invalid(format!(
                "history_from {d} is after the horizon's start {}: the history must take in the horizon",
                horizon.start()
            )));
        }
        (Some(d), Some((first, what))) if d > first => {
            return Err(Error::Invalid(format!(
                "history_from {d} is after {what} on {first}: the history must take in every dated step, or duty a refund owes back and triggers an answer follows are lost; set history_from on or before {first}, or leave it out"
            )));
        }
        (Some(d), _) => d,
        (None, Some((first, _))) => first.min(horizon.start()),
        (None, None) => horizon.start(),
    };
    Window::new(start, horizon.end())
}

impl Scenario {
    /// A scenario over `horizon`: add baselines, a regime, rules and a tree,
    /// then [`ScenarioBuilder::build`].
    ///
    /// ```
    /// use tariffsim::*;
    /// use tariffsim::units::parse_date;
    /// use rust_decimal::Decimal;
    /// let us = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual,
    ///     vec![Basket::annual("goods".parse()?, "", Decimal::from(100))])?;
    /// let m = Measure::new("m".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
    ///     Coverage::of(Goods::all()), Schedule::flat(parse_date("2019-01-01")?, "25%".parse()?))?;
    /// let s = Scenario::builder(Window::year(2019)?)
    ///     .baseline(us)
    ///     .regime(Regime::new(vec![m], vec![])?)
    ///     .build()?;
    /// let e = s.evaluate(Detail::Totals)?;
    /// assert_eq!(e.path("as-scheduled").unwrap().side("US", "CN")?.net().amount(), Decimal::from(25));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(horizon: Window) -> ScenarioBuilder {
        ScenarioBuilder {
            info: ScenarioInfo::default(),
            baselines: Vec::new(),
            regime: Regime::default(),
            rules: Vec::new(),
            tree: None,
            horizon,
            history_from: None,
            reference: None,
            fx: ExchangeRates::NONE,
            refunds: RefundTerms::default(),
            not_valued: Vec::new(),
            base_rates: Vec::new(),
        }
    }

    /// A builder holding this scenario's parts — info, baselines, regime,
    /// rules, tree, reference, history start, exchange rates, refund terms,
    /// the directions not valued and the base rates — to change some and
    /// build again. The reporting window is not a part: the rebuilt
    /// scenario reports its horizon ([`Scenario::with_window`] narrows it).
    ///
    /// ```
    /// let s = tariffsim::load::load_scenario("data/scenarios/us-china-lines-2026.toml".as_ref())?;
    /// assert!(!s.base_rates().is_empty());
    /// assert_eq!(s.to_builder().build()?, s);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_builder(&self) -> ScenarioBuilder {
        ScenarioBuilder {
            info: self.info.clone(),
            baselines: self.baselines.clone(),
            regime: self.regime.clone(),
            rules: self.rules.clone(),
            tree: Some(self.tree.clone()),
            horizon: self.horizon,
            history_from: self.history_from,
            reference: self.reference().map(|p| p.id().to_string()),
            fx: self.fx.clone(),
            refunds: self.refunds.clone(),
            not_valued: self.not_valued.clone(),
            base_rates: self.base_rates.clone(),
        }
    }
}
