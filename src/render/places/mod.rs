//! Pages of places: one per barrio and per territory, and their two indexes; the maps that
//! tie them together (also on the home page and in the `mapa` shortcode) are in `maps.rs`.
//! Back-links come from the bulletins' front matter (`barrios`, `territorios`) and from
//! `@/barrios/<id>` links in their text — only published bulletins, since the model holds
//! no others.

mod locator;
mod maps;

pub use maps::{full_map, map_shortcode};

use super::charts::{self, Chart, Series};
use super::map::{Area, Point};
use super::templates::Prepared;
use super::views::BodyInfo;
use crate::format::long_date;
use crate::model::{Entry, SiteModel};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who mentions what, computed once per build.
#[derive(Debug, Default)]
pub struct Places {
    /// Barrio id → bulletin indices (newest first).
    pub barrio_bulletins: BTreeMap<String, Vec<usize>>,
    /// Territory id → bulletin indices (newest first).
    pub territory_bulletins: BTreeMap<String, Vec<usize>>,
    /// Territories with their number of barrios.
    pub areas: BTreeMap<String, Area>,
    /// Barrios with coordinates.
    pub points: Vec<Point>,
    /// The locator maps' shared drawing and highlights (`None` without a map).
    pub locators: Option<locator::Locators>,
}

impl Places {
    /// The locator maps' shared drawing, a file of the site, when there is a map.
    pub fn shared_map(&self) -> Option<&crate::output::OutputFile> {
        self.locators.as_ref().map(|l| &l.file)
    }

    fn locator(
        &self,
        territory: &str,
        name: &str,
        points: &[Point],
        id: &str,
        title: &str,
    ) -> Option<String> {
        Some(
            self.locators
                .as_ref()?
                .svg(territory, name, points, id, title),
        )
    }
}

/// Back-links and map inputs from the model and the rendered bodies.
pub fn index(model: &SiteModel, entries: &[&Entry], infos: &[&BodyInfo]) -> Places {
    let mut places = Places::default();
    let barrio_territory: BTreeMap<&str, &str> = model
        .data
        .records
        .barrios
        .iter()
        .map(|b| (b.id.value.as_str(), b.territory.value.as_str()))
        .collect();
    // Keyed by the ids as the model holds them, with two lists reused for every bulletin:
    // no id is copied per bulletin, only once per place at the end.
    let mut by_barrio: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_territory: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let (mut barrios, mut territories): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for i in 0..model.bulletins.len() {
        let front = &entries[i].doc.front;
        let linked = || infos[i].linked.iter();
        barrios.clear();
        barrios.extend(front.barrios.iter().map(|b| b.value.as_str()));
        barrios.extend(linked().filter_map(|k| k.strip_prefix("barrios/")));
        territories.clear();
        territories.extend(front.territories.iter().map(|t| t.value.as_str()));
        territories.extend(linked().filter_map(|k| k.strip_prefix("territorios/")));
        territories.extend(
            barrios
                .iter()
                .filter_map(|b| barrio_territory.get(b).copied()),
        );
        for b in &barrios {
            push_unique(by_barrio.entry(b).or_default(), i);
        }
        for t in &territories {
            push_unique(by_territory.entry(t).or_default(), i);
        }
    }
    let owned = |m: BTreeMap<&str, Vec<usize>>| {
        m.into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>()
    };
    places.barrio_bulletins = owned(by_barrio);
    places.territory_bulletins = owned(by_territory);
    (places.areas, places.points) = barrio_areas(model);
    places.locators = locator::Locators::new(model);
    places
}

/// The bulletins territory `i`'s page lists, newest first: those whose front matter names it
/// (in `territorios`, or a barrio of it in `barrios`) and those whose text links to it or to
/// one of its barrios. The one rule: its page, its feed and their cache keys read this.
pub fn territory_bulletins<'p>(model: &SiteModel, places: &'p Places, i: usize) -> &'p [usize] {
    let id = &model.data.records.territories[i].id.value;
    places
        .territory_bulletins
        .get(id)
        .map_or(&[], Vec::as_slice)
}

