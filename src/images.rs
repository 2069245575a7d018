//! Photos that stay light on phones. Every raster image the site publishes is decoded once,
//! turned upright (its EXIF orientation applied to the pixels), stripped of all metadata —
//! GPS position above all, since people are photographed in their own barrio — and
//! re-encoded at a few widths, never upscaled. The widest version keeps the image's own
//! URL, so `@/imagenes/foto.jpg` links and sharing cards still work.
//!
//! The work is keyed on the file's content and the settings, and found again either in
//! `serve`'s memory or in the previous output folder (through a small manifest kept in
//! `.boletin/`), so a rebuild re-encodes nothing that did not change and writes nothing
//! outside `output/` and `.boletin/`.
//!
//! SVG and GIF images are not resized but cleaned ([`svg`], [`gif`]): an SVG can carry
//! script and outside references, a GIF comments and metadata.
//!
//! This step runs after the model is built and before pages are rendered: pages read each
//! image's sizes from the model, and a broken image is reported at the line that uses it.

pub mod gif;
pub mod svg;

use crate::assets::{
    Asset, AssetKind, CleanedFormat, ImageFormat, Picture, Pictures, Variant, WIDTHS, variant_path,
};
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::output::OutputFile;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// JPEG quality: photos at phone sizes look right and weigh a tenth of the original.
const QUALITY: u8 = 78;
/// Everything that changes the bytes written; part of every cache key.
const SETTINGS: &str = "imagenes-v1;jpeg-q78-progresivo-huffman-optimo;png-adaptativo;480,960,1600";
/// Larger files are refused: nobody should publish them, and decoding them costs memory.
pub const MAX_BYTES: u64 = 40 * 1024 * 1024;
/// Larger images are refused before their pixels are decoded (50 MP: 8,660 × 5,773).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The manifest of processed images, kept for the next build in the site's state folder
/// for the output ([`crate::state::dir`]), never in the published folder.
pub const MANIFEST: &str = "imagenes.json";

/// What the step produced.
#[derive(Debug, Default)]
pub struct Processed {
    /// The images, for the model.
    pub pictures: Pictures,
    /// The files to write: every version of every image.
    pub files: Vec<OutputFile>,
    /// The manifest, for [`save_manifest`] once the output is in place (`None`: no image).
    pub manifest: Option<Vec<u8>>,
    /// Images that cannot be published (warnings at the image; errors come from usages).
    pub diags: Diagnostics,
    /// Images encoded in this build (the others were reused).
    pub encoded: usize,
}

/// The encoded versions of one image: width, height, bytes; narrowest first.
type Encoded = Vec<(u32, u32, Arc<Vec<u8>>)>;

/// Encoded images kept between `serve`'s builds, by key. Holds what the last build used.
#[derive(Default)]
pub struct Memory {
    prev: HashMap<u128, Arc<Encoded>>,
    next: Mutex<HashMap<u128, Arc<Encoded>>>,
}

impl Memory {
    /// Ends a build: what it used is what the next build may reuse.
    pub fn finish(&mut self) {
        self.prev = std::mem::take(&mut *crate::threads::lock(&self.next));
    }

    fn get(&self, key: u128) -> Option<Arc<Encoded>> {
        self.prev.get(&key).cloned()
    }

    fn keep(&self, key: u128, encoded: Arc<Encoded>) {
        crate::threads::lock(&self.next).insert(key, encoded);
    }
}

#[derive(Serialize, Deserialize, Default)]
struct Manifest {
    #[serde(rename = "ajustes")]
    settings: String,
    /// Key (hex) → versions.
    #[serde(rename = "imagenes")]
    images: BTreeMap<String, Vec<Variant>>,
}

