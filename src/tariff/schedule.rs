//! Schedules: a measure's rate as a step function of the date.

use std::fmt;

use crate::error::{Error, Result};
use crate::units::{Date, Rate, Window};

/// Whether a step counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepStatus {
    /// Enacted: the rate applies from the step's date (which may lie ahead).
    InForce,
    /// Announced or threatened: counts only once an outcome imposes it.
    Announced,
}

impl fmt::Display for StepStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepStatus::InForce => "in-force",
            StepStatus::Announced => "announced",
        })
    }
}

/// One dated step: from `effective` on, the rate is `rate` (until the next
/// in-force step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Step {
    effective: Date,
    rate: Rate,
    status: StepStatus,
}

impl Step {
    /// A step in force from `effective`.
    pub fn in_force(effective: Date, rate: Rate) -> Step {
        Step {
            effective,
            rate,
            status: StepStatus::InForce,
        }
    }

    /// An announced (threatened) step: it counts only once imposed.
    pub fn announced(effective: Date, rate: Rate) -> Step {
        Step {
            effective,
            rate,
            status: StepStatus::Announced,
        }
    }

    /// The date the rate applies from.
    pub fn effective(&self) -> Date {
        self.effective
    }

    /// The rate.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// In force or announced.
    pub fn status(&self) -> StepStatus {
        self.status
    }
}

/// A window during which the rate drops to `rate` (or stays lower, if the
/// scheduled rate is already lower), snapping back when the window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Suspension {
    window: Window,
    rate: Rate,
}

impl Suspension {
    /// A suspension to `rate` over `window`.
    pub fn new(window: Window, rate: Rate) -> Suspension {
        Suspension { window, rate }
    }

    /// When the suspension holds.
    pub fn window(&self) -> Window {
        self.window
    }

    /// The rate while suspended.
    pub fn rate(&self) -> Rate {
        self.rate
    }
}

impl fmt::Display for Suspension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.window, self.rate)
    }
}

/// What a cut or a raise does to the in-force steps scheduled after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AfterEdit {
    /// Later steps still take effect (a scheduled rise still comes).
    KeepSchedule,
    /// The new rate holds until the next action: later steps are dropped.
    Hold,
}

impl AfterEdit {
    /// The name used in files.
    pub fn name(&self) -> &'static str {
        match self {
            AfterEdit::KeepSchedule => "keep-schedule",
            AfterEdit::Hold => "hold",
        }
    }
}

/// A validated schedule: steps in strict date order, suspensions in order and
/// not overlapping. Before its first in-force step a measure's rate is zero.
///
/// Every operation returns a new validated schedule and leaves this one as it
/// was.
///
/// ```
/// use tariffsim::{Rate, Schedule, Step, units::parse_date};
/// let d = parse_date;
/// let list3 = Schedule::new(
///     vec![
///         Step::in_force(d("2018-09-24")?, "10%".parse()?),
///         Step::in_force(d("2019-01-01")?, "25%".parse()?),
///     ],
///     vec![],
/// )?;
/// // The G20 truce: the step to 25% moves to 2019-03-02.
/// let truce = list3.postpone(d("2019-01-01")?, d("2019-03-02")?)?;
/// assert_eq!(truce.rate_on(d("2019-02-01")?), "10%".parse::<Rate>()?);
/// assert_eq!(truce.rate_on(d("2019-03-02")?), "25%".parse::<Rate>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Schedule {
    steps: Vec<Step>,
    suspensions: Vec<Suspension>,
}

impl Schedule {
    /// A schedule from steps and suspensions, each listed by date.
    ///
    /// # Errors
    /// [`Error::StepsUnordered`] or [`Error::StepsSameDate`] for steps out of
    /// order or sharing a date; [`Error::SuspensionsOverlap`] for suspensions
    /// out of order or overlapping.
    pub fn new(steps: Vec<Step>, suspensions: Vec<Suspension>) -> Result<Schedule> {
        for w in steps.windows(2) {
            if w[0].effective == w[1].effective {
                return Err(Error::StepsSameDate {
                    date: w[0].effective,
                });
            }
            if w[1].effective < w[0].effective {
                return Err(Error::StepsUnordered {
                    later: w[0].effective,
                    earlier: w[1].effective,
                });
            }
        }
        for w in suspensions.windows(2) {
            if w[1].window.start() < w[0].window.end() {
                return Err(Error::SuspensionsOverlap {
                    first: w[0].to_string(),
                    second: w[1].to_string(),
                });
            }
        }
        Ok(Schedule { steps, suspensions })
    }

