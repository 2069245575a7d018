//! What a good site builds into.

use crate::harness::Site;

fn three_bulletins() -> Site {
    Site::new()
        .bulletin("2018-03-16-comision.md", "Comisión creada", "2018-03-16", "Primero.\n")
        .bulletin("2018-06-08-encuentro.md", "Encuentro nacional", "2018-06-08", "Segundo.\n")
        .bulletin(
            "2018-07-31-avance.md",
            "Avance de julio",
            "2018-07-31",
            "Texto con nota.[^1]\n\n## Comisión Multisectorial\n\nVer [la comisión](@/boletines/2018-03-16-comision.md) y [acerca](@/paginas/acerca.md#quienes-somos).\n\n[^1]: Decreto Supremo N° 008-2017-IN.\n",
        )
        .with("content/paginas/acerca.md", "---\ntitulo: Acerca de\n---\n## Quiénes somos\n\nUn equipo.\n")
}

#[test]
fn builds_every_kind_of_page_at_its_url() {
    let site = three_bulletins();
    site.build_ok();
    for page in [
        "index.html",
        "404.html",
        "boletines/index.html",
        "boletines/pagina/2/index.html",
        "boletines/avance/index.html",
        "boletines/comision/index.html",
        "acerca/index.html",
        ".boletin-output",
    ] {
        assert!(site.out(page).is_file(), "missing {page}");
    }
    for asset in ["css/boletin.css", "favicon.svg", "buscar/buscar.js"] {
        assert!(site.out(&site.hashed(asset)).is_file());
        assert!(!site.out(asset).exists(), "unhashed copy of {asset}");
    }
}

#[test]
fn dates_are_spanish_and_the_date_prefix_is_not_in_the_slug() {
    let site = three_bulletins();
    site.build_ok();
    let html = site.read("boletines/avance/index.html");
    assert!(html.contains("31 de julio de 2018"), "{html}");
    assert!(html.contains("<time datetime=\"2018-07-31\""));
}

#[test]
fn links_honour_the_path_of_url_base() {
    let site = three_bulletins();
    site.build_ok();
    let html = site.read("boletines/avance/index.html");
    assert!(html.contains("href=\"/sub/boletines/comision/\""), "{html}");
    assert!(html.contains("href=\"/sub/acerca/#quienes-somos\""));
    let css = site.hashed("css/boletin.css");
    assert!(html.contains(&format!("href=\"/sub/{css}\"")), "{html}");
    assert!(
        html.contains("https://example.org/sub/boletines/avance/"),
        "canonical URL"
    );
    for line in html.lines() {
        assert!(
            !line.contains("href=\"/boletines"),
            "link without base path: {line}"
        );
    }
}

#[test]
fn base_url_flag_overrides_the_config() {
    let site = three_bulletins();
    let mut o = site.options();
    o.base_url = Some("http://127.0.0.1:8000/".into());
    boletin::build(&o).expect("build");
    let html = site.read("index.html");
    let css = site.hashed("css/boletin.css");
    assert!(html.contains(&format!("href=\"/{css}\"")));
    assert!(!html.contains("/sub/"));
}

#[test]
fn footnotes_are_numbered_with_links_back() {
    let site = three_bulletins();
    site.build_ok();
    let html = site.read("boletines/avance/index.html");
    assert!(html.contains("<sup class=\"nota-ref\" id=\"ref-1\"><a href=\"#nota-1\""));
    assert!(
        html.contains("<li id=\"nota-1\"><p>Decreto Supremo N° 008-2017-IN. <a href=\"#ref-1\"")
    );
    assert!(html.contains("<h2 id=\"comision-multisectorial\">Comisión Multisectorial</h2>"));
    // The notes are only at the end: no empty definition (with its number) left in the text.
    assert!(!html.contains("footnote-definition"), "{html}");
}

#[test]
fn archive_is_paginated_newest_first() {
    let site = three_bulletins();
    site.build_ok();
    let first = site.read("boletines/index.html");
    let avance = first.find("Avance de julio").expect("newest on page 1");
    let encuentro = first.find("Encuentro nacional").expect("second on page 1");
    assert!(avance < encuentro);
    assert!(!first.contains("Comisión creada"));
    assert!(first.contains("href=\"/sub/boletines/pagina/2/\""));
    let second = site.read("boletines/pagina/2/index.html");
    assert!(second.contains("Comisión creada"));
}

