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
    #[error("invalid {what} {}: {fix}", excerpt(input))]
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
    #[error("{kind} id {} is used twice: give each {kind} its own id", excerpt(id))]
    DuplicateId {
        /// "measure", "basket", "rule", ...
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A reference to something that does not exist.
    #[error("unknown {kind} {}{fix}", excerpt(id))]
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
    /// A measure taxes a line on a content share (steel, aluminum, copper)
    /// that the content-share data does not give for that line.
    #[error(
        "no {content} share for line {code}, which measure {measure:?} taxes on its {content} content: add a row for {code} with its {content} share to {files}, or take the line off the measure's goods"
    )]
    MissingShare {
        /// The content ("steel").
        content: String,
        /// The line's HS code.
        code: String,
        /// The measure taxing the content.
        measure: String,
        /// Where the shares come from (the files read).
        files: String,
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
    /// A file the loading policy does not read (outside the allowed folders,
    /// not a regular file, or a system file), named with the reason.
    #[error("{path}: {reason}")]
    Refused {
        /// The file as named, and where it resolves to.
        path: String,
        /// Why it is not read, and what to do instead.
        reason: String,
    },
    /// A file is longer than the loading policy's limit for its kind.
    #[error(
        "{path} is larger than the limit of {limit} bytes for {kind} files: raise LoadOptions::{option} if it is meant to be this large"
    )]
    TooLarge {
        /// The file.
        path: String,
        /// "scenario (TOML)", "CSV".
        kind: &'static str,
        /// The limit in bytes.
        limit: u64,
        /// The [`LoadOptions`](crate::load::LoadOptions) setting that sets it.
        option: &'static str,
    },
    /// Includes go deeper, or name more files, than the loading policy allows.
    #[error(
        "includes {what} more than {limit}: flatten the includes, or raise LoadOptions::{option}"
    )]
    IncludeLimit {
        /// "nest", "name".
        what: &'static str,
        /// The limit.
        limit: usize,
        /// The [`LoadOptions`](crate::load::LoadOptions) setting that sets it.
        option: &'static str,
    },
    /// An output that would destroy an input, another output or a folder.
    #[error("cannot write {path}: {reason}")]
    Output {
        /// The output path as given.
        path: String,
        /// Why it is refused, and what to do instead.
        reason: String,
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
        let near = nearest(id, known, 5);
        let fix = if near.shown().is_empty() {
            ": there are none".to_string()
        } else if near.more() == 0 {
            format!("; known: {near}")
        } else {
            format!("; nearest: {near}")
        };
        Error::unknown(kind, id, fix)
    }
}

/// The longest [`excerpt`] of an input, in characters, quotes included.
pub const EXCERPT_CHARS: usize = 80;

/// A short, escaped excerpt of input text, for error messages: quoted, with
/// control characters, quotes and backslashes written as Rust escapes
/// (`\u{1b}`, `\r`, `\"`), and cut with `…` so the whole excerpt is at most
/// [`EXCERPT_CHARS`] characters. An error never echoes more of a file.
///
/// ```
/// use tariffsim::error::excerpt;
/// assert_eq!(excerpt("list 3").to_string(), "\"list 3\"");
/// assert_eq!(excerpt("a\u{1b}[31mb\r").to_string(), r#""a\u{1b}[31mb\r""#);
/// let long = "x".repeat(10_000);
/// assert_eq!(excerpt(&long).to_string().chars().count(), 80);
/// ```
pub fn excerpt(text: &str) -> Excerpt<'_> {
    Excerpt(text)
}

/// A quoted, escaped, bounded piece of input text; see [`excerpt`].
#[derive(Debug, Clone, Copy)]
pub struct Excerpt<'a>(&'a str);

impl std::fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Two quotes around; a cut text ends in an ellipsis as well.
        let whole = EXCERPT_CHARS - 2;
        let mut pieces: Vec<(String, usize)> = Vec::new();
        let mut used = 0;
        let mut cut = false;
        for c in self.0.chars() {
            let escaped = escape_char(c);
            let n = escaped.chars().count();
            if used + n > whole {
                cut = true;
                break;
            }
            used += n;
            pieces.push((escaped, n));
        }
        if cut {
            while used > whole - 1 {
                let Some((_, n)) = pieces.pop() else { break };
                used -= n;
            }
        }
        let out: String = pieces.into_iter().map(|(p, _)| p).collect();
        if cut {
            write!(f, "\"{out}…\"")
        } else {
            write!(f, "\"{out}\"")
        }
    }
}

fn escape_char(c: char) -> String {
    match c {
        '\'' => "'".into(),
        c if c.is_control() || c == '"' || c == '\\' => c.escape_debug().to_string(),
        c => c.to_string(),
    }
}

