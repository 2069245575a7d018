//! Pre-compressed copies: a `.gz` beside every text file a browser fetches (HTML, CSS, JS,
//! SVG, XML, JSON, CSV) above 1 KB, so a host can serve it as is (nginx `gzip_static`,
//! Apache's rewrite to `.gz`) instead of compressing each request, or not at all.
//!
//! The bytes are deterministic: a gzip header with no name, mtime 0 and the same flags
//! every time (flate2's `GzBuilder` with nothing set), best compression. No `.br`: the
//! pure-Rust Brotli encoders are slow at the levels that beat gzip, and the build's time
//! budget would not hold at 10,000 bulletins.

use std::io::Write;

/// Files smaller than this gain nothing from compression worth a second file.
pub const MIN_SIZE: usize = 1024;

/// The extensions that get a `.gz`.
const TEXT: [&str; 8] = ["html", "css", "js", "svg", "xml", "json", "csv", "txt"];

/// The `.gz` copy of a file at `path`, if it gets one.
pub fn gzip(path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let ext = path.rsplit_once('.')?.1;
    if bytes.len() <= MIN_SIZE || !TEXT.contains(&ext) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let mut enc = flate2::GzBuilder::new().write(&mut out, flate2::Compression::best());
    enc.write_all(bytes).ok()?;
    enc.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_files_above_a_kilobyte_get_the_same_gzip_every_time() {
        let page = "<p>Barrio Seguro</p>\n".repeat(100);
        let gz = gzip("boletines/a/index.html", page.as_bytes()).expect("gzipped");
        assert_eq!(gz, gzip("otra/ruta.html", page.as_bytes()).expect("again"));
        assert_eq!(
            &gz[..10],
            &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255],
            "no name, mtime 0"
        );
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .expect("decodes");
        assert_eq!(back, page);
        assert!(gzip("a.html", &[b'x'; 1024]).is_none(), "1 KB or less");
        assert!(gzip("foto.webp", page.as_bytes()).is_none(), "not text");
        assert!(gzip("sin-extension", page.as_bytes()).is_none());
    }
}
