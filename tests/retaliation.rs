//! Retaliation that follows its triggers: each case built from a scenario
//! file, with its figures worked by hand. Baskets of $365B a year accrue $1B
//! a day, so a rate r for n days is n × r billion.

use std::path::Path;

use rust_decimal::Decimal;
use tariffsim::load::parse_scenario;
use tariffsim::portfolio::Portfolio;
use tariffsim::report::EvaluationReport;
use tariffsim::*;

use crate::common::*;

fn scenario(text: &str) -> Result<Scenario> {
    parse_scenario(text, Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// An error's text with the test folder left out of file names.
fn message(e: Error) -> String {
    e.to_string()
        .replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "")
}

fn net(e: &Evaluation, path: &str, importer: &str, exporter: &str) -> Decimal {
    e.path(path)
        .unwrap()
        .side(importer, exporter)
        .unwrap()
        .net()
        .amount()
}

/// A US measure `m` at 25% from 2019-01-01 on $365B, China's $365B of
/// soybeans, and a rule of China's written in `rule`; branches in `branches`.
fn one_trigger(rule: &str, branches: &str) -> String {
    format!(
        r#"
[scenario]
id = "t"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{{ key = "goods", value = "365000000000" }}]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{{ key = "soybeans", value = "365000000000" }}]
[[measure]]
id = "m"
authority = "section-301"
imposer = "US"
target = "CN"
goods = {{ baskets = ["goods"] }}
steps = [{{ from = "2019-01-01", rate = "25%" }}]
[[retaliation]]
id = "cn"
party = "CN"
against = "US"
watch = ["m"]
rate = "match"
covers = "list"
goods = {{ baskets = ["soybeans"] }}
{rule}
[[node]]
id = "talks"
date = "2019-01-01"
{branches}
"#
    )
}

