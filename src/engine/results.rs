//! What an evaluation returns: each path's exposure, and the expectation and
//! distribution across paths.

use num_bigint::BigInt;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::exposure::{Exposure, MeasureExposure, SideExposure, Valuation};
use crate::error::{Error, Result};
use crate::outcome::{Commitment, OutcomeKind};
use crate::retaliation::AnswerNote;
use crate::units::{
    ACCRUAL_DENOMINATOR, Accrued, Currency, Date, MeasureId, Month, Party, TENS, Window,
    checked_product, days_between,
};

/// A commitment as one path carries it: its value accrued within the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentOutcome {
    /// Who buys.
    pub buyer: Party,
    /// What.
    pub description: String,
    /// The currency of the value.
    pub currency: Currency,
    /// The committed value accrued over the window's days within the
    /// commitment's window (annual value over each year's days).
    pub accrued: Accrued,
}

impl CommitmentOutcome {
    pub(crate) fn new(c: &Commitment, window: Window) -> Result<CommitmentOutcome> {
        let mut units = Decimal::ZERO;
        if let Some(w) = c.window().intersect(&window) {
            let mut d = w.start();
            while d < w.end() {
                let next_year = Date::new(d.year() + 1, 1, 1)
                    .unwrap_or(w.end())
                    .min(w.end());
                let per_day = ACCRUAL_DENOMINATOR / i64::from(d.days_in_year());
                units = c
                    .annual_value()
                    .amount()
                    .checked_mul(Decimal::from(per_day))
                    .and_then(|x| x.checked_mul(Decimal::from(days_between(d, next_year))))
                    .and_then(|x| units.checked_add(x))
                    .ok_or_else(|| Error::overflow("a commitment's value"))?;
                d = next_year;
            }
        }
        Ok(CommitmentOutcome {
            buyer: c.buyer().clone(),
            description: c.description().to_string(),
            currency: c.annual_value().currency(),
            accrued: Accrued::from_units(units),
        })
    }
}

/// One path's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathOutcome {
    pub(crate) id: String,
    pub(crate) labels: Vec<String>,
    pub(crate) kinds: Vec<OutcomeKind>,
    pub(crate) probability: Decimal,
    pub(crate) exposure: Exposure,
    pub(crate) answers: std::sync::Arc<[AnswerNote]>,
    pub(crate) commitments: Vec<CommitmentOutcome>,
    pub(crate) voided: Vec<(MeasureId, Date)>,
}

impl PathOutcome {
    /// The path id (branch ids joined by `/`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The branch labels along the path.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The outcome kinds along the path.
    pub fn kinds(&self) -> &[OutcomeKind] {
        &self.kinds
    }

    /// The path's probability (exact product of its branches').
    pub fn probability(&self) -> Decimal {
        self.probability
    }

    /// The exposure on this path.
    pub fn exposure(&self) -> &Exposure {
        &self.exposure
    }

    /// The side `importer<-exporter` on this path.
    ///
    /// # Errors
    /// [`Error::Unknown`] naming the sides there are.
    pub fn side(&self, importer: &str, exporter: &str) -> Result<&SideExposure> {
        self.exposure.side_or_err(importer, exporter)
    }

    /// The retaliation answers made on this path, by first day.
    pub fn answers(&self) -> &[AnswerNote] {
        &self.answers
    }

    /// The non-tariff commitments on this path.
    pub fn commitments(&self) -> &[CommitmentOutcome] {
        &self.commitments
    }

    /// Measures voided on this path, with the ruling date.
    pub fn voided(&self) -> &[(MeasureId, Date)] {
        &self.voided
    }
}

/// Which duty figure a statistic is taken on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Basis {
    /// Duty kept: gross less refundable (the headline).
    #[default]
    Net,
    /// Duty accrued, refundable included.
    Gross,
    /// The refundable part.
    Refundable,
}

impl Basis {
    /// This figure of a side.
    pub fn of(&self, side: &SideExposure) -> Accrued {
        match self {
            Basis::Net => side.net(),
            Basis::Gross => side.gross(),
            Basis::Refundable => side.refundable(),
        }
    }
}

/// Gross, refundable and net duty together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyFigures {
    /// Duty accrued, refundable included.
    pub gross: Accrued,
    /// The part owed back.
    pub refundable: Accrued,
    /// Duty kept.
    pub net: Accrued,
}

