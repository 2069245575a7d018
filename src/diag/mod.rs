//! Diagnostics: every problem an editor can cause, with the file and position to fix.
//!
//! Pipeline steps never stop at the first problem: they return what they could build plus
//! a [`Diagnostics`] list, and the command decides the exit status at the end (ripgrep's
//! "keep going" policy). Wording lives only in `messages.rs`, so tests can assert on it.

pub mod json;
mod messages;
mod problem;
mod report;
mod sheet;

pub use problem::Problem;
pub use report::render as render_report;
pub use sheet::SheetProblem;

use std::path::{Path, PathBuf};

/// A position in a source file, 1-based, as editors count. It has two forms: `line:column`
/// in a text file, and a sheet and cell (`Barrios!C7`) in a workbook, where `line` is the
/// row and `column` the column number (C = 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    /// Line number (a workbook's row), starting at 1.
    pub line: usize,
    /// Column number in characters (a workbook's column), starting at 1.
    pub column: usize,
    /// The sheet, in a workbook.
    pub sheet: Option<Sheet>,
}

impl Position {
    /// A position from 1-based line and column.
    pub fn new(line: usize, column: usize) -> Self {
        Position {
            line,
            column,
            sheet: None,
        }
    }

    /// A cell of a workbook's sheet, from its 1-based row and column.
    pub fn cell(sheet: &str, row: usize, column: usize) -> Self {
        Position {
            line: row,
            column,
            sheet: Some(Sheet::named(sheet)),
        }
    }
}

impl std::fmt::Display for Position {
    /// `7:15`, or `Barrios!C7` (`'Hoja 1'!C7` when the name needs quotes, as Excel writes it).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(sheet) = self.sheet else {
            return write!(f, "{}:{}", self.line, self.column);
        };
        let name = sheet.name();
        if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            write!(f, "{name}!")?;
        } else {
            write!(f, "'{}'!", name.replace('\'', "''"))?;
        }
        write!(f, "{}{}", column_letters(self.column), self.line)
    }
}

/// A spreadsheet column's letters: 1 → A, 27 → AA.
pub fn column_letters(column: usize) -> String {
    let mut n = column.max(1);
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

/// A sheet's name, interned so that [`Position`] stays `Copy`. Each distinct name is kept
/// once for the life of the process: a site has a handful of sheets, and `serve` only adds
/// one when an editor names a new sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sheet(&'static str);

impl Sheet {
    /// The handle of a sheet name.
    pub fn named(name: &str) -> Sheet {
        static NAMES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
            std::sync::Mutex::new(std::collections::BTreeSet::new());
        let mut names = NAMES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = names.get(name) {
            return Sheet(known);
        }
        let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
        names.insert(leaked);
        Sheet(leaked)
    }

    /// The name as written in the workbook.
    pub fn name(self) -> &'static str {
        self.0
    }
}

/// One problem found in the site, located at a file (relative to the site root) and,
/// when known, a position in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// File relative to the site root, with `/` separators; empty for problems of the command.
    pub file: PathBuf,
    /// Where in the file, when the problem has a place.
    pub position: Option<Position>,
    /// What is wrong.
    pub problem: Box<Problem>,
}

impl Diagnostic {
    /// A problem located at `file:line:column`.
    pub fn at(file: impl Into<PathBuf>, position: Position, problem: Problem) -> Self {
        Diagnostic {
            file: file.into(),
            position: Some(position),
            problem: Box::new(problem),
        }
    }

    /// A problem of a whole file.
    pub fn in_file(file: impl Into<PathBuf>, problem: Problem) -> Self {
        Diagnostic {
            file: file.into(),
            position: None,
            problem: Box::new(problem),
        }
    }

    /// A problem with no file (command-line options, output folder).
    pub fn global(problem: Problem) -> Self {
        Diagnostic {
            file: PathBuf::new(),
            position: None,
            problem: Box::new(problem),
        }
    }

