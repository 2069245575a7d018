//! The map's path data: shapes projected onto a grid, simplified without tearing borders
//! apart, written with relative commands.
//!
//! Simplification is Douglas–Peucker with a stated tolerance (in viewBox units), run on
//! *arcs*: a point stays fixed where the set of rings that pass through it changes (where
//! three territories meet, where a shared border reaches the coast), and each stretch between
//! fixed points is simplified on its own, always in the same direction (from the smaller
//! end point). Two neighbours share the points of their border, so they get the same stretch
//! and the same result: no gap, no overlap. A ring no other ring touches keeps its first
//! point and the one farthest from it.

use std::collections::HashMap;
use std::fmt::Write;

/// A point on the grid: tenths of a viewBox unit (whole units for locator maps).
type Cell = (i64, i64);

/// The rings of every shape, as drawn: `rings[s]` are shape `s`'s rings (polygons and
/// holes alike, each closed by `Z`).
pub struct Projected {
    /// Shape → rings → grid points (consecutive repeats removed).
    pub rings: Vec<Vec<Vec<Cell>>>,
    /// Grid cells per viewBox unit.
    pub per_unit: i64,
}

impl Projected {
    /// Projects every ring onto a grid of `per_unit` cells per unit.
    pub fn new(shapes: &[Vec<Vec<(f64, f64)>>], per_unit: i64) -> Self {
        let g = per_unit as f64;
        let rings = shapes
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| {
                        let mut cells: Vec<Cell> = Vec::with_capacity(ring.len());
                        for (x, y) in ring {
                            let c = ((x * g).round() as i64, (y * g).round() as i64);
                            if cells.last() != Some(&c) {
                                cells.push(c);
                            }
                        }
                        if cells.len() > 1 && cells.first() == cells.last() {
                            cells.pop();
                        }
                        cells
                    })
                    .collect()
            })
            .collect();
        Projected { rings, per_unit }
    }

    /// Simplifies every ring with `tolerance` viewBox units, shared borders alike.
    pub fn simplify(&mut self, tolerance: f64) {
        let tol = tolerance * self.per_unit as f64;
        let mut through: HashMap<Cell, Vec<usize>> = HashMap::new();
        let mut id = 0;
        for rings in &self.rings {
            for ring in rings {
                for c in ring {
                    let list = through.entry(*c).or_default();
                    if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
                id += 1;
            }
        }
        for rings in &mut self.rings {
            for ring in rings.iter_mut() {
                *ring = simplify_ring(ring, &through, tol);
            }
        }
    }

    /// Shape `s`'s path data: `M` to each ring's first point, then `l` with relative steps.
    pub fn path(&self, s: usize) -> String {
        let mut d = String::new();
        for ring in &self.rings[s] {
            let Some(first) = ring.first() else { continue };
            d.push('M');
            push_pair(&mut d, first.0, first.1, self.per_unit, false);
            d.push('l');
            let mut at = *first;
            let mut started = false;
            for c in &ring[1..] {
                push_pair(&mut d, c.0 - at.0, c.1 - at.1, self.per_unit, started);
                started = true;
                at = *c;
            }
            if !started {
                d.pop();
            }
            d.push('z');
        }
        d
    }
}

fn simplify_ring(ring: &[Cell], through: &HashMap<Cell, Vec<usize>>, tol: f64) -> Vec<Cell> {
    let n = ring.len();
    if n < 4 {
        return ring.to_vec();
    }
    let set = |i: usize| through.get(&ring[i % n]);
    let mut fixed: Vec<usize> = (0..n)
        .filter(|&i| set(i) != set(i + n - 1) || set(i) != set(i + 1))
        .collect();
    if fixed.is_empty() {
        let far = (1..n)
            .max_by_key(|&i| dist2(ring[0], ring[i]))
            .unwrap_or(n / 2);
        fixed = vec![0, far];
    } else if fixed.len() == 1 {
        let at = fixed[0];
        fixed.push((at + n / 2) % n);
        fixed.sort_unstable();
    }
    let mut out = Vec::with_capacity(n / 4);
    for (k, &from) in fixed.iter().enumerate() {
        let to = fixed.get(k + 1).copied().unwrap_or(fixed[0] + n);
        let stretch: Vec<Cell> = (from..=to).map(|i| ring[i % n]).collect();
        let kept = canonical_dp(&stretch, tol);
        out.extend_from_slice(&kept[..kept.len() - 1]);
    }
    out
}

