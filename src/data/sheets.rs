//! Spreadsheets as datasets: `content/datos/<id>.csv`, `.xlsx`, `.ods` (and `.xls`, which
//! calamine reads too) become the same [`Row`]s as a YAML file, each cell at its place —
//! `barrios.csv:7:15` for CSV, `barrios.xlsx:Barrios!C7` for a workbook.
//!
//! A sheet is first a [`Grid`] of typed cells — `data::csv_text` types CSV text, as YAML
//! scalars are, plus the site locale's way of writing numbers; `data::workbook` keeps the
//! type the spreadsheet gave each cell — then [`rows`] (here) turns the grid into rows: the
//! first row names the fields, private columns go before any cell is read, dotted columns
//! (`ubicacion.lat`) nest, a schema's list fields (`sectores`) split at `;`, blank rows and
//! blank trailing columns are ignored. Every problem is reported, not only the first.

use super::table::{Cell, CellValue, Field, Row};
use crate::diag::SheetProblem;
use crate::diag::{Diagnostic, Diagnostics, Position, Problem, column_letters};
use std::path::Path;

/// Extensions read as spreadsheets.
pub const EXTENSIONS: &[&str] = &["csv", "xlsx", "xlsm", "ods", "xls"];

/// A sheet's cells, row by row, each already typed and placed.
pub struct Grid {
    /// The rows as written (the first names the fields); `None` is a cell never written.
    pub rows: Vec<(Position, Vec<Cell>)>,
}

/// Fields whose spreadsheet cell holds a `;`-separated list, per dataset id.
fn list_fields(id: &str) -> &'static [&'static str] {
    match id {
        "barrios" => &["sectores"],
        _ => &[],
    }
}

/// A grid as dataset rows (see the module essay). `private` holds the folded private names.
pub fn rows(
    file: &Path,
    id: &str,
    grid: Grid,
    private: &[String],
    diags: &mut Diagnostics,
) -> (Vec<String>, Vec<Row>) {
    let mut lines = grid.rows.into_iter();
    let Some((_, header)) = lines.next() else {
        diags.push(Diagnostic::in_file(
            file,
            Problem::Sheet(SheetProblem::EmptySheet {
                sheet: String::new(),
            }),
        ));
        return (Vec::new(), Vec::new());
    };
    let body: Vec<(Position, Vec<Cell>)> = lines
        .filter(|(_, cells)| cells.iter().any(|c| c.value != CellValue::Null))
        .collect();
    let columns = header_columns(file, &header, &body, diags);
    let lists = list_fields(id);
    let mut names = Vec::new();
    let kept: Vec<(usize, String, Position)> = columns
        .into_iter()
        .filter(|(_, name, _)| !super::privacy::is_private_path(name, private))
        .collect();
    for (_, name, _) in &kept {
        names.push(name.clone());
    }
    let width = header.len();
    let mut out = Vec::with_capacity(body.len());
    for (position, cells) in body {
        for extra in cells.iter().skip(width) {
            if extra.value != CellValue::Null {
                diags.push(Diagnostic::at(
                    file,
                    extra.position,
                    Problem::Sheet(SheetProblem::CellWithoutHeader),
                ));
            }
        }
        let mut cells: Vec<Option<Cell>> = cells.into_iter().map(Some).collect();
        let mut fields: Vec<Field> = Vec::with_capacity(kept.len());
        for (j, name, key_at) in &kept {
            let mut cell = cells.get_mut(*j).and_then(Option::take).unwrap_or(Cell {
                value: CellValue::Null,
                position,
            });
            if lists.contains(&name.as_str()) {
                cell = split_list(cell);
            }
            insert(&mut fields, name, *key_at, cell);
        }
        out.push(Row {
            position,
            fields: fields.into_iter().map(null_empty_maps).collect(),
        });
    }
    (names_top(&names), out)
}

/// The named columns: (index, name, header position), with empty and duplicate names
/// reported; a blank trailing column (no name, no value) is ignored.
fn header_columns(
    file: &Path,
    header: &[Cell],
    body: &[(Position, Vec<Cell>)],
    diags: &mut Diagnostics,
) -> Vec<(usize, String, Position)> {
    let mut out: Vec<(usize, String, Position)> = Vec::new();
    for (j, cell) in header.iter().enumerate() {
        let name = cell
            .as_text()
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        if name.is_empty() {
            let used = body
                .iter()
                .any(|(_, cells)| cells.get(j).is_some_and(|c| c.value != CellValue::Null));
            if used {
                diags.push(Diagnostic::at(
                    file,
                    cell.position,
                    Problem::Sheet(SheetProblem::EmptyHeader),
                ));
            }
            continue;
        }
        if let Some((_, _, first)) = out.iter().find(|(_, n, _)| *n == name) {
            diags.push(Diagnostic::at(
                file,
                cell.position,
                Problem::Sheet(SheetProblem::DuplicateHeader {
                    name: name.clone(),
                    first: cell_name(*first),
                }),
            ));
            continue;
        }
        out.push((j, name, cell.position));
    }
    out
}

/// `B1` in a workbook, `línea 1, columna 5` in CSV.
fn cell_name(p: Position) -> String {
    match p.sheet {
        Some(_) => format!("{}{}", column_letters(p.column), p.line),
        None => format!("la línea {}, columna {}", p.line, p.column),
    }
}

/// The dataset's columns as YAML would list them: a dotted group once, by its first name.
fn names_top(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let top = n.split('.').next().unwrap_or(n).to_string();
        if !out.contains(&top) {
            out.push(top);
        }
    }
    out
}

/// `a; b; c` as a list of texts at the cell's place.
fn split_list(cell: Cell) -> Cell {
    let CellValue::Text(text) = &cell.value else {
        return cell;
    };
    let items = text
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Cell {
            value: CellValue::Text(s.to_string()),
            position: cell.position,
        })
        .collect();
    Cell {
        value: CellValue::List(items),
        position: cell.position,
    }
}

/// Puts `cell` at the dotted `path` of `fields`, making nested maps as needed.
fn insert(fields: &mut Vec<Field>, path: &str, key_at: Position, cell: Cell) {
    let Some((head, rest)) = path.split_once('.') else {
        fields.push(Field {
            name: path.to_string(),
            position: key_at,
            cell,
        });
        return;
    };
    let index = match fields.iter().position(|f| f.name == head) {
        Some(i) => i,
        None => {
            fields.push(Field {
                name: head.to_string(),
                position: key_at,
                cell: Cell {
                    value: CellValue::Map(Vec::new()),
                    position: cell.position,
                },
            });
            fields.len() - 1
        }
    };
    if let Some(CellValue::Map(sub)) = fields.get_mut(index).map(|f| &mut f.cell.value) {
        insert(sub, rest, key_at, cell);
    }
}

/// A nested group whose cells are all empty is an empty field, as if it were not written.
fn null_empty_maps(mut f: Field) -> Field {
    if let CellValue::Map(sub) = f.cell.value {
        let sub: Vec<Field> = sub.into_iter().map(null_empty_maps).collect();
        f.cell.value = if sub.iter().all(|s| s.cell.value == CellValue::Null) {
            CellValue::Null
        } else {
            CellValue::Map(sub)
        };
    }
    f
}
