//! Content: bulletins and pages read from Markdown files with YAML front matter.
//!
//! Each file becomes a [`Document`]: validated front matter, slug and the Markdown body with
//! its absolute offset. Problems in one file never stop the others from being read.
//!
//! This file holds [`Document`] and its reading (`load_all`, `parse`, the slug, `reread`);
//! `front_matter.rs` the front matter (fences and fields), `cache.rs` `serve`'s cache of
//! documents already read.

mod cache;
pub mod extra_links;
pub mod front_matter;
pub mod heading_ids;
pub mod markdown;
pub mod mentions;
pub mod raw_links;
pub mod sanitize;
pub mod shortcode;
pub mod slug;
pub mod words;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::source::SourceFile;
use crate::yaml;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cache::DocCache;
use cache::{Loaded, load_cached};
use front_matter::read_front_matter;
pub use front_matter::{
    Correction, Cover, FRONT_MATTER_KEYS, FrontMatter, TOC_FROM, check_corrections,
    correction_problem, read_corrections, to_json,
};

/// A bulletin or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `content/boletines/`
    Bulletin,
    /// `content/paginas/`
    Page,
}

/// A content file, read and validated.
#[derive(Debug, Clone)]
pub struct Document {
    /// Bulletin or page.
    pub kind: Kind,
    /// The file.
    pub file: SourceFile,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
    /// Validated front matter.
    pub front: FrontMatter,
    /// URL slug.
    pub slug: String,
    /// Where the slug was decided (the `slug` key or the file start), for duplicate errors.
    pub slug_position: crate::diag::Position,
    /// The key `@/` links use: the path below `content/`, e.g. `boletines/2018-07-31-a.md`.
    pub link_key: String,
    /// The bundle folder (relative to the root) when the document is `<slug>/index.md`.
    pub bundle: Option<PathBuf>,
    /// A hash of the file's path and bytes and the settings reading depends on, when it was
    /// read through `serve`'s cache (0 otherwise): rebuilds key on it instead of hashing
    /// every text again.
    pub source_hash: u64,
    /// The key of what a build read ([`crate::fresh::read_key`]), so that the build's record
    /// holds exactly what was built (`None` through the cache).
    pub read_key: Option<u64>,
    /// What follows each `imagenes/` in the file ([`mentions`]): the model publishes an image
    /// only when a published document names it, and the text is not kept to look later.
    pub image_mentions: Vec<String>,
    /// The places its body seems to link to (`barrios/<id>`, `territorios/<id>`, as written
    /// after `@/`), found while the text is read: a build drops the text, and the feeds must
    /// know before rendering which bodies to keep.
    pub place_links: Vec<String>,
}

impl Document {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        body_of(&self.file, self.body_offset)
    }
}

/// The Markdown body of a document's file (empty if the text was taken, see
/// [`crate::source::SourceFile::take`]).
pub fn body_of(file: &crate::source::SourceFile, body_offset: usize) -> &str {
    file.text.get(body_offset..).unwrap_or_default()
}

/// Reads every bulletin and page; returns the valid documents and all problems.
pub fn load_all(
    root: &Path,
    bulletins: &[PathBuf],
    pages: &[PathBuf],
    config: &SiteConfig,
    cache: Option<&DocCache>,
) -> (Vec<Arc<Document>>, Diagnostics) {
    use rayon::prelude::*;
    let all: Vec<(Kind, &PathBuf)> = bulletins
        .iter()
        .map(|p| (Kind::Bulletin, p))
        .chain(pages.iter().map(|p| (Kind::Page, p)))
        .collect();
    // Pieces of at most 16 files: rayon otherwise stops splitting once each core has a
    // quarter of the list, and one core read the last pieces alone (30 ms at 10,000
    // bulletins, seen with `perf sched`).
    let results: Vec<Loaded> = all
        .par_iter()
        .with_max_len(16)
        .map(|(kind, rel)| match cache {
            Some(cache) => load_cached(root, rel, *kind, config, cache),
            None => Loaded {
                doc: load(root, rel, *kind, config).map(Arc::new),
                stat: None,
            },
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut docs = Vec::with_capacity(results.len());
    // The cache learns what this build read after the parallel part: no lock on the way.
    let mut next = cache.map(|_| (HashMap::new(), HashMap::new()));
    for (r, (_, rel)) in results.into_iter().zip(&all) {
        if let (Some((docs_next, stats_next)), Some((stat, key))) = (&mut next, r.stat) {
            stats_next.insert(
                rel.as_os_str().to_os_string(),
                (stat.0, stat.1, stat.2, key),
            );
            if let Ok(doc) = &r.doc {
                docs_next.insert(key, doc.clone());
            }
        }
        match r.doc {
            Ok(doc) => docs.push(doc),
            Err(d) => diags.extend(d),
        }
    }
    if let (Some(cache), Some((docs_next, stats_next))) = (cache, next) {
        *crate::threads::lock(&cache.next) = docs_next;
        *crate::threads::lock(&cache.next_stat) = stats_next;
    }
    (docs, diags)
}

/// Reads a document for a build, which keeps no text: only the front matter stays, and the
/// renderer reads the file again for its body ([`reread`]), so that a build never holds
/// every bulletin's text at once (78 MB at 10,000 bulletins).
fn load(root: &Path, rel: &Path, kind: Kind, config: &SiteConfig) -> Result<Document, Diagnostics> {
    let (bytes, meta) = crate::source::read_bytes_meta(root, rel)?;
    let key = crate::fresh::read_key(&bytes, &meta);
    let mut doc = parse(SourceFile::from_bytes(rel, bytes)?, rel, kind, config)?;
    doc.read_key = key;
    drop(doc.file.take());
    Ok(doc)
}

/// The file of a document whose text was not kept ([`load`]), read again for its body. The
/// file must be the one read first (same key): one edited in between would give a body that
/// does not belong to the front matter already read.
pub fn reread(root: &Path, doc: &Document) -> Result<SourceFile, crate::diag::Diagnostic> {
    let rel = &doc.file.path;
    let (bytes, meta) = crate::source::read_bytes_meta(root, rel)?;
    if crate::fresh::read_key(&bytes, &meta) != doc.read_key {
        return Err(crate::diag::Diagnostic::in_file(
            rel,
            Problem::ChangedDuringBuild,
        ));
    }
    SourceFile::from_bytes(rel, bytes)
}

/// The document's file with its text: its own when the text was kept, else the file read
/// again ([`reread`]), owned by the caller and freed with it.
pub fn with_text<'a>(
    root: &Path,
    doc: &'a Document,
) -> Result<std::borrow::Cow<'a, SourceFile>, crate::diag::Diagnostic> {
    if doc.text_dropped() {
        reread(root, doc).map(std::borrow::Cow::Owned)
    } else {
        Ok(std::borrow::Cow::Borrowed(&doc.file))
    }
}

