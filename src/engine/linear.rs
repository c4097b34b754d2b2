//! A group whose duty is linear in its one measure's rate.
//!
//! A group of one measure under no stacking rule, on classes whose base
//! rate the measure is not net of, owes in each month the sum over its
//! classes and the pieces of its timeline of `daily value × rate × days`.
//! Gathered the other way round, that is the sum over the pieces of
//! `rate × V(piece)`, where `V` is the daily value the measure covers,
//! summed over the piece's days: a figure of the group alone, the same under
//! every schedule. So the group keeps `V` summed from the window's start
//! to each day ([`Linear`]), and a schedule costs two look-ups and one
//! multiplication a piece and month, whatever the number of classes.
//!
//! Every figure is a whole number of accrual units at a fixed scale, held
//! in `i128` and added and multiplied checked. The sums never round, so
//! the duty is the value [`eval_group`] gives (its scale, the trailing
//! zeros a `Decimal` carries, may differ; reports normalise amounts): where
//! a figure would not fit (past `i128`, or a month's duty past `Decimal`'s
//! 96-bit mantissa or 28 decimals) the group is evaluated the general way
//! instead. Debug builds compare every result's values with [`eval_group`].

use rustc_hash::FxHashMap as HashMap;

use rust_decimal::Decimal;

use std::sync::Arc;

#[cfg(debug_assertions)]
use super::eval::eval_group;
use super::eval::{Grid, GroupResult, LayerSum, MeasureRow};
use super::groups::GroupPlan;
use crate::tariff::Schedule;
use crate::units::{Accrued, Date, Rate, TENS, Window, checked_product, epoch_day};

/// The covered daily value of a group of one linear measure, summed from
/// the window's start: `cum[d]` is the sum over the window's first `d`
/// days, as a mantissa at `scale` decimals, in accrual units.
#[derive(Debug)]
pub(crate) struct Linear {
    cum: Box<[i128]>,
    scale: u32,
    /// The day of the window each month of the grid starts on.
    month_at: Box<[usize]>,
    /// The window's first day ([`epoch_day`]).
    first: i64,
}

/// `m` at `from` decimals, rescaled to `to` (≥ `from`), when it fits.
fn rescale(m: i128, from: u32, to: u32) -> Option<i128> {
    match (m, to.checked_sub(from)?) {
        (0, _) => Some(0),
        (_, 0) => Some(m),
        (_, up) => checked_product(*TENS.get(usize::try_from(up).ok()?)?, m),
    }
}

/// The `Decimal` of mantissa `m` at `scale`, when it fits 96 bits and 28
/// decimals.
fn decimal((m, scale): (i128, u32)) -> Option<Decimal> {
    match m {
        0 => Some(Decimal::ZERO),
        _ => Decimal::try_from_i128_with_scale(m, scale).ok(),
    }
}

impl Linear {
    /// The group's summed covered value, when its duty is linear in its
    /// measure's rate (one measure, no rule, nothing netted of a base rate)
    /// and every value is non-negative and fits; otherwise `None`, and the
    /// group is evaluated the general way.
    pub fn of(group: &GroupPlan, grid: &Grid, factors: &[(usize, Decimal)]) -> Option<Linear> {
        if group.measures.len() != 1 || !group.rules.is_empty() {
            return None;
        }
        if group.classes.iter().any(|c| !c.less[0].is_zero()) {
            return None;
        }
        let window = grid.window;
        let days = usize::try_from(window.days()).ok()?;
        let months = grid.months.len();
        if months == 0 || factors.len() != months {
            return None;
        }
        let first = epoch_day(window.start());
        let at = |d: Date| usize::try_from(epoch_day(d) - first).ok();
        let month_at: Box<[usize]> = grid.starts.iter().map(|d| at(*d)).collect::<Option<_>>()?;
        // Classes covered over the same windows add their values first, per
        // period column the window uses, as mantissas at the values' finest
        // scale.
        let mut columns: Vec<usize> = factors.iter().map(|(col, _)| *col).collect();
        columns.sort_unstable();
        columns.dedup();
        let mut scale = 0;
        for class in &group.classes {
            for &col in &columns {
                let v = class.values.get(col)?;
                if v.is_sign_negative() && !v.is_zero() {
                    return None;
                }
                scale = scale.max(v.scale());
            }
        }
        let mut covers: HashMap<Vec<Window>, Vec<i128>> = HashMap::default();
        let mut windows: Vec<Window> = Vec::new();
        for class in &group.classes {
            merged_into(&class.cover[0], window, &mut windows);
            if windows.is_empty() {
                continue;
            }
            if !covers.contains_key(&windows) {
                covers.insert(windows.clone(), vec![0; class.values.len()]);
            }
            let sums = covers.get_mut(&windows)?;
            for &col in &columns {
                let v = class.values[col];
                let m = rescale(v.mantissa(), v.scale(), scale)?;
                sums[col] = sums[col].checked_add(m)?;
            }
        }
        // The daily value (value × ACCRUAL_DENOMINATOR / period days, a
        // whole factor) changes where a cover window or a month starts or
        // ends: added up as differences from one day to the next.
        let mut step = vec![0i128; days + 1];
        for (windows, sums) in &covers {
            for w in windows {
                let mut k = grid.month_index(w.start());
                while k < months && grid.starts[k] < w.end() {
                    let month_end = grid.starts.get(k + 1).copied().unwrap_or(window.end());
                    let (a, b) = (w.start().max(grid.starts[k]), w.end().min(month_end));
                    let (col, f) = factors[k];
                    if f.scale() != 0 {
                        return None;
                    }
                    let dv = sums[col].checked_mul(f.mantissa())?;
                    if a < b && dv != 0 {
                        let (a, b) = (at(a)?, at(b)?);
                        step[a] = step[a].checked_add(dv)?;
                        step[b] = step[b].checked_sub(dv)?;
                    }
                    k += 1;
                }
            }
        }
        let mut cum = Vec::with_capacity(days + 1);
        let (mut value, mut sum) = (0i128, 0i128);
        cum.push(0);
        for s in &step[..days] {
            value = value.checked_add(*s)?;
            sum = sum.checked_add(value)?;
            cum.push(sum);
        }
        Some(Linear {
            cum: cum.into(),
            scale,
            month_at,
            first,
        })
    }

