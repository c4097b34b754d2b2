//! Interaction groups: measures that a stacking rule ties together, and
//! the coverage classes of a side as each group sees them. A group's
//! result depends only on its own measures' schedules.

use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::plan::{Class, Cover};
use crate::error::{Error, Result};
use crate::tariff::{Heading, Measure, Stacking, StackingRule};
use crate::units::{Date, Rate, Window};

/// A class as one group sees it.
#[derive(Debug, Clone)]
pub(crate) struct GroupClass {
    /// Coverage per group measure (aligned with `GroupPlan::measures`).
    pub cover: Vec<Cover>,
    /// Per group measure, the base rate its rates are net of on this class
    /// (zero unless the measure is [`Measure::is_net_of_base`]).
    pub less: Vec<Rate>,
    /// Value per period column.
    pub values: Vec<Decimal>,
    /// The group measures that cover the class at some time, ascending; the
    /// others keep a zero rate on it.
    pub active: Vec<usize>,
    /// The group's rules that can change a rate of the class (an exclusive
    /// rule with measures covering it on both sides, a highest rule among
    /// at least two measures covering it), each over the measures covering
    /// it alone, by their positions in `active`: the others have no rate on
    /// it, so they neither make a rule hold nor have a rate to lose. The
    /// other rules leave its rates as they are.
    pub rules: Vec<GroupRule>,
    /// The dates its coverage starts or ends, ascending.
    pub edges: Vec<Date>,
    /// The dates the window of one of its `rules` starts or ends,
    /// ascending.
    pub rule_edges: Vec<Date>,
}

impl GroupClass {
    /// A class of a group whose rules are `rules`, with what its walk
    /// through a window needs worked out once: the measures covering it,
    /// the rules acting on it, and the dates either changes at.
    pub fn new(
        cover: Vec<Cover>,
        less: Vec<Rate>,
        values: Vec<Decimal>,
        rules: &[GroupRule],
    ) -> GroupClass {
        let active: Vec<usize> = (0..cover.len()).filter(|i| !cover[*i].is_empty()).collect();
        // The measures of `of` covering the class, as positions in `active`.
        let covering = |of: &[usize]| -> Vec<usize> {
            of.iter()
                .filter_map(|i| active.binary_search(i).ok())
                .collect()
        };
        let acting: Vec<GroupRule> = rules
            .iter()
            .filter_map(|r| match r {
                GroupRule::Exclusive {
                    window,
                    over,
                    excluded,
                } => {
                    let (over, excluded) = (covering(over), covering(excluded));
                    (!over.is_empty() && !excluded.is_empty()).then_some(GroupRule::Exclusive {
                        window: *window,
                        over,
                        excluded,
                    })
                }
                GroupRule::Highest { window, among } => {
                    let among = covering(among);
                    (among.len() > 1).then_some(GroupRule::Highest {
                        window: *window,
                        among,
                    })
                }
            })
            .collect();
        let sorted = |mut dates: Vec<Date>| {
            dates.sort_unstable();
            dates.dedup();
            dates
        };
        let edges = sorted(
            cover
                .iter()
                .flatten()
                .flat_map(|w| [w.start(), w.end()])
                .collect(),
        );
        let rule_edges = sorted(
            acting
                .iter()
                .flat_map(|r| [r.window().start(), r.window().end()])
                .collect(),
        );
        GroupClass {
            cover,
            less,
            values,
            active,
            rules: acting,
            edges,
            rule_edges,
        }
    }
}

/// A stacking rule as a group applies it.
#[derive(Debug, Clone)]
pub(crate) enum GroupRule {
    /// While any measure of `over` has a rate, those of `excluded` (group
    /// measure indices, none of them in `over`) pay nothing.
    Exclusive {
        window: Window,
        over: Vec<usize>,
        excluded: Vec<usize>,
    },
    /// Only the highest rate among `among` (group measure indices) is paid;
    /// of equal rates the first.
    Highest { window: Window, among: Vec<usize> },
}

impl GroupRule {
    pub fn window(&self) -> Window {
        match self {
            GroupRule::Exclusive { window, .. } | GroupRule::Highest { window, .. } => *window,
        }
    }
}

/// Measures tied together by stacking rules.
#[derive(Debug, Clone)]
pub(crate) struct GroupPlan {
    /// Local measure indices, in measure order.
    pub measures: Vec<usize>,
    pub rules: Vec<GroupRule>,
    pub classes: Vec<GroupClass>,
    /// Side class → group class, or `None` when no group measure covers it.
    pub of_class: Vec<Option<usize>>,
    /// The side layer of each group measure.
    pub layer_of: Vec<usize>,
    /// The heading of each group measure.
    pub headings: Vec<Arc<Heading>>,
}

/// Union-find root.
fn find(p: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    p[i] = r;
    r
}

/// Measures tied into groups by stacking rules.
pub(crate) struct Ties<'r> {
    /// Each group's members (local measure indices), in measure order.
    pub members: Vec<Vec<usize>>,
    /// Per local measure: its group and its position there.
    pub group_of: Vec<(usize, usize)>,
    /// The rules that tie at least two measures.
    pub tying: Vec<&'r StackingRule>,
}

