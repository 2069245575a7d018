//! A dataset value behind a shortcode's problem is named at its own place (issue 22 item 5,
//! issue 25 item 2), and a number in quotes in a column of numbers is that number (issue 25
//! item 1, for generic datasets as for the fixed schemas).

use crate::harness::Site;
use rust_xlsxwriter::Workbook;

const CALL: &str = "{{ grafico(datos=\"cifras\", x=\"nombre\", y=\"barrios\") }}";

fn site_with(file: &str, text: &str) -> Site {
    Site::new()
        .with(file, text)
        .bulletin("a.md", "A", "2024-01-01", &format!("Texto.\n\n{CALL}\n"))
}

fn expected(cell: &str) -> Vec<String> {
    vec![format!(
        "error: content/boletines/a.md:7:40: la columna `barrios` de `cifras` debe tener números para poder graficarla o sumarla, pero en {cell} dice `dos`: escriba allí la cifra (`3`, `1.5`) o deje la celda vacía si no hay dato"
    )]
}

#[test]
fn a_chart_over_a_word_names_its_yaml_line_and_column() {
    let site = site_with(
        "content/datos/cifras.yaml",
        "filas:\n  - {nombre: Lima, barrios: 20}\n  - {nombre: Ica, barrios: dos}\n",
    );
    assert_eq!(site.errors(), expected("content/datos/cifras.yaml:3:28"));
}

#[test]
fn a_chart_over_a_word_names_its_csv_line_and_column() {
    let site = site_with(
        "content/datos/cifras.csv",
        "nombre,barrios\nLima,20\nIca,dos\n",
    );
    assert_eq!(site.errors(), expected("content/datos/cifras.csv:3:5"));
}

#[test]
fn a_sum_over_a_word_names_its_workbook_cell() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Hoja").unwrap();
    for (r, (name, n)) in [("nombre", "barrios"), ("Lima", ""), ("Ica", "dos")]
        .iter()
        .enumerate()
    {
        sheet.write(r as u32, 0, *name).unwrap();
        if r == 1 {
            sheet.write(1, 1, 20).unwrap();
        } else {
            sheet.write(r as u32, 1, *n).unwrap();
        }
    }
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2024-01-01",
        "Hay {{ cifra(datos=\"cifras\", suma=\"barrios\") }} barrios.\n",
    );
    site.write_bytes("content/datos/cifras.xlsx", &book.save_to_buffer().unwrap());
    assert_eq!(
        site.errors(),
        vec![
            "error: content/boletines/a.md:5:30: la columna `barrios` de `cifras` debe tener números para poder graficarla o sumarla, pero en content/datos/cifras.xlsx:Hoja!B3 dice `dos`: escriba allí la cifra (`3`, `1.5`) o deje la celda vacía si no hay dato"
        ]
    );
}

#[test]
fn a_quoted_number_in_a_column_of_numbers_is_that_number_and_a_leading_zero_is_not() {
    let site = Site::new()
        .with(
            "content/datos/cifras.yaml",
            "total: {barrios: 27.5}\nfilas:\n  - {nombre: Lima, barrios: 20}\n  - {nombre: Ica, barrios: \"3\"}\n  - {nombre: Piura, barrios: \"4.5\"}\n",
        )
        .bulletin(
            "a.md",
            "A",
            "2024-01-01",
            "Hay {{ cifra(datos=\"cifras\", suma=\"barrios\", decimales=1) }} barrios.\n",
        );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("<span class=\"cifra\">27.5</span>"), "{html}");
    let json: serde_json::Value = serde_json::from_str(&site.read("datos/cifras.json")).unwrap();
    assert_eq!(json["filas"][1]["barrios"], 3);
    assert_eq!(json["filas"][2]["barrios"], 4.5);
    let zeros = Site::new().with(
        "content/datos/cifras.yaml",
        "filas:\n  - {nombre: Lima, barrios: 20}\n  - {nombre: Ica, barrios: 3}\n  - {nombre: Piura, barrios: \"04\"}\n",
    );
    assert_eq!(
        zeros.errors(),
        vec![
            "error: content/datos/cifras.yaml:4:30: `barrios` es una columna de números, pero esta celda dice `04`, que es un texto y no entra en sumas, totales ni gráficos: escriba la cifra sin comillas (`3`, `1.5`) o deje la celda vacía si no hay dato"
        ]
    );
}
