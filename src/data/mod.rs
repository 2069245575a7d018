//! Data: every `content/datos/*.yaml` becomes a [`Dataset`] — its metadata (with what it covers,
//! [`coverage`]) and its rows as a format-independent [`table`], each value carrying its
//! place. Private fields are removed first ([`privacy`]), before the YAML tree becomes the table;
//! the four datasets with a fixed schema are also read into typed records ([`schema`]);
//! cross-references, totals and dates are checked in [`validate`]; [`aggregate`] computes
//! the sums templates and charts use.

pub mod aggregate;
pub mod coverage;
pub mod csv_text;
pub mod fields;
pub mod files;
pub mod geo;
pub mod hidden;
pub mod privacy;
pub mod schema;
pub mod sheets;
pub mod table;
pub mod url_fields;
pub mod validate;
pub mod workbook;

pub use table::{Cell, CellValue, Field, Row};

use crate::config::SiteConfig;
use crate::diag::SheetProblem;
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::format::parse_date;
use crate::project::walk;
use crate::source::SourceFile;
use crate::yaml::{self, Fields, Located, Node, Value};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Largest data file read, in MiB.
pub const MAX_FILE_MIB: usize = 16;

/// The keys that describe a dataset, wherever they are written, then `extra`: one list, so
/// a YAML dataset and a spreadsheet's sidecar never drift apart.
macro_rules! description_keys {
    ($($extra:literal),*) => {
        &["titulo", "descripcion", "fuente", "nota", "licencia", "actualizado", "total", "cobertura", "correcciones", $($extra),*]
    };
}

/// Keys of a YAML dataset's mapping form.
const META_KEYS: &[&str] = description_keys!("filas");

/// One data file.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The file stem: `barrios-2018`.
    pub id: String,
    /// The file, relative to the root.
    pub path: PathBuf,
    /// Title, source, note, licence, update date and declared totals.
    pub meta: Meta,
    /// Column names in the order they first appear.
    pub columns: Vec<String>,
    /// The rows, private fields removed.
    pub rows: Vec<Row>,
    /// A hash of the file's text, so incremental rebuilds notice any change.
    pub fingerprint: u64,
    /// Warnings found while reading it (private keys spelt loosely), for `load_all`.
    pub warnings: Diagnostics,
}

/// Metadata of a dataset.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `titulo`
    pub title: Option<String>,
    /// `descripcion`: what the dataset is, for its page and the catalogue.
    pub description: Option<String>,
    /// `fuente`
    pub source: Option<String>,
    /// `nota`
    pub note: Option<String>,
    /// `licencia`
    pub licence: Option<String>,
    /// `actualizado`
    pub updated: Option<Date>,
    /// `total`: declared sums per column.
    pub totals: Vec<(String, Located<f64>)>,
    /// `cobertura`: whether the rows are the whole or a part of it.
    pub coverage: Option<coverage::Coverage>,
    /// `correcciones`: dated corrections, as a bulletin's.
    pub corrections: Vec<crate::content::Correction>,
    /// Where the metadata was written, when not in the rows' file (a spreadsheet's
    /// `<id>.yaml`), for the places of its problems.
    pub file: Option<PathBuf>,
}

impl Meta {
    /// When the dataset last changed: the later of `actualizado` and its latest correction.
    pub fn modified(&self) -> Option<Date> {
        self.corrections
            .iter()
            .map(|c| c.date.value)
            .chain(self.updated)
            .max()
    }
}

/// Everything loaded from `content/datos/`.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Every dataset by id.
    pub datasets: BTreeMap<String, Dataset>,
    /// Typed records of the fixed schemas.
    pub records: schema::Records,
    /// The territories map, when `mapa` names one.
    pub map: Option<geo::Map>,
}

impl Data {
    /// Every dataset id, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.datasets.keys().map(String::as_str)
    }
}

