//! The pass over bulletins and pages: each body is rendered, its page rendered and written,
//! its search document tokenised and its card (the view lists show) prepared — chunk by
//! chunk, in parallel. A body's HTML is then dropped unless a feed shows it, and in `build`
//! its source text is freed too, so a large site never holds every body nor every text at
//! once (at 10,000 bulletins each is some eighty megabytes), and each page is written while
//! its body is still in the processor's cache.
//!
//! A bulletin's page shows its neighbours' cards; a chunk renders the bodies just outside
//! its edges once more for that (two bodies per chunk of hundreds), which is why the first
//! and last text of each chunk are kept.

use super::cache::{self, BodyResult};
use super::pages::Site;
use super::templates::Prepared;
use super::{OutputFile, render_body, search, views};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// What the pass keeps of one entry.
pub struct Done {
    /// The rendered body (its HTML emptied once no page needs it, outside `serve`).
    pub body: Arc<BodyResult>,
    /// Its card for lists.
    pub card: Prepared,
    /// Its search document.
    pub search: Arc<search::Indexed>,
}

/// A page: kept (`Ok(Ok)`), already written to the sink (`Ok(Err(path))`), or failed.
pub type PageResult = Result<Result<OutputFile, String>, Diagnostic>;

/// The pass's inputs besides the site.
pub struct Pass<'a> {
    /// Each entry's source, taken out of the model so it can be freed once its body is
    /// rendered (`build`); `None`: the documents keep theirs (`serve`, whose cache shares
    /// them). A chunk keeps the sources of its first and last entries, which the chunks
    /// beside it render again for their cards.
    pub sources: Option<Vec<Mutex<Option<SourceFile>>>>,
    /// The site; only its shared parts are read (lists are made after this pass).
    pub site: &'a Site<'a>,
    /// Files links may point to.
    pub known_paths: &'a BTreeSet<String>,
    /// Hash of what every body reads besides its own text (with a cache).
    pub body_fingerprint: u64,
    /// Bulletins whose HTML a feed shows, by index.
    pub keep_html: &'a [bool],
    /// Where pages are written as they are rendered (`build`).
    pub sink: Option<&'a crate::output::Staging>,
}

