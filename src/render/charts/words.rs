//! The words of a chart: what it shows in Spanish sentences (its `<desc>`), month labels,
//! and the width of its text, measured with DejaVu Sans, embedded in the binary, so layout
//! is the same on a machine with no fonts at all.

use super::Chart;
use std::fmt::Write;
use std::sync::OnceLock;

static DEJAVU: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");

/// Width of `text` at `size` px, measured with the embedded font.
pub fn text_width(text: &str, size: f64) -> f64 {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    let Some(face) = FACE.get_or_init(|| ttf_parser::Face::parse(DEJAVU, 0).ok()) else {
        return text.chars().count() as f64 * size * 0.6;
    };
    let units = f64::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(size * 0.6, |a| f64::from(a) * size / units)
        })
        .sum()
}

/// "jul 2018" for `2018-07`; other labels as they are.
pub fn category_label(raw: &str) -> String {
    const MONTHS: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ];
    let b = raw.as_bytes();
    if b.len() == 7
        && b[4] == b'-'
        && raw[..4].bytes().all(|c| c.is_ascii_digit())
        && let Ok(m) = raw[5..].parse::<usize>()
        && (1..=12).contains(&m)
    {
        return format!("{} {}", MONTHS[m - 1], &raw[..4]);
    }
    raw.to_string()
}

/// What the chart shows, in one or two Spanish sentences with its key numbers.
pub fn description(chart: &Chart) -> String {
    let f = |v: f64| chart.numbers.format(v, 2);
    let kind = match chart.kind.as_str() {
        "barras_horizontales" | "barras" => "Gráfico de barras",
        "agrupadas" => "Gráfico de barras agrupadas",
        "apiladas" => "Gráfico de barras apiladas",
        "linea" => "Gráfico de líneas",
        _ => "Gráfico de área",
    };
    let mut text = format!("{kind} con {} categorías", chart.categories.len());
    if chart.series.len() > 1 {
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        let _ = write!(text, " y {} series ({})", names.len(), names.join(", "));
    }
    text.push('.');
    for s in &chart.series {
        let known: Vec<(usize, f64)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        let Some(&(max_i, max_v)) = known
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            continue;
        };
        let total: f64 = known.iter().map(|(_, v)| v).sum();
        let label = category_label(&chart.categories[max_i]);
        let prefix = if chart.series.len() > 1 {
            format!(" {}:", s.name)
        } else {
            String::new()
        };
        if matches!(chart.kind.as_str(), "linea" | "area") {
            let (first_i, first_v) = known[0];
            let (last_i, last_v) = known[known.len() - 1];
            let _ = write!(
                text,
                "{prefix} de {} en {} a {} en {}; el máximo es {} en {}.",
                f(first_v),
                category_label(&chart.categories[first_i]),
                f(last_v),
                category_label(&chart.categories[last_i]),
                f(max_v),
                label
            );
        } else {
            let _ = write!(
                text,
                "{prefix} {label} tiene el valor más alto: {} de {} en total.",
                f(max_v),
                f(total)
            );
        }
        let missing = s.values.len() - known.len();
        if missing > 0 {
            let _ = write!(text, " {missing} sin dato.");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_text_widths() {
        assert_eq!(category_label("2018-07"), "jul 2018");
        assert_eq!(category_label("Lima Metropolitana"), "Lima Metropolitana");
        let w = text_width("Lima Metropolitana", 14.0);
        assert!((100.0..160.0).contains(&w), "{w}");
        assert!(text_width("iii", 14.0) < text_width("MMM", 14.0));
    }
}
