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

/// The one URL policy for every link from content, data or settings: a site path, a
/// relative path, an `@/` link or a fragment, or a URL whose scheme is `https`, `http`,
/// `mailto` or `tel` (any letter case). Anything else — `javascript:`, `data:`,
/// `vbscript:`, `file:` — is refused. Browsers ignore tabs, newlines and other controls
/// inside a scheme (`java\tscript:`), so they are removed before it is read.
pub fn is_safe_link(url: &str) -> bool {
    let cleaned: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(at) if cleaned[at..].starts_with(':') => {
            let scheme = cleaned[..at].to_ascii_lowercase();
            // `@/x.md:3`-like text without a scheme has a `/` before its colon.
            matches!(scheme.as_str(), "https" | "http" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// True for a free-form field name that holds an address, and so follows
/// [`is_safe_link`]: `url`, `enlace`, or a name ending in `_url` (any letter case). Dataset
/// columns and a document's `extra` are checked by it.
pub fn is_address_key(name: &str) -> bool {
    let name = name.trim().to_lowercase();
    name == "url" || name == "enlace" || name.ends_with("_url")
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

    #[test]
    fn address_keys() {
        for yes in ["url", "URL", "enlace", "fuente_url", "Mapa_URL"] {
            assert!(is_address_key(yes), "{yes}");
        }
        for no in ["urls", "enlaces", "nombre", "url_base", "curl"] {
            assert!(!is_address_key(no), "{no}");
        }
    }

    #[test]
    fn only_safe_schemes_are_links() {
        for ok in [
            "/barrio-seguro/boletines/",
            "@/paginas/acerca.md#x",
            "https://example.org/a:b",
            "HTTP://x",
            "mailto:prensa@example.org",
            "tel:+5114",
            "#nota",
            "otra/pagina/",
            "//example.org/x",
        ] {
            assert!(super::is_safe_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:x",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!super::is_safe_link(bad), "{bad}");
        }
    }
}
