//! Which answers a scenario's rules can make, known before any path is
//! evaluated: a rule answering with a counter-list makes one answer measure;
//! a rule matching value makes one per measure it watches. Rules are put in
//! the order of what they watch, so every answer's triggers come before it.

use super::RetaliationRule;
use crate::error::{Error, Result};
use crate::tariff::{Authority, Coverage, Measure, Origin, Schedule, Selector};
use crate::units::{LayerId, MeasureId};

/// What an answer answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerKind {
    /// One counter-list answer to every watched measure (indices into the
    /// regime's measures followed by the answers): on each day its rate is
    /// the highest the watched measures imply.
    List {
        /// The watched measures.
        triggers: Vec<usize>,
    },
    /// A value-matched answer to one watched measure.
    Value {
        /// The watched measure.
        trigger: usize,
    },
}

/// One answer a rule can make: a retaliation measure of the answering side,
/// whose schedule (and, for value matching, whose share of each basket) is
/// worked out on each path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    rule: usize,
    kind: AnswerKind,
    measure: Measure,
}

impl Answer {
    /// The index of the rule that makes it.
    pub fn rule(&self) -> usize {
        self.rule
    }

    /// What it answers.
    pub fn kind(&self) -> &AnswerKind {
        &self.kind
    }

    /// The answer as a measure (its schedule here is empty: each path gives
    /// it one).
    pub fn measure(&self) -> &Measure {
        &self.measure
    }

    /// The watched measures.
    pub fn triggers(&self) -> &[usize] {
        match &self.kind {
            AnswerKind::List { triggers } => triggers,
            AnswerKind::Value { trigger } => std::slice::from_ref(trigger),
        }
    }
}

/// Every answer the rules can make, in evaluation order: an answer comes
/// after every measure it watches. Measure indices count the regime's
/// measures first (`0..base`), then the answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answers {
    base: usize,
    answers: Vec<Answer>,
}

impl Answers {
    /// The number of regime measures (the first answer's index).
    pub fn base(&self) -> usize {
        self.base
    }

    /// The answers, in evaluation order.
    pub fn list(&self) -> &[Answer] {
        &self.answers
    }

