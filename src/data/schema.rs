//! The four datasets with a fixed schema — `territorios`, `barrios`, `lanzamientos`, `metas`
//! — read row by row into typed records, with every unknown field, missing field and wrong
//! type reported at its position.

use super::Dataset;
use super::fields::Fields;
use super::table::Row;
use crate::diag::{Diagnostics, Position, Problem};
use crate::format::parse_date;
use crate::yaml::Located;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TERRITORY_KEYS: &[&str] = &["id", "nombre", "ubigeo", "resumen"];
const BARRIO_KEYS: &[&str] = &[
    "id",
    "nombre",
    "territorio",
    "provincia",
    "distrito",
    "cohorte",
    "fecha_lanzamiento",
    "ubicacion",
    "sectores",
    "resumen",
    "descripcion",
    "fotos",
    "fuentes",
    "nota",
];
const LAUNCH_KEYS: &[&str] = &[
    "fecha",
    "barrio",
    "lugar",
    "autoridad",
    "descripcion",
    "fuentes",
];
const GOAL_KEYS: &[&str] = &["periodo", "meta", "cumplido", "planificado", "nota"];
const PHOTO_KEYS: &[&str] = &["imagen", "alt", "pie", "credito", "decorativa"];
const SOURCE_KEYS: &[&str] = &["titulo", "url", "fecha"];

/// A territory (a region of the map).
#[derive(Debug, Clone)]
pub struct Territory {
    /// Where the row is.
    pub position: Position,
    /// `id`
    pub id: Located<String>,
    /// `nombre`
    pub name: String,
    /// `ubigeo`
    pub ubigeo: Option<String>,
    /// `resumen`
    pub summary: Option<String>,
}

/// A Barrio Seguro.
#[derive(Debug, Clone)]
pub struct Barrio {
    /// Where the row is.
    pub position: Position,
    /// `id`
    pub id: Located<String>,
    /// `nombre`
    pub name: String,
    /// `territorio`: a territory id.
    pub territory: Located<String>,
    /// `provincia`
    pub province: Option<String>,
    /// `distrito`
    pub district: Option<String>,
    /// `cohorte`: the year of its cohort.
    pub cohort: Option<i64>,
    /// `fecha_lanzamiento`
    pub launched: Option<Located<Date>>,
    /// `ubicacion`: (lat, lon).
    pub location: Option<Located<(f64, f64)>>,
    /// `sectores`
    pub sectors: Vec<String>,
    /// `resumen`
    pub summary: Option<String>,
    /// `descripcion` (Markdown)
    pub description: Option<String>,
    /// Where `descripcion` is, for problems in its links and images.
    pub description_position: Option<crate::diag::Position>,
    /// `fotos`
    pub photos: Vec<Photo>,
    /// `fuentes`
    pub sources: Vec<Source>,
    /// `nota`
    pub note: Option<String>,
}

/// A photo of a barrio.
#[derive(Debug, Clone)]
pub struct Photo {
    /// `imagen`
    pub image: Located<String>,
    /// `alt` (empty only when `decorativa: true`)
    pub alt: String,
    /// `pie`
    pub caption: Option<String>,
    /// `credito`
    pub credit: Option<String>,
}

/// A cited source.
#[derive(Debug, Clone)]
pub struct Source {
    /// `titulo`
    pub title: String,
    /// `url`
    pub url: Option<String>,
    /// `fecha`
    pub date: Option<String>,
}

/// A launch event.
#[derive(Debug, Clone)]
pub struct Launch {
    /// Where the row is.
    pub position: Position,
    /// `fecha`
    pub date: Located<Date>,
    /// `barrio`: a barrio id.
    pub barrio: Located<String>,
    /// `lugar`
    pub place: Option<String>,
    /// `autoridad`
    pub authority: Option<String>,
    /// `descripcion`
    pub description: Option<String>,
}

/// Progress on a yearly goal at one month.
#[derive(Debug, Clone)]
pub struct Goal {
    /// `periodo` as (year, month).
    pub period: (i16, i8),
    /// `meta`
    pub target: f64,
    /// `cumplido`
    pub done: Option<f64>,
    /// `planificado`
    pub planned: Option<f64>,
}