/// The probability-weighted distribution of one side's duty over paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distribution {
    /// The figure it is taken on.
    pub basis: Basis,
    /// The lowest.
    pub min: Accrued,
    /// The 10th percentile.
    pub p10: Accrued,
    /// The median.
    pub median: Accrued,
    /// The 90th percentile.
    pub p90: Accrued,
    /// The highest.
    pub max: Accrued,
    /// The probability-weighted mean.
    pub expected: Accrued,
}

/// A diagnostic every evaluation carries: what could not be valued, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The side, `importer<-exporter`.
    pub side: String,
    /// The measure concerned.
    pub measure: MeasureId,
    /// What was found.
    pub valuation: Valuation,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.measure.as_str();
        match self.valuation {
            Valuation::NotValued { baskets } => write!(
                f,
                "{}: measure {m:?} is not valued: the baseline's grain cannot show what it covers in {baskets} basket(s) (named or coarser than its HS codes; for an answer sized on value, what its triggers cover); give the side an HS-level baseline",
                self.side
            ),
            Valuation::Partly { baskets } => write!(
                f,
                "{}: measure {m:?} is partly valued: {baskets} basket(s) are coarser than its HS codes (for an answer sized on value, than its triggers'), so its duty there is not counted",
                self.side
            ),
            Valuation::CoversNothing => write!(
                f,
                "{}: measure {m:?} covers no basket of the baseline",
                self.side
            ),
            Valuation::Valued => write!(f, "{}: measure {m:?} is valued", self.side),
        }
    }
}

/// Every path's result, with expectations and distributions.
///
/// Percentiles are probability-weighted and never interpolated: the q-th
/// percentile is the lowest path figure whose cumulative probability (paths
/// sorted by the figure, ties by path order) reaches q. The expected value
/// is the exact probability-weighted sum, held exactly while it is computed
/// and rounded once, half to even, to the digits a Decimal holds — never
/// kept within the paths' range by anything but arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub(crate) window: Window,
    pub(crate) horizon: Window,
    pub(crate) months: Vec<Month>,
    pub(crate) paths: Vec<PathOutcome>,
    pub(crate) reference: PathOutcome,
    pub(crate) not_valued: Vec<(Party, Party)>,
}

impl Evaluation {
    /// The window `[start, end)` every figure covers.
    pub fn window(&self) -> Window {
        self.window
    }

    /// The scenario's horizon (the window, unless a report narrowed it).
    pub fn horizon(&self) -> Window {
        self.horizon
    }

    /// The months of the window.
    pub fn months(&self) -> &[Month] {
        &self.months
    }

    /// Every path, in tree order.
    pub fn paths(&self) -> &[PathOutcome] {
        &self.paths
    }

    /// The reference: the named reference path, or
    /// [`AS_SCHEDULED`](super::AS_SCHEDULED) (every measure as scheduled,
    /// probability 0).
    pub fn reference(&self) -> &PathOutcome {
        &self.reference
    }

    /// The path with id `id`.
    pub fn path(&self, id: &str) -> Option<&PathOutcome> {
        self.paths.iter().find(|p| p.id == id)
    }

    /// The sides, as `(importer, exporter)`, in baseline order.
    pub fn sides(&self) -> Vec<(Party, Party)> {
        self.reference
            .exposure
            .sides()
            .iter()
            .map(|s| (s.importer().clone(), s.exporter().clone()))
            .collect()
    }

    /// Directions the scenario declared not valued (no baseline).
    pub fn not_valued(&self) -> &[(Party, Party)] {
        &self.not_valued
    }

