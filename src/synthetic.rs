//! Synthetic scenarios of given sizes, deterministic from a seed, for
//! benchmarks and tests at scale.
//!
//! A [`Synthetic`] describes the sizes — tariff lines, measures, steps per
//! schedule, outcome-tree depth and branching, horizon, chained retaliation
//! rules — and builds a valid [`Scenario`] from them. The same seed and sizes
//! give the same scenario; the parts are drawn from separate
//! streams of the seed, so changing the tree leaves the lines and measures as
//! they were.
//!
//! What it builds, on the US<-CN side:
//! - lines: distinct 10-digit HS codes (chapter, heading, subheading, tariff
//!   and statistical digits, the busy chapters drawn more often), ascending,
//!   each with an annual value in whole cents between $1,000 and $100M;
//! - measures: `reciprocal` (IEEPA, every good: the `all` layer), then
//!   `section-232` on a few chapters and headings, then Section 301 lists
//!   `list-1`, `list-2`, ... on HS prefixes of 2 to 10 digits, every third
//!   list with a dated product exclusion and an announced (threatened) last
//!   step;
//! - stacking: Section 232 goods pay no reciprocal duty from a quarter into
//!   the horizon (exclusive), and of `list-1` and `list-2` only the higher
//!   rate applies (highest);
//! - a tree of decisions at evenly spaced dates, each with a status-quo
//!   branch and branches that cut, raise, postpone, suspend, revoke or impose,
//!   every action valid on the schedules its path has left;
//! - optionally a CN<-US side and a chain of retaliation rules, each
//!   answering the one before it.
//!
//! ```
//! use rust_decimal::Decimal;
//! use tariffsim::Detail;
//! use tariffsim::synthetic::Synthetic;
//!
//! let sizes = Synthetic::new(7).lines(500).measures(6).steps(3).tree(2, 3);
//! let scenario = sizes.scenario()?;
//! // 500 lines asked for, 3 × 3 leaves.
//! assert_eq!(scenario.baselines()[0].baskets().len(), 500);
//! assert_eq!(scenario.tree().paths().len(), 9);
//! // The same seed gives the same scenario.
//! assert_eq!(scenario, sizes.scenario()?);
//! let evaluation = scenario.evaluate(Detail::Totals)?;
//! assert_eq!(evaluation.probability_sum(), Decimal::ONE);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;

use jiff::Span;
use rust_decimal::Decimal;

use crate::engine::{Prepared, Scenario, ScenarioInfo};
use crate::error::{Error, Result};
use crate::outcome::{
    Action, ActionKind, Branch, MAX_LEAVES, Node, OutcomeKind, OutcomeTree, Postponement,
};
use crate::retaliation::{ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
use crate::tariff::{
    AfterEdit, Authority, Coverage, Exclusion, Goods, Measure, Regime, Schedule, Selector,
    Stacking, StackingRule, Step, StepStatus,
};
use crate::trade::{Baseline, Basket, BasketKey, Periods};
use crate::units::{Currency, Date, HsCode, Party, Probability, Rate, Share, Window};

/// The most lines a synthetic baseline holds.
pub const MAX_LINES: usize = 1_000_000;
/// The most measures a synthetic regime holds.
pub const MAX_MEASURES: usize = 200;
/// The most steps a synthetic schedule holds.
pub const MAX_STEPS: usize = 50;
/// The most branches a synthetic decision has (probabilities are drawn in
/// thousandths, each at least 0.001).
pub const MAX_BRANCHING: usize = 100;
/// The most chained retaliation rules.
pub const MAX_RETALIATION: usize = 8;

/// The sizes of a synthetic scenario and the seed it is drawn from.
///
/// Defaults: 1,000 lines, 10 measures, 3 steps per schedule, a tree of
/// depth 2 with 3 branches per decision, the two calendar years 2019 and
/// 2020, no retaliation.
///
/// ```
/// use tariffsim::synthetic::Synthetic;
/// // The scale the benchmarks run at: 20,000 lines, 10 measures, 1,000 leaves.
/// let sizes = Synthetic::new(2018).lines(20_000).measures(10).tree(3, 10);
/// assert_eq!(sizes.leaves(), 1_000);
/// let regime = sizes.regime()?;
/// assert_eq!(regime.measures().len(), 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synthetic {
    seed: u64,
    lines: usize,
    measures: usize,
    steps: usize,
    depth: usize,
    branching: usize,
    horizon: Option<Window>,
    retaliation: usize,
}

/// The default horizon: calendar 2019 and 2020.
const DEFAULT_START: Date = Date::constant(2019, 1, 1);
const DEFAULT_END: Date = Date::constant(2021, 1, 1);

/// Separate streams of one seed, so each part is drawn independently.
const LINES: u64 = 1;
const MEASURES: u64 = 2;
const TREE: u64 = 3;
const EXPORTS: u64 = 4;
const ANSWERS: u64 = 5;

/// Chapters of the Harmonized System (77 is reserved).
const CHAPTERS: [u64; 96] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
    51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74,
    75, 76, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97,
];

/// Chapters drawn a third of the time, so lines cluster as trade does:
/// machinery, electronics, furniture, toys, plastics, apparel, footwear,
/// steel articles, vehicles.
const BUSY_CHAPTERS: [u64; 10] = [84, 85, 94, 95, 39, 61, 62, 64, 73, 87];

