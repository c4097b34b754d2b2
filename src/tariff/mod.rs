//! Measures, their coverage and dated schedules, and the rules that stack them.
//!
//! A [`Measure`] is one legal layer of additional duty: an authority, the
//! party imposing it, the party whose goods it targets, the goods it covers
//! ([`Coverage`]) and a dated [`Schedule`] of rates. Measures on the same goods
//! add up by default; [`StackingRule`]s, which are data with effective dates,
//! make one layer exclusive of another, keep only the highest, or exempt goods.
//! A [`Regime`] is a validated set of measures and stacking rules.

mod base;
mod content;
mod schedule;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

pub use base::{BaseRate, BaseRateKind, BaseRates};
pub use content::ContentShares;
pub use schedule::{AfterEdit, Schedule, Step, StepStatus, Suspension};

use crate::error::{Error, Result};
use crate::trade::BasketKey;
use crate::units::{BasketId, HsCode, LayerId, MeasureId, Party, RuleId, Window};

/// The legal authority a measure is imposed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Authority {
    /// US Section 301 (unfair trade practices).
    Section301,
    /// US Section 232 (national security).
    Section232,
    /// US International Emergency Economic Powers Act.
    Ieepa,
    /// US Section 122 (balance of payments, at most 150 days).
    Section122,
    /// A counter-measure answering another party's duties.
    Retaliation,
    /// Any other authority.
    Other,
}

impl Authority {
    /// Every authority, in the order they are listed in docs and errors.
    pub const ALL: [Authority; 6] = [
        Authority::Section301,
        Authority::Section232,
        Authority::Ieepa,
        Authority::Section122,
        Authority::Retaliation,
        Authority::Other,
    ];

    /// The name used in files: `section-301`, `ieepa`, ...
    pub fn name(&self) -> &'static str {
        match self {
            Authority::Section301 => "section-301",
            Authority::Section232 => "section-232",
            Authority::Ieepa => "ieepa",
            Authority::Section122 => "section-122",
            Authority::Retaliation => "retaliation",
            Authority::Other => "other",
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Authority {
    type Err = Error;

    fn from_str(s: &str) -> Result<Authority> {
        Authority::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                Error::unknown(
                    "authority",
                    s,
                    format!(
                        "; known authorities are {}",
                        Authority::ALL.map(|a| a.name()).join(", ")
                    ),
                )
            })
    }
}

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
    lookup: HashSet<HsCode>,
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
        HsSet {
            lookup: sorted.iter().copied().collect(),
            sorted,
            lengths,
        }
    }

    fn covers(&self, code: &HsCode) -> bool {
        self.lengths
            .iter()
            .take_while(|l| **l <= code.len())
            .any(|l| self.lookup.contains(&code.truncate(*l)))
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

/// Goods excluded from a measure over a window (a product exclusion, an
/// exemption annex with its start date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    goods: Goods,
    window: Window,
}

impl Exclusion {
    /// `goods` excluded over `window`.
    pub fn new(goods: Goods, window: Window) -> Exclusion {
        Exclusion { goods, window }
    }

    /// The goods excluded.
    pub fn goods(&self) -> &Goods {
        &self.goods
    }

    /// When they are excluded.
    pub fn window(&self) -> Window {
        self.window
    }
}

/// Which goods a measure applies to, when some of them are excluded, and
/// whether it taxes their whole value or only a content share of it.
///
/// A coverage [`on content`](Coverage::on_content) takes in, of each line
/// its goods name, only the share of the line's value that is that content
/// (Section 232 derivatives on their steel): evaluation cuts the line into
/// that piece and the rest, and stacking rules apply on each piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    goods: Goods,
    exclusions: Vec<Exclusion>,
    matched: bool,
    content: Option<Arc<ContentShares>>,
}

impl Coverage {
    /// Coverage of `goods`, with no exclusions.
    pub fn of(goods: Goods) -> Coverage {
        Coverage {
            goods,
            exclusions: Vec::new(),
            matched: false,
            content: None,
        }
    }

    /// What a value-matched retaliation answer covers: on each path, the
    /// shares of the answering side's baskets it claims (see
    /// [`crate::retaliation`]), never goods by name.
    pub(crate) fn matched_value() -> Coverage {
        Coverage {
            goods: Goods::all(),
            exclusions: Vec::new(),
            matched: true,
            content: None,
        }
    }

