//! Supplies the Markdown renderer with what only the render step knows: the HTML of each
//! shortcode (through the theme's `shortcodes/*.html`) and the URL of each `@/` link.

use super::templates::Templates;
use super::views::BodyInfo;
use crate::assets::ImageRef;
use crate::content::Document;
use crate::content::markdown::Hooks;
use crate::content::shortcode::{ArgValue, Shortcode};
use crate::diag::{Diagnostic, Diagnostics, Problem, suggest};
use crate::model::SiteModel;
use serde::Serialize;

/// An `@/` link with an anchor, checked once every body has been rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// Where the link is in its file (taken while the text is at hand: a build frees it
    /// before anchors are checked).
    pub position: crate::diag::Position,
    /// The `@/` key of the target page (empty for the same page).
    pub target: String,
    /// The anchor without `#`.
    pub anchor: String,
}

/// What rendering one body produced.
#[derive(Debug)]
pub struct Body {
    /// What pages and lists show of it.
    pub info: BodyInfo,
    /// Its `@/…#ancla` links, checked once every body is rendered.
    pub anchors: Vec<AnchorRef>,
    /// Its headings' ids, in order.
    pub heading_ids: Vec<String>,
    /// Its problems, at their places.
    pub diags: Diagnostics,
}

/// Renders an entry's body from `file`, its source (the document's own, or, when a build
/// kept no text, the file read again for this body alone: see
/// [`crate::content::Document::text_dropped`]). External links
/// are listed with their positions only when `links` (finding a line costs a pass over the
/// file, and only `check --externos` reads them); a bulletin's PDF is typeset or only
/// linked as `pdfs` says (`serve`'s reloads must not wait for Typst).
pub fn render(
    model: &SiteModel,
    templates: &Templates,
    e: &crate::model::Entry,
    file: &crate::source::SourceFile,
    known_paths: &std::collections::BTreeSet<String>,
    (links, pdfs): (bool, super::pdf::Pdfs),
) -> Body {
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
        datasets: Vec::new(),
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
    let has_pdf = e.doc.kind == crate::content::Kind::Bulletin
        && super::pdf::wanted(model, e)
        && !diags.has_errors();
    let pdf = match pdfs {
        _ if !has_pdf => None,
        super::pdf::Pdfs::LinkOnly => Some(super::pdf::link_only(model, e)),
        super::pdf::Pdfs::Typeset => match super::pdf::make(model, e, body) {
            Ok((file, link)) => {
                hooks.extra_files.push(file);
                Some(link)
            }
            Err(p) => {
                diags.push(Diagnostic::in_file(&doc.file.path, p));
                None
            }
        },
    };
    let info = BodyInfo {
        html: rendered.html,
        summary,
        words: rendered.words,
        cover,
        external_links,
        extra_files: std::mem::take(&mut hooks.extra_files),
        linked: std::mem::take(&mut hooks.linked),
        headings: rendered.headings,
        pdf,
        datasets: std::mem::take(&mut hooks.datasets),
    };
    Body {
        info,
        anchors: hooks.anchors,
        heading_ids: rendered.heading_ids,
        diags,
    }
}

impl Body {
    /// A body that could not be read: nothing to show, and why.
    pub fn failed(d: Diagnostic) -> Self {
        let mut diags = Diagnostics::new();
        diags.push(d);
        Body {
            info: BodyInfo::default(),
            anchors: Vec::new(),
            heading_ids: Vec::new(),
            diags,
        }
    }
}

/// Hooks for one document.
pub struct BodyHooks<'a> {
    /// The site.
    pub model: &'a SiteModel,
    /// Templates for shortcodes.
    pub templates: &'a Templates,
    /// The document being rendered.
    pub doc: &'a Document,
    /// Its source (the document's own, or the one taken out of it for the build).
    pub file: &'a crate::source::SourceFile,
    /// Anchors to check later.
    pub anchors: Vec<AnchorRef>,
    /// Every path the site will have, relative to the base (`boletines/x/`, `datos/a.csv`).
    pub known_paths: &'a std::collections::BTreeSet<String>,
    /// External links with their body offsets.
    pub external: Vec<(usize, String)>,
    /// Files the body publishes besides its page (standalone chart SVGs): (path, bytes).
    pub extra_files: Vec<(String, Vec<u8>)>,
    /// `@/` keys the body links to (for back-links from barrio and territory pages).
    pub linked: Vec<String>,
    /// The datasets its shortcodes read (for each dataset's page).
    pub datasets: Vec<super::datasets::DatasetUse>,
}

#[derive(Serialize)]
struct FigureContext<'a> {
    imagen: String,
    srcset: Option<String>,
    alt: &'a str,
    pie: Option<&'a str>,
    credito: Option<&'a str>,
    ancho: Option<u32>,
    alto: Option<u32>,
}

impl BodyHooks<'_> {
    /// Notes an `@/…#ancla` link at body `offset`, to check once every body is rendered.
    fn anchor(&mut self, offset: usize, target: String, anchor: &str) {
        self.anchors.push(AnchorRef {
            position: self.file.position(self.doc.body_offset + offset),
            target,
            anchor: anchor.to_string(),
        });
    }

    pub(super) fn figures(&self) -> super::figures::Ctx<'_> {
        super::figures::ctx(self.model)
    }

    /// An image named in front matter, a shortcode or Markdown, with its versions (see
    /// [`super::figures::image_ref`]).
    pub fn image_ref(&self, path: &str) -> Result<ImageRef, Problem> {
        super::figures::image_ref(self.model, self.doc, path)
    }
}

