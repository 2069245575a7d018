//! The territories map as SVG: a choropleth by one value per territory, a point per barrio
//! with coordinates, every shape and point a link with an accessible name. Equirectangular
//! projection corrected by the cosine of the middle latitude — for a country spanning 18° of
//! latitude near the equator, like Peru, the distortion is small and straight lines stay
//! straight. Coordinates are rounded to one decimal of the 400-unit-wide viewBox,
//! simplified with their neighbours and written as relative commands (`map_paths`), so the
//! map stays small. The locator maps of places (`places/locator.rs`) draw on the same
//! [`Frame`] and [`paths`].

use super::charts::{esc, n};
use crate::data::geo::Map;
use crate::format::NumberFormat;
use std::collections::BTreeMap;
use std::fmt::Write;

const WIDTH: f64 = 400.0;
/// Sequential blues, light to dark.
const CLASSES: [&str; 5] = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
/// The empty class, a warm grey (also every shape of the locators' shared drawing).
pub const EMPTY: &str = "#f3f2f1";
/// Borders.
pub const STROKE: &str = "#505a5f";
/// The territory a locator map shows, and points on the national map.
pub const HIGHLIGHT: &str = "#b3001b";

/// A territory as the map draws it.
#[derive(Debug, Clone)]
pub struct Area {
    /// Territory id.
    pub id: String,
    /// Name, for the accessible label.
    pub name: String,
    /// The value that shades it (`None`: no data).
    pub value: Option<f64>,
}

/// A barrio point.
#[derive(Debug, Clone)]
pub struct Point {
    /// Name, for the accessible label.
    pub name: String,
    /// Link to its page.
    pub url: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// What to draw.
pub struct MapSpec<'a> {
    /// Shapes.
    pub map: &'a Map,
    /// Territories by id.
    pub areas: &'a BTreeMap<String, Area>,
    /// Points.
    pub points: &'a [Point],
    /// What the value counts, for labels ("barrios").
    pub unit: &'a str,
    /// Unique id in the page.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Link prefix for territories (`/sub/territorios/`).
    pub territory_url: &'a str,
    /// Number format.
    pub numbers: NumberFormat,
}

/// How far (in viewBox units, of 400 across) a simplified border may stray from the data:
/// a third of the national map's stroke-and-a-half, invisible at any size it is shown.
pub const TOLERANCE: f64 = 0.6;

