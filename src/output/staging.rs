//! The staging folder: every file written into a hidden, marked sibling of the output, then
//! one swap (an atomic exchange on Linux, two renames elsewhere); leftovers of killed builds
//! swept only when no build holds the lock; a failed write is one Spanish message.

use super::*;

/// A build being written: a hidden sibling of the output folder, with the marker, that
/// becomes the output folder in [`Staging::swap`] and is removed if the build stops first.
///
/// Pages can be written as soon as they are rendered ([`Staging::write`]), so a large site
/// is never held in memory whole. After a write fails nothing more is written, only
/// counted: the failure is reported once ([`Staging::failure`]), with the space the whole
/// build needs, instead of once per file.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    done: bool,
    /// Files written so far and their total size, counted as they are written.
    count: AtomicU64,
    bytes: AtomicU64,
    /// The disk space every file of the build takes, written or not (see [`on_disk`]).
    needed: AtomicU64,
    /// The first write that failed.
    failure: OnceLock<io::Error>,
}

impl Staging {
    /// Creates the staging folder beside the locked output folder, after clearing what
    /// dead builds left there: with the lock held, no live build owns any of it.
    pub fn begin(lock: &OutputLock) -> Result<Staging, Diagnostics> {
        let out = lock.out.clone();
        let parent = parent_of(&out);
        let name = name_of(&out);
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let staging = Staging {
            out,
            dir,
            done: false,
            count: Default::default(),
            bytes: Default::default(),
            needed: Default::default(),
            failure: OnceLock::new(),
        };
        let dir = &staging.dir;
        staging.make_folder(dir);
        staging.attempt(MARKER_TEXT.len(), || {
            fs::write(dir.join(MARKER), MARKER_TEXT)
        });
        match staging.failure() {
            Some(d) => Err(d.into()),
            None => Ok(staging),
        }
    }

