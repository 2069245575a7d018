//! The words of a chart: what it shows in Spanish sentences (its `<desc>`), month labels,
//! and the width of its text, measured with DejaVu Sans's advance widths (a table generated
//! from the font, `advances.rs`), so layout is the same on a machine with no fonts at all.

use super::Chart;
use super::advances::{RUNS, UNITS_PER_EM};
use std::fmt::Write;

/// Width of `text` at `size` px: the sum of the font's advances; a character the font has
/// no glyph for counts 0.6 of the size.
pub fn text_width(text: &str, size: f64) -> f64 {
    let units = f64::from(UNITS_PER_EM);
    text.chars()
        .map(|c| advance(c).map_or(size * 0.6, |a| f64::from(a) * size / units))
        .sum()
}

/// The advance of `c` in font units, or `None` when the font has no glyph for it.
fn advance(c: char) -> Option<u16> {
    let code = u32::from(c);
    let i = RUNS
        .partition_point(|&(first, _, _)| first <= code)
        .checked_sub(1)?;
    let (first, count, advance) = RUNS[i];
    (code - first < u32::from(count)).then_some(advance)
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

    /// Fixed widths from the font's advances (at 2048 px, one font unit is one pixel), and
    /// the fallback for characters with no glyph.
    #[test]
    fn the_table_gives_the_fonts_advances() {
        assert_eq!(advance(' '), Some(651));
        assert_eq!(advance('0'), Some(1303));
        assert_eq!(advance('9'), Some(1303));
        assert_eq!(advance('ñ'), Some(1298));
        assert_eq!(advance('€'), Some(1303));
        assert_eq!(advance('\u{0}'), None);
        assert_eq!(advance('中'), None);
        assert_eq!(advance(char::MAX), None);
        assert_eq!(text_width("Año 2024: 7,5 %", 2048.0), 17010.0);
        assert_eq!(text_width("中文", 10.0), 12.0);
    }

    /// The runs are sorted and never overlap, so the binary search finds every character
    /// (the table matched ttf-parser's reading of the font for every character but U+0000
    /// and U+FFFF, .notdef there, when it replaced it: commit cd6e899).
    #[test]
    fn the_runs_are_sorted_and_apart() {
        assert_eq!(RUNS.iter().map(|r| usize::from(r.1)).sum::<usize>(), 5918);
        for pair in RUNS.windows(2) {
            assert!(pair[0].0 + u32::from(pair[0].1) <= pair[1].0, "{pair:?}");
        }
        for &(first, count, adv) in RUNS.iter() {
            for code in first..first + u32::from(count) {
                assert_eq!(char::from_u32(code).and_then(advance), Some(adv));
            }
        }
    }
}
