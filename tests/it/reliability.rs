//! The tests of `../shared/RELIABILITY.md` (T1–T36) and the hostile inputs of the hardening
//! issue. Tests already in other files keep their names; this table says where each is:
//!
//! | id | test |
//! | --- | --- |
//! | T1 | `output::refuses_output_folders_that_are_not_its_own` (site, `content/`, `themes/`, `..`) and `t01_home_and_root_are_refused` here |
//! | T2 | `output::refuses_output_folders_that_are_not_its_own`, `output::an_empty_folder_or_one_it_made_is_replaced` (no `--force`: boletin never adopts a folder) |
//! | T3 | `t03_a_symlink_in_the_output_is_removed_not_followed` |
//! | T4 | `output::refuses_output_folders_that_are_not_its_own` (`content/salida`) |
//! | T5, T32 | `t05_t32_serve_never_touches_the_output_and_drafts_never_reach_a_build` |
//! | T6 | `output::renamed_bulletins_leave_no_stale_pages` |
//! | T7 | `output::a_failed_build_leaves_the_previous_output_untouched` |
//! | T8 | `t08_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site` |
//! | T9 | `t09_an_output_whose_parent_is_a_file_is_a_clear_error` (permissions cannot be tested as root, which CI is) |
//! | T10 | `build::same_input_gives_identical_bytes` and `t10_time_zone_locale_threads_and_path_change_nothing` |
//! | T11 | `charts::charts_are_deterministic_and_small` |
//! | T12 | `publishing::atom_feed_is_valid_with_absolute_urls_and_content_dates` |
//! | T13, T16, T18 | `serve::serve_serves_reloads_shows_errors_and_refuses_traversal` (raw-socket matrix with a canary, Host and Origin, sources) |
//! | T14 | does not apply: `serve` serves the build from memory, so no file or link on disk is ever served; symlinks in the sources are refused (`hostile_file_names_and_links`) |
//! | T15 | `t15_serve_listens_on_loopback_unless_told` |
//! | T17 | `t17_a_build_has_no_live_reload_code` |
//! | T19, T21, T22 | `t19_t21_t22_hostile_content_is_escaped_in_every_context` |
//! | T20 | the same fixture is parsed with an HTML5 tokenizer; the browser check of CI runs on the example site, not on this fixture |
//! | T23, T24, T26, T28 | `yaml` unit tests (`billion_laughs_is_refused_quickly`, `deep_nesting_is_an_error_not_a_crash`, `duplicate_keys_are_errors_with_line`, `anchors_aliases_tags_and_extra_documents_are_refused`) and `t23_t24_t28_hostile_yaml_and_bytes_through_a_build` |
//! | T25 | `yaml::tests::the_norway_table` |
//! | T27 | `build::crlf_and_bom_give_the_same_page` |
//! | T29, T30 | `build::drafts_and_embargoed_bulletins_appear_nowhere`, `places::the_search_index_holds_what_it_should_and_nothing_private` |
//! | T31 | `t31_an_embargo_ends_at_its_exact_instant` |
//! | T33 | `t33_pathological_markdown_finishes` |
//! | T34 | `t34_arbitrary_bytes_never_panic` (and the cargo-fuzz targets in `fuzz/`) |
//! | T35 | `charts::tests::palette_contrast` and the chart tests (`role="img"`, title, data table) |
//! | T36 | `.ci/run` runs `../shared/tools/a11y/run.sh` on the example site |

use crate::harness::Site;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            (
                rel.display().to_string(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_boletin"))
}

#[test]
fn t01_home_and_root_are_refused() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join("tesis.txt"), "mi tesis").expect("write");
    let before = (tree(site.root()), tree(home.path()));
    for (out, why) in [
        (Path::new("/"), "es la raíz del sistema de archivos"),
        (home.path(), "es la carpeta personal"),
    ] {
        let output = bin()
            .args(["build", "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(out)
            .env("HOME", home.path())
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{}: {err}", out.display());
        assert!(err.contains(why), "{}: {err}", out.display());
    }
    assert_eq!((tree(site.root()), tree(home.path())), before);
}

#[test]
fn t03_a_symlink_in_the_output_is_removed_not_followed() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    site.write("victima/importante.txt", "no borrar");
    std::os::unix::fs::symlink(site.root().join("victima"), site.out("enlace")).expect("link");
    // And one inside a folder of the output, which the removal walks on its own.
    std::os::unix::fs::symlink(site.root().join("victima"), site.out("boletines/enlace"))
        .expect("nested link");
    site.build_ok();
    assert!(
        !site.out("enlace").exists() && !site.out("boletines/enlace").exists(),
        "the rebuild replaced the output"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("victima/importante.txt")).unwrap(),
        "no borrar"
    );
}

