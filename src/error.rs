//! The crate's one error type.
//!
//! Every variant carries the ids, dates or values needed to fix the input, and
//! its message says what is wrong and, where there is one, what to write
//! instead. Messages are lowercase and carry no trailing period. Errors raised
//! deep inside (a schedule, a rate) are wrapped on their way out with the item
//! and file they belong to ([`Error::In`]), so the one line a user sees names
//! the file, the item and the fix.

use rust_decimal::Decimal;

use crate::units::Date;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `tariffsim`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A text could not be read as the value it should hold.
    #[error("invalid {what} {input:?}: {fix}")]
    Parse {
        /// What was being read ("rate", "date", "HS code", ...).
        what: &'static str,
        /// The text as written.
        input: String,
        /// What to write instead.
        fix: String,
    },
    /// A value that must be zero or more is negative.
    #[error("{what} is negative ({value}): it must be zero or more")]
    Negative {
        /// The item the value belongs to.
        what: String,
        /// The value as given.
        value: Decimal,
    },
    /// A probability or share lies outside `0..=1`.
    #[error("{what} {value} is outside 0..=1")]
    OutOfUnitRange {
        /// "probability" or "share", with the item it belongs to.
        what: String,
        /// The value as given.
        value: Decimal,
    },
    /// A window ends before it starts.
    #[error("window {start}..{end} ends before it starts: write the earlier date first")]
    WindowReversed {
        /// The first date as given.
        start: Date,
        /// The second date as given.
        end: Date,
    },
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} with {right}: convert one of them first")]
    CurrencyMismatch {
        /// One currency code.
        left: String,
        /// The other currency code.
        right: String,
    },
    /// Decimal arithmetic overflowed.
    #[error("arithmetic overflow while computing {what}: the values are too large to hold exactly")]
    Overflow {
        /// What was being computed.
        what: String,
    },
    /// A schedule's steps are not in date order.
    #[error("schedule steps are out of order: {later} comes after {earlier}; list steps by date")]
    StepsUnordered {
        /// The step listed first.
        later: Date,
        /// The step listed after it, with an earlier date.
        earlier: Date,
    },
    /// Two steps of one schedule fall on the same date.
    #[error("schedule has two steps on {date}: keep one rate per date")]
    StepsSameDate {
        /// The shared date.
        date: Date,
    },
    /// Two suspension windows of one schedule overlap.
    #[error("schedule has overlapping suspensions {first} and {second}: merge them or move one")]
    SuspensionsOverlap {
        /// The earlier suspension.
        first: String,
        /// The later suspension.
        second: String,
    },
    /// A schedule operation named a step the schedule does not have.
    #[error("schedule has no step on {date}{fix}")]
    NoSuchStep {
        /// The date named.
        date: Date,
        /// The dates that exist, as a hint.
        fix: String,
    },
    /// A schedule operation named a suspension the schedule does not have.
    #[error("schedule has no suspension in force on {date}: suspend first, then extend")]
    NoSuchSuspension {
        /// The date named.
        date: Date,
    },
    /// A cut or raise went the wrong way.
    #[error("{action} to {rate} on {date} is not {direction} the {current} in force then")]
    WrongDirection {
        /// "cut" or "raise".
        action: &'static str,
        /// The new rate.
        rate: String,
        /// The rate in force on that date.
        current: String,
        /// "below" or "above".
        direction: &'static str,
        /// The date of the change.
        date: Date,
    },
    /// An id was used twice where ids must be unique.
    #[error("{kind} id {id:?} is used twice: give each {kind} its own id")]
    DuplicateId {
        /// "measure", "basket", "rule", ...
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A reference to something that does not exist.
    #[error("unknown {kind} {id:?}{fix}")]
    Unknown {
        /// "measure", "basket", "authority", ...
        kind: &'static str,
        /// The id as written.
        id: String,
        /// A hint: what exists, or where it should be defined.
        fix: String,
    },
    /// Branch probabilities at a decision node do not sum to exactly 1.
    #[error(
        "branch probabilities of node {node:?} sum to {sum}, not 1: adjust them so they add up exactly"
    )]
    ProbabilitySum {
        /// The node id.
        node: String,
        /// The exact sum found.
        sum: Decimal,
    },
    /// A decision node has no branches.
    #[error("node {node:?} has no branches: give it at least one")]
    NoBranches {
        /// The node id.
        node: String,
    },
    /// An outcome tree exceeds a documented limit.
    #[error("outcome tree {what} is {found}, above the limit of {limit}")]
    TreeLimit {
        /// "depth" or "leaf count".
        what: &'static str,
        /// What the tree has.
        found: usize,
        /// The documented limit.
        limit: usize,
    },
    /// An action's date falls before its decision point or outside the horizon.
    #[error("action on {target:?} dated {date} {problem}")]
    ActionDate {
        /// The measure or authority the action names.
        target: String,
        /// The action's date.
        date: Date,
        /// What is wrong, with the bound it breaks.
        problem: String,
    },
    /// Retaliation answers kept changing each other past the bound.
    #[error("retaliation does not settle: the answers of rules {} still change after {bound} rounds; narrow what they watch or give one an active window", rules.join(", "))]
    RetaliationLoop {
        /// The rules whose answers still changed.
        rules: Vec<String>,
        /// The bound that was hit.
        bound: usize,
    },
    /// Retaliation rules can answer each other's answers in a cycle.
    #[error("retaliation rules {} answer each other's answers in a cycle: an answer could keep the one it answers alive after the first trigger is gone; narrow what one of them watches", rules.join(" -> "))]
    RetaliationCycle {
        /// The rules on the cycle, the first repeated at the end.
        rules: Vec<String>,
    },
    /// A baseline has no value for a date the evaluation needs.
    #[error("baseline {baseline} has no value for {period}: add that period or widen the baseline")]
    BaselineGap {
        /// The baseline, as "importer<-exporter".
        baseline: String,
        /// The missing period.
        period: String,
    },
    /// Input that is well formed but inconsistent, with what to change.
    #[error("{0}")]
    Invalid(String),
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// An error with the item (and file, line, field) it happened in.
    #[error("{context}: {inner}")]
    In {
        /// Where: file, record, item.
        context: String,
        /// What went wrong there.
        inner: Box<Error>,
    },
}

