//! Slugs for URLs and heading ids: lowercase ASCII, accents folded, words joined by `-`.
//! "Comisión Multisectorial" → `comision-multisectorial`; "Año 2018" → `ano-2018`.

/// Turns any text into a slug.
pub fn slugify(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len());
    let mut pending_dash = false;
    let mut i = 0;
    while i < bytes.len() {
        // Every character folds to one ASCII byte or to none (a separator); ASCII is read
        // as bytes and only the rest decoded (search tokenises whole texts through here).
        let (b, len) = match bytes[i] {
            b if b < 0x80 => (b, 1),
            _ => text[i..]
                .chars()
                .next()
                .map_or((0, 1), |c| (fold(c), c.len_utf8())),
        };
        i += len;
        if b.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push(b'-');
            }
            pending_dash = false;
            out.push(b.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    // Only ASCII letters, digits and dashes were pushed.
    String::from_utf8(out).unwrap_or_default()
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

    #[test]
    fn date_prefix_is_not_part_of_the_slug() {
        assert_eq!(strip_date_prefix("2018-07-31-avance"), "avance");
        assert_eq!(strip_date_prefix("avance"), "avance");
        assert_eq!(strip_date_prefix("2018-07-31"), "2018-07-31");
    }
}
