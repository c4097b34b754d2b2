//! Writing a scenario back to the file format it was read from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::dto::*;
use super::input::Inputs;
use super::output::write_outputs;
use crate::engine::Scenario;
use crate::error::{Error, Result};
use crate::outcome::{ActionKind, Node, Postponement};
use crate::retaliation::{Policy, ResponseGoods, ResponseRate, TriggerEvent};
use crate::tariff::{ContentShares, Goods, HsList, Stacking, StepStatus};
use crate::trade::Nesting;
use crate::units::{Date, Window};

fn goods_dto(g: &Goods, lists: &mut BTreeMap<String, HsList>) -> GoodsDto {
    for l in g.hs_lists() {
        lists.insert(l.name().to_string(), l.clone());
    }
    GoodsDto {
        all: g.is_all(),
        baskets: g.basket_ids().iter().map(|b| b.to_string()).collect(),
        hs: g.hs_prefixes().iter().map(|c| c.to_string()).collect(),
        hs_lists: g.hs_lists().iter().map(|l| l.name().to_string()).collect(),
    }
}

fn bounds(w: Window) -> (Option<String>, Option<String>) {
    let from = (w.start() != Date::MIN).then(|| w.start().to_string());
    let until = (!w.is_open()).then(|| w.end().to_string());
    (from, until)
}

