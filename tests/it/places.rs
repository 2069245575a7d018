//! Barrio and territory pages, their indexes, the map and the home page figures.

use crate::harness::{SITE_YAML, Site};

const MAP: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","id":"ica","properties":{"ubigeo":"11"},"geometry":{"type":"Polygon","coordinates":[[[-76,-15],[-75,-15],[-75,-14],[-76,-14],[-76,-15]]]}},
{"type":"Feature","id":"callao","properties":{"ubigeo":"07"},"geometry":{"type":"MultiPolygon","coordinates":[[[[-77.3,-12.2],[-77.0,-12.2],[-77.0,-11.8],[-77.3,-11.8],[-77.3,-12.2]]]]}},
{"type":"Feature","id":"tacna","properties":{"ubigeo":"23"},"geometry":{"type":"Polygon","coordinates":[[[-71,-18],[-70,-18],[-70,-17],[-71,-17],[-71,-18]]]}}]}"#;

pub(crate) fn site() -> Site {
    Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}mapa: peru.geojson\n"))
        .with("content/datos/peru.geojson", MAP)
        .with("content/datos/territorios.yaml", "- {id: ica, nombre: Ica, ubigeo: \"11\"}\n- {id: callao, nombre: Callao, ubigeo: \"07\"}\n- {id: tacna, nombre: Tacna, ubigeo: \"23\"}\n")
        .with(
            "content/datos/barrios.yaml",
            "- id: san-clemente\n  nombre: San Clemente\n  territorio: ica\n  provincia: Pisco\n  distrito: San Clemente\n  cohorte: 2018\n  sectores: [Salud, Educación]\n  descripcion: \"Un barrio con **mesa técnica** y [boletín](@/boletines/a.md).\"\n  fuentes: [{titulo: Documento, url: \"https://example.org/doc\"}]\n- {id: ventanilla, nombre: Ventanilla, territorio: callao, ubicacion: {lat: -11.9, lon: -77.1}}\n- {id: carmen, nombre: Carmen de La Legua, territorio: callao}\n",
        )
        .with("content/datos/lanzamientos.yaml", "- {fecha: 2018-06-01, barrio: san-clemente, lugar: Pisco, autoridad: Ministro del Interior}\n")
        .with("content/datos/metas.yaml", "- {periodo: 2018-07, meta: 30, cumplido: 12}\n")
        .with("content/boletines/a.md", "---\ntitulo: Boletín de Ica\nfecha: 2018-07-01\nbarrios: [san-clemente]\n---\nHola.\n")
        .with("content/boletines/b.md", "---\ntitulo: Boletín del Callao\nfecha: 2018-07-02\n---\nVea [Ventanilla](@/barrios/ventanilla) y [el Callao](@/territorios/callao).\n")
        .with("content/boletines/c.md", "---\ntitulo: CANARIO-BORRADOR\nfecha: 2018-07-03\nborrador: true\nbarrios: [ventanilla]\n---\nx\n")
}

#[test]
fn a_page_for_every_barrio_and_territory() {
    let site = site();
    site.build_ok();
    for page in [
        "barrios/index.html",
        "barrios/san-clemente/index.html",
        "barrios/ventanilla/index.html",
        "barrios/carmen/index.html",
        "territorios/index.html",
        "territorios/ica/index.html",
        "territorios/callao/index.html",
        "territorios/tacna/index.html",
    ] {
        assert!(site.out(page).is_file(), "missing {page}");
    }
    let sc = site.read("barrios/san-clemente/index.html");
    for needle in [
        "<h1>San Clemente</h1>",
        "href=\"/sub/territorios/ica/\">Ica</a>",
        "Pisco",
        "2018",
        "Salud, Educación",
        "<strong>mesa técnica</strong>",
        "1 de junio de 2018",
        "Ministro del Interior",
        "https://example.org/doc",
    ] {
        assert!(sc.contains(needle), "missing {needle}");
    }
    let index = site.read("barrios/index.html");
    assert!(
        index.find("Ica").expect("ica") < index.find("Callao").expect("callao"),
        "grouped in territory order"
    );
    assert!(index.contains("href=\"/sub/barrios/carmen/\">Carmen de La Legua</a>"));
}

