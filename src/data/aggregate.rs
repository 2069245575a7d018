//! Sums the templates and charts use, computed once from the typed records: barrios per
//! territory, per cohort and per both; launches per month and their running total.

use super::schema::Records;
use serde::Serialize;
use std::collections::BTreeMap;

/// Barrios in one territory.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PerTerritory {
    /// Territory id.
    pub territorio: String,
    /// Territory name.
    pub nombre: String,
    /// How many barrios.
    pub barrios: usize,
}

/// Barrios of one cohort.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PerCohort {
    /// Cohort year, or "Sin dato".
    pub cohorte: String,
    /// How many barrios.
    pub barrios: usize,
}

/// Barrios in one territory and cohort.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PerTerritoryCohort {
    /// Territory id.
    pub territorio: String,
    /// Territory name.
    pub nombre: String,
    /// Cohort year, or "Sin dato".
    pub cohorte: String,
    /// How many barrios.
    pub barrios: usize,
}

/// Launches in one month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PerMonth {
    /// `AAAA-MM`
    pub mes: String,
    /// Launches that month.
    pub lanzamientos: usize,
    /// Launches up to and including that month.
    pub acumulado: usize,
}

/// All aggregates, as templates see them (`agregados`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Aggregates {
    /// Every territory, in file order, with its count (zero included, for maps).
    pub barrios_por_territorio: Vec<PerTerritory>,
    /// By cohort year, ascending; "Sin dato" last.
    pub barrios_por_cohorte: Vec<PerCohort>,
    /// By territory then cohort, only combinations that occur.
    pub barrios_por_territorio_y_cohorte: Vec<PerTerritoryCohort>,
    /// Every month from the first launch to the last, zeros included.
    pub lanzamientos_por_mes: Vec<PerMonth>,
}

const NO_COHORT: &str = "Sin dato";

fn cohort_label(c: Option<i64>) -> String {
    c.map_or(NO_COHORT.to_string(), |c| c.to_string())
}

/// Computes every aggregate.
pub fn compute(r: &Records) -> Aggregates {
    let names: BTreeMap<&str, &str> = r
        .territories
        .iter()
        .map(|t| (t.id.value.as_str(), t.name.as_str()))
        .collect();
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
    let barrios_por_territorio = r
        .territories
        .iter()
        .map(|t| PerTerritory {
            territorio: t.id.value.clone(),
            nombre: t.name.clone(),
            barrios: r
                .barrios
                .iter()
                .filter(|b| b.territory.value == t.id.value)
                .count(),
        })
        .collect();
    let mut cohorts: BTreeMap<(bool, i64), usize> = BTreeMap::new();
    let mut pairs: BTreeMap<(String, (bool, i64)), usize> = BTreeMap::new();
    for b in &r.barrios {
        let key = (b.cohort.is_none(), b.cohort.unwrap_or(0));
        *cohorts.entry(key).or_default() += 1;
        *pairs.entry((b.territory.value.clone(), key)).or_default() += 1;
    }
    let label = |(none, year): (bool, i64)| cohort_label((!none).then_some(year));
    Aggregates {
        barrios_por_territorio,
        barrios_por_cohorte: cohorts
            .into_iter()
            .map(|(k, n)| PerCohort {
                cohorte: label(k),
                barrios: n,
            })
            .collect(),
        barrios_por_territorio_y_cohorte: pairs
            .into_iter()
            .map(|((t, k), n)| PerTerritoryCohort {
                nombre: name(&t),
                territorio: t,
                cohorte: label(k),
                barrios: n,
            })
            .collect(),
        lanzamientos_por_mes: per_month(r),
    }
}

fn per_month(r: &Records) -> Vec<PerMonth> {
    let mut counts: BTreeMap<(i16, i8), usize> = BTreeMap::new();
    for l in &r.launches {
        *counts
            .entry((l.date.value.year(), l.date.value.month()))
            .or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    let mut total = 0;
    while (y, m) <= last {
        let n = counts.get(&(y, m)).copied().unwrap_or(0);
        total += n;
        out.push(PerMonth {
            mes: format!("{y:04}-{m:02}"),
            lanzamientos: n,
            acumulado: total,
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}
