//! `content/sitio.yaml`: the raw contract read field by field into a validated [`SiteConfig`].

use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::format::NumberFormat;
use crate::source::SourceFile;
use crate::yaml::{self, Fields, Located};
use std::path::Path;

/// Where the site config lives, relative to the root.
pub const CONFIG_PATH: &str = "content/sitio.yaml";

const KEYS: &[&str] = &[
    "titulo",
    "descripcion",
    "url_base",
    "idioma",
    "zona_horaria",
    "institucion",
    "logo",
    "tema",
    "por_pagina",
    "menu",
    "mapa",
    "campos_privados",
    "iframes_permitidos",
    "cifras_portada",
    "aviso_pie",
    "pdf",
];

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// One-sentence description.
    pub description: Option<String>,
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// Language tag, e.g. `es-PE`.
    pub language: String,
    /// How numbers are written in `language`.
    pub numbers: NumberFormat,
    /// Time zone for dates without an offset and for `new`.
    pub time_zone: jiff::tz::TimeZone,
    /// Name of the time zone as written.
    pub time_zone_name: String,
    /// Publishing institution.
    pub institution: Option<String>,
    /// Logo path relative to `content/`.
    pub logo: Option<String>,
    /// Theme folder name under `themes/`, if any.
    pub theme: Option<String>,
    /// Bulletins per archive page.
    pub per_page: usize,
    /// Main menu.
    pub menu: Vec<MenuItem>,
    /// The `.geojson` of `datos/` that maps territories.
    pub map: Option<String>,
    /// Extra field names that never reach any output.
    pub private_fields: Vec<String>,
    /// Hosts whose `<iframe>` may appear in raw HTML (`https://` only).
    pub iframe_hosts: Vec<String>,
    /// `cifras_portada`: the home page's headline figures, each computed from datasets.
    pub headline: Vec<HeadlineFigure>,
    /// `aviso_pie`: a notice printed in every page's footer (e.g. «no es el sitio oficial»).
    pub footer_notice: Option<String>,
    /// `pdf`: every published bulletin is also typeset as a PDF (a bulletin's own `pdf`
    /// overrides it).
    pub pdf: bool,
}

/// One headline figure of the home page: the sum of a column (or the number of rows) over
/// one or more datasets, with the sentence that says what it counts.
#[derive(Debug, Clone)]
pub struct HeadlineFigure {
    /// `datos`: dataset ids, each where it was written.
    pub datasets: Vec<Located<String>>,
    /// `suma`: the column summed; without it, rows are counted.
    pub sum: Option<String>,
    /// `texto`: what the figure counts, shown beside it.
    pub text: String,
}

/// One menu entry; `link` is `@/…`, a URL, or a path.
#[derive(Debug, Clone)]
pub struct MenuItem {
    /// Visible text.
    pub title: String,
    /// Target as written.
    pub link: String,
    /// Where the link was written, for errors.
    pub position: crate::diag::Position,
}

/// `url_base` split into origin and path, so every link can honour the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org`
    pub origin: String,
    /// `/barrio-seguro/` — always starts and ends with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses an absolute http(s) URL without query or fragment.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let rest = t
            .strip_prefix("https://")
            .or_else(|| t.strip_prefix("http://"))?;
        if t.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
            return None;
        }
        let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
        if host.is_empty() {
            return None;
        }
        let scheme_len = t.len() - rest.len();
        let origin = format!("{}{}", &t[..scheme_len], host);
        let path = path.trim_matches('/');
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        };
        Some(BaseUrl { origin, path })
    }

    /// The absolute URL of a site path (`path` relative to the base, no leading `/`).
    pub fn absolute(&self, path: &str) -> String {
        [self.origin.as_str(), &self.path, path].concat()
    }
}

/// Reads and validates `content/sitio.yaml`.
pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
    let path = root.join(CONFIG_PATH);
    // Refused like every other link under `content/`: it could read a file from outside.
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(Diagnostic::in_file(CONFIG_PATH, Problem::SymlinkRefused).into());
    }
    if !path.is_file() {
        return Err(Diagnostic::in_file(CONFIG_PATH, Problem::MissingSiteConfig).into());
    }
    parse(SourceFile::read(root, Path::new(CONFIG_PATH))?)
}

/// Validates the settings in `file` (the text of `content/sitio.yaml`).
pub fn parse(file: SourceFile) -> Result<SiteConfig, Diagnostics> {
    let node = yaml::parse(&file, &file.text, 1)?;
    let mut diags = Diagnostics::new();
    let config = read(&file, &node, &mut diags);
    match config {
        Some(c) if diags.is_empty() => Ok(c),
        _ => Err(diags),
    }
}

