//! The parsed body as a stream, for renderers other than HTML (the PDF): pulldown-cmark's
//! events with each shortcode call spliced in as an item of its own, so a renderer walks
//! the same parse the page is made from and expands calls its own way.
//!
//! Bare addresses are links and callouts are marked as the page has them: a callout is a
//! `Tag::BlockQuote(Some(kind))` without its `[!NOTA]` label ([`callout_title`] names it).
//!
//! The HTML renderer ([`super::render`]) reports every problem of a body; this stream is
//! only read for bodies that rendered cleanly, so it reports none.

use super::splice::{PLACEHOLDER, Splice, find_placeholder, merge_text};
use super::{alerts, autolink, code_ranges, options};
use crate::content::shortcode::{self, Shortcode};
pub use alerts::title as callout_title;
pub use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd,
};

/// One item of a body: a Markdown event, or the shortcode call with this index.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A pulldown-cmark event (its text owned).
    Event(Event<'static>),
    /// The call at this index of [`Stream::calls`].
    Call(usize),
}

/// A body's items and its shortcode calls.
#[derive(Debug, Default)]
pub struct Stream {
    /// The events, with calls in their places.
    pub items: Vec<Item>,
    /// The calls, in body order.
    pub calls: Vec<Shortcode>,
}

/// Parses `body` (with the same extensions as its page) into a [`Stream`].
pub fn stream(body: &str) -> Stream {
    let calls = if memchr::memmem::find(body.as_bytes(), b"{{").is_some() {
        shortcode::scan(body, &code_ranges(body)).0
    } else {
        Vec::new()
    };
    let spliced = Splice::new(body, &calls);
    let events = pulldown_cmark::Parser::new_ext(&spliced.text, options()).into_offset_iter();
    let merged = merge_text(events);
    let linked = if autolink::may_have_links(body) {
        autolink::link(merged.into_iter())
    } else {
        merged
    };
    let mut events: Vec<Event<'_>> = linked.into_iter().map(|(e, _)| e).collect();
    alerts::mark(&mut events);
    let mut items = Vec::new();
    for event in events {
        match event {
            Event::Text(t) if !calls.is_empty() && find_placeholder(&t).is_some() => {
                split_calls(&t, calls.len(), &mut items);
            }
            other => items.push(Item::Event(other.into_static())),
        }
    }
    Stream { items, calls }
}

/// Text holding placeholders as text items and call items.
fn split_calls(text: &str, calls: usize, items: &mut Vec<Item>) {
    let mut rest = text;
    let push_text = |t: &str, items: &mut Vec<Item>| {
        if !t.is_empty() {
            items.push(Item::Event(Event::Text(CowStr::from(t.to_string()))));
        }
    };
    while let Some(at) = find_placeholder(rest) {
        let after = &rest[at + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match (index, after.as_bytes().get(digits)) {
            (Some(i), Some(b'z')) if i < calls => {
                push_text(&rest[..at], items);
                items.push(Item::Call(i));
                rest = &after[digits + 1..];
            }
            _ => {
                push_text(&rest[..at + PLACEHOLDER.len()], items);
                rest = after;
            }
        }
    }
    push_text(rest, items);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_items_in_their_places_and_code_keeps_its_text() {
        let s = stream("Antes {{ cifra(x=1) }} después\n\n`{{ no }}`\n");
        assert_eq!(s.calls.len(), 1);
        assert_eq!(s.calls[0].name, "cifra");
        let texts: Vec<String> = s
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Event(Event::Text(t) | Event::Code(t)) => Some(t.to_string()),
                Item::Call(n) => Some(format!("<{n}>")),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["Antes ", "<0>", " después", "{{ no }}"]);
    }

    #[test]
    fn callouts_are_marked_and_bare_addresses_are_links() {
        let s = stream("> [!IMPORTANTE]\n> Dato.\n\nVea www.gob.pe hoy.\n");
        let events: Vec<&Event<'_>> = s
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Event(e) => Some(e),
                Item::Call(_) => None,
            })
            .collect();
        assert_eq!(
            events[0],
            &Event::Start(Tag::BlockQuote(Some(BlockQuoteKind::Important)))
        );
        assert_eq!(events[1], &Event::Start(Tag::Paragraph));
        assert_eq!(events[2], &Event::Text("Dato.".into()));
        let end = Event::End(TagEnd::BlockQuote(Some(BlockQuoteKind::Important)));
        assert!(events.contains(&&end));
        assert!(events.iter().any(|e| matches!(
            e,
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == "https://www.gob.pe"
        )));
    }
}
