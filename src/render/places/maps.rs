//! The maps of places: the national map (home page, `/territorios/`) and the `mapa`
//! shortcode, drawn by `render::map` from the territories of `content/datos/` and the
//! barrios' coordinates (the locator on each barrio's and territory's page is
//! `locator.rs`).

use super::{Places, barrio_areas, barrios_coverage};
use crate::model::SiteModel;
use crate::render::map::{self, Area, MapSpec, Point};
use serde::Serialize;
use std::collections::BTreeMap;

/// The full map, or `None` without a `mapa`.
pub fn full_map(model: &SiteModel, places: &Places, id: &str, title: &str) -> Option<String> {
    draw(model, &places.areas, &places.points, "barrios", id, title)
}

fn draw(
    model: &SiteModel,
    areas: &BTreeMap<String, Area>,
    points: &[Point],
    unit: &str,
    id: &str,
    title: &str,
) -> Option<String> {
    let map = model.data.map.as_ref()?;
    let territory_url = format!("{}territorios/", model.config.base_url.path);
    Some(map::svg(&MapSpec {
        map,
        areas,
        points,
        unit,
        id,
        title,
        territory_url: &territory_url,
        numbers: model.config.numbers,
    }))
}

/// What `shortcodes/mapa.html` receives.
#[derive(Serialize)]
pub struct MapContext {
    id: String,
    titulo: String,
    svg: String,
    unidad: String,
    fuente: Option<String>,
    cobertura: Option<serde_json::Value>,
    filas: Vec<(String, String, String)>,
}

impl MapContext {
    /// The map as the PDF prints it: its SVG, title, source and the values as a table.
    pub fn for_pdf(&self) -> crate::pdf::Block {
        crate::pdf::Block::Graphic {
            svg: self.svg.clone(),
            title: self.titulo.clone(),
            alt: format!("{} ({})", self.titulo, self.unidad),
            source: self.fuente.clone(),
            table: Some(crate::pdf::Table {
                title: None,
                header: vec!["Territorio".into(), capitalized(&self.unidad)],
                rows: self
                    .filas
                    .iter()
                    .map(|(name, _, value)| vec![name.clone(), value.clone()])
                    .collect(),
                total: None,
                numeric: vec![false, true],
                source: None,
            }),
        }
    }
}

/// The `mapa` shortcode: barrios per territory by default, or a dataset's `valor` column by
/// its `territorio` column (a territory id or name).
pub fn map_shortcode(
    model: &SiteModel,
    call: &crate::content::shortcode::Shortcode,
    id: &str,
) -> Result<MapContext, crate::diag::Problem> {
    use crate::diag::{Problem, suggest};
    model.data.map.as_ref().ok_or(Problem::NoMap)?;
    let mut areas: BTreeMap<String, Area> = BTreeMap::new();
    let mut points = Vec::new();
    let cobertura;
    let (unit, source) = match call.text("datos") {
        None => {
            (areas, points) = barrio_areas(model);
            cobertura = barrios_coverage(model);
            (
                "barrios".to_string(),
                model
                    .data
                    .datasets
                    .get("barrios")
                    .and_then(|d| d.meta.source.clone()),
            )
        }
        Some(ds_id) => {
            let ds = crate::render::tables::dataset(&model.data, ds_id)?;
            cobertura =
                crate::render::tables::coverage(ds, ds.rows.len() as f64, model.config.numbers);
            let key = call.text("territorio").unwrap_or("territorio");
            let value = call.text("valor").unwrap_or("valor");
            crate::render::tables::check_column(ds, key)?;
            crate::render::tables::check_column(ds, value)?;
            for t in &model.data.records.territories {
                areas.insert(
                    t.id.value.clone(),
                    Area {
                        id: t.id.value.clone(),
                        name: t.name.clone(),
                        value: None,
                    },
                );
            }
            let fold = |s: &str| crate::content::slug::slugify(s);
            for row in &ds.rows {
                let Some(name) = row.text(key) else { continue };
                let found = model
                    .data
                    .records
                    .territories
                    .iter()
                    .find(|t| t.id.value == name || fold(&t.name) == fold(&name));
                let Some(t) = found else {
                    let names = model
                        .data
                        .records
                        .territories
                        .iter()
                        .map(|t| t.name.as_str());
                    return Err(Problem::UnknownTerritoryName {
                        suggestion: suggest(&name, names),
                        name,
                    });
                };
                if let Some(area) = areas.get_mut(&t.id.value) {
                    area.value = row.number(value).or(area.value);
                }
            }
            (
                call.text("unidad").unwrap_or(value).to_string(),
                ds.meta.source.clone(),
            )
        }
    };
    let title = call.text("titulo").map_or_else(
        || format!("Mapa del Perú: {unit} por territorio"),
        String::from,
    );
    let territory_url = format!("{}territorios/", model.config.base_url.path);
    let svg = draw(model, &areas, &points, &unit, id, &title).unwrap_or_default();
    let filas = model
        .data
        .records
        .territories
        .iter()
        .filter_map(|t| areas.get(&t.id.value))
        .map(|a| {
            (
                a.name.clone(),
                format!("{territory_url}{}/", a.id),
                a.value
                    .map_or("sin dato".into(), |v| model.config.numbers.format(v, 2)),
            )
        })
        .collect();
    Ok(MapContext {
        id: id.to_string(),
        titulo: title,
        svg,
        unidad: unit,
        fuente: source,
        cobertura,
        filas,
    })
}

/// `barrios` → `Barrios`, as the page's table head (Tera's `capitalize`) writes it.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}
