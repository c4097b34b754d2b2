//! A group class's walk through the window: the dates it is cut at, the
//! rates of its measures on each piece, and the stacking rules applied to
//! them.

use super::eval::Grid;
use super::plan::{GroupPlan, GroupRule};
use crate::error::Result;
use crate::units::{Date, Rate, days_between};

/// The rates each group measure contributes on a day, after stacking rules.
pub(crate) fn stack(rules: &[GroupRule], day: Date, rates: &mut [Rate]) {
    stack_by(rules.iter(), rules.len(), day, rates);
}

/// [`stack`] under the `count` rules `rules` yields.
fn stack_by<'a>(
    rules: impl Iterator<Item = &'a GroupRule> + Clone,
    count: usize,
    day: Date,
    rates: &mut [Rate],
) {
    if count == 0 {
        return;
    }
    // Which exclusive rules win, decided on the rates before any exclusion
    // (so rule order never matters), then applied.
    let wins = |rule: &GroupRule, rates: &[Rate]| match rule {
        GroupRule::Exclusive { over, window, .. } => {
            window.contains(day) && over.iter().any(|i| !rates[*i].is_zero())
        }
        GroupRule::Highest { .. } => false,
    };
    let mut small = [false; 16];
    let mut large = Vec::new();
    let won: &mut [bool] = if count <= small.len() {
        &mut small[..count]
    } else {
        large.resize(count, false);
        &mut large
    };
    for (w, rule) in won.iter_mut().zip(rules.clone()) {
        *w = wins(rule, rates);
    }
    for (rule, w) in rules.clone().zip(won.iter()) {
        if let (GroupRule::Exclusive { excluded, .. }, true) = (rule, *w) {
            for i in excluded {
                rates[*i] = Rate::ZERO;
            }
        }
    }
    for rule in rules {
        if let GroupRule::Highest { among, window } = rule {
            if !window.contains(day) {
                continue;
            }
            let best = among
                .iter()
                .fold(None::<(usize, Rate)>, |acc, i| match acc {
                    Some((_, b)) if b >= rates[*i] => acc,
                    _ => Some((*i, rates[*i])),
                });
            if let Some((keep, _)) = best {
                for i in among {
                    if *i != keep {
                        rates[*i] = Rate::ZERO;
                    }
                }
            }
        }
    }
}

/// Walks the pieces of the window for one group class, calling `visit` with
/// the piece's start, its month index, its days and the stacked rates (a
/// measure net of the base rate at its rate less the class's base rate,
/// before stacking).
pub(crate) fn walk_class(
    group: &GroupPlan,
    gc: usize,
    timelines: &[Vec<(Date, Rate)>],
    base_points: &[Date],
    grid: &Grid,
    visit: impl FnMut(Date, usize, i64, &[Rate]) -> Result<()>,
) -> Result<()> {
    Walk::default().class(group, gc, timelines, base_points, grid, visit)
}

/// The buffers of a class's walk, kept from one class to the next.
#[derive(Default)]
pub(crate) struct Walk {
    points: Vec<Date>,
    /// The group measures that cover the class at some time; the others
    /// keep a zero rate.
    pub active: Vec<usize>,
    rates: Vec<Rate>,
    cursor: Vec<usize>,
    before: Vec<Rate>,
    stacked: Vec<Rate>,
    /// The group's rules that can change a rate of the class: an exclusive
    /// rule with measures covering it on both sides, a highest rule among
    /// at least two measures covering it. The others leave its rates as
    /// they are (measures that never cover it are at zero).
    rules: Vec<usize>,
    /// Per group measure, whether it covers the class at some time.
    covers: Vec<bool>,
}

