//! `tariffsim portfolio --totals`: the whole portfolio per outcome, valued
//! as the side's baseline, without per-SKU detail.

use std::collections::HashSet;

use serde_json::json;
use tariffsim::portfolio::Portfolio;
use tariffsim::{Baseline, Basket, BasketKey, Detail, Periods, Scenario};

use super::grouped;
use crate::run::ReportFormat;
use crate::{Failure, tidy};

/// The whole portfolio's duty per outcome, valued in place of the US<-CN
/// baseline; SKUs whose line the baseline lacks are counted and left out.
pub(super) fn totals(
    portfolio: &Portfolio,
    scenario: &Scenario,
    format: ReportFormat,
) -> Result<String, Failure> {
    let lines = scenario
        .baselines()
        .iter()
        .find(|b| b.importer().as_str() == "US" && b.exporter().as_str() == "CN")
        .ok_or_else(|| {
            Failure::run(format!(
                "scenario {} has no US<-CN baseline to value a portfolio on",
                scenario.info().id
            ))
        })?;
    let known: HashSet<_> = lines.baskets().iter().map(|b| b.key().clone()).collect();
    let baskets: Vec<Basket> = portfolio
        .items()
        .iter()
        .filter(|i| known.contains(&BasketKey::Hs(i.hts10())))
        .map(|i| Basket::annual(i.key(), "", i.annual_value()))
        .collect();
    let valued = baskets.len();
    let left_out = portfolio.items().len() - valued;
    let own = Baseline::new(
        lines.importer().clone(),
        lines.exporter().clone(),
        lines.currency(),
        Periods::Annual,
        baskets,
    )
    .map_err(Failure::run)?;
    let baselines = scenario
        .baselines()
        .iter()
        .map(|b| {
            if std::ptr::eq(b, lines) {
                own.clone()
            } else {
                b.clone()
            }
        })
        .collect();
    let evaluation = scenario
        .revalue(baselines)
        .and_then(|s| s.evaluate(Detail::Totals))
        .map_err(Failure::run)?;
    let c = lines.currency();
    let mut rows = Vec::new();
    for p in evaluation.paths() {
        let side = p.side("US", "CN").map_err(Failure::run)?;
        rows.push((
            p.id().to_string(),
            p.probability().normalize(),
            side.net(),
            side.refundable(),
        ));
    }
    Ok(match format {
        ReportFormat::Table => {
            let mut out = format!(
                "Portfolio {}: {valued} SKUs valued, {left_out} left out (line not in the baseline)\n",
                portfolio.source()
            );
            let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            for (id, p, net, _) in &rows {
                out.push_str(&format!(
                    "  {id:<w$}  p = {:<5} {:>24} kept\n",
                    p.to_string(),
                    grouped(net.to_cents(c).amount())
                ));
            }
            out
        }
        ReportFormat::Csv => {
            let mut table = vec![vec![
                "outcome".to_string(),
                "probability".into(),
                "net".into(),
                "refundable".into(),
            ]];
            for (id, p, net, refundable) in &rows {
                table.push(vec![
                    tidy::text(id),
                    p.to_string(),
                    format!("{:.2}", net.to_cents(c).amount()),
                    format!("{:.2}", refundable.to_cents(c).amount()),
                ]);
            }
            tidy::csv(&table)?
        }
        ReportFormat::Json => {
            let paths: Vec<_> = rows
                .iter()
                .map(|(id, p, net, refundable)| {
                    json!({"id": id, "probability": p.to_string(),
                        "net": net.amount().normalize().to_string(),
                        "refundable": refundable.amount().normalize().to_string()})
                })
                .collect();
            let doc = json!({"portfolio": portfolio.source(), "scenario": scenario.info().id,
                "currency": c.to_string(), "valued": valued, "left_out": left_out, "paths": paths});
            serde_json::to_string_pretty(&doc).map_err(Failure::run)? + "\n"
        }
    })
}
