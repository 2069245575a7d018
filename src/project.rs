//! Finds the files of a site: content, images and theme files, in sorted order. No parsing.

use std::path::{Path, PathBuf};

/// The files of a site, relative to its root, sorted.
#[derive(Debug, Default, Clone)]
pub struct Project {
    /// The site root.
    pub root: PathBuf,
    /// `content/boletines/*.md` and `content/boletines/<slug>/index.md`.
    pub bulletins: Vec<PathBuf>,
    /// Symbolic links anywhere under `content/` or `themes/`: refused.
    pub symlinks: Vec<PathBuf>,
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
    let (files, links) = walk_with_links(root, boletines);
    project.symlinks.extend(links);
    for rel in files {
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
    let (pages, links) = walk_with_links(root, Path::new("content/paginas"));
    project.symlinks.extend(links);
    project.pages = pages
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let (images, links) = walk_with_links(root, Path::new("content/imagenes"));
    project.symlinks.extend(links);
    project.assets.extend(images);
    // Data and themes are read by their own steps; here only their links are looked for.
    for dir in ["content/datos", "themes"] {
        project
            .symlinks
            .extend(walk_with_links(root, Path::new(dir)).1);
    }
    if let Ok(entries) = std::fs::read_dir(root.join("content")) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_symlink()) {
                project
                    .symlinks
                    .push(Path::new("content").join(e.file_name()));
            }
        }
    }
    project.symlinks.sort();
    project.assets.sort();
    project
}

/// Every regular file below `root/dir`, relative to `root`, sorted; symlinks are not followed
/// (see [`walk_with_links`]) and hidden files and folders (`.x`) are skipped.
pub fn walk(root: &Path, dir: &Path) -> Vec<PathBuf> {
    walk_with_links(root, dir).0
}

/// Like [`walk`], and also the symbolic links found, which a build refuses: following them
/// could publish a file from outside the site (`content/x -> /etc`).
///
/// A plain `read_dir` walk: `serve` lists the whole site on every rebuild, and this takes a
/// third of walkdir's time on 10,000 files.
pub fn walk_with_links(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut links = Vec::new();
    visit(&root.join(dir), dir, &mut files, &mut links);
    // Sorted siblings, depth first: already the order of `Path`'s `Ord`.
    debug_assert!(files.is_sorted());
    (files, links)
}

fn visit(abs: &Path, rel: &Path, out: &mut Vec<PathBuf>, links: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(abs) else {
        return;
    };
    let mut entries: Vec<(std::ffi::OsString, std::fs::FileType)> = entries
        .flatten()
        .filter_map(|e| Some((e.file_name(), e.file_type().ok()?)))
        .filter(|(name, _)| !name.as_encoded_bytes().starts_with(b"."))
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in entries {
        if kind.is_dir() {
            visit(&abs.join(&name), &rel.join(&name), out, links);
        } else if kind.is_file() {
            out.push(rel.join(&name));
        } else if kind.is_symlink() {
            links.push(rel.join(&name));
        }
    }
}