impl Error {
    /// Wraps this error with the place it happened in: a file, a record, an item.
    ///
    /// ```
    /// use tariffsim::Error;
    /// let e = Error::Invalid("bad".into()).at("measure \"list-3\"");
    /// assert_eq!(e.to_string(), "measure \"list-3\": bad");
    /// ```
    pub fn at(self, context: impl Into<String>) -> Error {
        Error::In {
            context: context.into(),
            inner: Box::new(self),
        }
    }

    /// The innermost error, without the places it was wrapped in.
    pub fn innermost(&self) -> &Error {
        match self {
            Error::In { inner, .. } => inner.innermost(),
            other => other,
        }
    }

    pub(crate) fn overflow(what: impl Into<String>) -> Error {
        Error::Overflow { what: what.into() }
    }

    pub(crate) fn unknown(
        kind: &'static str,
        id: impl Into<String>,
        fix: impl Into<String>,
    ) -> Error {
        Error::Unknown {
            kind,
            id: id.into(),
            fix: fix.into(),
        }
    }

    /// An unknown `id` among `known`, naming the few nearest (by edit
    /// distance) and how many more there are.
    pub(crate) fn unknown_among<'a>(
        kind: &'static str,
        id: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Error {
        const SHOWN: usize = 5;
        let mut all: Vec<(usize, &str)> = known
            .into_iter()
            .map(|k| (edit_distance(id, k), k))
            .collect();
        all.sort();
        let more = all.len().saturating_sub(SHOWN);
        let names: Vec<&str> = all.iter().take(SHOWN).map(|(_, k)| *k).collect();
        let fix = match (names.is_empty(), more) {
            (true, _) => ": there are none".to_string(),
            (false, 0) => format!("; known: {}", names.join(", ")),
            (false, n) => format!("; nearest: {} (and {n} more)", names.join(", ")),
        };
        Error::unknown(kind, truncate(id, 80), fix)
    }
}

/// At most `max` characters of `s`, with control characters escaped.
fn truncate(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).flat_map(char::escape_debug).collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Adds context to the error of a `Result`.
pub(crate) trait ResultExt<T> {
    /// Wraps the error, if any, with where it happened.
    fn at(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> ResultExt<T> for Result<T> {
    fn at(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| e.at(context()))
    }
}
