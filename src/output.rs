//! Writing the built site: all or nothing, and never over a folder boletin did not make.
//!
//! Files are written into a hidden sibling folder that carries a marker file; only when all
//! of them are written is the old output renamed away and the new one renamed into place.
//! A failed or interrupted build therefore leaves the previous `output/` exactly as it was.
//! On Linux the two folders trade places in one step, so `output/` exists at every moment.
//! The checks in [`check_target`] run before any rendering work, and a build holds an
//! [`OutputLock`] on its output folder from its freshness check to its swap, so two builds
//! of one site take turns.

use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    /// Shared, so a reused file costs no copy.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// The marker file every output folder made by boletin carries.
pub const MARKER: &str = ".boletin-output";
const MARKER_TEXT: &str =
    "Carpeta generada por boletin. Se reemplaza entera en cada construcción.\n";

/// Refuses output folders whose replacement could destroy something that is not ours.
pub fn check_target(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let refuse = |reason: &str| {
        Err(Diagnostic::global(Problem::OutputRefused {
            path: out.display().to_string(),
            reason: reason.into(),
        }))
    };
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    if out_abs.parent().is_none() {
        return refuse("es la raíz del sistema de archivos");
    }
    if root_abs.starts_with(&out_abs) {
        return refuse(
            "contiene el sitio (o es la carpeta del sitio); elija una carpeta dentro de él, como `output`",
        );
    }
    for input in ["content", "themes", ".git"] {
        if out_abs.starts_with(root_abs.join(input)) {
            return refuse(&format!(
                "está dentro de `{input}/`, que es parte de la fuente del sitio"
            ));
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home) == out_abs
    {
        return refuse("es la carpeta personal del usuario");
    }
    if out_abs.is_file() {
        return refuse("es un archivo, no una carpeta");
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).is_file() && !is_empty_dir(&out_abs) {
        return refuse(&format!(
            "no está vacía y no la creó boletin (falta el archivo `{MARKER}`); \
             bórrela usted mismo o elija otra carpeta"
        ));
    }
    if out_abs.join(".git").exists() {
        return refuse("contiene un repositorio `.git`");
    }
    Ok(())
}

/// An exclusive lock on one output folder, held for a whole build, from the freshness check
/// to the swap: two builds of the same folder take turns instead of one deleting the staging
/// folder the other is writing. It is an OS lock (`flock` on Unix) on a file beside the
/// folder, `.NAME.boletin-lock`, so a build that dies releases it at once. The file is
/// removed when the build ends, so a build leaves nothing beside its output; a killed build
/// leaves it, and the next one reuses and removes it.
pub struct OutputLock {
    out: PathBuf,
    path: PathBuf,
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock on `out`, calling `on_wait` once first when another build holds it;
    /// then this one waits for it, as cargo waits for its own lock.
    pub fn acquire(out: &Path, on_wait: impl FnOnce()) -> Result<OutputLock, Diagnostic> {
        let out = absolute(out);
        let parent = parent_of(&out);
        let fail = |e: io::Error| write_failure(&e, &out, 0);
        fs::create_dir_all(&parent).map_err(fail)?;
        let path = parent.join(format!(".{}.boletin-lock", name_of(&out)));
        let mut on_wait = Some(on_wait);
        loop {
            let file = lock_file(&path, &mut on_wait).map_err(fail)?;
            if still_at(&file, &path).map_err(fail)? {
                return Ok(OutputLock {
                    out,
                    path,
                    _file: file,
                });
            }
        }
    }
}

impl Drop for OutputLock {
    /// Removes the lock file while still holding it (the lock goes with the handle, closed
    /// after this): a build waiting on the old file then finds it gone and locks a new one.
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Opens (or creates) the lock file and locks it, waiting when another build holds it.
fn lock_file(path: &Path, on_wait: &mut Option<impl FnOnce()>) -> io::Result<fs::File> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => {
            if let Some(notice) = on_wait.take() {
                notice();
            }
            file.lock()?;
            Ok(file)
        }
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// True when the locked `file` is still the one at `path`: the build that held it removed
/// it as it ended, and a build that waited on it must lock the new one instead.
#[cfg(unix)]
fn still_at(file: &fs::File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let held = file.metadata()?;
    match fs::metadata(path) {
        Ok(now) => Ok(held.dev() == now.dev() && held.ino() == now.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Elsewhere the lock file is never removed (see [`OutputLock`]'s `Drop`).
#[cfg(not(unix))]
fn still_at(_: &fs::File, _: &Path) -> io::Result<bool> {
    Ok(true)
}

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
        Ok(())
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
        });
    }

    /// Puts the staging folder in place of the output folder (see [`put_in_place`]), and
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
enum Swapped {
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
fn put_in_place(new: &Path, out: &Path, old: &Path) -> io::Result<Swapped> {
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
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange here: [`put_in_place`] renames twice.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The answers of a system or file system without `RENAME_EXCHANGE` (`EINVAL`, `ENOSYS`,
/// `EOPNOTSUPP`).
fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput
    )
}

/// The space a file of `len` bytes takes on disk: whole blocks of 4 KiB (ext4's and most
/// file systems' default), at least one, so that thousands of small pages are not counted
/// as a few bytes each.
fn on_disk(len: usize) -> u64 {
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

/// The folder that holds `out`.
fn parent_of(out: &Path) -> PathBuf {
    out.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `out`'s own name, for the hidden folders and the lock file beside it.
fn name_of(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
}

/// Every output path must be relative, without `..`, and written once. The paths already
/// `written` were checked one by one as they were written; they count for duplicates.
fn check_paths<'a>(
    paths: impl Iterator<Item = &'a str>,
    written: &'a [String],
) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    // A hash set: these are tens of thousands of paths sharing long prefixes, and only
    // repeats are looked for (problems are sorted later).
    let mut seen = std::collections::HashSet::with_capacity(written.len() + 1024);
    let paths = written
        .iter()
        .map(|p| (p.as_str(), true))
        .chain(paths.map(|p| (p, false)));
    for (path, checked) in paths {
        if !checked && !is_safe(path) {
            diags.push(refused(path, "la ruta saldría de la carpeta de salida"));
        } else if !seen.insert(path) {
            diags.push(refused(
                path,
                "dos archivos se escribirían en la misma ruta",
            ));
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// A path inside the output folder: relative, not empty, no `..`.
fn is_safe(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn refused(path: &str, reason: &str) -> Diagnostic {
    Diagnostic::global(Problem::OutputRefused {
        path: display_path(Path::new(path)),
        reason: reason.into(),
    })
}

/// Staging folders of interrupted builds, recognised by name and marker (or emptiness).
fn remove_leftovers(parent: &Path, name: &str) {
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
fn remove_ours(dir: &Path) {
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

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

/// An absolute, lexically normalised path (symlinks resolved when the path exists).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve the deepest existing ancestor so `out/../x` and symlinked parents compare right.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut base = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        base.push(n);
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(files: &[&str], written: &[&str]) -> Vec<String> {
        let written: Vec<String> = written.iter().map(|p| p.to_string()).collect();
        match check_paths(files.iter().copied(), &written) {
            Ok(()) => Vec::new(),
            Err(diags) => diags
                .sorted()
                .into_iter()
                .map(|d| match *d.problem {
                    Problem::OutputRefused { path, reason } => format!("{path}: {reason}"),
                    other => panic!("unexpected {other:?}"),
                })
                .collect(),
        }
    }

    fn folder_with(parent: &Path, name: &str, text: &str) -> PathBuf {
        let dir = parent.join(name);
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("quien"), text).expect("write");
        dir
    }

    fn who(dir: &Path) -> String {
        fs::read_to_string(dir.join("quien")).expect("read")
    }

    #[test]
    fn a_first_swap_renames_and_later_ones_replace_the_old_content() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (out, old) = (tmp.path().join("output"), tmp.path().join(".output.old"));
        let new = folder_with(tmp.path(), ".output.tmp", "primera");
        assert_eq!(put_in_place(&new, &out, &old).ok(), Some(Swapped::First));
        assert_eq!(who(&out), "primera");
        let new = folder_with(tmp.path(), ".output.tmp", "segunda");
        let swapped = put_in_place(&new, &out, &old).expect("swap");
        assert_eq!(who(&out), "segunda");
        let retired = if swapped == Swapped::Exchanged {
            new
        } else {
            old
        };
        assert_eq!(who(&retired), "primera");
    }

    /// The swap of two renames left a moment without `output/`: a build killed then left no
    /// site at all. A watcher looks for that moment through hundreds of swaps.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_swap_is_one_exchange_and_the_output_never_goes_missing() {
        use std::sync::atomic::{AtomicBool, AtomicUsize};
        let tmp = tempfile::tempdir().expect("tempdir");
        let (out, old) = (tmp.path().join("output"), tmp.path().join(".output.old"));
        folder_with(tmp.path(), "output", "0");
        let new = folder_with(tmp.path(), ".output.tmp", "1");
        let (stop, missing) = (AtomicBool::new(false), AtomicUsize::new(0));
        std::thread::scope(|s| {
            s.spawn(|| {
                while !stop.load(Relaxed) {
                    if !out.join("quien").is_file() {
                        missing.fetch_add(1, Relaxed);
                    }
                }
            });
            let swaps: Vec<_> = (0..2000)
                .map(|_| put_in_place(&new, &out, &old).ok())
                .collect();
            stop.store(true, Relaxed);
            assert!(swaps.iter().all(|s| *s == Some(Swapped::Exchanged)));
        });
        assert_eq!(missing.load(Relaxed), 0, "moments without output/");
        // An even number of exchanges: each folder is back where it started.
        assert_eq!((who(&out), who(&new)), ("0".into(), "1".into()));
    }

    #[test]
    fn a_full_disk_is_one_spanish_message_with_the_space_and_the_chosen_folder() {
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let d = write_failure(&full, Path::new("/srv/sitio/output"), 12_300_001);
        assert_eq!(
            d.to_string(),
            "error: el disco está lleno: hacen falta unos 13 MB libres en `/srv/sitio/output`"
        );
        let d = write_failure(&full, Path::new("/srv/sitio/output"), 0);
        assert!(
            d.to_string()
                .ends_with("libere espacio en `/srv/sitio/output`")
        );
        let quota = io::Error::from(io::ErrorKind::QuotaExceeded);
        let d = write_failure(&quota, Path::new("salida"), 1);
        assert!(
            d.to_string()
                .contains("cuota de disco: hacen falta unos 1 MB")
        );
    }

    #[test]
    fn other_write_errors_are_spanish_and_name_the_chosen_folder() {
        for (kind, words) in [
            (io::ErrorKind::PermissionDenied, "no tiene permiso"),
            (io::ErrorKind::ReadOnlyFilesystem, "solo lectura"),
            (
                io::ErrorKind::NotADirectory,
                "es un archivo, no una carpeta",
            ),
            (io::ErrorKind::Other, "el sistema respondió"),
        ] {
            let d = write_failure(&io::Error::from(kind), Path::new("/srv/x"), 99);
            let text = d.to_string();
            assert!(text.starts_with("error: no se pudo escribir en `/srv/x`: "));
            assert!(text.contains(words), "{kind:?}: {text}");
        }
    }

    fn page(path: &str, len: usize) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: vec![b'x'; len].into(),
        }
    }

    /// A full disk gave one English line per file, each naming the hidden staging folder.
    /// `/dev/full` answers every write with `ENOSPC`, as a full disk does.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_reported_once_not_once_per_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("output");
        let lock = OutputLock::acquire(&out, || {}).expect("lock");
        let staging = Staging::begin(&lock).expect("begin");
        std::os::unix::fs::symlink("/dev/full", staging.dir().join("a.html")).expect("link");
        for i in 0..50 {
            let name = if i == 0 {
                "a.html".into()
            } else {
                format!("p{i}/index.html")
            };
            staging.write(&page(&name, 100_000)).expect("a safe path");
        }
        let rest = [page("z.xml", 1_000_000), page("zz.css", 10)];
        let errors = staging
            .write_rest(&rest, &[])
            .expect_err("disk full")
            .sorted();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let chosen = display_path(&absolute(&out));
        // 49 pages of 25 blocks and a folder each, a.html, files of 245 blocks and 1, two
        // folders and the marker: 6.3 MB.
        let expected =
            format!("error: el disco está lleno: hacen falta unos 7 MB libres en `{chosen}`");
        assert_eq!(shown, [expected]);
        assert!(
            !staging.dir().join("p1").exists(),
            "nothing written after the failure"
        );
    }

    #[test]
    fn a_path_written_twice_or_leaving_the_folder_is_refused() {
        assert!(problems(&["a/index.html", "b.xml"], &["c/index.html"]).is_empty());
        assert_eq!(
            problems(&["a/index.html", "c/index.html"], &["c/index.html"]),
            ["c/index.html: dos archivos se escribirían en la misma ruta"]
        );
        assert_eq!(
            problems(&["x.css", "x.css"], &[]),
            ["x.css: dos archivos se escribirían en la misma ruta"]
        );
        assert_eq!(
            problems(&["../fuera.html", "a/index.html"], &["a/index.html"]),
            [
                "../fuera.html: la ruta saldría de la carpeta de salida",
                "a/index.html: dos archivos se escribirían en la misma ruta"
            ]
        );
    }
}
