//! Outputs that cannot destroy anything.
//!
//! An output is refused before any work when it resolves (through `..`,
//! symlinks or a hard link) to a file the scenario read, when it is a
//! folder or a special file, or when two outputs name the same file. It is
//! written to a temporary file in the target's own folder that has no name
//! while it is written (`O_TMPFILE`, on Linux file systems that have it) or
//! a random name created exclusively without following symlinks; the data
//! is flushed to disk, the target's permission bits are kept, the file is
//! renamed over the target, and the folder is flushed. For a set of outputs
//! every temporary file is written first and the renames happen only when
//! all succeeded. A temporary file is removed on every error path, and a
//! writer killed while writing leaves the old output as it was and no
//! temporary file (an unnamed one vanishes with the process).

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::input::{Inputs, show};
use crate::error::{Error, Result};

/// Where an output goes, checked.
#[derive(Debug, Default)]
struct Target {
    /// The path as given, for messages.
    shown: String,
    /// The target's folder, resolved.
    dir_path: PathBuf,
    /// The file name inside it.
    name: OsString,
    /// The existing target's permission bits, kept on the new file.
    mode: Option<u32>,
    /// The existing target's device and inode, to catch two names of one file.
    identity: Option<(u64, u64)>,
}

impl Target {
    fn full(&self) -> PathBuf {
        self.dir_path.join(&self.name)
    }
}

fn refuse(path: &Path, reason: impl Into<String>) -> Error {
    Error::Output {
        path: show(path),
        reason: reason.into(),
    }
}

