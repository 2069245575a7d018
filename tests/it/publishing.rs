//! Feeds, sitemap, robots.txt, sharing metadata, tags, the year archive and draft previews.

use crate::harness::{SITE_YAML, Site};
use quick_xml::Reader;
use quick_xml::events::Event;

/// Every element's text, in order, as (element name, text); fails on malformed XML.
fn xml_texts(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(_) => text.clear(),
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().expect("char ref") {
                Some(c) => text.push(c),
                None => {
                    let name = r.into_inner();
                    let resolved =
                        quick_xml::escape::resolve_predefined_entity(&name).expect("known entity");
                    text.push_str(resolved);
                }
            },
            Event::End(e) => {
                let qname = e.name();
                let name: &str = qname.as_ref();
                if !text.trim().is_empty() {
                    out.push((name.to_string(), std::mem::take(&mut text)));
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn site() -> Site {
    Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}institucion: Ministerio del Interior\n"))
        .with("content/datos/territorios.yaml", "- {id: callao, nombre: Callao}\n- {id: ica, nombre: Ica}\n")
        .with("content/imagenes/portada.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"/>")
        .with(
            "content/boletines/2018-07-31-avance.md",
            "---\ntitulo: Avance & metas\nfecha: 2018-07-31\nactualizado: 2018-08-02\netiquetas: [Metas, Comisión]\nterritorios: [callao]\nportada: {imagen: imagenes/portada.svg, alt: Vecinos en Callao}\n---\nVer [la comisión](@/boletines/2018-03-16-comision.md).\n",
        )
        .with(
            "content/boletines/2018-03-16-comision.md",
            "---\ntitulo: Comisión creada\nfecha: 2018-03-16\netiquetas: [comision]\nresumen: \"Texto </script><script>alert(1)</script>\"\n---\nTexto.\n",
        )
        .with("content/boletines/2017-11-28-puno.md", "---\ntitulo: Puno\nfecha: 2017-11-28\n---\nEn Puno.\n")
}

#[test]
fn atom_feed_is_valid_with_absolute_urls_and_content_dates() {
    let site = site();
    site.build_ok();
    let xml = site.read("feed.xml");
    let texts = xml_texts(&xml);
    let get = |name: &str| {
        texts
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        get("title"),
        [
            "Sitio de prueba",
            "Avance & metas",
            "Comisión creada",
            "Puno"
        ]
    );
    assert_eq!(get("id")[1], "https://example.org/sub/boletines/avance/");
    assert_eq!(
        get("updated")[0],
        "2018-08-02T00:00:00-05:00",
        "feed date from content, not the clock"
    );
    assert_eq!(get("published")[0], "2018-07-31T00:00:00-05:00");
    let content = get("content")[0];
    assert!(
        content.contains("href=\"https://example.org/sub/boletines/comision/\""),
        "{content}"
    );
    assert!(xml.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/sub/feed.xml\"/>"));
}

#[test]
fn territory_feeds_hold_their_bulletins() {
    let site = site();
    site.build_ok();
    let callao = xml_texts(&site.read("territorios/callao/feed.xml"));
    let titles: Vec<&str> = callao
        .iter()
        .filter(|(n, _)| n == "title")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(titles, ["Callao · Sitio de prueba", "Avance & metas"]);
    let ica = xml_texts(&site.read("territorios/ica/feed.xml"));
    assert_eq!(
        ica.iter()
            .filter(|(n, _)| n == "entry" || n == "title")
            .count(),
        1,
        "an empty, valid feed"
    );
}

#[test]
fn sitemap_and_robots() {
    let site = site();
    site.build_ok();
    let texts = xml_texts(&site.read("sitemap.xml"));
    let locs: Vec<&str> = texts
        .iter()
        .filter(|(n, _)| n == "loc")
        .map(|(_, t)| t.as_str())
        .collect();
    for url in [
        "https://example.org/sub/",
        "https://example.org/sub/boletines/avance/",
        "https://example.org/sub/etiquetas/metas/",
        "https://example.org/sub/archivo/2018/",
    ] {
        assert!(locs.contains(&url), "{url} not in {locs:?}");
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    let i = texts
        .iter()
        .position(|(_, t)| t == "https://example.org/sub/boletines/avance/")
        .expect("entry");
    assert_eq!(
        texts[i + 1],
        ("lastmod".to_string(), "2018-08-02".to_string())
    );
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sub/sitemap.xml\n"
    );
}

#[test]
fn sharing_metadata_and_json_ld() {
    let site = site();
    site.build_ok();
    let html = site.read("boletines/avance/index.html");
    for needle in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:locale\" content=\"es_PE\">",
        "<meta property=\"og:image\" content=\"https://example.org/sub/imagenes/portada.svg\">",
        "<meta property=\"og:image:width\" content=\"1200\">",
        "<meta property=\"og:image:height\" content=\"630\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<link rel=\"canonical\" href=\"https://example.org/sub/boletines/avance/\">",
        "\"@type\":\"NewsArticle\"",
        "\"dateModified\":\"2018-08-02\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // Title and summary are not repeated for X: it reads them from Open Graph.
    assert!(!html.contains("twitter:title") && !html.contains("twitter:description"));
    assert!(
        site.read("index.html")
            .contains("\"@type\":\"GovernmentOrganization\",\"name\":\"Ministerio del Interior\"")
    );
    // A summary with `</script>` cannot close the JSON-LD script element.
    let comision = site.read("boletines/comision/index.html");
    assert_eq!(
        comision.matches("<script").count(),
        1,
        "only the JSON-LD script"
    );
    let start =
        comision.find("application/ld+json\">").expect("ld") + "application/ld+json\">".len();
    let end = start + comision[start..].find("</script>").expect("end");
    let ld: serde_json::Value =
        serde_json::from_str(&comision[start..end]).expect("JSON-LD parses");
    assert_eq!(
        ld["description"],
        "Texto </script><script>alert(1)</script>"
    );
}

#[test]
fn json_ld_of_a_bulletin_is_exact() {
    // Every optional field set (author, cover, update), keys in the order they have always
    // had: a change here changes what search engines read from every bulletin.
    let site = Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}institucion: Ministerio del Interior\n"))
        .with("content/imagenes/portada.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"/>")
        .with(
            "content/boletines/2018-07-31-avance.md",
            "---\ntitulo: Avance & metas\nfecha: 2018-07-31\nactualizado: 2018-08-02\nautor: Oficina de Prensa\nportada: {imagen: imagenes/portada.svg, alt: Vecinos}\n---\nVer texto.\n",
        );
    site.build_ok();
    let html = site.read("boletines/avance/index.html");
    let expected = concat!(
        r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","#,
        r#""author":{"@type":"Person","name":"Oficina de Prensa"},"dateModified":"2018-08-02","#,
        r#""datePublished":"2018-07-31","description":"Ver texto.","headline":"Avance \u0026 metas","#,
        r#""image":"https://example.org/sub/imagenes/portada.svg","inLanguage":"es-PE","#,
        r#""publisher":{"@type":"GovernmentOrganization","name":"Ministerio del Interior","#,
        r#""url":"https://example.org/sub/"},"url":"https://example.org/sub/boletines/avance/"}</script>"#
    );
    assert!(html.contains(expected), "{html}");
}

#[test]
fn tag_pages_and_year_archive() {
    let site = site();
    site.build_ok();
    let tags = site.read("etiquetas/index.html");
    assert!(
        tags.contains("href=\"/sub/etiquetas/comision/\">Comisión</a>"),
        "{tags}"
    );
    assert!(
        tags.contains("(2 boletines)"),
        "`Comisión` and `comision` are one tag"
    );
    let comision = site.read("etiquetas/comision/index.html");
    assert!(comision.contains("Avance &amp; metas") && comision.contains("Comisión creada"));
    let bulletin = site.read("boletines/avance/index.html");
    assert!(bulletin.contains("<a href=\"/sub/etiquetas/metas/\">Metas</a>"));
    let years = site.read("archivo/index.html");
    let y2018 = years.find("/sub/archivo/2018/").expect("2018");
    let y2017 = years.find("/sub/archivo/2017/").expect("2017");
    assert!(y2018 < y2017, "newest year first");
    let y = site.read("archivo/2017/index.html");
    assert!(y.contains("Puno") && !y.contains("Comisión creada"));
}

#[test]
fn busy_years_and_places_list_older_bulletins_compactly() {
    let mut site = Site::new().with(
        "content/datos/territorios.yaml",
        "- {id: ica, nombre: Ica}\n",
    );
    for i in 1..=7 {
        site = site.with(
            &format!("content/boletines/b{i}.md"),
            &format!(
                "---\ntitulo: Boletín {i}\nfecha: 2018-01-0{i}\nresumen: Resumen {i}.\nterritorios: [ica]\n---\nx\n"
            ),
        );
    }
    site.build_ok();
    let year = site.read("archivo/2018/index.html");
    assert!(year.contains("7 boletines, del más reciente al más antiguo."));
    assert_eq!(year.matches("<li><time").count(), 7);
    assert!(
        !year.contains("Resumen 7."),
        "the year list has no summaries"
    );
    let ica = site.read("territorios/ica/index.html");
    // The five newest as cards with their summaries, the two oldest as dates and titles.
    assert!(ica.contains("Resumen 7.") && ica.contains("Resumen 3."));
    assert!(!ica.contains("Resumen 2.") && !ica.contains("Resumen 1."));
    assert!(ica.contains("<h3>Boletines anteriores</h3>"));
    assert!(ica.contains(
        "<li><time datetime=\"2018-01-02\">2 de enero de 2018</time> <a href=\"/sub/boletines/b2/\">Boletín 2</a></li>"
    ));
}

#[test]
fn tag_pages_paginate() {
    let mut site = Site::new();
    for i in 1..=5 {
        site = site.bulletin(
            &format!("b{i}.md"),
            &format!("B{i}"),
            &format!("2018-01-0{i}"),
            "x\n",
        );
        site.write(
            &format!("content/boletines/b{i}.md"),
            &format!("---\ntitulo: B{i}\nfecha: 2018-01-0{i}\netiquetas: [uno]\n---\nx\n"),
        );
    }
    site.build_ok();
    assert!(
        site.out("etiquetas/uno/pagina/3/index.html").is_file(),
        "5 bulletins, 2 per page"
    );
    assert!(
        site.read("etiquetas/uno/pagina/3/index.html")
            .contains("B1")
    );
}

#[test]
fn drafts_preview_has_a_banner_and_noindex_and_stays_out_of_feeds() {
    let site = site().with(
        "content/boletines/borrador.md",
        "---\ntitulo: CANARIO-BORRADOR\nfecha: 2018-09-01\nborrador: true\netiquetas: [secreta]\n---\nx\n",
    );
    let mut o = site.options();
    o.drafts = true;
    boletin::build(&o).expect("build");
    let page = site.read("boletines/borrador/index.html");
    assert!(page.contains("BORRADOR</strong>"));
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!site.read("feed.xml").contains("CANARIO"));
    assert!(!site.read("sitemap.xml").contains("borrador"));
    assert!(!site.read("boletines/avance/index.html").contains("noindex"));
    site.build_ok();
    for (path, bytes) in site.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("CANARIO") && !text.contains("secreta"),
            "leak in {path}"
        );
    }
}

