//! "Nothing changed": a build records what it was made from and what it wrote (in
//! `.boletin/` beside `content/`, [`crate::state::dir`], never inside the published
//! folder), and the
//! next build, when the program, its options and every input file are the same, the output
//! folder still holds what was written, and the clock has not passed a moment that changes
//! what is published (an embargo's end, or midnight in the site's time zone), leaves the
//! output as it is instead of making the same bytes again — as `make` and Cargo do.
//!
//! Inputs are compared by content (every file under `content/` and `themes/` up to 1 MiB,
//! which is every text file) or, for larger files such as photos, by size and modification
//! time. The program is compared by its executable's size and time, so a new version of
//! boletin always builds in full. A build with warnings records nothing: its warnings must
//! be shown again.

use crate::options::BuildOptions;
use crate::project::{Kind, Listed, Listing, list_tree};
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The record, in the site's state folder for this output ([`crate::state::dir`]).
pub const STAMP: &str = "estado";

/// Files larger than this are compared by size and time, not read.
const READ_LIMIT: u64 = 1 << 20;

/// What a successful build was made from and what it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Hash of the program, the options and every input file.
    pub inputs: u64,
    /// The instants between which the same inputs give this site (seconds; the first
    /// rounded up, the second down, so a fraction of a second never counts as inside).
    pub from: Option<i64>,
    /// See `from`.
    pub until: Option<i64>,
    /// Files in the output folder, and their total size (the stamp itself excluded).
    pub files: (u64, u64),
    /// Bulletins, pages and files published, for the summary line.
    pub published: (usize, usize, usize),
    /// The next embargo to end (seconds) and the titles it publishes, for the line «próximo
    /// cambio» of a build that finds nothing changed and reads no document.
    pub next: Option<(i64, Vec<String>)>,
}

impl Stamp {
    /// True when `now` is inside the instants this site is right for.
    fn holds_at(&self, now: jiff::Timestamp) -> bool {
        let now = now.as_second();
        self.from.is_none_or(|f| f <= now) && self.until.is_none_or(|u| now < u)
    }

    fn to_text(&self) -> String {
        let text = |t: Option<i64>| t.map_or_else(|| "-".to_string(), |s| s.to_string());
        let (from, until) = (text(self.from), text(self.until));
        // The titles as one JSON line: any character a title holds stays on it.
        let next = self.next.as_ref().map_or_else(
            || "-".to_string(),
            |(at, titles)| format!("{at} {}", serde_json::Value::from(titles.clone())),
        );
        format!(
            "boletin-estado 3\nentradas {:016x}\ndesde {from}\nhasta {until}\narchivos {} {}\npublicado {} {} {}\nproximo {next}\n",
            self.inputs,
            self.files.0,
            self.files.1,
            self.published.0,
            self.published.1,
            self.published.2
        )
    }

    fn parse(text: &str) -> Option<Stamp> {
        let mut lines = text.lines();
        if lines.next()? != "boletin-estado 3" {
            return None;
        }
        let mut field = |name: &str| -> Option<Vec<String>> {
            let line = lines.next()?;
            let rest = line.strip_prefix(name)?.strip_prefix(' ')?;
            Some(rest.split(' ').map(str::to_string).collect())
        };
        let inputs = u64::from_str_radix(field("entradas")?.first()?, 16).ok()?;
        let mut instant = |name: &str| -> Option<Option<i64>> {
            match field(name)?.first()?.as_str() {
                "-" => Some(None),
                s => Some(Some(s.parse().ok()?)),
            }
        };
        let from = instant("desde")?;
        let until = instant("hasta")?;
        let files = field("archivos")?;
        let published = field("publicado")?;
        let next = match field("proximo")?.join(" ").as_str() {
            "-" => None,
            text => {
                let (at, titles) = text.split_once(' ')?;
                Some((at.parse().ok()?, serde_json::from_str(titles).ok()?))
            }
        };
        Some(Stamp {
            inputs,
            from,
            until,
            files: (files.first()?.parse().ok()?, files.get(1)?.parse().ok()?),
            published: (
                published.first()?.parse().ok()?,
                published.get(1)?.parse().ok()?,
                published.get(2)?.parse().ok()?,
            ),
            next,
        })
    }
}

/// What a build reads, being hashed: the program, the options and the list of input files,
/// each with its key once known. A key may be left for the build to supply (see
/// [`Inputs::finish`]).
pub struct Inputs {
    /// The hash of the program and the options.
    head: u64,
    root: PathBuf,
    files: Vec<Listed>,
    keys: Vec<Option<u64>>,
}