/// Saves `scenario` to `path` (TOML), with its baselines as CSV files and its
/// HS lists as one CSV beside it (`<stem>.<importer>-<exporter>.csv`,
/// `<stem>.hs-lists.csv`, and the content shares of measures on content as
/// `<stem>.content-shares.csv`). Loading the result gives an equal scenario. The
/// files are written as one set ([`write_outputs`](super::write_outputs)):
/// all of them or none.
///
/// # Errors
/// [`Error::Io`] when a file cannot be written.
pub fn save_scenario(scenario: &Scenario, path: &Path) -> Result<()> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".into());
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut lists: BTreeMap<String, HsList> = BTreeMap::new();
    let mut file = FileDto::default();
    // Every file is written at the end, all renamed into place or none.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let info = scenario.info();
    file.scenario = Some(ScenarioDto {
        id: info.id.clone(),
        title: info.title.clone(),
        description: info.description.clone(),
        horizon: scenario.horizon().to_string(),
        reference: scenario.reference().map(|p| p.id().to_string()),
        history_from: scenario.history_from().map(|d| d.to_string()),
        not_valued: scenario
            .not_valued()
            .iter()
            .map(|(i, e)| format!("{i}<-{e}"))
            .collect(),
        assumptions: info.assumptions.clone(),
        sources: info.sources.clone(),
    });
    for x in scenario.exchange_rates().series() {
        file.exchange_rate.push(ExchangeRateDto {
            base: x.base().to_string(),
            quote: x.quote().to_string(),
            rates: x
                .steps()
                .iter()
                .map(|(d, r)| DatedValueDto {
                    from: d.to_string(),
                    rate: r.to_string(),
                })
                .collect(),
        });
    }
    if let Some(i) = scenario.refund_terms().interest() {
        file.refunds = Some(RefundsDto {
            paid: i.paid().to_string(),
            interest: i
                .rates()
                .iter()
                .map(|(w, r)| InterestDto {
                    from: w.start().to_string(),
                    until: w.end().to_string(),
                    rate: r.to_string(),
                })
                .collect(),
        });
    }

    for b in scenario.baselines() {
        let name = format!("{stem}.{}-{}.csv", b.importer(), b.exporter());
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["key".to_string(), "description".to_string()];
        header.extend(b.periods().labels());
        let csv_err = |e: csv::Error| Error::Io {
            path: name.clone(),
            message: e.to_string(),
        };
        w.write_record(&header).map_err(csv_err)?;
        for k in b.baskets() {
            let mut row = vec![k.key().to_string(), k.description().to_string()];
            row.extend(k.values().iter().map(|v| v.to_string()));
            w.write_record(&row).map_err(csv_err)?;
        }
        let bytes = w.into_inner().map_err(|e| Error::Io {
            path: name.clone(),
            message: e.to_string(),
        })?;
        files.push((dir.join(&name), bytes));
        file.baseline.push(BaselineDto {
            importer: b.importer().to_string(),
            exporter: b.exporter().to_string(),
            currency: Some(b.currency().to_string()),
            file: Some(name),
            nested: (b.nesting() == Nesting::Residual).then(|| "residual".into()),
            ..BaselineDto::default()
        });
    }

    for r in scenario.base_rates() {
        let name = format!("{stem}.{}-base-rates.csv", r.importer());
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_err = |e: csv::Error| Error::Io {
            path: name.clone(),
            message: e.to_string(),
        };
        let mut header = vec!["code"];
        header.extend(super::BASE_RATE_COLUMNS);
        w.write_record(&header).map_err(csv_err)?;
        for (code, rate) in r.iter() {
            w.write_record([
                code.to_string(),
                rate.kind().to_string(),
                rate.ad_valorem().map(|a| a.to_string()).unwrap_or_default(),
                if rate.is_fully_valued() { "yes" } else { "no" }.to_string(),
                rate.text().to_string(),
            ])
            .map_err(csv_err)?;
        }
        let bytes = w.into_inner().map_err(|e| Error::Io {
            path: name.clone(),
            message: e.to_string(),
        })?;
        files.push((dir.join(&name), bytes));
        file.base_rates.push(BaseRatesDto {
            importer: r.importer().to_string(),
            file: name,
            key_column: Some("code".into()),
            source: r.source().to_string(),
        });
    }

    let mut contents: BTreeMap<String, ContentShares> = BTreeMap::new();
    for m in scenario.regime().measures() {
        let s = m.schedule();
        file.measure.push(MeasureDto {
            id: m.id().to_string(),
            name: if m.name() == m.id().as_str() {
                String::new()
            } else {
                m.name().to_string()
            },
            authority: m.authority().to_string(),
            layer: (m.layer().as_str() != m.id().as_str()).then(|| m.layer().to_string()),
            imposer: m.imposer().to_string(),
            target: m.target().to_string(),
            source: m.source().to_string(),
            goods: goods_dto(m.coverage().goods(), &mut lists),
            on_content: m.coverage().content().map(|c| {
                contents.insert(c.content().to_string(), c.clone());
                c.content().to_string()
            }),
            net_of_base: m.is_net_of_base(),
            steps: s
                .steps()
                .iter()
                .map(|st| StepDto {
                    from: st.effective().to_string(),
                    rate: st.rate().to_string(),
                    status: (st.status() == StepStatus::Announced).then(|| "announced".into()),
                })
                .collect(),
            suspensions: s
                .suspensions()
                .iter()
                .map(|x| SuspensionDto {
                    from: x.window().start().to_string(),
                    until: x.window().end().to_string(),
                    rate: x.rate().to_string(),
                })
                .collect(),
            exclusions: m
                .coverage()
                .exclusions()
                .iter()
                .map(|e| {
                    let (from, until) = bounds(e.window());
                    ExclusionDto {
                        goods: goods_dto(e.goods(), &mut lists),
                        from,
                        until,
                    }
                })
                .collect(),
        });
    }

    for r in scenario.regime().stacking() {
        let sel =
            |v: &[crate::tariff::Selector]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (from, until) = bounds(r.window());
        let mut dto = StackingDto {
            id: r.id().to_string(),
            from,
            until,
            ..StackingDto::default()
        };
        match r.stacking() {
            Stacking::Exclusive { over, excluded } => {
                dto.kind = "exclusive".into();
                dto.over = sel(over);
                dto.excluded = sel(excluded);
            }
            Stacking::Highest { among } => {
                dto.kind = "highest".into();
                dto.among = sel(among);
            }
            Stacking::Exempt { measures, goods } => {
                dto.kind = "exempt".into();
                dto.measures = sel(measures);
                dto.goods = Some(goods_dto(goods, &mut lists));
            }
        }
        file.stacking.push(dto);
    }

    for r in scenario.retaliation() {
        let (on, threshold) = match r.trigger().event {
            TriggerEvent::InForce => ("in-force", None),
            TriggerEvent::StepUp => ("step-up", None),
            TriggerEvent::RateAbove(t) => ("rate-above", Some(t.to_string())),
            TriggerEvent::CoveredValueAbove { value, .. } => {
                ("covered-value-above", Some(value.to_string()))
            }
        };
        let threshold_currency = match r.trigger().event {
            TriggerEvent::CoveredValueAbove {
                currency: Some(c), ..
            } => Some(c.to_string()),
            _ => None,
        };
        let (covers, goods, proportion) = match r.goods() {
            ResponseGoods::List(g) => ("list", Some(goods_dto(g, &mut lists)), None),
            ResponseGoods::MatchValue => ("value", None, None),
            ResponseGoods::Proportion(s) => ("proportion", None, Some(s.to_string())),
        };
        let (active_from, active_until) = bounds(r.active_window());
        file.retaliation.push(RetaliationDto {
            id: r.id().to_string(),
            party: r.party().to_string(),
            against: r.against().to_string(),
            watch: r.trigger().measures.iter().map(|s| s.to_string()).collect(),
            on: on.into(),
            threshold,
            threshold_currency,
            rate: match r.rate() {
                ResponseRate::Match => "match".into(),
                ResponseRate::Fixed(x) => x.to_string(),
            },
            covers: covers.into(),
            goods,
            proportion,
            lag_days: r.lag_days(),
            cap: r.cap().map(|c| c.to_string()),
            active_from,
            active_until,
            policy: (r.policy() != Policy::Follow).then(|| r.policy().to_string()),
        });
    }

    // The default tree (one certain path, no action) is what no tree means.
    let default = crate::outcome::OutcomeTree::status_quo(
        crate::engine::AS_SCHEDULED,
        scenario.horizon().start(),
    );
    if scenario.tree() != &default {
        for n in scenario.tree().nodes() {
            file.node.push(node_dto(n));
        }
    }

    if !contents.is_empty() {
        let name = format!("{stem}.content-shares.csv");
        let mut text = String::from("code,content,share\n");
        for (content, c) in &contents {
            for (code, share) in c.iter() {
                text.push_str(&format!("{code},{content},{share}\n"));
            }
        }
        files.push((dir.join(&name), text.into_bytes()));
        file.content_shares.push(ContentSharesDto {
            file: name,
            key_column: Some("code".into()),
            content_column: Some("content".into()),
            share_column: Some("share".into()),
            ..ContentSharesDto::default()
        });
    }

    if !lists.is_empty() {
        let name = format!("{stem}.hs-lists.csv");
        let mut text = String::from("code,list\n");
        for (list, l) in &lists {
            for c in l.codes() {
                text.push_str(&format!("{c},{list}\n"));
            }
        }
        files.push((dir.join(&name), text.into_bytes()));
        file.hs_list.push(HsListDto {
            lists: lists.keys().cloned().collect(),
            file: Some(name),
            ..HsListDto::default()
        });
    }

    let text = toml::to_string(&file).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: format!("cannot format: {e}"),
    })?;
    files.push((path.to_path_buf(), text.into_bytes()));
    let set: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_path(), b.as_slice()))
        .collect();
    write_outputs(&set, &Inputs::default())
}

