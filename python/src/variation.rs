//! Variations of a scenario: new branch probabilities, step rates, step
//! dates and decision dates, applied by rebuilding the scenario through the
//! crate's validating constructors (so a variation is checked exactly as a
//! file is).

use std::collections::BTreeMap;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use tariffsim::outcome::{Branch, Node, OutcomeTree};
use tariffsim::{Date, Error, Probability, Rate, Regime, Scenario, Schedule, Step, StepStatus};

use crate::convert;
use crate::errors::input_error;

/// The edits one variation makes. Keys are ids as written in the scenario.
#[derive(Debug, Clone, Default)]
pub struct Variation {
    /// A label for the variation's rows.
    pub id: String,
    /// Node id -> branch id -> new probability.
    pub probability: BTreeMap<String, BTreeMap<String, Probability>>,
    /// Measure id -> step date -> new rate.
    pub rate: BTreeMap<String, BTreeMap<Date, Rate>>,
    /// Measure id -> step date -> new step date.
    pub step_date: BTreeMap<String, BTreeMap<Date, Date>>,
    /// Node id -> new decision date.
    pub node_date: BTreeMap<String, Date>,
}

const KEYS: [&str; 5] = ["id", "probability", "rate", "step_date", "node_date"];

fn nested<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Bound<'py, PyDict>> {
    value.cast::<PyDict>().cloned().map_err(|_| {
        input_error(
            value.py(),
            "InputTypeError",
            format!("{what} must be a dict"),
            Some(what.to_string()),
        )
    })
}

fn key(k: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    k.cast::<PyString>().map(|s| s.to_string()).map_err(|_| {
        input_error(
            k.py(),
            "InputTypeError",
            format!("the keys of {what} must be ids (str)"),
            Some(what.to_string()),
        )
    })
}

impl Variation {
    /// Reads a variation from a dict such as
    /// `{"id": "v1", "probability": {"busan": {"deal": "0.5", ...}},
    ///   "rate": {"us-fentanyl": {"2025-03-04": "20%"}},
    ///   "step_date": {"us-threat-100": {"2025-11-01": "2025-12-01"}},
    ///   "node_date": {"busan": "2025-10-31"}}`.
    pub fn from_py(d: &Bound<'_, PyAny>, default_id: &str) -> PyResult<Variation> {
        let py = d.py();
        let d = nested(d, "a variation")?;
        let mut v = Variation {
            id: default_id.to_string(),
            ..Variation::default()
        };
        for (k, value) in d.iter() {
            let k = key(&k, "a variation")?;
            match k.as_str() {
                "id" => v.id = value.str()?.to_string(),
                "probability" => {
                    for (node, branches) in nested(&value, "probability")?.iter() {
                        let node = key(&node, "probability")?;
                        let what = format!("probability[{node:?}]");
                        let mut out = BTreeMap::new();
                        for (b, p) in nested(&branches, &what)?.iter() {
                            let b = key(&b, &what)?;
                            let p = convert::probability(&p, &format!("{what}[{b:?}]"))?;
                            out.insert(b, p);
                        }
                        v.probability.insert(node, out);
                    }
                }
                "rate" => {
                    for (m, steps) in nested(&value, "rate")?.iter() {
                        let m = key(&m, "rate")?;
                        let what = format!("rate[{m:?}]");
                        let mut out = BTreeMap::new();
                        for (s, r) in nested(&steps, &what)?.iter() {
                            let s = convert::date(&s, &format!("a step date of {what}"))?;
                            out.insert(s, convert::rate(&r, &format!("{what}[{s}]"))?);
                        }
                        v.rate.insert(m, out);
                    }
                }
                "step_date" => {
                    for (m, steps) in nested(&value, "step_date")?.iter() {
                        let m = key(&m, "step_date")?;
                        let what = format!("step_date[{m:?}]");
                        let mut out = BTreeMap::new();
                        for (s, to) in nested(&steps, &what)?.iter() {
                            let s = convert::date(&s, &format!("a step date of {what}"))?;
                            out.insert(s, convert::date(&to, &format!("{what}[{s}]"))?);
                        }
                        v.step_date.insert(m, out);
                    }
                }
                "node_date" => {
                    for (n, date) in nested(&value, "node_date")?.iter() {
                        let n = key(&n, "node_date")?;
                        let date = convert::date(&date, &format!("node_date[{n:?}]"))?;
                        v.node_date.insert(n, date);
                    }
                }
                other => {
                    return Err(input_error(
                        py,
                        "InvalidScenarioError",
                        format!(
                            "unknown key {other:?} in a variation: use {}",
                            KEYS.join(", ")
                        ),
                        Some(other.to_string()),
                    ));
                }
            }
        }
        Ok(v)
    }

