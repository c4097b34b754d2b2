//! The report made from an evaluation: each figure exact, each distinct
//! figure divided once.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::sync::Arc;

use super::{
    AnswerReport, BaseReport, CommitmentReport, DecisionReport, DiagnosticReport,
    DistributionReport, EvaluationReport, MeasureAmount, MeasureReport, OriginReport, PathReport,
    ScenarioReport, SideReport, SideSummary, VoidedReport,
};
use crate::engine::{
    BaseExposure, Basis, Distribution, Evaluation, MeasureExposure, PathOutcome, Scenario,
    SideExposure, Valuation,
};
use crate::error::{Error, Result};
use crate::retaliation::AnswerNote;
use crate::units::{Accrued, Currency, Window, days_between};

/// An exact amount as a plain decimal, trailing zeros dropped.
fn exact(a: Accrued) -> Decimal {
    a.amount().normalize()
}

/// [`exact`] for every figure of a report's paths, each distinct figure
/// divided once, and each measure's report made once for as long as the
/// paths repeat its exposure: the paths of a tree repeat the figures of the
/// measures they do not change, and the division is most of the cost of a
/// report.
#[derive(Default)]
struct Exact {
    seen: FxHashMap<[u8; 16], Decimal>,
    /// Per side (by position) and measure (by position): the last exposure
    /// reported and its report.
    last: Vec<Vec<Option<Reported>>>,
    /// Per side (by position): the last imports by month reported, and
    /// their amounts; the paths of a scenario share their imports.
    imports: Vec<Option<(Vec<Accrued>, Vec<Decimal>)>>,
}

/// A measure's exposure and the report made of it.
type Reported = (MeasureExposure, Arc<MeasureReport>);

impl Exact {
    /// The most figures remembered: past these, figures are divided anew.
    const REMEMBERED: usize = 1 << 12;

    fn of(&mut self, a: Accrued) -> Decimal {
        let units = a.units();
        // (0 / d).normalize() is zero, positive and of scale 0.
        if units.is_zero() {
            return Decimal::ZERO;
        }
        let key = units.serialize();
        if let Some(d) = self.seen.get(&key) {
            return *d;
        }
        let d = exact(a);
        if self.seen.len() < Self::REMEMBERED {
            self.seen.insert(key, d);
        }
        d
    }

    /// The amounts of `months`, a side's imports by month on the side at
    /// `side`: those of the last path when they are the same.
    fn import_months(&mut self, side: usize, months: &[Accrued]) -> Vec<Decimal> {
        if let Some(Some((seen, amounts))) = self.imports.get(side) {
            if seen.as_slice() == months {
                return amounts.clone();
            }
        }
        let amounts: Vec<Decimal> = months.iter().map(|a| self.of(*a)).collect();
        if self.imports.len() <= side {
            self.imports.resize_with(side + 1, || None);
        }
        self.imports[side] = Some((months.to_vec(), amounts.clone()));
        amounts
    }

    /// The report of `m`, the measure at `at` on the side at `side`: the
    /// last one made there when the exposure is the same (a report is a
    /// function of the exposure alone).
    fn measure(&mut self, side: usize, at: usize, m: &MeasureExposure) -> Arc<MeasureReport> {
        if let Some(Some((seen, report))) = self.last.get(side).and_then(|s| s.get(at)) {
            if seen == m {
                return Arc::clone(report);
            }
        }
        let report = Arc::new(measure_report(m, self));
        if self.last.len() <= side {
            self.last.resize_with(side + 1, Vec::new);
        }
        let slots = &mut self.last[side];
        if slots.len() <= at {
            slots.resize_with(at + 1, || None);
        }
        slots[at] = Some((m.clone(), Arc::clone(&report)));
        report
    }
}

