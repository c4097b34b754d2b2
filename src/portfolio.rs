//! An importer's own portfolio: SKUs matched to HTS-10 lines and evaluated
//! across an outcome tree.
//!
//! A portfolio CSV has one row per SKU and the columns `sku`, `hts10`,
//! `annual_value_usd` and, optionally, `description`:
//!
//! ```text
//! sku,hts10,annual_value_usd,description
//! LAMP-01,9405114010,1250000,Desk lamp
//! ```
//!
//! Each SKU becomes an item basket ([`BasketKey::Item`]): unique by its SKU,
//! covered by the scenario's measures through its HTS-10 code, so two SKUs
//! under one line are valued apart. [`Portfolio::evaluate`] puts the
//! portfolio in place of one baseline of a scenario (the same regime, tree,
//! horizon and reference) and reports, per SKU and in total, the duty under
//! each outcome, the probability-weighted expectation and the measures that
//! drive it. Amounts stay exact ([`Accrued`]); round them when printing.
//!
//! An SKU whose HTS-10 code is not a line of the baseline it replaces is
//! left out and listed ([`PortfolioExposure::unknown`],
//! [`PortfolioExposure::warning`]): an unknown code is never valued at zero
//! duty without saying so.
//!
//! ```
//! use tariffsim::portfolio::Portfolio;
//! let text = "sku,hts10,annual_value_usd\nPAN-1,7321116000,500000\n";
//! let p = Portfolio::parse("skus.csv", text)?;
//! assert_eq!(p.items()[0].key().to_string(), "PAN-1@7321116000");
//! let bad = Portfolio::parse("skus.csv", "sku,hts10,annual_value_usd\nPAN-1,7321,500000\n").unwrap_err();
//! assert_eq!(
//!     bad.to_string(),
//!     "skus.csv, line 2, field \"hts10\": invalid HTS-10 code \"7321\": write the 10-digit statistical line in digits (dots allowed), e.g. 8471300100"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;

use crate::engine::{Detail, DutyFigures, Evaluation, Scenario, weighted_sum};
use crate::error::{Error, Result, excerpt};
use crate::trade::{Baseline, Basket, BasketKey, Periods};
use crate::units::{Accrued, BasketId, Currency, HsCode, MeasureId, Window, parse_decimal};

/// The columns a portfolio CSV has, in the order they are documented.
pub const COLUMNS: [&str; 4] = ["sku", "hts10", "annual_value_usd", "description"];

/// One SKU of a portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    sku: BasketId,
    hts10: HsCode,
    annual_value: Decimal,
    description: String,
    line: u64,
}

impl Item {
    /// The SKU.
    pub fn sku(&self) -> &BasketId {
        &self.sku
    }

    /// The HTS-10 line it enters under.
    pub fn hts10(&self) -> HsCode {
        self.hts10
    }

    /// Its annual import value in US dollars.
    pub fn annual_value(&self) -> Decimal {
        self.annual_value
    }

    /// Its description, empty when none was given.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The line of the file it was read from (1 is the header).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The basket it becomes: `sku@hts10`.
    pub fn key(&self) -> BasketKey {
        BasketKey::Item(self.sku.clone(), self.hts10)
    }
}

/// An importer's SKUs, as read from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portfolio {
    source: String,
    items: Vec<Item>,
}

impl Portfolio {
    /// Reads a portfolio CSV file row by row, as a regular file within the
    /// default CSV size limit (see [`load::read_portfolio`](crate::load::read_portfolio)
    /// for other limits and the record of the file read).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Refused`] when it
    /// is not a regular file, [`Error::TooLarge`] past the limit; otherwise
    /// as [`Portfolio::parse`].
    pub fn read(path: &Path) -> Result<Portfolio> {
        crate::load::read_portfolio(path, &crate::load::LoadOptions::default()).map(|(p, _)| p)
    }

    /// Reads a portfolio from CSV text; `source` names the file in errors.
    ///
    /// # Errors
    /// Every error names the file and, for a row, its line and field: an
    /// empty file or a header with no rows; a missing or unknown column; an
    /// SKU that is not a valid id; an HTS code that is not 10 digits; a value
    /// that is negative, not a plain decimal, or written with an exponent or
    /// separators; a description with control characters; the same SKU
    /// twice with a different code or value (a row repeated exactly is read
    /// once).
    pub fn parse(source: &str, text: &str) -> Result<Portfolio> {
        Portfolio::from_reader(source, text.as_bytes())
    }

