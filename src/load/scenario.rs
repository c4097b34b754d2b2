//! Scenario files (TOML) and their includes, built into a [`Scenario`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::base_rates::read_base_rates_dto;
use super::baseline::read_baseline_dto;
use super::content::{Contents, content_tables, read_content_shares};
use super::dto::*;
use super::fields::{check_text, date_field, one_line};
use super::hs_list::read_hs_list;
use super::input::{Inputs, Kind, LoadOptions, Opener, show};
use super::regime::{measure, retaliation_rule, stacking_rule};
use super::switches::Switches;
use super::tree::tree;
use crate::engine::{RefundInterest, RefundTerms, Scenario, ScenarioInfo};
use crate::error::{Error, Result, ResultExt, excerpt};
use crate::tariff::{ContentShares, HsList, Regime};
use crate::trade::{ExchangeRates, FxSeries};
use crate::units::{Window, check_id, parse_date, parse_decimal};

/// A scenario with the files it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    scenario: Scenario,
    inputs: Inputs,
}

impl Loaded {
    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Every file read: the scenario, its includes, its CSV files.
    pub fn inputs(&self) -> &Inputs {
        &self.inputs
    }

    /// The scenario and its inputs, apart.
    pub fn into_parts(self) -> (Scenario, Inputs) {
        (self.scenario, self.inputs)
    }
}

/// The longest TOML parser message shown, in characters.
const TOML_MESSAGE_CHARS: usize = 240;

fn parse_toml(name: &str, text: &str) -> Result<FileDto> {
    toml::from_str(text).map_err(|e| {
        // The parser's own rendering quotes the offending line whole; only
        // its message and position are shown.
        let message = one_line(e.message(), TOML_MESSAGE_CHARS);
        let at = e.span().map(|span| {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            (line, column)
        });
        match at {
            Some((line, column)) => {
                Error::Invalid(message).at(format!("{name}, line {line}, column {column}"))
            }
            None => Error::Invalid(message).at(name.to_string()),
        }
    })
}

/// One file of the include walk.
struct Frame {
    /// The path as named (joined onto the including file's folder).
    path: PathBuf,
    dto: FileDto,
    next: usize,
    depth: usize,
}

/// The scenario file and its includes, includes first (each before the file
/// that includes it), walked without recursion.
fn collect(
    opener: &mut Opener<'_>,
    options: &LoadOptions,
    main: PathBuf,
    dto: FileDto,
    seen: &mut HashSet<PathBuf>,
) -> Result<Vec<(PathBuf, FileDto)>> {
    let mut out = Vec::new();
    let mut stack = vec![Frame {
        path: main,
        dto,
        next: 0,
        depth: 0,
    }];
    let mut count = 0usize;
    while let Some(top) = stack.last_mut() {
        let Some(inc) = top.dto.include.get(top.next).cloned() else {
            if let Some(done) = stack.pop() {
                out.push((done.path, done.dto));
            }
            continue;
        };
        top.next += 1;
        let depth = top.depth + 1;
        let ctx = format!("{}, include {}", show(&top.path), excerpt(&inc));
        if depth > options.include_depth_limit() {
            return Err(Error::IncludeLimit {
                what: "nest",
                limit: options.include_depth_limit(),
                option: "max_include_depth",
            }
            .at(ctx));
        }
        count += 1;
        if count > options.include_limit() {
            return Err(Error::IncludeLimit {
                what: "name",
                limit: options.include_limit(),
                option: "max_includes",
            }
            .at(ctx));
        }
        let path = top.path.parent().unwrap_or(Path::new(".")).join(&inc);
        let file = opener
            .open(&path, Kind::Toml)
            .map_err(|e| e.at(ctx.clone()))?;
        if !seen.insert(file.canonical.clone()) {
            return Err(Error::Invalid(format!(
                "{} is included twice (or includes itself): include each file once",
                show(&path)
            ))
            .at(ctx));
        }
        let name = file.name.clone();
        let dto = parse_toml(&name, &file.into_text()?)?;
        stack.push(Frame {
            path,
            dto,
            next: 0,
            depth,
        });
    }
    Ok(out)
}

