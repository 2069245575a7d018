//! The site model: one sorted value with everything the renderers need — the published
//! documents with their URLs, the assets, and the table that resolves `@/` links. It is
//! built once and read by every renderer; only `images` changes it after, filling in
//! [`SiteModel::pictures`]. A build's documents hold no text: the renderer reads each body
//! again ([`crate::content::reread`]) and frees it once rendered.
//!
//! Drafts and embargoed bulletins are removed here, once, before any renderer sees the
//! collection, so no list, feed or page can leak them.

use crate::assets::{Asset, AssetKind};
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
        now: publishing.now,
        aliases,
        upcoming,
        warnings,
    })
}

/// The names below `content/imagenes/` that `docs`, the logo and the barrios' photos and
/// descriptions may name (see [`crate::content::mentions`]).
fn image_names<'a>(
    docs: impl Iterator<Item = &'a Document>,
    config: &SiteConfig,
    data: &crate::data::Data,
) -> std::collections::HashSet<String> {
    use crate::content::mentions::{image_mentions, names_in};
    let mut mentions: Vec<String> = docs
        .flat_map(|d| d.image_mentions.iter().cloned())
        .collect();
    let mut texts: Vec<&str> = config.logo.iter().map(String::as_str).collect();
    for b in &data.records.barrios {
        texts.extend(b.photos.iter().map(|p| p.image.value.as_str()));
        texts.extend(b.description.as_deref());
    }
    for t in texts {
        mentions.extend(image_mentions(t));
    }
    mentions.iter().flat_map(|m| names_in(m)).collect()
}

/// The assets to publish: every file of a bundle (its bulletin is published), and the files
/// of `content/imagenes/` that a published page names. The others are not published; those
/// nothing names at all get a warning (one named only by a draft or an embargoed bulletin
/// waits for it silently).
fn only_named(
    assets: Vec<Asset>,
    named: &std::collections::HashSet<String>,
    named_anywhere: &std::collections::HashSet<String>,
    warnings: &mut Diagnostics,
) -> Vec<Asset> {
    assets
        .into_iter()
        .filter(|a| {
            let Ok(name) = a.source.strip_prefix("content/imagenes") else {
                return true;
            };
            let name = crate::content::composed(display_path(name));
            if named.contains(&name) {
                return true;
            }
            if !named_anywhere.contains(&name) {
                warnings.push(Diagnostic::in_file(
                    &a.source,
                    Problem::ImageNotPublished {
                        reason: "ninguna página la usa: enlácela o muéstrela desde un boletín \
                                 o una página, o bórrela de `content/imagenes/`"
                            .into(),
                    },
                ));
            }
            false
        })
        .collect()
}

/// Tags and years of the published bulletins; tags that slugify alike are one tag.
#[allow(clippy::type_complexity, reason = "two small indexes built together")]
fn index_bulletins(
    bulletins: &[Entry],
) -> (
    BTreeMap<String, (String, Vec<usize>)>,
    Vec<(i16, Vec<usize>)>,
) {
    let mut tags: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    let mut years: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
    // A site has tens of tags used thousands of times: each spelling is slugified once.
    let mut slugs: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (i, e) in bulletins.iter().enumerate() {
        for tag in &e.doc.front.tags {
            let slug = slugs
                .entry(tag.as_str())
                .or_insert_with(|| crate::content::slug::slugify(tag));
            if slug.is_empty() {
                continue;
            }
            let entry = match tags.get_mut(slug.as_str()) {
                Some(entry) => entry,
                None => tags
                    .entry(slug.clone())
                    .or_insert((tag.clone(), Vec::new())),
            };
            // Bulletins come in order, so a bulletin already listed (two spellings of one
            // tag) is the last one.
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
        }
        if let Some(d) = e.doc.front.date {
            years.entry(d.year()).or_default().push(i);
        }
    }
    (tags, years.into_iter().rev().collect())
}