#[test]
fn back_links_come_from_front_matter_and_links_but_never_from_drafts() {
    let site = site();
    site.build_ok();
    let sc = site.read("barrios/san-clemente/index.html");
    assert!(sc.contains("Boletín de Ica"), "front matter `barrios`");
    let v = site.read("barrios/ventanilla/index.html");
    assert!(v.contains("Boletín del Callao"), "an @/barrios link");
    assert!(!v.contains("CANARIO"), "drafts never link back");
    let callao = site.read("territorios/callao/index.html");
    assert!(callao.contains("Boletín del Callao") && !callao.contains("CANARIO"));
    let ica = site.read("territorios/ica/index.html");
    assert!(
        ica.contains("Boletín de Ica"),
        "a barrio's bulletin reaches its territory"
    );
    assert!(
        ica.contains("<title id=\"grafico-territorio-ica-titulo\">"),
        "cohort chart"
    );
    site.assert_nowhere("CANARIO");
}

#[test]
fn the_map_links_every_territory_with_an_accessible_name() {
    let site = site();
    site.build_ok();
    let home = site.read("index.html");
    let start = home.find("<svg").expect("map on the home page");
    let svg = &home[start..start + home[start..].find("</svg>").expect("end")];
    assert!(svg.contains("role=\"group\""));
    for (id, label) in [
        ("ica", "Ica: 1 barrio"),
        ("callao", "Callao: 2 barrios"),
        ("tacna", "Tacna: 0 barrios"),
    ] {
        let link = format!("<a href=\"/sub/territorios/{id}/\" aria-label=\"{label}\">");
        assert_eq!(svg.matches(&link).count(), 1, "{link}");
    }
    assert!(
        svg.contains("<a href=\"/sub/barrios/ventanilla/\" aria-label=\"Ventanilla\">"),
        "a point per barrio with coordinates"
    );
    assert!(
        svg.contains("Más barrios: Callao: 2 barrios"),
        "described in words"
    );
    assert!(svg.len() < 100_000);
    assert!(
        home.contains("<span class=\"cifras__valor\">3</span>"),
        "barrios in all"
    );
    assert!(
        home.contains("se cumplió el 40 % (12)"),
        "goal progress computed: {home}"
    );
    let locator = site.read("barrios/san-clemente/index.html");
    assert!(locator.contains("role=\"img\"") && locator.contains("resalta Ica"));
}

#[test]
fn mapa_shortcode_shades_by_a_dataset_value() {
    let site = site()
        .with("content/datos/por-territorio.yaml", "titulo: Por territorio\nfilas:\n  - {territorio: Ica, valor: 7}\n  - {territorio: callao, valor: 3}\n")
        .with("content/paginas/mapa.md", "---\ntitulo: Mapa\n---\n{{ mapa(datos=\"por-territorio\", valor=\"valor\", unidad=\"casos\") }}\n\n{{ mapa() }}\n");
    site.build_ok();
    let page = site.read("mapa/index.html");
    assert!(page.contains("aria-label=\"Ica: 7 casos\""), "{page}");
    assert!(page.contains("aria-label=\"Tacna: sin dato\""));
    assert!(
        page.contains("aria-label=\"Callao: 2 barrios\""),
        "the default map counts barrios"
    );
    let bad = site
        .with(
            "content/paginas/mapa.md",
            "---\ntitulo: Mapa\n---\n{{ mapa(datos=\"por-territorio\", valor=\"valor\") }}\n",
        )
        .with(
            "content/datos/por-territorio.yaml",
            "- {territorio: Icaa, valor: 7}\n",
        );
    assert_eq!(
        bad.errors(),
        vec![
            "error: content/paginas/mapa.md:4:1: `Icaa` no es un territorio del mapa: ¿quiso decir `Ica`?"
        ]
    );
}

