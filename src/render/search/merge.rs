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
    short: HashMap<u128, Lists, FxBuildHasher>,
    long: Map<Lists>,
}

/// A token's documents where it is in the title, in the summary, in the text.
type Lists = [Packed; 3];

/// Document numbers in the order they came, each written as its difference from the one
/// before (zigzag, so that a smaller one can follow) in LEB128 bytes: one byte for most, as
/// a token's documents come close together, where a `u32` took four and the room a `Vec`
/// keeps for growing up to four more. At 10,000 bulletins there are 4.4 million of them.
#[derive(Default)]
struct Packed {
    bytes: Vec<u8>,
    last: u32,
}

impl Packed {
    fn push(&mut self, d: u32) {
        let delta = i64::from(d) - i64::from(self.last);
        let mut z = ((delta << 1) ^ (delta >> 63)) as u64;
        while z >= 0x80 {
            self.bytes.push((z as u8 & 0x7f) | 0x80);
            z >>= 7;
        }
        self.bytes.push(z as u8);
        self.last = d;
    }

    /// The numbers, ascending.
    fn sorted(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.bytes.len());
        let (mut last, mut z, mut shift) = (0i64, 0u64, 0u32);
        for &b in &self.bytes {
            z |= u64::from(b & 0x7f) << shift;
            if b & 0x80 != 0 {
                shift += 7;
                continue;
            }
            last += (z >> 1) as i64 ^ -((z & 1) as i64);
            out.push(last as u32);
            (z, shift) = (0, 0);
        }
        // Chunks were handed over as they finished, in any order; the lists must ascend.
        out.sort_unstable();
        out
    }
}

impl Gathered {
    /// True when nothing was gathered.
    pub fn is_empty(&self) -> bool {
        self.short.is_empty() && self.long.is_empty()
    }

    /// Adds the tokens of document number `d`.
    fn add(&mut self, d: u32, indexed: &Indexed) {
        for (token, w) in indexed.tokens() {
            let lists = match as_number(token) {
                Some(n) => self.short.entry(n).or_default(),
                None => match self.long.get_mut(token) {
                    Some(p) => p,
                    None => self.long.entry(token.to_string()).or_default(),
                },
            };
            lists[3 - w as usize].push(d);
        }
    }

    /// Adds the tokens of documents `first..` (`docs`, in order) and drops them from each
    /// document that no one else holds (the display fields stay for the chunk files): a
    /// document taken this way has no tokens left for [`full`] to add again.
    pub fn take<'a>(&mut self, first: usize, docs: impl IntoIterator<Item = &'a mut Arc<Indexed>>) {
        for (d, indexed) in (first..).zip(docs) {
            if let Some(only) = Arc::get_mut(indexed) {
                self.add(d as u32, only);
                only.packed = String::new();
            }
        }
    }
}

/// Merges every document, with the postings already `gathered`. Without `keep` (a build,
/// whose index is not patched later) each document is freed as soon as its tokens are
/// merged, after the chunks that show it are encoded, and each shard's postings are
/// unpacked only to be encoded: the state keeps no index.
pub(super) fn full(docs: Vec<Arc<Indexed>>, keep: bool, mut gathered: Gathered) -> State {
    use rayon::prelude::*;
    let chunks = docs.chunks(CHUNK).map(encode_chunk).collect();
    let mut kept = Vec::with_capacity(if keep { docs.len() } else { 0 });
    for (d, indexed) in docs.into_iter().enumerate() {
        gathered.add(d as u32, &indexed);
        if keep {
            kept.push(indexed);
        }
    }
    let Gathered { short, long } = gathered;
    let short = short.into_iter().map(|(n, p)| (from_number(n), p));
    let mut by_prefix: Map<Vec<(String, Lists)>> = Map::default();
    for (token, lists) in short.chain(long) {
        let tokens = by_prefix.entry(prefix(&token).to_string()).or_default();
        tokens.push((token, lists));
    }
    let unpack = |tokens: Vec<(String, Lists)>| -> Map<Postings> {
        let unpacked = tokens
            .into_iter()
            .map(|(t, lists)| (t, lists.map(|l| l.sorted())));
        unpacked.collect()
    };
    if !keep {
        let shards = by_prefix
            .into_par_iter()
            .map(|(p, tokens)| (p, encode_shard(&unpack(tokens))))
            .collect();
        return State {
            docs: kept,
            index: Map::default(),
            shards,
            chunks,
        };
    }
    let index: Map<Map<Postings>> = by_prefix
        .into_iter()
        .map(|(p, tokens)| (p, unpack(tokens)))
        .collect();
    let shards = index
        .par_iter()
        .map(|(p, shard)| (p.clone(), encode_shard(shard)))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::Packed;

    #[test]
    fn packed_lists_give_back_their_numbers_ascending() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in [0usize, 1, 2, 7, 300, 5000] {
            let mut ids: Vec<u32> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Mostly close together, sometimes far, both ways, to the type's ends.
                    match seed % 7 {
                        0 => u32::MAX - (seed >> 40) as u32 % 3,
                        1 => (seed >> 40) as u32 % 3,
                        _ => (seed >> 32) as u32 % 100_000,
                    }
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let mut shuffled = ids.clone();
            shuffled.reverse();
            let third = shuffled.len() / 3;
            shuffled.rotate_left(third);
            let mut packed = Packed::default();
            shuffled.iter().for_each(|&d| packed.push(d));
            assert_eq!(packed.sorted(), ids, "{len}");
        }
        let mut close = Packed::default();
        (0..1000).for_each(|d| close.push(d));
        assert_eq!(close.bytes.len(), 1000, "one byte each for neighbours");
    }
}
