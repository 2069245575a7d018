//! boletin: a static site generator for public bulletins backed by data.
//!
//! The pipeline, one function per step, each returning values plus every problem it found
//! (`render_with` calls them in order):
//!
//! ```text
//! load_config → list_files → read_inputs (data ∥ content) → make_model (model ∥ theme ∥ record)
//!   → process_images → render_model (render::render_site) → output::Staging (build only)
//! ```
//!
//! `build` writes only when every step succeeded; `check` runs the same steps, renders in
//! memory, and writes nothing. Memory release lives in the step that owns it: a build's
//! documents keep only their front matter (`content::load`), the renderer reads each body
//! again and frees it once rendered, and the model is dropped off the main thread at the end.

#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]
// One reasoned exception, `source::utf8`; the binary's allocator set-up lives in `main.rs`.
#![deny(unsafe_code)]

pub mod addresses;
pub mod assets;
pub mod config;
pub mod content;
pub mod data;
pub mod diag;
pub mod format;
pub mod fresh;
#[doc(hidden)]
pub mod fuzz;
pub mod html;
pub mod images;
pub mod links;
pub mod model;
pub mod options;
pub mod output;
#[doc(hidden)]
pub mod pdf;
pub mod pdf_cache;
pub mod phases;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod schedule;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod state;
pub mod theme;
pub mod threads;
pub mod urls;
pub mod yaml;

use diag::{Diagnostic, Diagnostics, Problem};
pub use options::{BuildOptions, now};
pub use schedule::NextChange;

/// What a successful build produced.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Bulletins published.
    pub bulletins: usize,
    /// Pages published.
    pub pages: usize,
    /// Files written (or that would be written, for `check`).
    pub files: usize,
    /// Problems that did not stop the build, sorted.
    pub warnings: Vec<Diagnostic>,
    /// External links found in bulletins and pages, for `check --externos` (never fetched
    /// by a build; empty after `build`, which frees them with each body).
    pub external_links: Vec<links::ExternalLink>,
    /// Images resized and encoded by this build.
    pub images_encoded: usize,
    /// Images whose versions were reused from the previous build.
    pub images_reused: usize,
    /// PDFs typeset by this build.
    pub pdfs_typeset: usize,
    /// PDFs reused from an earlier build of the same output ([`pdf_cache`]).
    pub pdfs_reused: usize,
    /// True when nothing had changed and the output folder was left as it was.
    pub unchanged: bool,
    /// The first instant at which the same inputs would publish another site: the end of
    /// the next embargo, or midnight in the site's time zone (dates are checked against
    /// the day).
    pub valid_until: Option<jiff::Timestamp>,
    /// The last such instant before this build: the site is the same between the two.
    pub valid_from: Option<jiff::Timestamp>,
    /// The next embargo to end, and what it publishes (after an unchanged build, which reads
    /// no document, the one its record kept).
    pub next_change: Option<NextChange>,
}

/// The instant `--ahora` names: RFC 3339, or a date and time in the site's time zone.
pub fn instant(root: &std::path::Path, text: &str) -> Result<jiff::Timestamp, Vec<Diagnostic>> {
    let config = config::load(root).map_err(Diagnostics::sorted)?;
    format::parse_instant(text, &config.time_zone).ok_or_else(|| {
        vec![Diagnostic::global(Problem::InvalidDateTime {
            field: "--ahora".into(),
            value: text.into(),
        })]
    })
}