    /// Whether this is a value-matched answer's coverage: shares of baskets
    /// claimed per path rather than the goods named.
    pub fn is_matched_value(&self) -> bool {
        self.matched
    }

    /// The same coverage with one more dated exclusion.
    pub fn excluding(mut self, exclusion: Exclusion) -> Coverage {
        self.exclusions.push(exclusion);
        self
    }

    /// The same coverage taking in only the `shares` of each line's value
    /// (its steel, aluminum or copper content).
    pub fn on_content(mut self, shares: impl Into<Arc<ContentShares>>) -> Coverage {
        self.content = Some(shares.into());
        self
    }

    /// The content shares it taxes, when it taxes a content rather than the
    /// whole value.
    pub fn content(&self) -> Option<&ContentShares> {
        self.content.as_deref()
    }

    /// The goods covered before exclusions.
    pub fn goods(&self) -> &Goods {
        &self.goods
    }

    /// The dated exclusions.
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.exclusions
    }

    /// The windows within `within` during which basket `key` is covered,
    /// ascending and disjoint; empty when never.
    pub fn covered_windows(&self, key: &BasketKey, within: Window) -> Vec<Window> {
        if !self.goods.matches(key) {
            return Vec::new();
        }
        let mut out = vec![within];
        for ex in self.exclusions.iter().filter(|e| e.goods.matches(key)) {
            out = subtract(&out, ex.window);
        }
        out
    }
}

/// `windows` minus `cut`.
pub(crate) fn subtract(windows: &[Window], cut: Window) -> Vec<Window> {
    let mut out = Vec::with_capacity(windows.len() + 1);
    for w in windows {
        match w.intersect(&cut) {
            None => out.push(*w),
            Some(i) => {
                if w.start() < i.start() {
                    out.push(Window::ordered(w.start(), i.start()));
                }
                if i.end() < w.end() {
                    out.push(Window::ordered(i.end(), w.end()));
                }
            }
        }
    }
    out
}

/// Where a measure came from, when a retaliation rule made it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The rule that answers.
    pub rule: RuleId,
    /// The measures it answers.
    pub triggers: Vec<MeasureId>,
}

/// One legal layer of additional duty.
///
/// ```
/// use tariffsim::{Authority, Coverage, Goods, Measure, Schedule, units::parse_date};
/// let list1 = Measure::new(
///     "list-1".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
///     Coverage::of(Goods::baskets(["list-1-goods".parse()?])),
///     Schedule::flat(parse_date("2018-07-06")?, "25%".parse()?),
/// )?
/// .named("Section 301 List 1")
/// .in_layer("section-301".parse()?);
/// assert_eq!(list1.layer().as_str(), "section-301");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    id: MeasureId,
    name: Arc<str>,
    authority: Authority,
    layer: LayerId,
    imposer: Party,
    target: Party,
    coverage: Coverage,
    schedule: Schedule,
    source: String,
    origin: Option<Arc<Origin>>,
}

impl Measure {
    /// A measure; its layer defaults to its id and its name to its id.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the imposing and target party are the same or
    /// the coverage names no goods.
    pub fn new(
        id: MeasureId,
        authority: Authority,
        imposer: Party,
        target: Party,
        coverage: Coverage,
        schedule: Schedule,
    ) -> Result<Measure> {
        if imposer == target {
            return Err(Error::Invalid(format!(
                "measure {:?} is imposed by {imposer} on itself: the target must be another party",
                id.as_str()
            )));
        }
        if coverage.goods.is_empty() {
            return Err(Error::Invalid(format!(
                "measure {:?} covers no goods: name baskets, HS prefixes, HS lists, or all goods",
                id.as_str()
            )));
        }
        let layer = LayerId::from_str(id.as_str())?;
        Ok(Measure {
            name: Arc::from(id.as_str()),
            id,
            authority,
            layer,
            imposer,
            target,
            coverage,
            schedule,
            source: String::new(),
            origin: None,
        })
    }

    /// The same measure with a human-readable name.
    pub fn named(mut self, name: impl AsRef<str>) -> Measure {
        self.name = Arc::from(name.as_ref());
        self
    }

    /// The same measure reported in `layer`.
    pub fn in_layer(mut self, layer: LayerId) -> Measure {
        self.layer = layer;
        self
    }

    /// The same measure with a source citation.
    pub fn sourced(mut self, source: impl Into<String>) -> Measure {
        self.source = source.into();
        self
    }

