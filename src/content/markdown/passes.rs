//! The passes over one body's events: their state ([`Passes`]) and the dispatch of each
//! event — links and images resolved through the caller's [`Hooks`], tables wrapped, raw
//! HTML audited and nesting-capped, words counted — to the pass that owns it. Headings are
//! in `headings.rs`, footnotes in `notes.rs`, paragraphs and block shortcodes in
//! `paragraphs.rs`.

use super::Hooks;
use super::splice::splice_text;
use crate::assets::ImageRef;
use crate::content::heading_ids::HeadingIds;
use crate::content::sanitize;
use crate::content::words::count_words_in;
use crate::diag::Problem;
use crate::format::push_number;
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::collections::BTreeMap;

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
    /// The URLs of the editor's raw HTML, read across its chunks.
    pub(super) raw_links: crate::content::raw_links::RawLinks,
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
                problems.extend(self.raw_links.read(&h, at).into_iter().map(|r| {
                    let problem = Problem::UnsafeBodyLink {
                        url: r.value,
                        place: format!("`{}`", r.attribute),
                        image: false,
                    };
                    (r.at, problem)
                }));
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
                let found = if !crate::urls::is_safe_link(&dest_url) {
                    problems.push((
                        at,
                        Problem::UnsafeBodyLink {
                            url: dest_url.to_string(),
                            place: "esta imagen".into(),
                            image: true,
                        },
                    ));
                    None
                } else if is_external(&dest_url) {
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
        if !crate::urls::is_safe_link(dest) {
            problems.push((
                at,
                Problem::UnsafeBodyLink {
                    url: dest.to_string(),
                    place: "este enlace".into(),
                    image: false,
                },
            ));
            return "#".into();
        }
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

    /// Sends an event to the heading, footnote or paragraph pass that owns it.
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

    pub(super) fn count_text(&mut self, text: &str) {
        if self.footnote.is_none() {
            let (words, in_word) = count_words_in(text, self.in_word);
            self.words += words;
            self.in_word = in_word;
        }
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

/// Neutralises script-capable URL schemes in editor links: a second guard, since
/// [`Passes::resolve`] refuses them first with an error.
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