/// Loads a scenario file, its includes and the CSV files they name, under
/// the default [`LoadOptions`].
///
/// Relative paths in a file are relative to that file's folder.
///
/// # Errors
/// [`Error::Io`] for a missing or unreadable file; [`Error::Refused`],
/// [`Error::TooLarge`] and [`Error::IncludeLimit`] for a file the policy
/// does not read; every other error wrapped with the file, the item
/// (measure, node, branch, action, line) and the field it comes from.
///
/// ```
/// let s = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// assert_eq!(s.info().id, "g20-2018");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_scenario(path: &Path) -> Result<Scenario> {
    load_scenario_with(path, &LoadOptions::default()).map(|l| l.scenario)
}

/// Loads a scenario file under `options`, with the record of every file it
/// read (to check outputs against: [`write_outputs`](super::write_outputs)).
///
/// # Errors
/// As [`load_scenario`].
///
/// ```
/// use tariffsim::load::{LoadOptions, load_scenario_with};
/// let loaded = load_scenario_with("data/scenarios/g20-2018.toml".as_ref(), &LoadOptions::new())?;
/// let names: Vec<_> = loaded
///     .inputs()
///     .files()
///     .iter()
///     .filter_map(|f| f.path().file_name())
///     .collect();
/// assert_eq!(names[0], "g20-2018.toml");
/// assert!(names.iter().any(|n| *n == "us-china-2018-2019.toml"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_scenario_with(path: &Path, options: &LoadOptions) -> Result<Loaded> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut opener = Opener::new(options, dir);
    let file = opener.open_main(path)?;
    let mut seen = HashSet::from([file.canonical.clone()]);
    let name = file.name.clone();
    let dto = parse_toml(&name, &file.into_text()?)?;
    let files = collect(&mut opener, options, path.to_path_buf(), dto, &mut seen)?;
    let scenario = build(files, &mut opener, options)?;
    Ok(Loaded {
        scenario,
        inputs: opener.into_inputs(),
    })
}

/// Loads a scenario from TOML text under the default [`LoadOptions`];
/// relative paths resolve against `dir`, which is the scenario's folder.
///
/// # Errors
/// As [`load_scenario`].
pub fn parse_scenario(text: &str, dir: &Path) -> Result<Scenario> {
    parse_scenario_with(text, dir, &LoadOptions::default()).map(|l| l.scenario)
}

/// Loads a scenario from TOML text under `options`; relative paths resolve
/// against `dir`, which is the scenario's folder.
///
/// # Errors
/// As [`load_scenario`]; text longer than the TOML limit is refused.
pub fn parse_scenario_with(text: &str, dir: &Path, options: &LoadOptions) -> Result<Loaded> {
    let main = dir.join("<text>");
    if text.len() as u64 > options.toml_limit() {
        return Err(Error::TooLarge {
            path: show(&main),
            kind: "TOML",
            limit: options.toml_limit(),
            option: "max_toml_bytes",
        });
    }
    let dto = parse_toml(&show(&main), text)?;
    let mut opener = Opener::new(options, dir);
    let files = collect(&mut opener, options, main, dto, &mut HashSet::new())?;
    let scenario = build(files, &mut opener, options)?;
    Ok(Loaded {
        scenario,
        inputs: opener.into_inputs(),
    })
}