/// Loads, strips, reads and validates every data file.
pub fn load_all(root: &Path, config: &SiteConfig, today: Date) -> (Data, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut data = Data::default();
    let files = walk(root, Path::new("content/datos"));
    let groups = files::group(&files, config, &mut diags);
    let loaded: Vec<(Option<Dataset>, Diagnostics)> = {
        use rayon::prelude::*;
        groups
            .par_iter()
            .map(|g| files::load(root, g, config))
            .collect()
    };
    for (ds, d) in loaded {
        diags.extend(d);
        if let Some(mut ds) = ds {
            diags.extend(std::mem::take(&mut ds.warnings));
            validate::quoted_numbers(&mut ds);
            url_fields::check(&ds, &mut diags);
            data.datasets.insert(ds.id.clone(), ds);
        }
    }
    data.records = schema::read(&data.datasets, &mut diags);
    data.map = load_map(root, config, &data.records, &mut diags);
    validate::data(&data, config, today, &mut diags);
    check_corrections(&data, today, &mut diags);
    (data, diags)
}

/// A dataset's correction dated in the future is an error at its line (a dataset has no
/// publication date, so only the future is ruled out).
fn check_corrections(data: &Data, today: Date, diags: &mut Diagnostics) {
    for ds in data.datasets.values() {
        let file = ds.meta.file.as_ref().unwrap_or(&ds.path);
        for c in &ds.meta.corrections {
            if let Some(p) = crate::content::correction_problem(c, None, today) {
                diags.push(Diagnostic::at(file, c.date.position, p));
            }
        }
    }
}

fn load_map(
    root: &Path,
    config: &SiteConfig,
    records: &schema::Records,
    diags: &mut Diagnostics,
) -> Option<geo::Map> {
    let file = config.map.as_ref()?;
    let territories: Vec<(String, Option<String>)> = records
        .territories
        .iter()
        .map(|t| (t.id.value.clone(), t.ubigeo.clone()))
        .collect();
    let text = std::fs::read_to_string(root.join("content/datos").join(file)).ok();
    let json = match text.as_deref().map(geo::parse) {
        Some(Err((line, column, reason))) => {
            let path = Path::new("content/datos").join(file);
            let at = crate::diag::Position::new(line, column);
            diags.push(Diagnostic::at(&path, at, Problem::MapUnreadable { reason }));
            return None;
        }
        Some(Ok(json)) => Some(json),
        None => None,
    };
    let map = json.and_then(|json| geo::from_json(file, json, &territories));
    if map.is_none() {
        diags.push(Diagnostic::in_file(
            crate::config::CONFIG_PATH,
            Problem::MapNotFound { file: file.clone() },
        ));
    }
    map
}

pub(crate) fn load(root: &Path, rel: &Path, config: &SiteConfig) -> Result<Dataset, Diagnostics> {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::content::slug::is_valid(&stem) {
        return Err(Diagnostic::in_file(rel, Problem::InvalidSlug { slug: stem }).into());
    }
    let size = std::fs::metadata(root.join(rel))
        .map(|m| m.len())
        .unwrap_or(0);
    if size > (MAX_FILE_MIB as u64) << 20 {
        return Err(Diagnostic::in_file(
            rel,
            Problem::FileTooLarge {
                limit_mib: MAX_FILE_MIB,
            },
        )
        .into());
    }
    from_file(SourceFile::read(root, rel)?, rel, config)
}

