//! Negotiation outcomes: dated actions on measures, and trees of decisions.
//!
//! An [`OutcomeTree`] has decision points ([`Node`]s) at dates — a summit, a
//! deadline, a truce expiry — each with [`Branch`]es that carry a probability
//! and the [`Action`]s that branch takes. Branch probabilities at a node sum to
//! exactly 1 (checked in `Decimal`). A root-to-leaf [`Path`] is one scenario;
//! its probability is the product along it.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::tariff::{AfterEdit, Schedule, Selector};
use crate::units::{Date, Money, NodeId, Party, Probability, Rate, Window};

/// The deepest tree accepted: 64 levels of decisions.
pub const MAX_DEPTH: usize = 64;
/// The most leaves (paths) a tree may have: 100,000.
pub const MAX_LEAVES: usize = 100_000;

/// How a negotiation round ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    /// Nothing changes beyond what is already scheduled.
    StatusQuo,
    /// A deal: cuts, rollbacks, commitments.
    Deal,
    /// A truce: scheduled steps held back for a while.
    Truce,
    /// A deadline moved.
    Postponement,
    /// New or higher duties.
    Escalation,
    /// Talks break down.
    Collapse,
    /// A court ruling.
    Ruling,
}

impl OutcomeKind {
    /// Every kind, in documentation order.
    pub const ALL: [OutcomeKind; 7] = [
        OutcomeKind::StatusQuo,
        OutcomeKind::Deal,
        OutcomeKind::Truce,
        OutcomeKind::Postponement,
        OutcomeKind::Escalation,
        OutcomeKind::Collapse,
        OutcomeKind::Ruling,
    ];

    /// The name used in files.
    pub fn name(&self) -> &'static str {
        match self {
            OutcomeKind::StatusQuo => "status-quo",
            OutcomeKind::Deal => "deal",
            OutcomeKind::Truce => "truce",
            OutcomeKind::Postponement => "postponement",
            OutcomeKind::Escalation => "escalation",
            OutcomeKind::Collapse => "collapse",
            OutcomeKind::Ruling => "ruling",
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OutcomeKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<OutcomeKind> {
        OutcomeKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                Error::unknown(
                    "outcome kind",
                    s,
                    format!(
                        "; write one of {}",
                        OutcomeKind::ALL.map(|k| k.name()).join(", ")
                    ),
                )
            })
    }
}

/// When a postponed step takes effect instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Postponement {
    /// On this date.
    To(Date),
    /// This many days later.
    ByDays(i64),
    /// Without a new date: the step goes back to announced.
    Indefinitely,
}

/// What an action does to the measures it selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// Moves the step dated `step`.
    Postpone {
        /// The step's current date.
        step: Date,
        /// Where it goes.
        to: Postponement,
        /// Whether every later step moves by the same number of days
        /// (otherwise postponing past a later step is an error).
        shift_later: bool,
    },
    /// Suspends the rate to `rate` from `from` until `until` (not counted).
    Suspend {
        /// First day suspended.
        from: Date,
        /// First day the rate snaps back.
        until: Date,
        /// The rate while suspended.
        rate: Rate,
    },
    /// Moves the end of the suspension in force on `on` to `until`.
    ExtendSuspension {
        /// A day of the suspension (or its end), when the extension is decided.
        on: Date,
        /// The new first day the rate snaps back.
        until: Date,
    },
    /// Cuts the rate to `rate` from `from`.
    Cut {
        /// First day at the lower rate.
        from: Date,
        /// The lower rate.
        rate: Rate,
        /// What happens to later scheduled steps; `None` is an error when
        /// there are any (say which), and means [`AfterEdit::Hold`] otherwise.
        then: Option<AfterEdit>,
    },
    /// Raises the rate to `rate` from `from`.
    Raise {
        /// First day at the higher rate.
        from: Date,
        /// The higher rate.
        rate: Rate,
        /// As for [`ActionKind::Cut`].
        then: Option<AfterEdit>,
    },
    /// Ends the measures from `from`.
    Revoke {
        /// First day without the duty.
        from: Date,
    },
    /// Brings announced (threatened) steps into force: the one dated `step`, or
    /// all of them.
    Impose {
        /// The step, or `None` for every announced step.
        step: Option<Date>,
    },
    /// Voids the measures' legal basis from `from` (a court ruling): they end,
    /// and every duty they collected, from their first day to the ruling, is
    /// owed back. Nothing may revive them after the ruling.
    Void {
        /// The ruling's effective date.
        from: Date,
    },
}