/// Processes every raster image of the model, in parallel. `previous` is the output folder
/// of the last build, whose images are reused when their source did not change.
pub fn process(
    root: &Path,
    assets: &[Asset],
    previous: Option<&Path>,
    memory: Option<&Memory>,
) -> Processed {
    let old = previous.map(|p| read_manifest(root, p)).unwrap_or_default();
    let results: Vec<_> = assets
        .par_iter()
        .filter_map(|a| match a.kind {
            AssetKind::File => None,
            AssetKind::Unsupported => Some((
                a,
                Err(format!(
                    "el formato `.{}` no se muestra en todos los teléfonos: expórtela como \
                     JPEG (fotos) o PNG (dibujos, capturas)",
                    a.source
                        .extension()
                        .map(|e| e.to_string_lossy().to_lowercase())
                        .unwrap_or_default()
                )),
            )),
            AssetKind::Image(format) => {
                let source = root.join(&a.source);
                Some((
                    a,
                    one(&source, format, &old, previous, memory).map(Out::Raster),
                ))
            }
            AssetKind::Cleaned(format) => {
                Some((a, cleaned(&root.join(&a.source), format).map(Out::Cleaned)))
            }
        })
        .collect();
    let mut out = Processed::default();
    let mut manifest = Manifest {
        settings: SETTINGS.into(),
        images: BTreeMap::new(),
    };
    for (asset, result) in results {
        match result {
            Ok(Out::Cleaned(bytes)) => out.files.push(OutputFile {
                path: asset.output.clone(),
                bytes: Arc::new(bytes),
            }),
            Ok(Out::Raster(done)) => {
                let variants = variants(&asset.output, &done.encoded);
                for (v, (_, _, bytes)) in variants.iter().zip(done.encoded.iter()) {
                    out.files.push(OutputFile {
                        path: v.path.clone(),
                        bytes: bytes.clone(),
                    });
                }
                out.encoded += usize::from(done.fresh);
                manifest
                    .images
                    .insert(format!("{:032x}", done.key), variants.clone());
                out.pictures
                    .insert(asset.output.clone(), Ok(Picture { variants }));
            }
            Err(reason) => {
                out.diags.push(Diagnostic::in_file(
                    &asset.source,
                    Problem::ImageNotPublished {
                        reason: reason.clone(),
                    },
                ));
                out.pictures.insert(asset.output.clone(), Err(reason));
            }
        }
    }
    if !manifest.images.is_empty() {
        out.manifest = serde_json::to_vec_pretty(&manifest).ok();
    }
    out
}

/// Keeps the manifest in the state folder of the output folder `out` for the next build (a
/// manifest that cannot be written only means the next build encodes its images again).
pub fn save_manifest(root: &Path, out: &Path, manifest: &[u8]) {
    let dir = crate::state::dir(root, out);
    let _ =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(MANIFEST), manifest));
}

/// What one image became.
enum Out {
    /// Resized versions.
    Raster(Done),
    /// The cleaned file, published at the image's own path.
    Cleaned(Vec<u8>),
}

/// An SVG or GIF read within the size limit and cleaned.
fn cleaned(source: &Path, format: CleanedFormat) -> Result<Vec<u8>, String> {
    let bytes = read_limited(source)?;
    match format {
        CleanedFormat::Svg => svg::sanitize(&bytes),
        CleanedFormat::Gif => gif::strip(&bytes),
    }
}

