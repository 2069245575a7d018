//! The one URL policy ([`crate::urls::is_safe_link`]) for free-form dataset columns that
//! hold addresses: a field named `url` or `enlace`, or whose name ends in `_url`, at any
//! depth (`fuentes[].url`, `ubicacion.mapa_url`). A theme or a `tabla` may print such a
//! value as a link, so a `javascript:` or `data:` one is an error at its cell, as the
//! fixed schemas' links already are.

use super::Dataset;
use super::table::{Cell, CellValue, Field};
use crate::diag::{Diagnostic, Diagnostics, Problem};

use crate::urls::is_address_key;

/// Every unsafe address in `ds`'s rows, each an error at its cell.
pub fn check(ds: &Dataset, diags: &mut Diagnostics) {
    for row in &ds.rows {
        fields(ds, &row.fields, diags);
    }
}

fn fields(ds: &Dataset, fields: &[Field], diags: &mut Diagnostics) {
    for field in fields {
        if is_address_key(&field.name) {
            addresses(ds, &field.name, &field.cell, diags);
        }
        nested(ds, &field.cell, diags);
    }
}

/// Fields inside maps and lists of maps.
fn nested(ds: &Dataset, cell: &Cell, diags: &mut Diagnostics) {
    match &cell.value {
        CellValue::Map(inner) => fields(ds, inner, diags),
        CellValue::List(items) => items.iter().for_each(|c| nested(ds, c, diags)),
        _ => {}
    }
}

/// The text of an address field, or each text of a list of them.
fn addresses(ds: &Dataset, key: &str, cell: &Cell, diags: &mut Diagnostics) {
    match &cell.value {
        CellValue::Text(url) if !crate::urls::is_safe_link(url) => {
            diags.push(Diagnostic::at(
                &ds.path,
                cell.position,
                Problem::UnsafeLink {
                    field: key.to_string(),
                    value: url.clone(),
                },
            ));
        }
        CellValue::List(items) => items.iter().for_each(|c| addresses(ds, key, c, diags)),
        _ => {}
    }
}