#[test]
fn home_lists_latest_bulletins_with_summary_from_first_paragraph() {
    let site = three_bulletins();
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("Avance de julio"));
    assert!(
        home.contains("Texto con nota."),
        "first paragraph as summary"
    );
}

#[test]
fn figura_shortcode_makes_a_figure_and_code_stays_literal() {
    let site = Site::new()
        .with("content/imagenes/patio.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .bulletin(
            "a.md",
            "A",
            "2018-01-01",
            "{{ figura(imagen=\"imagenes/patio.svg\", alt=\"Un patio\", pie=\"El patio\", credito=\"Mininter\") }}\n\n`{{ figura() }}`\n",
        );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("<figure"), "{html}");
    assert!(html.contains("src=\"/sub/imagenes/patio.svg\""));
    assert!(html.contains("alt=\"Un patio\""));
    assert!(html.contains("<figcaption"));
    assert!(html.contains("Mininter"));
    assert!(html.contains("<code>{{ figura() }}</code>"));
    assert!(site.out("imagenes/patio.svg").is_file());
}

#[test]
fn bundles_keep_their_images_beside_the_page() {
    let site = Site::new()
        .with("content/boletines/2018-05-01-visita/index.md", "---\ntitulo: Visita\nfecha: 2018-05-01\nportada: {imagen: foto.svg, alt: Vecinos reunidos}\n---\n{{ figura(imagen=\"foto.svg\", alt=\"Vecinos\") }}\n")
        .with("content/boletines/2018-05-01-visita/foto.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build_ok();
    assert!(site.out("boletines/visita/foto.svg").is_file());
    let html = site.read("boletines/visita/index.html");
    assert!(
        html.contains("src=\"/sub/boletines/visita/foto.svg\""),
        "{html}"
    );
}

#[test]
fn content_is_escaped_and_raw_html_is_not_executed() {
    let site = Site::new().bulletin(
        "x.md",
        "\"<script>alert(1)</script>\"",
        "2018-01-01",
        "<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n",
    );
    // A script link is refused at its place, with what to write instead, and nothing is
    // published; without it the same page builds.
    assert_eq!(
        site.errors(),
        [
            "aviso: content/boletines/x.md:5:1: se quitó el atributo `onerror` de <img>: el HTML \
             de un boletín no puede ejecutar código; borre esa parte para que este aviso \
             desaparezca",
            "error: content/boletines/x.md:7:1: la dirección `javascript:alert(1)` de este enlace \
          no se publica, porque podría ejecutar código en el navegador de quien lee: escriba una \
          dirección que empiece por https://, http://, mailto: o tel:, una ruta del sitio (/…) \
          o un enlace interno (@/…)"
        ]
    );
    assert!(!site.out("boletines/x/index.html").exists());
    let text = std::fs::read_to_string(site.root().join("content/boletines/x.md")).unwrap();
    site.write(
        "content/boletines/x.md",
        &text.replace("[a](javascript:alert(1))", "[a](https://example.org/)"),
    );
    site.build_ok();
    for page in [
        "boletines/x/index.html",
        "index.html",
        "boletines/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("<script>alert"), "{page}");
        assert!(!html.contains("<img src=x"), "{page}");
        assert!(!html.contains("javascript:"), "{page}");
    }
}

#[test]
fn drafts_and_embargoed_bulletins_appear_nowhere() {
    let site = Site::new()
        .bulletin("publico.md", "Publicado", "2018-01-01", "Hola.\n")
        .with("content/boletines/borrador.md", "---\ntitulo: CANARIO-BORRADOR\nfecha: 2018-01-02\nborrador: true\n---\nx\n")
        .with("content/boletines/futuro.md", "---\ntitulo: CANARIO-EMBARGO\nfecha: 2018-01-03\npublicar_desde: 2026-01-01T00:00:01Z\n---\nx\n");
    site.build_ok();
    for (path, bytes) in site.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("CANARIO"), "leak in {path}");
    }
    assert!(!site.out("boletines/borrador").exists());
    assert!(!site.out("boletines/futuro").exists());
    let mut o = site.options();
    o.now = Some("2026-01-01T00:00:01Z".parse().expect("ts"));
    boletin::build(&o).expect("build");
    assert!(
        site.read("boletines/index.html")
            .contains("CANARIO-EMBARGO")
    );
    o.drafts = true;
    boletin::build(&o).expect("build");
    assert!(
        site.read("boletines/index.html")
            .contains("CANARIO-BORRADOR")
    );
}

