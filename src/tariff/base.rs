//! Base rates: the duty a good pays before any additional measure (the US
//! column-1 "general" rate, MFN), per HS code.
//!
//! A base rate is not a [`Measure`](super::Measure): it has no schedule, no
//! authority to void and no stacking rule, and every additional layer is
//! reported on top of it. The engine values it apart, per side
//! ([`SideExposure::base`](crate::engine::SideExposure::base)), so the
//! additional duty stays what it always was and the all-in figure is the
//! sum of the two.
//!
//! Only the ad valorem part of a rate is valued. A specific or compound
//! rate (`1¢/kg`, `$1.104/kg + 14.9%`) keeps its text; its ad valorem part
//! (`14.9%`, or none) is counted and the line is reported as not valued
//! beyond it, never as a full zero.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::trade::BasketKey;
use crate::units::{HsCode, Party, Rate};

/// The kind of a base rate, as the tariff schedule writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BaseRateKind {
    /// "Free": 0%, fully valued.
    Free,
    /// A percentage of the value, fully valued.
    AdValorem,
    /// An amount per unit of quantity (`1¢/kg`): not valued.
    Specific,
    /// An amount per unit plus a percentage: only the percentage is valued.
    Compound,
    /// A percentage of something other than the whole value ("2.5% on the
    /// value of the lead content"): not valued beyond its percentage.
    OtherPercent,
    /// A rate given by reference ("the rate applicable to the natural
    /// juice"): not valued.
    OtherText,
}

impl BaseRateKind {
    /// Every kind, in the order files and errors list them.
    pub const ALL: [BaseRateKind; 6] = [
        BaseRateKind::Free,
        BaseRateKind::AdValorem,
        BaseRateKind::Specific,
        BaseRateKind::Compound,
        BaseRateKind::OtherPercent,
        BaseRateKind::OtherText,
    ];

    /// The name used in files: `free`, `ad_valorem`, `specific`,
    /// `compound`, `other_pct`, `other_text`.
    pub fn name(&self) -> &'static str {
        match self {
            BaseRateKind::Free => "free",
            BaseRateKind::AdValorem => "ad_valorem",
            BaseRateKind::Specific => "specific",
            BaseRateKind::Compound => "compound",
            BaseRateKind::OtherPercent => "other_pct",
            BaseRateKind::OtherText => "other_text",
        }
    }

    /// Whether a rate of this kind is wholly a share of the goods' value
    /// (free or ad valorem), so its duty is fully valued.
    pub fn is_fully_valued(&self) -> bool {
        matches!(self, BaseRateKind::Free | BaseRateKind::AdValorem)
    }
}

impl fmt::Display for BaseRateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BaseRateKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<BaseRateKind> {
        BaseRateKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| Error::Parse {
                what: "rate type",
                input: s.to_string(),
                fix: "write free, ad_valorem, specific, compound, other_pct or other_text".into(),
            })
    }
}

/// The base rate of one HS code: its kind, its ad valorem part and the
/// schedule's text.
///
/// ```
/// use tariffsim::tariff::{BaseRate, BaseRateKind};
/// let r = BaseRate::new(BaseRateKind::Compound, Some("14.9%".parse()?), "$1.104/kg + 14.9%")?;
/// assert!(!r.is_fully_valued());
/// assert_eq!(r.ad_valorem().map(|r| r.to_string()), Some("14.9%".to_string()));
/// // Free is 0%, never anything else.
/// assert!(BaseRate::new(BaseRateKind::Free, Some("2%".parse()?), "Free").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseRate {
    kind: BaseRateKind,
    ad_valorem: Option<Rate>,
    text: String,
}