/// A dated action on the measures a [`Selector`] picks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Action {
    target: Selector,
    kind: ActionKind,
}

impl Action {
    /// An action on the measures `target` picks.
    pub fn new(target: Selector, kind: ActionKind) -> Action {
        Action { target, kind }
    }

    /// Which measures.
    pub fn target(&self) -> &Selector {
        &self.target
    }

    /// What it does.
    pub fn kind(&self) -> &ActionKind {
        &self.kind
    }

    /// The date the action takes effect (for `Impose` of every announced
    /// step, the earliest announced step of `schedule`).
    pub fn effective_date(&self, schedule: &Schedule) -> Option<Date> {
        match self.kind {
            ActionKind::Postpone { step, .. } => Some(step),
            ActionKind::Suspend { from, .. } => Some(from),
            ActionKind::ExtendSuspension { on, .. } => Some(on),
            ActionKind::Cut { from, .. }
            | ActionKind::Raise { from, .. }
            | ActionKind::Revoke { from }
            | ActionKind::Void { from } => Some(from),
            ActionKind::Impose { step: Some(d) } => Some(d),
            ActionKind::Impose { step: None } => schedule
                .steps()
                .iter()
                .find(|s| s.status() == crate::tariff::StepStatus::Announced)
                .map(|s| s.effective()),
        }
    }

    /// Applies the action to one schedule.
    ///
    /// # Errors
    /// The schedule operation's error: a missing step, a cut that raises, an
    /// overlapping suspension, ...
    pub fn apply(&self, schedule: &Schedule) -> Result<Schedule> {
        match self.kind {
            ActionKind::Postpone {
                step,
                to,
                shift_later,
            } => {
                let to = match to {
                    Postponement::To(d) => d,
                    Postponement::ByDays(n) => jiff::Span::new()
                        .try_days(n)
                        .ok()
                        .and_then(|span| step.checked_add(span).ok())
                        .ok_or_else(|| {
                            Error::Invalid(format!(
                                "postponing {step} by {n} days leaves the calendar"
                            ))
                        })?,
                    Postponement::Indefinitely => return schedule.postpone_indefinitely(step),
                };
                if shift_later {
                    schedule.postpone_shifting(step, to)
                } else {
                    schedule.postpone(step, to)
                }
            }
            ActionKind::Suspend { from, until, rate } => {
                schedule.suspend(Window::new(from, until)?, rate)
            }
            ActionKind::ExtendSuspension { on, until } => schedule.extend_suspension(on, until),
            ActionKind::Cut { from, rate, then } => {
                schedule.cut(from, rate, edit_then("cut", schedule, from, then)?)
            }
            ActionKind::Raise { from, rate, then } => {
                schedule.raise(from, rate, edit_then("raise", schedule, from, then)?)
            }
            ActionKind::Revoke { from } | ActionKind::Void { from } => Ok(schedule.revoke(from)),
            ActionKind::Impose { step } => schedule.impose(step),
        }
    }

    /// The void date, for an action that voids.
    pub fn void_date(&self) -> Option<Date> {
        match self.kind {
            ActionKind::Void { from } => Some(from),
            _ => None,
        }
    }
}

/// What a cut or raise does to later steps: as stated, or — when the
/// schedule has none — hold.
fn edit_then(
    action: &str,
    schedule: &Schedule,
    from: Date,
    then: Option<AfterEdit>,
) -> Result<AfterEdit> {
    match then {
        Some(t) => Ok(t),
        None if schedule.has_steps_after(from) => {
            let later: Vec<String> = schedule
                .steps()
                .iter()
                .filter(|s| {
                    s.status() == crate::tariff::StepStatus::InForce && s.effective() > from
                })
                .map(|s| s.effective().to_string())
                .collect();
            Err(Error::Invalid(format!(
                "the {action} on {from} comes before scheduled steps ({}): say whether they still apply with then = \"keep-schedule\" or end with then = \"hold\"",
                later.join(", ")
            )))
        }
        None => Ok(AfterEdit::Hold),
    }
}

