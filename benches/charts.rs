//! Benchmark: 1,000 charts (all six types) rendered to SVG. Run with `cargo bench --bench charts`.
//! Target: under 2 seconds on two cores.

use boletin::format::NumberFormat;
use boletin::render::charts::{Chart, KINDS, Series, svg};
use std::time::Instant;

fn main() {
    let numbers = NumberFormat::for_language("es-PE").expect("es-PE");
    let categories: Vec<String> = (1..=12).map(|m| format!("2018-{m:02}")).collect();
    let start = Instant::now();
    let mut bytes = 0;
    for i in 0..1000 {
        let chart = Chart {
            kind: KINDS[i % KINDS.len()].to_string(),
            title: format!("Gráfico {i}"),
            categories: categories.clone(),
            series: (0..2)
                .map(|s| Series {
                    name: format!("Serie {s}"),
                    values: (0..12)
                        .map(|m| Some(((i + m * 7 + s * 3) % 40) as f64))
                        .collect(),
                })
                .collect(),
            id: format!("g{i}"),
            numbers,
        };
        bytes += svg(&chart).len();
    }
    println!(
        "1000 charts in {:.3} s ({} KB of SVG)",
        start.elapsed().as_secs_f64(),
        bytes / 1024
    );
}
