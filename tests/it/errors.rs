//! Bad input: the exact messages editors see, all at once, at `file:line:column`.

use crate::harness::Site;

fn one_error(site: &Site) -> String {
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors[0].clone()
}

#[test]
fn missing_title() {
    let site = Site::new().with("content/boletines/a.md", "---\nfecha: 2018-01-01\n---\nx\n");
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:2:1: falta el campo obligatorio `titulo`"
    );
}

#[test]
fn impossible_date() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-02-30\n---\nx\n",
    );
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:3:8: fecha no válida en `fecha`: `2018-02-30` no es una fecha \
         que exista; use el formato AAAA-MM-DD, por ejemplo 2018-07-31"
    );
}

#[test]
fn misspelt_key_suggests_the_right_one() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\nresumne: B\n---\nx\n",
    );
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:4:1: campo desconocido `resumne`: ¿quiso decir `resumen`?"
    );
}

#[test]
fn duplicate_slug_names_the_other_file() {
    let site = Site::new()
        .bulletin("2018-01-01-avance.md", "A", "2018-01-01", "x\n")
        .bulletin("avance.md", "B", "2018-01-01", "y\n");
    assert_eq!(
        one_error(&site),
        "error: content/boletines/avance.md:1:1: la dirección `/boletines/avance/` ya la usa \
         `content/boletines/2018-01-01-avance.md`: cambie `slug` o el nombre del archivo en uno de los dos"
    );
}

#[test]
fn broken_yaml_names_its_line() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: [2018\n---\nx\n",
    );
    let e = one_error(&site);
    assert!(e.starts_with("error: content/boletines/a.md:3:"), "{e}");
    assert!(e.contains("YAML mal formado"), "{e}");
}

#[test]
fn duplicate_keys_are_an_error() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\ntitulo: B\nfecha: 2018-01-01\n---\nx\n",
    );
    let e = one_error(&site);
    assert!(e.starts_with("error: content/boletines/a.md:3:"), "{e}");
    assert!(e.contains("la clave `titulo` está repetida"), "{e}");
}

#[test]
fn missing_front_matter_and_unclosed_fence() {
    let site = Site::new().with("content/boletines/a.md", "Hola\n");
    assert!(one_error(&site).contains("a.md:1:1: el archivo debe empezar con una cabecera YAML"));
    let site = Site::new().with("content/boletines/a.md", "---\ntitulo: A\n");
    assert!(one_error(&site).contains("a.md:1:1: la cabecera no se cierra"));
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = Site::new()
        .with("content/boletines/a.md", "---\ntitlo: A\nfecha: 2018-13-01\n---\nx\n")
        .with("content/boletines/b.md", "---\ntitulo: B\nfecha: 2018-01-01\n---\n[x](@/boletines/c.md)\n\n{{ figura(imagen=\"no.jpg\", alt=\"x\", pei=\"y\") }}\n")
        .with("content/paginas/p.md", "---\ntitulo: P\nautor: [1, 2]\n---\n");
    let errors = site.errors();
    let expected = [
        "error: content/boletines/a.md:2:1: campo desconocido `titlo`: ¿quiso decir `titulo`?",
        "error: content/boletines/a.md:2:1: falta el campo obligatorio `titulo`",
        "error: content/boletines/a.md:3:8: fecha no válida en `fecha`",
        "error: content/paginas/p.md:3:8: el campo `autor` debe ser un texto",
    ];
    for e in expected {
        assert!(
            errors.iter().any(|x| x.starts_with(e)),
            "missing {e} in {errors:#?}"
        );
    }
}

#[test]
fn body_problems_point_at_their_line() {
    let site = Site::new().with(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-01\n---\nTexto.\n\n[x](@/boletines/c.md) y [y](@/paginas/acerca.md#nada)\n\n{{ figura(imagen=\"no.jpg\", alt=\"x\", pei=\"y\") }}\n",
    ).with("content/paginas/acerca.md", "---\ntitulo: Acerca\n---\n## Algo\n");
    let errors = site.errors();
    assert_eq!(
        errors,
        vec![
            "error: content/boletines/b.md:7:1: el enlace `@/boletines/c.md` apunta a un contenido que no existe: ¿quiso decir `@/boletines/b.md`?",
            "error: content/boletines/b.md:7:25: `@/paginas/acerca.md` no tiene un título con el ancla `#nada`",
            "error: content/boletines/b.md:9:1: no se encuentra la imagen `no.jpg`: la ruta es relativa a `content/` (por ejemplo imagenes/foto.jpg) o a la carpeta del boletín",
            "error: content/boletines/b.md:9:37: el atajo `figura` no tiene el argumento `pei`: ¿quiso decir `pie`?",
        ]
    );
}

#[test]
fn unknown_shortcode_suggests() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "{{ figure(imagen=\"x\", alt=\"y\") }}\n",
    );
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:5:1: atajo desconocido `figure`: ¿quiso decir `figura`?"
    );
}