/// Before bodies are rendered (feeds keep only some bodies' HTML), the territories a
/// bulletin will be listed under: `certain` from its front matter, `maybe` from the `@/`
/// links its text seems to hold (`Document::place_links`, a superset of the links its body
/// will have). False when such a link names no known place as written (an escape, say):
/// then the bulletin may be listed anywhere.
pub fn expected_territories<'m>(
    model: &'m SiteModel,
    doc: &crate::content::Document,
    certain: &mut Vec<&'m str>,
    maybe: &mut Vec<&'m str>,
) -> bool {
    let r = &model.data.records;
    let territory = |id: &str| -> Option<&'m str> {
        let t = r.territories.iter().find(|t| t.id.value == id)?;
        Some(t.id.value.as_str())
    };
    let of_barrio = |id: &str| -> Option<&'m str> {
        territory(&r.barrios.iter().find(|b| b.id.value == id)?.territory.value)
    };
    certain.clear();
    maybe.clear();
    let front = &doc.front;
    certain.extend(front.territories.iter().filter_map(|t| territory(&t.value)));
    certain.extend(front.barrios.iter().filter_map(|b| of_barrio(&b.value)));
    let mut sure = true;
    for link in &doc.place_links {
        let found = match link.split_once('/') {
            Some(("barrios", id)) => of_barrio(id),
            Some((_, id)) => territory(id),
            None => None,
        };
        match found {
            Some(t) => maybe.push(t),
            None => sure = false,
        }
    }
    sure
}

/// Every territory with its number of barrios, and every barrio with coordinates.
pub(super) fn barrio_areas(model: &SiteModel) -> (BTreeMap<String, Area>, Vec<Point>) {
    let base = &model.config.base_url.path;
    let r = &model.data.records;
    let areas = r
        .territories
        .iter()
        .map(|t| {
            let count = r
                .barrios
                .iter()
                .filter(|b| b.territory.value == t.id.value)
                .count();
            (
                t.id.value.clone(),
                Area {
                    id: t.id.value.clone(),
                    name: t.name.clone(),
                    value: Some(count as f64),
                },
            )
        })
        .collect();
    let points = r
        .barrios
        .iter()
        .filter_map(|b| {
            let (lat, lon) = b.location.as_ref()?.value;
            Some(Point {
                name: b.name.clone(),
                url: format!("{base}barrios/{}/", b.id.value),
                lat,
                lon,
            })
        })
        .collect();
    (areas, points)
}

/// Adds bulletin `i` to a list once. Bulletins come in order, so one already listed is the
/// last: looking through the whole list (thousands, for a territory) made this quadratic.
fn push_unique(v: &mut Vec<usize>, i: usize) {
    if v.last() != Some(&i) {
        v.push(i);
    }
}

/// The notice for pages that count the barrios, when `barrios.yaml` declares itself partial.
pub fn barrios_coverage(model: &SiteModel) -> Option<serde_json::Value> {
    let ds = model.data.datasets.get("barrios")?;
    let count = model.data.records.barrios.len() as f64;
    super::tables::coverage(ds, count, model.config.numbers)
}

/// A barrio in a list.
#[derive(Serialize)]
pub struct BarrioLink {
    nombre: String,
    url: String,
    distrito: Option<String>,
    provincia: Option<String>,
    cohorte: Option<i64>,
}

/// A territory in a list or as a barrio's parent.
#[derive(Serialize)]
pub struct TerritoryLink {
    id: String,
    nombre: String,
    url: String,
    barrios: usize,
}

fn territory_link(model: &SiteModel, id: &str) -> TerritoryLink {
    let name = model
        .data
        .records
        .territories
        .iter()
        .find(|t| t.id.value == id)
        .map_or(id.to_string(), |t| t.name.clone());
    TerritoryLink {
        id: id.to_string(),
        nombre: name,
        url: format!("{}territorios/{id}/", model.config.base_url.path),
        barrios: model
            .data
            .records
            .barrios
            .iter()
            .filter(|b| b.territory.value == id)
            .count(),
    }
}

fn barrio_link(model: &SiteModel, b: &crate::data::schema::Barrio) -> BarrioLink {
    BarrioLink {
        nombre: b.name.clone(),
        url: format!("{}barrios/{}/", model.config.base_url.path, b.id.value),
        distrito: b.district.clone(),
        provincia: b.province.clone(),
        cohorte: b.cohort,
    }
}

/// `/barrios/`: every barrio, grouped by territory (file order of territories).
pub fn barrios_index(model: &SiteModel) -> serde_json::Value {
    let groups: Vec<serde_json::Value> = model
        .data
        .records
        .territories
        .iter()
        .filter_map(|t| {
            let barrios: Vec<BarrioLink> = model.data.records.barrios.iter().filter(|b| b.territory.value == t.id.value).map(|b| barrio_link(model, b)).collect();
            (!barrios.is_empty()).then(|| serde_json::json!({ "territorio": territory_link(model, &t.id.value), "barrios": barrios }))
        })
        .collect();
    serde_json::json!({ "grupos": groups, "total": model.data.records.barrios.len(), "nota": model.data.datasets.get("barrios").and_then(|d| d.meta.note.clone()), "cobertura": barrios_coverage(model) })
}

/// `/territorios/`: the map and the list.
pub fn territories_index(model: &SiteModel, places: &Places) -> serde_json::Value {
    let list: Vec<TerritoryLink> = model
        .data
        .records
        .territories
        .iter()
        .map(|t| territory_link(model, &t.id.value))
        .collect();
    serde_json::json!({ "territorios": list, "mapa": full_map(model, places, "mapa-territorios", "Barrios Seguros por territorio"), "cobertura": barrios_coverage(model) })
}

