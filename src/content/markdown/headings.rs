//! Headings: a heading's events are held until its end, then written with a unique,
//! readable id (its explicit `{#id}` or its text's slug) and kept for the table of contents.

use super::paragraphs::misplaced_block;
use super::passes::Passes;
use crate::content::slug::slugify;
use crate::html::escape;
use pulldown_cmark::{CowStr, Event, HeadingLevel};

impl<'a> Passes<'a> {
    pub(super) fn close_heading(&mut self, out: &mut Vec<Event<'a>>) {
        let Some((level, id, classes, events)) = self.heading.take() else {
            return;
        };
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if events
            .iter()
            .any(|e| matches!(e, Event::InlineHtml(h) if self.contains_block(h)))
        {
            self.misplaced.push((self.last_at, misplaced_block()));
        }
        let base = id.unwrap_or_else(|| slugify(&text));
        let base = if base.is_empty() {
            "seccion".to_string()
        } else {
            base
        };
        let unique = self
            .heading_ids
            .take(crate::content::heading_ids::readable(base));
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            self.headings.push(super::Heading {
                level: if level == HeadingLevel::H2 { 2 } else { 3 },
                id: unique.clone(),
                text: text.trim().to_string(),
            });
        }
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&classes.join(" ")))
        };
        // Built by hand: `format!` was most of the cost of a heading.
        let (open_tag, close_tag) = heading_tags(level);
        let id = escape(&unique);
        let mut open = String::with_capacity(open_tag.len() + id.len() + class.len() + 8);
        open.push_str(open_tag);
        open.push_str(" id=\"");
        open.push_str(&id);
        open.push('"');
        open.push_str(&class);
        open.push('>');
        out.push(Event::Html(open.into()));
        out.extend(events);
        out.push(Event::Html(CowStr::Borrowed(close_tag)));
    }
}

/// The opening (without its `>`) and the closing tag of a heading.
pub(super) fn heading_tags(level: HeadingLevel) -> (&'static str, &'static str) {
    match level {
        HeadingLevel::H1 => ("<h1", "</h1>\n"),
        HeadingLevel::H2 => ("<h2", "</h2>\n"),
        HeadingLevel::H3 => ("<h3", "</h3>\n"),
        HeadingLevel::H4 => ("<h4", "</h4>\n"),
        HeadingLevel::H5 => ("<h5", "</h5>\n"),
        HeadingLevel::H6 => ("<h6", "</h6>\n"),
    }
}
