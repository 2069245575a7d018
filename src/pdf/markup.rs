//! The Typst source of one bulletin: a preamble (A4, Spanish, fonts, footer with the page
//! number and the address), the header (institution, title, dates, summary), and the body
//! written from the Markdown events. Structure is ours; every text is an escaped string
//! literal ([`super::escape`]).
//!
//! Footnote definitions are collected first and printed where they are called, so Typst
//! sets each at the foot of the page that calls it. Raw HTML prints its text (without its
//! tags, and without what a `<script>` or `<style>` holds): it is never run. Callouts print
//! as a ruled box with their Spanish title; corrections under the dates and in a «Historial
//! de cambios» at the end, as on the page.

use super::escape::{string, text};
use super::frame::{header, history, preamble};
use super::{Block, Bulletin, Picture, Resolve, Table};
use crate::content::markdown::stream::{
    Alignment, CodeBlockKind, Event, HeadingLevel, Item, Stream, Tag, TagEnd, callout_title,
};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The Typst source and the files it reads.
pub(super) fn document(
    b: &Bulletin<'_>,
    stream: &Stream,
    resolve: &mut dyn Resolve,
) -> (String, Vec<(String, Vec<u8>)>) {
    let mut w = Writer {
        out: String::with_capacity(4096),
        files: Vec::new(),
        notes: footnotes(&stream.items),
        stream,
        resolve,
        table: Vec::new(),
        in_script: false,
    };
    preamble(b, &mut w.out);
    let logo = b.logo.clone().map(|p| w.file(p));
    header(b, logo.as_deref(), &mut w.out);
    let mut i = 0;
    while i < stream.items.len() {
        i = w.item(i);
    }
    history(b, &mut w.out);
    (w.out, w.files)
}

/// Each footnote definition's items, by label.
fn footnotes(items: &[Item]) -> BTreeMap<String, (usize, usize)> {
    let mut notes = BTreeMap::new();
    let mut open: Option<(String, usize)> = None;
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Event(Event::Start(Tag::FootnoteDefinition(label))) => {
                open = Some((label.to_string(), i + 1));
            }
            Item::Event(Event::End(TagEnd::FootnoteDefinition)) => {
                if let Some((label, start)) = open.take() {
                    notes.entry(label).or_insert((start, i));
                }
            }
            _ => {}
        }
    }
    notes
}

struct Writer<'s, 'r> {
    out: String,
    files: Vec<(String, Vec<u8>)>,
    notes: BTreeMap<String, (usize, usize)>,
    stream: &'s Stream,
    resolve: &'r mut dyn Resolve,
    /// Open tables: are we in the header row.
    table: Vec<bool>,
    /// Inside raw HTML's `<script>` or `<style>`, whose text is not printed.
    in_script: bool,
}

impl Writer<'_, '_> {
    /// Writes item `i`; returns the index of the next one.
    fn item(&mut self, i: usize) -> usize {
        match &self.stream.items[i] {
            Item::Call(n) => {
                let block = self.resolve.block(&self.stream.calls[*n]);
                self.block(block);
            }
            Item::Event(Event::Start(Tag::FootnoteDefinition(_))) => {
                return self.skip_to_end(i);
            }
            Item::Event(Event::Start(Tag::Image { dest_url, .. })) => {
                return self.image(i, dest_url);
            }
            Item::Event(Event::Start(Tag::CodeBlock(kind))) => {
                return self.code_block(i, kind);
            }
            Item::Event(Event::Start(tag)) => self.start(tag),
            Item::Event(Event::End(tag)) => self.end(*tag),
            Item::Event(event) => self.leaf(event),
        }
        i + 1
    }

