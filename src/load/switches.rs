//! Switches: an assumption a scenario states with its alternatives, each
//! setting naming the stacking rules that hold under it.
//!
//! A `[[switch]]` has an id, a default setting and two or more settings,
//! each with the assumption it states. A stacking rule with `when =
//! "SWITCH=SETTING"` holds only when that setting is chosen. The setting is
//! chosen when the scenario is loaded ([`LoadOptions::with_setting`], the
//! CLI's `--set SWITCH=SETTING`), the default otherwise; the chosen
//! setting's assumption is added to the scenario's assumptions, so every
//! report states it.

use std::path::PathBuf;

use super::dto::{FileDto, SwitchDto};
use super::fields::check_text;
use super::input::{LoadOptions, show};
use crate::error::{Error, Result, ResultExt, excerpt, nearest};
use crate::units::check_id;

/// How many known ids an error about an unknown one shows.
const SHOWN: usize = 5;

/// One switch: its settings (id, assumption) in file order and the index
/// of the chosen one.
#[derive(Debug)]
struct Switch {
    id: String,
    settings: Vec<(String, String)>,
    chosen: usize,
}

/// The switches of a scenario's files, in declaration order, each with its
/// chosen setting.
#[derive(Debug)]
pub(super) struct Switches {
    all: Vec<Switch>,
}

fn check_switch(s: &SwitchDto) -> Result<Vec<(String, String)>> {
    check_id("switch id", &s.id).at(|| "field \"id\"".into())?;
    if s.settings.len() < 2 {
        return Err(Error::Invalid(format!(
            "switch {:?} has {} setting(s): give at least two, each with the assumption it states",
            s.id,
            s.settings.len()
        )));
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(s.settings.len());
    for (i, st) in s.settings.iter().enumerate() {
        let ctx = || format!("setting {}", i + 1);
        check_id("setting id", &st.id).at(ctx)?;
        check_text(&st.assumption, true).at(ctx)?;
        if st.assumption.trim().is_empty() {
            return Err(Error::Invalid(format!(
                "setting {:?} states no assumption: say what the scenario takes as true under it",
                st.id
            ))
            .at(ctx()));
        }
        if out.iter().any(|(id, _)| *id == st.id) {
            return Err(Error::DuplicateId {
                kind: "setting",
                id: st.id.clone(),
            });
        }
        out.push((st.id.clone(), st.assumption.clone()));
    }
    Ok(out)
}

fn setting_index(switch: &str, settings: &[(String, String)], wanted: &str) -> Result<usize> {
    settings
        .iter()
        .position(|(id, _)| id == wanted)
        .ok_or_else(|| {
            Error::unknown(
                "setting",
                wanted,
                format!(
                    " of switch {switch:?}; its settings are {}",
                    nearest(wanted, settings.iter().map(|(id, _)| id.as_str()), SHOWN)
                ),
            )
        })
}

impl Switches {
    /// The switches declared in `files`, set as `options` chooses (the
    /// default otherwise).
    ///
    /// # Errors
    /// [`Error::Invalid`] for a switch with fewer than two settings or a
    /// setting with no assumption; [`Error::DuplicateId`] for a switch or a
    /// setting given twice; [`Error::Unknown`] for a default or a chosen
    /// setting the switch lacks, or a chosen switch no file declares.
    pub fn new(files: &[(PathBuf, FileDto)], options: &LoadOptions) -> Result<Switches> {
        let mut all: Vec<Switch> = Vec::new();
        for (p, f) in files {
            for s in &f.switch {
                let ctx = || format!("{}, switch {}", show(p), excerpt(&s.id));
                if all.iter().any(|w| w.id == s.id) {
                    return Err(Error::DuplicateId {
                        kind: "switch",
                        id: s.id.clone(),
                    }
                    .at(show(p)));
                }
                let settings = check_switch(s).at(ctx)?;
                let chosen = setting_index(&s.id, &settings, &s.default)
                    .at(|| format!("{}, field \"default\"", ctx()))?;
                all.push(Switch {
                    id: s.id.clone(),
                    settings,
                    chosen,
                });
            }
        }
        for (switch, setting) in options.settings() {
            let Some(w) = all.iter_mut().find(|w| w.id == *switch) else {
                return Err(Error::unknown(
                    "switch",
                    switch.as_str(),
                    format!(
                        ": the scenario declares {}",
                        nearest(switch, all.iter().map(|w| w.id.as_str()), SHOWN)
                    ),
                ));
            };
            w.chosen = setting_index(&w.id, &w.settings, setting)?;
        }
        Ok(Switches { all })
    }

    /// Whether an item with `when` (`"SWITCH=SETTING"`, or none) holds
    /// under the chosen settings.
    ///
    /// # Errors
    /// [`Error::Parse`] for a `when` that is not `SWITCH=SETTING`;
    /// [`Error::Unknown`] for a switch or setting not declared.
    pub fn admits(&self, when: Option<&str>) -> Result<bool> {
        let Some(when) = when else {
            return Ok(true);
        };
        let (switch, setting) = when.split_once('=').ok_or_else(|| Error::Parse {
            what: "switch setting",
            input: when.to_string(),
            fix: "write SWITCH=SETTING, e.g. \"s122-civil-aircraft=exempt\"".into(),
        })?;
        let Some(w) = self.all.iter().find(|w| w.id == switch) else {
            return Err(Error::unknown(
                "switch",
                switch,
                format!(
                    ": declare it under [[switch]] (declared: {})",
                    nearest(switch, self.all.iter().map(|w| w.id.as_str()), SHOWN)
                ),
            ));
        };
        Ok(setting_index(&w.id, &w.settings, setting)? == w.chosen)
    }

    /// The assumptions the chosen settings state, each naming its switch,
    /// its setting and the other settings.
    pub fn assumptions(&self) -> Vec<String> {
        self.all
            .iter()
            .map(|w| {
                let others: Vec<&str> = w
                    .settings
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != w.chosen)
                    .map(|(_, (s, _))| s.as_str())
                    .collect();
                let (setting, assumption) = &w.settings[w.chosen];
                format!(
                    "{assumption} (switch {} = {setting}; also: {})",
                    w.id,
                    others.join(", ")
                )
            })
            .collect()
    }
}