/// Every shape's path data, in the map's order: projected, simplified with its neighbours
/// ([`super::map_paths`]) with [`TOLERANCE`], in relative commands. The locator maps'
/// shared drawing uses the same paths, so a highlighted territory covers its own shape.
pub fn paths(map: &Map, frame: &Frame) -> Vec<String> {
    let shapes: Vec<Vec<Vec<(f64, f64)>>> = map
        .shapes
        .iter()
        .map(|s| {
            s.polygons
                .iter()
                .flatten()
                .map(|ring| {
                    ring.iter()
                        .map(|&(lon, lat)| frame.project(lon, lat))
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut p = super::map_paths::Projected::new(&shapes, 10);
    p.simplify(TOLERANCE);
    (0..shapes.len()).map(|s| p.path(s)).collect()
}

/// Upper bounds of the classes for values up to `max` (round steps, at most five classes).
pub fn breaks(max: f64) -> Vec<f64> {
    let ticks = super::charts::ticks(max);
    let mut b: Vec<f64> = ticks.into_iter().skip(1).collect();
    while b.len() > CLASSES.len() {
        b = b.iter().skip(1).step_by(2).copied().collect();
    }
    if b.is_empty() {
        b.push(1.0);
    }
    b
}

/// The projection of a map onto the viewBox, [`WIDTH`] units across.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    min_lon: f64,
    max_lat: f64,
    k: f64,
    scale: f64,
    /// Width of the viewBox.
    pub width: f64,
    /// Height of the viewBox (the map alone, no legend).
    pub height: f64,
}

impl Frame {
    /// The frame of `map`'s bounding box.
    pub fn of(map: &Map) -> Self {
        let (min_lon, min_lat, max_lon, max_lat) = map.bbox;
        let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let scale = WIDTH / ((max_lon - min_lon) * k).max(1e-9);
        Frame {
            min_lon,
            max_lat,
            k,
            scale,
            width: WIDTH,
            height: (max_lat - min_lat) * scale,
        }
    }

    /// (lon, lat) → viewBox (x, y).
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.k * self.scale,
            (self.max_lat - lat) * self.scale,
        )
    }
}

/// The SVG.
pub fn svg(spec: &MapSpec<'_>) -> String {
    let frame = Frame::of(spec.map);
    let height = frame.height;
    let max = spec
        .areas
        .values()
        .filter_map(|a| a.value)
        .fold(0.0, f64::max);
    let bounds = breaks(max);
    let legend_h = 30.0 + 22.0 * (bounds.len() as f64 + 1.0);
    // A map with links is a group of links (an image may not contain controls).
    let id = esc(spec.id);
    let role =
        format!("role=\"group\" aria-labelledby=\"{id}-titulo\" aria-describedby=\"{id}-desc\"");
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" {role} class=\"mapa__svg\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" font-size=\"14\">",
        n(WIDTH),
        n(height + legend_h),
        role = role
    );
    let _ = write!(
        out,
        "<title id=\"{}-titulo\">{}</title><desc id=\"{}-desc\">{}</desc>",
        esc(spec.id),
        esc(spec.title),
        esc(spec.id),
        esc(&describe(spec))
    );
    let paths = paths(spec.map, &frame);
    for (shape, d) in spec.map.shapes.iter().zip(&paths) {
        let area = shape.territory.as_ref().and_then(|t| spec.areas.get(t));
        let fill = match area {
            Some(Area { value: Some(v), .. }) if *v > 0.0 => {
                CLASSES[bounds
                    .iter()
                    .position(|b| v <= b)
                    .unwrap_or(bounds.len() - 1)
                    .min(CLASSES.len() - 1)]
            }
            _ => EMPTY,
        };
        let path = format!(
            "<path d=\"{d}\" fill=\"{fill}\" stroke=\"{STROKE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\"/>"
        );
        match area {
            Some(a) => {
                let label = area_label(spec, a);
                let _ = write!(
                    out,
                    "<a href=\"{}{}/\" aria-label=\"{}\"><title>{}</title>{path}</a>",
                    esc(spec.territory_url),
                    esc(&a.id),
                    esc(&label),
                    esc(&label)
                );
            }
            None => out.push_str(&path),
        }
    }
    for p in spec.points {
        let (x, y) = frame.project(p.lon, p.lat);
        let _ = write!(
            out,
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{HIGHLIGHT}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/></a>",
            esc(&p.url),
            esc(&p.name),
            esc(&p.name),
            n(x),
            n(y)
        );
    }
    legend(spec, &bounds, height, &mut out);
    out.push_str("</svg>");
    out
}

fn area_label(spec: &MapSpec<'_>, a: &Area) -> String {
    match a.value {
        Some(v) => format!(
            "{}: {} {}",
            a.name,
            spec.numbers.format(v, 2),
            counted(v, spec.unit)
        ),
        None => format!("{}: sin dato", a.name),
    }
}

/// The unit as a count of `v` says it: «1 barrio», «2 barrios». A Spanish plural made with
/// `-s` after a vowel loses it for one (barrios, viviendas, casos); one made with `-es`
/// (hogares) is left as written, since its singular cannot be told from the word alone.
pub fn counted(v: f64, unit: &str) -> std::borrow::Cow<'_, str> {
    let one = (v - 1.0).abs() < f64::EPSILON;
    match unit.strip_suffix('s') {
        Some(stem)
            if one
                && !unit.contains(' ')
                && stem.ends_with(['a', 'o', 'i', 'u', 'á', 'ó', 'é', 'í', 'ú']) =>
        {
            stem.into()
        }
        _ => unit.into(),
    }
}

