//! Reading scenario files (TOML) and baselines and HS lists (CSV) into the
//! validated domain types.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::dto::*;
use crate::engine::{RefundInterest, RefundTerms, Scenario, ScenarioInfo};
use crate::error::{Error, Result, ResultExt};
use crate::outcome::{
    Action, ActionKind, Branch, Commitment, Node, OutcomeKind, OutcomeTree, Postponement,
};
use crate::retaliation::{ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
use crate::tariff::{
    AfterEdit, Coverage, Exclusion, Goods, HsList, Measure, Regime, Schedule, Selector, Stacking,
    StackingRule, Step, Suspension,
};
use crate::trade::{Baseline, Basket, BasketKey, ExchangeRates, FxSeries, Nesting, Periods};
use crate::units::{Currency, Date, HsCode, Money, Month, Window, parse_date, parse_decimal};

/// Reads a whole file, naming it on failure.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: format!("cannot read: {e}"),
    })
}

fn parse_toml(path: &Path, text: &str) -> Result<FileDto> {
    toml::from_str(text).map_err(|e| {
        Error::Invalid(e.to_string().trim_end().replace('\n', " ")).at(path.display().to_string())
    })
}

/// A scenario file with its includes, in include order (includes first).
fn collect(
    path: &Path,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<(PathBuf, FileDto)>,
) -> Result<()> {
    let canonical = path.canonicalize().map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: format!("cannot open: {e}"),
    })?;
    if !seen.insert(canonical.clone()) {
        return Err(Error::Invalid(format!(
            "{} is included twice (or includes itself): include each file once",
            path.display()
        )));
    }
    let dto = parse_toml(path, &read_text(path)?)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for inc in &dto.include {
        collect(&dir.join(inc), seen, out).at(|| format!("{}, include {inc:?}", path.display()))?;
    }
    out.push((path.to_path_buf(), dto));
    Ok(())
}

/// Loads a scenario file, its includes and the CSV files they name.
///
/// Relative paths in a file are relative to that file's folder.
///
/// # Errors
/// [`Error::Io`] for a missing or unreadable file; every other error wrapped
/// with the file, the item (measure, node, branch, action, line) and the
/// field it comes from.
///
/// ```
/// let s = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// assert_eq!(s.info().id, "g20-2018");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_scenario(path: &Path) -> Result<Scenario> {
    let mut files = Vec::new();
    collect(path, &mut HashSet::new(), &mut files)?;
    build(files)
}

/// Loads a scenario from TOML text; relative paths resolve against `dir`.
///
/// # Errors
/// As [`load_scenario`].
pub fn parse_scenario(text: &str, dir: &Path) -> Result<Scenario> {
    let main = dir.join("<text>");
    let dto = parse_toml(&main, text)?;
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for inc in &dto.include {
        collect(&dir.join(inc), &mut seen, &mut files).at(|| format!("include {inc:?}"))?;
    }
    files.push((main, dto));
    build(files)
}