#[test]
fn t05_t32_serve_never_touches_the_output_and_drafts_never_reach_a_build() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n").with(
        "content/boletines/b.md",
        "---\ntitulo: CANARIO-BORRADOR\nfecha: 2018-01-02\nborrador: true\n---\nx\n",
    );
    site.build_ok();
    let before = tree(&site.root().join("output"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut child = bin()
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", &port.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    // Serve builds (drafts included), then an edit makes it build again.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\n---\ny\n",
    );
    std::thread::sleep(std::time::Duration::from_millis(800));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert_eq!(
        tree(&site.root().join("output")),
        before,
        "serve wrote nothing"
    );
    site.build_ok();
    for (path, bytes) in tree(&site.root().join("output")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("CANARIO"),
            "draft in {path}"
        );
    }
}

/// A site of `n` bulletins whose every page says `mark`.
fn numbered_site(site: &Site, n: usize, mark: &str) {
    for i in 0..n {
        site.write(
            &format!("content/boletines/b{i:03}.md"),
            &format!("---\ntitulo: {mark} {i}\nfecha: 2018-01-01\n---\nTexto {mark}.\n"),
        );
    }
}

#[test]
fn t08_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site() {
    let site = Site::new();
    numbered_site(&site, 150, "VIEJO");
    site.build_ok();
    let old = tree(&site.root().join("output"));
    numbered_site(&site, 150, "NUEVO");
    let mut new = None;
    // Kill the build after growing delays, from before it starts writing until after it ends.
    let delays = (0..24).map(|i| i * 16).chain([500]);
    for delay_ms in delays {
        let mut child = bin()
            .args(["build", "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("build");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        let now = tree(&site.root().join("output"));
        if now != old {
            // Not the old site: then it must be the whole new one.
            assert!(now.len() == old.len(), "half a site after {delay_ms} ms");
            assert!(
                now.iter()
                    .filter(|(p, _)| p.ends_with(".html"))
                    .all(|(_, b)| !String::from_utf8_lossy(b).contains("VIEJO")),
                "old pages in the new site after {delay_ms} ms"
            );
            match &new {
                None => new = Some(now),
                Some(n) => assert_eq!(n, &now),
            }
        }
    }
    // The next build finishes and clears what the killed ones left beside the output.
    site.build_ok();
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output."))
        .collect();
    // Nothing stays beside the output: the record and the image index are in `.boletin/`.
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(site.top_level(), [".boletin", "content", "output"]);
    assert!(site.read("boletines/b000/index.html").contains("NUEVO"));
}

#[test]
fn t09_an_output_whose_parent_is_a_file_is_a_clear_error() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.write("archivo", "soy un archivo");
    let mut o = site.options();
    o.output = Some(site.root().join("archivo/salida"));
    let errors = boletin::build(&o).expect_err("cannot write there");
    assert!(
        errors[0].to_string().contains("no se pudo"),
        "{}",
        errors[0]
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("archivo")).unwrap(),
        "soy un archivo"
    );
}

#[test]
fn t10_time_zone_locale_threads_and_path_change_nothing() {
    let a = Site::new()
        .bulletin("a.md", "A", "2018-07-31", "Texto.\n")
        .bulletin("b.md", "B", "2018-03-16", "Otro.\n");
    let b = Site::empty();
    for (path, bytes) in tree(&a.root().join("content")).into_iter().rev() {
        b.write_bytes(&format!("content/{path}"), &bytes);
    }
    let run = |site: &Site, env: &[(&str, &str)]| {
        let status = bin()
            .args(["build", "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::null())
            .envs(env.iter().copied())
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .status()
            .expect("build");
        assert!(status.success());
        tree(&site.root().join("output"))
    };
    let first = run(&a, &[]);
    let second = run(
        &b,
        &[
            ("TZ", "Pacific/Kiritimati"),
            ("LANG", "de_DE.UTF-8"),
            ("LC_ALL", "de_DE.UTF-8"),
            ("RAYON_NUM_THREADS", "1"),
        ],
    );
    assert_eq!(first, second);
}

#[test]
fn t15_serve_listens_on_loopback_unless_told() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let mut child = bin()
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", "0", "--bind", "0.0.0.0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let mut seen = String::new();
    for line in lines.by_ref().take(20).map_while(Result::ok) {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("sirviendo") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("aviso"), "{seen}");
    assert!(seen.contains("0.0.0.0"), "{seen}");
    // Without --bind, the address is the loopback one (the serve tests connect to it).
    let help = bin().args(["serve", "--help"]).output().expect("help");
    assert!(String::from_utf8_lossy(&help.stdout).contains("127.0.0.1"));
}

#[test]
fn t17_a_build_has_no_live_reload_code() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    for (path, bytes) in tree(&site.root().join("output")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__boletin") && !text.contains("EventSource") && !text.contains("ws://"),
            "{path}"
        );
    }
}

