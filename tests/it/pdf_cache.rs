//! The kept PDFs (`.boletin/<output>-<hash>/pdf/`): a rebuild typesets only the bulletins
//! whose PDF would change — its text, an image it embeds, what the site prints in it — and
//! a deleted cache only makes the build slower. Counted in the build's summary and seen in
//! the kept files (a reused one is never rewritten: same inode, same modification time).

use crate::harness::Site;
use crate::pdf::PDF_SITE;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

fn site() -> Site {
    let site = Site::empty()
        .with("content/sitio.yaml", PDF_SITE)
        .bulletin(
            "a.md",
            "Con foto",
            "2024-05-02",
            "Texto de A.\n\n{{ figura(imagen=\"imagenes/patio.jpg\", alt=\"Un patio\") }}\n",
        )
        .bulletin("b.md", "Sin foto", "2024-05-03", "Texto de B.\n");
    site.write_bytes(
        "content/imagenes/patio.jpg",
        &crate::images::phone_photo(800, 300, 1),
    );
    site
}

/// (PDFs typeset, PDFs reused) of a build, `--full` so that it renders even unchanged.
fn counts(site: &Site) -> (usize, usize) {
    let mut options = site.options();
    options.full = true;
    let summary = boletin::build(&options).expect("build");
    (summary.pdfs_typeset, summary.pdfs_reused)
}

/// The kept files: name, inode and modification time.
fn kept(site: &Site) -> Vec<(String, u64, i64, i64)> {
    let dir: PathBuf = site.state().join("pdf");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("pdf/")
        .flatten()
        .map(|e| {
            let m = e.metadata().unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, m.ino(), m.mtime(), m.mtime_nsec())
        })
        .collect();
    files.sort();
    files
}

fn pdf(site: &Site, slug: &str) -> Vec<u8> {
    std::fs::read(site.out(&format!("boletines/{slug}/{slug}.pdf"))).unwrap()
}

#[test]
fn a_rebuild_reuses_every_pdf_and_typesets_only_what_changed() {
    let site = site();
    assert_eq!(counts(&site), (2, 0));
    let (first, a, b) = (kept(&site), pdf(&site, "a"), pdf(&site, "b"));
    assert_eq!(first.len(), 2, "{first:?}");
    assert_eq!(counts(&site), (0, 2), "nothing changed: nothing typeset");
    assert_eq!(kept(&site), first, "a reused PDF is not written again");
    assert_eq!((pdf(&site, "a"), pdf(&site, "b")), (a.clone(), b.clone()));
    // The text of one bulletin: that one only.
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: Sin foto\nfecha: 2024-05-03\n---\nOtro texto de B.\n",
    );
    assert_eq!(counts(&site), (1, 1));
    let now = kept(&site);
    assert_eq!(now.len(), 2, "B's older PDF is gone: {now:?}");
    assert!(
        now.contains(&first[0]) || now.contains(&first[1]),
        "A's is kept"
    );
    assert_eq!(pdf(&site, "a"), a);
    assert_ne!(pdf(&site, "b"), b);
    // The bytes of the photo A embeds: A only.
    site.write_bytes(
        "content/imagenes/patio.jpg",
        &crate::images::phone_photo(800, 300, 2),
    );
    assert_eq!(counts(&site), (1, 1));
    assert_ne!(pdf(&site, "a"), a);
    // What the site prints in every PDF (the institution): all of them.
    site.write(
        "content/sitio.yaml",
        &PDF_SITE.replace("Ministerio de Prueba", "Ministerio de Otra Prueba"),
    );
    assert_eq!(counts(&site), (2, 0));
    // The site's title, which no PDF prints: none.
    site.write(
        "content/sitio.yaml",
        &PDF_SITE
            .replace("Ministerio de Prueba", "Ministerio de Otra Prueba")
            .replace("Sitio de prueba", "Otro sitio"),
    );
    assert_eq!(counts(&site), (0, 2));
}

#[test]
fn a_deleted_cache_only_makes_the_build_slower_and_a_gone_bulletin_leaves_nothing() {
    let site = site();
    assert_eq!(counts(&site), (2, 0));
    let (a, b) = (pdf(&site, "a"), pdf(&site, "b"));
    std::fs::remove_dir_all(site.root().join(".boletin")).unwrap();
    assert_eq!(counts(&site), (2, 0));
    assert_eq!((pdf(&site, "a"), pdf(&site, "b")), (a, b), "the same bytes");
    std::fs::remove_file(site.root().join("content/boletines/b.md")).unwrap();
    assert_eq!(counts(&site), (0, 1));
    let names: Vec<String> = kept(&site).into_iter().map(|k| k.0).collect();
    assert!(names.len() == 1 && names[0].starts_with("a."), "{names:?}");
}

#[test]
fn a_temporary_left_by_a_killed_build_is_removed_never_read() {
    // A temporary left by a killed build is removed, never read as a PDF.
    let site = site();
    assert_eq!(counts(&site), (2, 0));
    let dir = site.state().join("pdf");
    std::fs::write(dir.join("a.0123.pdf.tmp"), "medio").unwrap();
    assert_eq!(counts(&site), (0, 2));
    assert!(!dir.join("a.0123.pdf.tmp").exists());
}
