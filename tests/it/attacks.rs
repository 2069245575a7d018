//! Hostile input (issue 28's red-team findings): each test is named after the attack it
//! stops, and failed on the code before the fix.

use crate::harness::{SITE_YAML, Site};

const TERRITORIES: &str = "- {id: ica, nombre: Ica}\n";

#[test]
fn a_menu_link_with_a_script_scheme_is_refused_at_its_place() {
    let site = Site::new().with(
        "content/sitio.yaml",
        &format!("{SITE_YAML}menu:\n  - {{titulo: Inicio, enlace: \"JaVaScRiPt:alert(1)\"}}\n  - {{titulo: Datos, enlace: \"data:text/html,x\"}}\n  - {{titulo: Acerca, enlace: /acerca/}}\n"),
    );
    assert_eq!(
        site.errors(),
        [
            "error: content/sitio.yaml:5:30: el enlace `JaVaScRiPt:alert(1)` de `enlace` no se publica: use una dirección que empiece por https://, http://, mailto: o tel:, una ruta del sitio (/…) o un enlace interno (@/…)",
            "error: content/sitio.yaml:6:29: el enlace `data:text/html,x` de `enlace` no se publica: use una dirección que empiece por https://, http://, mailto: o tel:, una ruta del sitio (/…) o un enlace interno (@/…)",
        ]
    );
}

#[test]
fn a_barrio_source_url_with_a_script_scheme_is_refused() {
    let site = Site::new()
        .with("content/datos/territorios.yaml", TERRITORIES)
        .with(
            "content/datos/barrios.yaml",
            "- id: a\n  nombre: A\n  territorio: ica\n  fuentes:\n    - {titulo: Nota, url: \"javascript:alert(1)\"}\n",
        );
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("error: content/datos/barrios.yaml:5:")
            && errors[0].contains("`javascript:alert(1)` de `url` no se publica"),
        "{errors:#?}"
    );
}

#[test]
fn private_fields_match_in_any_letter_case_and_with_spaces() {
    let site = Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}campos_privados: [dni]\n"))
        .with(
            "content/datos/contactos.yaml",
            "- {nombre: X, Privado: CENTINELA-1, PRIVADO: CENTINELA-2, \"privado \": CENTINELA-3, DNI: CENTINELA-4}\n",
        )
        .with("content/boletines/a.md", "---\ntitulo: A\nfecha: 2018-01-01\n---\n{{ tabla(datos=\"contactos\") }}\n");
    site.build_ok();
    assert!(site.out("datos/contactos.csv").is_file());
    site.assert_nowhere("CENTINELA");
}

#[test]
fn csv_cells_starting_with_a_tab_or_carriage_return_are_guarded() {
    let site = Site::new().with(
        "content/datos/celdas.yaml",
        "- {a: \"\\t=HYPERLINK(1)\", b: \"\\r=1+1\", c: \"-3\"}\n",
    );
    site.build_ok();
    let csv = site.read("datos/celdas.csv");
    assert!(csv.contains("'\t=HYPERLINK(1)"), "{csv:?}");
    assert!(csv.contains("\"'\r=1+1\""), "{csv:?}");
    assert!(csv.contains(",-3\r\n"), "{csv:?}");
}

#[test]
fn a_raw_control_character_in_a_body_is_refused_at_its_place() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "Texto\u{b}pegado de un PDF.\n");
    assert_eq!(
        site.errors(),
        [
            "error: content/boletines/a.md:5:6: hay un carácter de control invisible (U+000B) que rompería los canales y los gráficos del sitio: bórrelo (suele llegar al pegar texto de un PDF o de un procesador de textos)"
        ]
    );
}

#[test]
fn a_control_character_written_as_a_yaml_escape_is_refused() {
    for escape in ["\\0", "\\v", "\\x01", "\\uFFFE"] {
        let site = Site::new().with(
            "content/boletines/a.md",
            &format!("---\ntitulo: \"Avance{escape}\"\nfecha: 2018-01-01\n---\nx\n"),
        );
        let errors = site.errors();
        assert_eq!(errors.len(), 1, "{escape}: {errors:#?}");
        assert!(
            errors[0].starts_with(
                "error: content/boletines/a.md:2:9: hay un carácter de control invisible"
            ),
            "{escape}: {errors:#?}"
        );
    }
    let data = Site::new().with("content/datos/x.yaml", "- {a: \"uno\\vdos\"}\n");
    assert!(
        data.errors()[0].starts_with("error: content/datos/x.yaml:1:7: hay un carácter de control"),
        "{:?}",
        data.errors()
    );
}

