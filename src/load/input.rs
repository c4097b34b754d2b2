//! The loading policy: which files a scenario may read, how much of each,
//! and the record of what it read.
//!
//! Every file goes through [`Opener::open`]: the path is resolved
//! (symlinks and `..` followed) and must lie inside an allowed folder; it is
//! checked to be a regular file before it is opened (a FIFO or a device is
//! never opened, so it cannot block); it is opened without blocking and
//! checked again through the open handle (the same file, still regular, not
//! on `/proc` or `/sys`); and it is read through a counter that stops at the
//! file kind's limit. Each file read is recorded ([`Inputs`]) so outputs can
//! be checked against it.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, LimitReached, Result};

/// The default limit for a scenario or included TOML file: 8 MiB.
pub const DEFAULT_MAX_TOML_BYTES: u64 = 8 << 20;
/// The default limit for a CSV file (baseline, HS list, portfolio): 256 MiB.
pub const DEFAULT_MAX_CSV_BYTES: u64 = 256 << 20;
/// The default limit on the number of included files, all levels together.
pub const DEFAULT_MAX_INCLUDES: usize = 1_000;
/// The default limit on how deep includes nest (a scenario including a
/// file is depth 1).
pub const DEFAULT_MAX_INCLUDE_DEPTH: usize = 32;

/// The name of the file that marks a folder as the top of a scenario tree.
///
/// Includes and data files must resolve inside the scenario's folder, or
/// inside the nearest folder above it (at most 8 levels up) that holds a
/// `.tariffsim-root` file owned by the owner of the scenario's folder, in a
/// folder not writable by everyone (a marker planted in `/tmp` counts for
/// nothing).
/// The shipped `data/` folder has one, so `data/scenarios/*.toml` may name
/// `../record/` and `../baselines/`.
pub const ROOT_MARKER: &str = ".tariffsim-root";

/// How far above a scenario's folder a [`ROOT_MARKER`] is looked for.
const MARKER_LEVELS: usize = 8;

/// How a scenario is loaded: which folders its includes and data files may
/// come from, and how much may be read.
///
/// The defaults are safe for files from anyone: includes and data files
/// resolve inside the scenario's own tree (its folder, or the folder marked
/// by [`ROOT_MARKER`] above it), only regular files are read, a TOML file
/// may hold [`DEFAULT_MAX_TOML_BYTES`] and a CSV file
/// [`DEFAULT_MAX_CSV_BYTES`], and includes are bounded in number
/// ([`DEFAULT_MAX_INCLUDES`]) and depth ([`DEFAULT_MAX_INCLUDE_DEPTH`]).
///
/// ```
/// use tariffsim::load::{LoadOptions, load_scenario_with};
/// let options = LoadOptions::new().allow_root("data").max_csv_bytes(64 << 20);
/// let loaded = load_scenario_with("data/scenarios/g20-2018.toml".as_ref(), &options)?;
/// assert_eq!(loaded.scenario().info().id, "g20-2018");
/// assert!(loaded.inputs().files().len() >= 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    roots: Vec<PathBuf>,
    marked_root: bool,
    max_toml_bytes: u64,
    max_csv_bytes: u64,
    max_includes: usize,
    max_include_depth: usize,
    settings: Vec<(String, String)>,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            roots: Vec::new(),
            marked_root: true,
            max_toml_bytes: DEFAULT_MAX_TOML_BYTES,
            max_csv_bytes: DEFAULT_MAX_CSV_BYTES,
            max_includes: DEFAULT_MAX_INCLUDES,
            max_include_depth: DEFAULT_MAX_INCLUDE_DEPTH,
            settings: Vec::new(),
        }
    }
}

impl LoadOptions {
    /// The safe defaults (see the type's docs).
    pub fn new() -> LoadOptions {
        LoadOptions::default()
    }

    /// Also allows includes and data files inside `root` (and below it).
    /// A root that does not exist allows nothing.
    pub fn allow_root(mut self, root: impl Into<PathBuf>) -> LoadOptions {
        self.roots.push(root.into());
        self
    }

    /// Whether a [`ROOT_MARKER`] above the scenario's folder widens its tree
    /// (on by default). Off, the tree is the scenario's folder alone, plus
    /// the roots allowed explicitly.
    pub fn marked_root(mut self, honour: bool) -> LoadOptions {
        self.marked_root = honour;
        self
    }

    /// The most bytes a TOML file may hold.
    pub fn max_toml_bytes(mut self, bytes: u64) -> LoadOptions {
        self.max_toml_bytes = bytes;
        self
    }

    /// The most bytes a CSV file may hold.
    pub fn max_csv_bytes(mut self, bytes: u64) -> LoadOptions {
        self.max_csv_bytes = bytes;
        self
    }