/// Builds the site and writes it atomically into the output folder — or, when nothing it
/// reads has changed since the build there ([`fresh`]), leaves that build as it is.
///
/// A build holds a lock on its output folder throughout ([`output::OutputLock`]): a second
/// build of the same folder says it is waiting and starts when the first has finished.
pub fn build(options: &BuildOptions) -> Result<Summary, Vec<Diagnostic>> {
    let out = options.output_dir();
    output::check_target(&options.root, &out).map_err(|d| vec![d])?;
    // Held to the end: the freshness check and the write are one critical section, and a
    // second build of the same folder waits here instead of deleting this one's staging.
    let lock = output::OutputLock::acquire(&out, || waiting_for(&out)).map_err(|d| vec![d])?;
    phases::mark("inicio");
    let inputs = match fresh::check(options, &out, options.now.unwrap_or_else(now)) {
        fresh::Fresh::Build(inputs) => inputs,
        fresh::Fresh::Unchanged(stamp) => {
            phases::mark("sin cambios");
            let (bulletins, pages, files) = stamp.published;
            return Ok(Summary {
                bulletins,
                pages,
                files,
                unchanged: true,
                valid_until: stamp
                    .until
                    .and_then(|s| jiff::Timestamp::from_second(s).ok()),
                valid_from: stamp
                    .from
                    .and_then(|s| jiff::Timestamp::from_second(s).ok()),
                next_change: schedule::remembered(&options.root, stamp.next.as_ref()),
                ..Summary::default()
            });
        }
    };
    phases::mark("entradas comparadas");
    // Pages go to the staging folder as they are rendered; the rest (a few files) at the end.
    let staging = output::Staging::begin(&lock).map_err(Diagnostics::sorted)?;
    let built = render_with(options, None, Some((&staging, inputs))).map_err(|mut diags| {
        // A page that could not be written is reported once, with the other problems.
        diags.extend(staging.failure().into_iter().collect());
        diags.sorted()
    })?;
    let Built {
        files,
        written,
        summary,
        inputs,
        image_manifest,
        model,
    } = built;
    // Made now, not held through the render: two maps of every document (some thirty
    // megabytes at 30,000 bulletins with the previous build's list).
    let addresses = addresses::Addresses::of(&model);
    threads::drop_later(model);
    staging
        .write_rest(&files, &written)
        .map_err(Diagnostics::sorted)?;
    phases::mark("resto escrito");
    // Warnings must be shown again by the next build: no record then. A record that cannot
    // be written only means the next build runs in full.
    // The record and the image index live in `.boletin/` (nothing hidden is published):
    // forgotten before the swap, written after it.
    let size = staging.size();
    state::forget(&options.root, &out);
    staging.swap().map_err(Diagnostics::sorted)?;
    phases::mark("salida en su lugar");
    if let Some(manifest) = image_manifest {
        images::save_manifest(&options.root, &out, &manifest);
    }
    addresses.save(&options.root, &out);
    if let Some(inputs) = inputs
        && summary.warnings.is_empty()
    {
        let published = (summary.bulletins, summary.pages, summary.files);
        let window = (summary.valid_from, summary.valid_until);
        let next = summary.next_change.clone().map(|n| (n.at, n.titles));
        let _ = fresh::record(
            (&options.root, &out),
            inputs,
            window,
            (published, size),
            next,
        );
    }
    phases::mark("registro");
    Ok(summary)
}

/// Tells the editor why the build seems stuck: another build of `out` holds its lock (a
/// notice while the build blocks, as cargo's "Blocking waiting for file lock", so it cannot
/// wait to be returned with the result).
#[allow(clippy::print_stderr)]
fn waiting_for(out: &std::path::Path) {
    let path = diag::display_path(out);
    eprintln!("{}", Diagnostic::global(Problem::WaitingForBuild { path }));
}

/// Validates everything `build` would, renders in memory, and writes nothing.
///
/// It checks the site twice: as `build` would publish it now, and with every draft and
/// embargoed bulletin included (nothing is written, so nothing leaks), so that a broken link
/// in an embargoed bulletin does not wait for its release to be found.
pub fn check(options: &BuildOptions) -> Result<Summary, Vec<Diagnostic>> {
    let mut everything = options.clone();
    everything.drafts = true;
    everything.now = Some(jiff::Timestamp::MAX);
    // One cache for both passes: each photo is decoded and resized once, not twice.
    let mut cache = render::cache::Cache::new();
    let published = render_incremental(options, Some(&cache));
    cache.finish();
    let all = render_incremental(&everything, Some(&cache));
    match (published, all) {
        (Ok((_, summary)), Ok(_)) => Ok(summary),
        (published, all) => {
            let mut diags = published.err().unwrap_or_default();
            diags.extend(all.err().unwrap_or_default());
            Err(diags.sorted())
        }
    }
}