fn build(files: Vec<(PathBuf, FileDto)>) -> Result<Scenario> {
    let Some((main_path, _)) = files.last() else {
        return Err(Error::Invalid("no scenario file given".into()));
    };
    let main_path = main_path.clone();
    for (p, f) in &files[..files.len() - 1] {
        if f.scenario.is_some() || !f.node.is_empty() || f.refunds.is_some() {
            return Err(Error::Invalid(format!(
                "{} is included but has a [scenario], [refunds] or [[node]]: an included file holds only measures, lists, baselines, rules and exchange rates",
                p.display()
            )));
        }
    }

    // HS lists first: measures refer to them.
    let mut lists: BTreeMap<String, HsList> = BTreeMap::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for (i, l) in f.hs_list.iter().enumerate() {
            for list in read_hs_list(dir, l).at(|| format!("{}, hs_list {}", p.display(), i + 1))? {
                let name = list.name().to_string();
                if lists.insert(name.clone(), list).is_some() {
                    return Err(Error::DuplicateId {
                        kind: "HS list",
                        id: name,
                    }
                    .at(p.display().to_string()));
                }
            }
        }
    }

    let mut baselines = Vec::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for b in &f.baseline {
            let ctx = || format!("{}, baseline {}<-{}", p.display(), b.importer, b.exporter);
            baselines.push(read_baseline_dto(dir, b).at(ctx)?);
        }
    }

    let mut measures = Vec::new();
    let mut origin: HashMap<String, PathBuf> = HashMap::new();
    for (p, f) in &files {
        for m in &f.measure {
            let ctx = || format!("{}, measure {:?}", p.display(), m.id);
            if let Some(first) = origin.get(&m.id) {
                return Err(Error::DuplicateId {
                    kind: "measure",
                    id: m.id.clone(),
                }
                .at(format!(
                    "{} (first defined in {})",
                    p.display(),
                    first.display()
                )));
            }
            origin.insert(m.id.clone(), p.clone());
            measures.push(measure(m, &lists).at(ctx)?);
        }
    }

    let mut stacking = Vec::new();
    for (p, f) in &files {
        for s in &f.stacking {
            let ctx = || format!("{}, stacking rule {:?}", p.display(), s.id);
            let rule = stacking_rule(s, &lists).at(ctx)?;
            for sel in rule.selectors() {
                crate::tariff::check_selector(sel, &measures).at(ctx)?;
            }
            stacking.push(rule);
        }
    }
    let regime = Regime::new(measures, stacking).at(|| main_path.display().to_string())?;

    let mut retaliation = Vec::new();
    let mut rule_files = Vec::new();
    for (p, f) in &files {
        for r in &f.retaliation {
            let ctx = || format!("{}, retaliation rule {:?}", p.display(), r.id);
            retaliation.push(retaliation_rule(r, &lists).at(ctx)?);
            rule_files.push(p.clone());
        }
    }
    for (rule, p) in retaliation.iter().zip(&rule_files) {
        rule.check(regime.measures(), &retaliation)
            .at(|| p.display().to_string())?;
    }

    let mut fx = Vec::new();
    for (p, f) in &files {
        for (i, x) in f.exchange_rate.iter().enumerate() {
            let ctx = || format!("{}, exchange_rate {}", p.display(), i + 1);
            fx.push(exchange_rate(x).at(ctx)?);
        }
    }
    let fx = ExchangeRates::new(fx).at(|| main_path.display().to_string())?;

    let Some((_, main)) = files.last() else {
        return Err(Error::Invalid("no scenario file given".into()));
    };
    let ctx = || main_path.display().to_string();
    let Some(sc) = &main.scenario else {
        return Err(Error::Invalid(
            "no [scenario] table: give the scenario an id and a horizon".into(),
        )
        .at(ctx()));
    };
    let horizon: Window = sc
        .horizon
        .parse()
        .at(|| format!("{}, [scenario] field \"horizon\"", ctx()))?;
    let tree = if main.node.is_empty() {
        None
    } else {
        Some(tree(&main.node).at(ctx)?)
    };
    let info = ScenarioInfo {
        id: sc.id.clone(),
        title: sc.title.clone(),
        description: sc.description.clone(),
        assumptions: sc.assumptions.clone(),
        sources: sc.sources.clone(),
    };
    let mut b = Scenario::builder(horizon)
        .info(info)
        .baselines(baselines)
        .regime(regime)
        .rules(retaliation)
        .exchange_rates(fx);
    if let Some(t) = tree {
        b = b.tree(t);
    }
    if let Some(r) = &sc.reference {
        b = b.reference(r.clone());
    }
    if let Some(h) = &sc.history_from {
        b = b.history_from(
            parse_date(h).at(|| format!("{}, [scenario] field \"history_from\"", ctx()))?,
        );
    }
    for d in &sc.not_valued {
        let (i, e) = d.split_once("<-").ok_or_else(|| {
            Error::Parse {
                what: "direction",
                input: d.clone(),
                fix: "write IMPORTER<-EXPORTER, e.g. \"CN<-US\"".into(),
            }
            .at(format!("{}, [scenario] field \"not_valued\"", ctx()))
        })?;
        b = b.not_valued(
            field("not_valued", i).at(ctx)?,
            field("not_valued", e).at(ctx)?,
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
    FxSeries::new(field("base", &x.base)?, field("quote", &x.quote)?, steps)
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
        rates.push((w, field("rate", &x.rate).at(ctx)?));
    }
    Ok(RefundTerms::with_interest(RefundInterest::new(
        date_field("paid", &r.paid)?,
        rates,
    )?))
}

fn field<T: FromStr<Err = Error>>(name: &str, text: &str) -> Result<T> {
    text.parse::<T>().at(|| format!("field {name:?}"))
}

