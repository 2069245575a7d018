//! The `grafico` and `cifra` shortcodes: charts and single figures computed from a dataset,
//! so the prose and the charts can never disagree with the data.

use super::charts::{self, Chart, Series};
use super::tables::{check_column, dataset, label};
use crate::content::shortcode::{ArgValue, Shortcode};
use crate::data::{Dataset, Row};
use crate::diag::{Problem, suggest};
use serde::Serialize;

pub use super::tables::Ctx;

/// What tables, figures and charts read of `model`.
pub fn ctx(model: &crate::model::SiteModel) -> Ctx<'_> {
    Ctx {
        data: &model.data,
        numbers: model.config.numbers,
        base: &model.config.base_url.path,
    }
}

/// An image named in `doc`'s front matter, a shortcode or Markdown, with its versions:
/// beside a bundle's `index.md` first, then relative to `content/`. An image that cannot be
/// published is an error here, where it is used. (Shared by the page and the PDF.)
pub fn image_ref(
    model: &crate::model::SiteModel,
    doc: &crate::content::Document,
    path: &str,
) -> Result<crate::assets::ImageRef, Problem> {
    let clean = path.trim_start_matches("@/").trim_start_matches('/');
    let in_bundle = doc
        .link_key
        .strip_suffix("index.md")
        .map(|dir| format!("{dir}{clean}"))
        .filter(|key| model.file_url(key).is_some());
    model
        .image(in_bundle.as_deref().unwrap_or(clean))
        .map_err(|problem| match problem {
            // Name the image as the editor wrote it.
            Problem::ImageNotFound { .. } => Problem::ImageNotFound {
                path: path.to_string(),
            },
            Problem::ImageInvalid { reason, .. } => Problem::ImageInvalid {
                path: path.to_string(),
                reason,
            },
            other => other,
        })
}

/// What `shortcodes/grafico.html` receives.
#[derive(Serialize)]
pub struct ChartContext {
    id: String,
    titulo: String,
    svg: String,
    descripcion: String,
    fuente: Option<String>,
    nota: Option<String>,
    cobertura: Option<serde_json::Value>,
    url_csv: String,
    url_svg: String,
    encabezados: Vec<String>,
    filas: Vec<Vec<String>>,
}

impl ChartContext {
    /// The chart as the PDF prints it: its SVG, title, description, source and data.
    pub fn for_pdf(&self, svg: String) -> crate::pdf::Block {
        let numeric = (0..self.encabezados.len()).map(|i| i > 0).collect();
        crate::pdf::Block::Graphic {
            svg,
            title: self.titulo.clone(),
            alt: self.descripcion.clone(),
            source: self.fuente.clone(),
            table: Some(crate::pdf::Table {
                title: None,
                header: self.encabezados.clone(),
                rows: self.filas.clone(),
                total: None,
                numeric,
                source: None,
            }),
        }
    }
}

/// Builds a chart from a `grafico` call. `id` is unique in the page; `svg_path` is where
/// the standalone SVG is published (relative to the base).
pub fn chart(
    ctx: Ctx<'_>,
    call: &Shortcode,
    id: &str,
    svg_path: &str,
) -> Result<(ChartContext, String), Problem> {
    let ds = dataset(ctx.data, call.text("datos").unwrap_or_default())?;
    let kind = call.text("tipo").unwrap_or("barras").to_string();
    if !charts::KINDS.contains(&kind.as_str()) {
        return Err(Problem::UnknownChartType {
            suggestion: suggest(&kind, charts::KINDS),
            name: kind,
        });
    }
    let x = call.text("x").unwrap_or_default();
    check_column(ds, x)?;
    let ys = call.text_list("y").unwrap_or_default();
    for y in &ys {
        check_column(ds, y)?;
        numeric_column(ds, y)?;
    }
    let names = call.text_list("series").unwrap_or_default();
    let cumulative = matches!(call.arg("acumulado"), Some(ArgValue::Bool(true)));
    let per_month = matches!(call.arg("por_mes"), Some(ArgValue::Bool(true)));
    let (categories, mut series) = if ys.is_empty() {
        counts(ds, x, per_month, names.first().cloned())
    } else {
        let categories = ds
            .rows
            .iter()
            .map(|r| r.text(x).unwrap_or_else(|| "sin dato".into()))
            .collect();
        (categories, columns(ds, &ys, &names))
    };
    if cumulative {
        for s in &mut series {
            s.name = derived(&s.name);
            let mut total = 0.0;
            for v in s.values.iter_mut().flatten() {
                total += *v;
                *v = total;
            }
        }
    }
    let title = call
        .text("titulo")
        .map(String::from)
        .or_else(|| ds.meta.title.clone())
        .unwrap_or_else(|| ds.id.clone());
    let chart = Chart {
        kind,
        title: if cumulative { derived(&title) } else { title },
        categories,
        series,
        id: id.to_string(),
        numbers: ctx.numbers,
    };
    let svg = charts::svg(&chart);
    let base = ctx.base;
    let numbers = ctx.numbers;
    let context = ChartContext {
        id: id.to_string(),
        descripcion: call
            .text("descripcion")
            .map(String::from)
            .unwrap_or_else(|| charts::description(&chart)),
        titulo: chart.title.clone(),
        fuente: ds.meta.source.clone(),
        nota: ds.meta.note.clone(),
        cobertura: super::tables::coverage(ds, ds.rows.len() as f64, ctx.numbers),
        url_csv: format!("{base}datos/{}.csv", ds.id),
        url_svg: format!("{base}{svg_path}"),
        encabezados: std::iter::once(label(x))
            .chain(chart.series.iter().map(|s| s.name.clone()))
            .collect(),
        filas: chart
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                std::iter::once(charts::category_label(c))
                    .chain(
                        chart
                            .series
                            .iter()
                            .map(|s| s.values[i].map_or("—".into(), |v| numbers.format(v, 2))),
                    )
                    .collect()
            })
            .collect(),
        svg: svg.clone(),
    };
    Ok((context, svg))
}

