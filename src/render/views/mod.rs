//! What templates see: borrowed, serialisable views of the model. These structs are the
//! theme API documented in the README; internals may change, these names should not.
//!
//! This file holds what every page sees (the site, the menu, the social card, JSON-LD);
//! `document.rs` a bulletin or page and its card; `pagination.rs` the archive's pages.

mod document;
mod pagination;

pub use document::{
    BodyInfo, CoverView, DocumentView, PdfLink, SummaryView, TagLink, TagLinks, document, summary,
    tag_links,
};
pub use pagination::{PageLink, PaginationView, page_window};

use crate::config::SiteConfig;
use crate::format::iso_date;
use crate::model::{Entry, SiteModel};
use serde::Serialize;

/// `sitio`
#[derive(Serialize)]
pub struct SiteView<'a> {
    titulo: &'a str,
    descripcion: Option<&'a str>,
    idioma: &'a str,
    institucion: Option<&'a str>,
    aviso_pie: Option<&'a str>,
    logo: Option<String>,
    url_base: String,
    menu: Vec<MenuView>,
    /// The accessibility statement's address (`paginas/accesibilidad.md`), for the footer.
    url_accesibilidad: Option<String>,
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
    /// Which menu entries are this page's: `sitio` is the [`SiteValues`] for them, added to
    /// the context when the page is rendered.
    #[serde(skip)]
    pub current: Vec<bool>,
    base: &'a str,
    ruta: String,
    url_canonica: String,
    titulo_pagina: String,
    /// The `<title>`: the page's title cut to fit, then the site's name.
    titulo_ventana: String,
    descripcion_pagina: Option<String>,
    social: SocialView,
    url_feed: String,
}

/// How long a `<title>` may be, in characters: what a browser tab, a search result and a
/// screen reader's window list show before they cut.
const WINDOW_TITLE: usize = 60;

/// A page's `<title>`: its title, then ` · ` and the site's name last (the title alone when
/// it is the site's). A long title is cut at a word and ends with «…» so that the whole
/// fits [`WINDOW_TITLE`], keeping at least 30 characters of it.
fn window_title(title: &str, site: &str) -> String {
    if title.is_empty() || title == site {
        return site.to_string();
    }
    let room = WINDOW_TITLE
        .saturating_sub(site.chars().count() + 3)
        .max(30);
    if title.chars().count() <= room {
        return format!("{title} · {site}");
    }
    let cut: String = title.chars().take(room - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > cut.len() / 2 => &cut[..at],
        _ => &cut,
    };
    let cut = cut.trim_end_matches([' ', ',', ':', ';', '.', '-', '—', '–']);
    format!("{cut}… · {site}")
}

/// Sharing metadata: Open Graph, Twitter card, JSON-LD, robots.
#[derive(Serialize, Clone)]
pub struct SocialView {
    /// `website` or `article`.
    pub tipo: &'static str,
    /// `es_PE`
    pub locale: String,
    /// The card image, if the page has one.
    pub imagen: Option<ImageView>,
    /// JSON-LD, already safe to print inside `<script>`.
    pub json_ld: String,
    /// True for drafts shown with `--drafts`: search engines must not index them.
    pub noindex: bool,
}

/// An image with its absolute URL and size.
#[derive(Serialize, Clone)]
pub struct ImageView {
    url: String,
    ancho: Option<u32>,
    alto: Option<u32>,
    alt: String,
}

impl<'a> Common<'a> {
    /// The common variables for the page at `ruta`, shared as a website.
    pub fn new(
        model: &'a SiteModel,
        menu: &[(String, String)],
        ruta: &str,
        title: &str,
        description: Option<&str>,
    ) -> Self {
        let c = &model.config;
        let social = SocialView {
            tipo: "website",
            locale: c.language.replace('-', "_"),
            imagen: None,
            json_ld: organization_json_ld(c),
            noindex: false,
        };
        Self::shared_as(model, menu, ruta, title, description, social)
    }

