//! Markdown to HTML: the only module that names pulldown-cmark.
//!
//! Rendering is a list of small passes over the event stream, each with its own test:
//! shortcode splice (placeholders swapped back for the HTML the caller expands), raw HTML
//! escaped, heading ids, `@/` links resolved by the caller, tables wrapped in a scrollable
//! region, and footnotes moved to a numbered list at the end with links back. After
//! rendering we check that no placeholder survived (Zola once shipped them to readers).

use super::heading_ids::HeadingIds;
use super::sanitize;
use super::shortcode::{self, Shortcode};
use super::slug::slugify;
use super::words::count_words_in;
use crate::assets::ImageRef;
use crate::diag::Problem;
use crate::format::push_number;
use crate::html::escape;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

const PLACEHOLDER: &str = "boletinshortcodeq";

/// What the caller supplies: shortcode expansion and link resolution.
pub trait Hooks {
    /// The HTML of a shortcode call.
    fn shortcode(&mut self, call: &Shortcode) -> Result<String, Problem>;
    /// The URL for an `@/…` link (`target` without the `@/`).
    fn internal_link(&mut self, target: &str, body_offset: usize) -> Result<String, Problem>;
    /// The image written with a relative path or `@/` (without the `@/`).
    fn image(&mut self, path: &str) -> Result<ImageRef, Problem>;
    /// Checks a link written as a site path (`/barrio-seguro/boletines/x/`); returns it as is.
    fn site_link(&mut self, path: &str, body_offset: usize) -> Result<(), Problem> {
        let _ = (path, body_offset);
        Ok(())
    }
    /// Notes an external `http(s)://` link, for `check --externos`.
    fn external_link(&mut self, url: &str, body_offset: usize) {
        let _ = (url, body_offset);
    }
    /// Hosts whose `<iframe>` may stay in raw HTML.
    fn iframe_hosts(&self) -> &[String] {
        &[]
    }
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Heading ids, in order.
    pub heading_ids: Vec<String>,
    /// Plain text of the first paragraph, for summaries.
    pub first_paragraph: String,
    /// Number of words, for reading time.
    pub words: usize,
}

