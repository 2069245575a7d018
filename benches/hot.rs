//! Benchmark of the hot paths one at a time, on the bulletins of `../shared/bench`'s
//! corpus shape (~1,070 words, headings, a list, a table, footnotes, links):
//!
//! - front matter: splitting, YAML and the fields of 2,000 bulletins;
//! - Markdown with shortcodes: 2,000 bodies, each with three shortcode calls;
//! - templates: a site of 2,000 one-paragraph bulletins rendered in memory, where nearly
//!   all the work is pages, lists, tags and feeds;
//!
//! and `cargo bench --bench charts` (charts), `--bench data` (datasets), `--bench site`
//! (whole builds against the floor). Run with `cargo bench --bench hot`.

/// The binary's allocator (see `src/main.rs`), so these numbers are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use boletin::content::markdown::{Hooks, render};
use boletin::content::shortcode::Shortcode;
use boletin::diag::Problem;
use boletin::source::SourceFile;
use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

const N: usize = 2000;
const ROUNDS: usize = 5;

const WORDS: &[&str] = &[
    "barrio",
    "seguro",
    "comisaría",
    "patrullaje",
    "vecinos",
    "juntas",
    "prevención",
    "territorio",
    "distrito",
    "programa",
    "ministerio",
    "delito",
    "encuesta",
    "victimización",
    "policía",
    "serenazgo",
    "alumbrado",
    "recuperación",
    "espacios",
    "públicos",
];

/// A paragraph of `n` words, deterministic from `seed`.
fn prose(seed: usize, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[(seed * 7 + i * 13 + i / 5) % WORDS.len()]);
    }
    s.push('.');
    s
}

/// A bulletin of about 1,070 words shaped like the corpus, with three shortcode calls.
fn bulletin(i: usize) -> String {
    let mut t = format!(
        "---\ntitulo: \"Boletín {i}: avances del programa\"\nfecha: 2018-{:02}-{:02}\n\
         resumen: \"{}\"\netiquetas:\n  - seguridad\n  - barrio-{}\nterritorios:\n  - lima\n---\n\n",
        i % 12 + 1,
        i % 28 + 1,
        prose(i, 25),
        i % 30
    );
    for h in 0..3 {
        let _ = write!(
            t,
            "## Sección {h}\n\n{}\n\n{}\n\n",
            prose(i + h, 120),
            prose(i * 3 + h, 110)
        );
        let _ = write!(
            t,
            "- {}\n- {}\n- {}\n\n",
            prose(h, 8),
            prose(h + 1, 9),
            prose(h + 2, 7)
        );
    }
    t.push_str("| Territorio | Barrios |\n| --- | ---: |\n| Lima | 12 |\n| Callao | 3 |\n\n");
    let _ = write!(
        t,
        "{} [^1] [enlace](https://www.gob.pe/mininter)\n\n",
        prose(i, 90)
    );
    t.push_str("{{ cifra(datos=\"metas\", suma=\"cumplido\") }}\n\n");
    t.push_str("{{ grafico(datos=\"metas\", x=\"periodo\", y=\"cumplido\") }}\n\n");
    t.push_str("{{ tabla(datos=\"metas\") }}\n\n[^1]: Fuente: Ministerio del Interior.\n");
    t
}

/// Shortcodes become a fixed snippet: this measures finding and checking the calls and the
/// Markdown around them (what a chart costs is `--bench charts`).
struct Fixed;

impl Hooks for Fixed {
    fn shortcode(&mut self, _: &Shortcode) -> Result<String, Problem> {
        Ok("<figure class=\"grafico\"><svg></svg></figure>".into())
    }
    fn internal_link(&mut self, target: &str, _: usize) -> Result<String, Problem> {
        Ok(format!("/{target}"))
    }
    fn image(&mut self, path: &str) -> Result<boletin::assets::ImageRef, Problem> {
        Err(Problem::ImageNotFound { path: path.into() })
    }
}

fn timed<T>(name: &str, per: &str, mut f: impl FnMut() -> T) {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[ROUNDS / 2];
    println!(
        "{name:<28} {:>8.1} ms  {:>7.1} µs per {per}",
        median * 1000.0,
        median * 1e6 / N as f64
    );
}

fn main() {
    let texts: Vec<String> = (0..N).map(bulletin).collect();
    let config = boletin::config::parse(SourceFile::new(
        boletin::config::CONFIG_PATH,
        "titulo: Bench\nurl_base: https://example.org/\n",
    ))
    .expect("config");
    let rel = Path::new("content/boletines/b.md");
    println!("{N} bulletins of ~1,070 words, median of {ROUNDS} rounds, one thread:");
    timed("front matter and fields", "bulletin", || {
        for t in &texts {
            let file = SourceFile::new(rel, t);
            let doc = boletin::content::parse(file, rel, boletin::content::Kind::Bulletin, &config);
            assert!(doc.is_ok());
        }
    });
    let bodies: Vec<&str> = texts
        .iter()
        .map(|t| t.splitn(3, "---\n").nth(2).unwrap_or_default())
        .collect();
    // Every body through our Markdown layer; the bytes of HTML made.
    let render_all = |bodies: &[&str]| {
        let mut bytes = 0;
        for b in bodies {
            let (rendered, problems) = render(b, &mut Fixed);
            assert!(problems.is_empty(), "{problems:?}");
            bytes += rendered.html.len();
        }
        bytes
    };
    timed("Markdown with shortcodes", "body", || render_all(&bodies));
    // The same bodies without their calls (like the 10,000-bulletin corpus), through our
    // Markdown layer and through pulldown-cmark alone with the same extensions: the
    // difference is what our passes cost.
    let plain: Vec<String> = bodies
        .iter()
        .map(|b| {
            b.lines()
                .filter(|l| !l.starts_with("{{"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let plain: Vec<&str> = plain.iter().map(String::as_str).collect();
    timed("Markdown, no shortcodes", "body", || render_all(&plain));
    timed("  pulldown-cmark alone", "body", || {
        use pulldown_cmark::{Parser, html};
        let options = boletin::content::markdown::options();
        let mut bytes = 0;
        for b in &plain {
            let mut html = String::with_capacity(b.len() * 3 / 2);
            html::push_html(&mut html, Parser::new_ext(b, options));
            bytes += html.len();
        }
        bytes
    });

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/boletines")).expect("mkdir");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\n",
    )
    .expect("write");
    for i in 0..N {
        let short = format!(
            "---\ntitulo: \"Boletín {i}\"\nfecha: 2018-{:02}-{:02}\netiquetas:\n  - t{}\n  - u{}\n---\n\n{}\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 30,
            i % 7,
            prose(i, 40)
        );
        std::fs::write(root.join(format!("content/boletines/b{i:05}.md")), short).expect("write");
    }
    let options = boletin::BuildOptions::new(root);
    let mut files = 0;
    timed("templates (whole site)", "bulletin", || {
        let (out, _) = boletin::render_in_memory(&options).expect("render");
        files = out.len();
    });
    println!("  ({files} files rendered per round, all cores)");
}
