//! The URLs in an editor's raw HTML (`href`, `src` and the other attributes a browser
//! follows), read as a browser reads them — names in any letter case, values quoted or not,
//! character references (`&#106;`, `&#x3A;`, `&colon;`) decoded, tabs, newlines and other
//! controls ignored — and checked against the one URL policy
//! ([`crate::urls::is_safe_link`]), so that a `javascript:` link written in HTML is an error
//! at its place, as one written in Markdown is.
//!
//! Not a parser: a tag scanner that errs towards reading an attribute where html5ever would.
//! The allowlist (`sanitize::clean`) still runs over the whole body afterwards, with the same
//! schemes, so what this misses cannot reach readers either.

use crate::urls::is_safe_link;

/// Attributes whose value a browser loads or follows as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "xlink:href",
    "action",
    "formaction",
    "poster",
    "background",
    "cite",
    "data",
    "codebase",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "srcset",
];

/// A URL that breaks the policy: where its value starts and the value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Body offset of the value.
    pub at: usize,
    /// The value as the editor wrote it.
    pub value: String,
    /// The attribute, in lower case.
    pub attribute: String,
}

/// Reads a body's raw HTML chunk by chunk (an HTML block comes as one chunk per line, so a
/// tag may go on in the next chunk).
#[derive(Debug, Default)]
pub struct RawLinks {
    /// A tag not closed at the end of the last chunk, and its body offset.
    pending: Option<(String, usize)>,
    in_comment: bool,
}

impl RawLinks {
    /// Reads one chunk that starts at body offset `at`; returns the refused URLs in it.
    pub fn read(&mut self, chunk: &str, at: usize) -> Vec<Refused> {
        let mut found = Vec::new();
        let mut rest = chunk;
        let mut rest_at = at;
        if let Some((mut tag, tag_at)) = self.pending.take() {
            match tag_end(rest) {
                Some(end) => {
                    tag.push_str(&rest[..end]);
                    attributes(&tag, tag_at, &mut found);
                    rest = &rest[end..];
                    rest_at += end;
                }
                None => {
                    tag.push_str(rest);
                    self.pending = Some((tag, tag_at));
                    return found;
                }
            }
        }
        loop {
            if self.in_comment {
                let Some(end) = rest.find("-->") else { break };
                self.in_comment = false;
                rest = &rest[end + 3..];
                rest_at += end + 3;
            }
            let Some(lt) = rest.find('<') else { break };
            let after = &rest[lt + 1..];
            let after_at = rest_at + lt + 1;
            if let Some(comment) = after.strip_prefix("!--") {
                self.in_comment = true;
                rest = comment;
                rest_at = after_at + 3;
                continue;
            }
            if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                rest = after;
                rest_at = after_at;
                continue;
            }
            match tag_end(after) {
                Some(end) => {
                    attributes(&after[..end], after_at, &mut found);
                    rest = &after[end..];
                    rest_at = after_at + end;
                }
                None => {
                    self.pending = Some((after.to_string(), after_at));
                    break;
                }
            }
        }
        found
    }
}

/// Where a tag's text (after its `<`) ends: its `>` outside quotes.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Reads the attributes of one tag (its text after `<`, without `>`), at body offset `at`.
fn attributes(tag: &str, at: usize, found: &mut Vec<Refused>) {
    let bytes = tag.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace() || b == b'/';
    // Skip the element's name.
    let mut i = bytes.iter().take_while(|&&b| !is_space(b)).count();
    while i < bytes.len() {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let name_start = i;
        // An attribute's name may start with `=`; it ends at a space, `/`, `>` or `=`.
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        let name = tag.get(name_start..i.min(tag.len())).unwrap_or_default();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value_start, value_end, next) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = tag[i + 1..]
                    .find(q as char)
                    .map_or(tag.len(), |e| i + 1 + e);
                (i + 1, end, end + 1)
            }
            _ => {
                let end = tag[i..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(tag.len(), |e| i + e);
                (i, end, end)
            }
        };
        i = next;
        let value = tag.get(value_start..value_end).unwrap_or_default();
        if is_url_attribute(name) && !urls_of(name, &decode(value)).all(is_safe_link) {
            found.push(Refused {
                at: at + value_start,
                value: value.to_string(),
                attribute: name.to_ascii_lowercase(),
            });
        }
    }
}

fn is_url_attribute(name: &str) -> bool {
    URL_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(name))
}

/// The URLs of one attribute's value: `srcset` and `ping` hold several.
fn urls_of<'a>(name: &str, value: &'a str) -> Box<dyn Iterator<Item = &'a str> + 'a> {
    if name.eq_ignore_ascii_case("srcset") {
        Box::new(value.split(',').filter_map(|c| c.split_whitespace().next()))
    } else if name.eq_ignore_ascii_case("ping") {
        Box::new(value.split_whitespace())
    } else {
        Box::new(std::iter::once(value))
    }
}

