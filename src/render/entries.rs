//! The pass over bulletins and pages: each body is rendered, its page rendered and written,
//! its search document tokenised and its card (the view lists show) prepared — chunk by
//! chunk, in parallel. A body's HTML is then dropped unless a feed shows it, and in `build`
//! its source text is freed too, so a large site never holds every body nor every text at
//! once (at 10,000 bulletins each is some eighty megabytes), and each page is written while
//! its body is still in the processor's cache.
//!
//! A bulletin's page shows its neighbours' cards. The pages at a chunk's edges, whose
//! neighbour is in another chunk, wait (with their bodies' HTML) until every chunk is done:
//! no body is rendered twice, so chunks can be small enough for both cores to finish
//! together.

use super::body::{self, Body};
use super::cache;
use super::pages::Site;
use super::templates::Prepared;
use super::{OutputFile, search, views};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

/// What the pass keeps of one entry.
pub struct Done {
    /// The rendered body (its HTML emptied once no page needs it, outside `serve`).
    pub body: Arc<Body>,
    /// Its card for lists.
    pub card: Prepared,
    /// Its search document.
    pub search: Arc<search::Indexed>,
}

/// A page that was rendered: kept in memory, or already written to the sink.
pub enum Page {
    /// Kept whole (no sink: `check`, `serve`).
    Kept(OutputFile),
    /// Written to the staging folder as soon as it was made; its path.
    Written(String),
}

/// A page, or why it could not be made.
pub type PageResult = Result<Page, Diagnostic>;

/// The pass's inputs besides the site.
pub struct Pass<'a> {
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
    /// The tags' links, which cards share.
    pub tag_links: &'a views::TagLinks,
    /// Where a build hands each chunk's search tokens over as soon as the chunk is done
    /// (`None` in `serve`, whose index keeps every document to patch it).
    pub gathered: Option<&'a std::sync::Mutex<search::Gathered>>,
}