/// Douglas–Peucker on a stretch, always run from its smaller end so that the same stretch
/// walked the other way (the neighbour's side of a border) keeps the same points.
fn canonical_dp(stretch: &[Cell], tol: f64) -> Vec<Cell> {
    let reversed = stretch.last() < stretch.first();
    let mut pts = stretch.to_vec();
    if reversed {
        pts.reverse();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let mut best = (0.0, 0);
        for i in a + 1..b {
            let d = line_dist(pts[a], pts[b], pts[i]);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tol {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    let mut out: Vec<Cell> = pts
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect();
    if reversed {
        out.reverse();
    }
    out
}

fn dist2(a: Cell, b: Cell) -> i64 {
    (a.0 - b.0).pow(2) + (a.1 - b.1).pow(2)
}

/// Distance from `p` to the segment `a`–`b`.
fn line_dist(a: Cell, b: Cell, p: Cell) -> f64 {
    let (ax, ay, bx, by, px, py) = (
        a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64, p.0 as f64, p.1 as f64,
    );
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return ((px - ax).powi(2) + (py - ay).powi(2)).sqrt();
    }
    let t = (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0);
    ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt()
}

/// Appends `x,y` in grid cells as viewBox units: as short as SVG allows (`.5`, `-3`), a
/// minus sign standing for the separator, a space between pairs otherwise.
fn push_pair(d: &mut String, x: i64, y: i64, per_unit: i64, separate: bool) {
    let xs = number(x, per_unit);
    if separate && !xs.starts_with('-') {
        d.push(' ');
    }
    d.push_str(&xs);
    let ys = number(y, per_unit);
    if !ys.starts_with('-') {
        d.push(',');
    }
    d.push_str(&ys);
}

fn number(v: i64, per_unit: i64) -> String {
    if per_unit == 1 || v % per_unit == 0 {
        return (v / per_unit).to_string();
    }
    let mut s = String::new();
    let sign = if v < 0 { "-" } else { "" };
    let (whole, part) = (v.abs() / per_unit, v.abs() % per_unit);
    let _ = write!(s, "{sign}");
    if whole > 0 {
        let _ = write!(s, "{whole}");
    }
    let digits = format!("{part:0width$}", width = (per_unit as f64).log10() as usize);
    s.push('.');
    s.push_str(digits.trim_end_matches('0'));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares sharing a wavy border: after simplifying, the border's points are the
    /// same in both, in reverse order.
    #[test]
    fn neighbours_keep_one_border() {
        let border: Vec<(f64, f64)> = (0..=20)
            .map(|i| (10.0 + 0.01 * f64::from(i % 3), f64::from(i)))
            .collect();
        let mut left = vec![(0.0, 0.0)];
        left.extend(border.iter().copied());
        left.push((0.0, 20.0));
        let mut right: Vec<(f64, f64)> = border.iter().rev().copied().collect();
        right.push((20.0, 0.0));
        right.insert(0, (20.0, 20.0));
        let mut p = Projected::new(&[vec![left], vec![right]], 10);
        p.simplify(0.5);
        let l: Vec<Cell> = p.rings[0][0].iter().filter(|c| c.0 > 50).copied().collect();
        let mut r: Vec<Cell> = p.rings[1][0]
            .iter()
            .filter(|c| c.0 < 150)
            .copied()
            .collect();
        r.reverse();
        assert_eq!(l, r);
        assert!(l.len() < 21, "the wavy border was simplified: {l:?}");
        assert!(
            l.contains(&(100, 0)) && l.contains(&(100, 200)),
            "its ends stay"
        );
    }

    #[test]
    fn paths_are_relative_and_short() {
        let p = Projected::new(
            &[vec![vec![(1.0, 1.0), (2.5, 1.0), (2.5, 0.5), (1.0, 1.0)]]],
            10,
        );
        assert_eq!(p.path(0), "M1,1l1.5,0 0-.5z");
        assert_eq!(number(-15, 10), "-1.5");
        assert_eq!(number(5, 10), ".5");
        assert_eq!(number(30, 10), "3");
    }
}
