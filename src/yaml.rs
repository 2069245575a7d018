//! The YAML seam: the only module that names the YAML crate (serde-saphyr's event parser).
//!
//! Text is parsed into a [`Node`] tree in which every value knows its `line:column`, with
//! YAML 1.2 rules made safe for editors (`NO` and `on` stay text, `01234` stays text,
//! duplicate keys, anchors and aliases are errors, depth is capped). Typed reading with Spanish
//! messages for unknown keys, missing keys and wrong types happens in [`Fields`], so every
//! schema reports all its problems at once and with the position of the offending key.

use crate::diag::{Diagnostic, Diagnostics, Position, Problem, suggest};
use crate::source::SourceFile;
use serde_saphyr::granit_parser::{Event, Marker, Parser, ScalarStyle};

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
/// The tree is built straight from serde-saphyr's event parser: its serde layer cost twice
/// the parse itself on large data files, and we need our own rules anyway. Those rules are
/// YAML 1.2's core schema made safe for editors — only `true`/`false` are booleans (`NO`, `on`,
/// `y` stay text), numbers with leading zeros stay text (`01234`), quoted scalars are always
/// text — plus: duplicate keys, anchors/aliases, tags and extra documents are errors, and
/// nesting stops at [`MAX_DEPTH`].
pub fn parse(file: &SourceFile, text: &str, first_line: usize) -> Result<Node, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            position: Position::new(first_line, 1),
        });
    }
    let node = match simple::parse(text, first_line) {
        Some(node) => node,
        None => parse_events(file, text, first_line)?,
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

/// [`parse`] by the YAML parser's events, for any text.
fn parse_events(file: &SourceFile, text: &str, first_line: usize) -> Result<Node, Diagnostic> {
    let mut builder = Builder {
        file,
        first_line,
        stack: Vec::new(),
        root: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            let position = Position::new(m.line() + first_line - 1, m.col() + 1);
            Diagnostic::at(&file.path, position, Problem::Yaml { detail: e.info() })
        })?;
        builder.event(event, builder.position(&span.start))?;
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Null,
        position: Position::new(first_line, 1),
    }))
}

/// The common shape of a front matter read without the YAML parser: a mapping of plain keys
/// to one-line plain or double-quoted scalars, or to a list of them, one per line. Anything
/// else — a comment, an escape, a nested map, a flow collection, a multi-line scalar, a
/// repeated key, a character a plain scalar may not hold — gives `None`, and the YAML
/// parser reads the text, with its errors and its positions. Where this reads a text at
/// all, it gives the very tree the parser gives (a differential test checks it on the
/// benchmark corpus and on random texts): the parser spent 160 instructions a byte on a
/// front matter, a twentieth of a 10,000-bulletin build.
mod simple {
    use super::{Node, Position, Value, resolve};
    use serde_saphyr::granit_parser::ScalarStyle;

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
}

/// A collection being built.
enum Frame {
    Seq(Position, Vec<Node>),
    Map(Position, Vec<(Node, Node)>, Option<Node>),
}

struct Builder<'a> {
    file: &'a SourceFile,
    first_line: usize,
    stack: Vec<Frame>,
    root: Option<Node>,
    documents: usize,
}

impl Builder<'_> {
    fn position(&self, m: &Marker) -> Position {
        Position::new(m.line() + self.first_line - 1, m.col() + 1)
    }

    fn error(&self, position: Position, detail: &str) -> Diagnostic {
        Diagnostic::at(
            &self.file.path,
            position,
            Problem::Yaml {
                detail: detail.into(),
            },
        )
    }

    fn event(&mut self, event: Event<'_>, at: Position) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self.error(at, "hay más de un documento (`---`); deje uno solo"));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.plain_node(anchor, tag.is_some(), at)?;
                let value = resolve(&text, style);
                self.push(Node {
                    value,
                    position: at,
                })?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.plain_node(anchor, tag.is_some(), at)?;
                self.open(Frame::Seq(at, Vec::new()), at)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                self.plain_node(anchor, tag.is_some(), at)?;
                self.open(Frame::Map(at, Vec::new(), None), at)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(p, items)) => Node {
                        value: Value::Seq(items),
                        position: p,
                    },
                    Some(Frame::Map(p, entries, _)) => Node {
                        value: Value::Map(entries),
                        position: p,
                    },
                    None => return Err(self.error(at, "estructura mal cerrada")),
                };
                self.push(node)?;
            }
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                return Err(self.error(at, ALIAS_MESSAGE));
            }
            _ => {}
        }
        Ok(())
    }

    /// Anchors and tags are refused: they are how alias bombs and type confusion get in.
    fn plain_node(&self, anchor: usize, tagged: bool, at: Position) -> Result<(), Diagnostic> {
        if anchor != 0 {
            return Err(self.error(at, ALIAS_MESSAGE));
        }
        if tagged {
            return Err(self.error(
                at,
                "no se admiten etiquetas de tipo (`!!` o `!`): escriba el valor tal cual",
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, at: Position) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(at, "el archivo está anidado a demasiada profundidad"));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn push(&mut self, node: Node) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => {
                    let key = node.key();
                    if entries.iter().any(|(k, _)| k.key_is(&key)) {
                        let detail = format!("la clave `{key}` está repetida: deje una sola");
                        return Err(self.error(node.position, &detail));
                    }
                    *pending = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
        }
        Ok(())
    }
}

const ALIAS_MESSAGE: &str =
    "no se admiten anclas (`&`) ni referencias (`*`): escriba el valor completo";

/// YAML 1.2 core-schema resolution of a scalar, with the editor-safe exceptions above.
fn resolve(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if digits.is_empty()
        || leading_zero
        || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
    {
        return Value::Str(text.to_string());
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().map_or_else(|_| float(text), Value::Int);
    }
    let is_float = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().filter(|&b| b == b'.').count() <= 1;
    if is_float {
        float(text)
    } else {
        Value::Str(text.to_string())
    }
}

fn float(text: &str) -> Value {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Value::Float(f, text.to_string()),
        _ => Value::Str(text.to_string()),
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

    /// A text that is a link, checked against the one URL policy ([`crate::urls::is_safe_link`]):
    /// a link that could run script is an error at its place, and is not returned.
    pub fn link(&mut self, key: &str) -> Option<Located<String>> {
        let text = self.text(key)?;
        self.safe_link(key, text)
    }

    /// [`Fields::link`] for a key that must be there and not be empty.
    pub fn required_link(&mut self, key: &str) -> Option<Located<String>> {
        let text = self.required_text(key)?;
        self.safe_link(key, text)
    }

    fn safe_link(&mut self, key: &str, text: Located<String>) -> Option<Located<String>> {
        if crate::urls::is_safe_link(&text.value) {
            return Some(text);
        }
        self.error(
            text.position,
            Problem::UnsafeLink {
                field: key.to_string(),
                value: text.value,
            },
        );
        None
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

    /// Where the front-matter reader reads a text, it makes the parser's tree exactly, and
    /// it never reads one the parser refuses.
    fn same_as_granit(text: &str) -> bool {
        let ours = simple::parse(text, 2);
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