/// The file's bytes, refused above [`MAX_BYTES`] before they are read.
fn read_limited(source: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(source)
        .map_err(|e| format!("no se pudo leer: {e}"))?
        .len();
    if size > MAX_BYTES {
        return Err(format!(
            "pesa {} MB (máximo {} MB): redúzcala antes de añadirla al sitio",
            size.div_ceil(1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        ));
    }
    std::fs::read(source).map_err(|e| format!("no se pudo leer: {e}"))
}

/// One image, done: its key, its versions, and whether it was encoded now.
struct Done {
    key: u128,
    encoded: Arc<Encoded>,
    fresh: bool,
}

fn one(
    source: &Path,
    format: ImageFormat,
    old: &Manifest,
    previous: Option<&Path>,
    memory: Option<&Memory>,
) -> Result<Done, String> {
    let bytes = read_limited(source)?;
    let key = key(&bytes, format);
    let found = memory
        .and_then(|m| m.get(key))
        .or_else(|| reuse(old, key, previous?).map(Arc::new));
    let (encoded, fresh) = match found {
        Some(e) => (e, false),
        None => (Arc::new(encode_all(&bytes, format)?), true),
    };
    if let Some(m) = memory {
        m.keep(key, encoded.clone());
    }
    Ok(Done {
        key,
        encoded,
        fresh,
    })
}

/// The cache key: the file's bytes, the output format and every setting.
fn key(bytes: &[u8], format: ImageFormat) -> u128 {
    let seed = xxhash_rust::xxh3::xxh3_64(format!("{SETTINGS};{format:?}").as_bytes());
    xxhash_rust::xxh3::xxh3_128_with_seed(bytes, seed)
}

/// The versions of an image from the previous output folder, when its manifest has them
/// and every file is still there.
fn reuse(old: &Manifest, key: u128, previous: &Path) -> Option<Encoded> {
    let variants = old.images.get(&format!("{key:032x}"))?;
    variants
        .iter()
        .map(|v| {
            let bytes = std::fs::read(previous.join(&v.path)).ok()?;
            Some((v.width, v.height, Arc::new(bytes)))
        })
        .collect()
}

fn read_manifest(root: &Path, previous: &Path) -> Manifest {
    // Only an output folder boletin made is trusted.
    if !previous.join(crate::output::MARKER).is_file() {
        return Manifest::default();
    }
    std::fs::read(crate::state::dir(root, previous).join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        .filter(|m| m.settings == SETTINGS)
        .unwrap_or_default()
}

/// Output paths of the versions: the widest at the image's own path, the others beside it
/// with their width in the name (`foto-480w.jpg`).
fn variants(output: &str, encoded: &Encoded) -> Vec<Variant> {
    let last = encoded.len().saturating_sub(1);
    encoded
        .iter()
        .enumerate()
        .map(|(i, (w, h, _))| Variant {
            path: if i == last {
                output.to_string()
            } else {
                variant_path(output, *w)
            },
            width: *w,
            height: *h,
        })
        .collect()
}

/// The widths to publish for an image `width` pixels wide: the standard widths clearly
/// narrower than it, then its own width capped at the widest standard one.
pub fn widths(width: u32) -> Vec<u32> {
    let top = width.min(WIDTHS[WIDTHS.len() - 1]);
    let mut out: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|w| u64::from(*w) * 10 < u64::from(top) * 9)
        .collect();
    out.push(top);
    out
}

/// Decodes, turns upright, resizes and encodes every version.
fn encode_all(bytes: &[u8], format: ImageFormat) -> Result<Encoded, String> {
    let (image, icc) = decode(bytes)?;
    let alpha = format == ImageFormat::Png && image.color().has_alpha();
    let (w, h) = (image.width(), image.height());
    let (pixels, pixel_type) = if alpha {
        (
            image.into_rgba8().into_raw(),
            fast_image_resize::PixelType::U8x4,
        )
    } else {
        (flatten(image), fast_image_resize::PixelType::U8x3)
    };
    let mut current = fast_image_resize::images::Image::from_vec_u8(w, h, pixels, pixel_type)
        .map_err(|e| format!("no se pudo preparar: {e}"))?;
    let mut resizer = fast_image_resize::Resizer::new();
    let options = fast_image_resize::ResizeOptions::new();
    let mut out = Vec::new();
    // Widest first, each from the previous one: as sharp, and much less work.
    for target in widths(w).into_iter().rev() {
        let height = scaled_height(w, h, target);
        if target != current.width() {
            let mut next = fast_image_resize::images::Image::new(target, height, pixel_type);
            resizer
                .resize(&current, &mut next, &options)
                .map_err(|e| format!("no se pudo redimensionar: {e}"))?;
            current = next;
        }
        let encoded = match format {
            ImageFormat::Jpeg => jpeg(current.buffer(), target, height, icc.as_deref())?,
            ImageFormat::Png => png(current.buffer(), target, height, alpha)?,
        };
        out.push((target, height, Arc::new(encoded)));
    }
    out.reverse();
    Ok(out)
}

/// Height for `target` width, keeping the aspect ratio, at least one pixel.
fn scaled_height(w: u32, h: u32, target: u32) -> u32 {
    let scaled = (u64::from(h) * u64::from(target) + u64::from(w) / 2) / u64::from(w.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Decodes within limits and applies the EXIF orientation; returns the ICC colour profile,
/// the only metadata kept (it holds no personal data and keeps phone colours right).
fn decode(bytes: &[u8]) -> Result<(image::DynamicImage, Option<Vec<u8>>), String> {
    use image::ImageDecoder;
    let damaged = |e: &dyn std::fmt::Display| format!("está dañada o incompleta (detalle: {e})");
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| damaged(&e))?;
    if reader.format().is_none() {
        return Err("su contenido no es una imagen JPEG, PNG ni WebP".into());
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| damaged(&e))?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "mide {w} × {h} píxeles (máximo {} megapíxeles): redúzcala antes de añadirla",
            MAX_PIXELS / 1_000_000
        ));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = image::DynamicImage::from_decoder(decoder).map_err(|e| damaged(&e))?;
    image.apply_orientation(orientation);
    Ok((image, icc))
}