/// Checks one output path against the inputs: a file path in an existing
/// folder, not a folder or special file, not an input.
fn target(path: &Path, inputs: &Inputs) -> Result<Target> {
    let Some(name) = path.file_name() else {
        return Err(refuse(path, "it is not a file path: name a file"));
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir_path = dir.canonicalize().map_err(|e| {
        refuse(
            path,
            format!("its folder {} cannot be opened: {e}", show(dir)),
        )
    })?;
    if !dir_path.is_dir() {
        return Err(refuse(path, format!("{} is not a folder", show(dir))));
    }
    let full = dir_path.join(name);
    let mut out = Target {
        shown: show(path),
        dir_path,
        name: name.to_os_string(),
        mode: None,
        identity: None,
    };
    let Ok(link) = std::fs::symlink_metadata(&full) else {
        return Ok(out);
    };
    if link.is_dir() {
        return Err(refuse(path, "it is a folder: name a file inside it"));
    }
    // What the name points to now (through a symlink, if it is one).
    let resolved = full.canonicalize().unwrap_or_else(|_| full.clone());
    let meta = std::fs::metadata(&full).ok();
    if let Some(input) = inputs.matching(&resolved, meta.as_ref()) {
        return Err(refuse(
            path,
            format!(
                "it is {}, an input of this run: write the output to another file",
                if input.path() == resolved {
                    show(input.path())
                } else {
                    format!("a hard link to {}", show(input.path()))
                }
            ),
        ));
    }
    if link.file_type().is_symlink() && inputs.matching(&full, Some(&link)).is_some() {
        return Err(refuse(
            path,
            "it is an input of this run: write the output to another file",
        ));
    }
    if let Some(m) = &meta {
        if m.is_dir() {
            return Err(refuse(path, "it leads to a folder: name a file"));
        }
        if !m.is_file() {
            return Err(refuse(
                path,
                "it is a special file (a pipe, a device or a socket): name a regular file",
            ));
        }
        out.mode = permissions(m);
        out.identity = identity(m);
    }
    Ok(out)
}

#[cfg(unix)]
fn permissions(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn permissions(_meta: &std::fs::Metadata) -> Option<u32> {
    None
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Checks a set of output paths before any work: each is a file path in an
/// existing folder, none resolves to a file the scenario read (`inputs`),
/// none is a folder or a special file, and no two name the same file.
///
/// ```
/// use tariffsim::load::{LoadOptions, check_outputs, load_scenario_with};
/// let loaded = load_scenario_with("data/scenarios/g20-2018.toml".as_ref(), &LoadOptions::new())?;
/// let e = check_outputs(&["data/scenarios/g20-2018.toml".as_ref()], loaded.inputs()).unwrap_err();
/// assert!(e.to_string().starts_with("cannot write data/scenarios/g20-2018.toml: it is /"));
/// assert!(e.to_string().ends_with("g20-2018.toml, an input of this run: write the output to another file"));
/// let e = check_outputs(&["a.svg".as_ref(), "./a.svg".as_ref()], loaded.inputs()).unwrap_err();
/// assert_eq!(e.to_string(), "cannot write ./a.svg: a.svg names the same file: give each output its own file");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Output`] naming the path and why.
pub fn check_outputs(paths: &[&Path], inputs: &Inputs) -> Result<()> {
    targets(paths, inputs).map(|_| ())
}

fn targets(paths: &[&Path], inputs: &Inputs) -> Result<Vec<Target>> {
    let mut out: Vec<Target> = Vec::with_capacity(paths.len());
    for p in paths {
        let t = target(p, inputs)?;
        if let Some(first) = out
            .iter()
            .find(|o| o.full() == t.full() || (o.identity.is_some() && o.identity == t.identity))
        {
            return Err(refuse(
                p,
                format!(
                    "{} names the same file: give each output its own file",
                    first.shown
                ),
            ));
        }
        out.push(t);
    }
    Ok(out)
}

/// Writes a set of outputs so that none is half-written and none destroys
/// an input: every file is written to a temporary file beside its target
/// first, and all are renamed into place only when all were written.
///
/// ```
/// use tariffsim::load::{Inputs, write_outputs};
/// let dir = std::env::temp_dir().join(format!("tariffsim-doc-out-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let (a, b) = (dir.join("a.csv"), dir.join("b.svg"));
/// write_outputs(&[(&a, b"x,y\n"), (&b, b"<svg/>")], &Inputs::new())?;
/// assert_eq!(std::fs::read(&a)?, b"x,y\n");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`check_outputs`]; [`Error::Io`] when a file cannot be written, in
/// which case no output was replaced unless the failure came while
/// renaming, and no temporary file is left.
pub fn write_outputs(files: &[(&Path, &[u8])], inputs: &Inputs) -> Result<()> {
    let paths: Vec<&Path> = files.iter().map(|(p, _)| *p).collect();
    let targets = targets(&paths, inputs)?;
    let mut pending = Vec::with_capacity(files.len());
    for (t, (_, bytes)) in targets.into_iter().zip(files) {
        let mut p = Pending::create(t)?;
        p.write_all(bytes).map_err(|e| p.error("write", e))?;
        pending.push(p);
    }
    let mut ready = Vec::with_capacity(pending.len());
    for p in pending {
        ready.push(p.finish()?);
    }
    for r in ready {
        r.publish()?;
    }
    Ok(())
}

/// Writes one file whole or not at all: [`write_outputs`] with one file and
/// no inputs to protect.
///
/// # Errors
/// As [`write_outputs`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_outputs(&[(path, bytes)], &Inputs::default())
}

/// One output written as a stream: nothing appears at the target until
/// [`commit`](OutputFile::commit), and dropping it (or the process dying)
/// leaves the old file as it was.
///
/// ```
/// use std::io::Write;
/// use tariffsim::load::{Inputs, OutputFile};
/// let path = std::env::temp_dir().join(format!("tariffsim-doc-stream-{}.csv", std::process::id()));
/// let mut out = OutputFile::create(&path, &Inputs::new())?;
/// writeln!(out, "sku,duty")?;
/// out.commit()?;
/// assert_eq!(std::fs::read_to_string(&path)?, "sku,duty\n");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct OutputFile {
    pending: Pending,
}

impl OutputFile {
    /// Starts writing `path`, checked as by [`check_outputs`].
    ///
    /// # Errors
    /// As [`check_outputs`]; [`Error::Io`] when no temporary file can be
    /// made in the target's folder.
    pub fn create(path: &Path, inputs: &Inputs) -> Result<OutputFile> {
        let t = target(path, inputs)?;
        Ok(OutputFile {
            pending: Pending::create(t)?,
        })
    }

    /// Flushes the data to disk and puts the file in place of the target.
    ///
    /// # Errors
    /// [`Error::Io`] naming the target; the old file is then left as it was.
    pub fn commit(self) -> Result<()> {
        self.pending.finish()?.publish()
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pending.out.flush()
    }
}

/// A temporary file being written: unnamed, or named `named` in `dir`.
#[derive(Debug)]
struct Pending {
    target: Target,
    out: BufWriter<File>,
    dir: Option<Dir>,
    named: Option<OsString>,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let (Some(dir), Some(name)) = (&self.dir, &self.named) {
            dir.remove(name);
        }
    }
}

/// A written, flushed temporary file with a name in the target's folder.
#[derive(Debug)]
struct Ready {
    target: Target,
    dir: Dir,
    temp_name: Option<OsString>,
}

