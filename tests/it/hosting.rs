//! Files a host can serve well (issue 26, item 3): theme assets under content-hashed names,
//! so they can be cached for a year.

use crate::harness::{SITE_YAML, Site};

fn site_with_theme() -> Site {
    Site::new()
        .with("content/sitio.yaml", &format!("{SITE_YAML}tema: propio\n"))
        .bulletin("a.md", "A", "2018-01-01", "x\n")
        .bulletin("b.md", "B", "2018-02-01", "y\n")
        .with("content/paginas/acerca.md", "---\ntitulo: Acerca\n---\nz\n")
        .with("themes/propio/static/css/extra.css", "body{}")
        .with(
            "themes/propio/static/_headers",
            "/css/*\n  Cache-Control: immutable\n",
        )
}

/// Every `href="/sub/…"` and `src="/sub/…"` of every page that names a file (not a folder
/// page) points to a file of the output.
fn assert_every_reference_exists(site: &Site) {
    let mut checked = 0;
    for (path, bytes) in site.snapshot() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for attr in ["href=\"/sub/", "src=\"/sub/"] {
            for rest in html.split(attr).skip(1) {
                let target = rest.split(['"', '#', '?']).next().unwrap_or_default();
                if target.is_empty() || target.ends_with('/') {
                    continue;
                }
                assert!(
                    site.out(target).is_file(),
                    "{path} names missing /sub/{target}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "{checked}");
}

#[test]
fn theme_assets_get_hashed_names_that_every_page_references() {
    let site = site_with_theme();
    site.build_ok();
    let css = site.hashed("css/boletin.css");
    for page in [
        "index.html",
        "boletines/a/index.html",
        "acerca/index.html",
        "404.html",
    ] {
        let html = site.read(page);
        assert!(html.contains(&format!("href=\"/sub/{css}\"")), "{page}");
        assert!(html.contains(&format!("href=\"/sub/{}\"", site.hashed("favicon.svg"))));
    }
    let search = site.read("buscar/index.html");
    assert!(search.contains(&format!("src=\"/sub/{}\"", site.hashed("buscar/buscar.js"))));
    // The site's own static file is hashed too; no unhashed copy of any is left.
    site.hashed("css/extra.css");
    for fixed in [
        "css/boletin.css",
        "css/extra.css",
        "favicon.svg",
        "buscar/buscar.js",
    ] {
        assert!(!site.out(fixed).exists(), "unhashed {fixed}");
    }
    assert_every_reference_exists(&site);
}

#[test]
fn the_hash_follows_the_bytes_and_a_theme_override_changes_it() {
    let site = site_with_theme();
    site.build_ok();
    let before = site.hashed("css/boletin.css");
    let first = site.snapshot();
    site.build_ok();
    assert_eq!(site.snapshot(), first, "deterministic");
    site.write("themes/propio/static/css/boletin.css", "body{color:#000}");
    site.build_ok();
    let after = site.hashed("css/boletin.css");
    assert_ne!(before, after);
    assert!(!site.out(&before).exists(), "the old name is gone");
    assert_eq!(site.read(&after), "body{color:#000}");
    let html = site.read("boletines/a/index.html");
    assert!(html.contains(&format!("/sub/{after}\"")) && !html.contains(&before));
    assert_every_reference_exists(&site);
}

#[test]
fn a_template_names_an_asset_through_recurso_and_an_unknown_one_is_an_error() {
    let site = site_with_theme().with(
        "themes/propio/templates/partials/pie.html",
        "<footer><a href=\"{{ recurso(ruta='css/extra.css') }}\">css</a></footer>",
    );
    site.build_ok();
    let extra = site.hashed("css/extra.css");
    assert!(
        site.read("index.html")
            .contains(&format!("href=\"/sub/{extra}\""))
    );
    site.write(
        "themes/propio/templates/partials/pie.html",
        "<footer>{{ recurso(ruta='css/otro.css') }}</footer>",
    );
    let errors = site.errors().join("\n");
    assert!(
        errors.contains("recurso: el tema no tiene el archivo static/css/otro.css"),
        "{errors}"
    );
}

/// A `base.html` copied from a version before hashed names, which writes
/// `{{ base }}css/boletin.css`, keeps its styles: that file is also published by its name.
#[test]
fn an_old_override_that_names_the_fixed_path_keeps_working() {
    let old_base = boletin::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == "base.html")
        .map(|(_, t)| {
            t.replace(
                "{{ recurso(ruta=\"css/boletin.css\") }}",
                "{{ base }}css/boletin.css",
            )
        })
        .expect("base.html");
    assert!(old_base.contains("{{ base }}css/boletin.css"));
    let site = site_with_theme().with("themes/propio/templates/base.html", &old_base);
    site.build_ok();
    assert!(
        site.read("index.html")
            .contains("href=\"/sub/css/boletin.css\"")
    );
    assert_eq!(
        site.read("css/boletin.css"),
        site.read(&site.hashed("css/boletin.css"))
    );
    assert!(
        !site.out("favicon.svg").exists(),
        "only what is named by its fixed path"
    );
    assert_every_reference_exists(&site);
}

/// Every file of the output with the bytes of its `.gz` copy, when it has one.
fn gzipped(site: &Site) -> Vec<(String, Vec<u8>, Option<Vec<u8>>)> {
    let files: std::collections::BTreeMap<String, Vec<u8>> = site.snapshot().into_iter().collect();
    files
        .iter()
        .filter(|(p, _)| !p.ends_with(".gz"))
        .map(|(p, b)| (p.clone(), b.clone(), files.get(&format!("{p}.gz")).cloned()))
        .collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gunzip");
    out
}

#[test]
fn text_files_above_one_kilobyte_get_a_gz_that_decompresses_to_them() {
    let site = site_with_theme();
    site.build_ok();
    let files = gzipped(&site);
    let mut with = Vec::new();
    for (path, bytes, gz) in &files {
        let text = [
            ".html", ".css", ".js", ".svg", ".xml", ".json", ".jsonld", ".csv",
        ]
        .iter()
        .any(|e| path.ends_with(e));
        match gz {
            Some(gz) => {
                assert!(text && bytes.len() > 1024, "{path}: {} bytes", bytes.len());
                assert_eq!(gunzip(gz), *bytes, "{path}.gz");
                with.push(path.as_str());
            }
            None => assert!(!text || bytes.len() <= 1024, "{path} has no .gz"),
        }
    }
    for path in ["index.html", "feed.xml", "boletines/a/index.html"] {
        assert!(with.contains(&path), "{path}: {with:?}");
    }
    assert!(with.iter().any(|p| p.starts_with("css/boletin.")));
    assert!(
        files
            .iter()
            .any(|(_, b, gz)| gz.is_none() && b.len() <= 1024),
        "small files exist and have none"
    );
    // No gzip of a gzip, and nothing but our copies ends in .gz.
    assert!(site.snapshot().iter().all(|(p, _)| !p.ends_with(".gz.gz")));
}

#[test]
fn two_builds_give_the_same_gz_and_a_stale_one_never_survives() {
    let site = site_with_theme();
    site.build_ok();
    let first = site.snapshot();
    assert!(first.iter().any(|(p, _)| p == "boletines/a/index.html.gz"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    full_build(&site);
    assert_eq!(
        site.snapshot(),
        first,
        "a full build a second later: same bytes"
    );
    // The bulletin changes: its .gz follows; it is removed: its .gz goes with it.
    site.write(
        "content/boletines/a.md",
        &format!(
            "---\ntitulo: A\nfecha: 2018-01-01\n---\n{}\n",
            "Texto nuevo. ".repeat(40)
        ),
    );
    site.build_ok();
    let page = site.out("boletines/a/index.html");
    let gz = std::fs::read(format!("{}.gz", page.display())).expect("gz");
    assert_eq!(gunzip(&gz), std::fs::read(&page).expect("page"));
    assert!(String::from_utf8_lossy(&gunzip(&gz)).contains("Texto nuevo."));
    std::fs::remove_file(site.root().join("content/boletines/a.md")).expect("rm");
    site.build_ok();
    assert!(!site.out("boletines/a/index.html").exists());
    assert!(!site.out("boletines/a/index.html.gz").exists(), "stale .gz");
    for (path, bytes, gz) in gzipped(&site) {
        if let Some(gz) = gz {
            assert_eq!(gunzip(&gz), bytes, "{path}.gz is stale");
        }
    }
    let orphans: Vec<String> = site
        .snapshot()
        .into_iter()
        .filter_map(|(p, _)| p.strip_suffix(".gz").map(String::from))
        .filter(|p| !site.out(p).is_file())
        .collect();
    assert!(orphans.is_empty(), "{orphans:?}");
}

/// A build that ignores the record of the previous one.
fn full_build(site: &Site) {
    let mut o = site.options();
    o.full = true;
    boletin::build(&o).unwrap_or_else(|e| panic!("{e:#?}"));
}