    /// The most files a scenario may include, all levels together.
    pub fn max_includes(mut self, files: usize) -> LoadOptions {
        self.max_includes = files;
        self
    }

    /// How deep includes may nest.
    pub fn max_include_depth(mut self, depth: usize) -> LoadOptions {
        self.max_include_depth = depth;
        self
    }

    /// Chooses `setting` of the scenario's `[[switch]]` `switch` (a stated
    /// assumption with alternatives, `data/README.md`); a later choice of
    /// the same switch replaces an earlier one. Loading fails if the
    /// scenario has no such switch or setting.
    pub fn with_setting(
        mut self,
        switch: impl Into<String>,
        setting: impl Into<String>,
    ) -> LoadOptions {
        let switch = switch.into();
        self.settings.retain(|(s, _)| *s != switch);
        self.settings.push((switch, setting.into()));
        self
    }

    /// The switch settings chosen, in order.
    pub fn settings(&self) -> &[(String, String)] {
        &self.settings
    }

    /// The folders allowed explicitly, as given.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The TOML size limit in bytes.
    pub fn toml_limit(&self) -> u64 {
        self.max_toml_bytes
    }

    /// The CSV size limit in bytes.
    pub fn csv_limit(&self) -> u64 {
        self.max_csv_bytes
    }

    /// The limit on included files.
    pub fn include_limit(&self) -> usize {
        self.max_includes
    }

    /// The limit on include depth.
    pub fn include_depth_limit(&self) -> usize {
        self.max_include_depth
    }
}

/// One file a scenario read: where it resolved to, and which file it is on
/// its device (so a hard link to it is recognised too).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InputFile {
    path: PathBuf,
    device: u64,
    inode: u64,
}

impl InputFile {
    /// The canonical path (symlinks and `..` resolved).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The device the file is on (0 where the platform has no such number).
    pub fn device(&self) -> u64 {
        self.device
    }

    /// The file's inode on its device (0 where the platform has none).
    pub fn inode(&self) -> u64 {
        self.inode
    }

    /// Whether `meta` describes this same file.
    pub(crate) fn is(&self, meta: &std::fs::Metadata) -> bool {
        let (device, inode) = identity(meta);
        inode != 0 && self.device == device && self.inode == inode
    }
}

/// The files a scenario read, in the order they were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    files: Vec<InputFile>,
}

impl Inputs {
    /// No files.
    pub fn new() -> Inputs {
        Inputs::default()
    }

    /// The files, in the order read.
    pub fn files(&self) -> &[InputFile] {
        &self.files
    }

    /// Records `path` (as its canonical path and device/inode) as an input.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be found.
    pub fn add(&mut self, path: &Path) -> Result<()> {
        let canonical = path.canonicalize().map_err(|e| cannot("open", path, e))?;
        let meta = std::fs::metadata(&canonical).map_err(|e| cannot("open", path, e))?;
        self.record(canonical, &meta);
        Ok(())
    }

    /// Adds every file of `other`.
    pub fn extend(&mut self, other: &Inputs) {
        for f in &other.files {
            if !self.files.contains(f) {
                self.files.push(f.clone());
            }
        }
    }

    /// The input that `path` (after resolving symlinks and `..`) or `meta`
    /// (the same file through a hard link) is, if any.
    pub(crate) fn matching(
        &self,
        canonical: &Path,
        meta: Option<&std::fs::Metadata>,
    ) -> Option<&InputFile> {
        self.files
            .iter()
            .find(|f| f.path == canonical || meta.is_some_and(|m| f.is(m)))
    }

    fn record(&mut self, canonical: PathBuf, meta: &std::fs::Metadata) {
        let (device, inode) = identity(meta);
        let file = InputFile {
            path: canonical,
            device,
            inode,
        };
        if !self.files.contains(&file) {
            self.files.push(file);
        }
    }
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// A path as shown in a message: control characters escaped, cut to a
/// readable length.
pub(crate) fn show(path: &Path) -> String {
    const LONGEST: usize = 200;
    let text = path.display().to_string();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == LONGEST {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

fn cannot(what: &str, path: &Path, e: io::Error) -> Error {
    Error::Io {
        path: show(path),
        message: format!("cannot {what}: {e}"),
    }
}

/// What kind of file is read, which sets its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Toml,
    Csv,
}

impl Kind {
    fn limit(self, options: &LoadOptions) -> u64 {
        match self {
            Kind::Toml => options.max_toml_bytes,
            Kind::Csv => options.max_csv_bytes,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Toml => "TOML",
            Kind::Csv => "CSV",
        }
    }

    fn option(self) -> &'static str {
        match self {
            Kind::Toml => "max_toml_bytes",
            Kind::Csv => "max_csv_bytes",
        }
    }
}

/// A reader that fails once more than `limit` bytes have come through, so a
/// file that grows while read (or a device that never ends) stops there.
#[derive(Debug)]
pub(crate) struct Bounded<R> {
    inner: R,
    left: u64,
    kind: Kind,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        let got = n as u64;
        if got > self.left {
            self.left = 0;
            return Err(io::Error::other(LimitReached {
                kind: self.kind.name(),
                option: self.kind.option(),
                limit: self.limit,
            }));
        }
        self.left -= got;
        Ok(n)
    }
}