#[test]
fn an_svg_image_loses_its_scripts_handlers_metadata_and_outside_references() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "![Esquema](@/imagenes/esquema.svg)\n",
    );
    site.write(
        "content/imagenes/esquema.svg",
        "<?xml version=\"1.0\"?><!-- Ana Pérez, -12.0464,-77.0428 -->\
         <svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"40\" height=\"20\" onload=\"alert(1)\"><metadata>GPS -12.0464</metadata>\
         <script>alert(2)</script><foreignObject><p xmlns=\"http://www.w3.org/1999/xhtml\">x</p>\
         </foreignObject><a xlink:href=\"javascript:alert(3)\"><rect width=\"4\" height=\"4\" \
         OnClick=\"alert(4)\" fill=\"url(https://otro.example/p#a)\"/></a>\
         <image xlink:href=\"https://otro.example/pixel.png\"/></svg>",
    );
    site.build_ok();
    let svg = std::fs::read_to_string(site.out("imagenes/esquema.svg")).unwrap();
    assert_eq!(
        svg,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"40\" height=\"20\">\
         <rect width=\"4\" height=\"4\"/><image/></svg>\n"
    );
    for needle in ["alert", "-12.0464", "otro.example", "Ana"] {
        site.assert_nowhere(needle);
    }
    // The page still shows it, with the size it declares.
    let page = std::fs::read_to_string(site.out("boletines/a/index.html")).unwrap();
    assert!(page.contains("esquema.svg\" alt=\"Esquema\" width=\"40\" height=\"20\""));
}

#[test]
fn a_file_named_svg_that_is_not_svg_is_refused_with_a_reason() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "![E](@/imagenes/e.svg)\n");
    site.write(
        "content/imagenes/e.svg",
        "<html><body onload=\"alert(1)\"></body></html>",
    );
    assert_eq!(
        site.errors(),
        [
            "error: content/boletines/a.md:5:1: la imagen `imagenes/e.svg` no se puede publicar: no es un SVG: su elemento principal es `<html>`, no `<svg>`",
            "aviso: content/imagenes/e.svg: esta imagen no se publicará: no es un SVG: su elemento principal es `<html>`, no `<svg>`",
        ]
    );
}

#[test]
fn a_gif_image_loses_its_comments_and_metadata() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "![G](@/imagenes/g.gif)\n");
    let mut gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff".to_vec();
    let comment = b"\x21\xfe\x0dAna -12.0464 \x00";
    let xmp = b"\x21\xff\x0bXMP DataXMP\x07GPS x y\x00";
    gif.extend(comment);
    gif.extend(xmp);
    gif.extend(b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b");
    site.write_bytes("content/imagenes/g.gif", &gif);
    site.build_ok();
    let out = std::fs::read(site.out("imagenes/g.gif")).unwrap();
    assert_eq!(out.len(), gif.len() - comment.len() - xmp.len());
    for needle in ["-12.0464", "GPS", "XMP"] {
        site.assert_nowhere(needle);
    }
}

#[test]
fn an_image_used_only_by_an_embargoed_or_draft_bulletin_or_by_nothing_is_not_published() {
    let site = Site::new()
        .bulletin(
            "a.md",
            "A",
            "2018-01-01",
            "![Plaza](@/imagenes/plaza.svg)\n",
        )
        .with(
            "content/boletines/b.md",
            "---\ntitulo: B\nfecha: 2018-01-02\npublicar_desde: 2030-01-01T00:00:00Z\n---\n\
             ![Sorpresa](@/imagenes/sorpresa.svg)\n",
        )
        .with(
            "content/boletines/c.md",
            "---\ntitulo: C\nfecha: 2018-01-03\nborrador: true\n---\n\
             {{ figura(imagen=\"imagenes/borrador.svg\", alt=\"x\") }}\n",
        );
    for name in ["plaza", "sorpresa", "borrador", "suelta"] {
        site.write(
            &format!("content/imagenes/{name}.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
        );
    }
    let summary = site.build().expect("build");
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "aviso: content/imagenes/suelta.svg: esta imagen no se publicará: ninguna página la usa: enlácela o muéstrela desde un boletín o una página, o bórrela de `content/imagenes/`"
        ]
    );
    assert!(site.out("imagenes/plaza.svg").is_file());
    for name in ["sorpresa", "borrador", "suelta"] {
        assert!(
            !site.out(&format!("imagenes/{name}.svg")).exists(),
            "{name}"
        );
        site.assert_nowhere(&format!("imagenes/{name}"));
    }
}

