//! Typed, schema-checked reading of one YAML mapping, with Spanish messages for unknown,
//! missing and mistyped keys (and suggestions), so every schema reports all its problems at
//! once, each at its key.

use super::{Node, Value};
use crate::diag::{Diagnostic, Diagnostics, Position, Problem, suggest};
use crate::source::SourceFile;

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
                        suggestion: habit(&key, allowed)
                            .map(String::from)
                            .or_else(|| suggest(&key, allowed.iter().copied())),
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
        let problem = match node.as_text().and_then(|t| how_to_write(&t, expected)) {
            Some(fix) => Problem::WrongValue {
                field: key.into(),
                expected: expected.into(),
                value: node.as_text().unwrap_or_default(),
                fix,
            },
            None => Problem::WrongType {
                field: key.into(),
                expected: expected.into(),
            },
        };
        self.error(node.position, problem);
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

    /// An optional boolean that asks for the PDF (`pdf`): `true` is refused at its place
    /// when the program was built without the `pdf` feature, which alone can typeset one.
    pub fn pdf_switch(&mut self, key: &str) -> Option<bool> {
        let wanted = self.boolean(key);
        if wanted == Some(true) && !cfg!(feature = "pdf") {
            let at = self.key_position(key);
            self.error(at, Problem::PdfNotBuiltIn);
        }
        wanted
    }

    /// An optional number (integer or decimal). A number in quotes (`"4.5"`, as editors
    /// write to be safe) is that number: the value is unambiguous.
    pub fn number(&mut self, key: &str) -> Option<Located<f64>> {
        let node = self.node(key)?;
        let value = match &node.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f, _) => Some(*f),
            Value::Str(s) => quoted_number(s),
            _ => None,
        };
        if value.is_none() {
            self.wrong(key, node, "un número");
        }
        value.map(|value| Located {
            value,
            position: node.position,
        })
    }

    /// An optional integer; one in quotes (`"2019"`) is that integer.
    pub fn int(&mut self, key: &str) -> Option<Located<i64>> {
        let node = self.node(key)?;
        let value = match &node.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) => quoted_int(s),
            _ => None,
        };
        if value.is_none() {
            self.wrong(key, node, "un número entero");
        }
        value.map(|value| Located {
            value,
            position: node.position,
        })
    }

    /// An optional positive integer.
    pub fn positive_int(&mut self, key: &str) -> Option<usize> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) if i > 0 => Some(i as usize),
            Value::Str(ref t) if quoted_int(t).is_some_and(|i| i > 0) => {
                quoted_int(t).map(|i| i as usize)
            }
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

/// The number a quoted text writes plainly (`"4.5"`, `" 3 "`), if it is one.
pub fn quoted_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    plain
        .then(|| t.parse::<f64>().ok())
        .flatten()
        .filter(|f| f.is_finite())
}

/// The integer a quoted text writes plainly (`"2019"`), if it is one.
pub fn quoted_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// How to write `text` as the `expected` kind, for the habits that miss it: a decimal comma
/// where a number is wanted, `sí`/`no` where `true`/`false` is.
pub fn how_to_write(text: &str, expected: &str) -> Option<String> {
    let t = text.trim();
    if expected.starts_with("un número") {
        let (int, frac) = t.split_once(',')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        return (digits(int.trim_start_matches('-')) && digits(frac)).then(|| {
            format!(
                "en los archivos los decimales se escriben con punto, aunque el sitio los \
                 muestre con coma: escriba `{int}.{frac}`"
            )
        });
    }
    if expected.contains("true") {
        let folded = t.to_lowercase();
        let yes = ["sí", "si", "yes", "verdadero", "on"].contains(&folded.as_str());
        let no = ["no", "falso", "off"].contains(&folded.as_str());
        return (yes || no).then(|| {
            format!(
                "escriba `{}` (sí se escribe `true`; no, `false`)",
                if yes { "true" } else { "false" }
            )
        });
    }
    None
}

