//! The `grafico` and `cifra` shortcodes: charts and single figures computed from a dataset,
//! so the prose and the charts can never disagree with the data.

use super::charts::{self, Chart, Series};
use super::tables::{check_column, dataset};
use crate::content::shortcode::{ArgValue, Shortcode};
use crate::data::Data;
use crate::data::{Dataset, Row};
use crate::diag::{Problem, suggest};
use crate::format::NumberFormat;
use crate::yaml::Value;
use serde::Serialize;

/// What figures and charts read: the data, how numbers are written, and the base path.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The datasets.
    pub data: &'a Data,
    /// The site's number format.
    pub numbers: NumberFormat,
    /// The base path of the site's URLs.
    pub base: &'a str,
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
    url_csv: String,
    url_svg: String,
    encabezados: Vec<String>,
    filas: Vec<Vec<String>>,
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
    let series: Vec<Series> = ys
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let mut values: Vec<Option<f64>> = ds.rows.iter().map(|r| r.number(y)).collect();
            if cumulative {
                let mut total = 0.0;
                for v in values.iter_mut().flatten() {
                    total += *v;
                    *v = total;
                }
            }
            Series {
                name: names.get(i).cloned().unwrap_or_else(|| label(y)),
                values,
            }
        })
        .collect();
    let chart = Chart {
        kind,
        title: call
            .text("titulo")
            .map(String::from)
            .or_else(|| ds.meta.title.clone())
            .unwrap_or_else(|| ds.id.clone()),
        categories: ds
            .rows
            .iter()
            .map(|r| r.text(x).unwrap_or_else(|| "sin dato".into()))
            .collect(),
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

/// The `cifra` shortcode: a count of rows, or the sum of a column, optionally of the rows
/// that match `donde`, in the site's number format.
pub fn figure(ctx: Ctx<'_>, call: &Shortcode) -> Result<String, Problem> {
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
    Ok(format!(
        "<span class=\"cifra\">{}</span>",
        ctx.numbers.format(value, decimals.min(6))
    ))
}

fn numeric_column(ds: &Dataset, column: &str) -> Result<(), Problem> {
    let bad = ds.rows.iter().any(|r| {
        r.get(column)
            .is_some_and(|v| !matches!(v.value, Value::Int(_) | Value::Float(..)))
    });
    if bad {
        return Err(Problem::NotNumeric {
            dataset: ds.id.clone(),
            column: column.to_string(),
        });
    }
    Ok(())
}

/// `fecha_lanzamiento` → "Fecha lanzamiento".
fn label(column: &str) -> String {
    let text = column.replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |f| f.to_uppercase().chain(chars).collect())
}
