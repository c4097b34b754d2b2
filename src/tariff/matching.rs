//! Goods matched against every basket of a baseline at once.
//!
//! [`Goods::matches`] asks, for one basket, whether any listed prefix lies
//! over its code; done for every basket and every measure, it searches each
//! list once per line. A [`BasketIndex`] sorts a baseline's HS codes once;
//! each listed prefix then finds the baskets under it by binary search (the
//! codes under a prefix are one range of the codes padded to ten digits),
//! and each HS list is matched once per baseline however many measures,
//! exclusions and exemptions name it. The answers are those of
//! [`Goods::matches`] and [`Goods::partly_in`], basket by basket.
//! [`Candidates`] turns the matches around: per basket, the measures whose
//! goods take it in.

use rustc_hash::FxHashMap;

use super::{Coverage, Goods, HsList, subtract};
use crate::trade::{Basket, BasketKey};
use crate::units::{BasketId, HsCode, Window};

/// A baseline's baskets indexed by HS code and by name, with the HS lists
/// matched so far.
#[derive(Debug)]
pub(crate) struct BasketIndex<'a> {
    /// How many baskets.
    len: usize,
    /// Baskets with an HS code: (code padded to ten digits, code length,
    /// basket), ascending.
    codes: Vec<(u64, usize, usize)>,
    /// The code lengths present, ascending.
    lengths: Vec<usize>,
    /// Named baskets by name.
    named: FxHashMap<&'a BasketId, Vec<usize>>,
    /// Per HS list matched (by the address of its shared codes, kept alive
    /// here): the baskets it covers.
    lists: FxHashMap<usize, (HsList, Vec<bool>)>,
}

impl<'a> BasketIndex<'a> {
    /// The index of `baskets`.
    pub fn new(baskets: &'a [Basket]) -> BasketIndex<'a> {
        let mut codes = Vec::with_capacity(baskets.len());
        let mut named: FxHashMap<&BasketId, Vec<usize>> = FxHashMap::default();
        for (i, b) in baskets.iter().enumerate() {
            match b.key() {
                BasketKey::Hs(c) | BasketKey::Item(_, c) => codes.push((c.padded(), c.len(), i)),
                BasketKey::Named(id) => named.entry(id).or_default().push(i),
            }
        }
        codes.sort_unstable();
        let mut lengths: Vec<usize> = codes.iter().map(|(_, l, _)| *l).collect();
        lengths.sort_unstable();
        lengths.dedup();
        BasketIndex {
            len: baskets.len(),
            codes,
            lengths,
            named,
            lists: FxHashMap::default(),
        }
    }

    /// Per basket, whether `goods` [matches](Goods::matches) it.
    pub fn matches(&mut self, goods: &Goods) -> Vec<bool> {
        if goods.is_all() {
            return vec![true; self.len];
        }
        let mut out = vec![false; self.len];
        for id in goods.basket_ids() {
            for &i in self.named.get(id).into_iter().flatten() {
                out[i] = true;
            }
        }
        self.mark_under(goods.hs_prefixes(), &mut out);
        for list in goods.hs_lists() {
            let on = self.list(list);
            for (o, x) in out.iter_mut().zip(on) {
                *o |= *x;
            }
        }
        out
    }

    /// Per basket, whether `goods` lies [partly in](Goods::partly_in) it,
    /// given `matched`, what [`BasketIndex::matches`] gave for `goods`.
    pub fn partly_in(&self, goods: &Goods, matched: &[bool]) -> Vec<bool> {
        let mut out = vec![false; self.len];
        if goods.hs_prefixes().is_empty() && goods.hs_lists().is_empty() {
            return out;
        }
        for i in self.named.values().flatten() {
            out[*i] = true;
        }
        self.mark_over(goods.hs_prefixes(), &mut out);
        for list in goods.hs_lists() {
            self.mark_over(list.codes(), &mut out);
        }
        for (o, m) in out.iter_mut().zip(matched) {
            *o &= !*m;
        }
        out
    }

    /// The baskets `list` covers, matched once per list.
    fn list(&mut self, list: &HsList) -> &[bool] {
        let key = list.address();
        if !self.lists.contains_key(&key) {
            let mut on = vec![false; self.len];
            self.mark_under(list.codes(), &mut on);
            self.lists.insert(key, (list.clone(), on));
        }
        self.lists.get(&key).map_or(&[], |(_, on)| on.as_slice())
    }

    /// Marks the baskets whose code lies under one of `prefixes` (the code
    /// itself or an extension of it).
    ///
    /// Prefixes come sorted (by length, then digits), so within a run of
    /// one length their ranges start in ascending order: each range's
    /// first basket is searched for forward from the last one's, in steps
    /// that double, not over all baskets.
    fn mark_under(&self, prefixes: &[HsCode], out: &mut [bool]) {
        let mut from = 0;
        let mut last_start = 0;
        for p in prefixes {
            let range = p.padded_range();
            if range.start < last_start {
                from = 0;
            }
            last_start = range.start;
            from += first_at_or_after(&self.codes[from..], range.start);
            for &(c, len, i) in &self.codes[from..] {
                if c >= range.end {
                    break;
                }
                if len >= p.len() {
                    out[i] = true;
                }
            }
        }
    }

    /// Marks the baskets whose code lies strictly over one of `codes` (a
    /// shorter code they extend): goods the basket's grain cannot show.
    fn mark_over(&self, codes: &[HsCode], out: &mut [bool]) {
        for code in codes {
            for &len in self.lengths.iter().take_while(|l| **l < code.len()) {
                let outer = code.truncate(len).padded();
                let from = self
                    .codes
                    .partition_point(|(c, l, _)| (*c, *l) < (outer, len));
                for &(c, l, i) in &self.codes[from..] {
                    if (c, l) != (outer, len) {
                        break;
                    }
                    out[i] = true;
                }
            }
        }
    }
}

/// How many of `codes` (ascending) lie below `start`: searched for in steps
/// that double from the front, then by halves, so a start near the front
/// costs a few steps.
fn first_at_or_after(codes: &[(u64, usize, usize)], start: u64) -> usize {
    let mut end = 1;
    while end < codes.len() && codes[end - 1].0 < start {
        end *= 2;
    }
    let end = end.min(codes.len());
    let begin = end / 2;
    begin + codes[begin..end].partition_point(|(c, _, _)| *c < start)
}

/// A coverage matched against every basket of a baseline: per basket,
/// what [`Coverage::covered_windows`] gives over all time.
#[derive(Debug)]
pub(crate) struct CoverageIndex {
    goods: Vec<bool>,
    exclusions: Vec<(Vec<bool>, Window)>,
}

impl CoverageIndex {
    /// `coverage` matched against the baskets of `index`.
    pub fn new(coverage: &Coverage, index: &mut BasketIndex<'_>) -> CoverageIndex {
        CoverageIndex {
            goods: index.matches(coverage.goods()),
            exclusions: coverage
                .exclusions()
                .iter()
                .map(|e| (index.matches(e.goods()), e.window()))
                .collect(),
        }
    }