    /// The day of the window `d` is, clamped to the window: 0 for its first
    /// day or earlier, its length for its end or later.
    fn day(&self, d: Date) -> usize {
        let last = self.cum.len() - 1;
        usize::try_from(epoch_day(d) - self.first).map_or(0, |n| n.min(last))
    }
}

/// The windows of `cover` inside `window`, overlapping and touching ones
/// merged, in date order, into `out` (cleared first): a day covered twice
/// is covered once, as the general walk counts it.
fn merged_into(cover: &[Window], window: Window, out: &mut Vec<Window>) {
    out.clear();
    out.extend(cover.iter().filter_map(|w| w.intersect(&window)));
    out.sort_unstable_by_key(Window::start);
    let mut kept = 0;
    for i in 0..out.len() {
        if kept > 0 && out[i].start() <= out[kept - 1].end() {
            let end = out[kept - 1].end().max(out[i].end());
            out[kept - 1] = Window::ordered(out[kept - 1].start(), end);
        } else {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// The linear groups met so far, by side plan and group (`None`: the group
/// is not linear), and the buffers their evaluations work in.
#[derive(Default)]
pub(crate) struct LinearMemo {
    groups: HashMap<(usize, usize), Option<Linear>>,
    timeline: Vec<(Date, Rate)>,
    /// Per month: the duty's mantissa and scale.
    duty: Vec<(i128, u32)>,
    /// Per month: the duty.
    months: Vec<Accrued>,
}

impl LinearMemo {
    /// The result of group `gi` of side plan `plan` (`group`) under
    /// `schedule`, over `grid` with the month factors `factors`, when the
    /// group is linear and every figure fits; `None` otherwise. The result
    /// is [`eval_group`]'s, figure for figure.
    // Out of line: inlined into the side's evaluation it cost about 1.5%
    // more instructions a path on the numpy workload.
    #[inline(never)]
    pub fn group(
        &mut self,
        (plan, gi): (usize, usize),
        group: &GroupPlan,
        schedule: &Schedule,
        grid: &Grid,
        factors: &[(usize, Decimal)],
    ) -> Option<GroupResult> {
        let LinearMemo {
            groups,
            timeline,
            duty,
            months,
        } = self;
        let linear = groups
            .entry((plan, gi))
            .or_insert_with(|| Linear::of(group, grid, factors))
            .as_ref()?;
        month_duty(linear, schedule, grid, timeline, duty)?;
        // The total, exact at the months' finest scale.
        let top = duty.iter().map(|d| d.1).max().unwrap_or(0);
        let mut total = 0i128;
        for &(m, s) in duty.iter() {
            total = total.checked_add(rescale(m, s, top)?)?;
        }
        let total = Accrued::from_units(decimal((total, top))?);
        months.clear();
        for d in duty.iter() {
            months.push(Accrued::from_units(decimal(*d)?));
        }
        let by_month: Arc<[Accrued]> = Arc::from(months.as_slice());
        let row = MeasureRow {
            heading: Arc::clone(&group.headings[0]),
            by_month: Arc::clone(&by_month),
            gross: total,
        };
        let result = GroupResult::new(
            vec![Arc::new(row)],
            vec![LayerSum {
                layer: group.layer_of[0],
                by_month,
                total,
            }],
            Vec::new(),
        )
        .summed_when_shared();
        #[cfg(debug_assertions)]
        check(&result, group, schedule, grid, factors);
        Some(result)
    }
}

/// In debug builds: a linear group's result is, figure for figure, the one
/// [`eval_group`] gives.
#[cfg(debug_assertions)]
fn check(
    result: &GroupResult,
    group: &GroupPlan,
    schedule: &Schedule,
    grid: &Grid,
    factors: &[(usize, Decimal)],
) {
    let Ok(general) = eval_group(group, &[schedule], grid, factors, false) else {
        panic!("the general evaluation of a linear group failed");
    };
    assert_eq!(result.rows, general.rows, "a linear group's rows");
    assert_eq!(result.layers, general.layers, "a linear group's layers");
}

/// The duty of `linear`'s group in each month of `grid` under `schedule`
/// into `duty` (a mantissa and scale per month): per piece of its timeline
/// and month, `rate × covered value`, added at the finest scale; `None`
/// where a figure does not fit.
fn month_duty(
    linear: &Linear,
    schedule: &Schedule,
    grid: &Grid,
    timeline: &mut Vec<(Date, Rate)>,
    duty: &mut Vec<(i128, u32)>,
) -> Option<()> {
    let months = linear.month_at.len();
    schedule.timeline_into(grid.window, timeline);
    duty.clear();
    duty.resize(months, (0, 0));
    // The month the piece starts in: pieces come in date order, so it
    // only moves forward.
    let mut k = 0;
    for (pi, (from, rate)) in timeline.iter().enumerate() {
        let r = rate.as_fraction();
        // A timeline's pieces start inside the window (so does the first,
        // at its start); a piece is cut to it all the same.
        let mut a = linear.day(*from);
        let end = timeline
            .get(pi + 1)
            .map_or(linear.cum.len() - 1, |x| linear.day(x.0));
        if r.is_zero() || a >= end {
            continue;
        }
        while linear.month_at.get(k + 1).is_some_and(|m| *m <= a) {
            k += 1;
        }
        let (rm, rs) = (r.mantissa(), r.scale() + linear.scale);
        let mut at = k;
        while a < end {
            let b = linear.month_at.get(at + 1).map_or(end, |x| (*x).min(end));
            let v = linear.cum[b].checked_sub(linear.cum[a])?;
            if v != 0 {
                let term = checked_product(rm, v)?;
                let (m, s) = duty[at];
                duty[at] = match (m, s.cmp(&rs)) {
                    (0, _) => (term, rs),
                    (_, std::cmp::Ordering::Less) => (rescale(m, s, rs)?.checked_add(term)?, rs),
                    _ => (m.checked_add(rescale(term, rs, s)?)?, s),
                };
            }
            a = b;
            at += 1;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().expect("a literal date")
    }

    fn window(a: &str, b: &str) -> Window {
        Window::new(day(a), day(b)).expect("a literal window")
    }

    /// Overlapping and touching windows are counted once, and cut to the
    /// evaluation's window: Jan 1–Feb 1 and Jan 15–Mar 1 overlap, Mar 1–Apr 1
    /// touches them, May 1–Jun 1 stands apart; inside Jan 10–May 15 that is
    /// Jan 10–Apr 1 and May 1–May 15.
    #[test]
    fn cover_windows_are_merged_and_cut() {
        let cover = [
            window("2025-03-01", "2025-04-01"),
            window("2025-01-01", "2025-02-01"),
            window("2025-05-01", "2025-06-01"),
            window("2025-01-15", "2025-03-01"),
        ];
        let mut out = Vec::new();
        merged_into(&cover, window("2025-01-10", "2025-05-15"), &mut out);
        assert_eq!(
            out,
            [
                window("2025-01-10", "2025-04-01"),
                window("2025-05-01", "2025-05-15")
            ]
        );
    }

    /// Rescaling is exact or refused: 10^38 is the largest power of ten in
    /// `i128` (about 1.7 × 10^38), so 1 rescales by 38 places and 2 does not,
    /// nor does anything by 39; zero rescales to zero whatever the places.
    #[test]
    fn rescaling_stops_where_i128_does() {
        assert_eq!(rescale(7, 2, 2), Some(7));
        assert_eq!(rescale(7, 2, 5), Some(7_000));
        assert_eq!(rescale(1, 0, 38), Some(10i128.pow(38)));
        assert_eq!(rescale(2, 0, 38), None);
        assert_eq!(rescale(1, 0, 39), None);
        assert_eq!(rescale(0, 0, 60), Some(0));
        assert_eq!(rescale(1, 3, 2), None, "a finer scale is never asked down");
    }
}
