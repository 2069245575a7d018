//! Entry points for the cargo-fuzz targets in `fuzz/` (and the property test in
//! `tests/it/hostile.rs`): each runs one step that reads editor input on arbitrary bytes,
//! the way a build does, and must return — an error is fine, a panic or a hang is a bug.

use crate::content::Kind;
use crate::source::SourceFile;
use std::path::Path;

const SITE: &str = "titulo: Fuzz\nurl_base: https://example.org/sub/\n";

fn config() -> Option<crate::config::SiteConfig> {
    crate::config::parse(SourceFile::new(crate::config::CONFIG_PATH, SITE)).ok()
}

/// A bulletin file: decoding, front matter, fields, then its Markdown and shortcodes.
pub fn bulletin(bytes: &[u8]) {
    let Some(config) = config() else { return };
    let rel = Path::new("content/boletines/2018-07-31-fuzz.md");
    let Ok(file) = SourceFile::from_bytes(rel, bytes.to_vec()) else {
        return;
    };
    if let Ok(doc) = crate::content::parse(file, rel, Kind::Bulletin, &config) {
        let _ = crate::content::markdown::render(doc.body(), &mut Null);
    }
}

/// A body's shortcode calls: code spans, scanning and argument checks.
pub fn shortcodes(text: &str) {
    let code = crate::content::markdown::code_ranges(text);
    let (calls, _) = crate::content::shortcode::scan(text, &code);
    for call in &calls {
        let _ = crate::content::shortcode::check(call);
    }
}

/// A shortcode argument at depth: the first two bytes say how many lists enclose the
/// rest (up to 65,535, far past the limit), which goes in as the innermost value.
pub fn shortcode_depth(bytes: &[u8]) {
    let (depth, rest) = match bytes {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => return,
    };
    let Ok(value) = std::str::from_utf8(rest) else {
        return;
    };
    let text = format!(
        "{{{{ tabla(datos=\"x\", columnas={}{value}{}) }}}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    shortcodes(&text);
}

/// A data file: YAML, privacy, metadata and rows, then every fixed schema reading it.
pub fn dataset(bytes: &[u8]) {
    let Some(config) = config() else { return };
    let rel = Path::new("content/datos/fuzz.yaml");
    let Ok(file) = SourceFile::from_bytes(rel, bytes.to_vec()) else {
        return;
    };
    let Ok(ds) = crate::data::from_file(file, rel, &config) else {
        return;
    };
    for id in ["territorios", "barrios", "lanzamientos", "metas"] {
        let mut one = ds.clone();
        one.id = id.to_string();
        let datasets = std::collections::BTreeMap::from([(id.to_string(), one)]);
        let mut diags = crate::diag::Diagnostics::new();
        let _ = crate::data::schema::read(&datasets, &mut diags);
    }
}

/// A GeoJSON map: JSON nested as deep as the input says, then the shapes of one territory.
pub fn geojson(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let territories = [("lima".to_string(), Some("15".to_string()))];
    let _ = crate::data::geo::read("fuzz.geojson", text, &territories);
}

/// An SVG image: parsed and written again from the allow-list; what comes out is SVG.
pub fn svg(bytes: &[u8]) {
    if let Ok(clean) = crate::images::svg::sanitize(bytes) {
        assert!(
            crate::images::svg::sanitize(&clean).is_ok(),
            "the output is SVG"
        );
    }
}

/// Hooks that resolve nothing: links and images are errors, shortcodes expand to nothing.
struct Null;

impl crate::content::markdown::Hooks for Null {
    fn shortcode(
        &mut self,
        _: &crate::content::shortcode::Shortcode,
    ) -> Result<String, crate::diag::Problem> {
        Ok(String::new())
    }
    fn internal_link(&mut self, target: &str, _: usize) -> Result<String, crate::diag::Problem> {
        Err(crate::diag::Problem::BrokenInternalLink {
            target: target.into(),
            suggestion: None,
        })
    }
    fn image(&mut self, path: &str) -> Result<crate::assets::ImageRef, crate::diag::Problem> {
        Err(crate::diag::Problem::ImageNotFound { path: path.into() })
    }
}

#[cfg(test)]
mod tests {
    /// The depth target's seeds return on a worker-sized stack (they overflowed it before).
    #[test]
    fn shortcode_depth_seeds_return() {
        let seeds: [&[u8]; 3] = [b"\x10\x27\"a\", 1", b"\xff\xff[", b"\x20\x00\"a\""];
        for seed in seeds {
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || super::shortcode_depth(seed))
                .and_then(|t| t.join().map_err(|_| std::io::Error::other("panicked")))
                .expect("returns");
        }
    }
}