impl Document {
    /// True when the text was not kept for this build: the body must be read again.
    pub fn text_dropped(&self) -> bool {
        self.file.text.is_empty()
    }
}

/// Reads one document from its file: front matter, then the fields of its kind.
pub fn parse(
    file: SourceFile,
    rel: &Path,
    kind: Kind,
    config: &SiteConfig,
) -> Result<Document, Diagnostics> {
    let split = front_matter::split(&file)?;
    let node = yaml::parse(&file, split.yaml, split.yaml_line)?;
    let body_offset = split.body_offset;
    let mut diags = Diagnostics::new();
    let front = read_front_matter(&file, &node, kind, config, &mut diags);
    let (Some(front), true) = (front, diags.is_empty()) else {
        return Err(diags);
    };
    let bundle = (rel.file_name().is_some_and(|n| n == "index.md") && kind == Kind::Bulletin)
        .then(|| rel.parent().map(Path::to_path_buf))
        .flatten();
    let (slug, slug_position) = decide_slug(&file, rel, &front, bundle.is_some())?;
    let link_key = rel.strip_prefix("content").unwrap_or(rel);
    let link_key = composed(crate::diag::display_path(link_key));
    Ok(Document {
        kind,
        body_offset,
        front,
        slug,
        slug_position,
        link_key,
        bundle,
        image_mentions: mentions::image_mentions(&file.text),
        place_links: place_links(body_of(&file, body_offset)),
        file,
        source_hash: 0,
        read_key: None,
    })
}

/// A file name in NFC, as every text is read ([`crate::source::nfc`]).
pub fn composed(name: String) -> String {
    crate::source::nfc(&name).unwrap_or(name)
}

/// The `@/barrios/<id>` and `@/territorios/<id>` targets a body's text holds, each as
/// `barrios/<id>`: the id is what follows up to the first character no id has.
fn place_links(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for at in memchr::memmem::find_iter(body.as_bytes(), "@/") {
        let rest = &body[at + 2..];
        let Some((kind, tail)) = ["barrios/", "territorios/"]
            .iter()
            .find_map(|k| Some((*k, rest.strip_prefix(k)?)))
        else {
            continue;
        };
        let end = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(tail.len());
        let link = format!("{kind}{}", &tail[..end]);
        if !found.contains(&link) {
            found.push(link);
        }
    }
    found
}

fn decide_slug(
    file: &SourceFile,
    rel: &Path,
    front: &FrontMatter,
    bundle: bool,
) -> Result<(String, crate::diag::Position), Diagnostic> {
    if let Some(s) = &front.slug {
        if !slug::is_valid(&s.value) {
            return Err(Diagnostic::at(
                &file.path,
                s.position,
                Problem::InvalidSlug {
                    slug: s.value.clone(),
                },
            ));
        }
        return Ok((s.value.clone(), s.position));
    }
    let stem = if bundle {
        rel.parent().and_then(Path::file_name)
    } else {
        rel.file_stem()
    };
    // A name saved decomposed (macOS) gives the slug its composed twin gives.
    let stem = composed(
        stem.map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let slug = slug::slugify(slug::strip_date_prefix(&stem));
    if slug.is_empty() {
        return Err(file.error_at(0, Problem::InvalidSlug { slug: stem }));
    }
    Ok((slug, crate::diag::Position::new(1, 1)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn place_links_are_found_in_the_text_once_each() {
        let body = "[a](@/barrios/san-clemente) [b](@/territorios/callao#x) \
                    <@/barrios/san-clemente/> [c](@/boletines/x.md) [d](@/territorios/la_libertad.md)";
        assert_eq!(
            super::place_links(body),
            [
                "barrios/san-clemente",
                "territorios/callao",
                "territorios/la_libertad"
            ]
        );
        assert!(super::place_links("sin enlaces @/").is_empty());
    }
}
