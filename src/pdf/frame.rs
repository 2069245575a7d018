//! The frame of a bulletin's PDF, around its body: the preamble (A4, language, fonts, the
//! footer with the address and «Página N de M»), the header (logo, institution, title,
//! dates, corrections, summary) and the «Historial de cambios» at the end.

use super::Bulletin;
use super::escape::{string, text};
use std::fmt::Write;

/// Page, text and metadata settings. Quotes are the page's: pulldown-cmark's smart
/// punctuation makes `"…"` “…” and `'…'` ‘…’ before Typst sees the text, and every text
/// reaches Typst as a string literal, so Typst's own smart quotes (which for `es` with a
/// region other than `ES`, such as `es-PE`, would be English ones anyway) never apply.
pub(super) fn preamble(b: &Bulletin<'_>, out: &mut String) {
    let (lang, region) = match b.language.split_once('-') {
        Some((l, r)) => (l.to_ascii_lowercase(), Some(r.to_ascii_lowercase())),
        None => (b.language.to_ascii_lowercase(), None),
    };
    let keywords: Vec<String> = b.tags.iter().map(|t| string(t)).collect();
    let date = match b.date {
        Some((y, m, d)) => format!("datetime(year: {y}, month: {m}, day: {d})"),
        None => "none".into(),
    };
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {}, keywords: ({}), date: {date})",
        string(b.title),
        string(b.author.or(b.institution).unwrap_or("")),
        keywords.iter().map(|k| format!("{k},")).collect::<String>(),
    );
    let region = region.map(|r| format!(", region: {}", string(&r)));
    let _ = writeln!(
        out,
        "#set text(font: \"Libertinus Serif\", size: 11pt, lang: {}{}, hyphenate: true)",
        string(&lang),
        region.unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "#set page(paper: \"a4\", margin: (x: 2.3cm, top: 2.2cm, bottom: 2.6cm), \
         footer: context {{ set text(size: 8.5pt, fill: luma(80)); \
         {url}; h(1fr); [Página #counter(page).display() de \
         #counter(page).final().first()] }})",
        url = string(b.url)
    );
    out.push_str(
        "#set par(justify: true, leading: 0.62em, spacing: 1em)\n\
         #show heading: set text(font: \"DejaVu Sans\", weight: \"bold\", hyphenate: false)\n\
         #show heading.where(level: 1): set text(size: 20pt)\n\
         #show heading.where(level: 2): set text(size: 13.5pt)\n\
         #show heading.where(level: 3): set text(size: 11.5pt)\n\
         #show heading: set block(above: 1.4em, below: 0.8em)\n\
         #show link: set text(fill: rgb(\"#1d4e89\"))\n\
         #set table(stroke: (x, y) => (bottom: 0.4pt + luma(160)), inset: (x: 5pt, y: 4pt))\n\
         #show table.cell.where(y: 0): set text(weight: \"bold\")\n\
         #set footnote.entry(separator: line(length: 30%, stroke: 0.5pt))\n\
         #let fuente(t) = block(above: 0.5em, below: 1.2em, text(size: 8.5pt, fill: luma(60), t))\n",
    );
    out.push_str(FIT);
}

/// `encaja(path, alt, share, rest)`: the image at `share` of the text width, or lower (and
/// narrower) when that would not leave room on one page body for `rest`, the caption, title
/// or source printed with it in the same unbreakable block; a figure taller than the page
/// overflowed it, its caption over the footer. `layout` gives the page body's size, `measure`
/// the image's natural height and the rest's; 2.4em is the figure's gaps and the block's
/// spacing, and no image is made lower than 3 cm. Both sides are given, in the image's own
/// proportions.
const FIT: &str = "#let encaja(ruta, alt, ancho, resto) = layout(size => {\n\
     let ancho = size.width * ancho\n\
     let natural = calc.max(1pt, measure(image(ruta, width: ancho)).height)\n\
     let otros = measure(block(width: size.width, resto)).height + 2.4em.to-absolute()\n\
     let alto = calc.max(3cm, calc.min(natural, size.height - otros))\n\
     align(center, image(ruta, alt: alt, width: ancho * (alto / natural), height: alto))\n\
     })\n";

/// Logo, institution, title, dates, corrections and summary.
pub(super) fn header(b: &Bulletin<'_>, logo: Option<&str>, out: &mut String) {
    let institution = b.institution.map(|inst| {
        format!(
            "text(font: \"DejaVu Sans\", size: 9pt, weight: \"bold\", fill: luma(70), {})",
            string(inst)
        )
    });
    match (logo, institution) {
        (Some(path), inst) => {
            // The institution's name beside it is the logo's text: the image is an artifact.
            let _ = writeln!(
                out,
                "#block(below: 1.2em, grid(columns: (auto, 1fr), column-gutter: 10pt, \
                 align: horizon, pdf.artifact(image({}, height: 1.3cm)), {}))",
                string(path),
                inst.unwrap_or_else(|| "[]".into())
            );
        }
        (None, Some(inst)) => {
            let _ = writeln!(out, "#block(below: 1.2em, {inst})");
        }
        (None, None) => {}
    }
    let _ = writeln!(out, "#heading(level: 1, {})\n", string(b.title));
    let mut dates = Vec::new();
    if let Some(d) = &b.date_text {
        dates.push(d.clone());
    }
    if let Some(u) = &b.updated_text {
        dates.push(format!("Actualizado el {u}"));
    }
    if !dates.is_empty() {
        let _ = writeln!(
            out,
            "#block(below: 1.2em, text(size: 9.5pt, fill: luma(60), {}))\n",
            string(&dates.join(" · "))
        );
    }
    for c in b.corrections.iter().filter(|c| !c.minor) {
        let _ = writeln!(
            out,
            "#block(below: 1em, inset: (left: 8pt, y: 3pt), stroke: (left: 1.5pt + luma(90)), \
             text(size: 9.5pt)[#strong({}) {}])\n",
            string(&format!("Corregido el {}:", c.date_text)),
            text(&c.text)
        );
    }
    if let Some(s) = b.summary {
        let _ = writeln!(
            out,
            "#block(below: 1.6em, text(size: 12pt, style: \"italic\", {}))\n",
            string(s)
        );
    }
}

/// «Historial de cambios»: the publication, then every correction (minor ones marked).
pub(super) fn history(b: &Bulletin<'_>, out: &mut String) {
    if b.corrections.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n\n#heading(level: 2, {})\n",
        string("Historial de cambios")
    );
    out.push_str("#list(");
    if let Some(d) = &b.date_text {
        let _ = write!(out, "[{}],", text(&format!("{d}: publicación.")));
    }
    for c in &b.corrections {
        let minor = if c.minor { " (corrección menor)" } else { "" };
        let line = format!("{}: {}{minor}", c.date_text, c.text);
        let _ = write!(out, "[{}],", text(&line));
    }
    out.push_str(")\n");
}