impl Walk {
    /// [`walk_class`], in these buffers.
    pub fn class(
        &mut self,
        group: &GroupPlan,
        gc: usize,
        timelines: &[Vec<(Date, Rate)>],
        base_points: &[Date],
        grid: &Grid,
        mut visit: impl FnMut(Date, usize, i64, &[Rate]) -> Result<()>,
    ) -> Result<()> {
        let class = &group.classes[gc];
        let window = grid.window;
        let Walk {
            points,
            active,
            rates,
            cursor,
            before,
            stacked,
            rules,
            covers,
        } = self;
        points.clear();
        points.extend_from_slice(base_points);
        let mut extra = false;
        for cover in &class.cover {
            for w in cover {
                for d in [w.start(), w.end()] {
                    if d > window.start() && d < window.end() {
                        points.push(d);
                        extra = true;
                    }
                }
            }
        }
        if extra {
            points.sort_unstable();
            points.dedup();
        }
        let n = group.measures.len();
        for v in [&mut *rates, &mut *before, &mut *stacked] {
            v.clear();
            v.resize(n, Rate::ZERO);
        }
        cursor.clear();
        cursor.resize(n, 0);
        active.clear();
        active.extend((0..n).filter(|i| !class.cover[*i].is_empty()));
        covers.clear();
        covers.extend(class.cover.iter().map(|c| !c.is_empty()));
        let any = |of: &[usize]| of.iter().any(|i| covers[*i]);
        rules.clear();
        rules.extend(group.rules.iter().enumerate().filter_map(|(ri, r)| {
            let acts = match r {
                GroupRule::Exclusive { over, excluded, .. } => any(over) && any(excluded),
                GroupRule::Highest { among, .. } => {
                    among.iter().filter(|i| covers[**i]).count() > 1
                }
            };
            acts.then_some(ri)
        }));
        // Stacking is a function of the rates before it and of which rule
        // windows hold the day, and a window's hold changes only at its
        // edges, which are points: where neither changed since the last
        // point, its stacked rates stand (most points are month starts).
        // Stacking only zeroes rates, so a measure that never covers the
        // class stays at zero and only the others are compared.
        let mut have = false;
        for (pi, &a) in points.iter().enumerate() {
            let b = points.get(pi + 1).copied().unwrap_or(window.end());
            let days = days_between(a, b);
            if days <= 0 {
                continue;
            }
            let mut changed = false;
            for &i in active.iter() {
                let tl = &timelines[i];
                while cursor[i] + 1 < tl.len() && tl[cursor[i] + 1].0 <= a {
                    cursor[i] += 1;
                }
                let covered = class.cover[i].iter().any(|w| w.contains(a));
                rates[i] = if covered {
                    tl[cursor[i]].1.net_of(class.less[i])
                } else {
                    Rate::ZERO
                };
                changed |= rates[i] != before[i];
            }
            let edge = group
                .rules
                .iter()
                .any(|r| r.window().start() == a || r.window().end() == a);
            if !have || edge || changed {
                for &i in active.iter() {
                    before[i] = rates[i];
                }
                stack_by(
                    rules.iter().map(|ri| &group.rules[*ri]),
                    rules.len(),
                    a,
                    rates,
                );
                for &i in active.iter() {
                    stacked[i] = rates[i];
                }
                have = true;
            }
            visit(a, grid.month_index(a), days, stacked)?;
        }
        Ok(())
    }
}

/// The dates every class of a group is cut at: month starts, schedule
/// changes and stacking-rule edges inside the window.
pub(crate) fn base_points(
    group: &GroupPlan,
    timelines: &[Vec<(Date, Rate)>],
    grid: &Grid,
) -> Vec<Date> {
    let mut points = Vec::new();
    base_points_into(group, timelines, grid, &mut points);
    points
}

/// [`base_points`], into `points` (cleared first).
pub(crate) fn base_points_into(
    group: &GroupPlan,
    timelines: &[Vec<(Date, Rate)>],
    grid: &Grid,
    points: &mut Vec<Date>,
) {
    let w = grid.window;
    points.clear();
    points.extend_from_slice(&grid.starts);
    for tl in timelines {
        points.extend(tl.iter().map(|(d, _)| *d));
    }
    for r in &group.rules {
        for d in [r.window().start(), r.window().end()] {
            if d > w.start() && d < w.end() {
                points.push(d);
            }
        }
    }
    points.sort_unstable();
    points.dedup();
}
