//! One build at a time per output folder: an exclusive lock on a file beside it
//! (`.NAME.boletin-lock`), held from the freshness check to the swap; a second build says
//! it is waiting and waits.

use super::*;

/// An exclusive lock on one output folder, held for a whole build, from the freshness check
/// to the swap: two builds of the same folder take turns instead of one deleting the staging
/// folder the other is writing. It is an OS lock (`flock` on Unix) on a file beside the
/// folder, `.NAME.boletin-lock`, so a build that dies releases it at once. The file is
/// removed when the build ends, so a build leaves nothing beside its output; a killed build
/// leaves it, and the next one reuses and removes it.
pub struct OutputLock {
    pub(super) out: PathBuf,
    pub(super) path: PathBuf,
    pub(super) _file: fs::File,
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
pub(super) fn lock_file(path: &Path, on_wait: &mut Option<impl FnOnce()>) -> io::Result<fs::File> {
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
pub(super) fn still_at(file: &fs::File, path: &Path) -> io::Result<bool> {
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
pub(super) fn still_at(_: &fs::File, _: &Path) -> io::Result<bool> {
    Ok(true)
}
