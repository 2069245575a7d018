//! Pre-compressed copies: `x.html.gz` beside every text file above 1 KB, so a host can send
//! the compressed bytes without compressing on each request (nginx `gzip_static`, Apache
//! `mod_rewrite`; see README, «Ajustes del servidor»).
//!
//! The bytes are deterministic: the gzip header carries no file name and a zero time, the
//! operating-system byte is flate2's fixed 255 and the level is fixed, so the same file
//! always gives the same `.gz`. Each build writes a new staging folder, so a `.gz` is always
//! made from the file written beside it: a changed file gets a new one, a removed file
//! takes its `.gz` with it. `serve` answers from memory and makes none. No `.br`: no
//! Brotli encoder is in the dependency tree (see docs/rendimiento.md).

use flate2::{Compression, GzBuilder};
use std::io::Write;

/// Files this size or smaller are sent as they are: a gzip header and a round trip cost
/// more than they save.
pub const MIN_SIZE: usize = 1024;

/// The level: 9, the smallest files (see docs/rendimiento.md for what it costs).
const LEVEL: u32 = 9;

/// Extensions of the text files that get a `.gz`.
const EXTENSIONS: &[&str] = &[
    "html", "css", "js", "mjs", "svg", "xml", "json", "jsonl", "jsonld", "csv", "txt",
];

/// True when the file at `path`, of `len` bytes, gets a `.gz` beside it.
pub fn wanted(path: &str, len: usize) -> bool {
    len > MIN_SIZE
        && !disabled()
        && path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext))
}

/// `BOLETIN_SIN_GZ=1` leaves the `.gz` out: only for measuring what they cost (see
/// docs/rendimiento.md), not an editor's setting.
fn disabled() -> bool {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("BOLETIN_SIN_GZ").is_some_and(|v| v == "1"))
}

/// `bytes` as a gzip file with a fixed header (no name, time 0) at a fixed level. An error
/// is returned, never a short or empty file: a host would send that to readers as the page.
pub fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let out = Vec::with_capacity(bytes.len() / 3 + 64);
    let mut encoder = GzBuilder::new()
        .mtime(0)
        .write(out, Compression::new(LEVEL));
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn compressed_bytes_decompress_to_the_file_and_never_vary() {
        let text = "<p>Boletín de prueba</p>\n".repeat(100);
        let gz = compress(text.as_bytes()).expect("gzip");
        assert_eq!(gz, compress(text.as_bytes()).expect("gzip"));
        assert_eq!(&gz[..4], &[0x1f, 0x8b, 8, 0], "no name, no extra fields");
        assert_eq!(&gz[4..8], &[0, 0, 0, 0], "time zero");
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .expect("gunzip");
        assert_eq!(back, text);
        assert!(gz.len() < text.len() / 10);
    }

    #[test]
    fn only_text_files_above_one_kilobyte() {
        assert!(wanted("index.html", 1025) && wanted("buscar/indice/ab.json", 5000));
        assert!(!wanted("index.html", 1024), "1 KB itself is not above 1 KB");
        assert!(!wanted("foto.jpg", 100_000) && !wanted("datos/x.xlsx", 100_000));
        assert!(!wanted("index.html.gz", 100_000));
    }
}
