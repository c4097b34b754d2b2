//! A value-matched answer alone in its stacking group: its claim's slices
//! carried onto a side's baskets and evaluated as classes of their own.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::answers::AnswerSet;
use super::cache::Cache;
use super::eval::{GroupResult, eval_alone};
use super::groups::GroupPlan;
use super::plan::Slice;
use super::scenario::Scenario;
use crate::error::Result;
use crate::tariff::Schedule;
use crate::trade::Baseline;
use crate::units::Window;

impl Scenario {
    /// The result of a value-matched answer alone in its stacking group on
    /// valuation side `si`: its claimed slices, mapped onto the side's
    /// baskets and summed by the windows they are covered over, evaluated as
    /// classes of their own (no other measure changes its duty).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn value_group(
        &self,
        si: usize,
        group: &GroupPlan,
        ai: usize,
        answers: &AnswerSet,
        schedule: &Arc<Schedule>,
        version: u32,
        cache: &mut Cache,
    ) -> Result<Arc<GroupResult>> {
        // Claims are interned (one `Arc` per distinct claim, kept as long as
        // the cache), so a claim's address stands for its content.
        let claim = answers.claims[ai]
            .as_ref()
            .map_or(0, |c| Arc::as_ptr(c) as usize);
        let quick = (si, ai, claim, version);
        if let Some(r) = cache.value_by_claim.get(&quick) {
            return Ok(Arc::clone(r));
        }
        let b = &self.baselines[si];
        let mut by_cover: BTreeMap<Vec<Window>, Vec<Decimal>> = BTreeMap::new();
        if let (Some(c), Some(r)) = (&answers.claims[ai], &self.core.retaliation) {
            let national = &r.national[c.side];
            let pool = &r.pools[c.side];
            // On the nation's own baseline a cell's slice is its value times
            // the share; on another (a portfolio) basket by basket.
            let mut add = |cover: &Vec<Window>, share: Decimal, values: &[Decimal]| {
                let acc = by_cover
                    .entry(cover.clone())
                    .or_insert_with(|| vec![Decimal::ZERO; values.len()]);
                for (v, x) in acc.iter_mut().zip(values) {
                    *v = x
                        .checked_mul(share)
                        .and_then(|y| v.checked_add(y))
                        .ok_or_else(|| crate::Error::overflow("a claimed value"))?;
                }
                Ok::<(), crate::Error>(())
            };
            if self.core.own_national[si] == Some(c.side) {
                for sl in &c.slices {
                    add(&sl.cover, sl.share, &pool.cells[sl.cell].values)?;
                }
            } else {
                for sl in map_slices(&c.basket_slices(pool), national, b) {
                    add(&sl.cover, sl.share, b.baskets()[sl.basket].values())?;
                }
            }
        }
        let key = (si, ai, by_cover.into_iter().collect::<Vec<_>>(), version);
        if let Some(r) = cache.value_groups.get(&key) {
            let r = Arc::clone(r);
            cache.value_by_claim.insert(quick, Arc::clone(&r));
            return Ok(r);
        }
        let r = eval_alone(
            &group.headings[0],
            group.layer_of[0],
            schedule,
            &key.2,
            &cache.shared.grid,
            &cache.shared.factors[si],
        )?;
        // Checked in debug builds: the general evaluation of the same group
        // gives the very same result.
        #[cfg(debug_assertions)]
        {
            let general = GroupPlan {
                measures: group.measures.clone(),
                rules: Vec::new(),
                classes: key
                    .2
                    .iter()
                    .map(|(cover, values)| {
                        super::groups::GroupClass::new(
                            vec![cover.clone()],
                            vec![crate::units::Rate::ZERO],
                            values.clone(),
                            &[],
                        )
                    })
                    .collect(),
                of_class: Vec::new(),
                layer_of: group.layer_of.clone(),
                headings: group.headings.clone(),
            };
            let expected = super::eval::eval_group(
                &general,
                &[schedule.as_ref()],
                &cache.shared.grid,
                &cache.shared.factors[si],
                false,
            )?;
            assert_eq!(format!("{r:?}"), format!("{expected:?}"));
        }
        let r = Arc::new(r);
        cache.value_groups.insert(key, Arc::clone(&r));
        cache.value_by_claim.insert(quick, Arc::clone(&r));
        Ok(r)
    }
}

/// Slices of national baskets carried onto the baskets of another baseline
/// of the same direction: a basket of the same key, or — for a national HS
/// line — every basket (an importer's item) whose HS code falls under it.
pub(super) fn map_slices(slices: &[Slice], national: &Baseline, to: &Baseline) -> Vec<Slice> {
    let mut out = Vec::new();
    for s in slices {
        let key = national.baskets()[s.basket].key();
        for (i, b) in to.baskets().iter().enumerate() {
            let under = b.key() == key
                || match (key.hs(), b.key().hs()) {
                    (Some(line), Some(code)) if matches!(key, crate::trade::BasketKey::Hs(_)) => {
                        line.is_prefix_of(code)
                    }
                    _ => false,
                };
            if under {
                out.push(Slice {
                    basket: i,
                    share: s.share,
                    cover: s.cover.clone(),
                });
            }
        }
    }
    out
}
