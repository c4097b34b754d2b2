//! A group class's walk through the window: the dates it is cut at, the
//! rates of its measures on each piece, and the stacking rules applied to
//! them.

use super::eval::Grid;
#[cfg(doc)]
use super::groups::GroupClass;
use super::groups::{GroupPlan, GroupRule};
use crate::error::Result;
use crate::units::{Date, Rate, days_between};

/// The rates each group measure contributes on a day, after stacking rules.
pub(crate) fn stack(rules: &[GroupRule], day: Date, rates: &mut [Rate]) {
    let count = rules.len();
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
    for (w, rule) in won.iter_mut().zip(rules) {
        *w = wins(rule, rates);
    }
    for (rule, w) in rules.iter().zip(won.iter()) {
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
/// the piece's start, its month index, its days and the stacked rates of the
/// measures covering the class, aligned with [`GroupClass::active`] (a
/// measure net of the base rate at its rate less the class's base rate,
/// before stacking); the group's other measures have no rate on it.
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

/// The buffers of a class's walk, kept from one class to the next; each is
/// aligned with the class's [`GroupClass::active`].
#[derive(Default)]
pub(crate) struct Walk {
    points: Vec<Date>,
    rates: Vec<Rate>,
    cursor: Vec<usize>,
    /// Whether each measure covered the class at the last point.
    covered: Vec<bool>,
    before: Vec<Rate>,
    stacked: Vec<Rate>,
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
            rates,
            cursor,
            covered,
            before,
            stacked,
        } = self;
        // The class's own edges inside the window cut it further.
        let inside = |d: &&Date| **d > window.start() && **d < window.end();
        let points: &[Date] = if class.edges.iter().any(|d| inside(&d)) {
            points.clear();
            points.extend_from_slice(base_points);
            points.extend(class.edges.iter().filter(inside));
            points.sort_unstable();
            points.dedup();
            points
        } else {
            base_points
        };
        let active = class.active.as_slice();
        let n = active.len();
        for v in [&mut *rates, &mut *before, &mut *stacked] {
            v.clear();
            v.resize(n, Rate::ZERO);
        }
        cursor.clear();
        cursor.resize(n, 0);
        covered.clear();
        covered.resize(n, false);
        // Stacking is a function of the rates before it and of which rule
        // windows hold the day, and a window's hold changes only at its
        // edges, which are points: where neither changed since the last
        // point, its stacked rates stand (most points are month starts).
        let mut have = false;
        for (pi, &a) in points.iter().enumerate() {
            let b = points.get(pi + 1).copied().unwrap_or(window.end());
            let days = days_between(a, b);
            if days <= 0 {
                continue;
            }
            // At each point `rates` are those before the last stacking
            // (`before`), so a rate changes where it is set anew to other
            // bits. Rates are held normalised, so equal rates have equal
            // bits; were two equal rates apart in bits, the stacking would
            // only be done again, to the same rates.
            let mut changed = false;
            for (j, &i) in active.iter().enumerate() {
                let tl = &timelines[i];
                let mut moved = !have;
                while cursor[j] + 1 < tl.len() && tl[cursor[j] + 1].0 <= a {
                    cursor[j] += 1;
                    moved = true;
                }
                let now = class.cover[i].iter().any(|w| w.contains(a));
                if moved || now != covered[j] {
                    covered[j] = now;
                    let rate = if now {
                        tl[cursor[j]].1.net_of(class.less[i])
                    } else {
                        Rate::ZERO
                    };
                    changed |= rate.as_fraction().serialize() != rates[j].as_fraction().serialize();
                    rates[j] = rate;
                }
            }
            let edge = class.rule_edges.binary_search(&a).is_ok();
            if !have || edge || changed {
                before.copy_from_slice(rates);
                stack(&class.rules, a, rates);
                stacked.copy_from_slice(rates);
                // Stacking zeroes rates: what it zeroed is restored from
                // before it, the rates the next point compares.
                rates.copy_from_slice(before);
                have = true;
            } else {
                // Rates compare by value; the stacked rates kept are the
                // very ones a restack would give because rates are held
                // normalised (and a timeline merges equal steps), so a
                // rate equal in value is equal to the bit.
                debug_assert!(
                    rates
                        .iter()
                        .zip(before.iter())
                        .all(|(r, b)| r.as_fraction().serialize() == b.as_fraction().serialize()),
                    "a rate equal in value to the last point's is the same to the bit"
                );
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