const HOSTILE: &str = "</title><script>alert(1)</script>\u{2028}\"'&<!--";

#[test]
fn t19_t21_t22_hostile_content_is_escaped_in_every_context() {
    let site = Site::new()
        .with(
            "content/boletines/a.md",
            "---\ntitulo: \"</title><script>alert(1)</script>\\u2028\\\"'&<!--\"\nfecha: 2018-01-01\nresumen: \"\\\" onmouseover=\\\"alert(1)\"\netiquetas: [\"<img src=x onerror=alert(1)>\"]\n---\n",
        )
        .with(
            "content/datos/hostil.yaml",
            "titulo: \"</text><script>alert(1)</script>\"\nfuente: \"]]>&<\"\nfilas:\n  - {etiqueta: \"</text><script>alert(2)</script>\", valor: 3}\n  - {etiqueta: \"=HYPERLINK(1)\", valor: 4}\n",
        );
    let body = "Texto <script>alert(1)</script> y <img src=x onerror=alert(1)>.\n\n\
        [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) \
        [d](data:text/html;base64,PHNjcmlwdD4=)\n\n\
        ```\"><script>alert(1)</script>\ncódigo\n```\n\n\
        {{ grafico(datos=\"hostil\", x=\"etiqueta\", y=\"valor\", titulo=\"<b>t</b>\") }}\n\n\
        {{ tabla(datos=\"hostil\") }}\n\n\
        {{ figura(imagen=\"imagenes/a.svg\", alt=\"\\\"><script>alert(1)</script>\", \
        pie=\"<img src=x onerror=alert(1)>\", credito=\"javascript:alert(1)\") }}\n";
    site.write(
        "content/imagenes/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    );
    let text = std::fs::read_to_string(site.root().join("content/boletines/a.md")).unwrap();
    site.write("content/boletines/a.md", &format!("{text}{body}"));
    // Script and data links are refused, each at its place; nothing is published.
    let errors = site.errors();
    let refused: Vec<&str> = errors
        .iter()
        .filter_map(|e| e.strip_prefix("error: content/boletines/a.md:"))
        .filter_map(|e| e.split(" de este enlace no se publica").next())
        .collect();
    assert_eq!(
        refused,
        [
            "9:1: la dirección `javascript:alert(1)`",
            "9:26: la dirección `JaVaScRiPt:alert(1)`",
            "9:51: la dirección `javascript:alert(1)`",
            "9:81: la dirección `data:text/html;base64,PHNjcmlwdD4=`",
        ],
        "{errors:#?}"
    );
    assert!(!site.root().join("output").exists());
    // Without them the rest of the hostile body builds, and every output is checked.
    let links = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) \
                 [d](data:text/html;base64,PHNjcmlwdD4=)";
    assert!(body.contains(links));
    site.write(
        "content/boletines/a.md",
        &format!("{text}{}", body.replace(links, "[a](https://example.org/)")),
    );
    let summary = site.build().unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(!summary.warnings.is_empty(), "removed HTML is reported");
    let out = tree(&site.root().join("output"));
    let mut checked = 0;
    for (path, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            checked += 1;
            check_html(path, &text);
        } else if path.ends_with(".xml") || path.ends_with(".svg") {
            check_xml(path, &text);
        } else if path.ends_with(".json") {
            // Data for our search script, which only ever sets `textContent` (below).
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            continue;
        }
        assert!(!text.contains("alert(1)</script>"), "live script in {path}");
    }
    let script = String::from_utf8_lossy(&out[&site.hashed("buscar/buscar.js")]).into_owned();
    assert!(script.contains("textContent") && !script.contains("innerHTML"));
    assert!(checked > 5);
    // The hostile title survives as text: in the page, the feed and the JSON-LD.
    let page = String::from_utf8_lossy(&out["boletines/a/index.html"]).into_owned();
    let ld = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("json-ld");
    let json: serde_json::Value = serde_json::from_str(ld).expect("json-ld parses");
    assert_eq!(json["headline"], HOSTILE);
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the JSON-LD script"
    );
    assert!(
        page.contains("alt=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""),
        "shortcode arguments are escaped: {page}"
    );
    let csv = String::from_utf8_lossy(&out["datos/hostil.csv"]).into_owned();
    assert!(csv.contains("'=HYPERLINK(1)"), "{csv}");
}

