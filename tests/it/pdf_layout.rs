//! Where things land on the PDF's pages, read back with poppler's `pdftotext -bbox` (every
//! word with its page and box) and `pdfimages -list` (every photo with its page): a figure
//! taller than the page body is made lower, so it and its caption fit above the footer.

use crate::harness::Site;
use crate::pdf::PDF_SITE;
use std::path::Path;
use std::process::Command;

/// A word of `pdftotext -bbox`: its page (from 1), its text, and its top and bottom in
/// points from the top of the page.
struct Word {
    page: usize,
    text: String,
    left: f64,
    top: f64,
    bottom: f64,
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
    let len = tag[start..].find('"').expect("closing quote");
    tag[start..start + len].parse().expect("a number")
}

fn words(pdf: &Path) -> (Vec<Word>, f64) {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext -bbox failed on {pdf:?}");
    let html = String::from_utf8_lossy(&out.stdout);
    let (mut page, mut height, mut words) = (0, 0.0, Vec::new());
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            height = attr(line, "height");
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').expect("word tag");
            let text = rest[close + 1..].trim_end_matches("</word>").to_string();
            words.push(Word {
                page,
                text,
                left: attr(rest, "xMin"),
                top: attr(rest, "yMin"),
                bottom: attr(rest, "yMax"),
            });
        }
    }
    (words, height)
}

fn find<'a>(words: &'a [Word], text: &str) -> &'a Word {
    words
        .iter()
        .find(|w| w.text == text)
        .unwrap_or_else(|| panic!("`{text}` is not in the PDF"))
}

/// The pages `pdfimages -list` puts the photos on.
fn photo_pages(pdf: &Path) -> Vec<usize> {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("pdfimages (poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

/// An SVG eight times taller than wide, with a word at its top left and one at its bottom,
/// 50 units to the right and 770 below (Typst prints an SVG's text as text, so `pdftotext`
/// finds them).
const TALL_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 800\" \
     width=\"100\" height=\"800\"><rect x=\"0\" y=\"0\" width=\"100\" height=\"800\" \
     fill=\"#eeeeee\"/><text x=\"10\" y=\"20\" font-size=\"12\">CIMASVG</text>\
     <text x=\"60\" y=\"790\" font-size=\"12\">BASESVG</text></svg>";

#[test]
fn a_figure_taller_than_the_page_fits_with_its_caption_above_the_footer() {
    let caption = "Un esquema muy alto cuyo pie ocupa dos líneas en la página impresa, \
                   tan largo que no cabe en una sola línea: PIESVG";
    let site = Site::empty().with("content/sitio.yaml", PDF_SITE).bulletin(
        "a.md",
        "Figuras altas",
        "2024-05-02",
        &format!(
            "Texto antes.\n\n{{{{ figura(imagen=\"imagenes/alto.svg\", alt=\"Un esquema\", \
             pie=\"{caption}\", credito=\"Ana\") }}}}\n\n\
             {{{{ figura(imagen=\"imagenes/torre.jpg\", alt=\"Una torre\", pie=\"PIEFOTO\") }}}}\n"
        ),
    );
    site.write("content/imagenes/alto.svg", TALL_SVG);
    site.write_bytes(
        "content/imagenes/torre.jpg",
        &crate::images::phone_photo(300, 1500, 1),
    );
    site.build_ok();
    let pdf = site.out("boletines/a/a.pdf");
    let (words, height) = words(&pdf);
    let footer_top = |page: usize| {
        words
            .iter()
            .filter(|w| w.page == page && w.text == "Página")
            .map(|w| w.top)
            .next()
            .unwrap_or_else(|| panic!("no footer on page {page}"))
    };
    // The drawing, whole, then its caption, then the footer, on one page.
    let (top, bottom, cap) = (
        find(&words, "CIMASVG"),
        find(&words, "BASESVG"),
        find(&words, "PIESVG"),
    );
    assert_eq!((top.page, bottom.page), (cap.page, cap.page));
    assert!(
        top.top > 0.0 && bottom.bottom < cap.top,
        "the drawing overlaps its caption"
    );
    // Made lower in its own proportions, neither stretched nor cropped to the text width.
    let ratio = (bottom.top - top.top) / (bottom.left - top.left);
    assert!(
        (ratio - 770.0 / 50.0).abs() < 0.2,
        "the drawing is distorted: {ratio}"
    );
    assert!(
        cap.bottom < footer_top(cap.page) && cap.bottom < height,
        "the caption runs over the footer: {} ≥ {}",
        cap.bottom,
        footer_top(cap.page)
    );
    // The photo is on the page of its caption, which is above the footer.
    let photo = find(&words, "PIEFOTO");
    assert_eq!(photo_pages(&pdf), [photo.page]);
    assert!(
        photo.bottom < footer_top(photo.page),
        "the photo's caption runs over the footer"
    );
}
