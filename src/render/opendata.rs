//! Open data: `/datos/<id>.csv`, `/datos/<id>.json`, `/datos/<id>.xlsx` and the view of each dataset that the
//! `/datos/` page and templates (`datos.<id>`) use.
//!
//! CSV choices, for spreadsheets set to Spanish: UTF-8 with a BOM (without it Excel reads
//! the accents of "Áncash" as mojibake), comma separator and `.` decimals as RFC 4180 and
//! Peru's own locale (es-PE) use, CRLF line ends, a header row. Nested values are flattened:
//! a map becomes `campo.subcampo` columns, a list of texts is joined with ` | `, anything
//! deeper is written as JSON in its cell.

use crate::data::{Cell, CellValue, Data, Dataset, Field};
use crate::format::long_date;
use serde::Serialize;

/// A dataset as templates and the JSON download see it.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetView {
    id: String,
    titulo: String,
    descripcion: Option<String>,
    fuente: Option<String>,
    nota: Option<String>,
    licencia: Option<String>,
    actualizado: Option<String>,
    actualizado_legible: Option<String>,
    total: serde_json::Map<String, serde_json::Value>,
    columnas: Vec<String>,
    filas_total: usize,
    url_csv: String,
    url_json: String,
    filas: Vec<serde_json::Value>,
}

