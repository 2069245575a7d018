//! The YAML seam: the only module that names the YAML crate (granit-parser, the event parser
//! serde-saphyr is built on).
//!
//! Text is parsed into a [`Node`] tree in which every value knows its `line:column`, with
//! YAML 1.2 rules made safe for editors (`NO` and `on` stay text, `01234` stays text,
//! duplicate keys, anchors and aliases are errors, depth is capped). Typed reading with Spanish
//! messages for unknown keys, missing keys and wrong types happens in [`Fields`], so every
//! schema reports all its problems at once and with the position of the offending key.

mod events;
mod fields;
mod simple;

pub use fields::{Fields, Located, how_to_write, quoted_int, quoted_number};

use crate::diag::{Diagnostic, Position, Problem};
use crate::source::SourceFile;

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts, absolute in the file.
    pub position: Position,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false` (only these spellings).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, with the text as written (so `1.10` can be read back as text).
    Float(f64, String),
    /// Text.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping; keys keep their own positions and their order.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The Spanish name of the type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "vacío",
            Value::Bool(_) => "verdadero/falso",
            Value::Int(_) | Value::Float(..) => "un número",
            Value::Str(_) => "un texto",
            Value::Seq(_) => "una lista",
            Value::Map(_) => "un mapa de campos",
        }
    }
}

impl Node {
    /// The text of a scalar: strings as they are, numbers and booleans as written.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(_, raw) => Some(raw.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// True when this node is the text `key` (compares without allocating).
    pub fn key_is(&self, key: &str) -> bool {
        match &self.value {
            Value::Str(s) => s == key,
            _ => self.as_text().is_some_and(|t| t == key),
        }
    }

    /// The key text when this node is a mapping key.
    pub fn key(&self) -> String {
        self.as_text().unwrap_or_default()
    }
}

/// Deepest nesting accepted: deeper input is an error, never a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// Parses one YAML document. `first_line` is the file line where `text` starts, so that
/// positions are absolute (front matter starts on line 2).
///
/// The tree is built straight from granit-parser, serde-saphyr's event parser: serde-saphyr's
/// serde layer cost twice the parse itself on large data files, and we need our own rules
/// anyway. Those rules are YAML 1.2's core schema made safe for editors — only
/// `true`/`false` are booleans (`NO`, `on`, `y` stay text), numbers with leading zeros stay
/// text (`01234`), quoted scalars are always text — plus: duplicate keys, anchors/aliases,
/// tags and extra documents are errors, and nesting stops at [`MAX_DEPTH`].
pub fn parse(file: &SourceFile, text: &str, first_line: usize) -> Result<Node, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            position: Position::new(first_line, 1),
        });
    }
    let node = match simple::parse(text, first_line) {
        Some(node) => node,
        None => events::parse_events(file, text, first_line)
            .map_err(|d| word_habit(file, text, first_line, &d).unwrap_or(d))?,
    };
    // Raw control characters were refused as the file was read; only an escape in a
    // double-quoted scalar (`"\0"`, `"\v"`) can make one here.
    if text.contains('\\')
        && let Some((position, code)) = escaped_control(&node)
    {
        return Err(Diagnostic::at(
            &file.path,
            position,
            Problem::ControlCharacter { code },
        ));
    }
    Ok(node)
}

/// Characters that word processors put where YAML wants its own punctuation, each with its
/// Spanish name and how to write it instead.
const LOOKALIKES: &[(char, &str, &str)] = &[
    ('\t', "una tabulación", "sangre con espacios"),
    (
        '\u{a0}',
        "un espacio de no separación",
        "cámbielo por un espacio normal",
    ),
    (
        '\u{202f}',
        "un espacio fino de no separación",
        "cámbielo por un espacio normal",
    ),
    (
        '\u{200b}',
        "un espacio de ancho cero (invisible)",
        "bórrelo",
    ),
    (
        '\u{feff}',
        "un espacio de ancho cero (invisible)",
        "bórrelo",
    ),
    (
        '“',
        "una comilla tipográfica “",
        "use comillas rectas \"…\"",
    ),
    (
        '”',
        "una comilla tipográfica ”",
        "use comillas rectas \"…\"",
    ),
    ('‘', "una comilla tipográfica ‘", "use comillas rectas '…'"),
    ('’', "una comilla tipográfica ’", "use comillas rectas '…'"),
];

/// A YAML error explained by a character copied from a word processor on the line the
/// parser stopped at (or the one before): that character, named, at its place — the parser's
/// own message would only confuse.
fn word_habit(
    file: &SourceFile,
    text: &str,
    first_line: usize,
    error: &Diagnostic,
) -> Option<Diagnostic> {
    let line = error.position?.line.checked_sub(first_line)?;
    let lines: Vec<&str> = text.split('\n').collect();
    for n in [line, line.saturating_sub(1)] {
        let content = lines.get(n)?;
        // A tab counts only as indentation; typographic quotes only where YAML reads quotes
        // (opening a value); the spaces anywhere.
        let found = content.char_indices().find_map(|(at, c)| {
            let (_, name, fix) = LOOKALIKES.iter().find(|(l, ..)| *l == c)?;
            let before = &content[..at];
            let counts = match c {
                '\t' => before.chars().all(|b| b == ' ' || b == '\t'),
                '“' | '”' | '‘' | '’' => before.trim_end().ends_with([':', '-', '[', ',']),
                _ => true,
            };
            counts.then(|| (before.chars().count() + 1, *name, *fix))
        });
        if let Some((column, name, fix)) = found {
            return Some(Diagnostic::at(
                &file.path,
                Position::new(first_line + n, column),
                Problem::Lookalike {
                    name: name.into(),
                    fix: fix.into(),
                },
            ));
        }
    }
    None
}

/// The first text (value or key) in `node` holding a character [`crate::source::is_forbidden`]
/// refuses, with its position.
fn escaped_control(node: &Node) -> Option<(Position, u32)> {
    match &node.value {
        Value::Str(s) => s
            .chars()
            .find(|c| crate::source::is_forbidden(*c))
            .map(|c| (node.position, u32::from(c))),
        Value::Seq(items) => items.iter().find_map(escaped_control),
        Value::Map(entries) => entries
            .iter()
            .find_map(|(k, v)| escaped_control(k).or_else(|| escaped_control(v))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Node, Diagnostic> {
        let f = SourceFile::new("x.yaml", text);
        parse(&f, &f.text.clone(), 1)
    }

    #[test]
    fn positions_are_absolute_and_norway_stays_text() {
        let f = SourceFile::new(
            "x.md",
            "---\ntitulo: Hola\npais: NO\nzip: 01234\nv: 1.10\n---\n",
        );
        let node = parse(&f, "titulo: Hola\npais: NO\nzip: 01234\nv: 1.10\n", 2).unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.position, Position::new(2, 1));
        assert_eq!(entries[0].1.position, Position::new(2, 9));
        assert_eq!(entries[1].1.value, Value::Str("NO".into()));
        assert_eq!(entries[2].1.value, Value::Str("01234".into()));
        assert_eq!(entries[3].1.as_text().as_deref(), Some("1.10"));
    }

    #[test]
    fn the_norway_table() {
        let node = parse_str(
            "pais: NO\nflag: on\nanswer: y\nversion: 1.10\nzip: 01234\nfecha: 2024-05-01\nratio: 1e3\nvacio:\ntilde: ~\nq: \"12\"\nneg: -3\nsi: true\nhex: 0x1F\ninf: .inf\n",
        )
        .unwrap();
        let Value::Map(e) = &node.value else {
            panic!("map")
        };
        let v: Vec<&Value> = e.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(v[0], &Value::Str("NO".into()));
        assert_eq!(v[1], &Value::Str("on".into()));
        assert_eq!(v[2], &Value::Str("y".into()));
        assert_eq!(v[3], &Value::Float(1.1, "1.10".into()));
        assert_eq!(v[4], &Value::Str("01234".into()));
        assert_eq!(v[5], &Value::Str("2024-05-01".into()));
        assert_eq!(v[6], &Value::Float(1000.0, "1e3".into()));
        assert_eq!(v[7], &Value::Null);
        assert_eq!(v[8], &Value::Null);
        assert_eq!(v[9], &Value::Str("12".into()));
        assert_eq!(v[10], &Value::Int(-3));
        assert_eq!(v[11], &Value::Bool(true));
        assert_eq!(v[12], &Value::Str("0x1F".into()));
        assert_eq!(v[13], &Value::Str(".inf".into()));
    }

    #[test]
    fn anchors_aliases_tags_and_extra_documents_are_refused() {
        for text in [
            "a: &x [1, 2]\nb: *x\n",
            "a: *nada\n",
            "a: !!binary aGVsbG8=\n",
            "a: !Foo 1\n",
            "a: 1\n---\nb: 2\n",
        ] {
            let err = parse_str(text).unwrap_err();
            assert!(
                err.message().starts_with("YAML mal formado"),
                "{text}: {}",
                err.message()
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_str(&deep).is_err());
        let mut block = String::new();
        for i in 0..10_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("- \n");
        }
        assert!(parse_str(&block).is_err());
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let start = std::time::Instant::now();
        assert!(parse_str(&text).is_err());
        assert!(start.elapsed().as_secs() < 2);
    }

    #[test]
    fn duplicate_keys_are_errors_with_line() {
        let err = parse_str("titulo: A\ntitulo: B\n").unwrap_err();
        assert_eq!(err.position.map(|p| p.line), Some(2));
        assert!(err.message().contains("repetida"), "{}", err.message());
    }

    #[test]
    fn broken_yaml_names_its_line() {
        let err = parse_str("titulo: A\nfecha: [2018\nx: 1\n").unwrap_err();
        assert!(err.position.is_some());
        assert!(err.message().starts_with("YAML mal formado"));
    }
}