fn date_field(name: &str, text: &str) -> Result<Date> {
    parse_date(text).at(|| format!("field {name:?}"))
}

fn required<'a>(name: &str, v: &'a Option<String>, what: &str) -> Result<&'a str> {
    v.as_deref()
        .ok_or_else(|| Error::Invalid(format!("{what} needs field {name:?}")))
}

fn window_of(from: &Option<String>, until: &Option<String>) -> Result<Window> {
    let start = match from {
        Some(f) => date_field("from", f)?,
        None => Date::MIN,
    };
    match until {
        Some(u) => Window::new(start, date_field("until", u)?),
        None => Ok(Window::open(start)),
    }
}

pub(crate) fn goods(g: &GoodsDto, lists: &BTreeMap<String, HsList>) -> Result<Goods> {
    let mut out = if g.all {
        Goods::all()
    } else {
        Goods::default()
    };
    if !g.baskets.is_empty() {
        let ids = g
            .baskets
            .iter()
            .map(|b| b.parse())
            .collect::<Result<Vec<_>>>()
            .at(|| "field \"baskets\"".into())?;
        out = out.union(Goods::baskets(ids));
    }
    if !g.hs.is_empty() {
        let codes =
            g.hs.iter()
                .map(|c| c.parse::<HsCode>())
                .collect::<Result<Vec<_>>>()
                .at(|| "field \"hs\"".into())?;
        out = out.union(Goods::hs(codes));
    }
    if !g.hs_lists.is_empty() {
        let mut found = Vec::new();
        for name in &g.hs_lists {
            let l = lists.get(name).ok_or_else(|| {
                Error::unknown(
                    "HS list",
                    name.as_str(),
                    format!(
                        ": declare it under [[hs_list]] (known: {})",
                        if lists.is_empty() {
                            "none".to_string()
                        } else {
                            lists.keys().cloned().collect::<Vec<_>>().join(", ")
                        }
                    ),
                )
            })?;
            found.push(l.clone());
        }
        out = out.union(Goods::lists(found));
    }
    if out.is_empty() {
        return Err(Error::Invalid(
            "goods name nothing: set all = true, or list baskets, hs or hs_lists".into(),
        ));
    }
    Ok(out)
}

fn step(s: &StepDto) -> Result<Step> {
    let from = date_field("from", &s.from)?;
    let rate = field("rate", &s.rate)?;
    match s.status.as_deref() {
        None | Some("in-force") => Ok(Step::in_force(from, rate)),
        Some("announced") => Ok(Step::announced(from, rate)),
        Some(other) => Err(Error::Parse {
            what: "step status",
            input: other.to_string(),
            fix: "write \"in-force\" or \"announced\"".into(),
        }),
    }
}

fn suspension(s: &SuspensionDto) -> Result<Suspension> {
    Ok(Suspension::new(
        Window::new(date_field("from", &s.from)?, date_field("until", &s.until)?)?,
        field("rate", &s.rate)?,
    ))
}

fn measure(m: &MeasureDto, lists: &BTreeMap<String, HsList>) -> Result<Measure> {
    let steps = m
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| step(s).at(|| format!("step {}", i + 1)))
        .collect::<Result<Vec<_>>>()?;
    let suspensions = m
        .suspensions
        .iter()
        .enumerate()
        .map(|(i, s)| suspension(s).at(|| format!("suspension {}", i + 1)))
        .collect::<Result<Vec<_>>>()?;
    let schedule = Schedule::new(steps, suspensions)?;
    let mut coverage = Coverage::of(goods(&m.goods, lists).at(|| "field \"goods\"".into())?);
    for (i, e) in m.exclusions.iter().enumerate() {
        let ex = goods(&e.goods, lists)
            .and_then(|g| Ok(Exclusion::new(g, window_of(&e.from, &e.until)?)))
            .at(|| format!("exclusion {}", i + 1))?;
        coverage = coverage.excluding(ex);
    }
    let mut out = Measure::new(
        field("id", &m.id)?,
        field("authority", &m.authority)?,
        field("imposer", &m.imposer)?,
        field("target", &m.target)?,
        coverage,
        schedule,
    )?
    .sourced(m.source.clone());
    if !m.name.is_empty() {
        out = out.named(&m.name);
    }
    if let Some(l) = &m.layer {
        out = out.in_layer(field("layer", l)?);
    }
    Ok(out)
}