impl Pass<'_> {
    /// Runs the pass over every entry; results in entry order.
    pub fn run(&self) -> (Vec<Done>, Vec<PageResult>) {
        let n = self.site.entries.len();
        let size = (n / (rayon::current_num_threads() * 8)).clamp(16, 512);
        let chunks: Vec<Range<usize>> =
            (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect();
        let done: Vec<Vec<(Done, PageResult)>> =
            chunks.into_par_iter().map(|r| self.chunk(r)).collect();
        done.into_iter().flatten().unzip()
    }

    /// One chunk, in order. Bodies are made one ahead of pages (a bulletin's page shows the
    /// card of the one after it), so at most two bodies' HTML are alive at a time.
    fn chunk(&self, range: Range<usize>) -> Vec<(Done, PageResult)> {
        let bulletins = self.site.model.bulletins.len();
        let edge = |i: usize| i == range.start || i + 1 == range.end;
        let made = |i: usize| {
            let body = self.body(i, edge(i));
            let card = self.card(i, &body);
            (body, card)
        };
        // The card of the bulletin just before the chunk, from its body rendered again.
        let mut newer = (range.start > 0 && range.start < bulletins).then(|| {
            let i = range.start - 1;
            self.card(i, &self.neighbour_body(i))
        });
        let mut ahead = None;
        let mut done = Vec::with_capacity(range.len());
        for i in range.clone() {
            let (body, card) = ahead.take().unwrap_or_else(|| made(i));
            if i + 1 < range.end {
                ahead = Some(made(i + 1));
            }
            let is_bulletin = i < bulletins;
            let older = match &ahead {
                _ if !is_bulletin || i + 1 >= bulletins => None,
                Some((_, card)) => Some(card.clone()),
                None => Some(self.card(i + 1, &self.neighbour_body(i + 1))),
            };
            let newer_card = if is_bulletin { newer.take() } else { None };
            done.push(self.finish(i, body, card.clone(), older, newer_card));
            newer = Some(card);
        }
        done
    }

    /// Entry `i`'s page written (or kept), its search document made, and its HTML dropped
    /// unless a feed shows it (outside `serve`, whose cache keeps bodies whole).
    fn finish(
        &self,
        i: usize,
        mut body: Arc<BodyResult>,
        card: Prepared,
        older: Option<Prepared>,
        newer: Option<Prepared>,
    ) -> (Done, PageResult) {
        let site = self.site;
        let info = &body.0;
        let page = site
            .run_entry(i, info, older, newer)
            .and_then(|file| match self.sink {
                Some(staging) => staging.write(&file).map(|()| Err(file.path)),
                None => Ok(Ok(file)),
            });
        let search = self.search_doc(i, info);
        let in_feed = i < site.model.bulletins.len() && self.keep_html[i];
        if site.cache.is_none()
            && !in_feed
            && let Some(b) = Arc::get_mut(&mut body)
        {
            b.0.html = String::new();
        }
        (Done { body, card, search }, page)
    }

    /// An entry's body: reused from the cache when its inputs are unchanged, else rendered;
    /// its source is freed then unless `keep`.
    fn body(&self, i: usize, keep: bool) -> Arc<BodyResult> {
        let Some(cache) = self.site.cache else {
            return Arc::new(self.render(i, keep));
        };
        let result = cache
            .body(self.body_key(i))
            .unwrap_or_else(|| Arc::new(self.render(i, keep)));
        cache.store_body(self.body_key(i), result.clone());
        result
    }

    /// A neighbour's body, for its card only: not stored nor counted (its own chunk does).
    fn neighbour_body(&self, i: usize) -> Arc<BodyResult> {
        let cached = self.site.cache.and_then(|c| c.peek_body(self.body_key(i)));
        cached.unwrap_or_else(|| Arc::new(self.render(i, true)))
    }

    /// Renders entry `i`'s body from its source.
    fn render(&self, i: usize, keep: bool) -> BodyResult {
        let site = self.site;
        let e = site.entries[i];
        // External links are read by `check --externos`, which renders in memory (as do
        // `check` and `serve`); a build writing files does not work out their positions.
        let links = self.sink.is_none();
        let render = |file: &SourceFile| {
            render_body(site.model, site.templates, e, file, self.known_paths, links)
        };
        let Some(sources) = &self.sources else {
            return render(&e.doc.file);
        };
        let mut slot = crate::lock(&sources[i]);
        // Every source is there until its own chunk frees it, and edges are never freed:
        // the document's (empty) file is only a guard against a broken invariant.
        let result = render(slot.as_ref().unwrap_or(&e.doc.file));
        if !keep {
            *slot = None;
        }
        result
    }

    fn body_key(&self, i: usize) -> u64 {
        cache::key(
            self.body_fingerprint,
            &[&self.site.entry_hashes[i].to_string()],
        )
    }

    /// Entry `i`'s card; with a cache, keyed on the entry and the site's structure (tag
    /// names, counts) so a rebuild prepares only the cards of what changed.
    fn card(&self, i: usize, body: &BodyResult) -> Prepared {
        let site = self.site;
        let make = || Prepared::new(&views::summary(site.model, site.entries[i], &body.0));
        match site.cache {
            Some(c) => {
                let hash = site.entry_hashes[i].to_string();
                c.card(cache::key(site.fingerprint, &[&hash, "tarjeta"]), make)
            }
            None => make(),
        }
    }

    /// The entry's search document, reused from the cache when unchanged.
    fn search_doc(&self, i: usize, info: &views::BodyInfo) -> Arc<search::Indexed> {
        let site = self.site;
        let kind = if i < site.model.bulletins.len() {
            "Boletín"
        } else {
            "Página"
        };
        let make =
            || search::Indexed::new(search::entry_doc(site.model, site.entries[i], info, kind));
        match site.cache {
            Some(c) => {
                let hash = site.entry_hashes[i].to_string();
                c.search_doc(
                    cache::key(self.body_fingerprint, &[&hash, kind, "buscar"]),
                    make,
                )
            }
            None => Arc::new(make()),
        }
    }
}
