//! Spreadsheets as datasets: CSV, XLSX and ODS read into the same rows as YAML, every problem
//! at its cell, private columns dropped, files that are not data warned about.

use crate::harness::Site;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::io::Write;

const TERRITORIOS: &str = "filas:\n  - {id: lima-metropolitana, nombre: Lima Metropolitana, ubigeo: \"15\"}\n  - {id: ica, nombre: Ica, ubigeo: \"11\"}\n";

fn with_territories() -> Site {
    Site::new().with("content/datos/territorios.yaml", TERRITORIOS)
}

fn json_rows(site: &Site, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&site.read(&format!("datos/{id}.json"))).expect("json");
    json["filas"].clone()
}

fn warnings(site: &Site) -> Vec<String> {
    let summary = site.build().unwrap_or_else(|d| panic!("{d:#?}"));
    summary.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn csv_as_excel_saves_it_bom_crlf_semicolons_and_a_quoted_newline() {
    let csv =
        "\u{feff}nombre;barrios;nota\r\nLima;1.234,5;\"dos\r\nlíneas; y punto\"\r\nIca;7;\r\n\r\n";
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            "titulo: T\nurl_base: https://example.org/\nidioma: es-ES\n",
        )
        .with("content/datos/cifras.csv", csv)
        .with(
            "content/datos/cifras.yaml",
            "titulo: Cifras\nfuente: INEI\n",
        );
    site.build_ok();
    assert_eq!(
        json_rows(&site, "cifras"),
        serde_json::json!([
            {"nombre": "Lima", "barrios": 1234.5, "nota": "dos\nlíneas; y punto"},
            {"nombre": "Ica", "barrios": 7, "nota": null},
        ])
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("datos/cifras.json")).expect("json");
    assert_eq!(json["titulo"], "Cifras");
    assert_eq!(json["fuente"], "INEI");
}

#[test]
fn csv_with_commas_and_the_peruvian_way_of_writing_numbers() {
    let csv = "nombre,barrios,codigo\nLima,\"1,234.5\",01\nIca,12,02\n";
    let site = Site::new().with("content/datos/cifras.csv", csv);
    site.build_ok();
    assert_eq!(
        json_rows(&site, "cifras"),
        serde_json::json!([
            {"nombre": "Lima", "barrios": 1234.5, "codigo": "01"},
            {"nombre": "Ica", "barrios": 12, "codigo": "02"},
        ])
    );
}

#[test]
fn a_windows_1252_csv_is_refused_with_the_csv_utf8_advice() {
    let site = Site::new().with("content/datos/cifras.csv", "nombre,n\nLima,1\n");
    site.write_bytes("content/datos/cifras.csv", b"nombre,n\nA\xf1o,1\n");
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/cifras.csv:2:2: el archivo CSV no está en UTF-8 (el «CSV» de Excel se guarda en Windows-1252 y las tildes se pierden): en Excel use Archivo › Guardar como › «CSV UTF-8 (delimitado por comas)»; en LibreOffice, el juego de caracteres «Unicode (UTF-8)»"
        ]
    );
}

#[test]
fn csv_problems_are_all_at_their_line_and_column() {
    let csv = "nombre,barrios,,barrios\nLima,\"1.234,5\",x,3\n\"Ica\nsur\",2,,,9\n";
    let site = Site::new().with("content/datos/cifras.csv", csv);
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/cifras.csv:1:16: columna sin nombre en la primera fila: escriba el nombre del campo (la primera fila nombra los campos) o borre la columna",
            "error: content/datos/cifras.csv:1:17: la columna `barrios` ya está en la línea 1, columna 8: cada campo se nombra una sola vez en la primera fila",
            "error: content/datos/cifras.csv:2:6: `1.234,5` parece un número pero no está escrito como este sitio los escribe: use `1234.5` o `1,234.5`, sin espacios ni otros signos",
            "error: content/datos/cifras.csv:4:10: esta celda tiene un valor pero su columna no tiene nombre en la primera fila: escriba el nombre del campo en la primera fila o borre el valor",
        ]
    );
}