fn selectors(name: &str, v: &[String]) -> Result<Vec<Selector>> {
    v.iter().map(|s| field(name, s)).collect()
}

fn stacking_rule(s: &StackingDto, lists: &BTreeMap<String, HsList>) -> Result<StackingRule> {
    let stacking = match s.kind.as_str() {
        "exclusive" => Stacking::Exclusive {
            over: selectors("over", &s.over)?,
            excluded: selectors("excluded", &s.excluded)?,
        },
        "highest" => Stacking::Highest {
            among: selectors("among", &s.among)?,
        },
        "exempt" => Stacking::Exempt {
            measures: selectors("measures", &s.measures)?,
            goods: goods(
                s.goods
                    .as_ref()
                    .ok_or_else(|| Error::Invalid("an exempt rule needs field \"goods\"".into()))?,
                lists,
            )?,
        },
        other => {
            return Err(Error::Parse {
                what: "stacking kind",
                input: other.to_string(),
                fix: "write \"exclusive\", \"highest\" or \"exempt\"".into(),
            });
        }
    };
    Ok(StackingRule::new(
        field("id", &s.id)?,
        stacking,
        window_of(&s.from, &s.until)?,
    ))
}

fn retaliation_rule(
    r: &RetaliationDto,
    lists: &BTreeMap<String, HsList>,
) -> Result<RetaliationRule> {
    let what = "this trigger";
    let event = match r.on.as_str() {
        "in-force" => TriggerEvent::InForce,
        "step-up" => TriggerEvent::StepUp,
        "rate-above" => TriggerEvent::RateAbove(field(
            "threshold",
            required("threshold", &r.threshold, what)?,
        )?),
        "covered-value-above" => TriggerEvent::CoveredValueAbove {
            value: parse_decimal("value", required("threshold", &r.threshold, what)?)
                .at(|| "field \"threshold\"".into())?,
            currency: r
                .threshold_currency
                .as_deref()
                .map(|c| field("threshold_currency", c))
                .transpose()?,
        },
        other => {
            return Err(Error::Parse {
                what: "trigger",
                input: other.to_string(),
                fix: "write \"in-force\", \"step-up\", \"rate-above\" or \"covered-value-above\""
                    .into(),
            });
        }
    };
    let rate = if r.rate == "match" {
        ResponseRate::Match
    } else {
        ResponseRate::Fixed(field("rate", &r.rate)?)
    };
    let response = match r.covers.as_str() {
        "list" => ResponseGoods::List(goods(
            r.goods
                .as_ref()
                .ok_or_else(|| Error::Invalid("covers = \"list\" needs field \"goods\"".into()))?,
            lists,
        )?),
        "value" => ResponseGoods::MatchValue,
        "proportion" => ResponseGoods::Proportion(field(
            "proportion",
            required("proportion", &r.proportion, "covers = \"proportion\"")?,
        )?),
        other => {
            return Err(Error::Parse {
                what: "covers",
                input: other.to_string(),
                fix: "write \"list\", \"value\" or \"proportion\"".into(),
            });
        }
    };
    let mut rule = RetaliationRule::builder(
        field("id", &r.id)?,
        field("party", &r.party)?,
        field("against", &r.against)?,
    )
    .on(event)
    .rate(rate)
    .covers(response)
    .lag_days(r.lag_days);
    for s in selectors("watch", &r.watch)? {
        rule = rule.watch(s);
    }
    if let Some(c) = &r.cap {
        rule = rule.cap(field("cap", c)?);
    }
    if let Some(p) = &r.policy {
        rule = rule.policy(field("policy", p)?);
    }
    if r.active_from.is_some() || r.active_until.is_some() {
        rule = rule.active(window_of(&r.active_from, &r.active_until)?);
    }
    rule.build()
}

/// A cut's or raise's `then`: what happens to later scheduled steps.
fn then(v: &Option<String>) -> Result<Option<AfterEdit>> {
    match v.as_deref() {
        None => Ok(None),
        Some("keep-schedule") => Ok(Some(AfterEdit::KeepSchedule)),
        Some("hold") => Ok(Some(AfterEdit::Hold)),
        Some(other) => Err(Error::Parse {
            what: "then",
            input: other.to_string(),
            fix: "write \"keep-schedule\" (later steps still apply) or \"hold\" (the rate holds until the next action)".into(),
        })
        .at(|| "field \"then\"".into()),
    }
}

