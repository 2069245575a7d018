//! CSV datasets as Excel writes them here: UTF-8 with or without BOM, CRLF or LF, `,` or
//! `;` detected from the first line, quoted fields with delimiters, quotes and newlines.
//! The text of each cell is typed as a YAML plain scalar is, plus the site locale's way of
//! writing numbers (`1,234.5` in es-PE, `1.234,5` in es-ES), and placed at its line and
//! column (`barrios.csv:7:15`), giving the [`Grid`] that `sheets::rows` turns into rows.

use super::sheets::Grid;
use super::table::{Cell, CellValue};
use crate::diag::SheetProblem;
use crate::diag::{Diagnostic, Diagnostics, Position, Problem};
use crate::format::NumberFormat;
use std::path::Path;

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
                Problem::Sheet(SheetProblem::CsvNotUtf8),
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
                    Problem::Sheet(SheetProblem::CsvMalformed {
                        detail: e.to_string(),
                    }),
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
            Problem::Sheet(SheetProblem::BadNumber {
                value: t.to_string(),
                example: numbers.format(1234.5, 2),
            }),
        ));
        return CellValue::Null;
    }
    // A quoted newline is `\r\n` where Excel wrote the file; YAML text has `\n`.
    CellValue::Text(raw.replace("\r\n", "\n"))
}

/// `1234`, `-3`, `0.5`, `1234.5`: as YAML reads them (a leading zero keeps `01` text).
pub(super) fn plain_number(t: &str) -> Option<CellValue> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pe() -> NumberFormat {
        NumberFormat::for_language("es-PE").unwrap()
    }

    /// Costa Rica groups with a no-break space (CLDR): a CSV number without groups, or
    /// with that very space, is read; the editors' guide says to write
    /// them without groups.
    #[test]
    fn costa_rican_numbers_are_read_with_their_comma() {
        let mut d = Diagnostics::new();
        let at = Position::new(1, 1);
        let f = Path::new("x.csv");
        let cr = NumberFormat::for_language("es-CR").unwrap();
        assert_eq!(
            infer("1234,5", at, cr, f, &mut d),
            CellValue::Number(1234.5, "1234,5".into())
        );
        assert_eq!(
            infer("1\u{a0}234,5", at, cr, f, &mut d),
            CellValue::Number(1234.5, "1\u{a0}234,5".into())
        );
        assert!(d.is_empty());
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