/// A barrios workbook: dotted `ubicacion`, a `;` list, a private column, a date cell.
fn barrios_xlsx(extra: impl Fn(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Barrios").unwrap();
    let header = [
        "id",
        "nombre",
        "territorio",
        "cohorte",
        "fecha_lanzamiento",
        "ubicacion.lat",
        "ubicacion.lon",
        "sectores",
        "privado.nota",
    ];
    for (j, h) in header.iter().enumerate() {
        sheet.write(0, j as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write(1, 0, "san-clemente").unwrap();
    sheet.write(1, 1, "San Clemente").unwrap();
    sheet.write(1, 2, "ica").unwrap();
    sheet.write(1, 3, 2018).unwrap();
    let d = ExcelDateTime::from_ymd(2018, 7, 1).unwrap();
    sheet.write_datetime_with_format(1, 4, &d, &date).unwrap();
    sheet.write(1, 5, -13.67).unwrap();
    sheet.write(1, 6, -76.2).unwrap();
    sheet.write(1, 7, "Sector 1; Sector 2").unwrap();
    sheet.write(1, 8, "SENTINELA-PRIVADO").unwrap();
    sheet.write(2, 0, "la-victoria").unwrap();
    sheet.write(2, 1, "La Victoria").unwrap();
    sheet.write(2, 2, "lima-metropolitana").unwrap();
    extra(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_dataset_reads_typed_cells_nested_fields_lists_and_drops_private_columns() {
    let site = with_territories().with(
        "content/datos/barrios.yaml",
        "titulo: Barrios\nfuente: Mininter\n",
    );
    site.write_bytes("content/datos/barrios.xlsx", &barrios_xlsx(|_| {}));
    site.build_ok();
    assert_eq!(
        json_rows(&site, "barrios"),
        serde_json::json!([
            {"id": "san-clemente", "nombre": "San Clemente", "territorio": "ica", "cohorte": 2018,
             "fecha_lanzamiento": "2018-07-01", "ubicacion": {"lat": -13.67, "lon": -76.2},
             "sectores": ["Sector 1", "Sector 2"]},
            {"id": "la-victoria", "nombre": "La Victoria", "territorio": "lima-metropolitana",
             "cohorte": null, "fecha_lanzamiento": null, "ubicacion": null, "sectores": null},
        ])
    );
    assert!(
        site.read("barrios/san-clemente/index.html")
            .contains("Sector 2")
    );
    site.assert_nowhere("SENTINELA-PRIVADO");
}

#[test]
fn workbook_problems_are_all_at_their_cell() {
    let bytes = barrios_xlsx(|s| {
        s.write(3, 0, "sin-nombre").unwrap();
        s.write(3, 2, "ica").unwrap();
        s.write(3, 3, "dos mil").unwrap();
        s.write(0, 9, "id").unwrap();
        s.merge_range(0, 10, 0, 11, "fotos", &Format::new())
            .unwrap();
        s.write_formula(4, 0, Formula::new("=A2").set_result(""))
            .unwrap();
    });
    let site = with_territories();
    site.write_bytes("content/datos/barrios.xlsx", &bytes);
    let errors = site.errors();
    let expected = [
        "error: content/datos/barrios.xlsx:Barrios!J1: la columna `id` ya está en A1: cada campo se nombra una sola vez en la primera fila",
        "error: content/datos/barrios.xlsx:Barrios!K1: celda combinada en la primera fila: separe las celdas (Inicio › Combinar y centrar › Separar celdas) y dé a cada columna su propio nombre",
    ];
    for e in expected {
        assert!(errors.iter().any(|x| x == e), "{e}\nnot in {errors:#?}");
    }
    // Once the header is fixed, each row's problems are at their cells.
    let bytes = barrios_xlsx(|s| {
        s.write(3, 0, "sin-nombre").unwrap();
        s.write(3, 2, "ica").unwrap();
        s.write(3, 3, "dos mil").unwrap();
    });
    site.write_bytes("content/datos/barrios.xlsx", &bytes);
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/barrios.xlsx:Barrios!A4: falta el campo obligatorio `nombre`",
            "error: content/datos/barrios.xlsx:Barrios!D4: el campo `cohorte` debe ser un número entero",
        ]
    );
}

#[test]
fn a_number_cell_for_a_code_that_keeps_its_zeros_is_an_error() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Territorios").unwrap();
    for (j, h) in ["id", "nombre", "ubigeo"].iter().enumerate() {
        sheet.write(0, j as u16, *h).unwrap();
    }
    sheet.write(1, 0, "callao").unwrap();
    sheet.write(1, 1, "Callao").unwrap();
    sheet.write(1, 2, 7).unwrap();
    sheet.write(2, 0, "ica").unwrap();
    sheet.write(2, 1, "Ica").unwrap();
    sheet.write(2, 2, "11").unwrap();
    let site = Site::new();
    site.write_bytes(
        "content/datos/territorios.xlsx",
        &book.save_to_buffer().unwrap(),
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/territorios.xlsx:Territorios!C2: `ubigeo` es un código que puede empezar con ceros, pero esta celda es un número (el cero inicial ya se perdió): dé a la columna formato de texto y escriba el código de nuevo"
        ]
    );
}

#[test]
fn metadatos_sheet_hoja_and_other_sheets() {
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notas").unwrap();
    notes.write(0, 0, "borrador").unwrap();
    let data = book.add_worksheet();
    data.set_name("Cifras 2018").unwrap();
    data.write(0, 0, "nombre").unwrap();
    data.write(0, 1, "barrios").unwrap();
    data.write(0, 2, "dni").unwrap();
    data.write(1, 0, "Lima").unwrap();
    data.write(1, 1, 20).unwrap();
    data.write(1, 2, "SENTINELA-DNI").unwrap();
    data.write(2, 0, "Ica").unwrap();
    data.write(2, 1, 10).unwrap();
    let meta = book.add_worksheet();
    meta.set_name("metadatos").unwrap();
    for (i, (k, v)) in [
        ("campo", "valor"),
        ("titulo", "Cifras"),
        ("fuente", "INEI"),
        ("campos_privados", "dni"),
    ]
    .iter()
    .enumerate()
    {
        meta.write(i as u32, 0, *k).unwrap();
        meta.write(i as u32, 1, *v).unwrap();
    }
    meta.write(4, 0, "total.barrios").unwrap();
    meta.write(4, 1, 31).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let site = Site::new().with("content/datos/cifras.yaml", "hoja: Cifras 2018\n");
    site.write_bytes("content/datos/cifras.xlsx", &bytes);
    assert_eq!(
        site.errors(),
        vec![
            "aviso: content/datos/cifras.xlsx: solo se leen las filas de la hoja `Cifras 2018`; no se leen `Notas`: para leer otra hoja, escriba `hoja: NOMBRE` en el archivo .yaml del mismo nombre",
            "error: content/datos/cifras.xlsx:metadatos!B5: el total de `barrios` no cuadra: total declarado 31, suma de las filas 30 (filas de las líneas 2 a 3): revise esas filas antes de cambiar el total",
        ]
    );
    site.write("content/datos/cifras.yaml", "hoja: Notas\n");
    assert!(site.errors().iter().any(|e| e.contains("metadatos!B5")));
    site.write("content/datos/cifras.yaml", "hoja: Cifras\n");
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/cifras.xlsx: el libro no tiene la hoja `Cifras` que pide `hoja`: sus hojas son `Notas`, `Cifras 2018`, `metadatos`"
        ]
    );
    std::fs::remove_file(site.root().join("content/datos/cifras.yaml")).unwrap();
    let mut book = Workbook::new();
    let data = book.add_worksheet();
    data.set_name("Cifras").unwrap();
    data.write(0, 0, "nombre").unwrap();
    data.write(1, 0, "Lima").unwrap();
    book.add_worksheet().set_name("Notas").unwrap();
    site.write_bytes("content/datos/cifras.xlsx", &book.save_to_buffer().unwrap());
    assert_eq!(
        warnings(&site),
        vec![
            "aviso: content/datos/cifras.xlsx: solo se leen las filas de la hoja `Cifras`; no se leen `Notas`: para leer otra hoja, escriba `hoja: NOMBRE` en el archivo .yaml del mismo nombre"
        ]
    );
}