    pub(crate) fn with_origin(mut self, origin: Origin) -> Measure {
        self.origin = Some(Arc::new(origin));
        self
    }

    /// The same measure with another schedule.
    pub fn with_schedule(&self, schedule: Schedule) -> Measure {
        Measure {
            schedule,
            ..self.clone()
        }
    }

    /// The id.
    pub fn id(&self) -> &MeasureId {
        &self.id
    }

    /// The human-readable name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn name_arc(&self) -> Arc<str> {
        Arc::clone(&self.name)
    }

    /// The authority.
    pub fn authority(&self) -> Authority {
        self.authority
    }

    /// The layer it is reported in.
    pub fn layer(&self) -> &LayerId {
        &self.layer
    }

    /// The party imposing the duty (the importer that collects it).
    pub fn imposer(&self) -> &Party {
        &self.imposer
    }

    /// The party whose goods pay it.
    pub fn target(&self) -> &Party {
        &self.target
    }

    /// The goods covered.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// The dated rates.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The source citation.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The retaliation rule that made it, if one did.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_deref()
    }

    /// [`Measure::origin`], shared.
    pub(crate) fn origin_arc(&self) -> Option<&Arc<Origin>> {
        self.origin.as_ref()
    }

    /// The annual value of the baskets of `b` this measure's coverage takes
    /// in on `date` (exclusions applied; stacking rules, which need the
    /// other measures, not), in the year of `date`; on content, each
    /// basket's value times its content share, exactly.
    ///
    /// # Errors
    /// [`Error::BaselineGap`] when the baseline lacks that year;
    /// [`Error::MissingShare`] when a covered basket has no content share;
    /// [`Error::Overflow`].
    ///
    /// ```
    /// use tariffsim::*;
    /// use tariffsim::units::parse_date;
    /// use rust_decimal::Decimal;
    /// let b = Baseline::new("US".parse()?, "CN".parse()?, Currency::USD, Periods::Annual, vec![
    ///     Basket::annual("8471300100".parse()?, "", Decimal::from(40)),
    ///     Basket::annual("9401610000".parse()?, "", Decimal::from(60)),
    /// ])?;
    /// let m = Measure::new("m".parse()?, Authority::Section301, "US".parse()?, "CN".parse()?,
    ///     Coverage::of(Goods::hs(["84".parse()?])), Schedule::flat(parse_date("2019-01-01")?, "25%".parse()?))?;
    /// assert_eq!(m.covered_value(&b, parse_date("2019-06-01")?)?, Decimal::from(40));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn covered_value(
        &self,
        b: &crate::trade::Baseline,
        date: crate::units::Date,
    ) -> Result<rust_decimal::Decimal> {
        let day = Window::new(date, date.tomorrow().unwrap_or(date))?;
        let cols = b.annual_columns(date.year())?;
        let mut total = rust_decimal::Decimal::ZERO;
        for basket in b.baskets() {
            if self.coverage.covered_windows(basket.key(), day).is_empty() {
                continue;
            }
            let share = match self.coverage.content() {
                Some(c) => c.share_for(basket.key(), self.id.as_str())?,
                None => rust_decimal::Decimal::ONE,
            };
            for c in &cols {
                let v = basket.values()[*c]
                    .checked_mul(share)
                    .ok_or_else(|| Error::overflow("a covered value"))?;
                total = total
                    .checked_add(v)
                    .ok_or_else(|| Error::overflow("a covered value"))?;
            }
        }
        Ok(total)
    }
}

/// Picks measures: by id, by authority or by layer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// One measure.
    Measure(MeasureId),
    /// Every measure under an authority.
    Authority(Authority),
    /// Every measure in a layer.
    Layer(LayerId),
}

impl Selector {
    /// Whether `m` is picked.
    pub fn matches(&self, m: &Measure) -> bool {
        match self {
            Selector::Measure(id) => &m.id == id,
            Selector::Authority(a) => m.authority == *a,
            Selector::Layer(l) => &m.layer == l,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Measure(id) => write!(f, "measure:{id}"),
            Selector::Authority(a) => write!(f, "authority:{a}"),
            Selector::Layer(l) => write!(f, "layer:{l}"),
        }
    }
}

impl FromStr for Selector {
    type Err = Error;

