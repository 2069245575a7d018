//! Datasets: loading, validation messages, privacy, open data and the `tabla` shortcode.

use crate::harness::{SITE_YAML, Site};

const TERRITORIOS: &str = "titulo: Territorios\nfilas:\n  - {id: lima-metropolitana, nombre: Lima Metropolitana, ubigeo: \"15\"}\n  - {id: callao, nombre: Callao, ubigeo: \"07\"}\n  - {id: ica, nombre: Ica, ubigeo: \"11\"}\n";

fn with_territories() -> Site {
    Site::new().with("content/datos/territorios.yaml", TERRITORIOS)
}

fn errors_of(site: &Site) -> Vec<String> {
    site.errors()
}

#[test]
fn misspelt_fields_in_a_fixed_schema() {
    let site = with_territories().with(
        "content/datos/barrios.yaml",
        "- id: san-clemente\n  nombre: San Clemente\n  territorio: ica\n  distritto: San Clemente\n",
    );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/barrios.yaml:4:3: campo desconocido `distritto`: ¿quiso decir `distrito`?"
        ]
    );
}

#[test]
fn references_must_exist_with_the_nearest_id() {
    let site = with_territories()
        .with("content/datos/barrios.yaml", "- {id: san-clemente, nombre: San Clemente, territorio: icaa}\n")
        .with("content/datos/lanzamientos.yaml", "- {fecha: 2018-05-01, barrio: san-clement}\n")
        .with(
            "content/boletines/a.md",
            "---\ntitulo: A\nfecha: 2018-01-01\nterritorios: [callao, calao]\nbarrios: [san-clemente]\n---\n",
        );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/boletines/a.md:4:23: `territorios: calao` no existe en `datos/territorios.yaml`: ¿quiso decir `callao`?",
            "error: content/datos/barrios.yaml:1:56: `territorio: icaa` no existe en `datos/territorios.yaml`: ¿quiso decir `ica`?",
            "error: content/datos/lanzamientos.yaml:1:31: `barrio: san-clement` no existe en `datos/barrios.yaml`: ¿quiso decir `san-clemente`?",
        ]
    );
}

#[test]
fn duplicate_ids() {
    let site = with_territories().with(
        "content/datos/barrios.yaml",
        "- {id: a, nombre: A, territorio: ica}\n- {id: a, nombre: B, territorio: ica}\n",
    );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/barrios.yaml:2:8: el id `a` ya se usó en la línea 1: cada id debe ser único"
        ]
    );
}

#[test]
fn the_briefs_unnamed_row_is_an_error() {
    let site = Site::new().with(
        "content/datos/barrios-2018.yaml",
        "titulo: Barrios 2018\ntotal: {barrios: 3}\nfilas:\n  - {territorio: Ica, barrios: 2}\n  - {territorio: , barrios: 1}\n",
    );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/barrios-2018.yaml:5:6: fila sin `territorio`: escriba el nombre, o `Sin especificar` si la fuente no lo da"
        ]
    );
}

#[test]
fn declared_totals_are_checked() {
    let site = Site::new().with(
        "content/datos/barrios-2018.yaml",
        "titulo: Barrios 2018\ntotal: {barrios: 30}\nfilas:\n  - {territorio: Ica, barrios: 2}\n  - {territorio: Callao, barrios: 27}\n",
    );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/barrios-2018.yaml:2:18: el total de `barrios` no cuadra: total declarado 30, suma de las filas 29 (filas de las líneas 4 a 5): revise esas filas antes de cambiar el total"
        ]
    );
}

#[test]
fn coordinates_must_be_on_earth_and_on_the_map() {
    let map = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"ica","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-81,-18],[-68,-18],[-68,0],[-81,0],[-81,-18]]]}}]}"#;
    let site = with_territories()
        .with("content/sitio.yaml", &format!("{SITE_YAML}mapa: peru.geojson\n"))
        .with("content/datos/peru.geojson", map)
        .with(
            "content/datos/barrios.yaml",
            "- {id: a, nombre: A, territorio: ica, ubicacion: {lat: -14.1, lon: -75.7}}\n- {id: b, nombre: B, territorio: ica, ubicacion: {lat: 95, lon: -75}}\n- {id: c, nombre: C, territorio: ica, ubicacion: {lat: 40.4, lon: -3.7}}\n",
        );
    assert_eq!(
        errors_of(&site)
            .into_iter()
            .filter(|e| e.starts_with("error"))
            .collect::<Vec<_>>(),
        vec![
            "error: content/datos/barrios.yaml:2:39: coordenadas fuera de rango (lat 95, lon -75): deben estar entre -90 y 90 (lat) y entre -180 y 180 (lon)",
            "error: content/datos/barrios.yaml:3:39: coordenadas fuera de rango (lat 40.4, lon -3.7): deben estar dentro del mapa del sitio (`peru.geojson`)",
        ]
    );
}

