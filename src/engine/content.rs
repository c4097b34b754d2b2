//! Lines cut into content pieces, for measures that tax a content share.
//!
//! A measure [on content](crate::Coverage::on_content) covers, of each line
//! its goods name, the share of the line's value that is its content. The
//! line's value is laid on `[0, 1)` and each content present (in the order
//! its first measure is given) takes the next band of its share's width,
//! wrapping past 1 back to 0. Each content's band is exactly its share, so
//! each program taxes its own metal's share; when a line's shares add up to
//! more than 1 (the BEA input shares of metal producers) the bands overlap
//! and their union is the whole line, never more. The line is then cut at
//! every band edge: each piece is wholly inside or outside every band, and
//! the stacking rules apply on each piece as on a whole line.

use rust_decimal::Decimal;

use super::plan::Unit;
use crate::error::{Error, Result};
use crate::tariff::Measure;
use crate::trade::BasketKey;

/// One piece of a line: its share of the line's value and the local
/// measures taxing a content that cover it.
pub(crate) type Piece = (Decimal, Vec<usize>);

/// The pieces of the line `key` under the measures `ms` (local indices),
/// of which `covers` tells those that cover the line at some time: one
/// piece of weight 1 when no measure on content covers it. Weights are
/// exact and add up to exactly 1.
///
/// # Errors
/// [`Error::MissingShare`] when a measure on content covers the line and
/// the line has no share of that content; [`Error::Invalid`] when two
/// measures give the line different shares of one content.
pub(crate) fn pieces(
    key: &BasketKey,
    ms: &[&Measure],
    mut covers: impl FnMut(usize) -> bool,
) -> Result<Vec<Piece>> {
    // Per content: its name, the line's share, the measures taxing it.
    let mut contents: Vec<(&str, Decimal, Vec<usize>)> = Vec::new();
    for (li, m) in ms.iter().enumerate() {
        let Some(c) = m.coverage().content() else {
            continue;
        };
        if !covers(li) {
            continue;
        }
        let share = c.share_for(key, m.id().as_str())?;
        match contents
            .iter_mut()
            .find(|(name, _, _)| *name == c.content())
        {
            Some((_, s, list)) if *s == share => list.push(li),
            Some((name, s, _)) => {
                return Err(Error::Invalid(format!(
                    "line {key} has two {name} shares, {s} and {share} (measure {:?}): give every measure on {name} content the same shares",
                    m.id().as_str()
                )));
            }
            None => contents.push((c.content(), share, vec![li])),
        }
    }
    if contents.is_empty() {
        return Ok(vec![(Decimal::ONE, Vec::new())]);
    }
    // Bands [low, high) on [0, 1), per content.
    let mut bands: Vec<(Decimal, Decimal, usize)> = Vec::new();
    let mut at = Decimal::ZERO;
    for (k, (_, share, _)) in contents.iter().enumerate() {
        if share.is_zero() {
            continue;
        }
        let end = at + *share;
        if end <= Decimal::ONE {
            bands.push((at, end, k));
            at = if end == Decimal::ONE {
                Decimal::ZERO
            } else {
                end
            };
        } else {
            let over = end - Decimal::ONE;
            bands.push((at, Decimal::ONE, k));
            bands.push((Decimal::ZERO, over, k));
            at = over;
        }
    }
    let mut cuts: Vec<Decimal> = vec![Decimal::ZERO, Decimal::ONE];
    cuts.extend(bands.iter().flat_map(|(l, h, _)| [*l, *h]));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() - 1);
    for pair in cuts.windows(2) {
        let (low, high) = (pair[0], pair[1]);
        let mut covering: Vec<usize> = bands
            .iter()
            .filter(|(l, h, _)| *l <= low && high <= *h)
            .flat_map(|(_, _, k)| contents[*k].2.iter().copied())
            .collect();
        covering.sort_unstable();
        covering.dedup();
        out.push((high - low, covering));
    }
    Ok(out)
}

