//! The value a watched measure covers over the history: the goods that
//! actually pay it on each day, after stacking with the other measures of
//! its side.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::answers::{Memo, Retaliation};
use super::cache::Versions;
use super::claims::Claim;
use super::walk::stack;
use crate::error::{Error, Result};
use crate::tariff::{Measure, Schedule};
use crate::units::{Date, Rate};

impl Retaliation {
    /// The annual value of the goods that pay measure `t` on each day of the
    /// history, after stacking with the other measures of its side (answers
    /// other than `t` count as zero), in its side's currency.
    pub(super) fn covered_timeline(
        &self,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
        claims: &[Option<Arc<Claim>>],
        memo: &mut Memo<'_>,
    ) -> Result<Arc<Vec<(Date, Decimal)>>> {
        if self.is_value_answer(t) {
            return Ok(match &claims[t - self.base()] {
                Some(c) => Arc::clone(&c.value),
                None => Arc::new(vec![(self.history.start(), Decimal::ZERO)]),
            });
        }
        let mut versions = Vec::new();
        self.group_versions(t, measures, schedules, memo.versions, &mut versions);
        let key = Some((t, versions));
        if let Some(found) = key.as_ref().and_then(|k| memo.covered.get(k)) {
            return Ok(Arc::clone(found));
        }
        let out = Arc::new(self.covered_timeline_of(t, measures, schedules)?);
        if let Some(k) = key {
            memo.covered.insert(k, Arc::clone(&out));
        }
        Ok(out)
    }

    /// What measure `t`'s covered value depends on: the versions of the
    /// schedules of its stacking group (answers other than itself count as
    /// zero, so they are left out), added to `out`.
    pub(super) fn group_versions(
        &self,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
        versions: &mut Versions,
        out: &mut Vec<u32>,
    ) {
        let Some((plan, li)) = self
            .side_of(measures[t])
            .and_then(|si| Some((&self.plans[si], self.plans[si].local(t)?)))
        else {
            return;
        };
        let (g, _) = plan.group_of[li];
        out.extend(
            plan.groups[g]
                .measures
                .iter()
                .map(|gl| plan.measures[*gl])
                .filter(|mi| *mi < self.base() || *mi == t)
                .map(|mi| versions.of(&schedules[mi])),
        );
    }

    /// [`Retaliation::covered_timeline`] of a measure that is not a
    /// value-matched answer, worked out.
    fn covered_timeline_of(
        &self,
        t: usize,
        measures: &[&Measure],
        schedules: &[Arc<Schedule>],
    ) -> Result<Vec<(Date, Decimal)>> {
        let m = measures[t];
        let Some(si) = self.side_of(m) else {
            return Err(Error::Invalid(format!(
                "the value measure {:?} covers cannot be found: no baseline has {} importing from {}; add that baseline",
                m.id().as_str(),
                m.imposer(),
                m.target()
            )));
        };
        let plan = &self.plans[si];
        let Some(li) = plan.local(t) else {
            return Ok(vec![(self.history.start(), Decimal::ZERO)]);
        };
        let (g, pos) = plan.group_of[li];
        let group = &plan.groups[g];
        let sched: Vec<Option<&Schedule>> = group
            .measures
            .iter()
            .map(|gl| {
                let mi = plan.measures[*gl];
                (mi < self.base() || mi == t).then(|| schedules[mi].as_ref())
            })
            .collect();
        let w = self.history;
        let mut dates = Vec::with_capacity(64);
        dates.push(w.start());
        for s in sched.iter().flatten() {
            dates.extend(s.change_dates());
        }
        for r in &group.rules {
            dates.extend([r.window().start(), r.window().end()]);
        }
        for c in &group.classes {
            for win in c.cover.iter().flatten() {
                dates.extend([win.start(), win.end()]);
            }
        }
        for y in w.start().year()..=w.end().year() {
            if let Ok(d) = Date::new(y, 1, 1) {
                dates.push(d);
            }
        }
        dates.retain(|d| w.contains(*d));
        dates.sort_unstable();
        dates.dedup();
        let mut out: Vec<(Date, Decimal)> = Vec::with_capacity(dates.len());
        let n = group.measures.len();
        let mut base_rates = vec![Rate::ZERO; n];
        let mut rates = vec![Rate::ZERO; n];
        for d in dates {
            for (i, s) in sched.iter().enumerate() {
                base_rates[i] = s.map_or(Rate::ZERO, |s| s.rate_on(d));
            }
            if base_rates[pos].is_zero() {
                if out.last().is_none_or(|(_, v)| !v.is_zero()) {
                    out.push((d, Decimal::ZERO));
                }
                continue;
            }
            let cols = self.columns(si, d.year())?;
            let mut total = Decimal::ZERO;
            for c in &group.classes {
                if !c.cover[pos].iter().any(|x| x.contains(d)) {
                    continue;
                }
                for i in 0..n {
                    rates[i] = if c.cover[i].iter().any(|x| x.contains(d)) {
                        base_rates[i]
                    } else {
                        Rate::ZERO
                    };
                }
                stack(&group.rules, d, &mut rates);
                if rates[pos].is_zero() {
                    continue;
                }
                for col in cols.iter() {
                    total = total
                        .checked_add(c.values[*col])
                        .ok_or_else(|| Error::overflow("a covered value"))?;
                }
            }
            if out.last().is_none_or(|(_, v)| *v != total) {
                out.push((d, total));
            }
        }
        Ok(out)
    }
}