#[test]
fn cover_without_alt() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\nportada:\n  imagen: x.jpg\n---\n",
    );
    assert!(one_error(&site).contains("a.md:5:11: `portada` tiene `imagen` pero no `alt`"));
}

#[test]
fn site_config_problems() {
    let site = Site::empty().with(
        "content/sitio.yaml",
        "titulo: X\nurl_base: example.org\nidoma: es\n",
    );
    let errors = site.errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "error: content/sitio.yaml:2:11: `url_base` debe ser una dirección completa"
        )
    );
    assert_eq!(
        errors[1],
        "error: content/sitio.yaml:3:1: campo desconocido `idoma`: ¿quiso decir `idioma`?"
    );
    let none = Site::empty();
    assert!(
        none.errors()[0].starts_with("error: content/sitio.yaml: no existe `content/sitio.yaml`")
    );
}

#[test]
fn a_page_cannot_take_a_reserved_url() {
    let site = Site::new().with("content/paginas/boletines.md", "---\ntitulo: X\n---\n");
    assert!(one_error(&site).contains("la dirección `/boletines/` ya la usa `el propio sitio`"));
}

#[test]
fn template_errors_name_the_theme_file_and_line() {
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!("{}tema: t\n", crate::harness::SITE_YAML),
        )
        .with(
            "themes/t/templates/partials/pie.html",
            "<footer>\n{{ sitio.titulo | nofiltro }}</footer>",
        );
    let e = one_error(&site);
    assert!(
        e.starts_with("error: themes/t/templates/partials/pie.html:2:"),
        "{e}"
    );
}

#[test]
fn same_page_anchors_are_checked_and_stay_on_the_page() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "## Meta\n\n[arriba](@/#meta) [roto](@/#nada)\n",
    );
    let e = one_error(&site);
    assert_eq!(
        e,
        "error: content/boletines/a.md:7:19: `@/` no tiene un título con el ancla `#nada`"
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\n---\n## Meta\n\n[arriba](@/#meta)\n",
    );
    site.build_ok();
    assert!(
        site.read("boletines/a/index.html")
            .contains("<a href=\"#meta\">arriba</a>")
    );
}

#[test]
fn check_also_validates_drafts_and_embargoed_bulletins() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\nborrador: true\n---\n[x](@/boletines/nada.md)\n",
    );
    site.build_ok();
    let errors = boletin::check(&site.options()).expect_err("check sees the draft");
    assert!(errors[0].to_string().contains("@/boletines/nada.md"));
}

#[test]
fn figura_needs_a_real_alt() {
    let site = Site::new()
        .with(
            "content/imagenes/a.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .bulletin(
            "a.md",
            "A",
            "2018-01-01",
            "{{ figura(imagen=\"imagenes/a.svg\", alt=\" \") }}\n",
        );
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:5:1: la imagen no tiene texto alternativo: describa lo que muestra para quien no puede verla; escriba `alt=\"…\"`; si la imagen es solo decorativa, escriba `alt=\"\", decorativa=true`"
    );
}

#[test]
fn a_missing_logo_is_reported() {
    let site = Site::empty().with(
        "content/sitio.yaml",
        &format!("{}logo: imagenes/escudo.svg\n", crate::harness::SITE_YAML),
    );
    assert_eq!(
        one_error(&site),
        "error: content/sitio.yaml: no se encuentra la imagen `imagenes/escudo.svg`: la ruta es relativa a `content/` (por ejemplo imagenes/foto.jpg) o a la carpeta del boletín"
    );
}

#[test]
fn links_written_as_site_paths_are_checked() {
    let site = Site::new()
        .with("content/datos/barrios-2018.yaml", "- {territorio: Ica, barrios: 2}\n")
        .with("content/paginas/acerca.md", "---\ntitulo: Acerca\n---\n## Equipo\n")
        .bulletin(
            "a.md",
            "A",
            "2018-01-01",
            "[ok](/sub/acerca/) [ok2](/sub/acerca#equipo) [csv](/sub/datos/barrios-2018.csv) [home](/sub/) [feed](/sub/feed.xml)\n\n[roto](/sub/acerca-de/) [ancla](/sub/acerca/#nada) [fuera](/otro/sitio/)\n",
        );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/boletines/a.md:7:1: el enlace `/sub/acerca-de/` apunta a un contenido que no existe: ¿quiso decir `/sub/acerca/`?",
            "error: content/boletines/a.md:7:25: `@/paginas/acerca.md` no tiene un título con el ancla `#nada`",
            "error: content/boletines/a.md:7:52: el enlace `/otro/sitio/` apunta a un contenido que no existe",
        ]
    );
}

