//! Raw serde shapes of scenario files. Nothing here is trusted: every value
//! goes through the domain constructors in `load`.

use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// One TOML file: a scenario, or a measures file it includes.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDto {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baseline: Vec<BaselineDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base_rates: Vec<BaseRatesDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hs_list: Vec<HsListDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_shares: Vec<ContentSharesDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measure: Vec<MeasureDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stacking: Vec<StackingDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retaliation: Vec<RetaliationDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchange_rate: Vec<ExchangeRateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<RefundsDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub node: Vec<NodeDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub switch: Vec<SwitchDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwitchDto {
    pub id: String,
    pub default: String,
    pub settings: Vec<SettingDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingDto {
    pub id: String,
    pub assumption: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExchangeRateDto {
    pub base: String,
    pub quote: String,
    pub rates: Vec<DatedValueDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatedValueDto {
    pub from: String,
    pub rate: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefundsDto {
    pub paid: String,
    pub interest: Vec<InterestDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InterestDto {
    pub from: String,
    pub until: String,
    pub rate: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioDto {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub horizon: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_from: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_valued: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BaselineDto {
    pub importer: String,
    pub exporter: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_column: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basket: Vec<BasketDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BaseRatesDto {
    pub importer: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_column: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BasketDto {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub value: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HsListDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContentSharesDto {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_column: Option<String>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub columns: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_column: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoodsDto {
    #[serde(default, skip_serializing_if = "is_false")]
    pub all: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baskets: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hs_lists: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepDto {
    pub from: String,
    pub rate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuspensionDto {
    pub from: String,
    pub until: String,
    pub rate: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExclusionDto {
    pub goods: GoodsDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeasureDto {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub authority: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    pub imposer: String,
    pub target: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub goods: GoodsDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_content: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub net_of_base: bool,
    #[serde(default)]
    pub steps: Vec<StepDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspensions: Vec<SuspensionDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<ExclusionDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StackingDto {
    pub id: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub over: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub among: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods: Option<GoodsDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetaliationDto {
    pub id: String,
    pub party: String,
    pub against: String,
    pub watch: Vec<String>,
    pub on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_currency: Option<String>,
    pub rate: String,
    pub covers: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods: Option<GoodsDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proportion: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lag_days: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodeDto {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub date: String,
    #[serde(default)]
    pub branch: Vec<BranchDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BranchDto {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub kind: String,
    pub probability: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action: Vec<ActionDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitment: Vec<CommitmentDto>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionDto {
    #[serde(rename = "do")]
    pub kind: String,
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<String>,
    #[serde(
        default,
        alias = "shift-later",
        skip_serializing_if = "Option::is_none"
    )]
    pub shift_later: Option<bool>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CommitmentDto {
    pub buyer: String,
    pub description: String,
    pub annual_value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub from: String,
    pub until: String,
}