/// A file opened under the policy, read through its limit.
pub(crate) struct Opened {
    /// How messages name the file.
    pub name: String,
    /// The canonical path.
    pub canonical: PathBuf,
    /// The size when opened (within the limit).
    size: u64,
    reader: Bounded<BufReader<File>>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("name", &self.name).finish()
    }
}

impl Opened {
    /// The whole file as text; invalid UTF-8 is an error naming its line
    /// and byte.
    pub fn into_text(mut self) -> Result<String> {
        let mut bytes = Vec::new();
        self.reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::read(&self.name, &e))?;
        String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            Error::Invalid(format!(
                "invalid UTF-8 at line {line}, byte {}: save the file as UTF-8",
                at + 1
            ))
            .at(self.name.clone())
        })
    }

    /// The limit-enforcing reader; its errors go through [`Error::read`].
    pub fn into_reader(self) -> Bounded<BufReader<File>> {
        self.reader
    }

    /// The whole file as bytes.
    pub fn into_bytes(mut self) -> Result<Vec<u8>> {
        // The size seen when opened, plus one byte to see the end without
        // growing: a file that grew since is still read to its limit.
        let mut bytes = Vec::with_capacity(usize::try_from(self.size).map_or(0, |n| n + 1));
        self.reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::read(&self.name, &e))?;
        Ok(bytes)
    }
}

/// Opens files under a [`LoadOptions`] policy and records what it read.
#[derive(Debug)]
pub(crate) struct Opener<'a> {
    options: &'a LoadOptions,
    roots: Vec<PathBuf>,
    inputs: Inputs,
}

impl<'a> Opener<'a> {
    /// An opener for a scenario whose own folder is `dir` (which need not
    /// have been checked: it is the tree's start). A folder that cannot be
    /// found allows nothing, so a scenario given as text with such a folder
    /// still loads when it names no file.
    pub fn new(options: &'a LoadOptions, dir: &Path) -> Opener<'a> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut roots = Vec::new();
        if let Ok(start) = dir.canonicalize() {
            roots.push(marked_root(&start, options.marked_root).unwrap_or(start));
        }
        for r in &options.roots {
            if let Ok(c) = r.canonicalize() {
                roots.push(c);
            }
        }
        Opener {
            options,
            roots,
            inputs: Inputs::default(),
        }
    }

    /// An opener that only checks files, for a file named directly by the
    /// caller (no folder restriction).
    pub fn anywhere(options: &'a LoadOptions) -> Opener<'a> {
        Opener {
            options,
            roots: vec![PathBuf::from("/")],
            inputs: Inputs::default(),
        }
    }

    /// The files read so far.
    pub fn into_inputs(self) -> Inputs {
        self.inputs
    }

    /// The file `path` resolves to, if the policy allows reading it.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf> {
        let canonical = path.canonicalize().map_err(|e| cannot("open", path, e))?;
        if !self.inside(&canonical) {
            return Err(Error::Refused {
                path: show(path),
                reason: format!(
                    "resolves to {}, outside the scenario's tree {}: keep included and data files inside it, or allow their folder with LoadOptions::allow_root",
                    show(&canonical),
                    if self.roots.is_empty() {
                        "(its folder cannot be found)".to_string()
                    } else {
                        self.roots
                            .iter()
                            .map(|r| show(r))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    }
                ),
            });
        }
        Ok(canonical)
    }

    fn inside(&self, canonical: &Path) -> bool {
        self.roots
            .iter()
            .any(|r| r == Path::new("/") || canonical.starts_with(r))
    }

    /// Opens `path` (named `name` in messages) as a file of `kind`: inside
    /// an allowed folder, a regular file, not longer than its limit.
    pub fn open(&mut self, path: &Path, kind: Kind) -> Result<Opened> {
        let canonical = self.resolve(path)?;
        self.open_resolved(path, canonical, kind)
    }

    /// Opens the scenario's main file: a regular file within its limit; it
    /// defines the tree, so it is not checked against it.
    pub fn open_main(&mut self, path: &Path) -> Result<Opened> {
        let canonical = path.canonicalize().map_err(|e| cannot("open", path, e))?;
        self.open_resolved(path, canonical, Kind::Toml)
    }