    /// The regime and tree with the edits made, each checked by its
    /// constructor; unknown ids are errors that list what exists.
    fn edited(&self, s: &Scenario) -> tariffsim::Result<(Option<Regime>, Option<OutcomeTree>)> {
        let regime = s.regime();
        for m in self.rate.keys().chain(self.step_date.keys()) {
            if regime.index_of(m).is_none() {
                return Err(unknown(
                    "measure",
                    m,
                    ids(regime.measures().iter().map(|m| m.id().as_str())),
                ));
            }
        }
        let regime = if self.rate.is_empty() && self.step_date.is_empty() {
            None
        } else {
            let mut measures = Vec::with_capacity(regime.measures().len());
            for m in regime.measures() {
                let id = m.id().as_str();
                let rates = self.rate.get(id);
                let dates = self.step_date.get(id);
                if rates.is_none() && dates.is_none() {
                    measures.push(m.clone());
                    continue;
                }
                let schedule = m.schedule();
                let named = rates
                    .into_iter()
                    .flat_map(|r| r.keys())
                    .chain(dates.into_iter().flat_map(|d| d.keys()));
                for date in named {
                    if !schedule.steps().iter().any(|s| s.effective() == *date) {
                        return Err(unknown(
                            "step",
                            &date.to_string(),
                            ids(schedule.steps().iter().map(|s| s.effective().to_string())),
                        )
                        .at(format!("measure {id:?}")));
                    }
                }
                let steps = schedule
                    .steps()
                    .iter()
                    .map(|s| {
                        let effective = dates
                            .and_then(|d| d.get(&s.effective()))
                            .copied()
                            .unwrap_or(s.effective());
                        let rate = rates
                            .and_then(|r| r.get(&s.effective()))
                            .copied()
                            .unwrap_or(s.rate());
                        match s.status() {
                            StepStatus::Announced => Step::announced(effective, rate),
                            StepStatus::InForce => Step::in_force(effective, rate),
                        }
                    })
                    .collect();
                let schedule = Schedule::new(steps, schedule.suspensions().to_vec())
                    .map_err(|e| e.at(format!("measure {id:?}")))?;
                measures.push(m.with_schedule(schedule));
            }
            Some(Regime::new(measures, regime.stacking().to_vec())?)
        };

        let tree = s.tree();
        let nodes = tree.nodes();
        for n in self.probability.keys().chain(self.node_date.keys()) {
            let Some(node) = nodes.iter().find(|x| x.id().as_str() == n) else {
                return Err(unknown(
                    "node",
                    n,
                    ids(nodes.iter().map(|x| x.id().as_str())),
                ));
            };
            for b in self.probability.get(n).into_iter().flat_map(|p| p.keys()) {
                if !node.branches().iter().any(|x| x.id().as_str() == b) {
                    return Err(unknown(
                        "branch",
                        b,
                        ids(node.branches().iter().map(|x| x.id().as_str())),
                    )
                    .at(format!("node {n:?}")));
                }
            }
        }
        let tree = if self.probability.is_empty() && self.node_date.is_empty() {
            None
        } else {
            Some(OutcomeTree::new(self.node(tree.root()))?)
        };
        Ok((regime, tree))
    }

    fn node(&self, node: &Node) -> Node {
        let probs = self.probability.get(node.id().as_str());
        let branches = node
            .branches()
            .iter()
            .map(|b| {
                let p = probs
                    .and_then(|p| p.get(b.id().as_str()))
                    .copied()
                    .unwrap_or(b.probability());
                let mut out = Branch::new(b.id().clone(), b.label(), b.kind(), p);
                for a in b.actions() {
                    out = out.with_action(a.clone());
                }
                for c in b.commitments() {
                    out = out.with_commitment(c.clone());
                }
                if let Some(next) = b.next() {
                    out = out.then(self.node(next));
                }
                out
            })
            .collect();
        let date = self
            .node_date
            .get(node.id().as_str())
            .copied()
            .unwrap_or(node.date());
        Node::new(node.id().clone(), node.label(), date, branches)
    }

    /// Checks the edits against `s` without building the scenario: every id
    /// exists, the edited schedules are ordered, and every node's branch
    /// probabilities still sum to exactly 1.
    pub fn check(&self, s: &Scenario) -> tariffsim::Result<()> {
        self.edited(s).map(|_| ()).map_err(|e| e.at(self.context()))
    }

    /// `s` with the edits made, validated as a whole (actions still inside
    /// the horizon and after their decisions, and so on).
    pub fn apply(&self, s: &Scenario) -> tariffsim::Result<Scenario> {
        let (regime, tree) = self.edited(s).map_err(|e| e.at(self.context()))?;
        if regime.is_none() && tree.is_none() {
            return Ok(s.clone());
        }
        let mut b = s.to_builder();
        if let Some(r) = regime {
            b = b.regime(r);
        }
        if let Some(t) = tree {
            b = b.tree(t);
        }
        b.build()
            .and_then(|v| {
                if s.window() == s.horizon() {
                    Ok(v)
                } else {
                    v.with_window(s.window())
                }
            })
            .map_err(|e| e.at(self.context()))
    }

    fn context(&self) -> String {
        format!("variation {:?}", self.id)
    }
}

fn ids<T: AsRef<str>>(items: impl Iterator<Item = T>) -> String {
    items
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown(kind: &'static str, id: &str, known: String) -> Error {
    Error::Unknown {
        kind,
        id: id.to_string(),
        fix: format!("; known: {known}"),
    }
}