#[test]
fn map_joins_are_checked_as_warnings() {
    let map = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"ica","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-76,-15],[-75,-15],[-75,-14],[-76,-14],[-76,-15]]]}},{"type":"Feature","id":"tacna","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-71,-18],[-70,-18],[-70,-17],[-71,-17],[-71,-18]]]}}]}"#;
    let site = with_territories()
        .with(
            "content/sitio.yaml",
            &format!("{SITE_YAML}mapa: peru.geojson\n"),
        )
        .with("content/datos/peru.geojson", map)
        .with(
            "content/datos/barrios.yaml",
            "- {id: a, nombre: A, territorio: ica, ubicacion: {lat: -14.5, lon: -70.5}}\n",
        );
    let summary = site.build().unwrap_or_else(|d| panic!("{d:#?}"));
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "aviso: content/datos/barrios.yaml:1:39: el punto del barrio `a` cae fuera de la forma de `ica` en el mapa: revise `ubicacion` (en mapas simplificados puede ser normal cerca de la costa)",
            "aviso: content/datos/peru.geojson: la forma `tacna` del mapa no corresponde a ningún territorio de `datos/territorios.yaml`",
            "aviso: content/datos/territorios.yaml:3:10: el territorio `lima-metropolitana` no tiene forma en el mapa: agregue su `ubigeo` o haga que el `id` de la forma coincida",
            "aviso: content/datos/territorios.yaml:4:10: el territorio `callao` no tiene forma en el mapa: agregue su `ubigeo` o haga que el `id` de la forma coincida",
        ]
    );
    let missing = Site::new().with(
        "content/sitio.yaml",
        &format!("{SITE_YAML}mapa: nada.geojson\n"),
    );
    assert!(missing.errors()[0].contains("`mapa` nombra `nada.geojson`"));
}

#[test]
fn launch_dates_respect_cohorts_and_the_calendar() {
    let site = with_territories()
        .with(
            "content/datos/barrios.yaml",
            "- {id: a, nombre: A, territorio: ica, cohorte: 2018}\n",
        )
        .with(
            "content/datos/lanzamientos.yaml",
            "- {fecha: 2017-12-31, barrio: a}\n- {fecha: 2030-01-01, barrio: a}\n",
        );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/lanzamientos.yaml:1:11: el lanzamiento del 31 de diciembre de 2017 es anterior al año de la cohorte del barrio (2018)",
            "error: content/datos/lanzamientos.yaml:2:11: `fecha: 2030-01-01` es una fecha futura: un hecho registrado no puede haber ocurrido aún",
        ]
    );
}

#[test]
fn goal_periods_and_types() {
    let site = Site::new().with(
        "content/datos/metas.yaml",
        "- {periodo: 2018-13, meta: treinta}\n",
    );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/metas.yaml:1:13: periodo no válido `2018-13`: use AAAA-MM, por ejemplo 2018-07",
            "error: content/datos/metas.yaml:1:28: el campo `meta` debe ser un número",
        ]
    );
}

#[test]
fn private_fields_never_reach_any_output() {
    let site = with_territories()
        .with("content/sitio.yaml", &format!("{SITE_YAML}campos_privados: [telefono]\n"))
        .with(
            "content/datos/barrios.yaml",
            "- id: a\n  nombre: A\n  territorio: ica\n  privado: CENTINELA-1\n  telefono: CENTINELA-2\n",
        )
        .with("content/datos/contactos.yaml", "- {nombre: X, detalle: {privado: CENTINELA-3, cargo: Y}}\n")
        .with("content/boletines/a.md", "---\ntitulo: A\nfecha: 2018-01-01\n---\n{{ tabla(datos=\"contactos\") }}\n");
    site.build_ok();
    assert!(site.out("datos/contactos.csv").is_file());
    site.assert_nowhere("CENTINELA");
}

#[test]
fn csv_reads_back_as_the_data() {
    let site = Site::new().with(
        "content/datos/barrios-2018.yaml",
        "titulo: Barrios 2018\nfuente: DGSC\ntotal: {barrios: 3}\nfilas:\n  - {territorio: \"Áncash, costa\", barrios: 2, nota: \"dice \\\"sí\\\"\"}\n  - {territorio: Sin especificar en la fuente, barrios: 1}\n",
    );
    site.build_ok();
    let bytes = std::fs::read(site.out("datos/barrios-2018.csv")).expect("csv");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(headers, ["territorio", "barrios", "nota"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![
                "Áncash, costa".to_string(),
                "2".into(),
                "dice \"sí\"".into()
            ],
            vec![
                "Sin especificar en la fuente".to_string(),
                "1".into(),
                String::new()
            ],
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.out("datos/barrios-2018.json")).expect("json"))
            .expect("parse");
    assert_eq!(json["fuente"], "DGSC");
    assert_eq!(json["total"]["barrios"], 3);
    assert_eq!(json["filas"][0]["territorio"], "Áncash, costa");
    let index = site.read("datos/index.html");
    assert!(index.contains("Barrios 2018"));
    assert!(index.contains("href=\"/sub/datos/barrios-2018.csv\""));
    assert!(index.contains("DGSC"));
}

