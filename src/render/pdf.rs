//! The print edition's side of rendering: which bulletins get a PDF, what their shortcodes,
//! links and images are in it ([`crate::pdf::Resolve`], over the same tables, figures, charts
//! and maps the page's shortcodes use, never over the page's hooks: `body.rs` calls this
//! file, and this file does not call it back), and the link the page shows
//! («Descargar PDF (230 KB)»).

use super::views::PdfLink;
use crate::content::shortcode::{ArgValue, Shortcode};
use crate::diag::{Diagnostic, Problem};
use crate::format::long_date;
use crate::model::{Entry, SiteModel};
use crate::pdf::{Block, Picture};

/// Whether `e` (a bulletin) has a PDF: its own `pdf`, else the site's; never a draft or
/// a bulletin still under embargo, even in the previews that render them (`--drafts`,
/// `serve --futuros`).
pub fn wanted(model: &SiteModel, e: &Entry) -> bool {
    let f = &e.doc.front;
    let published = !f.draft && f.publish_from.is_none_or(|t| t <= model.now);
    published && f.pdf.unwrap_or(model.config.pdf)
}

/// The PDF's path under the base: `boletines/<slug>/<slug>.pdf`.
pub fn path(e: &Entry) -> String {
    format!("{}{}.pdf", e.url, e.doc.slug)
}

/// How a body pass treats the PDFs of the bulletins that have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pdfs {
    /// Typeset each (or reuse it from [`crate::pdf_cache`]); its page shows its size.
    Typeset,
    /// Only link each, without a size: `serve`, whose reloads never wait for Typst, makes a
    /// PDF when it is asked for ([`on_request`]).
    LinkOnly,
}

/// The link of `e`'s PDF before it is typeset: no size.
pub fn link_only(model: &SiteModel, e: &Entry) -> PdfLink {
    PdfLink {
        url: format!("{}{}", model.config.base_url.path, path(e)),
        tamano: String::new(),
    }
}

/// The PDF at `path` (under the base, as [`path`] writes it), typeset now: `serve`'s answer
/// to a request for it. `None` when no bulletin of `model` has a PDF there (a draft, an
/// embargoed bulletin or one with `pdf: false` has none, as in a build).
pub fn on_request(model: &SiteModel, url_path: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
    let e = model
        .bulletins
        .iter()
        .find(|e| path(e) == url_path && wanted(model, e))?;
    let file = match crate::content::with_text(&model.root, &e.doc) {
        Ok(file) => file,
        Err(d) => return Some(Err(d)),
    };
    let body = crate::content::body_of(&file, e.doc.body_offset);
    let made = make(model, e, body).map(|((_, bytes), _)| bytes);
    Some(made.map_err(|p| Diagnostic::in_file(&e.doc.file.path, p)))
}

/// Typesets `e`'s PDF from its `body` (its Markdown); its path and bytes, and the page's
/// link. The summary printed is the `resumen` the editor wrote, never the page's first
/// paragraph, which the PDF prints anyway.
pub fn make(
    model: &SiteModel,
    e: &Entry,
    body: &str,
) -> Result<((String, Vec<u8>), PdfLink), Problem> {
    let f = &e.doc.front;
    let summary = f.summary.as_deref().unwrap_or_default();
    let url = model.config.base_url.absolute(&e.url);
    let bulletin = crate::pdf::Bulletin {
        title: &f.title,
        institution: model.config.institution.as_deref(),
        author: f.author.as_deref(),
        date: f
            .date
            .map(|d| (i32::from(d.year()), d.month() as u8, d.day() as u8)),
        date_text: f.date.map(long_date),
        updated_text: f.updated.map(long_date),
        summary: (!summary.trim().is_empty()).then_some(summary),
        url: &url,
        language: &model.config.language,
        tags: &f.tags,
        logo: model
            .config
            .logo
            .as_deref()
            .and_then(|logo| model.image(logo).ok())
            .and_then(|found| picture(model, &found.src)),
        corrections: f
            .corrections
            .iter()
            .map(|c| crate::pdf::Correction {
                date_text: long_date(c.date.value),
                text: c.text.clone(),
                minor: c.minor,
            })
            .collect(),
    };
    let mut resolve = Resolver {
        model,
        e,
        charts: 0,
    };
    let bytes = typeset_or_reuse(model, e, crate::pdf::prepare(&bulletin, body, &mut resolve))?;
    let path = path(e);
    let link = PdfLink {
        url: format!("{}{path}", model.config.base_url.path),
        tamano: size_text(bytes.len(), model.config.numbers),
    };
    Ok(((path, bytes), link))
}

