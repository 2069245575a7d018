//! The `tabla` shortcode: a dataset as an accessible HTML table (caption, `th scope`, numbers
//! right-aligned in the site's CLDR format, the declared total row, the source line).

use crate::content::shortcode::Shortcode;
use crate::data::CellValue;
use crate::data::Data;
use crate::data::Dataset;
use crate::diag::{Problem, suggest};
use crate::format::NumberFormat;
use serde::Serialize;

/// One cell.
#[derive(Serialize)]
pub struct Cell {
    texto: String,
    numerico: bool,
}

/// What `shortcodes/tabla.html` receives.
#[derive(Serialize)]
pub struct TableContext {
    titulo: Option<String>,
    encabezados: Vec<Cell>,
    filas: Vec<Vec<Cell>>,
    total: Option<Vec<Cell>>,
    fuente: Option<String>,
    url_csv: String,
    cobertura: Option<serde_json::Value>,
}

/// What tables, figures and charts read: the data, how numbers are written, and the base path.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The datasets.
    pub data: &'a Data,
    /// The site's number format.
    pub numbers: NumberFormat,
    /// The base path of the site's URLs.
    pub base: &'a str,
}

/// Checks the call against the data and builds the template context.
pub fn context(ctx: Ctx<'_>, call: &Shortcode) -> Result<TableContext, Problem> {
    let ds = dataset(ctx.data, call.text("datos").unwrap_or_default())?;
    let columns = match call.text_list("columnas") {
        Some(cols) => {
            for c in &cols {
                check_column(ds, c)?;
            }
            cols
        }
        None => ds.columns.clone(),
    };
    let headers = call.text_list("encabezados").unwrap_or_default();
    let want_total = !matches!(
        call.arg("total"),
        Some(crate::content::shortcode::ArgValue::Bool(false))
    );
    let title = call
        .text("titulo")
        .map(String::from)
        .or_else(|| ds.meta.title.clone());
    Ok(table(
        ctx,
        ds,
        (&columns, &headers),
        title,
        want_total,
        usize::MAX,
    ))
}

/// A dataset's first `limit` rows, every column, as the dataset's own page shows them
/// (`/datos/<id>/`); the declared total row only when every row is shown.
pub fn whole(ctx: Ctx<'_>, ds: &Dataset, limit: usize) -> TableContext {
    let title = ds.meta.title.clone().unwrap_or_else(|| ds.id.clone());
    let all = ds.rows.len() <= limit;
    table(ctx, ds, (&ds.columns, &[]), Some(title), all, limit)
}

fn table(
    ctx: Ctx<'_>,
    ds: &Dataset,
    (columns, headers): (&[String], &[String]),
    titulo: Option<String>,
    want_total: bool,
    limit: usize,
) -> TableContext {
    let numeric: Vec<bool> = columns.iter().map(|c| is_numeric(ds, c)).collect();
    let numbers = ctx.numbers;
    let encabezados = columns
        .iter()
        .enumerate()
        .map(|(i, c)| Cell {
            texto: headers.get(i).cloned().unwrap_or_else(|| label(c)),
            numerico: numeric[i],
        })
        .collect();
    let filas = ds
        .rows
        .iter()
        .take(limit)
        .map(|r| {
            columns
                .iter()
                .zip(&numeric)
                .map(|(c, &n)| cell(r.get(c), n, numbers))
                .collect()
        })
        .collect();
    let total = (want_total && !ds.meta.totals.is_empty())
        .then(|| total_row(ds, columns, &numeric, numbers));
    TableContext {
        titulo,
        encabezados,
        filas,
        total,
        fuente: ds.meta.source.clone(),
        url_csv: format!("{}datos/{}.csv", ctx.base, ds.id),
        cobertura: coverage(ds, ds.rows.len() as f64, numbers),
    }
}

/// What `partials/cobertura.html` receives when `ds` declares `cobertura: {tipo: parcial}`
/// and a page counts `count` of its rows: the count, what a row is, and the reference
/// total with who declares it. `None` for a complete dataset, so nothing is said.
pub fn coverage(ds: &Dataset, count: f64, numbers: NumberFormat) -> Option<serde_json::Value> {
    let c = ds.meta.coverage.as_ref().filter(|c| c.partial)?;
    Some(serde_json::json!({
        "cuenta": numbers.format(count, 0),
        "unidad": c.unit.clone().unwrap_or_else(|| "filas".into()),
        "referencia": c.reference.clone().unwrap_or_else(|| "la referencia declara".into()),
        "total_referencia": c.reference_total.map(|t| numbers.format(t, 0)),
        "texto": c.text,
    }))
}

