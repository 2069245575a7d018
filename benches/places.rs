//! Benchmark: a site with 2,000 barrios in 26 territories (the real map of Peru), built in
//! full. Run with `cargo bench --bench places`. Target: under 3 seconds on two cores.

use std::fmt::Write;
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let datos = root.join("content/datos");
    std::fs::create_dir_all(&datos).expect("mkdir");
    std::fs::create_dir_all(root.join("content/boletines")).expect("mkdir");
    let geojson = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/datos/peru-departamentos.geojson"
    ))
    .expect("map");
    std::fs::write(datos.join("peru.geojson"), geojson).expect("write");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content/datos/territorios.yaml"
        ),
        datos.join("territorios.yaml"),
    )
    .expect("copy");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\nmapa: peru.geojson\n",
    )
    .expect("write");
    let territories: Vec<String> = std::fs::read_to_string(datos.join("territorios.yaml"))
        .expect("read")
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("- {id: ")?
                .split(',')
                .next()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(territories.len(), 26, "{territories:?}");
    let mut barrios = String::from("filas:\n");
    for i in 0..2000 {
        let _ = writeln!(
            barrios,
            "  - {{id: b{i}, nombre: Barrio {i}, territorio: {}, cohorte: {}, distrito: Distrito {i}}}",
            territories[i % 26],
            2016 + i % 3
        );
    }
    std::fs::write(datos.join("barrios.yaml"), barrios).expect("write");
    for i in 0..200 {
        let text = format!(
            "---\ntitulo: Boletín {i}\nfecha: 2018-01-{:02}\nbarrios: [b{i}, b{}]\n---\nTexto con [un barrio](@/barrios/b{}).\n",
            1 + i % 28,
            i + 1000,
            i + 500
        );
        std::fs::write(root.join(format!("content/boletines/b{i}.md")), text).expect("write");
    }
    let options = boletin::BuildOptions::new(root);
    let start = Instant::now();
    let (files, _) =
        boletin::render_in_memory(&options).unwrap_or_else(|d| panic!("{:#?}", d.sorted().first()));
    println!(
        "2000 barrios, 26 territories, 200 bulletins: {} files in {:.3} s",
        files.len(),
        start.elapsed().as_secs_f64()
    );
}
