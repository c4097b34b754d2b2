//! Measures, stacking rules and retaliation rules of a scenario file.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::dto::*;
use super::fields::{check_text, date_field, field, required, window_of};
use crate::error::{Error, Result, ResultExt, nearest};
use crate::retaliation::{ResponseGoods, ResponseRate, RetaliationRule, TriggerEvent};
use crate::tariff::{
    ContentShares, Coverage, Exclusion, Goods, HsList, Measure, Schedule, Selector, Stacking,
    StackingRule, Step, Suspension,
};
use crate::units::{HsCode, Window, parse_decimal};

/// How many known lists an unknown-list error names.
const SHOWN_LISTS: usize = 5;

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
                        nearest(name, lists.keys().map(String::as_str), SHOWN_LISTS)
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

pub(super) fn measure(
    m: &MeasureDto,
    lists: &BTreeMap<String, HsList>,
    contents: &BTreeMap<String, Arc<ContentShares>>,
) -> Result<Measure> {
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
    if let Some(content) = &m.on_content {
        let table = contents.get(content).ok_or_else(|| {
            Error::unknown(
                "content",
                content.as_str(),
                format!(
                    ": give its shares under [[content_shares]] (known: {})",
                    nearest(content, contents.keys().map(String::as_str), SHOWN_LISTS)
                ),
            )
            .at("field \"on_content\"".to_string())
        })?;
        coverage = coverage.on_content(Arc::clone(table));
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
    check_text(&m.name, false).at(|| "field \"name\"".into())?;
    check_text(&m.source, true).at(|| "field \"source\"".into())?;
    if !m.name.is_empty() {
        out = out.named(&m.name);
    }
    if let Some(l) = &m.layer {
        out = out.in_layer(field("layer", l)?);
    }
    if m.net_of_base {
        out = out.net_of_base();
    }
    Ok(out)
}

fn selectors(name: &str, v: &[String]) -> Result<Vec<Selector>> {
    v.iter().map(|s| field(name, s)).collect()
}

pub(super) fn stacking_rule(
    s: &StackingDto,
    lists: &BTreeMap<String, HsList>,
) -> Result<StackingRule> {
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

pub(super) fn retaliation_rule(
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