#[test]
fn embargo_dates_without_offset_use_the_site_time_zone() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2024-05-01\npublicar_desde: 2024-05-01 09:00\n---\nx\n",
    );
    let mut o = site.options();
    o.now = Some("2024-05-01T13:59:59Z".parse().expect("ts"));
    boletin::build(&o).expect("build");
    assert!(
        !site.out("boletines/a").exists(),
        "Lima is UTC-5: 09:00 is 14:00Z"
    );
    o.now = Some("2024-05-01T14:00:00Z".parse().expect("ts"));
    boletin::build(&o).expect("build");
    assert!(site.out("boletines/a/index.html").exists());
}

#[test]
fn a_site_theme_overrides_one_template_and_adds_static_files() {
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!("{}tema: propio\n", crate::harness::SITE_YAML),
        )
        .bulletin("a.md", "A", "2018-01-01", "x\n")
        .with(
            "themes/propio/templates/partials/pie.html",
            "<footer>PIE PROPIO {{ sitio.titulo }}</footer>",
        )
        .with("themes/propio/static/css/extra.css", "body{}");
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("PIE PROPIO Sitio de prueba"));
    assert!(
        html.contains("<main"),
        "the rest of the built-in theme is kept"
    );
    assert!(site.out(&site.hashed("css/extra.css")).is_file());
    assert!(site.out(&site.hashed("css/boletin.css")).is_file());
}

/// A theme that loops over a map (here the free `extra` of a bulletin) gets its keys in
/// sorted order on every build: Tera's maps keep insertion order (`preserve_order`), and
/// ours are inserted sorted. With Tera's plain hash map the order changed from run to run.
#[test]
fn a_theme_looping_over_a_map_gets_sorted_keys() {
    let keys = ["m", "b", "x", "a", "q", "c", "z", "k", "e", "t", "h", "p"];
    let extra: String = keys.iter().map(|k| format!("  {k}: v{k}\n")).collect();
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!("{}tema: propio\n", crate::harness::SITE_YAML),
        )
        .with(
            "content/boletines/a.md",
            &format!("---\ntitulo: A\nfecha: 2018-01-01\nextra:\n{extra}---\nx\n"),
        )
        .with(
            "themes/propio/templates/boletin.html",
            "{% extends \"base.html\" %}{% block contenido %}<footer>\
             {% for k, v in boletin.extra %}{{ k }}={{ v }};{% endfor %}\
             </footer>{% endblock contenido %}",
        );
    let mut sorted = keys;
    sorted.sort();
    let want: String = sorted.iter().map(|k| format!("{k}=v{k};")).collect();
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains(&format!("<footer>{want}</footer>")), "{html}");
}

#[test]
fn same_input_gives_identical_bytes() {
    let a = three_bulletins();
    a.build_ok();
    let first = a.snapshot();
    a.build_ok();
    assert_eq!(first, a.snapshot());
    // A second copy of the site in another folder, files written in another order.
    let b = Site::new().with(
        "content/paginas/acerca.md",
        "---\ntitulo: Acerca de\n---\n## Quiénes somos\n\nUn equipo.\n",
    );
    for (name, text) in [
        ("2018-07-31-avance.md", 2),
        ("2018-06-08-encuentro.md", 1),
        ("2018-03-16-comision.md", 0),
    ] {
        let src = a.root().join("content/boletines").join(name);
        b.write(
            &format!("content/boletines/{name}"),
            &std::fs::read_to_string(src).expect("read"),
        );
        let _ = text;
    }
    b.build_ok();
    assert_eq!(first, b.snapshot());
}

#[test]
fn crlf_and_bom_give_the_same_page() {
    let body = "---\ntitulo: A\nfecha: 2018-01-01\n---\nHola *mundo*.\n";
    let lf = Site::new().with("content/boletines/a.md", body);
    let crlf = Site::new().with(
        "content/boletines/a.md",
        &format!("\u{feff}{}", body.replace('\n', "\r\n")),
    );
    lf.build_ok();
    crlf.build_ok();
    // The record of what each build read differs, as the files' bytes do; the site not.
    let site = |s: &Site| {
        let mut files = s.snapshot();
        files.retain(|(path, _)| path != boletin::fresh::STAMP);
        files
    };
    assert_eq!(site(&lf), site(&crlf));
}

