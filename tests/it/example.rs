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
    // The feed's entries link absolutely, their footnotes into the bulletin's page.
    let feed = std::fs::read_to_string(out.path().join("site/feed.xml")).expect("feed");
    for relative in ["href=&quot;#", "href=&quot;/", "src=&quot;/"] {
        assert!(
            !feed.contains(relative),
            "a relative link in the feed: {relative}"
        );
    }
    assert!(feed.contains(
        "href=&quot;https://example.org/barrio-seguro/boletines/barrio-seguro-2018-accion/#nota-1&quot;"
    ));
}

/// Every territory's feed lists the bulletins its page lists (the newest 20, in order), and
/// no feed is dated 1970.
#[test]
fn every_territory_feed_lists_what_its_page_lists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let mut o = BuildOptions::new(root);
    o.output = Some(out.path().join("site"));
    boletin::build(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    let dir = out.path().join("site/territorios");
    let mut territories = 0;
    let mut listed = 0;
    for t in std::fs::read_dir(&dir).expect("territorios") {
        let t = t.expect("entry").path();
        let Ok(page) = std::fs::read_to_string(t.join("index.html")) else {
            continue;
        };
        let feed = std::fs::read_to_string(t.join("feed.xml")).expect("every territory a feed");
        territories += 1;
        let section = page
            .split("<h2>Boletines</h2>")
            .nth(1)
            .and_then(|s| s.split("class=\"fuente\"").next())
            .expect("a Boletines section");
        let mut on_page: Vec<&str> = Vec::new();
        for href in section.split("href=\"").skip(1) {
            let href = href.split('"').next().unwrap_or_default();
            if href.contains("/boletines/") && !on_page.contains(&href) {
                on_page.push(href);
            }
        }
        let in_feed: Vec<&str> = feed
            .split("<entry>")
            .skip(1)
            .filter_map(|e| e.split("<id>").nth(1)?.split("</id>").next())
            .map(|id| id.find("/barrio-seguro/").map_or(id, |at| &id[at..]))
            .collect();
        on_page.truncate(20);
        assert_eq!(in_feed, on_page, "{}", t.display());
        assert!(!feed.contains("1970-01-01"), "{}", t.display());
        listed += on_page.len();
    }
    assert!(territories >= 26, "{territories} territories");
    // Every page's footer links to the accessibility statement, which exists.
    let site = out.path().join("site");
    assert!(site.join("accesibilidad/index.html").is_file());
    for (path, bytes) in crate::harness::snapshot(&site) {
        if path.ends_with(".html")
            && !String::from_utf8_lossy(&bytes).contains("http-equiv=\"refresh\"")
        {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                text.contains("<a href=\"/barrio-seguro/accesibilidad/\">Accesibilidad</a>"),
                "{path} has no link to the accessibility statement"
            );
        }
    }
    // Counts agree with their nouns everywhere: «1 barrio», never «1 barrios».
    for (path, bytes) in crate::harness::snapshot(&out.path().join("site")) {
        let text = String::from_utf8_lossy(&bytes);
        for wrong in [" 1 barrios", ">1 barrios", " 1 territorios", "(1 barrios)"] {
            assert!(!text.contains(wrong), "{path}: «{wrong}»");
        }
    }
    assert!(listed > 0, "some territory lists a bulletin");
}

