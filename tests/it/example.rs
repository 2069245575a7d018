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

/// What templates get as `datos` (every dataset of the example site, as JSON) is the same as
/// the committed expectation, which was made by the code that read rows as YAML nodes: the
/// format-independent table must not change a value templates see.
#[test]
fn templates_see_the_example_datasets_as_before() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = boletin::config::load(root).expect("config");
    let today = jiff::civil::date(2030, 1, 1);
    let (data, diags) = boletin::data::load_all(root, &config, today);
    assert!(!diags.has_errors(), "{diags:#?}");
    let views = boletin::render::opendata::views(&data, "/");
    let mut json = serde_json::to_string_pretty(&views).expect("json");
    json.push('\n');
    let expected_path = root.join("tests/it/expected/example-datasets.json");
    if std::env::var_os("BOLETIN_BLESS").is_some() {
        std::fs::write(&expected_path, &json).expect("bless");
    }
    let expected = std::fs::read_to_string(&expected_path).expect("expectation");
    assert!(json == expected, "the datasets' JSON changed");
}