#[test]
fn an_answer_ends_with_the_trigger_a_deal_revokes() {
    // Deal: m revoked from 2019-03-01, so China's matching answer runs 59
    // days (Jan 31 + Feb 28) at 25%: 59 × 0.25 = $14.75B. No deal: 365 days
    // at 25% = $91.25B.
    let s = scenario(&one_trigger(
        r#"on = "in-force""#,
        r#"
[[node.branch]]
id = "deal"
kind = "deal"
probability = "0.5"
action = [{ do = "revoke", target = "m", from = "2019-03-01" }]
[[node.branch]]
id = "no-deal"
kind = "status-quo"
probability = "0.5"
"#,
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(net(&e, "deal", "CN", "US"), billions("14.75"));
    assert_eq!(net(&e, "no-deal", "CN", "US"), billions("91.25"));
    let note = &e.path("deal").unwrap().answers()[0];
    assert_eq!(note.policy, Policy::Follow);
    assert_eq!(note.effective, d("2019-01-01"));
}

#[test]
fn an_answer_follows_a_suspension_and_its_snap_back() {
    // m suspended to 10% from 2019-04-01 until 2019-07-01: China follows.
    // 90 days at 25% (Jan-Mar) + 91 at 10% (Apr-Jun) + 184 at 25% (Jul-Dec)
    // = 22.5 + 9.1 + 46 = $77.6B.
    let s = scenario(&one_trigger(
        r#"on = "in-force""#,
        r#"
[[node.branch]]
id = "truce"
kind = "truce"
probability = "1"
action = [{ do = "suspend", target = "m", from = "2019-04-01", until = "2019-07-01", rate = "10%" }]
"#,
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(net(&e, "truce", "CN", "US"), billions("77.6"));
}

#[test]
fn a_ratchet_keeps_its_rate_when_the_trigger_is_cut() {
    // m cut to 10% from 2019-03-01. Following: 59 days at 25% + 306 at 10%
    // = 14.75 + 30.6 = $45.35B. Ratcheting: 25% all year = $91.25B. Fixed
    // at the rate first imposed: the same $91.25B.
    let branches = r#"
[[node.branch]]
id = "cut"
kind = "deal"
probability = "1"
action = [{ do = "cut", target = "m", from = "2019-03-01", rate = "10%" }]
"#;
    let of = |policy: &str| {
        let s = scenario(&one_trigger(
            &format!("on = \"in-force\"\npolicy = \"{policy}\""),
            branches,
        ))
        .unwrap();
        net(&s.evaluate(Detail::Totals).unwrap(), "cut", "CN", "US")
    };
    assert_eq!(of("follow"), billions("45.35"));
    assert_eq!(of("ratchet"), billions("91.25"));
    assert_eq!(of("fixed"), billions("91.25"));
    let e = scenario(&one_trigger(
        "on = \"in-force\"\npolicy = \"sometimes\"",
        branches,
    ))
    .unwrap_err();
    assert_eq!(
        message(e),
        "<text>, retaliation rule \"cn\": field \"policy\": unknown policy \"sometimes\"; write follow (the answer tracks its trigger), ratchet (never lower) or fixed (the rate first imposed)"
    );
}

#[test]
fn a_chain_settles_when_an_answer_rises() {
    // The US 10% from 2019-01-01, 25% from 2019-06-01 on $365B; China
    // matches each rise on its $365B; the US answers China's answer the same
    // way on another $365B. China: 151 days at 10% (Jan-May) + 214 at 25% =
    // 15.1 + 53.5 = $68.6B; the US counter-answer the same $68.6B; US total
    // 68.6 + 68.6 = $137.2B.
    let s = scenario(
        r#"
[scenario]
id = "chain"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "goods", value = "365000000000" }, { key = "more-goods", value = "365000000000" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "soybeans", value = "365000000000" }]
[[measure]]
id = "m"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["goods"] }
steps = [{ from = "2019-01-01", rate = "10%" }, { from = "2019-06-01", rate = "25%" }]
[[retaliation]]
id = "cn"
party = "CN"
against = "US"
watch = ["m"]
on = "step-up"
rate = "match"
covers = "list"
goods = { baskets = ["soybeans"] }
[[retaliation]]
id = "us-counter"
party = "US"
against = "CN"
watch = ["layer:cn"]
on = "step-up"
rate = "match"
covers = "list"
goods = { baskets = ["more-goods"] }
"#,
    )
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let p = &e.paths()[0];
    assert_eq!(p.side("CN", "US").unwrap().net().amount(), billions("68.6"));
    let us = p.side("US", "CN").unwrap();
    assert_eq!(
        us.measure("us-counter").unwrap().net().amount(),
        billions("68.6")
    );
    assert_eq!(us.net().amount(), billions("137.2"));
}

#[test]
fn a_rule_watching_three_lists_answers_once() {
    // Lists 1-3 all come into force on 2019-03-01; China answers with 25% on
    // its one $50B basket after 30 days, from 2019-03-31: 276 days to the
    // year's end. 50B × 0.25 × 276 / 365 = 3,450B / 365 = $9,452,054,794.52,
    // not three times that.
    let s = scenario(
        r#"
[scenario]
id = "three"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100" }, { key = "b", value = "100" }, { key = "c", value = "100" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "soybeans", value = "50000000000" }]
[[measure]]
id = "list-1"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["a"] }
steps = [{ from = "2019-03-01", rate = "25%" }]
[[measure]]
id = "list-2"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["b"] }
steps = [{ from = "2019-03-01", rate = "25%" }]
[[measure]]
id = "list-3"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["c"] }
steps = [{ from = "2019-03-01", rate = "25%" }]
[[retaliation]]
id = "cn"
party = "CN"
against = "US"
watch = ["list-1", "list-2", "list-3"]
on = "in-force"
rate = "25%"
covers = "list"
goods = { baskets = ["soybeans"] }
lag_days = 30
"#,
    )
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let cn = e.paths()[0].side("CN", "US").unwrap();
    assert_eq!(
        cn.net().to_cents(Currency::USD).amount(),
        "9452054794.52".parse::<Decimal>().unwrap()
    );
    assert_eq!(e.paths()[0].answers()[0].effective, d("2019-03-31"));
}

