//! The search index: bulletins, pages, barrios and territories, split so a reader downloads
//! only what a query needs (as Pagefind does): one small JSON file per two-letter token
//! prefix, and the documents' titles and summaries in chunks of 500. Tokens are folded like
//! slugs — lower case, no accents — so "ancash" finds "Áncash" and "pino" finds "El Pino".
//! Only what the model holds is indexed: drafts, embargoed items and private fields never
//! are.

mod encode;
mod merge;
mod tokens;

pub use merge::{Gathered, State};
use merge::{full, patch};
use tokens::*;

use super::OutputFile;
use crate::content::slug::{SlugWriter, slugify};
use crate::model::SiteModel;
use rustc_hash::FxBuildHasher;
use std::collections::{BTreeMap, HashMap};

/// Maps keyed by tokens: a million lookups per 10,000 bulletins, where SipHash (built to
/// resist crafted collisions from the network) costs more than the merge itself. Keys come
/// from our own content, so rustc's fast hash (`rustc-hash`) is enough.
type Map<V> = HashMap<String, V, FxBuildHasher>;

/// Postings of one token: document numbers (ascending) where it is in the title, in the
/// summary, in the text.
pub(super) type Postings = [Vec<u32>; 3];

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
///
/// `keep` keeps the documents in the state for a later patch (`serve`); a build passes
/// `false`, and each document is freed as soon as it is merged.
///
/// `gathered` holds the postings of the documents already handed over ([`Gathered::take`]),
/// which only a build does (`serve` keeps every document whole, to patch).
pub fn index(
    docs: Vec<Arc<Indexed>>,
    prev: Option<State>,
    keep: bool,
    gathered: Gathered,
) -> (Vec<OutputFile>, Vec<String>, State) {
    let state = match prev {
        Some(prev) if prev.docs.len() == docs.len() => {
            debug_assert!(gathered.is_empty(), "a patched index gathers nothing");
            patch(prev, docs)
        }
        _ => full(docs, keep, gathered),
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

#[cfg(test)]
mod tests {
    use super::encode::*;
    use super::*;
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
        let none = Gathered::default;
        let (_, _, state) = index(with_qq, None, true, none());
        let (patched, prefixes, _) = index(after.clone(), Some(state), true, none());
        let (full, full_prefixes, _) = index(after, None, false, none());
        assert_eq!(patched, full);
        assert_eq!(prefixes, full_prefixes);
        assert!(!prefixes.contains(&"qq".to_string()));
        assert!(prefixes.contains(&"xy".to_string()));
    }

    #[test]
    fn tokens_gathered_in_any_order_index_as_a_full_merge() {
        let docs: Vec<_> = (0..1300)
            .map(|i| {
                doc(
                    &format!("b{i}"),
                    &format!("ancash lima t{} zz{i} palabra-{}", i % 7, i % 90),
                )
            })
            .collect();
        let (full, full_prefixes, _) = index(docs.clone(), None, false, Gathered::default());
        // Chunks handed over last first, as a pass may finish them; the tail left to the merge.
        // The full merge's copies are gone, so each document is held once again.
        let mut fresh = docs;
        let mut gathered = Gathered::default();
        for start in (0..1200).step_by(64).rev() {
            let end = (start + 64).min(1200);
            gathered.take(start, fresh[start..end].iter_mut());
        }
        assert!(fresh[0].packed.is_empty() && !fresh[1250].packed.is_empty());
        let (taken, prefixes, _) = index(fresh, None, false, gathered);
        assert_eq!(taken, full);
        assert_eq!(prefixes, full_prefixes);
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