impl BaseRate {
    /// A base rate: `ad_valorem` is the percentage part (0% for free and
    /// specific-only rates; `None` when the text has no single percentage,
    /// as in a rate given by reference or a compound rate with two, which
    /// only a rate not valued in full may have).
    ///
    /// # Errors
    /// [`Error::Invalid`] when the parts disagree: a free rate that is not
    /// 0%, a free or ad valorem rate without its percentage.
    pub fn new(
        kind: BaseRateKind,
        ad_valorem: Option<Rate>,
        text: impl Into<String>,
    ) -> Result<BaseRate> {
        let text = text.into();
        match (kind, ad_valorem) {
            (BaseRateKind::Free, Some(r)) if !r.is_zero() => {
                return Err(Error::Invalid(format!(
                    "a free rate has no ad valorem part, but {r} is given: write 0% or change the rate type"
                )));
            }
            (k, None) if k.is_fully_valued() => {
                return Err(Error::Invalid(format!(
                    "rate type {k} needs its ad valorem part (0% when free)"
                )));
            }
            _ => {}
        }
        Ok(BaseRate {
            kind,
            ad_valorem,
            text,
        })
    }

    /// The kind of rate.
    pub fn kind(&self) -> BaseRateKind {
        self.kind
    }

    /// The ad valorem part: the whole rate when [`BaseRate::is_fully_valued`],
    /// otherwise the only part the engine counts; `None` when the text has
    /// no single percentage (nothing is counted).
    pub fn ad_valorem(&self) -> Option<Rate> {
        self.ad_valorem
    }

    /// Whether the rate is wholly ad valorem (free or a percentage), so the
    /// duty counted is the whole duty.
    pub fn is_fully_valued(&self) -> bool {
        self.kind.is_fully_valued()
    }