/// China's imports in yuan, matched against a US measure on $100B.
fn in_yuan(fx: &str) -> String {
    format!(
        r#"
[scenario]
id = "fx"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{{ key = "goods", value = "100000000000" }}]
[[baseline]]
importer = "CN"
exporter = "US"
currency = "CNY"
basket = [{{ key = "soybeans", value = "700000000000" }}, {{ key = "aircraft", value = "700000000000" }}]
[[measure]]
id = "m"
authority = "section-301"
imposer = "US"
target = "CN"
goods = {{ all = true }}
steps = [{{ from = "2019-01-01", rate = "25%" }}]
[[retaliation]]
id = "cn"
party = "CN"
against = "US"
watch = ["m"]
on = "in-force"
rate = "match"
covers = "value"
{fx}
"#
    )
}

#[test]
fn a_yuan_pool_is_matched_against_dollars_at_the_stated_rate() {
    // 7 yuan per dollar: the $100B m covers is ¥700B, half of China's ¥1,400B
    // of imports; at 25% for the year China collects ¥175B.
    let s = scenario(&in_yuan(
        r#"
[[exchange_rate]]
base = "USD"
quote = "CNY"
rates = [{ from = "2018-01-01", rate = "7" }]
"#,
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let p = &e.paths()[0];
    let note = &p.answers()[0];
    assert_eq!(note.requested, Some(billions("700")));
    assert_eq!(note.covered, Some(billions("700")));
    let cn = p.side("CN", "US").unwrap();
    assert_eq!(cn.currency().code(), "CNY");
    assert_eq!(cn.net().amount(), billions("175"));
    // Without a rate it is an error naming the rule and both currencies.
    let e = scenario(&in_yuan(""))
        .unwrap()
        .evaluate(Detail::Totals)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "retaliation rule \"cn\": it matches the value \"m\" covers in USD against CNY, but no exchange rate is given for the pair: add an [[exchange_rate]] for USD->CNY covering that date"
    );
    // A rate that starts after the trigger date is missing for it.
    let e = scenario(&in_yuan(
        r#"
[[exchange_rate]]
base = "USD"
quote = "CNY"
rates = [{ from = "2019-06-01", rate = "7" }]
"#,
    ))
    .unwrap()
    .evaluate(Detail::Totals)
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "retaliation rule \"cn\": it matches the value \"m\" covers in USD against CNY, but no exchange rate is in force on 2019-01-01: add an [[exchange_rate]] for USD->CNY covering that date"
    );
    // A zero rate is refused when the file is read.
    let e = scenario(&in_yuan(
        r#"
[[exchange_rate]]
base = "USD"
quote = "CNY"
rates = [{ from = "2018-01-01", rate = "0" }]
"#,
    ))
    .unwrap_err();
    assert_eq!(
        message(e),
        "<text>, exchange_rate 1: exchange rate USD->CNY on 2018-01-01 is 0: a rate must be above zero"
    );
}

#[test]
fn a_trigger_before_the_horizon_is_answered_inside_it() {
    // m in force from 2018-07-06; China answers after 200 days, on
    // 2019-01-22: inside 2019 for 344 days at 25% = $86B. A report of the
    // second half of 2019 shows the same answer: 184 days = $46B.
    let text = one_trigger("on = \"in-force\"\nlag_days = 200", "")
        .replace(
            r#"steps = [{ from = "2019-01-01", rate = "25%" }]"#,
            r#"steps = [{ from = "2018-07-06", rate = "25%" }]"#,
        )
        .replace("[[node]]\nid = \"talks\"\ndate = \"2019-01-01\"\n", "");
    let s = scenario(&text).unwrap();
    assert_eq!(s.history().start(), d("2018-07-06"));
    let e = s.evaluate(Detail::Totals).unwrap();
    assert_eq!(net(&e, "as-scheduled", "CN", "US"), billions("86"));
    assert_eq!(e.paths()[0].answers()[0].effective, d("2019-01-22"));
    let half = s.with_window(window("2019-07-01", "2020-01-01")).unwrap();
    let e = half.evaluate(Detail::Totals).unwrap();
    assert_eq!(net(&e, "as-scheduled", "CN", "US"), billions("46"));
}

