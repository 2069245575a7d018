//! Tokenising: a text folded like a slug (lower case, no accents) and cut into tokens of
//! two or more characters; a body's first words read out of its HTML in one pass over a byte
//! class table; short tokens packed into numbers so merging compares integers.

#[cfg(test)]
use crate::content::slug::slugify;
use crate::content::slug::{SlugWriter, alphanumeric_run_end, fold as slugify_fold};

/// Folded tokens of a text (at least two characters).
#[cfg(test)]
pub(super) fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let folded = slugify(text);
    token_slices(&folded)
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The tokens of a text already folded by `slugify` (ASCII, words joined by `-`).
pub(super) fn token_slices(folded: &str) -> impl Iterator<Item = &str> {
    terminated(folded, b'-').filter(|t| t.len() >= 2)
}

/// `text.split_terminator(sep)` for an ASCII `sep`, by a plain loop over the bytes: the
/// pieces here are words, and a `memchr` call per word cost more than it saved.
pub(super) fn terminated(text: &str, sep: u8) -> impl Iterator<Item = &str> {
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
pub(super) fn plain_words(html: &str, max_words: usize) -> String {
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
pub(super) fn folded_words(html: &str, max_words: usize, slug: &mut SlugWriter) {
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
pub(super) const LETTER: u8 = 0;
pub(super) const SPACE: u8 = 1;
pub(super) const TAG: u8 = 2;
pub(super) const AMP: u8 = 3;
pub(super) const PUNCT: u8 = 4;
pub(super) const NON_ASCII: u8 = 5;
pub(super) const CLASS: [u8; 256] = {
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
pub(super) fn short(text: &str, max: usize) -> String {
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
pub(super) fn as_number(token: &str) -> Option<u128> {
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
pub(super) fn from_number(n: u128) -> String {
    let bytes = n.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}
