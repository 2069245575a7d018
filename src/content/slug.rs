//! Slugs for URLs and heading ids: lowercase ASCII, accents folded, words joined by `-`.
//! "Comisión Multisectorial" → `comision-multisectorial`; "Año 2018" → `ano-2018`.

/// Turns any text into a slug.
pub fn slugify(text: &str) -> String {
    let mut slug = SlugWriter::with_capacity(text.len());
    slug.push_str(text);
    slug.finish()
}

/// A slug being written, byte by folded byte: letters and digits join it (lowercased),
/// anything else separates, and a separator becomes one `-` only between two runs. What
/// [`slugify`] and the search index's text are both made with.
pub(crate) struct SlugWriter {
    out: Vec<u8>,
    pending_dash: bool,
}

impl SlugWriter {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        SlugWriter {
            out: Vec::with_capacity(capacity),
            pending_dash: false,
        }
    }

    /// One folded character ([`fold`]'s byte, or ASCII): kept if a letter or digit.
    pub(crate) fn push(&mut self, b: u8) {
        if b.is_ascii_alphanumeric() {
            self.dash();
            self.out.push(b.to_ascii_lowercase());
        } else {
            self.separate();
        }
    }

    /// A run of ASCII letters and digits, copied at once. Setting bit 5 lowers a letter
    /// and leaves a digit as it is: one operation the compiler applies to many bytes at a
    /// time (`to_ascii_lowercase` compares each byte first).
    pub(crate) fn push_run(&mut self, run: &[u8]) {
        debug_assert!(run.iter().all(u8::is_ascii_alphanumeric));
        self.dash();
        self.out.extend(run.iter().map(|b| b | 0x20));
    }

    /// Any text, folded. Runs of ASCII letters and digits are copied whole, other ASCII
    /// read as bytes, and only the rest decoded (search tokenises whole texts through here).
    pub(crate) fn push_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let end = alphanumeric_run_end(bytes, i + 1);
                self.push_run(&bytes[i..end]);
                i = end;
                continue;
            }
            let (b, len) = match b {
                b if b < 0x80 => (b, 1),
                _ => text
                    .get(i..)
                    .and_then(|t| t.chars().next())
                    .map_or((0, 1), |c| (fold(c), c.len_utf8())),
            };
            self.push(b);
            i += len;
        }
    }

    /// Ends the current run: the next letter or digit comes after a `-`.
    pub(crate) fn separate(&mut self) {
        self.pending_dash = true;
    }

    fn dash(&mut self) {
        if self.pending_dash && !self.out.is_empty() {
            self.out.push(b'-');
        }
        self.pending_dash = false;
    }

    pub(crate) fn finish(self) -> String {
        // Only ASCII letters, digits and dashes were pushed.
        String::from_utf8(self.out).unwrap_or_default()
    }
}

/// True when `slug` is already in slug form (what `slugify` would produce).
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty() && slugify(slug) == slug
}

/// Folds Spanish (and common Latin) accented letters to ASCII; any other character to 0.
pub(crate) fn fold(c: char) -> u8 {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' | 'Á' | 'À' | 'Ä' | 'Â' | 'Ã' => b'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => b'e',
        'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => b'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'õ' | 'Ó' | 'Ò' | 'Ö' | 'Ô' | 'Õ' => b'o',
        'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => b'u',
        'ñ' | 'Ñ' => b'n',
        'ç' | 'Ç' => b'c',
        _ => 0,
    }
}

/// Removes a leading `AAAA-MM-DD-` from a file stem.
pub fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    if dated { &stem[11..] } else { stem }
}

/// Where the run of ASCII letters and digits that goes on at `i` ends (words are most of a
/// bulletin's opening and of every title: their letters are copied as a run, not one by one).
pub(crate) fn alphanumeric_run_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_slugs() {
        assert_eq!(
            slugify("Comisión Multisectorial"),
            "comision-multisectorial"
        );
        assert_eq!(slugify("  ¿Qué es?  Año 2018 "), "que-es-ano-2018");
        assert_eq!(
            slugify("I Encuentro Nacional — junio"),
            "i-encuentro-nacional-junio"
        );
        assert!(is_valid("avance-2018"));
        assert!(!is_valid("Avance"));
        assert!(!is_valid("a--b"));
    }

    /// Runs copied whole fold as the same text character by character.
    #[test]
    fn runs_fold_as_characters_do() {
        let by_char = |text: &str| {
            let mut slug = SlugWriter::with_capacity(text.len());
            for c in text.chars() {
                slug.push(if c.is_ascii() { c as u8 } else { fold(c) });
            }
            slug.finish()
        };
        let pieces = [
            "a",
            "Z",
            " ",
            "-",
            "ñ",
            "Ó",
            "N.°",
            "2018",
            "—",
            "\u{a0}",
            "Procedimiento",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "0123456789",
            "@",
            "[",
            "`",
            "{",
            "«",
        ];
        let mut seed = 5u32;
        for len in 0..300 {
            let mut text = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            assert_eq!(slugify(&text), by_char(&text), "{text:?}");
        }
    }

    #[test]
    fn date_prefix_is_not_part_of_the_slug() {
        assert_eq!(strip_date_prefix("2018-07-31-avance"), "avance");
        assert_eq!(strip_date_prefix("avance"), "avance");
        assert_eq!(strip_date_prefix("2018-07-31"), "2018-07-31");
    }
}
