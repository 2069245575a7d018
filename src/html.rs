//! HTML escaping: the one escaper for text put in element content or an attribute value,
//! used by Markdown, templates (as Tera's escape function), charts, the map and `serve`.
//!
//! It replaces the five characters `&<>"'` exactly as Tera's own autoescape does, so a
//! value escaped here and one Tera escaped read the same. Speed is its only subtlety: values
//! are escaped on every page (five hundred of them), so short values are checked with one
//! table pass and long ones searched with `memchr`; a plain twin (Tera's) checks it.

/// `text` escaped for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 8);
    // Writing into a `Vec` cannot fail.
    let _ = escape_to(text, &mut out);
    // Only ASCII entities replace ASCII bytes: the text stays UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Escapes `input` into `out`: Tera's autoescape, byte for byte (`&<>"'`), written in runs: Tera's own writes every byte
/// with its own `write_all` through a `dyn Write`, and that was a tenth of a build's time.
/// The five characters are found with `memchr`'s vector search (three and two at a time),
/// not byte by byte: escaping was a quarter of rendering a page.
///
/// Most values are short (a name, a date, a link: five hundred of them on a page), and
/// for those one pass over a table is three times faster than setting up the two searches.
pub fn escape_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    if bytes.len() <= 64 && !bytes.iter().any(|&b| ESCAPED[usize::from(b)]) {
        return out.write_all(bytes);
    }
    let mut found = ascending(
        memchr::memchr3_iter(b'&', b'<', b'>', bytes),
        memchr::memchr2_iter(b'"', b'\'', bytes),
    )
    .peekable();
    if found.peek().is_none() {
        return out.write_all(bytes);
    }
    // Text with markup in it (a feed entry's whole HTML) is escaped into one buffer and
    // written once: not two writes through `dyn Write` per character replaced.
    let mut escaped = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let mut from = 0;
    for i in found {
        let entity: &[u8] = match bytes[i] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#39;",
        };
        escaped.extend_from_slice(&bytes[from..i]);
        escaped.extend_from_slice(entity);
        from = i + 1;
    }
    escaped.extend_from_slice(&bytes[from..]);
    out.write_all(&escaped)
}

/// The bytes [`escape_to`] replaces.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

/// Two ascending sequences of positions (two `memchr` searches over the same text) as one:
/// `memchr` looks for at most three bytes at once, and escaping needs more.
pub fn ascending(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if y < x => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_matches_teras_own() {
        let texts = [
            "",
            "plain",
            "<a href=\"x\">O'Higgins & Cía</a>",
            "ñandú > 3 <",
            "&&''\"\"",
        ];
        for text in texts {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            super::escape_to(text, &mut ours).unwrap();
            tera::escape_html(text, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        // Random texts of every length up to 300, so each special character falls at every
        // place relative to the vector search's blocks, alone and in runs.
        let alphabet = ['&', '<', '>', '"', '\'', 'a', ' ', 'ñ', '—', '/', '9'];
        let mut seed = 0x2545_f491_u64;
        for len in 0..300 {
            let text: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let pick = (seed >> 33) as usize % (alphabet.len() + 20);
                    alphabet.get(pick).copied().unwrap_or('x')
                })
                .collect();
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            super::escape_to(&text, &mut ours).unwrap();
            tera::escape_html(&text, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