    /// Reads `measure:ID`, `authority:NAME` or `layer:ID`; a bare id is a
    /// measure id.
    fn from_str(s: &str) -> Result<Selector> {
        match s.split_once(':') {
            Some(("measure", id)) => Ok(Selector::Measure(id.parse()?)),
            Some(("authority", a)) => Ok(Selector::Authority(a.parse()?)),
            Some(("layer", l)) => Ok(Selector::Layer(l.parse()?)),
            Some(_) => Err(Error::Parse {
                what: "selector",
                input: s.to_string(),
                fix: "write measure:ID, authority:NAME or layer:ID".into(),
            }),
            None => Ok(Selector::Measure(s.parse()?)),
        }
    }
}

/// How a stacking rule changes the default of adding layers up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stacking {
    /// Goods that pay a positive rate under an `over` measure pay nothing
    /// under the `excluded` measures (goods under Section 232 pay no
    /// reciprocal duty; a 2024-review heading replaces the earlier 301 rate).
    Exclusive {
        /// The measures that win.
        over: Vec<Selector>,
        /// The measures that yield.
        excluded: Vec<Selector>,
    },
    /// Of the selected measures, only the highest rate applies.
    Highest {
        /// The measures compared.
        among: Vec<Selector>,
    },
    /// The selected measures do not apply to `goods` (Annex II).
    Exempt {
        /// The measures that do not apply.
        measures: Vec<Selector>,
        /// The goods exempt.
        goods: Goods,
    },
}

/// A stacking rule in force over a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackingRule {
    id: RuleId,
    stacking: Stacking,
    window: Window,
}

impl StackingRule {
    /// A rule in force over `window` (use [`Window::open`] for an open
    /// end, [`Window::ALL`] for always).
    pub fn new(id: RuleId, stacking: Stacking, window: Window) -> StackingRule {
        StackingRule {
            id,
            stacking,
            window,
        }
    }

    /// The id.
    pub fn id(&self) -> &RuleId {
        &self.id
    }

    /// What it does.
    pub fn stacking(&self) -> &Stacking {
        &self.stacking
    }

    /// When it holds.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Every selector the rule names.
    pub fn selectors(&self) -> impl Iterator<Item = &Selector> {
        let (a, b): (&[Selector], &[Selector]) = match &self.stacking {
            Stacking::Exclusive { over, excluded } => (over, excluded),
            Stacking::Highest { among } => (among, &[]),
            Stacking::Exempt { measures, .. } => (measures, &[]),
        };
        a.iter().chain(b)
    }
}

/// A validated set of measures and stacking rules: unique ids, and every
/// selector naming something that exists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Regime {
    measures: Vec<Measure>,
    stacking: Vec<StackingRule>,
}

impl Regime {
    /// A regime.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] for a measure or rule id used twice;
    /// [`Error::Unknown`] for a selector that picks no measure.
    pub fn new(measures: Vec<Measure>, stacking: Vec<StackingRule>) -> Result<Regime> {
        let mut ids = HashMap::new();
        for m in &measures {
            if ids.insert(m.id.clone(), ()).is_some() {
                return Err(Error::DuplicateId {
                    kind: "measure",
                    id: m.id.to_string(),
                });
            }
        }
        let mut rule_ids = HashSet::new();
        for r in &stacking {
            if !rule_ids.insert(r.id.clone()) {
                return Err(Error::DuplicateId {
                    kind: "stacking rule",
                    id: r.id.to_string(),
                });
            }
            for s in r.selectors() {
                check_selector(s, &measures)
                    .map_err(|e| e.at(format!("stacking rule {:?}", r.id.as_str())))?;
            }
        }
        Ok(Regime { measures, stacking })
    }

    /// The measures, in the order given.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// The stacking rules.
    pub fn stacking(&self) -> &[StackingRule] {
        &self.stacking
    }

    /// The index of measure `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.id.as_str() == id)
    }
}

/// Checks that `s` picks at least one of `measures`.
pub(crate) fn check_selector(s: &Selector, measures: &[Measure]) -> Result<()> {
    if measures.iter().any(|m| s.matches(m)) {
        return Ok(());
    }
    Err(match s {
        Selector::Measure(id) => Error::unknown(
            "measure",
            id.as_str(),
            ": define it under [[measure]] or fix the id",
        ),
        Selector::Authority(a) => {
            Error::unknown("authority", a.name(), ": no measure is imposed under it")
        }
        Selector::Layer(l) => Error::unknown("layer", l.as_str(), ": no measure is in that layer"),
    })
}