/// Keys editors bring from Hugo, Zola, Jekyll or English, and boletin's word for each.
const HABITS: &[(&str, &str)] = &[
    ("title", "titulo"),
    ("date", "fecha"),
    ("draft", "borrador"),
    ("tags", "etiquetas"),
    ("categories", "etiquetas"),
    ("keywords", "etiquetas"),
    ("summary", "resumen"),
    ("description", "resumen"),
    ("author", "autor"),
    ("authors", "autor"),
    ("lastmod", "actualizado"),
    ("updated", "actualizado"),
    ("publishdate", "publicar_desde"),
    ("publish_date", "publicar_desde"),
    ("image", "portada"),
    ("cover", "portada"),
    ("template", "plantilla"),
    ("layout", "plantilla"),
    ("aliases", "alias"),
    ("baseurl", "url_base"),
    ("base_url", "url_base"),
    ("languagecode", "idioma"),
    ("language", "idioma"),
    ("defaultcontentlanguage", "idioma"),
    ("paginate", "por_pagina"),
    ("paginate_by", "por_pagina"),
    ("timezone", "zona_horaria"),
    ("theme", "tema"),
    ("menu", "menu"),
];

/// boletin's key for a key from another tool, when this mapping has it (`date` → `fecha`;
/// letter case ignored, as Hugo's keys are).
fn habit(key: &str, allowed: &[&str]) -> Option<&'static str> {
    let folded = key.to_ascii_lowercase();
    HABITS
        .iter()
        .find(|(theirs, ours)| *theirs == folded && allowed.contains(ours))
        .map(|(_, ours)| *ours)
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
    use super::super::parse;
    use super::*;

    #[test]
    fn keys_from_other_tools_name_boletins_word() {
        let f = SourceFile::new(
            "x.yaml",
            "date: 2018-07-31\nbaseURL: https://x.pe/\nTags: [a]\n",
        );
        let node = parse(&f, &f.text.clone(), 1).unwrap();
        let mut diags = Diagnostics::new();
        let allowed = ["titulo", "fecha", "etiquetas", "url_base"];
        let _ = Fields::new(&f, &node, &allowed, &mut diags);
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.message()).collect();
        assert_eq!(
            messages,
            [
                "campo desconocido `date`: ¿quiso decir `fecha`?",
                "campo desconocido `baseURL`: ¿quiso decir `url_base`?",
                "campo desconocido `Tags`: ¿quiso decir `etiquetas`?",
            ]
        );
    }

    #[test]
    fn unambiguous_quoted_numbers_are_numbers_and_habits_get_their_fix() {
        let text = "a: \"2019\"\nb: \"4.5\"\nc: \"1,5\"\nd: sí\ne: \"x\"\nf: 1,5\n";
        let f = SourceFile::new("x.yaml", text);
        let node = parse(&f, &f.text.clone(), 1).unwrap();
        let mut diags = Diagnostics::new();
        let mut fields =
            Fields::new(&f, &node, &["a", "b", "c", "d", "e", "f"], &mut diags).unwrap();
        assert_eq!(fields.int("a").map(|l| l.value), Some(2019));
        assert_eq!(fields.number("b").map(|l| l.value), Some(4.5));
        assert_eq!(fields.number("a").map(|l| l.value), Some(2019.0));
        assert!(fields.number("c").is_none());
        assert!(fields.boolean("d").is_none());
        assert!(fields.int("e").is_none());
        assert!(fields.number("f").is_none());
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.message()).collect();
        assert_eq!(
            messages,
            [
                "el campo `c` debe ser un número: `1,5` no lo es; en los archivos los decimales se \
                 escriben con punto, aunque el sitio los muestre con coma: escriba `1.5`",
                "el campo `d` debe ser `true` o `false`: `sí` no lo es; escriba `true` (sí se \
                 escribe `true`; no, `false`)",
                "el campo `e` debe ser un número entero",
                "el campo `f` debe ser un número: `1,5` no lo es; en los archivos los decimales se \
                 escriben con punto, aunque el sitio los muestre con coma: escriba `1.5`",
            ]
        );
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