/// The PDF an earlier build typeset from the same key, else a new one, kept for the next.
fn typeset_or_reuse(
    model: &SiteModel,
    e: &Entry,
    prepared: crate::pdf::Prepared,
) -> Result<Vec<u8>, Problem> {
    let key = prepared.key();
    let cache = model.pdf_cache.as_ref();
    if let Some(bytes) = cache.and_then(|c| c.get(&e.doc.slug, key)) {
        return Ok(bytes);
    }
    let made = prepared
        .typeset()
        .map_err(|detail| Problem::PdfFailed { detail })?;
    if let Some(c) = cache {
        c.put(&e.doc.slug, key, &made.bytes);
    }
    Ok(made.bytes)
}

/// «230 KB», «1,4 MB» in the site's number format.
fn size_text(bytes: usize, numbers: crate::format::NumberFormat) -> String {
    let kb = (bytes as f64 / 1024.0).ceil().max(1.0);
    if kb < 1024.0 {
        format!("{} KB", numbers.format(kb, 0))
    } else {
        format!("{} MB", numbers.format(kb / 1024.0, 1))
    }
}

/// One bulletin's shortcodes, links and images, as the PDF prints them.
struct Resolver<'a> {
    model: &'a SiteModel,
    e: &'a Entry,
    charts: usize,
}

impl crate::pdf::Resolve for Resolver<'_> {
    fn block(&mut self, call: &Shortcode) -> Block {
        self.try_block(call).unwrap_or(Block::Nothing)
    }

    fn link(&mut self, dest: &str) -> Option<String> {
        let config = &self.model.config;
        if let Some(target) = dest.strip_prefix("@/") {
            let (key, anchor) = target.split_once('#').unwrap_or((target, ""));
            let page = if key.is_empty() {
                self.e.url.clone()
            } else {
                self.model.resolve(key)?.to_string()
            };
            let mut url = config.base_url.absolute(&page);
            if !anchor.is_empty() {
                url.push('#');
                url.push_str(anchor);
            }
            return Some(url);
        }
        if dest.starts_with('/') && !dest.starts_with("//") {
            return Some(format!("{}{dest}", config.base_url.origin));
        }
        let lower = dest.to_ascii_lowercase();
        ["https://", "http://", "mailto:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s))
            .then(|| dest.to_string())
    }

    fn image(&mut self, path: &str) -> Option<Picture> {
        let found = self.image_ref(path).ok()?;
        picture(self.model, &found.src)
    }
}

impl Resolver<'_> {
    fn image_ref(&self, path: &str) -> Result<crate::assets::ImageRef, Problem> {
        super::figures::image_ref(self.model, &self.e.doc, path)
    }

    fn try_block(&mut self, call: &Shortcode) -> Result<Block, Problem> {
        let ctx = super::figures::ctx(self.model);
        Ok(match call.name.as_str() {
            "tabla" => Block::Table(super::tables::context(ctx, call)?.for_pdf()),
            "cifra" => Block::Text(super::figures::figure_text(ctx, call)?),
            "grafico" => {
                self.charts += 1;
                let id = format!("grafico-{}-{}", self.e.doc.slug, self.charts);
                let (chart, svg) = super::figures::chart(ctx, call, &id, "")?;
                chart.for_pdf(svg)
            }
            "mapa" => super::places::map_shortcode(self.model, call, "mapa-pdf")?.for_pdf(),
            "figura" => {
                let decorative = matches!(call.arg("decorativa"), Some(ArgValue::Bool(true)));
                let image = self.image_ref(call.text("imagen").unwrap_or_default())?;
                Block::Figure {
                    picture: picture(self.model, &image.src),
                    alt: if decorative {
                        String::new()
                    } else {
                        call.text("alt").unwrap_or_default().to_string()
                    },
                    caption: call.text("pie").map(String::from),
                    credit: call.text("credito").map(|c| format!("Crédito: {c}")),
                }
            }
            _ => Block::Nothing,
        })
    }
}

/// The widest version of a photo the PDF prints: enough for a 16 cm column at 150 dpi.
pub const PRINT_WIDTH: u32 = 960;

/// The bytes the images step published for the image at `src` (its URL): a photo's
/// 960-pixel version (or its widest below that, for a smaller photo), a cleaned SVG or GIF
/// as published. Never the original file, which may carry EXIF (a GPS position); `None`
/// prints the figure's caption alone.
fn picture(model: &SiteModel, src: &str) -> Option<Picture> {
    let url_path = src.strip_prefix(model.config.base_url.path.as_str())?;
    let path = match model.picture(url_path) {
        Some(Ok(p)) => {
            let fits = p.variants.iter().rev().find(|v| v.width <= PRINT_WIDTH);
            fits.or(p.variants.first())?.path.as_str()
        }
        Some(Err(_)) => return None,
        None => url_path,
    };
    let bytes = model.published.get(path)?;
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    let format = match extension.as_str() {
        "jpg" | "jpeg" => "jpg",
        "png" => "png",
        "gif" => "gif",
        "svg" => "svg",
        _ => return None,
    };
    Some(Picture {
        bytes: bytes.to_vec(),
        format,
    })
}