/// Reads one dataset from its file: YAML, private fields removed, metadata and rows.
pub fn from_file(
    file: SourceFile,
    rel: &Path,
    config: &SiteConfig,
) -> Result<Dataset, Diagnostics> {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        (&file.text, &config.private_fields).hash(&mut h);
        h.finish()
    };
    let mut node = yaml::parse(&file, &file.text, 1)?;
    let mut warnings = Diagnostics::new();
    for (at, key, name) in privacy::strip(&mut node, &config.private_fields) {
        let problem = Problem::PrivateFieldSpelling { key, name };
        warnings.push(Diagnostic::at(rel, at, problem));
    }
    let mut diags = Diagnostics::new();
    let meta = match &node.value {
        Value::Seq(_) => Meta::default(),
        Value::Map(_) => read_meta(&file, &node, &mut diags),
        _ => {
            diags.push(Diagnostic::at(rel, node.position, Problem::DatasetShape));
            Meta::default()
        }
    };
    let rows = take_rows(node)
        .map(|n| read_rows(&file, n, &mut diags))
        .unwrap_or_default();
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for (k, _) in row.cells() {
            if !columns.iter().any(|c| c == k) {
                columns.push(k.to_string());
            }
        }
    }
    Ok(Dataset {
        warnings,
        fingerprint,
        id: stem,
        path: rel.to_path_buf(),
        meta,
        columns,
        rows,
    })
}

fn read_meta(file: &SourceFile, node: &Node, diags: &mut Diagnostics) -> Meta {
    let Some(mut f) = Fields::new(file, node, META_KEYS, diags) else {
        return Meta::default();
    };
    let meta = meta_fields(&mut f);
    if f.node("filas").is_none() {
        f.missing("filas");
    }
    meta
}

/// Keys of a spreadsheet's `<id>.yaml` and of its `metadatos` sheet.
const SIDECAR_KEYS: &[&str] = description_keys!("hoja", "campos_privados");

/// A spreadsheet's `<id>.yaml`: the metadata, the sheet (`hoja`) and the dataset's own
/// private columns (`campos_privados`).
pub fn read_sidecar_meta(
    file: &SourceFile,
    node: &Node,
    diags: &mut Diagnostics,
) -> (Meta, Option<String>, Vec<String>) {
    let Some(mut f) = Fields::new(file, node, SIDECAR_KEYS, diags) else {
        return Default::default();
    };
    let mut meta = meta_fields(&mut f);
    meta.file = Some(file.path.clone());
    let sheet = f.text("hoja").map(|t| t.value);
    let private = f.text_list("campos_privados");
    (meta, sheet, private)
}

/// A workbook's `metadatos` sheet: a `campo` and a `valor` column, one field a row
/// (`total.barrios` for a declared total, `campos_privados` as a `;` list).
pub fn metadata_sheet(
    rel: &Path,
    grid: sheets::Grid,
    diags: &mut Diagnostics,
) -> (Meta, Vec<String>) {
    let mut meta = Meta::default();
    let mut private = Vec::new();
    let mut lines = grid.rows.into_iter();
    let header_ok = lines.next().is_some_and(|(_, h)| {
        let names: Vec<String> = h
            .iter()
            .filter_map(Cell::as_text)
            .map(|t| t.trim().to_lowercase())
            .collect();
        names.first().map(String::as_str) == Some("campo")
            && names.get(1).map(String::as_str) == Some("valor")
    });
    if !header_ok {
        diags.push(Diagnostic::in_file(
            rel,
            Problem::Sheet(SheetProblem::MetadataSheetShape),
        ));
        return (meta, private);
    }
    for (_, cells) in lines {
        let (Some(key), Some(value)) = (cells.first(), cells.get(1)) else {
            continue;
        };
        let Some(name) = key.as_text().map(|t| t.trim().to_string()) else {
            continue;
        };
        let text = value.as_text();
        let at = value.position;
        match name.as_str() {
            "titulo" => meta.title = text,
            "descripcion" => meta.description = text,
            "fuente" => meta.source = text,
            "nota" => meta.note = text,
            "licencia" => meta.licence = text,
            "actualizado" => {
                meta.updated = text.as_deref().and_then(parse_date);
                if meta.updated.is_none() {
                    diags.push(Diagnostic::at(
                        rel,
                        at,
                        Problem::InvalidDate {
                            field: "actualizado".into(),
                            value: text.unwrap_or_default(),
                        },
                    ));
                }
            }
            "campos_privados" => private.extend(
                text.unwrap_or_default()
                    .split(';')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            ),
            "correcciones" | "cobertura" | "hoja" => diags.push(Diagnostic::at(
                rel,
                key.position,
                Problem::Sheet(SheetProblem::MetadataSheetYamlOnly {
                    field: name.clone(),
                    sidecar: crate::diag::display_path(&rel.with_extension("yaml")),
                }),
            )),
            n if n.starts_with("total.") => match value.number() {
                Some(x) => meta.totals.push((
                    n["total.".len()..].to_string(),
                    Located {
                        value: x,
                        position: at,
                    },
                )),
                None => diags.push(Diagnostic::at(
                    rel,
                    at,
                    Problem::WrongType {
                        field: n.to_string(),
                        expected: "un número".into(),
                    },
                )),
            },
            _ => diags.push(Diagnostic::at(
                rel,
                key.position,
                Problem::UnknownField {
                    suggestion: crate::diag::suggest(&name, SIDECAR_KEYS.iter().copied()),
                    field: name.clone(),
                    allowed: SIDECAR_KEYS.iter().map(|s| s.to_string()).collect(),
                },
            )),
        }
    }
    (meta, private)
}

