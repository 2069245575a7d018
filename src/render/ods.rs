//! The `/datos/<id>.ods` download, for LibreOffice users: the same two sheets as the XLSX
//! («Acerca de» and «Datos»), with numbers, dates and booleans as typed cells. An ODS is a
//! zip of XML; the well-kept ODS writer on crates.io (spreadsheet-ods 1.0) brings a dozen
//! crates (chrono, nom, string_cache…) and a third zip version for what is here a table of
//! cells, so it is written directly with the zip crate calamine already uses. The zip entries carry a fixed time, so the same
//! data gives the same bytes. Every text is escaped for XML by `html::escape`.

use super::opendata::{cell_text, flat_cells};
use crate::data::{Cell, CellValue, Dataset};
use crate::html::escape;
use std::io::Write;

/// The ODS bytes of a dataset; `page_url` is its page's address, for the cover sheet.
pub fn ods(ds: &Dataset, page_url: &str) -> Result<Vec<u8>, String> {
    let m = &ds.meta;
    let title = m.title.clone().unwrap_or_else(|| ds.id.clone());
    let mut content = String::from(HEAD);
    content.push_str("<table:table table:name=\"Acerca de\">");
    let lines = [
        ("Título", Some(title)),
        ("Fuente", m.source.clone()),
        ("Licencia", m.licence.clone()),
        ("Actualizado", m.updated.map(crate::format::iso_date)),
        ("Nota", m.note.clone()),
        ("Dirección", Some(page_url.to_string())),
    ];
    for (label, value) in &lines {
        content.push_str("<table:table-row>");
        text_cell(&mut content, label);
        text_cell(&mut content, value.as_deref().unwrap_or("—"));
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table><table:table table:name=\"Datos\">");
    let rows: Vec<Vec<(String, &Cell)>> = ds.rows.iter().map(|r| flat_cells(&r.fields)).collect();
    let mut columns: Vec<String> = Vec::new();
    for (k, _) in rows.iter().flatten() {
        if !columns.contains(k) {
            columns.push(k.clone());
        }
    }
    content.push_str("<table:table-row>");
    for c in &columns {
        text_cell(&mut content, c);
    }
    content.push_str("</table:table-row>");
    for row in &rows {
        content.push_str("<table:table-row>");
        for c in &columns {
            match row.iter().find(|(k, _)| k == c) {
                Some((_, cell)) => typed_cell(&mut content, cell),
                None => content.push_str("<table:table-cell/>"),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    zipped(&content).map_err(|e| e.to_string())
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
    xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
    xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
    xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
    <office:body><office:spreadsheet>";

const MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
    xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
    <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" \
    manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
    <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
    </manifest:manifest>";

fn text_cell(out: &mut String, text: &str) {
    out.push_str("<table:table-cell office:value-type=\"string\"><text:p>");
    out.push_str(&escape(text));
    out.push_str("</text:p></table:table-cell>");
}

fn typed_cell(out: &mut String, cell: &Cell) {
    let (kind, attribute, value) = match &cell.value {
        CellValue::Null => {
            out.push_str("<table:table-cell/>");
            return;
        }
        CellValue::Int(i) => ("float", "office:value", i.to_string()),
        CellValue::Number(x, _) => ("float", "office:value", format!("{x}")),
        CellValue::Bool(b) => ("boolean", "office:boolean-value", b.to_string()),
        CellValue::Date(d) => ("date", "office:date-value", crate::format::iso_date(*d)),
        _ => return text_cell(out, &cell_text(cell)),
    };
    out.push_str(&format!(
        "<table:table-cell office:value-type=\"{kind}\" {attribute}=\"{value}\"><text:p>{value}</text:p></table:table-cell>"
    ));
}

/// The zip: `mimetype` first and stored, as ODF requires, then the manifest and content.
fn zipped(content: &str) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let fixed = SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    let stored = fixed.compression_method(zip::CompressionMethod::Stored);
    let deflated = fixed.compression_method(zip::CompressionMethod::Deflated);
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(MANIFEST.as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content.as_bytes())?;
    zip.finish()?;
    Ok(buf.into_inner())
}