#[test]
fn shortcode_list_nesting_10000_deep_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        &format!("Texto.\n\n{{{{ tabla(datos=\"x\", columnas={deep}) }}}}\n"),
    );
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:7:21: el argumento `columnas` del atajo `tabla` tiene \
         listas dentro de listas a más de 32 niveles: escriba una lista sencilla, por ejemplo \
         columnas=[\"a\", \"b\"]"
    );
}

#[test]
fn shortcode_with_100000_arguments_is_one_error() {
    let args: Vec<String> = (0..100_000).map(|i| format!("a{i}=1")).collect();
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        &format!(
            "Texto.\n\n{{{{ figura(imagen=\"a.jpg\", alt=\"x\", {}) }}}}\n",
            args.join(", ")
        ),
    );
    // The 65th argument, `a62`, after `imagen`, `alt` and 62 others.
    let column = "{{ figura(imagen=\"a.jpg\", alt=\"x\", ".len()
        + (0..62).map(|i| format!("a{i}=1, ").len()).sum::<usize>()
        + 1;
    assert_eq!(
        one_error(&site),
        format!(
            "error: content/boletines/a.md:7:{column}: el atajo `figura` tiene más de 64 \
             argumentos: escriba solo los que usa, cada uno una vez"
        )
    );
}

#[test]
fn raw_html_nested_80000_deep_is_an_error_not_minutes() {
    let body = format!(
        "Texto.\n\n{}x{}\n",
        "<div>".repeat(80_000),
        "</div>".repeat(80_000)
    );
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", &body);
    assert_eq!(
        one_error(&site),
        "error: content/boletines/a.md:7:1: el HTML queda anidado a más de 256 niveles \
         (elementos dentro de elementos, contando las citas `>` y las listas): cierre cada \
         etiqueta que abre, por ejemplo `<div>` con `</div>`, o simplifique la estructura"
    );
}

#[test]
fn word_processor_characters_are_named_where_yaml_stops() {
    for (front, want) in [
        (
            "titulo: A\nfecha: 2018-01-01\netiquetas:\n\t- a\n",
            "content/boletines/a.md:5:1: aquí hay una tabulación, que YAML no entiende como su puntuación: sangre con espacios",
        ),
        (
            "titulo: “Avance: metas”\nfecha: 2018-01-01\n",
            "content/boletines/a.md:2:9: aquí hay una comilla tipográfica “, que YAML no entiende como su puntuación: use comillas rectas \"…\"",
        ),
        (
            "titulo:\u{a0}A\nfecha: 2018-01-01\n",
            "content/boletines/a.md:2:8: aquí hay un espacio de no separación, que YAML no entiende como su puntuación: cámbielo por un espacio normal",
        ),
    ] {
        let site = Site::new().with("content/boletines/a.md", &format!("---\n{front}---\nx\n"));
        let errors = site.errors();
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "{front:?}: {errors:?}"
        );
    }
}

/// The README's «Cuando algo está mal» example is what `build` prints: the bulletin is made
/// from the source lines the example shows (`N | text`), and the build's whole report must
/// equal the example, so the editors' guide cannot drift from the messages.
#[test]
fn the_readme_example_of_errors_is_what_build_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let section = readme
        .split_once("### Cuando algo está mal")
        .expect("section")
        .1;
    let example = section
        .split_once("```\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("code block")
        .0;
    let mut lines: Vec<(usize, &str)> = example
        .lines()
        .filter_map(|l| {
            let (n, text) = l.split_once(" | ")?;
            Some((n.trim().parse().ok()?, text))
        })
        .collect();
    lines.sort();
    lines.dedup();
    let mut front: Vec<&str> = vec!["---"];
    for (n, text) in &lines {
        assert_eq!(
            *n,
            front.len() + 1,
            "the example shows consecutive lines from 2"
        );
        front.push(text);
    }
    let file = format!("{}\n---\nTexto.\n", front.join("\n"));
    let site = Site::new().with("content/boletines/x.md", &file);
    let (status, _, stderr) = crate::harness::run(&["build"], site.root());
    assert_eq!(status, 1);
    assert_eq!(stderr, example);
}