#[test]
fn a_portfolio_pays_the_answers_of_its_own_side() {
    // China taxes $200 of US soybeans at 25% from 2019-01-01; the US matches
    // the value out of its $400 of imports from China: half of each line,
    // at 25%, $50 for 2019. A portfolio holding the nation's lines pays the
    // same $50; one holding $10 of the first line pays 0.5 × 0.25 × 10 =
    // $1.25 of the answer.
    let text = r#"
[scenario]
id = "pf"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "8471300100", value = "100" }, { key = "9401610000", value = "300" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "soybeans", value = "200" }]
[[measure]]
id = "cn-soy"
authority = "retaliation"
imposer = "CN"
target = "US"
goods = { baskets = ["soybeans"] }
steps = [{ from = "2019-01-01", rate = "25%" }]
[[retaliation]]
id = "us"
party = "US"
against = "CN"
watch = ["cn-soy"]
on = "in-force"
rate = "match"
covers = "value"
"#;
    let s = scenario(text).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let nation = e.paths()[0]
        .side("US", "CN")
        .unwrap()
        .measure("us:cn-soy")
        .unwrap()
        .net();
    assert_eq!(nation.amount(), Decimal::from(50));
    let all = Portfolio::parse(
        "skus.csv",
        "sku,hts10,annual_value_usd\nA,8471300100,100\nB,9401610000,300\n",
    )
    .unwrap()
    .evaluate(&s, "US", "CN")
    .unwrap();
    let at = all
        .measures()
        .iter()
        .position(|m| m.as_str() == "us:cn-soy")
        .unwrap();
    assert_eq!(all.total().expected_by_measure()[at].net, nation);
    let small = Portfolio::parse("skus.csv", "sku,hts10,annual_value_usd\nA,8471300100,10\n")
        .unwrap()
        .evaluate(&s, "US", "CN")
        .unwrap();
    let at = small
        .measures()
        .iter()
        .position(|m| m.as_str() == "us:cn-soy")
        .unwrap();
    assert_eq!(
        small.total().expected_by_measure()[at].net.amount(),
        Decimal::new(125, 2)
    );
}