#[test]
fn the_search_index_holds_what_it_should_and_nothing_private() {
    let site = site()
        .with("content/sitio.yaml", &format!("{SITE_YAML}mapa: peru.geojson\ncampos_privados: [telefono]\n"))
        .with("content/datos/barrios.yaml", "- {id: san-clemente, nombre: San Clemente, territorio: ica, telefono: centinelaprivado, privado: otrocentinela}\n- {id: el-pino, nombre: El Pino, territorio: callao, distrito: Áncash}\n- {id: ventanilla, nombre: Ventanilla, territorio: callao}\n")
        .with("content/boletines/d.md", "---\ntitulo: Embargado\nfecha: 2018-07-04\npublicar_desde: 2030-01-01\n---\ncentinelaembargo\n");
    site.build_ok();
    let mut shards = String::new();
    for (path, bytes) in site.snapshot() {
        if path.starts_with("buscar/") {
            shards.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    for token in [
        "\"pino\"",
        "\"ancash\"",
        "\"clemente\"",
        "\"hola\"",
        "\"callao\"",
    ] {
        assert!(shards.contains(token), "{token} missing from the index");
    }
    for sentinel in [
        "canario",
        "centinelaprivado",
        "otrocentinela",
        "centinelaembargo",
        "Embargado",
    ] {
        assert!(
            !shards.contains(sentinel),
            "{sentinel} leaked into the search index"
        );
    }
    let page = site.read("buscar/index.html");
    assert!(page.contains("role=\"search\"") && page.contains("<label for=\"q\">"));
    let script = site.hashed("buscar/buscar.js");
    assert!(page.contains(&format!("src=\"/sub/{script}\"")), "{page}");
}

/// The entries of a feed, as paths below the site (`boletines/x/`), in order.
fn feed_entries(feed: &str, origin: &str) -> Vec<String> {
    feed.split("<entry>")
        .skip(1)
        .filter_map(|e| e.split("<id>").nth(1)?.split("</id>").next())
        .map(|id| id.trim_start_matches(origin).to_string())
        .collect()
}

#[test]
fn a_territory_feed_lists_what_its_page_lists_links_in_the_text_included() {
    let mut site = site();
    // Newer bulletins fill the site's feed, so b.md's body is kept for the Callao's alone.
    for d in 10..31 {
        site = site.bulletin(&format!("z{d}.md"), "Otro", &format!("2018-08-{d}"), "x\n");
    }
    site.build_ok();
    // b.md names the Callao only by links in its text: page and feed both list it, and the
    // feed holds its body (kept for the feed although the page was written first).
    let page = site.read("territorios/callao/index.html");
    assert!(page.contains("Boletín del Callao"), "{page}");
    let feed = site.read("territorios/callao/feed.xml");
    assert_eq!(
        feed_entries(&feed, "https://example.org"),
        ["/sub/boletines/b/"]
    );
    assert!(
        feed.contains("barrios/ventanilla/&quot;"),
        "the entry has its content: {feed}"
    );
    assert!(!feed.contains("CANARIO-BORRADOR"));
    let ica = site.read("territorios/ica/feed.xml");
    assert_eq!(
        feed_entries(&ica, "https://example.org"),
        ["/sub/boletines/a/"]
    );
    // Tacna has no bulletin: its feed is dated by the newest bulletin, not 1970.
    let tacna = site.read("territorios/tacna/feed.xml");
    assert!(feed_entries(&tacna, "https://example.org").is_empty());
    assert!(tacna.contains("<updated>2018-08-30T00:00:00"), "{tacna}");
    assert!(!tacna.contains("1970"));
}

#[test]
fn an_empty_territory_feed_is_dated_by_the_territories_data() {
    let site = site().with(
        "content/datos/territorios.yaml",
        "actualizado: 2019-03-04\nfilas:\n- {id: ica, nombre: Ica, ubigeo: \"11\"}\n- {id: callao, nombre: Callao, ubigeo: \"07\"}\n- {id: tacna, nombre: Tacna, ubigeo: \"23\"}\n",
    );
    site.build_ok();
    let tacna = site.read("territorios/tacna/feed.xml");
    assert!(tacna.contains("<updated>2019-03-04T00:00:00"), "{tacna}");
}
