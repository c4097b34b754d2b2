//! An answer as a function of its trigger: the rate a rule's answer takes
//! on each day, from the state of one watched measure `lag` days earlier.

use rust_decimal::Decimal;

use super::{Policy, RetaliationRule, TriggerEvent};
use crate::units::{Date, Rate};

/// The state of a watched measure from `date` on (until the next point):
/// its rate and, when the rule needs it, the annual value of the goods that
/// pay it, in the currency of the rule's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TriggerPoint {
    /// From this day (trigger time).
    pub date: Date,
    /// The watched measure's rate.
    pub rate: Rate,
    /// The annual value it covers, when the event needs it.
    pub covered: Option<Decimal>,
}

/// One rule's answer to one watched measure, in trigger time (before the
/// lag): the answer's rate from each date on, starting at the first point,
/// and the events the rule answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    /// `(from, answer rate)`, ascending; consecutive rates differ.
    pub steps: Vec<(Date, Rate)>,
    /// The trigger dates of the events answered, ascending.
    pub events: Vec<Date>,
}

/// Whether the watched measure's state keeps an answer live.
fn live(event: TriggerEvent, p: &TriggerPoint) -> bool {
    match event {
        TriggerEvent::InForce | TriggerEvent::StepUp => !p.rate.is_zero(),
        TriggerEvent::RateAbove(t) => p.rate > t,
        TriggerEvent::CoveredValueAbove { value, .. } => {
            !p.rate.is_zero() && p.covered.is_some_and(|v| v > value)
        }
    }
}

/// The rule's answer to one watched measure whose states are `points`
/// (ascending dates; before the first point the measure is not in force).
///
/// An event is the measure coming into force (`in-force`), each rise
/// (`step-up`), or its state passing the threshold (`rate-above`,
/// `covered-value-above`); only events inside the rule's active window are
/// answered. Then, per policy: `follow` gives the answer rate while the
/// state stays live after an answered event; `ratchet` the highest `follow`
/// rate so far; `fixed` the rate at the first answered event, held from
/// then on (for `step-up`, the highest rate answered at a rise so far).
pub(crate) fn respond(rule: &RetaliationRule, points: &[TriggerPoint]) -> Response {
    let event = rule.trigger().event;
    let active = rule.active_window();
    let mut steps: Vec<(Date, Rate)> = Vec::with_capacity(points.len());
    let mut events = Vec::new();
    let mut was_live = false;
    let mut prev_rate = Rate::ZERO;
    let mut episode = false;
    let mut high = Rate::ZERO;
    let mut held: Option<Rate> = None;
    for p in points {
        let is_live = live(event, p);
        let fired = match event {
            TriggerEvent::StepUp => p.rate > prev_rate,
            _ => is_live && !was_live,
        } && active.contains(p.date);
        if fired {
            events.push(p.date);
        }
        episode = is_live && (episode || fired);
        let follow = if episode {
            rule.answer_rate(p.rate)
        } else {
            Rate::ZERO
        };
        let rate = match rule.policy() {
            Policy::Follow => follow,
            Policy::Ratchet => {
                high = high.max(follow);
                high
            }
            Policy::Fixed => {
                if fired {
                    let made = rule.answer_rate(p.rate);
                    held = Some(match held {
                        Some(h) if event == TriggerEvent::StepUp => h.max(made),
                        Some(h) => h,
                        None => made,
                    });
                }
                held.unwrap_or(Rate::ZERO)
            }
        };
        if steps.last().is_none_or(|(_, r)| *r != rate) {
            steps.push((p.date, rate));
        }
        was_live = is_live;
        prev_rate = p.rate;
    }
    Response { steps, events }
}