#[test]
fn raw_html_is_sanitised_with_warnings_at_their_line() {
    let site = Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}iframes_permitidos: [www.youtube-nocookie.com]\n"))
        .with(
            "content/boletines/a.md",
            "---\ntitulo: A\nfecha: 2018-01-01\n---\nUn <abbr title=\"Ministerio del Interior\">Mininter</abbr> seguro.\n\n<img src=\"x.png\" onerror=\"alert(1)\" alt=\"x\">\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Video del lanzamiento\"></iframe>\n\n<iframe src=\"https://evil.example/\"></iframe>\n",
        );
    let summary = site.build().unwrap_or_else(|d| panic!("{d:#?}"));
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "aviso: content/boletines/a.md:7:1: se quitó el atributo `onerror` de <img>: el HTML de un boletín no puede ejecutar código; borre esa parte para que este aviso desaparezca",
            "aviso: content/boletines/a.md:11:1: se quitó un <iframe> de un sitio que no está en `iframes_permitidos`: el HTML de un boletín no puede ejecutar código; borre esa parte para que este aviso desaparezca",
        ]
    );
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("<abbr title=\"Ministerio del Interior\">Mininter</abbr>"));
    assert!(html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Video del lanzamiento\"></iframe>"));
    assert!(!html.contains("evil.example") && !html.contains("onerror"));
    let (code, _, err) = crate::harness::run(&["build"], site.root());
    assert_eq!(code, 0, "warnings do not stop the build");
    assert!(
        err.contains("aviso: content/boletines/a.md:7:1") && err.trim_end().ends_with("2 avisos"),
        "{err}"
    );
}

/// A tiny HTTP server on 127.0.0.1: `/ok` answers 200, anything else 404.
fn local_server() -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let status = if line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let port = local_server();
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        &format!("[bien](http://127.0.0.1:{port}/ok)\n\n[mal](http://127.0.0.1:{port}/falta)\n"),
    );
    site.build_ok();
    let summary = boletin::check(&site.options()).expect("plain check never fetches");
    assert_eq!(summary.external_links.len(), 2);
    let errors = boletin::check_external(&site.options(), std::time::Duration::from_secs(5))
        .expect_err("broken link");
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![format!(
            "error: content/boletines/a.md:7:1: el enlace externo `http://127.0.0.1:{port}/falta` responde con el error 404: corríjalo o quítelo"
        )]
    );
}

#[test]
fn offline_is_said_plainly() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "[x](http://127.0.0.1:9/nada) [y](http://127.0.0.1:9/otra)\n",
    );
    let summary = boletin::check_external(&site.options(), std::time::Duration::from_secs(2))
        .expect("offline is not an error");
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "aviso: sin conexión: no se comprobó ninguno de los 2 enlaces externos; vuelva a ejecutar `boletin check --externos` con internet"
        ]
    );
}
