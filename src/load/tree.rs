//! The outcome tree of a scenario file: nodes, branches, actions, commitments.

use std::collections::{HashMap, HashSet};

use super::dto::*;
use super::fields::{check_text, date_field, field, required};
use crate::error::{Error, Result, ResultExt, excerpt};
use crate::outcome::{
    Action, ActionKind, Branch, Commitment, Node, OutcomeKind, OutcomeTree, Postponement,
};
use crate::tariff::{AfterEdit, Selector};
use crate::units::{Currency, Date, Money, Window, parse_decimal};

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
    let what = format!("do = {}", excerpt(&a.kind));
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

pub(super) fn tree(nodes: &[NodeDto]) -> Result<OutcomeTree> {
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
            "node {} is never reached: name it in some branch's `next`, or remove it (the first [[node]] is the root)",
            excerpt(&orphan.id)
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
    let ctx = || format!("node {}", excerpt(&n.id));
    let date = date_field("date", &n.date).at(ctx)?;
    check_text(&n.label, false).at(|| format!("{}, field \"label\"", ctx()))?;
    let mut branches = Vec::with_capacity(n.branch.len());
    for b in &n.branch {
        let bctx = || format!("node {}, branch {}", excerpt(&n.id), excerpt(&b.id));
        check_text(&b.label, false).at(|| format!("{}, field \"label\"", bctx()))?;
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
            check_text(&c.description, false)
                .at(|| format!("{}, field \"description\"", cctx()))?;
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
                    "node {} follows more than one branch: an outcome tree is a tree, copy the node under another id",
                    excerpt(next)
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
