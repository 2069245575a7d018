//! Unique heading ids: the first heading with a base id takes it, the next ones `-2`, `-3`…
//!
//! Each heading takes the first of `base`, `base-2`, `base-3`… that no earlier heading took
//! and that is not a theme id. That rule is kept exactly (anchors in published pages must
//! not move), but the search starts where the last one for the same base stopped: ids are
//! only ever added, so a candidate refused once stays refused. Scanning a list from `-2`
//! each time made 8,000 equal headings take minutes (cubic in the repeats).

use std::collections::{HashMap, HashSet};

/// Added to a base whose every numbered form is a theme id (`nota` → `nota-2` is a note's
/// id), so that its repeats still find an id.
const THEME_SUFFIX: &str = "seccion";

/// The ids given so far in one body, in order, and where each base's search goes on.
#[derive(Debug, Default)]
pub struct HeadingIds {
    order: Vec<String>,
    taken: HashSet<String>,
    /// For each base, the suffix number to try next (1 stands for the bare base).
    next: HashMap<String, usize>,
}

impl HeadingIds {
    /// The id for a heading whose text or `{#id}` gives `base`; it is taken from now on.
    pub fn take(&mut self, base: String) -> String {
        let base = if self.endless(&base) {
            format!("{base}-{THEME_SUFFIX}")
        } else {
            base
        };
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        let mut id = candidate(&base, n);
        while self.taken.contains(&id) || is_theme_id(&id) {
            n += 1;
            id = candidate(&base, n);
        }
        self.next.insert(base, n + 1);
        self.taken.insert(id.clone());
        self.order.push(id.clone());
        id
    }

    /// True when `base` is refused and so is every `base-N` (all theme ids): the search
    /// would never end (it did not, before: two headings «Nota» hung the build).
    fn endless(&self, base: &str) -> bool {
        (self.taken.contains(base) || is_theme_id(base)) && is_theme_id(&candidate(base, 2))
    }

    /// The ids in the order the headings came.
    pub fn into_vec(self) -> Vec<String> {
        self.order
    }
}

/// A heading id that starts with a letter: `2016-2017` becomes `seccion-2016-2017` (an id
/// that starts with a digit needs escaping in CSS selectors and `querySelector`). `@/…#2016`
/// links written before are mapped the same way, so they keep working.
pub fn readable(base: String) -> String {
    if base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{THEME_SUFFIX}-{base}")
    } else {
        base
    }
}

/// The `n`th id tried for `base`: the base itself, then `base-2`, `base-3`…
fn candidate(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}-{n}")
    }
}

/// Ids the renderer or the theme already use on every page (`<main id="contenido">`, the
/// notes); a heading never takes one of them.
pub fn is_theme_id(id: &str) -> bool {
    let numbered = |prefix: &str| {
        id.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
    };
    id == "contenido" || id == "notas-titulo" || numbered("nota-") || numbered("ref-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_start_with_a_letter() {
        assert_eq!(readable("2016-2017".into()), "seccion-2016-2017");
        assert_eq!(readable("metas-2018".into()), "metas-2018");
        let mut ids = HeadingIds::default();
        assert_eq!(ids.take(readable("2018".into())), "seccion-2018");
        assert_eq!(ids.take(readable("2018".into())), "seccion-2018-2");
    }

    /// The de-duplication as it was before the counters (quadratic per heading, and endless
    /// for the bases [`HeadingIds`] gives a suffix): the reference the new one must match.
    fn plain_twin(bases: &[&str]) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for base in bases {
            let mut unique = base.to_string();
            let mut n = 1;
            while ids.contains(&unique) || is_theme_id(&unique) {
                n += 1;
                unique = format!("{base}-{n}");
            }
            ids.push(unique);
        }
        ids
    }

    fn new_ids(bases: &[&str]) -> Vec<String> {
        let mut ids = HeadingIds::default();
        for base in bases {
            ids.take(base.to_string());
        }
        ids.into_vec()
    }

    #[test]
    fn repeated_headings_get_the_same_ids_as_the_plain_scan() {
        let pieces = [
            "a",
            "a-1",
            "a-2",
            "a-3",
            "a-2-2",
            "a-10",
            "b",
            "b-2",
            "seccion",
            "seccion-2",
            "contenido",
            "contenido-2",
            "notas-titulo",
            "notas",
            "nota-x",
            "ref-a",
            "referencias",
        ];
        assert_eq!(new_ids(&["a", "a", "a-1"]), plain_twin(&["a", "a", "a-1"]));
        assert_eq!(new_ids(&["a", "a", "a-1"]), ["a", "a-2", "a-1"]);
        assert_eq!(new_ids(&["a-2", "a", "a"]), ["a-2", "a", "a-3"]);
        let mut seed = 7u32;
        for len in 0..400 {
            let bases: Vec<&str> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    // Few pieces at a time, so that they collide often.
                    pieces[(seed >> 16) as usize % (3 + len % (pieces.len() - 2))]
                })
                .collect();
            assert_eq!(new_ids(&bases), plain_twin(&bases), "{bases:?}");
        }
    }

    #[test]
    fn twenty_thousand_equal_headings_are_numbered_in_linear_time() {
        let bases = vec!["avance"; 20_000];
        let ids = new_ids(&bases);
        assert_eq!(ids[0], "avance");
        assert_eq!(ids[1], "avance-2");
        assert_eq!(ids[19_999], "avance-20000");
        let mut interleaved = Vec::new();
        for i in 0..5_000 {
            interleaved.extend(["a", "a-2"]);
            if i % 2 == 0 {
                interleaved.push("a-3");
            }
        }
        let ids = new_ids(&interleaved);
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn headings_whose_numbered_ids_are_all_theme_ids_end() {
        assert_eq!(
            new_ids(&["nota", "nota", "nota", "nota-1", "ref", "ref", "ref-2"]),
            [
                "nota",
                "nota-seccion",
                "nota-seccion-2",
                "nota-1-seccion",
                "ref",
                "ref-seccion",
                "ref-2-seccion"
            ]
        );
    }
}