fn action(a: &ActionDto) -> Result<Action> {
    let target: Selector = field("target", &a.target)?;
    let what = format!("do = {:?}", a.kind);
    let date = |name: &str, v: &Option<String>| -> Result<Date> {
        date_field(name, required(name, v, &what)?)
    };
    let rate = |v: &Option<String>| -> Result<crate::units::Rate> {
        field("rate", required("rate", v, &what)?)
    };
    let allowed: &[&str] = match a.kind.as_str() {
        "postpone" => &["step", "to", "days", "shift_later"],
        "suspend" => &["from", "until", "rate"],
        "extend-suspension" => &["on", "until"],
        "cut" | "raise" => &["from", "rate", "then"],
        "revoke" | "void" => &["from"],
        "impose" => &["step"],
        other => {
            return Err(Error::Parse {
                what: "action",
                input: other.to_string(),
                fix:
                    "write postpone, suspend, extend-suspension, cut, raise, revoke, impose or void"
                        .into(),
            });
        }
    };
    let present = [
        ("step", a.step.is_some()),
        ("to", a.to.is_some()),
        ("days", a.days.is_some()),
        ("on", a.on.is_some()),
        ("from", a.from.is_some()),
        ("until", a.until.is_some()),
        ("rate", a.rate.is_some()),
        ("then", a.then.is_some()),
        ("shift_later", a.shift_later.is_some()),
    ];
    for (name, here) in present {
        if here && !allowed.contains(&name) {
            return Err(Error::Invalid(format!(
                "field {name:?} does not apply to {what}; it takes {}",
                allowed.join(", ")
            )));
        }
    }
    let kind = match a.kind.as_str() {
        "postpone" => {
            let to = match (a.to.as_deref(), a.days) {
                (Some("indefinitely"), None) => Postponement::Indefinitely,
                (Some(d), None) => Postponement::To(date_field("to", d)?),
                (None, Some(n)) => Postponement::ByDays(n),
                _ => {
                    return Err(Error::Invalid(
                        "postpone needs exactly one of \"to\" (a date or \"indefinitely\") and \"days\"".into(),
                    ));
                }
            };
            ActionKind::Postpone {
                step: date("step", &a.step)?,
                to,
                shift_later: a.shift_later.unwrap_or(false),
            }
        }
        "suspend" => ActionKind::Suspend {
            from: date("from", &a.from)?,
            until: date("until", &a.until)?,
            rate: rate(&a.rate)?,
        },
        "extend-suspension" => ActionKind::ExtendSuspension {
            on: date("on", &a.on)?,
            until: date("until", &a.until)?,
        },
        "cut" => ActionKind::Cut {
            from: date("from", &a.from)?,
            rate: rate(&a.rate)?,
            then: then(&a.then)?,
        },
        "raise" => ActionKind::Raise {
            from: date("from", &a.from)?,
            rate: rate(&a.rate)?,
            then: then(&a.then)?,
        },
        "revoke" => ActionKind::Revoke {
            from: date("from", &a.from)?,
        },
        "void" => ActionKind::Void {
            from: date("from", &a.from)?,
        },
        _ => ActionKind::Impose {
            step: a
                .step
                .as_deref()
                .map(|s| date_field("step", s))
                .transpose()?,
        },
    };
    Ok(Action::new(target, kind))
}

fn tree(nodes: &[NodeDto]) -> Result<OutcomeTree> {
    let mut by_id: HashMap<&str, &NodeDto> = HashMap::new();
    for n in nodes {
        if by_id.insert(n.id.as_str(), n).is_some() {
            return Err(Error::DuplicateId {
                kind: "node",
                id: n.id.clone(),
            });
        }
    }
    let mut used: HashSet<&str> = HashSet::new();
    let root = node(&nodes[0], &by_id, &mut used, 0)?;
    if let Some(orphan) = nodes.iter().skip(1).find(|n| !used.contains(n.id.as_str())) {
        return Err(Error::Invalid(format!(
            "node {:?} is never reached: name it in some branch's `next`, or remove it (the first [[node]] is the root)",
            orphan.id
        )));
    }
    OutcomeTree::new(root)
}