/// The old addresses entries name in `alias`, as paths relative to the base: refused when
/// one is not a path of this site, or when it is the address of an entry or another alias.
fn read_aliases(entries: &[&Entry], base: &str, diags: &mut Diagnostics) -> Vec<(String, usize)> {
    let mut taken: BTreeMap<String, String> = entries
        .iter()
        .map(|e| {
            (
                e.url.clone(),
                format!("`{}`", display_path(&e.doc.file.path)),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for alias in &e.doc.front.aliases {
            let Some(path) = alias_path(&alias.value, base) else {
                let problem = Problem::InvalidAlias {
                    value: alias.value.clone(),
                };
                diags.push(Diagnostic::at(&e.doc.file.path, alias.position, problem));
                continue;
            };
            let here = format!("`{}`", display_path(&e.doc.file.path));
            if let Some(other) = taken.insert(path.clone(), here) {
                let problem = Problem::AliasTaken {
                    url: format!("/{path}"),
                    other,
                };
                diags.push(Diagnostic::at(&e.doc.file.path, alias.position, problem));
                continue;
            }
            out.push((path, i));
        }
    }
    out
}

/// `/boletines/viejo/` (or with the base path in front) as `boletines/viejo/`; `None` for
/// anything but a plain path of this site (no scheme, no `..`, URL-safe characters).
pub fn alias_path(written: &str, base: &str) -> Option<String> {
    let path = written
        .strip_prefix(base)
        .or_else(|| written.strip_prefix('/'))?;
    let safe = path
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_./".contains(&b));
    let segments_ok = path
        .trim_end_matches('/')
        .split('/')
        .all(|s| !s.is_empty() && s != "." && s != "..");
    if !safe || !segments_ok || path.is_empty() {
        return None;
    }
    Some(if path.ends_with('/') || path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}/")
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
            let (kind, new_ext) = AssetKind::of(source);
            let output = match new_ext.zip(output.rsplit_once('.')) {
                Some((ext, (stem, _))) => format!("{stem}.{ext}"),
                None => output,
            };
            Some(Asset {
                source: source.clone(),
                output,
                kind,
            })
        })
        .collect();
    out.sort();
    out
}

/// Two files must not be published at one path, counting the narrower versions of images
/// (`foto-480w.jpg`) and WebP photos published as `.jpg`.
fn check_asset_paths(assets: &[Asset], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &Asset> = BTreeMap::new();
    for a in assets {
        let mut paths = vec![a.output.clone()];
        if matches!(a.kind, AssetKind::Image(_)) {
            paths.extend(
                crate::assets::WIDTHS
                    .iter()
                    .map(|w| crate::assets::variant_path(&a.output, *w)),
            );
        }
        for p in paths {
            if let Some(other) = seen.insert(p.clone(), a) {
                diags.push(Diagnostic::in_file(
                    &a.source,
                    Problem::AssetPathTaken {
                        url: format!("/{p}"),
                        other: display_path(&other.source),
                    },
                ));
            }
        }
    }
}

fn link_table(
    bulletins: &[Entry],
    pages: &[Entry],
    assets: &[Asset],
    data: &crate::data::Data,
) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    for e in bulletins.iter().chain(pages) {
        links.insert(e.doc.link_key.clone(), e.url.clone());
        if let Some(dir) = e.doc.link_key.strip_suffix("/index.md") {
            links.insert(dir.to_string(), e.url.clone());
        }
    }
    links.insert("boletines".into(), urls::archive(1));
    links.insert("datos".into(), "datos/".into());
    if !data.records.barrios.is_empty() {
        links.insert("barrios".into(), "barrios/".into());
    }
    if !data.records.territories.is_empty() {
        links.insert("territorios".into(), "territorios/".into());
    }
    for b in &data.records.barrios {
        links.insert(
            format!("barrios/{}", b.id.value),
            format!("barrios/{}/", b.id.value),
        );
    }
    for t in &data.records.territories {
        links.insert(
            format!("territorios/{}", t.id.value),
            format!("territorios/{}/", t.id.value),
        );
    }
    links.insert("etiquetas".into(), "etiquetas/".into());
    links.insert("archivo".into(), "archivo/".into());
    links.insert("buscar".into(), "buscar/".into());
    links.insert(String::new(), String::new());
    for a in assets {
        if let Ok(key) = a.source.strip_prefix("content") {
            links.insert(
                crate::content::composed(display_path(key)),
                a.output.clone(),
            );
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

/// The size an SVG declares on its root element: `width`/`height` in pixels, else its
/// `viewBox`.
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let pattern = format!(" {name}=\"");
        let from = tag.find(&pattern)? + pattern.len();
        Some(&tag[from..from + tag[from..].find('"')?])
    };
    let pixels = |v: &str| {
        v.trim()
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
    };
    if let (Some(w), Some(h)) = (
        attr("width").and_then(pixels),
        attr("height").and_then(pixels),
    ) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let view: Vec<f64> = attr("viewBox")?
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    match view[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::svg_size;

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size("<svg xmlns=\"x\" width=\"1200\" height=\"630px\">"),
            Some((1200, 630))
        );
        assert_eq!(
            svg_size("<?xml?><svg viewBox=\"0 0 360 1145\" role=\"img\">"),
            Some((360, 1145))
        );
        assert_eq!(svg_size("<svg width=\"100%\">"), None);
    }
}