#[test]
fn the_output_holds_no_hidden_file_and_never_tells_when_an_embargo_ends() {
    let site = Site::new()
        .bulletin("a.md", "A", "2018-01-01", "![F](@/imagenes/f.png)\n")
        .with(
            "content/boletines/b.md",
            "---\ntitulo: B\nfecha: 2018-01-02\npublicar_desde: 2026-01-01T03:04:05Z\n---\nx\n",
        );
    site.write_bytes("content/imagenes/f.png", &crate::images::tiny_png());
    // An output left by an older version, with its record and image index inside.
    site.build_ok();
    std::fs::write(site.out(".boletin-estado"), "boletin-estado 2\n").unwrap();
    std::fs::write(site.out(".boletin-imagenes.json"), "{}").unwrap();
    let full = boletin::BuildOptions {
        full: true,
        ..site.options()
    };
    boletin::build(&full).expect("build");
    for (path, _) in site.snapshot() {
        let hidden = path.split('/').any(|p| p.starts_with('.'));
        assert!(!hidden || path == ".boletin-output", "{path}");
    }
    // The next change of the site (before midnight in Lima), as the record writes it: the
    // record itself is in `.boletin/` beside `content/`, not in the output.
    let record = site.state().join("estado");
    assert!(
        std::fs::read_to_string(record)
            .unwrap()
            .contains("1767236645")
    );
    site.assert_nowhere("1767236645");
    site.assert_nowhere("03:04:05");
    // The record in `.boletin/` still makes a rebuild with nothing changed a no-op, and
    // the image index still lets a full build reuse the photo.
    assert!(site.build().expect("again").unchanged);
    let summary = boletin::build(&full).expect("full");
    assert_eq!((summary.images_encoded, summary.images_reused), (0, 1));
}

#[test]
fn decomposed_unicode_is_read_as_composed_in_names_tags_anchors_and_search() {
    // «canción» decomposed (as macOS saves names and PDFs paste text) and composed.
    let nfd = "cancio\u{301}n";
    let site = Site::new()
        .with(
            &format!("content/boletines/{nfd}.md"),
            &format!("---\ntitulo: La {nfd}\nfecha: 2018-01-01\netiquetas: [{nfd}]\n---\n## Una {nfd}\n\nTexto {nfd}.\n"),
        )
        .with(
            "content/boletines/b.md",
            "---\ntitulo: B\nfecha: 2018-01-02\netiquetas: [canción]\n---\n[ver](@/boletines/canción.md#una-cancion)\n",
        );
    site.build_ok();
    assert!(site.out("boletines/cancion/index.html").is_file());
    let tags: Vec<String> = std::fs::read_dir(site.out("etiquetas"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(tags, ["cancion"]);
    // No decomposed accent anywhere: pages, feeds, the search index's shards.
    site.assert_nowhere("\u{301}");
}

#[test]
fn a_geojson_nested_too_deep_is_an_error_at_its_place_not_missing() {
    let deep = format!(
        "{{\"type\": \"FeatureCollection\",\n\"features\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!("{SITE_YAML}mapa: peru.geojson\n"),
        )
        .with("content/datos/territorios.yaml", TERRITORIES)
        .with("content/datos/peru.geojson", &deep);
    assert_eq!(
        site.errors(),
        [
            "error: content/datos/peru.geojson:2:139: no se pudo leer el mapa: anida más de 128 niveles de corchetes o llaves; un mapa de territorios no necesita más de cinco: expórtelo de nuevo como GeoJSON"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_site_config_that_is_a_symbolic_link_is_refused() {
    let site = Site::empty().with("fuera.yaml", SITE_YAML);
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("fuera.yaml"),
        site.root().join("content/sitio.yaml"),
    )
    .unwrap();
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("error: content/sitio.yaml: "),
        "{errors:?}"
    );
    assert!(!site.root().join("output").exists());
}

#[test]
fn a_data_key_that_differs_from_a_private_name_only_by_case_or_spaces_is_a_warning() {
    let site = Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}campos_privados: [dni]\n"))
        .with(
            "content/datos/contactos.yaml",
            "- {nombre: X, privado: a, DNI: CENTINELA-1}\n- {nombre: Y, DNI: CENTINELA-2, \"privado \": CENTINELA-3}\n",
        )
        .with("content/boletines/a.md", "---\ntitulo: A\nfecha: 2018-01-01\n---\n{{ tabla(datos=\"contactos\") }}\n");
    let summary = site.build().expect("build");
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "aviso: content/datos/contactos.yaml:1:27: el campo `DNI` no se publica: se lee como el campo privado `dni` (las mayúsculas y los espacios no cuentan); escríbalo `dni` para que se vea que es privado",
            "aviso: content/datos/contactos.yaml:2:33: el campo `privado ` no se publica: se lee como el campo privado `privado` (las mayúsculas y los espacios no cuentan); escríbalo `privado` para que se vea que es privado",
        ]
    );
    site.assert_nowhere("CENTINELA");
}

