//! Encoding: a shard's postings as differences in base 36 (`"0,3,a|…|…"`, a third of the
//! size of JSON pairs) and a chunk's titles and summaries as JSON.

use super::{Indexed, Map, Postings};
use std::sync::Arc;

/// A shard: token → `"title|summary|text"` postings, tokens sorted. Written straight into
/// its bytes: what `serde_json` writes for that map, as tokens and postings are only ASCII
/// letters, digits, `,` and `|`, which JSON never escapes (a test checks the two agree).
pub(super) fn encode_shard(shard: &Map<Postings>) -> Arc<Vec<u8>> {
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
pub(super) fn encode_chunk(chunk: &[Arc<Indexed>]) -> Arc<Vec<u8>> {
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
pub(super) fn encode(ids: &[u32]) -> String {
    let mut out = Vec::new();
    encode_into(ids, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`encode`], appended to `out`.
pub(super) fn encode_into(ids: &[u32], out: &mut Vec<u8>) {
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
