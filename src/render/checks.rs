//! Validation that needs the resolved site but no template: the logo and the barrios' photos
//! and descriptions (checked before any page is rendered), the templates bulletins name
//! (once the theme is compiled), and every `@/…#ancla` (once every body's heading ids are
//! known). Each problem is pushed at its place; rendering stops after the bodies when any
//! is an error, so the editor gets them all at once.

use super::body::{AnchorRef, Body};
use super::places;
use super::templates::Templates;
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::model::{Entry, SiteModel};
use std::collections::{HashMap, HashSet};

/// The checks that read only the model: before templates are compiled.
pub fn site(model: &SiteModel, diags: &mut Diagnostics) {
    logo(model, diags);
    barrio_media(model, diags);
    aliases(model, diags);
}

/// An `alias` may not be the address of a page the site makes itself (a list, a tag, the
/// archive): the model already refused those of entries and of other aliases.
fn aliases(model: &SiteModel, diags: &mut Diagnostics) {
    if model.aliases.is_empty() {
        return;
    }
    let made: HashSet<String> = super::plan::plan(model)
        .iter()
        .filter(|j| !matches!(j, super::plan::Job::Alias(_)))
        .map(|j| super::plan::job_path(model, j))
        .collect();
    let entries: Vec<&Entry> = model.bulletins.iter().chain(&model.pages).collect();
    for (path, i) in &model.aliases {
        if !made.contains(path) {
            continue;
        }
        let e = entries[*i];
        let base = &model.config.base_url.path;
        let Some(written) = e
            .doc
            .front
            .aliases
            .iter()
            .find(|a| crate::model::alias_path(&a.value, base).as_ref() == Some(path))
        else {
            continue;
        };
        let problem = Problem::AliasTaken {
            url: format!("/{path}"),
            other: "una página que el propio sitio genera".into(),
        };
        diags.push(Diagnostic::at(&e.doc.file.path, written.position, problem));
    }
}

/// `logo` in `sitio.yaml` must be a file of the site.
fn logo(model: &SiteModel, diags: &mut Diagnostics) {
    if let Some(logo) = &model.config.logo
        && model.file_url(logo).is_none()
    {
        let problem = Problem::ImageNotFound { path: logo.clone() };
        diags.push(Diagnostic::in_file(crate::config::CONFIG_PATH, problem));
    }
}

/// Every barrio photo must exist and be publishable, and every link and image of a
/// barrio's description must resolve: reported at their line of the data.
fn barrio_media(model: &SiteModel, diags: &mut Diagnostics) {
    let records = &model.data.records;
    let Some(file) = records.files.get("barrios") else {
        return;
    };
    for b in &records.barrios {
        let (Some(text), Some(at)) = (&b.description, b.description_position) else {
            continue;
        };
        for p in places::description(model, text).1 {
            diags.push(Diagnostic::at(file, at, p));
        }
    }
    for photo in records.barrios.iter().flat_map(|b| &b.photos) {
        if let Err(p) = model.image(&photo.image.value) {
            diags.push(Diagnostic::at(file, photo.image.position, p));
        }
    }
}

/// The `plantilla` each entry names must exist in the theme.
pub fn templates(entries: &[&Entry], templates: &Templates, diags: &mut Diagnostics) {
    for e in entries {
        if let Some(t) = &e.doc.front.template
            && !templates.has(&t.value)
        {
            diags.push(Diagnostic::at(
                &e.doc.file.path,
                t.position,
                Problem::UnknownTemplate {
                    name: t.value.clone(),
                },
            ));
        }
    }
}

/// Every body's own problems, and every `@/…#ancla` naming a heading of its target.
/// Linear in the links: each target's ids are looked up once per link, not searched.
pub fn bodies(model: &SiteModel, entries: &[&Entry], bodies: &[&Body], diags: &mut Diagnostics) {
    let index: HashMap<*const Entry, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (*e as *const Entry, i))
        .collect();
    let mut ids: Vec<Option<HashSet<&str>>> = vec![None; bodies.len()];
    for (from, body) in entries.iter().zip(bodies) {
        diags.extend(body.diags.clone());
        for a in &body.anchors {
            let Some(target) = anchor_target(model, from, a) else {
                continue;
            };
            let Some(&i) = index.get(&(target as *const Entry)) else {
                continue;
            };
            let known = ids[i]
                .get_or_insert_with(|| bodies[i].heading_ids.iter().map(String::as_str).collect());
            if !known.contains(a.anchor.as_str())
                && !crate::content::heading_ids::is_theme_id(&a.anchor)
            {
                let problem = Problem::BrokenAnchor {
                    target: format!("@/{}", a.target),
                    anchor: a.anchor.clone(),
                };
                diags.push(Diagnostic::at(&from.doc.file.path, a.position, problem));
            }
        }
    }
}

/// The entry an anchor points into: its own page when the link has no target.
fn anchor_target<'m>(model: &'m SiteModel, from: &'m Entry, a: &AnchorRef) -> Option<&'m Entry> {
    if a.target.is_empty() {
        Some(from)
    } else {
        model.entry_for(&a.target)
    }
}