    /// What could not be valued, per side and measure, across every path.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = Vec::new();
        for p in std::iter::once(&self.reference).chain(&self.paths) {
            for s in p.exposure.sides() {
                for m in s.measures() {
                    if m.valuation() == Valuation::Valued {
                        continue;
                    }
                    let d = Diagnostic {
                        side: s.label(),
                        measure: m.id().clone(),
                        valuation: m.valuation(),
                    };
                    if !out.contains(&d) {
                        out.push(d);
                    }
                }
            }
        }
        out
    }

    fn check_side(&self, importer: &str, exporter: &str) -> Result<()> {
        self.reference.side(importer, exporter).map(|_| ())
    }

    fn figures<'a>(
        &'a self,
        importer: &'a str,
        exporter: &'a str,
        basis: Basis,
    ) -> impl Iterator<Item = Result<(Decimal, Accrued)>> + 'a {
        self.paths.iter().map(move |p| {
            p.side(importer, exporter)
                .map(|s| (p.probability, basis.of(s)))
        })
    }

    /// The probability-weighted expected duty on a side: net, gross and
    /// refundable.
    ///
    /// # Errors
    /// [`Error::Unknown`] for a side no baseline has (naming those there
    /// are); [`Error::Overflow`] when the mean does not fit a Decimal.
    pub fn expected(&self, importer: &str, exporter: &str) -> Result<DutyFigures> {
        self.check_side(importer, exporter)?;
        let e = |b| weighted_sum(self.figures(importer, exporter, b));
        Ok(DutyFigures {
            gross: e(Basis::Gross)?,
            refundable: e(Basis::Refundable)?,
            net: e(Basis::Net)?,
        })
    }

    /// The probability-weighted expected gross duty of each measure on a
    /// side, in order of first appearance across paths.
    ///
    /// # Errors
    /// As [`Evaluation::expected`].
    pub fn expected_by_measure(
        &self,
        importer: &str,
        exporter: &str,
    ) -> Result<Vec<(MeasureId, DutyFigures)>> {
        self.check_side(importer, exporter)?;
        // Each path's measures indexed once: `at[path][k]` is where the
        // k-th id sits among that path's measures (paths usually list the
        // same measures in the same order, but need not).
        let mut ids: Vec<MeasureId> = Vec::new();
        let mut known: FxHashMap<&str, usize> = FxHashMap::default();
        let mut at: Vec<PathMeasures<'_>> = Vec::with_capacity(self.paths.len());
        for p in &self.paths {
            let measures = p.side(importer, exporter)?.measures();
            let mut slots = vec![None; ids.len()];
            for (j, m) in measures.iter().enumerate() {
                // The k-th id at the k-th place, the usual case, is found
                // without hashing it.
                let k = match ids.get(j) {
                    Some(id) if id == m.id() => j,
                    _ => *known.entry(m.id().as_str()).or_insert_with(|| {
                        ids.push(m.id().clone());
                        ids.len() - 1
                    }),
                };
                if k >= slots.len() {
                    slots.resize(k + 1, None);
                }
                // The first measure of an id on a path, as `measure(id)` finds.
                if slots[k].is_none() {
                    slots[k] = Some(j);
                }
            }
            at.push((p.probability, measures, slots));
        }
        // Per measure, its three figures on every path, in one walk.
        let mut terms: [Vec<(Decimal, Decimal)>; 3] = Default::default();
        ids.into_iter()
            .enumerate()
            .map(|(k, id)| {
                terms.iter_mut().for_each(Vec::clear);
                let mut before: Option<&MeasureExposure> = None;
                for (probability, measures, slots) in &at {
                    let m = slots.get(k).copied().flatten().map(|j| &measures[j]);
                    // The measure as on the path before: its figures repeat.
                    let repeats = matches!((before, m), (Some(b), Some(m)) if m.repeats(b));
                    if !(repeats && merge_weight(&mut terms, *probability)) {
                        let figures =
                            m.map_or([Accrued::ZERO; 3], |m| [m.gross(), m.refundable(), m.net()]);
                        push_terms(&mut terms, *probability, figures.map(|f| f.units()));
                    }
                    before = m;
                }
                let figures = DutyFigures {
                    gross: weighted_sum_of(&terms[0])?,
                    refundable: weighted_sum_of(&terms[1])?,
                    net: weighted_sum_of(&terms[2])?,
                };
                Ok((id, figures))
            })
            .collect()
    }

    /// The distribution of a side's duty over paths, on `basis`.
    ///
    /// # Errors
    /// As [`Evaluation::expected`].
    pub fn distribution(
        &self,
        importer: &str,
        exporter: &str,
        basis: Basis,
    ) -> Result<Distribution> {
        self.check_side(importer, exporter)?;
        let mut totals: Vec<(Accrued, usize)> = Vec::with_capacity(self.paths.len());
        for (i, p) in self.paths.iter().enumerate() {
            totals.push((basis.of(p.side(importer, exporter)?), i));
        }
        // By amount, then by path: the order `sort` gives, with amounts
        // compared on their mantissas (`Decimal`'s comparison rescales
        // first, and was most of the cost of a report's distributions).
        totals.sort_unstable_by(|(a, i), (b, j)| {
            crate::units::exact_cmp(&a.units(), &b.units()).then(i.cmp(j))
        });
        let quantile = |q: Decimal| -> Accrued {
            let mut cum = Decimal::ZERO;
            for (t, i) in &totals {
                cum += self.paths[*i].probability;
                if cum >= q {
                    return *t;
                }
            }
            totals.last().map_or(Accrued::ZERO, |x| x.0)
        };
        Ok(Distribution {
            basis,
            min: totals.first().map_or(Accrued::ZERO, |x| x.0),
            p10: quantile(Decimal::new(1, 1)),
            median: quantile(Decimal::new(5, 1)),
            p90: quantile(Decimal::new(9, 1)),
            max: totals.last().map_or(Accrued::ZERO, |x| x.0),
            expected: weighted_sum(self.figures(importer, exporter, basis))?,
        })
    }

    /// A path's net duty on a side minus the reference's.
    ///
    /// # Errors
    /// As [`Evaluation::expected`].
    pub fn difference(
        &self,
        path: &PathOutcome,
        importer: &str,
        exporter: &str,
    ) -> Result<Accrued> {
        path.side(importer, exporter)?
            .net()
            .checked_sub(self.reference.side(importer, exporter)?.net())
    }

    /// The sum of path probabilities (exactly 1 for a valid tree).
    pub fn probability_sum(&self) -> Decimal {
        self.paths.iter().map(|p| p.probability).sum()
    }
}

