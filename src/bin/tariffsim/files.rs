//! Scenario arguments, loading, and the files a run writes.

use std::path::{Path, PathBuf};

use tariffsim::load::{Inputs, LoadOptions, check_outputs, load_scenario_with, write_outputs};
use tariffsim::units::parse_date;
use tariffsim::{Date, Scenario};

use crate::Failure;

/// The data folder the binary was built from.
const BUILT_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data");

/// The environment variable naming another data folder (one holding
/// `scenarios/`).
pub const DATA_ENV: &str = "TARIFFSIM_DATA";

/// Help text on what a SCENARIO argument is.
pub const SCENARIO_HELP: &str = "A scenario file, or the name of a shipped scenario (busan-2025)";

/// At most this many characters of an argument are echoed in a message.
const EXCERPT: usize = 40;

/// An argument as it may appear in a message: escaped, at most
/// [`EXCERPT`] characters, quoted.
pub fn excerpt(arg: &str) -> String {
    let mut out: String = arg
        .chars()
        .take(EXCERPT)
        .flat_map(char::escape_debug)
        .collect();
    if arg.chars().count() > EXCERPT {
        out.push_str("...");
    }
    format!("\"{out}\"")
}

/// The folder of shipped scenarios: `$TARIFFSIM_DATA/scenarios`, or the
/// build's own `data/scenarios`.
fn scenarios_dir() -> PathBuf {
    std::env::var_os(DATA_ENV)
        .map_or_else(|| PathBuf::from(BUILT_DATA), PathBuf::from)
        .join("scenarios")
}

/// The names of the shipped scenarios, sorted.
fn shipped_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    name.strip_suffix(".toml").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The file a SCENARIO argument names: a file that exists, else a shipped
/// scenario of that name.
///
/// # Errors
/// A usage error listing the shipped scenarios when it is neither.
pub fn resolve(arg: &str) -> Result<PathBuf, Failure> {
    let given = Path::new(arg);
    if given.exists() {
        return Ok(given.to_path_buf());
    }
    let dir = scenarios_dir();
    let name = arg.strip_suffix(".toml").unwrap_or(arg);
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !name.starts_with('.');
    if is_name {
        let file = dir.join(format!("{name}.toml"));
        if file.is_file() {
            return Ok(file);
        }
    }
    let names = shipped_names(&dir);
    let shipped = if names.is_empty() {
        format!(
            "no shipped scenarios found in {} (set {DATA_ENV} to a data folder)",
            dir.display()
        )
    } else {
        format!("shipped scenarios: {}", names.join(", "))
    };
    Err(Failure::usage(format!(
        "no scenario file or shipped scenario named {}; {shipped}",
        excerpt(arg)
    )))
}

/// A loaded scenario with the files it read.
pub struct Source {
    /// The scenario.
    pub scenario: Scenario,
    /// Every file it read (outputs may not overwrite them).
    pub inputs: Inputs,
}

/// Loads the scenario a SCENARIO argument names, with the switch settings
/// `set` chooses (`SWITCH=SETTING` each).
///
/// # Errors
/// As [`resolve`]; a usage error for a setting not written
/// `SWITCH=SETTING`; a failure naming the file when it cannot be loaded
/// (an unknown switch or setting among them).
pub fn load(arg: &str, set: &[String]) -> Result<Source, Failure> {
    let file = resolve(arg)?;
    let mut options = LoadOptions::new();
    for s in set {
        let (switch, setting) = s.split_once('=').ok_or_else(|| {
            Failure::usage(format!(
                "--set: {} is not SWITCH=SETTING (e.g. s122-civil-aircraft=exempt)",
                excerpt(s)
            ))
        })?;
        options = options.with_setting(switch, setting);
    }
    let loaded = load_scenario_with(&file, &options).map_err(Failure::run)?;
    let (scenario, inputs) = loaded.into_parts();
    Ok(Source { scenario, inputs })
}

/// The files a run writes, each with the flag that named it.
#[derive(Default)]
pub struct Outputs {
    named: Vec<(&'static str, PathBuf)>,
}

impl Outputs {
    /// The outputs among `flags` that were given.
    pub fn new(flags: &[(&'static str, &Option<PathBuf>)]) -> Outputs {
        Outputs {
            named: flags
                .iter()
                .filter_map(|(flag, p)| p.as_ref().map(|p| (*flag, p.clone())))
                .collect(),
        }
    }

    /// Refuses outputs that are folders, name one file twice, or are one
    /// of `inputs` (through `..`, a symlink or a hard link).
    ///
    /// # Errors
    /// A usage error naming the flag.
    pub fn check(&self, inputs: &Inputs) -> Result<(), Failure> {
        for (flag, p) in &self.named {
            check_outputs(&[p.as_path()], inputs)
                .map_err(|e| Failure::usage(format!("{flag}: {e}")))?;
        }
        let paths: Vec<&Path> = self.named.iter().map(|(_, p)| p.as_path()).collect();
        check_outputs(&paths, inputs).map_err(|e| Failure::usage(e.to_string()))
    }

    /// Writes every output, all or none, never over an input.
    ///
    /// # Errors
    /// A failure when a flag has no content or a file cannot be written.
    pub fn write(
        &self,
        contents: &[(&'static str, Vec<u8>)],
        inputs: &Inputs,
    ) -> Result<(), Failure> {
        let mut files: Vec<(&Path, &[u8])> = Vec::new();
        for (flag, p) in &self.named {
            let (_, text) = contents
                .iter()
                .find(|(f, _)| f == flag)
                .ok_or_else(|| Failure::run(format!("{flag}: nothing was produced")))?;
            files.push((p.as_path(), text.as_slice()));
        }
        write_outputs(&files, inputs).map_err(Failure::run)
    }

    /// Whether `flag` names an output.
    pub fn has(&self, flag: &str) -> bool {
        self.named.iter().any(|(f, _)| *f == flag)
    }
}

/// Checks `outputs` before the scenario is read (folders, a file named
/// twice), loads it, and checks them again against what it read.
///
/// # Errors
/// As [`Outputs::check`] and [`load`].
pub fn load_for(arg: &str, set: &[String], outputs: &Outputs) -> Result<Source, Failure> {
    outputs.check(&Inputs::new())?;
    let source = load(arg, set)?;
    outputs.check(&source.inputs)?;
    Ok(source)
}

/// A `YYYY-MM-DD` date given to `flag`.
///
/// # Errors
/// A usage error with a bounded, escaped excerpt.
pub fn date(flag: &str, s: &str) -> Result<Date, Failure> {
    parse_date(s).map_err(|_| {
        Failure::usage(format!(
            "{flag}: {} is not a date: write YYYY-MM-DD",
            excerpt(s)
        ))
    })
}
