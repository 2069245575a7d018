//! Corrections in the open and old addresses kept: `correcciones` shown dated under the title,
//! in the history, the feed, the JSON-LD and the sitemap; `alias` pages that send readers on.

use crate::harness::Site;

fn corrected() -> Site {
    Site::new().with(
        "content/boletines/2018-07-31-avance.md",
        "---\ntitulo: Avance\nfecha: 2018-07-31\ncorrecciones:\n  - {fecha: 2018-08-02, texto: \"La cifra de Callao era 4, no 5 <b>.\"}\n  - {fecha: 2018-07-31, texto: Una tilde., menor: true}\nalias: [/boletines/avance-viejo/, /boletines/avance-2018]\n---\nTexto.\n",
    )
}

#[test]
fn a_correction_is_dated_under_the_title_and_in_the_history() {
    let site = corrected();
    site.build_ok();
    let page = site.read("boletines/avance/index.html");
    assert!(
        page.contains("<p class=\"aviso-correccion\" role=\"note\"><strong>Corregido el <time datetime=\"2018-08-02\">2 de agosto de 2018</time>:</strong> La cifra de Callao era 4, no 5 &lt;b&gt;.</p>"),
        "{page}"
    );
    assert!(
        !page.contains("Corregido el <time datetime=\"2018-07-31\">"),
        "a minor fix is only in the history"
    );
    assert!(page.contains("<h2>Historial de cambios</h2>"), "{page}");
    assert!(page.contains("<li><time datetime=\"2018-07-31\">31 de julio de 2018</time>: Una tilde. (corrección menor)</li>"), "{page}");
    assert!(
        page.contains("\"dateModified\":\"2018-08-02\""),
        "JSON-LD: {page}"
    );
    let feed = site.read("feed.xml");
    assert!(feed.contains("<updated>2018-08-02T"), "{feed}");
    assert!(feed.contains("Corregido el 2 de agosto de 2018"), "{feed}");
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2018-08-02</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn a_correction_before_the_bulletin_or_in_the_future_is_an_error_at_its_line() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-07-31\ncorrecciones:\n  - {fecha: 2018-07-30, texto: Antes.}\n  - {fecha: 2030-01-01, texto: Después.}\n---\nx\n",
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/boletines/a.md:5:13: la corrección del 30 de julio de 2018 es anterior a la fecha del boletín (31 de julio de 2018): una corrección va después de lo que corrige; revise su `fecha`",
            "error: content/boletines/a.md:6:13: la corrección del 1 de enero de 2030 es una fecha futura: anote la corrección el día en que la hace",
        ]
    );
}

#[test]
fn an_old_address_sends_readers_on_and_is_nowhere_else() {
    let site = corrected();
    site.build_ok();
    for old in [
        "boletines/avance-viejo/index.html",
        "boletines/avance-2018/index.html",
    ] {
        let html = site.read(old);
        let to = "https://example.org/sub/boletines/avance/";
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
            )),
            "{html}"
        );
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{to}\">")),
            "{html}"
        );
        assert!(
            html.contains(&format!("<a href=\"{to}\">{to}</a>")),
            "{html}"
        );
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
    for file in ["sitemap.xml", "feed.xml"] {
        assert!(!site.read(file).contains("avance-viejo"), "{file}");
    }
    let index: Vec<_> = crate::harness::snapshot(&site.out("buscar"));
    assert!(
        index
            .iter()
            .all(|(_, b)| !String::from_utf8_lossy(b).contains("avance-viejo"))
    );
}

#[test]
fn an_alias_that_is_taken_or_not_a_path_is_refused() {
    let site = Site::new()
        .bulletin("b.md", "B", "2018-01-01", "x\n")
        .with(
            "content/boletines/a.md",
            "---\ntitulo: A\nfecha: 2018-01-02\nalias: [/boletines/b/, /etiquetas/, \"https://otro.pe/x\"]\n---\nx\n",
        );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/boletines/a.md:4:9: el `alias` `/boletines/b/` ya es la dirección de `content/boletines/b.md`: quítelo o escriba la dirección antigua correcta",
            "error: content/boletines/a.md:4:37: `alias` no válido: `https://otro.pe/x`; escriba la dirección antigua como una ruta del sitio, en minúsculas, por ejemplo `/boletines/nombre-anterior/`",
        ]
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-02\nalias: [/etiquetas/]\n---\nx\n",
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/boletines/a.md:4:9: el `alias` `/etiquetas/` ya es la dirección de una página que el propio sitio genera: quítelo o escriba la dirección antigua correcta"
        ]
    );
}