    fn open_resolved(&mut self, path: &Path, canonical: PathBuf, kind: Kind) -> Result<Opened> {
        let name = show(path);
        let refused = |reason: String| Error::Refused {
            path: name.clone(),
            reason,
        };
        if is_system(&canonical) {
            return Err(refused(format!(
                "resolves to {}, a system file: scenarios read only data files",
                show(&canonical)
            )));
        }
        // Looked at before opening: a FIFO or a device is never opened.
        let before = std::fs::metadata(&canonical).map_err(|e| cannot("open", path, e))?;
        if !before.is_file() {
            return Err(refused(format!(
                "is {}, not a regular file: scenarios read only regular files",
                file_kind(&before)
            )));
        }
        let limit = kind.limit(self.options);
        if before.len() > limit {
            return Err(Error::TooLarge {
                path: name,
                kind: kind.name(),
                limit,
                option: kind.option(),
            });
        }
        let file = open_nonblocking(&canonical).map_err(|e| cannot("open", path, e))?;
        let after = file.metadata().map_err(|e| cannot("open", path, e))?;
        if !after.is_file() || identity(&before) != identity(&after) {
            return Err(refused(
                "changed while it was opened: read it when nothing else writes it".into(),
            ));
        }
        check_filesystem(&file).map_err(refused)?;
        self.inputs.record(canonical.clone(), &after);
        Ok(Opened {
            name,
            canonical,
            size: after.len().min(limit),
            reader: Bounded {
                inner: BufReader::with_capacity(64 << 10, file),
                left: limit,
                kind,
                limit,
            },
        })
    }
}

/// The nearest folder at or above `start` holding a trusted [`ROOT_MARKER`].
fn marked_root(start: &Path, honour: bool) -> Option<PathBuf> {
    if !honour {
        return None;
    }
    let owner = owner_of(start)?;
    start
        .ancestors()
        .take(MARKER_LEVELS + 1)
        .find(|dir| {
            let marker = dir.join(ROOT_MARKER);
            std::fs::symlink_metadata(&marker)
                .is_ok_and(|m| m.is_file() && owner_of_meta(&m) == owner && !others_may_write(dir))
        })
        .map(Path::to_path_buf)
}

#[cfg(unix)]
fn owner_of(path: &Path) -> Option<u32> {
    std::fs::metadata(path).ok().map(|m| owner_of_meta(&m))
}

#[cfg(unix)]
fn owner_of_meta(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::MetadataExt;
    meta.uid()
}

#[cfg(unix)]
fn others_may_write(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).map_or(true, |m| m.mode() & 0o002 != 0)
}

#[cfg(not(unix))]
fn owner_of(_path: &Path) -> Option<u32> {
    Some(0)
}

#[cfg(not(unix))]
fn owner_of_meta(_meta: &std::fs::Metadata) -> u32 {
    0
}

#[cfg(not(unix))]
fn others_may_write(_dir: &Path) -> bool {
    false
}

/// Whether a canonical path lies in a system folder whose "files" are not
/// data: `/proc`, `/sys`, `/dev`.
fn is_system(canonical: &Path) -> bool {
    cfg!(unix)
        && ["/proc", "/sys", "/dev"]
            .iter()
            .any(|s| canonical.starts_with(s))
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    Ok(File::from(fd))
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Refuses a file on a pseudo file system (`/proc`, `/sys`) wherever it is
/// mounted.
#[cfg(target_os = "linux")]
fn check_filesystem(file: &File) -> std::result::Result<(), String> {
    const SYSFS_MAGIC: u64 = 0x6265_6572;
    let Ok(fs) = rustix::fs::fstatfs(file) else {
        return Ok(());
    };
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let kind = fs.f_type as u64;
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let proc = rustix::fs::PROC_SUPER_MAGIC as u64;
    if kind == proc || kind == SYSFS_MAGIC {
        return Err(
            "is on a system file system (/proc or /sys): scenarios read only data files".into(),
        );
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn check_filesystem(_file: &File) -> std::result::Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_stream_stops_at_the_limit_with_the_file_and_limit_named() {
        // Like /dev/zero, or a file that grows while it is read.
        let mut r = Bounded {
            inner: io::repeat(0),
            left: 1_000,
            kind: Kind::Csv,
            limit: 1_000,
        };
        let mut sink = Vec::new();
        let e = r.read_to_end(&mut sink).unwrap_err();
        assert!(sink.len() <= 1_000);
        assert_eq!(
            Error::read("zero.csv", &e).to_string(),
            "zero.csv is larger than the limit of 1000 bytes for CSV files: raise LoadOptions::max_csv_bytes if it is meant to be this large"
        );
    }

    #[test]
    fn a_stream_at_exactly_the_limit_is_read_whole() {
        let mut r = Bounded {
            inner: io::repeat(7).take(1_000),
            left: 1_000,
            kind: Kind::Toml,
            limit: 1_000,
        };
        let mut sink = Vec::new();
        r.read_to_end(&mut sink).unwrap();
        assert_eq!(sink.len(), 1_000);
    }
}
