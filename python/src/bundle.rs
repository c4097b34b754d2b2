//! A scenario as a set of files in memory: what `save_scenario` writes, so a
//! scenario can be pickled and sent to another machine whole.

use std::collections::BTreeMap;

use tariffsim::{Error, Result, Scenario};

/// The scenario file's name inside a bundle.
pub const MAIN: &str = "scenario.toml";

fn io(path: &std::path::Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn temp_dir() -> Result<tempfile::TempDir> {
    tempfile::tempdir().map_err(|e| io(&std::env::temp_dir(), e))
}

/// The files `save_scenario` writes for `s`, by name.
pub fn write(s: &Scenario) -> Result<BTreeMap<String, Vec<u8>>> {
    let dir = temp_dir()?;
    tariffsim::load::save_scenario(s, &dir.path().join(MAIN))?;
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir.path()).map_err(|e| io(dir.path(), e))? {
        let path = entry.map_err(|e| io(dir.path(), e))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        out.insert(name, std::fs::read(&path).map_err(|e| io(&path, e))?);
    }
    Ok(out)
}

/// The scenario in `files` (as `write` made them).
pub fn read(files: &BTreeMap<String, Vec<u8>>) -> Result<Scenario> {
    let dir = temp_dir()?;
    for (name, bytes) in files {
        if name.contains('/') || name.contains('\\') || name.starts_with('.') {
            return Err(Error::Invalid(format!(
                "a bundle file is named {name:?}: names are plain file names"
            )));
        }
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
    }
    tariffsim::load::load_scenario(&dir.path().join(MAIN))
}