    /// The Spanish message, without location.
    pub fn message(&self) -> String {
        self.problem.message()
    }

    /// `archivo:línea:columna` (or less when unknown).
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        match self.position {
            Some(p) => format!("{file}:{p}"),
            None => file,
        }
    }
}

impl Diagnostic {
    /// True when the problem does not stop the build.
    pub fn is_warning(&self) -> bool {
        self.problem.is_warning()
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.is_warning() { "aviso" } else { "error" };
        if self.file.as_os_str().is_empty() {
            write!(f, "{level}: {}", self.message())
        } else {
            write!(f, "{level}: {}: {}", self.location(), self.message())
        }
    }
}

/// A path printed with `/` on every platform, as it appears in messages.
pub fn display_path(path: &Path) -> String {
    let mut shown = String::new();
    for part in path.components() {
        // The root is shown as the one `/` it is (`/etc/x`, not `//etc/x`).
        let root = part == std::path::Component::RootDir;
        if root || (!shown.is_empty() && !shown.ends_with('/')) {
            shown.push('/');
        }
        if !root {
            shown.push_str(&part.as_os_str().to_string_lossy());
        }
    }
    shown
}

/// All problems of one run, kept sorted and free of duplicates so output is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when at least one problem stops the build.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| !d.is_warning())
    }

    /// Only the warnings, sorted.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        Diagnostics(self.0.iter().filter(|d| d.is_warning()).cloned().collect()).sorted()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems, sorted by file, position and message.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// The nearest candidate to a misspelt word, when one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let word = word.to_lowercase();
    let mut best: Option<(usize, f64, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        let distance = strsim::osa_distance(&word, &lower);
        let similarity = strsim::jaro_winkler(&word, &lower);
        let close = distance <= 2 && distance * 2 < lower.chars().count().max(2);
        if !(close || similarity > 0.85) {
            continue;
        }
        let better = best.is_none_or(|(d, s, _)| distance < d || (distance == d && similarity > s));
        if better {
            best = Some((distance, similarity, candidate));
        }
    }
    best.map(|(_, _, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_with_single_slashes() {
        assert_eq!(
            display_path(Path::new("content/boletines/a.md")),
            "content/boletines/a.md"
        );
        assert_eq!(display_path(Path::new("/etc/x")), "/etc/x");
        assert_eq!(display_path(Path::new("/")), "/");
        assert_eq!(display_path(Path::new("")), "");
    }

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["titulo", "fecha", "resumen", "etiquetas"];
        assert_eq!(suggest("titlo", keys).as_deref(), Some("titulo"));
        assert_eq!(suggest("fehca", keys).as_deref(), Some("fecha"));
        assert_eq!(suggest("xyz", keys), None);
    }

    #[test]
    fn workbook_cells_are_shown_as_excel_names_them() {
        let d = Diagnostic::at(
            "content/datos/barrios.xlsx",
            Position::cell("Barrios", 7, 3),
            Problem::MissingField {
                field: "nombre".into(),
            },
        );
        assert_eq!(d.location(), "content/datos/barrios.xlsx:Barrios!C7");
        assert_eq!(Position::cell("Hoja 1", 1, 28).to_string(), "'Hoja 1'!AB1");
        assert_eq!(Position::cell("it's", 2, 26).to_string(), "'it''s'!Z2");
        assert_eq!(Position::new(7, 15).to_string(), "7:15");
        assert_eq!(Sheet::named("Barrios"), Sheet::named("Barrios"));
    }

    #[test]
    fn display_has_location() {
        let d = Diagnostic::at(
            "content/boletines/a.md",
            Position::new(3, 1),
            Problem::MissingField {
                field: "titulo".into(),
            },
        );
        assert_eq!(
            d.to_string(),
            "error: content/boletines/a.md:3:1: falta el campo obligatorio `titulo`"
        );
    }
}