/// A running total is not the data as published: its title and its series say so, so the
/// data table under the chart never shows sums under a heading that reads as counts.
fn derived(name: &str) -> String {
    if name.to_lowercase().contains("acumulad") {
        name.to_string()
    } else {
        format!("{name} (acumulado)")
    }
}

/// One series per `y` column, values in row order.
fn columns(ds: &Dataset, ys: &[String], names: &[String]) -> Vec<Series> {
    ys.iter()
        .enumerate()
        .map(|(i, y)| Series {
            name: names.get(i).cloned().unwrap_or_else(|| label(y)),
            values: ds.rows.iter().map(|r| r.number(y)).collect(),
        })
        .collect()
}

/// Without `y`: how many rows have each value of `x` (first-seen order), or, with
/// `por_mes=true` and dates in `x`, how many fall in each month from the first to the last.
fn counts(
    ds: &Dataset,
    x: &str,
    per_month: bool,
    name: Option<String>,
) -> (Vec<String>, Vec<Series>) {
    let keys: Vec<String> = ds
        .rows
        .iter()
        .filter_map(|r| r.text(x))
        .map(|t| {
            if per_month {
                t.chars().take(7).collect()
            } else {
                t
            }
        })
        .collect();
    let mut categories: Vec<String> = Vec::new();
    if per_month {
        let months: Vec<(i32, u32)> = keys
            .iter()
            .filter_map(|k| Some((k.get(..4)?.parse().ok()?, k.get(5..7)?.parse().ok()?)))
            .collect();
        if let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) {
            let (mut y, mut m) = first;
            while (y, m) <= last && categories.len() < 1200 {
                categories.push(format!("{y:04}-{m:02}"));
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
    } else {
        for k in &keys {
            if !categories.contains(k) {
                categories.push(k.clone());
            }
        }
    }
    let values = categories
        .iter()
        .map(|c| Some(keys.iter().filter(|k| *k == c).count() as f64))
        .collect();
    (
        categories,
        vec![Series {
            name: name.unwrap_or_else(|| "Cantidad".into()),
            values,
        }],
    )
}

/// The `cifra` shortcode: a count of rows, or the sum of a column, optionally of the rows
/// that match `donde`, in the site's number format.
pub fn figure(ctx: Ctx<'_>, call: &Shortcode) -> Result<String, Problem> {
    let n = figure_text(ctx, call)?;
    let ds = dataset(ctx.data, call.text("datos").unwrap_or_default())?;
    // A figure from a partial list says so in the sentence it stands in.
    let partial = if ds.meta.coverage.as_ref().is_some_and(|c| c.partial) {
        " <span class=\"cifra__parcial\">(lista parcial)</span>"
    } else {
        ""
    };
    Ok(format!("<span class=\"cifra\">{n}</span>{partial}"))
}

/// The number a `cifra` call prints, formatted (also the PDF's).
pub fn figure_text(ctx: Ctx<'_>, call: &Shortcode) -> Result<String, Problem> {
    let ds = dataset(ctx.data, call.text("datos").unwrap_or_default())?;
    let conditions = call.text_list("donde").unwrap_or_default();
    let mut parsed = Vec::new();
    for c in &conditions {
        let Some((col, value)) = c.split_once('=') else {
            return Err(Problem::BadCondition {
                condition: c.clone(),
            });
        };
        check_column(ds, col.trim())?;
        parsed.push((col.trim().to_string(), value.trim().to_string()));
    }
    let rows: Vec<&Row> = ds
        .rows
        .iter()
        .filter(|r| {
            parsed
                .iter()
                .all(|(c, v)| r.text(c).is_some_and(|t| t == *v))
        })
        .collect();
    let (value, default_decimals) = match call.text("suma") {
        Some(col) => {
            check_column(ds, col)?;
            numeric_column(ds, col)?;
            (rows.iter().filter_map(|r| r.number(col)).sum::<f64>(), 2)
        }
        None => (rows.len() as f64, 0),
    };
    let decimals = match call.arg("decimales") {
        Some(ArgValue::Num(d)) if *d >= 0.0 => *d as usize,
        _ => default_decimals,
    };
    Ok(ctx.numbers.format(value, decimals.min(6)))
}

/// An error naming the first value of `column` that is not a number, at its own place in
/// the data file (the caller's diagnostic is at the shortcode's argument).
fn numeric_column(ds: &Dataset, column: &str) -> Result<(), Problem> {
    let bad = ds
        .rows
        .iter()
        .filter_map(|r| r.get(column))
        .find(|v| !v.value.is_number());
    match bad {
        Some(cell) => Err(Problem::NotNumeric {
            dataset: ds.id.clone(),
            column: column.to_string(),
            value: cell
                .as_text()
                .unwrap_or_else(|| cell.value.type_name().to_string()),
            cell: format!("{}:{}", crate::diag::display_path(&ds.path), cell.position),
        }),
        None => Ok(()),
    }
}