impl TableContext {
    /// The table as the PDF prints it (`crate::pdf`).
    pub fn for_pdf(&self) -> crate::pdf::Table {
        let texts = |cells: &[Cell]| cells.iter().map(|c| c.texto.clone()).collect();
        crate::pdf::Table {
            title: self.titulo.clone(),
            header: texts(&self.encabezados),
            rows: self.filas.iter().map(|r| texts(r)).collect(),
            total: self.total.as_deref().map(texts),
            numeric: self.encabezados.iter().map(|c| c.numerico).collect(),
            source: self.fuente.clone(),
        }
    }
}

/// The table as HTML written here (for the `tabla` template function, where no template can
/// be rendered): the same markup as `shortcodes/tabla.html`.
pub fn html(t: &TableContext) -> String {
    let esc = crate::html::escape;
    let cell = |tag: &str, c: &Cell, scope: &str| {
        let class = if c.numerico { " class=\"num\"" } else { "" };
        format!("<{tag}{scope}{class}>{}</{tag}>", esc(&c.texto))
    };
    let label = t.titulo.clone().unwrap_or_else(|| "Tabla".into());
    let mut out = format!(
        "<div class=\"tabla\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table>",
        esc(&label)
    );
    if let Some(title) = &t.titulo {
        out.push_str(&format!("<caption>{}</caption>", esc(title)));
    }
    out.push_str("<thead><tr>");
    for h in &t.encabezados {
        out.push_str(&cell("th", h, " scope=\"col\""));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.filas {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            out.push_str(&if i == 0 {
                cell("th", c, " scope=\"row\"")
            } else {
                cell("td", c, "")
            });
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody>");
    if let Some(total) = &t.total {
        out.push_str("<tfoot><tr>");
        for (i, c) in total.iter().enumerate() {
            out.push_str(&if i == 0 {
                cell("th", c, " scope=\"row\"")
            } else {
                cell("td", c, "")
            });
        }
        out.push_str("</tr></tfoot>");
    }
    out.push_str("</table></div>");
    let source = t
        .fuente
        .as_ref()
        .map(|f| format!("Fuente: {}. ", esc(f)))
        .unwrap_or_default();
    out.push_str(&format!(
        "<p class=\"fuente\">{source}<a href=\"{}\">Descargar los datos (CSV)</a></p>",
        esc(&t.url_csv)
    ));
    out
}

/// The dataset a shortcode names, or an error with the closest id.
pub fn dataset<'a>(data: &'a crate::data::Data, id: &str) -> Result<&'a Dataset, Problem> {
    data.datasets
        .get(id)
        .ok_or_else(|| Problem::UnknownDataset {
            id: id.to_string(),
            suggestion: suggest(id, data.ids()),
        })
}

/// An error when `column` is not in the dataset.
pub fn check_column(ds: &Dataset, column: &str) -> Result<(), Problem> {
    if ds.columns.iter().any(|c| c == column) {
        return Ok(());
    }
    Err(Problem::UnknownColumn {
        dataset: ds.id.clone(),
        column: column.to_string(),
        suggestion: suggest(column, ds.columns.iter().map(String::as_str)),
    })
}

fn is_numeric(ds: &Dataset, column: &str) -> bool {
    let mut any = false;
    for r in &ds.rows {
        match r.get(column).map(|v| &v.value) {
            Some(CellValue::Int(_) | CellValue::Number(..)) => any = true,
            None => {}
            Some(_) => return false,
        }
    }
    any
}

/// `fecha_lanzamiento` → "Fecha lanzamiento".
pub(super) fn label(column: &str) -> String {
    let text = column.replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |f| f.to_uppercase().chain(chars).collect())
}

fn cell(value: Option<&crate::data::Cell>, numeric: bool, numbers: NumberFormat) -> Cell {
    let texto = value.map_or("—".to_string(), |c| match &c.value {
        CellValue::Int(i) => numbers.format(*i as f64, 0),
        CellValue::Number(f, _) => numbers.format(*f, 2),
        CellValue::Text(s) => s.clone(),
        CellValue::Bool(b) => if *b { "Sí" } else { "No" }.to_string(),
        CellValue::Date(d) => crate::format::iso_date(*d),
        CellValue::Null | CellValue::List(_) | CellValue::Map(_) => c.to_json().to_string(),
    });
    Cell {
        texto,
        numerico: numeric,
    }
}

fn total_row(
    ds: &Dataset,
    columns: &[String],
    numeric: &[bool],
    numbers: NumberFormat,
) -> Vec<Cell> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let declared = ds
                .meta
                .totals
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.value);
            let texto = match (i, declared) {
                (0, _) => "Total".to_string(),
                (_, Some(v)) => numbers.format(v, 2),
                _ => String::new(),
            };
            Cell {
                texto,
                numerico: numeric[i],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(label("fecha_lanzamiento"), "Fecha lanzamiento");
        assert_eq!(label("área"), "Área");
    }
}
