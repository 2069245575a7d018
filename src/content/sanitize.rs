//! Raw HTML in Markdown: allowed through an allowlist (ammonia), never trusted.
//!
//! The only module that names ammonia. [`clean`] runs over a whole rendered body, so our own
//! markup (footnotes, tables, figures) must be on the list too; [`audit`] looks at each raw
//! HTML chunk an editor wrote and says what the allowlist will remove, so the editor gets a
//! warning at the right line instead of a silent change.

use std::borrow::Cow;
use std::collections::HashSet;

/// Tags editors may write (besides ammonia's defaults) and that our renderer produces.
const EXTRA_TAGS: &[&str] = &[
    "section",
    "figure",
    "figcaption",
    "caption",
    "details",
    "summary",
];

/// Attributes allowed on every element.
const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
    "tabindex",
    "lang",
    "title",
    "style",
];

/// Sanitises rendered HTML. `iframe_hosts` are the hosts whose `<iframe>` may stay.
pub fn clean(html: &str, iframe_hosts: &[String]) -> String {
    let hosts: Vec<String> = iframe_hosts.to_vec();
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(EXTRA_TAGS)
        .add_generic_attributes(GENERIC_ATTRIBUTES)
        .add_tag_attributes(
            "img",
            ["loading", "decoding", "srcset", "sizes", "width", "height"],
        )
        .add_tag_attributes("a", ["download"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .link_rel(None)
        .strip_comments(true)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" && !host_allowed(value, &hosts) {
                return None;
            }
            // ammonia checks `src` but not `srcset`: only paths inside the site may stay.
            if attribute == "srcset" && (value.contains(':') || value.contains("//")) {
                return None;
            }
            Some(Cow::Borrowed(value))
        });
    if !iframe_hosts.is_empty() {
        builder.add_tags(["iframe"]).add_tag_attributes(
            "iframe",
            ["src", "width", "height", "allowfullscreen", "loading"],
        );
    }
    builder.clean(html).to_string()
}

fn host_allowed(url: &str, hosts: &[String]) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// What the allowlist will remove from one raw HTML chunk, described for editors.
pub fn audit(raw: &str, iframe_hosts: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = raw;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        rest = &after[end.min(after.len())..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let name = name.to_ascii_lowercase();
        if name.is_empty() || tag.starts_with('/') {
            continue;
        }
        if [
            "script", "style", "object", "embed", "form", "input", "button", "link", "meta", "base",
        ]
        .contains(&name.as_str())
        {
            found.push(format!("la etiqueta <{name}>"));
            continue;
        }
        if name == "iframe" && !iframe_src_allowed(tag, iframe_hosts) {
            found.push("un <iframe> de un sitio que no está en `iframes_permitidos`".into());
        }
        let lower = tag.to_ascii_lowercase();
        for attr in lower.split_whitespace().skip(1) {
            if attr.starts_with("on") && attr.contains('=') {
                let attr_name = attr.split('=').next().unwrap_or(attr);
                found.push(format!("el atributo `{attr_name}` de <{name}>"));
            }
        }
        if lower.contains("javascript:") || lower.contains("vbscript:") {
            found.push(format!("un enlace `javascript:` en <{name}>"));
        }
    }
    found
}

fn iframe_src_allowed(tag: &str, hosts: &[String]) -> bool {
    let Some(i) = tag.find("src=") else {
        return false;
    };
    let value = tag[i + 4..].trim_start_matches(['"', '\'']);
    let end = value.find(['"', '\'', ' ']).unwrap_or(value.len());
    host_allowed(&value[..end], hosts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_markup_goes_and_safe_markup_stays() {
        let html = "<p>Hola <abbr title=\"Ministerio\">Mininter</abbr><script>alert(1)</script>\
                    <img src=\"a.png\" onerror=\"alert(1)\" alt=\"x\"><a href=\"javascript:alert(1)\">x</a></p>";
        let out = clean(html, &[]);
        assert_eq!(
            out,
            "<p>Hola <abbr title=\"Ministerio\">Mininter</abbr><img src=\"a.png\" alt=\"x\"><a>x</a></p>"
        );
    }

    #[test]
    fn our_own_markup_survives() {
        let html = "<div class=\"tabla\" role=\"region\" aria-label=\"Tabla 1\" tabindex=\"0\"><table><thead><tr>\
                    <th style=\"text-align:right\" scope=\"col\">n</th></tr></thead></table></div>\
                    <sup class=\"nota-ref\" id=\"ref-1\"><a href=\"#nota-1\" aria-describedby=\"notas-titulo\">1</a></sup>\
                    <section class=\"notas\" aria-labelledby=\"notas-titulo\"><h2 id=\"notas-titulo\">Notas</h2></section>\
                    <figure class=\"figura\"><img src=\"/sub/a.svg\" alt=\"a\" loading=\"lazy\" decoding=\"async\" width=\"3\" height=\"4\"><figcaption>p</figcaption></figure>";
        assert_eq!(clean(html, &[]), html);
    }

    #[test]
    fn iframes_only_from_allowed_hosts() {
        let hosts = vec!["www.youtube-nocookie.com".to_string()];
        let ok =
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\"></iframe>";
        assert_eq!(clean(ok, &hosts), ok);
        assert!(audit(ok, &hosts).is_empty());
        let bad = "<iframe src=\"https://evil.example/x\"></iframe>";
        assert!(!clean(bad, &hosts).contains("evil"));
        assert_eq!(
            audit(bad, &hosts),
            ["un <iframe> de un sitio que no está en `iframes_permitidos`"]
        );
        assert!(!clean(ok, &[]).contains("iframe"));
    }

    #[test]
    fn audit_names_what_goes() {
        assert_eq!(
            audit("<img src=x onerror=alert(1)><script>", &[]),
            ["el atributo `onerror` de <img>", "la etiqueta <script>"]
        );
        assert!(audit("<abbr title=\"x\">y</abbr>", &[]).is_empty());
    }
}
