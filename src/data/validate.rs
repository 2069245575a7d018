//! Checks that need whole datasets: unique ids, references between datasets and from
//! bulletins, declared totals, empty labels, coordinates and dates. Every problem is
//! reported; nothing stops at the first.

use super::CellValue;
use super::{Data, Dataset};
use crate::config::SiteConfig;
use crate::content::Document;
use crate::diag::{Diagnostic, Diagnostics, Problem, suggest};
use crate::yaml::Located;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// All checks on loaded data.
pub fn data(data: &Data, config: &SiteConfig, today: Date, diags: &mut Diagnostics) {
    let r = &data.records;
    let file = |k: &str| {
        r.files
            .get(k)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("content/datos/{k}.yaml")))
    };
    unique(
        r.territories.iter().map(|t| &t.id),
        &file("territorios"),
        diags,
    );
    unique(r.barrios.iter().map(|b| &b.id), &file("barrios"), diags);
    let territory_ids: BTreeSet<&str> = r.territories.iter().map(|t| t.id.value.as_str()).collect();
    for b in &r.barrios {
        reference(
            "territorio",
            &b.territory,
            &territory_ids,
            "territorios",
            &file("barrios"),
            diags,
        );
        if let Some(d) = &b.launched {
            not_future("fecha_lanzamiento", d, today, &file("barrios"), diags);
        }
    }
    let barrio_ids: BTreeSet<&str> = r.barrios.iter().map(|b| b.id.value.as_str()).collect();
    let cohorts: BTreeMap<&str, i64> = r
        .barrios
        .iter()
        .filter_map(|b| Some((b.id.value.as_str(), b.cohort?)))
        .collect();
    for l in &r.launches {
        reference(
            "barrio",
            &l.barrio,
            &barrio_ids,
            "barrios",
            &file("lanzamientos"),
            diags,
        );
        not_future("fecha", &l.date, today, &file("lanzamientos"), diags);
        if let Some(&cohort) = cohorts.get(l.barrio.value.as_str())
            && i64::from(l.date.value.year()) < cohort
        {
            let problem = Problem::LaunchBeforeCohort {
                date: crate::format::long_date(l.date.value),
                cohort,
            };
            diags.push(Diagnostic::at(
                file("lanzamientos"),
                l.date.position,
                problem,
            ));
        }
    }
    coordinates(data, config, &file("barrios"), diags);
    headline(data, config, diags);
    for ds in data.datasets.values() {
        totals(ds, config, diags);
        if !is_fixed(&ds.id) {
            empty_labels(ds, diags);
            row_shapes(ds, diags);
            text_in_numbers(ds, diags);
        }
    }
}

/// Every `territorios:` and `barrios:` of a bulletin or page names an existing record.
pub fn documents(docs: &[std::sync::Arc<Document>], data: &Data, diags: &mut Diagnostics) {
    let territories: BTreeSet<&str> = data
        .records
        .territories
        .iter()
        .map(|t| t.id.value.as_str())
        .collect();
    let barrios: BTreeSet<&str> = data
        .records
        .barrios
        .iter()
        .map(|b| b.id.value.as_str())
        .collect();
    for doc in docs {
        for t in &doc.front.territories {
            reference(
                "territorios",
                t,
                &territories,
                "territorios",
                &doc.file.path,
                diags,
            );
        }
        for b in &doc.front.barrios {
            reference("barrios", b, &barrios, "barrios", &doc.file.path, diags);
        }
    }
}

fn unique<'a>(
    ids: impl Iterator<Item = &'a Located<String>>,
    file: &Path,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        if let Some(&first_line) = seen.get(id.value.as_str()) {
            diags.push(Diagnostic::at(
                file,
                id.position,
                Problem::DuplicateId {
                    id: id.value.clone(),
                    first_line,
                },
            ));
        } else {
            seen.insert(&id.value, id.position.line);
        }
    }
}

fn reference(
    field: &str,
    id: &Located<String>,
    known: &BTreeSet<&str>,
    dataset: &str,
    file: &Path,
    diags: &mut Diagnostics,
) {
    if known.contains(id.value.as_str()) {
        return;
    }
    let problem = Problem::UndefinedId {
        field: field.into(),
        id: id.value.clone(),
        dataset: dataset.into(),
        suggestion: suggest(&id.value, known.iter().copied()),
    };
    diags.push(Diagnostic::at(file, id.position, problem));
}

fn not_future(
    field: &str,
    date: &Located<Date>,
    today: Date,
    file: &Path,
    diags: &mut Diagnostics,
) {
    if date.value > today {
        let problem = Problem::FutureDate {
            field: field.into(),
            value: date.value.to_string(),
        };
        diags.push(Diagnostic::at(file, date.position, problem));
    }
}

