//! Which files of `content/datos/` make which dataset. Files are grouped by stem: one file
//! gives a dataset its rows (`<id>.yaml` with `filas`, or `<id>.csv`, `.xlsx`, `.ods`, `.xls`);
//! beside a spreadsheet, `<id>.yaml` holds only metadata. Two files giving rows to one id is
//! an error naming both. Any other file gets a warning, except the map that `mapa` names,
//! notes (`.md`) and Office's lock files (`~$barrios.xlsx`), which are skipped silently.

use super::sheets::{self, EXTENSIONS};
use super::{Dataset, MAX_FILE_MIB, Meta};
use crate::config::SiteConfig;
use crate::diag::SheetProblem;
use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files of one dataset id.
#[derive(Debug, Default)]
pub struct Group {
    /// `.yaml`/`.yml` files.
    pub yaml: Vec<PathBuf>,
    /// Spreadsheets.
    pub sheets: Vec<PathBuf>,
}

/// Groups the files by stem; warns about files that are not data.
pub fn group(files: &[PathBuf], config: &SiteConfig, diags: &mut Diagnostics) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for rel in files {
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let ext = rel
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let stem = rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_map = config
            .map
            .as_ref()
            .is_some_and(|m| Path::new("content/datos").join(m) == *rel);
        if name.starts_with("~$") || is_map || ext == "md" {
            continue;
        }
        let entry = || Group::default();
        match ext.as_str() {
            "yaml" | "yml" => groups
                .entry(stem)
                .or_insert_with(entry)
                .yaml
                .push(rel.clone()),
            e if EXTENSIONS.contains(&e) => groups
                .entry(stem)
                .or_insert_with(entry)
                .sheets
                .push(rel.clone()),
            _ => diags.push(Diagnostic::in_file(
                rel,
                Problem::Sheet(SheetProblem::DataFileNotRead),
            )),
        }
    }
    groups.into_values().collect()
}

/// Loads one group's dataset, with every problem (warnings too).
pub fn load(root: &Path, g: &Group, config: &SiteConfig) -> (Option<Dataset>, Diagnostics) {
    let mut diags = Diagnostics::new();
    if g.sheets.is_empty() {
        let mut out = None;
        for rel in &g.yaml {
            match super::load(root, rel, config) {
                Ok(ds) => out = Some(ds),
                Err(d) => diags.extend(d),
            }
        }
        return (out, diags);
    }
    let sidecar = match g.yaml.as_slice() {
        [] => None,
        [one] => read_sidecar(root, one, &mut diags),
        [..] => None,
    };
    let with_rows: Vec<&PathBuf> = g
        .sheets
        .iter()
        .chain(
            g.yaml
                .iter()
                .filter(|_| g.yaml.len() > 1 || sidecar.as_ref().is_some_and(|s| s.has_rows)),
        )
        .collect();
    if with_rows.len() > 1 {
        let files: Vec<String> = with_rows.iter().map(|p| display_path(p)).collect();
        let id = stem(&g.sheets[0]);
        diags.push(Diagnostic::in_file(
            with_rows[1],
            Problem::Sheet(SheetProblem::TwoFilesOneDataset { id, files }),
        ));
        return (None, diags);
    }
    let ds = load_sheet(root, &g.sheets[0], sidecar, config, &mut diags);
    (ds, diags)
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a spreadsheet's `<id>.yaml` gives.
struct Sidecar {
    meta: Meta,
    sheet: Option<String>,
    private: Vec<String>,
    has_rows: bool,
    text: String,
}

fn read_sidecar(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<Sidecar> {
    let file = match SourceFile::read(root, rel) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let node = match crate::yaml::parse(&file, &file.text, 1) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let has_rows = match &node.value {
        crate::yaml::Value::Map(e) => e.iter().any(|(k, _)| k.key_is("filas")),
        _ => true,
    };
    if has_rows {
        return Some(Sidecar {
            meta: Meta::default(),
            sheet: None,
            private: Vec::new(),
            has_rows,
            text: String::new(),
        });
    }
    let (meta, sheet, private) = super::read_sidecar_meta(&file, &node, diags);
    Some(Sidecar {
        meta,
        sheet,
        private,
        has_rows,
        text: file.text.to_string(),
    })
}

fn load_sheet(
    root: &Path,
    rel: &Path,
    sidecar: Option<Sidecar>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<Dataset> {
    let id = stem(rel);
    if !crate::content::slug::is_valid(&id) {
        diags.push(Diagnostic::in_file(rel, Problem::InvalidSlug { slug: id }));
        return None;
    }
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::in_file(
                rel,
                Problem::Io {
                    detail: e.to_string(),
                },
            ));
            return None;
        }
    };
    if bytes.len() > MAX_FILE_MIB << 20 {
        diags.push(Diagnostic::in_file(
            rel,
            Problem::FileTooLarge {
                limit_mib: MAX_FILE_MIB,
            },
        ));
        return None;
    }
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        let side = sidecar.as_ref().map(|s| s.text.as_str());
        (&bytes, side, &config.private_fields).hash(&mut h);
        h.finish()
    };
    let (mut meta, wanted, mut private) = match sidecar {
        Some(s) => (s.meta, s.sheet, s.private),
        None => (Meta::default(), None, Vec::new()),
    };
    let is_csv = rel
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let grid = if is_csv {
        super::csv_text::csv_grid(rel, &bytes, config.numbers, diags)?
    } else {
        let book = super::workbook::workbook(rel, bytes, wanted.as_deref(), diags)?;
        if let Some(m) = book.metadata {
            let (sheet_meta, sheet_private) = super::metadata_sheet(rel, m, diags);
            meta = sheet_meta;
            private.extend(sheet_private);
            meta.file = Some(rel.to_path_buf());
        }
        book.grid
    };
    private.extend(config.private_fields.iter().cloned());
    let folded = super::privacy::folded_names(&private);
    let (columns, rows) = sheets::rows(rel, &id, grid, &folded, diags);
    if diags.has_errors() {
        return None;
    }
    Some(Dataset {
        id,
        path: rel.to_path_buf(),
        meta,
        columns,
        rows,
        fingerprint,
        // A spreadsheet's problems, warnings included, are already in `diags`.
        warnings: crate::diag::Diagnostics::new(),
    })
}
