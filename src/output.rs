//! Writing the built site: all or nothing, and never over a folder boletin did not make.
//!
//! Files are written into a hidden sibling folder that carries a marker file; only when all
//! of them are written is the old output renamed away and the new one renamed into place.
//! A failed or interrupted build therefore leaves the previous `output/` exactly as it was.
//! The checks in [`check_target`] run before any rendering work.

use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use std::fs;
use std::path::{Component, Path, PathBuf};

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

/// A build being written: a hidden sibling of the output folder, with the marker, that
/// becomes the output folder in [`Staging::swap`] and is removed if the build stops first.
///
/// Pages can be written as soon as they are rendered ([`Staging::write`]), so a large site
/// is never held in memory whole.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    done: bool,
    /// Files written so far and their total size, counted as they are written.
    count: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicU64,
}

fn io_error(e: std::io::Error, p: &Path) -> Diagnostic {
    Diagnostic::global(Problem::Io {
        detail: format!("{}: {e}", p.display()),
    })
}

impl Staging {
    /// Creates the staging folder beside `out` (after clearing what interrupted builds left).
    pub fn begin(out: &Path) -> Result<Staging, Diagnostics> {
        let out = absolute(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        fs::create_dir_all(&parent).map_err(|e| io_error(e, &parent))?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| io_error(e, &dir))?;
        let staging = Staging {
            out,
            dir,
            done: false,
            count: Default::default(),
            bytes: Default::default(),
        };
        fs::write(staging.dir.join(MARKER), MARKER_TEXT).map_err(|e| io_error(e, &staging.dir))?;
        staging.counted(MARKER_TEXT.len());
        Ok(staging)
    }

    /// Writes one file now. Its path is checked first (relative, no `..`); two files at
    /// one path are found by [`Staging::write_rest`].
    pub fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        if !is_safe(&file.path) {
            return Err(refused(
                &file.path,
                "la ruta saldría de la carpeta de salida",
            ));
        }
        let path = self.dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(e, parent))?;
        }
        fs::write(&path, file.bytes.as_slice()).map_err(|e| io_error(e, &path))?;
        self.counted(file.bytes.len());
        Ok(())
    }

    fn counted(&self, len: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        self.count.fetch_add(1, Relaxed);
        self.bytes.fetch_add(len as u64, Relaxed);
    }

    /// The files in the staging folder and their total size, as written through it.
    pub fn size(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.count.load(Relaxed), self.bytes.load(Relaxed))
    }

    /// The folder being written (it becomes the output folder in [`Staging::swap`]).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `files` (besides those already written, `written`) and checks that no two
    /// share a path.
    pub fn write_rest(&self, files: &[OutputFile], written: &[String]) -> Result<(), Diagnostics> {
        check_paths(files.iter().map(|f| f.path.as_str()), written)?;
        write_all(files, &self.dir).map_err(|e| io_error(e, &self.dir))?;
        for f in files {
            self.counted(f.bytes.len());
        }
        Ok(())
    }

    /// Swaps the staging folder in for the output folder, and removes the old one.
    pub fn swap(mut self) -> Result<(), Diagnostics> {
        let out = &self.out;
        let old = out.with_file_name(format!(
            ".{}.old-{}",
            out.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            std::process::id()
        ));
        if out.exists() {
            fs::rename(out, &old).map_err(|e| io_error(e, out))?;
        }
        if let Err(e) = fs::rename(&self.dir, out) {
            let _ = fs::rename(&old, out);
            return Err(io_error(e, out).into());
        }
        self.done = true;
        if old.exists() {
            remove_ours(&old);
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

fn write_all(files: &[OutputFile], staging: &Path) -> std::io::Result<()> {
    // Folders first, once each, in order; then the files, in parallel (independent writes).
    let dirs: std::collections::BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .collect();
    for dir in dirs {
        fs::create_dir_all(staging.join(dir))?;
    }
    use rayon::prelude::*;
    files
        .par_iter()
        .try_for_each(|f| fs::write(staging.join(&f.path), f.bytes.as_slice()))
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
