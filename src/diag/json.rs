//! `boletin check --json`: every diagnostic and the next scheduled change in one stable JSON
//! document, for schedulers and CI. The form is versioned (`"version": 1`); fields are only
//! ever added. Documented in the README («check --json»).
//!
//! ```json
//! {"version":1,"ok":false,
//!  "diagnostics":[{"file":"content/boletines/a.md","line":3,"column":9,"severity":"error",
//!                  "message":"…"}],
//!  "next_change":{"at":"2026-12-08T14:00:00Z","local":"2026-12-08T09:00:00-05:00",
//!                 "zone":"America/Lima","publishes":["Título"]}}
//! ```
//!
//! `line` and `column` are `null` for a problem of a whole file or of the command; `file` is
//! empty for the latter. In a workbook, `line` is the row and `column` the column's number,
//! and `cell` names the cell as Excel does (`Barrios!G18`); `cell` is `null` elsewhere. `next_change` is `null` when no embargo is pending or the site has
//! errors.

use super::Diagnostic;
use serde_json::{Value, json};

/// The next embargo to end, as the report shows it.
pub struct Next<'a> {
    /// When.
    pub at: jiff::Timestamp,
    /// The site's zone.
    pub zone: &'a jiff::tz::TimeZone,
    /// What it publishes.
    pub titles: &'a [String],
}

/// The whole report, on one line.
pub fn report((diagnostics, next): (&[Diagnostic], Option<Next<'_>>)) -> String {
    let ok = diagnostics.iter().all(Diagnostic::is_warning);
    let value = json!({
        "version": 1,
        "ok": ok,
        "diagnostics": diagnostics.iter().map(one).collect::<Vec<_>>(),
        "next_change": next.map(|n| json!({
            "at": n.at.to_string(),
            "local": n.at.to_zoned(n.zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            "zone": n.zone.iana_name().unwrap_or("UTC"),
            "publishes": n.titles,
        })),
    });
    value.to_string()
}

fn one(d: &Diagnostic) -> Value {
    json!({
        "file": d.file.to_string_lossy().replace('\\', "/"),
        "line": d.position.map(|p| p.line),
        "column": d.position.map(|p| p.column),
        "cell": d.position.filter(|p| p.sheet.is_some()).map(|p| p.to_string()),
        "severity": if d.is_warning() { "warning" } else { "error" },
        "message": d.message(),
    })
}
