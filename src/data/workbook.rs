//! Workbooks as datasets (calamine: `.xlsx`, `.xlsm`, `.ods`, `.xls`): the sheet the rows
//! come from (the first that is not `metadatos`, or the sidecar's `hoja`), a warning naming
//! the other sheets, and each cell typed by the type the spreadsheet gave it (numbers,
//! booleans, date serials as dates, cached formula values), placed as `Hoja!C7`. Merged
//! header cells, error cells and formulas without a value are reported at their cell.

use super::sheets::Grid;
use super::table::{Cell, CellValue};
use crate::diag::SheetProblem;
use crate::diag::{Diagnostic, Diagnostics, Position, Problem};
use std::path::Path;

/// A workbook's sheets and the one chosen for the rows, or the problems.
pub struct Workbook {
    /// The sheet the rows come from.
    pub sheet: String,
    /// Its grid.
    pub grid: Grid,
    /// The `metadatos` sheet as (campo, valor) cells, when there is one.
    pub metadata: Option<Grid>,
}

/// Reads a workbook's bytes: the sheet `wanted` (or the first that is not `metadatos`), and
/// the `metadatos` sheet; other sheets give a warning.
pub fn workbook(
    file: &Path,
    bytes: Vec<u8>,
    wanted: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Workbook> {
    use calamine::Reader;
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostic::in_file(
            file,
            Problem::Sheet(SheetProblem::WorkbookUnreadable {
                detail: e.to_string(),
            }),
        )
    };
    let mut book =
        match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.as_slice())) {
            Ok(b) => b,
            Err(e) => {
                diags.push(unreadable(&e));
                return None;
            }
        };
    let names = book.sheet_names();
    let is_meta = |n: &str| n.trim().eq_ignore_ascii_case("metadatos");
    let sheet = match wanted {
        Some(w) => match names.iter().find(|n| n.as_str() == w) {
            Some(n) => n.clone(),
            None => {
                diags.push(Diagnostic::in_file(
                    file,
                    Problem::Sheet(SheetProblem::SheetNotFound {
                        sheet: w.to_string(),
                        available: names.clone(),
                    }),
                ));
                return None;
            }
        },
        None => match names.iter().find(|n| !is_meta(n)) {
            Some(n) => n.clone(),
            None => {
                diags.push(Diagnostic::in_file(
                    file,
                    Problem::Sheet(SheetProblem::EmptySheet {
                        sheet: names.first().cloned().unwrap_or_default(),
                    }),
                ));
                return None;
            }
        },
    };
    let others: Vec<String> = names
        .iter()
        .filter(|n| **n != sheet && !is_meta(n))
        .cloned()
        .collect();
    if !others.is_empty() {
        diags.push(Diagnostic::in_file(
            file,
            Problem::Sheet(SheetProblem::SheetsNotRead {
                read: sheet.clone(),
                others,
            }),
        ));
    }
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x
            .worksheet_merge_cells(&sheet)
            .and_then(Result::ok)
            .unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.worksheet_merge_cells(&sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    if matches!(book, calamine::Sheets::Xlsx(_)) {
        hidden_warning(file, &bytes, &sheet, diags);
    }
    let grid = sheet_grid(&mut book, file, &sheet, diags)?;
    if let Some((first_row, _)) = grid.rows.first() {
        for m in &merged {
            let (row, col) = m.start;
            if row as usize + 1 == first_row.line {
                let at = Position::cell(&sheet, row as usize + 1, col as usize + 1);
                diags.push(Diagnostic::at(
                    file,
                    at,
                    Problem::Sheet(SheetProblem::MergedHeader),
                ));
            }
        }
    }
    let metadata = names
        .iter()
        .find(|n| is_meta(n))
        .cloned()
        .and_then(|m| sheet_grid(&mut book, file, &m, diags));
    Some(Workbook {
        sheet,
        grid,
        metadata,
    })
}

