//! The print edition of a bulletin: a tagged A4 PDF typeset with the Typst library inside
//! the binary, from the same parse the page is made from (the Markdown events of
//! [`crate::content::markdown::stream`]) and the same tables and chart SVGs, never from
//! the HTML.
//!
//! `markup.rs` writes the Typst source (every editor text through `escape.rs`, as a
//! string literal); `world.rs` is the Typst world: that source, the graphics and photos as
//! in-memory files, the fonts embedded in the binary, and the bulletin's date as today.
//! Shortcodes, links and images are resolved by the caller through [`Resolve`], as the
//! HTML renderer's are through `Hooks`: this module sits below `render`.
//!
//! The PDF is deterministic: its identifier comes from the bulletin's address and its date
//! from the front matter, never the clock.

mod escape;
mod frame;
mod markup;
#[cfg(feature = "pdf")]
mod world;

pub use escape::{string, text};

use crate::content::shortcode::Shortcode;
#[cfg(feature = "pdf")]
use typst::foundations::{Datetime, Smart};
#[cfg(feature = "pdf")]
use typst::layout::PagedDocument;
#[cfg(feature = "pdf")]
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// A table as the PDF prints it: texts already formatted in the site's locale.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The title above it.
    pub title: Option<String>,
    /// The header row (repeated on every page the table spans).
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// The total row, when the dataset declares one.
    pub total: Option<Vec<String>>,
    /// For each column: right-aligned (numbers).
    pub numeric: Vec<bool>,
    /// The «Fuente: …» line.
    pub source: Option<String>,
}

/// An image file for the PDF.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Its bytes (a JPEG or PNG as published, or an SVG).
    pub bytes: Vec<u8>,
    /// `jpg`, `png` or `svg`.
    pub format: &'static str,
}

/// What a shortcode call becomes in the PDF.
#[derive(Debug, Clone)]
pub enum Block {
    /// A photo or drawing with its alternative text, caption and credit.
    Figure {
        /// The image (none: only the caption prints).
        picture: Option<Picture>,
        /// Alternative text (empty for a decorative image).
        alt: String,
        /// Caption.
        caption: Option<String>,
        /// Credit.
        credit: Option<String>,
    },
    /// A chart or map: its SVG as a vector image, title, description, source and table.
    Graphic {
        /// The SVG.
        svg: String,
        /// The title.
        title: String,
        /// The alternative text (the chart's generated description).
        alt: String,
        /// The source line.
        source: Option<String>,
        /// The data shown, as a table.
        table: Option<Table>,
    },
    /// A table of a dataset.
    Table(Table),
    /// Running text (a `cifra`).
    Text(String),
    /// Nothing printed.
    Nothing,
}

/// What only the caller knows: shortcodes, links and images.
pub trait Resolve {
    /// What `call` prints.
    fn block(&mut self, call: &Shortcode) -> Block;
    /// The absolute URL of a link as written (`@/…`, a site path, `#ancla`, a URL), or
    /// `None` to print its text without a link.
    fn link(&mut self, dest: &str) -> Option<String>;
    /// The image of a Markdown `![alt](path)`.
    fn image(&mut self, path: &str) -> Option<Picture>;
}

/// What the PDF says about its bulletin besides the body.
#[derive(Debug, Clone, Default)]
pub struct Bulletin<'a> {
    /// Title.
    pub title: &'a str,
    /// Institution.
    pub institution: Option<&'a str>,
    /// Author.
    pub author: Option<&'a str>,
    /// Date (`AAAA-MM-DD` parts).
    pub date: Option<(i32, u8, u8)>,
    /// Date as readers see it («7 de diciembre de 2026»).
    pub date_text: Option<String>,
    /// «Actualizado el …» date, as readers see it.
    pub updated_text: Option<String>,
    /// Summary.
    pub summary: Option<&'a str>,
    /// The page's absolute address (footer, identifier).
    pub url: &'a str,
    /// The site's `idioma` (`es-PE`).
    pub language: &'a str,
    /// Tags (the PDF's keywords).
    pub tags: &'a [String],
    /// The site's logo, as the images step published it.
    pub logo: Option<Picture>,
    /// Corrections, in the order written.
    pub corrections: Vec<Correction>,
}

/// A correction as the PDF prints it.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    /// Its date as readers see it.
    pub date_text: String,
    /// What was corrected.
    pub text: String,
    /// Shown only in the history.
    pub minor: bool,
}

/// How a PDF was made.
#[derive(Debug, Clone)]
pub struct Made {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// It claims PDF/UA-1 (false: tagged, but something in the body, such as a skipped
    /// heading level, kept it from conforming).
    pub pdf_ua: bool,
}

/// A bulletin's PDF before Typst runs: its Typst source and the files it embeds, with the
/// key of everything the PDF reads ([`Prepared::key`]), so a caller can reuse the PDF a
/// previous build made from the same key instead of typesetting again.
pub struct Prepared {
    source: String,
    files: Vec<(String, Vec<u8>)>,
    date: Option<(i32, u8, u8)>,
    ident: String,
}