    /// Writes one file now. Its path is checked first (relative, no `..`); two files at
    /// one path are found by [`Staging::write_rest`]. A failed write is kept for
    /// [`Staging::failure`], not returned.
    pub fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        if !is_safe(&file.path) {
            return Err(refused(
                &file.path,
                "la ruta saldría de la carpeta de salida",
            ));
        }
        let path = self.dir.join(&file.path);
        // A page at `x/index.html` has a folder of its own (one block more on disk).
        if file.path.ends_with("/index.html") {
            self.needed.fetch_add(on_disk(0), Relaxed);
        }
        self.attempt(file.bytes.len(), || {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, file.bytes.as_slice())
        });
        self.write_gzip(&file.path, &path, &file.bytes);
        Ok(())
    }

    /// Writes `path.gz` beside a text file above 1 KB (`gzip::wanted`), made from the bytes
    /// just written, so it can never describe another version of the file: the previous
    /// build's `.gz` when it was made from these same bytes ([`gzip::reusable`]), else a
    /// new one.
    fn write_gzip(&self, rel: &str, path: &Path, bytes: &[u8]) {
        if !gzip::wanted(rel, bytes.len()) || self.failure.get().is_some() {
            return;
        }
        let mut gz = path.as_os_str().to_owned();
        gz.push(".gz");
        if let Some(previous) = gzip::reusable(&self.out.join(rel), bytes) {
            let len = previous.len();
            return self.attempt(len, || fs::write(&gz, &previous));
        }
        match gzip::compress(bytes) {
            Ok(compressed) => self.attempt(compressed.len(), || fs::write(&gz, &compressed)),
            Err(e) => self.attempt(0, || Err(e)),
        }
    }

    /// Writes a file of `len` bytes with `write` unless a write already failed, and counts
    /// its space either way.
    fn attempt(&self, len: usize, write: impl FnOnce() -> io::Result<()>) {
        self.needed.fetch_add(on_disk(len), Relaxed);
        if self.unless_failed(write) {
            self.count.fetch_add(1, Relaxed);
            self.bytes.fetch_add(len as u64, Relaxed);
        }
    }

    /// Creates a folder (one block on disk) unless a write already failed.
    fn make_folder(&self, path: &Path) {
        self.needed.fetch_add(on_disk(0), Relaxed);
        self.unless_failed(|| fs::create_dir_all(path));
    }

    /// Runs `write` unless a write already failed, and keeps the first failure; true when
    /// it ran and succeeded.
    fn unless_failed(&self, write: impl FnOnce() -> io::Result<()>) -> bool {
        if self.failure.get().is_some() {
            return false;
        }
        let result = write();
        if let Err(e) = result {
            let _ = self.failure.set(e);
            return false;
        }
        true
    }

    /// The first write that failed, as one message naming the output folder the user
    /// chose (not this hidden one) and, for a full disk, the space the build needs.
    pub fn failure(&self) -> Option<Diagnostic> {
        let needed = self.needed.load(Relaxed);
        self.failure
            .get()
            .map(|e| write_failure(e, &self.out, needed))
    }

    /// The files in the staging folder and their total size, as written through it.
    pub fn size(&self) -> (u64, u64) {
        (self.count.load(Relaxed), self.bytes.load(Relaxed))
    }

    /// The folder being written (it becomes the output folder in [`Staging::swap`]).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `files` (besides those already written, `written`) and checks that no two
    /// share a path; returns the first failed write of the whole build, if any.
    pub fn write_rest(&self, files: &[OutputFile], written: &[String]) -> Result<(), Diagnostics> {
        check_paths(files.iter().map(|f| f.path.as_str()), written)?;
        self.write_all(files);
        match self.failure() {
            Some(d) => Err(d.into()),
            None => Ok(()),
        }
    }

    /// Folders first, once each, in order; then the files, in parallel (independent writes).
    fn write_all(&self, files: &[OutputFile]) {
        let dirs: std::collections::BTreeSet<&Path> = files
            .iter()
            .filter_map(|f| Path::new(&f.path).parent())
            .collect();
        for dir in dirs {
            self.make_folder(&self.dir.join(dir));
        }
        use rayon::prelude::*;
        files.par_iter().for_each(|f| {
            let path = self.dir.join(&f.path);
            self.attempt(f.bytes.len(), || fs::write(&path, f.bytes.as_slice()));
            self.write_gzip(&f.path, &path, &f.bytes);
        });
    }

    /// Puts the staging folder in place of the output folder (see `put_in_place`), and
    /// removes the old one.
    pub fn swap(mut self) -> Result<(), Diagnostics> {
        let old = self.out.with_file_name(format!(
            ".{}.old-{}",
            name_of(&self.out),
            std::process::id()
        ));
        let needed = self.needed.load(Relaxed);
        let swapped = put_in_place(&self.dir, &self.out, &old)
            .map_err(|e| write_failure(&e, &self.out, needed))?;
        self.done = true;
        match swapped {
            // The staging folder's name now holds the old output, marker and all.
            Swapped::Exchanged => remove_ours(&self.dir),
            Swapped::Renamed => remove_ours(&old),
            Swapped::First => {}
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            remove_ours(&self.dir);
        }
    }
}

/// How [`put_in_place`] put the new output in place.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Swapped {
    /// There was no output folder: one rename.
    First,
    /// The new folder and the old one traded names in one step (the new folder's old name
    /// now holds the old output).
    Exchanged,
    /// The old folder was renamed to `old`, then the new one into place.
    Renamed,
}

