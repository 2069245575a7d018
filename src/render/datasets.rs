//! Each dataset's own page, `/datos/<id>/`, and the metadata open-data portals harvest.
//!
//! The page shows what the dataset is (title, description, source, licence, update date,
//! note, the coverage notice), its rows as an accessible table (the first [`ROWS_SHOWN`]:
//! the rest are in the downloads), the bulletins and charts that use it (recorded by the
//! body hooks as [`DatasetUse`]s while bodies render, so only published entries count), and
//! its downloads with their sizes. The downloads are made once, before any page renders
//! ([`downloads`]), so the page can give their sizes and the files step writes the same bytes.
//!
//! On the page a schema.org `Dataset` in JSON-LD ([`json_ld`]); for the whole site a DCAT-AP
//! catalogue, `/datos/catalogo.jsonld` ([`catalogue`]), which CKAN's DCAT harvester reads.
//! Every text is put in JSON by serde_json, with `<`, `>` and `&` written as `\u003c`…, so
//! no text can close the JSON-LD's `<script>` element, nor read as markup in the catalogue.

use super::OutputFile;
use super::opendata::{self, DatasetView};
use super::tables;
use crate::data::Dataset;
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::model::{Entry, SiteModel};
use serde_json::{Value, json};

/// Rows a dataset's page shows; a bigger dataset says the full data is in the downloads.
pub const ROWS_SHOWN: usize = 500;

/// The catalogue's path.
pub const CATALOGUE: &str = "datos/catalogo.jsonld";

/// A shortcode of a body that reads a dataset, for that dataset's page.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct DatasetUse {
    /// The dataset id.
    pub dataset: String,
    /// The shortcode: `grafico`, `tabla`, `cifra` or `mapa`.
    pub shortcode: String,
    /// For a chart, its standalone SVG (relative to the base) and its title.
    pub chart: Option<(String, Option<String>)>,
}