fn meta_fields(f: &mut Fields<'_>) -> Meta {
    let mut meta = Meta {
        title: f.text("titulo").map(|t| t.value),
        description: f.text("descripcion").map(|t| t.value),
        source: f.text("fuente").map(|t| t.value),
        note: f.text("nota").map(|t| t.value),
        licence: f.text("licencia").map(|t| t.value),
        updated: None,
        totals: Vec::new(),
        coverage: None,
        corrections: crate::content::read_corrections(f),
        file: None,
    };
    if let Some(c) = f.node("cobertura") {
        meta.coverage = coverage::read(f, c);
    }
    if let Some(t) = f.text("actualizado") {
        meta.updated = parse_date(&t.value);
        if meta.updated.is_none() {
            f.error(
                t.position,
                Problem::InvalidDate {
                    field: "actualizado".into(),
                    value: t.value,
                },
            );
        }
    }
    if let Some(total) = f.node("total") {
        match &total.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    match v.value {
                        Value::Int(i) => meta.totals.push((
                            k.key(),
                            Located {
                                value: i as f64,
                                position: v.position,
                            },
                        )),
                        Value::Float(x, _) => meta.totals.push((
                            k.key(),
                            Located {
                                value: x,
                                position: v.position,
                            },
                        )),
                        _ => f.error(
                            v.position,
                            Problem::WrongType {
                                field: format!("total.{}", k.key()),
                                expected: "un número".into(),
                            },
                        ),
                    }
                }
            }
            _ => f.error(
                total.position,
                Problem::WrongType {
                    field: "total".into(),
                    expected: "un mapa como `{barrios: 30}`".into(),
                },
            ),
        }
    }
    meta
}

/// The rows node, moved out of the tree (the whole tree for a bare list, `filas` otherwise).
fn take_rows(node: Node) -> Option<Node> {
    match node.value {
        Value::Seq(_) => Some(node),
        Value::Map(entries) => entries
            .into_iter()
            .find(|(k, _)| k.key_is("filas"))
            .map(|(_, v)| v)
            .filter(|v| v.value != Value::Null),
        _ => None,
    }
}

fn read_rows(file: &SourceFile, node: Node, diags: &mut Diagnostics) -> Vec<Row> {
    let Value::Seq(items) = node.value else {
        diags.push(Diagnostic::at(
            &file.path,
            node.position,
            Problem::DatasetShape,
        ));
        return Vec::new();
    };
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        match item.value {
            Value::Map(entries) => rows.push(Row {
                position: item.position,
                fields: table::fields_from(entries),
            }),
            _ => diags.push(Diagnostic::at(
                &file.path,
                item.position,
                Problem::RowNotMap,
            )),
        }
    }
    rows
}
