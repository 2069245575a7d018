//! Issue 29: partial data says so wherever it is counted, the example states the brief's
//! figures, and rows whose shape would silently change a figure are refused at their line.

use crate::harness::{SITE_YAML, Site};
use boletin::BuildOptions;
use std::path::Path;

const NOTICE: &str = "<strong>Lista parcial:</strong> 35 barrios con fuente pública; el documento del ministerio da para 2018 un total de 53.";

fn example() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let mut o = BuildOptions::new(root);
    let site = out.path().join("site");
    o.output = Some(site.clone());
    boletin::build(&o).unwrap_or_else(|d| panic!("{d:#?}"));
    (out, site)
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_page_that_counts_the_examples_barrios_says_the_list_is_partial() {
    let (_tmp, site) = example();
    for page in [
        "index.html",
        "territorios/index.html",
        "territorios/tumbes/index.html",
        "territorios/callao/index.html",
        "barrios/index.html",
    ] {
        assert!(
            read(&site, page).contains(NOTICE),
            "{page} hides that the list is partial"
        );
    }
    // The home page's map is followed by the notice, not only the figures above it.
    let home = read(&site, "index.html");
    let map = home.find("id=\"mapa-titulo\"").expect("home map");
    assert!(home[map..].contains(NOTICE), "the map says nothing");
}

#[test]
fn the_examples_home_page_states_the_briefs_figures_first() {
    let (_tmp, site) = example();
    let home = read(&site, "index.html");
    let figures: Vec<&str> = home
        .split("<span class=\"cifras__valor\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or_default())
        .collect();
    assert_eq!(figures, ["23", "30", "53", "35"]);
    assert!(home.contains("Barrios Seguros lanzados en 2016 y 2017"));
    assert!(home.contains("barrios con fuente pública en la lista de este sitio"));
    assert!(
        home.contains(": lista parcial; el documento del ministerio da para 2018 un total de 53")
    );
}

#[test]
fn every_page_of_the_example_says_it_is_not_the_official_site() {
    let (_tmp, site) = example();
    let notice =
        "<p class=\"pie__aviso\">Este no es el sitio oficial del Ministerio del Interior del Perú";
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).expect("page");
            if html.contains("<footer") {
                pages += 1;
                assert!(html.contains(notice), "{:?} has no notice", entry.path());
            }
        }
    }
    assert!(pages > 20, "only {pages} pages");
}

#[test]
fn a_running_total_is_labelled_as_one() {
    let (_tmp, site) = example();
    let html = read(&site, "acerca/index.html");
    assert!(
        html.contains(
            ">Lanzamientos con día en fuentes públicas, por mes (acumulado)</figcaption>"
        )
    );
    assert!(html.contains(
        "<th scope=\"col\" class=\"num\">Lanzamientos con día en fuentes públicas (acumulado)</th>"
    ));
    assert!(html.contains("Lista parcial:</strong> 2 lanzamientos con día en fuentes públicas."));
    let bulletin = read(&site, "boletines/barrio-seguro-2018-accion/index.html");
    // The July 2018 bulletin charts nothing dated after it (the 2019 launch moved to /acerca/).
    assert!(
        !bulletin.contains("datos/lanzamientos.csv") && !bulletin.contains("Mi Perú"),
        "a bulletin of July 2018 cites a launch of 2019"
    );
}

#[test]
fn a_decimal_comma_in_a_flow_row_is_refused_at_its_line() {
    let site = Site::new().with(
        "content/datos/tasas.yaml",
        "titulo: Tasas\nfilas:\n  - {territorio: Lima, tasa: 2.5}\n  - {territorio: Callao, tasa: 1,5}\n",
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/tasas.yaml:4:34: la fila tiene un campo llamado `5`: un nombre de campo no puede ser un número; en una fila `{…}`, `1,5` se parte en dos campos (`1` y `5`): este sitio escribe los decimales con punto, `1.5`"
        ]
    );
}

