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
