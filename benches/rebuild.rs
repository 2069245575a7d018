//! Benchmark: a site of 10,000 bulletins, built in full, then rebuilt after editing one
//! bulletin with the incremental cache `serve` uses. Run with `cargo bench --bench rebuild`.
//! Target for `serve`: the one-bulletin rebuild well under 200 ms.

use std::fmt::Write;
use std::time::Instant;

/// The binary's allocator (see `src/main.rs`), so these numbers are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    serve_end_to_end(root);
}

/// Save → the reload event reaching a browser connected to `boletin serve`.
fn serve_end_to_end(root: &std::path::Path) {
    use std::io::{BufRead, BufReader, Write};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boletin"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while log.read_line(&mut line).is_ok_and(|n| n > 0) && !line.contains("sirviendo") {
        line.clear();
    }
    std::thread::spawn(move || for _ in log.lines() {});
    let mut events = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        events,
        "GET /__boletin/eventos HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .expect("send");
    let mut reader = BufReader::new(events);
    let mut read_event = || {
        let mut l = String::new();
        loop {
            l.clear();
            if reader.read_line(&mut l).unwrap_or(0) == 0 || l.starts_with("data:") {
                return l;
            }
        }
    };
    read_event();
    for run in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let path = root.join("content/boletines/b07000.md");
        let text = std::fs::read_to_string(&path).expect("read");
        let start = Instant::now();
        std::fs::write(
            &path,
            text.replacen("del boletín", &format!("del boletín (servido {run})"), 1),
        )
        .expect("write");
        read_event();
        println!(
            "serve: save → reload event in the browser: {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
