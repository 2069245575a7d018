//! The barrios workbook `init` writes, `content/datos/barrios.xlsx`: the example site's own
//! barrios (`content/datos/barrios.yaml`, converted from `../shared/data`, every fact with
//! its source there), one row each, in the columns a spreadsheet can hold. Nothing is made
//! up: a field the example does not give stays empty. The metadata (title, source, licence,
//! coverage) goes in the sidecar `barrios.yaml` [`SIDECAR`], and the workbook's creation
//! date is fixed, so the same binary writes the same bytes.

use crate::source::SourceFile;
use crate::yaml::{self, Node, Value};

/// The example's barrios, embedded.
const EXAMPLE: &str = include_str!("../../content/datos/barrios.yaml");

/// The columns written, in order (a barrio's `fuentes` and `fotos` are lists of records,
/// which a cell cannot hold: the sidecar says where the sources are).
const COLUMNS: &[&str] = &[
    "id",
    "nombre",
    "territorio",
    "provincia",
    "distrito",
    "cohorte",
    "fecha_lanzamiento",
];

/// The sidecar with the workbook's metadata.
pub const SIDECAR: &str = "# Los datos de `barrios.xlsx`: la hoja «Barrios» tiene una fila por barrio.\n\
titulo: Barrios Seguros con información pública\n\
fuente: Fuentes públicas citadas en el sitio de ejemplo de boletin\n\
licencia: Hechos citados de fuentes públicas\n\
nota: \"Lista PARCIAL: solo los barrios que se pudieron verificar en fuentes públicas; no es la lista oficial. Cambie estas filas por las suyas.\"\n\
cobertura:\n  tipo: parcial\n  unidad: barrios con fuente pública\n";

/// The workbook's bytes.
pub fn workbook() -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let rows = example_rows()?;
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2018, 7, 31).map_err(e)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    sheet.set_name("Barrios").map_err(e)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (j, name) in COLUMNS.iter().enumerate() {
        sheet
            .write_with_format(0, j as u16, *name, &bold)
            .map_err(e)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(e)?;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (j, value) in row.iter().enumerate() {
            let c = j as u16;
            match value {
                Some(Value::Int(n)) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                Some(Value::Float(x, _)) => sheet.write_number(r, c, *x).map(|_| ()),
                Some(Value::Str(s)) => match crate::format::parse_date(s) {
                    Some(d) if COLUMNS[j] == "fecha_lanzamiento" => {
                        let d = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )
                        .map_err(e)?;
                        sheet
                            .write_datetime_with_format(r, c, &d, &date)
                            .map(|_| ())
                    }
                    _ => sheet.write_string(r, c, s).map(|_| ()),
                },
                _ => Ok(()),
            }
            .map_err(e)?;
        }
    }
    sheet.autofit();
    book.save_to_buffer().map_err(e)
}

/// Each barrio of the example as the values of [`COLUMNS`].
fn example_rows() -> Result<Vec<Vec<Option<Value>>>, String> {
    let file = SourceFile::new("content/datos/barrios.yaml", EXAMPLE);
    let root = yaml::parse(&file, &file.text, 1).map_err(|d| d.to_string())?;
    let Value::Map(entries) = root.value else {
        return Err("barrios.yaml: se esperaba un mapa".into());
    };
    let rows = entries
        .into_iter()
        .find(|(k, _)| k.key_is("filas"))
        .map(|(_, v)| v.value);
    let Some(Value::Seq(rows)) = rows else {
        return Err("barrios.yaml: faltan las filas".into());
    };
    Ok(rows
        .iter()
        .map(|row| COLUMNS.iter().map(|c| lookup(row, c)).collect())
        .collect())
}

/// The scalar at a dotted path of a row.
fn lookup(node: &Node, path: &str) -> Option<Value> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let (_, v) = entries.iter().find(|(k, _)| k.key_is(head))?;
    match rest {
        Some(r) => lookup(v, r),
        None => match &v.value {
            Value::Seq(_) | Value::Map(_) => None,
            other => Some(other.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_holds_every_example_barrio_and_the_same_bytes_each_time() {
        let rows = example_rows().unwrap();
        assert_eq!(rows.len(), EXAMPLE.matches("\n  - id: ").count());
        assert!(rows.iter().all(|r| r[0].is_some() && r[1].is_some()));
        assert_eq!(workbook().unwrap(), workbook().unwrap());
    }
}
