//! The format-independent table every dataset becomes: rows of named fields, each value a
//! typed [`Cell`] that knows where it was written (`line:column` in YAML and CSV, `Hoja!C7`
//! in a workbook). Everything above `data` — schemas, validation, tables, charts, figures,
//! maps, downloads and templates — reads rows only through this module, so a new file
//! format is one reader that produces [`Row`]s.
//!
//! The JSON of a row ([`Row::to_json`]) is what templates see; it is the same JSON the YAML
//! tree gave before this table existed (`tests/it/example.rs` compares it).

use crate::diag::Position;
use crate::format::iso_date;
use crate::yaml::{Node, Value};
use jiff::civil::Date;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The value.
    pub value: CellValue,
    /// Where it stands.
    pub position: Position,
}

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Nothing written.
    Null,
    /// `true` or `false` (a workbook's boolean cell).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A decimal number, with its text as written (`1.10` stays `1.10` where text is wanted).
    Number(f64, String),
    /// Text.
    Text(String),
    /// A date (a workbook's date cell); templates see it as `AAAA-MM-DD`.
    Date(Date),
    /// A list (`sectores`).
    List(Vec<Cell>),
    /// Nested fields (`ubicacion.lat`, `ubicacion.lon`).
    Map(Vec<Field>),
}

/// A named value: the key's own place and the cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// Where the name stands (a YAML key, a spreadsheet's header cell).
    pub position: Position,
    /// The value.
    pub cell: Cell,
}

/// One record.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where the row starts.
    pub position: Position,
    /// Its fields, in the order written.
    pub fields: Vec<Field>,
}

impl CellValue {
    /// The Spanish name of the type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            CellValue::Null => "vacío",
            CellValue::Bool(_) => "verdadero/falso",
            CellValue::Int(_) | CellValue::Number(..) => "un número",
            CellValue::Text(_) => "un texto",
            CellValue::Date(_) => "una fecha",
            CellValue::List(_) => "una lista",
            CellValue::Map(_) => "un mapa de campos",
        }
    }

    /// True for integers and decimals.
    pub fn is_number(&self) -> bool {
        matches!(self, CellValue::Int(_) | CellValue::Number(..))
    }
}

impl Cell {
    /// The text of a scalar: texts as they are, numbers and booleans as written, dates as
    /// `AAAA-MM-DD`.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            CellValue::Text(s) => Some(s.clone()),
            CellValue::Int(i) => Some(i.to_string()),
            CellValue::Number(_, raw) => Some(raw.clone()),
            CellValue::Bool(b) => Some(b.to_string()),
            CellValue::Date(d) => Some(iso_date(*d)),
            CellValue::Null | CellValue::List(_) | CellValue::Map(_) => None,
        }
    }

    /// The number of a numeric cell.
    pub fn number(&self) -> Option<f64> {
        match self.value {
            CellValue::Int(i) => Some(i as f64),
            CellValue::Number(f, _) => Some(f),
            _ => None,
        }
    }

    /// The value as templates and the JSON download see it.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            CellValue::Null => J::Null,
            CellValue::Bool(b) => J::Bool(*b),
            CellValue::Int(i) => J::from(*i),
            CellValue::Number(f, _) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            CellValue::Text(s) => J::String(s.clone()),
            CellValue::Date(d) => J::String(iso_date(*d)),
            CellValue::List(items) => J::Array(items.iter().map(Cell::to_json).collect()),
            CellValue::Map(fields) => fields_json(fields),
        }
    }
}

fn fields_json(fields: &[Field]) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .iter()
            .map(|f| (f.name.clone(), f.cell.to_json()))
            .collect(),
    )
}

impl Row {
    /// Where the row starts.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Fields in the order written.
    pub fn cells(&self) -> impl Iterator<Item = (&str, &Cell)> {
        self.fields.iter().map(|f| (f.name.as_str(), &f.cell))
    }

    /// The field named `column`, even when empty.
    pub fn field(&self, column: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == column)
    }

    /// The value of a column, if present and not null.
    pub fn get(&self, column: &str) -> Option<&Cell> {
        self.field(column)
            .map(|f| &f.cell)
            .filter(|c| c.value != CellValue::Null)
    }

    /// A numeric cell.
    pub fn number(&self, column: &str) -> Option<f64> {
        self.get(column)?.number()
    }

    /// A cell as text (numbers as written).
    pub fn text(&self, column: &str) -> Option<String> {
        self.get(column)?.as_text()
    }

    /// The row as templates see it: a JSON object of its fields in order.
    pub fn to_json(&self) -> serde_json::Value {
        fields_json(&self.fields)
    }
}

/// A YAML value as a cell (after privacy stripping): the same values, positions and order.
pub fn from_node(node: Node) -> Cell {
    let value = match node.value {
        Value::Null => CellValue::Null,
        Value::Bool(b) => CellValue::Bool(b),
        Value::Int(i) => CellValue::Int(i),
        Value::Float(f, raw) => CellValue::Number(f, raw),
        Value::Str(s) => CellValue::Text(s),
        Value::Seq(items) => CellValue::List(items.into_iter().map(from_node).collect()),
        Value::Map(entries) => CellValue::Map(fields_from(entries)),
    };
    Cell {
        value,
        position: node.position,
    }
}

/// A YAML mapping's entries as fields.
pub fn fields_from(entries: Vec<(Node, Node)>) -> Vec<Field> {
    entries
        .into_iter()
        .map(|(k, v)| Field {
            name: k.key(),
            position: k.position,
            cell: from_node(v),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn yaml_rows_give_the_same_json_as_the_tree() {
        let text = "- a: 1\n  b: {c: 2.50, d: [x, 3]}\n  e: ~\n  f: true\n  g: '01'\n";
        let f = SourceFile::new("d.yaml", text);
        let node = crate::yaml::parse(&f, text, 1).unwrap();
        let tree = crate::content::to_json(&node);
        let Value::Seq(items) = node.value else {
            panic!("a list")
        };
        let rows: Vec<serde_json::Value> = items
            .into_iter()
            .map(|n| match n.value {
                Value::Map(e) => Row {
                    position: n.position,
                    fields: fields_from(e),
                }
                .to_json(),
                _ => panic!("a map"),
            })
            .collect();
        assert_eq!(serde_json::Value::Array(rows), tree);
    }

    #[test]
    fn cells_keep_their_text_and_place() {
        let c = Cell {
            value: CellValue::Number(1.1, "1.10".into()),
            position: Position::new(3, 4),
        };
        assert_eq!(c.as_text().as_deref(), Some("1.10"));
        assert_eq!(c.number(), Some(1.1));
        let d = Cell {
            value: CellValue::Date(jiff::civil::date(2018, 7, 1)),
            position: Position::cell("Barrios", 7, 3),
        };
        assert_eq!(d.to_json(), serde_json::json!("2018-07-01"));
        assert_eq!(d.position.to_string(), "Barrios!C7");
    }
}