    /// Reads a portfolio from a CSV stream, one row at a time (the text is
    /// never held whole); `source` names the file in errors.
    ///
    /// # Errors
    /// As [`Portfolio::parse`]; a read error of the stream names `source`.
    pub fn from_reader(source: &str, reader: impl std::io::Read) -> Result<Portfolio> {
        let empty = || {
            Error::Invalid(
                "the file is empty: give a header line sku,hts10,annual_value_usd (description optional) and one row per SKU"
                    .into(),
            )
            .at(source)
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(reader);
        let headers = rdr.headers().map_err(|e| Error::csv(source, &e))?.clone();
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(empty());
        }
        for h in &headers {
            if !COLUMNS.contains(&h) {
                return Err(Error::Invalid(format!(
                    "unknown column {}: a portfolio has the columns sku, hts10, annual_value_usd and optionally description",
                    excerpt(h)
                ))
                .at(source));
            }
        }
        let find = |c: &str| headers.iter().position(|h| h == c);
        let column = |c: &str| {
            find(c).ok_or_else(|| {
                Error::Invalid(format!(
                    "no {c:?} column; the header is {}",
                    excerpt(&headers.iter().collect::<Vec<_>>().join(","))
                ))
                .at(source)
            })
        };
        let (sku_col, hts_col, value_col) = (
            column("sku")?,
            column("hts10")?,
            column("annual_value_usd")?,
        );
        let desc_col = find("description");

        let mut items: Vec<Item> = Vec::new();
        let mut seen: HashMap<BasketId, usize> = HashMap::new();
        let mut rec = csv::StringRecord::new();
        while rdr
            .read_record(&mut rec)
            .map_err(|e| Error::csv(source, &e))?
        {
            let line = rec.position().map_or(0, |p| p.line());
            let at = |field: &str| format!("{source}, line {line}, field {field:?}");
            let get = |c: usize| rec.get(c).unwrap_or("");
            let sku = parse_sku(get(sku_col)).map_err(|e| e.at(at("sku")))?;
            let hts10 = parse_hts10(get(hts_col)).map_err(|e| e.at(at("hts10")))?;
            let annual_value = parse_decimal("annual value", get(value_col))
                .map_err(|e| e.at(at("annual_value_usd")))?;
            if annual_value.is_sign_negative() && !annual_value.is_zero() {
                return Err(Error::Negative {
                    what: format!("annual value of SKU {:?}", sku.as_str()),
                    value: annual_value,
                }
                .at(at("annual_value_usd")));
            }
            let description = desc_col.map(get).unwrap_or("").trim();
            if let Some((i, c)) = description
                .chars()
                .enumerate()
                .find(|(_, c)| c.is_control())
            {
                return Err(Error::Invalid(format!(
                    "{} holds the control character U+{:04X} at character {}: remove it (this text is one line)",
                    excerpt(description),
                    u32::from(c),
                    i + 1
                ))
                .at(at("description")));
            }
            if let Some(&i) = seen.get(&sku) {
                let first = &items[i];
                if first.hts10 == hts10 && first.annual_value == annual_value {
                    continue;
                }
                return Err(Error::Invalid(format!(
                    "SKU {:?} is given again with a different HTS-10 code or value (first on line {}): keep one row per SKU",
                    sku.as_str(),
                    first.line
                ))
                .at(format!("{source}, line {line}")));
            }
            seen.insert(sku.clone(), items.len());
            items.push(Item {
                sku,
                hts10,
                annual_value,
                description: description.to_string(),
                line,
            });
        }
        if items.is_empty() {
            return Err(Error::Invalid(
                "the file has a header but no rows: add one row per SKU".into(),
            )
            .at(source));
        }
        Ok(Portfolio {
            source: source.to_string(),
            items,
        })
    }

