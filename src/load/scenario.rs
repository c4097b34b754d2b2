//! Scenario files (TOML) and their includes, built into a [`Scenario`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::baseline::read_baseline_dto;
use super::dto::*;
use super::hs_list::read_hs_list;
use super::input::read_text;
use super::regime::{measure, retaliation_rule, stacking_rule};
use super::tree::tree;
use crate::engine::{Scenario, ScenarioInfo};
use crate::error::{Error, Result, ResultExt};
use crate::tariff::{HsList, Regime};
use crate::units::Window;

fn parse_toml(path: &Path, text: &str) -> Result<FileDto> {
    toml::from_str(text).map_err(|e| {
        Error::Invalid(e.to_string().trim_end().replace('\n', " ")).at(path.display().to_string())
    })
}

/// A scenario file with its includes, in include order (includes first).
fn collect(
    path: &Path,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<(PathBuf, FileDto)>,
) -> Result<()> {
    let canonical = path.canonicalize().map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: format!("cannot open: {e}"),
    })?;
    if !seen.insert(canonical.clone()) {
        return Err(Error::Invalid(format!(
            "{} is included twice (or includes itself): include each file once",
            path.display()
        )));
    }
    let dto = parse_toml(path, &read_text(path)?)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for inc in &dto.include {
        collect(&dir.join(inc), seen, out).at(|| format!("{}, include {inc:?}", path.display()))?;
    }
    out.push((path.to_path_buf(), dto));
    Ok(())
}

/// Loads a scenario file, its includes and the CSV files they name.
///
/// Relative paths in a file are relative to that file's folder.
///
/// # Errors
/// [`Error::Io`] for a missing or unreadable file; every other error wrapped
/// with the file, the item (measure, node, branch, action, line) and the
/// field it comes from.
///
/// ```
/// let s = tariffsim::load::load_scenario("data/scenarios/g20-2018.toml".as_ref())?;
/// assert_eq!(s.info().id, "g20-2018");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_scenario(path: &Path) -> Result<Scenario> {
    let mut files = Vec::new();
    collect(path, &mut HashSet::new(), &mut files)?;
    build(files)
}

/// Loads a scenario from TOML text; relative paths resolve against `dir`.
///
/// # Errors
/// As [`load_scenario`].
pub fn parse_scenario(text: &str, dir: &Path) -> Result<Scenario> {
    let main = dir.join("<text>");
    let dto = parse_toml(&main, text)?;
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for inc in &dto.include {
        collect(&dir.join(inc), &mut seen, &mut files).at(|| format!("include {inc:?}"))?;
    }
    files.push((main, dto));
    build(files)
}

fn build(files: Vec<(PathBuf, FileDto)>) -> Result<Scenario> {
    let Some((main_path, _)) = files.last() else {
        return Err(Error::Invalid("no scenario file given".into()));
    };
    let main_path = main_path.clone();
    for (p, f) in &files[..files.len() - 1] {
        if f.scenario.is_some() || !f.node.is_empty() {
            return Err(Error::Invalid(format!(
                "{} is included but has a [scenario] or [[node]]: an included file holds only measures, lists, baselines and rules",
                p.display()
            )));
        }
    }

    // HS lists first: measures refer to them.
    let mut lists: BTreeMap<String, HsList> = BTreeMap::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for (i, l) in f.hs_list.iter().enumerate() {
            for list in read_hs_list(dir, l).at(|| format!("{}, hs_list {}", p.display(), i + 1))? {
                let name = list.name().to_string();
                if lists.insert(name.clone(), list).is_some() {
                    return Err(Error::DuplicateId {
                        kind: "HS list",
                        id: name,
                    }
                    .at(p.display().to_string()));
                }
            }
        }
    }

    let mut baselines = Vec::new();
    for (p, f) in &files {
        let dir = p.parent().unwrap_or(Path::new("."));
        for b in &f.baseline {
            let ctx = || format!("{}, baseline {}<-{}", p.display(), b.importer, b.exporter);
            baselines.push(read_baseline_dto(dir, b).at(ctx)?);
        }
    }

    let mut measures = Vec::new();
    let mut origin: HashMap<String, PathBuf> = HashMap::new();
    for (p, f) in &files {
        for m in &f.measure {
            let ctx = || format!("{}, measure {:?}", p.display(), m.id);
            if let Some(first) = origin.get(&m.id) {
                return Err(Error::DuplicateId {
                    kind: "measure",
                    id: m.id.clone(),
                }
                .at(format!(
                    "{} (first defined in {})",
                    p.display(),
                    first.display()
                )));
            }
            origin.insert(m.id.clone(), p.clone());
            measures.push(measure(m, &lists).at(ctx)?);
        }
    }

    let mut stacking = Vec::new();
    for (p, f) in &files {
        for s in &f.stacking {
            let ctx = || format!("{}, stacking rule {:?}", p.display(), s.id);
            let rule = stacking_rule(s, &lists).at(ctx)?;
            for sel in rule.selectors() {
                crate::tariff::check_selector(sel, &measures).at(ctx)?;
            }
            stacking.push(rule);
        }
    }
    let regime = Regime::new(measures, stacking).at(|| main_path.display().to_string())?;

    let mut retaliation = Vec::new();
    for (p, f) in &files {
        for r in &f.retaliation {
            let ctx = || format!("{}, retaliation rule {:?}", p.display(), r.id);
            let rule = retaliation_rule(r, &lists).at(ctx)?;
            rule.check_watch(regime.measures()).at(ctx)?;
            retaliation.push(rule);
        }
    }

    let Some((_, main)) = files.last() else {
        return Err(Error::Invalid("no scenario file given".into()));
    };
    let ctx = || main_path.display().to_string();
    let Some(sc) = &main.scenario else {
        return Err(Error::Invalid(
            "no [scenario] table: give the scenario an id and a horizon".into(),
        )
        .at(ctx()));
    };
    let horizon: Window = sc
        .horizon
        .parse()
        .at(|| format!("{}, [scenario] field \"horizon\"", ctx()))?;
    let tree = if main.node.is_empty() {
        None
    } else {
        Some(tree(&main.node).at(ctx)?)
    };
    let info = ScenarioInfo {
        id: sc.id.clone(),
        title: sc.title.clone(),
        description: sc.description.clone(),
        assumptions: sc.assumptions.clone(),
        sources: sc.sources.clone(),
    };
    Scenario::new(
        info,
        baselines,
        regime,
        retaliation,
        tree,
        horizon,
        sc.reference.as_deref(),
    )
    .at(ctx)
}