/// A barrio's or territory's fields with the cards of the bulletins that mention it (kept
/// apart from the fields so the cards are shared, not copied).
#[derive(Serialize)]
pub struct PlaceView {
    #[serde(flatten)]
    fields: serde_json::Value,
    boletines: Vec<Prepared>,
}

/// The context of a place's page: `barrio` or `territorio`.
pub type PlacePage = BTreeMap<&'static str, PlaceView>;

/// `/barrios/<id>/`
pub fn barrio(
    model: &SiteModel,
    places: &Places,
    i: usize,
    summaries: &dyn Fn(&[usize]) -> Vec<Prepared>,
) -> (String, PlacePage) {
    let b = &model.data.records.barrios[i];
    let launches: Vec<serde_json::Value> = model
        .data
        .records
        .launches
        .iter()
        .filter(|l| l.barrio.value == b.id.value)
        .map(|l| serde_json::json!({ "fecha": l.date.value.to_string(), "fecha_legible": long_date(l.date.value), "lugar": l.place, "autoridad": l.authority, "descripcion": l.description }))
        .collect();
    let photos: Vec<serde_json::Value> = b
        .photos
        .iter()
        .filter_map(|p| {
            let found = model.image(&p.image.value).ok()?;
            Some(serde_json::json!({ "imagen": found.src, "srcset": found.srcset, "ancho": found.size.map(|s| s.0), "alto": found.size.map(|s| s.1), "alt": p.alt, "pie": p.caption, "credito": p.credit }))
        })
        .collect();
    let own_point: Vec<Point> = places
        .points
        .iter()
        .filter(|p| p.url.ends_with(&format!("barrios/{}/", b.id.value)))
        .cloned()
        .collect();
    let bulletins = places
        .barrio_bulletins
        .get(&b.id.value)
        .cloned()
        .unwrap_or_default();
    let fields = serde_json::json!({
            "id": b.id.value,
            "nombre": b.name,
            "territorio": territory_link(model, &b.territory.value),
            "provincia": b.province,
            "distrito": b.district,
            "cohorte": b.cohort,
            "fecha_lanzamiento": b.launched.as_ref().map(|d| d.value.to_string()),
            "fecha_lanzamiento_legible": b.launched.as_ref().map(|d| long_date(d.value)),
            "sectores": b.sectors,
            "resumen": b.summary,
            "descripcion": b.description.as_deref().map(|d| markdown(model, d)),
            "fotos": photos,
            "fuentes": b.sources.iter().map(|s| serde_json::json!({ "titulo": s.title, "url": s.url, "fecha": s.date })).collect::<Vec<_>>(),
            "nota": b.note,
            "lanzamientos": launches,
            "mapa": places.locator(&b.territory.value, &territory_name(model, &b.territory.value), &own_point, &format!("mapa-barrio-{}", b.id.value), &format!("Ubicación de {} en el mapa del Perú", b.name)),
    });
    let view = PlaceView {
        fields,
        boletines: summaries(&bulletins),
    };
    (b.name.clone(), PlacePage::from([("barrio", view)]))
}

/// `/territorios/<id>/`
pub fn territory(
    model: &SiteModel,
    places: &Places,
    i: usize,
    summaries: &dyn Fn(&[usize]) -> Vec<Prepared>,
) -> (String, PlacePage) {
    let t = &model.data.records.territories[i];
    let barrios: Vec<&crate::data::schema::Barrio> = model
        .data
        .records
        .barrios
        .iter()
        .filter(|b| b.territory.value == t.id.value)
        .collect();
    let mut cohorts: BTreeMap<(bool, i64), usize> = BTreeMap::new();
    for b in &barrios {
        *cohorts
            .entry((b.cohort.is_none(), b.cohort.unwrap_or(0)))
            .or_default() += 1;
    }
    let by_cohort: Vec<(String, usize)> = cohorts
        .iter()
        .map(|((none, y), n)| {
            (
                if *none {
                    "Sin dato".to_string()
                } else {
                    y.to_string()
                },
                *n,
            )
        })
        .collect();
    let chart = (!by_cohort.is_empty()).then(|| {
        charts::svg(&Chart {
            kind: "barras".into(),
            title: format!("Barrios Seguros de {} por cohorte", t.name),
            categories: by_cohort.iter().map(|(c, _)| c.clone()).collect(),
            series: vec![Series {
                name: "Barrios".into(),
                values: by_cohort.iter().map(|(_, n)| Some(*n as f64)).collect(),
            }],
            id: format!("grafico-territorio-{}", t.id.value),
            numbers: model.config.numbers,
        })
    });
    let points: Vec<Point> = places
        .points
        .iter()
        .filter(|p| {
            barrios
                .iter()
                .any(|b| p.url.ends_with(&format!("barrios/{}/", b.id.value)))
        })
        .cloned()
        .collect();
    let bulletins = territory_bulletins(model, places, i);
    let fields = serde_json::json!({
            "id": t.id.value,
            "nombre": t.name,
            "ubigeo": t.ubigeo,
            "resumen": t.summary,
            "barrios": barrios.iter().map(|b| barrio_link(model, b)).collect::<Vec<_>>(),
            "por_cohorte": by_cohort.iter().map(|(c, n)| serde_json::json!({ "cohorte": c, "barrios": n })).collect::<Vec<_>>(),
            "grafico": chart,
            "mapa": places.locator(&t.id.value, &t.name, &points, &format!("mapa-territorio-{}", t.id.value), &format!("{} en el mapa del Perú", t.name)),
            "url_feed": model.config.base_url.absolute(&format!("territorios/{}/feed.xml", t.id.value)),
            "cobertura": barrios_coverage(model),
    });
    let view = PlaceView {
        fields,
        boletines: summaries(bulletins),
    };
    (t.name.clone(), PlacePage::from([("territorio", view)]))
}