/// Tokenises HTML as a browser would: no script but ours, no event handlers, no script URLs.
fn check_html(path: &str, html: &str) {
    use html5gum::{Token, Tokenizer};
    let mut in_script = false;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_lowercase();
                let attr = |k: &str| {
                    tag.attributes
                        .iter()
                        .find(|(n, _)| n.as_slice() == k.as_bytes())
                        .map(|(_, v)| String::from_utf8_lossy(&v.value).into_owned())
                };
                if name == "script" {
                    let allowed = attr("type").as_deref() == Some("application/ld+json")
                        || attr("src")
                            .is_some_and(|s| s.contains("/buscar/buscar.") && s.ends_with(".js"));
                    assert!(allowed, "{path}: unexpected <script {:?}>", tag.attributes);
                    in_script = true;
                }
                for (k, v) in &tag.attributes {
                    let k = String::from_utf8_lossy(k).to_lowercase();
                    let v = String::from_utf8_lossy(&v.value).to_lowercase();
                    assert!(!k.starts_with("on"), "{path}: <{name} {k}=…>");
                    if ["href", "src", "action", "srcset"].contains(&k.as_str()) {
                        let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                        assert!(
                            !v.starts_with("javascript:")
                                && !v.starts_with("data:")
                                && !v.starts_with("vbscript:"),
                            "{path}: {k}={v}"
                        );
                    }
                }
            }
            Token::EndTag(tag) if tag.name.as_slice() == b"script" => in_script = false,
            Token::String(s) if in_script => {
                // JSON-LD: data, never markup (`<` is written `\u003c`).
                let s = String::from_utf8_lossy(&s.value);
                assert!(!s.contains('<'), "{path}: {s}");
            }
            _ => {}
        }
    }
}

/// XML and SVG must be well-formed, whatever the data held.
fn check_xml(path: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                assert!(
                    e.local_name().into_inner() != "script",
                    "{path}: <script> in XML"
                );
            }
            Ok(_) => {}
            Err(e) => panic!("{path}: not well-formed XML: {e}"),
        }
    }
}

#[test]
fn t23_t24_t28_hostile_yaml_and_bytes_through_a_build() {
    let laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
    let site = Site::new()
        .with(
            "content/boletines/alias.md",
            &format!("---\ntitulo: A\nfecha: 2018-01-01\n{laughs}---\nx\n"),
        )
        .with("content/datos/bomba.yaml", laughs)
        .with(
            "content/datos/hondo.yaml",
            &format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        );
    site.write_bytes(
        "content/boletines/latin1.md",
        b"---\ntitulo: A\nfecha: 2018-01-01\n---\nA\xf1o\n",
    );
    site.write_bytes(
        "content/boletines/nulo.md",
        b"---\ntitulo: A\nfecha: 2018-01-01\n---\nuno\ndos\0tres\n",
    );
    let started = std::time::Instant::now();
    let errors = site.errors();
    // A guard against a hang, not a speed target.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let joined = errors.join("\n");
    for expected in [
        "content/boletines/alias.md:4:",
        "content/datos/bomba.yaml:1:",
        "content/datos/hondo.yaml:1:",
        "content/boletines/latin1.md:5:2: el archivo no está en UTF-8",
        "content/boletines/nulo.md:6:4: el archivo tiene un carácter nulo",
    ] {
        assert!(joined.contains(expected), "{expected} not in:\n{joined}");
    }
}

#[test]
fn hostile_file_names_and_links() {
    let site = Site::new()
        .with(
            "content/boletines/Año nuevo en Ica.md",
            "---\ntitulo: Año nuevo\nfecha: 2018-01-01\n---\n{{ figura(imagen=\"imagenes/foto de José.svg\", alt=\"Foto\") }}\n",
        )
        .with(
            "content/imagenes/foto de José.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
        );
    site.build_ok();
    assert!(
        site.read("boletines/ano-nuevo-en-ica/index.html")
            .contains("foto de José.svg")
    );
    assert!(site.out("imagenes/foto de José.svg").is_file());

    // Slugs and ids that would leave their folder, and a link to outside the site.
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-01-01\nslug: ../../etc\n---\nx\n",
    );
    site.write(
        "content/datos/territorios.yaml",
        "- {id: ../x, nombre: X}\n- {id: a/b, nombre: Y}\n",
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secreto.md"),
        "---\ntitulo: S\nfecha: 2018-01-01\n---\nSECRETO\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secreto.md"),
        site.root().join("content/boletines/enlace.md"),
    )
    .unwrap();
    let errors = site.errors().join("\n");
    for expected in [
        "content/boletines/b.md:4:7: el slug `../../etc` no sirve",
        "content/datos/territorios.yaml:1:",
        "content/datos/territorios.yaml:2:",
        "content/boletines/enlace.md: es un enlace simbólico",
    ] {
        assert!(errors.contains(expected), "{expected} not in:\n{errors}");
    }
    assert!(!errors.contains("SECRETO"));
}

