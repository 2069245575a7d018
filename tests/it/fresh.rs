//! A build with nothing changed leaves the output as it is — and anything that could change
//! the site (a file, an option, the output itself, the clock passing an embargo or
//! midnight, a warning to repeat) makes it build again.

use crate::harness::{Site, run};
use boletin::BuildOptions;

fn at(site: &Site, instant: &str) -> BuildOptions {
    BuildOptions {
        now: Some(instant.parse().expect("timestamp")),
        ..site.options()
    }
}

fn modified(site: &Site, rel: &str) -> std::time::SystemTime {
    std::fs::metadata(site.out(rel))
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn nothing_changed_leaves_the_output_and_any_change_builds_again() {
    let site = Site::new()
        .bulletin("a.md", "A", "2018-07-31", "Primero.\n")
        .bulletin("b.md", "B", "2018-03-16", "Segundo.\n");
    let first = site.build().expect("build");
    assert!(!first.unchanged);
    let page = "boletines/a/index.html";
    let written = modified(&site, page);
    let before = site.snapshot();

    let again = site.build().expect("again");
    assert!(again.unchanged);
    assert_eq!(
        (again.bulletins, again.pages, again.files),
        (first.bulletins, first.pages, first.files)
    );
    assert_eq!(site.snapshot(), before);
    assert_eq!(modified(&site, page), written, "the page was written again");

    // A changed bulletin.
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A2\nfecha: 2018-07-31\n---\nx\n",
    );
    assert!(!site.build().expect("edit").unchanged);
    let html = std::fs::read_to_string(site.out(page)).expect("page");
    assert!(html.contains("A2"));

    // A file deleted from the output is made again.
    assert!(site.build().expect("same").unchanged);
    std::fs::remove_file(site.out("boletines/b/index.html")).expect("rm");
    assert!(!site.build().expect("repair").unchanged);
    assert!(site.out("boletines/b/index.html").is_file());

    // Another option, and `--full`.
    let preview = BuildOptions {
        base_url: Some("http://127.0.0.1:8000/".into()),
        ..site.options()
    };
    assert!(!boletin::build(&preview).expect("preview").unchanged);
    assert!(!site.build().expect("back").unchanged);
    let full = BuildOptions {
        full: true,
        ..site.options()
    };
    assert!(!boletin::build(&full).expect("full").unchanged);
    // A new theme file counts as an input too.
    site.write("themes/default/extra.css", "body{}");
    assert!(!site.build().expect("theme").unchanged);
}

#[test]
fn an_embargo_ending_or_midnight_passing_builds_again() {
    let site = Site::new()
        .bulletin("a.md", "A", "2018-07-31", "Primero.\n")
        .with(
            "content/boletines/b.md",
            "---\ntitulo: Embargado\nfecha: 2018-08-01\npublicar_desde: 2026-01-01T12:00:00Z\n---\nx\n",
        );
    let first = boletin::build(&at(&site, "2026-01-01T10:00:00Z")).expect("build");
    assert_eq!(first.bulletins, 1);
    let until = first.valid_until.expect("until");
    assert_eq!(until, "2026-01-01T12:00:00Z".parse().expect("instant"));
    assert!(
        boletin::build(&at(&site, "2026-01-01T11:59:59Z"))
            .expect("before")
            .unchanged
    );
    let after = boletin::build(&at(&site, "2026-01-01T12:00:00Z")).expect("after");
    assert!(!after.unchanged);
    assert_eq!(after.bulletins, 2);
    // Without embargoes, the next midnight in the site's time zone (Lima, UTC−5).
    assert_eq!(
        after.valid_until,
        Some("2026-01-02T05:00:00Z".parse().expect("instant"))
    );
    let late = at(&site, "2026-01-02T04:59:59Z");
    assert!(boletin::build(&late).expect("same day").unchanged);
    let next_day = at(&site, "2026-01-02T05:00:00Z");
    assert!(!boletin::build(&next_day).expect("next day").unchanged);
    // A clock set back (or `SOURCE_DATE_EPOCH`) before the embargo's end is another site.
    let back = boletin::build(&at(&site, "2026-01-01T11:00:00Z")).expect("back");
    assert!(!back.unchanged);
    assert_eq!(back.bulletins, 1);
    assert_eq!(
        back.valid_from,
        Some("2026-01-01T05:00:00Z".parse().expect("instant"))
    );
    assert!(
        !boletin::build(&at(&site, "2026-01-01T04:59:59Z"))
            .expect("the day before")
            .unchanged
    );
}

#[test]
fn a_build_with_warnings_always_builds_again_to_show_them() {
    let site = Site::new()
        .bulletin("a.md", "A", "2018-07-31", "Primero.\n")
        .with("content/imagenes/rota.jpg", "no es una imagen");
    let first = site.build().expect("build");
    assert!(!first.warnings.is_empty());
    let again = site.build().expect("again");
    assert!(!again.unchanged);
    assert_eq!(again.warnings, first.warnings);
}

#[test]
fn the_command_says_nothing_changed() {
    let site = Site::new().bulletin("a.md", "A", "2018-07-31", "Primero.\n");
    let root = site.root().to_string_lossy().into_owned();
    let (code, out, _) = run(&["build", "--root", &root], site.root());
    assert_eq!(code, 0);
    assert!(out.starts_with("listo: 1 boletín"), "{out}");
    let (code, out, _) = run(&["build", "--root", &root], site.root());
    assert_eq!(code, 0);
    let expected = format!(
        "sin cambios: {} ya tiene este sitio (1 boletín, 0 páginas y ",
        site.root().join("output").display()
    );
    assert!(out.starts_with(&expected), "{out}");
    assert!(
        out.trim_end()
            .ends_with("use --full para construirlo de nuevo"),
        "{out}"
    );
    let (code, out, _) = run(&["build", "--root", &root, "--full"], site.root());
    assert_eq!(code, 0);
    assert!(out.starts_with("listo: 1 boletín"), "{out}");
}