fn node<'a>(
    n: &'a NodeDto,
    by_id: &HashMap<&str, &'a NodeDto>,
    used: &mut HashSet<&'a str>,
    depth: usize,
) -> Result<Node> {
    if depth > crate::outcome::MAX_DEPTH {
        return Err(Error::TreeLimit {
            what: "depth",
            found: depth,
            limit: crate::outcome::MAX_DEPTH,
        });
    }
    let ctx = || format!("node {:?}", n.id);
    let date = date_field("date", &n.date).at(ctx)?;
    let mut branches = Vec::with_capacity(n.branch.len());
    for b in &n.branch {
        let bctx = || format!("node {:?}, branch {:?}", n.id, b.id);
        let kind: OutcomeKind = field("kind", &b.kind).at(bctx)?;
        let mut br = Branch::new(
            field("id", &b.id).at(bctx)?,
            b.label.clone(),
            kind,
            field("probability", &b.probability).at(bctx)?,
        );
        for (i, a) in b.action.iter().enumerate() {
            br = br.with_action(action(a).at(|| format!("{}, action {}", bctx(), i + 1))?);
        }
        for (i, c) in b.commitment.iter().enumerate() {
            let cctx = || format!("{}, commitment {}", bctx(), i + 1);
            let currency: Currency = match &c.currency {
                Some(x) => field("currency", x).at(cctx)?,
                None => Currency::USD,
            };
            let value = parse_decimal("value", &c.annual_value)
                .at(|| format!("{}, field \"annual_value\"", cctx()))?;
            let w = Window::new(
                date_field("from", &c.from).at(cctx)?,
                date_field("until", &c.until).at(cctx)?,
            )
            .at(cctx)?;
            br = br.with_commitment(
                Commitment::new(
                    field("buyer", &c.buyer).at(cctx)?,
                    c.description.clone(),
                    Money::new(value, currency),
                    w,
                )
                .at(cctx)?,
            );
        }
        if let Some(next) = &b.next {
            let child = by_id.get(next.as_str()).ok_or_else(|| {
                Error::unknown("node", next.as_str(), ": define it as a [[node]]").at(bctx())
            })?;
            if !used.insert(child.id.as_str()) {
                return Err(Error::Invalid(format!(
                    "node {next:?} follows more than one branch: an outcome tree is a tree, copy the node under another id"
                ))
                .at(bctx()));
            }
            br = br.then(node(child, by_id, used, depth + 1)?);
        }
        branches.push(br);
    }
    Ok(Node::new(
        field("id", &n.id).at(ctx)?,
        n.label.clone(),
        date,
        branches,
    ))
}

fn read_baseline_dto(dir: &Path, b: &BaselineDto) -> Result<Baseline> {
    let importer = field("importer", &b.importer)?;
    let exporter = field("exporter", &b.exporter)?;
    let currency: Currency = match &b.currency {
        Some(c) => field("currency", c)?,
        None => Currency::USD,
    };
    let nesting = match b.nested.as_deref() {
        None | Some("refuse") => Nesting::Refuse,
        Some("residual") => Nesting::Residual,
        Some(other) => {
            return Err(Error::Parse {
                what: "nesting",
                input: other.to_string(),
                fix: "write \"residual\" (a coarser HS basket holds only what its finer baskets do not) or \"refuse\"".into(),
            })
            .at(|| "field \"nested\"".into());
        }
    };
    match (&b.file, b.basket.is_empty()) {
        (Some(file), true) => {
            let columns = CsvColumns {
                key: b.key_column.clone().unwrap_or_else(|| "key".into()),
                value: b.value_column.clone(),
                ignore: b.ignore_columns.clone(),
                nesting,
            };
            read_baseline_csv(&dir.join(file), importer, exporter, currency, &columns)
        }
        (None, false) => {
            let mut baskets = Vec::with_capacity(b.basket.len());
            for (i, k) in b.basket.iter().enumerate() {
                let ctx = || format!("basket {}", i + 1);
                let key: BasketKey = field("key", &k.key).at(ctx)?;
                let value = parse_decimal("value", &k.value)
                    .at(|| format!("basket {} field \"value\"", i + 1))?;
                baskets.push(Basket::annual(key, k.description.clone(), value));
            }
            Baseline::with_nesting(
                importer,
                exporter,
                currency,
                Periods::Annual,
                baskets,
                nesting,
            )
        }
        _ => Err(Error::Invalid(
            "a baseline takes either `file` (a CSV) or inline `basket` rows, not both or neither"
                .into(),
        )),
    }
}

