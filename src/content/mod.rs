//! Content: bulletins and pages read from Markdown files with YAML front matter.
//!
//! Each file becomes a [`Document`]: validated front matter, slug and the Markdown body with
//! its absolute offset. Problems in one file never stop the others from being read.

pub mod front_matter;
pub mod heading_ids;
pub mod markdown;
pub mod mentions;
pub mod sanitize;
pub mod shortcode;
pub mod slug;
pub mod words;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::format::parse_date;
use crate::source::SourceFile;
use crate::yaml::{self, Fields, Located, Node, Value};
use jiff::civil::Date;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Keys a bulletin or page may have.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "titulo",
    "fecha",
    "resumen",
    "etiquetas",
    "territorios",
    "barrios",
    "portada",
    "autor",
    "actualizado",
    "slug",
    "plantilla",
    "borrador",
    "publicar_desde",
    "correcciones",
    "alias",
    "indice",
    "anunciar",
    "extra",
    "pdf",
];

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

/// Validated front matter.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `titulo`
    pub title: String,
    /// `fecha`
    pub date: Option<Date>,
    /// `resumen`
    pub summary: Option<String>,
    /// `etiquetas`
    pub tags: Vec<String>,
    /// `territorios`
    pub territories: Vec<Located<String>>,
    /// `barrios`
    pub barrios: Vec<Located<String>>,
    /// `portada`
    pub cover: Option<Cover>,
    /// `autor`
    pub author: Option<String>,
    /// `actualizado`
    pub updated: Option<Date>,
    /// `slug`
    pub slug: Option<Located<String>>,
    /// `plantilla`
    pub template: Option<Located<String>>,
    /// `borrador`
    pub draft: bool,
    /// `publicar_desde`, as an instant.
    pub publish_from: Option<jiff::Timestamp>,
    /// `correcciones`, in the order written.
    pub corrections: Vec<Correction>,
    /// `alias`: old addresses (site paths, `/boletines/viejo/`) that send readers here.
    pub aliases: Vec<Located<String>>,
    /// `indice`: a table of contents always (`true`) or never (`false`); by default, one
    /// past [`TOC_FROM`] second-level headings.
    pub toc: Option<bool>,
    /// `anunciar: true`: while embargoed, its title and planned instant are listed on
    /// `/proximas/` (nothing else of it appears anywhere).
    pub announce: bool,
    /// `extra`, free for themes.
    pub extra: serde_json::Value,
    /// `pdf`: this bulletin's own choice, over the site's.
    pub pdf: Option<bool>,
}

/// Second-level headings from which a long document gets a table of contents by itself.
pub const TOC_FROM: usize = 4;

impl FrontMatter {
    /// The last day the document changed: its latest correction, `actualizado`, or `fecha`.
    /// Feeds, the sitemap and the JSON-LD all date a change by it.
    pub fn last_modified(&self) -> Option<Date> {
        let corrected = self.corrections.iter().map(|c| c.date.value).max();
        [self.updated.or(self.date), corrected]
            .into_iter()
            .flatten()
            .max()
    }
}

/// A dated correction (`correcciones: [{fecha, texto, menor}]`): shown under the title unless
/// `menor`, and always in the change history.
#[derive(Debug, Clone)]
pub struct Correction {
    /// `fecha`
    pub date: Located<Date>,
    /// `texto`: what was corrected.
    pub text: String,
    /// `menor: true`: a typo fix, shown only in the history.
    pub minor: bool,
}