impl EvaluationReport {
    /// The report of `evaluation`, an evaluation of `scenario`.
    ///
    /// # Errors
    /// [`Error::Overflow`] when an expectation does not fit.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation) -> Result<EvaluationReport> {
        let info = scenario.info();
        let reference = evaluation.reference();
        let days = evaluation.window().days();
        let years = year_parts(evaluation.window())?;
        let mut x = Exact::default();
        let paths = evaluation
            .paths()
            .iter()
            .map(|p| path_report(p, reference, years, &mut x))
            .collect::<Result<Vec<_>>>()?;
        let mut sides = Vec::new();
        for (importer, exporter) in evaluation.sides() {
            let (i, e) = (importer.as_str(), exporter.as_str());
            let net = evaluation.distribution(i, e, Basis::Net)?;
            let gross = evaluation.distribution(i, e, Basis::Gross)?;
            let expected = evaluation.expected(i, e)?;
            let ref_side = reference.side(i, e)?;
            let path_sides = paths
                .iter()
                .flat_map(|p: &PathReport| &p.sides)
                .filter(|s| s.importer == importer && s.exporter == exporter);
            let complete = path_sides.clone().all(|s| s.complete);
            let nothing_valued = path_sides.clone().count() > 0
                && path_sides.clone().all(SideReport::nothing_valued);
            let mfn = ref_side.base().map(|b| b.duty());
            let expected_all_in = mfn
                .map(|m| expected.net.checked_add(m))
                .transpose()?
                .map(exact);
            sides.push(SideSummary {
                complete,
                nothing_valued,
                mfn: mfn.map(exact),
                expected_all_in,
                currency: ref_side.currency(),
                reference_net: exact(ref_side.net()),
                expected: exact(expected.net),
                expected_gross: exact(expected.gross),
                expected_refundable: exact(expected.refundable),
                expected_change: exact(expected.net.checked_sub(ref_side.net())?),
                expected_effective_rate: expected
                    .net
                    .ratio(ref_side.import_value())
                    .map(|r| r.normalize()),
                net: DistributionReport::of(&net),
                gross: DistributionReport::of(&gross),
                expected_by_measure: evaluation
                    .expected_by_measure(i, e)?
                    .into_iter()
                    .map(|(measure, a)| {
                        let valuation = evaluation
                            .paths()
                            .iter()
                            .find_map(|p| p.side(i, e).ok()?.measure(measure.as_str()))
                            .map_or(Valuation::Valued, |m| m.valuation());
                        MeasureAmount {
                            measure,
                            net: valued(valuation, || exact(a.net)),
                            gross: valued(valuation, || exact(a.gross)),
                            valuation: valuation_name(valuation).to_string(),
                        }
                    })
                    .collect(),
                importer,
                exporter,
            });
        }
        Ok(EvaluationReport {
            scenario: ScenarioReport {
                id: info.id.clone(),
                title: info.title.clone(),
                description: info.description.clone(),
                assumptions: info.assumptions.clone(),
                sources: info.sources.clone(),
            },
            window: evaluation.window(),
            days,
            horizon: evaluation.horizon(),
            months: evaluation.months().to_vec(),
            diagnostics: evaluation
                .diagnostics()
                .into_iter()
                .map(|d| DiagnosticReport {
                    side: d.side.clone(),
                    measure: d.measure.clone(),
                    valuation: valuation_name(d.valuation).to_string(),
                    message: d.to_string(),
                })
                .collect(),
            decisions: scenario
                .tree()
                .nodes()
                .into_iter()
                .map(|n| DecisionReport {
                    node: n.id().clone(),
                    label: n.label().to_string(),
                    date: n.date(),
                })
                .collect(),
            reference: path_report(reference, reference, years, &mut x)?,
            paths,
            sides,
        })
    }
}

impl BaseReport {
    fn of(b: &BaseExposure, x: &mut Exact) -> BaseReport {
        BaseReport {
            source: b.source().to_string(),
            duty: x.of(b.duty()),
            by_month: b.by_month().iter().map(|a| x.of(*a)).collect(),
            fully_valued_lines: b.fully_valued().lines,
            fully_valued_import_value: x.of(b.fully_valued().import_value),
            fully_valued_duty: x.of(b.fully_valued_duty()),
            partly_valued_lines: b.partly_valued().lines,
            partly_valued_import_value: x.of(b.partly_valued().import_value),
            missing_lines: b.missing().lines,
            missing_import_value: x.of(b.missing().import_value),
            missing: b.missing_keys().iter().map(|k| k.to_string()).collect(),
        }
    }
}

impl DistributionReport {
    fn of(d: &Distribution) -> DistributionReport {
        DistributionReport {
            min: exact(d.min),
            p10: exact(d.p10),
            median: exact(d.median),
            p90: exact(d.p90),
            max: exact(d.max),
        }
    }
}

/// The name of a valuation in reports.
fn valuation_name(v: Valuation) -> &'static str {
    match v {
        Valuation::Valued => "valued",
        Valuation::Partly { .. } => "partly-valued",
        Valuation::NotValued { .. } => "not-valued",
        Valuation::CoversNothing => "covers-nothing",
    }
}

/// The days of a 365- and a 366-day year both divide: a day of any year is
/// a whole number of these parts of a year.
const YEAR_PARTS: i64 = 365 * 366;

/// The years a window covers, actual/actual (each day is 1/365 or 1/366 of
/// its calendar year, so a whole leap year is exactly one year), in
/// [`YEAR_PARTS`] of a year.
fn year_parts(window: Window) -> Result<i64> {
    let mut parts = 0i64;
    for y in window.start().year()..=window.end().year() {
        let year = Window::year(y)?;
        let (start, end) = (
            window.start().max(year.start()),
            window.end().min(year.end()),
        );
        if start < end {
            parts += days_between(start, end) * (YEAR_PARTS / year.days());
        }
    }
    Ok(parts.max(1))
}