#[test]
fn private_columns_of_a_spreadsheet_reach_no_file() {
    let csv =
        "nombre,barrios,privado.nota,dni,Privado\nLima,3,SENTINELA-A,SENTINELA-B,SENTINELA-C\n";
    let site = Site::new()
        .with(
            "content/sitio.yaml",
            "titulo: T\nurl_base: https://example.org/\ncampos_privados: [dni]\n",
        )
        .with("content/datos/cifras.csv", csv)
        .bulletin(
            "a.md",
            "A",
            "2024-01-01",
            "{{ tabla(datos=\"cifras\") }}\n\n{{ cifra(datos=\"cifras\", suma=\"barrios\") }}\n",
        );
    site.build_ok();
    for s in ["SENTINELA-A", "SENTINELA-B", "SENTINELA-C"] {
        site.assert_nowhere(s);
    }
    assert!(site.read("datos/cifras.csv").contains("Lima"));
}

/// A one-sheet ODS (the smallest file LibreOffice and calamine read): rows of texts and
/// numbers.
fn ods(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for cell in *row {
            if cell.parse::<f64>().is_ok() {
                table.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{cell}\"><text:p>{cell}</text:p></table:table-cell>"
                ));
            } else {
                table.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
                ));
            }
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"{sheet}\">{table}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn an_ods_dataset_and_its_problems_at_the_cell() {
    let site = Site::new();
    site.write_bytes(
        "content/datos/cifras.ods",
        &ods(
            "Hoja1",
            &[&["nombre", "barrios"], &["Lima", "20"], &["Ica", "10.5"]],
        ),
    );
    site.build_ok();
    assert_eq!(
        json_rows(&site, "cifras"),
        serde_json::json!([{"nombre": "Lima", "barrios": 20}, {"nombre": "Ica", "barrios": 10.5}])
    );
    site.write_bytes(
        "content/datos/cifras.ods",
        &ods("Hoja1", &[&["nombre", "nombre"], &["Lima", "20"]]),
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/cifras.ods:Hoja1!B1: la columna `nombre` ya está en A1: cada campo se nombra una sola vez en la primera fila"
        ]
    );
}

