//! The search index: bulletins, pages, barrios and territories, split so a reader downloads
//! only what a query needs (as Pagefind does): one small JSON file per two-letter token
//! prefix, and the documents' titles and summaries in chunks of 500. Tokens are folded like
//! slugs — lower case, no accents — so "ancash" finds "Áncash" and "pino" finds "El Pino".
//! Only what the model holds is indexed: drafts, embargoed items and private fields never
//! are.

use super::OutputFile;
use crate::content::slug::{SlugWriter, alphanumeric_run_end, fold as slugify_fold, slugify};
use crate::model::SiteModel;
use rustc_hash::FxBuildHasher;
use std::collections::{BTreeMap, HashMap};

/// Maps keyed by tokens: a million lookups per 10,000 bulletins, where SipHash (built to
/// resist crafted collisions from the network) costs more than the merge itself. Keys come
/// from our own content, so rustc's fast hash (`rustc-hash`) is enough.
type Map<V> = HashMap<String, V, FxBuildHasher>;

use std::sync::Arc;

/// Documents per chunk file.
pub const CHUNK: usize = 500;

/// Words of a body that are indexed.
const BODY_WORDS: usize = 250;

/// One searchable item.
pub struct Doc {
    /// Its page.
    pub url: String,
    /// Title.
    pub title: String,
    /// "Boletín", "Página", "Barrio", "Territorio".
    pub kind: &'static str,
    /// A short text shown under the title.
    pub summary: String,
    /// Text to index beyond title and summary, already folded by `slugify` (emptied once
    /// tokenised).
    pub text: String,
}

/// Folded tokens of a text (at least two characters).
#[cfg(test)]
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let folded = slugify(text);
    token_slices(&folded)
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The tokens of a text already folded by `slugify` (ASCII, words joined by `-`).
fn token_slices(folded: &str) -> impl Iterator<Item = &str> {
    terminated(folded, b'-').filter(|t| t.len() >= 2)
}

/// `text.split_terminator(sep)` for an ASCII `sep`, by a plain loop over the bytes: the
/// pieces here are words, and a `memchr` call per word cost more than it saved.
fn terminated(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b == sep)
            .map_or(bytes.len(), |j| start + j);
        let piece = text.get(start..end);
        start = end + 1;
        piece
    })
}

/// The first `max_words` words of rendered HTML, space-separated: tags dropped, entities of
/// the five escaped characters undone. What [`folded_words`] folds, kept to test it by.
#[cfg(test)]
fn plain_words(html: &str, max_words: usize) -> String {
    let mut out = String::with_capacity(max_words * 8);
    let mut words = 0;
    let mut in_word = false;
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII bytes directly; other characters decoded one by one (a few in Spanish).
        let (piece, len) = match bytes[i] {
            b'<' => (
                None,
                memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len() - i, |j| j + 1),
            ),
            b'&' => {
                let rest = &html[i..];
                let entity = [
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                    ("&quot;", '"'),
                    ("&#39;", '\''),
                ]
                .into_iter()
                .find(|(e, _)| rest.starts_with(e));
                match entity {
                    Some((e, ch)) => (Some(ch), e.len()),
                    None => (Some('&'), 1),
                }
            }
            b if b < 0x80 => {
                let c = char::from(b);
                ((!c.is_whitespace()).then_some(c), 1)
            }
            _ => {
                let c = html[i..].chars().next().unwrap_or(' ');
                ((!c.is_whitespace()).then_some(c), c.len_utf8())
            }
        };
        i += len;
        match piece {
            Some(ch) => {
                if !in_word {
                    if words == max_words {
                        break;
                    }
                    if words > 0 {
                        out.push(' ');
                    }
                    words += 1;
                    in_word = true;
                }
                out.push(ch);
            }
            None => in_word = false,
        }
    }
    out
}