#[test]
fn files_whose_names_differ_only_by_case_or_normalisation_are_refused_naming_both() {
    let page = "---\ntitulo: Acerca\n---\nTexto.\n";
    let site = Site::new()
        .bulletin("Cancion.md", "A", "2018-01-01", "Uno.\n")
        .bulletin("cancion.md", "B", "2018-01-02", "Dos.\n")
        .with("content/paginas/acerca-de-la-canción.md", page)
        .with("content/paginas/acerca-de-la-cancio\u{301}n.md", page)
        .with(
            "content/imagenes/Foto.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .with(
            "content/imagenes/foto.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .with("content/datos/cifras.yaml", "- {a: 1}\n")
        .with("content/datos/CIFRAS.yaml", "- {a: 2}\n");
    let twin = |file: &str, other: &str| {
        format!(
            "error: {file}: este nombre solo se distingue de `{other}` por mayúsculas, minúsculas o la forma de escribir las tildes: en Windows, macOS y muchos servidores serían un mismo archivo y uno reemplazaría al otro; cambie el nombre de uno de los dos"
        )
    };
    let errors = site.errors();
    for expected in [
        twin(
            "content/boletines/cancion.md",
            "content/boletines/Cancion.md",
        ),
        twin(
            "content/paginas/acerca-de-la-canción.md",
            "content/paginas/acerca-de-la-cancio\u{301}n.md",
        ),
        twin("content/imagenes/foto.svg", "content/imagenes/Foto.svg"),
        twin("content/datos/cifras.yaml", "content/datos/CIFRAS.yaml"),
    ] {
        assert!(errors.contains(&expected), "{expected}\n{errors:#?}");
    }
}

#[test]
fn a_dataset_address_field_with_a_script_scheme_is_refused_at_its_cell() {
    let site = Site::new().with(
        "content/datos/enlaces.yaml",
        "- {nombre: A, url: \"javascript:alert(1)\", enlace: https://example.org/}\n- nombre: B\n  detalle: {mapa_url: \"DATA:text/html,x\", nota: \"javascript: no es un enlace aquí\"}\n  enlace: \"vbscript:x\"\n",
    ).with("content/datos/hoja.csv", "nombre,fuente_url\nC,\"javascript:alert(2)\"\nD,/datos/\n");
    let refused = |at: &str, value: &str, field: &str| {
        format!(
            "error: {at}: el enlace `{value}` de `{field}` no se publica: use una dirección que empiece por https://, http://, mailto: o tel:, una ruta del sitio (/…) o un enlace interno (@/…)"
        )
    };
    assert_eq!(
        site.errors(),
        [
            refused(
                "content/datos/enlaces.yaml:1:20",
                "javascript:alert(1)",
                "url"
            ),
            refused(
                "content/datos/enlaces.yaml:3:23",
                "DATA:text/html,x",
                "mapa_url"
            ),
            refused("content/datos/enlaces.yaml:4:11", "vbscript:x", "enlace"),
            refused(
                "content/datos/hoja.csv:2:3",
                "javascript:alert(2)",
                "fuente_url"
            ),
        ]
    );
}

#[test]
fn an_address_in_a_documents_extra_with_a_script_scheme_is_refused_at_its_place() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\nextra:\n  enlace: \"javascript:alert(1)\"\n  botones:\n    - {texto: Ver, boton_url: \"data:text/html,x\"}\n  web_url: https://example.org/\n  nota: \"javascript: aquí es solo texto\"\n---\nTexto.\n",
    );
    let refused = |at: &str, value: &str, field: &str| {
        format!(
            "error: content/boletines/a.md:{at}: el enlace `{value}` de `{field}` no se publica: use una dirección que empiece por https://, http://, mailto: o tel:, una ruta del sitio (/…) o un enlace interno (@/…)"
        )
    };
    assert_eq!(
        site.errors(),
        [
            refused("5:11", "javascript:alert(1)", "enlace"),
            refused("7:31", "data:text/html,x", "boton_url"),
        ]
    );
}
