//! A dataset's own metadata wherever it is written (YAML, a spreadsheet's sidecar `.yaml`, a
//! workbook's `metadatos` sheet): `descripcion` in the downloads, and dated `correcciones`
//! shown where the dataset is shown.

use crate::harness::Site;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

fn json(site: &Site, id: &str) -> Value {
    serde_json::from_str(&site.read(&format!("datos/{id}.json"))).expect("json")
}

/// A workbook whose first sheet holds `nombre`/`barrios` rows and whose `metadatos` sheet
/// holds `meta` (campo, valor) after its header.
fn workbook(header: (&str, &str), meta: &[(&str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let data = book.add_worksheet();
    data.set_name("Cifras").unwrap();
    data.write(0, 0, "nombre").unwrap();
    data.write(0, 1, "barrios").unwrap();
    data.write(1, 0, "Lima").unwrap();
    data.write(1, 1, 3).unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("metadatos").unwrap();
    sheet.write(0, 0, header.0).unwrap();
    sheet.write(0, 1, header.1).unwrap();
    for (i, (k, v)) in meta.iter().enumerate() {
        sheet.write(i as u32 + 1, 0, *k).unwrap();
        sheet.write(i as u32 + 1, 1, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn descripcion_reaches_the_json_download_from_yaml_sidecar_and_metadatos_sheet() {
    let site = Site::new()
        .with(
            "content/datos/a.yaml",
            "titulo: A\ndescripcion: Qué es <b>A</b>.\nfilas:\n  - {n: 1}\n",
        )
        .with("content/datos/b.csv", "n\n1\n")
        .with("content/datos/b.yaml", "descripcion: Qué es B.\n")
        .with("content/datos/c.csv", "n\n1\n");
    site.write_bytes(
        "content/datos/d.xlsx",
        &workbook(
            ("campo", "valor"),
            &[("titulo", "D"), ("descripcion", "Qué es D.")],
        ),
    );
    site.build_ok();
    assert_eq!(json(&site, "a")["descripcion"], "Qué es <b>A</b>.");
    assert_eq!(json(&site, "b")["descripcion"], "Qué es B.");
    assert_eq!(json(&site, "c")["descripcion"], Value::Null);
    assert_eq!(json(&site, "d")["descripcion"], "Qué es D.");
    assert_eq!(json(&site, "d")["titulo"], "D");
}

#[test]
fn the_metadatos_sheet_names_descripcion_among_its_fields() {
    let site = Site::new();
    site.write_bytes(
        "content/datos/d.xlsx",
        &workbook(("clave", "dato"), &[("descripcion", "x")]),
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/d.xlsx: la hoja `metadatos` debe tener dos columnas, `campo` y `valor`, con un campo por fila (`titulo`, `descripcion`, `fuente`, `nota`, `licencia`, `actualizado`, `total.COLUMNA`, `campos_privados`)"
        ]
    );
    site.write_bytes(
        "content/datos/d.xlsx",
        &workbook(("campo", "valor"), &[("descripcio", "x")]),
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/d.xlsx:metadatos!A2: campo desconocido `descripcio`: ¿quiso decir `descripcion`?"
        ]
    );
}

const CORRECTED: &str = "titulo: Cifras\nactualizado: 2018-07-31\ncorrecciones:\n  - {fecha: 2018-07-31, texto: \"Ica tenía 2 barrios, no 3 <b>.\"}\n  - {fecha: 2018-08-02, texto: Una tilde., menor: true}\nfilas:\n  - {territorio: Lima, barrios: 9}\n  - {territorio: Ica, barrios: 2}\n";

#[test]
fn a_dataset_correction_is_dated_on_its_page_its_metadata_and_its_xlsx() {
    let site = Site::new().with("content/datos/cifras.yaml", CORRECTED);
    site.build_ok();
    let page = site.read("datos/cifras/index.html");
    assert!(
        page.contains("<p class=\"aviso-correccion\" role=\"note\"><strong>Corregido el <time datetime=\"2018-07-31\">31 de julio de 2018</time>:</strong> Ica tenía 2 barrios, no 3 &lt;b&gt;.</p>"),
        "a correction on the day of `actualizado` is shown: {page}"
    );
    assert!(
        !page.contains("Corregido el <time datetime=\"2018-08-02\">"),
        "a minor fix is only in the history"
    );
    assert!(page.contains("<h2>Historial de cambios</h2>"), "{page}");
    assert!(page.contains("<li><time datetime=\"2018-08-02\">2 de agosto de 2018</time>: Una tilde. (corrección menor)</li>"), "{page}");
    assert!(page.contains("\"dateModified\":\"2018-08-02\""), "{page}");
    let catalogue: Value =
        serde_json::from_str(&site.read("datos/catalogo.jsonld")).expect("catalogue");
    assert_eq!(
        catalogue["dcat:dataset"][0]["dct:modified"]["@value"],
        "2018-08-02"
    );
    use calamine::{Reader, Xlsx};
    let bytes = std::fs::read(site.out("datos/cifras.xlsx")).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let cover = book.worksheet_range("Acerca de").unwrap();
    let lines: Vec<String> = cover.rows().map(|r| format!("{}|{}", r[0], r[1])).collect();
    assert!(
        lines.contains(&"Corrección|2018-07-31: Ica tenía 2 barrios, no 3 <b>.".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"Corrección|2018-08-02: Una tilde. (corrección menor)".to_string()),
        "{lines:?}"
    );
}

#[test]
fn a_dataset_correction_in_the_future_is_an_error_at_its_line_until_its_day() {
    let site = Site::new().with("content/datos/cifras.csv", "n\n1\n").with(
        "content/datos/cifras.yaml",
        "titulo: Cifras\ncorrecciones:\n  - {fecha: 2026-01-02, texto: Mañana.}\n",
    );
    let at = |instant: &str| {
        let mut o = site.options();
        o.now = Some(instant.parse().expect("timestamp"));
        boletin::build(&o)
    };
    let errors: Vec<String> = at("2026-01-02T04:59:59Z")
        .expect_err("the day has not begun in Lima")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        vec![
            "error: content/datos/cifras.yaml:3:13: la corrección del 2 de enero de 2026 es una fecha futura: anote la corrección el día en que la hace"
        ]
    );
    at("2026-01-02T05:00:00Z").expect("its day in Lima");
    let page = site.read("datos/cifras/index.html");
    assert!(page.contains("\"dateModified\":\"2026-01-02\""), "{page}");
}

#[test]
fn corrections_in_the_metadatos_sheet_are_sent_to_the_sidecar() {
    let site = Site::new();
    site.write_bytes(
        "content/datos/d.xlsx",
        &workbook(("campo", "valor"), &[("correcciones", "2018-08-02: x")]),
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/d.xlsx:metadatos!A2: `correcciones` no se puede escribir en la hoja `metadatos`: escríbalo en `content/datos/d.yaml` (un archivo .yaml junto al libro, con el mismo nombre y sin `filas`) y borre esta fila"
        ]
    );
}