    /// Per basket, whether the goods (before exclusions) take it in.
    pub fn goods(&self) -> &[bool] {
        &self.goods
    }

    /// How many dated exclusions the coverage has.
    pub fn exclusion_count(&self) -> usize {
        self.exclusions.len()
    }

    /// The exclusions that take basket `basket` out at some time, as bits
    /// (bit `k`: the `k`-th exclusion; the first 64 only), or `None` when
    /// the goods do not take it in. Baskets with the same bits are
    /// covered over the same windows.
    pub fn excluding(&self, basket: usize) -> Option<u64> {
        if !self.goods[basket] {
            return None;
        }
        let bits = self.exclusions.iter().take(64).enumerate();
        Some(bits.fold(0, |mask, (k, (on, _))| mask | (u64::from(on[basket]) << k)))
    }

    /// Writes into `out` the windows during which basket `basket` is
    /// covered, ascending and disjoint; empty when never.
    pub fn covered_windows(&self, basket: usize, out: &mut Vec<Window>) {
        out.clear();
        if !self.goods[basket] {
            return;
        }
        out.push(Window::ALL);
        for (on, window) in &self.exclusions {
            if on[basket] {
                *out = subtract(out, *window);
            }
        }
    }
}

/// Per basket, the local measures that may cover it, ascending: those whose
/// goods take it in, and every value-matched answer (which covers the
/// slices its path claims, whatever the goods). A plan builds its class
/// keys from these alone, not from every measure on every basket.
pub(crate) struct Candidates {
    /// Where each basket's measures start in `measures` (one more entry
    /// than baskets).
    starts: Vec<usize>,
    measures: Vec<usize>,
}

impl Candidates {
    /// The candidates of `baskets` baskets under `coverage`, per local
    /// measure (`None` for a value-matched answer).
    pub fn new(coverage: &[Option<CoverageIndex>], baskets: usize) -> Candidates {
        let mut starts = vec![0usize; baskets + 1];
        for c in coverage {
            match c {
                Some(c) => {
                    for (n, on) in starts[1..].iter_mut().zip(c.goods()) {
                        *n += usize::from(*on);
                    }
                }
                None => starts[1..].iter_mut().for_each(|n| *n += 1),
            }
        }
        for bi in 0..baskets {
            starts[bi + 1] += starts[bi];
        }
        let mut next = starts.clone();
        let mut measures = vec![0usize; starts[baskets]];
        let all = vec![true; baskets];
        // Most measures take in few lines: runs of baskets none of which
        // a measure takes are passed over whole.
        const RUN: usize = 32;
        for (li, c) in coverage.iter().enumerate() {
            let takes = c.as_ref().map_or(all.as_slice(), CoverageIndex::goods);
            for (at, on) in next.chunks_mut(RUN).zip(takes.chunks(RUN)) {
                if !on.iter().fold(false, |any, b| any | b) {
                    continue;
                }
                for (at, on) in at.iter_mut().zip(on) {
                    if *on {
                        measures[*at] = li;
                        *at += 1;
                    }
                }
            }
        }
        Candidates { starts, measures }
    }