    fn start(&mut self, tag: &Tag<'_>) {
        let o = &mut self.out;
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let _ = write!(o, "#heading(level: {})[", heading_level(*level));
            }
            Tag::BlockQuote(Some(kind)) => {
                let _ = writeln!(
                    o,
                    "#block(width: 100%, inset: (left: 10pt, y: 6pt), above: 1.2em, below: 1.2em, \
                     stroke: (left: 2.5pt + luma(60)), fill: luma(245))[#block(below: 0.6em, \
                     text(font: \"DejaVu Sans\", weight: \"bold\", size: 9.5pt, {}))",
                    string(callout_title(*kind))
                );
            }
            Tag::BlockQuote(None) => o.push_str("#quote(block: true)["),
            Tag::List(None) => o.push_str("#list("),
            Tag::List(Some(start)) => {
                let _ = write!(o, "#enum(start: {start}, ");
            }
            Tag::Item => o.push('['),
            Tag::Emphasis => o.push_str("#emph["),
            Tag::Strong => o.push_str("#strong["),
            Tag::Strikethrough => o.push_str("#strike["),
            Tag::Link { dest_url, .. } => match self.resolve.link(dest_url) {
                Some(url) => {
                    let _ = write!(o, "#link({})[", string(&url));
                }
                None => o.push('['),
            },
            Tag::Table(aligns) => {
                let align: String = aligns.iter().map(|a| format!("{},", align(*a))).collect();
                let _ = write!(o, "#table(columns: {}, align: ({align}), ", aligns.len());
            }
            Tag::TableHead => {
                self.table.push(true);
                o.push_str("table.header(");
            }
            Tag::TableRow => {}
            Tag::TableCell => o.push('['),
            _ => o.push('['),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        let o = &mut self.out;
        match tag {
            TagEnd::Paragraph => o.push_str("\n\n"),
            TagEnd::Heading(_) => o.push_str("]\n\n"),
            TagEnd::BlockQuote(_) => o.push_str("]\n\n"),
            TagEnd::List(_) => o.push_str(")\n\n"),
            TagEnd::Item => o.push_str("],"),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                o.push(']');
            }
            TagEnd::Table => o.push_str(")\n\n"),
            TagEnd::TableHead => {
                self.table.pop();
                o.push_str("),");
            }
            TagEnd::TableRow => {}
            TagEnd::TableCell => o.push_str("],"),
            _ => o.push(']'),
        }
    }

    fn leaf(&mut self, event: &Event<'_>) {
        let o = &mut self.out;
        match event {
            Event::Text(t) => o.push_str(&text(t)),
            Event::Code(t) => {
                let _ = write!(o, "#raw({});", string(t));
            }
            Event::SoftBreak => o.push_str("#\" \";"),
            Event::HardBreak => o.push_str("#linebreak();"),
            Event::Rule => o.push_str("#line(length: 100%, stroke: 0.5pt + luma(150))\n\n"),
            Event::FootnoteReference(label) => {
                if let Some(&(start, end)) = self.notes.get(label.as_ref()) {
                    self.out.push_str("#footnote[");
                    self.range(start, end);
                    let trimmed = self.out.trim_end().len();
                    self.out.truncate(trimmed);
                    self.out.push(']');
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let (shown, in_script) = html_text(html, self.in_script);
                self.in_script = in_script;
                if !shown.is_empty() {
                    self.out.push_str(&text(&shown));
                }
            }
            // Math and task markers (not enabled) print nothing.
            _ => {}
        }
    }

    /// Writes items `start..end` (a footnote's definition).
    fn range(&mut self, start: usize, end: usize) {
        let mut i = start;
        while i < end {
            i = self.item(i);
        }
    }

    /// The index after the end of the element that starts at `i`.
    fn skip_to_end(&self, i: usize) -> usize {
        let mut depth = 0usize;
        for (j, item) in self.stream.items.iter().enumerate().skip(i) {
            match item {
                Item::Event(Event::Start(_)) => depth += 1,
                Item::Event(Event::End(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        return j + 1;
                    }
                }
                _ => {}
            }
        }
        self.stream.items.len()
    }

    /// A Markdown image: its alt text is the text inside it.
    fn image(&mut self, i: usize, dest: &str) -> usize {
        let next = self.skip_to_end(i);
        let alt: String = self.stream.items[i..next]
            .iter()
            .filter_map(|item| match item {
                Item::Event(Event::Text(t) | Event::Code(t)) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Some(picture) = self.resolve.image(dest) {
            let path = self.file(picture);
            let _ = write!(
                self.out,
                "#block(encaja({}, {}, 1.0, []))",
                string(&path),
                string(&alt)
            );
        }
        next
    }

    fn code_block(&mut self, i: usize, kind: &CodeBlockKind<'_>) -> usize {
        let next = self.skip_to_end(i);
        let code: String = self.stream.items[i..next]
            .iter()
            .filter_map(|item| match item {
                Item::Event(Event::Text(t)) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(l) if !l.is_empty() => format!(", lang: {}", string(l)),
            _ => String::new(),
        };
        let _ = write!(
            self.out,
            "#raw(block: true{lang}, {})\n\n",
            string(code.trim_end_matches('\n'))
        );
        next
    }

    /// Adds a file for the world; its path.
    fn file(&mut self, picture: Picture) -> String {
        let path = format!("/archivos/{}.{}", self.files.len() + 1, picture.format);
        self.files.push((path.clone(), picture.bytes));
        path
    }

    fn block(&mut self, block: Block) {
        match block {
            Block::Text(t) => self.out.push_str(&text(&t)),
            Block::Nothing => {}
            Block::Table(t) => self.data_table(&t),
            Block::Figure {
                picture,
                alt,
                caption,
                credit,
            } => self.figure(picture, &alt, caption, credit),
            Block::Graphic {
                svg,
                title,
                alt,
                source,
                table,
            } => {
                self.in_script = false;
                let path = self.file(Picture {
                    bytes: without_links(&svg).into_bytes(),
                    format: "svg",
                });
                let source =
                    source.map(|s| format!("#fuente({})", string(&format!("Fuente: {s}"))));
                let title = format!(
                    "block(below: 0.6em, text(font: \"DejaVu Sans\", weight: \"bold\", \
                     size: 10pt, {}))",
                    string(&title)
                );
                let source = source.unwrap_or_default();
                let _ = write!(
                    self.out,
                    "\n\n#block(breakable: false, above: 1.4em)[#{title}\n\
                     #encaja({}, {}, 0.8, [#{title}\n{source}])\n{source}]\n\n",
                    string(&path),
                    string(&alt),
                );
                if let Some(t) = table {
                    self.data_table(&Table { source: None, ..t });
                }
            }
        }
    }

    fn figure(
        &mut self,
        picture: Option<Picture>,
        alt: &str,
        caption: Option<String>,
        credit: Option<String>,
    ) {
        let path = picture.map(|p| self.file(p));
        let mut lines = Vec::new();
        if let Some(c) = caption {
            lines.push(text(&c));
        }
        if let Some(c) = credit {
            lines.push(format!("#text(fill: luma(70))[{}]", text(&c)));
        }
        let body = format!("text(size: 9pt)[{}]", lines.join(" — "));
        let image = match path {
            Some(path) => format!("encaja({}, {}, 1.0, {body})", string(&path), string(alt)),
            None => "[]".into(),
        };
        let caption = if lines.is_empty() {
            String::new()
        } else {
            format!(", caption: figure.caption({body})")
        };
        let _ = write!(
            self.out,
            "\n\n#figure({image}, numbering: none, kind: image, supplement: none{caption})\n\n"
        );
    }

    fn data_table(&mut self, t: &Table) {
        let o = &mut self.out;
        if let Some(title) = &t.title {
            let _ = write!(
                o,
                "\n\n#block(below: 0.6em, above: 1.4em, sticky: true, text(font: \"DejaVu Sans\", \
                 weight: \"bold\", size: 10pt, {}))\n",
                string(title)
            );
        }
        let columns = t.header.len().max(1);
        let align: String = (0..columns)
            .map(|c| {
                if t.numeric.get(c).copied().unwrap_or(false) {
                    "right,"
                } else {
                    "left,"
                }
            })
            .collect();
        let _ = write!(
            o,
            "#table(columns: {columns}, align: ({align}), table.header(repeat: true, {}), ",
            cells(&t.header)
        );
        for row in &t.rows {
            o.push_str(&cells(row));
        }
        if let Some(total) = &t.total {
            let _ = write!(
                o,
                "table.footer(repeat: false, {}), ",
                total
                    .iter()
                    .map(|c| format!("strong({}),", string(c)))
                    .collect::<String>()
            );
        }
        o.push_str(")\n");
        if let Some(s) = &t.source {
            let _ = writeln!(o, "#fuente({})", string(&format!("Fuente: {s}")));
        }
        o.push('\n');
    }
}

/// The text of a piece of raw HTML: tags dropped, the five named entities and numeric ones
/// decoded, nothing of a `<script>` or `<style>` (which may span pieces: `in_script` says
/// whether the piece starts inside one; the second value, whether it ends inside one).
fn html_text(html: &str, mut in_script: bool) -> (String, bool) {
    let mut out = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(at) => {
                if !in_script {
                    out.push_str(&rest[..at]);
                }
                let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
                let tag = rest[at..tag_end].to_ascii_lowercase();
                let name: String = tag
                    .trim_start_matches('<')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                    .collect();
                match name.as_str() {
                    "script" | "style" => in_script = true,
                    "/script" | "/style" => in_script = false,
                    "br" | "p" | "/p" | "div" | "/div" | "li" => out.push(' '),
                    _ => {}
                }
                rest = &rest[tag_end..];
            }
            None => {
                if !in_script {
                    out.push_str(rest);
                }
                rest = "";
            }
        }
    }
    (decode_entities(&out), in_script)
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and `&#…;` decoded; others kept.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                n => {
                    let n = n.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| !c.is_control())?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An SVG without its `<a>` wrappers (a map's points link to their barrios): PDF/UA-1
/// allows no links inside an image, which is one artifact.
fn without_links(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("<a ") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out.replace("</a>", "")
}

/// A row's cells as content arguments.
fn cells(row: &[String]) -> String {
    row.iter().map(|c| format!("[{}],", text(c))).collect()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn align(a: Alignment) -> &'static str {
    match a {
        Alignment::None | Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_gives_its_text_and_nothing_of_scripts() {
        let t = |h: &str| html_text(h, false).0;
        assert_eq!(t("<b>Hola</b> &amp; &lt;x&gt; &#233;"), "Hola & <x> é");
        assert_eq!(t("<script>alert(1)</script>fin"), "fin");
        assert_eq!(t("a &bogus; b & c"), "a &bogus; b & c");
        let (first, inside) = html_text("<style>\n", false);
        assert!(first.is_empty() && inside);
        assert_eq!(html_text("p { }\n</style>después", inside).0, "después");
    }
}