/// Which CSV columns a baseline reads.
#[derive(Debug, Clone)]
pub struct CsvColumns {
    /// The column holding the basket key (HS code or name). Default `key`.
    pub key: String,
    /// The column holding an annual value; `None` reads `value`, or else
    /// one column per period (`2017`, `2018`, or `2025-01`, `2025-02`, ...).
    pub value: Option<String>,
    /// Columns to skip.
    pub ignore: Vec<String>,
    /// What an HS key inside another HS key means (refused by default).
    pub nesting: Nesting,
}

impl Default for CsvColumns {
    fn default() -> CsvColumns {
        CsvColumns {
            key: "key".into(),
            value: None,
            ignore: Vec::new(),
            nesting: Nesting::Refuse,
        }
    }
}

/// Reads a baseline from CSV: a key column, an optional `description`, and
/// either one annual value column or one column per year or month. Values are
/// plain decimals (no exponents, no separators), zero or more. A key given
/// twice with the same values is read once; with different values it is an
/// error.
///
/// # Errors
/// [`Error::Io`] for an unreadable file; every other error names the file,
/// the line and the field.
pub fn read_baseline_csv(
    path: &Path,
    importer: crate::units::Party,
    exporter: crate::units::Party,
    currency: Currency,
    columns: &CsvColumns,
) -> Result<Baseline> {
    let name = path.display().to_string();
    let (mut rdr, headers) = open_csv(path, &name)?;
    let find = |c: &str| headers.iter().position(|h| h == c);
    let key_col = find(&columns.key).ok_or_else(|| {
        Error::Invalid(format!(
            "no {:?} column; the header is {:?}",
            columns.key,
            headers.iter().collect::<Vec<_>>()
        ))
        .at(name.clone())
    })?;
    let desc_col = find("description");
    let mut value_cols: Vec<usize> = Vec::new();
    let periods = match &columns.value {
        Some(v) => {
            value_cols.push(
                find(v)
                    .ok_or_else(|| Error::Invalid(format!("no {v:?} column")).at(name.clone()))?,
            );
            Periods::Annual
        }
        None => {
            let mut years = Vec::new();
            let mut months = Vec::new();
            for (i, h) in headers.iter().enumerate() {
                if i == key_col || Some(i) == desc_col || columns.ignore.iter().any(|x| x == h) {
                    continue;
                }
                if h == "value" {
                    value_cols.push(i);
                } else if h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit()) {
                    years.push(
                        h.parse::<i16>()
                            .map_err(|_| Error::Invalid(format!("bad year column {h:?}")))?,
                    );
                    value_cols.push(i);
                } else if let Ok(m) = h.parse::<Month>() {
                    months.push(m);
                    value_cols.push(i);
                } else {
                    return Err(Error::Invalid(format!(
                        "unknown column {h:?}: a baseline has a key, a description, and `value` or period columns (YYYY or YYYY-MM); list other columns under ignore_columns"
                    ))
                    .at(name));
                }
            }
            match (value_cols.len(), years.is_empty(), months.is_empty()) {
                (0, _, _) => {
                    return Err(Error::Invalid(
                        "no value column: add `value`, or one column per year or month".into(),
                    )
                    .at(name));
                }
                (1, true, true) => Periods::Annual,
                (_, false, true) if years.len() == value_cols.len() => Periods::Years(years),
                (_, true, false) if months.len() == value_cols.len() => Periods::Months(months),
                _ => {
                    return Err(Error::Invalid(
                        "mixed value columns: use `value`, or years, or months, not a mix".into(),
                    )
                    .at(name));
                }
            }
        }
    };
    let mut baskets: Vec<Basket> = Vec::new();
    let mut seen: HashMap<BasketKey, (u64, usize)> = HashMap::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| Error::Invalid(format!("unreadable row: {e}")).at(name.clone()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let ctx = |f: &str| format!("{name}, line {line}, field {f:?}");
        let key: BasketKey = rec
            .get(key_col)
            .unwrap_or("")
            .parse()
            .at(|| ctx(&columns.key))?;
        let mut values = Vec::with_capacity(value_cols.len());
        for &c in &value_cols {
            let h = headers.get(c).unwrap_or("value");
            let v = parse_decimal("value", rec.get(c).unwrap_or("")).at(|| ctx(h))?;
            if v.is_sign_negative() && !v.is_zero() {
                return Err(Error::Negative {
                    what: format!("trade value of {key}"),
                    value: v,
                }
                .at(ctx(h)));
            }
            values.push(v);
        }
        if let Some((first_line, i)) = seen.get(&key) {
            if baskets[*i].values() == values.as_slice() {
                continue;
            }
            return Err(Error::Invalid(format!(
                "{key} is given again with different values (first on line {first_line}): keep one row per key"
            ))
            .at(format!("{name}, line {line}")));
        }
        let description = desc_col.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        seen.insert(key.clone(), (line, baskets.len()));
        baskets.push(Basket::new(key, description, values));
    }
    if baskets.is_empty() {
        return Err(Error::Invalid("the file has a header but no rows".into()).at(name));
    }
    Baseline::with_nesting(
        importer,
        exporter,
        currency,
        periods,
        baskets,
        columns.nesting,
    )
    .at(|| name.clone())
}

