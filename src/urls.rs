//! Permalinks: where each kind of page is written and linked, always relative to the site
//! base so that a site published under a sub-path (`/barrio-seguro/`) works.

/// Path names a standalone page may not take, because the site uses them.
pub const RESERVED: &[&str] = &[
    "boletines",
    "barrios",
    "territorios",
    "etiquetas",
    "archivo",
    "datos",
    "buscar",
    "css",
    "imagenes",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

/// `boletines/<slug>/`
pub fn bulletin(slug: &str) -> String {
    format!("boletines/{slug}/")
}

/// `<slug>/`
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// `boletines/` for page 1, `boletines/pagina/N/` after.
pub fn archive(page: usize) -> String {
    if page <= 1 {
        "boletines/".into()
    } else {
        format!("boletines/pagina/{page}/")
    }
}

/// `etiquetas/<slug>/`, then `etiquetas/<slug>/pagina/N/`.
pub fn tag(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("etiquetas/{slug}/")
    } else {
        format!("etiquetas/{slug}/pagina/{page}/")
    }
}

/// `archivo/<AAAA>/`
pub fn year(year: i16) -> String {
    format!("archivo/{year}/")
}

/// The file that serves a URL path: `x/` → `x/index.html`, `""` → `index.html`.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// A site path as a link: the base path joined with the relative path.
pub fn link(base_path: &str, path: &str) -> String {
    format!("{base_path}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(archive(1), "boletines/");
        assert_eq!(archive(3), "boletines/pagina/3/");
        assert_eq!(file_for("boletines/a/"), "boletines/a/index.html");
        assert_eq!(file_for(""), "index.html");
        assert_eq!(link("/sub/", "boletines/a/"), "/sub/boletines/a/");
    }
}
