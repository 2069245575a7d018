//! Incremental rebuilds by construction: every body and every file is keyed on a hash of
//! all its inputs, and a job whose key was seen in the previous build reuses its result.
//! Nothing tracks dependencies by hand — if an input is not in the key, the key is wrong,
//! and the serve tests (incremental result == fresh full build after each kind of edit)
//! catch it.

use super::body::Body;
use crate::model::SiteModel;
use crate::theme::Theme;
use crate::threads::lock;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Fast (xxh3) rather than SipHash: keys hash every bulletin's text on each rebuild, and
/// nothing here needs protection from crafted collisions.
type DefaultHasher = xxhash_rust::xxh3::Xxh3Default;

/// Results of the previous build, and those of the current one as they are made.
#[derive(Default)]
pub struct Cache {
    prev_bodies: HashMap<u64, Arc<Body>>,
    prev_files: HashMap<u64, Arc<Vec<u8>>>,
    next_bodies: Mutex<HashMap<u64, Arc<Body>>>,
    next_files: Mutex<HashMap<u64, Arc<Vec<u8>>>>,
    hits: Mutex<(usize, usize)>,
    /// Parsed documents, reused when their file is unchanged.
    pub docs: crate::content::DocCache,
    /// Encoded images, reused when their file is unchanged.
    pub images: crate::images::Memory,
    prev_search: Mutex<Option<super::search::State>>,
    next_search: Mutex<Option<super::search::State>>,
    prev_search_docs: HashMap<u64, Arc<super::search::Indexed>>,
    next_search_docs: Mutex<HashMap<u64, Arc<super::search::Indexed>>>,
    prev_cards: HashMap<u64, super::templates::Prepared>,
    next_cards: Mutex<HashMap<u64, super::templates::Prepared>>,
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Self {
        Cache::default()
    }

    /// Shared, so a reused body is copied once (for the build), not twice.
    pub(super) fn body(&self, key: u64) -> Option<Arc<Body>> {
        let found = self.prev_bodies.get(&key).cloned();
        self.count(found.is_some());
        found
    }

    pub(super) fn store_body(&self, key: u64, value: Arc<Body>) {
        lock(&self.next_bodies).insert(key, value);
    }

    /// The previous build's search index, to patch (taken: it is patched in place).
    pub(super) fn take_search(&self) -> Option<super::search::State> {
        lock(&self.prev_search).take()
    }

    pub(super) fn store_search(&self, state: super::search::State) {
        *lock(&self.next_search) = Some(state);
    }

    /// The tokenised search document of one entry, reused when the entry and the site
    /// are unchanged. Not counted in `finish`'s numbers, which count pages and bodies.
    pub(super) fn search_doc(
        &self,
        key: u64,
        make: impl FnOnce() -> super::search::Indexed,
    ) -> Arc<super::search::Indexed> {
        let found = self
            .prev_search_docs
            .get(&key)
            .cloned()
            .unwrap_or_else(|| Arc::new(make()));
        lock(&self.next_search_docs).insert(key, found.clone());
        found
    }

    /// An entry's card for lists, reused when the entry and the site's structure are
    /// unchanged (not counted either).
    pub(super) fn card(
        &self,
        key: u64,
        make: impl FnOnce() -> super::templates::Prepared,
    ) -> super::templates::Prepared {
        let found = self.prev_cards.get(&key).cloned().unwrap_or_else(make);
        lock(&self.next_cards).insert(key, found.clone());
        found
    }

    pub(super) fn file(&self, key: u64) -> Option<Arc<Vec<u8>>> {
        let found = self.prev_files.get(&key).cloned();
        self.count(found.is_some());
        found
    }

    pub(super) fn store_file(&self, key: u64, bytes: Arc<Vec<u8>>) {
        lock(&self.next_files).insert(key, bytes);
    }

    fn count(&self, hit: bool) {
        let mut h = lock(&self.hits);
        if hit { h.0 += 1 } else { h.1 += 1 }
    }

    /// Ends a build: what it made becomes what the next build may reuse (and nothing else,
    /// so the cache never grows beyond one site). Returns (reused, rendered).
    pub fn finish(&mut self) -> (usize, usize) {
        self.docs.finish();
        self.images.finish();
        let next = lock(&self.next_search).take();
        *lock(&self.prev_search) = next;
        let old_bodies = std::mem::replace(
            &mut self.prev_bodies,
            std::mem::take(&mut *lock(&self.next_bodies)),
        );
        let old_files = std::mem::replace(
            &mut self.prev_files,
            std::mem::take(&mut *lock(&self.next_files)),
        );
        let old_docs = std::mem::replace(
            &mut self.prev_search_docs,
            std::mem::take(&mut *lock(&self.next_search_docs)),
        );
        let old_cards = std::mem::replace(
            &mut self.prev_cards,
            std::mem::take(&mut *lock(&self.next_cards)),
        );
        // Freeing a whole site's worth of strings takes tens of milliseconds: not on the
        // path between a save and the browser's reload.
        std::thread::spawn(move || drop((old_bodies, old_files, old_docs, old_cards)));
        std::mem::take(&mut *lock(&self.hits))
    }
}

/// A hash of what every body may read besides its own text: settings, theme, data, the
/// link table and the files links may point to (with sizes and times: figures read image
/// sizes).
pub fn site_fingerprint(
    model: &SiteModel,
    theme: &Theme,
    known_paths: &std::collections::BTreeSet<String>,
    drafts: bool,
) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{:?}", model.config).hash(&mut h);
    drafts.hash(&mut h);
    theme.templates.hash(&mut h);
    for ds in model.data.datasets.values() {
        (&ds.id, ds.fingerprint).hash(&mut h);
    }
    model.links.hash(&mut h);
    model.pictures.hash(&mut h);
    known_paths.hash(&mut h);
    for a in &model.assets {
        a.output.hash(&mut h);
        if let Ok(meta) = std::fs::metadata(model.root.join(&a.source)) {
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    h.finish()
}

/// What every page may read besides the entries it shows: the body fingerprint plus the
/// structure of the site — tags with their names and members, years, counts.
pub fn pages_fingerprint(model: &SiteModel, body_fingerprint: u64) -> u64 {
    let mut h = DefaultHasher::new();
    body_fingerprint.hash(&mut h);
    model.tags.hash(&mut h);
    model.years.hash(&mut h);
    (model.bulletins.len(), model.pages.len()).hash(&mut h);
    h.finish()
}

/// A key from the site fingerprint and a job's own inputs.
pub fn key(site: u64, parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    site.hash(&mut h);
    parts.hash(&mut h);
    h.finish()
}
