//! Spreadsheets as datasets: `content/datos/<id>.csv`, `.xlsx`, `.ods` (and `.xls`, which
//! calamine reads too) become the same [`Row`]s as a YAML file, each cell at its place —
//! `barrios.csv:7:15` for CSV, `barrios.xlsx:Barrios!C7` for a workbook.
//!
//! A sheet is first a [`Grid`] of typed cells (CSV text is typed here, as YAML scalars are,
//! plus the site locale's way of writing numbers; a workbook's cells keep the type the
//! spreadsheet gave them), then [`rows`] turns the grid into rows: the first row names the
//! fields, private columns go before any cell is read, dotted columns (`ubicacion.lat`) nest,
//! a schema's list fields (`sectores`) split at `;`, blank rows and blank trailing columns
//! are ignored. Every problem is reported, not only the first.

use super::table::{Cell, CellValue, Field, Row};
use crate::diag::{Diagnostic, Diagnostics, Position, Problem, column_letters};
use crate::format::NumberFormat;
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

/// A CSV file's bytes as a grid: UTF-8 with or without BOM, CRLF or LF, `,` or `;`.
/// Problems go to `diags`; `None` when the file cannot be read at all.
pub fn csv_grid(
    file: &Path,
    bytes: &[u8],
    numbers: NumberFormat,
    diags: &mut Diagnostics,
) -> Option<Grid> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            diags.push(Diagnostic::at(
                file,
                end_position(valid),
                Problem::CsvNotUtf8,
            ));
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e
                    .position()
                    .map_or(Position::new(1, 1), |p| Position::new(p.line() as usize, 1));
                diags.push(Diagnostic::at(
                    file,
                    at,
                    Problem::CsvMalformed {
                        detail: e.to_string(),
                    },
                ));
                break;
            }
        };
        let (start, line) = record
            .position()
            .map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
        let places = field_starts(text, start, line, delimiter, record.len());
        let cells = record
            .iter()
            .zip(places)
            .map(|(raw, at)| Cell {
                value: infer(raw, at, numbers, file, diags),
                position: at,
            })
            .collect();
        rows.push((
            record
                .position()
                .map_or(Position::new(1, 1), |p| Position::new(p.line() as usize, 1)),
            cells,
        ));
    }
    Some(Grid { rows })
}

/// Where the text ends, as a position (for the first byte that is not UTF-8).
fn end_position(text: &str) -> Position {
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Position::new(line, column)
}

/// `;` when the first line has more semicolons than commas outside quotes (Excel's CSV where
/// the decimal separator is a comma), `,` otherwise.
fn detect_delimiter(text: &str) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas { b';' } else { b',' }
}

/// The line and column where each of a record's `count` fields starts, scanning the raw text
/// from the record's first byte, at the start of `line` (quoted fields may hold delimiters,
/// quotes and newlines). Only the record is scanned, so reading stays linear.
fn field_starts(
    text: &str,
    start: usize,
    line: usize,
    delimiter: u8,
    count: usize,
) -> Vec<Position> {
    let mut line = line;
    let mut column = 1;
    let delimiter = delimiter as char;
    let mut out = Vec::with_capacity(count);
    let mut chars = text.get(start..).unwrap_or_default().chars().peekable();
    let mut at_field_start = true;
    let mut quoted = false;
    while out.len() <= count {
        if at_field_start {
            out.push(Position::new(line, column));
            at_field_start = false;
            if out.len() == count {
                break;
            }
        }
        let Some(c) = chars.next() else { break };
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                column += 1;
            }
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            '\n' => {
                line += 1;
                column = 0;
            }
            c if c == delimiter && !quoted => at_field_start = true,
            _ => {}
        }
        column += 1;
    }
    while out.len() < count {
        out.push(Position::new(line, column));
    }
    out
}

/// A CSV cell typed as a YAML plain scalar is (`true`/`false`, integers without leading
/// zeros, decimals, else text), plus numbers as the site's locale writes them (`1,234.5` in
/// es-PE, `1.234,5` in es-ES). A cell that looks like a number but is neither is an error.
fn infer(
    raw: &str,
    at: Position,
    numbers: NumberFormat,
    file: &Path,
    diags: &mut Diagnostics,
) -> CellValue {
    let t = raw.trim();
    if t.is_empty() {
        return CellValue::Null;
    }
    match t {
        "true" | "TRUE" | "VERDADERO" => return CellValue::Bool(true),
        "false" | "FALSE" | "FALSO" => return CellValue::Bool(false),
        _ => {}
    }
    // Where the comma is the decimal separator, `1.234` is a thousand and more, as the
    // locale writes it; elsewhere the plain reading comes first.
    let (decimal, group) = numbers.separators();
    let number = if decimal == ',' {
        locale_number(t, decimal, group).or_else(|| plain_number(t))
    } else {
        plain_number(t).or_else(|| locale_number(t, decimal, group))
    };
    if let Some(v) = number {
        return v;
    }
    if looks_numeric(t) {
        diags.push(Diagnostic::at(
            file,
            at,
            Problem::BadNumber {
                value: t.to_string(),
                example: numbers.format(1234.5, 2),
            },
        ));
        return CellValue::Null;
    }
    // A quoted newline is `\r\n` where Excel wrote the file; YAML text has `\n`.
    CellValue::Text(raw.replace("\r\n", "\n"))
}

