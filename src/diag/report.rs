//! Terminal rendering of diagnostics: `error: file:line:col: message`, the offending line
//! and a caret under the column, then a count.

use super::Diagnostic;
use std::path::Path;

/// Renders every diagnostic, reading source lines from `root` to show context.
pub fn render(diagnostics: &[Diagnostic], root: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
        if let Some(snippet) = snippet(d, root) {
            out.push_str(&snippet);
        }
    }
    let errors = diagnostics.iter().filter(|d| !d.is_warning()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        let noun = if errors == 1 { "error" } else { "errores" };
        out.push_str(&format!("{errors} {noun}: no se escribió ningún archivo\n"));
    } else if warnings > 0 {
        let noun = if warnings == 1 { "aviso" } else { "avisos" };
        out.push_str(&format!("{warnings} {noun}\n"));
    }
    out
}

fn snippet(d: &Diagnostic, root: &Path) -> Option<String> {
    let position = d.position.filter(|p| p.sheet.is_none())?;
    let text = std::fs::read_to_string(root.join(&d.file)).ok()?;
    let line = text.lines().nth(position.line.checked_sub(1)?)?;
    let number = position.line.to_string();
    let pad = " ".repeat(number.len());
    let caret_pad: String = line
        .chars()
        .take(position.column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some(format!(
        "{pad} |\n{number} | {line}\n{pad} | {caret_pad}^\n"
    ))
}