    /// One rate in force from `effective`.
    pub fn flat(effective: Date, rate: Rate) -> Schedule {
        Schedule {
            steps: vec![Step::in_force(effective, rate)],
            suspensions: Vec::new(),
        }
    }

    /// The steps, by date.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The suspensions, by date.
    pub fn suspensions(&self) -> &[Suspension] {
        &self.suspensions
    }

    /// The rate the in-force steps give on `date`, ignoring suspensions.
    pub fn scheduled_rate_on(&self, date: Date) -> Rate {
        self.steps
            .iter()
            .rfind(|s| s.status == StepStatus::InForce && s.effective <= date)
            .map_or(Rate::ZERO, |s| s.rate)
    }

    /// The rate in force on `date`: the last in-force step on or before it,
    /// lowered to a suspension's rate while one holds.
    pub fn rate_on(&self, date: Date) -> Rate {
        let base = self.scheduled_rate_on(date);
        match self.suspensions.iter().find(|s| s.window.contains(date)) {
            Some(s) => base.min(s.rate),
            None => base,
        }
    }

    /// The dates on which the rate may change: in-force step dates and
    /// suspension edges, ascending and without repeats.
    pub fn change_dates(&self) -> Vec<Date> {
        let mut d: Vec<Date> = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::InForce)
            .map(|s| s.effective)
            .chain(
                self.suspensions
                    .iter()
                    .flat_map(|s| [s.window.start(), s.window.end()]),
            )
            .collect();
        d.sort_unstable();
        d.dedup();
        d
    }

    /// The rate over `window` as `(from, rate)` pieces: the first starts at the
    /// window's start, each holds until the next (or the window's end), and
    /// consecutive pieces differ in rate.
    pub fn timeline(&self, window: Window) -> Vec<(Date, Rate)> {
        let mut out = Vec::new();
        self.timeline_into(window, &mut out);
        out
    }

    /// [`Schedule::timeline`], into `out` (cleared first): for callers that
    /// keep one buffer across many windows. One pass over the in-force steps
    /// and the suspensions' edges together, in date order; it allocates
    /// nothing beyond `out`.
    pub(crate) fn timeline_into(&self, window: Window, out: &mut Vec<(Date, Rate)>) {
        out.clear();
        let (start, end) = (window.start(), window.end());
        let mut steps = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::InForce)
            .peekable();
        // A suspension's edges in date order: its start (suspended to its
        // rate) then its end (no longer); suspensions are ordered and do
        // not overlap, so one's end comes no later than the next's start.
        let mut edges = self
            .suspensions
            .iter()
            .flat_map(|s| [(s.window.start(), Some(s.rate)), (s.window.end(), None)])
            .peekable();
        let (mut scheduled, mut held) = (Rate::ZERO, None::<Rate>);
        loop {
            let next_step = steps.peek().map(|s| s.effective);
            let next_edge = edges.peek().map(|e| e.0);
            let d = match (next_step, next_edge) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            if d > start {
                if out.is_empty() {
                    out.push((start, held.map_or(scheduled, |h| scheduled.min(h))));
                }
                if d >= end {
                    break;
                }
            }
            while let Some(s) = steps.next_if(|s| s.effective == d) {
                scheduled = s.rate;
            }
            while let Some((_, rate)) = edges.next_if(|e| e.0 == d) {
                held = rate;
            }
            if d > start {
                let r = held.map_or(scheduled, |h| scheduled.min(h));
                if out.last().is_some_and(|(_, last)| *last != r) {
                    out.push((d, r));
                }
            }
        }
        if out.is_empty() {
            out.push((start, held.map_or(scheduled, |h| scheduled.min(h))));
        }
    }

    fn position(&self, date: Date) -> Result<usize> {
        self.steps
            .iter()
            .position(|s| s.effective == date)
            .ok_or_else(|| Error::NoSuchStep {
                date,
                fix: if self.steps.is_empty() {
                    ": it has no steps".into()
                } else {
                    format!(
                        "; its steps are on {}",
                        self.steps
                            .iter()
                            .map(|s| s.effective.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            })
    }

    fn rebuilt(mut steps: Vec<Step>, suspensions: Vec<Suspension>) -> Result<Schedule> {
        steps.sort_by_key(|s| s.effective);
        Schedule::new(steps, suspensions)
    }

    /// Moves the step dated `step` to the later date `to`. A step never
    /// moves past a later one: postponing the 25% step of 2019-01-01 to
    /// 2019-10-01 past a 30% step of 2019-07-01 would give 30% in July and
    /// 25% from October, so it is an error; use [`Schedule::postpone_shifting`]
    /// to move the later steps too.
    ///
    /// ```
    /// use tariffsim::{Rate, Schedule, Step, units::parse_date};
    /// let d = parse_date;
    /// let s = Schedule::new(vec![
    ///     Step::in_force(d("2018-09-24")?, "10%".parse()?),
    ///     Step::in_force(d("2019-01-01")?, "25%".parse()?),
    ///     Step::in_force(d("2019-07-01")?, "30%".parse()?),
    /// ], vec![])?;
    /// assert_eq!(
    ///     s.postpone(d("2019-01-01")?, d("2019-10-01")?).unwrap_err().to_string(),
    ///     "postponing the step of 2019-01-01 to 2019-10-01 would move it past the step of 2019-07-01: postpone to an earlier date, or shift the later steps too (shift-later = true)"
    /// );
    /// // Shifting: every later step moves by the same 273 days.
    /// let shifted = s.postpone_shifting(d("2019-01-01")?, d("2019-10-01")?)?;
    /// assert_eq!(shifted.rate_on(d("2019-12-31")?), "25%".parse::<Rate>()?);
    /// assert_eq!(shifted.rate_on(d("2020-03-30")?), "30%".parse::<Rate>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoSuchStep`] when no step has that date; [`Error::Invalid`]
    /// when `to` is not later, or lies on or past a later step.
    pub fn postpone(&self, step: Date, to: Date) -> Result<Schedule> {
        let i = self.position(step)?;
        if to <= step {
            return Err(Error::Invalid(format!(
                "postponing the step of {step} to {to} moves it earlier: postpone to a later date"
            )));
        }
        if let Some(next) = self.steps.get(i + 1).filter(|n| n.effective <= to) {
            return Err(Error::Invalid(format!(
                "postponing the step of {step} to {to} would move it past the step of {}: postpone to an earlier date, or shift the later steps too (shift-later = true)",
                next.effective
            )));
        }
        let mut steps = self.steps.clone();
        steps[i].effective = to;
        Schedule::rebuilt(steps, self.suspensions.clone())
    }

    /// Moves the step dated `step` to the later date `to`, and every later
    /// step by the same number of days, so their order and spacing stay.
    /// Suspensions do not move.
    ///
    /// # Errors
    /// As [`Schedule::postpone`], but a later step is never in the way;
    /// [`Error::Invalid`] when a moved step would leave the calendar.
    pub fn postpone_shifting(&self, step: Date, to: Date) -> Result<Schedule> {
        let i = self.position(step)?;
        if to <= step {
            return Err(Error::Invalid(format!(
                "postponing the step of {step} to {to} moves it earlier: postpone to a later date"
            )));
        }
        let days = crate::units::days_between(step, to);
        let span = jiff::Span::new().try_days(days).map_err(|_| {
            Error::Invalid(format!(
                "postponing {step} by {days} days leaves the calendar"
            ))
        })?;
        let mut steps = self.steps.clone();
        for s in &mut steps[i..] {
            s.effective = s.effective.checked_add(span).map_err(|_| {
                Error::Invalid(format!(
                    "shifting the step of {} by {days} days leaves the calendar",
                    s.effective
                ))
            })?;
        }
        Schedule::rebuilt(steps, self.suspensions.clone())
    }

    /// Postpones the step dated `step` without a new date: it goes back to
    /// announced and no longer counts.
    ///
    /// # Errors
    /// [`Error::NoSuchStep`] when no step has that date.
    pub fn postpone_indefinitely(&self, step: Date) -> Result<Schedule> {
        let i = self.position(step)?;
        let mut s = self.clone();
        s.steps[i].status = StepStatus::Announced;
        Ok(s)
    }

    /// Suspends the rate to `rate` over `window`; it snaps back afterwards.
    ///
    /// # Errors
    /// [`Error::SuspensionsOverlap`] when the window overlaps a suspension
    /// already in the schedule (extend that one instead).
    pub fn suspend(&self, window: Window, rate: Rate) -> Result<Schedule> {
        let mut sus = self.suspensions.clone();
        sus.push(Suspension::new(window, rate));
        sus.sort();
        Schedule::new(self.steps.clone(), sus)
    }

    /// Moves the end of the suspension that holds on `on` (or ends on `on`) to
    /// `until`.
    ///
    /// # Errors
    /// [`Error::NoSuchSuspension`] when none holds then; [`Error::Invalid`]
    /// when `until` is not after the suspension's start;
    /// [`Error::SuspensionsOverlap`] when the longer window runs into the next.
    pub fn extend_suspension(&self, on: Date, until: Date) -> Result<Schedule> {
        let i = self
            .suspensions
            .iter()
            .position(|s| s.window.start() <= on && on <= s.window.end())
            .ok_or(Error::NoSuchSuspension { date: on })?;
        let mut sus = self.suspensions.clone();
        let start = sus[i].window.start();
        if until <= start {
            return Err(Error::Invalid(format!(
                "extending the suspension from {start} to {until} would leave it empty: give a later end"
            )));
        }
        sus[i].window = Window::new(start, until)?;
        Schedule::new(self.steps.clone(), sus)
    }

    /// Whether an in-force step is dated after `date`.
    pub fn has_steps_after(&self, date: Date) -> bool {
        self.steps
            .iter()
            .any(|s| s.status == StepStatus::InForce && s.effective > date)
    }

    fn set_step(&self, from: Date, rate: Rate, then: AfterEdit) -> Result<Schedule> {
        let steps: Vec<Step> = self
            .steps
            .iter()
            .filter(|s| s.effective != from)
            .filter(|s| {
                then == AfterEdit::KeepSchedule
                    || s.effective < from
                    || s.status == StepStatus::Announced
            })
            .copied()
            .chain([Step::in_force(from, rate)])
            .collect();
        Schedule::rebuilt(steps, self.suspensions.clone())
    }

    /// Cuts the rate to `rate` from `from`: an in-force step at `from`
    /// (replacing any step that day). With [`AfterEdit::Hold`] the rate
    /// holds until the next action: later in-force steps are dropped (a
    /// threatened, announced step stays announced); with
    /// [`AfterEdit::KeepSchedule`] they still take effect.
    ///
    /// ```
    /// use tariffsim::{Rate, Schedule, Step, tariff::AfterEdit, units::parse_date};
    /// let d = parse_date;
    /// // 20% now, a step to 30% scheduled for 2026-01-01; cut to 10% on 2025-11-10.
    /// let s = Schedule::new(vec![
    ///     Step::in_force(d("2025-03-04")?, "20%".parse()?),
    ///     Step::in_force(d("2026-01-01")?, "30%".parse()?),
    /// ], vec![])?;
    /// let held = s.cut(d("2025-11-10")?, "10%".parse()?, AfterEdit::Hold)?;
    /// assert_eq!(held.rate_on(d("2026-06-01")?), "10%".parse::<Rate>()?);
    /// let kept = s.cut(d("2025-11-10")?, "10%".parse()?, AfterEdit::KeepSchedule)?;
    /// assert_eq!(kept.rate_on(d("2026-06-01")?), "30%".parse::<Rate>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::WrongDirection`] when `rate` is above the scheduled rate on
    /// `from`.
    pub fn cut(&self, from: Date, rate: Rate, then: AfterEdit) -> Result<Schedule> {
        let current = self.scheduled_rate_on(from);
        if rate > current {
            return Err(Error::WrongDirection {
                action: "cut",
                rate: rate.to_string(),
                current: current.to_string(),
                direction: "below",
                date: from,
            });
        }
        self.set_step(from, rate, then)
    }

    /// Raises the rate to `rate` from `from`: an in-force step at `from`
    /// (replacing any step that day); later steps as for [`Schedule::cut`].
    ///
    /// # Errors
    /// [`Error::WrongDirection`] when `rate` is below the scheduled rate on
    /// `from`.
    pub fn raise(&self, from: Date, rate: Rate, then: AfterEdit) -> Result<Schedule> {
        let current = self.scheduled_rate_on(from);
        if rate < current {
            return Err(Error::WrongDirection {
                action: "raise",
                rate: rate.to_string(),
                current: current.to_string(),
                direction: "above",
                date: from,
            });
        }
        self.set_step(from, rate, then)
    }

    /// Ends the measure from `from`: the rate is zero from then on, later
    /// steps are dropped and suspensions are cut at `from`.
    pub fn revoke(&self, from: Date) -> Schedule {
        let mut steps: Vec<Step> = self
            .steps
            .iter()
            .filter(|s| s.effective < from)
            .copied()
            .collect();
        steps.push(Step::in_force(from, Rate::ZERO));
        let suspensions = self
            .suspensions
            .iter()
            .filter(|s| s.window.start() < from)
            .map(|s| Suspension {
                window: Window::ordered(s.window.start(), s.window.end().min(from)),
                rate: s.rate,
            })
            .collect();
        Schedule { steps, suspensions }
    }

    /// Brings announced steps into force: the one dated `step`, or every
    /// announced step when `step` is `None`.
    ///
    /// # Errors
    /// [`Error::NoSuchStep`] when the date names no step, or
    /// [`Error::Invalid`] when there is no announced step to impose.
    pub fn impose(&self, step: Option<Date>) -> Result<Schedule> {
        let mut s = self.clone();
        match step {
            Some(d) => {
                let i = self.position(d)?;
                s.steps[i].status = StepStatus::InForce;
            }
            None => {
                if !s.steps.iter().any(|x| x.status == StepStatus::Announced) {
                    return Err(Error::Invalid(
                        "schedule has no announced step to impose".into(),
                    ));
                }
                for x in &mut s.steps {
                    x.status = StepStatus::InForce;
                }
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::parse_date as d;

    fn r(s: &str) -> Rate {
        s.parse().unwrap()
    }

    #[test]
    fn steps_must_be_ordered_and_distinct() {
        let e = Schedule::new(
            vec![
                Step::in_force(d("2019-01-01").unwrap(), r("25%")),
                Step::in_force(d("2018-12-31").unwrap(), r("10%")),
            ],
            vec![],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "schedule steps are out of order: 2019-01-01 comes after 2018-12-31; list steps by date"
        );
        let e = Schedule::new(
            vec![
                Step::in_force(d("2019-01-01").unwrap(), r("25%")),
                Step::in_force(d("2019-01-01").unwrap(), r("10%")),
            ],
            vec![],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "schedule has two steps on 2019-01-01: keep one rate per date"
        );
    }

    #[test]
    fn suspension_drops_and_snaps_back_and_extends() {
        // Reciprocal layer after Geneva: 34% with 24 points suspended (10%)
        // from 2025-05-14 for 90 days, extended to 2025-11-10.
        let s = Schedule::flat(d("2025-05-14").unwrap(), r("34%"))
            .suspend(
                Window::new(d("2025-05-14").unwrap(), d("2025-08-12").unwrap()).unwrap(),
                r("10%"),
            )
            .unwrap();
        assert_eq!(s.rate_on(d("2025-06-01").unwrap()), r("10%"));
        assert_eq!(s.rate_on(d("2025-08-12").unwrap()), r("34%"));
        let ext = s
            .extend_suspension(d("2025-08-11").unwrap(), d("2025-11-10").unwrap())
            .unwrap();
        assert_eq!(ext.rate_on(d("2025-08-12").unwrap()), r("10%"));
        assert_eq!(ext.rate_on(d("2025-11-10").unwrap()), r("34%"));
        assert_eq!(
            s.extend_suspension(d("2025-09-01").unwrap(), d("2026-01-01").unwrap())
                .unwrap_err()
                .to_string(),
            "schedule has no suspension in force on 2025-09-01: suspend first, then extend"
        );
    }

    #[test]
    fn postponing_a_missing_step_names_the_steps_there_are() {
        let s = Schedule::flat(d("2018-09-24").unwrap(), r("10%"));
        assert_eq!(
            s.postpone(d("2019-01-01").unwrap(), d("2019-03-02").unwrap())
                .unwrap_err()
                .to_string(),
            "schedule has no step on 2019-01-01; its steps are on 2018-09-24"
        );
    }

    #[test]
    fn cut_must_lower_and_revoke_ends_everything() {
        let s = Schedule::new(
            vec![
                Step::in_force(d("2025-02-04").unwrap(), r("10%")),
                Step::in_force(d("2025-03-04").unwrap(), r("20%")),
            ],
            vec![],
        )
        .unwrap();
        assert_eq!(
            s.cut(d("2025-11-10").unwrap(), r("30%"), AfterEdit::Hold)
                .unwrap_err()
                .to_string(),
            "cut to 30% on 2025-11-10 is not below the 20% in force then"
        );
        let cut = s
            .cut(d("2025-11-10").unwrap(), r("10%"), AfterEdit::Hold)
            .unwrap();
        assert_eq!(cut.rate_on(d("2025-11-10").unwrap()), r("10%"));
        let gone = s.revoke(d("2025-03-01").unwrap());
        assert_eq!(gone.rate_on(d("2025-02-28").unwrap()), r("10%"));
        assert_eq!(gone.rate_on(d("2025-04-01").unwrap()), Rate::ZERO);
    }

    #[test]
    fn announced_steps_count_only_once_imposed() {
        let threat = Schedule::new(
            vec![Step::announced(d("2025-11-01").unwrap(), r("100%"))],
            vec![],
        )
        .unwrap();
        assert_eq!(threat.rate_on(d("2025-12-01").unwrap()), Rate::ZERO);
        let imposed = threat.impose(None).unwrap();
        assert_eq!(imposed.rate_on(d("2025-12-01").unwrap()), r("100%"));
        assert_eq!(imposed.rate_on(d("2025-10-31").unwrap()), Rate::ZERO);
    }
    /// Day offsets from 2025-01-01 to a date.
    fn on(days: i64) -> Date {
        d("2025-01-01")
            .unwrap()
            .checked_add(jiff::Span::new().days(days))
            .unwrap()
    }

    proptest::proptest! {
        /// A schedule's timeline is its rate read day by day ([`Schedule::rate_on`]),
        /// consecutive days of one rate joined: over 60 days, so steps fall
        /// on suspension edges, suspensions touch, and steps and suspensions
        /// lie before, across and after the window.
        #[test]
        fn a_timeline_is_the_rate_read_day_by_day(
            steps in proptest::collection::btree_map(0i64..60, (0u32..5, proptest::bool::ANY), 0..6),
            cuts in proptest::collection::vec((0i64..4, 1i64..12, 0u32..5), 0..4),
            (a, b) in (0i64..60, 1i64..40),
        ) {
            let percent = |n: u32| Rate::from_percent(rust_decimal::Decimal::from(n * 10)).unwrap();
            let steps = steps
                .iter()
                .map(|(day, (rate, in_force))| match in_force {
                    true => Step::in_force(on(*day), percent(*rate)),
                    false => Step::announced(on(*day), percent(*rate)),
                })
                .collect();
            let mut suspensions = Vec::new();
            let mut from = 0;
            for (gap, length, rate) in cuts {
                let w = Window::new(on(from + gap), on(from + gap + length)).unwrap();
                suspensions.push(Suspension::new(w, percent(rate)));
                from += gap + length;
            }
            let schedule = Schedule::new(steps, suspensions).unwrap();
            let window = Window::new(on(a), on(a + b)).unwrap();
            let mut by_day: Vec<(Date, Rate)> = Vec::new();
            for day in a..a + b {
                let r = schedule.rate_on(on(day));
                if by_day.last().is_none_or(|(_, last)| *last != r) {
                    by_day.push((on(day), r));
                }
            }
            proptest::prop_assert_eq!(schedule.timeline(window), by_day);
        }
    }
}
