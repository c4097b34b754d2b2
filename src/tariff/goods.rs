//! Goods: HS lists, HS prefixes, named baskets, and which baskets they take in.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::trade::BasketKey;
use crate::units::{BasketId, HsCode};

/// A named list of HS codes (a Section 301 list, an exemption annex). A good
/// is on the list when one of its prefixes is.
#[derive(Debug, Clone)]
pub struct HsList {
    name: Arc<str>,
    codes: Arc<HsSet>,
}

impl HsList {
    /// A list named `name` holding `codes`.
    pub fn new(name: &str, codes: impl IntoIterator<Item = HsCode>) -> HsList {
        HsList {
            name: Arc::from(name),
            codes: Arc::new(HsSet::new(codes)),
        }
    }

    /// The list's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The codes, ascending.
    pub fn codes(&self) -> &[HsCode] {
        &self.codes.sorted
    }

    /// Whether `code` or one of its prefixes is on the list.
    pub fn covers(&self, code: &HsCode) -> bool {
        self.codes.covers(code)
    }

    /// Where the list's codes live: the same for every clone of one list,
    /// so matching can remember a list by it.
    pub(crate) fn address(&self) -> usize {
        Arc::as_ptr(&self.codes) as usize
    }
}

impl PartialEq for HsList {
    fn eq(&self, other: &HsList) -> bool {
        self.name == other.name && self.codes.sorted == other.codes.sorted
    }
}

impl Eq for HsList {}

/// A set of HS prefixes with fast lookup by each prefix length.
#[derive(Debug, Clone, Default)]
struct HsSet {
    sorted: Vec<HsCode>,
    lengths: Vec<usize>,
}

impl HsSet {
    fn new(codes: impl IntoIterator<Item = HsCode>) -> HsSet {
        let mut sorted: Vec<HsCode> = codes.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut lengths: Vec<usize> = sorted.iter().map(HsCode::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        HsSet { sorted, lengths }
    }

    /// Searched by halves in the sorted codes, once per length listed: a
    /// set of thousands is built without hashing each code.
    fn covers(&self, code: &HsCode) -> bool {
        self.lengths
            .iter()
            .take_while(|l| **l <= code.len())
            .any(|l| self.sorted.binary_search(&code.truncate(*l)).is_ok())
    }

    /// Whether some code lies strictly inside `code` (is longer and starts
    /// with it): goods under `code` that only some of its lines are.
    fn has_inside(&self, code: &HsCode) -> bool {
        self.lengths.iter().any(|&l| {
            l > code.len() && {
                let i = self
                    .sorted
                    .partition_point(|c| (c.len(), c.truncate(code.len())) < (l, *code));
                self.sorted
                    .get(i)
                    .is_some_and(|c| c.len() == l && code.is_prefix_of(c))
            }
        })
    }
}

/// A set of goods: all goods, named baskets, HS prefixes and HS lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Goods {
    all: bool,
    baskets: BTreeSet<BasketId>,
    hs: Vec<HsCode>,
    lists: Vec<HsList>,
    prefixes: Arc<HsSetEq>,
}

/// [`HsSet`] compared by content, so derived equality on [`Goods`] holds.
#[derive(Debug, Clone, Default)]
struct HsSetEq(HsSet);

impl PartialEq for HsSetEq {
    fn eq(&self, other: &HsSetEq) -> bool {
        self.0.sorted == other.0.sorted
    }
}

impl Eq for HsSetEq {}

impl Goods {
    /// Every good of the target party.
    pub fn all() -> Goods {
        Goods {
            all: true,
            ..Goods::default()
        }
    }

    /// The named baskets.
    pub fn baskets(ids: impl IntoIterator<Item = BasketId>) -> Goods {
        Goods {
            baskets: ids.into_iter().collect(),
            ..Goods::default()
        }
    }

    /// Goods under any of the HS prefixes.
    pub fn hs(codes: impl IntoIterator<Item = HsCode>) -> Goods {
        let set = HsSet::new(codes);
        Goods {
            hs: set.sorted.clone(),
            prefixes: Arc::new(HsSetEq(set)),
            ..Goods::default()
        }
    }

    /// Goods on any of the HS lists.
    pub fn lists(lists: impl IntoIterator<Item = HsList>) -> Goods {
        let mut lists: Vec<HsList> = lists.into_iter().collect();
        lists.sort_by(|a, b| a.name.cmp(&b.name));
        Goods {
            lists,
            ..Goods::default()
        }
    }

    /// The goods in either set.
    pub fn union(mut self, other: Goods) -> Goods {
        self.all |= other.all;
        self.baskets.extend(other.baskets);
        let hs: Vec<HsCode> = self.hs.iter().chain(&other.hs).copied().collect();
        let set = HsSet::new(hs);
        self.hs = set.sorted.clone();
        self.prefixes = Arc::new(HsSetEq(set));
        self.lists.extend(other.lists);
        self.lists.sort_by(|a, b| a.name.cmp(&b.name));
        self.lists.dedup_by(|a, b| a.name == b.name);
        self
    }

    /// Whether this is every good.
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// The named baskets.
    pub fn basket_ids(&self) -> &BTreeSet<BasketId> {
        &self.baskets
    }

    /// The explicit HS prefixes, ascending.
    pub fn hs_prefixes(&self) -> &[HsCode] {
        &self.hs
    }

    /// The HS lists, by name.
    pub fn hs_lists(&self) -> &[HsList] {
        &self.lists
    }

    /// Whether nothing at all is named.
    pub fn is_empty(&self) -> bool {
        !self.all && self.baskets.is_empty() && self.hs.is_empty() && self.lists.is_empty()
    }

    /// Whether these goods take in part of the basket `key` that its grain
    /// cannot show: an HS basket (`84`) with a finer code listed under it
    /// (`8471`), or a named basket against HS codes or lists. Such a basket
    /// is not [`Goods::matches`]: a measure on it cannot be valued there.
    pub fn partly_in(&self, key: &BasketKey) -> bool {
        if self.matches(key) {
            return false;
        }
        match key {
            BasketKey::Named(_) => !self.hs.is_empty() || !self.lists.is_empty(),
            BasketKey::Hs(code) | BasketKey::Item(_, code) => {
                self.prefixes.0.has_inside(code)
                    || self.lists.iter().any(|l| l.codes.has_inside(code))
            }
        }
    }

    /// Whether the basket `key` is among these goods: always for all goods; a
    /// named basket when named; an HS basket when one of its prefixes is
    /// listed (a basket coarser than every listed prefix is not covered).
    pub fn matches(&self, key: &BasketKey) -> bool {
        if self.all {
            return true;
        }
        match key {
            BasketKey::Named(id) => self.baskets.contains(id),
            BasketKey::Hs(code) | BasketKey::Item(_, code) => {
                self.prefixes.0.covers(code) || self.lists.iter().any(|l| l.covers(code))
            }
        }
    }
}