    /// The rate as the tariff schedule writes it (`6.8%`, `1¢/kg`).
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The base rates one importer applies, per HS code (US: the HTS-8 column-1
/// general rates), with where they come from.
///
/// A basket takes the rate of the longest code that is a prefix of its HS
/// code (an HTS-10 line takes its HTS-8 rate); a named basket, or an HS
/// basket coarser than every code, has no base rate and is reported so.
///
/// ```
/// use tariffsim::tariff::{BaseRate, BaseRateKind, BaseRates};
/// let rates = BaseRates::new("US".parse()?, "HTS 2025 Basic", vec![
///     ("01013000".parse()?, BaseRate::new(BaseRateKind::AdValorem, Some("6.8%".parse()?), "6.8%")?),
/// ])?;
/// let line = "0101300000".parse()?;
/// assert_eq!(rates.rate_of(&line).unwrap().text(), "6.8%");
/// assert!(rates.rate_of(&"0102".parse()?).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseRates {
    importer: Party,
    source: String,
    /// Each code and its rate, in code order.
    rates: Vec<(HsCode, BaseRate)>,
    /// Where each code sits in `rates`: a line's rate is looked up at up to
    /// five lengths, on every line of a baseline, so by hash.
    index: rustc_hash::FxHashMap<HsCode, usize>,
}

impl BaseRates {
    /// Base rates of `importer`, one per code.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a code given twice (the lowest such code).
    pub fn new(
        importer: Party,
        source: impl Into<String>,
        rates: impl IntoIterator<Item = (HsCode, BaseRate)>,
    ) -> Result<BaseRates> {
        let mut rates: Vec<(HsCode, BaseRate)> = rates.into_iter().collect();
        rates.sort_unstable_by_key(|(code, _)| *code);
        if let Some(w) = rates.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::Invalid(format!(
                "HS code {} has two base rates: keep one",
                w[0].0
            )));
        }
        Ok(BaseRates {
            importer,
            source: source.into(),
            index: rates
                .iter()
                .enumerate()
                .map(|(i, (c, _))| (*c, i))
                .collect(),
            rates,
        })
    }

    /// The importer that applies these rates.
    pub fn importer(&self) -> &Party {
        &self.importer
    }

    /// Where the rates come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The number of codes with a rate.
    pub fn len(&self) -> usize {
        self.rates.len()
    }

    /// Whether no code has a rate.
    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// The rate of the longest code that is a prefix of `code`, if any.
    pub fn rate_of(&self, code: &HsCode) -> Option<&BaseRate> {
        (2..=code.len())
            .rev()
            .step_by(2)
            .find_map(|n| self.index.get(&code.truncate(n)))
            .map(|i| &self.rates[*i].1)
    }

    /// The rate of a basket: by its HS code; a named basket has none.
    pub fn rate_of_basket(&self, key: &BasketKey) -> Option<&BaseRate> {
        key.hs().and_then(|c| self.rate_of(c))
    }

    /// Every code and its rate, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (&HsCode, &BaseRate)> {
        self.rates.iter().map(|(c, r)| (c, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(kind: BaseRateKind, av: Option<&str>, text: &str) -> Result<BaseRate> {
        BaseRate::new(kind, av.map(|a| a.parse().unwrap()), text)
    }

    #[test]
    fn rates_given_out_of_order_are_found_by_code_and_a_repeat_is_refused() {
        let av = |t: &str| rate(BaseRateKind::AdValorem, Some(t), t).unwrap();
        let code = |c: &str| c.parse::<HsCode>().unwrap();
        let given = |rows: [(&str, &str); 3]| {
            let rows = rows.map(|(c, r)| (code(c), av(r)));
            BaseRates::new("US".parse().unwrap(), "hand-made", rows)
        };
        let rates = given([("85011000", "2.8%"), ("0101", "6.8%"), ("84713001", "0%")]).unwrap();
        let at = |c: &str| rates.rate_of(&code(c)).map(|r| r.text().to_string());
        // A line takes the rate of its longest listed prefix.
        assert_eq!(at("8501100040").as_deref(), Some("2.8%"));
        assert_eq!(at("0101210000").as_deref(), Some("6.8%"));
        assert_eq!(at("8471300100").as_deref(), Some("0%"));
        assert_eq!(at("9999999999"), None);
        let listed: Vec<String> = rates.iter().map(|(c, _)| c.to_string()).collect();
        assert_eq!(listed, ["0101", "84713001", "85011000"]);
        let twice = given([("85011000", "2.8%"), ("0101", "6.8%"), ("85011000", "3%")]);
        assert_eq!(
            twice.unwrap_err().to_string(),
            "HS code 85011000 has two base rates: keep one"
        );
    }

    #[test]
    fn parts_that_disagree_are_refused_with_the_fix() {
        assert_eq!(
            rate(BaseRateKind::Free, Some("2%"), "Free")
                .unwrap_err()
                .to_string(),
            "a free rate has no ad valorem part, but 2% is given: write 0% or change the rate type"
        );
        assert_eq!(
            rate(BaseRateKind::AdValorem, None, "2%")
                .unwrap_err()
                .to_string(),
            "rate type ad_valorem needs its ad valorem part (0% when free)"
        );
        assert!(rate(BaseRateKind::Compound, None, "51¢ each + 6.25% on the case").is_ok());
        assert!(rate(BaseRateKind::OtherText, None, "See note 1").is_ok());
        assert_eq!(
            "percent".parse::<BaseRateKind>().unwrap_err().to_string(),
            "invalid rate type \"percent\": write free, ad_valorem, specific, compound, other_pct or other_text"
        );
    }

    #[test]
    fn the_longest_prefix_wins_and_a_coarser_basket_has_no_rate() {
        let rates = BaseRates::new(
            "US".parse().unwrap(),
            "test",
            vec![
                (
                    "8471".parse().unwrap(),
                    rate(BaseRateKind::Free, Some("0%"), "Free").unwrap(),
                ),
                (
                    "84713001".parse().unwrap(),
                    rate(BaseRateKind::AdValorem, Some("2.6%"), "2.6%").unwrap(),
                ),
            ],
        )
        .unwrap();
        let of = |c: &str| rates.rate_of(&c.parse().unwrap()).map(|r| r.text());
        assert_eq!(of("8471300100"), Some("2.6%"));
        assert_eq!(of("8471500100"), Some("Free"));
        assert_eq!(of("84"), None);
        assert_eq!(rates.rate_of_basket(&"list-3-goods".parse().unwrap()), None);
        let dup = BaseRates::new(
            "US".parse().unwrap(),
            "test",
            vec![
                (
                    "8471".parse().unwrap(),
                    rate(BaseRateKind::Free, Some("0%"), "Free").unwrap(),
                ),
                (
                    "8471".parse().unwrap(),
                    rate(BaseRateKind::Free, Some("0%"), "Free").unwrap(),
                ),
            ],
        );
        assert!(dup.is_err());
    }
}