/// The national map is a third of what it was (63,914 bytes before simplifying and relative
/// commands), the locator a quarter, and the Callao, a few units across, gets a ring and
/// an inset; the locators share one drawing of the country.
#[test]
fn the_maps_are_light_and_the_callao_is_visible() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let mut o = BuildOptions::new(root);
    o.output = Some(out.path().join("site"));
    boletin::build(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    let svg = |page: &str, after: &str| {
        let html = std::fs::read_to_string(out.path().join("site").join(page)).expect(page);
        let at = html.find(after).expect(after);
        let start = html[..at + 4].rfind("<svg").expect("svg");
        let end = start + html[start..].find("</svg>").expect("end");
        html[start..end].to_string()
    };
    let national = svg("index.html", "<svg");
    assert!(national.len() <= 63_914 / 3, "{} bytes", national.len());
    for d in national.split(" d=\"").skip(1) {
        let d = d.split('"').next().unwrap_or_default();
        assert!(
            !d.contains(['L', 'C', 'H', 'V']),
            "relative commands only: {d}"
        );
    }
    let callao = svg("territorios/callao/index.html", "mapa-territorio-callao");
    assert!(callao.len() <= 39_007 / 4, "{} bytes", callao.len());
    assert!(
        callao.contains("fill=\"none\" stroke=\"#b3001b\""),
        "a ring around the Callao"
    );
    let cusco = svg("territorios/cusco/index.html", "mapa-territorio-cusco");
    assert!(
        !cusco.contains("fill=\"none\" stroke=\"#b3001b\""),
        "no ring for a large one"
    );
    // The country is drawn once, in a content-hashed file every locator shows as an image;
    // a page draws only its own territory over it (and the Callao's inset its neighbours).
    let maps: Vec<_> = std::fs::read_dir(out.path().join("site/mapas"))
        .expect("mapas/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    // The map and its pre-compressed copy (`output::gzip`).
    assert_eq!(maps.len(), 2, "{maps:?}");
    let name = maps.iter().find(|m| !m.ends_with(".gz")).expect("map");
    assert!(maps.contains(&format!("{name}.gz")), "{maps:?}");
    assert!(
        name.starts_with("peru-departamentos.") && name.ends_with(".svg") && name.len() == 31,
        "{name}"
    );
    let shared = std::fs::read_to_string(out.path().join("site/mapas").join(name)).expect("map");
    assert!(
        shared.matches("<path ").count() >= 25,
        "every shape in the shared map"
    );
    let image = format!("<image href=\"/barrio-seguro/mapas/{name}\"");
    for page in [&cusco, &callao] {
        assert!(page.contains(&image), "{page}");
    }
    assert_eq!(cusco.matches("<path ").count(), 1, "only Cusco itself");
    assert!(cusco.len() < 2_000, "{} bytes", cusco.len());
    assert!(
        callao.contains("<svg x=") && callao.contains("vector-effect"),
        "an inset"
    );
    assert!(callao.contains("Un recuadro amplía la zona de Callao."));
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

/// The rows of the example's `content/datos/barrios-2018.xlsx`: the brief's 2018 table, in the
/// document's order. The workbook is made here, deterministically, so it can be checked
/// and remade: `BOLETIN_BLESS=1 cargo test --test it example_barrios_2018_workbook`.
const BARRIOS_2018: &[(&str, u32)] = &[
    ("Lima Metropolitana", 9),
    ("Callao", 4),
    ("Ica", 2),
    ("Sin especificar en la fuente", 1),
    ("La Libertad", 5),
    ("Piura", 1),
    ("Tumbes", 1),
    ("Lima Provincia", 7),
];

fn barrios_2018_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2018, 1, 1).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Barrios 2018").unwrap();
    sheet
        .write_string_with_format(0, 0, "territorio", &bold)
        .unwrap();
    sheet
        .write_string_with_format(0, 1, "barrios", &bold)
        .unwrap();
    sheet.set_column_width(0, 30).unwrap();
    for (i, (territory, n)) in BARRIOS_2018.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, *territory).unwrap();
        sheet.write_number(row, 1, *n).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The example site keeps one dataset in a spreadsheet, so its build reads both formats;
/// the committed workbook is exactly what this test makes.
#[test]
fn example_barrios_2018_workbook() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("content/datos/barrios-2018.xlsx");
    let made = barrios_2018_workbook();
    assert_eq!(made, barrios_2018_workbook(), "deterministic");
    if std::env::var_os("BOLETIN_BLESS").is_some() {
        std::fs::write(&path, &made).expect("bless");
    }
    let committed = std::fs::read(&path).expect("the committed workbook");
    assert!(
        committed == made,
        "content/datos/barrios-2018.xlsx differs: remake it"
    );
}
