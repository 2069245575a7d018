//! A fixture site in a temporary folder, built through the library or the binary.

use boletin::BuildOptions;
use boletin::diag::Diagnostic;
use std::path::{Path, PathBuf};

pub const SITE_YAML: &str =
    "titulo: Sitio de prueba\nurl_base: https://example.org/sub/\npor_pagina: 2\n";

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty folder.
    pub fn empty() -> Self {
        Site {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A site with `sitio.yaml` and nothing else.
    pub fn new() -> Self {
        Site::empty().with("content/sitio.yaml", SITE_YAML)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn with(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    pub fn bulletin(self, name: &str, title: &str, date: &str, body: &str) -> Self {
        let text = format!("---\ntitulo: {title}\nfecha: {date}\n---\n{body}");
        self.with(&format!("content/boletines/{name}"), &text)
    }

    pub fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(self.root());
        o.now = Some("2026-01-01T00:00:00Z".parse().expect("timestamp"));
        o
    }

    pub fn build(&self) -> Result<boletin::Summary, Vec<Diagnostic>> {
        boletin::build(&self.options())
    }

    /// Builds and panics with the messages if the build fails.
    pub fn build_ok(&self) -> &Self {
        if let Err(d) = self.build() {
            let text: Vec<String> = d.iter().map(ToString::to_string).collect();
            panic!("build failed:\n{}", text.join("\n"));
        }
        self
    }

    /// The messages of a failing build, one per line.
    pub fn errors(&self) -> Vec<String> {
        match self.build() {
            Ok(_) => panic!("the build should have failed"),
            Err(d) => d.iter().map(ToString::to_string).collect(),
        }
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.root().join("output").join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The output path of a theme static file published under a content-hashed name:
    /// `css/boletin.css` → `css/boletin.3f2a9c1e.css`; fails unless exactly one exists.
    pub fn hashed(&self, path: &str) -> String {
        let (stem, ext) = path.rsplit_once('.').expect("extension");
        let found: Vec<String> = self
            .snapshot()
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| {
                p.strip_prefix(stem)
                    .and_then(|r| r.strip_suffix(&format!(".{ext}")))
                    .and_then(|h| h.strip_prefix('.'))
                    .is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            })
            .collect();
        assert_eq!(found.len(), 1, "{path}: {found:?}");
        found[0].clone()
    }

    /// Fails when any output file holds `needle` (a private or unpublished sentinel).
    pub fn assert_nowhere(&self, needle: &str) {
        for (path, bytes) in self.snapshot() {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(needle),
                "leak in {path}"
            );
        }
    }

    /// The one folder of `.boletin/` where builds of `output/` keep their record.
    pub fn state(&self) -> PathBuf {
        let dirs: Vec<PathBuf> = std::fs::read_dir(self.root().join(".boletin"))
            .expect(".boletin/")
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(dirs.len(), 1, "{dirs:?}");
        let name = dirs[0].file_name().expect("name").to_string_lossy();
        assert!(name.starts_with("output-"), "{name}");
        dirs[0].clone()
    }

    /// The names in the site's folder, sorted.
    pub fn top_level(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root())
            .expect("root")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Every output file with its bytes, sorted: to compare whole builds.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        snapshot(&self.root().join("output"))
    }
}

pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Runs the binary; returns (status, stdout, stderr).
pub fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_boletin"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .expect("run boletin");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
