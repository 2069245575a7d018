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