/// Lists and hashes the inputs: the program (executable size and time), the options and
/// every file under `content/` and `themes/`. With `leave_texts`, Markdown files under
/// `content/` are not read here: the build reads them anyway, and [`Inputs::finish`] hashes
/// the very bytes it read (a file edited mid-build is then recorded as it was built).
/// `None` when something cannot be read (then the build runs and reports it).
pub fn list_inputs(options: &BuildOptions, leave_texts: bool) -> Option<Inputs> {
    let mut head = xxhash_rust::xxh3::Xxh3Default::new();
    // The program by its size and time: any new build or install of it has another time.
    let exe = fs::metadata(std::env::current_exe().ok()?).ok()?;
    (exe.len(), exe.modified().ok()?).hash(&mut head);
    // Not the folders' paths: the same inputs give the same site wherever they are.
    let root = options.root.canonicalize().ok()?;
    (&options.base_url, options.drafts).hash(&mut head);
    let files = crate::project::list_site(&root, Listing::COMPLETE).ok()?;
    use rayon::prelude::*;
    let keys = files
        .par_iter()
        .map(|f| {
            if leave_texts && is_text(f) {
                Some(None)
            } else {
                file_key(&root, f).map(Some)
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Inputs {
        head: head.finish(),
        root,
        files,
        keys,
    })
}

/// A Markdown file under `content/` (not a link): one the build reads itself.
fn is_text(f: &Listed) -> bool {
    f.kind != Kind::Link
        && f.path.starts_with("content")
        && f.path.extension().is_some_and(|e| e == "md")
}

impl Inputs {
    /// The entries listed under `content/` and `themes/`, for the build to find its files
    /// in (see [`crate::project::from_listing`]).
    pub fn listed(&self) -> impl Iterator<Item = (&Path, Kind)> {
        self.files.iter().map(|f| (f.path.as_path(), f.kind))
    }

    /// The hash of all inputs. Keys left for the build come from `read` (the [`read_key`]
    /// of what the build read, by path relative to the root); a file the build did not read
    /// is read now.
    pub fn finish(self, read: &dyn Fn(&Path) -> Option<u64>) -> Option<u64> {
        self.hash(|file, key| {
            key.or_else(|| read(&file.path))
                .or_else(|| file_key(&self.root, file))
        })
    }

    /// The hash of all inputs when every key is known (listed without leaving texts).
    fn hash_known(&self) -> Option<u64> {
        self.hash(|_, key| key)
    }

    /// The program and options, then each file's path and key (`None` if one has none).
    fn hash(&self, key: impl Fn(&Listed, Option<u64>) -> Option<u64>) -> Option<u64> {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        self.head.hash(&mut h);
        for (file, known) in self.files.iter().zip(&self.keys) {
            (&file.path, key(file, *known)?).hash(&mut h);
        }
        Some(h.finish())
    }
}

/// The key of a file's bytes, as [`Inputs`] hashes a file it reads itself.
pub fn bytes_key(bytes: &[u8]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    h.write(bytes);
    h.finish()
}

/// The key [`Inputs`] would give a file, from the bytes a build read and the metadata of
/// the file as it was opened for that read: its content for a text, its size and time above
/// the read limit. `None` when the time cannot be known (then nothing is recorded).
pub fn read_key(bytes: &[u8], meta: &fs::Metadata) -> Option<u64> {
    if meta.len() <= READ_LIMIT {
        return Some(bytes_key(bytes));
    }
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    (meta.len(), meta.modified().ok()?).hash(&mut h);
    Some(h.finish())
}

/// A file's content hash, or for a large file its size and time; a link's target.
fn file_key(root: &Path, found: &Listed) -> Option<u64> {
    let path = root.join(&found.path);
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    if found.kind == Kind::Link {
        fs::read_link(&path).ok()?.hash(&mut h);
        return Some(h.finish());
    }
    let mut file = fs::File::open(&path).ok()?;
    let meta = file.metadata().ok()?;
    // Read only what is hashed: a photo is known by its size and time.
    let mut bytes = Vec::new();
    if meta.len() <= READ_LIMIT {
        bytes.reserve_exact(meta.len() as usize);
        // Its size when opened, as the build reads it (see `source::read_bytes_meta`).
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, meta.len()), &mut bytes)
            .ok()?;
    }
    read_key(&bytes, &meta)
}

/// The number of files in `out` and their total size.
fn output_size(out: &Path) -> Option<(u64, u64)> {
    let mut files = Vec::new();
    let sizes = Listing {
        sizes: true,
        ..Listing::COMPLETE
    };
    list_tree(out, Path::new(""), sizes, &mut files).ok()?;
    Some(
        files
            .iter()
            .fold((0, 0), |(n, size), f| (n + 1, size + f.len)),
    )
}

/// What a build should do.
pub enum Fresh {
    /// Nothing changed: the output folder already holds this site.
    Unchanged(Stamp),
    /// Build, and record these inputs (when they could all be listed).
    Build(Option<Inputs>),
}

