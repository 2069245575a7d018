//! What the print edition holds besides the text: photos at their 960-pixel version with
//! caption and credit, the logo, callouts, bare addresses as links, corrections, the map's
//! data table, raw HTML as text, and the site's quotes. Read back with poppler's
//! `pdfimages`, `pdftotext` and `pdfinfo`.

use crate::harness::Site;
use crate::pdf::{PDF_SITE, flat, text};
use std::path::Path;
use std::process::Command;

/// `pdfimages -list`: one line per raster image (width and height in columns 4 and 5).
fn images(pdf: &Path) -> Vec<(u32, u32)> {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("pdfimages (poppler-utils)");
    assert!(out.status.success(), "pdfimages failed on {pdf:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            Some((cols.get(3)?.parse().ok()?, cols.get(4)?.parse().ok()?))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_photo_prints_its_960_pixel_version_with_caption_and_credit_and_no_exif() {
    let site = Site::empty().with("content/sitio.yaml", PDF_SITE).bulletin(
        "a.md",
        "Con foto",
        "2024-05-02",
        "Texto.\n\n{{ figura(imagen=\"imagenes/patio.jpg\", alt=\"Un patio pintado\", \
         pie=\"El patio de la escuela\", credito=\"Ana Quispe\") }}\n",
    );
    // A phone photo, 1650 px wide, with an EXIF block holding a GPS position.
    site.write_bytes(
        "content/imagenes/patio.jpg",
        &crate::images::phone_photo(1650, 420, 1),
    );
    site.build_ok();
    let pdf = site.out("boletines/a/a.pdf");
    assert_eq!(images(&pdf), [(960, 244)], "the 960 px version, once");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        !contains(&bytes, b"SECRETO-GPS"),
        "the EXIF reached the PDF"
    );
    assert!(
        !contains(&bytes, b"Exif\0\0"),
        "an EXIF block reached the PDF"
    );
    let body = flat(&text(&pdf));
    assert!(body.contains("El patio de la escuela"), "{body}");
    assert!(body.contains("Crédito: Ana Quispe"), "{body}");
}

#[test]
fn the_logo_heads_the_pdf() {
    let site = Site::empty()
        .with(
            "content/sitio.yaml",
            &format!("{PDF_SITE}logo: imagenes/logo.jpg\n"),
        )
        .bulletin("a.md", "A", "2024-05-02", "Texto.\n");
    site.write_bytes(
        "content/imagenes/logo.jpg",
        &crate::images::phone_photo(400, 100, 1),
    );
    site.build_ok();
    let pdf = site.out("boletines/a/a.pdf");
    assert_eq!(images(&pdf), [(400, 100)]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(!contains(&bytes, b"SECRETO-GPS"));
    assert!(flat(&text(&pdf)).starts_with("Ministerio de Prueba A"));
}

#[test]
fn callouts_bare_addresses_and_raw_html_print_as_text() {
    let site = Site::empty().with("content/sitio.yaml", PDF_SITE).bulletin(
        "a.md",
        "A",
        "2024-05-02",
        "> [!ADVERTENCIA]\n> Las cifras son provisionales.\n\n\
         > Una cita común.\n\n\
         Más en https://www.gob.pe/mininter, o en www.example.org.\n\n\
         <div class=\"recuadro\"><b>Texto en HTML</b> &amp; más</div>\n\n\
         Una línea con <abbr title=\"Ministerio\">MININTER</abbr> dentro.\n\n\
         <script>CANARIO-SCRIPT</script>\n",
    );
    site.build_ok();
    let pdf = site.out("boletines/a/a.pdf");
    let body = flat(&text(&pdf));
    for fact in [
        "Advertencia Las cifras son provisionales.",
        "Una cita común.",
        "Texto en HTML & más",
        "Una línea con MININTER dentro.",
    ] {
        assert!(body.contains(fact), "`{fact}` not in:\n{body}");
    }
    assert!(!body.contains("[!ADVERTENCIA]"), "{body}");
    assert!(
        !body.contains("<b>") && !body.contains("recuadro"),
        "{body}"
    );
    assert!(!body.contains("CANARIO-SCRIPT"), "{body}");
    // Both addresses are links (poppler lists a PDF's link targets with `pdfinfo -url`).
    let urls = Command::new("pdfinfo")
        .arg("-url")
        .arg(&pdf)
        .output()
        .unwrap();
    let urls = String::from_utf8_lossy(&urls.stdout);
    assert!(urls.contains("https://www.gob.pe/mininter"), "{urls}");
    assert!(urls.contains("https://www.example.org"), "{urls}");
}

#[test]
fn corrections_print_under_the_title_and_in_the_history() {
    let site = Site::empty().with("content/sitio.yaml", PDF_SITE).with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2024-05-02\ncorrecciones:\n  \
         - {fecha: 2024-05-06, texto: 'La cifra de Lima era 12, no 21.'}\n  \
         - {fecha: 2024-05-07, texto: 'Una tilde.', menor: true}\n---\nTexto.\n",
    );
    site.build_ok();
    let body = flat(&text(&site.out("boletines/a/a.pdf")));
    assert!(
        body.contains("Corregido el 6 de mayo de 2024: La cifra de Lima era 12, no 21."),
        "{body}"
    );
    // A minor correction is only in the history.
    assert!(!body.contains("Corregido el 7 de mayo"), "{body}");
    let history = body.split("Historial de cambios").nth(1).expect(&body);
    for line in [
        "2 de mayo de 2024: publicación.",
        "6 de mayo de 2024: La cifra de Lima era 12, no 21.",
        "7 de mayo de 2024: Una tilde. (corrección menor)",
    ] {
        assert!(
            history.contains(line),
            "`{line}` not in the history:\n{history}"
        );
    }
}

#[test]
fn a_map_prints_its_data_table() {
    let site = crate::places::site().with(
        "content/boletines/m.md",
        "---\ntitulo: Mapa\nfecha: 2018-07-04\npdf: true\n---\n{{ mapa() }}\n",
    );
    site.build_ok();
    let body = flat(&text(&site.out("boletines/m/m.pdf")));
    for row in ["Territorio Barrios", "Callao 2", "Ica 1"] {
        assert!(body.contains(row), "`{row}` not in:\n{body}");
    }
}

#[test]
fn quotes_are_the_sites_in_the_pdf() {
    let site = Site::empty().with("content/sitio.yaml", PDF_SITE).bulletin(
        "a.md",
        "A",
        "2024-05-02",
        "Dijo \"basta\" y 'ya', con «angulares» también.\n",
    );
    site.build_ok();
    let page = site.read("boletines/a/index.html");
    let quoted = "Dijo “basta” y ‘ya’, con «angulares» también.";
    assert!(page.contains(quoted), "{page}");
    let body = flat(&text(&site.out("boletines/a/a.pdf")));
    assert!(body.contains(quoted), "{body}");
}
