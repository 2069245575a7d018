//! Rendering: every output file from the model, in five steps that [`render_site`] calls in
//! order — the setup every job reads (templates, menu, paths, cache keys: `Setup`), the
//! pass over bulletins and pages (`entries`: bodies, their pages, cards, search documents),
//! the checks that need every body (`checks`), the lists, feeds and search index, and the
//! collection of every file, sorted by path, with all problems.
//!
//! Nothing here touches the disk except reading assets and, in `build`, writing each page to
//! the staging folder as it is made; the rest is `output`'s job.

mod body;
pub mod cache;
pub mod charts;
mod checks;
pub mod datasets;
mod entries;
mod feeds;
mod figures;
pub mod map;
mod map_paths;
mod ods;
pub mod opendata;
mod pages;
pub mod pdf;
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
use body::Body;
use pages::{Site, plan};
use rayon::prelude::*;
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

/// Renders the whole site: setup, bodies, checks, lists, files — one call per step.
/// `drafts` marks a preview build (`--drafts`): drafts get a banner and `noindex`.
///
/// With a `cache`, bodies and files whose inputs are unchanged since the cache's previous
/// build are reused instead of rendered (the caller calls [`cache::Cache::finish`]).
///
/// With a `sink`, each page is written to it as soon as it is rendered instead of being kept
/// (`build`: a large site is never whole in memory); its path goes to `written`.
///
/// A build's documents keep no text (see [`crate::content::reread`]): each body is read,
/// rendered and freed in the entries pass.
pub fn render_site(
    model: &SiteModel,
    theme: &Theme,
    drafts: bool,
    cache: Option<&cache::Cache>,
    sink: Option<&crate::output::Staging>,
) -> Result<Rendered, Diagnostics> {
    let mut diags = Diagnostics::new();
    checks::site(model, &mut diags);
    let setup = Setup::new(model, theme, drafts, cache, &mut diags)?;
    let (mut bodies, mut pages) = Bodies::render(&setup, sink);
    checks::bodies(model, &setup.entries, &bodies.refs(), &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    // The search documents go to the merge by value, which frees each once it is merged.
    let search = std::mem::take(&mut bodies.search);
    let gathered = std::mem::take(&mut bodies.gathered);
    pages.extend(lists(&setup, &bodies, (search, gathered), sink));
    let (files, written) = collect(&setup, theme, &bodies, pages, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let external_links = bodies
        .infos()
        .iter()
        .flat_map(|i| i.external_links.iter().cloned())
        .collect();
    crate::threads::drop_later((bodies.results, bodies.cards));
    Ok(Rendered {
        files,
        written,
        warnings: diags.warnings(),
        external_links,
    })
}

/// What every job reads, made once before any page is rendered.
struct Setup<'m> {
    model: &'m SiteModel,
    templates: Templates,
    /// Every path the site will have, for checking links.
    known_paths: std::collections::BTreeSet<String>,
    menu: Vec<(String, String)>,
    sitio: views::SiteValues,
    /// Bulletins, then pages.
    entries: Vec<&'m Entry>,
    datasets: Vec<opendata::DatasetView>,
    /// The datasets' downloads (`datasets::downloads`).
    downloads: Vec<OutputFile>,
    /// Bulletins whose HTML a feed shows.
    keep_html: Vec<bool>,
    drafts: bool,
    cache: Option<&'m cache::Cache>,
    keys: Keys,
    /// Before the lists are made, no entry has back-links.
    no_places: places::Places,
}

/// The cache keys' shared parts (zero and empty without a cache).
struct Keys {
    /// What every body reads besides its own text.
    body: u64,
    /// What every page reads besides its own entry.
    pages: u64,
    /// Each entry's own inputs (text, file, URL), hashed once: bodies, pages and the search
    /// index key on them.
    entries: Vec<u64>,
}

impl<'m> Setup<'m> {
    /// Compiles the templates (beside them, on the other thread, the paths links may point
    /// to: each some milliseconds at 10,000 bulletins), resolves the menu and the keys.
    fn new(
        model: &'m SiteModel,
        theme: &'m Theme,
        drafts: bool,
        cache: Option<&'m cache::Cache>,
        diags: &mut Diagnostics,
    ) -> Result<Self, Diagnostics> {
        let datasets = opendata::views(&model.data, &model.config.base_url.path);
        let (templates, known_paths) = rayon::join(
            || compile_templates(model, theme, &datasets),
            || pages::known_paths(model, theme),
        );
        let templates = templates.map_err(|d| {
            let mut all = std::mem::take(diags);
            all.push(d);
            all
        })?;
        crate::phases::mark("plantillas");
        let menu = resolve_menu(model, diags);
        let entries: Vec<&Entry> = model.bulletins.iter().chain(&model.pages).collect();
        checks::templates(&entries, &templates, diags);
        let keys = Keys::new(model, theme, &known_paths, &entries, drafts, cache);
        let downloads = datasets::downloads(model, &datasets, diags);
        Ok(Setup {
            model,
            sitio: views::SiteValues::new(model, &menu),
            templates,
            known_paths,
            menu,
            entries,
            datasets,
            downloads,
            keep_html: feeds::shown_in_full(model),
            drafts,
            cache,
            keys,
            no_places: places::Places::default(),
        })
    }

    /// The site as jobs see it before any body is rendered (no cards, no places yet).
    fn site(&self) -> Site<'_> {
        Site {
            model: self.model,
            templates: &self.templates,
            menu: &self.menu,
            sitio: &self.sitio,
            entries: &self.entries,
            infos: &[],
            cards: &[],
            datasets: &self.datasets,
            downloads: &self.downloads,
            drafts: self.drafts,
            cache: self.cache,
            fingerprint: self.keys.pages,
            entry_hashes: &self.keys.entries,
            places: &self.no_places,
            search_prefixes: &[],
        }
    }
}

