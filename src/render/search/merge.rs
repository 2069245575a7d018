//! Merging: every document's tokens into postings per two-letter prefix — in full, or, in
//! `serve`, patched from the previous build for the documents that changed only.

use super::encode::{encode_chunk, encode_shard};
use super::tokens::*;
use super::{CHUNK, Indexed, Map, Postings};
use rustc_hash::FxBuildHasher;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The merged index of one build, kept by `serve` so the next build patches it instead of
/// merging every document again.
pub struct State {
    pub(super) docs: Vec<Arc<Indexed>>,
    /// Two-letter prefix → token → postings.
    pub(super) index: Map<Map<Postings>>,
    /// Encoded shard of each prefix.
    pub(super) shards: BTreeMap<String, Arc<Vec<u8>>>,
    /// Encoded document chunks.
    pub(super) chunks: Vec<Arc<Vec<u8>>>,
}

pub(super) fn prefix(token: &str) -> &str {
    let end = token.char_indices().nth(2).map_or(token.len(), |(i, _)| i);
    &token[..end]
}

/// Postings gathered before the merge, in whatever order documents come: a build hands over
/// each chunk of its pass as soon as the chunk is done ([`Gathered::take`]), so the packed
/// tokens of ten thousand documents never wait for the last one (at 10,000 bulletins they
/// were some thirty-five megabytes, more than the postings they become).
///
/// One lookup per token occurrence (millions), in one flat map; the tokens are grouped by
/// prefix in [`full`], once each (tens of thousands). Tokens of up to sixteen bytes are
/// keyed by their number (see `as_number`).
#[derive(Default)]
pub struct Gathered {
    short: HashMap<u128, Postings, FxBuildHasher>,
    long: Map<Postings>,
}

impl Gathered {
    /// True when nothing was gathered.
    pub fn is_empty(&self) -> bool {
        self.short.is_empty() && self.long.is_empty()
    }

    /// Adds the tokens of document number `d`.
    fn add(&mut self, d: u32, indexed: &Indexed) {
        for (token, w) in indexed.tokens() {
            let postings = match as_number(token) {
                Some(n) => self.short.entry(n).or_default(),
                None => match self.long.get_mut(token) {
                    Some(p) => p,
                    None => self.long.entry(token.to_string()).or_default(),
                },
            };
            postings[3 - w as usize].push(d);
        }
    }

    /// Adds the tokens of documents `first..` (`docs`, in order) and drops them from each
    /// document that no one else holds (the display fields stay for the chunk files). A
    /// document taken this way is not merged again by [`full`].
    pub fn take<'a>(&mut self, first: usize, docs: impl IntoIterator<Item = &'a mut Arc<Indexed>>) {
        for (d, indexed) in (first..).zip(docs) {
            if let Some(only) = Arc::get_mut(indexed) {
                self.add(d as u32, only);
                only.packed = String::new();
                only.taken = true;
            }
        }
    }
}

/// Merges every document, with the postings already `gathered`. Without `keep` (a build,
/// whose index is not patched later) each document is freed as soon as its tokens are
/// merged, after the chunks that show it are encoded: the packed tokens of every document
/// never sit beside the whole merged index.
pub(super) fn full(docs: Vec<Arc<Indexed>>, keep: bool, gathered: Gathered) -> State {
    let chunks = docs.chunks(CHUNK).map(encode_chunk).collect();
    let mut gathered = gathered;
    let sort = !gathered.is_empty();
    let mut kept = Vec::with_capacity(if keep { docs.len() } else { 0 });
    for (d, indexed) in docs.into_iter().enumerate() {
        if !indexed.taken {
            gathered.add(d as u32, &indexed);
        }
        if keep {
            kept.push(indexed);
        }
    }
    let Gathered {
        mut short,
        mut long,
    } = gathered;
    // Chunks were handed over as they finished, in any order; the lists must ascend.
    if sort {
        let lists = short.values_mut().chain(long.values_mut()).flatten();
        lists.for_each(|list| list.sort_unstable());
    }
    let short = short.into_iter().map(|(n, p)| (from_number(n), p));
    let mut index: Map<Map<Postings>> = Map::default();
    for (token, postings) in short.chain(long) {
        let shard = index.entry(prefix(&token).to_string()).or_default();
        shard.insert(token, postings);
    }
    let shards = {
        use rayon::prelude::*;
        index
            .par_iter()
            .map(|(p, shard)| (p.clone(), encode_shard(shard)))
            .collect()
    };
    State {
        docs: kept,
        index,
        shards,
        chunks,
    }
}

pub(super) fn patch(mut state: State, docs: Vec<Arc<Indexed>>) -> State {
    let changed: Vec<usize> = (0..docs.len())
        .filter(|&i| !same(&state.docs[i], &docs[i]))
        .collect();
    let mut touched: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for &d in &changed {
        let n = d as u32;
        for (token, w) in state.docs[d].tokens() {
            let p = prefix(token);
            if let Some(shard) = state.index.get_mut(p) {
                if let Some(postings) = shard.get_mut(token) {
                    let list = &mut postings[3 - w as usize];
                    if let Ok(at) = list.binary_search(&n) {
                        list.remove(at);
                    }
                    if postings.iter().all(Vec::is_empty) {
                        shard.remove(token);
                    }
                }
                touched.insert(p.to_string());
            }
        }
        for (token, w) in docs[d].tokens() {
            let p = prefix(token);
            let list = &mut state
                .index
                .entry(p.to_string())
                .or_default()
                .entry(token.to_string())
                .or_default()[3 - w as usize];
            if let Err(at) = list.binary_search(&n) {
                list.insert(at, n);
            }
            touched.insert(p.to_string());
        }
    }
    // Shards of common prefixes ("de", "la") are large: encode the touched ones in parallel.
    use rayon::prelude::*;
    let encoded: Vec<(String, Option<Arc<Vec<u8>>>)> = touched
        .into_par_iter()
        .map(|p| {
            let bytes = state
                .index
                .get(&p)
                .filter(|shard| !shard.is_empty())
                .map(encode_shard);
            (p, bytes)
        })
        .collect();
    for (p, bytes) in encoded {
        match bytes {
            Some(b) => {
                state.shards.insert(p, b);
            }
            None => {
                state.index.remove(&p);
                state.shards.remove(&p);
            }
        }
    }
    let chunks: std::collections::BTreeSet<usize> = changed.iter().map(|d| d / CHUNK).collect();
    for n in chunks {
        let end = ((n + 1) * CHUNK).min(docs.len());
        state.chunks[n] = encode_chunk(&docs[n * CHUNK..end]);
    }
    state.docs = docs;
    state
}

/// Two documents index alike: the same one kept by the cache, or built from equal inputs.
pub(super) fn same(a: &Arc<Indexed>, b: &Arc<Indexed>) -> bool {
    Arc::ptr_eq(a, b) || a.fingerprint == b.fingerprint
}
