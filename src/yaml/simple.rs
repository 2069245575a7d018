//! The common shape of a front matter read without the YAML parser: a mapping of plain keys
//! to one-line plain or double-quoted scalars, or to a list of them, one per line. Anything
//! else — a comment, an escape, a nested map, a flow collection, a multi-line scalar, a
//! repeated key, a character a plain scalar may not hold — gives `None`, and the YAML
//! parser reads the text, with its errors and its positions. Where this reads a text at
//! all, it gives the very tree the parser gives (a differential test checks it on the
//! benchmark corpus and on random texts): the parser spent 160 instructions a byte on a
//! front matter, a twentieth of a 10,000-bulletin build.

use super::events::resolve;
use super::{Node, Position, Value};
use granit_parser::ScalarStyle;

pub(super) fn parse(text: &str, first_line: usize) -> Option<Node> {
    let mut entries: Vec<(Node, Node)> = Vec::new();
    let mut lines = text.split('\n').enumerate().peekable();
    let at = |line: usize, column: usize| Position::new(first_line + line, column + 1);
    while let Some((n, line)) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let colon = line.find(':')?;
        let key = &line[..colon];
        let plain_key = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        // (Past 1,024 characters a key is an error to the parser; `null` or `true`
        // would not be text.)
        let key_value = resolve(key, ScalarStyle::Plain);
        if !plain_key
            || key.len() > 128
            || !matches!(key_value, Value::Str(_))
            || entries.iter().any(|(k, _)| k.key_is(key))
        {
            return None;
        }
        let key_node = Node {
            value: key_value,
            position: at(n, 0),
        };
        let rest = &line[colon + 1..];
        let value = if rest.is_empty() {
            list(&mut lines, &at)?
        } else {
            let value = rest.strip_prefix(' ')?;
            let column = colon + 2;
            match value.strip_prefix('[') {
                Some(inner) => flow_list(inner.strip_suffix(']')?, n, column, &at)?,
                None => Node {
                    value: scalar(value)?,
                    position: at(n, column),
                },
            }
        };
        entries.push((key_node, value));
    }
    // The mapping starts where its first key does.
    let position = entries.first()?.0.position;
    Some(Node {
        value: Value::Map(entries),
        position,
    })
}

/// The items of a block list under a key (`  - x` or `- x`, one per line, all indented
/// alike); `None` if there is none (an empty value is the parser's to read).
fn list<'t>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = (usize, &'t str)>>,
    at: &impl Fn(usize, usize) -> Position,
) -> Option<Node> {
    let mut items = Vec::new();
    let mut indent = None;
    let mut start = None;
    while let Some(&(n, line)) = lines.peek() {
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        let Some(item) = line[spaces..].strip_prefix("- ") else {
            break;
        };
        if *indent.get_or_insert(spaces) != spaces {
            return None;
        }
        // The parser places a list at its first `-`, or, when the dashes are not
        // indented under the key, at its first item.
        start.get_or_insert(at(n, if spaces == 0 { 2 } else { spaces }));
        items.push(Node {
            value: scalar(item)?,
            position: at(n, spaces + 2),
        });
        lines.next();
    }
    Some(Node {
        value: Value::Seq(items),
        position: start?,
    })
}

/// A one-line list `[a, b]` of plain scalars, its `[` at `column` of line `n`.
fn flow_list(
    inner: &str,
    n: usize,
    column: usize,
    at: &impl Fn(usize, usize) -> Position,
) -> Option<Node> {
    let mut items = Vec::new();
    if !inner.is_empty() {
        // Just past the `[`, then past each comma; columns count characters.
        let mut from = column + 1;
        for piece in inner.split(',') {
            let item = piece.trim_start_matches(' ');
            let start = from + piece.len() - item.len();
            // Quotes and colons mean something else inside brackets: the parser's.
            if item.starts_with('"') || item.contains(':') {
                return None;
            }
            items.push(Node {
                value: scalar(item)?,
                position: at(n, start),
            });
            from += piece.chars().count() + 1;
        }
    }
    Some(Node {
        value: Value::Seq(items),
        position: at(n, column),
    })
}

/// A one-line scalar: double-quoted without escapes, or plain and unambiguous.
fn scalar(text: &str) -> Option<Value> {
    // Only characters YAML prints as they are, and no line or paragraph separator, nor
    // any space but ` ` (those the parser may refuse, fold or trim).
    let plain_char = |c: char| {
        c == ' '
            || !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
    };
    if !text.chars().all(plain_char) {
        return None;
    }
    if let Some(inner) = text.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        if inner.contains(['"', '\\']) {
            return None;
        }
        return Some(Value::Str(inner.to_string()));
    }
    // A plain scalar that starts with a letter (any alphabet) or a digit, holds none of YAML's
    // indicators, no `: ` nor ` #`, and neither starts nor ends with a space.
    let plain = text
        .starts_with(|c: char| c.is_ascii_alphanumeric() || !c.is_ascii() && c.is_alphabetic())
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains([
            '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
        ]);
    plain.then(|| resolve(text, ScalarStyle::Plain))
}

#[cfg(test)]
mod tests {
    use super::super::events::parse_events;
    use crate::source::SourceFile;

