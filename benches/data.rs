//! Benchmark: load and validate 100,000 barrio rows (plus territories and launches).
//! Run with `cargo bench --bench data`. Target: well under one second on two cores.

use std::fmt::Write;
use std::time::Instant;

const ROWS: usize = 100_000;

/// A plain table of 100,000 short rows, the shape of most datasets.
fn light_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/datos")).expect("mkdir");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\n",
    )
    .expect("write");
    let mut rows = String::from("titulo: Tabla\nfilas:\n");
    let mut sum = 0;
    for i in 0..ROWS {
        let _ = writeln!(
            rows,
            "  - {{territorio: Territorio {}, cohorte: {}, barrios: {}}}",
            i % 26,
            2016 + i % 3,
            i % 7
        );
        sum += i % 7;
    }
    rows = rows.replacen("filas:", &format!("total: {{barrios: {sum}}}\nfilas:"), 1);
    std::fs::write(root.join("content/datos/tabla.yaml"), &rows).expect("write");
    let config = boletin::config::load(root).expect("config");
    let start = Instant::now();
    let (data, diags) = boletin::data::load_all(root, &config, jiff::civil::date(2026, 1, 1));
    assert!(diags.is_empty());
    println!(
        "light: {} rows of 3 columns ({} bytes) loaded and validated in {:.3} s",
        data.datasets["tabla"].rows.len(),
        rows.len(),
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/datos")).expect("mkdir");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\n",
    )
    .expect("write");
    let mut territorios = String::from("titulo: Territorios\nfilas:\n");
    for t in 0..26 {
        let _ = writeln!(
            territorios,
            "  - {{id: t{t}, nombre: Territorio {t}, ubigeo: \"{t:02}\"}}"
        );
    }
    let mut barrios = String::from("titulo: Barrios\nfuente: Generado\nfilas:\n");
    for i in 0..ROWS {
        let _ = writeln!(
            barrios,
            "  - {{id: b{i}, nombre: Barrio {i}, territorio: t{}, distrito: Distrito {}, cohorte: {}, ubicacion: {{lat: -12.{i}, lon: -77.{i}}}, sectores: [a, b]}}",
            i % 26,
            i % 1000,
            2016 + (i % 3)
        );
    }
    let mut lanzamientos = String::from("filas:\n");
    for i in 0..ROWS / 10 {
        let _ = writeln!(
            lanzamientos,
            "  - {{fecha: 2018-{:02}-{:02}, barrio: b{i}}}",
            1 + i % 12,
            1 + i % 28
        );
    }
    std::fs::write(root.join("content/datos/territorios.yaml"), territorios).expect("write");
    std::fs::write(root.join("content/datos/barrios.yaml"), barrios).expect("write");
    std::fs::write(root.join("content/datos/lanzamientos.yaml"), lanzamientos).expect("write");
    light_table();

    let text = std::fs::read_to_string(root.join("content/datos/barrios.yaml")).expect("read");
    let file = boletin::source::SourceFile::new("barrios.yaml", &text);
    let start = Instant::now();
    let node = boletin::yaml::parse(&file, &file.text, 1).expect("parse");
    println!("YAML parse alone: {:.3} s", start.elapsed().as_secs_f64());
    drop(node);
    let start = Instant::now();
    let mut parser = granit_parser::Parser::new_from_str(&text);
    let mut events = 0usize;
    while let Some(e) = parser.next_event() {
        e.expect("event");
        events += 1;
    }
    println!(
        "raw events only: {events} in {:.3} s",
        start.elapsed().as_secs_f64()
    );
    let config = boletin::config::load(root).expect("config");
    let today = jiff::civil::date(2026, 1, 1);
    let mut best = f64::MAX;
    for run in 0..3 {
        let start = Instant::now();
        let (data, diags) = boletin::data::load_all(root, &config, today);
        let aggregates = boletin::data::aggregate::compute(&data.records);
        let secs = start.elapsed().as_secs_f64();
        assert!(
            diags.is_empty(),
            "{:?}",
            diags.iter().take(3).collect::<Vec<_>>()
        );
        assert_eq!(data.records.barrios.len(), ROWS);
        assert_eq!(aggregates.barrios_por_territorio.len(), 26);
        println!(
            "run {run}: {ROWS} barrios + {} launches loaded and validated in {secs:.3} s",
            ROWS / 10
        );
        best = best.min(secs);
    }
    println!("best: {best:.3} s");
}
