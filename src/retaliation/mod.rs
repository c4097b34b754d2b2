//! Retaliation: how the other side answers, capped by what it imports.
//!
//! A [`RetaliationRule`] watches the measures of one party against another
//! (its [`Trigger`]) and answers with a measure of its own after a lag: at
//! the trigger's rate or a fixed one (optionally capped), on a fixed
//! counter-list, on the same value, or on a proportion of it.
//!
//! # Answers follow their triggers
//!
//! An answer tracks what triggered it, `lag` days later. Under the default
//! [`Policy::Follow`], when the trigger steps up, is cut, suspended (and
//! snaps back), revoked or voided, the answer does the same after the lag;
//! [`Policy::Ratchet`] never lets it fall; [`Policy::Fixed`] keeps the rate
//! it first had. The [`TriggerEvent`] says when the rule starts answering
//! (the trigger comes into force, rises, passes a rate or a covered value)
//! and for how long the trigger's state keeps the answer live (while the
//! trigger is in force, above the rate, above the value).
//!
//! # One answer per rule, no self-stacking
//!
//! A rule answering with a counter-list makes one answer measure, whatever
//! number of its watched measures fire: on each day its rate is the highest
//! its watched measures imply, so a rule watching three lists does not tax
//! the same soybeans three times. A rule matching value makes one answer per
//! watched measure, each on its own share of the answering side's imports.
//! Different rules stack by the scenario's stacking rules, like any measures.
//!
//! # Value matching and the import base
//!
//! A value-matched answer covers, of every basket of the answering side's
//! imports, the share that no retaliation measure of that side taxes (in
//! force on the answer's first day or later) and that no earlier
//! value-matched answer has claimed: answers claim the pool in the order they
//! come into force (first in force, first served), and keep what they claim.
//! So they never cover more than the side imports (docs/DOMAIN.md, worked number
//! 5). The value asked for is the trigger's covered value on the trigger date
//! — the goods that actually pay it, after stacking, exemptions and exclusive
//! rules among the scenario's measures — converted into the answering
//! side's currency at the exchange rate in force on that date. Under
//! [`Policy::Follow`] the covered value then follows the trigger's covered
//! value (as a share of what it covered on the trigger date), never above
//! what was claimed.
//!
//! # Chains
//!
//! Answers may trigger answers. Rules are evaluated in the order of what
//! they watch (a rule after every rule whose answers it can watch), so a
//! change to an answer, up or down, reaches every rule watching it. Two rules
//! that can each watch the other's answers form a cycle, which
//! [`derive_answers`] refuses, naming the rules on it: such answers could
//! keep each other alive after their first trigger is gone.

mod derive;
mod respond;

use std::fmt;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::tariff::{Authority, Goods, Measure, Selector, check_selector};
use crate::units::{Currency, Date, MeasureId, Rate, RuleId, Share, Window};

pub use derive::{Answer, AnswerKind, Answers, derive_answers};
pub(crate) use respond::{TriggerPoint, respond, shift};

/// What makes a rule answer, for each watched measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerEvent {
    /// The measure comes into force (its rate turns positive); the answer is
    /// live while the measure is in force.
    InForce,
    /// Each rise of the measure's rate (its first positive rate included);
    /// the answer is live while the measure is in force. Under
    /// [`Policy::Fixed`] each rise is answered at the new rate.
    StepUp,
    /// The measure's rate rises above a threshold; the answer is live while
    /// it stays above.
    RateAbove(Rate),
    /// The measure is in force on goods worth more than `value` a year; the
    /// answer is live while it stays so.
    CoveredValueAbove {
        /// The annual value.
        value: Decimal,
        /// Its currency; `None` means the currency of the watched side's
        /// baseline.
        currency: Option<Currency>,
    },
}

impl fmt::Display for TriggerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TriggerEvent::InForce => f.write_str("in-force"),
            TriggerEvent::StepUp => f.write_str("step-up"),
            TriggerEvent::RateAbove(r) => write!(f, "rate-above {r}"),
            TriggerEvent::CoveredValueAbove {
                value,
                currency: None,
            } => write!(f, "covered-value-above {value}"),
            TriggerEvent::CoveredValueAbove {
                value,
                currency: Some(c),
            } => write!(f, "covered-value-above {value} {c}"),
        }
    }
}

/// The measures a rule watches and the event it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The watched measures (of the party being answered).
    pub measures: Vec<Selector>,
    /// When it answers.
    pub event: TriggerEvent,
}

/// The rate of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseRate {
    /// The trigger's rate (on each day, under [`Policy::Follow`]).
    Match,
    /// A fixed rate while the answer is live.
    Fixed(Rate),
}

/// The goods an answer covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseGoods {
    /// A fixed counter-list of the answering party's baskets or HS codes.
    List(Goods),
    /// The same value as the trigger covers, from the untaxed imports.
    MatchValue,
    /// This share of the trigger's covered value, from the untaxed imports.
    Proportion(Share),
}

