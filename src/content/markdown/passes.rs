//! The passes over one body's events: heading ids, footnotes moved to a numbered list,
//! links and images resolved through the caller's [`Hooks`], tables wrapped, raw HTML
//! counted and nesting-capped, words and the first paragraph collected.

use super::Hooks;
use super::splice::{PLACEHOLDER, placeholders, splice_text};
use crate::assets::ImageRef;
use crate::content::heading_ids::HeadingIds;
use crate::content::sanitize;
use crate::content::slug::slugify;
use crate::content::words::count_words_in;
use crate::diag::Problem;
use crate::format::push_number;
use crate::html::escape;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A heading being collected: level, explicit id, classes, inner events.
pub(super) type OpenHeading<'a> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'a>>);

/// An image being read: what the caller found for its path, its title, its alt text.
pub(super) struct OpenImage {
    found: Option<ImageRef>,
    title: String,
    alt: String,
}

/// State of the passes over one body.
#[derive(Default)]
pub(super) struct Passes<'a> {
    pub(super) heading: Option<OpenHeading<'a>>,
    pub(super) heading_ids: HeadingIds,
    /// Second- and third-level headings (level, id, text), for a table of contents.
    pub(super) headings: Vec<super::Heading>,
    pub(super) footnote: Option<(String, Vec<Event<'a>>)>,
    pub(super) footnote_defs: BTreeMap<String, Vec<Event<'a>>>,
    pub(super) footnote_numbers: Vec<String>,
    pub(super) footnote_refs: BTreeMap<String, usize>,
    pub(super) paragraph: Option<String>,
    pub(super) paragraph_start: usize,
    pub(super) paragraph_at: usize,
    pub(super) last_at: usize,
    pub(super) misplaced: Vec<(usize, Problem)>,
    pub(super) first_paragraph: Option<String>,
    pub(super) tables: usize,
    pub(super) words: usize,
    pub(super) in_link: bool,
    /// An image whose alt text is being read.
    pub(super) image: Option<OpenImage>,
    /// For each shortcode placeholder: does its expansion start with a block element?
    pub(super) blocks: Vec<bool>,
    /// The editor wrote raw HTML somewhere in the body.
    pub(super) raw_html: bool,
    /// Markdown elements open (pulldown-cmark's starts without their ends yet).
    pub(super) markdown_depth: usize,
    /// Elements the editor's raw HTML left open.
    pub(super) raw_nesting: sanitize::Nesting,
    /// Where elements first nested deeper than [`sanitize::MAX_NESTING`].
    pub(super) too_deep_at: Option<usize>,
    /// The last text event ended inside a word (for counting words across text events).
    pub(super) in_word: bool,
    /// The current event's text overlaps a shortcode's placeholder: only then is it
    /// searched for one (most text never holds a call).
    pub(super) near_call: bool,
    /// The body has a quotation: only then are callouts looked for.
    pub(super) quotes: bool,
}

