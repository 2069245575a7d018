//! Word counting, for reading time: the words that start in each text event of a body, as
//! `split_whitespace` would count them over the whole text, carried across events (a word
//! split between two events counts once).
//!
//! Speed: a bulletin's text is counted once per build, and a byte-at-a-time loop with a
//! branch per byte was a twentieth of a build's instructions, so ASCII spaces are found
//! eight bytes at a time with plain word arithmetic (portable, no `unsafe`). The tests hold
//! it against `split_whitespace` and against a byte-by-byte reading of every block.

/// Words of a text, as `split_whitespace` counts them.
#[cfg(test)]
fn count_words(text: &str) -> usize {
    count_words_from(text, false).0
}

/// An ASCII space as `char::is_whitespace` (and so `split_whitespace`) sees it.
pub(crate) const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// [`count_words_from`], with short ASCII texts (a quarter of the text events: a quote, a
/// dash, a word between two marks) counted in place, without the call.
#[inline]
pub(crate) fn count_words_in(text: &str, in_word: bool) -> (usize, bool) {
    match text.as_bytes() {
        short if short.len() < 8 && short.is_ascii() => {
            short.iter().fold((0, in_word), |(words, in_word), &b| {
                let space = is_ascii_space(b);
                (words + usize::from(!space & !in_word), !space)
            })
        }
        _ => count_words_from(text, in_word),
    }
}

/// Words that start in `text`, which starts inside a word when `in_word`; and whether it
/// ends inside one, as `split_whitespace` would count them: eight bytes at a time with word
/// arithmetic ([`count_words_narrow`]).
///
/// Never inlined: inlined, its loop made the event pass that calls it for every text
/// event slower as a whole (about 7 µs more per bulletin, measured on the benchmark corpus).
#[inline(never)]
fn count_words_from(text: &str, in_word: bool) -> (usize, bool) {
    count_words_narrow(text, in_word)
}

/// [`count_words_from`] without vector instructions: eight bytes at a time, ASCII spaces
/// are found with word arithmetic (no table, no branch per byte), and a block holding a
/// lead byte of a multi-byte space (U+0085/U+00A0, U+1680, U+2000–U+205F, U+3000) is read a
/// character at a time, where only those are decoded. Continuation bytes count as "not a
/// space", like the letter they belong to.
fn count_words_narrow(text: &str, mut in_word: bool) -> (usize, bool) {
    let bytes = text.as_bytes();
    let (mut words, mut i) = (0, 0);
    while i < bytes.len() {
        // A bit per space, and a word starts at each non-space after a space.
        if let Some(block) = bytes
            .get(i..i + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
        {
            let x = u64::from_le_bytes(block);
            // (Most blocks are all ASCII: the four comparisons are skipped for them.)
            if x & HIGH == 0 || multi_byte_space_leads(x) == 0 {
                let space = byte_bits(ascii_spaces(x));
                let before = (space << 1) | u8::from(!in_word);
                words += usize::from(BITS_SET[usize::from(!space & before)]);
                in_word = space & 0x80 == 0;
                i += 8;
                continue;
            }
        }
        // One character (a continuation byte, where a block ended inside a character, is
        // "not a space", like the letter it belongs to).
        let (space, len) = match bytes[i] {
            0xC2 | 0xE1..=0xE3 => text
                .get(i..)
                .and_then(|t| t.chars().next())
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
            b => (is_ascii_space(b), 1),
        };
        words += usize::from(!space & !in_word);
        in_word = !space;
        i += len;
    }
    (words, in_word)
}

/// The number of bits set in each byte value (without the `popcnt` instruction, which a
/// portable build may not use, `count_ones` is a dozen instructions).
const BITS_SET: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).count_ones() as u8;
        i += 1;
    }
    t
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each byte of `x` equal to `c`, exactly (no carries between bytes).
const fn bytes_equal(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * c as u64);
    !(((y & LOW7) + LOW7) | y | LOW7)
}

