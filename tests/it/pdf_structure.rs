//! The tagged PDF's structure, read back with poppler (`pdfinfo`, `pdfinfo -struct`) and
//! from the file's own bytes: the document language, the title metadata, headings as
//! structure elements and as bookmarks, figures with their alternate text, and table header
//! cells with their scope.

use crate::harness::Site;
use crate::pdf::PDF_SITE;
use std::process::Command;

fn pdfinfo(args: &[&str], pdf: &std::path::Path) -> String {
    let out = Command::new("pdfinfo")
        .args(args)
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    assert!(out.status.success(), "pdfinfo {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A PDF site with the dataset `cifras` (Lima 5, Cusco 7), one bulletin `a` with `body`,
/// and a photo `content/imagenes/<name>.jpg` for each of `photos`.
fn pdf_site(title: &str, body: &str, photos: &[&str]) -> Site {
    let site = Site::empty()
        .with("content/sitio.yaml", PDF_SITE)
        .with(
            "content/datos/cifras.yaml",
            "titulo: Cifras\nfilas:\n  - {lugar: Lima, n: 5}\n  - {lugar: Cusco, n: 7}\n",
        )
        .bulletin("a.md", title, "2024-05-02", body);
    for name in photos {
        site.write_bytes(
            &format!("content/imagenes/{name}.jpg"),
            &crate::images::phone_photo(800, 300, 1),
        );
    }
    site
}

#[test]
fn the_tagged_pdf_has_language_title_headings_bookmarks_figures_and_header_cells() {
    let site = pdf_site(
        "Informe de estructura",
        "Texto.\n\n## Primera parte\n\nMás texto.\n\n\
         {{ figura(imagen=\"imagenes/patio.jpg\", alt=\"Un patio pintado\") }}\n\n\
         ## Segunda parte\n\n{{ tabla(datos=\"cifras\") }}\n",
        &["patio"],
    );
    site.build_ok();
    let pdf = site.out("boletines/a/a.pdf");
    let info = pdfinfo(&[], &pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Informe de estructura"),
        "{info}"
    );
    assert!(info.contains("(A4)"), "{info}");
    let bytes = std::fs::read(&pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Lang (es-PE)"), "the document language");
    assert!(raw.contains("/Outlines"), "bookmarks");
    for heading in ["Primera parte", "Segunda parte"] {
        let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
            .chain(heading.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect();
        let literal = format!("/Title ({heading}");
        let as_utf16 = bytes.windows(utf16.len()).any(|w| w == utf16.as_slice());
        assert!(
            raw.contains(&literal) || as_utf16,
            "no bookmark for {heading}"
        );
    }
    let tree = pdfinfo(&["-struct-text"], &pdf);
    assert!(tree.starts_with("Document"), "{tree}");
    assert!(tree.contains("H1"), "the title as H1:\n{tree}");
    for heading in ["Primera parte", "Segunda parte"] {
        assert!(
            tree.lines()
                .any(|l| l.trim_start().starts_with("H2") && l.contains(heading)),
            "{heading} as H2:\n{tree}"
        );
    }
    assert!(tree.contains("Figure"), "the photo as a figure:\n{tree}");
    let header_cells = tree.matches("TH ").count();
    assert!(header_cells >= 2, "header cells:\n{tree}");
    assert!(tree.contains("/Scope /Column"), "header scope:\n{tree}");
    assert!(tree.contains("THead") && tree.contains("TBody"), "{tree}");
}

/// The alternate texts of the PDF's `Figure` structure elements, in no particular order.
/// Typst 0.14 writes the structure tree uncompressed, each `/Alt` a UTF-16BE hex string
/// (`<FEFF…>`) or, for plain ASCII, a literal one; poppler prints no `/Alt`, so the file's
/// bytes are read.
fn figure_alts(bytes: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(bytes);
    raw.split(" obj")
        .filter_map(|obj| {
            let obj = &obj[..obj.find("endobj").unwrap_or(obj.len())];
            if !obj.contains("/Type /StructElem") || !obj.contains("/S /Figure") {
                return None;
            }
            let alt = &obj[obj.find("/Alt ")? + 5..];
            if let Some(hex) = alt.strip_prefix('<') {
                Some(utf16_hex(&hex[..hex.find('>')?]))
            } else {
                let lit = alt.strip_prefix('(')?;
                Some(lit[..lit.find(')')?].to_string())
            }
        })
        .collect()
}

fn utf16_hex(hex: &str) -> String {
    let units: Vec<u16> = hex
        .as_bytes()
        .chunks(4)
        .map(|c| u16::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect();
    String::from_utf16(units.strip_prefix(&[0xFEFF]).unwrap_or(&units)).unwrap()
}

#[test]
fn figures_carry_their_alternate_text_the_charts_their_description() {
    let site = pdf_site(
        "Textos alternativos",
        "Texto.\n\n\
         {{ figura(imagen=\"imagenes/patio.jpg\", alt=\"Un patio pintado de azul\", \
         pie=\"El patio\") }}\n\n\
         ![Una plaza con árboles](imagenes/plaza.jpg)\n\n\
         {{ grafico(datos=\"cifras\", x=\"lugar\", y=\"n\") }}\n",
        &["patio", "plaza"],
    );
    site.build_ok();
    // The chart's description, as the page's SVG says it in its <desc>.
    let page = site.read("boletines/a/index.html");
    let desc = page
        .split("-desc\">")
        .nth(1)
        .and_then(|d| d.split("</desc>").next())
        .expect("the chart's <desc>");
    assert!(desc.contains("Cusco"), "{desc}");
    assert!(!desc.contains('&'), "an entity to decode: {desc}");
    let mut alts = figure_alts(&std::fs::read(site.out("boletines/a/a.pdf")).unwrap());
    alts.sort();
    let mut expected = ["Un patio pintado de azul", "Una plaza con árboles", desc];
    expected.sort();
    assert_eq!(alts, expected, "the Figure elements' /Alt");
}
