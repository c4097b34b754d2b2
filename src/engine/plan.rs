//! The prepared form of a baseline and the measures on it: coverage classes
//! and interaction groups, built once and evaluated many times.
//!
//! Goods (basket slices) covered by the same measures over the same windows
//! form one *class*; the engine evaluates classes, not baskets. Measures that
//! a stacking rule ties together form one *group*; a group's result depends
//! only on its own measures' schedules, so a path that changes one measure
//! re-evaluates only that measure's group.
//!
//! A value-matched retaliation answer covers *slices*: a share of a basket
//! over some windows. Its slices depend on the path (what the answer
//! claims), so they are given from outside; every other measure covers whole
//! baskets by its goods.

use std::collections::HashMap;
use std::rc::Rc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::groups::GroupPlan;
use crate::error::{Error, Result};
use crate::tariff::{
    BaseRates, BasketIndex, Candidates, CoverageIndex, Measure, Stacking, StackingRule, subtract,
};
use crate::trade::{Baseline, BasketKey};
use crate::units::{LayerId, Rate, Window};

/// When a measure covers a class: ascending disjoint windows; empty = never.
pub(crate) type Cover = Vec<Window>;

/// A share of a basket that a value-matched answer covers over `cover`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Slice {
    /// The basket, by index in the baseline.
    pub basket: usize,
    /// The share of its value.
    pub share: Decimal,
    /// When the answer covers it.
    pub cover: Cover,
}

/// A share of a basket that value-matched answers cover in turn: each
/// listed answer over its windows (disjoint), none outside them. A basket
/// no answer claims is one unit of weight one with no answers.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub basket: usize,
    pub weight: Decimal,
    /// The local measures covering only this share, and when.
    pub slice: Vec<(usize, Cover)>,
    /// The local measures on content whose content this share is (see
    /// [`super::content`]); other measures on content do not cover it.
    pub content: Vec<usize>,
}

/// A class of units with identical coverage.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    /// Value per period column, summed over the class's units (weighted).
    pub values: Vec<Decimal>,
}

/// One importer–exporter direction.
#[derive(Debug, Clone)]
pub(crate) struct SidePlan {
    pub baseline: usize,
    /// Indices (into the measures the plan was built from) of the measures
    /// imposed on this direction.
    pub measures: Vec<usize>,
    pub units: Vec<Unit>,
    pub unit_class: Vec<usize>,
    pub groups: Vec<GroupPlan>,
    /// Local measure → (group, position in group).
    pub group_of: Vec<(usize, usize)>,
    /// Total value per period column over every basket.
    pub totals: Vec<Decimal>,
    /// The layers of the side's measures, in order of first measure.
    pub layers: Vec<LayerId>,
    /// Per local measure: the baskets it cannot be valued on, left out of
    /// its coverage: those whose grain cannot show whether the measure
    /// covers them (an HS-coded measure on named or coarser baskets), and,
    /// for a measure net of the base rate, those it covers whose base rate
    /// is not valued in full.
    pub grain_gaps: Vec<Vec<usize>>,
    /// Per local measure: whether any class covers it at some time.
    pub covering: Vec<bool>,
}

/// Baselines and measures, prepared: one plan per baseline.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub sides: Vec<SidePlan>,
    /// Indices of measures no baseline can value (no baseline for their
    /// direction).
    pub unvalued: Vec<usize>,
}

fn add(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| Error::overflow(what))
}

fn mul(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| Error::overflow(what))
}

impl Plan {
    /// Prepares `measures` over `baselines`, value-matched answers covering
    /// nothing, with the base rates of the importers that have them.
    ///
    /// # Errors
    /// [`Error::Unknown`] when a measure names a basket its baseline lacks;
    /// [`Error::Overflow`] when values do not fit.
    pub fn new(
        baselines: &[Baseline],
        measures: &[&Measure],
        stacking: &[StackingRule],
        base_rates: &[BaseRates],
    ) -> Result<Plan> {
        let mut sides = Vec::new();
        let mut placed = vec![false; measures.len()];
        for (bi, b) in baselines.iter().enumerate() {
            let base = base_of(base_rates, b);
            let side = SidePlan::new(bi, b, measures, stacking, base, &HashMap::new())?;
            for &i in &side.measures {
                placed[i] = true;
            }
            sides.push(side);
        }
        let unvalued = (0..placed.len()).filter(|i| !placed[*i]).collect();
        Ok(Plan { sides, unvalued })
    }
}

/// The base rates of `b`'s importer, if given.
pub(crate) fn base_of<'a>(base_rates: &'a [BaseRates], b: &Baseline) -> Option<&'a BaseRates> {
    base_rates.iter().find(|r| r.importer() == b.importer())
}

