//! `cobertura`: what a dataset covers. A list gathered from scattered public sources is not
//! the programme's list, and a page that counts its rows must say so next to the count; the
//! dataset declares it once and every page, map, chart and figure that counts it reads it
//! from here, so no page states a partial count as if it were the whole.

use crate::diag::Problem;
use crate::yaml::{Fields, Node};

const KEYS: &[&str] = &["tipo", "unidad", "referencia", "total_referencia", "texto"];

/// A dataset's declared coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// `tipo: parcial` (true) or `tipo: completa`.
    pub partial: bool,
    /// `unidad`: what one row is, in the plural (`barrios con fuente pública`).
    pub unit: Option<String>,
    /// `referencia`: who gives the reference total (`el programa declara`).
    pub reference: Option<String>,
    /// `total_referencia`: the whole the rows are part of, when one is known.
    pub reference_total: Option<f64>,
    /// `texto`: one sentence saying where the rows come from and what is missing.
    pub text: Option<String>,
}

/// Reads `cobertura:` of a dataset's metadata; every problem is an error at its key.
pub fn read(parent: &mut Fields<'_>, node: &Node) -> Option<Coverage> {
    let file = parent.file();
    let mut f = Fields::new(file, node, KEYS, parent.diags())?;
    let partial = match f.required_text("tipo") {
        Some(t) if t.value == "parcial" => true,
        Some(t) if t.value == "completa" => false,
        Some(t) => {
            f.error(
                t.position,
                Problem::WrongValue {
                    field: "cobertura.tipo".into(),
                    expected: "`parcial` o `completa`".into(),
                    value: t.value,
                    fix: "escriba `parcial` si las filas son solo una parte del total".into(),
                },
            );
            return None;
        }
        None => return None,
    };
    Some(Coverage {
        partial,
        unit: f.text("unidad").map(|t| t.value),
        reference: f.text("referencia").map(|t| t.value),
        reference_total: f.number("total_referencia").map(|n| n.value),
        text: f.text("texto").map(|t| t.value),
    })
}
