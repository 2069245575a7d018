//! Dogfood: the example site in `content/` builds, and keeps its facts.

use boletin::BuildOptions;

#[test]
fn the_example_site_builds_with_its_facts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let mut o = BuildOptions::new(root);
    o.output = Some(out.path().join("site"));
    let summary = boletin::build(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(summary.bulletins >= 1);
    let html = std::fs::read_to_string(
        out.path()
            .join("site/boletines/barrio-seguro-2018-accion/index.html"),
    )
    .expect("main bulletin");
    for fact in [
        "30",
        "53",
        "23",
        "Sin especificar en la fuente",
        "003-2018-IN",
        "008-2017-IN",
        "San Marcos",
    ] {
        assert!(html.contains(fact), "the bulletin lost `{fact}`");
    }
    assert!(html.contains("class=\"notas\""), "footnotes");
}
