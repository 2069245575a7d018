//! Benchmark: a site with 200 phone photos of 4000 × 3000 pixels (JPEG quality 92, with EXIF
//! orientation and GPS), built from scratch and then again with nothing changed.
//! Run with `cargo bench --bench images`; `FOTOS=50` changes the count.
//! Targets (issue 8): first build within 60 s on two cores; the rebuild under 1 s on images.

use std::fmt::Write;
use std::time::Instant;

fn main() {
    let count: usize = std::env::var("FOTOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/imagenes")).expect("mkdir");
    std::fs::create_dir_all(root.join("content/boletines")).expect("mkdir");
    std::fs::write(
        root.join("content/sitio.yaml"),
        "titulo: Bench\nurl_base: https://example.org/\n",
    )
    .expect("write");
    let started = Instant::now();
    {
        use rayon::prelude::*;
        (0..count).into_par_iter().for_each(|i| {
            let bytes = photo(4000, 3000, i);
            std::fs::write(
                root.join(format!("content/imagenes/foto-{i:03}.jpg")),
                bytes,
            )
            .expect("write");
        });
    }
    let total: u64 = (0..count)
        .map(|i| {
            std::fs::metadata(root.join(format!("content/imagenes/foto-{i:03}.jpg")))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum();
    eprintln!(
        "{count} fotos de 4000×3000 generadas ({:.0} MB) en {:.1} s",
        total as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    // Ten photos per bulletin, each as a figure.
    for b in 0..count.div_ceil(10) {
        let mut text = format!("---\ntitulo: Fotos {b}\nfecha: 2018-07-01\n---\nTexto.\n\n");
        for i in (b * 10)..((b + 1) * 10).min(count) {
            let _ = writeln!(
                text,
                "{{{{ figura(imagen=\"imagenes/foto-{i:03}.jpg\", alt=\"Foto {i}\") }}}}\n"
            );
        }
        std::fs::write(root.join(format!("content/boletines/fotos-{b}.md")), text).expect("write");
    }
    let options = boletin::BuildOptions::new(root);
    for label in ["primera construcción", "sin cambios"] {
        let t = Instant::now();
        let summary = boletin::build(&options).expect("build");
        eprintln!(
            "{label}: {:.2} s ({} codificadas, {} reutilizadas)",
            t.elapsed().as_secs_f64(),
            summary.images_encoded,
            summary.images_reused
        );
    }
    let published: u64 = walkdir::WalkDir::new(root.join("output/imagenes"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let small: u64 = (0..count)
        .filter_map(|i| {
            std::fs::metadata(root.join(format!("output/imagenes/foto-{i:03}-480w.jpg"))).ok()
        })
        .map(|m| m.len())
        .sum();
    eprintln!(
        "publicado: {:.0} MB en todas las versiones; la de 480 px pesa {:.0} KB de media",
        published as f64 / 1e6,
        small as f64 / count.max(1) as f64 / 1e3
    );
}

/// A photo-like image: smooth light with fine texture and noise, so the JPEG weighs what a
/// phone's does (3–5 MB) and decoding costs what it costs on real photos.
fn photo(w: u32, h: u32, seed: usize) -> Vec<u8> {
    let mut state = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state % 24) as u32;
            let base = (x * 160 / w + y * 60 / h) + ((x / 7 + y / 5) % 16);
            pixels.push((base + noise).min(255) as u8);
            pixels.push(((base * 3 / 4) + noise + 20).min(255) as u8);
            pixels.push(((255 - base.min(255)) / 2 + noise).min(255) as u8);
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    let exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x01\0\0\0\0\0\0\0".to_vec();
    encoder.add_app_segment(1, exif).expect("exif");
    encoder
        .encode(&pixels, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}