/// Subheading digits as the HS uses them (`10`, `11`, `19`, ...).
const SUBHEADINGS: [u64; 14] = [0, 10, 11, 19, 20, 21, 29, 30, 40, 50, 60, 80, 90, 99];

/// Rates schedules draw from, as per-mille: 5% to 125%.
const LADDER: [i64; 10] = [50, 75, 100, 150, 200, 250, 340, 500, 1000, 1250];

/// splitmix64: a small, fast, well-mixed generator; plenty for drawing
/// benchmark inputs, and no dependency.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64, stream: u64) -> SplitMix64 {
        let mut s = SplitMix64(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        s.next();
        s
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index into a slice of `len` items.
    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True `num` times in `den`.
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

fn rate(per_mille: i64) -> Result<Rate> {
    Rate::from_fraction(Decimal::new(per_mille, 3))
}

fn code(digits: u64, len: usize) -> Result<HsCode> {
    format!("{digits:0len$}").parse()
}

fn plus_days(date: Date, days: i64) -> Result<Date> {
    date.checked_add(Span::new().days(days)).map_err(|_| {
        Error::Invalid(format!(
            "synthetic scenario: {date} plus {days} days leaves the calendar"
        ))
    })
}

/// The parties of the synthetic sides.
fn parties() -> Result<(Party, Party)> {
    Ok(("US".parse()?, "CN".parse()?))
}

/// Distinct 10-digit lines, ascending.
fn line_codes(draw: &mut SplitMix64, n: usize) -> Result<Vec<HsCode>> {
    let mut seen = HashSet::with_capacity(n);
    let mut codes = Vec::with_capacity(n);
    while codes.len() < n {
        let chapter = if draw.chance(1, 3) {
            BUSY_CHAPTERS[draw.index(BUSY_CHAPTERS.len())]
        } else {
            CHAPTERS[draw.index(CHAPTERS.len())]
        };
        let heading = 1 + draw.below(40);
        let sub = SUBHEADINGS[draw.index(SUBHEADINGS.len())];
        let tariff = 10 * draw.below(10);
        let stat = 10 * draw.below(10);
        let digits = (((chapter * 100 + heading) * 100 + sub) * 100 + tariff) * 100 + stat;
        if seen.insert(digits) {
            codes.push(digits);
        }
    }
    codes.sort_unstable();
    codes.into_iter().map(|d| code(d, 10)).collect()
}

/// An annual value in whole cents, from $1,000 to $100M, spread over orders
/// of magnitude as trade at line level is.
fn line_value(draw: &mut SplitMix64) -> Decimal {
    let magnitude = 10i64.pow(5 + draw.below(5) as u32);
    let cents = magnitude + draw.below(9 * magnitude as u64) as i64;
    Decimal::new(cents, 2)
}

fn baseline(
    importer: Party,
    exporter: Party,
    codes: &[HsCode],
    draw: &mut SplitMix64,
) -> Result<Baseline> {
    let baskets = codes
        .iter()
        .map(|c| {
            let chapter = c.truncate(2);
            Basket::annual(
                BasketKey::Hs(*c),
                format!("synthetic line, chapter {chapter}"),
                line_value(draw),
            )
        })
        .collect();
    Baseline::new(importer, exporter, Currency::USD, Periods::Annual, baskets)
}

/// `count` prefixes of `len` digits cut from randomly drawn lines.
fn prefixes(draw: &mut SplitMix64, lines: &[HsCode], len: usize, count: usize) -> Vec<HsCode> {
    (0..count)
        .map(|_| lines[draw.index(lines.len())].truncate(len))
        .collect()
}

impl Synthetic {
    /// The default sizes, drawn from `seed`.
    pub fn new(seed: u64) -> Synthetic {
        Synthetic {
            seed,
            lines: 1_000,
            measures: 10,
            steps: 3,
            depth: 2,
            branching: 3,
            horizon: None,
            retaliation: 0,
        }
    }

    /// The number of tariff lines on the US<-CN side (1 to [`MAX_LINES`]).
    pub fn lines(mut self, lines: usize) -> Synthetic {
        self.lines = lines;
        self
    }

    /// The number of US measures (1 to [`MAX_MEASURES`]): `reciprocal`, then
    /// `section-232`, then Section 301 lists.
    pub fn measures(mut self, measures: usize) -> Synthetic {
        self.measures = measures;
        self
    }

    /// The number of steps in each schedule (1 to [`MAX_STEPS`]).
    pub fn steps(mut self, steps: usize) -> Synthetic {
        self.steps = steps;
        self
    }

    /// The outcome tree: `depth` levels of decisions with `branching`
    /// branches each (`branching ^ depth` leaves, at most
    /// [`MAX_LEAVES`]); depth 0 is no tree (every measure as scheduled).
    pub fn tree(mut self, depth: usize, branching: usize) -> Synthetic {
        self.depth = depth;
        self.branching = branching;
        self
    }

    /// The horizon evaluated.
    pub fn horizon(mut self, horizon: Window) -> Synthetic {
        self.horizon = Some(horizon);
        self
    }

    fn window(&self) -> Result<Window> {
        match self.horizon {
            Some(w) => Ok(w),
            None => Window::new(DEFAULT_START, DEFAULT_END),
        }
    }

    /// The number of chained retaliation rules (0 to [`MAX_RETALIATION`]):
    /// China answers US measures, the US answers that answer, and so on;
    /// any number above 0 adds a CN<-US side.
    pub fn retaliation(mut self, rules: usize) -> Synthetic {
        self.retaliation = rules;
        self
    }

    /// The number of leaves (paths) of the tree.
    pub fn leaves(&self) -> usize {
        if self.depth == 0 {
            1
        } else {
            u32::try_from(self.depth)
                .ok()
                .and_then(|d| self.branching.checked_pow(d))
                .unwrap_or(usize::MAX)
        }
    }

    fn check(&self) -> Result<()> {
        let bad = |what: &str, n: usize, range: String| {
            Err(Error::Invalid(format!(
                "synthetic scenario: {what} is {n}; use {range}"
            )))
        };
        if !(1..=MAX_LINES).contains(&self.lines) {
            return bad(
                "the number of lines",
                self.lines,
                format!("1 to {MAX_LINES}"),
            );
        }
        if !(1..=MAX_MEASURES).contains(&self.measures) {
            return bad(
                "the number of measures",
                self.measures,
                format!("1 to {MAX_MEASURES}"),
            );
        }
        if !(1..=MAX_STEPS).contains(&self.steps) {
            return bad(
                "the number of steps",
                self.steps,
                format!("1 to {MAX_STEPS}"),
            );
        }
        if self.depth > 0 && !(1..=MAX_BRANCHING).contains(&self.branching) {
            return bad(
                "the branching",
                self.branching,
                format!("1 to {MAX_BRANCHING}"),
            );
        }
        if self.leaves() > MAX_LEAVES {
            return bad(
                "the number of leaves",
                self.leaves(),
                format!("at most {MAX_LEAVES} (fewer levels or branches)"),
            );
        }
        if self.retaliation > MAX_RETALIATION {
            return bad(
                "the number of retaliation rules",
                self.retaliation,
                format!("0 to {MAX_RETALIATION}"),
            );
        }
        let horizon = self.window()?;
        let need = (2 * (self.depth + 1)).max(2 * self.steps).max(60);
        if horizon.days() < need as i64 {
            return Err(Error::Invalid(format!(
                "synthetic scenario: the horizon {} has {} days; these sizes need at least {need}",
                horizon,
                horizon.days()
            )));
        }
        Ok(())
    }

    /// The baselines: US<-CN, and CN<-US when there is retaliation.
    ///
    /// # Errors
    /// [`Error::Invalid`] for sizes out of range.
    pub fn baselines(&self) -> Result<Vec<Baseline>> {
        self.check()?;
        let (us, cn) = parties()?;
        let mut draw = SplitMix64::new(self.seed, LINES);
        let codes = line_codes(&mut draw, self.lines)?;
        let mut out = vec![baseline(us.clone(), cn.clone(), &codes, &mut draw)?];
        if self.retaliation > 0 {
            let mut draw = SplitMix64::new(self.seed, EXPORTS);
            let codes = line_codes(&mut draw, self.lines.div_ceil(4))?;
            out.push(baseline(cn, us, &codes, &mut draw)?);
        }
        Ok(out)
    }

    /// The measures and stacking rules.
    ///
    /// # Errors
    /// [`Error::Invalid`] for sizes out of range.
    pub fn regime(&self) -> Result<Regime> {
        let baselines = self.baselines()?;
        self.regime_on(&baselines)
    }

    fn codes(b: &Baseline) -> Vec<HsCode> {
        b.baskets()
            .iter()
            .filter_map(|b| b.key().hs().copied())
            .collect()
    }

    /// A schedule of `self.steps` steps, the first up to half a year before
    /// the horizon, the others inside it; the last one announced when
    /// `threat`.
    fn schedule(&self, draw: &mut SplitMix64, threat: bool) -> Result<Schedule> {
        let horizon = self.window()?;
        let days = horizon.days();
        let first = -(draw.below(180) as i64);
        let mut offsets = vec![first];
        while offsets.len() < self.steps {
            let d = 1 + draw.below(days as u64 - 1) as i64;
            if !offsets.contains(&d) {
                offsets.push(d);
            }
        }
        offsets.sort_unstable();
        let last = offsets.len() - 1;
        let mut steps = Vec::with_capacity(offsets.len());
        for (i, d) in offsets.into_iter().enumerate() {
            let date = plus_days(horizon.start(), d)?;
            let r = rate(LADDER[draw.index(LADDER.len())])?;
            steps.push(if threat && i == last && i > 0 {
                Step::announced(date, r)
            } else {
                Step::in_force(date, r)
            });
        }
        Schedule::new(steps, vec![])
    }

    fn regime_on(&self, baselines: &[Baseline]) -> Result<Regime> {
        let (us, cn) = parties()?;
        let horizon = self.window()?;
        let lines = Self::codes(&baselines[0]);
        let mut draw = SplitMix64::new(self.seed, MEASURES);
        let mut measures = Vec::with_capacity(self.measures + self.retaliation);
        for i in 0..self.measures {
            let (id, authority, layer, goods, threat) = match i {
                0 => (
                    "reciprocal".to_string(),
                    Authority::Ieepa,
                    "reciprocal",
                    Goods::all(),
                    false,
                ),
                1 => {
                    let goods = Goods::hs(
                        prefixes(&mut draw, &lines, 2, 3)
                            .into_iter()
                            .chain(prefixes(&mut draw, &lines, 4, 12)),
                    );
                    (
                        "section-232".to_string(),
                        Authority::Section232,
                        "section-232",
                        goods,
                        false,
                    )
                }
                _ => {
                    let mut hs = Vec::new();
                    for (len, count) in [
                        (2, 1 + draw.below(6) as usize),
                        (4, 30),
                        (6, 60),
                        (8, 60),
                        (10, 40),
                    ] {
                        hs.extend(prefixes(&mut draw, &lines, len, count));
                    }
                    (
                        format!("list-{}", i - 1),
                        Authority::Section301,
                        "section-301",
                        Goods::hs(hs),
                        i % 3 == 1,
                    )
                }
            };
            let mut coverage = Coverage::of(goods);
            if i >= 2 && i % 3 == 2 {
                let from = plus_days(
                    horizon.start(),
                    draw.below(horizon.days() as u64 / 2) as i64,
                )?;
                let until = plus_days(from, 90 + draw.below(270) as i64)?;
                coverage = coverage.excluding(Exclusion::new(
                    Goods::hs(prefixes(&mut draw, &lines, 8, 80)),
                    Window::new(from, until)?,
                ));
            }
            let schedule = self.schedule(&mut draw, threat)?;
            measures.push(
                Measure::new(
                    id.parse()?,
                    authority,
                    us.clone(),
                    cn.clone(),
                    coverage,
                    schedule,
                )?
                .named(format!("synthetic {id}"))
                .in_layer(layer.parse()?),
            );
        }
        // Earlier answers, one per layer a chained rule watches.
        if self.retaliation > 1 {
            let mut draw = SplitMix64::new(self.seed, ANSWERS);
            for i in 1..self.retaliation {
                let (party, against, side) = if i % 2 == 1 {
                    (cn.clone(), us.clone(), &baselines[1])
                } else {
                    (us.clone(), cn.clone(), &baselines[0])
                };
                let codes = Self::codes(side);
                let from = plus_days(horizon.start(), 20 * i as i64)?;
                measures.push(
                    Measure::new(
                        format!("earlier-{i}").parse()?,
                        Authority::Retaliation,
                        party,
                        against,
                        Coverage::of(Goods::hs(prefixes(&mut draw, &codes, 2, 2))),
                        Schedule::flat(from, rate(100)?),
                    )?
                    .in_layer(format!("answer-{i}").parse()?),
                );
            }
        }
        let mut stacking = Vec::new();
        if self.measures >= 2 {
            let from = plus_days(horizon.start(), horizon.days() / 4)?;
            stacking.push(StackingRule::new(
                "232-over-reciprocal".parse()?,
                Stacking::Exclusive {
                    over: vec![Selector::Measure("section-232".parse()?)],
                    excluded: vec![Selector::Measure("reciprocal".parse()?)],
                },
                Window::open(from),
            ));
        }
        if self.measures >= 4 {
            stacking.push(StackingRule::new(
                "highest-of-lists-1-2".parse()?,
                Stacking::Highest {
                    among: vec![
                        Selector::Measure("list-1".parse()?),
                        Selector::Measure("list-2".parse()?),
                    ],
                },
                Window::ALL,
            ));
        }
        Regime::new(measures, stacking)
    }

    /// The chained retaliation rules: `answer-1` (China) answers every rise
    /// of a US measure by matching its covered value at its rate (capped at
    /// 25%); `answer-2` (the US) answers `answer-1` at a fixed 10% on a
    /// counter-list; `answer-3` answers half the value at the matched rate;
    /// and so on in turn, 30 days after each trigger.
    ///
    /// # Errors
    /// [`Error::Invalid`] for sizes out of range.
    pub fn rules(&self) -> Result<Vec<RetaliationRule>> {
        let baselines = self.baselines()?;
        self.rules_on(&baselines)
    }

    fn rules_on(&self, baselines: &[Baseline]) -> Result<Vec<RetaliationRule>> {
        let (us, cn) = parties()?;
        let mut draw = SplitMix64::new(self.seed, ANSWERS ^ 0xA5);
        let mut rules = Vec::with_capacity(self.retaliation);
        for i in 1..=self.retaliation {
            let (party, against, side) = if i % 2 == 1 {
                (cn.clone(), us.clone(), &baselines[1])
            } else {
                (us.clone(), cn.clone(), &baselines[0])
            };
            let watched: Vec<Selector> = if i == 1 {
                let mut watched = vec![Selector::Authority(Authority::Ieepa)];
                if self.measures >= 2 {
                    watched.push(Selector::Authority(Authority::Section232));
                }
                if self.measures >= 3 {
                    watched.push(Selector::Authority(Authority::Section301));
                }
                watched
            } else {
                vec![Selector::Layer(format!("answer-{}", i - 1).parse()?)]
            };
            let event = if i == 1 {
                TriggerEvent::StepUp
            } else {
                TriggerEvent::InForce
            };
            let mut rule = RetaliationRule::builder(format!("answer-{i}").parse()?, party, against)
                .on(event)
                .lag_days(30);
            for w in watched {
                rule = rule.watch(w);
            }
            rule = match (i - 1) % 3 {
                0 => rule
                    .rate(ResponseRate::Match)
                    .covers(ResponseGoods::MatchValue)
                    .cap(rate(250)?),
                1 => rule
                    .rate(ResponseRate::Fixed(rate(100)?))
                    .covers(ResponseGoods::List(Goods::hs(prefixes(
                        &mut draw,
                        &Self::codes(side),
                        2,
                        3,
                    )))),
                _ => rule
                    .rate(ResponseRate::Match)
                    .covers(ResponseGoods::Proportion(Share::new(Decimal::new(5, 1))?))
                    .cap(rate(250)?),
            };
            rules.push(rule.build()?);
        }
        Ok(rules)
    }

    /// The outcome tree, or `None` at depth 0.
    ///
    /// # Errors
    /// [`Error::Invalid`] for sizes out of range.
    pub fn outcomes(&self) -> Result<Option<OutcomeTree>> {
        let baselines = self.baselines()?;
        let regime = self.regime_on(&baselines)?;
        self.tree_on(&regime)
    }

    fn tree_on(&self, regime: &Regime) -> Result<Option<OutcomeTree>> {
        if self.depth == 0 {
            return Ok(None);
        }
        let horizon = self.window()?;
        let mut builder = TreeBuilder {
            draw: SplitMix64::new(self.seed, TREE),
            regime,
            horizon,
            depth: self.depth,
            branching: self.branching,
            nodes: 0,
        };
        let state: Vec<Schedule> = regime
            .measures()
            .iter()
            .map(|m| m.schedule().clone())
            .collect();
        let root = builder.node(0, &state)?;
        OutcomeTree::new(root).map(Some)
    }

    /// The prepared baselines and regime (for static exposure).
    ///
    /// # Errors
    /// [`Error::Invalid`] for sizes out of range.
    pub fn prepared(&self) -> Result<Prepared> {
        let baselines = self.baselines()?;
        let regime = self.regime_on(&baselines)?;
        Prepared::new(baselines, regime)
    }

    /// The whole scenario, its differences taken against every measure as scheduled.
    ///
    /// # Errors
    /// [`Error::Invalid`] for sizes out of range.
    pub fn scenario(&self) -> Result<Scenario> {
        let baselines = self.baselines()?;
        let regime = self.regime_on(&baselines)?;
        let rules = self.rules_on(&baselines)?;
        let tree = self.tree_on(&regime)?;
        let horizon = self.window()?;
        let info = ScenarioInfo {
            id: format!("synthetic-{}", self.seed),
            title: format!(
                "Synthetic: {} lines, {} measures, {} leaves",
                self.lines,
                self.measures,
                self.leaves()
            ),
            description: "A generated scenario for benchmarks and tests at scale.".into(),
            assumptions: vec![
                format!(
                    "Every number is drawn from seed {}: lines, values, schedules and branches are not real.",
                    self.seed
                ),
                "Branch probabilities are drawn in thousandths.".into(),
            ],
            sources: Vec::new(),
        };
        let mut b = Scenario::builder(horizon)
            .info(info)
            .baselines(baselines)
            .regime(regime)
            .rules(rules);
        if let Some(t) = tree {
            b = b.tree(t);
        }
        b.build()
    }
}

/// Builds a tree level by level, keeping the schedules each path has
/// reached so every action applies cleanly.
struct TreeBuilder<'a> {
    draw: SplitMix64,
    regime: &'a Regime,
    horizon: Window,
    depth: usize,
    branching: usize,
    nodes: usize,
}