    /// The common variables for the page at `ruta`, with its own sharing metadata.
    pub fn shared_as(
        model: &'a SiteModel,
        menu: &[(String, String)],
        ruta: &str,
        title: &str,
        description: Option<&str>,
        social: SocialView,
    ) -> Self {
        let c = &model.config;
        let base = c.base_url.path.as_str();
        Common {
            current: menu
                .iter()
                .map(|(_, enlace)| is_current(enlace, base, ruta))
                .collect(),
            base,
            ruta: ruta.to_string(),
            url_canonica: c.base_url.absolute(ruta),
            titulo_pagina: title.to_string(),
            titulo_ventana: window_title(title, &c.title),
            descripcion_pagina: description
                .map(str::to_string)
                .or_else(|| c.description.clone()),
            social,
            url_feed: c.base_url.absolute("feed.xml"),
        }
    }
}

/// JSON-LD as a string that cannot close the `<script>` element it is printed in.
pub fn script_safe_json(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let bytes = text.as_bytes();
    // The five are `<`, `>`, `&` and U+2028/2029 (E2 80 A8/A9); they are rare, so they are
    // looked for with `memchr` (three at a time, and the lead byte E2), not byte by byte.
    let found = crate::html::ascending(
        memchr::memchr3_iter(b'<', b'>', b'&', bytes),
        memchr::memchr_iter(0xE2, bytes),
    );
    let mut out = String::with_capacity(text.len() + 16);
    let mut from = 0;
    for i in found {
        let (escaped, len) = match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'<', _) => ("\\u003c", 1),
            (b'>', _) => ("\\u003e", 1),
            (b'&', _) => ("\\u0026", 1),
            (_, Some([0x80, 0xA8])) => ("\\u2028", 3),
            (_, Some([0x80, 0xA9])) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&text[from..i]);
        out.push_str(escaped);
        from = i + len;
    }
    out.push_str(&text[from..]);
    out
}

/// The publisher: keys in the order `serde_json` sorts a map's (the order this JSON has
/// always had).
#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

fn organization(c: &SiteConfig) -> Organization<'_> {
    Organization {
        context: None,
        kind: "GovernmentOrganization",
        name: c.institution.as_deref().unwrap_or(&c.title),
        url: c.base_url.absolute(""),
    }
}

fn organization_json_ld(c: &SiteConfig) -> String {
    let org = Organization {
        context: Some("https://schema.org"),
        ..organization(c)
    };
    script_safe_json(&org)
}

/// Sharing metadata of a bulletin: an article with its cover as the card image.
pub fn article_social(
    model: &SiteModel,
    e: &Entry,
    body: &BodyInfo,
    draft_preview: bool,
) -> SocialView {
    let c = &model.config;
    let f = &e.doc.front;
    let imagen = f
        .cover
        .as_ref()
        .zip(body.cover.as_ref())
        .map(|(cover, image)| ImageView {
            url: format!("{}{}", c.base_url.origin, image.src),
            ancho: image.size.map(|s| s.0),
            alto: image.size.map(|s| s.1),
            alt: cover.alt.clone(),
        });
    /// Schema.org's article, fields in the order `serde_json` sorts a map's keys (the
    /// order this JSON has always had), serialised without building a map per page.
    #[derive(Serialize)]
    struct Article<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        author: Option<Person<'a>>,
        #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
        modified: Option<String>,
        #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
        published: Option<String>,
        description: &'a str,
        headline: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<&'a str>,
        #[serde(rename = "inLanguage")]
        language: &'a str,
        publisher: Organization<'a>,
        url: String,
    }
    #[derive(Serialize)]
    struct Person<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
    }
    let ld = Article {
        context: "https://schema.org",
        kind: "NewsArticle",
        author: f.author.as_deref().map(|name| Person {
            kind: "Person",
            name,
        }),
        modified: f.date.and(f.last_modified()).map(iso_date),
        published: f.date.map(iso_date),
        description: &body.summary,
        headline: &f.title,
        image: imagen.as_ref().map(|i| i.url.as_str()),
        language: &c.language,
        publisher: organization(c),
        url: c.base_url.absolute(&e.url),
    };
    let json_ld = script_safe_json(&ld);
    SocialView {
        tipo: "article",
        locale: c.language.replace('-', "_"),
        imagen,
        json_ld,
        noindex: draft_preview && f.draft,
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

/// `sitio` for each way the menu can be marked (entry `k` current, or none), converted for
/// the templates once per build: every page used to build and convert the same values.
pub struct SiteValues(Vec<Option<tera::Value>>);

impl SiteValues {
    /// The values of a site with this menu.
    pub fn new(model: &SiteModel, menu: &[(String, String)]) -> Self {
        let one = |k: usize| (0..menu.len()).map(|i| i == k).collect::<Vec<_>>();
        SiteValues(
            (0..=menu.len())
                .map(|k| site_value(model, menu, &one(k)))
                .collect(),
        )
    }

    /// `sitio` for a page whose current menu entries are `current` (none if it could not be
    /// converted: a template using it then stops with Tera's error at its line).
    pub fn get(
        &self,
        model: &SiteModel,
        menu: &[(String, String)],
        current: &[bool],
    ) -> Option<tera::Value> {
        let mut on = current
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| i);
        let cached = match (on.next(), on.next()) {
            (None, _) => self.0.get(menu.len()),
            (Some(k), None) => self.0.get(k),
            _ => None,
        };
        match cached {
            Some(value) => value.clone(),
            None => site_value(model, menu, current),
        }
    }
}