/// Reads HS lists from CSV: with `name`, every row's first column is a code
/// of that one list; with `lists`, the file has a `list` column and every
/// row must name a declared list.
fn read_hs_list(dir: &Path, l: &HsListDto) -> Result<Vec<HsList>> {
    match (&l.name, l.lists.is_empty(), &l.file, l.codes.is_empty()) {
        (Some(name), true, None, false) => {
            let codes = l.codes.iter().map(|c| field::<HsCode>("codes", c)).collect::<Result<Vec<_>>>()?;
            Ok(vec![HsList::new(name, codes)])
        }
        (Some(name), true, Some(file), true) => {
            let rows = read_code_rows(&dir.join(file), false)?;
            Ok(vec![HsList::new(name, rows.into_iter().map(|(c, _)| c))])
        }
        (None, false, Some(file), true) => {
            let path = dir.join(file);
            let rows = read_code_rows(&path, true)?;
            let mut by: BTreeMap<&str, Vec<HsCode>> = l.lists.iter().map(|n| (n.as_str(), Vec::new())).collect();
            for (code, list) in &rows {
                let (list, line) = list.as_ref().map(|(s, n)| (s.as_str(), *n)).unwrap_or(("", 0));
                match by.get_mut(list) {
                    Some(v) => v.push(*code),
                    None => {
                        return Err(Error::unknown(
                            "list",
                            list,
                            format!(": the scenario declares {}; add it to `lists` or drop the row", l.lists.join(", ")),
                        )
                        .at(format!("{}, line {line}, field \"list\"", path.display())));
                    }
                }
            }
            Ok(by.into_iter().map(|(n, codes)| HsList::new(n, codes)).collect())
        }
        _ => Err(Error::Invalid(
            "an [[hs_list]] takes `name` with `codes` or `file`, or `lists` with a `file` that has a list column".into(),
        )),
    }
}

/// A CSV file read whole, with its header; `name` is how errors name it.
fn open_csv(
    path: &Path,
    name: &str,
) -> Result<(csv::Reader<std::io::Cursor<Vec<u8>>>, csv::StringRecord)> {
    let text = read_text(path)?;
    if text.trim().is_empty() {
        return Err(Error::Invalid(
            "the file is empty: give a header line and at least one row".into(),
        )
        .at(name));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(std::io::Cursor::new(text.into_bytes()));
    let headers = rdr
        .headers()
        .map_err(|e| Error::Invalid(format!("unreadable header: {e}")).at(name))?
        .clone();
    Ok((rdr, headers))
}

type CodeRow = (HsCode, Option<(String, u64)>);

fn read_code_rows(path: &Path, with_list: bool) -> Result<Vec<CodeRow>> {
    let name = path.display().to_string();
    let (mut rdr, headers) = open_csv(path, &name)?;
    let list_col = headers.iter().position(|h| h == "list");
    if with_list && list_col.is_none() {
        return Err(Error::Invalid("no `list` column".into()).at(name));
    }
    let code_name = headers.get(0).unwrap_or("code").to_string();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| Error::Invalid(format!("unreadable row: {e}")).at(name.clone()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let code: HsCode = rec
            .get(0)
            .unwrap_or("")
            .parse()
            .at(|| format!("{name}, line {line}, field {code_name:?}"))?;
        let list = if with_list {
            list_col
                .and_then(|c| rec.get(c))
                .map(|s| (s.to_string(), line))
        } else {
            None
        };
        out.push((code, list));
    }
    Ok(out)
}