#[test]
fn markdown_images_and_bundle_subfolders_resolve() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let site = Site::new()
        .with("content/imagenes/mapa.svg", svg)
        .with("content/boletines/2018-05-01-visita/index.md", "---\ntitulo: Visita\nfecha: 2018-05-01\n---\n![Vecinos](fotos/a.svg)\n\n![Mapa](@/imagenes/mapa.svg)\n")
        .with("content/boletines/2018-05-01-visita/fotos/a.svg", svg)
        .bulletin("b.md", "B", "2018-01-01", "![Mapa](imagenes/mapa.svg)\n");
    site.build_ok();
    assert!(site.out("boletines/visita/fotos/a.svg").is_file());
    let visita = site.read("boletines/visita/index.html");
    assert!(
        visita.contains("src=\"/sub/boletines/visita/fotos/a.svg\""),
        "{visita}"
    );
    assert!(visita.contains("src=\"/sub/imagenes/mapa.svg\""));
    assert!(
        site.read("boletines/b/index.html")
            .contains("src=\"/sub/imagenes/mapa.svg\"")
    );
}

#[test]
fn menu_links_resolve_with_anchors() {
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!(
                "{}menu:\n  - {{titulo: Quiénes, enlace: \"@/paginas/acerca.md#equipo\"}}\n",
                crate::harness::SITE_YAML
            ),
        )
        .with(
            "content/paginas/acerca.md",
            "---\ntitulo: Acerca\n---\n## Equipo\n",
        );
    site.build_ok();
    assert!(
        site.read("index.html")
            .contains("href=\"/sub/acerca/#equipo\"")
    );
}

#[test]
fn at_slash_alone_links_home() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "[inicio](@/) y [arriba](@/#seccion)\n\n## Sección\n",
    );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("<a href=\"/sub/\">inicio</a>"), "{html}");
    assert!(html.contains("<a href=\"#seccion\">arriba</a>"));
}

/// Each page marks its own menu entry (`aria-current`), and only that one: the menu values
/// are made once per build for each entry that can be current.
#[test]
fn the_menu_marks_the_current_page_only() {
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!(
                "{}menu:\n  - {{titulo: Boletines, enlace: \"@/boletines\"}}\n  - {{titulo: Acerca, enlace: \"@/paginas/acerca.md\"}}\n",
                crate::harness::SITE_YAML
            ),
        )
        .with(
            "content/paginas/acerca.md",
            "---\ntitulo: Acerca\n---\nUn equipo.\n",
        )
        .bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    let current = |page: &str| -> Vec<String> {
        let html = site.read(page);
        html.lines()
            .filter(|l| l.contains("aria-current=\"page\""))
            .map(|l| l.split('>').nth(2).unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(current("index.html"), ["Inicio</a"]);
    assert_eq!(current("boletines/index.html"), ["Boletines</a"]);
    assert_eq!(current("boletines/a/index.html"), ["Boletines</a"]);
    assert_eq!(current("acerca/index.html"), ["Acerca</a"]);
    assert!(current("etiquetas/index.html").is_empty());
}

#[test]
fn a_build_keeps_no_text_and_refuses_a_file_edited_while_it_builds() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "Primer texto.\n");
    let root = site.root();
    let config = boletin::config::load(root).expect("config");
    let rel = std::path::PathBuf::from("content/boletines/a.md");
    let (docs, diags) = boletin::content::load_all(root, &[rel], &[], &config, None);
    assert!(diags.is_empty());
    let doc = &docs[0];
    assert!(doc.text_dropped(), "the build holds only the front matter");
    let again = boletin::content::reread(root, doc).expect("the same file");
    assert!(again.text.ends_with("Primer texto.\n"));
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\n---\nOtro.\n",
    );
    let err = boletin::content::reread(root, doc).expect_err("edited in between");
    assert_eq!(
        err.to_string(),
        "error: content/boletines/a.md: el archivo cambió mientras se construía el sitio: guárdelo y vuelva a construir"
    );
}