/// The formats of a dataset's downloads: extension, name shown, media type.
const FORMATS: &[(&str, &str, &str)] = &[
    ("csv", "CSV", "text/csv"),
    ("json", "JSON", "application/json"),
    (
        "xlsx",
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "ods",
        "LibreOffice (ODS)",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
];

/// Every dataset's downloads (`datos/<id>.csv`, `.json`, `.xlsx`, `.ods`), in dataset order.
pub fn downloads(
    model: &SiteModel,
    views: &[DatasetView],
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let base = &model.config.base_url;
    for (view, ds) in views.iter().zip(model.data.datasets.values()) {
        files.push(file(&ds.id, "json", opendata::json(view)));
        files.push(file(&ds.id, "csv", opendata::csv(ds)));
        let page = base.absolute(&format!("datos/{}/", ds.id));
        for (ext, made) in [
            ("xlsx", opendata::xlsx(ds, &page)),
            ("ods", super::ods::ods(ds, &page)),
        ] {
            match made {
                Ok(bytes) => files.push(file(&ds.id, ext, bytes)),
                Err(detail) => diags.push(Diagnostic::global(Problem::Io { detail })),
            }
        }
    }
    files
}

fn file(id: &str, ext: &str, bytes: Vec<u8>) -> OutputFile {
    OutputFile {
        path: format!("datos/{id}.{ext}"),
        bytes: bytes.into(),
    }
}

/// One download as the page and the metadata name it.
struct Download {
    name: &'static str,
    media_type: &'static str,
    ext: &'static str,
    url: String,
    bytes: usize,
}

fn downloads_of(model: &SiteModel, id: &str, files: &[OutputFile]) -> Vec<Download> {
    FORMATS
        .iter()
        .filter_map(|&(ext, name, media_type)| {
            let path = format!("datos/{id}.{ext}");
            let f = files.iter().find(|f| f.path == path)?;
            Some(Download {
                name,
                media_type,
                ext,
                url: model.config.base_url.absolute(&path),
                bytes: f.bytes.len(),
            })
        })
        .collect()
}

/// `1,2 kB` or `3,4 MB`, in the site's number format.
fn size(model: &SiteModel, bytes: usize) -> String {
    let n = model.config.numbers;
    match bytes {
        b if b < 1000 => format!("{} bytes", n.format(b as f64, 0)),
        b if b < 1_000_000 => format!("{} kB", n.format(b as f64 / 1e3, 1)),
        b => format!("{} MB", n.format(b as f64 / 1e6, 1)),
    }
}

/// What a dataset is about: its `descripcion`, else its note, else a sentence made from
/// its title (portals require a description; nothing is said that the data does not say).
fn description(model: &SiteModel, ds: &Dataset) -> String {
    let m = &ds.meta;
    m.description
        .clone()
        .or_else(|| m.note.clone())
        .unwrap_or_else(|| {
            let title = m.title.as_deref().unwrap_or(&ds.id);
            let n = ds.rows.len();
            format!(
                "Datos «{title}» publicados por {}, con {} {}.",
                publisher(model),
                model.config.numbers.format(n as f64, 0),
                if n == 1 { "fila" } else { "filas" }
            )
        })
}

fn publisher(model: &SiteModel) -> &str {
    model
        .config
        .institution
        .as_deref()
        .unwrap_or(&model.config.title)
}

/// The page's title, description and template data (`conjunto.html`).
pub fn page(
    model: &SiteModel,
    i: usize,
    entries: &[&Entry],
    infos: &[&super::views::BodyInfo],
    files: &[OutputFile],
) -> Option<(String, String, Value)> {
    let ds = model.data.datasets.values().nth(i)?;
    let m = &ds.meta;
    let title = m.title.clone().unwrap_or_else(|| ds.id.clone());
    let description = description(model, ds);
    let ctx = tables::Ctx {
        data: &model.data,
        numbers: model.config.numbers,
        base: &model.config.base_url.path,
    };
    let table = tables::whole(ctx, ds, ROWS_SHOWN);
    let downloads: Vec<Value> = downloads_of(model, &ds.id, files)
        .iter()
        .map(|d| json!({ "formato": d.name, "url": d.url, "tamano": size(model, d.bytes) }))
        .collect();
    let data = json!({
        "conjunto": {
            "id": ds.id,
            "titulo": title,
            "descripcion": m.description,
            "fuente": m.source,
            "licencia": m.licence,
            "nota": m.note,
            "actualizado": m.updated.map(|d| d.to_string()),
            "actualizado_legible": m.updated.map(crate::format::long_date),
            "filas_total": ds.rows.len(),
            "correcciones": m.corrections.iter().map(|c| json!({
                "fecha": c.date.value.to_string(),
                "fecha_legible": crate::format::long_date(c.date.value),
                "texto": c.text,
                "menor": c.minor,
            })).collect::<Vec<_>>(),
        },
        "tabla": table,
        "recortado": ds.rows.len() > ROWS_SHOWN,
        "filas_mostradas": ds.rows.len().min(ROWS_SHOWN),
        "usos": uses(model, &ds.id, entries, infos),
        "descargas": downloads,
        "jsonld": script_json(&json_ld(model, ds, files)),
    });
    Some((title, description, data))
}

/// The entries whose bodies read dataset `id`, each with its charts of it.
fn uses(
    model: &SiteModel,
    id: &str,
    entries: &[&Entry],
    infos: &[&super::views::BodyInfo],
) -> Vec<Value> {
    let base = &model.config.base_url.path;
    entries
        .iter()
        .zip(infos)
        .filter(|(_, info)| info.datasets.iter().any(|u| u.dataset == id))
        .map(|(e, info)| {
            let charts: Vec<Value> = info
                .datasets
                .iter()
                .filter(|u| u.dataset == id)
                .filter_map(|u| u.chart.as_ref())
                .map(|(svg, title)| json!({ "titulo": title, "url": format!("{base}{svg}") }))
                .collect();
            json!({
                "titulo": e.doc.front.title,
                "url": format!("{base}{}", e.url),
                "graficos": charts,
            })
        })
        .collect()
}

/// The entries (by index) whose bodies read dataset `i`, for the page's cache key.
pub fn users(model: &SiteModel, i: usize, infos: &[&super::views::BodyInfo]) -> Vec<usize> {
    let Some(id) = model.data.datasets.keys().nth(i) else {
        return Vec::new();
    };
    (0..infos.len())
        .filter(|&j| infos[j].datasets.iter().any(|u| &u.dataset == id))
        .collect()
}

/// A licence as schema.org and DCAT take it: its address when it is one, else a named work.
fn licence(text: &str) -> Value {
    if text.starts_with("https://") || text.starts_with("http://") {
        Value::String(text.to_string())
    } else {
        json!({ "@type": "CreativeWork", "name": text })
    }
}

/// The schema.org `Dataset` of a dataset's page.
pub fn json_ld(model: &SiteModel, ds: &Dataset, files: &[OutputFile]) -> Value {
    let m = &ds.meta;
    let base = &model.config.base_url;
    let mut v = json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": base.absolute(&format!("datos/{}/", ds.id)),
        "url": base.absolute(&format!("datos/{}/", ds.id)),
        "name": m.title.clone().unwrap_or_else(|| ds.id.clone()),
        "description": description(model, ds),
        "identifier": ds.id,
        "inLanguage": model.config.language,
        "isAccessibleForFree": true,
        "publisher": { "@type": "Organization", "name": publisher(model), "url": base.absolute("") },
        "includedInDataCatalog": { "@type": "DataCatalog", "name": model.config.title, "url": base.absolute("datos/") },
        "distribution": downloads_of(model, &ds.id, files).iter().map(|d| json!({
            "@type": "DataDownload",
            "name": d.name,
            "encodingFormat": d.media_type,
            "contentUrl": d.url,
            "contentSize": format!("{} B", d.bytes),
        })).collect::<Vec<_>>(),
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(l) = &m.licence {
            obj.insert("license".into(), licence(l));
        }
        if let Some(d) = m.modified() {
            obj.insert("dateModified".into(), Value::String(d.to_string()));
        }
        if let Some(s) = &m.source {
            obj.insert("creditText".into(), Value::String(format!("Fuente: {s}")));
        }
    }
    v
}