fn path_report(
    path: &PathOutcome,
    reference: &PathOutcome,
    years: i64,
    x: &mut Exact,
) -> Result<PathReport> {
    let sides = path
        .exposure()
        .sides()
        .iter()
        .enumerate()
        .map(|(position, s)| side_report(s, position, reference, years, x))
        .collect::<Result<Vec<_>>>()?;
    let answers = path
        .answers()
        .iter()
        .map(|a| answer_report(a, path))
        .collect();
    Ok(PathReport {
        id: path.id().to_string(),
        labels: path.labels().to_vec(),
        kinds: path.kinds().to_vec(),
        probability: path.probability().normalize(),
        sides,
        answers,
        voided: path
            .voided()
            .iter()
            .map(|(measure, date)| VoidedReport {
                measure: measure.clone(),
                date: *date,
            })
            .collect(),
        commitments: path
            .commitments()
            .iter()
            .map(|c| CommitmentReport {
                buyer: c.buyer.clone(),
                description: c.description.clone(),
                currency: c.currency,
                accrued: x.of(c.accrued),
            })
            .collect(),
        unvalued: path.exposure().unvalued().to_vec(),
    })
}

fn side_report(
    side: &SideExposure,
    position: usize,
    reference: &PathOutcome,
    years: i64,
    x: &mut Exact,
) -> Result<SideReport> {
    let reference_net = reference
        .side(side.importer().as_str(), side.exporter().as_str())?
        .net();
    let net = x.of(side.net());
    let all_in = side.all_in()?;
    // net × parts per year ÷ parts covered: multiplied first, so the
    // quotient is exact whenever it can be.
    let per_year = net
        .checked_mul(Decimal::from(YEAR_PARTS))
        .and_then(|x| x.checked_div(Decimal::from(years)))
        .ok_or_else(|| Error::overflow("a duty per year"))?
        .normalize();
    Ok(SideReport {
        importer: side.importer().clone(),
        exporter: side.exporter().clone(),
        currency: side.currency(),
        import_value: x.of(side.import_value()),
        net,
        gross: x.of(side.gross()),
        refundable: x.of(side.refundable()),
        refundable_before: x.of(side.refundable_before()),
        refund_interest: side.refund_interest().map(exact),
        net_per_year: per_year,
        effective_rate: side.effective_rate().map(|r| r.normalize()),
        change: x.of(side.net().checked_sub(reference_net)?),
        complete: side.is_complete(),
        import_by_month: x.import_months(position, side.import_by_month()),
        by_month: side.by_month().iter().map(|a| x.of(*a)).collect(),
        measures: side
            .measures()
            .iter()
            .enumerate()
            .map(|(at, m)| x.measure(position, at, m))
            .collect(),
        mfn: side.base().map(|b| BaseReport::of(b, x)),
        all_in: all_in.map(exact),
        all_in_rate: all_in
            .and_then(|a| a.ratio(side.import_value()))
            .map(|r| r.normalize()),
    })
}

/// The report of one measure's exposure.
fn measure_report(m: &MeasureExposure, x: &mut Exact) -> MeasureReport {
    MeasureReport {
        id: m.id().clone(),
        name: m.name().to_string(),
        authority: m.authority(),
        layer: m.layer().clone(),
        origin: m.origin().map(|o| OriginReport {
            rule: o.rule.clone(),
            triggers: o.triggers.clone(),
        }),
        valuation: valuation_name(m.valuation()).to_string(),
        net: valued(m.valuation(), || x.of(m.net())),
        gross: valued(m.valuation(), || x.of(m.gross())),
        refundable: valued(m.valuation(), || x.of(m.refundable())),
        refundable_before: valued(m.valuation(), || x.of(m.refundable_before())),
        refund_interest: m.refund_interest().map(exact),
        by_month: valued(m.valuation(), || {
            m.by_month().iter().map(|a| x.of(*a)).collect()
        }),
    }
}

/// A measure's figure, or `None` when the measure is not valued: its duty is
/// unknown, and a zero would read as a fact.
fn valued<T>(valuation: Valuation, figure: impl FnOnce() -> T) -> Option<T> {
    (!matches!(valuation, Valuation::NotValued { .. })).then(figure)
}

/// An answer with the currency of the side its measure lands on.
fn answer_report(note: &AnswerNote, path: &PathOutcome) -> AnswerReport {
    let sides = path.exposure().sides();
    let currency = sides
        .iter()
        .find(|s| s.measure(note.answer.as_str()).is_some())
        .or(sides.first())
        .map_or(Currency::USD, SideExposure::currency);
    AnswerReport {
        rule: note.rule.clone(),
        answer: note.answer.clone(),
        triggers: note.triggers.to_vec(),
        policy: note.policy.to_string(),
        effective: note.effective,
        rate: note.rate.as_fraction().normalize(),
        peak: note.peak.as_fraction().normalize(),
        currency,
        requested: note.requested.map(|v| v.normalize()),
        covered: note.covered.map(|v| v.normalize()),
    }
}