fn site_value(
    model: &SiteModel,
    menu: &[(String, String)],
    current: &[bool],
) -> Option<tera::Value> {
    let menu = menu
        .iter()
        .zip(current)
        .map(|((titulo, enlace), &actual)| MenuView {
            titulo: titulo.clone(),
            enlace: enlace.clone(),
            actual,
        })
        .collect();
    let mut view = site_view(&model.config, menu);
    view.url_accesibilidad = model
        .resolve(ACCESSIBILITY)
        .map(|u| format!("{}{u}", model.config.base_url.path));
    tera::Value::try_from_serializable(&view).ok()
}

/// The page every footer links to when it exists: the accessibility statement that Peru's
/// digital-accessibility rules (and the UK's) expect of a public site. `init` writes it.
pub const ACCESSIBILITY: &str = "paginas/accesibilidad.md";

fn site_view(c: &SiteConfig, menu: Vec<MenuView>) -> SiteView<'_> {
    SiteView {
        url_accesibilidad: None,
        titulo: &c.title,
        descripcion: c.description.as_deref(),
        idioma: &c.language,
        institucion: c.institution.as_deref(),
        aviso_pie: c.footer_notice.as_deref(),
        logo: c
            .logo
            .as_ref()
            .map(|l| format!("{}{}", c.base_url.path, l.trim_start_matches('/'))),
        url_base: c.base_url.absolute(""),
        menu,
    }
}

#[cfg(test)]
mod window_title_tests {
    #[test]
    fn long_titles_are_cut_at_a_word_with_the_site_last() {
        let long = "Barrio Seguro 2018 + Acción: metas, territorios y medidas del año que viene";
        let t = super::window_title(long, "Barrio Seguro");
        assert_eq!(t, "Barrio Seguro 2018 + Acción: metas… · Barrio Seguro");
        assert!(t.chars().count() <= super::WINDOW_TITLE, "{t}");
        assert_eq!(super::window_title("Buscar", "Sitio"), "Buscar · Sitio");
        assert_eq!(super::window_title("Sitio", "Sitio"), "Sitio");
        assert_eq!(super::window_title("", "Sitio"), "Sitio");
        let very_long_site = "x".repeat(80);
        assert!(
            super::window_title(long, &very_long_site)
                .starts_with("Barrio Seguro 2018 + Acción… · x")
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_ld_cannot_close_its_script() {
        let value = serde_json::json!({ "a": "</script> & \u{2028}\u{2029} ñ — x" });
        assert_eq!(
            super::script_safe_json(&value),
            r#"{"a":"\u003c/script\u003e \u0026 \u2028\u2029 ñ — x"}"#
        );
        for text in [
            "",
            "——“”",
            "<<>>&&",
            "x\u{2028}",
            "\u{2029}<",
            "a — b < c \u{2028} d",
        ] {
            let want = serde_json::to_string(&text)
                .unwrap()
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029");
            assert_eq!(super::script_safe_json(&text), want, "{text}");
        }
    }
}