/// A non-tariff term: a party commits to buy `annual_value` a year over a
/// window. Tracked and reported; it does not change any duty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Commitment {
    buyer: Party,
    description: String,
    annual_value: Money,
    window: Window,
}

impl Commitment {
    /// `buyer` commits to purchases of `annual_value` a year over `window`.
    ///
    /// # Errors
    /// [`Error::Negative`] for a negative value.
    pub fn new(
        buyer: Party,
        description: impl Into<String>,
        annual_value: Money,
        window: Window,
    ) -> Result<Commitment> {
        let description = description.into();
        if annual_value.amount().is_sign_negative() && !annual_value.amount().is_zero() {
            return Err(Error::Negative {
                what: format!("commitment {description:?}"),
                value: annual_value.amount(),
            });
        }
        Ok(Commitment {
            buyer,
            description,
            annual_value,
            window,
        })
    }

    /// Who buys.
    pub fn buyer(&self) -> &Party {
        &self.buyer
    }

    /// What is bought.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The value a year.
    pub fn annual_value(&self) -> Money {
        self.annual_value
    }

    /// When the commitment runs.
    pub fn window(&self) -> Window {
        self.window
    }
}

/// One way a decision can go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    id: NodeId,
    label: String,
    kind: OutcomeKind,
    probability: Probability,
    actions: Vec<Action>,
    commitments: Vec<Commitment>,
    next: Option<Box<Node>>,
}

impl Branch {
    /// A branch with no actions and no later decision.
    pub fn new(
        id: NodeId,
        label: impl Into<String>,
        kind: OutcomeKind,
        probability: Probability,
    ) -> Branch {
        Branch {
            id,
            label: label.into(),
            kind,
            probability,
            actions: Vec::new(),
            commitments: Vec::new(),
            next: None,
        }
    }

    /// The same branch with one more action.
    pub fn with_action(mut self, action: Action) -> Branch {
        // Most branches take one action: hold exactly one until a second
        // comes (a tree of 100,000 leaves keeps every branch's list).
        if self.actions.is_empty() {
            self.actions.reserve_exact(1);
        }
        self.actions.push(action);
        self
    }

    /// The same branch with one more commitment.
    pub fn with_commitment(mut self, commitment: Commitment) -> Branch {
        if self.commitments.is_empty() {
            self.commitments.reserve_exact(1);
        }
        self.commitments.push(commitment);
        self
    }

    /// The same branch followed by another decision.
    pub fn then(mut self, node: Node) -> Branch {
        self.next = Some(Box::new(node));
        self
    }

    /// The id.
    pub fn id(&self) -> &NodeId {
        &self.id
    }

    /// The label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The kind of outcome.
    pub fn kind(&self) -> OutcomeKind {
        self.kind
    }

    /// The probability, given the decision is reached.
    pub fn probability(&self) -> Probability {
        self.probability
    }

    /// The actions, in order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The commitments.
    pub fn commitments(&self) -> &[Commitment] {
        &self.commitments
    }

    /// The next decision, if any.
    pub fn next(&self) -> Option<&Node> {
        self.next.as_deref()
    }
}

/// A dated decision point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    id: NodeId,
    label: String,
    date: Date,
    branches: Vec<Branch>,
}

impl Node {
    /// A decision on `date` with its branches.
    pub fn new(id: NodeId, label: impl Into<String>, date: Date, branches: Vec<Branch>) -> Node {
        Node {
            id,
            label: label.into(),
            date,
            branches,
        }
    }

    /// The id.
    pub fn id(&self) -> &NodeId {
        &self.id
    }

    /// The label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The date of the decision.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The branches.
    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }
}

/// A validated outcome tree.
///
/// ```
/// use tariffsim::outcome::*;
/// use tariffsim::units::parse_date;
/// let tree = OutcomeTree::new(Node::new("g20".parse()?, "G20 summit", parse_date("2018-12-01")?, vec![
///     Branch::new("truce".parse()?, "Truce", OutcomeKind::Truce, "0.6".parse()?),
///     Branch::new("no-deal".parse()?, "No deal", OutcomeKind::Escalation, "0.4".parse()?),
/// ]))?;
/// assert_eq!(tree.paths().len(), 2);
/// assert!("0.5".parse::<tariffsim::Probability>().is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeTree {
    root: Node,
    paths: Vec<Path>,
}