/// Every `cifras_portada` figure of `sitio.yaml` names existing datasets and, with `suma`,
/// a numeric column of each: a home page figure that silently counted nothing would be a
/// wrong headline.
fn headline(data: &Data, config: &SiteConfig, diags: &mut Diagnostics) {
    for h in &config.headline {
        for id in &h.datasets {
            let at = |p| Diagnostic::at(crate::config::CONFIG_PATH, id.position, p);
            let Some(ds) = data.datasets.get(&id.value) else {
                diags.push(at(Problem::UnknownDataset {
                    id: id.value.clone(),
                    suggestion: suggest(&id.value, data.ids()),
                }));
                continue;
            };
            if let Some(col) = &h.sum
                && !ds.columns.contains(col)
            {
                diags.push(at(Problem::UnknownColumn {
                    dataset: ds.id.clone(),
                    column: col.clone(),
                    suggestion: suggest(col, ds.columns.iter().map(String::as_str)),
                }));
            }
        }
    }
}

/// Declared totals must equal the sum of their column.
fn totals(ds: &Dataset, config: &SiteConfig, diags: &mut Diagnostics) {
    let file = ds.meta.file.as_ref().unwrap_or(&ds.path);
    for (column, declared) in &ds.meta.totals {
        let summed: Vec<(f64, usize)> = ds
            .rows
            .iter()
            .filter_map(|r| Some((r.number(column)?, r.position().line)))
            .collect();
        let values: Vec<f64> = summed.iter().map(|(v, _)| *v).collect();
        if values.is_empty() {
            diags.push(Diagnostic::at(
                file,
                declared.position,
                Problem::TotalColumn {
                    column: column.clone(),
                },
            ));
            continue;
        }
        let sum: f64 = values.iter().sum();
        if (sum - declared.value).abs() > 1e-9 * declared.value.abs().max(1.0) {
            let problem = Problem::TotalMismatch {
                column: column.clone(),
                declared: config.numbers.format(declared.value, 2),
                sum: config.numbers.format(sum, 2),
                first_line: summed.first().map_or(0, |(_, l)| *l),
                last_line: summed.last().map_or(0, |(_, l)| *l),
            };
            diags.push(Diagnostic::at(file, declared.position, problem));
        }
    }
}

/// In a generic dataset every row has the same fields: a field whose name is a number, or
/// one that no other row has, is almost always a typing slip — above all `{tasa: 1,5}`,
/// which YAML reads as `tasa: 1` plus a field `5`, and would publish a wrong figure. A
/// lone field holding a text is let through: an occasional `nota` on one row is common and
/// changes no figure; a lone empty field (`{a: x, y}` reads `y` as a field) or a lone
/// number (a misspelt numeric column) is not.
fn row_shapes(ds: &Dataset, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &ds.rows {
        for (k, _) in row.cells() {
            *seen.entry(k.to_string()).or_default() += 1;
        }
    }
    for row in &ds.rows {
        for f in &row.fields {
            let field = f.name.clone();
            let figure_like = matches!(
                f.cell.value,
                CellValue::Null | CellValue::Int(_) | CellValue::Number(..)
            );
            let problem = if field.trim().parse::<f64>().is_ok() {
                Problem::NumericFieldName { field }
            } else if figure_like && ds.rows.len() > 1 && seen.get(&field) == Some(&1) {
                Problem::LoneField { field }
            } else {
                continue;
            };
            diags.push(Diagnostic::at(&ds.path, f.position, problem));
        }
    }
}

/// One of the four datasets with a fixed schema, whose fields are typed by it.
fn is_fixed(id: &str) -> bool {
    matches!(id, "territorios" | "barrios" | "lanzamientos" | "metas")
}

/// The columns of a generic dataset that hold numbers: after its label column, those a
/// `total` names or where more cells are numbers than texts.
fn numeric_columns(ds: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    for column in ds.columns.iter().skip(1) {
        let (mut numbers, mut texts) = (0, 0);
        for cell in ds.rows.iter().filter_map(|r| r.get(column)) {
            match cell.value {
                CellValue::Int(_) | CellValue::Number(..) => numbers += 1,
                CellValue::Text(_) => texts += 1,
                _ => {}
            }
        }
        let totalled = ds.meta.totals.iter().any(|(c, _)| c == column);
        if texts > 0 && (totalled || numbers > texts) {
            out.push(column.clone());
        }
    }
    out
}