/// The measures `ms` (local indices) tied into groups by the exclusive
/// and highest rules of `stacking`.
pub(crate) fn tie<'r>(ms: &[&Measure], stacking: &'r [StackingRule]) -> Ties<'r> {
    let mut parent: Vec<usize> = (0..ms.len()).collect();
    let mut tying = Vec::new();
    for rule in stacking {
        let sels: Vec<&crate::tariff::Selector> = match rule.stacking() {
            Stacking::Exempt { .. } => continue,
            _ => rule.selectors().collect(),
        };
        let tied: Vec<usize> = ms
            .iter()
            .enumerate()
            .filter(|(_, m)| sels.iter().any(|s| s.matches(m)))
            .map(|(i, _)| i)
            .collect();
        for w in tied.windows(2) {
            let (a, c) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[a] = c;
        }
        if tied.len() > 1 {
            tying.push(rule);
        }
    }
    let mut roots: Vec<usize> = Vec::new();
    let mut group_of = vec![(0, 0); ms.len()];
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (li, slot) in group_of.iter_mut().enumerate() {
        let r = find(&mut parent, li);
        let g = match roots.iter().position(|x| *x == r) {
            Some(g) => g,
            None => {
                roots.push(r);
                members.push(Vec::new());
                roots.len() - 1
            }
        };
        *slot = (g, members[g].len());
        members[g].push(li);
    }
    Ties {
        members,
        group_of,
        tying,
    }
}

impl GroupPlan {
    /// The group of the measures `gm` (local indices into `ms`) under the
    /// rules `tying`, over the side's classes `classes` with their keys
    /// `keys` (each class's covering measures, covers and netted base
    /// rates), `layer_of` giving each measure's side layer.
    ///
    /// # Errors
    /// [`Error::Overflow`] when a group class's value does not fit.
    pub fn of(
        gm: Vec<usize>,
        ms: &[&Measure],
        tying: &[&StackingRule],
        keys: &[Vec<(usize, Cover, Rate)>],
        classes: &[Class],
        layer_of: &[usize],
        n_periods: usize,
    ) -> Result<GroupPlan> {
        let flags = |sels: &[crate::tariff::Selector]| -> Vec<bool> {
            gm.iter()
                .map(|li| sels.iter().any(|s| s.matches(ms[*li])))
                .collect()
        };
        let mut rules = Vec::new();
        for rule in tying {
            let indices = |keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
                (0..gm.len()).filter(|i| keep(*i)).collect()
            };
            let gr = match rule.stacking() {
                Stacking::Exclusive { over, excluded } => {
                    let (o, e) = (flags(over), flags(excluded));
                    // A rule whose two sides are not both in the group
                    // ties nothing here.
                    if !o.contains(&true) || !e.contains(&true) {
                        continue;
                    }
                    GroupRule::Exclusive {
                        window: rule.window(),
                        over: indices(&|i| o[i]),
                        excluded: indices(&|i| e[i] && !o[i]),
                    }
                }
                Stacking::Highest { among } => {
                    let a = flags(among);
                    let among = indices(&|i| a[i]);
                    if among.len() < 2 {
                        continue;
                    }
                    GroupRule::Highest {
                        window: rule.window(),
                        among,
                    }
                }
                Stacking::Exempt { .. } => continue,
            };
            rules.push(gr);
        }
        // Group classes: side classes restricted to the group's measures.
        let mut gindex: FxHashMap<(Vec<Cover>, Vec<Rate>), usize> = FxHashMap::default();
        let mut gclasses: Vec<GroupClass> = Vec::new();
        let mut of_class = Vec::with_capacity(classes.len());
        for (ci, key) in keys.iter().enumerate() {
            let (cover, less): (Vec<Cover>, Vec<Rate>) = gm
                .iter()
                .map(|li| {
                    key.iter()
                        .find(|(k, _, _)| k == li)
                        .map_or_else(Default::default, |(_, c, r)| (c.clone(), *r))
                })
                .unzip();
            if cover.iter().all(Vec::is_empty) {
                of_class.push(None);
                continue;
            }
            let gkey = (cover, less);
            let gi = match gindex.get(&gkey) {
                Some(gi) => *gi,
                None => {
                    let gi = gclasses.len();
                    gindex.insert(gkey.clone(), gi);
                    let (cover, less) = gkey;
                    gclasses.push(GroupClass::new(
                        cover,
                        less,
                        vec![Decimal::ZERO; n_periods],
                        &rules,
                    ));
                    gi
                }
            };
            for p in 0..n_periods {
                gclasses[gi].values[p] = gclasses[gi].values[p]
                    .checked_add(classes[ci].values[p])
                    .ok_or_else(|| Error::overflow("a class's trade value"))?;
            }
            of_class.push(Some(gi));
        }
        Ok(GroupPlan {
            layer_of: gm.iter().map(|li| layer_of[*li]).collect(),
            headings: gm.iter().map(|li| Arc::clone(ms[*li].heading())).collect(),
            measures: gm,
            rules,
            classes: gclasses,
            of_class,
        })
    }
}
