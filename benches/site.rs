//! End-to-end benchmark: whole builds of the 1,000- and 10,000-bulletin corpora of
//! `../shared/bench/gen_corpus.py`, against the floor measured in the same run.
//!
//!     cargo bench --bench site              # 1,000 and 10,000 bulletins, 5 rounds
//!     SIZES=1000 ROUNDS=3 cargo bench --bench site
//!
//! Each round runs, as separate processes with their peak memory taken from the kernel
//! (`wait4`): the floor (pulldown-cmark over every bulletin on all cores, one HTML file per
//! bulletin, nothing else), a full `boletin build`, and a second `boletin build` with
//! nothing changed. The floor is `../shared/bench/floor`, built here once with its own
//! settings (`target/bench-floor/`); when it cannot be built, the same work written in this
//! file runs instead and the table says so. That copy shares boletin's pulldown-cmark, with
//! its `simd` feature, and is some 10 % faster than the shared floor: its ratios are
//! stricter and do not compare with `runbench.py`'s. Outputs go to `/dev/shm` when it exists (disk
//! timings on these machines depend on whatever ran before). Medians are printed; the
//! ratio to the floor is the figure to quote, since absolute times drift between runs.
//!
//! The corpus is generated once into `target/bench-corpus/` with Python 3; set
//! `BOLETIN_SHARED` when `shared/` is not at `../shared`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("--floor") {
        let (Some(src), Some(out)) = (args.next(), args.next()) else {
            panic!("--floor CONTENT OUT");
        };
        floor(Path::new(&src), Path::new(&out));
        return;
    }
    let sizes: Vec<usize> = std::env::var("SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let scratch = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm/boletin-bench")
    } else {
        std::env::temp_dir().join("boletin-bench")
    };
    let shared_floor = build_shared_floor();
    match &shared_floor {
        Some(path) => println!("floor: {}", path.display()),
        None => println!("floor: the copy in this bench (the shared floor could not be built)"),
    }
    println!(
        "{:>9}  {:>10} {:>10} {:>8} {:>9} {:>10} {:>9} {:>10}",
        "bulletins", "floor", "boletin", "× floor", "bulletins/s", "peak", "unchanged", "÷ full"
    );
    for size in sizes {
        let corpus = corpus(size);
        let content = corpus.join("content/boletines");
        let (mut floors, mut fulls, mut agains) = (Vec::new(), Vec::new(), Vec::new());
        let mut peak = 0;
        for _ in 0..rounds {
            let out_floor = scratch.join("floor");
            let out_site = scratch.join("site");
            let _ = std::fs::remove_dir_all(&out_floor);
            let _ = std::fs::remove_dir_all(&out_site);
            let mut cmd = match &shared_floor {
                Some(path) => Command::new(path),
                None => {
                    let mut cmd = Command::new(std::env::current_exe().expect("bench exe"));
                    cmd.arg("--floor");
                    cmd
                }
            };
            cmd.arg(&content).arg(&out_floor);
            floors.push(timed(cmd).0);
            let build = || {
                let mut cmd = Command::new(env!("CARGO_BIN_EXE_boletin"));
                cmd.args(["build", "--root"])
                    .arg(&corpus)
                    .arg("--output")
                    .arg(&out_site);
                timed(cmd)
            };
            let (full, rss) = build();
            fulls.push(full);
            peak = peak.max(rss);
            agains.push(build().0);
        }
        let (floor, full, again) = (median(floors), median(fulls), median(agains));
        println!(
            "{size:>9}  {:>8.3} s {:>8.3} s {:>8.1} {:>9.0} {:>6} MiB {:>7.3} s {:>9.0} %",
            floor.as_secs_f64(),
            full.as_secs_f64(),
            full.as_secs_f64() / floor.as_secs_f64(),
            size as f64 / full.as_secs_f64(),
            peak / 1024,
            again.as_secs_f64(),
            again.as_secs_f64() / full.as_secs_f64() * 100.0,
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Runs a command to its end; its wall time and peak resident memory in KiB.
#[allow(clippy::zombie_processes)] // `wait4` reaps the child, with its resource usage.
fn timed(mut cmd: Command) -> (Duration, u64) {
    cmd.stdout(std::process::Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: `rusage` is plain data the kernel fills; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert!(pid > 0 && status == 0, "{cmd:?} failed");
    (elapsed, usage.ru_maxrss as u64)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `../shared/bench/floor` built with its own manifest and settings, or `None` when it
/// cannot be (no `shared/` beside the project, or its crates not at hand offline).
fn build_shared_floor() -> Option<PathBuf> {
    let manifest = shared_dir().join("bench/floor/Cargo.toml");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-floor");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .status()
        .ok()?;
    let exe = target.join("release/bench-floor");
    (status.success() && exe.is_file()).then_some(exe)
}

/// The shared folder (`BOLETIN_SHARED`, or `../shared`).
fn shared_dir() -> PathBuf {
    std::env::var_os("BOLETIN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The corpus of `size` bulletins, generated once.
fn corpus(size: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus/{size}"));
    if dir.join("content/sitio.yaml").is_file() {
        return dir;
    }
    let script = shared_dir().join("bench/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .args(["--pages", &size.to_string(), "--flavor", "boletin", "--out"])
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    assert!(status.success(), "{} failed", script.display());
    dir
}

/// The floor: every bulletin's Markdown rendered and written in its own folder.
fn floor(src: &Path, out: &Path) {
    use pulldown_cmark::{Options, Parser, html};
    use rayon::prelude::*;
    let mut files: Vec<PathBuf> = std::fs::read_dir(src)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    files.par_iter().for_each(|path| {
        let text = std::fs::read_to_string(path).expect("read");
        let (front, body) = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .unwrap_or(("", &text));
        let title = front
            .lines()
            .find_map(|l| l.strip_prefix("titulo:"))
            .unwrap_or_default()
            .trim()
            .trim_matches('"');
        let mut page = String::with_capacity(body.len() * 3 / 2 + 256);
        page.push_str("<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>");
        for c in title.chars() {
            match c {
                '&' => page.push_str("&amp;"),
                '<' => page.push_str("&lt;"),
                '>' => page.push_str("&gt;"),
                '"' => page.push_str("&quot;"),
                c => page.push(c),
            }
        }
        page.push_str("</title></head><body><main>");
        html::push_html(&mut page, Parser::new_ext(body, options));
        page.push_str("</main></body></html>");
        let slug = path.file_stem().expect("stem");
        let dir = out.join(slug);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("index.html"), page).expect("write");
    });
}