/// A number written in quotes (`"3"`, `"4.5"`) in a generic dataset's column of numbers is
/// that number, as issue 25 reads quoted numbers in the fixed schemas' number fields: the
/// text is unambiguous. A leading zero (`"01"`) or any other text stays text, and
/// [`text_in_numbers`] names it. Runs before validation, so sums, totals, charts and
/// downloads all see the number.
pub fn quoted_numbers(ds: &mut Dataset) {
    if is_fixed(&ds.id) {
        return;
    }
    for column in numeric_columns(ds) {
        for row in &mut ds.rows {
            let Some(field) = row.fields.iter_mut().find(|f| f.name == column) else {
                continue;
            };
            if let CellValue::Text(t) = &field.cell.value
                && let Some(n) = super::csv_text::plain_number(t.trim())
            {
                field.cell.value = n;
            }
        }
    }
}

/// A column of numbers with a text among them (`dos`, `01`) would be skipped by every sum,
/// chart and total without a word: when most of a column's cells are numbers, or a `total`
/// names it, each text cell is an error at its place, so the editor fixes the row.
fn text_in_numbers(ds: &Dataset, diags: &mut Diagnostics) {
    for column in numeric_columns(ds) {
        let texts = ds
            .rows
            .iter()
            .filter_map(|r| r.get(&column))
            .filter(|c| matches!(c.value, CellValue::Text(_)));
        for cell in texts {
            let problem = Problem::TextInNumbers {
                column: column.clone(),
                value: cell.as_text().unwrap_or_default(),
            };
            diags.push(Diagnostic::at(&ds.path, cell.position, problem));
        }
    }
}

/// In a generic dataset the first column names each row; an empty name is an error (the
/// brief's 2018 table had such a row: the fix is a name or an explicit `Sin especificar`).
fn empty_labels(ds: &Dataset, diags: &mut Diagnostics) {
    let Some(label) = ds.columns.first() else {
        return;
    };
    let is_text_column = ds
        .rows
        .iter()
        .any(|r| matches!(r.get(label).map(|c| &c.value), Some(CellValue::Text(_))));
    if !is_text_column {
        return;
    }
    for row in &ds.rows {
        let empty = match row.get(label) {
            None => true,
            Some(c) => matches!(&c.value, CellValue::Text(s) if s.trim().is_empty()),
        };
        if empty {
            let at = row.field(label).map(|f| {
                if f.cell.value == CellValue::Null {
                    f.position
                } else {
                    f.cell.position
                }
            });
            let at = at.unwrap_or(row.position());
            diags.push(Diagnostic::at(
                &ds.path,
                at,
                Problem::EmptyValue {
                    column: label.clone(),
                },
            ));
        }
    }
}

/// Coordinates must be on Earth and inside the site map's bounding box; a point outside its
/// own territory's shape is a warning (simplified maps cut coasts). Shapes and territories
/// that do not join are warnings too.
fn coordinates(data: &Data, config: &SiteConfig, file: &Path, diags: &mut Diagnostics) {
    let map = data.map.as_ref();
    let margin = 0.5;
    for b in &data.records.barrios {
        let Some(loc) = &b.location else { continue };
        let (lat, lon) = loc.value;
        let on_earth = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        let expected = if !on_earth {
            Some("entre -90 y 90 (lat) y entre -180 y 180 (lon)".to_string())
        } else {
            map.filter(|m| {
                let (a, b2, c, d) = m.bbox;
                !(b2 - margin..=d + margin).contains(&lat)
                    || !(a - margin..=c + margin).contains(&lon)
            })
            .map(|_| {
                format!(
                    "dentro del mapa del sitio (`{}`)",
                    config.map.clone().unwrap_or_default()
                )
            })
        };
        if let Some(expected) = expected {
            let problem = Problem::CoordinatesOutOfRange {
                lat: lat.to_string(),
                lon: lon.to_string(),
                expected,
            };
            diags.push(Diagnostic::at(file, loc.position, problem));
        } else if let Some(shape) = map.and_then(|m| m.shape_of(&b.territory.value))
            && !shape.contains(lon, lat)
        {
            let problem = Problem::PointOutsideTerritory {
                barrio: b.id.value.clone(),
                territory: b.territory.value.clone(),
            };
            diags.push(Diagnostic::at(file, loc.position, problem));
        }
    }
    let Some(map) = map else { return };
    let territories_file = data
        .records
        .files
        .get("territorios")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("content/datos/territorios.yaml"));
    for t in &data.records.territories {
        if map.shape_of(&t.id.value).is_none() {
            diags.push(Diagnostic::at(
                &territories_file,
                t.id.position,
                Problem::TerritoryWithoutShape {
                    id: t.id.value.clone(),
                },
            ));
        }
    }
    let map_file = PathBuf::from("content/datos").join(&map.file);
    for s in map.shapes.iter().filter(|s| s.territory.is_none()) {
        diags.push(Diagnostic::in_file(
            &map_file,
            Problem::ShapeWithoutTerritory {
                feature: s.feature.clone(),
            },
        ));
    }
}
