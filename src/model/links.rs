//! The model's addresses: every published URL unique, `alias` redirects read and checked,
//! the bulletins indexed by key, and the table that resolves `@/` links.

use super::Entry;
use crate::assets::Asset;
use crate::content::Kind;
use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use crate::urls;
use std::collections::BTreeMap;

/// The old addresses entries name in `alias`, as paths relative to the base: refused when
/// one is not a path of this site, or when it is the address of an entry or another alias.
pub(super) fn read_aliases(
    entries: &[&Entry],
    base: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, usize)> {
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

pub(super) fn check_unique_urls<'a>(
    entries: impl Iterator<Item = &'a Entry>,
    diags: &mut Diagnostics,
) {
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

pub(super) fn link_table(
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

/// Tags and years of the published bulletins; tags that slugify alike are one tag.
#[allow(clippy::type_complexity, reason = "two small indexes built together")]
pub(super) fn index_bulletins(
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