fn build(
    files: Vec<(PathBuf, FileDto)>,
    opener: &mut Opener<'_>,
    options: &LoadOptions,
) -> Result<Scenario> {
    let Some((main_path, _)) = files.last() else {
        return Err(Error::Invalid("no scenario file given".into()));
    };
    let main_path = main_path.clone();
    let switches = Switches::new(&files, options)?;
    for (p, f) in &files[..files.len() - 1] {
        if f.scenario.is_some() || !f.node.is_empty() || f.refunds.is_some() {
            return Err(Error::Invalid(format!(
                "{} is included but has a [scenario], [refunds] or [[node]]: an included file holds only measures, lists, content shares, baselines, base rates, rules and exchange rates",
                show(p)
            )));
        }
    }

    // HS lists first: measures refer to them.
    let mut lists: BTreeMap<String, HsList> = BTreeMap::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for (i, l) in f.hs_list.iter().enumerate() {
            for list in
                read_hs_list(opener, dir, l).at(|| format!("{}, hs_list {}", show(p), i + 1))?
            {
                let name = list.name().to_string();
                if lists.insert(name.clone(), list).is_some() {
                    return Err(Error::DuplicateId {
                        kind: "HS list",
                        id: name,
                    }
                    .at(show(p)));
                }
            }
        }
    }

    let mut rows = Contents::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for (i, c) in f.content_shares.iter().enumerate() {
            read_content_shares(opener, dir, c, &mut rows)
                .at(|| format!("{}, content_shares {}", show(p), i + 1))?;
        }
    }
    let contents: BTreeMap<String, Arc<ContentShares>> = content_tables(rows)
        .at(|| show(&main_path))?
        .into_iter()
        .map(|(k, v)| (k, Arc::new(v)))
        .collect();

    let mut baselines = Vec::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for b in &f.baseline {
            let ctx = || {
                format!(
                    "{}, baseline {}<-{}",
                    show(p),
                    excerpt(&b.importer),
                    excerpt(&b.exporter)
                )
            };
            baselines.push(read_baseline_dto(opener, dir, b).at(ctx)?);
        }
    }

    let mut base_rates = Vec::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for b in &f.base_rates {
            let ctx = || format!("{}, base_rates {}", show(p), excerpt(&b.importer));
            base_rates.push(read_base_rates_dto(opener, dir, b).at(ctx)?);
        }
    }

    let mut measures = Vec::new();
    let mut origin: HashMap<String, PathBuf> = HashMap::new();
    for (p, f) in &files {
        for m in &f.measure {
            let ctx = || format!("{}, measure {}", show(p), excerpt(&m.id));
            if let Some(first) = origin.get(&m.id) {
                return Err(Error::DuplicateId {
                    kind: "measure",
                    id: m.id.clone(),
                }
                .at(format!("{} (first defined in {})", show(p), show(first))));
            }
            origin.insert(m.id.clone(), p.clone());
            measures.push(measure(m, &lists, &contents).at(ctx)?);
        }
    }

    let mut stacking = Vec::new();
    for (p, f) in &files {
        for s in &f.stacking {
            let ctx = || format!("{}, stacking rule {}", show(p), excerpt(&s.id));
            if !switches
                .admits(s.when.as_deref())
                .at(|| format!("{}, field \"when\"", ctx()))?
            {
                continue;
            }
            let rule = stacking_rule(s, &lists).at(ctx)?;
            for sel in rule.selectors() {
                crate::tariff::check_selector(sel, &measures).at(ctx)?;
            }
            stacking.push(rule);
        }
    }
    let regime = Regime::new(measures, stacking).at(|| show(&main_path))?;

    let mut retaliation = Vec::new();
    let mut rule_files = Vec::new();
    for (p, f) in &files {
        for r in &f.retaliation {
            let ctx = || format!("{}, retaliation rule {}", show(p), excerpt(&r.id));
            retaliation.push(retaliation_rule(r, &lists).at(ctx)?);
            rule_files.push(p.clone());
        }
    }
    for (rule, p) in retaliation.iter().zip(&rule_files) {
        rule.check(regime.measures(), &retaliation).at(|| show(p))?;
    }

    let mut fx = Vec::new();
    for (p, f) in &files {
        for (i, x) in f.exchange_rate.iter().enumerate() {
            let ctx = || format!("{}, exchange_rate {}", show(p), i + 1);
            fx.push(exchange_rate(x).at(ctx)?);
        }
    }
    let fx = ExchangeRates::new(fx).at(|| show(&main_path))?;

    let Some((_, main)) = files.last() else {
        return Err(Error::Invalid("no scenario file given".into()));
    };
    let ctx = || show(&main_path);
    let Some(sc) = &main.scenario else {
        return Err(Error::Invalid(
            "no [scenario] table: give the scenario an id and a horizon".into(),
        )
        .at(ctx()));
    };
    let field = |name: &str| format!("{}, [scenario] field {name:?}", ctx());
    check_id("scenario id", &sc.id).at(|| field("id"))?;
    check_text(&sc.title, false).at(|| field("title"))?;
    check_text(&sc.description, true).at(|| field("description"))?;
    for (i, a) in sc.assumptions.iter().enumerate() {
        check_text(a, true).at(|| format!("{}, assumption {}", field("assumptions"), i + 1))?;
    }
    for (i, a) in sc.sources.iter().enumerate() {
        check_text(a, true).at(|| format!("{}, source {}", field("sources"), i + 1))?;
    }
    let horizon: Window = sc.horizon.parse().at(|| field("horizon"))?;
    let tree = if main.node.is_empty() {
        None
    } else {
        Some(tree(&main.node).at(ctx)?)
    };
    let info = ScenarioInfo {
        id: sc.id.clone(),
        title: sc.title.clone(),
        description: sc.description.clone(),
        assumptions: sc
            .assumptions
            .iter()
            .cloned()
            .chain(switches.assumptions())
            .collect(),
        sources: sc.sources.clone(),
    };
    let mut b = Scenario::builder(horizon)
        .info(info)
        .baselines(baselines)
        .regime(regime)
        .rules(retaliation)
        .exchange_rates(fx);
    for r in base_rates {
        b = b.base_rates(r);
    }
    if let Some(t) = tree {
        b = b.tree(t);
    }
    if let Some(r) = &sc.reference {
        b = b.reference(r.clone());
    }
    if let Some(h) = &sc.history_from {
        b = b.history_from(parse_date(h).at(|| field("history_from"))?);
    }
    for d in &sc.not_valued {
        let (i, e) = d.split_once("<-").ok_or_else(|| {
            Error::Parse {
                what: "direction",
                input: d.clone(),
                fix: "write IMPORTER<-EXPORTER, e.g. \"CN<-US\"".into(),
            }
            .at(field("not_valued"))
        })?;
        b = b.not_valued(
            super::fields::field("not_valued", i).at(ctx)?,
            super::fields::field("not_valued", e).at(ctx)?,
        );
    }
    if let Some(r) = &main.refunds {
        b = b.refunds(refund_terms(r).at(|| format!("{}, [refunds]", ctx()))?);
    }
    b.build().at(ctx)
}

fn exchange_rate(x: &ExchangeRateDto) -> Result<FxSeries> {
    let mut steps = Vec::with_capacity(x.rates.len());
    for (i, r) in x.rates.iter().enumerate() {
        let ctx = || format!("rate {}", i + 1);
        steps.push((
            date_field("from", &r.from).at(ctx)?,
            parse_decimal("exchange rate", &r.rate)
                .at(|| format!("rate {} field \"rate\"", i + 1))?,
        ));
    }
    FxSeries::new(
        super::fields::field("base", &x.base)?,
        super::fields::field("quote", &x.quote)?,
        steps,
    )
}

fn refund_terms(r: &RefundsDto) -> Result<RefundTerms> {
    let mut rates = Vec::with_capacity(r.interest.len());
    for (i, x) in r.interest.iter().enumerate() {
        let ctx = || format!("interest {}", i + 1);
        let w = Window::new(
            date_field("from", &x.from).at(ctx)?,
            date_field("until", &x.until).at(ctx)?,
        )
        .at(ctx)?;
        rates.push((w, super::fields::field("rate", &x.rate).at(ctx)?));
    }
    Ok(RefundTerms::with_interest(RefundInterest::new(
        date_field("paid", &r.paid)?,
        rates,
    )?))
}