/// `slugify(&plain_words(html, max_words))` in one pass over the HTML, without the text in
/// between: the first `max_words` words (runs of characters between spaces and tags, the five
/// escaped characters' entities undone) folded to lowercase ASCII, joined by `-`. Stops
/// reading at the last word it needs: a bulletin is indexed by its opening.
///
/// Each byte is classed by one table lookup, and a run of letters and digits (most of the
/// text) is found and copied whole; only bytes outside ASCII are decoded.
fn folded_words(html: &str, max_words: usize, slug: &mut SlugWriter) {
    let bytes = html.as_bytes();
    let n = bytes.len();
    let (mut words, mut in_word) = (0, false);
    // Called where a word's first piece is about to be pushed; false once the words needed
    // are all read.
    let mut begin = |in_word: &mut bool, slug: &mut SlugWriter| {
        if !*in_word {
            if words == max_words {
                return false;
            }
            // The space between two words.
            if words > 0 {
                slug.separate();
            }
            words += 1;
            *in_word = true;
        }
        true
    };
    let mut i = 0;
    while i < n {
        match CLASS[usize::from(bytes[i])] {
            LETTER => {
                let start = i;
                i = alphanumeric_run_end(bytes, i + 1);
                if !begin(&mut in_word, slug) {
                    return;
                }
                slug.push_run(&bytes[start..i]);
            }
            SPACE => {
                in_word = false;
                i += 1;
            }
            TAG => {
                in_word = false;
                i = memchr::memchr(b'>', &bytes[i..]).map_or(n, |j| i + j + 1);
            }
            // The five entities stand for punctuation: part of a word, folded to nothing.
            AMP => {
                if !begin(&mut in_word, slug) {
                    return;
                }
                let rest = &bytes[i..];
                let entity = [&b"&amp;"[..], b"&lt;", b"&gt;", b"&quot;", b"&#39;"]
                    .into_iter()
                    .find(|e| rest.starts_with(e));
                slug.push(0);
                i += entity.map_or(1, <[u8]>::len);
            }
            PUNCT => {
                if !begin(&mut in_word, slug) {
                    return;
                }
                slug.push(0);
                i += 1;
            }
            _ => {
                // `i` is always at a character's start; were it not, the byte would read as
                // punctuation (`\0`: not a space, folded to nothing, one byte long).
                let c = html.get(i..).and_then(|t| t.chars().next()).unwrap_or('\0');
                if c.is_whitespace() {
                    in_word = false;
                } else {
                    if !begin(&mut in_word, slug) {
                        return;
                    }
                    slug.push(slugify_fold(c));
                }
                i += c.len_utf8();
            }
        }
    }
}

/// How [`folded_words`] reads a byte: an ASCII letter or digit, an ASCII space, the start
/// of a tag or of an entity, other ASCII (punctuation), or part of a longer character.
const LETTER: u8 = 0;
const SPACE: u8 = 1;
const TAG: u8 = 2;
const AMP: u8 = 3;
const PUNCT: u8 = 4;
const NON_ASCII: u8 = 5;
const CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            c if c.is_ascii_alphanumeric() => LETTER,
            c if crate::content::words::is_ascii_space(c) => SPACE,
            b'<' => TAG,
            b'&' => AMP,
            _ => PUNCT,
        };
        b += 1;
    }
    t
};

/// `text` with its spaces collapsed, cut at the last whole word within `max` characters
/// (then ending in `…`).
fn short(text: &str, max: usize) -> String {
    let mut t = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(word);
    }
    let Some((end, _)) = t.char_indices().nth(max) else {
        return t;
    };
    let cut = &t[..end];
    format!("{}…", cut.rsplit_once(' ').map_or(cut, |(a, _)| a))
}

/// A token of at most sixteen bytes as one number: its bytes, zero-padded. Tokens hold no
/// zero byte, so two are equal exactly when their numbers are.
fn as_number(token: &str) -> Option<u128> {
    let bytes = token.as_bytes();
    // Two overlapping reads of eight bytes, or a short loop: a copy of a variable length
    // is a call to `memcpy`, which cost more than the rest of this (a million tokens).
    let read = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let len = bytes.len();
    let (low, high) = match len {
        17.. => return None,
        // The last eight bytes, shifted down to drop those already in `low`.
        9..=16 => (read(0), read(len - 8) >> (8 * (16 - len))),
        8 => (read(0), 0),
        _ => {
            let mut low = 0;
            for (k, &b) in bytes.iter().enumerate() {
                low |= u64::from(b) << (8 * k);
            }
            (low, 0)
        }
    };
    Some(u128::from(low) | (u128::from(high) << 64))
}