/// A warning at the first hidden row (or column) of the sheet, naming them all.
fn hidden_warning(file: &Path, bytes: &[u8], sheet: &str, diags: &mut Diagnostics) {
    let Some((rows, columns)) = super::hidden::xlsx(std::io::Cursor::new(bytes), sheet) else {
        return;
    };
    if rows.is_empty() && columns.is_empty() {
        return;
    }
    let at = Position::cell(
        sheet,
        rows.first().copied().unwrap_or(1),
        if rows.is_empty() {
            columns.first().copied().unwrap_or(1)
        } else {
            1
        },
    );
    let problem = Problem::Sheet(SheetProblem::HiddenCells {
        sheet: sheet.to_string(),
        rows,
        columns: columns
            .into_iter()
            .map(crate::diag::column_letters)
            .collect(),
    });
    diags.push(Diagnostic::at(file, at, problem));
}

fn sheet_grid<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    file: &Path,
    sheet: &str,
    diags: &mut Diagnostics,
) -> Option<Grid> {
    use calamine::Reader;
    let range = match book.worksheet_range(sheet) {
        Ok(r) => r,
        Err(e) => {
            diags.push(Diagnostic::in_file(
                file,
                Problem::Sheet(SheetProblem::WorkbookUnreadable {
                    detail: e.to_string(),
                }),
            ));
            return None;
        }
    };
    let formulas = book.worksheet_formula(sheet).ok();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        let line = r0 as usize + i + 1;
        let cells = row
            .iter()
            .enumerate()
            .map(|(j, data)| {
                let col = c0 as usize + j + 1;
                let at = Position::cell(sheet, line, col);
                let formula = || {
                    formulas
                        .as_ref()
                        .and_then(|f| f.get_value((line as u32 - 1, col as u32 - 1)))
                        .filter(|f| !f.is_empty())
                        .cloned()
                };
                Cell {
                    value: typed(data, at, formula, file, diags),
                    position: at,
                }
            })
            .collect();
        rows.push((Position::cell(sheet, line, c0 as usize + 1), cells));
    }
    Some(Grid { rows })
}

/// A workbook cell by its type: numbers (integral ones as integers, as YAML writes them),
/// booleans, dates (a serial with a date format), text; errors and formulas without a value
/// are reported.
fn typed(
    data: &calamine::Data,
    at: Position,
    formula: impl Fn() -> Option<String>,
    file: &Path,
    diags: &mut Diagnostics,
) -> CellValue {
    use calamine::Data as D;
    match data {
        D::Int(i) => CellValue::Int(*i),
        D::Float(f) => float(*f),
        D::String(s) if s.trim().is_empty() => CellValue::Null,
        D::String(s) => CellValue::Text(s.clone()),
        D::Bool(b) => CellValue::Bool(*b),
        D::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            jiff::civil::Date::new(y as i16, m as i8, d as i8)
                .map_or_else(|_| float(dt.as_f64()), CellValue::Date)
        }
        D::DateTime(dt) => float(dt.as_f64()),
        D::DateTimeIso(s) => s
            .get(..10)
            .and_then(crate::format::parse_date)
            .map_or_else(|| CellValue::Text(s.clone()), CellValue::Date),
        D::DurationIso(s) => CellValue::Text(s.clone()),
        D::Error(e) => {
            diags.push(Diagnostic::at(
                file,
                at,
                Problem::Sheet(SheetProblem::CellError {
                    error: e.to_string(),
                }),
            ));
            CellValue::Null
        }
        D::Empty => {
            if let Some(f) = formula() {
                diags.push(Diagnostic::at(
                    file,
                    at,
                    Problem::Sheet(SheetProblem::FormulaWithoutValue { formula: f }),
                ));
            }
            CellValue::Null
        }
    }
}

fn float(f: f64) -> CellValue {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        CellValue::Int(f as i64)
    } else {
        CellValue::Number(f, format!("{f}"))
    }
}