/// Runs the pipeline up to, but not including, writing.
pub fn render_in_memory(
    options: &BuildOptions,
) -> Result<(Vec<render::OutputFile>, Summary), Diagnostics> {
    render_incremental(options, None)
}

/// Like [`render_in_memory`], reusing what `cache` kept from the previous build whose
/// inputs have not changed (`serve` keeps one cache for its whole life).
pub fn render_incremental(
    options: &BuildOptions,
    cache: Option<&render::cache::Cache>,
) -> Result<(Vec<render::OutputFile>, Summary), Diagnostics> {
    render_with(options, cache, None).map(|b| {
        threads::drop_later(b.model);
        (b.files, b.summary)
    })
}

/// `serve`'s build: [`render_incremental`], with the model kept, so that a bulletin's PDF
/// (which the pages only link, without a size) is typeset when it is asked for
/// ([`render::pdf::on_request`]) from the very build the pages come from.
pub fn render_for_serve(
    options: &BuildOptions,
    cache: &render::cache::Cache,
) -> Result<(Vec<render::OutputFile>, Summary, model::SiteModel), Diagnostics> {
    render_with(options, Some(cache), None).map(|b| (b.files, b.summary, b.model))
}

/// What [`render_with`] made.
struct Built {
    /// Files still to write (all of them without a sink).
    files: Vec<render::OutputFile>,
    /// Paths already written to the sink.
    written: Vec<String>,
    summary: Summary,
    /// The hash of the inputs, to record (with a sink, when they could all be read).
    inputs: Option<u64>,
    /// The index of processed images, to keep beside the output.
    image_manifest: Option<Vec<u8>>,
    /// The model the files were rendered from (dropped later by all but `serve`).
    model: model::SiteModel,
}

/// The pipeline: config → files → data and content → model and theme → images → render.
/// With `sink`, pages are written to the staging folder as they are made (only their paths
/// come back, in `written`), and the inputs listed by [`fresh::check`] are completed with the
/// keys of the texts this build read; their hash comes back last.
fn render_with(
    options: &BuildOptions,
    cache: Option<&render::cache::Cache>,
    sink: Option<(&output::Staging, Option<fresh::Inputs>)>,
) -> Result<Built, Diagnostics> {
    let (sink, inputs) = sink.map_or((None, None), |(s, i)| (Some(s), i));
    let config = load_config(options)?;
    let clock = Clock::new(options, &config);
    let project = list_files(&options.root, inputs.as_ref());
    let read = read_inputs(
        &options.root,
        &config,
        &project,
        &clock,
        (cache, options.drafts),
    );
    let (window, next) = (read.window, read.next_change.clone());
    let made = make_model(options, config, read, &project, (&clock, inputs))?;
    let Made {
        mut model,
        theme,
        mut diags,
        inputs,
    } = made;
    // The previous build's list is read for the comparison and freed after it.
    let previous = addresses::Addresses::previous(&options.root, &options.output_dir());
    addresses::moved(&model, &previous, &mut diags);
    drop(previous);
    let mut images = process_images(&mut model, options, cache, &mut diags);
    model.open_pdf_cache(&options.output_dir(), sink.is_some());
    let rendered = render_model(&model, &theme, options, cache, sink, diags)?;
    let files = with_images(rendered.files, std::mem::take(&mut images.files));
    let summary = Summary {
        files: files.len() + rendered.written.len(),
        warnings: rendered.warnings,
        external_links: rendered.external_links,
        next_change: next,
        ..counts(&model, &images, window)
    };
    threads::drop_later(theme);
    Ok(Built {
        files,
        written: rendered.written,
        summary,
        inputs,
        image_manifest: images.manifest,
        model,
    })
}

/// `content/sitio.yaml`, with `--base-url` applied.
fn load_config(options: &BuildOptions) -> Result<config::SiteConfig, Diagnostics> {
    let mut config = config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = config::BaseUrl::parse(url)
            .ok_or_else(|| Diagnostic::global(Problem::InvalidBaseUrl { value: url.clone() }))?;
    }
    Ok(config)
}