/// Compares the inputs with the record in `out` (both sides read at once, in parallel).
/// Without a record that could match (none, expired, or `--full`), nothing is compared:
/// the texts are left for the build to hash as it reads them.
pub fn check(options: &BuildOptions, out: &Path, now: jiff::Timestamp) -> Fresh {
    let stamp = fs::read_to_string(crate::state::dir(&options.root, out).join(STAMP))
        .ok()
        .and_then(|t| Stamp::parse(&t))
        .filter(|s| !options.full && s.holds_at(now));
    // Listed before the build looks for its own files, never beside it: a file added
    // meanwhile is then built but not recorded (the next build runs), never recorded but
    // not built (the next build would keep a site without it).
    let Some(stamp) = stamp else {
        return Fresh::Build(list_inputs(options, true));
    };
    let (inputs, size) = rayon::join(|| list_inputs(options, false), || output_size(out));
    let hash = inputs.as_ref().and_then(Inputs::hash_known);
    if hash == Some(stamp.inputs) && size == Some(stamp.files) {
        Fresh::Unchanged(stamp)
    } else {
        Fresh::Build(inputs)
    }
}

/// Records in the state folder of `out` (in `root`'s `.boletin/`), once the new output is
/// in place, what the build was made from; `files` is the count and total size of what was
/// written there (the check walks the folder), `next` the next embargo's end and titles.
pub fn record(
    (root, out): (&Path, &Path),
    inputs: u64,
    (from, until): (Option<jiff::Timestamp>, Option<jiff::Timestamp>),
    (published, files): ((usize, usize, usize), (u64, u64)),
    next: Option<(jiff::Timestamp, Vec<String>)>,
) -> std::io::Result<()> {
    // Rounded inwards: a build at a fraction of a second outside never counts as inside.
    let ceil = |t: jiff::Timestamp| t.as_second() + i64::from(t.subsec_nanosecond() > 0);
    let stamp = Stamp {
        inputs,
        from: from.map(ceil),
        until: until.map(|t| t.as_second()),
        files,
        published,
        next: next.map(|(at, titles)| (at.as_second(), titles)),
    };
    let dir = crate::state::dir(root, out);
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(STAMP), stamp.to_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys the build would give `rels`, read as the loader reads them.
    fn read_as_built(root: &Path, rels: &[&str]) -> std::collections::HashMap<PathBuf, u64> {
        rels.iter()
            .map(|rel| {
                let (bytes, meta) = crate::source::read_bytes_meta(root, Path::new(rel)).unwrap();
                (PathBuf::from(rel), read_key(&bytes, &meta).unwrap())
            })
            .collect()
    }

    #[test]
    fn texts_hashed_by_the_build_record_what_it_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &[u8]| {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("content/boletines/a.md", b"---\ntitulo: A\n---\nuno\n");
        // Above the read limit: known by size and time, not content.
        write(
            "content/boletines/grande.md",
            &vec![b'x'; READ_LIMIT as usize + 10],
        );
        write("content/datos/d.yaml", b"- {id: a}\n");
        write("themes/propio/templates/base.html", b"<html></html>");
        let options = BuildOptions::new(root);
        let texts = ["content/boletines/a.md", "content/boletines/grande.md"];
        let before = list_inputs(&options, false).unwrap().hash_known();
        assert!(before.is_some());
        // Left for the build: the keys of what it read complete the same hash.
        let read = read_as_built(root, &texts);
        let deferred = list_inputs(&options, true).unwrap();
        assert!(
            deferred.hash_known().is_none(),
            "texts were left for the build"
        );
        assert_eq!(deferred.finish(&|p| read.get(p).copied()), before);
        // Both texts edited after the build read them: the record still says what was built
        // (so the next build sees the edit), never the edited files.
        let deferred = list_inputs(&options, true).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write("content/boletines/a.md", b"---\ntitulo: B\n---\ndos\n");
        write(
            "content/boletines/grande.md",
            &vec![b'y'; READ_LIMIT as usize + 11],
        );
        let recorded = deferred.finish(&|p| read.get(p).copied());
        assert_eq!(recorded, before);
        assert_ne!(list_inputs(&options, false).unwrap().hash_known(), recorded);
    }

    #[test]
    fn a_stamp_reads_back() {
        let s = Stamp {
            inputs: 0xdead_beef,
            from: Some(1_600_000_000),
            until: Some(1_700_000_000),
            files: (12, 3456),
            published: (3, 1, 20),
            next: Some((
                1_700_000_000,
                vec!["Cifras «de» dic\n2026".into(), "Otro".into()],
            )),
        };
        assert_eq!(Stamp::parse(&s.to_text()), Some(s.clone()));
        let none = Stamp {
            from: None,
            until: None,
            next: None,
            ..s
        };
        assert_eq!(Stamp::parse(&none.to_text()), Some(none));
        assert_eq!(Stamp::parse("boletin-estado 3\n"), None);
        // A record of an older version is not read: the build runs in full.
        let old = "boletin-estado 2\nentradas 00000000deadbeef\ndesde -\nhasta -\narchivos 1 2\npublicado 1 0 1\n";
        assert_eq!(Stamp::parse(old), None);
        assert_eq!(Stamp::parse(""), None);
    }
}