/// Writes `bulletin`'s Typst source with `body` (its Markdown) and gathers the files it
/// embeds; cheap beside [`Prepared::typeset`].
pub fn prepare(bulletin: &Bulletin<'_>, body: &str, resolve: &mut dyn Resolve) -> Prepared {
    let stream = crate::content::markdown::stream::stream(body);
    let (source, files) = markup::document(bulletin, &stream, resolve);
    Prepared {
        source,
        files,
        date: bulletin.date,
        ident: bulletin.url.to_string(),
    }
}

/// The version of the `typst` and `typst-pdf` crates, part of every key (a unit test checks
/// it against `Cargo.lock`, so an upgrade cannot keep reusing PDFs the old version made).
pub const TYPST_VERSION: &str = "0.14.2";

/// Everything that changes the PDF's bytes besides its source, files, date and address:
/// boletin's version, Typst's, and the export settings.
fn settings() -> String {
    format!(
        "pdf-v1;boletin-{};typst-{TYPST_VERSION};a4;etiquetado;ua-1-o-sin-norma",
        env!("CARGO_PKG_VERSION")
    )
}

impl Prepared {
    /// The hash of everything the PDF reads: the generated Typst source, the bytes of every
    /// image and SVG it embeds (with their names), the fonts' bytes, the date Typst is
    /// given, the address (the document id), boletin's and Typst's versions. xxh3-128, as
    /// the images step keys its work.
    pub fn key(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut part = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        part(settings().as_bytes());
        #[cfg(feature = "pdf")]
        part(&world::fonts_identity().to_le_bytes());
        part(self.ident.as_bytes());
        part(format!("{:?}", self.date).as_bytes());
        part(self.source.as_bytes());
        for (path, bytes) in &self.files {
            part(path.as_bytes());
            part(bytes);
        }
        h.digest128()
    }

    /// Typesets the PDF; the error is Typst's message, which escaping should make
    /// impossible for anything an editor writes.
    #[cfg(feature = "pdf")]
    pub fn typeset(self) -> Result<Made, String> {
        let today = self.date.and_then(|(y, m, d)| Datetime::from_ymd(y, m, d));
        let ident = self.ident;
        let world = world::BulletinWorld::new(self.source, self.files, today);
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errors| messages(&errors))?;
        let export = |standards: &[PdfStandard]| {
            let options = PdfOptions {
                ident: Smart::Custom(&ident),
                timestamp: None,
                page_ranges: None,
                standards: PdfStandards::new(standards).unwrap_or_default(),
                tagged: true,
            };
            typst_pdf::pdf(&document, &options)
        };
        let made = match export(&[PdfStandard::Ua_1]) {
            Ok(bytes) => Ok(Made {
                bytes,
                pdf_ua: true,
            }),
            Err(_) => export(&[])
                .map(|bytes| Made {
                    bytes,
                    pdf_ua: false,
                })
                .map_err(|errors| messages(&errors)),
        };
        forget_old_work();
        made
    }

    /// Built without the `pdf` feature, nothing can typeset: the configuration refuses
    /// `pdf: true` before rendering starts (`Problem::PdfNotBuiltIn`), so this is not reached.
    #[cfg(not(feature = "pdf"))]
    pub fn typeset(self) -> Result<Made, String> {
        Err("este programa se compiló sin la característica `pdf`".into())
    }
}

/// How many PDFs a memoised result of Typst's may go unused before it is dropped.
#[cfg(feature = "pdf")]
const MEMO_AGE: usize = 1;

/// Drops what Typst memoised for PDFs typeset [`MEMO_AGE`] PDFs ago and not used since.
/// Typst keeps every layout it computed, in a cache shared by the whole process, so that a
/// document typeset again is fast; a build typesets each bulletin once, and without this
/// the cache held about 4 MiB per bulletin: 4 GiB of memory at 1,000 bulletins
/// (`benches/pdf.py`). With an age of 1 the same build peaks at 313 MiB and takes a quarter
/// less time (less memory to walk); ages 0 and 8 measured no better.
#[cfg(feature = "pdf")]
fn forget_old_work() {
    typst::comemo::evict(MEMO_AGE);
}

/// Typesets `bulletin` with `body` (its source text): [`prepare`], then
/// [`Prepared::typeset`].
pub fn typeset(
    bulletin: &Bulletin<'_>,
    body: &str,
    resolve: &mut dyn Resolve,
) -> Result<Made, String> {
    prepare(bulletin, body, resolve).typeset()
}

#[cfg(feature = "pdf")]
fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typst_version_in_every_key_is_the_one_cargo_lock_builds() {
        let lock = include_str!("../../Cargo.lock");
        for name in ["typst", "typst-pdf"] {
            let entry = format!("name = \"{name}\"\nversion = \"{TYPST_VERSION}\"\n");
            assert!(
                lock.contains(&entry),
                "{name} is not {TYPST_VERSION} in Cargo.lock"
            );
        }
    }
}
