//! Finds the files of a site: content, images and theme files, in sorted order. No parsing.

use std::path::{Path, PathBuf};

pub mod twins;

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
    /// The files of `content/datos/` (read by the data step; listed here for [`twins`]).
    pub data: Vec<PathBuf>,
}

/// Walks `root/content` and `root/themes` and sorts what it finds into a [`Project`].
pub fn discover(root: &Path) -> Project {
    // A folder that cannot be read holds nothing to build; `content/` missing is reported
    // by the configuration's loading.
    let listed = list_site(root, Listing::SKIP_UNREADABLE).unwrap_or_default();
    from_listing(root, listed.iter().map(|l| (l.path.as_path(), l.kind)))
}

/// Every entry under `root/content` and `root/themes` (see [`list_tree`]), paths relative
/// to `root`; a folder that is not there lists nothing.
pub fn list_site(root: &Path, how: Listing) -> std::io::Result<Vec<Listed>> {
    let mut listed = Vec::new();
    for top in ["content", "themes"] {
        let dir = root.join(top);
        if dir.exists() {
            list_tree(&dir, Path::new(top), how, &mut listed)?;
        }
    }
    Ok(listed)
}

/// What a folder listing says an entry is (without following links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A symbolic link.
    Link,
    /// Anything else (a socket, a pipe): never read.
    Other,
}

/// An entry found by [`list_tree`].
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its path, relative to the site's root.
    pub path: PathBuf,
    /// Its size, when asked for.
    pub len: u64,
    /// What it is.
    pub kind: Kind,
}

/// How [`list_tree`] lists.
#[derive(Debug, Clone, Copy)]
pub struct Listing {
    /// Each file's size too.
    pub sizes: bool,
    /// A folder or entry that cannot be read is left out, instead of failing the listing.
    pub skip_unreadable: bool,
}

impl Listing {
    /// A listing for a record: every entry or an error.
    pub const COMPLETE: Listing = Listing {
        sizes: false,
        skip_unreadable: false,
    };
    /// A listing to build from: what can be read.
    pub const SKIP_UNREADABLE: Listing = Listing {
        sizes: false,
        skip_unreadable: true,
    };
}

/// Every entry below `dir` (whose path relative to the root is `rel`) that is not a
/// folder, hidden ones too, depth first with siblings sorted by name. Kinds come from the
/// folder listing, sizes from the entry: no path is looked up again from the root (that is
/// most of the time at 10,000 files).
pub fn list_tree(
    dir: &Path,
    rel: &Path,
    how: Listing,
    out: &mut Vec<Listed>,
) -> std::io::Result<()> {
    let skip = |r: std::io::Result<()>| match r {
        Err(_) if how.skip_unreadable => Ok(()),
        r => r,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return skip(Err(e)),
    };
    // Each entry's path is made once and sorted as a string: the paths share `rel/`, so
    // that is the names' order. (Sorting by `DirEntry::file_name` copied two names per
    // comparison, and `Path`'s own comparison parses components: each took longer than the
    // rest of this walk at 10,000 bulletins.)
    let mut listed = Vec::new();
    for e in entries {
        match e {
            Ok(e) => listed.push((rel.join(e.file_name()), e)),
            Err(e) => skip(Err(e))?,
        }
    }
    listed.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    for (path, e) in listed {
        let kind = match e.file_type() {
            Ok(kind) => kind,
            Err(e) => {
                skip(Err(e))?;
                continue;
            }
        };
        if kind.is_dir() {
            skip(list_tree(&e.path(), &path, how, out))?;
            continue;
        }
        let len = match how.sizes.then(|| e.metadata()).transpose() {
            Ok(meta) => meta.map_or(0, |m| m.len()),
            Err(e) => {
                skip(Err(e))?;
                continue;
            }
        };
        let kind = if kind.is_symlink() {
            Kind::Link
        } else if kind.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        out.push(Listed { path, len, kind });
    }
    Ok(())
}