    /// The file (or name) the portfolio was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The SKUs, in file order (a row repeated exactly appears once).
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Evaluates the portfolio across `scenario`'s outcome tree, in place of
    /// its baseline `importer<-exporter`: the same regime, retaliation rules,
    /// tree, horizon and reference path, with the SKUs as baskets.
    ///
    /// SKUs whose HTS-10 code is not a line of the replaced baseline are left
    /// out of the evaluation and listed in [`PortfolioExposure::unknown`].
    ///
    /// # Errors
    /// [`Error::Unknown`] when the scenario has no such baseline;
    /// [`Error::Invalid`] when no SKU matches a line of it; the errors of
    /// [`crate::ScenarioBuilder::build`] and [`Scenario::evaluate`].
    pub fn evaluate(
        &self,
        scenario: &Scenario,
        importer: &str,
        exporter: &str,
    ) -> Result<PortfolioExposure> {
        let label = format!("{importer}<-{exporter}");
        let bi = scenario
            .baselines()
            .iter()
            .position(|b| b.importer().as_str() == importer && b.exporter().as_str() == exporter)
            .ok_or_else(|| {
                Error::unknown(
                    "baseline",
                    label.clone(),
                    format!(
                        ": scenario {:?} has {}; a portfolio takes the place of one of them",
                        scenario.info().id,
                        scenario
                            .baselines()
                            .iter()
                            .map(Baseline::label)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        let lines = &scenario.baselines()[bi];
        let known: HashSet<HsCode> = lines
            .baskets()
            .iter()
            .filter_map(|b| match b.key() {
                BasketKey::Hs(c) if c.len() == 10 => Some(*c),
                _ => None,
            })
            .collect();
        let (items, unknown): (Vec<Item>, Vec<Item>) = self
            .items
            .iter()
            .cloned()
            .partition(|i| known.contains(&i.hts10));
        if items.is_empty() {
            return Err(Error::Invalid(format!(
                "none of the {} SKUs of {} has an HTS-10 code that is a line of baseline {label}: check the codes ({})",
                unknown.len(),
                self.source,
                unknown
                    .iter()
                    .map(|i| i.hts10.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let baskets = items
            .iter()
            .map(|i| Basket::annual(i.key(), i.description.clone(), i.annual_value))
            .collect();
        let own = Baseline::new(
            lines.importer().clone(),
            lines.exporter().clone(),
            lines.currency(),
            Periods::Annual,
            baskets,
        )?;
        let mut baselines = scenario.baselines().to_vec();
        baselines[bi] = own;
        let id = scenario.info().id.clone();
        // Retaliation still answers what the scenario's own baselines
        // import; only the valuation moves to the portfolio.
        let mine = scenario.revalue(baselines)?;
        let evaluation = mine.evaluate(Detail::Baskets)?;
        PortfolioExposure::new(
            id,
            lines.label(),
            lines.currency(),
            items,
            unknown,
            &evaluation,
            importer,
            exporter,
        )
    }
}

fn parse_sku(text: &str) -> Result<BasketId> {
    let t = text.trim();
    t.parse::<BasketId>().map_err(|_| Error::Parse {
        what: "SKU",
        input: text.to_string(),
        fix: "use 1 to 64 letters, digits or . _ - : /".into(),
    })
}

fn parse_hts10(text: &str) -> Result<HsCode> {
    let digits: String = text.trim().chars().filter(|c| *c != '.').collect();
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Parse {
            what: "HTS-10 code",
            input: text.to_string(),
            fix: "write the 10-digit statistical line in digits (dots allowed), e.g. 8471300100"
                .into(),
        });
    }
    digits.parse()
}

/// One outcome path as the portfolio sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioPath {
    /// The path id (branch ids joined by `/`).
    pub id: String,
    /// The branch labels along the path.
    pub labels: Vec<String>,
    /// The path's probability.
    pub probability: Decimal,
}

/// Duty on an SKU (or on the whole portfolio) across the outcome paths:
/// gross, refundable (collected under an authority a path voids) and net
/// (kept), per path and probability-weighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyAcrossOutcomes {
    import_value: Accrued,
    gross_by_path: Vec<Accrued>,
    refundable_by_path: Vec<Accrued>,
    /// Per path, per measure: (gross, refundable).
    by_measure: Vec<Vec<(Accrued, Accrued)>>,
    expected: DutyFigures,
    expected_by_measure: Vec<DutyFigures>,
}

impl DutyAcrossOutcomes {
    /// The import value accrued over the window.
    pub fn import_value(&self) -> Accrued {
        self.import_value
    }

    /// The gross duty over the window on each path, aligned with
    /// [`PortfolioExposure::paths`].
    pub fn gross_by_path(&self) -> &[Accrued] {
        &self.gross_by_path
    }

    /// The part of each path's duty that is refundable because a ruling
    /// voided its authority.
    pub fn refundable_by_path(&self) -> &[Accrued] {
        &self.refundable_by_path
    }

    /// The duty kept on each path: gross less refundable.
    pub fn net_by_path(&self) -> Vec<Accrued> {
        self.gross_by_path
            .iter()
            .zip(&self.refundable_by_path)
            .map(|(g, r)| Accrued::from_units(g.units() - r.units()))
            .collect()
    }

    /// The probability-weighted expected duty: net, gross, refundable.
    pub fn expected(&self) -> DutyFigures {
        self.expected
    }

    /// The expected duty per measure, aligned with
    /// [`PortfolioExposure::measures`].
    pub fn expected_by_measure(&self) -> &[DutyFigures] {
        &self.expected_by_measure
    }

    fn zero(paths: usize, measures: usize) -> DutyAcrossOutcomes {
        let zero = DutyFigures {
            gross: Accrued::ZERO,
            refundable: Accrued::ZERO,
            net: Accrued::ZERO,
        };
        DutyAcrossOutcomes {
            import_value: Accrued::ZERO,
            gross_by_path: vec![Accrued::ZERO; paths],
            refundable_by_path: vec![Accrued::ZERO; paths],
            by_measure: vec![vec![(Accrued::ZERO, Accrued::ZERO); measures]; paths],
            expected: zero,
            expected_by_measure: vec![zero; measures],
        }
    }

    /// Adds one path's duty per measure (`by_measure[k]` for measure
    /// `measure_index[k]`).
    fn add_path(
        &mut self,
        path: usize,
        by_measure: &[Accrued],
        measure_index: &[usize],
        voided: &[bool],
    ) -> Result<()> {
        for (k, a) in by_measure.iter().enumerate() {
            let m = measure_index[k];
            self.gross_by_path[path] = self.gross_by_path[path].checked_add(*a)?;
            let cell = &mut self.by_measure[path][m];
            cell.0 = cell.0.checked_add(*a)?;
            if voided[k] {
                self.refundable_by_path[path] = self.refundable_by_path[path].checked_add(*a)?;
                cell.1 = cell.1.checked_add(*a)?;
            }
        }
        Ok(())
    }

    /// Works out the expectations from the paths' figures, exactly.
    fn weigh(&mut self, probabilities: &[Decimal]) -> Result<()> {
        let figures = |gross: &dyn Fn(usize) -> Accrued,
                       refundable: &dyn Fn(usize) -> Accrued|
         -> Result<DutyFigures> {
            let w = |f: &dyn Fn(usize) -> Accrued| {
                weighted_sum(
                    probabilities
                        .iter()
                        .enumerate()
                        .map(|(i, p)| Ok((*p, f(i)))),
                )
            };
            Ok(DutyFigures {
                gross: w(gross)?,
                refundable: w(refundable)?,
                net: w(&|i| Accrued::from_units(gross(i).units() - refundable(i).units()))?,
            })
        };
        self.expected = figures(&|i| self.gross_by_path[i], &|i| self.refundable_by_path[i])?;
        self.expected_by_measure = (0..self.expected_by_measure.len())
            .map(|m| figures(&|i| self.by_measure[i][m].0, &|i| self.by_measure[i][m].1))
            .collect::<Result<_>>()?;
        Ok(())
    }
}

/// A portfolio's duty across a scenario's outcomes, per SKU and in total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioExposure {
    scenario: String,
    baseline: String,
    currency: Currency,
    horizon: Window,
    reference: String,
    paths: Vec<PortfolioPath>,
    measures: Vec<MeasureId>,
    items: Vec<(Item, DutyAcrossOutcomes)>,
    total: DutyAcrossOutcomes,
    unknown: Vec<Item>,
}

impl PortfolioExposure {
    #[allow(clippy::too_many_arguments)]
    fn new(
        scenario: String,
        baseline: String,
        currency: Currency,
        items: Vec<Item>,
        unknown: Vec<Item>,
        evaluation: &Evaluation,
        importer: &str,
        exporter: &str,
    ) -> Result<PortfolioExposure> {
        let mut measures: Vec<MeasureId> = Vec::new();
        let mut paths = Vec::with_capacity(evaluation.paths().len());
        for p in evaluation.paths() {
            paths.push(PortfolioPath {
                id: p.id().to_string(),
                labels: p.labels().to_vec(),
                probability: p.probability(),
            });
            if let Some(side) = p.exposure().side(importer, exporter) {
                for m in side.measures() {
                    if !measures.contains(m.id()) {
                        measures.push(m.id().clone());
                    }
                }
            }
        }
        let mut rows: Vec<DutyAcrossOutcomes> =
            vec![DutyAcrossOutcomes::zero(paths.len(), measures.len()); items.len()];
        let mut total = DutyAcrossOutcomes::zero(paths.len(), measures.len());
        for (pi, p) in evaluation.paths().iter().enumerate() {
            let Some(side) = p.exposure().side(importer, exporter) else {
                continue;
            };
            let index: Vec<usize> = side
                .measures()
                .iter()
                .map(|m| measures.iter().position(|x| x == m.id()).unwrap_or(0))
                .collect();
            let voided: Vec<bool> = side
                .measures()
                .iter()
                .map(|m| p.voided().iter().any(|(id, _)| id == m.id()))
                .collect();
            let totals: Vec<Accrued> = side.measures().iter().map(|m| m.gross()).collect();
            total.add_path(pi, &totals, &index, &voided)?;
            total.import_value = side.import_value();
            for (row, b) in rows.iter_mut().zip(side.baskets()) {
                row.add_path(pi, b.by_measure(), &index, &voided)?;
                row.import_value = b.import_value();
            }
        }
        let probabilities: Vec<Decimal> =
            evaluation.paths().iter().map(|p| p.probability()).collect();
        total.weigh(&probabilities)?;
        for r in &mut rows {
            r.weigh(&probabilities)?;
        }
        Ok(PortfolioExposure {
            scenario,
            baseline,
            currency,
            horizon: evaluation.horizon(),
            reference: evaluation.reference().id().to_string(),
            paths,
            measures,
            items: items.into_iter().zip(rows).collect(),
            total,
            unknown,
        })
    }

    /// The scenario's id.
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    /// The baseline the portfolio took the place of, e.g. `US<-CN`.
    pub fn baseline(&self) -> &str {
        &self.baseline
    }

    /// The currency of every amount.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The horizon the duty accrues over.
    pub fn horizon(&self) -> Window {
        self.horizon
    }

    /// The scenario's reference path id.
    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// The outcome paths, in tree order.
    pub fn paths(&self) -> &[PortfolioPath] {
        &self.paths
    }

    /// The measures, in the order the duty per measure is given.
    pub fn measures(&self) -> &[MeasureId] {
        &self.measures
    }

    /// Each evaluated SKU with its duty, in file order.
    pub fn items(&self) -> &[(Item, DutyAcrossOutcomes)] {
        &self.items
    }

    /// The whole portfolio's duty (the SKUs' duties add up to it exactly).
    pub fn total(&self) -> &DutyAcrossOutcomes {
        &self.total
    }

    /// SKUs left out because their HTS-10 code is not a line of the
    /// baseline: not valued, not counted as zero.
    pub fn unknown(&self) -> &[Item] {
        &self.unknown
    }

    /// The measures that carry `duty`'s expected net amount, largest first,
    /// leaving out those that carry nothing.
    pub fn drivers<'a>(&'a self, duty: &DutyAcrossOutcomes) -> Vec<(&'a MeasureId, Accrued)> {
        let mut out: Vec<(&MeasureId, Accrued)> = self
            .measures
            .iter()
            .zip(duty.expected_by_measure())
            .filter(|(_, a)| !a.net.is_zero())
            .map(|(m, a)| (m, a.net))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        out
    }

    /// The warning to print when some SKUs were left out, naming each.
    pub fn warning(&self) -> Option<Warning<'_>> {
        (!self.unknown.is_empty()).then_some(Warning(self))
    }
}

/// The warning that some SKUs match no line of the baseline; its
/// [`Display`](fmt::Display) names each one.
#[derive(Debug, Clone, Copy)]
pub struct Warning<'a>(&'a PortfolioExposure);

impl fmt::Display for Warning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0;
        let n = p.unknown.len();
        write!(
            f,
            "warning: {n} of {} SKUs {} an HTS-10 code that is not a line of baseline {}; {} left out, not valued at zero: ",
            n + p.items.len(),
            if n == 1 { "has" } else { "have" },
            p.baseline,
            if n == 1 { "it is" } else { "they are" }
        )?;
        for (i, item) in p.unknown.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} ({}, line {})", item.sku, item.hts10, item.line)?;
        }
        Ok(())
    }
}
