//! The binary: exit statuses, Spanish messages, `new` and `init`.

use crate::harness::{Site, run};

#[test]
fn init_makes_a_site_that_builds() {
    let tmp = Site::empty();
    let (code, out, _) = run(&["init", "sitio"], tmp.root());
    assert_eq!(code, 0);
    assert!(out.contains("sitio creado"));
    let (code, out, err) = run(&["build", "--root", "sitio"], tmp.root());
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("listo: 1 boletín, 2 páginas y "), "{out}");
    assert!(
        tmp.root()
            .join("sitio/output/boletines/primer-boletin/index.html")
            .is_file()
    );
    // Data from the first build: the barrios workbook, the territories and the map, used
    // by the sample bulletin's chart, table and map.
    let out_dir = tmp.root().join("sitio/output");
    let bulletin = std::fs::read_to_string(out_dir.join("boletines/primer-boletin/index.html"))
        .expect("bulletin");
    for part in [
        "<svg",
        "Barrios por territorio",
        "<th scope=\"row\">Wichanzao</th>",
        "class=\"mapa",
    ] {
        assert!(
            bulletin.contains(part),
            "the sample bulletin lacks «{part}»"
        );
    }
    for file in [
        "datos/barrios.xlsx",
        "datos/barrios/index.html",
        "territorios/la-libertad/index.html",
    ] {
        assert!(out_dir.join(file).is_file(), "{file}");
    }
    // The accessibility statement, linked from every page's footer.
    let statement =
        std::fs::read_to_string(tmp.root().join("sitio/output/accesibilidad/index.html"))
            .expect("the accessibility statement");
    for part in [
        "Declaración de accesibilidad",
        "WCAG",
        "NTP-ISO/IEC 40500",
        "axe-core",
        "teclado",
        "390 píxeles",
        "Límites conocidos",
        "Contacto",
    ] {
        assert!(statement.contains(part), "the statement lacks «{part}»");
    }
    let home = std::fs::read_to_string(tmp.root().join("sitio/output/index.html")).expect("home");
    assert!(home.contains("<li><a href=\"/accesibilidad/\">Accesibilidad</a></li>"));
    // The built site and the builds' state stay out of the repository, and nothing else
    // appeared in the site's folder.
    let gitignore = std::fs::read_to_string(tmp.root().join("sitio/.gitignore")).expect("ignore");
    assert_eq!(gitignore, "/output/\n/.boletin/\n");
    let mut names: Vec<String> = std::fs::read_dir(tmp.root().join("sitio"))
        .expect("site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".boletin",
            ".github",
            ".gitignore",
            ".gitlab-ci.yml",
            "content",
            "despliegue",
            "output"
        ]
    );
    let (code, _, err) = run(&["init", "sitio"], tmp.root());
    assert_eq!(code, 1);
    assert!(err.contains("no está vacía"));
}

#[test]
fn new_bulletin_is_dated_and_never_overwrites() {
    let site = Site::new();
    let (code, out, err) = run(&["new", "boletin", "Avance de la meta 2018"], site.root());
    assert_eq!(code, 0, "{err}");
    // SOURCE_DATE_EPOCH is 2026-01-01T00:00:00Z, still 2025-12-31 in Lima.
    let rel = "content/boletines/2025-12-31-avance-de-la-meta-2018.md";
    assert!(out.contains(rel), "{out}");
    let text = std::fs::read_to_string(site.root().join(rel)).expect("read");
    assert!(text.starts_with("---\ntitulo: \"Avance de la meta 2018\"\nfecha: 2025-12-31\n"));
    let (code, _, err) = run(&["new", "boletin", "Avance de la meta 2018"], site.root());
    assert_eq!(code, 1);
    assert!(err.contains("ya existe y no se sobrescribe"));
    let (code, _, _) = run(&["new", "pagina", "Metodología"], site.root());
    assert_eq!(code, 0);
    assert!(site.root().join("content/paginas/metodologia.md").is_file());
    let (code, _, err) = run(&["check"], site.root());
    assert_eq!(code, 0, "a new file passes check: {err}");
}

#[test]
fn exit_codes() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    assert_eq!(run(&["check"], site.root()).0, 0);
    let (code, _, err) = run(&["--no-such-flag"], site.root());
    assert_eq!(code, 2);
    assert!(err.starts_with("error: argumento desconocido"), "{err}");
    let (code, _, err) = run(&["buld"], site.root());
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: comando desconocido: buld (¿quiso decir `build`?)"),
        "{err}"
    );
    site.write("content/boletines/b.md", "---\ntitlo: B\n---\n");
    let (code, _, err) = run(&["build"], site.root());
    assert_eq!(code, 1);
    assert!(
        err.contains("content/boletines/b.md:2:1: campo desconocido `titlo`"),
        "{err}"
    );
    assert!(
        err.contains("2 | titlo: B"),
        "shows the offending line: {err}"
    );
    assert!(
        err.trim_end()
            .ends_with("3 errores: no se escribió ningún archivo"),
        "{err}"
    );
    assert!(!site.root().join("output").exists());
}

