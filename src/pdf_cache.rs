//! The PDFs a previous build typeset, kept for the next one: a rebuild reuses every PDF
//! whose key — the hash of everything it reads ([`crate::pdf::Prepared::key`]) — has not
//! changed, and Typst runs only for the bulletins that did.
//!
//! They live in the build's state folder, `.boletin/<output>-<hash>/pdf/`, one file per
//! bulletin named `<slug>.<key>.pdf`, rather than being read back from the previous output
//! as photos are: a file named by its key is right whatever the output folder holds, so it
//! needs no manifest written after the swap and survives [`crate::state::forget`]; it
//! also survives an output folder that was deleted or rewritten by a deploy step. The cost
//! is the PDFs on disk twice.
//!
//! Only a build that writes its output writes here (never `check`), each file through a
//! temporary name and a rename, so a killed build leaves no half file under a key. A
//! bulletin's older file goes when its new one is written, and the files of bulletins the
//! site no longer has when the cache is opened. Deleting the folder only makes the next
//! build slower.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The kept PDFs of one output folder.
#[derive(Debug)]
pub struct PdfCache {
    dir: PathBuf,
    writable: bool,
    /// Slug → the name of its kept file.
    names: Mutex<BTreeMap<String, String>>,
    typeset: AtomicUsize,
    reused: AtomicUsize,
}

impl PdfCache {
    /// The cache of the output folder `out` of the site at `root`, for a site whose
    /// bulletins are `slugs`; `writable` for a build that writes its output (the others
    /// only read). Files of other slugs are removed when writable.
    pub fn open<'a>(
        root: &Path,
        out: &Path,
        slugs: impl IntoIterator<Item = &'a str>,
        writable: bool,
    ) -> Self {
        let dir = crate::state::dir(root, out).join(crate::state::PDF_FOLDER);
        let live: BTreeSet<&str> = slugs.into_iter().collect();
        let mut names = BTreeMap::new();
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            match slug_of(&name) {
                Some(slug) if live.contains(slug) => {
                    names.insert(slug.to_string(), name);
                }
                _ if writable => {
                    let _ = fs::remove_file(entry.path());
                }
                _ => {}
            }
        }
        PdfCache {
            dir,
            writable,
            names: Mutex::new(names),
            typeset: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// The PDF kept for `slug` under `key`, if any (counted as reused).
    pub fn get(&self, slug: &str, key: u128) -> Option<Vec<u8>> {
        let name = file_name(slug, key);
        let kept = crate::threads::lock(&self.names).get(slug) == Some(&name);
        let bytes = kept.then(|| fs::read(self.dir.join(&name)).ok())??;
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(bytes)
    }

    /// Keeps `bytes`, just typeset for `slug` under `key` (counted as typeset), in place of
    /// the slug's older file. A file that cannot be written only means the next build
    /// typesets it again.
    pub fn put(&self, slug: &str, key: u128, bytes: &[u8]) {
        self.typeset.fetch_add(1, Ordering::Relaxed);
        if !self.writable {
            return;
        }
        let name = file_name(slug, key);
        let temporary = self.dir.join(format!("{name}.tmp"));
        let written = fs::create_dir_all(&self.dir)
            .and_then(|()| fs::write(&temporary, bytes))
            .and_then(|()| fs::rename(&temporary, self.dir.join(&name)));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
            return;
        }
        let old = crate::threads::lock(&self.names).insert(slug.to_string(), name.clone());
        if let Some(old) = old.filter(|o| *o != name) {
            let _ = fs::remove_file(self.dir.join(old));
        }
    }

    /// How many PDFs this build typeset and how many it reused.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.typeset.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }
}

fn file_name(slug: &str, key: u128) -> String {
    format!("{slug}.{key:032x}.pdf")
}

/// The slug of a kept file's name (`None`: not a file this cache wrote, or a temporary).
fn slug_of(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".pdf")?;
    let (slug, key) = stem.rsplit_once('.')?;
    let hex = key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && !slug.is_empty()).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_pdf_is_found_under_its_key_only_and_replaced_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path(), tmp.path().join("output"));
        let cache = PdfCache::open(root, &out, ["a"], true);
        assert_eq!(cache.get("a", 1), None);
        cache.put("a", 1, b"%PDF uno");
        assert_eq!(cache.get("a", 1).as_deref(), Some(&b"%PDF uno"[..]));
        assert_eq!(cache.get("a", 2), None);
        cache.put("a", 2, b"%PDF dos");
        assert_eq!(cache.counts(), (2, 1));
        let again = PdfCache::open(root, &out, ["a"], true);
        assert_eq!(again.get("a", 1), None);
        assert_eq!(again.get("a", 2).as_deref(), Some(&b"%PDF dos"[..]));
        let files: Vec<_> = fs::read_dir(&cache.dir).unwrap().flatten().collect();
        assert_eq!(files.len(), 1, "the older file of a bulletin goes");
    }

    #[test]
    fn files_of_gone_bulletins_go_only_when_writable_and_a_reader_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path(), tmp.path().join("output"));
        PdfCache::open(root, &out, ["a", "b"], true).put("b", 7, b"%PDF b");
        let reader = PdfCache::open(root, &out, ["a"], false);
        reader.put("a", 1, b"%PDF a");
        assert_eq!(reader.get("a", 1), None);
        assert!(
            PdfCache::open(root, &out, ["b"], false)
                .get("b", 7)
                .is_some()
        );
        PdfCache::open(root, &out, ["a"], true);
        assert!(
            PdfCache::open(root, &out, ["b"], true)
                .get("b", 7)
                .is_none()
        );
    }

    #[test]
    fn only_names_this_cache_writes_are_read_as_slugs() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            slug_of(&format!("informe-2026.{key}.pdf")),
            Some("informe-2026")
        );
        assert_eq!(slug_of(&format!("a.{key}.pdf.tmp")), None);
        assert_eq!(slug_of("a.123.pdf"), None);
        assert_eq!(slug_of(&format!(".{key}.pdf")), None);
    }
}
