//! Benchmark: a site of 10,000 bulletins, built in full, then rebuilt after editing one
//! bulletin with the incremental cache `serve` uses. Run with `cargo bench --bench rebuild`.
//! Target for `serve`: the one-bulletin rebuild well under 200 ms.

use std::fmt::Write;
use std::time::Instant;

const BULLETINS: usize = 10_000;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/boletines")).expect("mkdir");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\n",
    )
    .expect("write");
    for i in 0..BULLETINS {
        let mut body = String::new();
        let _ = write!(
            body,
            "---\ntitulo: Boletín {i}\nfecha: {}-{:02}-{:02}\netiquetas: [tema{}]\n---\nPrimer párrafo del boletín {i}, con *énfasis* y una nota.[^1]\n\n## Sección\n\n| Territorio | Barrios |\n|---|--:|\n| Lima | {i} |\n\n[^1]: Una nota.\n",
            2010 + i % 15,
            1 + i % 12,
            1 + i % 28,
            i % 50
        );
        std::fs::write(root.join(format!("content/boletines/b{i:05}.md")), body).expect("write");
    }
    let options = boletin::BuildOptions::new(root);
    let start = Instant::now();
    let (files, _) = boletin::render_in_memory(&options).expect("build");
    println!(
        "full build, no cache: {} files in {:.3} s",
        files.len(),
        start.elapsed().as_secs_f64()
    );

    let mut cache = boletin::render::cache::Cache::new();
    let start = Instant::now();
    boletin::render_incremental(&options, Some(&cache)).expect("build");
    let (reused, rendered) = cache.finish();
    println!(
        "first build filling the cache: {:.3} s ({rendered} rendered, {reused} reused)",
        start.elapsed().as_secs_f64()
    );
    for run in 0..3 {
        let path = root.join("content/boletines/b05000.md");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(
            &path,
            text.replacen("del boletín", &format!("del boletín (edición {run})"), 1),
        )
        .expect("write");
        let start = Instant::now();
        boletin::render_incremental(&options, Some(&cache)).expect("build");
        let (reused, rendered) = cache.finish();
        println!(
            "one-bulletin edit, incremental: {:.3} s ({rendered} rendered, {reused} reused)",
            start.elapsed().as_secs_f64()
        );
    }
}