/// One root-to-leaf path through an outcome tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    id: Box<str>,
    steps: Box<[PathStep]>,
    probability: Decimal,
}

/// One branch taken on a path. A label is shared by every path through its
/// branch, so a tree of 100,000 leaves holds each label once per branch.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PathStep {
    /// The node's index in pre-order and the branch's among its branches;
    /// `None` for a reference, which takes no branch.
    at: Option<(u32, u32)>,
    kind: OutcomeKind,
    label: Arc<str>,
}

impl Path {
    /// The branch ids joined by `/`, e.g. `truce/deal`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The branch labels along the path, first decision first.
    pub fn labels(&self) -> impl ExactSizeIterator<Item = &str> {
        self.steps.iter().map(|s| &*s.label)
    }

    /// The outcome kinds along the path, first decision first.
    pub fn kinds(&self) -> impl ExactSizeIterator<Item = OutcomeKind> + '_ {
        self.steps.iter().map(|s| s.kind)
    }

    /// The product of the branch probabilities along the path (exact).
    pub fn probability(&self) -> Decimal {
        self.probability
    }

    /// The branches the path takes, first decision first: each as the
    /// index of its node in pre-order ([`OutcomeTree::nodes`]) and its
    /// index among the node's branches.
    #[cfg(any(test, feature = "parallel"))]
    pub(crate) fn branches_taken(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.steps
            .iter()
            .filter_map(|s| s.at)
            .map(|(n, b)| (n as usize, b as usize))
    }

    /// A reference that takes no branch, with probability 0.
    pub(crate) fn reference(id: &str, label: &str, kind: OutcomeKind) -> Path {
        Path {
            id: id.into(),
            steps: Box::new([PathStep {
                at: None,
                kind,
                label: label.into(),
            }]),
            probability: Decimal::ZERO,
        }
    }
}

impl OutcomeTree {
    /// A validated tree.
    ///
    /// # Errors
    /// [`Error::NoBranches`], [`Error::ProbabilitySum`] for probabilities that
    /// do not add up to exactly 1, [`Error::DuplicateId`] for a node or
    /// branch id used twice under one parent or nodes sharing an id,
    /// [`Error::TreeLimit`] past [`MAX_DEPTH`] or [`MAX_LEAVES`], and
    /// [`Error::Invalid`] for a decision dated before the one it follows or
    /// a path whose probability (the exact product of its branches') needs
    /// more than the 28 decimal places a decimal holds.
    pub fn new(root: Node) -> Result<OutcomeTree> {
        let mut node_ids = HashSet::new();
        let mut leaves = 0usize;
        check_node(&root, None, 1, &mut node_ids, &mut leaves)?;
        let mut paths = Vec::with_capacity(leaves);
        let mut counter = 0u32;
        collect_paths(&root, &mut counter, &mut Vec::new(), &mut paths)?;
        Ok(OutcomeTree { root, paths })
    }

    /// A tree of one decision with one certain branch, `id`, and no
    /// actions: every measure as scheduled.
    pub(crate) fn status_quo(id: &str, date: Date) -> OutcomeTree {
        let ids = (id.parse::<NodeId>(), "now".parse::<NodeId>());
        match ids {
            (Ok(b), Ok(n)) => {
                let root = Node::new(
                    n,
                    "No decision",
                    date,
                    vec![Branch::new(
                        b,
                        "As scheduled",
                        OutcomeKind::StatusQuo,
                        Probability::ONE,
                    )],
                );
                let paths = vec![Path {
                    id: id.into(),
                    steps: Box::new([PathStep {
                        at: Some((0, 0)),
                        kind: OutcomeKind::StatusQuo,
                        label: "As scheduled".into(),
                    }]),
                    probability: Decimal::ONE,
                }];
                OutcomeTree { root, paths }
            }
            _ => unreachable!("the reference id and \"now\" are valid ids"),
        }
    }

    /// The root decision.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// Every root-to-leaf path, in pre-order (first branches first).
    pub fn paths(&self) -> &[Path] {
        &self.paths
    }