#[test]
fn help_is_spanish() {
    let (code, out, _) = run(&["--help"], std::path::Path::new("."));
    assert_eq!(code, 0);
    assert!(out.contains("Uso: boletin"));
    assert!(out.contains("Construye el sitio"));
    let (_, out, _) = run(&["build", "--help"], std::path::Path::new("."));
    assert!(out.contains("--base-url"));
    assert!(out.contains("Publica también los borradores"));
}

#[test]
fn hugo_and_zola_flags_work_or_name_boletins_word() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let root = site.root().to_str().unwrap();
    for args in [
        vec!["build", "-r", root, "-o", "salida-a"],
        vec![
            "build",
            "-s",
            root,
            "--output-dir",
            "salida-b",
            "-u",
            "https://example.org/x/",
        ],
        vec![
            "build",
            "--source",
            root,
            "-d",
            "salida-c",
            "-D",
            "--baseURL",
            "https://example.org/",
        ],
    ] {
        let (code, out, err) = run(&args, site.root());
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.starts_with("listo:"), "{out}");
    }
    assert!(site.root().join("salida-b/index.html").exists());
    let index = std::fs::read_to_string(site.root().join("salida-b/index.html")).unwrap();
    assert!(index.contains("https://example.org/x/"), "-u sets url_base");
    for (args, want) in [
        (
            vec!["build", "--drafst"],
            "error: argumento desconocido: --drafst (¿quiso decir `--drafts`?)",
        ),
        (
            vec!["server"],
            "error: comando desconocido: server (¿quiso decir `serve`?)",
        ),
        (
            vec!["build", "--clock", "x"],
            "error: argumento desconocido: --clock (¿quiso decir `--ahora`?)",
        ),
        (
            vec!["serve", "--buildFuture"],
            "error: argumento desconocido: --buildFuture (¿quiso decir `serve --futuros`?)",
        ),
    ] {
        let (code, _, err) = run(&args, site.root());
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with(want), "{args:?}: {err}");
    }
}

#[test]
fn english_front_matter_keys_name_boletins_word_and_dates_get_their_iso_form() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitle: A\ndate: 2018-07-31\n---\nx\n",
    );
    let (code, _, err) = run(&["check"], site.root());
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "content/boletines/a.md:2:1: campo desconocido `title`: ¿quiso decir `titulo`?"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/boletines/a.md:3:1: campo desconocido `date`: ¿quiso decir `fecha`?"),
        "{err}"
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 31/07/2018\n---\nx\n",
    );
    let (_, _, err) = run(&["check"], site.root());
    assert!(
        err.contains(
            "content/boletines/a.md:3:8: fecha no válida en `fecha`: `31/07/2018`; las fechas se escriben AAAA-MM-DD: escriba `2018-07-31`"
        ),
        "{err}"
    );
}

#[test]
fn init_writes_deploy_recipes_whose_commands_exist() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("sitio");
    let (code, _, err) = run(&["init", site.to_str().unwrap()], dir.path());
    assert_eq!(code, 0, "{err}");
    let mut commands = Vec::new();
    for rel in [
        ".github/workflows/publicar.yml",
        ".gitlab-ci.yml",
        "despliegue/boletin.service",
        "despliegue/boletin.timer",
    ] {
        let text = std::fs::read_to_string(site.join(rel)).expect(rel);
        if rel.ends_with(".yml") {
            let file = boletin::source::SourceFile::new(rel, &text);
            boletin::yaml::parse(&file, &text, 1).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
        assert!(
            text.contains("boletin check"),
            "{rel} checks before it publishes"
        );
        for line in text.lines() {
            for part in line.split("&&") {
                let Some(at) = part.find("boletin ") else {
                    continue;
                };
                let words: Vec<&str> = part[at + "boletin ".len()..].split_whitespace().collect();
                if matches!(words.first(), Some(&("build" | "check"))) {
                    commands.push(words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
                }
            }
        }
    }
    assert!(commands.len() >= 6, "{commands:?}");
    for mut args in commands {
        args.push("--help".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = run(&args, dir.path());
        assert_eq!(
            code, 0,
            "the recipe's `boletin {args:?}` is a valid command: {err}"
        );
    }
}
