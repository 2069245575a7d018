//! Footnotes: definitions collected out of the body, references numbered in order of first
//! use (each with its own back-link id), and the numbered list of notes at the end.

use super::passes::Passes;
use crate::format::push_number;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::fmt::Write;

impl<'a> Passes<'a> {
    /// Collects footnote definitions instead of emitting them in place: a definition's
    /// events, its opening and its closing go to the notes, not to the body (gives back
    /// only the events that belong to the body).
    pub(super) fn footnote_event(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnote = Some((label.to_string(), Vec::new()));
                None
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events)) = self.footnote.take() {
                    self.footnote_defs.insert(label, events);
                }
                None
            }
            e => match &mut self.footnote {
                Some((_, events)) => {
                    events.push(e);
                    None
                }
                None => Some(e),
            },
        }
    }

    pub(super) fn footnote_ref(&mut self, label: &str) -> Event<'a> {
        let number = match self.footnote_numbers.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnote_numbers.push(label.to_string());
                self.footnote_numbers.len()
            }
        };
        let count = self.footnote_refs.entry(label.to_string()).or_insert(0);
        *count += 1;
        let count = *count;
        // `<sup class="nota-ref" id="ref-N[-K]"><a href="#nota-N" …>N</a></sup>`, built by
        // hand: `format!` was most of the cost of a reference.
        let mut html = String::with_capacity(128);
        html.push_str("<sup class=\"nota-ref\" id=\"ref-");
        push_number(&mut html, number as u64, 1);
        if count > 1 {
            html.push('-');
            push_number(&mut html, count as u64, 1);
        }
        html.push_str("\"><a href=\"#nota-");
        push_number(&mut html, number as u64, 1);
        html.push_str("\" aria-describedby=\"notas-titulo\">");
        push_number(&mut html, number as u64, 1);
        html.push_str("</a></sup>");
        Event::InlineHtml(html.into())
    }

    /// The numbered notes, in order of first reference, each with a link back.
    pub(super) fn footnote_section(&mut self) -> String {
        if self.footnote_numbers.is_empty() {
            return String::new();
        }
        let mut html = String::from(
            "<section class=\"notas\" aria-labelledby=\"notas-titulo\">\n\
             <h2 id=\"notas-titulo\">Notas</h2>\n<ol>\n",
        );
        for (i, label) in self.footnote_numbers.iter().enumerate() {
            let n = i + 1;
            let mut events = self.footnote_defs.remove(label).unwrap_or_default();
            let back = format!(
                " <a href=\"#ref-{n}\" class=\"nota-volver\" aria-label=\"Volver a la referencia {n}\">↩</a>"
            );
            match events
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            {
                Some(pos) => events.insert(pos, Event::InlineHtml(back.into())),
                None => events.push(Event::InlineHtml(back.into())),
            }
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, events.into_iter());
            let _ = writeln!(html, "<li id=\"nota-{n}\">{}</li>", body.trim_end());
        }
        html.push_str("</ol>\n</section>\n");
        html
    }
}