/// A path's probability, its measures on a side, and where each measure id
/// of the side sits among them (`None` where the path has no such measure).
type PathMeasures<'a> = (Decimal, &'a [MeasureExposure], Vec<Option<usize>>);

/// `Σ p × x` exactly, rounded once (half to even) to the digits a Decimal
/// holds.
///
/// # Errors
/// An item's error; [`Error::Overflow`] when the sum is too large for a
/// Decimal.
pub(crate) fn weighted_sum(
    items: impl IntoIterator<Item = Result<(Decimal, Accrued)>>,
) -> Result<Accrued> {
    let mut pairs: Vec<(Decimal, Decimal)> = Vec::new();
    for item in items {
        let (p, x) = item?;
        pairs.push((p, x.units()));
    }
    weighted_sum_of(&pairs)
}

/// [`weighted_sum`] of `(p, x)` pairs, `x` in accrual units.
///
/// # Errors
/// [`Error::Overflow`] when the sum is too large for a Decimal.
fn weighted_sum_of(pairs: &[(Decimal, Decimal)]) -> Result<Accrued> {
    // Each product m_p·m_x / 10^(s_p+s_x); bring all to the largest scale.
    let scale = pairs
        .iter()
        .map(|(p, x)| p.scale() + x.scale())
        .max()
        .unwrap_or(0);
    // The same integer sum in i128 while it fits, else in BigInt.
    let small = pairs.iter().try_fold(0i128, |n, (p, x)| {
        let s = p.scale() + x.scale();
        let product = checked_product(p.mantissa(), x.mantissa())?;
        checked_product(*TENS.get((scale - s) as usize)?, product)?.checked_add(n)
    });
    let n = small.map_or_else(
        || {
            let ten = BigInt::from(10u8);
            pairs.iter().fold(BigInt::from(0u8), |n, (p, x)| {
                let s = p.scale() + x.scale();
                n + BigInt::from(p.mantissa()) * BigInt::from(x.mantissa()) * ten.pow(scale - s)
            })
        },
        BigInt::from,
    );
    decimal_of(n, scale)
        .map(Accrued::from_units)
        .ok_or_else(|| Error::overflow("an expected value"))
}

/// Adds the terms `p × x` for each figure `x` of `xs` to the sums of
/// `terms` (one for each figure, for [`weighted_sum_of`]): into their
/// last terms when those have the same figures (scale and mantissa), as
/// `(p₁ + p₂) × x`, and otherwise as terms of their own. The paths of a
/// tree repeat most measures' figures, so most terms merge. A merged term
/// is `p₁ × x + p₂ × x` exactly, and its scale is the larger of the two,
/// so the sum is the same to the bit; where the weights' sum would not be
/// exact (or a zero of a larger scale would be lost) the terms stay apart.
/// The sums of `terms` hold one weight at each place.
fn push_terms<const N: usize>(
    terms: &mut [Vec<(Decimal, Decimal)>; N],
    p: Decimal,
    xs: [Decimal; N],
) {
    let same = |(_, y): &(Decimal, Decimal), x: &Decimal| {
        y.scale() == x.scale() && y.mantissa() == x.mantissa()
    };
    let repeated = terms
        .iter()
        .zip(&xs)
        .all(|(t, x)| t.last().is_some_and(|term| same(term, x)));
    if !(repeated && merge_weight(terms, p)) {
        for (t, x) in terms.iter_mut().zip(xs) {
            t.push((p, x));
        }
    }
}

