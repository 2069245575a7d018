//! What the site publishes beside its pages, as the steps above see it: each asset with how
//! it is published ([`Asset`], [`AssetKind`]), and a processed image as pages show it
//! ([`Picture`], [`ImageRef`]). The model lists assets, [`crate::images`] processes them and
//! rendering prints them; the types live here, below all three, so none imports another
//! for them.

use crate::html::escape;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Widths published, in pixels; an image narrower than one of them is never enlarged.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// A file of the site published beside the pages: copied as it is, or, for photos,
/// processed by [`crate::images`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// Source path relative to the root.
    pub source: PathBuf,
    /// Output path relative to the output folder.
    pub output: String,
    /// How it is published.
    pub kind: AssetKind,
}

/// How an asset is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetKind {
    /// Copied byte for byte (PDF, anything not an image).
    File,
    /// Written again by [`crate::images`] without what could run or leak: an SVG from an
    /// allow-list, a GIF without its comments and metadata.
    Cleaned(CleanedFormat),
    /// Resized and re-encoded without metadata, in this format.
    Image(ImageFormat),
    /// A photo format phones do not all show (HEIC, TIFF, …): not published.
    Unsupported,
}

/// An image published in its own format once cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CleanedFormat {
    /// SVG: only the elements and attributes that draw.
    Svg,
    /// GIF: the frames, without comments or foreign application extensions.
    Gif,
}

/// The format a processed image is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageFormat {
    /// Photos (JPEG and WebP sources).
    Jpeg,
    /// Drawings, screenshots, anything with transparency (PNG sources).
    Png,
}

impl AssetKind {
    /// The kind of a file by its extension, and the extension it is published with.
    pub fn of(path: &Path) -> (AssetKind, Option<&'static str>) {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "jpg" | "jpeg" => (AssetKind::Image(ImageFormat::Jpeg), None),
            "png" => (AssetKind::Image(ImageFormat::Png), None),
            // The image crate encodes WebP losslessly only, which makes photos heavier than
            // JPEG; a WebP source is published as JPEG.
            "webp" => (AssetKind::Image(ImageFormat::Jpeg), Some("jpg")),
            "svg" => (AssetKind::Cleaned(CleanedFormat::Svg), None),
            "gif" => (AssetKind::Cleaned(CleanedFormat::Gif), None),
            "heic" | "heif" | "avif" | "tif" | "tiff" | "bmp" | "raw" | "dng" | "cr2" | "nef" => {
                (AssetKind::Unsupported, None)
            }
            _ => (AssetKind::File, None),
        }
    }
}

/// One published width of an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Variant {
    /// Output path relative to the output folder.
    #[serde(rename = "ruta")]
    pub path: String,
    /// Width in pixels.
    #[serde(rename = "ancho")]
    pub width: u32,
    /// Height in pixels.
    #[serde(rename = "alto")]
    pub height: u32,
}

/// What a page needs to show an image: its versions, narrowest first; the widest one is
/// published at the image's own path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    /// The versions, narrowest first (never empty).
    pub variants: Vec<Variant>,
}

impl Picture {
    /// Width and height of the widest version: the `width`/`height` attributes, which
    /// reserve the image's space before it arrives.
    pub fn size(&self) -> (u32, u32) {
        self.variants.last().map_or((0, 0), |v| (v.width, v.height))
    }

    /// The `srcset` attribute, with URLs under `base`; `None` with a single version.
    pub fn srcset(&self, base: &str) -> Option<String> {
        (self.variants.len() > 1).then(|| {
            self.variants
                .iter()
                .map(|v| format!("{base}{} {}w", v.path, v.width))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// An image as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// URL of the widest version (or of the file, for images copied as they are).
    pub src: String,
    /// Every version with its width, when there are several.
    pub srcset: Option<String>,
    /// Width and height, when known.
    pub size: Option<(u32, u32)>,
}

/// `sizes` of an image in the text column of the default theme (`--medida`, 70ch).
pub const PROSE_SIZES: &str = "(min-width: 48rem) 44rem, 100vw";

impl ImageRef {
    /// An `<img>` element for `alt` (already plain text), lazy: images in a body are below
    /// the fold.
    pub fn html(&self, alt: &str, title: Option<&str>) -> String {
        let mut out = format!("<img src=\"{}\" alt=\"{}\"", escape(&self.src), escape(alt));
        if let Some(set) = &self.srcset {
            out.push_str(&format!(
                " srcset=\"{}\" sizes=\"{PROSE_SIZES}\"",
                escape(set)
            ));
        }
        if let Some((w, h)) = self.size {
            out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        if let Some(t) = title.filter(|t| !t.is_empty()) {
            out.push_str(&format!(" title=\"{}\"", escape(t)));
        }
        out.push_str(" loading=\"lazy\" decoding=\"async\">");
        out
    }
}

/// Each raster image by output path: its picture, or why it cannot be published (Spanish).
pub type Pictures = BTreeMap<String, Result<Picture, String>>;

/// `imagenes/foto.jpg` at 480 pixels → `imagenes/foto-480w.jpg`.
pub fn variant_path(output: &str, width: u32) -> String {
    match output.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => format!("{stem}-{width}w.{ext}"),
        _ => format!("{output}-{width}w"),
    }
}
