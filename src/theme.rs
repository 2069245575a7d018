//! The theme: the built-in default embedded in the binary, file by file, overridden by a
//! site's `themes/<tema>/templates/…` and `themes/<tema>/static/…`.
//!
//! The table below is the list of overridable files; `include_str!` keeps debug and release
//! builds identical and lets cargo rebuild when a theme file changes.
//!
//! The static files pages load (CSS, scripts, images, fonts) are published under
//! content-hashed names (`css/boletin.3f2a9c1e.css`, `output::hashed_path`), so a host can
//! let browsers keep them for a year: an edit, or a site's override, changes the name.
//! Templates reach them through `recurso(ruta=…)`. Other static files (`favicon.ico`, which
//! browsers ask for by name, a `CNAME`, a PDF) keep their names. A site's template copied
//! from an older version, which writes `{{ base }}css/boletin.css`, keeps working: a file a
//! template names by its fixed path is also published under that name (`Theme::fixed`).

use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use crate::output::hashed_path;
use crate::project::walk;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// Built-in templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = embed![
    "base.html",
    "index.html",
    "boletin.html",
    "boletines.html",
    "pagina.html",
    "404.html",
    "alias.html",
    "proximas.html",
    "datos.html",
    "conjunto.html",
    "etiquetas.html",
    "etiqueta.html",
    "archivo.html",
    "anio.html",
    "buscar.html",
    "barrios.html",
    "barrio.html",
    "territorios.html",
    "territorio.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "partials/cabecera.html",
    "partials/pie.html",
    "partials/menu.html",
    "partials/tarjeta_boletin.html",
    "partials/paginacion.html",
    "partials/lista_boletines.html",
    "partials/lista_mixta.html",
    "partials/cobertura.html",
    "shortcodes/figura.html",
    "shortcodes/tabla.html",
    "shortcodes/grafico.html",
    "shortcodes/mapa.html",
];

/// Built-in static files: (output path, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "css/boletin.css",
        include_bytes!("../themes/default/static/css/boletin.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "buscar/buscar.js",
        include_bytes!("../themes/default/static/buscar/buscar.js"),
    ),
];

/// The theme in effect for one build.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name → (text, file the text came from, for messages).
    pub templates: BTreeMap<String, (String, String)>,
    /// Static file (its path under `static/`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Static file → the path it is published at (hashed or not): filled by `load`.
    pub published: BTreeMap<String, String>,
    /// Hashed static files that a template also names by their fixed path, published under
    /// both names: filled by `load`.
    pub fixed: BTreeSet<String>,
}

/// Extensions of the static files pages load, which get content-hashed names.
const HASHED: &[&str] = &[
    "css", "js", "mjs", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "woff", "woff2", "ttf",
    "otf",
];

/// True for a static file published under a content-hashed name.
pub fn is_hashed(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| HASHED.contains(&ext.to_ascii_lowercase().as_str()))
}

impl Theme {
    /// Fills `published`: each static file's output path, with the hash of its bytes when
    /// `is_hashed`.
    fn publish_names(mut self) -> Self {
        self.published = self
            .statics
            .iter()
            .map(|(path, bytes)| {
                let out = if is_hashed(path) {
                    hashed_path(path, bytes)
                } else {
                    path.clone()
                };
                (path.clone(), out)
            })
            .collect();
        self.fixed = self
            .statics
            .keys()
            .filter(|path| is_hashed(path))
            .filter(|path| {
                self.templates
                    .values()
                    .any(|(text, _)| names_fixed_path(text, path))
            })
            .cloned()
            .collect();
        self
    }
}

/// True when `text` names `path` as an address rather than through `recurso`: right after a
/// `}}` (`{{ base }}css/boletin.css`) or as an absolute path in a quoted attribute.
fn names_fixed_path(text: &str, path: &str) -> bool {
    text.match_indices(path).any(|(i, _)| {
        let before = &text[..i];
        before.ends_with("}}") || before.ends_with("\"/") || before.ends_with("'/")
    })
}

/// The built-in theme, then the files of `themes/<name>/` on top.
pub fn load(root: &Path, name: Option<&str>) -> Result<Theme, Diagnostics> {
    let mut theme = Theme::default();
    for (n, text) in TEMPLATES {
        theme.templates.insert(
            n.to_string(),
            (text.to_string(), format!("(tema incorporado) {n}")),
        );
    }
    for (n, bytes) in STATIC {
        theme.statics.insert(n.to_string(), bytes.to_vec());
    }
    let Some(name) = name else {
        return Ok(theme.publish_names());
    };
    let dir = Path::new("themes").join(name);
    if !root.join(&dir).is_dir() {
        return Err(Diagnostic::in_file(
            crate::config::CONFIG_PATH,
            Problem::UnknownTheme { name: name.into() },
        )
        .into());
    }
    let mut diags = Diagnostics::new();
    for kind in ["templates", "static"] {
        let base = dir.join(kind);
        for rel in walk(root, &base) {
            let key = rel
                .strip_prefix(&base)
                .map(display_path)
                .unwrap_or_default();
            match std::fs::read(root.join(&rel)) {
                Ok(bytes) if kind == "static" => {
                    theme.statics.insert(key, bytes);
                }
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        let text = crate::source::normalise(&text);
                        theme.templates.insert(key, (text, display_path(&rel)));
                    }
                    Err(_) => diags.push(Diagnostic::in_file(&rel, Problem::NotUtf8)),
                },
                Err(e) => diags.push(Diagnostic::in_file(
                    &rel,
                    Problem::Io {
                        detail: e.to_string(),
                    },
                )),
            }
        }
    }
    if diags.is_empty() {
        Ok(theme.publish_names())
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `themes/default/` must be in the embedded tables, and only those.
    #[test]
    fn embedded_table_matches_the_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk: Vec<String> = walk(root, Path::new("themes/default"))
            .iter()
            .map(|p| display_path(p.strip_prefix("themes/default").unwrap_or(p)))
            .collect();
        let mut embedded: Vec<String> = TEMPLATES
            .iter()
            .map(|(n, _)| format!("templates/{n}"))
            .chain(STATIC.iter().map(|(n, _)| format!("static/{n}")))
            .collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn pages_assets_get_hashed_names_and_the_rest_keep_theirs() {
        let theme = load(Path::new("/nonexistent"), None).expect("built-in theme");
        let css = &theme.published["css/boletin.css"];
        assert!(
            css.starts_with("css/boletin.") && css.ends_with(".css"),
            "{css}"
        );
        assert_ne!(css, "css/boletin.css");
        assert!(is_hashed("buscar/buscar.js") && is_hashed("fuentes/x.WOFF2"));
        assert!(!is_hashed("favicon.ico") && !is_hashed("CNAME") && !is_hashed("x.pdf"));
        assert!(
            theme.fixed.is_empty(),
            "the built-in theme names none by fixed path"
        );
    }

    #[test]
    fn a_fixed_path_is_told_from_a_recurso_argument() {
        let css = "css/boletin.css";
        assert!(names_fixed_path("href=\"{{ base }}css/boletin.css\"", css));
        assert!(names_fixed_path("href=\"/css/boletin.css\"", css));
        assert!(!names_fixed_path(
            "href=\"{{ recurso(ruta=\"css/boletin.css\") }}\"",
            css
        ));
        assert!(!names_fixed_path("{# static/css/boletin.css #}", css));
    }
}
