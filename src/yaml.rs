//! The YAML seam: the only module that names the YAML crate (serde-saphyr).
//!
//! Text is parsed into a [`Node`] tree in which every value knows its `line:column`, with
//! YAML 1.2 rules made safe for editors (`NO` and `on` stay text, `01234` stays text,
//! duplicate keys are errors, aliases and depth are budgeted). Typed reading with Spanish
//! messages for unknown keys, missing keys and wrong types happens in [`Fields`], so every
//! schema reports all its problems at once and with the position of the offending key.

use crate::diag::{Diagnostic, Diagnostics, Position, Problem, suggest};
use crate::source::SourceFile;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

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

/// Parses one YAML document. `first_line` is the file line where `text` starts, so that
/// positions are absolute (front matter starts on line 2).
pub fn parse(file: &SourceFile, text: &str, first_line: usize) -> Result<Node, Diagnostic> {
    // Data files may hold 100,000 rows; depth, aliases and anchors keep their safe defaults.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 20_000_000;
    budget.max_events = 40_000_000;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            position: Position::new(first_line, 1),
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options) {
        Ok(spanned) => Ok(convert(spanned, text, first_line)),
        Err(err) => {
            let position = err
                .location()
                .filter(|l| l.line() > 0)
                .map(|l| Position::new(l.line() as usize + first_line - 1, l.column() as usize))
                .unwrap_or(Position::new(first_line, 1));
            Err(Diagnostic::at(
                &file.path,
                position,
                Problem::Yaml {
                    detail: yaml_message(&err),
                },
            ))
        }
    }
}

/// The parser's explanation, in Spanish where we know the case.
fn yaml_message(err: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    match err {
        E::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?");
            format!("la clave `{key}` está repetida: deje una sola")
        }
        E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            "demasiadas referencias (`*alias`) expandidas: simplifique el archivo".into()
        }
        other => {
            let text = other.to_string();
            let first = text.lines().next().unwrap_or("").trim();
            let first = first.split(" at line ").next().unwrap_or(first);
            if first.contains("budget") || first.contains("depth") {
                format!("el archivo es demasiado grande o anidado ({first})")
            } else {
                first.to_string()
            }
        }
    }
}

/// What serde-saphyr hands us, before positions are made absolute.
#[derive(Debug)]
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

fn convert(node: Spanned<Raw>, text: &str, first_line: usize) -> Node {
    let loc = node.referenced;
    let position = Position::new(
        (loc.line() as usize).max(1) + first_line - 1,
        (loc.column() as usize).max(1),
    );
    let value = match node.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f, raw_text(&loc, text).unwrap_or_else(|| f.to_string())),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|n| convert(n, text, first_line))
                .collect(),
        ),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (convert(k, text, first_line), convert(v, text, first_line)))
                .collect(),
        ),
    };
    Node { value, position }
}