    /// The path with id `id`.
    pub fn path(&self, id: &str) -> Option<&Path> {
        self.paths.iter().find(|p| &*p.id == id)
    }

    /// Every node in pre-order.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
            out.push(n);
            for b in &n.branches {
                if let Some(c) = b.next.as_deref() {
                    walk(c, out);
                }
            }
        }
        walk(&self.root, &mut out);
        out
    }

    /// The (node, branch) pairs along `path`.
    pub fn steps<'a>(&'a self, path: &Path) -> Vec<(&'a Node, &'a Branch)> {
        let nodes = self.nodes();
        path.steps
            .iter()
            .filter_map(|s| s.at)
            .map(|(n, b)| {
                let node = nodes[n as usize];
                (node, &node.branches[b as usize])
            })
            .collect()
    }
}

fn check_node(
    node: &Node,
    parent_date: Option<Date>,
    depth: usize,
    ids: &mut HashSet<NodeId>,
    leaves: &mut usize,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::TreeLimit {
            what: "depth",
            found: depth,
            limit: MAX_DEPTH,
        });
    }
    if !ids.insert(node.id.clone()) {
        return Err(Error::DuplicateId {
            kind: "node",
            id: node.id.to_string(),
        });
    }
    for (kind, id) in
        std::iter::once(("node", &node.id)).chain(node.branches.iter().map(|b| ("branch", &b.id)))
    {
        if id.as_str().contains('/') {
            return Err(Error::Parse {
                what: kind,
                input: id.to_string(),
                fix: "ids in an outcome tree cannot hold \"/\", which joins branch ids into path ids; use letters, digits, . _ - or :".into(),
            });
        }
    }
    if let Some(p) = parent_date {
        if node.date < p {
            return Err(Error::Invalid(format!(
                "node {:?} is dated {}, before the decision it follows ({p}): date decisions in order",
                node.id.as_str(),
                node.date
            )));
        }
    }
    if node.branches.is_empty() {
        return Err(Error::NoBranches {
            node: node.id.to_string(),
        });
    }
    let mut branch_ids = HashSet::new();
    let mut sum = Decimal::ZERO;
    for b in &node.branches {
        if !branch_ids.insert(b.id.clone()) {
            return Err(Error::DuplicateId {
                kind: "branch",
                id: format!("{}/{}", node.id, b.id),
            });
        }
        sum += b.probability.value();
    }
    if sum != Decimal::ONE {
        return Err(Error::ProbabilitySum {
            node: node.id.to_string(),
            sum: sum.normalize(),
        });
    }
    for b in &node.branches {
        match &b.next {
            Some(child) => check_node(child, Some(node.date), depth + 1, ids, leaves)?,
            None => {
                *leaves += 1;
                if *leaves > MAX_LEAVES {
                    return Err(Error::TreeLimit {
                        what: "leaf count",
                        found: *leaves,
                        limit: MAX_LEAVES,
                    });
                }
            }
        }
    }
    Ok(())
}

fn collect_paths<'a>(
    node: &'a Node,
    counter: &mut u32,
    prefix: &mut Vec<(PathStep, &'a NodeId, Decimal)>,
    out: &mut Vec<Path>,
) -> Result<()> {
    let me = *counter;
    *counter += 1;
    for (bi, b) in node.branches.iter().enumerate() {
        let p = prefix.last().map_or(Decimal::ONE, |x| x.2);
        let at = || format!("node {:?}, branch {:?}", node.id.as_str(), b.id.as_str());
        let prob = exact_product(p, b.probability.value()).map_err(|places| {
            Error::Invalid(format!(
                "the path's probability needs {places} decimal places, more than the 28 a decimal holds: give the branch probabilities along it fewer decimal places"
            ))
            .at(at())
        })?;
        // Within MAX_LEAVES and MAX_DEPTH, so never past u32.
        let bi =
            u32::try_from(bi).map_err(|_| Error::Invalid("too many branches".into()).at(at()))?;
        let step = PathStep {
            at: Some((me, bi)),
            kind: b.kind,
            label: b.label.as_str().into(),
        };
        prefix.push((step, &b.id, prob));
        match &b.next {
            Some(child) => collect_paths(child, counter, prefix, out)?,
            None => out.push(Path {
                id: prefix
                    .iter()
                    .map(|x| x.1.as_str())
                    .collect::<Vec<_>>()
                    .join("/")
                    .into(),
                steps: prefix.iter().map(|x| x.0.clone()).collect(),
                probability: prob,
            }),
        }
        prefix.pop();
    }
    Ok(())
}