#[test]
fn rules_that_need_a_baseline_they_lack_are_refused() {
    // China matches value out of its imports from the US, which no baseline
    // holds.
    let text = one_trigger(r#"on = "in-force""#, "")
        .replace(
            "[[baseline]]\nimporter = \"CN\"\nexporter = \"US\"\nbasket = [{ key = \"soybeans\", value = \"365000000000\" }]\n",
            "",
        )
        .replace("covers = \"list\"\ngoods = { baskets = [\"soybeans\"] }", "covers = \"value\"")
        .replace("[[node]]\nid = \"talks\"\ndate = \"2019-01-01\"\n", "");
    assert_eq!(
        message(scenario(&text).unwrap_err()),
        "<text>: retaliation rule \"cn\": it matches value out of CN's imports from US, but no baseline has them: add a baseline CN<-US"
    );
    // A lag longer than the calendar is refused with the rule named.
    let text = one_trigger("on = \"in-force\"\nlag_days = 9999999999", "")
        .replace("[[node]]\nid = \"talks\"\ndate = \"2019-01-01\"\n", "");
    assert_eq!(
        message(scenario(&text).unwrap_err()),
        "<text>, retaliation rule \"cn\": retaliation rule \"cn\" has a lag of 9999999999 days, longer than the calendar: give a lag in days that fits between two dates"
    );
}

#[test]
fn the_value_a_trigger_covers_is_what_actually_pays_it() {
    // The US layer "recip" covers all $600B of goods, but Annex II exempts
    // basket b ($200B) and Section 232, in force on basket a ($100B), is
    // exclusive of it: recip is paid on c alone, $300B. China matches that
    // value out of its $1,000B of soybeans, and a covered-value-above rule
    // with a ¥2,000B threshold (7 yuan a dollar: $300B is ¥2,100B) fires too,
    // on its $100B of aircraft (taxed, so outside the value-matched pool).
    let s = scenario(
        r#"
[scenario]
id = "stack"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100000000000" }, { key = "b", value = "200000000000" }, { key = "c", value = "300000000000" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "soybeans", value = "1000000000000" }, { key = "aircraft", value = "100000000000" }]
[[exchange_rate]]
base = "USD"
quote = "CNY"
rates = [{ from = "2019-01-01", rate = "7" }]
[[measure]]
id = "recip"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = { all = true }
steps = [{ from = "2019-01-01", rate = "10%" }]
[[measure]]
id = "s232"
authority = "section-232"
imposer = "US"
target = "CN"
goods = { baskets = ["a"] }
steps = [{ from = "2019-01-01", rate = "25%" }]
[[stacking]]
id = "annex-ii"
kind = "exempt"
measures = ["recip"]
goods = { baskets = ["b"] }
[[stacking]]
id = "s232-over-recip"
kind = "exclusive"
over = ["s232"]
excluded = ["recip"]
[[retaliation]]
id = "cn-match"
party = "CN"
against = "US"
watch = ["recip"]
on = "in-force"
rate = "match"
covers = "value"
[[retaliation]]
id = "cn-threshold"
party = "CN"
against = "US"
watch = ["recip"]
on = "covered-value-above"
threshold = "2000000000000"
threshold_currency = "CNY"
rate = "5%"
covers = "list"
goods = { baskets = ["aircraft"] }
"#,
    )
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let p = &e.paths()[0];
    let matched = p
        .answers()
        .iter()
        .find(|n| n.rule.as_str() == "cn-match")
        .unwrap();
    assert_eq!(matched.requested, Some(billions("300")));
    assert!(
        p.answers()
            .iter()
            .any(|n| n.rule.as_str() == "cn-threshold")
    );
    assert_eq!(matched.covered, Some(billions("300")));
    // China: 10% on $300B of its soybeans + 5% on $100B of aircraft = 30 + 5
    // = $35B.
    assert_eq!(net(&e, "as-scheduled", "CN", "US"), billions("35"));
}

/// US m1 at 25% on a ($100B) from 2020-01-01 and m2 at 25% on b ($60B) from
/// 2020-03-01; China imports 840B yuan (x 490B, y 350B) and matches each
/// measure's value at 7 yuan a dollar.
const FREED: &str = r#"
[scenario]
id = "freed"
horizon = "2020-01-01..2021-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100000000000" }, { key = "b", value = "60000000000" }]
[[baseline]]
importer = "CN"
exporter = "US"
currency = "CNY"
basket = [{ key = "x", value = "490000000000" }, { key = "y", value = "350000000000" }]
[[exchange_rate]]
base = "USD"
quote = "CNY"
rates = [{ from = "2019-01-01", rate = "7" }]
[[measure]]
id = "m1"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["a"] }
steps = [{ from = "2020-01-01", rate = "25%" }]
[[measure]]
id = "m2"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["b"] }
steps = [{ from = "2020-03-01", rate = "25%" }]
[[retaliation]]
id = "cnv"
party = "CN"
against = "US"
watch = ["authority:section-301"]
on = "in-force"
rate = "match"
covers = "value"
[[node]]
id = "n"
date = "2020-02-01"
[[node.branch]]
id = "revoke1"
kind = "deal"
probability = "0.5"
action = [{ do = "revoke", target = "m1", from = "2020-06-01" }]
[[node.branch]]
id = "sq"
kind = "status-quo"
probability = "0.5"
"#;