/// JSON to sit inside an HTML `<script>`: `<`, `>` and `&` escaped as JSON allows, so no
/// text (`</script>`, `<!--`) can end the element.
pub fn script_json(v: &Value) -> String {
    markup_safe(serde_json::to_string(v).unwrap_or_default())
}

/// `<`, `>` and `&` as JSON escapes (only strings hold them), so the JSON reads the same
/// and no browser that sniffs a file as HTML finds markup in it.
fn markup_safe(json: String) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The DCAT-AP catalogue of every dataset, in JSON-LD.
pub fn catalogue(model: &SiteModel, files: &[OutputFile]) -> OutputFile {
    let base = &model.config.base_url;
    let agent = json!({ "@type": "foaf:Agent", "foaf:name": publisher(model) });
    let datasets: Vec<Value> = model
        .data
        .datasets
        .values()
        .map(|ds| dcat_dataset(model, ds, files, &agent))
        .collect();
    let v = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        },
        "@id": base.absolute(CATALOGUE),
        "@type": "dcat:Catalog",
        "dct:title": model.config.title,
        "dct:description": model.config.description.clone().unwrap_or_else(|| model.config.title.clone()),
        "dct:publisher": agent,
        "dct:language": model.config.language,
        "foaf:homepage": { "@id": base.absolute("") },
        "dcat:dataset": datasets,
    });
    let mut text = markup_safe(serde_json::to_string_pretty(&v).unwrap_or_default());
    text.push('\n');
    OutputFile {
        path: CATALOGUE.into(),
        bytes: text.into_bytes().into(),
    }
}

fn dcat_dataset(model: &SiteModel, ds: &Dataset, files: &[OutputFile], agent: &Value) -> Value {
    let m = &ds.meta;
    let page = model.config.base_url.absolute(&format!("datos/{}/", ds.id));
    let licence = m.licence.as_deref().map(|l| match licence(l) {
        Value::String(url) => json!({ "@id": url }),
        _ => json!({ "@type": "dct:LicenseDocument", "dct:title": l }),
    });
    let distributions: Vec<Value> = downloads_of(model, &ds.id, files)
        .iter()
        .map(|d| {
            let mut v = json!({
                "@id": d.url,
                "@type": "dcat:Distribution",
                "dct:title": format!("{} ({})", m.title.as_deref().unwrap_or(&ds.id), d.name),
                "dct:format": d.ext.to_uppercase(),
                "dcat:mediaType": { "@id": format!("https://www.iana.org/assignments/media-types/{}", d.media_type) },
                "dcat:accessURL": { "@id": page },
                "dcat:downloadURL": { "@id": d.url },
                "dcat:byteSize": { "@value": d.bytes.to_string(), "@type": "xsd:nonNegativeInteger" },
            });
            if let (Some(obj), Some(l)) = (v.as_object_mut(), &licence) {
                obj.insert("dct:license".into(), l.clone());
            }
            v
        })
        .collect();
    let mut v = json!({
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": ds.id,
        "dct:title": m.title.clone().unwrap_or_else(|| ds.id.clone()),
        "dct:description": description(model, ds),
        "dct:publisher": agent,
        "dct:language": model.config.language,
        "dcat:landingPage": { "@id": page },
        "dcat:distribution": distributions,
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(d) = m.modified() {
            obj.insert(
                "dct:modified".into(),
                json!({ "@value": d.to_string(), "@type": "xsd:date" }),
            );
        }
        if let Some(l) = licence {
            obj.insert("dct:license".into(), l);
        }
        if let Some(s) = &m.source {
            obj.insert(
                "dct:provenance".into(),
                json!({ "@type": "dct:ProvenanceStatement", "rdfs:label": format!("Fuente: {s}") }),
            );
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element() {
        let v = json!({ "name": "</script><!-- & \"x\"" });
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