impl Keys {
    fn new(
        model: &SiteModel,
        theme: &Theme,
        known_paths: &std::collections::BTreeSet<String>,
        entries: &[&Entry],
        drafts: bool,
        cache: Option<&cache::Cache>,
    ) -> Self {
        if cache.is_none() {
            return Keys {
                body: 0,
                pages: 0,
                entries: Vec::new(),
            };
        }
        let body = cache::site_fingerprint(model, theme, known_paths, drafts);
        let entries = entries
            .par_iter()
            .map(|e| match e.doc.source_hash {
                0 => cache::key(
                    0,
                    &[&e.doc.file.text, &e.doc.file.path.to_string_lossy(), &e.url],
                ),
                read => cache::key(read, &[&e.url]),
            })
            .collect();
        Keys {
            body,
            pages: cache::pages_fingerprint(model, body),
            entries,
        }
    }
}

/// The bodies, cards and search documents of every entry, in entry order.
struct Bodies {
    results: Vec<std::sync::Arc<Body>>,
    cards: Vec<templates::Prepared>,
    search: Vec<std::sync::Arc<search::Indexed>>,
    /// The search tokens the pass handed over chunk by chunk (a build only).
    gathered: search::Gathered,
}

impl Bodies {
    /// The pass over every bulletin and page ([`entries::Pass`]); their pages come back
    /// beside them.
    fn render(
        setup: &Setup<'_>,
        sink: Option<&crate::output::Staging>,
    ) -> (Self, Vec<entries::PageResult>) {
        let site = setup.site();
        let gathered = std::sync::Mutex::new(search::Gathered::default());
        let pass = entries::Pass {
            site: &site,
            known_paths: &setup.known_paths,
            body_fingerprint: setup.keys.body,
            keep_html: &setup.keep_html,
            sink,
            tag_links: &views::tag_links(setup.model),
            gathered: setup.cache.is_none().then_some(&gathered),
        };
        let (done, pages) = pass.run();
        crate::phases::mark("cuerpos y páginas de boletines");
        // Taken apart by moving, not cloning: a clone touches each entry's shared count, ten
        // thousand cache misses on one thread while the other waits.
        let n = done.len();
        let mut bodies = Bodies {
            results: Vec::with_capacity(n),
            cards: Vec::with_capacity(n),
            search: Vec::with_capacity(n),
            gathered: gathered
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        };
        for d in done {
            bodies.results.push(d.body);
            bodies.cards.push(d.card);
            bodies.search.push(d.search);
        }
        (bodies, pages)
    }

    fn refs(&self) -> Vec<&Body> {
        self.results.iter().map(|b| &**b).collect()
    }

    fn infos(&self) -> Vec<&BodyInfo> {
        self.results.iter().map(|b| &b.info).collect()
    }
}