/// The steps `lag_days` later; `None` when a date leaves the calendar.
pub(crate) fn shift(steps: &[(Date, Rate)], lag_days: i64) -> Option<Vec<(Date, Rate)>> {
    if lag_days == 0 {
        return Some(steps.to_vec());
    }
    let lag = jiff::Span::new().try_days(lag_days).ok()?;
    steps
        .iter()
        .map(|(d, r)| d.checked_add(lag).ok().map(|d| (d, *r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retaliation::{ResponseGoods, ResponseRate};
    use crate::units::parse_date as d;

    fn rule(event: TriggerEvent, policy: Policy) -> RetaliationRule {
        RetaliationRule::builder(
            "r".parse().unwrap(),
            "CN".parse().unwrap(),
            "US".parse().unwrap(),
        )
        .watch("m".parse().unwrap())
        .on(event)
        .rate(ResponseRate::Match)
        .covers(ResponseGoods::MatchValue)
        .policy(policy)
        .build()
        .unwrap()
    }

    fn pts(steps: &[(&str, &str)]) -> Vec<TriggerPoint> {
        steps
            .iter()
            .map(|(day, rate)| TriggerPoint {
                date: d(day).unwrap(),
                rate: rate.parse().unwrap(),
                covered: None,
            })
            .collect()
    }

    fn rates(r: &Response) -> Vec<(String, String)> {
        r.steps
            .iter()
            .map(|(d, r)| (d.to_string(), r.to_string()))
            .collect()
    }

    fn s(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    // The trigger: 10% from 2019-01-01, 25% from 2019-06-01, cut to 5% on
    // 2019-09-01, revoked on 2019-11-01.
    const TRIGGER: [(&str, &str); 4] = [
        ("2019-01-01", "10%"),
        ("2019-06-01", "25%"),
        ("2019-09-01", "5%"),
        ("2019-11-01", "0%"),
    ];

    #[test]
    fn follow_tracks_the_trigger_up_and_down() {
        let r = respond(&rule(TriggerEvent::InForce, Policy::Follow), &pts(&TRIGGER));
        assert_eq!(rates(&r), s(&TRIGGER));
        assert_eq!(r.events, vec![d("2019-01-01").unwrap()]);
    }

    #[test]
    fn ratchet_never_falls() {
        let r = respond(
            &rule(TriggerEvent::InForce, Policy::Ratchet),
            &pts(&TRIGGER),
        );
        assert_eq!(
            rates(&r),
            s(&[("2019-01-01", "10%"), ("2019-06-01", "25%")])
        );
    }

    #[test]
    fn fixed_keeps_the_first_rate_or_the_highest_rise() {
        let r = respond(&rule(TriggerEvent::InForce, Policy::Fixed), &pts(&TRIGGER));
        assert_eq!(rates(&r), s(&[("2019-01-01", "10%")]));
        let r = respond(&rule(TriggerEvent::StepUp, Policy::Fixed), &pts(&TRIGGER));
        assert_eq!(
            rates(&r),
            s(&[("2019-01-01", "10%"), ("2019-06-01", "25%")])
        );
        assert_eq!(r.events.len(), 2);
        // Cut to 5%, then back up to 10%: the rise to 10% makes a 10%
        // answer, but the 25% one made on 2019-06-01 stands.
        let r = respond(
            &rule(TriggerEvent::StepUp, Policy::Fixed),
            &pts(&[
                ("2019-01-01", "10%"),
                ("2019-06-01", "25%"),
                ("2019-09-01", "5%"),
                ("2019-11-01", "10%"),
            ]),
        );
        assert_eq!(
            rates(&r),
            s(&[("2019-01-01", "10%"), ("2019-06-01", "25%")])
        );
        assert_eq!(r.events.len(), 3);
    }

    #[test]
    fn rate_above_is_live_only_above_the_threshold() {
        let r = respond(
            &rule(
                TriggerEvent::RateAbove("20%".parse().unwrap()),
                Policy::Follow,
            ),
            &pts(&TRIGGER),
        );
        assert_eq!(
            rates(&r),
            s(&[
                ("2019-01-01", "0%"),
                ("2019-06-01", "25%"),
                ("2019-09-01", "0%")
            ])
        );
    }

    #[test]
    fn events_outside_the_active_window_are_not_answered() {
        // Active from 2019-03-01: the trigger came into force before, so the
        // in-force episode is never answered; a step-up rule answers the
        // June rise and follows from there.
        let w = crate::units::Window::open(d("2019-03-01").unwrap());
        let late = |e| {
            RetaliationRule::builder(
                "r".parse().unwrap(),
                "CN".parse().unwrap(),
                "US".parse().unwrap(),
            )
            .watch("m".parse().unwrap())
            .on(e)
            .active(w)
            .build()
            .unwrap()
        };
        let r = respond(&late(TriggerEvent::InForce), &pts(&TRIGGER));
        assert!(r.events.is_empty());
        assert_eq!(rates(&r), s(&[("2019-01-01", "0%")]));
        let r = respond(&late(TriggerEvent::StepUp), &pts(&TRIGGER));
        assert_eq!(
            rates(&r),
            s(&[
                ("2019-01-01", "0%"),
                ("2019-06-01", "25%"),
                ("2019-09-01", "5%"),
                ("2019-11-01", "0%")
            ])
        );
    }

    #[test]
    fn a_lag_moves_every_step_and_past_the_calendar_is_none() {
        let steps = vec![(d("2019-03-01").unwrap(), Rate::ZERO)];
        assert_eq!(
            shift(&steps, 30),
            Some(vec![(d("2019-03-31").unwrap(), Rate::ZERO)])
        );
        assert_eq!(shift(&[(Date::MAX, Rate::ZERO)], 1), None);
    }
}
