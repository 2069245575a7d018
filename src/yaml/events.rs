//! The tree built from granit-parser's events: the reader for any YAML text, with the
//! editor-safe rules of [`super::parse`] (scalar resolution, duplicate keys, no anchors,
//! aliases, tags or extra documents, nesting capped at [`super::MAX_DEPTH`]).

use super::{MAX_DEPTH, Node, Value};
use crate::diag::{Diagnostic, Position, Problem};
use crate::source::SourceFile;
use granit_parser::{Event, Marker, Parser, ScalarStyle};

/// [`parse`] by the YAML parser's events, for any text.
pub(super) fn parse_events(
    file: &SourceFile,
    text: &str,
    first_line: usize,
) -> Result<Node, Diagnostic> {
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
pub(super) fn resolve(text: &str, style: ScalarStyle) -> Value {
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