#[test]
fn two_files_for_one_dataset_is_an_error_naming_both() {
    let site = Site::new()
        .with("content/datos/cifras.csv", "nombre\nLima\n")
        .with("content/datos/cifras.yaml", "filas:\n  - nombre: Ica\n");
    assert_eq!(
        site.errors(),
        vec![
            "error: content/datos/cifras.yaml: dos archivos dan filas al conjunto de datos `cifras`: `content/datos/cifras.csv`, `content/datos/cifras.yaml`; deje las filas en uno solo (un .yaml junto a una hoja de cálculo solo puede tener metadatos, sin `filas`)"
        ]
    );
}

#[test]
fn files_that_are_not_data_are_warned_about_and_lock_files_skipped() {
    let site = Site::new()
        .with("content/datos/informe.docx", "x")
        .with("content/datos/~$cifras.xlsx", "lock")
        .with("content/datos/LEEME.md", "notas");
    assert_eq!(
        warnings(&site),
        vec![
            "aviso: content/datos/informe.docx: boletin no lee este archivo: los datos son archivos .yaml, .csv, .xlsx u .ods (y el mapa que nombra `mapa`); si no es un dato, sáquelo de `content/datos/`"
        ]
    );
}

#[test]
fn a_shortcode_over_a_spreadsheet_column() {
    let site = Site::new()
        .with("content/datos/cifras.csv", "nombre,barrios\nLima,20\nIca,10\n")
        .bulletin(
            "a.md",
            "A",
            "2024-01-01",
            "Hay {{ cifra(datos=\"cifras\", suma=\"barrios\") }} barrios.\n\n{{ grafico(datos=\"cifras\", x=\"nombre\", y=\"barrios\") }}\n",
        );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("<span class=\"cifra\">30</span>"), "{html}");
}

#[test]
fn the_xlsx_download_has_a_cover_and_typed_data_and_the_same_bytes_every_build() {
    use calamine::{Data, Reader};
    let site = Site::new()
        .with(
            "content/datos/cifras.yaml",
            "titulo: Cifras\nfuente: INEI\nlicencia: CC BY 4.0\nactualizado: 2018-07-31\nfilas:\n  - {nombre: Lima, barrios: 9, ubicacion: {lat: -12.05, lon: -77.04}, privado: SENTINELA-X}\n  - {nombre: \"=1+1\", barrios: 2.5}\n",
        );
    site.build_ok();
    let bytes = std::fs::read(site.out("datos/cifras.xlsx")).expect("xlsx");
    site.build_ok();
    assert_eq!(std::fs::read(site.out("datos/cifras.xlsx")).unwrap(), bytes);
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Acerca de", "Datos"]);
    let cover = book.worksheet_range("Acerca de").unwrap();
    let cover: Vec<String> = cover.rows().map(|r| r[1].to_string()).collect();
    assert_eq!(
        cover,
        vec![
            "Cifras",
            "INEI",
            "CC BY 4.0",
            "2018-07-31",
            "—",
            "https://example.org/sub/datos/cifras/"
        ]
    );
    let data = book.worksheet_range("Datos").unwrap();
    let rows: Vec<Vec<Data>> = data.rows().map(|r| r.to_vec()).collect();
    assert_eq!(
        rows,
        vec![
            vec![
                Data::String("nombre".into()),
                Data::String("barrios".into()),
                Data::String("ubicacion.lat".into()),
                Data::String("ubicacion.lon".into()),
            ],
            vec![
                Data::String("Lima".into()),
                Data::Float(9.0),
                Data::Float(-12.05),
                Data::Float(-77.04),
            ],
            vec![
                Data::String("=1+1".into()),
                Data::Float(2.5),
                Data::Empty,
                Data::Empty,
            ],
        ]
    );
    site.assert_nowhere("SENTINELA-X");
    assert!(site.read("datos/index.html").contains("datos/cifras.xlsx"));
}