    /// The measures that may cover basket `bi`, ascending.
    pub fn of(&self, bi: usize) -> &[usize] {
        &self.measures[self.starts[bi]..self.starts[bi + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn basket(key: &str) -> Basket {
        Basket::annual(key.parse().unwrap(), "", Decimal::ONE)
    }

    fn codes(list: &[&str]) -> Vec<HsCode> {
        list.iter().map(|c| c.parse().unwrap()).collect()
    }

    #[test]
    fn the_index_answers_as_goods_do_basket_by_basket() {
        let baskets: Vec<Basket> = [
            "84",
            "8471",
            "847130",
            "8471300100",
            "8471300150",
            "8472",
            "85",
            "8501100000",
            "01",
            "0101",
            "0101210000",
            "9903",
            "steel",
            "toys",
            "sku-1@8471300100",
            "sku-2@8501",
            "99",
            "9999999999",
            "10",
            "1001",
        ]
        .iter()
        .map(|k| basket(k))
        .collect();
        let l1 = HsList::new("l1", codes(&["8471", "0101210000", "99"]));
        let l2 = HsList::new("l2", codes(&["84713001", "85011000", "1001"]));
        let goods = [
            Goods::all(),
            Goods::default(),
            Goods::baskets(["steel".parse().unwrap()]),
            Goods::hs(codes(&["84", "8501100000", "0101", "10"])),
            Goods::hs(codes(&["847130", "8471300100"])),
            Goods::lists([l1.clone()]),
            Goods::lists([l1.clone(), l2.clone()]),
            Goods::lists([l2.clone()]).union(Goods::hs(codes(&["9903"]))),
            Goods::baskets(["toys".parse().unwrap()]).union(Goods::lists([l1])),
        ];
        let mut index = BasketIndex::new(&baskets);
        for g in &goods {
            let matched = index.matches(g);
            let partly = index.partly_in(g, &matched);
            for (i, b) in baskets.iter().enumerate() {
                assert_eq!(matched[i], g.matches(b.key()), "{:?} on {}", g, b.key());
                assert_eq!(partly[i], g.partly_in(b.key()), "{:?} in {}", g, b.key());
            }
        }
    }

    /// An HS code of 2 to 10 digits (an even count) from `digits`.
    fn code_of(digits: u64, pairs: usize) -> HsCode {
        let text = format!("{digits:010}");
        text[..2 * pairs].parse().unwrap()
    }

    proptest::proptest! {
        /// Baskets under prefixes, as the index marks them, are those a
        /// prefix starts, checked code by code with `is_prefix_of`. Digits
        /// are drawn from few values so prefixes and codes nest.
        #[test]
        fn marked_baskets_are_those_under_a_prefix(
            baskets in proptest::collection::vec((0u64..4, 0u64..4, 1usize..=5), 1..40),
            prefixes in proptest::collection::vec((0u64..4, 0u64..4, 1usize..=5), 0..12),
        ) {
            // Leading digits pick a chapter; the rest repeat a digit, so
            // codes share prefixes often.
            let code = |(a, b, pairs): (u64, u64, usize)| {
                code_of(a * 1_000_000_000 + b * 111_111_111, pairs)
            };
            let keys: Vec<HsCode> = baskets.into_iter().map(code).collect();
            let listed: Vec<HsCode> = prefixes.into_iter().map(code).collect();
            let mut seen = std::collections::HashSet::new();
            let baskets: Vec<Basket> = keys
                .iter()
                .filter(|k| seen.insert(**k))
                .map(|k| Basket::annual(BasketKey::Hs(*k), "", Decimal::ONE))
                .collect();
            let mut index = BasketIndex::new(&baskets);
            let by_list = Goods::lists([HsList::new("l", listed.clone())]);
            let by_prefix = Goods::hs(listed.clone());
            for goods in [by_list, by_prefix] {
                let marked = index.matches(&goods);
                for (b, m) in baskets.iter().zip(&marked) {
                    let code = b.key().hs().copied().unwrap();
                    let under = listed.iter().any(|p| p.is_prefix_of(&code));
                    proptest::prop_assert_eq!(*m, under, "{} under {:?}", code, listed);
                    proptest::prop_assert_eq!(goods.matches(b.key()), under);
                }
            }
        }
    }
}