/// `units` of one line cut by its `pieces`: each unit's share of every
/// piece, covered by the unit's answers and the piece's measures on content.
///
/// # Errors
/// [`Error::Overflow`] when a weight does not fit.
pub(crate) fn cut(units: Vec<Unit>, pieces: &[Piece]) -> Result<Vec<Unit>> {
    if let [(_, covering)] = pieces {
        if covering.is_empty() {
            return Ok(units);
        }
    }
    let mut out = Vec::with_capacity(units.len() * pieces.len());
    for u in units {
        for (weight, covering) in pieces {
            out.push(Unit {
                basket: u.basket,
                weight: u
                    .weight
                    .checked_mul(*weight)
                    .ok_or_else(|| Error::overflow("a line's content share"))?,
                slice: u.slice.clone(),
                content: covering.clone(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tariff::{Authority, ContentShares, Coverage, Goods, Schedule};
    use crate::units::parse_date;

    fn on(id: &str, content: &str, share: &str) -> Measure {
        let shares = ContentShares::new(
            content,
            "test",
            [("7326908688".parse().unwrap(), share.parse().unwrap())],
        )
        .unwrap();
        Measure::new(
            id.parse().unwrap(),
            Authority::Section232,
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Coverage::of(Goods::hs(["73".parse().unwrap()])).on_content(shares),
            Schedule::flat(parse_date("2025-01-01").unwrap(), "50%".parse().unwrap()),
        )
        .unwrap()
    }

    fn key() -> BasketKey {
        BasketKey::Hs("7326908688".parse().unwrap())
    }

    /// [`pieces`], each measure covering the line when its coverage does.
    fn pieces(key: &BasketKey, ms: &[&Measure]) -> Result<Vec<Piece>> {
        super::pieces(key, ms, |li| {
            !ms[li]
                .coverage()
                .covered_windows(key, crate::units::Window::ALL)
                .is_empty()
        })
    }

    #[test]
    fn shares_within_the_line_do_not_overlap_and_the_rest_is_open() {
        // Steel 0.4 on [0, 0.4), aluminum 0.5 on [0.4, 0.9), the rest 0.1.
        let (s, a) = (on("s", "steel", "0.4"), on("a", "aluminum", "0.5"));
        let p = pieces(&key(), &[&s, &a]).unwrap();
        assert_eq!(
            p,
            vec![
                (Decimal::new(4, 1), vec![0]),
                (Decimal::new(5, 1), vec![1]),
                (Decimal::new(1, 1), vec![]),
            ]
        );
    }

    #[test]
    fn shares_above_one_overlap_and_their_union_is_the_line() {
        // Steel 0.7 on [0, 0.7), aluminum 0.5 wraps: [0.7, 1) and [0, 0.2).
        // Pieces: [0, 0.2) both, [0.2, 0.7) steel, [0.7, 1) aluminum; each
        // program's pieces add up to its share (0.2 + 0.5, 0.2 + 0.3).
        let (s, a) = (on("s", "steel", "0.7"), on("a", "aluminum", "0.5"));
        let p = pieces(&key(), &[&s, &a]).unwrap();
        assert_eq!(
            p,
            vec![
                (Decimal::new(2, 1), vec![0, 1]),
                (Decimal::new(5, 1), vec![0]),
                (Decimal::new(3, 1), vec![1]),
            ]
        );
        let total: Decimal = p.iter().map(|(w, _)| *w).sum();
        assert_eq!(total, Decimal::ONE);
    }

    #[test]
    fn a_zero_share_leaves_the_whole_line_open_and_a_missing_one_is_an_error() {
        let s = on("s", "steel", "0");
        assert_eq!(pieces(&key(), &[&s]).unwrap(), vec![(Decimal::ONE, vec![])]);
        let other = BasketKey::Hs("7326908610".parse().unwrap());
        let e = pieces(&other, &[&s]).unwrap_err();
        assert!(matches!(e, Error::MissingShare { .. }), "{e}");
    }
}