/// Every list, feed, map page and the search index, once the bodies are known.
///
/// The longest jobs go first, so that no thread is left with one at the end (the sitemap
/// alone takes as long as a hundred tag pages). Merging the index is one thread's work: it
/// runs beside the lists, not before them, and the search page waits for it.
fn lists(
    setup: &Setup<'_>,
    bodies: &Bodies,
    (mut docs, gathered): (Vec<std::sync::Arc<search::Indexed>>, search::Gathered),
    sink: Option<&crate::output::Staging>,
) -> Vec<entries::PageResult> {
    let model = setup.model;
    let cache = setup.cache;
    let infos = bodies.infos();
    let site = Site {
        infos: &infos,
        cards: &bodies.cards,
        ..setup.site()
    };
    // The index reads every entry and the data; `serve` patches the previous one.
    docs.extend(
        search::place_docs(model)
            .into_iter()
            .map(|d| std::sync::Arc::new(search::Indexed::new(d))),
    );
    let jobs = plan(model);
    let order = longest_first(&jobs);
    let keep = |file: OutputFile| write_or_keep(sink, file);
    let run = |site: &Site, j: &pages::Job| keep(site.run(j)?);
    // The index first, with both cores on its shards, then the lists: their memory adds up
    // when they run side by side (at 30,000 bulletins some forty megabytes at the peak).
    let (search_files, search_prefixes) = {
        let (files, prefixes, state) = search::index(
            docs,
            cache.and_then(cache::Cache::take_search),
            cache.is_some(),
            gathered,
        );
        // Without a cache, the merged index is not needed past this point: free it now.
        match cache {
            Some(c) => c.store_search(state),
            None => drop(state),
        }
        crate::phases::mark("índice de búsqueda");
        (files.into_iter().map(keep).collect::<Vec<_>>(), prefixes)
    };
    // The back-links of places: a pass over every entry, its memory cold by now.
    let places = places::index(model, &setup.entries, &infos);
    let site = Site {
        places: &places,
        ..site
    };
    // One task per job, longest first: split no further than rayon's quarters, the last
    // jobs were one core's alone.
    let mut results = order
        .par_iter()
        .with_max_len(1)
        .map(|j| run(&site, j))
        .collect::<Vec<_>>();
    let search_site = Site {
        places: &places,
        search_prefixes: &search_prefixes,
        ..site
    };
    results.push(run(&search_site, &pages::Job::Search));
    results.extend(places.shared_map().cloned().map(keep));
    crate::phases::mark("listas, canales y lugares");
    results.extend(search_files);
    results
}

/// The jobs after the entries pass, the longest first; the search page is left out (it
/// waits for the index).
fn longest_first(jobs: &[pages::Job]) -> Vec<&pages::Job> {
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
    order
}

/// Every file still to write, sorted by path, and the paths already written: the pages, the
/// bodies' extra files (chart downloads), the theme's statics and site files, the datasets'
/// downloads.
fn collect(
    setup: &Setup<'_>,
    theme: &Theme,
    bodies: &Bodies,
    pages: Vec<entries::PageResult>,
    diags: &mut Diagnostics,
) -> (Vec<OutputFile>, Vec<String>) {
    let model = setup.model;
    let mut files = Vec::with_capacity(pages.len() + theme.statics.len());
    let mut written = Vec::new();
    for page in pages {
        match page {
            Ok(entries::Page::Kept(f)) => files.push(f),
            Ok(entries::Page::Written(path)) => written.push(path),
            Err(d) => diags.push(d),
        }
    }
    for info in bodies.infos() {
        for (path, bytes) in &info.extra_files {
            files.push(OutputFile {
                path: path.clone(),
                bytes: bytes.clone().into(),
            });
        }
    }
    copy_static(model, theme, &mut files, diags);
    files.extend(setup.downloads.iter().cloned());
    if !model.data.datasets.is_empty() {
        files.push(datasets::catalogue(model, &setup.downloads));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, written)
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
    let functions_data = uses_functions.then(|| std::sync::Arc::new(model.data.clone()));
    let base = &model.config.base_url.path;
    Templates::new(theme, model.config.numbers, &globals, functions_data, base)
}

/// The menu as (title, href), with `@/` targets resolved.
fn resolve_menu(model: &SiteModel, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let base = &model.config.base_url.path;
    let mut menu = configured_menu(model, diags);
    // The release calendar is in the menu while it lists something.
    if !model.upcoming.is_empty() {
        menu.push(("Próximas publicaciones".into(), format!("{base}proximas/")));
    }
    menu
}

/// The menu of `sitio.yaml` as (title, href).
fn configured_menu(model: &SiteModel, diags: &mut Diagnostics) -> Vec<(String, String)> {
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
        Some(staging) => staging
            .write(&file)
            .map(|()| entries::Page::Written(file.path)),
        None => Ok(entries::Page::Kept(file)),
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
        let hashed = theme.published.get(path).unwrap_or(path);
        let fixed = theme.fixed.contains(path).then_some(path);
        for out in std::iter::once(hashed).chain(fixed) {
            files.push(OutputFile {
                path: out.clone(),
                bytes: bytes.clone().into(),
            });
        }
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
