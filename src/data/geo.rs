//! Map shapes: the GeoJSON named by `mapa` in `sitio.yaml`, read into polygons and joined
//! to the `territorios` dataset — by the feature's `id` (or `slug`/`id` property) when it
//! matches a territory id, otherwise by a `ubigeo` that only one territory has.

use serde_json::Value;
use std::collections::BTreeMap;

/// One ring of a polygon: (lon, lat) points.
pub type Ring = Vec<(f64, f64)>;

/// A map shape, with the territory it belongs to.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// The feature's own id (or slug), for messages.
    pub feature: String,
    /// The territory id it was joined to, if any.
    pub territory: Option<String>,
    /// Polygons, each an outer ring followed by holes.
    pub polygons: Vec<Vec<Ring>>,
}

/// The whole map.
#[derive(Debug, Clone, Default)]
pub struct Map {
    /// The file name under `content/datos/`.
    pub file: String,
    /// Shapes in file order.
    pub shapes: Vec<Shape>,
    /// (min lon, min lat, max lon, max lat)
    pub bbox: (f64, f64, f64, f64),
}

/// Where and why a map's JSON cannot be read: line, column, reason (Spanish).
pub type SyntaxError = (usize, usize, String);

/// Parses the map's JSON. serde_json stops at 128 levels of nesting (a GeoJSON of
/// territories needs five), so a file nested deeper is an error at its place, never a
/// stack overflow.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    serde_json::from_str(text).map_err(|e| {
        let reason = if e.to_string().starts_with("recursion limit exceeded") {
            "anida más de 128 niveles de corchetes o llaves; un mapa de territorios no necesita \
             más de cinco: expórtelo de nuevo como GeoJSON"
                .to_string()
        } else {
            format!("no es JSON válido (detalle: {e})")
        };
        (e.line().max(1), e.column().max(1), reason)
    })
}

/// Reads a GeoJSON FeatureCollection; `None` when it is not one.
pub fn read(file: &str, text: &str, territories: &[(String, Option<String>)]) -> Option<Map> {
    from_json(file, parse(text).ok()?, territories)
}

/// A FeatureCollection already parsed; `None` when it is not one.
pub fn from_json(file: &str, json: Value, territories: &[(String, Option<String>)]) -> Option<Map> {
    let mut shapes = Vec::new();
    let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let ubigeo_owners: BTreeMap<&str, Vec<&str>> = territories
        .iter()
        .filter_map(|(id, u)| Some((u.as_deref()?, id.as_str())))
        .fold(BTreeMap::new(), |mut m, (u, id)| {
            m.entry(u).or_insert_with(Vec::new).push(id);
            m
        });
    for f in json.get("features")?.as_array()? {
        let props = f.get("properties").cloned().unwrap_or(Value::Null);
        let text_of = |v: Option<&Value>| {
            v.and_then(|v| {
                v.as_str()
                    .map(String::from)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            })
        };
        let feature = text_of(f.get("id"))
            .or_else(|| text_of(props.get("slug")))
            .or_else(|| text_of(props.get("id")))
            .unwrap_or_default();
        let ubigeo = text_of(props.get("ubigeo"));
        let territory = territories
            .iter()
            .find(|(id, _)| *id == feature)
            .map(|(id, _)| id.clone())
            .or_else(|| {
                let owners = ubigeo_owners.get(ubigeo.as_deref()?)?;
                (owners.len() == 1).then(|| owners[0].to_string())
            });
        let geometry = f.get("geometry")?;
        let coords = geometry.get("coordinates")?;
        let polygons: Vec<Vec<Ring>> = match geometry.get("type")?.as_str()? {
            "Polygon" => vec![rings(coords)],
            "MultiPolygon" => coords.as_array()?.iter().map(rings).collect(),
            _ => continue,
        };
        for (lon, lat) in polygons.iter().flatten().flatten() {
            bbox = (
                bbox.0.min(*lon),
                bbox.1.min(*lat),
                bbox.2.max(*lon),
                bbox.3.max(*lat),
            );
        }
        shapes.push(Shape {
            feature,
            territory,
            polygons,
        });
    }
    (!shapes.is_empty()).then(|| Map {
        file: file.to_string(),
        shapes,
        bbox,
    })
}

fn rings(polygon: &Value) -> Vec<Ring> {
    polygon
        .as_array()
        .map(|rings| {
            rings
                .iter()
                .filter_map(|r| r.as_array())
                .map(|r| {
                    r.iter()
                        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Map {
    /// The shape joined to a territory.
    pub fn shape_of(&self, territory: &str) -> Option<&Shape> {
        self.shapes
            .iter()
            .find(|s| s.territory.as_deref() == Some(territory))
    }
}

impl Shape {
    /// True when (lon, lat) is inside the shape (even-odd rule over all rings).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.polygons.iter().any(|p| {
            let mut inside = false;
            for ring in p {
                let mut j = ring.len().wrapping_sub(1);
                for i in 0..ring.len() {
                    let ((xi, yi), (xj, yj)) = (ring[i], ring[j]);
                    if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                        inside = !inside;
                    }
                    j = i;
                }
            }
            inside
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_far_too_deep_is_an_error_at_its_place_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (line, column, reason) = parse(&deep).unwrap_err();
        assert_eq!((line, column), (1, 128));
        assert!(reason.starts_with("anida más de 128 niveles"), "{reason}");
    }

    #[test]
    fn joins_by_id_then_by_unique_ubigeo_and_contains_points() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"ica","properties":{"ubigeo":"11"},"geometry":{"type":"Polygon","coordinates":[[[-76,-15],[-75,-15],[-75,-14],[-76,-14],[-76,-15]]]}},
            {"type":"Feature","properties":{"ubigeo":"07"},"geometry":{"type":"MultiPolygon","coordinates":[[[[-77.2,-12.1],[-77.1,-12.1],[-77.1,-12.0],[-77.2,-12.0],[-77.2,-12.1]]]]}},
            {"type":"Feature","properties":{"ubigeo":"15"},"geometry":{"type":"Polygon","coordinates":[[[-77,-12],[-76,-12],[-76,-11],[-77,-11],[-77,-12]]]}}]}"#;
        let territories = vec![
            ("ica".to_string(), Some("11".to_string())),
            ("callao".to_string(), Some("07".to_string())),
            ("lima-metropolitana".to_string(), Some("15".to_string())),
            ("lima-provincias".to_string(), Some("15".to_string())),
        ];
        let map = read("m.geojson", text, &territories).unwrap();
        let joined: Vec<Option<&str>> = map.shapes.iter().map(|s| s.territory.as_deref()).collect();
        assert_eq!(
            joined,
            [Some("ica"), Some("callao"), None],
            "a shared ubigeo joins nothing"
        );
        let ica = map.shape_of("ica").unwrap();
        assert!(ica.contains(-75.5, -14.5));
        assert!(!ica.contains(-74.5, -14.5));
    }
}
