//! The site model: one sorted value with everything the renderers need — the published
//! documents with their URLs, the assets, and the table that resolves `@/` links. It is
//! built once and read by every renderer; only `images` changes it after, filling in
//! [`SiteModel::pictures`]. A build's documents hold no text: the renderer reads each body
//! again ([`crate::content::reread`]) and frees it once rendered.
//!
//! Drafts and embargoed bulletins are removed here, once, before any renderer sees the
//! collection, so no list, feed or page can leak them.

mod assets;
mod links;

pub use links::alias_path;

use crate::assets::Asset;
use crate::config::SiteConfig;
use crate::content::{Document, Kind};
use crate::diag::{Diagnostics, Problem};
use crate::urls;
use assets::{check_asset_paths, image_names, only_named, place_assets, svg_size};
use links::{check_unique_urls, index_bulletins, link_table, read_aliases};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A published document and its URL path (relative to the base).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The document.
    /// Shared with `serve`'s cache, so a rebuild copies no document.
    pub doc: std::sync::Arc<Document>,
    /// URL path relative to the base, e.g. `boletines/avance/`.
    pub url: String,
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
    /// Tags by slug: the name as first written and the bulletins (indices, newest first).
    pub tags: BTreeMap<String, (String, Vec<usize>)>,
    /// Years, newest first, with their bulletins (indices, newest first).
    pub years: Vec<(i16, Vec<usize>)>,
    /// Processed images by output path, filled by [`crate::images`] before rendering.
    pub pictures: crate::assets::Pictures,
    /// The bytes the images step published, by output path (every version of every photo,
    /// each cleaned SVG and GIF), filled with [`SiteModel::pictures`]: what the PDF prints,
    /// never the original files.
    pub published: BTreeMap<String, std::sync::Arc<Vec<u8>>>,
    /// The PDFs earlier builds typeset, opened by [`SiteModel::open_pdf_cache`] (`None`:
    /// every PDF is typeset).
    pub pdf_cache: Option<crate::pdf_cache::PdfCache>,
    /// Warnings about the site as a whole (images nobody uses), for the pipeline to report.
    pub warnings: Diagnostics,
    /// The instant the site is built for: a bulletin whose embargo ends later is shown only
    /// by `serve --futuros`, with a notice.
    pub now: jiff::Timestamp,
    /// Old addresses (`alias`) as paths relative to the base (`boletines/viejo/`), each with
    /// the entry (bulletins, then pages) it sends readers to.
    pub aliases: Vec<(String, usize)>,
    /// Embargoed bulletins announced (`anunciar: true`): title and planned instant, soonest
    /// first. Nothing else of them is in the model.
    pub upcoming: Vec<(String, jiff::Timestamp)>,
}

/// What decides which documents are published.
#[derive(Debug, Clone, Copy)]
pub struct Publishing {
    /// The instant embargoes are compared with.
    pub now: jiff::Timestamp,
    /// Include drafts (`--drafts`, `serve`).
    pub drafts: bool,
    /// Include embargoed bulletins (`serve --futuros`).
    pub future: bool,
}

/// True when a document may appear anywhere in the output.
pub fn is_published(doc: &Document, publishing: &Publishing) -> bool {
    (!doc.front.draft || publishing.drafts)
        && (publishing.future || doc.front.publish_from.is_none_or(|t| t <= publishing.now))
}

