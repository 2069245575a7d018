//! The output folder: atomic replacement, and refusals that protect the editor's files.

use crate::harness::{Site, snapshot};

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    let before = site.snapshot();
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-99-01\n---\n",
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: Cambiado\nfecha: 2018-01-01\n---\n",
    );
    assert!(site.build().is_err());
    assert_eq!(before, site.snapshot());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn renamed_bulletins_leave_no_stale_pages() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    std::fs::rename(
        site.root().join("content/boletines/a.md"),
        site.root().join("content/boletines/b.md"),
    )
    .expect("mv");
    site.build_ok();
    assert!(!site.out("boletines/a").exists());
    assert!(site.out("boletines/b/index.html").exists());
}

fn refused(site: &Site, output: std::path::PathBuf) -> String {
    let mut o = site.options();
    o.output = Some(output);
    match boletin::build(&o) {
        Ok(_) => panic!("output should be refused"),
        Err(d) => d[0].to_string(),
    }
}

#[test]
fn refuses_output_folders_that_are_not_its_own() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let before = snapshot(site.root());
    for (dir, why) in [
        (site.root().to_path_buf(), "contiene el sitio"),
        (
            site.root().join("content/salida"),
            "está dentro de `content/`",
        ),
        (site.root().join("themes"), "está dentro de `themes/`"),
        (site.root().join(".."), "contiene el sitio"),
    ] {
        let e = refused(&site, dir.clone());
        assert!(e.contains(why), "{}: {e}", dir.display());
    }
    site.write("publico/notas.txt", "mis notas");
    let e = refused(&site, site.root().join("publico"));
    assert!(e.contains("no está vacía y no la creó boletin"), "{e}");
    let after = snapshot(site.root());
    assert_eq!(before.len() + 1, after.len(), "only notas.txt was added");
    assert!(site.root().join("publico/notas.txt").is_file());
}

#[test]
fn an_empty_folder_or_one_it_made_is_replaced() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    std::fs::create_dir_all(site.root().join("vacia")).expect("mkdir");
    let mut o = site.options();
    o.output = Some(site.root().join("vacia"));
    boletin::build(&o).expect("empty folder is fine");
    boletin::build(&o).expect("a folder with the marker is replaced");
    assert!(site.root().join("vacia/index.html").is_file());
}

#[test]
fn check_writes_nothing() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    boletin::check(&site.options()).expect("check");
    assert!(!site.root().join("output").exists());
}
