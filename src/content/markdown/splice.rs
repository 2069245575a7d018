//! The shortcode splice: each call becomes an inert alphanumeric placeholder before
//! pulldown-cmark parses the body, offsets map back to the body, and the placeholders are
//! swapped for the expansions once the HTML is written (after sanitising, so theme-made
//! HTML is never filtered as if an editor wrote it).

use super::shortcode::Shortcode;
use crate::html::escape;
use pulldown_cmark::{CowStr, Event};
use std::fmt::Write;
use std::ops::Range;

pub(super) const PLACEHOLDER: &str = "boletinshortcodeq";

/// The body with each shortcode call replaced by an inert alphanumeric placeholder, and the
/// table to map offsets in the new text back to the body.
pub(super) struct Splice {
    pub(super) text: String,
    /// (original start, original end, new start, new end)
    pub(super) map: Vec<(usize, usize, usize, usize)>,
}

impl Splice {
    pub(super) fn new(body: &str, calls: &[Shortcode]) -> Self {
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
    pub(super) fn touches(&self, range: &Range<usize>) -> bool {
        // Placeholders are in order: the first that ends after the range's start.
        let i = self.map.partition_point(|m| m.3 <= range.start);
        self.map.get(i).is_some_and(|m| m.2 < range.end)
    }

    pub(super) fn original_offset(&self, offset: usize) -> usize {
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
pub(super) fn merge_text<'a>(
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

/// A text event holding placeholders becomes raw HTML: the text around them escaped, the
/// placeholders kept. They survive sanitising (plain letters and digits) and are replaced by
/// their expansions afterwards, so theme-made HTML is never filtered as if an editor wrote it.
pub(super) fn splice_text(text: &str) -> Option<String> {
    find_placeholder(text).map(|_| escape(text))
}

/// Where the first placeholder starts (`memmem`: `str::find` was a sixth of this module's
/// instructions on bodies with calls, per callgrind).
pub(super) fn find_placeholder(text: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), PLACEHOLDER.as_bytes())
}

/// The indices of the placeholders in `html`, in order.
pub(super) fn placeholders(html: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(html.as_bytes(), PLACEHOLDER).filter_map(|pos| {
        let after = &html[pos + PLACEHOLDER.len()..];
        after[..after.find('z')?].parse().ok()
    })
}

/// Puts each expansion where its placeholder is.
pub(super) fn splice_expansions(html: String, expanded: &[String]) -> String {
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
