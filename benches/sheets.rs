//! Benchmark: read and validate a 100,000-row barrios dataset from CSV and from XLSX (with
//! 26 territories in YAML), as `load_all` does for a site. Run with `cargo bench --bench
//! sheets`. Targets (issue 22): CSV ≤ 1 s, XLSX ≤ 3 s on two cores.

use std::fmt::Write;
use std::time::Instant;

const ROWS: usize = 100_000;
const HEADER: [&str; 7] = [
    "id",
    "nombre",
    "territorio",
    "cohorte",
    "ubicacion.lat",
    "ubicacion.lon",
    "sectores",
];

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/datos")).expect("mkdir");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\n",
    )
    .expect("write");
    let mut t = String::from("filas:\n");
    for i in 0..26 {
        let _ = writeln!(t, "  - {{id: t{i}, nombre: Territorio {i}}}");
    }
    std::fs::write(root.join("content/datos/territorios.yaml"), t).expect("write");
    dir
}

fn time(label: &str, root: &std::path::Path, bytes: usize) {
    let config = boletin::config::load(root).expect("config");
    let start = Instant::now();
    let (data, diags) = boletin::data::load_all(root, &config, jiff::civil::date(2026, 1, 1));
    let seconds = start.elapsed().as_secs_f64();
    assert!(!diags.has_errors(), "{:?}", diags.iter().next());
    println!(
        "{label}: {} barrios ({} bytes) read and validated in {seconds:.3} s",
        data.records.barrios.len(),
        bytes
    );
}

fn main() {
    let csv_site = site();
    let mut csv = HEADER.join(",");
    csv.push('\n');
    for i in 0..ROWS {
        let _ = writeln!(
            csv,
            "b{i},Barrio {i},t{},{},-12.{:04},-77.{:04},Sector 1; Sector 2",
            i % 26,
            2016 + i % 3,
            i % 10_000,
            i % 9_999
        );
    }
    std::fs::write(csv_site.path().join("content/datos/barrios.csv"), &csv).expect("write");
    time("csv", csv_site.path(), csv.len());

    let xlsx_site = site();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (j, h) in HEADER.iter().enumerate() {
        sheet.write(0, j as u16, *h).expect("cell");
    }
    for i in 0..ROWS {
        let r = i as u32 + 1;
        sheet.write(r, 0, format!("b{i}")).expect("cell");
        sheet.write(r, 1, format!("Barrio {i}")).expect("cell");
        sheet.write(r, 2, format!("t{}", i % 26)).expect("cell");
        sheet.write(r, 3, (2016 + i % 3) as f64).expect("cell");
        sheet
            .write(r, 4, -12.0 - (i % 10_000) as f64 / 10_000.0)
            .expect("cell");
        sheet
            .write(r, 5, -77.0 - (i % 9_999) as f64 / 10_000.0)
            .expect("cell");
        sheet.write(r, 6, "Sector 1; Sector 2").expect("cell");
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    std::fs::write(xlsx_site.path().join("content/datos/barrios.xlsx"), &bytes).expect("write");
    time("xlsx", xlsx_site.path(), bytes.len());
}
