//! Charts as static, accessible SVG: vertical, horizontal, grouped and stacked bars, lines
//! and areas. Every chart scales (viewBox only), has `role="img"` with a `<title>` and a
//! `<desc>` that says in words what it shows, labels its values where they fit, and never
//! relies on colour alone (legend and direct labels). Text is measured with DejaVu Sans's
//! advance widths (`words.rs`, with the descriptions; the table in `advances.rs` is generated
//! from the font), so layout is the same everywhere; the SVG
//! itself names the theme's system font stack. Numbers in the SVG are written with one
//! decimal, so bytes never depend on the platform.
//!
//! Why not plotters: its SVG backend writes fixed pixel sizes and no title, description or
//! roles, and measures text with system fonts; for six chart types drawn from a table, a
//! small writer we control gives accessible, deterministic output with fewer moving parts.

use crate::format::NumberFormat;
use std::fmt::Write;

mod advances;
mod words;

pub use words::{category_label, description, text_width};

/// The chart types of the `grafico` shortcode.
pub const KINDS: [&str; 6] = [
    "barras",
    "barras_horizontales",
    "agrupadas",
    "apiladas",
    "linea",
    "area",
];

/// Series colours: distinguishable with the common colour-vision deficiencies and at least
/// 3:1 against white (checked in the tests). One series uses the theme's accent.
const PALETTE: [&str; 5] = ["#0b5394", "#b35900", "#6a3d9a", "#1b7837", "#4d4d4d"];
const ACCENT: &str = "#b3001b";
const TEXT: &str = "#1b1b1b";
const MUTED: &str = "#505a5f";
const GRID: &str = "#d9d9d9";
const FONT_STACK: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif";
const WIDTH: f64 = 420.0;
const FONT: f64 = 15.0;

/// One series of values, in the order of the categories.
#[derive(Debug, Clone)]
pub struct Series {
    /// The series' name (legend, description).
    pub name: String,
    /// Values; `None` where the data has none (drawn as a gap, never as zero).
    pub values: Vec<Option<f64>>,
}

/// Everything needed to draw one chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// One of [`KINDS`].
    pub kind: String,
    /// The title.
    pub title: String,
    /// Category labels (x axis, or rows for horizontal bars).
    pub categories: Vec<String>,
    /// One or more series.
    pub series: Vec<Series>,
    /// A stable id, unique in the page, for `aria-labelledby`.
    pub id: String,
    /// How numbers are written.
    pub numbers: NumberFormat,
}

/// Round axis ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten.
pub fn ticks(max: f64) -> Vec<f64> {
    if max <= 0.0 || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let rough = max / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| max / s <= 5.0)
        .unwrap_or(10.0 * power);
    let step = if step < 1.0 && max >= 1.0 { 1.0 } else { step };
    let count = (max / step).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A coordinate with one decimal at most (deterministic, short SVG); shared with `map`.
pub(super) fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(super) fn esc(text: &str) -> String {
    crate::html::escape(text)
}

fn colour(chart: &Chart, i: usize) -> &'static str {
    if chart.series.len() == 1 && !matches!(chart.kind.as_str(), "linea" | "area") {
        ACCENT
    } else {
        PALETTE[i % PALETTE.len()]
    }
}

/// The chart as an SVG element.
pub fn svg(chart: &Chart) -> String {
    let height = match chart.kind.as_str() {
        "barras_horizontales" => 56.0 + chart.categories.len() as f64 * 30.0 + legend_height(chart),
        _ => 300.0 + legend_height(chart),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-titulo {id}-desc\" class=\"grafico__svg\" font-family=\"{FONT_STACK}\" font-size=\"{}\">",
        n(WIDTH),
        n(height),
        n(FONT),
        id = esc(&chart.id)
    );
    let _ = write!(
        out,
        "<title id=\"{}-titulo\">{}</title>",
        esc(&chart.id),
        esc(&chart.title)
    );
    let _ = write!(
        out,
        "<desc id=\"{}-desc\">{}</desc>",
        esc(&chart.id),
        esc(&description(chart))
    );
    legend(chart, &mut out);
    let top = 16.0 + legend_height(chart);
    match chart.kind.as_str() {
        "barras_horizontales" => horizontal(chart, top, &mut out),
        "linea" | "area" => lines(chart, top, height, &mut out),
        _ => vertical(chart, top, height, &mut out),
    }
    out.push_str("</svg>");
    out
}

fn legend_height(chart: &Chart) -> f64 {
    if chart.series.len() > 1 { 28.0 } else { 0.0 }
}