fn node_dto(n: &Node) -> NodeDto {
    NodeDto {
        id: n.id().to_string(),
        label: n.label().to_string(),
        date: n.date().to_string(),
        branch: n
            .branches()
            .iter()
            .map(|b| BranchDto {
                id: b.id().to_string(),
                label: b.label().to_string(),
                kind: b.kind().to_string(),
                probability: b.probability().to_string(),
                next: b.next().map(|c| c.id().to_string()),
                action: b
                    .actions()
                    .iter()
                    .map(|a| {
                        let mut dto = ActionDto {
                            target: a.target().to_string(),
                            ..ActionDto::default()
                        };
                        let d = |x: Date| Some(x.to_string());
                        match *a.kind() {
                            ActionKind::Postpone {
                                step,
                                to,
                                shift_later,
                            } => {
                                dto.kind = "postpone".into();
                                dto.step = d(step);
                                dto.shift_later = shift_later.then_some(true);
                                match to {
                                    Postponement::To(x) => dto.to = d(x),
                                    Postponement::ByDays(n) => dto.days = Some(n),
                                    Postponement::Indefinitely => {
                                        dto.to = Some("indefinitely".into())
                                    }
                                }
                            }
                            ActionKind::Suspend { from, until, rate } => {
                                dto.kind = "suspend".into();
                                dto.from = d(from);
                                dto.until = d(until);
                                dto.rate = Some(rate.to_string());
                            }
                            ActionKind::ExtendSuspension { on, until } => {
                                dto.kind = "extend-suspension".into();
                                dto.on = d(on);
                                dto.until = d(until);
                            }
                            ActionKind::Cut { from, rate, then } => {
                                dto.kind = "cut".into();
                                dto.from = d(from);
                                dto.rate = Some(rate.to_string());
                                dto.then = then.map(|t| t.name().to_string());
                            }
                            ActionKind::Raise { from, rate, then } => {
                                dto.kind = "raise".into();
                                dto.from = d(from);
                                dto.rate = Some(rate.to_string());
                                dto.then = then.map(|t| t.name().to_string());
                            }
                            ActionKind::Revoke { from } => {
                                dto.kind = "revoke".into();
                                dto.from = d(from);
                            }
                            ActionKind::Void { from } => {
                                dto.kind = "void".into();
                                dto.from = d(from);
                            }
                            ActionKind::Impose { step } => {
                                dto.kind = "impose".into();
                                dto.step = step.map(|x| x.to_string());
                            }
                        }
                        dto
                    })
                    .collect(),
                commitment: b
                    .commitments()
                    .iter()
                    .map(|c| CommitmentDto {
                        buyer: c.buyer().to_string(),
                        description: c.description().to_string(),
                        annual_value: c.annual_value().amount().to_string(),
                        currency: Some(c.annual_value().currency().to_string()),
                        from: c.window().start().to_string(),
                        until: c.window().end().to_string(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
