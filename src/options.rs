//! What a build is asked to do ([`BuildOptions`]) and the instant it builds for ([`now`]):
//! the inputs every step may read, defined below all of them.

use std::path::PathBuf;

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root.
    pub root: PathBuf,
    /// Output folder; default `<root>/output`.
    pub output: Option<PathBuf>,
    /// Replaces `url_base` of `sitio.yaml`.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Publish embargoed bulletins too, with a notice (`serve --futuros` only).
    pub future: bool,
    /// The instant embargoes are compared with; default: `SOURCE_DATE_EPOCH` or the clock.
    pub now: Option<jiff::Timestamp>,
    /// Build even when nothing changed since the build in the output folder (`--full`).
    pub full: bool,
}

impl BuildOptions {
    /// Options for the site at `root`, with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            full: false,
        }
    }

    /// The output folder in effect.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else the system clock.
pub fn now() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}
