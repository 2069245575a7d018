//! Finds the files of a site: content, images and theme files, in sorted order. No parsing.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The files of a site, relative to its root, sorted.
#[derive(Debug, Default, Clone)]
pub struct Project {
    /// The site root.
    pub root: PathBuf,
    /// `content/boletines/*.md` and `content/boletines/<slug>/index.md`.
    pub bulletins: Vec<PathBuf>,
    /// `content/paginas/*.md`.
    pub pages: Vec<PathBuf>,
    /// Files copied as they are: `content/imagenes/**` and files beside bundle `index.md`s.
    pub assets: Vec<PathBuf>,
}

/// Walks `root/content`. Hidden files and folders (`.git`, `.DS_Store`) are skipped.
pub fn discover(root: &Path) -> Project {
    let mut project = Project {
        root: root.to_path_buf(),
        ..Project::default()
    };
    let boletines = Path::new("content/boletines");
    for rel in walk(root, boletines) {
        let depth = rel
            .strip_prefix(boletines)
            .map_or(0, |p| p.components().count());
        let is_md = rel.extension().is_some_and(|e| e == "md");
        match (depth, is_md) {
            (1, true) => project.bulletins.push(rel),
            (2, true) if rel.file_name().is_some_and(|n| n == "index.md") => {
                project.bulletins.push(rel)
            }
            (_, false) => project.assets.push(rel),
            _ => {}
        }
    }
    project.pages = walk(root, Path::new("content/paginas"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    project
        .assets
        .extend(walk(root, Path::new("content/imagenes")));
    project.assets.sort();
    project
}

/// Every regular file below `root/dir`, relative to `root`, sorted; symlinks are not followed.
pub fn walk(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(root.join(dir))
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}