    /// Whether no rule can answer anything.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// Whether `watcher`'s selectors can pick an answer that `maker` makes.
fn can_watch(watcher: &RetaliationRule, maker: &RetaliationRule) -> bool {
    if maker.party() != watcher.against() || maker.against() != watcher.party() {
        return false;
    }
    watcher.trigger().measures.iter().any(|s| match s {
        Selector::Authority(a) => *a == Authority::Retaliation,
        Selector::Layer(l) => l.as_str() == maker.id().as_str(),
        Selector::Measure(id) => {
            id.as_str() == maker.id().as_str()
                || id
                    .as_str()
                    .strip_prefix(maker.id().as_str())
                    .is_some_and(|rest| rest.starts_with(':'))
        }
    })
}

/// The rules in an order where each comes after every rule whose answers it
/// can watch (ties keep the order given).
///
/// # Errors
/// [`Error::RetaliationCycle`] naming the rules of a cycle.
fn order(rules: &[RetaliationRule]) -> Result<Vec<usize>> {
    let n = rules.len();
    // watched_by[r] = rules that watch r's answers.
    let deps: Vec<Vec<usize>> = (0..n)
        .map(|s| {
            (0..n)
                .filter(|&r| can_watch(&rules[s], &rules[r]))
                .collect()
        })
        .collect();
    // Depth-first search: 0 unseen, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let mut out = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&dep) = deps[node].get(*next) {
                *next += 1;
                match state[dep] {
                    0 => {
                        state[dep] = 1;
                        stack.push((dep, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(x, _)| *x == dep).unwrap_or(0);
                        let mut names: Vec<String> = stack[from..]
                            .iter()
                            .map(|(x, _)| rules[*x].id().to_string())
                            .collect();
                        names.push(names[0].clone());
                        return Err(Error::RetaliationCycle { rules: names });
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                out.push(node);
                stack.pop();
            }
        }
    }
    Ok(out)
}

/// The answers `rules` can make to `measures` (the regime's, then the
/// answers themselves), in evaluation order.
///
/// # Errors
/// [`Error::RetaliationCycle`] when rules can answer each other's answers
/// in a cycle; [`Error::DuplicateId`] when a counter-list answer, which
/// takes its rule's id, would share an id with a measure; a selector that
/// picks nothing (see [`RetaliationRule::check`]).
///
/// ```
/// use tariffsim::retaliation::{derive_answers, ResponseGoods, RetaliationRule};
/// use tariffsim::{Authority, Coverage, Goods, Measure, Schedule, units::parse_date};
/// let list = |id: &str| Measure::new(id.parse().unwrap(), Authority::Section301, "US".parse().unwrap(),
///     "CN".parse().unwrap(), Coverage::of(Goods::all()),
///     Schedule::flat(parse_date("2019-01-01").unwrap(), "25%".parse().unwrap())).unwrap();
/// let rule = RetaliationRule::builder("cn".parse()?, "CN".parse()?, "US".parse()?)
///     .watch("authority:section-301".parse()?)
///     .covers(ResponseGoods::MatchValue)
///     .build()?;
/// let answers = derive_answers(&[rule], &[list("list-1"), list("list-2")])?;
/// // One value-matched answer per watched measure.
/// let ids: Vec<&str> = answers.list().iter().map(|a| a.measure().id().as_str()).collect();
/// assert_eq!(ids, ["cn:list-1", "cn:list-2"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn derive_answers(rules: &[RetaliationRule], measures: &[Measure]) -> Result<Answers> {
    for r in rules {
        r.check(measures, rules)?;
    }
    let order = order(rules)?;
    let base = measures.len();
    let mut all: Vec<&Measure> = measures.iter().collect();
    let mut answers: Vec<Answer> = Vec::new();
    for ri in order {
        let rule = &rules[ri];
        let at = |e: Error| e.at(format!("retaliation rule {:?}", rule.id().as_str()));
        let triggers: Vec<usize> = all
            .iter()
            .enumerate()
            .filter(|(_, m)| rule.watches(m))
            .map(|(i, _)| i)
            .collect();
        if triggers.is_empty() {
            let picked: Vec<String> = all
                .iter()
                .filter(|m| rule.trigger().measures.iter().any(|s| s.matches(m)))
                .map(|m| format!("{:?} ({} on {})", m.id().as_str(), m.imposer(), m.target()))
                .take(3)
                .collect();
            return Err(at(Error::Invalid(format!(
                "it answers {} on behalf of {}, but none of the measures it watches is imposed by {} on {}{}: check the rule's party and against",
                rule.against(),
                rule.party(),
                rule.against(),
                rule.party(),
                if picked.is_empty() {
                    String::new()
                } else {
                    format!(" (it picks {})", picked.join(", "))
                }
            ))));
        }
        let layer: LayerId = rule.id().as_str().parse().map_err(at)?;
        let origin = |ts: &[usize]| Origin {
            rule: rule.id().clone(),
            triggers: ts.iter().map(|t| all[*t].id().clone()).collect(),
        };
        let made: Vec<(AnswerKind, MeasureId, Coverage, String, Origin)> = match rule.goods() {
            super::ResponseGoods::List(goods) => {
                let id: MeasureId = rule.id().as_str().parse().map_err(at)?;
                if all.iter().any(|m| m.id() == &id) {
                    return Err(at(Error::Invalid(format!(
                        "its counter-list answer takes the rule's id {:?}, which a measure already has: rename the rule or the measure",
                        id.as_str()
                    ))));
                }
                let name = match triggers.as_slice() {
                    [one] => format!("{} answering {}", rule.id(), all[*one].id()),
                    many => format!("{} answering {} measures", rule.id(), many.len()),
                };
                vec![(
                    AnswerKind::List {
                        triggers: triggers.clone(),
                    },
                    id,
                    Coverage::of(goods.clone()),
                    name,
                    origin(&triggers),
                )]
            }
            _ => triggers
                .iter()
                .map(|&t| {
                    let id = format!("{}:{}", rule.id(), all[t].id())
                        .parse::<MeasureId>()
                        .or_else(|_| format!("{}:{}", rule.id(), answers.len()).parse())
                        .map_err(at)?;
                    Ok((
                        AnswerKind::Value { trigger: t },
                        id,
                        Coverage::matched_value(),
                        format!("{} answering {}", rule.id(), all[t].id()),
                        origin(&[t]),
                    ))
                })
                .collect::<Result<_>>()?,
        };
        for (kind, id, coverage, name, origin) in made {
            let measure = Measure::new(
                id,
                Authority::Retaliation,
                rule.party().clone(),
                rule.against().clone(),
                coverage,
                Schedule::default(),
            )
            .map_err(at)?
            .named(name)
            .in_layer(layer.clone())
            .with_origin(origin);
            answers.push(Answer {
                rule: ri,
                kind,
                measure,
            });
        }
        // Borrow the new answers for the next rules' triggers.
        all = measures
            .iter()
            .chain(answers.iter().map(|a| &a.measure))
            .collect();
    }
    Ok(Answers { base, answers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retaliation::{ResponseGoods, TriggerEvent};
    use crate::tariff::Goods;
    use crate::units::parse_date as d;

    fn list(id: &str) -> Measure {
        Measure::new(
            id.parse().unwrap(),
            Authority::Section301,
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
            Coverage::of(Goods::all()),
            Schedule::flat(d("2019-01-01").unwrap(), "25%".parse().unwrap()),
        )
        .unwrap()
    }

    fn counter(id: &str, party: &str, against: &str) -> RetaliationRule {
        RetaliationRule::builder(
            id.parse().unwrap(),
            party.parse().unwrap(),
            against.parse().unwrap(),
        )
        .watch("authority:retaliation".parse().unwrap())
        .watch("authority:section-301".parse().unwrap())
        .on(TriggerEvent::InForce)
        .covers(ResponseGoods::List(Goods::all()))
        .build()
        .unwrap()
    }

    #[test]
    fn rules_that_answer_each_other_are_a_cycle_named_in_order() {
        let e = derive_answers(
            &[
                counter("cn-counter", "CN", "US"),
                counter("us-counter", "US", "CN"),
            ],
            &[list("list-1")],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "retaliation rules cn-counter -> us-counter -> cn-counter answer each other's answers in a cycle: an answer could keep the one it answers alive after the first trigger is gone; narrow what one of them watches"
        );
    }

    #[test]
    fn a_chain_is_ordered_after_what_it_watches_and_one_list_answer_covers_all_triggers() {
        // The US rule is listed first but watches China's answers, so it
        // comes second; China's list rule watches two lists with one answer.
        let us = RetaliationRule::builder(
            "us-counter".parse().unwrap(),
            "US".parse().unwrap(),
            "CN".parse().unwrap(),
        )
        .watch("layer:cn-soy".parse().unwrap())
        .covers(ResponseGoods::List(Goods::all()))
        .build()
        .unwrap();
        let cn = RetaliationRule::builder(
            "cn-soy".parse().unwrap(),
            "CN".parse().unwrap(),
            "US".parse().unwrap(),
        )
        .watch("list-1".parse().unwrap())
        .watch("list-2".parse().unwrap())
        .covers(ResponseGoods::List(Goods::all()))
        .build()
        .unwrap();
        let a = derive_answers(&[us, cn], &[list("list-1"), list("list-2")]).unwrap();
        let made: Vec<(&str, &[usize])> = a
            .list()
            .iter()
            .map(|x| (x.measure().id().as_str(), x.triggers()))
            .collect();
        assert_eq!(
            made,
            vec![("cn-soy", &[0, 1][..]), ("us-counter", &[2][..])]
        );
    }
}
