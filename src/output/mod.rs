//! Writing the built site: all or nothing, and never over a folder boletin did not make.
//!
//! Files are written into a hidden sibling folder that carries a marker file; only when all
//! of them are written is the old output renamed away and the new one renamed into place.
//! A failed or interrupted build therefore leaves the previous `output/` exactly as it was.
//! On Linux the two folders trade places in one step, so `output/` exists at every moment.
//! The checks in [`check_target`] run before any rendering work, and a build holds an
//! [`OutputLock`] on its output folder from its freshness check to its swap, so two builds
//! of one site take turns.

pub mod gzip;
mod hashed;
mod lock;
mod staging;

pub use hashed::hashed_path;
pub use lock::OutputLock;
pub use staging::{Staging, write_failure};

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
    if out_abs.starts_with(root_abs.join(crate::state::FOLDER)) {
        return refuse(
            "está dentro de `.boletin/`, donde boletin guarda el registro de sus construcciones",
        );
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
    use super::staging::{Swapped, put_in_place};
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