impl Pending {
    fn error(&self, what: &str, e: io::Error) -> Error {
        Error::Io {
            path: self.target.shown.clone(),
            message: format!("cannot {what}: {e}"),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
}

impl Drop for Ready {
    fn drop(&mut self) {
        if let Some(name) = self.temp_name.take() {
            self.dir.remove(&name);
        }
    }
}

/// A short random suffix for a temporary file's name.
fn random_suffix() -> String {
    let mut bytes = [0u8; 12];
    fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn temp_name(target: &OsString) -> OsString {
    let mut name = OsString::from(".");
    name.push(target);
    name.push(format!(".{}.tmp", random_suffix()));
    name
}

/// How many random names are tried before giving up.
const NAME_TRIES: usize = 16;

#[cfg(unix)]
mod sys {
    //! The unix side: directory handles, `O_TMPFILE`, `linkat`, `renameat`.

    use std::ffi::{OsStr, OsString};
    use std::fs::File;
    use std::io::{self, BufWriter};
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{AtFlags, Mode, OFlags};
    use rustix::io::Errno;

    use super::{NAME_TRIES, Pending, Ready, Target, temp_name};
    use crate::error::{Error, Result};

    /// An open folder.
    #[derive(Debug)]
    pub(super) struct Dir(OwnedFd);

    impl Dir {
        fn open(path: &Path) -> io::Result<Dir> {
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Dir(fd))
        }

        pub(super) fn remove(&self, name: &OsStr) {
            // Best effort on an error path: the temporary file is ours.
            let _ = rustix::fs::unlinkat(&self.0, name, AtFlags::empty());
        }

        fn sync(&self) -> io::Result<()> {
            Ok(rustix::fs::fsync(&self.0)?)
        }
    }

    fn io_error(t: &Target, what: &str, e: impl Into<io::Error>) -> Error {
        Error::Io {
            path: t.shown.clone(),
            message: format!("cannot {what}: {}", e.into()),
        }
    }

    /// Whether unnamed files can be given a name later (`/proc/self/fd`).
    fn can_link_unnamed() -> bool {
        cfg!(any(target_os = "linux", target_os = "android")) && Path::new("/proc/self/fd").is_dir()
    }

    impl Pending {
        pub(super) fn create(target: Target) -> Result<Pending> {
            let dir =
                Dir::open(&target.dir_path).map_err(|e| io_error(&target, "open its folder", e))?;
            let mode = Mode::from_raw_mode(0o666);
            if can_link_unnamed() {
                match rustix::fs::openat(
                    &dir.0,
                    ".",
                    OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
                    mode,
                ) {
                    Ok(fd) => return Pending::opened(target, fd, dir, None),
                    // File systems without O_TMPFILE say so in one of these.
                    Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL | Errno::NOENT) => {}
                    Err(e) => return Err(io_error(&target, "create a temporary file", e)),
                }
            }
            for _ in 0..NAME_TRIES {
                let name = temp_name(&target.name);
                match rustix::fs::openat(
                    &dir.0,
                    &name,
                    OFlags::WRONLY
                        | OFlags::CREATE
                        | OFlags::EXCL
                        | OFlags::NOFOLLOW
                        | OFlags::CLOEXEC,
                    mode,
                ) {
                    Ok(fd) => return Pending::opened(target, fd, dir, Some(name)),
                    Err(Errno::EXIST) => continue,
                    Err(e) => return Err(io_error(&target, "create a temporary file", e)),
                }
            }
            Err(io_error(
                &target,
                "create a temporary file",
                io::Error::other("every random name tried was taken"),
            ))
        }

        fn opened(
            target: Target,
            fd: OwnedFd,
            dir: Dir,
            named: Option<OsString>,
        ) -> Result<Pending> {
            let p = Pending {
                target,
                out: BufWriter::with_capacity(256 << 10, File::from(fd)),
                dir: Some(dir),
                named,
            };
            if let Some(mode) = p.target.mode {
                rustix::fs::fchmod(p.out.get_ref().as_fd(), Mode::from_raw_mode(mode))
                    .map_err(|e| p.error("keep the file's permissions", e.into()))?;
            }
            Ok(p)
        }

        /// Flushes the data to disk and gives the file a name beside its
        /// target.
        pub(super) fn finish(mut self) -> Result<Ready> {
            use std::io::Write;
            self.out.flush().map_err(|e| self.error("write", e))?;
            self.out
                .get_ref()
                .sync_all()
                .map_err(|e| self.error("flush to disk", e))?;
            let target = std::mem::take(&mut self.target);
            let Some(dir) = self.dir.take() else {
                return Err(io_error(&target, "open its folder", Errno::BADF));
            };
            if let Some(name) = self.named.take() {
                return Ok(Ready {
                    target,
                    dir,
                    temp_name: Some(name),
                });
            }
            let fd = format!("/proc/self/fd/{}", {
                use std::os::fd::AsRawFd;
                self.out.get_ref().as_raw_fd()
            });
            for _ in 0..NAME_TRIES {
                let name = temp_name(&target.name);
                match rustix::fs::linkat(
                    rustix::fs::CWD,
                    fd.as_str(),
                    &dir.0,
                    &name,
                    AtFlags::SYMLINK_FOLLOW,
                ) {
                    Ok(()) => {
                        return Ok(Ready {
                            target,
                            dir,
                            temp_name: Some(name),
                        });
                    }
                    Err(Errno::EXIST) => continue,
                    Err(e) => return Err(io_error(&target, "name the written file", e)),
                }
            }
            Err(io_error(
                &target,
                "name the written file",
                io::Error::other("every random name tried was taken"),
            ))
        }
    }

    impl Ready {
        /// Renames the file over its target and flushes the folder.
        pub(super) fn publish(mut self) -> Result<()> {
            let Some(name) = self.temp_name.take() else {
                return Ok(());
            };
            if let Err(e) = rustix::fs::renameat(&self.dir.0, &name, &self.dir.0, &self.target.name)
            {
                self.dir.remove(&name);
                return Err(io_error(&self.target, "replace the file", e));
            }
            self.dir
                .sync()
                .map_err(|e| io_error(&self.target, "flush its folder to disk", e))
        }
    }
}

#[cfg(not(unix))]
mod sys {
    //! Elsewhere: a named temporary file created exclusively, then renamed.