/// The product of two probabilities when a decimal holds it exactly, else
/// the number of decimal places it needs. The exact product `ma·mb /
/// 10^(sa+sb)` loses one place per factor 10 of `ma·mb`, and those factors
/// are the pairs of 2s and 5s in the two mantissas.
fn exact_product(a: Decimal, b: Decimal) -> std::result::Result<Decimal, u32> {
    if a.is_zero() || b.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let count = |mut m: u128, f: u128| {
        let mut n = 0;
        while m % f == 0 {
            m /= f;
            n += 1;
        }
        n
    };
    let (ma, mb) = (a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
    let tens = (count(ma, 2) + count(mb, 2)).min(count(ma, 5) + count(mb, 5));
    let places = (a.scale() + b.scale()).saturating_sub(tens);
    if places > 28 {
        return Err(places);
    }
    a.checked_mul(b).ok_or(places)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::parse_date as d;

    fn b(id: &str, p: &str) -> Branch {
        Branch::new(
            id.parse().unwrap(),
            id,
            OutcomeKind::Deal,
            p.parse().unwrap(),
        )
    }

    #[test]
    fn paths_give_their_branches_labels_kinds_and_steps_in_order() {
        // Two decisions: "truce" (0.5) leads to a second node whose
        // "deal" (0.4) is an escalation-free deal; "war" (0.5) ends.
        let second = Node::new(
            "later".parse().unwrap(),
            "",
            d("2019-06-01").unwrap(),
            vec![
                Branch::new(
                    "deal".parse().unwrap(),
                    "Deal signed",
                    OutcomeKind::Deal,
                    "0.4".parse().unwrap(),
                ),
                Branch::new(
                    "collapse".parse().unwrap(),
                    "Talks collapse",
                    OutcomeKind::Collapse,
                    "0.6".parse().unwrap(),
                ),
            ],
        );
        let tree = OutcomeTree::new(Node::new(
            "g20".parse().unwrap(),
            "",
            d("2018-12-01").unwrap(),
            vec![
                Branch::new(
                    "truce".parse().unwrap(),
                    "Truce",
                    OutcomeKind::Truce,
                    "0.5".parse().unwrap(),
                )
                .then(second),
                Branch::new(
                    "war".parse().unwrap(),
                    "Escalation",
                    OutcomeKind::Escalation,
                    "0.5".parse().unwrap(),
                ),
            ],
        ))
        .unwrap();
        let ids: Vec<&str> = tree.paths().iter().map(Path::id).collect();
        assert_eq!(ids, ["truce/deal", "truce/collapse", "war"]);
        let p = tree.path("truce/collapse").unwrap();
        assert_eq!(p.labels().collect::<Vec<_>>(), ["Truce", "Talks collapse"]);
        assert_eq!(
            p.kinds().collect::<Vec<_>>(),
            [OutcomeKind::Truce, OutcomeKind::Collapse]
        );
        // 0.5 × 0.6
        assert_eq!(p.probability().to_string(), "0.30");
        // The steps lead to the very branches named: node "later" is the
        // second node in pre-order, "collapse" its second branch.
        let steps: Vec<(&str, &str)> = tree
            .steps(p)
            .into_iter()
            .map(|(n, b)| (n.id().as_str(), b.id().as_str()))
            .collect();
        assert_eq!(steps, [("g20", "truce"), ("later", "collapse")]);
        // A reference takes no branch but keeps its label and kind.
        let r = Path::reference("as-scheduled", "As scheduled", OutcomeKind::StatusQuo);
        assert!(tree.steps(&r).is_empty());
        assert_eq!(r.labels().collect::<Vec<_>>(), ["As scheduled"]);
        assert_eq!(r.kinds().collect::<Vec<_>>(), [OutcomeKind::StatusQuo]);
    }

    #[test]
    fn probabilities_must_sum_to_exactly_one() {
        let e = OutcomeTree::new(Node::new(
            "g20".parse().unwrap(),
            "",
            d("2018-12-01").unwrap(),
            vec![b("a", "0.6"), b("b", "0.3")],
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "branch probabilities of node \"g20\" sum to 0.9, not 1: adjust them so they add up exactly"
        );
    }

    #[test]
    fn empty_nodes_and_out_of_order_dates_are_refused() {
        let e = OutcomeTree::new(Node::new(
            "x".parse().unwrap(),
            "",
            d("2019-01-01").unwrap(),
            vec![],
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "node \"x\" has no branches: give it at least one"
        );
        let child = Node::new(
            "later".parse().unwrap(),
            "",
            d("2018-01-01").unwrap(),
            vec![b("c", "1")],
        );
        let e = OutcomeTree::new(Node::new(
            "first".parse().unwrap(),
            "",
            d("2019-01-01").unwrap(),
            vec![b("a", "1").then(child)],
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "node \"later\" is dated 2018-01-01, before the decision it follows (2019-01-01): date decisions in order"
        );
    }

    #[test]
    fn path_probabilities_multiply_and_sum_to_one() {
        // 0.6 × 0.5 = 0.30, 0.6 × 0.5 = 0.30, 0.4: total 1.
        let child = Node::new(
            "expiry".parse().unwrap(),
            "",
            d("2019-03-01").unwrap(),
            vec![b("deal", "0.5"), b("collapse", "0.5")],
        );
        let t = OutcomeTree::new(Node::new(
            "g20".parse().unwrap(),
            "",
            d("2018-12-01").unwrap(),
            vec![b("truce", "0.6").then(child), b("no-deal", "0.4")],
        ))
        .unwrap();
        let ids: Vec<&str> = t.paths().iter().map(Path::id).collect();
        assert_eq!(ids, ["truce/deal", "truce/collapse", "no-deal"]);
        assert_eq!(t.paths()[0].probability(), Decimal::new(30, 2));
        let total: Decimal = t.paths().iter().map(Path::probability).sum();
        assert_eq!(total, Decimal::ONE);
    }

    #[test]
    fn path_probabilities_a_decimal_cannot_hold_are_refused() {
        // 0.5^28 has 28 decimal places and is held exactly; 0.5^29 needs 29
        // and would be rounded, so the paths would not sum to exactly 1.
        let chain = |levels: usize| {
            let mut node: Option<Node> = None;
            for k in (0..levels).rev() {
                let mut go = b("go", "0.5");
                if let Some(n) = node.take() {
                    go = go.then(n);
                }
                node = Some(Node::new(
                    format!("n{k}").parse().unwrap(),
                    "",
                    d("2019-01-01").unwrap(),
                    vec![b("stop", "0.5"), go],
                ));
            }
            node.unwrap()
        };
        let t = OutcomeTree::new(chain(28)).unwrap();
        assert_eq!(
            t.paths().iter().map(Path::probability).sum::<Decimal>(),
            Decimal::ONE
        );
        assert_eq!(
            OutcomeTree::new(chain(29)).unwrap_err().to_string(),
            "node \"n28\", branch \"stop\": the path's probability needs 29 decimal places, more than the 28 a decimal holds: give the branch probabilities along it fewer decimal places"
        );
        // Trailing zeros cancel: 0.2 × 0.5 needs one place, not two.
        assert_eq!(
            exact_product(Decimal::new(2, 1), Decimal::new(5, 1)),
            Ok(Decimal::new(1, 1))
        );
    }

    #[test]
    fn a_tree_deeper_than_the_limit_is_refused() {
        let mut node = Node::new(
            "n0".parse().unwrap(),
            "",
            d("2019-01-01").unwrap(),
            vec![b("leaf", "1")],
        );
        for i in 1..=MAX_DEPTH {
            node = Node::new(
                format!("n{i}").parse().unwrap(),
                "",
                d("2019-01-01").unwrap(),
                vec![b("x", "1").then(node)],
            );
        }
        assert_eq!(
            OutcomeTree::new(node).unwrap_err().to_string(),
            "outcome tree depth is 65, above the limit of 64"
        );
    }
}