fn legend(chart: &Chart, out: &mut String) {
    if chart.series.len() < 2 {
        return;
    }
    let mut x = 0.0;
    for (i, s) in chart.series.iter().enumerate() {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"4\" width=\"14\" height=\"14\" fill=\"{}\"/>",
            n(x),
            colour(chart, i)
        );
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"16\" fill=\"{TEXT}\">{}</text>",
            n(x + 20.0),
            esc(&s.name)
        );
        x += 20.0 + text_width(&s.name, FONT) + 24.0;
    }
}

/// The largest value on the axis: the tallest stack for stacked bars.
fn max_value(chart: &Chart) -> f64 {
    let stacked = chart.kind == "apiladas";
    (0..chart.categories.len())
        .map(|c| {
            let vals = chart
                .series
                .iter()
                .filter_map(|s| s.values.get(c).copied().flatten());
            if stacked {
                vals.filter(|v| *v > 0.0).sum()
            } else {
                vals.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max)
}

fn y_axis(chart: &Chart, ticks: &[f64], left: f64, top: f64, bottom: f64, out: &mut String) -> f64 {
    let top_tick = ticks.last().copied().unwrap_or(1.0).max(1e-9);
    for t in ticks {
        let y = bottom - (bottom - top) * t / top_tick;
        let _ = write!(
            out,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{GRID}\"/>",
            n(left),
            n(WIDTH),
            n(y),
            n(y)
        );
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>",
            n(left - 6.0),
            n(y + 5.0),
            chart.numbers.format(*t, 2)
        );
    }
    top_tick
}

fn y_axis_width(chart: &Chart, ticks: &[f64]) -> f64 {
    ticks
        .iter()
        .map(|t| text_width(&chart.numbers.format(*t, 2), FONT))
        .fold(0.0, f64::max)
        + 12.0
}

/// Category labels under the axis, thinned so none overlap.
fn x_labels(chart: &Chart, xs: &[f64], slot: f64, y: f64, out: &mut String) {
    let labels: Vec<String> = chart.categories.iter().map(|c| category_label(c)).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max);
    let every = ((widest + 8.0) / slot.max(1.0)).ceil().max(1.0) as usize;
    for (i, (label, x)) in labels.iter().zip(xs).enumerate() {
        if i % every == 0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                n(*x),
                n(y),
                esc(label)
            );
        }
    }
}

/// The value axis of a vertical chart, drawn: returns the plot's left edge, its bottom and
/// the value of the top tick.
fn value_axis(chart: &Chart, top: f64, height: f64, out: &mut String) -> (f64, f64, f64) {
    let ticks = ticks(max_value(chart));
    let left = y_axis_width(chart, &ticks);
    let bottom = height - 28.0;
    let top_tick = y_axis(chart, &ticks, left, top + 16.0, bottom, out);
    (left, bottom, top_tick)
}

fn vertical(chart: &Chart, top: f64, height: f64, out: &mut String) {
    let (left, bottom, top_tick) = value_axis(chart, top, height, out);
    let scale = |v: f64| (bottom - top - 16.0) * v / top_tick;
    let cats = chart.categories.len().max(1);
    let slot = (WIDTH - left) / cats as f64;
    let grouped = chart.kind == "agrupadas";
    let bars_per_slot = if grouped {
        chart.series.len().max(1)
    } else {
        1
    };
    let bar = (slot * 0.7 / bars_per_slot as f64).max(1.0);
    let mut centres = Vec::with_capacity(cats);
    for c in 0..chart.categories.len() {
        let centre = left + slot * (c as f64 + 0.5);
        centres.push(centre);
        let mut stack = 0.0;
        for (si, s) in chart.series.iter().enumerate() {
            let Some(v) = s.values.get(c).copied().flatten() else {
                continue;
            };
            let v = v.max(0.0);
            let (x, base) = if grouped {
                (
                    centre - bar * bars_per_slot as f64 / 2.0 + bar * si as f64,
                    0.0,
                )
            } else if chart.kind == "apiladas" {
                (centre - bar / 2.0, stack)
            } else {
                (centre - bar / 2.0, 0.0)
            };
            let h = scale(v);
            let y = bottom - scale(base) - h;
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                n(x),
                n(y),
                n(bar),
                n(h),
                colour(chart, si),
                esc(&category_label(&chart.categories[c])),
                chart.numbers.format(v, 2)
            );
            let label = chart.numbers.format(v, 2);
            let fits = text_width(&label, FONT - 1.0) <= bar + 2.0;
            if chart.kind == "apiladas" {
                if fits && h >= FONT + 2.0 && v > 0.0 {
                    let _ = write!(
                        out,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"#ffffff\">{}</text>",
                        n(x + bar / 2.0),
                        n(y + h / 2.0 + 5.0),
                        n(FONT - 1.0),
                        label
                    );
                }
                stack += v;
            } else if fits {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{TEXT}\">{}</text>",
                    n(x + bar / 2.0),
                    n(y - 4.0),
                    n(FONT - 1.0),
                    label
                );
            }
        }
    }
    baseline(left, bottom, out);
    x_labels(chart, &centres, slot, bottom + 20.0, out);
}

