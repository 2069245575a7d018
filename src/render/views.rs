//! What templates see: borrowed, serialisable views of the model. These structs are the
//! theme API documented in the README; internals may change, these names should not.

use crate::config::SiteConfig;
use crate::format::long_date;
use crate::model::{Entry, SiteModel};
use serde::Serialize;

/// `sitio`
#[derive(Serialize)]
pub struct SiteView<'a> {
    titulo: &'a str,
    descripcion: Option<&'a str>,
    idioma: &'a str,
    institucion: Option<&'a str>,
    logo: Option<String>,
    url_base: String,
    menu: Vec<MenuView>,
}

/// One menu entry.
#[derive(Serialize, Clone)]
pub struct MenuView {
    titulo: String,
    enlace: String,
    actual: bool,
}

/// The variables every template gets.
#[derive(Serialize)]
pub struct Common<'a> {
    sitio: SiteView<'a>,
    base: &'a str,
    ruta: String,
    url_canonica: String,
    titulo_pagina: String,
    descripcion_pagina: Option<String>,
}

impl<'a> Common<'a> {
    /// The common variables for the page at `ruta`.
    pub fn new(
        model: &'a SiteModel,
        menu: &[(String, String)],
        ruta: &str,
        title: &str,
        description: Option<&str>,
    ) -> Self {
        let c = &model.config;
        let base = c.base_url.path.as_str();
        let menu = menu
            .iter()
            .map(|(titulo, enlace)| MenuView {
                titulo: titulo.clone(),
                actual: is_current(enlace, base, ruta),
                enlace: enlace.clone(),
            })
            .collect();
        Common {
            sitio: site_view(c, menu),
            base,
            ruta: ruta.to_string(),
            url_canonica: c.base_url.absolute(ruta),
            titulo_pagina: title.to_string(),
            descripcion_pagina: description
                .map(str::to_string)
                .or_else(|| c.description.clone()),
        }
    }
}

fn is_current(link: &str, base: &str, ruta: &str) -> bool {
    let Some(target) = link.strip_prefix(base) else {
        return false;
    };
    if target.is_empty() {
        return ruta.is_empty();
    }
    ruta.starts_with(target)
}

fn site_view(c: &SiteConfig, menu: Vec<MenuView>) -> SiteView<'_> {
    SiteView {
        titulo: &c.title,
        descripcion: c.description.as_deref(),
        idioma: &c.language,
        institucion: c.institution.as_deref(),
        logo: c
            .logo
            .as_ref()
            .map(|l| format!("{}{}", c.base_url.path, l.trim_start_matches('/'))),
        url_base: c.base_url.absolute(""),
        menu,
    }
}

/// A cover image.
#[derive(Serialize, Clone)]
pub struct CoverView {
    imagen: String,
    alt: String,
    credito: Option<String>,
}

/// A bulletin or page in a list.
#[derive(Serialize, Clone)]
pub struct SummaryView {
    titulo: String,
    url: String,
    fecha: Option<String>,
    fecha_legible: Option<String>,
    resumen: String,
    etiquetas: Vec<String>,
    autor: Option<String>,
    portada: Option<CoverView>,
}

/// A whole bulletin or page.
#[derive(Serialize)]
pub struct DocumentView {
    #[serde(flatten)]
    resumen: SummaryView,
    contenido: String,
    actualizado: Option<String>,
    actualizado_legible: Option<String>,
    territorios: Vec<String>,
    barrios: Vec<String>,
    extra: serde_json::Value,
    tiempo_lectura: usize,
}

/// What rendering a body produced, that views need.
#[derive(Debug, Clone, Default)]
pub struct BodyInfo {
    /// HTML of the body.
    pub html: String,
    /// Summary: `resumen`, or the first paragraph.
    pub summary: String,
    /// Words, for reading time.
    pub words: usize,
    /// Cover image URL, resolved.
    pub cover_url: Option<String>,
}

/// The list view of an entry.
pub fn summary(model: &SiteModel, e: &Entry, body: &BodyInfo) -> SummaryView {
    let f = &e.doc.front;
    SummaryView {
        titulo: f.title.clone(),
        url: format!("{}{}", model.config.base_url.path, e.url),
        fecha: f.date.map(|d| d.to_string()),
        fecha_legible: f.date.map(long_date),
        resumen: body.summary.clone(),
        etiquetas: f.tags.clone(),
        autor: f.author.clone(),
        portada: f
            .cover
            .as_ref()
            .zip(body.cover_url.as_ref())
            .map(|(c, url)| CoverView {
                imagen: url.clone(),
                alt: c.alt.clone(),
                credito: c.credit.clone(),
            }),
    }
}

/// The full view of an entry.
pub fn document(model: &SiteModel, e: &Entry, body: &BodyInfo) -> DocumentView {
    let f = &e.doc.front;
    DocumentView {
        resumen: summary(model, e, body),
        contenido: body.html.clone(),
        actualizado: f.updated.map(|d| d.to_string()),
        actualizado_legible: f.updated.map(long_date),
        territorios: f.territories.iter().map(|t| t.value.clone()).collect(),
        barrios: f.barrios.iter().map(|b| b.value.clone()).collect(),
        extra: f.extra.clone(),
        tiempo_lectura: body.words.div_ceil(200).max(1),
    }
}

/// Pagination of the archive.
#[derive(Serialize)]
pub struct PaginationView {
    /// Current page, from 1.
    pub actual: usize,
    /// Number of pages.
    pub total: usize,
    /// Link to the previous page.
    pub anterior: Option<String>,
    /// Link to the next page.
    pub siguiente: Option<String>,
    /// Every page.
    pub paginas: Vec<PageLink>,
}

/// One page of the archive.
#[derive(Serialize)]
pub struct PageLink {
    /// Its number.
    pub numero: usize,
    /// Its link.
    pub url: String,
}
