//! Name twins: two inputs whose paths under `content/` differ only by letter case or by
//! Unicode normalisation (`Canción.md` beside `canción.md`, or a composed `ó` beside a
//! decomposed `o` + U+0301). They are two files here, but one file on a case-insensitive
//! or normalising file system (macOS, Windows, and their clones and hosts), so a copy of
//! the site there would silently keep only one of them. Both are named in the error.

use super::Project;
use crate::diag::{Diagnostic, Problem, display_path};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One error for each input whose path is a twin of an earlier one (in sorted order),
/// naming both: bulletins, pages, assets (`imagenes/` and files beside bundles) and data.
pub fn check(project: &Project) -> Vec<Diagnostic> {
    let inputs = [
        &project.bulletins,
        &project.pages,
        &project.assets,
        &project.data,
    ];
    let mut paths: Vec<&PathBuf> = inputs.into_iter().flatten().collect();
    paths.sort();
    let mut first: HashMap<String, &PathBuf> = HashMap::with_capacity(paths.len());
    let mut diags = Vec::new();
    for path in paths {
        match first.entry(key(path)) {
            std::collections::hash_map::Entry::Occupied(other) => diags.push(Diagnostic::in_file(
                path,
                Problem::NameTwin {
                    other: display_path(other.get()),
                },
            )),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(path);
            }
        }
    }
    diags
}

/// The name a case-insensitive, normalising file system sees: lowercase, then NFC (in
/// that order: lowercasing can decompose, as `İ` becomes `i` + U+0307).
fn key(path: &Path) -> String {
    let lower = path.to_string_lossy().to_lowercase();
    crate::source::nfc(&lower).unwrap_or(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(bulletins: &[&str], assets: &[&str], data: &[&str]) -> Project {
        let paths = |v: &[&str]| v.iter().map(PathBuf::from).collect();
        Project {
            bulletins: paths(bulletins),
            assets: paths(assets),
            data: paths(data),
            ..Project::default()
        }
    }

    fn found(p: &Project) -> Vec<(String, String)> {
        check(p)
            .into_iter()
            .map(|d| match *d.problem {
                Problem::NameTwin { other } => (display_path(&d.file), other),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn case_and_normalisation_twins_are_found_and_name_each_other() {
        let p = project(
            &[
                "content/boletines/Canción.md",
                "content/boletines/cancio\u{301}n.md",
            ],
            &[
                "content/imagenes/Foto.JPG",
                "content/imagenes/foto.jpg",
                "content/imagenes/fotos/foto.jpg",
            ],
            &["content/datos/Barrios.yaml", "content/datos/barrios.yaml"],
        );
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            found(&p),
            [
                pair(
                    "content/boletines/cancio\u{301}n.md",
                    "content/boletines/Canción.md"
                ),
                pair("content/datos/barrios.yaml", "content/datos/Barrios.yaml"),
                pair("content/imagenes/foto.jpg", "content/imagenes/Foto.JPG"),
            ]
        );
    }

    #[test]
    fn different_names_and_folders_are_not_twins() {
        let p = project(
            &["content/boletines/a.md", "content/boletines/a/index.md"],
            &["content/imagenes/a.md", "content/imagenes/b/a.jpg"],
            &["content/datos/a.yaml", "content/datos/a.csv"],
        );
        assert!(check(&p).is_empty());
    }
}