#[test]
fn a_field_only_one_row_has_is_refused_at_its_line() {
    let site = Site::new().with(
        "content/datos/tasas.yaml",
        "titulo: Tasas\nfilas:\n  - {territorio: Lima, tasa: 2.5, nota: estimada}\n  - {territorio: Callao, tassa: 1.5}\n",
    );
    // The lone `nota` is a text, which changes no figure: only the misspelt column is wrong.
    let errors = site.errors();
    assert_eq!(
        errors,
        vec![
            "error: content/datos/tasas.yaml:3:24: el campo `tasa` solo aparece en esta fila: revise si está mal escrito; en una fila `{…}`, `1,5` se parte en dos campos (`1` y `5`): este sitio escribe los decimales con punto, `1.5`",
            "error: content/datos/tasas.yaml:4:26: el campo `tassa` solo aparece en esta fila: revise si está mal escrito; en una fila `{…}`, `1,5` se parte en dos campos (`1` y `5`): este sitio escribe los decimales con punto, `1.5`",
        ]
    );
}

#[test]
fn a_text_cell_in_a_column_of_numbers_is_named_at_its_line() {
    let site = Site::new().with(
        "content/datos/barrios-2018.yaml",
        "titulo: Barrios 2018\ntotal: {barrios: 7}\nfilas:\n  - {territorio: Ica, barrios: 2}\n  - {territorio: Callao, barrios: \"3\"}\n  - {territorio: Piura, barrios: dos}\n  - {territorio: Tumbes, barrios: 2}\n",
    );
    let errors = site.errors();
    let cell = |line: usize, col: usize, v: &str| {
        format!(
            "error: content/datos/barrios-2018.yaml:{line}:{col}: `barrios` es una columna de números, pero esta celda dice `{v}`, que es un texto y no entra en sumas, totales ni gráficos: escriba la cifra sin comillas (`3`, `1.5`) o deje la celda vacía si no hay dato"
        )
    };
    // Issue 25: a number in quotes is that number, in data as in front matter; the total
    // (2 + 3 + 2) agrees, and only the word is refused.
    assert_eq!(errors, vec![cell(6, 34, "dos")], "{errors:#?}");
}

#[test]
fn coverage_is_checked_and_a_complete_dataset_says_nothing() {
    let site = Site::new()
        .with("content/sitio.yaml", SITE_YAML)
        .with(
            "content/datos/tasas.yaml",
            "titulo: Tasas\ncobertura: {tipo: parcialmente}\nfilas:\n  - {territorio: Lima, tasa: 2.5}\n",
        );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/tasas.yaml:2:19: el campo `cobertura.tipo` debe ser `parcial` o `completa`: `parcialmente` no lo es; escriba `parcial` si las filas son solo una parte del total"
        ]
    );
    let ok = Site::new()
        .with(
            "content/datos/tasas.yaml",
            "titulo: Tasas\ncobertura: {tipo: completa}\nfilas:\n  - {territorio: Lima, tasa: 2.5}\n",
        )
        .bulletin(
            "2018-01-01-a.md",
            "A",
            "2018-01-01",
            "{{ tabla(datos=\"tasas\") }}\n\nHay {{ cifra(datos=\"tasas\") }}.\n",
        );
    ok.build_ok();
    let html = ok.read("boletines/a/index.html");
    assert!(!html.contains("aviso-parcial") && !html.contains("cifra__parcial"));
}

#[test]
fn a_partial_dataset_is_labelled_in_its_tables_and_figures() {
    let site = Site::new()
        .with(
            "content/datos/tasas.yaml",
            "titulo: Tasas\ncobertura: {tipo: parcial, unidad: territorios medidos, referencia: el censo cuenta, total_referencia: 26}\nfilas:\n  - {territorio: Lima, tasa: 2.5}\n",
        )
        .bulletin(
            "2018-01-01-a.md",
            "A",
            "2018-01-01",
            "{{ tabla(datos=\"tasas\") }}\n\nHay {{ cifra(datos=\"tasas\") }}.\n",
        );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(
        html.contains("<strong>Lista parcial:</strong> 1 territorios medidos; el censo cuenta 26."),
        "{html}"
    );
    assert!(html.contains(
        "<span class=\"cifra\">1</span> <span class=\"cifra__parcial\">(lista parcial)</span>"
    ));
}

#[test]
fn headline_figures_name_existing_datasets() {
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            &format!("{SITE_YAML}cifras_portada:\n  - {{datos: barrios-2081, suma: barrios, texto: Barrios}}\n"),
        )
        .with(
            "content/datos/barrios-2018.yaml",
            "titulo: B\nfilas:\n  - {territorio: Ica, barrios: 2}\n",
        );
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("error: content/sitio.yaml:"),
        "{errors:#?}"
    );
    assert!(errors[0].contains("barrios-2081"), "{errors:#?}");
}