/// The kinds of branch a decision draws from.
#[derive(Debug, Clone, Copy)]
enum Move {
    Cut,
    Raise,
    Postpone,
    Suspend,
    Revoke,
    Impose,
}

impl Move {
    const ALL: [Move; 6] = [
        Move::Cut,
        Move::Raise,
        Move::Postpone,
        Move::Suspend,
        Move::Revoke,
        Move::Impose,
    ];

    fn name(self) -> &'static str {
        match self {
            Move::Cut => "cut",
            Move::Raise => "raise",
            Move::Postpone => "postpone",
            Move::Suspend => "suspend",
            Move::Revoke => "revoke",
            Move::Impose => "impose",
        }
    }

    fn kind(self) -> OutcomeKind {
        match self {
            Move::Cut | Move::Revoke => OutcomeKind::Deal,
            Move::Raise | Move::Impose => OutcomeKind::Escalation,
            Move::Postpone => OutcomeKind::Postponement,
            Move::Suspend => OutcomeKind::Truce,
        }
    }
}

impl TreeBuilder<'_> {
    /// The date of decisions at `level`: the horizon split evenly.
    fn date(&self, level: usize) -> Result<Date> {
        let gap = self.horizon.days() / (self.depth as i64 + 1);
        plus_days(self.horizon.start(), gap * (level as i64 + 1))
    }

    /// Probabilities in thousandths: positive, summing to exactly 1.
    fn probabilities(&mut self) -> Result<Vec<Probability>> {
        let weights: Vec<u64> = (0..self.branching)
            .map(|_| 1 + self.draw.below(9))
            .collect();
        let total: u64 = weights.iter().sum();
        let mut parts: Vec<u64> = weights.iter().map(|w| 1000 * w / total).collect();
        let rest = 1000 - parts[1..].iter().sum::<u64>();
        parts[0] = rest;
        parts
            .into_iter()
            .map(|p| Probability::new(Decimal::new(p as i64, 3)))
            .collect()
    }

    fn node(&mut self, level: usize, state: &[Schedule]) -> Result<Node> {
        let date = self.date(level)?;
        let id = format!("decision-{}", self.nodes);
        self.nodes += 1;
        let probabilities = self.probabilities()?;
        let mut branches = Vec::with_capacity(self.branching);
        for (j, p) in probabilities.into_iter().enumerate() {
            let mut next = state.to_vec();
            let (label, kind, action, name) = if j == 0 {
                (
                    "Status quo".to_string(),
                    OutcomeKind::StatusQuo,
                    None,
                    "hold",
                )
            } else {
                let m = Move::ALL[self.draw.index(Move::ALL.len())];
                let (action, label, m) = self.action(m, date, &mut next)?;
                (label, m.kind(), Some(action), m.name())
            };
            let mut branch = Branch::new(format!("{name}-{j}").parse()?, label, kind, p);
            if let Some(a) = action {
                branch = branch.with_action(a);
            }
            if level + 1 < self.depth {
                branch = branch.then(self.node(level + 1, &next)?);
            }
            branches.push(branch);
        }
        Ok(Node::new(
            id.parse()?,
            format!("Decision {} at level {}", self.nodes - 1, level + 1),
            date,
            branches,
        ))
    }

    /// Draws an action of kind `m` dated on or after `date`, valid on
    /// `state`, and applies it; falls back to revoking one measure when the
    /// draw cannot apply.
    fn action(
        &mut self,
        m: Move,
        date: Date,
        state: &mut [Schedule],
    ) -> Result<(Action, String, Move)> {
        let measures = self.regime.measures();
        let level_gap = (self.horizon.days() / (self.depth as i64 + 1)).max(1);
        let from = plus_days(date, self.draw.below(level_gap as u64) as i64)?;
        let from = from.min(self.horizon.end().yesterday().unwrap_or(from));
        let target = self.draw.index(measures.len());
        let tid = measures[target].id().clone();
        let by_id = Selector::Measure(tid.clone());
        let current = state[target].scheduled_rate_on(from).as_fraction();
        let ladder = |per_mille: i64| Decimal::new(per_mille, 3);
        let drawn: Option<(Selector, ActionKind, String)> = match m {
            Move::Cut => {
                let to = LADDER
                    .iter()
                    .rev()
                    .map(|r| ladder(*r))
                    .find(|r| *r < current)
                    .unwrap_or(Decimal::ZERO);
                Some((
                    by_id,
                    ActionKind::Cut {
                        from,
                        rate: Rate::from_fraction(to)?,
                        then: Some(AfterEdit::KeepSchedule),
                    },
                    format!("Cut {tid} to {}", Rate::from_fraction(to)?),
                ))
            }
            Move::Raise => {
                let to = LADDER
                    .iter()
                    .map(|r| ladder(*r))
                    .find(|r| *r > current)
                    .unwrap_or(current);
                Some((
                    by_id,
                    ActionKind::Raise {
                        from,
                        rate: Rate::from_fraction(to)?,
                        then: Some(AfterEdit::KeepSchedule),
                    },
                    format!("Raise {tid} to {}", Rate::from_fraction(to)?),
                ))
            }
            Move::Postpone => {
                let steps: Vec<Date> = state[target]
                    .steps()
                    .iter()
                    .map(|s| s.effective())
                    .filter(|d| *d >= date && self.horizon.contains(*d))
                    .collect();
                if steps.is_empty() {
                    None
                } else {
                    let step = steps[self.draw.index(steps.len())];
                    let by = 30 + self.draw.below(90) as i64;
                    Some((
                        by_id,
                        ActionKind::Postpone {
                            step,
                            to: Postponement::ByDays(by),
                            shift_later: true,
                        },
                        format!("Postpone the {step} step of {tid} by {by} days"),
                    ))
                }
            }
            Move::Suspend => {
                let until = plus_days(from, 30 + self.draw.below(150) as i64)?;
                let to = Rate::from_fraction(ladder(LADDER[self.draw.index(3)]))?;
                let all_301 = measures
                    .iter()
                    .filter(|x| x.authority() == Authority::Section301)
                    .count()
                    > 1;
                if all_301 && self.draw.chance(1, 3) {
                    Some((
                        Selector::Authority(Authority::Section301),
                        ActionKind::Suspend {
                            from,
                            until,
                            rate: to,
                        },
                        format!("Suspend Section 301 to {to} from {from} until {until}"),
                    ))
                } else {
                    Some((
                        by_id,
                        ActionKind::Suspend {
                            from,
                            until,
                            rate: to,
                        },
                        format!("Suspend {tid} to {to} from {from} until {until}"),
                    ))
                }
            }
            Move::Revoke => None,
            Move::Impose => {
                let announced: Vec<(usize, Date)> = state
                    .iter()
                    .enumerate()
                    .flat_map(|(i, s)| {
                        s.steps()
                            .iter()
                            .filter(|x| x.status() == StepStatus::Announced)
                            .map(move |x| (i, x.effective()))
                    })
                    .filter(|(_, d)| *d >= date && self.horizon.contains(*d))
                    .collect();
                if announced.is_empty() {
                    None
                } else {
                    let (i, step) = announced[self.draw.index(announced.len())];
                    let id = measures[i].id().clone();
                    Some((
                        Selector::Measure(id.clone()),
                        ActionKind::Impose { step: Some(step) },
                        format!("Impose the threatened {step} step of {id}"),
                    ))
                }
            }
        };
        if let Some((selector, kind, label)) = drawn {
            let action = Action::new(selector, kind);
            if let Some(next) = Self::applied(&action, measures, state) {
                for (i, s) in next {
                    state[i] = s;
                }
                return Ok((action, label, m));
            }
        }
        let action = Action::new(Selector::Measure(tid.clone()), ActionKind::Revoke { from });
        state[target] = state[target].revoke(from);
        Ok((action, format!("Revoke {tid} from {from}"), Move::Revoke))
    }

    /// The schedules `action` leaves on the measures it picks, or `None` when
    /// it does not apply to one of them.
    fn applied(
        action: &Action,
        measures: &[Measure],
        state: &[Schedule],
    ) -> Option<Vec<(usize, Schedule)>> {
        let mut out = Vec::new();
        for (i, m) in measures.iter().enumerate() {
            if action.target().matches(m) {
                out.push((i, action.apply(&state[i]).ok()?));
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

/// Evaluates `s` (totals) on one thread, holds each path of it to the
/// path evaluated alone and the evaluation on each count of `threads` to
/// it, and gives it.
#[cfg(all(test, feature = "parallel"))]
pub(crate) fn threads_agree(s: &Scenario, threads: &[usize]) -> crate::Evaluation {
    use crate::Detail;
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| s.evaluate(Detail::Totals).unwrap())
    };
    let serial = run(1);
    for p in serial.paths() {
        assert_eq!(
            &s.evaluate_path(p.id(), Detail::Totals).unwrap(),
            p,
            "path {}",
            p.id()
        );
    }
    for &n in threads {
        assert_eq!(run(n), serial, "{n} threads");
    }
    serial
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::engine::Detail;
    use crate::units::{ACCRUAL_DENOMINATOR, parse_date};

    fn small() -> Synthetic {
        Synthetic::new(11)
            .lines(300)
            .measures(6)
            .steps(4)
            .tree(2, 4)
    }

    #[test]
    fn the_same_seed_gives_the_same_scenario() {
        let a = small().scenario().unwrap();
        assert_eq!(a, small().scenario().unwrap());
        let other = Synthetic::new(12)
            .lines(300)
            .measures(6)
            .steps(4)
            .tree(2, 4);
        assert_ne!(a.baselines(), other.scenario().unwrap().baselines());
        // The tree is drawn from its own stream: a deeper tree keeps the
        // lines and measures.
        let deeper = Synthetic::new(11)
            .lines(300)
            .measures(6)
            .steps(4)
            .tree(3, 2)
            .scenario()
            .unwrap();
        assert_eq!(a.baselines(), deeper.baselines());
        assert_eq!(a.regime(), deeper.regime());
    }

    #[test]
    fn sizes_are_honoured() {
        let s = small().scenario().unwrap();
        let baskets = s.baselines()[0].baskets();
        // 300 lines asked for.
        assert_eq!(baskets.len(), 300);
        let codes: Vec<HsCode> = baskets.iter().map(|b| *b.key().hs().unwrap()).collect();
        assert!(codes.iter().all(|c| c.len() == 10));
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "distinct and ascending"
        );
        for b in baskets {
            let v = b.values()[0];
            // Whole cents, from $1,000 (100,000 cents) to below $100M.
            assert_eq!(v.scale(), 2);
            assert!(
                v >= Decimal::from(1_000) && v < Decimal::from(100_000_000),
                "{v}"
            );
        }
        let ids: Vec<&str> = s
            .regime()
            .measures()
            .iter()
            .map(|m| m.id().as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "reciprocal",
                "section-232",
                "list-1",
                "list-2",
                "list-3",
                "list-4"
            ]
        );
        assert!(s.regime().measures()[0].coverage().goods().is_all());
        let depths: std::collections::BTreeSet<usize> = s.regime().measures()[2..]
            .iter()
            .flat_map(|m| m.coverage().goods().hs_prefixes().iter().map(HsCode::len))
            .collect();
        assert_eq!(depths.into_iter().collect::<Vec<_>>(), [2, 4, 6, 8, 10]);
        assert!(
            s.regime()
                .measures()
                .iter()
                .all(|m| m.schedule().steps().len() == 4)
        );
        let kinds: Vec<&str> = s
            .regime()
            .stacking()
            .iter()
            .map(|r| match r.stacking() {
                Stacking::Exclusive { .. } => "exclusive",
                Stacking::Highest { .. } => "highest",
                Stacking::Exempt { .. } => "exempt",
            })
            .collect();
        assert_eq!(kinds, ["exclusive", "highest"]);
        // 4 × 4 leaves whose probabilities add up to exactly 1.
        assert_eq!(s.tree().paths().len(), 16);
        let total: Decimal = s.tree().paths().iter().map(|p| p.probability()).sum();
        assert_eq!(total, Decimal::ONE);
        assert_eq!(small().leaves(), 16);
    }

    #[test]
    fn sizes_out_of_range_are_refused() {
        let e = Synthetic::new(1).lines(0).scenario().unwrap_err();
        assert_eq!(
            e.to_string(),
            "synthetic scenario: the number of lines is 0; use 1 to 1000000"
        );
        let e = Synthetic::new(1).measures(201).regime().unwrap_err();
        assert_eq!(
            e.to_string(),
            "synthetic scenario: the number of measures is 201; use 1 to 200"
        );
        // 10^6 leaves, above the tree limit of 100,000.
        let e = Synthetic::new(1).tree(6, 10).scenario().unwrap_err();
        assert_eq!(
            e.to_string(),
            "synthetic scenario: the number of leaves is 1000000; use at most 100000 (fewer levels or branches)"
        );
        let month = Window::new(
            parse_date("2019-01-01").unwrap(),
            parse_date("2019-02-01").unwrap(),
        )
        .unwrap();
        let e = Synthetic::new(1).horizon(month).scenario().unwrap_err();
        assert_eq!(
            e.to_string(),
            "synthetic scenario: the horizon 2019-01-01..2019-02-01 has 31 days; these sizes need at least 60"
        );
    }

    /// The engine's duty per basket, per measure and month, and per side
    /// equals the sum over days of each basket's daily value times each rate
    /// `rates_on` gives that day, to the unit.
    #[test]
    fn the_engine_matches_a_day_by_day_sum() {
        let year = Window::year(2019).unwrap();
        let sizes = Synthetic::new(5).lines(120).measures(6).horizon(year);
        let prepared = sizes.prepared().unwrap();
        let exposure = prepared.exposure(year, Detail::Baskets).unwrap();
        let side = exposure.side("US", "CN").unwrap();
        let n = side.measures().len();
        let index: BTreeMap<&str, usize> = side
            .measures()
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id().as_str(), i))
            .collect();
        let baseline = &prepared.baselines()[0];
        let mut nonzero = 0;
        let mut months = vec![vec![Decimal::ZERO; 12]; n];
        for (basket, got) in baseline.baskets().iter().zip(side.baskets()) {
            // 2019 has 365 days: a day's value is value × (denominator / 365) units.
            let daily = basket.values()[0] * Decimal::from(ACCRUAL_DENOMINATOR / 365);
            let mut want = vec![Decimal::ZERO; n];
            let mut day = year.start();
            while day < year.end() {
                for (id, r) in prepared.rates_on(("US", "CN"), basket.key(), day).unwrap() {
                    let i = index[id.as_str()];
                    want[i] += daily * r.as_fraction();
                    months[i][usize::try_from(day.month() - 1).unwrap()] += daily * r.as_fraction();
                }
                day = day.tomorrow().unwrap();
            }
            let got: Vec<Decimal> = got.by_measure().iter().map(|a| a.units()).collect();
            assert_eq!(got, want, "basket {}", basket.key());
            nonzero += usize::from(want.iter().any(|x| !x.is_zero()));
        }
        // Every good pays the reciprocal layer on some day.
        assert_eq!(nonzero, 120);
        let totals = prepared.exposure(year, Detail::Totals).unwrap();
        let totals = totals.side("US", "CN").unwrap();
        assert_eq!(totals.measures(), side.measures());
        for (m, want) in totals.measures().iter().zip(&months) {
            let got: Vec<Decimal> = m.by_month().iter().map(|a| a.units()).collect();
            assert_eq!(&got, want, "measure {}", m.id());
            assert_eq!(m.gross().units(), want.iter().sum::<Decimal>());
        }
        let by_month: Vec<Decimal> = (0..12).map(|k| months.iter().map(|m| m[k]).sum()).collect();
        let got: Vec<Decimal> = totals.by_month().iter().map(|a| a.units()).collect();
        assert_eq!(got, by_month);
        assert_eq!(totals.gross().units(), by_month.iter().sum::<Decimal>());
    }

    /// Each path evaluated alone gives what the whole tree gives it: shared
    /// work changes nothing.
    #[test]
    fn every_path_alone_equals_the_tree() {
        let s = small().scenario().unwrap();
        let all = s.evaluate(Detail::Totals).unwrap();
        for p in all.paths() {
            assert_eq!(
                &s.evaluate_path(p.id(), Detail::Totals).unwrap(),
                p,
                "path {}",
                p.id()
            );
        }
    }

    /// Any number of threads gives the serial result, on a tree with
    /// enough leaves (64, with two retaliation rules) for its paths to be
    /// put together while others are gathered; and each path is what it
    /// is evaluated alone, in a cache of its own.
    #[cfg(feature = "parallel")]
    #[test]
    fn threads_do_not_change_results() {
        let s = Synthetic::new(11)
            .lines(300)
            .measures(6)
            .steps(4)
            .tree(3, 4)
            .retaliation(2)
            .scenario()
            .unwrap();
        let serial = threads_agree(&s, &[2, 5]);
        assert_eq!(serial.paths().len(), 64);
    }

    #[test]
    fn chained_retaliation_settles_within_the_import_base() {
        let sizes = Synthetic::new(3)
            .lines(400)
            .measures(5)
            .tree(1, 3)
            .retaliation(4);
        let s = sizes.scenario().unwrap();
        // Four rules, three earlier answers for the layers they watch.
        assert_eq!(s.retaliation().len(), 4);
        assert_eq!(s.regime().measures().len(), 5 + 3);
        let eval = s.evaluate(Detail::Totals).unwrap();
        let notes = eval.reference().answers();
        for rule in ["answer-1", "answer-2", "answer-3", "answer-4"] {
            assert!(
                notes.iter().any(|n| n.rule.as_str() == rule),
                "{rule} answers"
            );
        }
        // China's value-matched answers never cover more than it imports.
        let imports: Decimal = s.baselines()[1]
            .baskets()
            .iter()
            .map(|b| b.values()[0])
            .sum();
        let covered: Decimal = notes
            .iter()
            .filter(|n| n.rule.as_str() == "answer-1")
            .filter_map(|n| n.covered)
            .sum();
        assert!(covered <= imports, "{covered} > {imports}");
        for n in notes.iter().filter(|n| n.covered.is_some()) {
            assert!(n.covered <= n.requested);
        }
    }
}