/// The token [`as_number`] made `n` from.
fn from_number(n: u128) -> String {
    let bytes = n.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// A document with its tokens, each with its best weight (3 title, 2 summary, 1 text).
/// Built once per entry and kept by the `serve` cache, so editing one bulletin
/// re-tokenises one document, not ten thousand.
pub struct Indexed {
    /// The document.
    pub doc: Doc,
    /// Its distinct tokens in order of first appearance, each followed by its weight digit
    /// and a space (`"ancash3 lima1 "`): one allocation per document instead of one per token, which at
    /// 10,000 bulletins is the difference of some sixty megabytes.
    packed: String,
    /// A hash of everything the document was built from, to tell changed documents apart
    /// (its text is dropped once tokenised).
    fingerprint: u64,
}

impl Indexed {
    /// Tokenises a document.
    pub fn new(mut doc: Doc) -> Self {
        // Title, then summary, then text: a token's first weight is its best, so a set that
        // keeps the first of each is all the merge needs (the shards sort tokens later; their
        // order here changes nothing). Tokens are slices of the three folded texts.
        debug_assert!(
            doc.text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "a document's text comes folded"
        );
        let folded = [
            (slugify(&doc.title), 3u8),
            (slugify(&doc.summary), 2),
            (std::mem::take(&mut doc.text), 1),
        ];
        // Most tokens fit in sixteen bytes and are compared as one number (no string hash,
        // no `memcmp`); longer ones as strings.
        let mut seen: std::collections::HashSet<u128, FxBuildHasher> =
            std::collections::HashSet::with_capacity_and_hasher(256, FxBuildHasher);
        let mut seen_long: std::collections::HashSet<&str, FxBuildHasher> =
            std::collections::HashSet::default();
        let mut all: Vec<(&str, u8)> = Vec::with_capacity(256);
        for (f, w) in &folded {
            for t in token_slices(f) {
                let new = match as_number(t) {
                    Some(n) => seen.insert(n),
                    None => seen_long.insert(t),
                };
                if new {
                    all.push((t, *w));
                }
            }
        }
        let mut packed = String::with_capacity(all.iter().map(|(t, _)| t.len() + 2).sum());
        for (t, w) in &all {
            packed.push_str(t);
            packed.push(char::from(b'0' + w));
            packed.push(' ');
        }
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = xxhash_rust::xxh3::Xxh3Default::new();
            (&doc.url, &doc.title, doc.kind, &doc.summary, &folded[2].0).hash(&mut h);
            h.finish()
        };
        Indexed {
            doc,
            packed,
            fingerprint,
        }
    }

    /// Its distinct tokens with their best weight (3 title, 2 summary, 1 text).
    pub fn tokens(&self) -> impl Iterator<Item = (&str, u8)> {
        terminated(&self.packed, b' ').map(|entry| {
            let (token, weight) = entry.split_at(entry.len().saturating_sub(1));
            (token, weight.bytes().next().unwrap_or(b'1') - b'0')
        })
    }
}

/// The searchable item of one bulletin or page (`kind` is "Boletín" or "Página").
pub fn entry_doc(
    model: &SiteModel,
    e: &crate::model::Entry,
    info: &super::views::BodyInfo,
    kind: &'static str,
) -> Doc {
    let base = &model.config.base_url.path;
    let front = &e.doc.front;
    // The opening of the text (where bulletins name their places and topics) keeps the
    // index small enough for phones; titles, summaries, tags and territories are whole.
    let mut text = SlugWriter::with_capacity(BODY_WORDS * 8);
    folded_words(&info.html, BODY_WORDS, &mut text);
    let territories = model.data.records.territories.iter();
    let territories =
        territories.filter(|t| front.territories.iter().any(|x| x.value == t.id.value));
    let barrios = model.data.records.barrios.iter();
    let barrios = barrios.filter(|b| front.barrios.iter().any(|x| x.value == b.id.value));
    let names = territories.map(|t| &t.name).chain(barrios.map(|b| &b.name));
    for name in names.chain(&front.tags) {
        text.separate();
        text.push_str(name);
    }
    Doc {
        url: format!("{base}{}", e.url),
        title: front.title.clone(),
        kind,
        summary: short(&info.summary, 180),
        text: text.finish(),
    }
}