#[test]
fn imports_an_answer_frees_are_claimed_by_the_next() {
    let e = scenario(FREED).unwrap().evaluate(Detail::Totals).unwrap();
    let cn = |p: &str| net(&e, p, "CN", "US").round_dp(2);
    // cnv:m1 asks 100B × 7 = 700B yuan of the 840B; cnv:m2 asks 60B × 7 =
    // 420B from 2020-03-01 and gets the 140B left. 2020 has 366 days.
    // sq: 25% × (700 × 366 + 140 × 306) / 366 = 74,760 / 366 billion
    // = 204,262,295,081.967…
    assert_eq!(cn("sq"), Decimal::new(20_426_229_508_197, 2));
    // revoke1: m1 ends 2020-06-01 and its answer with it (152 days), which
    // frees 700B: cnv:m2 then takes all 420B it asks for (92 days at 140B,
    // then 214 at 420B). 25% × (700 × 152 + 140 × 92 + 420 × 214) / 366
    // = 52,290 / 366 billion = 142,868,852,459.016…
    assert_eq!(cn("revoke1"), Decimal::new(14_286_885_245_902, 2));
    // The answer made to m2 asked 420B and got 140B on its first day.
    let notes = e.path("sq").unwrap().answers();
    let m2 = notes
        .iter()
        .find(|n| n.answer.as_str() == "cnv:m2")
        .unwrap();
    assert_eq!(m2.requested, Some(billions("420")));
    assert_eq!(m2.covered, Some(billions("140")));
}

#[test]
fn a_value_answer_follows_its_trigger_up() {
    // m1 (20%) on a ($100B) and b ($50B); Section 232 on b is exclusive
    // over it, so m1 is paid on $100B until the deal revokes the 232 duty
    // on 2020-07-01, then on $150B. China matches m1's value out of $510B
    // of imports: 20% × (100 × 182 + 150 × 184) / 366 billion
    // = 9,160 / 366 billion = 25,027,322,404.371…; as scheduled, 20% ×
    // 100 = 20B.
    let text = r#"
[scenario]
id = "up"
horizon = "2020-01-01..2021-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100000000000" }, { key = "b", value = "50000000000" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "x", value = "500000000000" }, { key = "z", value = "10000000000" }]
[[measure]]
id = "m1"
authority = "ieepa"
imposer = "US"
target = "CN"
goods = { baskets = ["a", "b"] }
steps = [{ from = "2020-01-01", rate = "20%" }]
[[measure]]
id = "s232"
authority = "section-232"
imposer = "US"
target = "CN"
goods = { baskets = ["b"] }
steps = [{ from = "2020-01-01", rate = "25%" }]
[[stacking]]
id = "ex"
kind = "exclusive"
over = ["s232"]
excluded = ["m1"]
[[retaliation]]
id = "cnv"
party = "CN"
against = "US"
watch = ["m1"]
on = "in-force"
rate = "match"
covers = "value"
[[node]]
id = "n"
date = "2020-03-01"
[[node.branch]]
id = "drop232"
kind = "deal"
probability = "0.5"
action = [{ do = "revoke", target = "s232", from = "2020-07-01" }]
[[node.branch]]
id = "sq"
kind = "status-quo"
probability = "0.5"
"#;
    let e = scenario(text).unwrap().evaluate(Detail::Totals).unwrap();
    assert_eq!(
        net(&e, "drop232", "CN", "US").round_dp(2),
        Decimal::new(2_502_732_240_437, 2)
    );
    // (A claim's share of each basket, here 100 / 510, is a quotient held
    // to 28 significant digits, so the figure is exact to far below a cent,
    // not to the last digit.)
    assert_eq!(net(&e, "sq", "CN", "US").round_dp(2), billions("20"));
}

