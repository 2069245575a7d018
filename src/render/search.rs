//! The search index: bulletins, pages, barrios and territories, split so a reader downloads
//! only what a query needs (as Pagefind does): one small JSON file per two-letter token
//! prefix, and the documents' titles and summaries in chunks of 500. Tokens are folded like
//! slugs — lower case, no accents — so "ancash" finds "Áncash" and "pino" finds "El Pino".
//! Only what the model holds is indexed: drafts, embargoed items and private fields never
//! are.

use super::OutputFile;
use crate::content::slug::slugify;
use crate::model::SiteModel;
use std::collections::BTreeMap;

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
    /// Text to index beyond title and summary.
    pub text: String,
}

/// Folded tokens of a text (at least two characters).
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let folded = slugify(text);
    folded
        .split('-')
        .filter(|t| t.chars().count() >= 2)
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The text of rendered HTML: tags dropped, entities of the five escaped characters undone.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn short(text: &str, max: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        return t;
    }
    let cut: String = t.chars().take(max).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a))
}

/// A document with its tokens, each with its best weight (3 title, 2 summary, 1 text).
/// Built once per entry and kept by the `serve` cache, so editing one bulletin
/// re-tokenises one document, not ten thousand.
pub struct Indexed {
    /// The document.
    pub doc: Doc,
    /// Its distinct tokens and their weights, in no particular order.
    pub tokens: Vec<(String, u8)>,
}

impl Indexed {
    /// Tokenises a document.
    pub fn new(doc: Doc) -> Self {
        let mut best: std::collections::HashMap<String, u8> = std::collections::HashMap::new();
        for (text, weight) in [(&doc.title, 3u8), (&doc.summary, 2), (&doc.text, 1)] {
            for t in tokens(text) {
                let w = best.entry(t).or_insert(0);
                *w = (*w).max(weight);
            }
        }
        Indexed {
            doc,
            tokens: best.into_iter().collect(),
        }
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
    let mut text: String = plain_text(&info.html)
        .split_whitespace()
        .take(BODY_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    for t in &model.data.records.territories {
        if front.territories.iter().any(|x| x.value == t.id.value) {
            text.push(' ');
            text.push_str(&t.name);
        }
    }
    for b in &model.data.records.barrios {
        if front.barrios.iter().any(|x| x.value == b.id.value) {
            text.push(' ');
            text.push_str(&b.name);
        }
    }
    text.push(' ');
    text.push_str(&front.tags.join(" "));
    Doc {
        url: format!("{base}{}", e.url),
        title: front.title.clone(),
        kind,
        summary: short(&info.summary, 180),
        text,
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
            text: format!(
                "{place} {} {}",
                b.description.as_deref().unwrap_or_default(),
                b.sectors.join(" ")
            ),
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

/// The index files, under `buscar/`, and the list of token prefixes the page needs.
///
/// Each shard maps a token to three lists of document numbers — where it is in the title,
/// in the summary, in the text — written as differences in base 36 (`"0,3,a|…|…"`), which
/// is a third of the size of JSON pairs.
pub fn files(docs: &[std::sync::Arc<Indexed>]) -> (Vec<OutputFile>, Vec<String>) {
    // token → [docs by weight 3, 2, 1], doc numbers ascending.
    let mut index: std::collections::HashMap<&str, [Vec<usize>; 3]> =
        std::collections::HashMap::new();
    for (d, indexed) in docs.iter().enumerate() {
        for (token, w) in &indexed.tokens {
            index.entry(token.as_str()).or_default()[3 - *w as usize].push(d);
        }
    }
    let mut shards: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (token, groups) in index {
        let prefix: String = token.chars().take(2).collect();
        let encoded: Vec<String> = groups.iter().map(|g| encode(g)).collect();
        shards
            .entry(prefix)
            .or_default()
            .insert(token.to_string(), encoded.join("|"));
    }
    let mut files = Vec::new();
    let prefixes: Vec<String> = shards.keys().cloned().collect();
    for (prefix, map) in shards {
        let bytes = serde_json::to_vec(&map).unwrap_or_default();
        files.push(OutputFile {
            path: format!("buscar/indice/{prefix}.json"),
            bytes: bytes.into(),
        });
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let list: Vec<serde_json::Value> = chunk
            .iter()
            .map(|i| {
                let d = &i.doc;
                serde_json::json!([d.url, d.title, d.kind, d.summary])
            })
            .collect();
        files.push(OutputFile {
            path: format!("buscar/docs/{n}.json"),
            bytes: serde_json::to_vec(&list).unwrap_or_default().into(),
        });
    }
    (files, prefixes)
}

/// Ascending numbers as differences in base 36, comma-separated.
fn encode(ids: &[usize]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut n = id - last;
        last = id;
        let mut digits = Vec::new();
        loop {
            digits.push(std::char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
            n /= 36;
            if n == 0 {
                break;
            }
        }
        out.extend(digits.iter().rev());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_base36_differences() {
        assert_eq!(encode(&[0, 3, 40, 41]), "0,3,11,1");
        assert_eq!(encode(&[]), "");
    }

    #[test]
    fn tokens_fold_accents_and_case() {
        assert_eq!(
            tokens("Áncash, El Pino y ÑAÑA").collect::<Vec<_>>(),
            ["ancash", "el", "pino", "nana"]
        );
        assert_eq!(
            plain_text("<p>Hola &amp; <em>chau</em></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Hola", "&", "chau"]
        );
    }
}