/// The release calendar: bulletins under embargo that ask to be announced, by planned
/// instant (then title). Drafts are never announced.
fn announced(
    docs: &[std::sync::Arc<Document>],
    publishing: &Publishing,
) -> Vec<(String, jiff::Timestamp)> {
    let mut out: Vec<(String, jiff::Timestamp)> = docs
        .iter()
        .filter(|d| d.kind == Kind::Bulletin && d.front.announce && !d.front.draft)
        .filter(|d| !is_published(d, publishing))
        .filter_map(|d| Some((d.front.title.clone(), d.front.publish_from?)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Builds the model: filters, sorts, assigns URLs and checks that no two share one.
pub fn build(
    root: &Path,
    config: SiteConfig,
    data: crate::data::Data,
    docs: Vec<std::sync::Arc<Document>>,
    assets: &[PathBuf],
    publishing: &Publishing,
) -> Result<SiteModel, Diagnostics> {
    use rayon::prelude::*;
    let (mut diags, mut url_diags) = (Diagnostics::new(), Diagnostics::new());
    let upcoming = announced(&docs, publishing);
    // Before drafts and embargoed bulletins are dropped: an image only they use is not
    // published, but is not "unused" either.
    let named_anywhere = image_names(docs.iter().map(|d| &**d), &config, &data);
    // The steps below read the entries independently; on a large site each takes
    // milliseconds while every other core would wait, so they run side by side.
    let (mut bulletins, mut pages): (Vec<Entry>, Vec<Entry>) = docs
        .into_par_iter()
        .filter(|d| is_published(d, publishing))
        .map(|doc| {
            let url = match doc.kind {
                Kind::Bulletin => urls::bulletin(&doc.slug),
                Kind::Page => urls::page(&doc.slug),
            };
            Entry { doc, url }
        })
        .partition(|e| e.doc.kind == Kind::Bulletin);
    bulletins.par_sort_by(|a, b| {
        b.doc
            .front
            .date
            .cmp(&a.doc.front.date)
            .then(a.doc.slug.cmp(&b.doc.slug))
    });
    pages.sort_by(|a, b| a.doc.slug.cmp(&b.doc.slug));
    let named = image_names(
        bulletins.iter().chain(&pages).map(|e| &*e.doc),
        &config,
        &data,
    );
    let mut warnings = Diagnostics::new();
    let ((assets, links), ((), (tags, years))) = rayon::join(
        || {
            let assets = place_assets(assets, &bulletins);
            let assets = only_named(assets, &named, &named_anywhere, &mut warnings);
            check_asset_paths(&assets, &mut diags);
            let links = link_table(&bulletins, &pages, &assets, &data);
            (assets, links)
        },
        || {
            rayon::join(
                || check_unique_urls(bulletins.iter().chain(pages.iter()), &mut url_diags),
                || index_bulletins(&bulletins),
            )
        },
    );
    diags.extend(url_diags);
    let entries: Vec<&Entry> = bulletins.iter().chain(&pages).collect();
    let aliases = if entries.iter().any(|e| !e.doc.front.aliases.is_empty()) {
        read_aliases(&entries, &config.base_url.path, &mut diags)
    } else {
        Vec::new()
    };
    drop(entries);
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
        tags,
        years,
        pictures: crate::assets::Pictures::new(),
        published: BTreeMap::new(),
        pdf_cache: None,
        now: publishing.now,
        aliases,
        upcoming,
        warnings,
    })
}

impl SiteModel {
    /// Opens the kept PDFs of the output folder `out` ([`crate::pdf_cache`]), written to
    /// only by a build that writes `out` (`writable`).
    pub fn open_pdf_cache(&mut self, out: &std::path::Path, writable: bool) {
        let slugs = self.bulletins.iter().map(|e| e.doc.slug.as_str());
        let cache = crate::pdf_cache::PdfCache::open(&self.root, out, slugs, writable);
        self.pdf_cache = Some(cache);
    }

    /// How many PDFs this build typeset and how many it reused from earlier builds.
    pub fn pdf_counts(&self) -> (usize, usize) {
        self.pdf_cache.as_ref().map_or((0, 0), |c| c.counts())
    }

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

    /// Width and height of an image published at `url_path` (relative to the base), read
    /// from the file's header; `None` when unknown.
    pub fn image_size(&self, url_path: &str) -> Option<(u32, u32)> {
        if let Some(found) = self.pictures.get(url_path) {
            return found.as_ref().ok().map(crate::assets::Picture::size);
        }
        let asset = self.assets.iter().find(|a| a.output == url_path)?;
        let path = self.root.join(&asset.source);
        if asset
            .source
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        {
            return svg_size(&std::fs::read_to_string(path).ok()?);
        }
        let size = imagesize::size(path).ok()?;
        Some((
            u32::try_from(size.width).ok()?,
            u32::try_from(size.height).ok()?,
        ))
    }

    /// The processed image published at `url_path` (relative to the base): its versions,
    /// or why it cannot be published; `None` for files copied as they are.
    pub fn picture(&self, url_path: &str) -> Option<&Result<crate::assets::Picture, String>> {
        self.pictures.get(url_path)
    }

    /// The URL path (relative to the base) of a file published for `path` (relative to
    /// `content/`, with or without `@/` or `/`); `None` for pages, sections and unknown paths.
    pub fn file_url(&self, path: &str) -> Option<&str> {
        let clean = path.trim_start_matches("@/").trim_start_matches('/');
        self.resolve(clean)
            .filter(|url| !url.is_empty() && !url.ends_with('/'))
    }

    /// How pages show the image written as `path` (relative to `content/`), or the problem to
    /// report where it is written: missing, or not publishable.
    pub fn image(&self, path: &str) -> Result<crate::assets::ImageRef, Problem> {
        let url = self.file_url(path).ok_or_else(|| Problem::ImageNotFound {
            path: path.to_string(),
        })?;
        self.image_ref(url).map_err(|reason| Problem::ImageInvalid {
            path: path.to_string(),
            reason,
        })
    }

    /// How pages show the image published at `url_path` (relative to the base), or why it
    /// cannot be published.
    pub fn image_ref(&self, url_path: &str) -> Result<crate::assets::ImageRef, String> {
        let base = &self.config.base_url.path;
        let src = format!("{base}{url_path}");
        match self.picture(url_path) {
            Some(Err(reason)) => Err(reason.clone()),
            Some(Ok(p)) => Ok(crate::assets::ImageRef {
                src,
                srcset: p.srcset(base),
                size: Some(p.size()),
            }),
            None => Ok(crate::assets::ImageRef {
                src,
                srcset: None,
                size: self.image_size(url_path),
            }),
        }
    }

    /// Every `@/` key, for suggestions.
    pub fn link_keys(&self) -> impl Iterator<Item = &str> {
        self.links.keys().map(String::as_str)
    }
}