#[test]
fn a_huge_markdown_file_gets_a_limit_error_not_a_slow_build() {
    let site = Site::new();
    let mut text = String::from("---\ntitulo: A\nfecha: 2018-01-01\n---\n");
    let line = "Una línea de texto que se repite para llegar a un archivo enorme.\n";
    while text.len() <= 17 << 20 {
        text.push_str(line);
    }
    site.write("content/boletines/enorme.md", &text);
    assert_eq!(
        site.errors(),
        ["error: content/boletines/enorme.md: el archivo pasa de 16 MiB: divídalo en varios"]
    );
}

#[test]
fn t31_an_embargo_ends_at_its_exact_instant() {
    let site = Site::new().with(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2024-05-01\npublicar_desde: 2024-05-01T09:00:00+02:00\n---\nx\n",
    );
    let mut o = site.options();
    o.now = Some("2024-05-01T06:59:59Z".parse().unwrap());
    boletin::build(&o).expect("build");
    assert!(!site.out("boletines/a/index.html").exists());
    o.now = Some("2024-05-01T07:00:00Z".parse().unwrap());
    boletin::build(&o).expect("build");
    assert!(site.out("boletines/a/index.html").is_file());
}

#[test]
fn t33_pathological_markdown_finishes() {
    let cases = [
        "!-- <".repeat(20_000),
        "[^a\n".repeat(25_000),
        "[[]()".repeat(20_000),
        format!("{}a{}", "*".repeat(50_000), "*".repeat(50_000)),
        ">".repeat(50_000),
        (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
        "a".repeat(1 << 20),
        "{{ ".repeat(30_000),
        "| a |\n|---|\n".repeat(5_000),
    ];
    for (i, body) in cases.iter().enumerate() {
        let site = Site::new().bulletin("a.md", "A", "2018-01-01", body);
        let started = std::time::Instant::now();
        let _ = site.build();
        // A guard against quadratic blow-ups (minutes), not a speed target.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "case {i} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn t34_arbitrary_bytes_never_panic() {
    // Fragments that reach deep into the readers, glued at random (a fixed seed: the same
    // cases every run; `fuzz/` explores further).
    let pieces: &[&[u8]] = &[
        b"---\n",
        b"titulo: ",
        b"fecha: 2018-01-01\n",
        b"etiquetas: [a, b]\n",
        b"{{ ",
        b" }}",
        b"figura(imagen=\"a\", alt=\"b\")",
        b"tabla(datos=[1,",
        b"grafico(",
        b"\"",
        b"[x](@/",
        b"![y](",
        b")",
        b"\n\n",
        b"# T\n",
        b"[^1]",
        b"[^1]: n\n",
        b"<script>",
        b"&#0;",
        b"\xff",
        b"\xc3\xb1",
        b"\r\n",
        b"\t",
        b"- ",
        b"  ",
        b"&a ",
        b"*a",
        b": ",
        b"filas:\n",
        b"total: {",
        b"|a|\n|-|\n",
        b"```",
        b"\0",
        b"\xef\xbb\xbf",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..1_000 {
        let len = (next() % 40) as usize;
        let mut input = Vec::new();
        for _ in 0..len {
            input.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
        }
        boletin::fuzz::bulletin(&input);
        boletin::fuzz::dataset(&input);
        boletin::fuzz::geojson(&input);
        boletin::fuzz::svg(&input);
        boletin::fuzz::shortcodes(&String::from_utf8_lossy(&input));
    }
}

#[test]
fn a_build_writes_nothing_outside_its_output_and_init_never_overwrites() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let content_before = tree(&site.root().join("content"));
    site.build_ok();
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    // Besides the output, only the state folder beside `content/` (the build record, the
    // published addresses and the image index).
    assert_eq!(names, [".boletin", "content", "output"]);
    assert!(site.state().join("estado").is_file());
    assert_eq!(tree(&site.root().join("content")), content_before);
    let out = bin().arg("init").arg(site.root()).output().expect("init");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&site.root().join("content")), content_before);
}