/// The project in a listing of `content/` and `themes/` made by [`list_tree`]: the one
/// `fresh::check` makes before a build, so that the build reads exactly the files that were
/// listed for its record (a second walk could see a file the record does not hold).
///
/// Bulletins are `content/boletines/*.md` and `content/boletines/*/index.md`; pages, the
/// `.md` files under `content/paginas/`; assets, the other files under `content/boletines/`
/// and every file under `content/imagenes/`; data, the files under `content/datos/`. Links are refused anywhere under those folders,
/// `content/datos/` and `themes/`, and directly in `content/`. Hidden entries (`.git`,
/// `.DS_Store`, anything below a hidden folder) are skipped, save a link directly in
/// `content/`.
pub fn from_listing<'a>(root: &Path, listed: impl Iterator<Item = (&'a Path, Kind)>) -> Project {
    let mut project = Project {
        root: root.to_path_buf(),
        ..Project::default()
    };
    // Paths are read as bytes split at the separator: `Path`'s components cost more than
    // the walk that found them, at 10,000 bulletins.
    const SEP: u8 = std::path::MAIN_SEPARATOR as u8;
    for (path, kind) in listed {
        let bytes = path.as_os_str().as_encoded_bytes();
        let Some(in_content) = bytes
            .strip_prefix(b"content")
            .and_then(|r| r.strip_prefix(&[SEP]))
        else {
            // `themes/`: only its links matter here; the theme is read by its own step.
            let in_themes = bytes.strip_prefix(b"themes").unwrap_or(bytes);
            if kind == Kind::Link && !is_hidden(in_themes) {
                project.symlinks.push(path.to_path_buf());
            }
            continue;
        };
        let Some(cut) = in_content.iter().position(|&b| b == SEP) else {
            // Directly in `content/` (`sitio.yaml`): only a link is looked at.
            if kind == Kind::Link {
                project.symlinks.push(path.to_path_buf());
            }
            continue;
        };
        let (folder, rest) = (&in_content[..cut], &in_content[cut + 1..]);
        let known = [&b"boletines"[..], b"paginas", b"imagenes", b"datos"];
        if !known.contains(&folder) || is_hidden(rest) {
            continue;
        }
        match (kind, folder) {
            (Kind::Link, _) => project.symlinks.push(path.to_path_buf()),
            (Kind::File, b"boletines") => {
                let depth = 1 + rest.iter().filter(|&&b| b == SEP).count();
                let index = rest.strip_suffix(b"index.md");
                match (depth, rest.ends_with(b".md")) {
                    (1, true) => project.bulletins.push(path.to_path_buf()),
                    (2, true) if index.is_some_and(|r| r.last() == Some(&SEP)) => {
                        project.bulletins.push(path.to_path_buf())
                    }
                    (_, false) => project.assets.push(path.to_path_buf()),
                    _ => {}
                }
            }
            (Kind::File, b"paginas") if rest.ends_with(b".md") => {
                project.pages.push(path.to_path_buf())
            }
            (Kind::File, b"imagenes") => project.assets.push(path.to_path_buf()),
            (Kind::File, b"datos") => project.data.push(path.to_path_buf()),
            _ => {}
        }
    }
    project.symlinks.sort();
    project.assets.sort();
    project.data.sort();
    project
}

/// True when a component of `rel` (bytes of a path) is hidden: starts with `.`.
fn is_hidden(rel: &[u8]) -> bool {
    const SEP: u8 = std::path::MAIN_SEPARATOR as u8;
    rel.first() == Some(&b'.') || rel.windows(2).any(|w| w == [SEP, b'.'])
}

/// Every regular file below `root/dir`, relative to `root`, sorted; symbolic links are not
/// followed (a build refuses them: see [`from_listing`]) and hidden files and folders (`.x`)
/// are skipped. For the data and the theme, which their own steps read.
///
/// A plain `read_dir` walk: `serve` lists the whole site on every rebuild, and this takes a
/// third of walkdir's time on 10,000 files.
pub fn walk(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    visit(&root.join(dir), dir, &mut files);
    // Sorted siblings, depth first: already the order of `Path`'s `Ord`.
    debug_assert!(files.is_sorted());
    files
}

fn visit(abs: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
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
            visit(&abs.join(&name), &rel.join(&name), out);
        } else if kind.is_file() {
            out.push(rel.join(&name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is a bulletin, a page, an asset or a refused link, and what is skipped: the
    /// same from the build's own walk and from the listing the record was made from.
    #[test]
    fn a_listing_sorts_into_bulletins_pages_assets_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            "content/sitio.yaml",
            "content/boletines/a.md",
            "content/boletines/.oculto.md",
            "content/boletines/.git/x.md",
            "content/boletines/b/index.md",
            "content/boletines/b/foto.jpg",
            "content/boletines/b/otro.md",
            "content/boletines/c/d/e.md",
            "content/boletines/c/d/f.png",
            "content/boletines/z.md",
            "content/paginas/acerca.md",
            "content/paginas/sub/x.md",
            "content/paginas/x.txt",
            "content/imagenes/a.png",
            "content/imagenes/.DS_Store",
            "content/datos/x.yaml",
            "content/otros/y.md",
            "themes/t/templates/base.html",
        ];
        for f in files {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let links = [
            "content/boletines/l.md",
            "content/.enlace",
            "content/otros/enlace",
            "content/datos/l.yaml",
            "content/imagenes/.l",
            "themes/t/templates/l.html",
            "themes/.oculto/l",
        ];
        for l in links {
            let path = root.join(l);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", path).unwrap();
        }
        let paths = |v: &[PathBuf]| -> Vec<String> {
            v.iter().map(|p| p.to_string_lossy().into_owned()).collect()
        };
        let check = |p: &Project| {
            assert_eq!(
                paths(&p.bulletins),
                [
                    "content/boletines/a.md",
                    "content/boletines/b/index.md",
                    "content/boletines/z.md"
                ]
            );
            assert_eq!(
                paths(&p.pages),
                ["content/paginas/acerca.md", "content/paginas/sub/x.md"]
            );
            assert_eq!(
                paths(&p.assets),
                [
                    "content/boletines/b/foto.jpg",
                    "content/boletines/c/d/f.png",
                    "content/imagenes/a.png"
                ]
            );
            assert_eq!(paths(&p.data), ["content/datos/x.yaml"]);
            assert_eq!(
                paths(&p.symlinks),
                [
                    "content/.enlace",
                    "content/boletines/l.md",
                    "content/datos/l.yaml",
                    "themes/t/templates/l.html"
                ]
            );
        };
        check(&discover(root));
        let listed = list_site(root, Listing::COMPLETE).unwrap();
        check(&from_listing(
            root,
            listed.iter().map(|l| (l.path.as_path(), l.kind)),
        ));
    }
}