impl DatasetView {
    /// The dataset id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The view of one dataset; URLs start with the site's base path.
pub fn view(ds: &Dataset, base: &str) -> DatasetView {
    let m = &ds.meta;
    DatasetView {
        id: ds.id.clone(),
        titulo: m.title.clone().unwrap_or_else(|| ds.id.clone()),
        descripcion: m.description.clone(),
        fuente: m.source.clone(),
        nota: m.note.clone(),
        licencia: m.licence.clone(),
        actualizado: m.updated.map(|d| d.to_string()),
        actualizado_legible: m.updated.map(long_date),
        total: m
            .totals
            .iter()
            .map(|(k, v)| (k.clone(), json_number(v.value)))
            .collect(),
        columnas: ds.columns.clone(),
        filas_total: ds.rows.len(),
        url_csv: format!("{base}datos/{}.csv", ds.id),
        url_json: format!("{base}datos/{}.json", ds.id),
        filas: ds.rows.iter().map(|r| r.to_json()).collect(),
    }
}

/// Every dataset, sorted by id.
pub fn views(data: &Data, base: &str) -> Vec<DatasetView> {
    data.datasets.values().map(|d| view(d, base)).collect()
}

fn json_number(x: f64) -> serde_json::Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        serde_json::Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// The JSON download: metadata and rows.
pub fn json(view: &DatasetView) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(view).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The CSV download.
pub fn csv(ds: &Dataset) -> Vec<u8> {
    let rows: Vec<Vec<(String, String)>> = ds.rows.iter().map(|r| flatten_row(&r.fields)).collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for (k, _) in row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut out = String::from("\u{feff}");
    push_record(&mut out, columns.iter().map(String::as_str));
    for row in &rows {
        let cell = |c: &String| {
            row.iter()
                .find(|(k, _)| k == c)
                .map_or("", |(_, v)| v.as_str())
        };
        push_record(&mut out, columns.iter().map(cell));
    }
    out.into_bytes()
}

fn push_record<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let cells: Vec<String> = cells.map(quote).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// RFC 4180 quoting; cells that a spreadsheet would run as a formula get a leading `'`
/// (OWASP's list: `=`, `+`, `-`, `@`, tab and carriage return; a plain negative number is
/// left as it is).
fn quote(cell: &str) -> String {
    let guarded = if cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err())
    {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn flatten_row(fields: &[Field]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in fields {
        match &f.cell.value {
            CellValue::Map(sub) => {
                for s in sub {
                    out.push((format!("{}.{}", f.name, s.name), cell_text(&s.cell)));
                }
            }
            _ => out.push((f.name.clone(), cell_text(&f.cell))),
        }
    }
    out
}

pub(super) fn cell_text(cell: &Cell) -> String {
    match &cell.value {
        CellValue::Null => String::new(),
        CellValue::List(items) if items.iter().all(|i| i.as_text().is_some()) => items
            .iter()
            .filter_map(Cell::as_text)
            .collect::<Vec<_>>()
            .join(" | "),
        CellValue::List(_) | CellValue::Map(_) => cell.to_json().to_string(),
        _ => cell.as_text().unwrap_or_default(),
    }
}

/// The spreadsheet download, `/datos/<id>.xlsx`: a cover sheet («Acerca de»: title, source,
/// licence, update date, notes, the page's address) and the data sheet («Datos»: the CSV's
/// columns, header row frozen, numbers and dates as real cells). The creation date is fixed
/// (the update date, or 2000-01-01) and the zip entries carry rust_xlsxwriter's fixed time,
/// so the same data gives the same bytes.
pub fn xlsx(ds: &Dataset, page_url: &str) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let m = &ds.meta;
    let mut book = Workbook::new();
    let created = match m.updated {
        Some(d) => ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8),
        None => ExcelDateTime::from_ymd(2000, 1, 1),
    }
    .map_err(e)?;
    let title = m.title.clone().unwrap_or_else(|| ds.id.clone());
    book.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let cover = book.add_worksheet();
    cover.set_name("Acerca de").map_err(e)?;
    cover.set_column_width(0, 16).map_err(e)?;
    cover.set_column_width(1, 80).map_err(e)?;
    let mut lines = vec![
        ("Título", Some(title.clone())),
        ("Fuente", m.source.clone()),
        ("Licencia", m.licence.clone()),
        ("Actualizado", m.updated.map(crate::format::iso_date)),
        ("Nota", m.note.clone()),
        ("Dirección", Some(page_url.to_string())),
    ];
    lines.extend(m.corrections.iter().map(|c| {
        let minor = if c.minor { " (corrección menor)" } else { "" };
        let text = format!(
            "{}: {}{minor}",
            crate::format::iso_date(c.date.value),
            c.text
        );
        ("Corrección", Some(text))
    }));
    for (row, (label, value)) in lines.iter().enumerate() {
        cover
            .write_string_with_format(row as u32, 0, *label, &bold)
            .map_err(e)?;
        cover
            .write_string(row as u32, 1, value.as_deref().unwrap_or("—"))
            .map_err(e)?;
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name("Datos").map_err(e)?;
    let rows: Vec<Vec<(String, &Cell)>> = ds.rows.iter().map(|r| flat_cells(&r.fields)).collect();
    let mut columns: Vec<String> = Vec::new();
    for (k, _) in rows.iter().flatten() {
        if !columns.contains(k) {
            columns.push(k.clone());
        }
    }
    for (j, c) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, j as u16, c, &bold)
            .map_err(e)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(e)?;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (k, cell) in row {
            let Some(j) = columns.iter().position(|c| c == k) else {
                continue;
            };
            let j = j as u16;
            match &cell.value {
                CellValue::Null => {}
                CellValue::Int(x) => {
                    sheet.write_number(r, j, *x as f64).map_err(e)?;
                }
                CellValue::Number(x, _) => {
                    sheet.write_number(r, j, *x).map_err(e)?;
                }
                CellValue::Bool(b) => {
                    sheet.write_boolean(r, j, *b).map_err(e)?;
                }
                CellValue::Date(d) => {
                    let x =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(e)?;
                    sheet
                        .write_datetime_with_format(r, j, &x, &date)
                        .map_err(e)?;
                }
                _ => {
                    sheet.write_string(r, j, cell_text(cell)).map_err(e)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(e)
}

/// A row's cells with the CSV's column names (`ubicacion.lat`), keeping each cell's type.
pub(super) fn flat_cells(fields: &[Field]) -> Vec<(String, &Cell)> {
    let mut out = Vec::new();
    for f in fields {
        match &f.cell.value {
            CellValue::Map(sub) => {
                for s in sub {
                    out.push((format!("{}.{}", f.name, s.name), &s.cell));
                }
            }
            _ => out.push((f.name.clone(), &f.cell)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formula_guard() {
        assert_eq!(quote("Lima"), "Lima");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("di \"x\""), "\"di \"\"x\"\"\"");
        assert_eq!(quote("=1+1"), "'=1+1");
        assert_eq!(quote("-3"), "-3");
        assert_eq!(quote("\t=1+1"), "'\t=1+1");
        assert_eq!(quote("\r=1"), "\"'\r=1\"");
    }
}