/// The instant the site is built for, and its day in the site's time zone.
struct Clock {
    now: jiff::Timestamp,
    today: jiff::civil::Date,
    zone: jiff::tz::TimeZone,
}

impl Clock {
    fn new(options: &BuildOptions, config: &config::SiteConfig) -> Self {
        let now = options.now.unwrap_or_else(now);
        let zone = config.time_zone.clone();
        Clock {
            now,
            today: now.to_zoned(zone.clone()).date(),
            zone,
        }
    }
}

/// The files of `content/` and `themes/`: those [`fresh::check`] listed for the record, when
/// it could list them all, else a walk of their own.
fn list_files(root: &std::path::Path, inputs: Option<&fresh::Inputs>) -> project::Project {
    let project = match inputs {
        Some(inputs) => project::from_listing(root, inputs.listed()),
        None => project::discover(root),
    };
    phases::mark("archivos listados");
    project
}

/// What was read from `content/`: the data, the documents and every problem so far.
struct Read {
    data: data::Data,
    docs: Vec<std::sync::Arc<content::Document>>,
    diags: Diagnostics,
    /// The instants between which these documents publish the same site.
    window: (Option<jiff::Timestamp>, Option<jiff::Timestamp>),
    next_change: Option<NextChange>,
}

/// Data and content, read side by side, then the documents' references to the data checked.
fn read_inputs(
    root: &std::path::Path,
    config: &config::SiteConfig,
    project: &project::Project,
    clock: &Clock,
    (cache, drafts): (Option<&render::cache::Cache>, bool),
) -> Read {
    let ((data, mut diags), (docs, content_diags)) = rayon::join(
        || data::load_all(root, config, clock.today),
        || {
            let docs = cache.map(|c| &c.docs);
            content::load_all(root, &project.bulletins, &project.pages, config, docs)
        },
    );
    for link in &project.symlinks {
        diags.push(Diagnostic::in_file(link, Problem::SymlinkRefused));
    }
    project::twins::check(project)
        .into_iter()
        .for_each(|d| diags.push(d));
    diags.extend(content_diags);
    let window = schedule::valid_between(&docs, clock.now, clock.today, &clock.zone);
    let next_change = schedule::next_change(&docs, (clock.now, &clock.zone), drafts);
    phases::mark("datos y contenido leídos");
    data::validate::documents(&docs, &data, &mut diags);
    content::check_corrections(&docs, clock.today, &mut diags);
    Read {
        data,
        docs,
        diags,
        window,
        next_change,
    }
}

/// The model and the theme, ready to render, and the record's hash of the inputs.
struct Made {
    model: model::SiteModel,
    theme: theme::Theme,
    diags: Diagnostics,
    inputs: Option<u64>,
}

/// The model, the theme and the record's hash side by side (none depends on another); any
/// error so far stops the pipeline here, with every problem found.
fn make_model(
    options: &BuildOptions,
    config: config::SiteConfig,
    read: Read,
    project: &project::Project,
    (clock, inputs): (&Clock, Option<fresh::Inputs>),
) -> Result<Made, Diagnostics> {
    let Read {
        data,
        docs,
        mut diags,
        ..
    } = read;
    let root = &options.root;
    let publishing = model::Publishing {
        now: clock.now,
        drafts: options.drafts,
        future: options.future,
    };
    // The documents' second handles go with the hash: a document must be the model's alone
    // for its text to be freed once rendered.
    let for_record = if inputs.is_some() {
        docs.clone()
    } else {
        Vec::new()
    };
    let theme_name = config.theme.clone();
    let (model, (theme, inputs)) = rayon::join(
        || model::build(root, config, data, docs, &project.assets, &publishing),
        move || {
            let inputs = inputs.and_then(|inputs| record_hash(inputs, &for_record));
            (theme::load(root, theme_name.as_deref()), inputs)
        },
    );
    match (model, theme) {
        (Ok(mut model), Ok(theme)) if !diags.has_errors() => {
            phases::mark("modelo");
            diags.extend(std::mem::take(&mut model.warnings));
            Ok(Made {
                model,
                theme,
                diags,
                inputs,
            })
        }
        (m, t) => {
            diags.extend(m.err().unwrap_or_default());
            diags.extend(t.err().unwrap_or_default());
            Err(diags)
        }
    }
}

