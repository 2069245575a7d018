//! Bare addresses become links, as GitHub does (its «extended autolinks»): `https://…`,
//! `http://…` and `www.…` in text, outside links, images and code. Trailing punctuation
//! (`.`, `,`, `;`, `:`, `!`, `?`, quotes) and an unbalanced `)` stay text. The links are
//! made before the passes, so they meet the same URL policy and external-link listing as
//! any link the editor wrote.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

/// True when `body` may hold a bare address (a cheap test before the pass).
pub(super) fn may_have_links(body: &str) -> bool {
    memchr::memmem::find(body.as_bytes(), b"http").is_some()
        || memchr::memmem::find(body.as_bytes(), b"www.").is_some()
}

/// The events with every bare address in text turned into a link. Adjacent text events are
/// joined first (the parser splits text at some punctuation, which may fall inside an
/// address).
pub(super) fn link<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(1024);
    // Borrowed while it is one event; joined into a `String` only when a second one follows.
    let mut text: Option<(CowStr<'a>, Range<usize>)> = None;
    // Inside a link, an image or a code block nothing is linked.
    let mut inside = 0usize;
    for (event, range) in events {
        if let Event::Text(t) = &event
            && inside == 0
        {
            text = Some(match text.take() {
                Some((s, r)) => {
                    let mut joined = s.into_string();
                    joined.push_str(t);
                    (CowStr::from(joined), r.start..range.end)
                }
                None => (t.clone(), range),
            });
            continue;
        }
        if let Some((s, r)) = text.take() {
            split(s, r, &mut out);
        }
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1);
            }
            _ => {}
        }
        out.push((event, range));
    }
    if let Some((s, r)) = text.take() {
        split(s, r, &mut out);
    }
    out
}

/// One text, cut at its addresses. Every piece keeps the text's range: positions of problems
/// stay on the text's line. A text with no `http` nor `www.` (most of them) goes out as it
/// came, without a copy.
fn split<'a>(text: CowStr<'a>, range: Range<usize>, out: &mut Vec<(Event<'a>, Range<usize>)>) {
    if !may_have_links(&text) {
        out.push((Event::Text(text), range));
        return;
    }
    let mut rest: &str = &text;
    let mut found = false;
    while let Some((start, end)) = next_address(rest) {
        found = true;
        if start > 0 {
            out.push((
                Event::Text(CowStr::from(rest[..start].to_string())),
                range.clone(),
            ));
        }
        let shown = &rest[start..end];
        let href = if shown.starts_with("www.") {
            format!("https://{shown}")
        } else {
            shown.to_string()
        };
        out.push((
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(href),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            range.clone(),
        ));
        out.push((Event::Text(CowStr::from(shown.to_string())), range.clone()));
        out.push((Event::End(TagEnd::Link), range.clone()));
        rest = &rest[end..];
    }
    if !found {
        out.push((Event::Text(text), range));
    } else if !rest.is_empty() {
        out.push((Event::Text(CowStr::from(rest.to_string())), range));
    }
}

/// The byte range of the first address in `text`: it starts a word with `https://`,
/// `http://` or `www.` and runs to the next space, less trailing punctuation.
fn next_address(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let at = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| text[from..].find(p).map(|i| (from + i, p.len())))
            .min()?;
        let (start, prefix) = at;
        let starts_word = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([\"'«“".contains(c));
        let end = start
            + text[start..]
                .find(|c: char| {
                    c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '»' || c == '”'
                })
                .unwrap_or(text.len() - start);
        let end = trim_end(&text[start..end]) + start;
        if starts_word
            && end > start + prefix
            && text[start + prefix..end].contains(|c: char| c.is_alphanumeric())
        {
            return Some((start, end));
        }
        from = start + prefix;
    }
}

/// The length of `candidate` without trailing punctuation and an unbalanced `)`.
fn trim_end(candidate: &str) -> usize {
    let mut s = candidate;
    loop {
        let before = s.len();
        s = s.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*', '_', '~']);
        if s.ends_with(')') && s.matches('(').count() < s.matches(')').count() {
            s = &s[..s.len() - 1];
        }
        if s.len() == before {
            return s.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some((s, e)) = next_address(rest) {
            out.push(&rest[s..e]);
            rest = &rest[e..];
        }
        out
    }

    #[test]
    fn addresses_end_before_punctuation_and_unbalanced_parentheses() {
        assert_eq!(
            addresses("Vea https://www.gob.pe/mininter."),
            ["https://www.gob.pe/mininter"]
        );
        assert_eq!(
            addresses("(en www.datosabiertos.gob.pe)"),
            ["www.datosabiertos.gob.pe"]
        );
        assert_eq!(
            addresses("https://es.wikipedia.org/wiki/Callao_(Perú), y"),
            ["https://es.wikipedia.org/wiki/Callao_(Perú)"]
        );
        assert_eq!(
            addresses("correo@www.x.pe y http:// nada"),
            Vec::<&str>::new()
        );
        assert_eq!(addresses("«https://a.pe/x»"), ["https://a.pe/x"]);
    }
}
