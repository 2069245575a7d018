//! Hidden rows and columns of an `.xlsx` sheet, which calamine does not expose: boletin
//! reads and publishes them like any other, so the editor is warned. The sheet's XML is
//! found through `xl/workbook.xml` and its relationships, then scanned for `hidden="1"`
//! (a SIMD substring search, so a 100,000-row sheet costs one more inflate, not a parse):
//! each hit's element, `<row r="7" …>` or `<col min="3" max="4" …>`, gives the place.
//! ODS and XLS files are not scanned (see the README).

use std::io::{Read, Seek};

/// The hidden rows (1-based) and columns (1-based) of sheet `sheet`, or `None` when the
/// workbook is not a readable `.xlsx` (calamine reports that).
pub fn xlsx(reader: impl Read + Seek, sheet: &str) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut zip = zip::ZipArchive::new(reader).ok()?;
    let path = sheet_path(&mut zip, sheet)?;
    let xml = entry(&mut zip, &path)?;
    Some(scan(&xml))
}

fn entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut file = zip.by_name(name).ok()?;
    // The sheet is capped like every data file (`MAX_FILE_MIB`, compressed); inflated XML
    // is bounded too, so a zip bomb cannot take the memory.
    let mut text = String::new();
    file.by_ref()
        .take(512 << 20)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// `xl/worksheets/sheet1.xml` for the sheet named `sheet`.
fn sheet_path<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, sheet: &str) -> Option<String> {
    let book = entry(zip, "xl/workbook.xml")?;
    let rels = entry(zip, "xl/_rels/workbook.xml.rels")?;
    let book = roxmltree::Document::parse(&book).ok()?;
    let id = book
        .descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .find(|n| n.attribute("name") == Some(sheet))?
        .attributes()
        .find(|a| a.name() == "id")?
        .value()
        .to_string();
    let rels = roxmltree::Document::parse(&rels).ok()?;
    let target = rels
        .descendants()
        .find(|n| n.has_tag_name("Relationship") && n.attribute("Id") == Some(id.as_str()))?
        .attribute("Target")?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// The rows and columns whose element carries `hidden="1"` (or `hidden="true"`).
fn scan(xml: &str) -> (Vec<usize>, Vec<usize>) {
    let (mut rows, mut cols) = (Vec::new(), Vec::new());
    for needle in ["hidden=\"1\"", "hidden=\"true\""] {
        for at in memchr::memmem::find_iter(xml.as_bytes(), needle.as_bytes()) {
            let Some(open) = xml[..at].rfind('<') else {
                continue;
            };
            let tag = &xml[open..at];
            if tag.starts_with("<row ") {
                rows.extend(attribute(tag, "r"));
            } else if tag.starts_with("<col ") {
                let (min, max) = (attribute(tag, "min"), attribute(tag, "max"));
                if let (Some(min), Some(max)) = (min, max) {
                    // A hidden range may run to the sheet's last column (16384).
                    cols.extend(min..=max.min(min + 64));
                }
            }
        }
    }
    rows.sort_unstable();
    cols.sort_unstable();
    (rows, cols)
}

/// The number in ` name="7"` within a start tag.
fn attribute(tag: &str, name: &str) -> Option<usize> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    tag[start..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_and_columns_are_found_in_the_sheet_xml() {
        let xml = r#"<worksheet><cols><col min="1" max="1" width="9"/><col min="3" max="4" hidden="1" width="0"/></cols><sheetData><row r="1"><c r="A1"/></row><row r="7" spans="1:3" hidden="1"><c r="A7"/></row></sheetData></worksheet>"#;
        assert_eq!(scan(xml), (vec![7], vec![3, 4]));
        assert_eq!(scan("<worksheet/>"), (vec![], vec![]));
    }
}