#[test]
fn a_long_bulletin_gets_a_table_of_contents_and_indice_decides() {
    let long =
        "## Uno\n\nx\n\n## Dos & más\n\n### Dos y medio\n\nx\n\n## Tres\n\nx\n\n## Cuatro\n\nx\n";
    let site = Site::new()
        .bulletin("largo.md", "Largo", "2018-01-01", long)
        .bulletin("corto.md", "Corto", "2018-01-02", "## Solo\n\nx\n")
        .with(
            "content/boletines/pedido.md",
            "---\ntitulo: Pedido\nfecha: 2018-01-03\nindice: true\n---\n## Solo\n\nx\n",
        )
        .with(
            "content/boletines/sin.md",
            &format!("---\ntitulo: Sin\nfecha: 2018-01-04\nindice: false\n---\n{long}"),
        );
    site.build_ok();
    let page = site.read("boletines/largo/index.html");
    assert!(
        page.contains("<nav class=\"indice\" aria-label=\"Índice del boletín\">"),
        "{page}"
    );
    assert!(
        page.contains("<li class=\"indice__n2\"><a href=\"#uno\">Uno</a></li>"),
        "{page}"
    );
    assert!(
        page.contains("<li class=\"indice__n2\"><a href=\"#dos-mas\">Dos &amp; más</a></li>"),
        "{page}"
    );
    assert!(
        page.contains("<li class=\"indice__n3\"><a href=\"#dos-y-medio\">Dos y medio</a></li>"),
        "{page}"
    );
    // A third-level entry is indented under its section: its rule must outrank `.indice li`,
    // whose `margin` shorthand set every item's left margin back to zero.
    let css = site.read(&site.hashed("css/boletin.css"));
    assert!(css.contains(".indice li { margin: .35rem 0; }"), "{css}");
    assert!(
        css.contains(".indice li.indice__n3 { margin-left: 1.25rem;"),
        "{css}"
    );
    assert!(
        !site
            .read("boletines/corto/index.html")
            .contains("class=\"indice\"")
    );
    assert!(
        site.read("boletines/pedido/index.html")
            .contains("<a href=\"#solo\">Solo</a>")
    );
    assert!(
        !site
            .read("boletines/sin/index.html")
            .contains("class=\"indice\"")
    );
}

#[test]
fn callouts_are_notes_with_spanish_titles_in_pages_feeds_and_search() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "> [!IMPORTANTE]\n> Las cifras son <preliminares> & parciales.\n\n> Una cita.\n",
    );
    site.build_ok();
    let page = site.read("boletines/a/index.html");
    assert!(
        page.contains("<div class=\"aviso aviso--importante\" role=\"note\">\n<p class=\"aviso__titulo\">Importante</p>\n<p>Las cifras son  &amp; parciales.</p>\n</div>"),
        "{page}"
    );
    assert!(
        page.contains("<blockquote>\n<p>Una cita.</p>\n</blockquote>"),
        "{page}"
    );
    assert!(
        !page.contains("[!IMPORTANTE]"),
        "nor in the summary: {page}"
    );
    assert!(site.read("feed.xml").contains("aviso--importante"));
}

#[test]
fn bare_addresses_become_links_outside_code_and_links() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "Vea https://www.gob.pe/mininter. O www.datosabiertos.gob.pe, y `https://no.pe` y [https://ya.pe](https://ya.pe).\n",
    );
    site.build_ok();
    let page = site.read("boletines/a/index.html");
    assert!(
        page.contains("Vea <a href=\"https://www.gob.pe/mininter\">https://www.gob.pe/mininter</a>. O <a href=\"https://www.datosabiertos.gob.pe\">www.datosabiertos.gob.pe</a>, y <code>https://no.pe</code> y <a href=\"https://ya.pe\">https://ya.pe</a>."),
        "{page}"
    );
    let summary = boletin::check(&site.options()).expect("check");
    let urls: Vec<&str> = summary
        .external_links
        .iter()
        .map(|l| l.url.as_str())
        .collect();
    assert!(urls.contains(&"https://www.gob.pe/mininter"), "{urls:?}");
}

#[test]
fn heading_ids_start_with_a_letter_and_old_links_still_reach_them() {
    let site = Site::new()
        .bulletin(
            "a.md",
            "A",
            "2018-01-01",
            "## 2016-2017\n\nx\n\n## 2018 {#2018}\n\ny\n",
        )
        .bulletin(
            "b.md",
            "B",
            "2018-01-02",
            "[antes](@/boletines/a.md#2016-2017) y [después](@/boletines/a.md#seccion-2018)\n",
        );
    site.build_ok();
    let a = site.read("boletines/a/index.html");
    assert!(a.contains("id=\"seccion-2016-2017\""), "{a}");
    assert!(a.contains("id=\"seccion-2018\""), "{a}");
    assert!(!a.contains("id=\"2016"), "{a}");
    let b = site.read("boletines/b/index.html");
    assert!(
        b.contains("href=\"/sub/boletines/a/#seccion-2016-2017\""),
        "{b}"
    );
    assert!(b.contains("href=\"/sub/boletines/a/#seccion-2018\""), "{b}");
}
