//! `serve`'s document cache: a file whose size and time (or, failing that, whose bytes) are
//! unchanged since the last build is not parsed again, and its [`Document`] is shared, not
//! copied.

use super::{Document, Kind, parse};
use crate::config::SiteConfig;
use crate::diag::Diagnostics;
use crate::source::SourceFile;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One file read: the document (or its problems) and, through the cache, its
/// (size, time, settings) and content key.
pub(super) struct Loaded {
    pub(super) doc: Result<Arc<Document>, Diagnostics>,
    pub(super) stat: Option<((u64, std::time::SystemTime, u64), u64)>,
}

pub(super) type Stats = HashMap<std::ffi::OsString, (u64, std::time::SystemTime, u64, u64)>;

/// Documents read in the previous build, by a hash of their path, text and the settings
/// reading depends on; `serve` skips parsing what did not change.
#[derive(Default)]
pub struct DocCache {
    prev: HashMap<u64, Arc<Document>>,
    pub(super) next: std::sync::Mutex<HashMap<u64, Arc<Document>>>,
    /// Per file (by its path's bytes, quick to hash): (size, modification time, settings) →
    /// content key, from the last read. A file whose size and time are unchanged is not
    /// read again (make and cargo do the same); any change in either falls back to reading
    /// and hashing the bytes.
    prev_stat: Stats,
    pub(super) next_stat: std::sync::Mutex<Stats>,
}

impl DocCache {
    /// What this build read becomes what the next one may reuse.
    pub fn finish(&mut self) {
        let next = std::mem::take(&mut *crate::threads::lock(&self.next));
        let old = std::mem::replace(&mut self.prev, next);
        self.prev_stat = std::mem::take(&mut *crate::threads::lock(&self.next_stat));
        std::thread::spawn(move || drop(old));
    }
}

pub(super) fn load_cached(
    root: &Path,
    rel: &Path,
    kind: Kind,
    config: &SiteConfig,
    cache: &DocCache,
) -> Loaded {
    let settings = {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        (kind, &config.time_zone_name).hash(&mut h);
        h.finish()
    };
    let stat = std::fs::metadata(root.join(rel))
        .ok()
        .and_then(|m| Some((m.len(), m.modified().ok()?, settings)));
    let known = stat.and_then(|(len, time, _)| {
        let &(l, t, s, key) = cache.prev_stat.get(rel.as_os_str())?;
        (l == len && t == time && s == settings && cache.prev.contains_key(&key)).then_some(key)
    });
    let fail = |d: Diagnostics| Loaded {
        doc: Err(d),
        stat: None,
    };
    // Hash the raw bytes: a reused document skips decoding, line indexing and parsing, and a
    // new one is parsed from the same bytes, not read twice.
    let (key, bytes) = match known {
        Some(key) => (key, None),
        None => {
            let bytes = match crate::source::read_bytes(root, rel) {
                Ok(b) => b,
                Err(d) => return fail(d.into()),
            };
            use std::hash::{Hash, Hasher};
            let mut h = xxhash_rust::xxh3::Xxh3Default::new();
            (rel, &bytes, settings).hash(&mut h);
            (h.finish(), Some(bytes))
        }
    };
    // Shared: a reused document is never copied.
    let doc = match cache.prev.get(&key) {
        Some(doc) => Ok(doc.clone()),
        None => {
            let file = match bytes {
                Some(bytes) => SourceFile::from_bytes(rel, bytes),
                None => SourceFile::read(root, rel),
            };
            file.map_err(Diagnostics::from)
                .and_then(|file| parse(file, rel, kind, config))
                .map(|mut doc| {
                    doc.source_hash = key;
                    Arc::new(doc)
                })
        }
    };
    Loaded {
        doc,
        stat: stat.map(|s| (s, key)),
    }
}
