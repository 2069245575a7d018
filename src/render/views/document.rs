//! A bulletin's or page's view, and the card lists show of it.

use crate::format::{iso_date, long_date};
use crate::model::{Entry, SiteModel};
use crate::render::templates::Prepared;
use serde::Serialize;

/// A cover image.
#[derive(Serialize, Clone)]
pub struct CoverView {
    imagen: String,
    srcset: Option<String>,
    ancho: Option<u32>,
    alto: Option<u32>,
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
    /// Shared with every other card of the same tag ([`tag_links`]).
    etiquetas_enlaces: Vec<Prepared>,
    autor: Option<String>,
    portada: Option<CoverView>,
}

/// A tag with its page.
#[derive(Serialize, Clone)]
pub struct TagLink {
    /// The tag as written.
    pub nombre: String,
    /// Its page.
    pub url: String,
}

/// A whole bulletin or page: its card's fields, then its own.
pub struct DocumentView<'a> {
    /// The entry's card (a [`SummaryView`] already converted for templates): its fields are
    /// handed to the page as they are (Tera clones a value it meets), not worked out and
    /// converted a second time.
    resumen: &'a Prepared,
    own: DocumentFields<'a>,
}

/// What a whole bulletin or page shows besides its card.
struct DocumentFields<'a> {
    contenido: &'a str,
    actualizado: Option<String>,
    actualizado_legible: Option<String>,
    territorios: Vec<&'a str>,
    barrios: Vec<&'a str>,
    extra: &'a serde_json::Value,
    tiempo_lectura: usize,
    borrador: bool,
    /// «8 de diciembre de 2026, 09:00 (America/Lima)» for a bulletin still under embargo
    /// (only `serve --futuros` renders one).
    embargado_hasta: Option<String>,
    correcciones: Vec<CorrectionView<'a>>,
    /// The table of contents: empty unless `indice: true`, or the body has enough headings.
    indice: &'a [crate::content::markdown::Heading],
    pdf: Option<&'a PdfLink>,
}

/// The headings a document's table of contents lists: all of them when asked for, none when
/// refused, and by default only past [`crate::content::TOC_FROM`] second-level headings.
fn toc(
    asked: Option<bool>,
    headings: &[crate::content::markdown::Heading],
) -> &[crate::content::markdown::Heading] {
    let long = headings.iter().filter(|h| h.level == 2).count() >= crate::content::TOC_FROM;
    if asked.unwrap_or(long) { headings } else { &[] }
}

/// A correction as templates show it.
#[derive(Serialize)]
struct CorrectionView<'a> {
    fecha: String,
    fecha_legible: String,
    texto: &'a str,
    menor: bool,
}

/// The page's link to its PDF (`render::pdf` makes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PdfLink {
    /// Its URL (under the base path).
    pub url: String,
    /// Its size as readers see it («230 KB»).
    pub tamano: String,
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
    /// The cover image, resolved, with its versions and size.
    pub cover: Option<crate::assets::ImageRef>,
    /// External links of the body, for `check --externos`.
    pub external_links: Vec<crate::links::ExternalLink>,
    /// Files the body publishes besides its page (standalone chart SVGs).
    pub extra_files: Vec<(String, Vec<u8>)>,
    /// `@/` keys the body links to.
    pub linked: Vec<String>,
    /// Its second- and third-level headings, for the table of contents.
    pub headings: Vec<crate::content::markdown::Heading>,
    /// The link to its PDF, when it has one (the PDF itself is among `extra_files`).
    pub pdf: Option<PdfLink>,
    /// The datasets its shortcodes read, for each dataset's page.
    pub datasets: Vec<crate::render::datasets::DatasetUse>,
}

/// The list view of an entry.
pub fn summary(model: &SiteModel, e: &Entry, body: &BodyInfo, tags: &TagLinks) -> SummaryView {
    let f = &e.doc.front;
    SummaryView {
        titulo: f.title.clone(),
        url: [model.config.base_url.path.as_str(), &e.url].concat(),
        fecha: f.date.map(iso_date),
        fecha_legible: f.date.map(long_date),
        resumen: body.summary.clone(),
        etiquetas: f.tags.clone(),
        etiquetas_enlaces: f
            .tags
            .iter()
            .map(|t| crate::content::slug::slugify(t))
            .filter(|slug| !slug.is_empty())
            .map(|slug| match tags.get(&slug) {
                Some(link) => link.clone(),
                None => Prepared::new(&tag_link(model, &slug)),
            })
            .collect(),
        autor: f.author.clone(),
        portada: f
            .cover
            .as_ref()
            .zip(body.cover.as_ref())
            .map(|(c, image)| CoverView {
                imagen: image.src.clone(),
                srcset: image.srcset.clone(),
                ancho: image.size.map(|s| s.0),
                alto: image.size.map(|s| s.1),
                alt: c.alt.clone(),
                credito: c.credit.clone(),
            }),
    }
}