impl Hooks for BodyHooks<'_> {
    fn shortcode(&mut self, call: &Shortcode) -> Result<String, Problem> {
        if let Some(id) = call.text("datos")
            && call.name != "grafico"
        {
            self.datasets.push(super::datasets::DatasetUse {
                dataset: id.to_string(),
                shortcode: call.name.clone(),
                chart: None,
            });
        }
        match call.name.as_str() {
            "figura" => {
                let decorative = matches!(call.arg("decorativa"), Some(ArgValue::Bool(true)));
                let alt = call.text("alt").unwrap_or_default();
                if alt.trim().is_empty() && !decorative {
                    return Err(Problem::ImageWithoutAlt {
                        hint: "escriba `alt=\"…\"`; si la imagen es solo decorativa, escriba \
                               `alt=\"\", decorativa=true`"
                            .into(),
                    });
                }
                let image = self.image_ref(call.text("imagen").unwrap_or_default())?;
                let ctx = FigureContext {
                    imagen: image.src,
                    srcset: image.srcset,
                    alt: if decorative { "" } else { alt },
                    pie: call.text("pie"),
                    credito: call.text("credito"),
                    ancho: image.size.map(|s| s.0),
                    alto: image.size.map(|s| s.1),
                };
                self.templates
                    .render("shortcodes/figura.html", &ctx)
                    .map(|html| html.trim().to_string())
                    .map_err(|d| *d.problem)
            }
            "grafico" => {
                let n = self.extra_files.len() + 1;
                let id = format!("grafico-{}-{n}", self.doc.slug);
                let svg_path = format!("graficos/{}-{n}.svg", self.doc.slug);
                let (ctx, svg) = super::figures::chart(self.figures(), call, &id, &svg_path)?;
                let html = self
                    .templates
                    .render("shortcodes/grafico.html", &ctx)
                    .map_err(|d| *d.problem)?;
                let standalone = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
                self.datasets.push(super::datasets::DatasetUse {
                    dataset: call.text("datos").unwrap_or_default().to_string(),
                    shortcode: call.name.clone(),
                    chart: Some((svg_path.clone(), call.text("titulo").map(String::from))),
                });
                self.extra_files.push((svg_path, standalone.into_bytes()));
                Ok(html.trim().to_string())
            }
            "cifra" => super::figures::figure(self.figures(), call),
            "mapa" => {
                let n = self.extra_files.len() + 1;
                let ctx = super::places::map_shortcode(
                    self.model,
                    call,
                    &format!("mapa-{}-{n}", self.doc.slug),
                )?;
                self.templates
                    .render("shortcodes/mapa.html", &ctx)
                    .map(|h| h.trim().to_string())
                    .map_err(|d| *d.problem)
            }
            "tabla" => {
                let ctx = super::tables::context(self.figures(), call)?;
                self.templates
                    .render("shortcodes/tabla.html", &ctx)
                    .map(|html| html.trim().to_string())
                    .map_err(|d| *d.problem)
            }
            other => Err(Problem::UnknownShortcode {
                name: other.into(),
                suggestion: None,
                known: &crate::content::shortcode::NAMES,
            }),
        }
    }

    fn image(&mut self, path: &str) -> Result<ImageRef, Problem> {
        self.image_ref(path)
    }

    fn site_link(&mut self, path: &str, offset: usize) -> Result<(), Problem> {
        let (path_part, anchor) = match path.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (path, None),
        };
        let path_part = path_part.split('?').next().unwrap_or_default();
        let base = self.model.config.base_url.path.as_str();
        let relative = if path_part == base.trim_end_matches('/') {
            Some("")
        } else {
            path_part.strip_prefix(base)
        };
        let found = relative.and_then(|r| {
            let r = r.strip_suffix("index.html").unwrap_or(r);
            [r.to_string(), format!("{r}/")]
                .into_iter()
                .find(|c| self.known_paths.contains(c))
        });
        let Some(found) = found else {
            let tail = relative.unwrap_or(path_part.trim_start_matches('/'));
            let suggestion = suggest(tail, self.known_paths.iter().map(String::as_str))
                .map(|s| format!("{base}{s}"));
            return Err(Problem::BrokenInternalLink {
                target: path.to_string(),
                suggestion,
            });
        };
        if let Some(a) = anchor
            && let Some(e) = self
                .model
                .bulletins
                .iter()
                .chain(&self.model.pages)
                .find(|e| e.url == found)
        {
            self.anchor(offset, e.doc.link_key.clone(), a);
        }
        Ok(())
    }

    fn external_link(&mut self, url: &str, offset: usize) {
        self.external.push((offset, url.to_string()));
    }

    fn iframe_hosts(&self) -> &[String] {
        &self.model.config.iframe_hosts
    }

    fn internal_link(&mut self, target: &str, offset: usize) -> Result<String, Problem> {
        let (key, anchor) = match target.split_once('#') {
            Some((k, a)) => (
                k,
                Some(crate::content::heading_ids::readable(a.to_string())),
            ),
            None => (target, None),
        };
        let anchor = anchor.as_deref();
        if key.is_empty()
            && let Some(a) = anchor
        {
            self.anchor(offset, String::new(), a);
            return Ok(format!("#{a}"));
        }
        self.linked.push(key.trim_end_matches('/').to_string());
        let Some(url) = self.model.resolve(key) else {
            let suggestion = suggest(key, self.model.link_keys().filter(|k| !k.is_empty()))
                .map(|s| format!("@/{s}"));
            return Err(Problem::BrokenInternalLink {
                target: format!("@/{target}"),
                suggestion,
            });
        };
        let mut href = format!("{}{url}", self.model.config.base_url.path);
        if let Some(a) = anchor {
            self.anchor(offset, key.to_string(), a);
            href.push('#');
            href.push_str(a);
        }
        Ok(href)
    }
}
