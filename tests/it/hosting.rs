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