#[test]
fn hidden_rows_and_columns_of_an_xlsx_are_warned_about() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Hoja").unwrap();
    for (r, (a, b, c)) in [
        ("nombre", "barrios", "nota"),
        ("Lima", "9", "x"),
        ("Ica", "2", "y"),
    ]
    .iter()
    .enumerate()
    {
        sheet.write(r as u32, 0, *a).unwrap();
        sheet.write(r as u32, 1, *b).unwrap();
        sheet.write(r as u32, 2, *c).unwrap();
    }
    sheet.set_row_hidden(2).unwrap();
    sheet.set_column_hidden(2).unwrap();
    let site = Site::new();
    site.write_bytes("content/datos/cifras.xlsx", &book.save_to_buffer().unwrap());
    assert_eq!(
        warnings(&site),
        vec![
            "aviso: content/datos/cifras.xlsx:Hoja!A3: la hoja `Hoja` tiene filas ocultas (3) y columnas ocultas (C): boletin las lee y las publica como las demás; muéstrelas para revisar lo que se publicará, o bórrelas si no deben publicarse"
        ]
    );
    // Read and published all the same.
    assert!(site.read("datos/cifras.csv").contains("Ica,2,y"));
}

#[test]
fn the_ods_download_reads_back_as_the_data_with_the_same_bytes_every_build() {
    use calamine::{Data, Reader};
    let site = Site::new().with(
        "content/datos/cifras.yaml",
        "titulo: Cifras <&>\nactualizado: 2018-07-31\nfilas:\n  - {nombre: Lima, barrios: 9, activo: true, desde: 2016-10-31, ubicacion: {lat: -12.05, lon: -77.04}, privado: SENTINELA-ODS}\n  - {nombre: \"=1+1 & <b>\", barrios: 2.5}\n",
    );
    site.build_ok();
    let bytes = std::fs::read(site.out("datos/cifras.ods")).expect("ods");
    site.build_ok();
    assert_eq!(std::fs::read(site.out("datos/cifras.ods")).unwrap(), bytes);
    site.assert_nowhere("SENTINELA-ODS");
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Acerca de", "Datos"]);
    let cover = book.worksheet_range("Acerca de").unwrap();
    assert_eq!(
        cover.get_value((0, 1)),
        Some(&Data::String("Cifras <&>".into()))
    );
    assert_eq!(
        cover.get_value((5, 1)),
        Some(&Data::String(
            "https://example.org/sub/datos/cifras/".into()
        ))
    );
    let data = book.worksheet_range("Datos").unwrap();
    let rows: Vec<Vec<Data>> = data.rows().map(|r| r.to_vec()).collect();
    assert_eq!(
        rows[0],
        [
            "nombre",
            "barrios",
            "activo",
            "desde",
            "ubicacion.lat",
            "ubicacion.lon"
        ]
        .map(|s| Data::String(s.into()))
    );
    assert_eq!(rows[1][1], Data::Float(9.0));
    assert_eq!(rows[1][2], Data::Bool(true));
    // A YAML date is text in the data (as in the CSV); a workbook's date cell stays a date.
    assert_eq!(rows[1][3], Data::String("2016-10-31".into()));
    assert_eq!(rows[1][4], Data::Float(-12.05));
    assert_eq!(rows[2][0], Data::String("=1+1 & <b>".into()));
    assert_eq!(rows[2][1], Data::Float(2.5));
}