/// `1234`, `-3`, `0.5`, `1234.5`: as YAML reads them (a leading zero keeps `01` text).
fn plain_number(t: &str) -> Option<CellValue> {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    match frac {
        None => t.parse().ok().map(CellValue::Int),
        Some(f) if all_digits(f) => t
            .parse()
            .ok()
            .map(|x: f64| CellValue::Number(x, t.to_string())),
        Some(_) => None,
    }
}

/// A number with the locale's groups of three (`1,234`) and its decimal separator.
fn locale_number(t: &str, decimal: char, group: char) -> Option<CellValue> {
    let negative = t.starts_with('-');
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match digits.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = int.split(group).collect();
    let (first, rest) = groups.split_first()?;
    let grouped = !rest.is_empty();
    let int_ok = if grouped {
        is_digits(first)
            && first.len() <= 3
            && !first.starts_with('0')
            && rest.iter().all(|g| g.len() == 3 && is_digits(g))
    } else {
        is_digits(first) && frac.is_some()
    };
    if !int_ok || !frac.is_none_or(is_digits) {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    let plain = format!("{sign}{}", groups.concat());
    let x: f64 = match frac {
        Some(f) => format!("{plain}.{f}").parse().ok()?,
        None => plain.parse().ok()?,
    };
    Some(match frac {
        None if x.abs() < 9.0e15 => CellValue::Int(x as i64),
        _ => CellValue::Number(x, t.to_string()),
    })
}

/// Digits with `.`/`,` separators (and a sign): something meant as a number.
fn looks_numeric(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().any(|b| b == b'.' || b == b',')
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b' ')
        && body.starts_with(|c: char| c.is_ascii_digit())
}

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
            Problem::WorkbookUnreadable {
                detail: e.to_string(),
            },
        )
    };
    let mut book = match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)) {
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
                    Problem::SheetNotFound {
                        sheet: w.to_string(),
                        available: names.clone(),
                    },
                ));
                return None;
            }
        },
        None => match names.iter().find(|n| !is_meta(n)) {
            Some(n) => n.clone(),
            None => {
                diags.push(Diagnostic::in_file(
                    file,
                    Problem::EmptySheet {
                        sheet: names.first().cloned().unwrap_or_default(),
                    },
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
            Problem::SheetsNotRead {
                read: sheet.clone(),
                others,
            },
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
    let grid = sheet_grid(&mut book, file, &sheet, diags)?;
    if let Some((first_row, _)) = grid.rows.first() {
        for m in &merged {
            let (row, col) = m.start;
            if row as usize + 1 == first_row.line {
                let at = Position::cell(&sheet, row as usize + 1, col as usize + 1);
                diags.push(Diagnostic::at(file, at, Problem::MergedHeader));
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
                Problem::WorkbookUnreadable {
                    detail: e.to_string(),
                },
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
                Problem::CellError {
                    error: e.to_string(),
                },
            ));
            CellValue::Null
        }
        D::Empty => {
            if let Some(f) = formula() {
                diags.push(Diagnostic::at(
                    file,
                    at,
                    Problem::FormulaWithoutValue { formula: f },
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
            Problem::EmptySheet {
                sheet: String::new(),
            },
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
                    Problem::CellWithoutHeader,
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
                diags.push(Diagnostic::at(file, cell.position, Problem::EmptyHeader));
            }
            continue;
        }
        if let Some((_, _, first)) = out.iter().find(|(_, n, _)| *n == name) {
            diags.push(Diagnostic::at(
                file,
                cell.position,
                Problem::DuplicateHeader {
                    name: name.clone(),
                    first: cell_name(*first),
                },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pe() -> NumberFormat {
        NumberFormat::for_language("es-PE").unwrap()
    }

    #[test]
    fn csv_cells_are_typed_as_yaml_scalars_and_locale_numbers() {
        let mut d = Diagnostics::new();
        let at = Position::new(1, 1);
        let f = Path::new("x.csv");
        let es = NumberFormat::for_language("es").unwrap();
        assert_eq!(infer("12", at, pe(), f, &mut d), CellValue::Int(12));
        assert_eq!(
            infer("01", at, pe(), f, &mut d),
            CellValue::Text("01".into())
        );
        assert_eq!(
            infer("1,234.5", at, pe(), f, &mut d),
            CellValue::Number(1234.5, "1,234.5".into())
        );
        assert_eq!(infer("1,234", at, pe(), f, &mut d), CellValue::Int(1234));
        assert_eq!(
            infer("1.234,5", at, es, f, &mut d),
            CellValue::Number(1234.5, "1.234,5".into())
        );
        assert_eq!(
            infer("1234,5", at, es, f, &mut d),
            CellValue::Number(1234.5, "1234,5".into())
        );
        assert_eq!(
            infer("2016-2017", at, pe(), f, &mut d),
            CellValue::Text("2016-2017".into())
        );
        assert!(d.is_empty());
        assert_eq!(infer("1.234,5", at, pe(), f, &mut d), CellValue::Null);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn fields_are_placed_across_quoted_newlines() {
        let text = "a,b,c\n\"x\ny\",\"q,\"\"r\",z\n";
        let second = text.find("\"x").unwrap();
        let p = field_starts(text, second, 2, b',', 3);
        assert_eq!(
            p,
            vec![
                Position::new(2, 1),
                Position::new(3, 4),
                Position::new(3, 12)
            ]
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a,b,\"c;d\"\n"), b',');
    }
}