/// The rate a measure net of the base rate is net of on `key`: the base
/// rate's ad valorem part when the rate is valued in full; `None` (the
/// measure cannot be valued there) when it is not, or when the basket has
/// none.
fn net_base(base: Option<&BaseRates>, key: &BasketKey) -> Option<Rate> {
    let rate = base?.rate_of_basket(key)?;
    if rate.is_fully_valued() {
        rate.ad_valorem()
    } else {
        None
    }
}

fn check_baskets(m: &Measure, b: &Baseline) -> Result<()> {
    let goods = m.coverage().goods();
    for id in goods.basket_ids() {
        let key = BasketKey::Named(id.clone());
        if b.find(&key).is_none() {
            return Err(Error::unknown(
                "basket",
                id.as_str(),
                format!(
                    ": measure {:?} covers it, but baseline {} has no such basket; add it to the baseline or fix the coverage",
                    m.id().as_str(),
                    b.label()
                ),
            ));
        }
    }
    Ok(())
}

/// One measure's covers, numbered as first met.
#[derive(Debug, Clone, Default)]
struct Covers {
    /// Each cover, by number.
    met: Vec<Cover>,
    /// The number of the cover of every time, the most common, kept
    /// without a look-up.
    always: Option<usize>,
    /// The number of every other cover.
    numbered: FxHashMap<Cover, usize>,
    /// Baskets that the measure's goods take in, and that the same
    /// exclusions and exempt rules take out, share its cover: the cover
    /// number of each such set as bits (exclusions, then exempt rules), or
    /// `None` for never covered, so windows are cut once per set, not once
    /// per basket. A measure with more than 64 of them has its windows cut
    /// per basket.
    by_bits: FxHashMap<u64, Option<usize>>,
    /// The set last found in `by_bits` and what it gave: neighbouring
    /// lines (the file's order) tend to share one.
    last: Option<(u64, Option<usize>)>,
}

impl Covers {
    /// The cover number of the set `bits`, if met: `Some(None)` for never
    /// covered.
    fn known(&mut self, bits: u64) -> Option<Option<usize>> {
        match self.last {
            Some((seen, n)) if seen == bits => Some(n),
            _ => {
                let n = self.by_bits.get(&bits).copied()?;
                self.last = Some((bits, n));
                Some(n)
            }
        }
    }

    /// The number of `cover` (not empty), met as the cover of the set
    /// `bits` if given.
    fn number(&mut self, cover: &Cover, bits: Option<u64>) -> usize {
        let all = cover.as_slice() == [Window::ALL];
        let seen = match all {
            true => self.always,
            false => self.numbered.get(cover).copied(),
        };
        let n = seen.unwrap_or_else(|| {
            let n = self.met.len();
            self.met.push(cover.clone());
            match all {
                true => self.always = Some(n),
                false => {
                    self.numbered.insert(cover.clone(), n);
                }
            }
            n
        });
        if let Some(bits) = bits {
            self.by_bits.insert(bits, Some(n));
        }
        n
    }
}

