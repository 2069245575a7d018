//! Typed, schema-checked reading of one row of the [`table`](super::table), whatever file it
//! came from: the same checks and messages as `yaml::Fields` gives front matter (unknown
//! field with a suggestion, missing field, wrong type, empty text), each at the cell.
//! Getters return `None` when a value is absent or wrong, so a schema keeps checking the
//! rest of the row and reports every problem at once.

use super::table::{Cell, CellValue, Field};
use crate::diag::SheetProblem;
use crate::diag::{Diagnostic, Diagnostics, Position, Problem, suggest};
use crate::yaml::{Located, how_to_write, quoted_int, quoted_number};
use std::path::Path;

/// The fields of one row (or one nested map) being read.
pub struct Fields<'a> {
    file: &'a Path,
    position: Position,
    fields: &'a [Field],
    diags: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// Checks that every field of a row at `position` is in `allowed`.
    pub fn new(
        file: &'a Path,
        position: Position,
        fields: &'a [Field],
        allowed: &[&str],
        diags: &'a mut Diagnostics,
    ) -> Self {
        for f in fields {
            if !allowed.contains(&f.name.as_str()) {
                diags.push(Diagnostic::at(
                    file,
                    f.position,
                    Problem::UnknownField {
                        suggestion: suggest(&f.name, allowed.iter().copied()),
                        field: f.name.clone(),
                        allowed: allowed.iter().map(|s| s.to_string()).collect(),
                    },
                ));
            }
        }
        Fields {
            file,
            position,
            fields,
            diags,
        }
    }

    /// Checks that `cell` holds nested fields, all in `allowed` (a list item such as a photo).
    pub fn of_cell(
        file: &'a Path,
        cell: &'a Cell,
        allowed: &[&str],
        diags: &'a mut Diagnostics,
    ) -> Option<Self> {
        let CellValue::Map(fields) = &cell.value else {
            diags.push(Diagnostic::at(
                file,
                cell.position,
                Problem::WrongType {
                    field: "(raíz)".into(),
                    expected: "un mapa de campos".into(),
                },
            ));
            return None;
        };
        Some(Fields::new(file, cell.position, fields, allowed, diags))
    }

    /// The cell of a field, if present and not null.
    pub fn cell(&self, key: &str) -> Option<&'a Cell> {
        self.fields
            .iter()
            .find(|f| f.name == key)
            .map(|f| &f.cell)
            .filter(|c| c.value != CellValue::Null)
    }

    /// Where the name of `key` stands, or the row when absent.
    pub fn key_position(&self, key: &str) -> Position {
        self.fields
            .iter()
            .find(|f| f.name == key)
            .map_or(self.position, |f| f.position)
    }

    /// A text that is a link, checked against the one URL policy ([`crate::urls::is_safe_link`]).
    pub fn link(&mut self, key: &str) -> Option<Located<String>> {
        let text = self.text(key)?;
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

    /// Records a problem at a place of this file.
    pub fn error(&mut self, position: Position, problem: Problem) {
        self.diags
            .push(Diagnostic::at(self.file, position, problem));
    }

    /// Records that a required field is missing.
    pub fn missing(&mut self, key: &str) {
        let p = self.position;
        self.error(p, Problem::MissingField { field: key.into() });
    }

    /// The same messages as `yaml::Fields` gives: with how to write the value where an
    /// editor's habit missed it (a decimal comma, `sí` for `true`).
    fn wrong(&mut self, key: &str, cell: &Cell, expected: &str) {
        let problem = match cell.as_text().and_then(|t| how_to_write(&t, expected)) {
            Some(fix) => Problem::WrongValue {
                field: key.into(),
                expected: expected.into(),
                value: cell.as_text().unwrap_or_default(),
                fix,
            },
            None => Problem::WrongType {
                field: key.into(),
                expected: expected.into(),
            },
        };
        self.error(cell.position, problem);
    }

    /// An optional text; numbers are read as written, dates as `AAAA-MM-DD`.
    pub fn text(&mut self, key: &str) -> Option<Located<String>> {
        let cell = self.cell(key)?;
        match &cell.value {
            CellValue::Text(_) | CellValue::Int(_) | CellValue::Number(..) | CellValue::Date(_) => {
                Some(Located {
                    value: cell.as_text()?,
                    position: cell.position,
                })
            }
            _ => {
                self.wrong(key, cell, "un texto");
                None
            }
        }
    }

    /// An optional code that may start with zeros (`ubigeo`): a workbook's number cell has
    /// lost them already, so it is refused with the advice to format the column as text.
    pub fn code(&mut self, key: &str) -> Option<Located<String>> {
        let cell = self.cell(key)?;
        if cell.position.sheet.is_some() && cell.value.is_number() {
            self.error(
                cell.position,
                Problem::Sheet(SheetProblem::CodeAsNumber { field: key.into() }),
            );
            return None;
        }
        self.text(key)
    }

    /// A required, non-empty text.
    pub fn required_text(&mut self, key: &str) -> Option<Located<String>> {
        if self.cell(key).is_none() {
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
        let cell = self.cell(key)?;
        match cell.value {
            CellValue::Bool(b) => Some(b),
            _ => {
                self.wrong(key, cell, "`true` o `false`");
                None
            }
        }
    }

    /// An optional number (integer or decimal); one in quotes (`"4.5"`) is that number.
    pub fn number(&mut self, key: &str) -> Option<Located<f64>> {
        let cell = self.cell(key)?;
        let value = match &cell.value {
            CellValue::Text(s) => quoted_number(s),
            _ => cell.number(),
        };
        match value {
            Some(value) => Some(Located {
                value,
                position: cell.position,
            }),
            None => {
                self.wrong(key, cell, "un número");
                None
            }
        }
    }

    /// An optional integer; one in quotes (`"2019"`) is that integer.
    pub fn int(&mut self, key: &str) -> Option<Located<i64>> {
        let cell = self.cell(key)?;
        let value = match &cell.value {
            CellValue::Int(i) => Some(*i),
            CellValue::Text(s) => quoted_int(s),
            _ => None,
        };
        match value {
            Some(value) => Some(Located {
                value,
                position: cell.position,
            }),
            _ => {
                self.wrong(key, cell, "un número entero");
                None
            }
        }
    }

    /// An optional list of texts (a single text is accepted as a list of one).
    pub fn text_list(&mut self, key: &str) -> Vec<String> {
        let Some(cell) = self.cell(key) else {
            return Vec::new();
        };
        let items: Vec<&Cell> = match &cell.value {
            CellValue::List(items) => items.iter().collect(),
            CellValue::Text(_) => vec![cell],
            _ => {
                self.wrong(key, cell, "una lista de textos");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_text() {
                Some(t) if matches!(item.value, CellValue::Text(_) | CellValue::Int(_)) => {
                    out.push(t)
                }
                _ => self.wrong(key, item, "una lista de textos"),
            }
        }
        out
    }

    /// An optional nested map, checked against its own keys.
    pub fn map(&mut self, key: &str, allowed: &[&str]) -> Option<Fields<'_>> {
        let cell = self.cell(key)?;
        let CellValue::Map(fields) = &cell.value else {
            self.wrong(key, cell, "un mapa de campos");
            return None;
        };
        Some(Fields::new(
            self.file,
            cell.position,
            fields,
            allowed,
            self.diags,
        ))
    }

    /// An optional list of maps (each read with [`Fields::of_cell`]).
    pub fn list_of_maps(&mut self, key: &str) -> Vec<&'a Cell> {
        let Some(cell) = self.cell(key) else {
            return Vec::new();
        };
        match &cell.value {
            CellValue::List(items) => items.iter().collect(),
            _ => {
                self.wrong(key, cell, "una lista");
                Vec::new()
            }
        }
    }

    /// The file being read.
    pub fn file(&self) -> &'a Path {
        self.file
    }

    /// The diagnostics sink, for nested readers.
    pub fn diags(&mut self) -> &mut Diagnostics {
        self.diags
    }
}