fn read(file: &SourceFile, node: &yaml::Node, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let mut f = Fields::new(file, node, KEYS, diags)?;
    let title = f.required_text("titulo");
    let base_url = f.required_text("url_base").and_then(|u| {
        let parsed = BaseUrl::parse(&u.value);
        if parsed.is_none() {
            f.error(
                u.position,
                Problem::InvalidBaseUrl {
                    value: u.value.clone(),
                },
            );
        }
        parsed
    });
    let language = f
        .text("idioma")
        .map_or(("es-PE".to_string(), None), |l| (l.value, Some(l.position)));
    let numbers = NumberFormat::for_language(&language.0);
    if numbers.is_none() {
        let at = language.1.unwrap_or_default();
        f.error(
            at,
            Problem::UnsupportedLanguage {
                value: language.0.clone(),
            },
        );
    }
    let tz_name = f.text("zona_horaria");
    let time_zone = match &tz_name {
        Some(t) => jiff::tz::TimeZone::get(&t.value).ok().or_else(|| {
            f.error(
                t.position,
                Problem::InvalidTimeZone {
                    value: t.value.clone(),
                },
            );
            None
        }),
        None => jiff::tz::TimeZone::get("America/Lima").ok(),
    };
    let menu = read_menu(&mut f);
    let headline = read_headline(&mut f);
    let config = SiteConfig {
        title: title?.value,
        description: f.text("descripcion").map(|t| t.value),
        base_url: base_url?,
        language: language.0,
        numbers: numbers?,
        time_zone: time_zone?,
        time_zone_name: tz_name.map_or("America/Lima".into(), |t| t.value),
        institution: f.text("institucion").map(|t| t.value),
        logo: f.text("logo").map(|t| t.value),
        theme: f.text("tema").map(|t| t.value),
        per_page: f.positive_int("por_pagina").unwrap_or(10),
        menu,
        map: f.text("mapa").map(|t| t.value),
        private_fields: f.text_list("campos_privados"),
        iframe_hosts: f.text_list("iframes_permitidos"),
        headline,
        footer_notice: f.text("aviso_pie").map(|t| t.value),
        pdf: f.pdf_switch("pdf").unwrap_or(false),
    };
    Some(config)
}

fn read_menu(f: &mut Fields<'_>) -> Vec<MenuItem> {
    let file = f.file();
    let mut items = Vec::new();
    for node in f.list_of_maps("menu") {
        let Some(mut item) = Fields::new(file, node, &["titulo", "enlace"], f.diags()) else {
            continue;
        };
        let title = item.required_text("titulo");
        let link = item.required_link("enlace");
        if let (Some(title), Some(link)) = (title, link) {
            items.push(MenuItem {
                title: title.value,
                link: link.value,
                position: link.position,
            });
        }
    }
    items
}

fn read_headline(f: &mut Fields<'_>) -> Vec<HeadlineFigure> {
    let file = f.file();
    let mut figures = Vec::new();
    for node in f.list_of_maps("cifras_portada") {
        let keys = &["datos", "suma", "texto"];
        let Some(mut item) = Fields::new(file, node, keys, f.diags()) else {
            continue;
        };
        let datasets = item.located_text_list("datos");
        if datasets.is_empty() {
            item.missing("datos");
        }
        let text = item.required_text("texto");
        if let (Some(text), false) = (text, datasets.is_empty()) {
            figures.push(HeadlineFigure {
                datasets,
                sum: item.text("suma").map(|t| t.value),
                text: text.value,
            });
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        let b = BaseUrl::parse("https://example.org/barrio-seguro").unwrap();
        assert_eq!(b.origin, "https://example.org");
        assert_eq!(b.path, "/barrio-seguro/");
        assert_eq!(
            b.absolute("boletines/"),
            "https://example.org/barrio-seguro/boletines/"
        );
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_none());
        assert!(BaseUrl::parse("https:///x").is_none());
    }
}

#[cfg(test)]
mod pdf_switch_tests {
    use super::*;

    const SITE: &str = "titulo: T\nurl_base: https://example.org/\npdf: true\n";

    /// With Typst inside, `pdf: true` is read as asked.
    #[cfg(feature = "pdf")]
    #[test]
    fn pdf_true_is_read_when_the_program_can_typeset() {
        let config = parse(SourceFile::new(CONFIG_PATH, SITE)).expect("config");
        assert!(config.pdf);
    }

    /// Built without the `pdf` feature, `pdf: true` is an error at its key, never a site
    /// silently published without the PDFs it asked for. `.ci/run` runs this build.
    #[cfg(not(feature = "pdf"))]
    #[test]
    fn pdf_true_is_refused_at_its_place_without_the_feature() {
        let diags = parse(SourceFile::new(CONFIG_PATH, SITE)).expect_err("refused");
        let found: Vec<_> = diags.iter().collect();
        assert_eq!(found.len(), 1);
        assert!(matches!(*found[0].problem, Problem::PdfNotBuiltIn));
        let at = found[0].position.expect("position");
        assert_eq!((at.line, at.column), (3, 1));
        assert!(found[0].message().contains("escriba `pdf: false`"));
        let off = SITE.replace("pdf: true", "pdf: false");
        assert!(
            !parse(SourceFile::new(CONFIG_PATH, &off))
                .expect("config")
                .pdf
        );
    }
}
