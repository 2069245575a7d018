//! Raw HTML in Markdown: allowed through an allowlist (ammonia), never trusted.
//!
//! The only module that names ammonia. [`clean`] runs over a whole rendered body, so our own
//! markup (footnotes, tables, figures) must be on the list too; [`audit`] looks at each raw
//! HTML chunk an editor wrote and says what the allowlist will remove, so the editor gets a
//! warning at the right line instead of a silent change (a URL the policy refuses is an
//! error, found by `raw_links`).

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
        // The one URL policy (`urls::is_safe_link`): `raw_links` already refused the rest
        // with an error; this keeps them out should a body ever get this far.
        .url_schemes(HashSet::from(["https", "http", "mailto", "tel"]))
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
    }
    found
}

/// How deep elements may nest in a body that goes through [`clean`]. html5ever looks down
/// the stack of open elements at each tag, so 80,000 nested `<div>` took minutes; real
/// bulletins stay under thirty.
pub const MAX_NESTING: usize = 256;

/// Elements that never hold others (void), or whose end tag the parser supplies by itself
/// (a `<p>` or `<li>` closes the one before): neither makes the parser's stack grow.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rb", "rp", "rt", "rtc", "colgroup", "caption", "html", "head", "body",
];

/// How many elements an editor's raw HTML leaves open, read chunk by chunk across a body
/// (an HTML block comes as one chunk per line). A cheap tag count, not a parser: it errs
/// towards counting an element as open, as html5ever does with `<div/>`.
#[derive(Debug, Default)]
pub struct Nesting {
    open: usize,
    /// Open `<svg>` and `<math>`, where `/>` does close an element.
    foreign: usize,
    in_comment: bool,
}

impl Nesting {
    /// How many elements are open after the chunks read so far.
    pub fn open(&self) -> usize {
        self.open
    }

    /// Reads one raw HTML chunk; returns the most elements open at any point in it (a
    /// chunk may open and close a thousand).
    pub fn read(&mut self, raw: &str) -> usize {
        let mut peak = self.open;
        let mut rest = raw;
        loop {
            if self.in_comment {
                let Some(end) = rest.find("-->") else { break };
                self.in_comment = false;
                rest = &rest[end + 3..];
            }
            let Some(start) = rest.find('<') else { break };
            rest = &rest[start + 1..];
            if let Some(after) = rest.strip_prefix("!--") {
                self.in_comment = true;
                rest = after;
                continue;
            }
            let end = rest.find('>').unwrap_or(rest.len());
            self.tag(&rest[..end]);
            peak = peak.max(self.open);
            rest = &rest[end..];
        }
        peak
    }

    /// One tag's text between `<` and `>`.
    fn tag(&mut self, tag: &str) {
        let (closing, body) = match tag.strip_prefix('/') {
            Some(body) => (true, body),
            None => (false, tag),
        };
        let len = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let name = body[..len].to_ascii_lowercase();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || NOT_NESTING.contains(&&*name) {
            return;
        }
        let foreign_root = name == "svg" || name == "math";
        if closing {
            self.open = self.open.saturating_sub(1);
            if foreign_root {
                self.foreign = self.foreign.saturating_sub(1);
            }
            return;
        }
        if tag.ends_with('/') && (self.foreign > 0 || foreign_root) {
            return;
        }
        self.open += 1;
        if foreign_root {
            self.foreign += 1;
        }
    }
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

    #[test]
    fn nesting_counts_elements_left_open_across_chunks() {
        let mut n = Nesting::default();
        assert_eq!(n.read("<div><div><b>x</b></div></div>"), 3);
        assert_eq!(n.open(), 0);
        let mut read = |raw: &str| {
            n.read(raw);
            n.open()
        };
        assert_eq!(read("<div class=\"a\"><section>"), 2);
        assert_eq!(read("<p>uno<p>dos<br><img src=x><li>"), 2);
        assert_eq!(read("<!-- <div><div> -->"), 2);
        assert_eq!(read("<!-- <div>"), 2);
        assert_eq!(read("<div> --> <b>"), 3);
        assert_eq!(read("<svg><path d=\"M0\"/><g/></svg>"), 3);
        assert_eq!(read("<div/></b></section></div>"), 1);
        assert_eq!(read("</div></div></span>< x <3 <>"), 0);
    }
}