#[test]
fn a_fixed_step_up_answer_keeps_its_highest_rate_through_a_cut() {
    // m1 10% from 2020-01-01, 25% from 2020-02-01; on the "cut" path 5%
    // from 2020-05-01 and back to 10% from 2020-08-01. China answers each
    // rise 30 days later on $366B (1B a day), fixed: 10% from 2020-01-31,
    // 25% from 2020-03-02 for the rest of the year, the rise to 10% on
    // 2020-08-01 notwithstanding: 31 × 10% + 305 × 25% = 3.1 + 76.25
    // = 79.35B.
    let text = r#"
[scenario]
id = "fx"
horizon = "2020-01-01..2021-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "a", value = "100000000000" }]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{ key = "b", value = "366000000000" }]
[[measure]]
id = "m1"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["a"] }
steps = [{ from = "2020-01-01", rate = "10%" }, { from = "2020-02-01", rate = "25%" }]
[[retaliation]]
id = "cn"
party = "CN"
against = "US"
watch = ["m1"]
on = "step-up"
rate = "match"
covers = "list"
goods = { baskets = ["b"] }
lag_days = 30
policy = "fixed"
[[node]]
id = "n"
date = "2020-03-01"
[[node.branch]]
id = "cut"
kind = "truce"
probability = "1"
action = [
  { do = "cut", target = "m1", from = "2020-05-01", rate = "5%", then = "hold" },
  { do = "raise", target = "m1", from = "2020-08-01", rate = "10%", then = "hold" },
]
"#;
    let e = scenario(text).unwrap().evaluate(Detail::Totals).unwrap();
    assert_eq!(
        net(&e, "cut", "CN", "US"),
        Decimal::new(7935, 2) * billions("1")
    );
}

#[test]
fn a_rule_whose_sides_match_no_watched_measure_is_refused() {
    // A typo in `party` (CNN) or `against` (USA): the rule would answer
    // nothing, so China's duty would print as zero.
    let base = one_trigger(
        r#"on = "in-force""#,
        r#"
[[node.branch]]
id = "no-deal"
kind = "status-quo"
probability = "1"
"#,
    );
    assert!(scenario(&base).is_ok());
    for (from, to) in [
        ("party = \"CN\"\nagainst", "party = \"CNN\"\nagainst"),
        ("against = \"US\"\nwatch", "against = \"USA\"\nwatch"),
    ] {
        let err = message(scenario(&base.replacen(from, to, 1)).unwrap_err());
        assert!(err.contains("retaliation rule \"cn\""), "{err}");
        assert!(
            err.contains("none of the measures it watches is imposed by"),
            "{err}"
        );
        assert!(err.contains("check the rule's party and against"), "{err}");
    }
}

#[test]
fn a_history_that_cuts_off_a_dated_step_is_refused() {
    // m is in force from 2019-01-01: a history from 2019-06-01 would lose
    // what it collected before (refunds) and when it came into force
    // (answers).
    let text = one_trigger(
        r#"on = "in-force""#,
        r#"
[[node.branch]]
id = "no-deal"
kind = "status-quo"
probability = "1"
"#,
    )
    .replacen(
        "horizon = \"2019-01-01..2020-01-01\"",
        "horizon = \"2019-07-01..2020-01-01\"\nhistory_from = \"2019-06-01\"",
        1,
    );
    let err = message(scenario(&text).unwrap_err());
    assert!(
        err.contains("history_from 2019-06-01 is after measure \"m\"'s step on 2019-01-01"),
        "{err}"
    );
}