/// How an answer moves once made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Policy {
    /// The answer tracks its trigger after the lag, up and down: a cut,
    /// suspension, revocation or voiding of the trigger lowers or ends it.
    #[default]
    Follow,
    /// The answer follows rises but never falls, even when the trigger ends.
    Ratchet,
    /// The answer keeps the rate it was made at, whatever the trigger does
    /// after. For [`TriggerEvent::StepUp`] each rise makes an answer that
    /// keeps its rate; a rule's answers do not add, so the highest made so
    /// far stands (a rise after a cut never lowers it).
    Fixed,
}

impl Policy {
    /// Every policy, as named in files.
    pub const ALL: [Policy; 3] = [Policy::Follow, Policy::Ratchet, Policy::Fixed];

    /// The name used in files and reports.
    pub fn name(&self) -> &'static str {
        match self {
            Policy::Follow => "follow",
            Policy::Ratchet => "ratchet",
            Policy::Fixed => "fixed",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Policy {
    type Err = Error;

    fn from_str(s: &str) -> Result<Policy> {
        Policy::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                Error::unknown(
                    "policy",
                    s,
                    "; write follow (the answer tracks its trigger), ratchet (never lower) or fixed (the rate first imposed)",
                )
            })
    }
}

/// How one party answers another's measures.
///
/// ```
/// use tariffsim::retaliation::{Policy, ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
/// use tariffsim::Goods;
/// let rule = RetaliationRule::builder("cn-soy".parse()?, "CN".parse()?, "US".parse()?)
///     .watch("list-1".parse()?)
///     .on(TriggerEvent::InForce)
///     .rate(ResponseRate::Match)
///     .covers(ResponseGoods::List(Goods::baskets(["soybeans".parse()?])))
///     .lag_days(30)
///     .policy(Policy::Follow)
///     .build()?;
/// assert_eq!(rule.lag_days(), 30);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetaliationRule {
    id: RuleId,
    party: crate::units::Party,
    against: crate::units::Party,
    trigger: Trigger,
    rate: ResponseRate,
    goods: ResponseGoods,
    lag_days: i64,
    cap: Option<Rate>,
    policy: Policy,
    active: Window,
}

/// Builds a [`RetaliationRule`] step by step; see
/// [`RetaliationRule::builder`].
#[derive(Debug, Clone)]
pub struct RuleBuilder {
    rule: RetaliationRule,
}

impl RuleBuilder {
    /// Watches the measures `selector` picks (call once per selector).
    pub fn watch(mut self, selector: Selector) -> RuleBuilder {
        self.rule.trigger.measures.push(selector);
        self
    }

    /// The event answered (default [`TriggerEvent::InForce`]).
    pub fn on(mut self, event: TriggerEvent) -> RuleBuilder {
        self.rule.trigger.event = event;
        self
    }

    /// The answer's rate (default [`ResponseRate::Match`]).
    pub fn rate(mut self, rate: ResponseRate) -> RuleBuilder {
        self.rule.rate = rate;
        self
    }

    /// The answer's goods (default [`ResponseGoods::MatchValue`]).
    pub fn covers(mut self, goods: ResponseGoods) -> RuleBuilder {
        self.rule.goods = goods;
        self
    }

    /// Days from trigger to answer (default 0).
    pub fn lag_days(mut self, days: i64) -> RuleBuilder {
        self.rule.lag_days = days;
        self
    }

    /// The highest rate an answer may have.
    pub fn cap(mut self, cap: Rate) -> RuleBuilder {
        self.rule.cap = Some(cap);
        self
    }

    /// How the answer moves once made (default [`Policy::Follow`]).
    pub fn policy(mut self, policy: Policy) -> RuleBuilder {
        self.rule.policy = policy;
        self
    }

    /// Answers only trigger events inside `window` (default: every event
    /// of the scenario's history).
    pub fn active(mut self, window: Window) -> RuleBuilder {
        self.rule.active = window;
        self
    }

    /// The validated rule.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a party answering itself, a negative lag or
    /// one longer than the calendar, or a rule that watches nothing.
    pub fn build(self) -> Result<RetaliationRule> {
        let r = self.rule;
        let name = r.id.to_string();
        if r.party == r.against {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} has {} answering itself: name the other party in `against`",
                r.party
            )));
        }
        if r.lag_days < 0 {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} has a negative lag ({} days): answers come after triggers",
                r.lag_days
            )));
        }
        if jiff::Span::new().try_days(r.lag_days).is_err() {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} has a lag of {} days, longer than the calendar: give a lag in days that fits between two dates",
                r.lag_days
            )));
        }
        if r.trigger.measures.is_empty() {
            return Err(Error::Invalid(format!(
                "retaliation rule {name:?} watches no measures: list selectors in its trigger"
            )));
        }
        Ok(r)
    }
}