/// Adds the weight `p` to the last terms of `terms`, whose figures `p`
/// weighs again, as [`push_terms`] merges them: `true` when it did, `false`
/// (nothing changed) when there is no term or the weights' sum would not be
/// exact at the larger of their scales.
fn merge_weight<const N: usize>(terms: &mut [Vec<(Decimal, Decimal)>; N], p: Decimal) -> bool {
    let Some(&(q, _)) = terms.first().and_then(|t| t.last()) else {
        return false;
    };
    let scale = q.scale().max(p.scale());
    let Some(sum) = crate::units::exact_add(q, p).filter(|sum| sum.scale() == scale) else {
        return false;
    };
    for term in terms.iter_mut().filter_map(|t| t.last_mut()) {
        term.0 = sum;
    }
    true
}

/// `n / 10^scale` as a Decimal, rounded once half to even when it needs
/// more digits than a Decimal holds; `None` when it is too large.
pub(crate) fn decimal_of(n: BigInt, scale: u32) -> Option<Decimal> {
    let limit = BigInt::from(1u8) << 96u32;
    let ten = BigInt::from(10u8);
    let fits = |m: &BigInt, s: u32| m.magnitude() < limit.magnitude() && s <= 28;
    let mut drop = 0u32;
    loop {
        if drop > scale {
            return None;
        }
        let (m, s) = if drop == 0 {
            (n.clone(), scale)
        } else {
            let d = ten.pow(drop);
            let (q, r) = (&n / &d, &n % &d);
            // Round half to even on the magnitude.
            let twice = r.magnitude() * 2u8;
            let half = d.magnitude();
            let up = twice > *half || (twice == *half && (q.magnitude() % 2u8) == 1u8.into());
            let q = if up {
                if n.sign() == num_bigint::Sign::Minus {
                    q - 1
                } else {
                    q + 1
                }
            } else {
                q
            };
            (q, scale - drop)
        };
        if fits(&m, s) {
            let v = i128::try_from(&m).ok()?;
            return Decimal::try_from_i128_with_scale(v, s).ok();
        }
        drop += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weighted_sum_past_28_digits_is_exact_then_rounded_once() {
        // 0.0387 × 863,834,777,684,575,491,415.5495 + 0.9613 ×
        // 8,432,565,876,548,008,405,122.876 = 8,139,655,983,021,993,551,362.40246445
        // exactly (worked at 80 digits); a Decimal holds 28 significant
        // digits, so the one rounding gives …362.402464. Rounding each
        // product first, then the sum, gives …362.402465.
        let a = Accrued::from_units("863834777684575491415.5495".parse().unwrap());
        let b = Accrued::from_units("8432565876548008405122.876".parse().unwrap());
        let p: Decimal = "0.0387".parse().unwrap();
        let exact = weighted_sum([Ok((p, a)), Ok((Decimal::ONE - p, b))]).unwrap();
        assert_eq!(
            exact.units(),
            "8139655983021993551362.402464".parse::<Decimal>().unwrap()
        );
        let twice_rounded = p * a.units() + (Decimal::ONE - p) * b.units();
        assert_eq!(
            twice_rounded,
            "8139655983021993551362.402465".parse::<Decimal>().unwrap()
        );
    }

    #[test]
    fn rounding_is_half_to_even() {
        // 25 / 10 = 2.5 at scale 1 fits; 1/10^29 does not fit and rounds to
        // 0; 15 / 10^29 rounds half to even to 2 / 10^28.
        assert_eq!(decimal_of(BigInt::from(25), 1), Some(Decimal::new(25, 1)));
        assert_eq!(decimal_of(BigInt::from(1), 29), Some(Decimal::ZERO));
        assert_eq!(decimal_of(BigInt::from(15), 29), Some(Decimal::new(2, 28)));
        assert_eq!(decimal_of(BigInt::from(25), 29), Some(Decimal::new(2, 28)));
        assert_eq!(
            decimal_of(BigInt::from(-35), 29),
            Some(Decimal::new(-4, 28))
        );
    }

    #[test]
    fn repeated_figures_merge_into_one_term() {
        let d = |s: &str| s.parse::<Decimal>().expect("a literal");
        // 0.25 and 0.50 on 1.5 (and 0 beside it) merge: 0.75 on each.
        let mut terms: [Vec<(Decimal, Decimal)>; 2] = Default::default();
        push_terms(&mut terms, d("0.25"), [d("1.5"), d("0")]);
        push_terms(&mut terms, d("0.50"), [d("1.5"), d("0")]);
        assert_eq!(terms[0], vec![(d("0.75"), d("1.5"))]);
        assert_eq!(terms[1], vec![(d("0.75"), d("0"))]);
        // 1.50 is 1.5 written longer: another figure's bits, a term apart.
        push_terms(&mut terms, d("0.25"), [d("1.50"), d("0")]);
        assert_eq!(terms[0].len(), 2);
        // A weight of another scale merges at the larger scale: 0.25 +
        // 0.125 = 0.375; a zero weight of a larger scale stays apart.
        push_terms(&mut terms, d("0.125"), [d("1.50"), d("0")]);
        assert_eq!(terms[0][1].0.to_string(), "0.375");
        push_terms(&mut terms, d("0.0000"), [d("1.50"), d("0")]);
        assert_eq!(terms[0].len(), 3);
        // The weight adds to the last terms without a look at the figures.
        assert!(merge_weight(&mut terms, d("0.0001")));
        assert_eq!(terms[1][2].0.to_string(), "0.0001");
        assert!(!merge_weight(&mut [Vec::new()], d("0.5")));
    }

    proptest::proptest! {
        /// Terms merged as they are added give the weighted sum of the
        /// terms apart, to the bit: figures drawn from a few (so they
        /// repeat, zeros of both signs and other scales among them),
        /// weights of any scale, zeros included, and weights whose sum
        /// passes 96 bits.
        #[test]
        fn merged_terms_sum_as_the_terms_apart(
            items in proptest::collection::vec(
                (
                    (
                        proptest::prop_oneof![
                            proptest::strategy::Just(0i128),
                            0i128..=10_000_000_000,
                            // Two of these pass 96 bits: their sum rounds.
                            ((1i128 << 95) - 1000)..(1i128 << 96),
                        ],
                        0u32..=12,
                    ),
                    proptest::sample::select(vec![
                        (0i128, 0u32), (0, 3), (-0, 5), (7, 0), (70, 1), (7, 0),
                        (-1234567, 4), ((1i128 << 96) - 1, 2), (123456789012345678901234567, 28),
                    ]),
                    proptest::bool::ANY,
                ),
                0..40,
            )
        ) {
            let mut apart = Vec::new();
            let mut merged = [Vec::new()];
            for ((pm, ps), (xm, xs), negative_zero) in &items {
                let mut x = Decimal::from_i128_with_scale(*xm, *xs);
                if *negative_zero && x.is_zero() {
                    x.set_sign_negative(true);
                }
                let p = Decimal::from_i128_with_scale(*pm, *ps);
                apart.push((p, x));
                push_terms(&mut merged, p, [x]);
            }
            let bits = |terms: &[(Decimal, Decimal)]| weighted_sum_of(terms).ok().map(|a| a.units().serialize());
            proptest::prop_assert_eq!(bits(&merged[0]), bits(&apart));
            proptest::prop_assert!(merged[0].len() <= apart.len());
        }
    }

    proptest::proptest! {
        /// A weighted sum is the sum of every product brought to the
        /// largest scale, worked on `BigInt` alone and rounded once: over
        /// probabilities of up to 10 decimals and figures of any 96-bit
        /// mantissa, sign and scale, so sums pass `i128`.
        #[test]
        fn a_weighted_sum_is_the_sum_at_the_largest_scale(
            items in proptest::collection::vec(
                (
                    (0i64..=10_000_000_000, 0u32..=10),
                    (proptest::prop_oneof![-(1i128 << 96) + 1..(1i128 << 96), -1000i128..1000], 0u32..=28),
                ),
                0..40,
            )
        ) {
            let items: Vec<(Decimal, Accrued)> = items
                .iter()
                .map(|((pm, ps), (xm, xs))| {
                    (Decimal::new(*pm, *ps), Accrued::from_units(Decimal::from_i128_with_scale(*xm, *xs)))
                })
                .collect();
            let scale = items
                .iter()
                .map(|(p, x)| p.scale() + x.units().scale())
                .max()
                .unwrap_or(0);
            let n = items.iter().fold(BigInt::from(0u8), |n, (p, x)| {
                let up = scale - p.scale() - x.units().scale();
                n + BigInt::from(p.mantissa()) * BigInt::from(x.units().mantissa()) * BigInt::from(10u8).pow(up)
            });
            let expected = decimal_of(n, scale).map(|d| d.serialize());
            let got = weighted_sum(items.iter().map(|i| Ok(*i))).ok().map(|a| a.units().serialize());
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
