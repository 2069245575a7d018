//! The site's shared state while rendering: what every job reads, shared read-only across
//! threads. Its methods (rendering one job) are in [`super::pages`].

use super::opendata::DatasetView;
use super::templates::{Prepared, Templates};
use super::views::{self, BodyInfo};
use crate::model::{Entry, SiteModel};

/// Everything a job needs, shared read-only across threads.
pub struct Site<'a> {
    /// The site.
    pub model: &'a SiteModel,
    /// Templates.
    pub templates: &'a Templates,
    /// The menu, resolved.
    pub menu: &'a [(String, String)],
    /// Bulletins then pages.
    pub entries: &'a [&'a Entry],
    /// Rendered bodies, same order as `entries` (their HTML only where a feed shows it).
    pub infos: &'a [&'a BodyInfo],
    /// Each entry's card for lists, prepared once, same order as `entries`.
    pub cards: &'a [Prepared],
    /// Dataset views for `/datos/`.
    pub datasets: &'a [DatasetView],
    /// The datasets' downloads, made before any page (a dataset's page gives their sizes).
    pub downloads: &'a [super::OutputFile],
    /// True when drafts are shown (`--drafts`).
    pub drafts: bool,
    /// Results of the previous build, for incremental rebuilds.
    pub cache: Option<&'a super::cache::Cache>,
    /// Hash of the inputs every job shares.
    pub fingerprint: u64,
    /// Per entry, a hash of its source and URL (empty without a cache).
    pub entry_hashes: &'a [u64],
    /// Back-links and map inputs.
    pub places: &'a super::places::Places,
    /// Token prefixes that have an index file (the search page only asks for those).
    pub search_prefixes: &'a [String],
    /// `sitio` for each way the menu can be marked.
    pub sitio: &'a views::SiteValues,
}
