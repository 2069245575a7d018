//! Benchmark: a site of 10,000 bulletins, built in full, then rebuilt after editing one
//! bulletin with the incremental cache `serve` uses. Run with `cargo bench --bench rebuild`.
//! Target for `serve`: the one-bulletin rebuild well under 200 ms.
//!
//! `CORPUS=/tmp/c10k cargo bench --bench rebuild` runs the same on a copy of a site made by
//! `../shared/bench/gen_corpus.py --flavor boletin` (long bulletins, tags, territories).
//!
//! `PDF=1` adds `pdf: true` to the site: `serve`'s pages then link every PDF, and after the
//! edits the edited bulletin's PDF is asked for (`serve` typesets it then). The build
//! without a cache is left out, since it would typeset all 10,000.

use std::fmt::Write;
use std::time::Instant;

/// The binary's allocator (see `src/main.rs`), so these numbers are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BULLETINS: usize = 10_000;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    match std::env::var_os("CORPUS") {
        Some(corpus) => {
            let status = std::process::Command::new("cp")
                .arg("-r")
                .arg(std::path::Path::new(&corpus).join("content"))
                .arg(root)
                .status()
                .expect("cp");
            assert!(status.success(), "copying {corpus:?}");
        }
        None => generate(root),
    }
    let pdf = std::env::var_os("PDF").is_some();
    if pdf {
        let yaml = root.join("content/sitio.yaml");
        let text = std::fs::read_to_string(&yaml).expect("sitio.yaml");
        std::fs::write(&yaml, format!("{text}\npdf: true\n")).expect("write");
    }
    let edited = first_bulletin(root);
    let options = boletin::BuildOptions::new(root);
    if !pdf {
        let start = Instant::now();
        let (files, _) = boletin::render_in_memory(&options).expect("build");
        println!(
            "full build, no cache: {} files in {:.3} s",
            files.len(),
            start.elapsed().as_secs_f64()
        );
    }

    let mut cache = boletin::render::cache::Cache::new();
    let start = Instant::now();
    boletin::render_incremental(&options, Some(&cache)).expect("build");
    let (reused, rendered) = cache.finish();
    println!(
        "first build filling the cache: {:.3} s ({rendered} rendered, {reused} reused)",
        start.elapsed().as_secs_f64()
    );
    for run in 0..3 {
        edit(&edited, &format!("edición{run}"));
        let start = Instant::now();
        boletin::render_incremental(&options, Some(&cache)).expect("build");
        let (reused, rendered) = cache.finish();
        println!(
            "one-bulletin edit, incremental: {:.3} s ({rendered} rendered, {reused} reused)",
            start.elapsed().as_secs_f64()
        );
    }
    serve_end_to_end(root, &edited, pdf);
}

/// 10,000 short bulletins.
fn generate(root: &std::path::Path) {
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
}

/// The bulletin the benchmark edits: the middle one in file order.
fn first_bulletin(root: &std::path::Path) -> std::path::PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(root.join("content/boletines"))
        .expect("boletines")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files[files.len() / 2].clone()
}

/// Puts `word` at the start of the bulletin's first paragraph, replacing the previous one.
fn edit(path: &std::path::Path, word: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    let body_start = text[3..].find("\n---").map_or(0, |i| i + 7);
    let (head, body) = text.split_at(body_start);
    let body = match body.split_once("«") {
        Some((_, rest)) => rest.split_once("» ").map_or(rest, |(_, r)| r).to_string(),
        None => body.trim_start().to_string(),
    };
    std::fs::write(path, format!("{head}\n«{word}» {body}")).expect("write");
}

/// Save → the reload event reaching a browser connected to `boletin serve`.
fn serve_end_to_end(root: &std::path::Path, edited: &std::path::Path, pdf: bool) {
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
    let mut times = Vec::new();
    for run in 0..15 {
        std::thread::sleep(std::time::Duration::from_millis(400));
        let start = Instant::now();
        edit(edited, &format!("servido{run}"));
        read_event();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "serve: save → reload event in the browser, 15 edits: median {:.3} s (min {:.3}, max {:.3})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    if pdf {
        ask_for_pdf(port, edited, &mut read_event);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Edits `edited` three times; after each reload, asks for its PDF (the first request after
/// a build, so `serve` typesets it) and times the answer.
fn ask_for_pdf(port: u16, edited: &std::path::Path, read_event: &mut dyn FnMut() -> String) {
    use std::io::{Read, Write};
    let slug = edited
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a named bulletin");
    let mut times = Vec::new();
    for run in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(400));
        edit(edited, &format!("pdf{run}"));
        read_event();
        let start = Instant::now();
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            s,
            "GET /boletines/{slug}/{slug}.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .expect("send");
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        times.push(start.elapsed().as_secs_f64());
        assert!(
            answer.starts_with(b"HTTP/1.1 200"),
            "the PDF was not served"
        );
    }
    println!(
        "serve: the edited bulletin's PDF asked for after the reload: {:.3} s, {:.3} s, {:.3} s",
        times[0], times[1], times[2]
    );
}