/// Typed records of the fixed-schema datasets.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// `territorios`
    pub territories: Vec<Territory>,
    /// `barrios`
    pub barrios: Vec<Barrio>,
    /// `lanzamientos`
    pub launches: Vec<Launch>,
    /// `metas`
    pub goals: Vec<Goal>,
    /// The files they came from, for messages.
    pub files: BTreeMap<&'static str, PathBuf>,
}

/// Reads the fixed-schema datasets present in `datasets`.
pub fn read(datasets: &BTreeMap<String, Dataset>, diags: &mut Diagnostics) -> Records {
    let mut records = Records::default();
    for (id, ds) in datasets {
        let file = ds.path.as_path();
        let key: &'static str = match id.as_str() {
            "territorios" => "territorios",
            "barrios" => "barrios",
            "lanzamientos" => "lanzamientos",
            "metas" => "metas",
            _ => continue,
        };
        records.files.insert(key, ds.path.clone());
        match key {
            "territorios" => records.territories = rows(file, ds, territory, diags),
            "barrios" => records.barrios = rows(file, ds, barrio, diags),
            "lanzamientos" => records.launches = rows(file, ds, launch, diags),
            _ => records.goals = rows(file, ds, goal, diags),
        }
    }
    records
}

/// Reads every row with `read_one`, in parallel; records and problems keep the row order.
fn rows<T: Send>(
    file: &Path,
    ds: &Dataset,
    read_one: fn(&Path, &Row, &mut Diagnostics) -> Option<T>,
    diags: &mut Diagnostics,
) -> Vec<T> {
    use rayon::prelude::*;
    let results: Vec<(Option<T>, Diagnostics)> = ds
        .rows
        .par_iter()
        .map(|row| {
            let mut d = Diagnostics::new();
            (read_one(file, row, &mut d), d)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (record, d) in results {
        diags.extend(d);
        out.extend(record);
    }
    out
}

fn territory(file: &Path, row: &Row, diags: &mut Diagnostics) -> Option<Territory> {
    let mut f = Fields::new(file, row.position, &row.fields, TERRITORY_KEYS, diags);
    let id = slug_id(&mut f);
    let name = f.required_text("nombre");
    let t = Territory {
        position: row.position,
        ubigeo: f.code("ubigeo").map(|t| t.value),
        summary: f.text("resumen").map(|t| t.value),
        id: id?,
        name: name?.value,
    };
    Some(t)
}

fn barrio(file: &Path, row: &Row, diags: &mut Diagnostics) -> Option<Barrio> {
    let mut f = Fields::new(file, row.position, &row.fields, BARRIO_KEYS, diags);
    let id = slug_id(&mut f);
    let name = f.required_text("nombre");
    let territory = f.required_text("territorio");
    let cohort = f.int("cohorte").map(|c| c.value);
    let launched = date(&mut f, "fecha_lanzamiento");
    let location = location(&mut f);
    let photos = photos(&mut f);
    let sources = sources(&mut f);
    let description = f.text("descripcion");
    let b = Barrio {
        position: row.position,
        province: f.text("provincia").map(|t| t.value),
        district: f.text("distrito").map(|t| t.value),
        sectors: f.text_list("sectores"),
        summary: f.text("resumen").map(|t| t.value),
        description: description.as_ref().map(|t| t.value.clone()),
        description_position: description.map(|t| t.position),
        note: f.text("nota").map(|t| t.value),
        id: id?,
        name: name?.value,
        territory: territory?,
        cohort,
        launched,
        location,
        photos,
        sources,
    };
    Some(b)
}

fn launch(file: &Path, row: &Row, diags: &mut Diagnostics) -> Option<Launch> {
    let mut f = Fields::new(file, row.position, &row.fields, LAUNCH_KEYS, diags);
    if f.cell("fecha").is_none() {
        f.missing("fecha");
    }
    let date = date(&mut f, "fecha");
    let barrio = f.required_text("barrio");
    let _ = sources(&mut f);
    let l = Launch {
        position: row.position,
        place: f.text("lugar").map(|t| t.value),
        authority: f.text("autoridad").map(|t| t.value),
        description: f.text("descripcion").map(|t| t.value),
        date: date?,
        barrio: barrio?,
    };
    Some(l)
}

fn goal(file: &Path, row: &Row, diags: &mut Diagnostics) -> Option<Goal> {
    let mut f = Fields::new(file, row.position, &row.fields, GOAL_KEYS, diags);
    let period = f.required_text("periodo").and_then(|p| {
        let parsed = parse_period(&p.value);
        if parsed.is_none() {
            f.error(
                p.position,
                Problem::InvalidPeriod {
                    value: p.value.clone(),
                },
            );
        }
        parsed
    });
    let target = f.number("meta");
    if target.is_none() && f.cell("meta").is_none() {
        f.missing("meta");
    }
    let _ = f.text("nota");
    Some(Goal {
        done: f.number("cumplido").map(|n| n.value),
        planned: f.number("planificado").map(|n| n.value),
        period: period?,
        target: target?.value,
    })
}

/// `AAAA-MM` as (year, month).
pub fn parse_period(text: &str) -> Option<(i16, i8)> {
    let (y, m) = text.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let year: i16 = y.parse().ok()?;
    let month: i8 = m.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// A required `id` that can be part of a URL.
fn slug_id(f: &mut Fields<'_>) -> Option<Located<String>> {
    let id = f.required_text("id")?;
    if !crate::content::slug::is_valid(&id.value) {
        f.error(id.position, Problem::InvalidSlug { slug: id.value });
        return None;
    }
    Some(id)
}

fn date(f: &mut Fields<'_>, key: &str) -> Option<Located<Date>> {
    let t = f.text(key)?;
    match parse_date(&t.value) {
        Some(d) => Some(Located {
            value: d,
            position: t.position,
        }),
        None => {
            f.error(
                t.position,
                Problem::InvalidDate {
                    field: key.into(),
                    value: t.value,
                },
            );
            None
        }
    }
}

fn location(f: &mut Fields<'_>) -> Option<Located<(f64, f64)>> {
    let position = f.key_position("ubicacion");
    let mut m = f.map("ubicacion", &["lat", "lon"])?;
    let lat = m.number("lat");
    let lon = m.number("lon");
    if lat.is_none() && m.cell("lat").is_none() {
        m.missing("lat");
    }
    if lon.is_none() && m.cell("lon").is_none() {
        m.missing("lon");
    }
    Some(Located {
        value: (lat?.value, lon?.value),
        position,
    })
}

fn photos(f: &mut Fields<'_>) -> Vec<Photo> {
    let file = f.file();
    let mut out = Vec::new();
    for cell in f.list_of_maps("fotos") {
        let Some(mut p) = Fields::of_cell(file, cell, PHOTO_KEYS, f.diags()) else {
            continue;
        };
        let image = p.required_text("imagen");
        let alt = if p.boolean("decorativa") == Some(true) {
            Some(String::new())
        } else {
            p.required_text("alt").map(|a| a.value)
        };
        if let (Some(image), Some(alt)) = (image, alt) {
            out.push(Photo {
                image,
                alt,
                caption: p.text("pie").map(|t| t.value),
                credit: p.text("credito").map(|t| t.value),
            });
        }
    }
    out
}

fn sources(f: &mut Fields<'_>) -> Vec<Source> {
    let file = f.file();
    let mut out = Vec::new();
    for cell in f.list_of_maps("fuentes") {
        let Some(mut s) = Fields::of_cell(file, cell, SOURCE_KEYS, f.diags()) else {
            continue;
        };
        if let Some(title) = s.required_text("titulo") {
            out.push(Source {
                title: title.value,
                url: s.link("url").map(|t| t.value),
                date: s.text("fecha").map(|t| t.value),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(parse_period("2018-07"), Some((2018, 7)));
        assert_eq!(parse_period("2018-13"), None);
        assert_eq!(parse_period("18-07"), None);
    }
}