/// «1 territorio», «3 territorios»; «1 barrio con ubicación marcado», … for the
/// description of a map.
fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn legend(spec: &MapSpec<'_>, bounds: &[f64], top: f64, out: &mut String) {
    let y0 = top + 24.0;
    let _ = write!(
        out,
        "<text x=\"0\" y=\"{}\" fill=\"#1b1b1b\" font-weight=\"700\">{}</text>",
        n(y0),
        esc(&capitalise(spec.unit))
    );
    let mut rows = vec![(EMPTY, "0 o sin dato".to_string())];
    let mut low = 0.0;
    for (i, b) in bounds.iter().enumerate() {
        let from = if low == 0.0 {
            1.0_f64.min(*b)
        } else {
            low + 1.0
        };
        let label = if (from - b).abs() < f64::EPSILON {
            spec.numbers.format(*b, 2)
        } else {
            format!(
                "{}–{}",
                spec.numbers.format(from, 2),
                spec.numbers.format(*b, 2)
            )
        };
        rows.push((CLASSES[i.min(CLASSES.len() - 1)], label));
        low = *b;
    }
    for (i, (colour, label)) in rows.iter().enumerate() {
        let y = y0 + 10.0 + i as f64 * 22.0;
        let _ = write!(
            out,
            "<rect x=\"0\" y=\"{}\" width=\"18\" height=\"16\" fill=\"{colour}\" stroke=\"{STROKE}\" stroke-width=\"0.6\"/>",
            n(y)
        );
        let _ = write!(
            out,
            "<text x=\"26\" y=\"{}\" fill=\"#1b1b1b\">{}</text>",
            n(y + 13.0),
            esc(label)
        );
    }
}

fn capitalise(t: &str) -> String {
    let mut c = t.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// In words: which territories have the most, how many have none.
pub fn describe(spec: &MapSpec<'_>) -> String {
    let mut with: Vec<&Area> = spec
        .areas
        .values()
        .filter(|a| a.value.is_some_and(|v| v > 0.0))
        .collect();
    with.sort_by(|a, b| {
        b.value
            .unwrap_or(0.0)
            .total_cmp(&a.value.unwrap_or(0.0))
            .then(a.name.cmp(&b.name))
    });
    let top: Vec<String> = with.iter().take(3).map(|a| area_label(spec, a)).collect();
    let empty = spec.areas.len() - with.len();
    let mut text = format!(
        "Mapa del Perú por territorios, coloreado por {}.",
        spec.unit
    );
    if !top.is_empty() {
        let _ = write!(text, " Más {}: {}.", spec.unit, top.join("; "));
    }
    if empty > 0 {
        let _ = write!(
            text,
            " {} sin {} o sin dato.",
            count_of(empty, "territorio", "territorios"),
            spec.unit
        );
    }
    if !spec.points.is_empty() {
        let _ = write!(
            text,
            " {} con un punto.",
            count_of(
                spec.points.len(),
                "barrio con ubicación marcado",
                "barrios con ubicación marcados"
            )
        );
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_barrio_many_barrios() {
        assert_eq!(super::counted(1.0, "barrios"), "barrio");
        assert_eq!(super::counted(2.0, "barrios"), "barrios");
        assert_eq!(super::counted(0.0, "barrios"), "barrios");
        assert_eq!(super::counted(1.0, "hogares"), "hogares");
        assert_eq!(
            super::counted(1.0, "personas atendidas"),
            "personas atendidas"
        );
        assert_eq!(
            super::count_of(1, "territorio", "territorios"),
            "1 territorio"
        );
        assert_eq!(
            super::count_of(5, "territorio", "territorios"),
            "5 territorios"
        );
    }

    use super::*;

    #[test]
    fn class_breaks() {
        assert_eq!(breaks(9.0), vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(breaks(30.0), vec![10.0, 20.0, 30.0]);
        assert_eq!(breaks(3.0), vec![1.0, 2.0, 3.0]);
    }
}