/// Puts the folder `new` at `out`, where an old output may be.
///
/// On Linux the two trade places in one step (`renameat2` with `RENAME_EXCHANGE`), so
/// `out` exists at every moment, whenever the build is killed. Where that is not available
/// (other systems; file systems answering `EINVAL`, kernels `ENOSYS`) it falls back to two
/// renames: a build killed between them leaves the old output at `old` and none at `out`
/// (the next build starts afresh and clears `old`).
pub(super) fn put_in_place(new: &Path, out: &Path, old: &Path) -> io::Result<Swapped> {
    if fs::symlink_metadata(out).is_err_and(|e| e.kind() == io::ErrorKind::NotFound) {
        fs::rename(new, out)?;
        return Ok(Swapped::First);
    }
    match exchange(new, out) {
        Ok(()) => return Ok(Swapped::Exchanged),
        Err(e) if !unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    fs::rename(out, old)?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(old, out);
        return Err(e);
    }
    Ok(Swapped::Renamed)
}

/// Swaps the names of `a` and `b` atomically.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange here: [`put_in_place`] renames twice.
#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The answers of a system or file system without `RENAME_EXCHANGE` (`EINVAL`, `ENOSYS`,
/// `EOPNOTSUPP`).
pub(super) fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput
    )
}

/// The space a file of `len` bytes takes on disk: whole blocks of 4 KiB (ext4's and most
/// file systems' default), at least one, so that thousands of small pages are not counted
/// as a few bytes each.
pub(super) fn on_disk(len: usize) -> u64 {
    const BLOCK: u64 = 4096;
    (len as u64).div_ceil(BLOCK).max(1) * BLOCK
}

/// The editor's message for a failed write into the output folder `out` (the folder they
/// chose: the hidden staging folder beside it means nothing to them), `needed` being the
/// bytes the whole build takes on disk (0: unknown). The system's own words (English, and
/// once per file) are shown only for failures without a message of ours.
pub fn write_failure(error: &io::Error, out: &Path, needed: u64) -> Diagnostic {
    use io::ErrorKind::*;
    let path = display_path(out);
    let full = |quota| {
        Diagnostic::global(Problem::DiskFull {
            path: path.clone(),
            megabytes: needed.div_ceil(1_000_000),
            quota,
        })
    };
    let reason = match error.kind() {
        StorageFull => return full(false),
        QuotaExceeded => return full(true),
        PermissionDenied => "no tiene permiso para escribir ahí (ni en la carpeta que la \
            contiene): cambie los permisos o elija otra carpeta con `--output`"
            .to_string(),
        ReadOnlyFilesystem => {
            "está en un disco de solo lectura: elija otra carpeta con `--output`".into()
        }
        NotADirectory => "una parte de la ruta es un archivo, no una carpeta".into(),
        FileTooLarge => "un archivo es demasiado grande para ese disco".into(),
        InvalidFilename => "un nombre de archivo es demasiado largo o no vale en ese disco".into(),
        _ => format!("el sistema respondió «{error}»"),
    };
    Diagnostic::global(Problem::OutputUnwritable { path, reason })
}

/// Staging folders of interrupted builds, recognised by name and marker (or emptiness).
pub(super) fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = file_name.starts_with(&format!(".{name}.tmp-"))
            || file_name.starts_with(&format!(".{name}.old-"));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        // An empty one is a build killed between creating its folder and its marker.
        let marked = entry.path().join(MARKER).is_file() || is_empty_dir(&entry.path());
        if ours && is_dir && marked {
            remove_ours(&entry.path());
        }
    }
}

/// Removes a folder boletin made, keeping its marker until last: a build killed halfway
/// through the removal leaves a folder that is still recognisably ours, and the next build
/// finishes the job (removing everything at once could delete the marker first and leave
/// the rest behind for good).
pub(super) fn remove_ours(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name() == MARKER {
                continue;
            }
            let _ = match entry.file_type() {
                // std's removal opens each folder without following links (CVE-2022-21658):
                // a version on all cores was 115 ms faster at 10,000 bulletins, but checked
                // a folder's kind and then opened it by path, a window to swap in a link.
                Ok(t) if t.is_dir() => fs::remove_dir_all(entry.path()),
                _ => fs::remove_file(entry.path()),
            };
        }
    }
    let _ = fs::remove_file(dir.join(MARKER));
    let _ = fs::remove_dir(dir);
}
