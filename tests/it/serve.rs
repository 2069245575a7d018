//! `serve`: incremental rebuilds equal full builds, and the HTTP server in a subprocess.

use crate::harness::Site;
use boletin::render::cache::Cache;

fn files(site: &Site, cache: Option<&Cache>) -> Vec<(String, Vec<u8>)> {
    let (files, _) = boletin::render_incremental(&site.options(), cache)
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_every_kind_of_edit() {
    let site = Site::new()
        .with("content/datos/barrios-2018.yaml", "titulo: B\ntotal: {barrios: 3}\nfilas:\n  - {territorio: Ica, barrios: 1}\n  - {territorio: Callao, barrios: 2}\n")
        .with("content/imagenes/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"20\"/>")
        .bulletin("2018-01-01-a.md", "A", "2018-01-01", "{{ tabla(datos=\"barrios-2018\") }}\n\n[b](@/boletines/2018-02-01-b.md#dos)\n")
        .bulletin("2018-02-01-b.md", "B", "2018-02-01", "## Dos\n\n{{ figura(imagen=\"imagenes/a.svg\", alt=\"a\") }}\n")
        .bulletin("2018-03-01-c.md", "C", "2018-03-01", "Tres.\n");
    let mut cache = Cache::new();
    assert_eq!(files(&site, Some(&cache)), files(&site, None));
    let (reused, rendered) = cache.finish();
    assert_eq!(reused, 0, "first build renders everything ({rendered})");

    let edits: Vec<(&str, String)> = vec![
        ("content/boletines/2018-03-01-c.md", "---\ntitulo: C cambiado\nfecha: 2018-03-01\n---\nTres y más.\n".into()),
        ("content/boletines/2018-03-01-c.md", "---\ntitulo: C cambiado\nfecha: 2018-03-01\netiquetas: [nueva]\n---\nTres y más.\n".into()),
        ("content/datos/barrios-2018.yaml", "titulo: B2\ntotal: {barrios: 4}\nfilas:\n  - {territorio: Ica, barrios: 2}\n  - {territorio: Callao, barrios: 2}\n".into()),
        ("themes/t/templates/partials/pie.html", "<footer>pie {{ sitio.titulo }}</footer>".into()),
        ("content/sitio.yaml", format!("{}tema: t\n", crate::harness::SITE_YAML)),
        ("content/boletines/2018-02-01-b.md", "---\ntitulo: B\nfecha: 2018-02-01\n---\n## Dos bis {#dos}\n\n{{ figura(imagen=\"imagenes/a.svg\", alt=\"a\") }}\n".into()),
        ("content/imagenes/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"40\"/>".into()),
        ("content/paginas/nueva.md", "---\ntitulo: Nueva\n---\nHola.\n".into()),
    ];
    for (path, text) in edits {
        // File times can be equal within one tick: wait so a changed image is noticed.
        std::thread::sleep(std::time::Duration::from_millis(20));
        site.write(path, &text);
        let incremental = files(&site, Some(&cache));
        let (reused, _) = cache.finish();
        assert_eq!(incremental, files(&site, None), "after editing {path}");
        if path.ends_with("c.md") && !text.contains("etiquetas") {
            assert!(reused > 0, "an edit to one bulletin reuses the rest");
        }
    }
}