/// A territory's name, or its id when the data has no such territory.
fn territory_name(model: &SiteModel, id: &str) -> String {
    model
        .data
        .records
        .territories
        .iter()
        .find(|t| t.id.value == id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

/// Headline figures for the home page, computed from the data.
pub fn headline(model: &SiteModel) -> serde_json::Value {
    let r = &model.data.records;
    let goal = r.goals.iter().max_by_key(|g| g.period);
    serde_json::json!({
        "portada": model.config.headline.iter().map(|h| serde_json::json!({
            "valor": model.config.numbers.format(headline_value(model, h), 2),
            "texto": h.text,
        })).collect::<Vec<_>>(),
        "cobertura": barrios_coverage(model),
        "barrios": r.barrios.len(),
        "territorios_con_barrios": r.territories.iter().filter(|t| r.barrios.iter().any(|b| b.territory.value == t.id.value)).count(),
        "meta": goal.map(|g| serde_json::json!({
            "periodo": format!("{:04}-{:02}", g.period.0, g.period.1),
            "periodo_legible": charts::category_label(&format!("{:04}-{:02}", g.period.0, g.period.1)),
            "meta": g.target,
            "cumplido": g.done,
            "planificado": g.planned,
            "avance": g.done.map(|d| if g.target > 0.0 { (d / g.target * 100.0).round() } else { 0.0 }),
        })),
    })
}

/// A `cifras_portada` figure: the column summed (or the rows counted) over its datasets.
/// Unknown datasets and columns were reported when the data was checked.
fn headline_value(model: &SiteModel, h: &crate::config::HeadlineFigure) -> f64 {
    h.datasets
        .iter()
        .filter_map(|id| model.data.datasets.get(&id.value))
        .map(|ds| match &h.sum {
            Some(col) => ds.rows.iter().filter_map(|r| r.number(col)).sum(),
            None => ds.rows.len() as f64,
        })
        .sum()
}

/// A barrio's Markdown description: links resolved, raw HTML sanitised, no shortcodes.
fn markdown(model: &SiteModel, text: &str) -> String {
    description(model, text).0
}

/// A barrio's description rendered, with the problems of its links and images (broken `@/`
/// links, missing images); shortcodes are not expanded there.
pub fn description(model: &SiteModel, text: &str) -> (String, Vec<crate::diag::Problem>) {
    struct Hooks<'a>(&'a SiteModel);
    impl crate::content::markdown::Hooks for Hooks<'_> {
        fn shortcode(
            &mut self,
            _: &crate::content::shortcode::Shortcode,
        ) -> Result<String, crate::diag::Problem> {
            Ok(String::new())
        }
        fn internal_link(
            &mut self,
            target: &str,
            _: usize,
        ) -> Result<String, crate::diag::Problem> {
            let key = target.split('#').next().unwrap_or_default();
            match self.0.resolve(key) {
                Some(u) => Ok(format!("{}{u}", self.0.config.base_url.path)),
                None => Err(crate::diag::Problem::BrokenInternalLink {
                    target: format!("@/{target}"),
                    suggestion: crate::diag::suggest(key, self.0.link_keys())
                        .map(|s| format!("@/{s}")),
                }),
            }
        }
        fn image(&mut self, path: &str) -> Result<crate::assets::ImageRef, crate::diag::Problem> {
            self.0.image(path)
        }
    }
    let (rendered, problems) = crate::content::markdown::render(text, &mut Hooks(model));
    (
        rendered.html,
        problems.into_iter().map(|(_, p)| p).collect(),
    )
}
