//! The print edition: every published bulletin of a site with `pdf: true` is also a PDF,
//! typeset inside the binary, read back here with poppler's `pdftotext` and `pdfinfo`
//! (installed by `.ci/run`).

use crate::harness::Site;
use std::path::Path;
use std::process::Command;

pub(crate) const PDF_SITE: &str = "titulo: Sitio de prueba\nurl_base: https://example.org/sub/\n\
                        institucion: Ministerio de Prueba\npdf: true\n";

fn poppler(tool: &str, pdf: &Path) -> String {
    let out = Command::new(tool)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed: {e}"));
    assert!(out.status.success(), "{tool} failed on {pdf:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn text(pdf: &Path) -> String {
    poppler("pdftotext", pdf)
}

pub(crate) fn info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdftotext` breaks lines and hyphenates: compare without either.
pub(crate) fn flat(text: &str) -> String {
    text.replace("\u{AD}\n", "")
        .replace("-\n", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_example_bulletin_reads_back_from_its_pdf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let mut o = boletin::BuildOptions::new(root);
    o.output = Some(out.path().join("site"));
    boletin::build(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    let dir = out.path().join("site/boletines/barrio-seguro-2018-accion");
    let pdf = dir.join("barrio-seguro-2018-accion.pdf");
    let meta = info(&pdf);
    assert!(
        meta.contains("Title:           Barrio Seguro 2018 + Acción"),
        "{meta}"
    );
    assert!(meta.contains("Tagged:          yes"), "{meta}");
    assert!(
        meta.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{meta}"
    );
    let pages: usize = meta
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!((4..=12).contains(&pages), "{pages} pages");
    let body = flat(&text(&pdf));
    for fact in [
        "Sitio de ejemplo, no oficial",
        "31 de julio de 2018",
        // A footnote's text.
        "Decreto Supremo N° 008-2017-IN",
        // A chart's title and its source line.
        "Barrios Seguros lanzados por territorio, 2016-2017",
        "Fuente: Dirección General de Seguridad Ciudadana",
        // The table's total row.
        "Total 23",
        &format!("Página 1 de {pages}"),
        "https://example.org/barrio-seguro/boletines/barrio-seguro-2018-accion/",
    ] {
        assert!(body.contains(fact), "the PDF lost `{fact}`:\n{body}");
    }
    // The page links it with its real size.
    let html = std::fs::read_to_string(dir.join("index.html")).expect("page");
    let kb = std::fs::metadata(&pdf).expect("pdf").len().div_ceil(1024);
    assert!(
        html.contains(&format!("Descargar PDF ({kb} KB)")),
        "no link with {kb} KB"
    );
    assert!(html.contains(
        "<link rel=\"alternate\" type=\"application/pdf\" \
         href=\"/barrio-seguro/boletines/barrio-seguro-2018-accion/barrio-seguro-2018-accion.pdf\""
    ));
}

const HOSTILE: &str = "#set page(width: 1cm) $x$ ] @ref <lab> \\ // no /* sí */ #panic(x) #{1+1}";

#[test]
fn typst_syntax_from_editors_and_data_prints_literally() {
    let site = Site::empty()
        .with("content/sitio.yaml", PDF_SITE)
        .with(
            "content/datos/cifras.yaml",
            &format!(
                "titulo: 'Tabla {h}'\nfuente: 'Fuente {h}'\nfilas:\n  - {{lugar: '{h}', n: 5}}\n",
                h = HOSTILE.replace('\'', "''")
            ),
        )
        .with(
            "content/boletines/hostil.md",
            &format!(
                "---\ntitulo: 'T {h}'\nfecha: 2024-05-02\nresumen: 'R {h}'\n---\n\
                 Cuerpo {b}[^1]\n\n[^1]: Nota {b}\n\n{{{{ tabla(datos=\"cifras\") }}}}\n",
                h = HOSTILE.replace('\'', "''"),
                b = HOSTILE
                    .replace('\\', "\\\\")
                    .replace('*', "\\*")
                    .replace('<', "&lt;"),
            ),
        );
    site.build_ok();
    let pdf = site.out("boletines/hostil/hostil.pdf");
    let body = flat(&text(&pdf));
    let literal = flat(HOSTILE);
    // Title, summary, body, footnote, table title, cell and source.
    for label in ["T ", "R ", "Cuerpo ", "Nota ", "Tabla ", "Fuente "] {
        assert!(
            body.contains(&format!("{label}{literal}")),
            "`{label}` not literal in:\n{body}"
        );
    }
    assert!(body.contains(&format!("{literal} 5")), "cell:\n{body}");
    assert!(info(&pdf).contains("Page size:       595.276 x 841.89 pts (A4)"));
}

#[test]
fn the_same_site_gives_byte_identical_pdfs() {
    let make = || {
        let site = Site::empty().with("content/sitio.yaml", PDF_SITE).bulletin(
            "a.md",
            "Uno",
            "2024-05-02",
            "Texto con *énfasis* y una nota[^n].\n\n[^n]: La nota.\n",
        );
        site.build_ok();
        std::fs::read(site.out("boletines/a/a.pdf")).expect("pdf")
    };
    let first = make();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == make(), "two builds gave different PDFs");
}

#[test]
fn drafts_and_embargoed_bulletins_have_no_pdf_and_leak_into_none() {
    let site = Site::empty()
        .with("content/sitio.yaml", PDF_SITE)
        .bulletin("publico.md", "Público", "2024-05-02", "Texto público.\n")
        .with(
            "content/boletines/borrador.md",
            "---\ntitulo: CANARIO-BORRADOR\nfecha: 2024-05-03\nborrador: true\n---\nCANARIO-B\n",
        )
        .with(
            "content/boletines/embargo.md",
            "---\ntitulo: CANARIO-EMBARGO\nfecha: 2024-05-04\n\
             publicar_desde: 2099-01-01T00:00:00-05:00\n---\nCANARIO-E\n",
        );
    site.build_ok();
    assert!(site.out("boletines/publico/publico.pdf").is_file());
    assert!(!site.out("boletines/borrador/borrador.pdf").exists());
    assert!(!site.out("boletines/embargo/embargo.pdf").exists());
    for (path, _) in site.snapshot() {
        if path.ends_with(".pdf") {
            let t = text(&site.out(&path));
            assert!(!t.contains("CANARIO"), "leak in {path}");
        }
    }
    site.assert_nowhere("CANARIO");
    // A preview with drafts shows the draft's page, never a PDF of it.
    let mut o = site.options();
    o.drafts = true;
    o.output = Some(site.root().join("preview"));
    boletin::build(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(
        site.root()
            .join("preview/boletines/borrador/index.html")
            .is_file()
    );
    assert!(
        !site
            .root()
            .join("preview/boletines/borrador/borrador.pdf")
            .exists()
    );
}

#[test]
fn the_switch_is_per_site_and_per_bulletin() {
    // Off for the site, on for one bulletin.
    let site = Site::new().bulletin("a.md", "A", "2024-05-02", "a\n").with(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2024-05-03\npdf: true\n---\nb\n",
    );
    site.build_ok();
    assert!(!site.out("boletines/a/a.pdf").exists());
    assert!(site.out("boletines/b/b.pdf").is_file());
    let page = site.read("boletines/a/index.html");
    assert!(!page.contains("PDF"), "{page}");
    // On for the site, off for one bulletin.
    let site = Site::empty()
        .with("content/sitio.yaml", PDF_SITE)
        .bulletin("a.md", "A", "2024-05-02", "a\n")
        .with(
            "content/boletines/b.md",
            "---\ntitulo: B\nfecha: 2024-05-03\npdf: false\n---\nb\n",
        );
    site.build_ok();
    assert!(site.out("boletines/a/a.pdf").is_file());
    assert!(!site.out("boletines/b/b.pdf").exists());
    assert!(!site.read("boletines/b/index.html").contains("PDF"));
}

#[test]
fn init_turns_pdfs_on() {
    let tmp = Site::empty();
    let (code, _, _) = crate::harness::run(&["init", "sitio"], tmp.root());
    assert_eq!(code, 0);
    let yaml = std::fs::read_to_string(tmp.root().join("sitio/content/sitio.yaml")).unwrap();
    assert!(yaml.contains("\npdf: true\n"), "{yaml}");
    let (code, _, err) = crate::harness::run(&["build", "--root", "sitio"], tmp.root());
    assert_eq!(code, 0, "{err}");
    let pdf = tmp
        .root()
        .join("sitio/output/boletines/primer-boletin/primer-boletin.pdf");
    assert!(flat(&text(&pdf)).contains("Primer boletín"));
}