impl<'a> Passes<'a> {
    pub(super) fn event(
        &mut self,
        event: Event<'a>,
        at: usize,
        expanded: &[String],
        hooks: &mut dyn Hooks,
        out: &mut Vec<Event<'a>>,
        problems: &mut Vec<(usize, Problem)>,
    ) {
        self.last_at = at;
        self.track_nesting(&event, at);
        // A word may go on in the next text event (pulldown-cmark splits text at
        // typographic quotes, for one), never past another kind of event.
        if !matches!(event, Event::Text(_)) {
            self.in_word = false;
        }
        if self.image.is_some() {
            self.image_event(event, at, expanded, out, problems);
            return;
        }
        // Most events are text or inline tags outside a heading or a note: they go out
        // here, without the moves through the passes below (a fifth of this layer's time).
        if self.heading.is_none() && self.footnote.is_none() && !self.near_call {
            match event {
                Event::Text(t) => {
                    self.count_text(&t);
                    self.paragraph_text(&t);
                    out.push(Event::Text(t));
                    return;
                }
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Item
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::TableCell,
                )
                | Event::End(
                    TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Item
                    | TagEnd::TableHead
                    | TagEnd::TableRow
                    | TagEnd::TableCell,
                ) => {
                    out.push(event);
                    return;
                }
                _ => {}
            }
        }
        if matches!(event, Event::Start(Tag::BlockQuote(_))) {
            self.quotes = true;
        }
        let event = match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                self.raw_html = true;
                let what = super::sanitize::audit(&h, hooks.iframe_hosts());
                problems.extend(
                    what.into_iter()
                        .map(|what| (at, Problem::HtmlRemoved { what })),
                );
                Event::InlineHtml(h)
            }
            Event::Text(t) => {
                self.count_text(&t);
                match self.near_call.then(|| splice_text(&t)).flatten() {
                    Some(html) => Event::InlineHtml(html.into()),
                    None => Event::Text(t),
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.in_link = true;
                let dest = self.resolve(&dest_url, at, hooks, problems);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                self.in_link = false;
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let found = if is_external(&dest_url) {
                    problems.push((
                        at,
                        Problem::ExternalImage {
                            url: dest_url.to_string(),
                        },
                    ));
                    None
                } else {
                    let path = dest_url.strip_prefix("@/").unwrap_or(&dest_url);
                    hooks.image(path).map_err(|p| problems.push((at, p))).ok()
                };
                self.image = Some(OpenImage {
                    found,
                    title: title.to_string(),
                    alt: String::new(),
                });
                return;
            }
            other => other,
        };
        self.route(event, expanded, out);
    }

    pub(super) fn resolve(
        &self,
        dest: &str,
        at: usize,
        hooks: &mut dyn Hooks,
        problems: &mut Vec<(usize, Problem)>,
    ) -> String {
        if let Some(target) = dest.strip_prefix("@/") {
            return hooks.internal_link(target, at).unwrap_or_else(|p| {
                problems.push((at, p));
                "#".into()
            });
        }
        if dest.starts_with("http://") || dest.starts_with("https://") {
            hooks.external_link(dest, at);
        }
        if dest.starts_with('/') && !dest.starts_with("//") {
            if let Err(p) = hooks.site_link(dest, at) {
                problems.push((at, p));
            }
            return dest.to_string();
        }
        safe_url(dest)
    }

    /// Sends an event to the heading, footnote or paragraph pass that owns it.
    /// Inside `![alt](ruta)`: collects the alt text, and at the end writes the `<img>` with
    /// every version of the image, or reports a missing alt.
    pub(super) fn image_event(
        &mut self,
        event: Event<'a>,
        at: usize,
        expanded: &[String],
        out: &mut Vec<Event<'a>>,
        problems: &mut Vec<(usize, Problem)>,
    ) {
        let Some(open) = &mut self.image else {
            return;
        };
        match event {
            Event::End(TagEnd::Image) => {
                let Some(open) = self.image.take() else {
                    return;
                };
                let alt = open.alt.trim();
                if alt.is_empty() {
                    problems.push((
                        at,
                        Problem::ImageWithoutAlt {
                            hint: "escriba ![descripción](ruta); si la imagen es solo decorativa, \
                                   use {{ figura(imagen=\"…\", alt=\"\", decorativa=true) }}"
                                .into(),
                        },
                    ));
                }
                if let Some(found) = open.found {
                    let html = found.html(alt, Some(&open.title));
                    self.route(Event::InlineHtml(html.into()), expanded, out);
                }
            }
            Event::Text(t) | Event::Code(t) => open.alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => open.alt.push(' '),
            _ => {}
        }
    }

    pub(super) fn route(
        &mut self,
        event: Event<'a>,
        expanded: &[String],
        out: &mut Vec<Event<'a>>,
    ) {
        let Some(event) = self.footnote_event(event) else {
            return;
        };
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let classes = classes.iter().map(|c| c.to_string()).collect();
                self.heading = Some((level, id.map(|i| i.to_string()), classes, Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(out),
            e if self.heading.is_some() => {
                if let Some((_, _, _, events)) = &mut self.heading {
                    events.push(e);
                }
            }
            Event::FootnoteReference(label) => out.push(self.footnote_ref(&label)),
            Event::Start(Tag::Table(aligns)) => {
                self.tables += 1;
                let n = self.tables;
                let mut open =
                    String::from("<div class=\"tabla\" role=\"region\" aria-label=\"Tabla ");
                push_number(&mut open, n as u64, 1);
                open.push_str("\" tabindex=\"0\">\n");
                out.push(Event::Html(open.into()));
                out.push(Event::Start(Tag::Table(aligns)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>\n".into()));
            }
            e => self.paragraph_event(e, expanded, out),
        }
    }

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

    /// Counts how deep elements nest at this event, for [`sanitized`]: a start opens one, an
    /// end closes it, raw HTML opens what it leaves open.
    pub(super) fn track_nesting(&mut self, event: &Event<'_>, at: usize) {
        let raw = match event {
            Event::Start(_) => {
                self.markdown_depth += 1;
                self.raw_nesting.open()
            }
            Event::End(_) => {
                self.markdown_depth = self.markdown_depth.saturating_sub(1);
                return;
            }
            Event::Html(h) | Event::InlineHtml(h) => self.raw_nesting.read(h),
            _ => return,
        };
        if self.too_deep_at.is_none() && self.markdown_depth + raw > sanitize::MAX_NESTING {
            self.too_deep_at = Some(at);
        }
    }

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

    pub(super) fn count_text(&mut self, text: &str) {
        if self.footnote.is_none() {
            let (words, in_word) = count_words_in(text, self.in_word);
            self.words += words;
            self.in_word = in_word;
        }
    }
}

pub(super) const BLOCK_TAGS: [&str; 5] = ["<figure", "<div", "<table", "<section", "<svg"];

/// True when an expansion is a block element.
pub(super) fn is_block_start(html: &str) -> bool {
    let t = html.trim_start();
    BLOCK_TAGS.iter().any(|p| t.starts_with(p))
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

pub(super) fn misplaced_block() -> Problem {
    Problem::ShortcodeSyntax {
        detail: "este atajo crea un bloque (una figura) y debe ir solo en su párrafo, \
                 con una línea en blanco antes y otra después"
            .into(),
    }
}

/// An image on another server (or a `data:` URL): readers would fetch it from outside.
pub(super) fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
}

/// Neutralises script-capable URL schemes in editor links.
pub(super) fn safe_url(dest: &str) -> String {
    // Only the opening can name a scheme: at most the length of the longest one is read.
    let mut lower = String::with_capacity(16);
    for c in dest.chars().filter(|c| !c.is_whitespace()) {
        if lower.len() >= "javascript:".len() {
            break;
        }
        lower.extend(c.to_lowercase());
    }
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        "#".into()
    } else {
        dest.to_string()
    }
}