/// Every tag's link as cards show it, converted for templates once: the cards of a tag
/// share it (one copy per card was some five megabytes at 10,000 bulletins).
pub type TagLinks = std::collections::BTreeMap<String, Prepared>;

/// The [`TagLinks`] of the site's tags.
pub fn tag_links(model: &SiteModel) -> TagLinks {
    model
        .tags
        .keys()
        .map(|slug| (slug.clone(), Prepared::new(&tag_link(model, slug))))
        .collect()
}

/// The link of the tag `slug`: its name as first written (empty for a tag no published
/// bulletin has) and its first page.
fn tag_link(model: &SiteModel, slug: &str) -> TagLink {
    TagLink {
        nombre: model
            .tags
            .get(slug)
            .map_or_else(String::new, |t| t.0.clone()),
        url: format!(
            "{}{}",
            model.config.base_url.path,
            crate::urls::tag(slug, 1)
        ),
    }
}

/// The full view of an entry.
///
/// `card` is the entry's [`summary`] for this body, as lists show it.
pub fn document<'a>(
    model: &SiteModel,
    e: &'a Entry,
    body: &'a BodyInfo,
    card: &'a Prepared,
) -> DocumentView<'a> {
    let f = &e.doc.front;
    DocumentView {
        resumen: card,
        own: DocumentFields {
            contenido: &body.html,
            actualizado: f.updated.map(iso_date),
            actualizado_legible: f.updated.map(long_date),
            territorios: f.territories.iter().map(|t| t.value.as_str()).collect(),
            barrios: f.barrios.iter().map(|b| b.value.as_str()).collect(),
            extra: &f.extra,
            tiempo_lectura: body.words.div_ceil(200).max(1),
            borrador: f.draft,
            embargado_hasta: f
                .publish_from
                .filter(|t| *t > model.now)
                .map(|t| crate::format::long_instant(t, &model.config.time_zone)),
            indice: toc(f.toc, &body.headings),
            correcciones: f
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    fecha: iso_date(c.date.value),
                    fecha_legible: long_date(c.date.value),
                    texto: &c.text,
                    menor: c.minor,
                })
                .collect(),
            pdf: body.pdf.as_ref(),
        },
    }
}

/// One map of the card's fields followed by the document's own. Written by hand because
/// `#[serde(flatten)]` makes the map through serde's buffer of unknown keys, a copy of every
/// name and value; here the card's names stay the `&'static str`s of [`SummaryView`] and
/// its values are cloned by reference count.
impl Serialize for DocumentView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let own = &self.own;
        let mut map = serializer.serialize_struct("DocumentView", self.resumen.len() + 11)?;
        self.resumen.fields(&mut map)?;
        map.serialize_field("contenido", own.contenido)?;
        map.serialize_field("actualizado", &own.actualizado)?;
        map.serialize_field("actualizado_legible", &own.actualizado_legible)?;
        map.serialize_field("territorios", &own.territorios)?;
        map.serialize_field("barrios", &own.barrios)?;
        map.serialize_field("extra", own.extra)?;
        map.serialize_field("tiempo_lectura", &own.tiempo_lectura)?;
        map.serialize_field("borrador", &own.borrador)?;
        map.serialize_field("embargado_hasta", &own.embargado_hasta)?;
        map.serialize_field("correcciones", &own.correcciones)?;
        let indice: Vec<serde_json::Value> = own
            .indice
            .iter()
            .map(|h| serde_json::json!({"nivel": h.level, "id": h.id, "texto": h.text}))
            .collect();
        map.serialize_field("indice", &indice)?;
        // Only with a PDF: the pages of sites without one are as they were.
        if let Some(pdf) = own.pdf {
            map.serialize_field("pdf", pdf)?;
        } else {
            map.skip_field("pdf")?;
        }
        map.end()
    }
}
