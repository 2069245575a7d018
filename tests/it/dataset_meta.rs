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
