//! Where a build keeps what the next one needs: `.boletin/` in the site's folder, beside
//! `content/` (as Hugo keeps `resources/`), never inside the published folder. It holds the
//! build record ([`crate::fresh`]), the addresses the build published, and the index of
//! processed images, one subfolder per output folder (see [`dir`]); `init` lists it in the
//! site's `.gitignore`. Deleting it only makes the next build a full one.
//!
//! Before 2026-12 this lived beside the output, in `.NAME.boletin/`; a build removes such a
//! folder when it holds nothing but what boletin wrote there ([`forget`]).

use std::fs;
use std::path::{Path, PathBuf};

/// The folder in the site's root.
pub const FOLDER: &str = ".boletin";

/// The subfolder of kept PDFs ([`crate::pdf_cache`]): files named by the hash of what they
/// were made from, right whatever the output holds, so [`forget`] keeps it.
pub const PDF_FOLDER: &str = "pdf";

/// What an older boletin kept in `.NAME.boletin/` beside the output, and nothing else.
const LEGACY_FILES: [&str; 2] = ["estado", "imagenes.json"];

/// The subfolder of `.boletin/` for the output folder `out`: `NAME-HASH`, `NAME` being the
/// output folder's own name (for whoever looks inside) and `HASH` eight hex digits of its
/// path — relative to the root when it is inside it (`output`: the site can be moved or
/// cloned elsewhere and keep its record), absolute otherwise. Two output folders of one
/// site (`output/` and a test build in `/tmp/a11y`) thus keep apart records, since each
/// record describes what its own folder holds.
pub fn dir(root: &Path, out: &Path) -> PathBuf {
    let root = canonical(root);
    let out = canonical(out);
    let key = match out.strip_prefix(&root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => out.to_string_lossy().into_owned(),
    };
    let name: String = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let hash = xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as u32;
    root.join(FOLDER).join(format!("{name}-{hash:08x}"))
}

/// Forgets what the state folder says about `out`, before `out` is replaced: a build
/// killed between the swap and the new record leaves none, so the next build runs in full
/// (never trusting a record or an image index that describes the previous output). The kept
/// PDFs stay ([`PDF_FOLDER`]): each is named by the key of its inputs and describes no
/// output. An older version's `.NAME.boletin/` beside `out` goes too (see
/// [`remove_legacy`]).
pub fn forget(root: &Path, out: &Path) {
    let dir = dir(root, out);
    for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
        if entry.file_name() == PDF_FOLDER {
            continue;
        }
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
    }
    remove_legacy(out);
}

/// Removes `.NAME.boletin/` beside `out`, where older versions kept the record and the
/// image index, when it holds only those files: never read again, it would be the one
/// thing left outside `output/` and `.boletin/`. A folder holding anything else is not ours
/// and stays (it is never read either).
fn remove_legacy(out: &Path) {
    let Some(name) = out.file_name() else {
        return;
    };
    let legacy = out.with_file_name(format!(".{}.boletin", name.to_string_lossy()));
    let Ok(entries) = fs::read_dir(&legacy) else {
        return;
    };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let plain = entry.file_type().is_ok_and(|t| t.is_file());
        let known = LEGACY_FILES.iter().any(|f| entry.file_name() == *f);
        if !plain || !known {
            return;
        }
        files.push(entry.path());
    }
    for file in files {
        let _ = fs::remove_file(file);
    }
    let _ = fs::remove_dir(&legacy);
}

/// `path` with links resolved, also when it does not exist yet (its parent resolved, else
/// made absolute as written).
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let resolved = match (parent, path.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().ok().map(|p| p.join(name)),
        (None, Some(name)) => std::env::current_dir().ok().map(|d| d.join(name)),
        _ => None,
    };
    resolved
        .or_else(|| std::path::absolute(path).ok())
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_has_its_own_subfolder_named_after_it_and_kept_when_the_site_moves() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        let inside = dir(&a, &a.join("output"));
        assert!(inside.starts_with(a.canonicalize().unwrap().join(".boletin")));
        let leaf = inside.file_name().unwrap().to_string_lossy().into_owned();
        assert!(leaf.starts_with("output-") && leaf.len() == "output-".len() + 8);
        // The same relative output in another site's folder: the same name.
        assert_eq!(dir(&b, &b.join("output")).file_name(), inside.file_name());
        // Written another way, or existing or not, it is the same folder.
        fs::create_dir_all(a.join("output")).unwrap();
        fs::create_dir_all(a.join("x")).unwrap();
        assert_eq!(dir(&a, &a.join("x/../output")), inside);
        // An output outside the site, with the same name: another folder.
        let outside = dir(&a, &b.join("output"));
        assert_ne!(outside, inside);
        assert!(outside.starts_with(a.canonicalize().unwrap().join(".boletin")));
    }

    #[test]
    fn forgetting_keeps_only_the_kept_pdfs() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let state = dir(tmp.path(), &out);
        fs::create_dir_all(state.join(PDF_FOLDER)).unwrap();
        fs::create_dir_all(state.join("otra")).unwrap();
        fs::write(state.join("estado"), "x").unwrap();
        fs::write(state.join(PDF_FOLDER).join("a.pdf"), "%PDF").unwrap();
        forget(tmp.path(), &out);
        let left: Vec<_> = fs::read_dir(&state).unwrap().flatten().collect();
        assert_eq!(left.len(), 1);
        assert!(state.join(PDF_FOLDER).join("a.pdf").is_file());
    }

    #[test]
    fn an_old_state_folder_goes_only_when_it_holds_only_what_boletin_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let legacy = tmp.path().join(".output.boletin");
        fs::create_dir_all(&legacy).unwrap();
        fs::write(legacy.join("estado"), "boletin-estado 2\n").unwrap();
        fs::write(legacy.join("imagenes.json"), "{}").unwrap();
        forget(tmp.path(), &out);
        assert!(!legacy.exists());
        fs::create_dir_all(&legacy).unwrap();
        fs::write(legacy.join("estado"), "x").unwrap();
        fs::write(legacy.join("mio.txt"), "de alguien").unwrap();
        forget(tmp.path(), &out);
        assert!(legacy.join("mio.txt").is_file() && legacy.join("estado").is_file());
    }
}