/// The hash of every input for the build record, each document keyed as it was read.
fn record_hash(inputs: fresh::Inputs, docs: &[std::sync::Arc<content::Document>]) -> Option<u64> {
    let keys: std::collections::HashMap<&std::path::Path, u64> = docs
        .iter()
        .filter_map(|d| Some((d.file.path.as_path(), d.read_key?)))
        .collect();
    inputs.finish(&|path| keys.get(path).copied())
}

/// How many photos were encoded and reused, and their files to write.
struct Images {
    encoded: usize,
    reused: usize,
    files: Vec<render::OutputFile>,
    manifest: Option<Vec<u8>>,
}

/// Every photo the model lists, decoded, stripped and resized (or reused); the model gets
/// their versions.
fn process_images(
    model: &mut model::SiteModel,
    options: &BuildOptions,
    cache: Option<&render::cache::Cache>,
    diags: &mut Diagnostics,
) -> Images {
    let out = options.output_dir();
    let done = images::process(
        &model.root,
        &model.assets,
        Some(&out),
        cache.map(|c| &c.images),
    );
    let ok = done.pictures.values().filter(|p| p.is_ok()).count();
    model.pictures = done.pictures;
    model.published = done
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    diags.extend(done.diags);
    phases::mark("imágenes");
    Images {
        encoded: done.encoded,
        reused: ok - done.encoded,
        files: done.files,
        manifest: done.manifest,
    }
}

/// Every page, feed and download, with the photos' files among them; the problems of the
/// earlier steps join the renderer's.
fn render_model(
    model: &model::SiteModel,
    theme: &theme::Theme,
    options: &BuildOptions,
    cache: Option<&render::cache::Cache>,
    sink: Option<&output::Staging>,
    diags: Diagnostics,
) -> Result<render::Rendered, Diagnostics> {
    let mut rendered =
        render::render_site(model, theme, options.drafts, cache, sink).map_err(|mut errors| {
            errors.extend(diags.clone());
            errors
        })?;
    let mut warnings = diags.warnings();
    warnings.append(&mut rendered.warnings);
    rendered.warnings = warnings;
    Ok(rendered)
}

/// The rendered files with the photos' versions among them, sorted by path.
fn with_images(
    mut files: Vec<render::OutputFile>,
    images: Vec<render::OutputFile>,
) -> Vec<render::OutputFile> {
    if !images.is_empty() {
        files.extend(images);
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    files
}

/// What the build published and how its photos were made.
fn counts(
    model: &model::SiteModel,
    images: &Images,
    (valid_from, valid_until): (Option<jiff::Timestamp>, Option<jiff::Timestamp>),
) -> Summary {
    Summary {
        bulletins: model.bulletins.len(),
        pages: model.pages.len(),
        images_encoded: images.encoded,
        images_reused: images.reused,
        pdfs_typeset: model.pdf_counts().0,
        pdfs_reused: model.pdf_counts().1,
        valid_from,
        valid_until,
        ..Summary::default()
    }
}

/// `check`, then every external link fetched (HEAD, then GET) with `timeout` each.
/// Broken links are errors; unreachable links and an offline machine are warnings.
pub fn check_external(
    options: &BuildOptions,
    timeout: std::time::Duration,
) -> Result<Summary, Vec<Diagnostic>> {
    let mut summary = check(options)?;
    let found = links::check(&summary.external_links, timeout);
    if found.iter().any(|d| !d.is_warning()) {
        let mut all: Diagnostics = found.into_iter().collect();
        all.extend(summary.warnings.into_iter().collect());
        return Err(all.sorted());
    }
    summary.warnings.extend(found);
    Ok(summary)
}