impl SidePlan {
    /// The plan of baseline `b` (index `baseline`) under the `measures` on
    /// its direction, with its importer's base rates `base` (which measures
    /// net of the base rate read); value-matched answers cover the slices
    /// `slices` gives them (keyed by index into `measures`), nothing
    /// otherwise.
    ///
    /// # Errors
    /// As [`Plan::new`].
    pub fn new(
        baseline: usize,
        b: &Baseline,
        measures: &[&Measure],
        stacking: &[StackingRule],
        base: Option<&BaseRates>,
        slices: &HashMap<usize, Vec<Slice>>,
    ) -> Result<SidePlan> {
        let on_side: Vec<usize> = (0..measures.len())
            .filter(|i| {
                measures[*i].imposer() == b.importer() && measures[*i].target() == b.exporter()
            })
            .collect();
        for &i in &on_side {
            check_baskets(measures[i], b)?;
        }
        let ms: Vec<&Measure> = on_side.iter().map(|i| measures[*i]).collect();
        let n_periods = b.periods().len();

        // Goods matched against every basket at once, each list once.
        let mut index = BasketIndex::new(b.baskets());

        // Exempt rules fold into coverage: per local measure, in rule
        // order, the baskets exempt and when.
        let mut exempt: Vec<Vec<(Rc<[bool]>, Window)>> = vec![Vec::new(); ms.len()];
        for rule in stacking {
            if let Stacking::Exempt {
                measures: sel,
                goods,
            } = rule.stacking()
            {
                let mut on: Option<Rc<[bool]>> = None;
                for (li, m) in ms.iter().enumerate() {
                    if sel.iter().any(|s| s.matches(m)) {
                        let on = on.get_or_insert_with(|| index.matches(goods).into());
                        exempt[li].push((Rc::clone(on), rule.window()));
                    }
                }
            }
        }

        // Units: per basket, the slices value-matched answers claim, then
        // the rest.
        let is_slice: Vec<bool> = ms.iter().map(|m| m.coverage().is_matched_value()).collect();
        let mut by_basket: Vec<Vec<(usize, &Slice)>> = vec![Vec::new(); b.baskets().len()];
        for (li, &mi) in on_side.iter().enumerate() {
            if let Some(list) = slices.get(&mi) {
                for s in list {
                    if let Some(slot) = by_basket.get_mut(s.basket) {
                        slot.push((li, s));
                    }
                }
            }
        }
        // Value-matched answers cover what their slices say, not goods.
        let coverage: Vec<Option<CoverageIndex>> = ms
            .iter()
            .zip(&is_slice)
            .map(|(m, slice)| (!slice).then(|| CoverageIndex::new(m.coverage(), &mut index)))
            .collect();
        let any_content = ms.iter().any(|m| m.coverage().content().is_some());
        let mut units = Vec::with_capacity(b.baskets().len());
        let mut scratch: Cover = Vec::new();
        for (bi, list) in by_basket.iter().enumerate() {
            if list.is_empty() && !any_content {
                units.push(Unit {
                    basket: bi,
                    weight: Decimal::ONE,
                    slice: Vec::new(),
                    content: Vec::new(),
                });
                continue;
            }
            let key = b.baskets()[bi].key();
            let split = super::shares::units_of(bi, list)
                .and_then(|us| {
                    if any_content {
                        let covers = |li: usize| match &coverage[li] {
                            Some(c) => {
                                c.covered_windows(bi, &mut scratch);
                                !scratch.is_empty()
                            }
                            None => !ms[li]
                                .coverage()
                                .covered_windows(key, Window::ALL)
                                .is_empty(),
                        };
                        super::content::cut(us, &super::content::pieces(key, &ms, covers)?)
                    } else {
                        Ok(us)
                    }
                })
                .map_err(|e| e.at(format!("baseline {}, basket {key}", b.label())))?;
            units.extend(split);
        }

        let mut grain_gaps: Vec<Vec<usize>> = ms
            .iter()
            .zip(&coverage)
            .map(|(m, c)| {
                c.as_ref().map_or_else(Vec::new, |c| {
                    index
                        .partly_in(m.coverage().goods(), c.goods())
                        .iter()
                        .enumerate()
                        .filter(|(_, gap)| **gap)
                        .map(|(i, _)| i)
                        .collect()
                })
            })
            .collect();

        // Coverage key per unit → classes. Each measure's covers are
        // numbered as first met, so a unit's key is (measure, cover number,
        // the base rate the measure is net of there) triples, built in one
        // buffer and copied only for a new class.
        // The base rates a measure is net of are numbered the same way (a
        // measure not net of it is net of zero, number 0), so keys hash
        // small integers only.
        let mut covers: Vec<Covers> = vec![Covers::default(); ms.len()];
        let with_bits: Vec<bool> = coverage
            .iter()
            .zip(&exempt)
            .map(|(c, ex)| {
                c.as_ref()
                    .is_some_and(|c| c.exclusion_count() + ex.len() <= 64)
            })
            .collect();
        let mut rates: Vec<Vec<Rate>> = vec![vec![Rate::ZERO]; ms.len()];
        let mut rate_numbers: Vec<FxHashMap<Rate, usize>> = vec![FxHashMap::default(); ms.len()];
        let on_content: Vec<bool> = ms
            .iter()
            .map(|m| m.coverage().content().is_some())
            .collect();
        let mut index: FxHashMap<Vec<(usize, usize, usize)>, usize> = FxHashMap::default();
        let mut classes: Vec<Class> = Vec::new();
        let mut keys: Vec<Vec<(usize, Cover, Rate)>> = Vec::new();
        let mut unit_class = Vec::with_capacity(units.len());
        let mut key: Vec<(usize, usize, usize)> = Vec::new();
        let mut last_key: Vec<(usize, usize, usize)> = Vec::new();
        let mut cover: Cover = Vec::new();
        let candidates = Candidates::new(&coverage, b.baskets().len());
        for u in &units {
            let basket = &b.baskets()[u.basket];
            key.clear();
            for &li in candidates.of(u.basket) {
                let m = ms[li];
                if on_content[li] && !u.content.contains(&li) {
                    continue;
                }
                let bits = match &coverage[li] {
                    Some(c) if with_bits[li] => {
                        let Some(mut bits) = c.excluding(u.basket) else {
                            continue;
                        };
                        let first = c.exclusion_count();
                        for (k, (on, _)) in exempt[li].iter().enumerate() {
                            bits |= u64::from(on[u.basket]) << (first + k);
                        }
                        Some(bits)
                    }
                    _ => None,
                };
                let known = bits.and_then(|bits| covers[li].known(bits));
                match known {
                    Some(None) => continue,
                    Some(Some(_)) => {}
                    None => {
                        cover.clear();
                        if let Some(c) = &coverage[li] {
                            c.covered_windows(u.basket, &mut cover);
                        } else if let Some((_, c)) = u.slice.iter().find(|(owner, _)| *owner == li)
                        {
                            cover.extend_from_slice(c);
                        }
                        for (on, w) in &exempt[li] {
                            if on[u.basket] && !cover.is_empty() {
                                cover = subtract(&cover, *w);
                            }
                        }
                        if cover.is_empty() {
                            if let Some(bits) = bits {
                                covers[li].by_bits.insert(bits, None);
                            }
                            continue;
                        }
                    }
                }
                let less = if m.is_net_of_base() {
                    match net_base(base, basket.key()) {
                        Some(r) => *rate_numbers[li].entry(r).or_insert_with(|| {
                            rates[li].push(r);
                            rates[li].len() - 1
                        }),
                        None => {
                            let gaps = &mut grain_gaps[li];
                            if gaps.last() != Some(&u.basket) {
                                gaps.push(u.basket);
                            }
                            continue;
                        }
                    }
                } else {
                    0
                };
                let n = match known {
                    Some(Some(n)) => n,
                    _ => covers[li].number(&cover, bits),
                };
                key.push((li, n, less));
            }
            // Neighbouring lines (the file's order) tend to share a key:
            // the last unit's class is tried before the index.
            let known = match unit_class.last() {
                Some(&last) if last_key == key => Some(last),
                _ => index.get(key.as_slice()).copied(),
            };
            let ci = match known {
                Some(ci) => ci,
                None => {
                    let ci = classes.len();
                    index.insert(key.clone(), ci);
                    keys.push(
                        key.iter()
                            .map(|&(li, n, less)| (li, covers[li].met[n].clone(), rates[li][less]))
                            .collect(),
                    );
                    classes.push(Class {
                        values: vec![Decimal::ZERO; n_periods],
                    });
                    ci
                }
            };
            // A whole basket (weight one, as written) is its own value.
            let whole = u.weight.scale() == 0 && u.weight == Decimal::ONE;
            for (p, v) in basket.values().iter().enumerate() {
                let w = match whole {
                    true => *v,
                    false => mul(*v, u.weight, "a basket slice's value")?,
                };
                classes[ci].values[p] = add(classes[ci].values[p], w, "a class's trade value")?;
            }
            unit_class.push(ci);
            std::mem::swap(&mut last_key, &mut key);
        }

        for gaps in &mut grain_gaps {
            gaps.sort_unstable();
            gaps.dedup();
        }

        let mut totals = vec![Decimal::ZERO; n_periods];
        for basket in b.baskets() {
            for (p, v) in basket.values().iter().enumerate() {
                totals[p] = add(totals[p], *v, "a baseline's total value")?;
            }
        }

        let super::groups::Ties {
            members,
            group_of,
            tying,
        } = super::groups::tie(&ms, stacking);
        let mut layers: Vec<LayerId> = Vec::new();
        let layer_of: Vec<usize> = ms
            .iter()
            .map(|m| match layers.iter().position(|l| l == m.layer()) {
                Some(i) => i,
                None => {
                    layers.push(m.layer().clone());
                    layers.len() - 1
                }
            })
            .collect();

        let groups = members
            .into_iter()
            .map(|gm| GroupPlan::of(gm, &ms, &tying, &keys, &classes, &layer_of, n_periods))
            .collect::<Result<Vec<_>>>()?;

        let covering = group_of
            .iter()
            .map(|&(g, pos)| groups[g].classes.iter().any(|c| !c.cover[pos].is_empty()))
            .collect();
        Ok(SidePlan {
            baseline,
            measures: on_side,
            units,
            unit_class,
            groups,
            group_of,
            totals,
            layers,
            grain_gaps,
            covering,
        })
    }

    /// The local index of measure `index` (into the measures the plan was
    /// built from), if it is on this side.
    pub fn local(&self, index: usize) -> Option<usize> {
        self.measures.binary_search(&index).ok()
    }

    /// Whether any class covers local measure `li` at some time.
    pub fn covers_anything(&self, li: usize) -> bool {
        self.covering[li]
    }
}