/// The Markdown extensions bulletins are parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Byte ranges of code spans and code blocks, where shortcodes are not expanded.
pub fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(s) = block_start.take() {
                    ranges.push(s..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// Renders `body`; problems come back with their body offsets.
pub fn render(body: &str, hooks: &mut dyn Hooks) -> (Rendered, Vec<(usize, Problem)>) {
    let mut problems = Vec::new();
    // Finding code spans takes a parse of its own: only worth it when a call may be there.
    let (calls, scan_problems) = if memchr::memmem::find(body.as_bytes(), b"{{").is_some() {
        shortcode::scan(body, &code_ranges(body))
    } else {
        (Vec::new(), Vec::new())
    };
    problems.extend(scan_problems);
    let spliced = Splice::new(body, &calls);
    let mut expanded = Vec::with_capacity(calls.len());
    for call in &calls {
        let blocking = |p: &Problem| {
            matches!(
                p,
                Problem::UnknownShortcode { .. } | Problem::MissingShortcodeArgument { .. }
            )
        };
        if problems
            .iter()
            .any(|(at, p)| call.span.contains(at) && blocking(p))
        {
            expanded.push(String::new());
            continue;
        }
        match hooks.shortcode(call) {
            Ok(html) => expanded.push(html),
            Err(p) => {
                problems.push((call.span.start, p));
                expanded.push(String::new());
            }
        }
    }
    let mut pass = Passes {
        blocks: expanded.iter().map(|h| is_block_start(h)).collect(),
        ..Passes::default()
    };
    // Bodies make about one event per four to eight bytes: sized for the most, the vector
    // is not copied as it grows (with glibc's allocator that was a fifth of the rendering).
    // (Capped: a 16 MiB body must not reserve hundreds of megabytes up front.)
    let mut out = Vec::with_capacity((body.len() / 4 + 16).min(1 << 16));
    let mut take = |event, range: Range<usize>| {
        let at = spliced.original_offset(range.start);
        pass.near_call = spliced.touches(&range);
        pass.event(event, at, &expanded, hooks, &mut out, &mut problems);
    };
    let events = Parser::new_ext(&spliced.text, options()).into_offset_iter();
    // Placeholders must not be split across text events; without calls there are none, and
    // the events go through as they are parsed.
    if calls.is_empty() {
        events.for_each(|(event, range)| take(event, range));
    } else {
        merge_text(events)
            .into_iter()
            .for_each(|(event, range)| take(event, range));
    }
    let footnotes = pass.footnote_section();
    problems.append(&mut pass.misplaced);
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html.push_str(&footnotes);
    // Without raw HTML from the editor, every tag was written by pulldown-cmark or by us, with
    // text and attributes escaped and URLs checked: the allowlist pass would change nothing.
    let html = if pass.raw_html {
        sanitized(&html, &pass, hooks, &mut problems)
    } else {
        html
    };
    let html = splice_expansions(html, &expanded);
    if !calls.is_empty() && find_placeholder(&html).is_some() {
        problems.push((
            0,
            Problem::ShortcodeSyntax {
                detail: "un atajo quedó dentro de un elemento donde no se puede insertar \
                     (por ejemplo un enlace o un título); póngalo en su propia línea"
                    .into(),
            },
        ));
    }
    let rendered = Rendered {
        html,
        heading_ids: pass.heading_ids.into_vec(),
        first_paragraph: pass.first_paragraph.unwrap_or_default().trim().to_string(),
        words: pass.words,
    };
    (rendered, problems)
}

/// The body's HTML through the allowlist, or nothing (and an error at the place) when its
/// elements nest deeper than [`sanitize::MAX_NESTING`]: html5ever is quadratic in the depth.
fn sanitized(
    html: &str,
    pass: &Passes<'_>,
    hooks: &dyn Hooks,
    problems: &mut Vec<(usize, Problem)>,
) -> String {
    match pass.too_deep_at {
        Some(at) => {
            let limit = sanitize::MAX_NESTING;
            problems.push((at, Problem::HtmlTooDeep { limit }));
            String::new()
        }
        None => sanitize::clean(html, hooks.iframe_hosts()),
    }
}

/// The body with each shortcode call replaced by an inert alphanumeric placeholder, and the
/// table to map offsets in the new text back to the body.
struct Splice {
    text: String,
    /// (original start, original end, new start, new end)
    map: Vec<(usize, usize, usize, usize)>,
}

impl Splice {
    fn new(body: &str, calls: &[Shortcode]) -> Self {
        let mut text = String::with_capacity(body.len());
        let mut map = Vec::new();
        let mut last = 0;
        for (i, call) in calls.iter().enumerate() {
            text.push_str(&body[last..call.span.start]);
            let new_start = text.len();
            let _ = write!(text, "{PLACEHOLDER}{i}z");
            map.push((call.span.start, call.span.end, new_start, text.len()));
            last = call.span.end;
        }
        text.push_str(&body[last..]);
        Splice { text, map }
    }

    /// True when `range` of the new text overlaps a placeholder.
    fn touches(&self, range: &Range<usize>) -> bool {
        // Placeholders are in order: the first that ends after the range's start.
        let i = self.map.partition_point(|m| m.3 <= range.start);
        self.map.get(i).is_some_and(|m| m.2 < range.end)
    }

    fn original_offset(&self, offset: usize) -> usize {
        match self.map.iter().rev().find(|m| m.2 <= offset) {
            None => offset,
            Some(&(o_start, o_end, n_start, n_end)) if offset < n_end => {
                o_start + (offset - n_start).min(o_end - o_start)
            }
            Some(&(_, o_end, _, n_end)) => o_end + (offset - n_end),
        }
    }
}

/// Joins adjacent text events so a placeholder is never split across two of them.
fn merge_text<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event, Range<usize>)> = Vec::with_capacity(1024);
    for (event, range) in events {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut()) {
            let mut joined = String::with_capacity(prev.len() + t.len());
            joined.push_str(prev);
            joined.push_str(t);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// A heading being collected: level, explicit id, classes, inner events.
type OpenHeading<'a> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'a>>);

/// An image being read: what the caller found for its path, its title, its alt text.
struct OpenImage {
    found: Option<ImageRef>,
    title: String,
    alt: String,
}

/// State of the passes over one body.
#[derive(Default)]
struct Passes<'a> {
    heading: Option<OpenHeading<'a>>,
    heading_ids: HeadingIds,
    footnote: Option<(String, Vec<Event<'a>>)>,
    footnote_defs: BTreeMap<String, Vec<Event<'a>>>,
    footnote_numbers: Vec<String>,
    footnote_refs: BTreeMap<String, usize>,
    paragraph: Option<String>,
    paragraph_start: usize,
    paragraph_at: usize,
    last_at: usize,
    misplaced: Vec<(usize, Problem)>,
    first_paragraph: Option<String>,
    tables: usize,
    words: usize,
    in_link: bool,
    /// An image whose alt text is being read.
    image: Option<OpenImage>,
    /// For each shortcode placeholder: does its expansion start with a block element?
    blocks: Vec<bool>,
    /// The editor wrote raw HTML somewhere in the body.
    raw_html: bool,
    /// Markdown elements open (pulldown-cmark's starts without their ends yet).
    markdown_depth: usize,
    /// Elements the editor's raw HTML left open.
    raw_nesting: sanitize::Nesting,
    /// Where elements first nested deeper than [`sanitize::MAX_NESTING`].
    too_deep_at: Option<usize>,
    /// The last text event ended inside a word (for counting words across text events).
    in_word: bool,
    /// The current event's text overlaps a shortcode's placeholder: only then is it
    /// searched for one (most text never holds a call).
    near_call: bool,
}

impl<'a> Passes<'a> {
    fn event(
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

    fn resolve(
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
    fn image_event(
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

    fn route(&mut self, event: Event<'a>, expanded: &[String], out: &mut Vec<Event<'a>>) {
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
    fn footnote_event(&mut self, event: Event<'a>) -> Option<Event<'a>> {
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
    fn paragraph_event(
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
    fn paragraph_text(&mut self, t: &str) {
        if let Some(p) = &mut self.paragraph
            && (self.first_paragraph.is_none() || p.trim_start().len() < 8)
        {
            p.push_str(t);
        }
    }

    /// Counts how deep elements nest at this event, for [`sanitized`]: a start opens one, an
    /// end closes it, raw HTML opens what it leaves open.
    fn track_nesting(&mut self, event: &Event<'_>, at: usize) {
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

    fn close_heading(&mut self, out: &mut Vec<Event<'a>>) {
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
        let unique = self.heading_ids.take(base);
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

    fn footnote_ref(&mut self, label: &str) -> Event<'a> {
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
    fn footnote_section(&mut self) -> String {
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
    fn is_block(&self, html: &str) -> bool {
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
    fn contains_block(&self, html: &str) -> bool {
        placeholders(html).any(|i| self.blocks.get(i).copied().unwrap_or(false))
    }

    fn count_text(&mut self, text: &str) {
        if self.footnote.is_none() {
            let (words, in_word) = count_words_in(text, self.in_word);
            self.words += words;
            self.in_word = in_word;
        }
    }
}

/// A text event holding placeholders becomes raw HTML: the text around them escaped, the
/// placeholders kept. They survive sanitising (plain letters and digits) and are replaced by
/// their expansions afterwards, so theme-made HTML is never filtered as if an editor wrote it.
fn splice_text(text: &str) -> Option<String> {
    find_placeholder(text).map(|_| escape(text))
}

/// Where the first placeholder starts (`memmem`: `str::find` was a sixth of this module's
/// instructions on bodies with calls, per callgrind).
fn find_placeholder(text: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), PLACEHOLDER.as_bytes())
}

/// The indices of the placeholders in `html`, in order.
fn placeholders(html: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(html.as_bytes(), PLACEHOLDER).filter_map(|pos| {
        let after = &html[pos + PLACEHOLDER.len()..];
        after[..after.find('z')?].parse().ok()
    })
}

/// Puts each expansion where its placeholder is.
fn splice_expansions(html: String, expanded: &[String]) -> String {
    if expanded.is_empty() {
        return html;
    }
    // One pass over the HTML (not one `replace` per call); inserted HTML is not scanned
    // again, so a placeholder inside an expansion stays and is reported.
    let extra: usize = expanded.iter().map(String::len).sum();
    let mut out = String::with_capacity(html.len() + extra);
    let mut rest = html.as_str();
    while let Some(at) = find_placeholder(rest) {
        let after = &rest[at + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match (index, after.as_bytes().get(digits)) {
            (Some(i), Some(b'z')) if i < expanded.len() => {
                out.push_str(&rest[..at]);
                out.push_str(&expanded[i]);
                rest = &after[digits + 1..];
            }
            _ => {
                out.push_str(&rest[..at + PLACEHOLDER.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const BLOCK_TAGS: [&str; 5] = ["<figure", "<div", "<table", "<section", "<svg"];

/// True when an expansion is a block element.
fn is_block_start(html: &str) -> bool {
    let t = html.trim_start();
    BLOCK_TAGS.iter().any(|p| t.starts_with(p))
}

/// The opening (without its `>`) and the closing tag of a heading.
fn heading_tags(level: HeadingLevel) -> (&'static str, &'static str) {
    match level {
        HeadingLevel::H1 => ("<h1", "</h1>\n"),
        HeadingLevel::H2 => ("<h2", "</h2>\n"),
        HeadingLevel::H3 => ("<h3", "</h3>\n"),
        HeadingLevel::H4 => ("<h4", "</h4>\n"),
        HeadingLevel::H5 => ("<h5", "</h5>\n"),
        HeadingLevel::H6 => ("<h6", "</h6>\n"),
    }
}

fn misplaced_block() -> Problem {
    Problem::ShortcodeSyntax {
        detail: "este atajo crea un bloque (una figura) y debe ir solo en su párrafo, \
                 con una línea en blanco antes y otra después"
            .into(),
    }
}

/// An image on another server (or a `data:` URL): readers would fetch it from outside.
fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
}

/// Neutralises script-capable URL schemes in editor links.
fn safe_url(dest: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_over_a_placeholder_is_searched_for_one() {
        let map = vec![(10, 20, 10, 30), (40, 45, 50, 70)];
        let splice = Splice {
            text: String::new(),
            map,
        };
        for (range, near) in [
            (0..10, false),
            (0..11, true),
            (29..31, true),
            (30..50, false),
            (45..51, true),
            (69..80, true),
            (70..80, false),
        ] {
            assert_eq!(splice.touches(&range), near, "{range:?}");
        }
    }

    struct Fake;
    impl Hooks for Fake {
        fn shortcode(&mut self, call: &Shortcode) -> Result<String, Problem> {
            Ok(format!(
                "<figure>{}</figure>",
                call.text("alt").unwrap_or("")
            ))
        }
        fn internal_link(&mut self, target: &str, _: usize) -> Result<String, Problem> {
            match target {
                "boletines/a.md" => Ok("/sub/boletines/a/".into()),
                _ => Err(Problem::BrokenInternalLink {
                    target: target.into(),
                    suggestion: None,
                }),
            }
        }
        fn image(&mut self, path: &str) -> Result<ImageRef, Problem> {
            match path {
                "a.jpg" => Ok(ImageRef {
                    src: "/sub/imagenes/a.jpg".into(),
                    ..ImageRef::default()
                }),
                _ => Err(Problem::ImageNotFound { path: path.into() }),
            }
        }
    }

    fn html(body: &str) -> String {
        let (r, p) = render(body, &mut Fake);
        assert!(p.is_empty(), "{p:?}");
        r.html
    }

    #[test]
    fn headings_get_spanish_ids_unique() {
        let h = html("## Comisión Multisectorial\n\n## Comisión Multisectorial\n");
        assert!(
            h.contains("<h2 id=\"comision-multisectorial\">Comisión Multisectorial</h2>"),
            "{h}"
        );
        assert!(h.contains("id=\"comision-multisectorial-2\""));
    }

    #[test]
    fn headings_never_take_the_theme_ids() {
        let h = html("## Contenido\n\n## Notas título\n");
        assert!(h.contains("<h2 id=\"contenido-2\">"), "{h}");
        assert!(h.contains("<h2 id=\"notas-titulo-2\">"), "{h}");
    }

    #[test]
    fn footnotes_are_numbered_at_the_end_with_backlinks() {
        let h = html("Texto[^b] y otro[^a].\n\n[^a]: Segunda.\n[^b]: Primera.\n");
        assert!(
            h.contains("<sup class=\"nota-ref\" id=\"ref-1\"><a href=\"#nota-1\""),
            "{h}"
        );
        assert!(!h.contains("footnote-definition"), "{h}");
        let notes = &h[h.find("<section class=\"notas\"").unwrap()..];
        assert!(notes.find("Primera").unwrap() < notes.find("Segunda").unwrap());
        assert!(
            notes
                .contains("<li id=\"nota-1\"><p>Primera. <a href=\"#ref-1\" class=\"nota-volver\"")
        );
    }

    #[test]
    fn block_shortcode_replaces_its_paragraph_and_inline_code_stays_literal() {
        let h =
            html("Antes\n\n{{ figura(imagen=\"a.jpg\", alt=\"Patio\") }}\n\n`{{ figura() }}`\n");
        assert!(h.contains("\n<figure>Patio</figure>"), "{h}");
        assert!(!h.contains("<p><figure>"));
        assert!(h.contains("<code>{{ figura() }}</code>"));
    }

    #[test]
    fn a_figure_inside_a_sentence_is_an_error() {
        let (_, p) = render(
            "Texto {{ figura(imagen=\"a\", alt=\"b\") }} más.\n",
            &mut Fake,
        );
        assert!(matches!(p[0].1, Problem::ShortcodeSyntax { .. }), "{p:?}");
        let (_, p) = render("## T {{ figura(imagen=\"a\", alt=\"b\") }}\n", &mut Fake);
        assert!(matches!(p[0].1, Problem::ShortcodeSyntax { .. }), "{p:?}");
    }

    #[test]
    fn internal_links_resolve_and_broken_ones_report_offset() {
        assert!(html("[a](@/boletines/a.md)").contains("href=\"/sub/boletines/a/\""));
        let (_, p) = render("Hola [b](@/boletines/b.md)", &mut Fake);
        assert_eq!(p[0].0, 5);
    }

    #[test]
    fn markdown_images_resolve_like_figures() {
        let h = html("![Patio *con* `flores`](@/a.jpg \"T\") ![Patio](a.jpg)");
        assert!(
            h.contains(
                "<img src=\"/sub/imagenes/a.jpg\" alt=\"Patio con flores\" title=\"T\" \
                 loading=\"lazy\" decoding=\"async\">"
            ),
            "{h}"
        );
        let (_, p) = render("![x](imagenes/no.jpg)", &mut Fake);
        assert!(matches!(p[0].1, Problem::ImageNotFound { .. }));
    }

    #[test]
    fn images_need_an_alt_and_must_be_inside_the_site() {
        let (_, p) = render(
            "![](a.jpg)\n\n![x](https://e.org/b.png) ![y](//e.org/c.png)",
            &mut Fake,
        );
        assert!(matches!(p[0].1, Problem::ImageWithoutAlt { .. }), "{p:?}");
        assert!(matches!(p[1].1, Problem::ExternalImage { .. }), "{p:?}");
        assert!(matches!(p[2].1, Problem::ExternalImage { .. }), "{p:?}");
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn script_urls_are_neutralised_as_before() {
        let old = |dest: &str| {
            let lower: String = dest
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            if ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| lower.starts_with(s))
            {
                "#".to_string()
            } else {
                dest.to_string()
            }
        };
        for dest in [
            "",
            "https://www.gob.pe/mininter",
            "JAVASCRIPT:alert(1)",
            " java\tscript :alert(1)",
            "j a v a s c r i p t:x",
            "DaTa:text/html,x",
            "vbScript:x",
            "ĴAVASCRIPT:x",
            "javascript",
            "/boletines/a/",
            "data",
        ] {
            assert_eq!(safe_url(dest), old(dest), "{dest:?}");
        }
    }

    #[test]
    fn raw_html_is_sanitised_with_a_warning_and_script_urls_neutralised() {
        let (r, p) = render(
            "Texto <abbr title=\"Ministerio del Interior\">Mininter</abbr>.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
            &mut Fake,
        );
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(!r.html.contains("alert"), "{}", r.html);
        assert!(
            r.html
                .contains("<abbr title=\"Ministerio del Interior\">Mininter</abbr>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"#\""));
        assert_eq!(
            p,
            vec![(
                62,
                Problem::HtmlRemoved {
                    what: "la etiqueta <script>".into()
                }
            )]
        );
    }

    #[test]
    fn tables_are_wrapped_and_aligned() {
        let h = html("| a | n |\n|---|--:|\n| x | 1 |\n");
        assert!(h.contains(
            "<div class=\"tabla\" role=\"region\" aria-label=\"Tabla 1\" tabindex=\"0\">"
        ));
        assert!(h.contains("text-align: right"), "{h}");
    }

    #[test]
    fn source_lines_get_their_class() {
        let h = html("| a |\n|---|\n| 1 |\n\nFuente: Dirección General.\n\nOtro.\n");
        assert!(
            h.contains("<p class=\"fuente\">Fuente: Dirección General.</p>"),
            "{h}"
        );
        assert!(h.contains("<p>Otro.</p>"));
    }

    #[test]
    fn a_later_source_line_split_into_pieces_is_still_one() {
        // After the first paragraph only an opening is kept: «Fuente:» arriving in pieces
        // (an entity, emphasis) or after a long first piece must still be recognised, and a
        // paragraph that only mentions it later must not.
        let (r, _) = render(
            "Primero, completo y largo.\n\nF&#117;ente: *Dirección* General.\n\n\
             **Fuente:** INEI.\n\nUn texto largo que cita la Fuente: no es una.\n",
            &mut Fake,
        );
        assert_eq!(r.first_paragraph, "Primero, completo y largo.");
        assert_eq!(
            r.html.matches("<p class=\"fuente\">").count(),
            2,
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<p class=\"fuente\">Fuente: <em>Dirección</em> General.</p>")
        );
        assert!(
            r.html
                .contains("<p class=\"fuente\"><strong>Fuente:</strong> INEI.</p>")
        );
        assert!(
            r.html
                .contains("<p>Un texto largo que cita la Fuente: no es una.</p>")
        );
    }

    #[test]
    fn first_paragraph_and_words() {
        let (r, _) = render("## T\n\nUno *dos* tres.\n\nCuatro.", &mut Fake);
        assert_eq!(r.first_paragraph, "Uno dos tres.");
        assert_eq!(r.words, 5);
    }

    #[test]
    fn a_word_split_across_text_events_counts_once() {
        // Typographic quotes and entities split the text into several events: with and
        // without a shortcode (whose placeholders need the text joined), one count.
        let text = "L'Oréal \"dijo\" that's a&amp;b fin.";
        let (plain, _) = render(text, &mut Fake);
        assert_eq!(plain.words, 5);
        let with_call = format!("{text}\n\n{{{{ figura(imagen=\"a\", alt=\"b\") }}}}");
        let (spliced, _) = render(&with_call, &mut Fake);
        // The call's own paragraph (its placeholder) counts as one word, as it always has.
        assert_eq!(spliced.words, 5 + 1);
        // Short pieces with spaces in them (counted without the word counter's call).
        let (short, _) = render("a \"b\" c -- d\ne", &mut Fake);
        assert_eq!(short.words, "a “b” c – d e".split_whitespace().count());
    }

    #[test]
    fn offsets_after_a_shortcode_map_back() {
        let body = "{{ figura(imagen=\"a\", alt=\"b\") }} [x](@/nada.md)";
        let (_, p) = render(body, &mut Fake);
        assert_eq!(p[0].0, body.find('[').unwrap());
    }

    #[test]
    fn eight_thousand_equal_headings_and_explicit_ids_render_in_linear_time() {
        let (r, _) = render(&"## Avance\n\n".repeat(8_000), &mut Fake);
        assert_eq!(r.heading_ids.len(), 8_000);
        assert_eq!(r.heading_ids[7_999], "avance-8000");
        assert!(r.html.contains("<h2 id=\"avance-8000\">Avance</h2>"));
        let (r, _) = render(&"## Otro {#avance}\n\n".repeat(8_000), &mut Fake);
        assert_eq!(r.heading_ids[7_999], "avance-8000");
    }

    #[test]
    fn two_headings_nota_no_longer_hang() {
        let h = html("## Nota\n\n## Nota\n\n## Nota 1\n");
        assert!(h.contains("<h2 id=\"nota\">"), "{h}");
        assert!(h.contains("<h2 id=\"nota-seccion\">"), "{h}");
        assert!(h.contains("<h2 id=\"nota-1-seccion\">"), "{h}");
    }

    #[test]
    fn raw_html_nested_80000_deep_is_an_error_not_minutes() {
        let body = format!(
            "Texto.\n\n{}x{}\n",
            "<div>".repeat(80_000),
            "</div>".repeat(80_000)
        );
        let (r, p) = render(&body, &mut Fake);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0], (8, Problem::HtmlTooDeep { limit: 256 }));
        assert!(r.html.is_empty());
        // Deep Markdown in a body with raw HTML goes to the sanitiser as well.
        let (_, p) = render(
            &format!("<b>x</b>\n\n{} x\n", ">".repeat(50_000)),
            &mut Fake,
        );
        assert!(matches!(p[..], [(_, Problem::HtmlTooDeep { .. })]), "{p:?}");
        // Up to the limit, the body is sanitised as before.
        let nested = format!("{}x{}", "<div>".repeat(250), "</div>".repeat(250));
        let out = html(&nested);
        assert_eq!(out.matches("<div>").count(), 250, "{out}");
        assert!(out.contains("<div>x</div>"), "{out}");
        let paragraphs = "<p>uno\n".repeat(2_000);
        assert!(html(&paragraphs).contains("uno"));
    }
}
