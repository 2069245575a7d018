//! The Typst world of one bulletin: the main file we generated, the images and graphics it
//! shows as in-memory files, and the fonts embedded in the binary. Nothing is read from the
//! disk, the network or the system's fonts, and the date is the bulletin's, so the same
//! bulletin gives the same PDF on every machine.

use std::collections::HashMap;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts: Libertinus Serif for the text (SIL OFL 1.1, `fonts/Libertinus-LICENSE.txt`)
/// and DejaVu Sans, the charts' font (`fonts/DejaVu-LICENSE.txt`).
static FONT_FILES: [&[u8]; 5] = [
    include_bytes!("../../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../../fonts/DejaVuSans.ttf"),
];

/// The identity of the embedded fonts, for the PDF's cache key: a hash of their bytes,
/// computed once.
pub fn fonts_identity() -> u128 {
    static IDENTITY: OnceLock<u128> = OnceLock::new();
    *IDENTITY.get_or_init(|| {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for data in FONT_FILES {
            h.update(&(data.len() as u64).to_le_bytes());
            h.update(data);
        }
        h.digest128()
    })
}

/// What every bulletin shares: the standard library and the parsed fonts (made once).
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// One bulletin's world.
pub struct BulletinWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl BulletinWorld {
    /// A world whose main file is `markup`, with `files` (path → bytes) beside it and
    /// `today` as the date `datetime.today()` gives.
    pub fn new(markup: String, files: Vec<(String, Vec<u8>)>, today: Option<Datetime>) -> Self {
        let id = |path: &str| FileId::new(None, VirtualPath::new(path));
        BulletinWorld {
            main: Source::new(id("/boletin.typ"), markup),
            files: files
                .into_iter()
                .map(|(path, bytes)| (id(&path), Bytes::new(bytes)))
                .collect(),
            today,
        }
    }
}

impl World for BulletinWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        self.today
    }
}