/// RGB pixels; transparent parts laid on white (a JPEG has no transparency).
fn flatten(image: image::DynamicImage) -> Vec<u8> {
    if !image.color().has_alpha() {
        return image.into_rgb8().into_raw();
    }
    let rgba = image.into_rgba8();
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.pixels() {
        let [r, g, b, a] = p.0;
        for c in [r, g, b] {
            let blended = (u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255;
            out.push(u8::try_from(blended).unwrap_or(255));
        }
    }
    out
}

fn jpeg(pixels: &[u8], w: u32, h: u32, icc: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let fail = |e: jpeg_encoder::EncodingError| format!("no se pudo codificar: {e}");
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, QUALITY);
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    if let Some(profile) = icc {
        encoder.add_icc_profile(profile).map_err(fail)?;
    }
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| "demasiado ancha".to_string())?,
        u16::try_from(h).map_err(|_| "demasiado alta".to_string())?,
    );
    encoder
        .encode(pixels, w16, h16, jpeg_encoder::ColorType::Rgb)
        .map_err(fail)?;
    Ok(out)
}

fn png(pixels: &[u8], w: u32, h: u32, alpha: bool) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(pixels, w, h, color)
        .map_err(|e| format!("no se pudo codificar: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale_and_skip_near_duplicates() {
        assert_eq!(widths(4000), vec![480, 960, 1600]);
        assert_eq!(widths(1600), vec![480, 960, 1600]);
        assert_eq!(widths(1000), vec![480, 1000]);
        assert_eq!(widths(500), vec![500]);
        assert_eq!(widths(300), vec![300]);
    }

    #[test]
    fn variant_paths_carry_the_width() {
        assert_eq!(
            variant_path("imagenes/foto.jpg", 480),
            "imagenes/foto-480w.jpg"
        );
        assert_eq!(variant_path("a.b/foto", 480), "a.b/foto-480w");
    }

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(scaled_height(4000, 3000, 480), 360);
        assert_eq!(scaled_height(3000, 4000, 480), 640);
        assert_eq!(scaled_height(5000, 1, 480), 1);
    }

    #[test]
    fn not_an_image_is_a_clear_reason() {
        let e = encode_all(b"hola", ImageFormat::Jpeg).unwrap_err();
        assert_eq!(e, "su contenido no es una imagen JPEG, PNG ni WebP");
        let mut truncated = Vec::new();
        jpeg_encoder::Encoder::new(&mut truncated, 80)
            .encode(&[0; 64 * 64 * 3], 64, 64, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        truncated.truncate(truncated.len() / 2);
        let e = encode_all(&truncated, ImageFormat::Jpeg).unwrap_err();
        assert!(e.starts_with("está dañada o incompleta"), "{e}");
    }
}
