//! Paragraphs: one that is only a block shortcode loses its `<p>`, a block call inside a
//! paragraph or heading is reported, «Fuente:» paragraphs get their class, and the first
//! paragraph's text is kept for the summary.

use super::passes::Passes;
use super::splice::{PLACEHOLDER, placeholders};
use crate::diag::Problem;
use pulldown_cmark::{Event, Tag, TagEnd};

impl<'a> Passes<'a> {
    /// A paragraph that is only a block shortcode loses its `<p>`; the first paragraph is
    /// kept as plain text for the summary.
    pub(super) fn paragraph_event(
        &mut self,
        event: Event<'a>,
        _expanded: &[String],
        out: &mut Vec<Event<'a>>,
    ) {
        match &event {
            Event::Start(Tag::Paragraph) => {
                self.paragraph = Some(String::new());
                self.paragraph_start = out.len();
                self.paragraph_at = self.last_at;
            }
            Event::End(TagEnd::Paragraph) => {
                let only_block = matches!(out.last(), Some(Event::InlineHtml(h)) if self.is_block(h))
                    && matches!(
                        out.get(out.len().wrapping_sub(2)),
                        Some(Event::Start(Tag::Paragraph))
                    );
                if only_block {
                    if let Some(Event::InlineHtml(h)) = out.pop() {
                        out.pop();
                        out.push(Event::Html(format!("{h}\n").into()));
                    }
                    self.paragraph = None;
                    return;
                }
                let inner = out.get(self.paragraph_start + 1..).unwrap_or_default();
                if inner
                    .iter()
                    .any(|e| matches!(e, Event::InlineHtml(h) if self.contains_block(h)))
                {
                    self.misplaced.push((self.paragraph_at, misplaced_block()));
                }
                let is_source = self
                    .paragraph
                    .as_deref()
                    .is_some_and(|p| p.trim_start().starts_with("Fuente:"));
                if is_source
                    && matches!(
                        out.get(self.paragraph_start),
                        Some(Event::Start(Tag::Paragraph))
                    )
                {
                    out[self.paragraph_start] = Event::Html("<p class=\"fuente\">".into());
                }
                if let Some(p) = self.paragraph.take()
                    && self.first_paragraph.is_none()
                    && !p.trim().is_empty()
                {
                    self.first_paragraph = Some(p);
                }
            }
            Event::Text(t) | Event::Code(t) => self.paragraph_text(t),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = &mut self.paragraph {
                    p.push(' ');
                }
            }
            _ => {}
        }
        out.push(event);
    }

    /// Keeps the text of a paragraph: whole for the first one (the summary), and once the
    /// first paragraph is known only a paragraph's opening (for «Fuente:»).
    pub(super) fn paragraph_text(&mut self, t: &str) {
        if let Some(p) = &mut self.paragraph
            && (self.first_paragraph.is_none() || p.trim_start().len() < 8)
        {
            p.push_str(t);
        }
    }

    /// True when `html` is exactly one placeholder of a block expansion.
    pub(super) fn is_block(&self, html: &str) -> bool {
        let t = html.trim();
        let mut found = placeholders(t);
        match (found.next(), found.next()) {
            (Some(i), None) => {
                t.len() == format!("{PLACEHOLDER}{i}z").len()
                    && self.blocks.get(i).copied().unwrap_or(false)
            }
            _ => false,
        }
    }

    /// True when `html` holds a placeholder of a block expansion.
    pub(super) fn contains_block(&self, html: &str) -> bool {
        placeholders(html).any(|i| self.blocks.get(i).copied().unwrap_or(false))
    }
}

pub(super) const BLOCK_TAGS: [&str; 5] = ["<figure", "<div", "<table", "<section", "<svg"];

/// True when an expansion is a block element.
pub(super) fn is_block_start(html: &str) -> bool {
    let t = html.trim_start();
    BLOCK_TAGS.iter().any(|p| t.starts_with(p))
}

pub(super) fn misplaced_block() -> Problem {
    Problem::ShortcodeSyntax {
        detail: "este atajo crea un bloque (una figura) y debe ir solo en su párrafo, \
                 con una línea en blanco antes y otra después"
            .into(),
    }
}
