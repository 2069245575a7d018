//! Pre-compressed copies: `x.html.gz` beside every text file above 1 KB, so a host can send
//! the compressed bytes without compressing on each request (nginx `gzip_static`, Apache
//! `mod_rewrite`; see README, «Ajustes del servidor»).
//!
//! The bytes are deterministic: the gzip header carries no file name and a zero time, the
//! operating-system byte is flate2's fixed 255 and the level is fixed, so the same file
//! always gives the same `.gz`. Each build writes a new staging folder, so a `.gz` is always
//! made from the file written beside it: a changed file gets a new one, a removed file
//! takes its `.gz` with it; an unchanged file takes the previous build's `.gz`
//! ([`reusable`]), the bytes compressing it again would give. `serve` answers from memory
//! and makes none. No `.br`: no Brotli encoder is in the dependency tree (see
//! docs/rendimiento.md).

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

/// The `.gz` the previous build wrote beside `old` (the same file in the output folder
/// being replaced), when `old` holds exactly `bytes` and the `.gz`'s own trailer (the CRC-32
/// and length of what it decompresses to) agrees: then it is the `.gz` [`compress`] would
/// make, byte for byte, and compressing again is skipped. A rebuild after one edit rewrites
/// every page, and compressing them all at level 9 cost twice the rest of a 10,000-bulletin
/// build (docs/rendimiento.md); comparing with the old file and checking the CRC costs a
/// read. Anything else (no old file, other bytes, a `.gz` edited by hand) is compressed.
pub fn reusable(old: &std::path::Path, bytes: &[u8]) -> Option<Vec<u8>> {
    if std::fs::metadata(old).ok()?.len() != bytes.len() as u64 {
        return None;
    }
    if std::fs::read(old).ok()? != bytes {
        return None;
    }
    let mut gz_path = old.as_os_str().to_owned();
    gz_path.push(".gz");
    let gz = std::fs::read(gz_path).ok()?;
    (gz.len() >= 18 && gz.starts_with(&HEADER) && trailer_matches(&gz, bytes)).then_some(gz)
}

/// The fixed header [`compress`] writes: magic, deflate, no flags, time 0, extra flags 2
/// (the slowest level, 9), operating system 255.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];

/// Whether a gzip file's last 8 bytes are the CRC-32 and length (mod 2³²) of `bytes`.
fn trailer_matches(gz: &[u8], bytes: &[u8]) -> bool {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    let mut expected = [0u8; 8];
    expected[..4].copy_from_slice(&crc.sum().to_le_bytes());
    expected[4..].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
    gz.ends_with(&expected)
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
    fn the_previous_gz_is_reused_only_for_the_same_bytes_and_a_sound_trailer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = dir.path().join("index.html");
        let text = "<p>Boletín</p>\n".repeat(200);
        let gz = compress(text.as_bytes()).expect("gzip");
        assert_eq!(&gz[..10], &HEADER);
        std::fs::write(&old, &text).expect("write");
        std::fs::write(dir.path().join("index.html.gz"), &gz).expect("write");
        assert_eq!(reusable(&old, text.as_bytes()), Some(gz.clone()));
        let other = text.replace("Boletín", "Boletin");
        assert_eq!(reusable(&old, other.as_bytes()), None, "other bytes");
        let changed = text.replacen('B', "C", 1);
        assert_eq!(reusable(&old, changed.as_bytes()), None, "same length");
        let mut edited = gz.clone();
        let last = edited.len() - 5;
        edited[last] ^= 1;
        std::fs::write(dir.path().join("index.html.gz"), &edited).expect("write");
        assert_eq!(
            reusable(&old, text.as_bytes()),
            None,
            "a trailer that disagrees"
        );
        std::fs::remove_file(dir.path().join("index.html.gz")).expect("rm");
        assert_eq!(reusable(&old, text.as_bytes()), None, "no old .gz");
        assert_eq!(
            reusable(&dir.path().join("nuevo.html"), text.as_bytes()),
            None
        );
    }

    #[test]
    fn only_text_files_above_one_kilobyte() {
        assert!(wanted("index.html", 1025) && wanted("buscar/indice/ab.json", 5000));
        assert!(!wanted("index.html", 1024), "1 KB itself is not above 1 KB");
        assert!(!wanted("foto.jpg", 100_000) && !wanted("datos/x.xlsx", 100_000));
        assert!(!wanted("index.html.gz", 100_000));
    }
}