/// The searchable items of the data: every barrio, then every territory.
pub fn place_docs(model: &SiteModel) -> Vec<Doc> {
    let base = &model.config.base_url.path;
    let mut docs = Vec::new();
    let names: BTreeMap<&str, &str> = model
        .data
        .records
        .territories
        .iter()
        .map(|t| (t.id.value.as_str(), t.name.as_str()))
        .collect();
    for b in &model.data.records.barrios {
        let territory = names
            .get(b.territory.value.as_str())
            .copied()
            .unwrap_or_default();
        let place = [
            b.district.as_deref(),
            b.province.as_deref(),
            Some(territory),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        docs.push(Doc {
            url: format!("{base}barrios/{}/", b.id.value),
            title: b.name.clone(),
            kind: "Barrio",
            summary: short(b.summary.as_deref().unwrap_or(&place), 180),
            text: slugify(&format!(
                "{place} {} {}",
                b.description.as_deref().unwrap_or_default(),
                b.sectors.join(" ")
            )),
        });
    }
    for t in &model.data.records.territories {
        docs.push(Doc {
            url: format!("{base}territorios/{}/", t.id.value),
            title: t.name.clone(),
            kind: "Territorio",
            summary: short(t.summary.as_deref().unwrap_or_default(), 180),
            text: String::new(),
        });
    }
    docs
}

/// Postings of one token: document numbers (ascending) where it is in the title, in the
/// summary, in the text.
type Postings = [Vec<u32>; 3];

/// The merged index of one build, kept by `serve` so the next build patches it instead of
/// merging every document again.
pub struct State {
    docs: Vec<Arc<Indexed>>,
    /// Two-letter prefix → token → postings.
    index: Map<Map<Postings>>,
    /// Encoded shard of each prefix.
    shards: BTreeMap<String, Arc<Vec<u8>>>,
    /// Encoded document chunks.
    chunks: Vec<Arc<Vec<u8>>>,
}

/// The index files, under `buscar/`, the list of token prefixes the page needs, and the
/// state the next build may patch.
///
/// Each shard maps a token to three lists of document numbers — where it is in the title,
/// in the summary, in the text — written as differences in base 36 (`"0,3,a|…|…"`), which
/// is a third of the size of JSON pairs.
///
/// With the previous build's `prev` and the same number of documents (document numbers are
/// positions, so they then mean the same), only the documents that differ are taken out of
/// the postings and put back, and only the shards and chunks they touch are encoded again.
/// The result is the same as a full merge, by construction: the postings are a function of
/// each document's tokens alone, and the serve tests compare both after every kind of edit.
pub fn index(
    docs: Vec<Arc<Indexed>>,
    prev: Option<State>,
) -> (Vec<OutputFile>, Vec<String>, State) {
    let state = match prev {
        Some(prev) if prev.docs.len() == docs.len() => patch(prev, docs),
        _ => full(docs),
    };
    let mut files: Vec<OutputFile> = state
        .shards
        .iter()
        .map(|(prefix, bytes)| OutputFile {
            path: format!("buscar/indice/{prefix}.json"),
            bytes: bytes.clone(),
        })
        .collect();
    files.extend(
        state
            .chunks
            .iter()
            .enumerate()
            .map(|(n, bytes)| OutputFile {
                path: format!("buscar/docs/{n}.json"),
                bytes: bytes.clone(),
            }),
    );
    let prefixes = state.shards.keys().cloned().collect();
    (files, prefixes, state)
}

fn prefix(token: &str) -> &str {
    let end = token.char_indices().nth(2).map_or(token.len(), |(i, _)| i);
    &token[..end]
}

fn full(docs: Vec<Arc<Indexed>>) -> State {
    // One lookup per token occurrence (millions), in one flat map; the tokens are grouped by
    // prefix afterwards, once each (tens of thousands).
    // Tokens of up to sixteen bytes are keyed by their number (see `as_number`).
    let mut short: HashMap<u128, Postings, FxBuildHasher> = HashMap::default();
    let mut long: Map<Postings> = Map::default();
    for (d, indexed) in docs.iter().enumerate() {
        for (token, w) in indexed.tokens() {
            let postings = match as_number(token) {
                Some(n) => short.entry(n).or_default(),
                None => match long.get_mut(token) {
                    Some(p) => p,
                    None => long.entry(token.to_string()).or_default(),
                },
            };
            postings[3 - w as usize].push(d as u32);
        }
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
    let chunks = docs.chunks(CHUNK).map(encode_chunk).collect();
    State {
        docs,
        index,
        shards,
        chunks,
    }
}

fn patch(mut state: State, docs: Vec<Arc<Indexed>>) -> State {
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
fn same(a: &Arc<Indexed>, b: &Arc<Indexed>) -> bool {
    Arc::ptr_eq(a, b) || a.fingerprint == b.fingerprint
}

/// A shard: token → `"title|summary|text"` postings, tokens sorted. Written straight into
/// its bytes: what `serde_json` writes for that map, as tokens and postings are only ASCII
/// letters, digits, `,` and `|`, which JSON never escapes (a test checks the two agree).
fn encode_shard(shard: &Map<Postings>) -> Arc<Vec<u8>> {
    let mut sorted: Vec<(&str, &Postings)> = shard.iter().map(|(t, p)| (t.as_str(), p)).collect();
    sorted.sort_unstable_by_key(|(t, _)| *t);
    let mut out = Vec::with_capacity(sorted.len() * 24 + 2);
    out.push(b'{');
    for (n, (token, groups)) in sorted.into_iter().enumerate() {
        debug_assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        );
        if n > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(token.as_bytes());
        out.extend_from_slice(b"\":\"");
        for (g, ids) in groups.iter().enumerate() {
            if g > 0 {
                out.push(b'|');
            }
            encode_into(ids, &mut out);
        }
        out.push(b'"');
    }
    out.push(b'}');
    Arc::new(out)
}

/// A chunk of documents: `[url, title, kind, summary]` each.
fn encode_chunk(chunk: &[Arc<Indexed>]) -> Arc<Vec<u8>> {
    // Tuples serialise as the same JSON arrays, without a tree of values in between.
    let list: Vec<(&str, &str, &str, &str)> = chunk
        .iter()
        .map(|i| {
            let d = &i.doc;
            (d.url.as_str(), d.title.as_str(), d.kind, d.summary.as_str())
        })
        .collect();
    Arc::new(serde_json::to_vec(&list).unwrap_or_default())
}

/// Ascending numbers as differences in base 36, comma-separated.
#[cfg(test)]
fn encode(ids: &[u32]) -> String {
    let mut out = Vec::new();
    encode_into(ids, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`encode`], appended to `out`.
fn encode_into(ids: &[u32], out: &mut Vec<u8>) {
    let mut last = 0;
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut n = id - last;
        last = id;
        let mut digits = [0u8; 8];
        let mut len = 0;
        loop {
            digits[len] = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
            len += 1;
            n /= 36;
            if n == 0 {
                break;
            }
        }
        out.extend(digits[..len].iter().rev());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_tokens_round_trip_through_numbers() {
        for t in ["ab", "lima", "0123456789abcdef", "z9"] {
            assert_eq!(as_number(t).map(from_number).as_deref(), Some(t));
        }
        assert_eq!(as_number("0123456789abcdefg"), None);
        assert_ne!(as_number("ab"), as_number("abc"));
        // Every length: the bytes, zero-padded, as one number.
        let all = "abcdefghijklmnopq";
        for len in 0..=16 {
            let t = &all[..len];
            let mut word = [0u8; 16];
            word[..len].copy_from_slice(t.as_bytes());
            assert_eq!(as_number(t), Some(u128::from_le_bytes(word)), "{t}");
        }
    }

    #[test]
    fn short_cuts_at_a_word_within_the_limit() {
        let old = |text: &str, max: usize| {
            let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.chars().count() <= max {
                return t;
            }
            let cut: String = t.chars().take(max).collect();
            format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a))
        };
        let text = "  Año  de la  niñez:\tcomisión  multisectorial  «Barrio Seguro» ";
        for max in 0..text.len() + 2 {
            assert_eq!(short(text, max), old(text, max), "{max}");
        }
        assert_eq!(short("", 5), "");
    }

    #[test]
    fn terminated_splits_as_split_terminator() {
        for text in [
            "",
            "-",
            "a",
            "a-",
            "-a",
            "a--b-",
            "ab-cd-e",
            "--",
            "lima3 ancash1 ",
        ] {
            for sep in [b'-', b' '] {
                let ours: Vec<&str> = super::terminated(text, sep).collect();
                let std: Vec<&str> = text.split_terminator(char::from(sep)).collect();
                assert_eq!(ours, std, "{text:?}");
            }
        }
    }

    use super::*;

    fn doc(title: &str, text: &str) -> Arc<Indexed> {
        Arc::new(Indexed::new(Doc {
            url: format!("/{title}/"),
            title: title.into(),
            kind: "Boletín",
            summary: String::new(),
            text: slugify(text),
        }))
    }

    #[test]
    fn a_patched_index_equals_a_full_one() {
        let before: Vec<_> = (0..1200)
            .map(|i| doc(&format!("b{i}"), &format!("ancash lima t{} zz{i}", i % 7)))
            .collect();
        let mut after = before.clone();
        // Changed text, a token whose whole shard disappears (`qq`), and a new shard (`xy`).
        after[3] = doc("b3", "ancash callao");
        after[700] = doc("b700", "xylofono");
        let mut with_qq = before.clone();
        with_qq[5] = doc("b5", "qqq lima");
        let (_, _, state) = index(with_qq, None);
        let (patched, prefixes, _) = index(after.clone(), Some(state));
        let (full, full_prefixes, _) = index(after, None);
        assert_eq!(patched, full);
        assert_eq!(prefixes, full_prefixes);
        assert!(!prefixes.contains(&"qq".to_string()));
        assert!(prefixes.contains(&"xy".to_string()));
    }

    fn folded(html: &str, max_words: usize) -> String {
        let mut slug = SlugWriter::with_capacity(0);
        folded_words(html, max_words, &mut slug);
        slug.finish()
    }

    #[test]
    fn folded_words_fold_what_plain_words_read() {
        let html = "<h2 id=\"a\">Considerando</h2>\n<p>Que, el <strong>artículo 88</strong> de la \
                    Ley N.° 27444 &amp; su&#39;s &lt;regla&gt; «Áncash» — ÑAÑA\u{a0}x\u{2003}y \
                    <a href=\"/b/\">enlace</a>… &quot;fin&quot; &copy; 3&nbsp;4</p>\n<ul>\n<li>uno</li>\n</ul>";
        for max in 0..40 {
            assert_eq!(
                folded(html, max),
                slugify(&plain_words(html, max)),
                "{max} words"
            );
        }
        assert_eq!(folded("<p>uno</p><p>dos</p>", 9), "uno-dos");
    }

    #[test]
    fn folded_words_agree_on_random_html() {
        let pieces = [
            "<p>",
            "</p>",
            "<a href=\"/x/\">",
            "</a>",
            "Áncash",
            "N.°",
            "&amp;",
            "&lt;",
            "&#39;",
            "&copy;",
            " ",
            "\n",
            "\u{a0}",
            "\u{85}",
            "\u{3000}",
            "—",
            "ÑAÑA",
            "x1",
            "<",
            "&",
            "año",
            "Z",
            "«",
            "…",
            "\t",
            // Runs of ASCII letters and digits longer than a vector, ending at every offset.
            "Procedimiento",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "0123456789",
        ];
        let mut seed = 11u32;
        for len in 0..200 {
            let mut html = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                html.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            for max in [0, 1, 3, 7, 250] {
                assert_eq!(
                    folded(&html, max),
                    slugify(&plain_words(&html, max)),
                    "{max} words of {html:?}"
                );
            }
        }
    }

    #[test]
    fn postings_are_base36_differences() {
        assert_eq!(encode(&[0, 3, 40, 41]), "0,3,11,1");
        assert_eq!(encode(&[]), "");
        assert_eq!(encode(&[u32::MAX]), "1z141z3");
    }

    /// A shard's bytes are what `serde_json` writes for the sorted map of token → postings.
    #[test]
    fn shards_are_the_json_of_their_sorted_map() {
        let mut shard: Map<Postings> = Map::default();
        shard.insert(
            "lima".into(),
            [vec![0, 5], vec![], vec![1, 2, 3000, u32::MAX]],
        );
        shard.insert("li".into(), [vec![], vec![7], vec![]]);
        shard.insert("lima-2018".into(), [vec![], vec![], vec![9]]);
        shard.insert("l0".into(), [vec![1], vec![1], vec![1]]);
        let sorted: BTreeMap<&str, String> = shard
            .iter()
            .map(|(t, g)| {
                let parts: Vec<String> = g.iter().map(|ids| encode(ids)).collect();
                (t.as_str(), parts.join("|"))
            })
            .collect();
        let json = serde_json::to_vec(&sorted).unwrap();
        assert_eq!(*encode_shard(&shard), json);
        assert_eq!(*encode_shard(&Map::default()), b"{}".to_vec());
    }

    #[test]
    fn tokens_fold_accents_and_case() {
        assert_eq!(
            tokens("Áncash, El Pino y ÑAÑA").collect::<Vec<_>>(),
            ["ancash", "el", "pino", "nana"]
        );
        assert_eq!(
            plain_words(
                "<p>Hola &amp; <em>chau</em></p><p>a&lt;b &#39;x&#39; fin",
                5
            ),
            "Hola & chau a<b 'x'"
        );
        assert_eq!(plain_words("<p>uno</p><p>dos</p>", 9), "uno dos");
    }
}