    /// Where the front-matter reader reads a text, it makes the parser's tree exactly, and
    /// it never reads one the parser refuses.
    fn same_as_granit(text: &str) -> bool {
        let ours = super::parse(text, 2);
        let f = SourceFile::new("x.md", text);
        let theirs = parse_events(&f, text, 2);
        match (&ours, &theirs) {
            (Some(a), Ok(b)) => assert_eq!(a, b, "{text}"),
            (Some(_), Err(e)) => panic!("read what the parser refuses ({e:?}):\n{text}"),
            (None, _) => {}
        }
        ours.is_some()
    }

    #[test]
    fn the_front_matter_reader_makes_the_parsers_tree() {
        let read = [
            "titulo: Hola\nfecha: 2018-07-31\n",
            "titulo: \"Año: 2018 # no es comentario\"\nresumen: \"Con «comillas» y —\"\n",
            "etiquetas:\n  - a\n  - San Clemente\nterritorios:\n- lima\n- ica\nx: 1\n",
            "\n\ntitulo: T\n\nv: 1.10\nn: 01234\nb: true\nc: NO\nd: 12\ne: 1e3\nf: null\n",
            "url: https://example.org/a:b\nautor: Luis Torres Castillo\nt: N.° 0032-2022-TR\n",
            "a: ñandú\nb: \"\"\nc: 2.5.1\nd: 0.5\ne: 1_000\n",
            "etiquetas: [comisión, normas, estrategia]\nb: []\nc: [1,2]\n",
        ];
        for text in read {
            assert!(same_as_granit(text), "not read:\n{text}");
        }
        let left = [
            "titulo: Hola # comentario\n",
            "titulo: \"a\\nb\"\n",
            "portada:\n  imagen: a.jpg\n",
            "titulo: T\ntitulo: U\n",
            "t: [a, {b: c}]\n",
            "t: a\n  b\n",
            "t:\n",
            "t:\n  - a\n\n  - b\n",
            "t:\n  - a\n   - b\n",
            "Titulo: x\n",
            "t: 'a'\n",
            "t: -5\n",
            "t: a \n",
            "t:\ta\n",
            "true: x\n",
            "# c\nt: x\n",
            "t: x\n---\n",
        ];
        for text in left {
            assert!(!same_as_granit(text), "read:\n{text}");
        }
        // Random texts from the pieces front matters are made of, and of their mistakes
        // (one piece in six is one).
        let good_keys = ["titulo", "fecha", "etiquetas", "a1", "b_c"];
        let bad_keys = ["Mal", "null", "x y", "", "a:b"];
        let good = [
            "Hola",
            "\"Hola\"",
            "\"a: b\"",
            "2018-07-31",
            "01",
            "1.5",
            "true",
            "no",
            "ñandú",
            "\"\"",
            "http://x.pe/a",
            "Áncash",
            "N.° 12-TR",
            "a - b",
            "1e3",
            "0x1F",
            "x_y",
            "[a, b]",
            "[comisión, normas, estrategia]",
            "[]",
            "[1, 2.5, true]",
            "[a,b]",
            "[ñ, Á]",
        ];
        let bad = [
            "\"a\\\"b\"",
            "-1",
            "~",
            "a: b",
            "a #b",
            "a#b",
            "[a]",
            "{a: b}",
            "a ",
            " a",
            "'q'",
            "&a",
            "*a",
            "!t x",
            "|",
            ">",
            "a,b",
            "\"x",
            "x\"",
            "@x",
            "%x",
            "`x",
            "\u{a0}x",
            "x\u{2028}y",
            "\u{feff}x",
            "\t",
            "a:",
            "?",
            "- a",
            "",
            "¿x?",
            "x\u{85}",
            "\"x\u{85}\"",
            "\"a\u{2028}b\"",
            "\"\u{feff}\"",
            "x\u{9f}",
            "\"x\u{9f}\"",
            "\"\t\"",
            "\"a\u{a0}\"",
            "a\u{3000}b",
            "\"\u{1f600}\"",
            "x\u{1f600}",
            "\"a  b\"",
            "a  b",
            "[ a ]",
            "[a, ]",
            "[a,, b]",
            "[\"a\", b]",
            "[a, [b]]",
            "[a: b]",
            "[a",
            "[a] x",
            "[http://x.pe]",
            "[a:b]",
            "[a #b]",
        ];
        let mut seed = 0x5eed_u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        let value = |next: &mut dyn FnMut(usize) -> usize| match next(6) {
            0 => bad[next(bad.len())],
            _ => good[next(good.len())],
        };
        let mut read_some = 0;
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..1 + next(5) {
                let key = match next(10) {
                    0 => bad_keys[next(bad_keys.len())],
                    _ => good_keys[next(good_keys.len())],
                };
                match next(4) {
                    0 => {
                        text.push_str(&format!("{key}:\n"));
                        let indent = ["", "  ", " ", "    "][next(4)];
                        for _ in 0..next(4) {
                            let v = value(&mut next);
                            text.push_str(&format!("{indent}- {v}\n"));
                        }
                    }
                    1 => text.push('\n'),
                    _ => {
                        let v = value(&mut next);
                        let sep = [": ", ":", ":  ", " : "][next(4).min(next(4))];
                        text.push_str(&format!("{key}{sep}{v}\n"));
                    }
                }
            }
            read_some += usize::from(same_as_granit(&text));
        }
        assert!(
            read_some > 300,
            "the random texts must exercise the reader ({read_some})"
        );
    }
}
