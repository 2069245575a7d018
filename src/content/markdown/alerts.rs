//! Callouts, as GitHub writes them: a quotation whose first line is `[!NOTA]` (or
//! `[!IMPORTANTE]`, `[!ADVERTENCIA]`, `[!PRECAUCION]`, `[!CONSEJO]`, or GitHub's English
//! `[!NOTE]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`, `[!TIP]`) becomes a note with its
//! Spanish title: `<div class="aviso aviso--nota" role="note"><p class="aviso__titulo">Nota</p>…</div>`.
//! A pass over the finished events: the label is found whatever text events the parser
//! split it into, and nothing else of the quotation changes.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

/// The label's kind (for the class) and its Spanish title.
fn kind(label: &str) -> Option<(&'static str, &'static str)> {
    Some(match label.to_uppercase().as_str() {
        "NOTA" | "NOTE" => ("nota", "Nota"),
        "CONSEJO" | "TIP" => ("consejo", "Consejo"),
        "IMPORTANTE" | "IMPORTANT" => ("importante", "Importante"),
        "ADVERTENCIA" | "WARNING" => ("advertencia", "Advertencia"),
        "PRECAUCION" | "PRECAUCIÓN" | "CAUTION" => ("precaucion", "Precaución"),
        _ => return None,
    })
}

/// A first paragraph that is a callout's, without its label (for summaries).
pub(super) fn without_label(text: &str) -> &str {
    let t = text.trim_start();
    t.strip_prefix("[!")
        .and_then(|rest| rest.split_once(']'))
        .filter(|(label, _)| kind(label).is_some())
        .map_or(text, |(_, after)| after.trim_start())
}

/// Rewrites every quotation that opens with a callout label.
pub(super) fn rewrite(events: &mut Vec<Event<'_>>) {
    // Quotations open, each with whether it became a callout.
    let mut open: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::BlockQuote(_)) => {
                let callout = label_at(events, i + 1);
                match callout {
                    Some((end, (class, title))) => {
                        let html = format!(
                            "<div class=\"aviso aviso--{class}\" role=\"note\">\n<p class=\"aviso__titulo\">{title}</p>\n"
                        );
                        events[i] = Event::Html(CowStr::from(html));
                        events.drain(i + 2..end);
                        // A label alone in its paragraph leaves `<p></p>` behind.
                        if matches!(events.get(i + 2), Some(Event::End(TagEnd::Paragraph))) {
                            events.drain(i + 1..i + 3);
                        }
                        open.push(true);
                    }
                    None => open.push(false),
                }
            }
            Event::End(TagEnd::BlockQuote(_)) if open.pop() == Some(true) => {
                events[i] = Event::Html(CowStr::Borrowed("</div>\n"));
            }
            _ => {}
        }
        i += 1;
    }
}

/// Marks every quotation that opens with a callout label with its kind, without the label:
/// the same callouts as [`rewrite`], for renderers other than HTML (the PDF).
pub(super) fn mark(events: &mut Vec<Event<'_>>) {
    let mut open: Vec<Option<BlockQuoteKind>> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::BlockQuote(_)) => {
                let callout = label_at(events, i + 1).map(|(end, (class, _))| (end, class));
                let kind = callout.map(|(end, class)| {
                    events.drain(i + 2..end);
                    if matches!(events.get(i + 2), Some(Event::End(TagEnd::Paragraph))) {
                        events.drain(i + 1..i + 3);
                    }
                    kind_of(class)
                });
                events[i] = Event::Start(Tag::BlockQuote(kind));
                open.push(kind);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                events[i] = Event::End(TagEnd::BlockQuote(open.pop().flatten()));
            }
            _ => {}
        }
        i += 1;
    }
}

fn kind_of(class: &str) -> BlockQuoteKind {
    match class {
        "consejo" => BlockQuoteKind::Tip,
        "importante" => BlockQuoteKind::Important,
        "advertencia" => BlockQuoteKind::Warning,
        "precaucion" => BlockQuoteKind::Caution,
        _ => BlockQuoteKind::Note,
    }
}

/// A callout's Spanish title, as pages show it.
pub fn title(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "Nota",
        BlockQuoteKind::Tip => "Consejo",
        BlockQuoteKind::Important => "Importante",
        BlockQuoteKind::Warning => "Advertencia",
        BlockQuoteKind::Caution => "Precaución",
    }
}

/// When the quotation's first paragraph (at `start`) opens with `[!LABEL]` then a line
/// break or the paragraph's end: the index just past the label's events (and its break),
/// and the callout's kind.
fn label_at(events: &[Event<'_>], start: usize) -> Option<(usize, (&'static str, &'static str))> {
    if !matches!(events.get(start), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let mut text = String::new();
    let mut j = start + 1;
    while let Some(Event::Text(t)) = events.get(j) {
        text.push_str(t);
        j += 1;
        if text.len() > 16 {
            return None;
        }
    }
    let label = text.trim().strip_prefix("[!")?.strip_suffix(']')?;
    let found = kind(label)?;
    match events.get(j) {
        Some(Event::SoftBreak | Event::HardBreak) => Some((j + 1, found)),
        Some(Event::End(TagEnd::Paragraph)) => Some((j, found)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn render(md: &str) -> String {
        let mut events: Vec<Event> = Parser::new_ext(md, super::super::options()).collect();
        rewrite(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn spanish_and_english_labels_make_callouts_and_other_quotes_stay() {
        assert_eq!(
            render("> [!NOTA]\n> Los datos son de 2018.\n"),
            "<div class=\"aviso aviso--nota\" role=\"note\">\n<p class=\"aviso__titulo\">Nota</p>\n<p>Los datos son de 2018.</p>\n</div>\n"
        );
        assert!(render("> [!warning]\n> Cuidado.\n").contains("aviso--advertencia"));
        assert!(
            render("> [!PRECAUCIÓN]\n>\n> Texto.\n")
                .contains("<p class=\"aviso__titulo\">Precaución</p>")
        );
        let plain = render("> Una cita.\n");
        assert_eq!(plain, "<blockquote>\n<p>Una cita.</p>\n</blockquote>\n");
        let unknown = render("> [!OTRA]\n> Texto.\n");
        assert!(unknown.starts_with("<blockquote>"), "{unknown}");
        let nested = render("> [!NOTA]\n> Fuera.\n>\n> > Dentro.\n");
        assert!(
            nested.contains("<blockquote>\n<p>Dentro.</p>\n</blockquote>\n</div>"),
            "{nested}"
        );
    }
}