impl Pass<'_> {
    /// Runs the pass over every entry; results in entry order.
    pub fn run(&self) -> (Vec<Done>, Vec<PageResult>) {
        let n = self.site.entries.len();
        // Small chunks: a core that finishes early waits at most one chunk for the last
        // (chunks of 512 left one core idle for a tenth of the pass at 10,000 bulletins).
        // Each chunk is a task of its own: rayon otherwise stops splitting the list of
        // chunks at a quarter per core, and one core made the last few alone (45 ms).
        let size = (n / (rayon::current_num_threads() * 32)).clamp(16, 64);
        let chunks: Vec<Range<usize>> =
            (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect();
        let made: Vec<Vec<(Done, Option<PageResult>)>> = chunks
            .into_par_iter()
            .with_max_len(1)
            .map(|r| self.chunk(r))
            .collect();
        let (mut done, mut pages): (Vec<Done>, Vec<Option<PageResult>>) =
            made.into_iter().flatten().unzip();
        // The pages at the chunks' edges, now that every card is made.
        let edges: Vec<usize> = (0..n).filter(|&i| pages[i].is_none()).collect();
        let edge_pages: Vec<PageResult> = edges
            .par_iter()
            .map(|&i| {
                let card = |j: usize| done[j].card.clone();
                let (older, newer) = self.neighbours(i);
                self.page(
                    i,
                    &done[i].body.info,
                    &done[i].card,
                    older.map(card),
                    newer.map(card),
                )
            })
            .collect();
        for (i, page) in edges.into_iter().zip(edge_pages) {
            pages[i] = Some(page);
            self.drop_html(i, &mut done[i].body);
        }
        let pages: Vec<PageResult> = pages.into_iter().flatten().collect();
        debug_assert_eq!(pages.len(), n, "every entry's page is made");
        (done, pages)
    }

    /// The entries whose cards entry `i`'s page shows: the older and the newer bulletin.
    fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let bulletins = self.site.model.bulletins.len();
        if i >= bulletins {
            return (None, None);
        }
        ((i + 1 < bulletins).then_some(i + 1), i.checked_sub(1))
    }

    /// One chunk, in order. Bodies are made one ahead of pages (a bulletin's page shows the
    /// card of the one after it), so two bodies' HTML are alive at a time. A page whose
    /// neighbour is in another chunk is left (`None`) for [`Pass::run`] to make once that
    /// chunk is done, and its body's HTML kept until then: two per chunk, some three hundred
    /// bodies at 10,000 bulletins.
    fn chunk(&self, range: Range<usize>) -> Vec<(Done, Option<PageResult>)> {
        let made = |i: usize| {
            let body = self.body(i);
            let card = self.card(i, &body);
            (body, card)
        };
        let mut newer: Option<Prepared> = None;
        let mut ahead = None;
        let mut done = Vec::with_capacity(range.len());
        for i in range.clone() {
            let (mut body, card) = ahead.take().unwrap_or_else(|| made(i));
            if i + 1 < range.end {
                ahead = Some(made(i + 1));
            }
            let search = self.search_doc(i, &body.info);
            // The neighbours in this chunk have their cards at hand: the one after is
            // `ahead`, the one before is `newer`.
            let (older_at, newer_at) = self.neighbours(i);
            let here = |j: Option<usize>| j.is_none_or(|j| range.contains(&j));
            let page = (here(older_at) && here(newer_at)).then(|| {
                let older = older_at.and(ahead.as_ref()).map(|(_, c)| c.clone());
                let page = self.page(i, &body.info, &card, older, newer_at.and(newer.take()));
                self.drop_html(i, &mut body);
                page
            });
            newer = Some(card.clone());
            done.push((Done { body, card, search }, page));
        }
        if let Some(gathered) = self.gathered {
            let searches = done.iter_mut().map(|(d, _)| &mut d.search);
            crate::threads::lock(gathered).take(range.start, searches);
        }
        done
    }

    /// Entry `i`'s page, written (or kept).
    fn page(
        &self,
        i: usize,
        info: &views::BodyInfo,
        card: &Prepared,
        older: Option<Prepared>,
        newer: Option<Prepared>,
    ) -> PageResult {
        let file = self.site.run_entry(i, info, card, (older, newer))?;
        super::write_or_keep(self.sink, file)
    }

    /// Drops a body's HTML once its page is made, unless a feed shows it (outside `serve`,
    /// whose cache keeps bodies whole).
    fn drop_html(&self, i: usize, body: &mut Arc<Body>) {
        let site = self.site;
        let in_feed = i < site.model.bulletins.len() && self.keep_html[i];
        if site.cache.is_none()
            && !in_feed
            && let Some(b) = Arc::get_mut(body)
        {
            // Its page, card and search document are made: only feeds read the HTML and
            // the summary again.
            b.info.html = String::new();
            b.info.summary = String::new();
            b.info.headings = Vec::new();
        }
    }

    /// An entry's body: reused from the cache when its inputs are unchanged, else rendered.
    fn body(&self, i: usize) -> Arc<Body> {
        let Some(cache) = self.site.cache else {
            return Arc::new(self.render(i));
        };
        let result = cache
            .body(self.body_key(i))
            .unwrap_or_else(|| Arc::new(self.render(i)));
        cache.store_body(self.body_key(i), result.clone());
        result
    }

    /// Renders entry `i`'s body from its source, and frees the source.
    fn render(&self, i: usize) -> Body {
        let site = self.site;
        let e = site.entries[i];
        // External links are read by `check --externos`, which renders in memory (as do
        // `check` and `serve`); a build writing files does not work out their positions.
        let links = self.sink.is_none();
        let render = |file: &SourceFile| {
            // `serve` (the one pass with a cache) only links the PDFs: a reload never waits
            // for Typst, and a PDF is typeset when it is asked for.
            let pdf = match site.cache {
                None => super::pdf::Pdfs::Typeset,
                Some(_) => super::pdf::Pdfs::LinkOnly,
            };
            body::render(
                site.model,
                site.templates,
                e,
                file,
                self.known_paths,
                (links, pdf),
            )
        };
        // A build kept no text: the file is read again, owned here, and freed with its body.
        match crate::content::with_text(&site.model.root, &e.doc) {
            Ok(file) => render(&file),
            Err(d) => Body::failed(d),
        }
    }

    fn body_key(&self, i: usize) -> u64 {
        cache::key(
            self.body_fingerprint,
            &[&self.site.entry_hashes[i].to_string()],
        )
    }

    /// Entry `i`'s card; with a cache, keyed on the entry and the site's structure (tag
    /// names, counts) so a rebuild prepares only the cards of what changed.
    fn card(&self, i: usize, body: &Body) -> Prepared {
        let site = self.site;
        let make = || {
            let entry = site.entries[i];
            Prepared::new(&views::summary(
                site.model,
                entry,
                &body.info,
                self.tag_links,
            ))
        };
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