    use std::ffi::OsStr;
    use std::fs::{File, OpenOptions};
    use std::io::{self, BufWriter, Write};
    use std::path::PathBuf;

    use super::{NAME_TRIES, Pending, Ready, Target, temp_name};
    use crate::error::{Error, Result};

    #[derive(Debug)]
    pub(super) struct Dir(PathBuf);

    impl Dir {
        pub(super) fn remove(&self, name: &OsStr) {
            let _ = std::fs::remove_file(self.0.join(name));
        }
    }

    fn io_error(t: &Target, what: &str, e: io::Error) -> Error {
        Error::Io {
            path: t.shown.clone(),
            message: format!("cannot {what}: {e}"),
        }
    }

    impl Pending {
        pub(super) fn create(target: Target) -> Result<Pending> {
            for _ in 0..NAME_TRIES {
                let name = temp_name(&target.name);
                match OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(target.dir_path.join(&name))
                {
                    Ok(f) => {
                        let dir = Dir(target.dir_path.clone());
                        return Ok(Pending {
                            target,
                            out: BufWriter::new(f),
                            dir: Some(dir),
                            named: Some(name),
                        });
                    }
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(io_error(&target, "create a temporary file", e)),
                }
            }
            Err(io_error(
                &target,
                "create a temporary file",
                io::Error::other("every random name tried was taken"),
            ))
        }

        pub(super) fn finish(mut self) -> Result<Ready> {
            self.out.flush().map_err(|e| self.error("write", e))?;
            let file: &File = self.out.get_ref();
            file.sync_all()
                .map_err(|e| self.error("flush to disk", e))?;
            let target = std::mem::take(&mut self.target);
            Ok(Ready {
                dir: Dir(target.dir_path.clone()),
                temp_name: self.named.take(),
                target,
            })
        }
    }

    impl Ready {
        pub(super) fn publish(mut self) -> Result<()> {
            let Some(name) = self.temp_name.take() else {
                return Ok(());
            };
            let from = self.target.dir_path.join(&name);
            if let Err(e) = std::fs::rename(&from, self.target.full()) {
                let _ = std::fs::remove_file(&from);
                return Err(io_error(&self.target, "replace the file", e));
            }
            Ok(())
        }
    }
}

use sys::Dir;

#[cfg(unix)]
fn fill_random(bytes: &mut [u8]) {
    use rustix::rand::{GetRandomFlags, getrandom};
    let mut filled = 0;
    while filled < bytes.len() {
        match getrandom(&mut bytes[filled..], GetRandomFlags::empty()) {
            Ok(n) => filled += n,
            Err(_) => {
                fallback_random(&mut bytes[filled..]);
                return;
            }
        }
    }
}

#[cfg(not(unix))]
fn fill_random(bytes: &mut [u8]) {
    fallback_random(bytes);
}

/// Randomness from the standard library's per-process hash keys, for a
/// system without `getrandom`: still not predictable from outside.
fn fallback_random(bytes: &mut [u8]) {
    use std::hash::{BuildHasher, Hasher};
    for chunk in bytes.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let v = h.finish().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}