#[test]
fn tabla_shortcode_renders_caption_total_and_source() {
    let site = Site::new()
        .with(
            "content/datos/barrios-2018.yaml",
            "titulo: Barrios 2018\nfuente: Dirección General de Seguridad Ciudadana\ntotal: {barrios: 1234}\nfilas:\n  - {territorio: Lima Metropolitana, barrios: 1000}\n  - {territorio: Callao, barrios: 234}\n",
        )
        .with("content/sitio.yaml", &format!("{SITE_YAML}idioma: es-PE\n"))
        .with(
            "content/boletines/a.md",
            "---\ntitulo: A\nfecha: 2018-01-01\n---\n{{ tabla(datos=\"barrios-2018\", columnas=[\"territorio\", \"barrios\"], encabezados=[\"Territorio\", \"Barrios\"]) }}\n",
        );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("<caption>Barrios 2018</caption>"), "{html}");
    assert!(html.contains("<th scope=\"col\" class=\"num\">Barrios</th>"));
    assert!(html.contains("<th scope=\"row\">Lima Metropolitana</th><td class=\"num\">1,000</td>"));
    assert!(html.contains(
        "<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">1,234</td></tr></tfoot>"
    ));
    assert!(html.contains("Fuente: Dirección General de Seguridad Ciudadana."));
    assert!(html.contains("href=\"/sub/datos/barrios-2018.csv\""));
}

#[test]
fn tabla_errors_suggest_datasets_and_columns() {
    let site = Site::new()
        .with("content/datos/barrios-2018.yaml", "- {territorio: Ica, barrios: 2}\n")
        .with(
            "content/boletines/a.md",
            "---\ntitulo: A\nfecha: 2018-01-01\n---\n{{ tabla(datos=\"barrios-2081\") }}\n\n{{ tabla(datos=\"barrios-2018\", columnas=[\"territorios\"]) }}\n",
        );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/boletines/a.md:5:10: no existe el conjunto de datos `barrios-2081`: ¿quiso decir `barrios-2018`?",
            "error: content/boletines/a.md:7:32: `barrios-2018` no tiene la columna `territorios`: ¿quiso decir `territorio`?",
        ]
    );
}

#[test]
fn templates_see_datasets_and_aggregates() {
    let site = with_territories()
        .with("content/sitio.yaml", &format!("{SITE_YAML}tema: t\n"))
        .with(
            "content/datos/barrios.yaml",
            "- {id: a, nombre: A, territorio: ica, cohorte: 2018}\n- {id: b, nombre: B, territorio: ica}\n- {id: c, nombre: C, territorio: callao, cohorte: 2016}\n",
        )
        .with("content/datos/lanzamientos.yaml", "- {fecha: 2018-01-10, barrio: a}\n- {fecha: 2018-03-02, barrio: c}\n")
        .with(
            "themes/t/templates/partials/pie.html",
            "<footer>{{ datos.territorios.filas_total }} territorios;{% for t in agregados.barrios_por_territorio %} {{ t.nombre }}={{ t.barrios }}{% endfor %};{% for c in agregados.barrios_por_cohorte %} {{ c.cohorte }}={{ c.barrios }}{% endfor %};{% for m in agregados.lanzamientos_por_mes %} {{ m.mes }}:{{ m.lanzamientos }}/{{ m.acumulado }}{% endfor %}</footer>",
        );
    site.build_ok();
    let html = site.read("index.html");
    assert!(
        html.contains("<footer>3 territorios; Lima Metropolitana=0 Callao=1 Ica=2; 2016=1 2018=1 Sin dato=1; 2018-01:1/1 2018-02:0/1 2018-03:1/2</footer>"),
        "{html}"
    );
}

#[test]
fn a_year_in_quotes_is_that_year_and_a_decimal_comma_gets_its_fix() {
    let site = with_territories().with(
        "content/datos/barrios.yaml",
        "- {id: a, nombre: A, territorio: ica, cohorte: \"2019\"}\n- {id: b, nombre: B, territorio: ica, cohorte: 2018, ubicacion: {lat: \"-14,07\", lon: -75.7}}\n",
    );
    assert_eq!(
        errors_of(&site),
        vec![
            "error: content/datos/barrios.yaml:2:71: el campo `lat` debe ser un número: `-14,07` no lo es; en los archivos los decimales se escriben con punto, aunque el sitio los muestre con coma: escriba `-14.07`",
        ]
    );
}
