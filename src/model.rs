//! The site model: one immutable, sorted value with everything the renderers need — the
//! published documents with their URLs, the assets, and the table that resolves `@/` links.
//!
//! Drafts and embargoed bulletins are removed here, once, before any renderer sees the
//! collection, so no list, feed or page can leak them.

use crate::config::SiteConfig;
use crate::content::{Document, Kind};
use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use crate::urls;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A published document and its URL path (relative to the base).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The document.
    pub doc: Document,
    /// URL path relative to the base, e.g. `boletines/avance/`.
    pub url: String,
}

/// A file copied as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// Source path relative to the root.
    pub source: PathBuf,
    /// Output path relative to the output folder.
    pub output: String,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct SiteModel {
    /// The site root, to read assets from.
    pub root: PathBuf,
    /// Site settings.
    pub config: SiteConfig,
    /// Published bulletins, newest first (ties broken by slug).
    pub bulletins: Vec<Entry>,
    /// Published pages, by slug.
    pub pages: Vec<Entry>,
    /// Files to copy.
    pub assets: Vec<Asset>,
    /// `@/` link key → URL path (documents, sections, assets).
    pub links: BTreeMap<String, String>,
    /// Datasets and typed records.
    pub data: crate::data::Data,
    /// Sums computed from the records.
    pub aggregates: crate::data::aggregate::Aggregates,
}

/// What decides which documents are published.
#[derive(Debug, Clone, Copy)]
pub struct Publishing {
    /// The instant embargoes are compared with.
    pub now: jiff::Timestamp,
    /// Include drafts (`--drafts`, `serve`).
    pub drafts: bool,
}

/// True when a document may appear anywhere in the output.
pub fn is_published(doc: &Document, publishing: &Publishing) -> bool {
    (!doc.front.draft || publishing.drafts)
        && doc.front.publish_from.is_none_or(|t| t <= publishing.now)
}

/// Builds the model: filters, sorts, assigns URLs and checks that no two share one.
pub fn build(
    root: &Path,
    config: SiteConfig,
    data: crate::data::Data,
    docs: Vec<Document>,
    assets: &[PathBuf],
    publishing: &Publishing,
) -> Result<SiteModel, Diagnostics> {
    let mut diags = Diagnostics::new();
    let (mut bulletins, mut pages): (Vec<Entry>, Vec<Entry>) = docs
        .into_iter()
        .filter(|d| is_published(d, publishing))
        .map(|doc| {
            let url = match doc.kind {
                Kind::Bulletin => urls::bulletin(&doc.slug),
                Kind::Page => urls::page(&doc.slug),
            };
            Entry { doc, url }
        })
        .partition(|e| e.doc.kind == Kind::Bulletin);
    bulletins.sort_by(|a, b| {
        b.doc
            .front
            .date
            .cmp(&a.doc.front.date)
            .then(a.doc.slug.cmp(&b.doc.slug))
    });
    pages.sort_by(|a, b| a.doc.slug.cmp(&b.doc.slug));
    check_unique_urls(bulletins.iter().chain(pages.iter()), &mut diags);
    let assets = place_assets(assets, &bulletins);
    let links = link_table(&bulletins, &pages, &assets);
    if !diags.is_empty() {
        return Err(diags);
    }
    let aggregates = crate::data::aggregate::compute(&data.records);
    Ok(SiteModel {
        root: root.to_path_buf(),
        config,
        bulletins,
        pages,
        assets,
        links,
        data,
        aggregates,
    })
}

fn check_unique_urls<'a>(entries: impl Iterator<Item = &'a Entry>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Entry> = BTreeMap::new();
    for e in entries {
        let first_segment = e.url.trim_end_matches('/');
        if e.doc.kind == Kind::Page && urls::RESERVED.contains(&first_segment) {
            diags.push(Diagnostic::at(
                &e.doc.file.path,
                e.doc.slug_position,
                Problem::DuplicateUrl {
                    url: format!("/{}", e.url),
                    other: "el propio sitio".into(),
                },
            ));
        } else if let Some(other) = seen.insert(&e.url, e) {
            diags.push(Diagnostic::at(
                &e.doc.file.path,
                e.doc.slug_position,
                Problem::DuplicateUrl {
                    url: format!("/{}", e.url),
                    other: display_path(&other.doc.file.path),
                },
            ));
        }
    }
}

/// Images under `content/imagenes/` keep their path; files of a bundle go beside its page.
fn place_assets(assets: &[PathBuf], bulletins: &[Entry]) -> Vec<Asset> {
    let bundles: BTreeMap<&Path, &str> = bulletins
        .iter()
        .filter_map(|e| e.doc.bundle.as_deref().map(|b| (b, e.url.as_str())))
        .collect();
    let mut out: Vec<Asset> = assets
        .iter()
        .filter_map(|source| {
            let bundle = source
                .ancestors()
                .skip(1)
                .find_map(|a| bundles.get(a).map(|url| (a, *url)));
            let output = match bundle {
                Some((dir, url)) => {
                    format!("{url}{}", display_path(source.strip_prefix(dir).ok()?))
                }
                None if source.starts_with("content/imagenes") => {
                    display_path(source.strip_prefix("content").ok()?)
                }
                None => return None,
            };
            Some(Asset {
                source: source.clone(),
                output,
            })
        })
        .collect();
    out.sort();
    out
}

fn link_table(bulletins: &[Entry], pages: &[Entry], assets: &[Asset]) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    for e in bulletins.iter().chain(pages) {
        links.insert(e.doc.link_key.clone(), e.url.clone());
        if let Some(dir) = e.doc.link_key.strip_suffix("/index.md") {
            links.insert(dir.to_string(), e.url.clone());
        }
    }
    links.insert("boletines".into(), urls::archive(1));
    links.insert("datos".into(), "datos/".into());
    links.insert(String::new(), String::new());
    for a in assets {
        if let Ok(key) = a.source.strip_prefix("content") {
            links.insert(display_path(key), a.output.clone());
        }
    }
    links
}

impl SiteModel {
    /// The URL path of an `@/` target (without `#anchor`), trailing slash tolerated.
    pub fn resolve(&self, key: &str) -> Option<&str> {
        let key = key.trim_end_matches('/');
        self.links.get(key).map(String::as_str)
    }

    /// The entry an `@/` target points to, for anchor checks.
    pub fn entry_for(&self, key: &str) -> Option<&Entry> {
        let url = self.resolve(key)?;
        self.bulletins
            .iter()
            .chain(&self.pages)
            .find(|e| e.url == url)
    }

    /// Every `@/` key, for suggestions.
    pub fn link_keys(&self) -> impl Iterator<Item = &str> {
        self.links.keys().map(String::as_str)
    }
}