/// The high bit of each byte of `x` that is an ASCII space (`' '`, `\t` to `\r`).
const fn ascii_spaces(x: u64) -> u64 {
    let low = x & LOW7;
    let from_tab = (low + ONES * (0x80 - 0x09)) & HIGH;
    let past_cr = (low + ONES * (0x80 - 0x0E)) & HIGH;
    bytes_equal(x, b' ') | (from_tab & !past_cr & !(x & HIGH))
}

/// The high bit of each byte of `x` that may start a multi-byte space.
const fn multi_byte_space_leads(x: u64) -> u64 {
    bytes_equal(x, 0xC2) | bytes_equal(x, 0xE1) | bytes_equal(x, 0xE2) | bytes_equal(x, 0xE3)
}

/// The high bits of the eight bytes gathered into one byte, byte 0 in bit 0.
const fn byte_bits(high: u64) -> u8 {
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_does() {
        for text in [
            "",
            "  ",
            "uno",
            " uno  dos\ttres\n",
            "año\u{a0}niño\u{2003}ración\u{3000}x\u{b}y\u{c}z\r",
            "¿Qué? ¡Sí!  — Ñandú…",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    /// The word arithmetic against a byte-by-byte reading: every byte value at every
    /// position of a block, among neighbours that are spaces, letters or high bytes.
    #[test]
    fn block_masks_match_each_byte() {
        // The reference: what `split_whitespace` splits at, among ASCII bytes.
        let is_space = |b: u8| b.is_ascii() && char::from(b).is_whitespace();
        assert!((0..=255u8).all(|b| is_ascii_space(b) == is_space(b)));
        let is_lead = |b: u8| matches!(b, 0xC2 | 0xE1..=0xE3);
        for fill in [
            b'a', b' ', b'\n', 0x80, 0xC3, 0xE2, 0x08, 0x0E, 0x1F, 0x21, 0xA0,
        ] {
            for b in 0..=255u8 {
                for k in 0..8 {
                    let mut block = [fill; 8];
                    block[k] = b;
                    let x = u64::from_le_bytes(block);
                    let want = |f: &dyn Fn(u8) -> bool| {
                        block
                            .iter()
                            .enumerate()
                            .fold(0u8, |m, (j, &c)| m | (u8::from(f(c)) << j))
                    };
                    assert_eq!(byte_bits(ascii_spaces(x)), want(&is_space), "{block:?}");
                    assert_eq!(
                        byte_bits(multi_byte_space_leads(x)),
                        want(&is_lead),
                        "{block:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn words_are_counted_alike_across_runs_of_ascii() {
        // Long texts, so the 8-byte blocks and their edges (a word or a space across an edge,
        // a non-ASCII character inside a run) are all crossed.
        let pieces = [
            "a", " ", "palabra", "\t\n", "ñ", "\u{a0}", "  x", "\u{b}", "z\r\n", "ó", "N.°", "—",
            "\u{2003}", "«", "\u{3000}", "…", "\u{85}",
        ];
        let mut seed = 7u32;
        for len in 0..300 {
            let mut text = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            let want = text.split_whitespace().count();
            assert_eq!(count_words(&text), want, "{text:?}");
            assert_eq!(count_words_narrow(&text, false).0, want, "{text:?}");
            // Cut into pieces (text events), each counted from where the last one ended,
            // at every kind of edge: inside a word, a space or a multi-byte character.
            for step in [1, 5, 15, 16, 17, 40] {
                let (mut words, mut in_word, mut at) = (0, false, 0);
                while at < text.len() {
                    let mut end = (at + step).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    let (w, inside) = count_words_from(&text[at..end], in_word);
                    words += w;
                    in_word = inside;
                    at = end;
                }
                assert_eq!(words, want, "{text:?} in pieces of {step}");
            }
        }
    }
}