/// The candidates nearest to what was asked for, for an "unknown …" message
/// over a long list: the `few` closest by edit distance (ties in the order
/// given), then "and N more".
///
/// ```
/// use tariffsim::error::nearest;
/// let ids = ["deal/hold", "deal/void", "escalate/hold", "truce", "no-deal"];
/// assert_eq!(nearest("deal/vod", ids, 2).to_string(), "deal/void, deal/hold and 3 more");
/// assert_eq!(nearest("x", ["a"], 3).to_string(), "a");
/// assert_eq!(nearest("x", [], 3).to_string(), "none");
/// ```
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    few: usize,
) -> Nearest {
    let wanted: Vec<char> = wanted.chars().take(NEAREST_CHARS).collect();
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (edit_distance(&wanted, c), i, c))
        .collect();
    let total = scored.len();
    scored.sort_unstable();
    Nearest {
        shown: scored
            .into_iter()
            .take(few)
            .map(|(_, _, c)| {
                if c.chars().count() > NEAREST_CHARS {
                    excerpt(c).to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
        more: total.saturating_sub(few),
    }
}

/// Characters of each candidate compared by [`nearest`].
const NEAREST_CHARS: usize = 256;

/// Levenshtein distance over the first [`NEAREST_CHARS`] characters.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().take(NEAREST_CHARS).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The few nearest candidates and how many more there are; see [`nearest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nearest {
    shown: Vec<String>,
    more: usize,
}

impl Nearest {
    /// The candidates shown, nearest first.
    pub fn shown(&self) -> &[String] {
        &self.shown
    }

    /// How many candidates were left out.
    pub fn more(&self) -> usize {
        self.more
    }
}

impl std::fmt::Display for Nearest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.shown.is_empty() {
            return f.write_str("none");
        }
        f.write_str(&self.shown.join(", "))?;
        if self.more > 0 {
            write!(f, " and {} more", self.more)?;
        }
        Ok(())
    }
}

/// The error a size-limited reader gives past its limit; [`Error::read`]
/// turns it into [`Error::TooLarge`].
#[derive(Debug)]
pub(crate) struct LimitReached {
    pub kind: &'static str,
    pub option: &'static str,
    pub limit: u64,
}

impl std::fmt::Display for LimitReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "longer than the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for LimitReached {}

impl Error {
    /// A failed read of file `name`: past its size limit, or what the
    /// system said.
    pub(crate) fn read(name: &str, e: &std::io::Error) -> Error {
        match e.get_ref().and_then(|x| x.downcast_ref::<LimitReached>()) {
            Some(l) => Error::TooLarge {
                path: name.to_string(),
                kind: l.kind,
                limit: l.limit,
                option: l.option,
            },
            None => Error::Io {
                path: name.to_string(),
                message: format!("cannot read: {e}"),
            },
        }
    }

    /// A CSV reading error of file `name`, with its line (and field and byte
    /// for invalid UTF-8), never the row's text.
    pub(crate) fn csv(name: &str, e: &csv::Error) -> Error {
        match e.kind() {
            csv::ErrorKind::Io(io) => Error::read(name, io),
            csv::ErrorKind::Utf8 { pos, err } => {
                let line = pos.as_ref().map_or(0, |p| p.line());
                Error::Invalid(format!(
                    "invalid UTF-8 in field {} at byte {} of the field: save the file as UTF-8",
                    err.field() + 1,
                    err.valid_up_to() + 1
                ))
                .at(format!("{name}, line {line}"))
            }
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
            } => {
                let line = pos.as_ref().map_or(0, |p| p.line());
                Error::Invalid(format!(
                    "the row has {len} fields and the header {expected_len}: give every row the header's columns"
                ))
                .at(format!("{name}, line {line}"))
            }
            _ => Error::Invalid("unreadable CSV".into()).at(name.to_string()),
        }
    }
}

/// Adds context to the error of a `Result`.
pub(crate) trait ResultExt<T> {
    /// Wraps the error, if any, with where it happened.
    fn at(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> ResultExt<T> for Result<T> {
    #[inline]
    fn at(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| e.at(context()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_escapes_and_bounds() {
        assert_eq!(excerpt("").to_string(), "\"\"");
        assert_eq!(excerpt("it's \"x\"").to_string(), r#""it's \"x\"""#);
        assert_eq!(excerpt("\0\u{7f}\t").to_string(), r#""\0\u{7f}\t""#);
        let s = excerpt(&"\u{1b}".repeat(100)).to_string();
        // Each ESC is 6 characters escaped: 12 (72 characters) fit before
        // the ellipsis, 13 would not.
        assert_eq!(s, format!("\"{}…\"", "\\u{1b}".repeat(12)));
        assert!(s.chars().count() <= EXCERPT_CHARS);
        let exact = "y".repeat(78);
        assert_eq!(excerpt(&exact).to_string(), format!("\"{exact}\""));
        let over = "y".repeat(79);
        assert_eq!(
            excerpt(&over).to_string(),
            format!("\"{}…\"", "y".repeat(77))
        );
    }

    #[test]
    fn parse_errors_echo_only_an_excerpt() {
        let e = Error::Parse {
            what: "HS code",
            input: format!("9{}", "\r".repeat(5_000)),
            fix: "write digits".into(),
        };
        let text = e.to_string();
        assert!(text.len() < 120, "{text}");
        assert!(!text.contains('\r'));
        assert!(text.starts_with("invalid HS code \"9\\r\\r"), "{text}");
    }

    #[test]
    fn nearest_orders_by_distance_then_given_order() {
        let paths: Vec<String> = (0..10_000).map(|i| format!("deal/{i}")).collect();
        let n = nearest("deal/42", paths.iter().map(String::as_str), 3);
        // deal/42 itself is at distance 0; deal/2 and deal/4 are at 1 (one
        // deletion each), deal/2 first because it is listed first.
        assert_eq!(n.to_string(), "deal/42, deal/2, deal/4 and 9997 more");
        assert_eq!(n.more(), 9_997);
        assert_eq!(n.shown().len(), 3);
        assert_eq!(
            nearest("truce", ["no-deal", "truse", "truce/hold"], 5).to_string(),
            // truse: 1 substitution; truce/hold: 5 insertions; no-deal: 6.
            "truse, truce/hold, no-deal"
        );
        let long = "z".repeat(300);
        assert!(nearest("z", [long.as_str()], 1).to_string().chars().count() <= EXCERPT_CHARS);
    }
}
