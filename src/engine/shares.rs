//! A basket's units: the shares of its value that value-matched answers
//! claim in turn, cut so that each unit is, on every day, wholly inside one
//! answer's slice or outside them all.

use rust_decimal::Decimal;

use super::plan::{Cover, Slice, Unit};
use crate::error::{Error, Result};
use crate::units::Window;

/// Heights `lower..upper` of a basket's value that the slice at an index of
/// the list covers on one piece of time.
type Band = (Decimal, Decimal, usize);

/// A basket's units, from the slices answers claim of it (local measure,
/// slice). Time is cut where any slice starts or ends; on each piece the
/// live slices are stacked from zero in a fixed order, and the basket's
/// value is cut at every height some piece reaches, so each unit is, on
/// every day, wholly inside one answer's slice or outside them all.
pub(super) fn units_of(basket: usize, list: &[(usize, &Slice)]) -> Result<Vec<Unit>> {
    if list.is_empty() {
        return Ok(vec![Unit {
            basket,
            weight: Decimal::ONE,
            slice: Vec::new(),
            content: Vec::new(),
        }]);
    }
    let mut dates: Vec<crate::units::Date> = list
        .iter()
        .flat_map(|(_, s)| s.cover.iter().flat_map(|w| [w.start(), w.end()]))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    // Per piece: its window and the stacked bands.
    let mut pieces: Vec<(Window, Vec<Band>)> = Vec::new();
    let mut heights = vec![Decimal::ZERO, Decimal::ONE];
    for pair in dates.windows(2) {
        let w = Window::ordered(pair[0], pair[1]);
        let mut bands = Vec::new();
        let mut top = Decimal::ZERO;
        for (k, (_, s)) in list.iter().enumerate() {
            if s.share.is_zero() || !s.cover.iter().any(|c| c.contains(w.start())) {
                continue;
            }
            let upper = top
                .checked_add(s.share)
                .ok_or_else(|| Error::overflow("a basket's claimed share"))?;
            if upper > Decimal::ONE {
                return Err(Error::Invalid(format!(
                    "value-matched answers claim more than the whole basket from {}",
                    w.start()
                )));
            }
            bands.push((top, upper, k));
            heights.push(upper);
            top = upper;
        }
        if !bands.is_empty() {
            pieces.push((w, bands));
        }
    }
    heights.sort_unstable();
    heights.dedup();
    let mut units = Vec::with_capacity(heights.len() - 1);
    for h in heights.windows(2) {
        let (low, high) = (h[0], h[1]);
        let mut slice: Vec<(usize, Cover)> = Vec::new();
        for (w, bands) in &pieces {
            let Some((_, _, k)) = bands.iter().find(|(l, u, _)| *l <= low && high <= *u) else {
                continue;
            };
            let li = list[*k].0;
            let at = match slice.iter().position(|(owner, _)| *owner == li) {
                Some(at) => at,
                None => {
                    slice.push((li, Vec::new()));
                    slice.len() - 1
                }
            };
            let cover = &mut slice[at].1;
            match cover.last_mut() {
                Some(prev) if prev.end() == w.start() => {
                    *prev = Window::ordered(prev.start(), w.end())
                }
                _ => cover.push(*w),
            }
        }
        units.push(Unit {
            basket,
            weight: high - low,
            slice,
            content: Vec::new(),
        });
    }
    Ok(units)
}
