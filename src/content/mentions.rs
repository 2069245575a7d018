//! Where a text names a file of `content/imagenes/`. The model publishes such a file only
//! when a published page names it, so an image used only by a draft or an embargoed
//! bulletin does not appear before its time. Every way of naming one — `@/imagenes/x.jpg`,
//! `imagenes/x.jpg`, `/sub/imagenes/x.jpg`, in Markdown, a shortcode, front matter or raw
//! HTML — contains `imagenes/` followed by the name, so one substring search per text finds
//! them all; the name's end is decided later, against the files that exist
//! ([`names_in`]), so names with spaces or parentheses are found too.

/// The folder's prefix in every way of naming its files.
const PREFIX: &str = "imagenes/";
/// Longest name looked at after the prefix, in bytes.
const MAX_NAME: usize = 512;

/// What follows each `imagenes/` in `text`, up to the end of its line (at most
/// [`MAX_NAME`] bytes): the candidates [`names_in`] reads.
pub fn image_mentions(text: &str) -> Vec<String> {
    memchr::memmem::find_iter(text.as_bytes(), PREFIX)
        .map(|at| {
            let rest = &text[at + PREFIX.len()..];
            let mut end = rest.find(['\n', '\r']).unwrap_or(rest.len()).min(MAX_NAME);
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            rest[..end].to_string()
        })
        .collect()
}

/// The names a mention may stand for: each prefix that ends where a name can end (before a
/// quote, bracket, space, `#`, `?`, `,`, `|` or the end), longest last; `%20` read as a
/// space.
pub fn names_in(mention: &str) -> impl Iterator<Item = String> + '_ {
    let ends = mention
        .char_indices()
        .filter(|(_, c)| {
            matches!(
                c,
                ')' | '('
                    | '"'
                    | '\''
                    | '>'
                    | '<'
                    | ']'
                    | '['
                    | ' '
                    | '\t'
                    | '#'
                    | '?'
                    | ','
                    | '|'
                    | '}'
                    | '{'
                    | '*'
            )
        })
        .map(|(i, _)| i)
        .chain(std::iter::once(mention.len()));
    ends.filter(|&i| i > 0).map(move |i| {
        let name = &mention[..i];
        if name.contains("%20") {
            name.replace("%20", " ")
        } else {
            name.to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_naming_an_image_is_found() {
        let text = "![a](@/imagenes/patio.jpg)\n{{ figura(imagen=\"imagenes/mi foto.jpg\", \
                    alt=\"x\") }}\nportada: {imagen: imagenes/p.png, alt: b}\n\
                    <img src=\"/sub/imagenes/c%20d.svg\">";
        let names: Vec<String> = image_mentions(text)
            .iter()
            .flat_map(|m| names_in(m).collect::<Vec<_>>())
            .collect();
        for want in ["patio.jpg", "mi foto.jpg", "p.png", "c d.svg"] {
            assert!(names.iter().any(|n| n == want), "{want}: {names:?}");
        }
    }
}
