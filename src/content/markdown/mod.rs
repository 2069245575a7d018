//! Markdown to HTML: the only module that names pulldown-cmark.
//!
//! Rendering is a list of small passes over the event stream, each with its own test:
//! shortcode splice (placeholders swapped back for the HTML the caller expands), raw HTML
//! escaped, heading ids, `@/` links resolved by the caller, tables wrapped in a scrollable
//! region, and footnotes moved to a numbered list at the end with links back. After
//! rendering we check that no placeholder survived (Zola once shipped them to readers).
//!
//! This file holds the entry points ([`render`], [`code_ranges`]) and the [`Hooks`] the caller
//! supplies; `splice.rs` the placeholders and their offset map; `passes.rs` the passes' state
//! and dispatch, with `headings.rs`, `notes.rs` (footnotes) and `paragraphs.rs` beside it.

mod alerts;
mod autolink;
mod headings;
mod notes;
mod paragraphs;
mod passes;
mod splice;
pub mod stream;

use super::sanitize;
use super::shortcode::{self, Shortcode};
use crate::assets::ImageRef;
use crate::diag::Problem;
use paragraphs::is_block_start;
use passes::Passes;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use splice::{Splice, find_placeholder, merge_text, splice_expansions};
use std::ops::Range;

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
    /// Its second- and third-level headings, for a table of contents.
    pub headings: Vec<Heading>,
}

/// A heading a table of contents lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heading {
    /// 2 or 3.
    pub level: u8,
    /// Its id, for `#id`.
    pub id: String,
    /// Its text.
    pub text: String,
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
                problems.push((argument_at(call, &p).unwrap_or(call.span.start), p));
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
    // the events go through as they are parsed. Bare addresses become links first, where the
    // body may have one.
    let bare = autolink::may_have_links(body);
    match (calls.is_empty(), bare) {
        (true, false) => events.for_each(|(event, range)| take(event, range)),
        (true, true) => autolink::link(events)
            .into_iter()
            .for_each(|(event, range)| take(event, range)),
        (false, false) => merge_text(events)
            .into_iter()
            .for_each(|(event, range)| take(event, range)),
        (false, true) => autolink::link(merge_text(events).into_iter())
            .into_iter()
            .for_each(|(event, range)| take(event, range)),
    }
    let footnotes = pass.footnote_section();
    problems.append(&mut pass.misplaced);
    if pass.quotes {
        alerts::rewrite(&mut out);
    }
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
        first_paragraph: alerts::without_label(pass.first_paragraph.as_deref().unwrap_or_default())
            .trim()
            .to_string(),
        words: pass.words,
        headings: pass.headings,
    };
    (rendered, problems)
}

/// Where in the body the argument a shortcode's problem is about was written: the editor
/// is shown `tipo="barra"`, not the start of the call. `None` when the problem is about the
/// call as a whole.
fn argument_at(call: &Shortcode, problem: &Problem) -> Option<usize> {
    let named = |name: &str| call.args.iter().find(|(n, _, _)| n == name).map(|a| a.2);
    match problem {
        Problem::UnknownChartType { .. } => named("tipo"),
        Problem::UnknownDataset { .. } => named("datos"),
        Problem::BadCondition { .. } => named("donde"),
        Problem::UnknownColumn { column, .. } | Problem::NotNumeric { column, .. } => call
            .args
            .iter()
            .find(|(_, v, _)| mentions(v, column))
            .map(|a| a.2),
        _ => None,
    }
}

/// True when an argument's value is `column` or a list holding it.
fn mentions(value: &shortcode::ArgValue, column: &str) -> bool {
    match value {
        shortcode::ArgValue::Str(s) => {
            s == column || s.split_once('=').is_some_and(|(c, _)| c.trim() == column)
        }
        shortcode::ArgValue::List(items) => items.iter().any(|v| mentions(v, column)),
        _ => false,
    }
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

#[cfg(test)]
mod tests;