fn warnings(site: &Site) -> Vec<String> {
    let summary = site.build().expect("build");
    summary.warnings.iter().map(ToString::to_string).collect()
}

/// A bulletin whose slug changes between two builds of one output: the build that moves it
/// warns at its `slug` line with the `alias` line to write, and `check` says so before it.
/// With the alias written, no warning, and the old address sends readers on.
#[test]
fn a_bulletin_moved_since_the_previous_build_warns_with_the_alias_to_write() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n").with(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-02\nslug: cifras\n---\nx\n",
    );
    assert!(warnings(&site).is_empty());
    let moved = "---\ntitulo: B\nfecha: 2018-01-02\nslug: cifras-2018\n---\nx\n";
    site.write("content/boletines/b.md", moved);
    let expected = "aviso: content/boletines/b.md:4:7: este boletín se publicó en `/boletines/cifras/` y ahora se publica en `/boletines/cifras-2018/`: los enlaces ya compartidos a la dirección anterior dejarán de funcionar; para que sigan llevando aquí, escriba en su encabezado `alias: [/boletines/cifras/]`";
    let checked = boletin::check(&site.options()).expect("check");
    let checked: Vec<String> = checked.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(checked, [expected]);
    // The alias written: nothing to say, and the old address leads to the new one.
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-02\nslug: cifras-2018\nalias: [/boletines/cifras/]\n---\nx\n",
    );
    assert!(warnings(&site).is_empty());
    assert!(
        site.read("boletines/cifras/index.html")
            .contains("https://example.org/sub/boletines/cifras-2018/")
    );
    // Moved again, with an alias already there: the line keeps it. Said once, by the build
    // that publishes the move; the next build compares with what that one published.
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-02\nslug: cifras-dic\nalias: [/boletines/cifras/]\n---\nx\n",
    );
    assert_eq!(
        warnings(&site),
        [
            "aviso: content/boletines/b.md:4:7: este boletín se publicó en `/boletines/cifras-2018/` y ahora se publica en `/boletines/cifras-dic/`: los enlaces ya compartidos a la dirección anterior dejarán de funcionar; para que sigan llevando aquí, escriba en su encabezado `alias: [/boletines/cifras/, /boletines/cifras-2018/]`"
        ]
    );
    assert!(warnings(&site).is_empty());
    // Another output folder has its own list: a first build there compares with nothing.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let mut other = site.options();
    other.output = Some(elsewhere.path().join("otra"));
    site.write("content/boletines/b.md", moved);
    let summary = boletin::build(&other).expect("other output");
    assert!(summary.warnings.is_empty());
}

/// Through the binary: the warning names the file and line.
#[test]
fn the_move_warning_is_printed_by_build() {
    let site = Site::new().with(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-02\nslug: cifras\n---\nx\n",
    );
    let root = site.root().to_str().unwrap();
    let (code, _, err) = crate::harness::run(&["build", "--root", root], site.root());
    assert_eq!(code, 0, "{err}");
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-02\nslug: cifras-2018\n---\nx\n",
    );
    let (code, _, err) = crate::harness::run(&["build", "--root", root], site.root());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("content/boletines/b.md:4:7: este boletín se publicó en `/boletines/cifras/`"),
        "{err}"
    );
    assert!(err.contains("`alias: [/boletines/cifras/]`"), "{err}");
}