/// A value-matched answer to a US measure on HS 8471, over a baseline whose
/// goods are a $200B list basket and $10B of steel: `goods` is the US
/// measure's coverage, `on` the Chinese rule's trigger.
fn matched_on_hs(goods: &str, on: &str) -> String {
    format!(
        r#"
[scenario]
id = "t"
horizon = "2019-01-01..2020-01-01"
[[baseline]]
importer = "US"
exporter = "CN"
basket = [{{ key = "list-3-goods", value = "200000000000" }}, {{ key = "steel", value = "10000000000" }}]
[[baseline]]
importer = "CN"
exporter = "US"
basket = [{{ key = "soy", value = "36500000000" }}]
[[measure]]
id = "m"
authority = "section-301"
imposer = "US"
target = "CN"
goods = {goods}
steps = [{{ from = "2019-03-01", rate = "25%" }}]
[[retaliation]]
id = "cnv"
party = "CN"
against = "US"
watch = ["m"]
{on}
rate = "match"
covers = "value"
"#
    )
}

#[test]
fn an_answer_sized_on_a_value_the_grain_cannot_show_is_not_valued() {
    // How much of either named basket is HS 8471 is unknown, so the value
    // China matches is unknown: its answer is "not valued" (2 baskets),
    // never $0.00, and China's side is not complete.
    let s = scenario(&matched_on_hs(r#"{ hs = ["8471"] }"#, r#"on = "in-force""#)).unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let cn = e.paths()[0].side("CN", "US").unwrap();
    let answer = &cn.measures()[0];
    assert_eq!(
        answer.valuation(),
        engine::Valuation::NotValued { baskets: 2 }
    );
    assert!(!cn.is_complete());
    let report = EvaluationReport::new(&s, &e).unwrap();
    assert!(report.paths[0].sides[1].measures[0].net.is_none());
    // With $10B of steel under the measure too, what China matches is at
    // least the steel: 306 days (Mar-Dec) × 10B / 365 × 25% = $2.10B, a
    // lower bound, marked partly valued.
    let s = scenario(&matched_on_hs(
        r#"{ baskets = ["steel"], hs = ["8471"] }"#,
        r#"on = "in-force""#,
    ))
    .unwrap();
    let e = s.evaluate(Detail::Totals).unwrap();
    let cn = e.paths()[0].side("CN", "US").unwrap();
    assert_eq!(
        cn.measures()[0].valuation(),
        engine::Valuation::Partly { baskets: 1 }
    );
    assert_eq!(
        cn.net().to_cents(Currency::USD).amount(),
        Decimal::new(209_589_041_096, 2)
    );
    // A threshold compared with that unknown value cannot be decided.
    let e = scenario(&matched_on_hs(
        r#"{ hs = ["8471"] }"#,
        r#"on = "covered-value-above"
threshold = "1000""#,
    ))
    .unwrap_err();
    assert_eq!(
        message(e),
        "<text>: retaliation rule \"cnv\": it compares the value measure \"m\" covers with a threshold, but the baseline's grain cannot value what it covers in 2 basket(s): give that side an HS-level baseline, or watch measures on its baskets"
    );
}

/// Work kept across paths (answers, claims, groups found by their claims)
/// changes nothing: on generated trees with value-matched, list and chained
/// rules, every path of a whole evaluation equals that path evaluated alone,
/// with nothing kept from another path.
#[test]
fn a_path_evaluated_alone_is_the_path_evaluated_with_the_others() {
    let mut answered = 0;
    for seed in 1..=12 {
        for rules in [1, 3, 4] {
            let s = tariffsim::synthetic::Synthetic::new(seed)
                .lines(300)
                .measures(6)
                .steps(3)
                .tree(2, 4)
                .retaliation(rules)
                .scenario()
                .unwrap();
            let e = s.evaluate(Detail::Totals).unwrap();
            for outcome in e.paths() {
                let alone = s.evaluate_path(outcome.id(), Detail::Totals).unwrap();
                assert_eq!(
                    &alone,
                    outcome,
                    "seed {seed}, {rules} rules, path {}",
                    outcome.id()
                );
                answered += usize::from(outcome.answers().iter().any(|n| n.covered.is_some()));
            }
        }
    }
    // The check reaches paths whose value-matched answers claim imports.
    assert!(answered > 100, "{answered} paths with claims");
}