/// Named references that can change how a scheme reads, and the common ones.
const NAMED: &[(&str, char)] = &[
    ("colon", ':'),
    ("Tab", '\t'),
    ("NewLine", '\n'),
    ("nbsp", '\u{a0}'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("sol", '/'),
    ("quest", '?'),
    ("num", '#'),
    ("period", '.'),
    ("lpar", '('),
    ("rpar", ')'),
    ("semi", ';'),
    ("equals", '='),
    ("plus", '+'),
    ("percnt", '%'),
    ("commat", '@'),
    ("lowbar", '_'),
    ("excl", '!'),
];

/// An attribute value with its character references decoded, as a browser decodes them:
/// numeric ones with or without `;` (zero, surrogates and values past U+10FFFF become
/// U+FFFD), named ones from [`NAMED`]; anything else stays as written, as it does in a
/// browser for a name it does not know.
pub fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        match reference(rest) {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference (the text after its `&`) stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    if let Some(num) = text.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(d) => (true, d),
            None => (false, num),
        };
        let radix = if hex { 16 } else { 10 };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        let code = digits[..len]
            .chars()
            .try_fold(0u32, |n, d| {
                n.checked_mul(radix)?.checked_add(d.to_digit(radix)?)
            })
            .unwrap_or(u32::MAX);
        let c = char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, 1 + usize::from(hex) + len + semi));
    }
    NAMED.iter().find_map(|&(name, c)| {
        let after = text.strip_prefix(name)?;
        if after.starts_with(';') {
            Some((c, name.len() + 1))
        } else {
            // Only the oldest names work without `;` (`&amp`), never before a letter or digit.
            let legacy = ["amp", "lt", "gt", "quot", "nbsp"].contains(&name);
            (legacy && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '='))
                .then_some((c, name.len()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(chunks: &[&str]) -> Vec<(usize, String)> {
        let mut links = RawLinks::default();
        let mut at = 0;
        let mut out = Vec::new();
        for chunk in chunks {
            out.extend(links.read(chunk, at).into_iter().map(|r| (r.at, r.value)));
            at += chunk.len();
        }
        out
    }

    #[test]
    fn script_urls_are_found_however_they_are_written() {
        for html in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a HREF='JaVaScRiPt:alert(1)'>x</a>",
            "<a href=javascript:alert(1)>x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"&#x6A;&#x61;vascript&#58;alert(1)\">x</a>",
            "<a href=\"&#0000106avascript:alert(1)\">x</a>",
            "<a href=\"javascript&colon;alert(1)\">x</a>",
            "<a href=\"java&Tab;script:alert(1)\">x</a>",
            "<a href=\"java\tscript:alert(1)\">x</a>",
            "<a href=\" \u{1}javascript:alert(1)\">x</a>",
            "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
            "<img src = \"vbscript:x\">",
            "<a title=\"a > b\" href=\"javascript:x\">x</a>",
            "<img srcset=\"/a.jpg 1x, javascript:x 2x\">",
            "<svg><a xlink:href=\"javascript:x\">x</a></svg>",
            "<form action=\"javascript:x\">",
        ] {
            assert_eq!(refused(&[html]).len(), 1, "{html}");
        }
    }

    #[test]
    fn safe_urls_and_other_attributes_pass() {
        for html in [
            "<a href=\"https://www.gob.pe/\">x</a>",
            "<a href=\"/boletines/a/\" title=\"javascript:x\">x</a>",
            "<a href=\"@/boletines/a.md\">x</a>",
            "<a href=\"mailto:prensa@example.org\">x</a>",
            "<a href=\"#nota-1\">x</a>",
            "<a href=\"a?x=1&amp;y=javascript:2\">x</a>",
            "<abbr title=\"data: lo que dice\">x</abbr>",
            "<!-- <a href=\"javascript:x\"> -->",
            "texto con javascript:x sin etiqueta",
            "a < b y c > d",
        ] {
            assert!(refused(&[html]).is_empty(), "{html}");
        }
    }

    #[test]
    fn a_tag_going_on_in_the_next_chunk_is_read_whole_at_its_place() {
        let chunks = [
            "<div>\n",
            "<a class=\"x\"\n",
            "   href=\"javascript:x\">y</a>\n",
        ];
        let found = refused(&chunks);
        let at = chunks[0].len() + chunks[1].len() + "   href=\"".len();
        assert_eq!(found, [(at, "javascript:x".to_string())]);
        assert_eq!(refused(&["<!-- ", "<a href=\"javascript:x\">", " -->"]), []);
    }

    #[test]
    fn references_decode_as_in_a_browser() {
        assert_eq!(
            decode("&#106;&#X61;&colon;&amp;&ampx&lt;&unknown;&#;&#0;"),
            "ja:&&ampx<&unknown;&#;\u{fffd}"
        );
        assert_eq!(decode("&#99999999999;"), "\u{fffd}");
    }
}
