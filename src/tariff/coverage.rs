//! Which goods a measure covers, when, and on what share of their value.

use std::sync::Arc;

use super::{ContentShares, Goods};
use crate::trade::BasketKey;
use crate::units::Window;

/// Goods excluded from a measure over a window (a product exclusion, an
/// exemption annex with its start date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    goods: Goods,
    window: Window,
}

impl Exclusion {
    /// `goods` excluded over `window`.
    pub fn new(goods: Goods, window: Window) -> Exclusion {
        Exclusion { goods, window }
    }

    /// The goods excluded.
    pub fn goods(&self) -> &Goods {
        &self.goods
    }

    /// When they are excluded.
    pub fn window(&self) -> Window {
        self.window
    }
}

/// Which goods a measure applies to, when some of them are excluded, and
/// whether it taxes their whole value or only a content share of it.
///
/// A coverage [`on content`](Coverage::on_content) takes in, of each line
/// its goods name, only the share of the line's value that is that content
/// (Section 232 derivatives on their steel): evaluation cuts the line into
/// that piece and the rest, and stacking rules apply on each piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    goods: Goods,
    exclusions: Vec<Exclusion>,
    matched: bool,
    content: Option<Arc<ContentShares>>,
}

impl Coverage {
    /// Coverage of `goods`, with no exclusions.
    pub fn of(goods: Goods) -> Coverage {
        Coverage {
            goods,
            exclusions: Vec::new(),
            matched: false,
            content: None,
        }
    }

    /// What a value-matched retaliation answer covers: on each path, the
    /// shares of the answering side's baskets it claims (see
    /// [`crate::retaliation`]), never goods by name.
    pub(crate) fn matched_value() -> Coverage {
        Coverage {
            goods: Goods::all(),
            exclusions: Vec::new(),
            matched: true,
            content: None,
        }
    }

    /// Whether this is a value-matched answer's coverage: shares of baskets
    /// claimed per path rather than the goods named.
    pub fn is_matched_value(&self) -> bool {
        self.matched
    }

    /// The same coverage with one more dated exclusion.
    pub fn excluding(mut self, exclusion: Exclusion) -> Coverage {
        self.exclusions.push(exclusion);
        self
    }

    /// The same coverage taking in only the `shares` of each line's value
    /// (its steel, aluminum or copper content).
    pub fn on_content(mut self, shares: impl Into<Arc<ContentShares>>) -> Coverage {
        self.content = Some(shares.into());
        self
    }

    /// The content shares it taxes, when it taxes a content rather than the
    /// whole value.
    pub fn content(&self) -> Option<&ContentShares> {
        self.content.as_deref()
    }

    /// The goods covered before exclusions.
    pub fn goods(&self) -> &Goods {
        &self.goods
    }

    /// The dated exclusions.
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.exclusions
    }

    /// The windows within `within` during which basket `key` is covered,
    /// ascending and disjoint; empty when never.
    pub fn covered_windows(&self, key: &BasketKey, within: Window) -> Vec<Window> {
        if !self.goods.matches(key) {
            return Vec::new();
        }
        let mut out = vec![within];
        for ex in self.exclusions.iter().filter(|e| e.goods.matches(key)) {
            out = subtract(&out, ex.window);
        }
        out
    }
}

/// `windows` minus `cut`.
pub(crate) fn subtract(windows: &[Window], cut: Window) -> Vec<Window> {
    let mut out = Vec::with_capacity(windows.len() + 1);
    for w in windows {
        match w.intersect(&cut) {
            None => out.push(*w),
            Some(i) => {
                if w.start() < i.start() {
                    out.push(Window::ordered(w.start(), i.start()));
                }
                if i.end() < w.end() {
                    out.push(Window::ordered(i.end(), w.end()));
                }
            }
        }
    }
    out
}