impl RetaliationRule {
    /// A rule by which `party` answers `against`'s measures: name what it
    /// watches, when and how it answers, then [`RuleBuilder::build`].
    pub fn builder(
        id: RuleId,
        party: crate::units::Party,
        against: crate::units::Party,
    ) -> RuleBuilder {
        RuleBuilder {
            rule: RetaliationRule {
                id,
                party,
                against,
                trigger: Trigger {
                    measures: Vec::new(),
                    event: TriggerEvent::InForce,
                },
                rate: ResponseRate::Match,
                goods: ResponseGoods::MatchValue,
                lag_days: 0,
                cap: None,
                policy: Policy::Follow,
                active: Window::ALL,
            },
        }
    }

    /// The id.
    pub fn id(&self) -> &RuleId {
        &self.id
    }

    /// The answering party.
    pub fn party(&self) -> &crate::units::Party {
        &self.party
    }

    /// The party being answered.
    pub fn against(&self) -> &crate::units::Party {
        &self.against
    }

    /// The trigger.
    pub fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// The answer's rate.
    pub fn rate(&self) -> ResponseRate {
        self.rate
    }

    /// The answer's goods.
    pub fn goods(&self) -> &ResponseGoods {
        &self.goods
    }

    /// Days from trigger to answer.
    pub fn lag_days(&self) -> i64 {
        self.lag_days
    }

    /// The highest rate the answer may have.
    pub fn cap(&self) -> Option<Rate> {
        self.cap
    }

    /// How the answer moves once made.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The window of trigger events the rule answers.
    pub fn active_window(&self) -> Window {
        self.active
    }

    /// Whether the answers cover a share of the imports matched to the
    /// trigger's value (rather than a fixed counter-list).
    pub fn matches_value(&self) -> bool {
        !matches!(self.goods, ResponseGoods::List(_))
    }

    /// Whether the rule watches `m`: a measure of the party it answers, on
    /// the party it belongs to, picked by one of its selectors.
    pub fn watches(&self, m: &Measure) -> bool {
        m.imposer() == &self.against
            && m.target() == &self.party
            && self.trigger.measures.iter().any(|s| s.matches(m))
    }

    /// Checks that each selector picks something: one of `measures`, or an
    /// answer one of `rules` can make for the party this rule answers (by
    /// authority, by the rule's layer, or by an answer id, which starts with
    /// its rule's id).
    ///
    /// # Errors
    /// [`Error::Unknown`] for a selector that picks nothing, naming the rule.
    pub fn check(&self, measures: &[Measure], rules: &[RetaliationRule]) -> Result<()> {
        let answers_of = |r: &&RetaliationRule| r.party == self.against && r.against == self.party;
        for s in &self.trigger.measures {
            let answer = match s {
                Selector::Authority(a) => {
                    *a == Authority::Retaliation && rules.iter().any(|r| answers_of(&r))
                }
                Selector::Layer(l) => rules
                    .iter()
                    .filter(answers_of)
                    .any(|r| r.id.as_str() == l.as_str()),
                Selector::Measure(id) => rules.iter().filter(answers_of).any(|r| {
                    id.as_str() == r.id.as_str()
                        || id
                            .as_str()
                            .strip_prefix(r.id.as_str())
                            .is_some_and(|rest| rest.starts_with(':'))
                }),
            };
            if !answer {
                check_selector(s, measures)
                    .map_err(|e| e.at(format!("retaliation rule {:?}", self.id.as_str())))?;
            }
        }
        Ok(())
    }

    /// The rate a live answer takes when its trigger is at `trigger`: the
    /// trigger's rate or the fixed one, never above the cap.
    pub(crate) fn answer_rate(&self, trigger: Rate) -> Rate {
        let r = match self.rate {
            ResponseRate::Match => trigger,
            ResponseRate::Fixed(r) => r,
        };
        match self.cap {
            Some(c) => r.min(c),
            None => r,
        }
    }
}

/// One answer made on a path, for reports: which rule answered which
/// measures, from when, and — for value-matched answers — the annual value
/// it asked for and the value it covers after the import-base cap (in the
/// answering side's currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerNote {
    /// The rule.
    pub rule: RuleId,
    /// The answer measure.
    pub answer: MeasureId,
    /// The measures answered.
    pub triggers: std::sync::Arc<[MeasureId]>,
    /// The policy the answer follows.
    pub policy: Policy,
    /// The first day the answer is in force.
    pub effective: Date,
    /// The answer's rate on its first day.
    pub rate: Rate,
    /// The answer's highest rate on the path.
    pub peak: Rate,
    /// The annual value the rule asked to cover (value-matched answers).
    pub requested: Option<Decimal>,
    /// The annual value it covers after the cap (value-matched answers).
    pub covered: Option<Decimal>,
    /// The answer's rates on the path, from its first step on.
    pub schedule: std::sync::Arc<crate::tariff::Schedule>,
}