/// At fixed instants through `--ahora`: a correction dated the bulletin's own day is
/// accepted and shown; one dated after the instant (in the site's zone) is an error at its
/// line until that day comes.
#[test]
fn a_correction_on_the_bulletins_own_day_is_shown_and_one_after_ahora_is_refused() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2026-12-08\ncorrecciones:\n  - {fecha: 2026-12-08, texto: Se corrigió el total.}\n---\nx\n",
    );
    let root = site.root().to_str().unwrap();
    let build = |instant: &str| {
        crate::harness::run(&["build", "--root", root, "--ahora", instant], site.root())
    };
    let (code, _, err) = build("2026-12-08 00:00");
    assert_eq!(code, 0, "{err}");
    let page = site.read("boletines/a/index.html");
    assert!(
        page.contains("<p class=\"aviso-correccion\" role=\"note\"><strong>Corregido el <time datetime=\"2026-12-08\">8 de diciembre de 2026</time>:</strong> Se corrigió el total.</p>"),
        "{page}"
    );
    assert!(page.contains("\"dateModified\":\"2026-12-08\""), "{page}");

    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2026-12-08\ncorrecciones:\n  - {fecha: 2026-12-08, texto: Se corrigió el total.}\n  - {fecha: 2026-12-09, texto: Y el de Ica.}\n---\nx\n",
    );
    let future = "error: content/boletines/a.md:6:13: la corrección del 9 de diciembre de 2026 es una fecha futura: anote la corrección el día en que la hace";
    // 04:59 UTC on the 9th is still the 8th in Lima: the day is the site's.
    for instant in ["2026-12-08 23:59", "2026-12-09T04:59:00Z"] {
        let (code, _, err) = build(instant);
        assert_eq!(code, 1, "{instant}: {err}");
        assert!(err.contains(future), "{instant}: {err}");
    }
    assert!(
        !site.read("boletines/a/index.html").contains("Y el de Ica."),
        "the refused build left the output as it was"
    );
    let (code, _, err) = build("2026-12-09 00:00");
    assert_eq!(code, 0, "{err}");
    assert!(site.read("boletines/a/index.html").contains("Y el de Ica."));
}

/// A file renamed (not a `slug` changed): the new file has the old one's title, so the
/// build follows it and warns as for a changed slug, at the file's first line. Two gone
/// files of one title, or a new file of another title, are not guessed at.
#[test]
fn a_renamed_file_warns_with_the_alias_to_write_as_a_changed_slug_does() {
    let body = "---\ntitulo: Cifras de julio\nfecha: 2018-07-02\n---\nx\n";
    let site = Site::new()
        .bulletin("a.md", "A", "2018-01-01", "x\n")
        .with("content/boletines/2018-07-02-cifras.md", body)
        .with("content/paginas/acerca.md", "---\ntitulo: Acerca\n---\nx\n");
    assert!(warnings(&site).is_empty());
    let rename = |from: &str, to: &str| {
        std::fs::rename(site.root().join(from), site.root().join(to)).expect("rename");
    };
    rename(
        "content/boletines/2018-07-02-cifras.md",
        "content/boletines/2018-07-02-cifras-julio.md",
    );
    rename(
        "content/paginas/acerca.md",
        "content/paginas/quienes-somos.md",
    );
    assert_eq!(
        warnings(&site),
        [
            "aviso: content/boletines/2018-07-02-cifras-julio.md:1:1: este boletín se publicó en `/boletines/cifras/` y ahora se publica en `/boletines/cifras-julio/`: los enlaces ya compartidos a la dirección anterior dejarán de funcionar; para que sigan llevando aquí, escriba en su encabezado `alias: [/boletines/cifras/]`",
            "aviso: content/paginas/quienes-somos.md:1:1: esta página se publicó en `/acerca/` y ahora se publica en `/quienes-somos/`: los enlaces ya compartidos a la dirección anterior dejarán de funcionar; para que sigan llevando aquí, escriba en su encabezado `alias: [/acerca/]`",
        ]
    );
    assert!(
        warnings(&site).is_empty(),
        "said once, by the build that moves it"
    );
    // Renamed and retitled: another document as far as anyone can tell, nothing said.
    std::fs::remove_file(
        site.root()
            .join("content/boletines/2018-07-02-cifras-julio.md"),
    )
    .expect("remove");
    site.write(
        "content/boletines/2018-07-02-julio.md",
        "---\ntitulo: Otras cifras\nfecha: 2018-07-02\n---\nx\n",
    );
    assert!(warnings(&site).is_empty());
    // Two gone files of one title: which one moved is not guessed.
    site.write("content/boletines/b1.md", body);
    site.write("content/boletines/b2.md", body);
    assert!(warnings(&site).is_empty());
    std::fs::remove_file(site.root().join("content/boletines/b1.md")).expect("remove");
    std::fs::remove_file(site.root().join("content/boletines/b2.md")).expect("remove");
    site.write("content/boletines/b3.md", body);
    assert!(warnings(&site).is_empty());
}