fn horizontal(chart: &Chart, top: f64, out: &mut String) {
    let labels: Vec<String> = chart.categories.iter().map(|c| category_label(c)).collect();
    let left = labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
        + 12.0;
    let max = max_value(chart).max(1e-9);
    let value_room = chart.series.first().map_or(0.0, |_| {
        text_width(&chart.numbers.format(max, 2), FONT) + 10.0
    });
    let span = (WIDTH - left - value_room).max(40.0);
    for (c, label) in labels.iter().enumerate() {
        let y = top + 8.0 + c as f64 * 30.0;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            n(left - 8.0),
            n(y + 16.0),
            esc(label)
        );
        let Some(s) = chart.series.first() else {
            continue;
        };
        match s.values.get(c).copied().flatten() {
            Some(v) => {
                let w = span * v.max(0.0) / max;
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" fill=\"{}\"/>",
                    n(left),
                    n(y),
                    n(w),
                    colour(chart, 0)
                );
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" fill=\"{TEXT}\">{}</text>",
                    n(left + w + 6.0),
                    n(y + 16.0),
                    chart.numbers.format(v, 2)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" fill=\"{MUTED}\">sin dato</text>",
                    n(left + 6.0),
                    n(y + 16.0)
                );
            }
        }
    }
    let bottom = top + 8.0 + chart.categories.len() as f64 * 30.0;
    let _ = write!(
        out,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{TEXT}\"/>",
        n(left),
        n(left),
        n(top),
        n(bottom)
    );
}

fn lines(chart: &Chart, top: f64, height: f64, out: &mut String) {
    let (left, bottom, top_tick) = value_axis(chart, top, height, out);
    let cats = chart.categories.len().max(1);
    let slot = (WIDTH - left - 16.0) / cats as f64;
    let xs: Vec<f64> = (0..chart.categories.len())
        .map(|c| left + 8.0 + slot * (c as f64 + 0.5))
        .collect();
    let y_of = |v: f64| bottom - (bottom - top - 16.0) * v / top_tick;
    for (si, s) in chart.series.iter().enumerate() {
        let points: Vec<(f64, f64, f64)> = s
            .values
            .iter()
            .zip(&xs)
            .filter_map(|(v, x)| v.map(|v| (*x, y_of(v), v)))
            .collect();
        if points.is_empty() {
            continue;
        }
        let path: String = points
            .iter()
            .enumerate()
            .map(|(i, (x, y, _))| format!("{}{},{}", if i == 0 { "M" } else { "L" }, n(*x), n(*y)))
            .collect();
        if chart.kind == "area" && points.len() > 1 {
            let (first, last) = (points[0].0, points[points.len() - 1].0);
            let _ = write!(
                out,
                "<path d=\"{path}L{},{}L{},{}Z\" fill=\"{}\" fill-opacity=\"0.15\"/>",
                n(last),
                n(bottom),
                n(first),
                n(bottom),
                colour(chart, si)
            );
        }
        let _ = write!(
            out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\"/>",
            colour(chart, si)
        );
        for (x, y, v) in &points {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"><title>{}</title></circle>",
                n(*x),
                n(*y),
                colour(chart, si),
                chart.numbers.format(*v, 2)
            );
        }
        if let Some((x, y, v)) = points.last() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{TEXT}\">{}</text>",
                n(*x),
                n(y - 10.0),
                n(FONT - 1.0),
                chart.numbers.format(*v, 2)
            );
        }
    }
    baseline(left, bottom, out);
    x_labels(chart, &xs, slot, bottom + 20.0, out);
}

/// The x axis: a line along the bottom of the plot, from its left edge to the chart's.
fn baseline(left: f64, bottom: f64, out: &mut String) {
    let _ = write!(
        out,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"{TEXT}\"/>",
        n(left),
        n(WIDTH),
        b = n(bottom)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// T35: marks ≥ 3:1 and text ≥ 4.5:1 against the white background; white labels on
    /// stacked segments ≥ 4.5:1 against every series colour.
    #[test]
    fn palette_contrast() {
        for c in PALETTE.iter().chain([&ACCENT]) {
            assert!(
                contrast(c, "#ffffff") >= 4.5,
                "{c}: {}",
                contrast(c, "#ffffff")
            );
        }
        for t in [TEXT, MUTED] {
            assert!(contrast(t, "#ffffff") >= 4.5, "{t}");
        }
    }

    #[test]
    fn round_ticks() {
        assert_eq!(ticks(9.0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(30.0), vec![0.0, 10.0, 20.0, 30.0]);
        assert_eq!(ticks(3.0), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(1234.0), vec![0.0, 500.0, 1000.0, 1500.0]);
    }
}
