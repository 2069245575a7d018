//! Rendering: plans every output file from the model, renders bodies and pages in parallel
//! (rayon), keeps every result, and returns the files sorted by path with all problems.
//!
//! Nothing here touches the disk except reading assets; writing is `output`'s job.

mod body;
pub mod cache;
pub mod charts;
mod entries;
mod feeds;
mod figures;
pub mod map;
pub mod opendata;
mod pages;
mod places;
mod plan;
mod search;
mod site;
mod tables;
mod templates;
pub mod views;

use crate::diag::{Diagnostic, Diagnostics, Problem, suggest};
use crate::model::{Entry, SiteModel};
use crate::theme::Theme;
use body::{AnchorRef, BodyHooks};
use pages::{Site, plan};
use rayon::prelude::*;
use std::sync::Mutex;
use templates::Templates;
use views::BodyInfo;

pub use crate::output::OutputFile;

/// What rendering produced.
#[derive(Debug)]
pub struct Rendered {
    /// Every file not yet written, sorted by path.
    pub files: Vec<OutputFile>,
    /// Paths of the pages already written to the `sink`.
    pub written: Vec<String>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// External links of every body, for `check --externos`.
    pub external_links: Vec<crate::links::ExternalLink>,
}

/// Renders the whole site in memory.
/// `drafts` marks a preview build (`--drafts`): drafts get a banner and `noindex`.
///
/// With a `cache`, bodies and files whose inputs are unchanged since the cache's previous
/// build are reused instead of rendered (the caller calls [`cache::Cache::finish`]).
///
/// With a `sink`, each page is written to it as soon as it is rendered instead of being kept
/// (`build`: a large site is never whole in memory); its path goes to `written`.
///
/// With `sources` (the entries' files taken out of the model, in entry order), each text is
/// freed as soon as its body is rendered.
pub fn render_site(
    model: &SiteModel,
    theme: &Theme,
    drafts: bool,
    cache: Option<&cache::Cache>,
    sink: Option<&crate::output::Staging>,
    sources: Option<Vec<crate::source::SourceFile>>,
) -> Result<Rendered, Diagnostics> {
    let base = &model.config.base_url.path;
    let datasets = opendata::views(&model.data, base);
    // Compiling the templates is one thread's work: the paths links may point to are
    // listed beside it (each some milliseconds at 10,000 bulletins).
    let (templates, known_paths) = rayon::join(
        || compile_templates(model, theme, &datasets),
        || pages::known_paths(model, theme),
    );
    let templates = templates?;
    crate::phases::mark("plantillas");
    let mut diags = Diagnostics::new();
    let menu = resolve_menu(model, &mut diags);
    let entries: Vec<&Entry> = model.bulletins.iter().chain(&model.pages).collect();
    let body_fingerprint = cache.map_or(0, |_| {
        cache::site_fingerprint(model, theme, &known_paths, drafts)
    });
    // Each entry's own inputs (text, file, URL), hashed once: bodies, pages and the search
    // index key on them.
    let entry_hashes: Vec<u64> = match cache {
        Some(_) => entries
            .par_iter()
            .map(|e| match e.doc.source_hash {
                0 => cache::key(
                    0,
                    &[&e.doc.file.text, &e.doc.file.path.to_string_lossy(), &e.url],
                ),
                read => cache::key(read, &[&e.url]),
            })
            .collect(),
        None => Vec::new(),
    };
    let fingerprint = cache.map_or(0, |_| cache::pages_fingerprint(model, body_fingerprint));
    let no_places = places::Places::default();
    let keep_html = feeds::shown_in_full(model);
    // Bodies, entry pages and search documents in one pass; the lists come after it.
    let sitio = views::SiteValues::new(model, &menu);
    let first = Site {
        model,
        templates: &templates,
        menu: &menu,
        sitio: &sitio,
        entries: &entries,
        infos: &[],
        cards: &[],
        datasets: &datasets,
        drafts,
        cache,
        fingerprint,
        entry_hashes: &entry_hashes,
        places: &no_places,
        search_prefixes: &[],
    };
    let pass = entries::Pass {
        sources: sources.map(|all| all.into_iter().map(|f| Mutex::new(Some(f))).collect()),
        site: &first,
        known_paths: &known_paths,
        body_fingerprint,
        keep_html: &keep_html,
        sink,
    };
    let (done, entry_pages) = pass.run();
    crate::phases::mark("cuerpos y páginas de boletines");
    // Taken apart by moving, not cloning: a clone touches each entry's shared count, ten
    // thousand cache misses on one thread while the other waits.
    let n = done.len();
    let (mut body_results, mut cards, mut docs) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for d in done {
        body_results.push(d.body);
        cards.push(d.card);
        docs.push(d.search);
    }
    let bodies: Vec<&cache::BodyResult> = body_results.iter().map(|b| &**b).collect();
    for (i, body) in bodies.iter().enumerate() {
        diags.extend(body.3.clone());
        check_anchors(model, entries[i], &body.1, &bodies, &entries, &mut diags);
    }
    check_templates(&entries, &templates, &mut diags);
    if let Some(logo) = &model.config.logo
        && model.file_url(logo).is_none()
    {
        let problem = Problem::ImageNotFound { path: logo.clone() };
        diags.push(Diagnostic::in_file(crate::config::CONFIG_PATH, problem));
    }
    check_barrio_media(model, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let infos: Vec<&BodyInfo> = bodies.iter().map(|b| &b.0).collect();
    // The index reads every entry and the data; `serve` patches the previous one.
    docs.extend(
        search::place_docs(model)
            .into_iter()
            .map(|d| std::sync::Arc::new(search::Indexed::new(d))),
    );
    let site = Site {
        infos: &infos,
        cards: &cards,
        ..first
    };
    let jobs = plan(model);
    // The longest jobs first, so that no thread is left with one at the end (the sitemap
    // alone takes as long as a hundred tag pages). The search page waits for the index.
    let mut order: Vec<&pages::Job> = jobs
        .iter()
        .filter(|j| !matches!(j, pages::Job::Entry(_) | pages::Job::Search))
        .collect();
    order.sort_by_key(|j| match j {
        pages::Job::Sitemap => 0,
        pages::Job::Year(_) => 1,
        pages::Job::Territory(_) | pages::Job::Barrios | pages::Job::Territories => 2,
        pages::Job::TerritoryFeed(_) | pages::Job::Feed | pages::Job::Home => 3,
        _ => 4,
    });
    let keep = |file: OutputFile| write_or_keep(sink, file);
    let run = |site: &Site, j: &pages::Job| keep(site.run(j)?);
    // Merging the index is one thread's work: it runs beside the lists, not before them.
    // The back-links of places (a pass over every entry, its memory cold by now) are made
    // on the lists' side too.
    let ((search_files, search_prefixes), (places, mut results)) = rayon::join(
        || {
            let (files, prefixes, state) =
                search::index(docs, cache.and_then(cache::Cache::take_search));
            // Without a cache, the merged index is not needed past this point: free it now
            // (it is tens of megabytes at 10,000 bulletins).
            match cache {
                Some(c) => c.store_search(state),
                None => drop(state),
            }
            crate::phases::mark("índice de búsqueda");
            // Its files are written by this thread while the lists are still being made.
            (files.into_iter().map(keep).collect::<Vec<_>>(), prefixes)
        },
        || {
            let places = places::index(model, &entries, &infos);
            let site = Site {
                places: &places,
                ..site
            };
            // One task per job, longest first: split no further than rayon's quarters, the
            // last jobs were one core's alone.
            let results = order
                .par_iter()
                .with_max_len(1)
                .map(|j| run(&site, j))
                .collect::<Vec<_>>();
            (places, results)
        },
    );
    let search_site = Site {
        places: &places,
        search_prefixes: &search_prefixes,
        ..site
    };
    results.push(run(&search_site, &pages::Job::Search));
    crate::phases::mark("listas, canales y lugares");
    let mut files = Vec::with_capacity(results.len() + theme.statics.len());
    let mut written = Vec::new();
    for r in entry_pages.into_iter().chain(results).chain(search_files) {
        match r {
            Ok(Ok(f)) => files.push(f),
            Ok(Err(path)) => written.push(path),
            Err(d) => diags.push(d),
        }
    }
    for info in &infos {
        for (path, bytes) in &info.extra_files {
            files.push(OutputFile {
                path: path.clone(),
                bytes: bytes.clone().into(),
            });
        }
    }
    copy_static(model, theme, &mut files, &mut diags);
    for (view, ds) in datasets.iter().zip(model.data.datasets.values()) {
        files.push(OutputFile {
            path: format!("datos/{}.json", ds.id),
            bytes: opendata::json(view).into(),
        });
        files.push(OutputFile {
            path: format!("datos/{}.csv", ds.id),
            bytes: opendata::csv(ds).into(),
        });
    }
    if diags.has_errors() {
        return Err(diags);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let external_links = infos
        .iter()
        .flat_map(|i| i.external_links.iter().cloned())
        .collect();
    crate::threads::drop_later((body_results, cards));
    Ok(Rendered {
        files,
        written,
        warnings: diags.warnings(),
        external_links,
    })
}

/// Every barrio photo must exist and be publishable, and every link and image of a
/// barrio's description must resolve: reported at their line of the data.
fn check_barrio_media(model: &SiteModel, diags: &mut Diagnostics) {
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

/// The theme's templates, compiled with the site's data as their globals (`datos`,
/// `agregados`) and, when a template calls them, the data functions.
fn compile_templates(
    model: &SiteModel,
    theme: &Theme,
    datasets: &[opendata::DatasetView],
) -> Result<Templates, Diagnostic> {
    let by_id: serde_json::Map<String, serde_json::Value> = datasets
        .iter()
        .map(|d| {
            (
                d.id().to_string(),
                serde_json::to_value(d).unwrap_or_default(),
            )
        })
        .collect();
    let globals = [
        ("datos", serde_json::Value::Object(by_id)),
        (
            "agregados",
            serde_json::to_value(&model.aggregates).unwrap_or_default(),
        ),
    ];
    let uses_functions = theme.templates.values().any(|(text, _)| {
        text.contains("cifra(") || text.contains("grafico(") || text.contains("tabla(")
    });
    let functions_data = uses_functions.then(|| {
        (
            std::sync::Arc::new(model.data.clone()),
            model.config.base_url.path.clone(),
        )
    });
    Templates::new(theme, model.config.numbers, &globals, functions_data)
}

/// The menu as (title, href), with `@/` targets resolved.
fn resolve_menu(model: &SiteModel, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let base = &model.config.base_url.path;
    model
        .config
        .menu
        .iter()
        .map(|item| {
            let href = match item.link.strip_prefix("@/") {
                Some(target) => match model.resolve(target.split('#').next().unwrap_or_default()) {
                    Some(url) => {
                        let anchor = target.split_once('#').map(|(_, a)| format!("#{a}"));
                        format!("{base}{url}{}", anchor.unwrap_or_default())
                    }
                    None => {
                        let suggestion =
                            suggest(target, model.link_keys()).map(|s| format!("@/{s}"));
                        diags.push(Diagnostic::at(
                            crate::config::CONFIG_PATH,
                            item.position,
                            Problem::BrokenInternalLink {
                                target: item.link.clone(),
                                suggestion,
                            },
                        ));
                        String::new()
                    }
                },
                None => item.link.clone(),
            };
            (item.title.clone(), href)
        })
        .collect()
}

/// A file written to the `sink` as soon as it is made (only its path is kept: `Err`), or
/// kept whole (`Ok`) when there is no sink.
fn write_or_keep(sink: Option<&crate::output::Staging>, file: OutputFile) -> entries::PageResult {
    match sink {
        Some(staging) => staging.write(&file).map(|()| Err(file.path)),
        None => Ok(Ok(file)),
    }
}

/// Renders an entry's body from `file`, its source (the document's own, or the one taken
/// out of it for this pass: see [`crate::model::SiteModel::take_sources`]). External links
/// are listed with their positions only when `links` (finding a line costs a pass over the
/// file, and only `check --externos` reads them).
fn render_body(
    model: &SiteModel,
    templates: &Templates,
    e: &Entry,
    file: &crate::source::SourceFile,
    known_paths: &std::collections::BTreeSet<String>,
    links: bool,
) -> (BodyInfo, Vec<AnchorRef>, Vec<String>, Diagnostics) {
    let doc = &e.doc;
    let mut hooks = BodyHooks {
        model,
        templates,
        doc,
        file,
        anchors: Vec::new(),
        known_paths,
        external: Vec::new(),
        extra_files: Vec::new(),
        linked: Vec::new(),
    };
    let mut diags = Diagnostics::new();
    let cover = doc
        .front
        .cover
        .as_ref()
        .and_then(|c| match hooks.image_ref(&c.image.value) {
            Ok(found) => Some(found),
            Err(p) => {
                diags.push(Diagnostic::at(&doc.file.path, c.image.position, p));
                None
            }
        });
    let body = crate::content::body_of(file, doc.body_offset);
    let (rendered, problems) = crate::content::markdown::render(body, &mut hooks);
    for (offset, problem) in problems {
        diags.push(file.error_at(doc.body_offset + offset, problem));
    }
    let summary = doc
        .front
        .summary
        .clone()
        .unwrap_or(rendered.first_paragraph);
    let external_links = hooks
        .external
        .iter()
        .filter(|_| links)
        .map(|(offset, url)| crate::links::ExternalLink {
            file: doc.file.path.clone(),
            position: file.position(doc.body_offset + offset),
            url: url.clone(),
        })
        .collect();
    let info = BodyInfo {
        html: rendered.html,
        summary,
        words: rendered.words,
        cover,
        external_links,
        extra_files: std::mem::take(&mut hooks.extra_files),
        linked: std::mem::take(&mut hooks.linked),
    };
    (info, hooks.anchors, rendered.heading_ids, diags)
}

/// Every `@/…#ancla` must name a heading of its target.
fn check_anchors(
    model: &SiteModel,
    from: &Entry,
    anchors: &[AnchorRef],
    bodies: &[&cache::BodyResult],
    entries: &[&Entry],
    diags: &mut Diagnostics,
) {
    for a in anchors {
        let target = if a.target.is_empty() {
            Some(from)
        } else {
            model.entry_for(&a.target)
        };
        let Some(target) = target else { continue };
        let Some(i) = entries.iter().position(|e| std::ptr::eq(*e, target)) else {
            continue;
        };
        let ids = &bodies[i].2;
        if !ids.contains(&a.anchor) && !crate::content::heading_ids::is_theme_id(&a.anchor) {
            let problem = Problem::BrokenAnchor {
                target: format!("@/{}", a.target),
                anchor: a.anchor.clone(),
            };
            diags.push(Diagnostic::at(&from.doc.file.path, a.position, problem));
        }
    }
}

fn check_templates(entries: &[&Entry], templates: &Templates, diags: &mut Diagnostics) {
    for e in entries {
        if let Some(t) = &e.doc.front.template
            && !templates.has(&t.value)
        {
            diags.push(crate::diag::Diagnostic::at(
                &e.doc.file.path,
                t.position,
                Problem::UnknownTemplate {
                    name: t.value.clone(),
                },
            ));
        }
    }
}

/// Theme static files and site assets, read into memory.
fn copy_static(
    model: &SiteModel,
    theme: &Theme,
    files: &mut Vec<OutputFile>,
    diags: &mut Diagnostics,
) {
    for (path, bytes) in &theme.statics {
        files.push(OutputFile {
            path: path.clone(),
            bytes: bytes.clone().into(),
        });
    }
    let root = &model.root;
    for a in &model.assets {
        if a.kind != crate::assets::AssetKind::File {
            continue; // processed by `images`
        }
        match std::fs::read(root.join(&a.source)) {
            Ok(bytes) => files.push(OutputFile {
                path: a.output.clone(),
                bytes: bytes.into(),
            }),
            Err(e) => diags.push(Diagnostic::in_file(
                &a.source,
                Problem::Io {
                    detail: e.to_string(),
                },
            )),
        }
    }
}