/// A cover image.
#[derive(Debug, Clone)]
pub struct Cover {
    /// Image path as written.
    pub image: Located<String>,
    /// Alternative text.
    pub alt: String,
    /// Credit line.
    pub credit: Option<String>,
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

/// One file read: the document (or its problems) and, through the cache, its
/// (size, time, settings) and content key.
struct Loaded {
    doc: Result<Arc<Document>, Diagnostics>,
    stat: Option<((u64, std::time::SystemTime, u64), u64)>,
}

type Stats = HashMap<std::ffi::OsString, (u64, std::time::SystemTime, u64, u64)>;

/// Documents read in the previous build, by a hash of their path, text and the settings
/// reading depends on; `serve` skips parsing what did not change.
#[derive(Default)]
pub struct DocCache {
    prev: HashMap<u64, Arc<Document>>,
    next: std::sync::Mutex<HashMap<u64, Arc<Document>>>,
    /// Per file (by its path's bytes, quick to hash): (size, modification time, settings) →
    /// content key, from the last read. A file whose size and time are unchanged is not
    /// read again (make and cargo do the same); any change in either falls back to reading
    /// and hashing the bytes.
    prev_stat: Stats,
    next_stat: std::sync::Mutex<Stats>,
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

fn load_cached(
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

fn read_front_matter(
    file: &SourceFile,
    node: &Node,
    kind: Kind,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    let mut f = Fields::new(file, node, FRONT_MATTER_KEYS, diags)?;
    let title = f.required_text("titulo");
    let date = if kind == Kind::Bulletin && f.node("fecha").is_none() {
        f.missing("fecha");
        None
    } else {
        read_date(&mut f, "fecha")
    };
    let cover = read_cover(&mut f);
    let front = FrontMatter {
        title: title.map(|t| t.value).unwrap_or_default(),
        date,
        summary: f.text("resumen").map(|t| t.value),
        tags: f.text_list("etiquetas"),
        territories: f.located_text_list("territorios"),
        barrios: f.located_text_list("barrios"),
        cover,
        author: f.text("autor").map(|t| t.value),
        updated: read_date(&mut f, "actualizado"),
        slug: f.text("slug"),
        template: f.text("plantilla"),
        draft: f.boolean("borrador").unwrap_or(false),
        publish_from: read_instant(&mut f, "publicar_desde", &config.time_zone),
        corrections: read_corrections(&mut f),
        aliases: f.located_text_list("alias"),
        toc: f.boolean("indice"),
        announce: f.boolean("anunciar").unwrap_or(false),
        extra: f.node("extra").map_or(serde_json::Value::Null, to_json),
        pdf: f.boolean("pdf"),
    };
    Some(front)
}

/// Every correction must be dated between its document's `fecha` and `today`: a correction
/// cannot come before what it corrects, nor be announced ahead.
pub fn check_corrections(docs: &[std::sync::Arc<Document>], today: Date, diags: &mut Diagnostics) {
    for doc in docs {
        for c in &doc.front.corrections {
            let problem = match doc.front.date {
                Some(published) if c.date.value < published => Problem::CorrectionBeforeDate {
                    date: crate::format::long_date(c.date.value),
                    published: crate::format::long_date(published),
                },
                _ if c.date.value > today => Problem::CorrectionInFuture {
                    date: crate::format::long_date(c.date.value),
                },
                _ => continue,
            };
            diags.push(crate::diag::Diagnostic::at(
                &doc.file.path,
                c.date.position,
                problem,
            ));
        }
    }
}

fn read_corrections(f: &mut Fields<'_>) -> Vec<Correction> {
    let file = f.file();
    let mut out = Vec::new();
    for node in f.list_of_maps("correcciones") {
        let Some(mut c) = Fields::new(file, node, &["fecha", "texto", "menor"], f.diags()) else {
            continue;
        };
        let position = c.node("fecha").map(|n| n.position);
        let date = match (read_date(&mut c, "fecha"), position) {
            (Some(d), Some(at)) => Some(Located {
                value: d,
                position: at,
            }),
            _ => {
                if c.node("fecha").is_none() {
                    c.missing("fecha");
                }
                None
            }
        };
        let text = c.required_text("texto");
        let minor = c.boolean("menor").unwrap_or(false);
        if let (Some(date), Some(text)) = (date, text) {
            out.push(Correction {
                date,
                text: text.value,
                minor,
            });
        }
    }
    out
}

fn read_date(f: &mut Fields<'_>, key: &str) -> Option<Date> {
    let t = f.text(key)?;
    let date = parse_date(&t.value);
    if date.is_none() {
        f.error(
            t.position,
            Problem::InvalidDate {
                field: key.into(),
                value: t.value,
            },
        );
    }
    date
}

/// `AAAA-MM-DD`, `AAAA-MM-DD HH:MM[:SS]` in the site's zone, or RFC 3339 with an offset.
fn read_instant(f: &mut Fields<'_>, key: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::Timestamp> {
    let t = f.text(key)?;
    let text = t.value.trim();
    let parsed = crate::format::parse_instant(text, tz);
    if parsed.is_none() {
        f.error(
            t.position,
            Problem::InvalidDateTime {
                field: key.into(),
                value: t.value,
            },
        );
    }
    parsed
}

fn read_cover(f: &mut Fields<'_>) -> Option<Cover> {
    let mut c = f.map("portada", &["imagen", "alt", "credito", "decorativa"])?;
    let image = c.required_text("imagen")?;
    let decorative = c.boolean("decorativa").unwrap_or(false);
    let alt = c
        .text("alt")
        .map(|t| t.value)
        .filter(|a| !a.trim().is_empty())
        .or(decorative.then(String::new));
    let credit = c.text("credito").map(|t| t.value);
    let Some(alt) = alt else {
        c.error(image.position, Problem::CoverWithoutAlt);
        return None;
    };
    Some(Cover { image, alt, credit })
}

/// A YAML node as JSON, for `extra`.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f, _) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            J::Object(entries.iter().map(|(k, v)| (k.key(), to_json(v))).collect())
        }
    }
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