/// The scalar as written in the source, when the parser reports its byte span.
fn raw_text(loc: &serde_saphyr::Location, text: &str) -> Option<String> {
    let span = loc.span();
    let start = span.byte_offset()? as usize;
    let len = span.byte_len()? as usize;
    text.get(start..start + len)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

/// Typed, schema-checked reading of one mapping. Every problem is pushed to `diags`; getters
/// return `None` when a value is absent or wrong, so a caller can keep checking the rest.
pub struct Fields<'a> {
    file: &'a SourceFile,
    position: Position,
    entries: Vec<(&'a Node, &'a Node)>,
    diags: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// Checks that `node` is a mapping whose keys are all in `allowed`.
    pub fn new(
        file: &'a SourceFile,
        node: &'a Node,
        allowed: &[&str],
        diags: &'a mut Diagnostics,
    ) -> Option<Self> {
        let Value::Map(entries) = &node.value else {
            diags.push(Diagnostic::at(
                &file.path,
                node.position,
                Problem::WrongType {
                    field: "(raíz)".into(),
                    expected: "un mapa de campos".into(),
                },
            ));
            return None;
        };
        for (k, _) in entries {
            let key = k.key();
            if !allowed.contains(&key.as_str()) {
                diags.push(Diagnostic::at(
                    &file.path,
                    k.position,
                    Problem::UnknownField {
                        suggestion: suggest(&key, allowed.iter().copied()),
                        field: key,
                        allowed: allowed.iter().map(|s| s.to_string()).collect(),
                    },
                ));
            }
        }
        let entries = entries.iter().map(|(k, v)| (k, v)).collect();
        Some(Fields {
            file,
            position: node.position,
            entries,
            diags,
        })
    }

    /// The node of a key, if present and not null.
    pub fn node(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.key_is(key))
            .map(|(_, v)| *v)
            .filter(|v| v.value != Value::Null)
    }

    /// Where the key of `key` stands, or the mapping when absent.
    pub fn key_position(&self, key: &str) -> Position {
        self.entries
            .iter()
            .find(|(k, _)| k.key_is(key))
            .map_or(self.position, |(k, _)| k.position)
    }

    /// Records a problem at a node.
    pub fn error(&mut self, position: Position, problem: Problem) {
        self.diags
            .push(Diagnostic::at(&self.file.path, position, problem));
    }

    /// Records that a required key is missing.
    pub fn missing(&mut self, key: &str) {
        let p = self.position;
        self.error(p, Problem::MissingField { field: key.into() });
    }

    fn wrong(&mut self, key: &str, node: &Node, expected: &str) {
        self.error(
            node.position,
            Problem::WrongType {
                field: key.into(),
                expected: expected.into(),
            },
        );
    }

    /// An optional text; numbers are read as written.
    pub fn text(&mut self, key: &str) -> Option<Located<String>> {
        let node = self.node(key)?;
        match &node.value {
            Value::Str(_) | Value::Int(_) | Value::Float(..) => Some(Located {
                value: node.as_text()?,
                position: node.position,
            }),
            _ => {
                self.wrong(key, node, "un texto");
                None
            }
        }
    }

    /// A required, non-empty text.
    pub fn required_text(&mut self, key: &str) -> Option<Located<String>> {
        if self.node(key).is_none() {
            self.missing(key);
            return None;
        }
        let t = self.text(key)?;
        if t.value.trim().is_empty() {
            self.error(t.position, Problem::EmptyField { field: key.into() });
            return None;
        }
        Some(t)
    }

    /// An optional boolean.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let node = self.node(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong(key, node, "`true` o `false`");
                None
            }
        }
    }

    /// An optional number (integer or decimal).
    pub fn number(&mut self, key: &str) -> Option<Located<f64>> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) => Some(Located {
                value: i as f64,
                position: node.position,
            }),
            Value::Float(f, _) => Some(Located {
                value: f,
                position: node.position,
            }),
            _ => {
                self.wrong(key, node, "un número");
                None
            }
        }
    }

    /// An optional integer.
    pub fn int(&mut self, key: &str) -> Option<Located<i64>> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) => Some(Located {
                value: i,
                position: node.position,
            }),
            _ => {
                self.wrong(key, node, "un número entero");
                None
            }
        }
    }

    /// An optional positive integer.
    pub fn positive_int(&mut self, key: &str) -> Option<usize> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) if i > 0 => Some(i as usize),
            Value::Int(_) => {
                self.error(node.position, Problem::NotPositive { field: key.into() });
                None
            }
            _ => {
                self.wrong(key, node, "un número entero");
                None
            }
        }
    }

    /// An optional list of texts (a single text is accepted as a list of one).
    pub fn text_list(&mut self, key: &str) -> Vec<String> {
        self.located_text_list(key)
            .into_iter()
            .map(|t| t.value)
            .collect()
    }

    /// Like [`Fields::text_list`], keeping where each item was written.
    pub fn located_text_list(&mut self, key: &str) -> Vec<Located<String>> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Str(_) => vec![node],
            _ => {
                self.wrong(key, node, "una lista de textos");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_text() {
                Some(t) if matches!(item.value, Value::Str(_) | Value::Int(_)) => {
                    out.push(Located {
                        value: t,
                        position: item.position,
                    })
                }
                _ => self.wrong(key, item, "una lista de textos"),
            }
        }
        out
    }

    /// An optional nested mapping, checked against its own keys.
    pub fn map(&mut self, key: &str, allowed: &[&str]) -> Option<Fields<'_>> {
        let node = self.node(key)?;
        if !matches!(node.value, Value::Map(_)) {
            self.wrong(key, node, "un mapa de campos");
            return None;
        }
        Fields::new(self.file, node, allowed, self.diags)
    }

    /// An optional list of mappings, each checked against `allowed`.
    pub fn list_of_maps(&mut self, key: &str) -> Vec<&'a Node> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => {
                self.wrong(key, node, "una lista");
                Vec::new()
            }
        }
    }

    /// The file being read.
    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// The diagnostics sink, for nested readers.
    pub fn diags(&mut self) -> &mut Diagnostics {
        self.diags
    }
}

/// A value with the position it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it stands.
    pub position: Position,
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

    #[test]
    fn unknown_key_suggests() {
        let f = SourceFile::new("x.yaml", "titlo: A\n");
        let node = parse(&f, &f.text.clone(), 1).unwrap();
        let mut diags = Diagnostics::new();
        let _ = Fields::new(&f, &node, &["titulo", "fecha"], &mut diags);
        let d = diags.sorted();
        assert_eq!(
            d[0].message(),
            "campo desconocido `titlo`: ¿quiso decir `titulo`?"
        );
    }
}
