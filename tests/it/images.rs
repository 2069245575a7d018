//! Photos: resized to a few widths, turned upright, stripped of metadata, cached, and
//! reported where they are used when they cannot be published.

use crate::harness::Site;

/// A JPEG of `w`×`h` whose EXIF block carries an orientation, a GPS position and a
/// description with a sentinel, the way a phone writes them.
pub fn phone_photo(w: u16, h: u16, orientation: u16) -> Vec<u8> {
    let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|i| {
            let (x, y) = (i % u32::from(w), i / u32::from(w));
            [(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    encoder.add_app_segment(1, exif(orientation)).unwrap();
    encoder
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// `Exif\0\0` + a little-endian TIFF: IFD0 (description, orientation, GPS pointer) and a
/// GPS IFD (latitude reference and latitude).
fn exif(orientation: u16) -> Vec<u8> {
    let description = b"SECRETO-GPS-12.0464\0";
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    // IFD0 at 8: 2 + 3 × 12 + 4 = 42 bytes; GPS IFD at 50: 30 bytes; rationals at 80;
    // the description at 104.
    t.extend(3u16.to_le_bytes());
    entry(&mut t, 0x010E, 2, description.len() as u32, 104);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, 50);
    t.extend(0u32.to_le_bytes());
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"S\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, 80);
    t.extend(0u32.to_le_bytes());
    for (num, den) in [(12u32, 1u32), (2, 1), (4464, 100)] {
        t.extend(num.to_le_bytes());
        t.extend(den.to_le_bytes());
    }
    t.extend(description);
    let mut out = b"Exif\0\0".to_vec();
    out.extend(t);
    out
}

fn size(site: &Site, rel: &str) -> (usize, usize) {
    let s = imagesize::size(site.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (s.width, s.height)
}

fn photo_site() -> Site {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "Texto.\n\n![Un patio pintado](@/imagenes/patio.jpg)\n\n\
         {{ figura(imagen=\"imagenes/retrato.jpg\", alt=\"Vecina\", pie=\"Pie\") }}\n",
    );
    // Small heights keep the debug-build test fast; widths are what matter.
    site.write_bytes("content/imagenes/patio.jpg", &phone_photo(1650, 420, 1));
    // Stored sideways, as phones do: orientation 6 turns it 90° clockwise, upright 300×600.
    site.write_bytes("content/imagenes/retrato.jpg", &phone_photo(600, 300, 6));
    site
}

#[test]
fn photos_are_resized_never_upscaled_and_turned_upright() {
    let site = photo_site();
    let summary = site.build().expect("build");
    assert_eq!((summary.images_encoded, summary.images_reused), (2, 0));
    assert_eq!(size(&site, "imagenes/patio.jpg"), (1600, 407));
    assert_eq!(size(&site, "imagenes/patio-960w.jpg"), (960, 244));
    assert_eq!(size(&site, "imagenes/patio-480w.jpg"), (480, 122));
    assert_eq!(size(&site, "imagenes/retrato.jpg"), (300, 600));
    assert!(!site.out("imagenes/retrato-480w.jpg").exists());
    let page = site.read("boletines/a/index.html");
    assert!(
        page.contains(
            "<img src=\"/sub/imagenes/patio.jpg\" alt=\"Un patio pintado\" \
             srcset=\"/sub/imagenes/patio-480w.jpg 480w, /sub/imagenes/patio-960w.jpg 960w, \
             /sub/imagenes/patio.jpg 1600w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" \
             width=\"1600\" height=\"407\" loading=\"lazy\" decoding=\"async\">"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<img src=\"/sub/imagenes/retrato.jpg\" alt=\"Vecina\" width=\"300\" height=\"600\" \
             loading=\"lazy\""
        ),
        "{page}"
    );
    // Those attributes size the figure's box before a lazy image arrives: the theme must
    // not set its width back to `auto` (the box would be empty and the text would jump).
    let css = site.read(&site.hashed("css/boletin.css"));
    let rule = css
        .lines()
        .find(|l| l.starts_with(".figura img"))
        .expect("figure rule");
    assert!(!rule.contains("width"), "{rule}");
}

#[test]
fn no_output_image_keeps_gps_or_any_exif() {
    let site = photo_site();
    site.build_ok();
    let mut images = 0;
    for entry in walkdir::WalkDir::new(site.root().join("output")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            assert!(!has(b"SECRETO-GPS"), "{}", entry.path().display());
            if entry.path().extension().is_some_and(|e| e == "jpg") {
                images += 1;
                assert!(!has(b"Exif\0\0"), "{}", entry.path().display());
            }
        }
    }
    assert_eq!(images, 4);
}

#[test]
fn a_rebuild_reuses_unchanged_images_and_writes_the_same_bytes() {
    let site = photo_site();
    site.build_ok();
    let first = std::fs::read(site.out("imagenes/patio-480w.jpg")).unwrap();
    // Nothing changed: the output is left as it is; in full, every image is reused.
    assert!(site.build().expect("second build").unchanged);
    let full = boletin::BuildOptions {
        full: true,
        ..site.options()
    };
    let summary = boletin::build(&full).expect("full build");
    assert_eq!((summary.images_encoded, summary.images_reused), (0, 2));
    assert_eq!(
        std::fs::read(site.out("imagenes/patio-480w.jpg")).unwrap(),
        first
    );
    // A changed photo is encoded again; the other is still reused.
    site.write_bytes("content/imagenes/patio.jpg", &phone_photo(1200, 300, 1));
    let summary = site.build().expect("third build");
    assert_eq!((summary.images_encoded, summary.images_reused), (1, 1));
    assert_eq!(size(&site, "imagenes/patio.jpg"), (1200, 300));
    assert!(!site.out("imagenes/patio-1600w.jpg").exists());
    // Without the previous output everything is encoded again, to the same bytes.
    std::fs::remove_dir_all(site.root().join("output")).unwrap();
    let reused = std::fs::read(site.out("imagenes/retrato-480w.jpg"));
    assert!(reused.is_err());
    site.write_bytes("content/imagenes/patio.jpg", &phone_photo(1650, 420, 1));
    let summary = site.build().expect("fresh build");
    assert_eq!((summary.images_encoded, summary.images_reused), (2, 0));
    assert_eq!(
        std::fs::read(site.out("imagenes/patio-480w.jpg")).unwrap(),
        first
    );
}

#[test]
fn broken_images_are_errors_where_they_are_used() {
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "Texto.\n\n![Foto](@/imagenes/texto.jpg)\n\n\
         {{ figura(imagen=\"imagenes/iphone.heic\", alt=\"Vecinos\") }}\n",
    );
    site.write("content/imagenes/texto.jpg", "esto no es una foto");
    site.write_bytes("content/imagenes/iphone.heic", b"\0\0\0\x18ftypheic");
    site.write_bytes("content/imagenes/suelta.png", b"\x89PNG\r\n\x1a\nroto");
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "error: content/boletines/a.md:7:1: la imagen `imagenes/texto.jpg` no se puede publicar: su contenido no es una imagen JPEG, PNG ni WebP",
            "error: content/boletines/a.md:9:1: la imagen `imagenes/iphone.heic` no se puede publicar: el formato `.heic` no se muestra en todos los teléfonos: expórtela como JPEG (fotos) o PNG (dibujos, capturas)",
            "aviso: content/imagenes/iphone.heic: esta imagen no se publicará: el formato `.heic` no se muestra en todos los teléfonos: expórtela como JPEG (fotos) o PNG (dibujos, capturas)",
            // Nobody uses it: not published, so not even decoded.
            "aviso: content/imagenes/suelta.png: esta imagen no se publicará: ninguna página la usa: enlácela o muéstrela desde un boletín o una página, o bórrela de `content/imagenes/`",
            "aviso: content/imagenes/texto.jpg: esta imagen no se publicará: su contenido no es una imagen JPEG, PNG ni WebP",
        ]
    );
}

#[test]
fn an_unused_broken_image_is_a_warning_and_is_not_published() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "Texto.\n");
    site.write("content/imagenes/texto.jpg", "esto no es una foto");
    let summary = site.build().expect("build");
    assert_eq!(summary.warnings.len(), 1);
    assert!(!site.out("imagenes/texto.jpg").exists());
}

#[test]
fn huge_images_are_refused_before_decoding() {
    // A PNG header that claims 10,000 × 10,000 pixels.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(10_000u32.to_be_bytes());
    ihdr.extend(10_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    for chunk in [b"IDAT", b"IEND"] {
        png.extend(0u32.to_be_bytes());
        png.extend(chunk);
        png.extend(crc32(chunk).to_be_bytes());
    }
    let site = Site::new().bulletin(
        "a.md",
        "A",
        "2018-01-01",
        "{{ figura(imagen=\"imagenes/mapa.png\", alt=\"Mapa\") }}\n",
    );
    site.write_bytes("content/imagenes/mapa.png", &png);
    let errors = site.errors();
    assert_eq!(
        errors[0],
        "error: content/boletines/a.md:5:1: la imagen `imagenes/mapa.png` no se puede publicar: mide 10000 × 10000 píxeles (máximo 50 megapíxeles): redúzcala antes de añadirla"
    );
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn alt_text_is_required_unless_the_image_is_marked_decorative() {
    let site = Site::new()
        .bulletin(
            "a.md",
            "A",
            "2018-01-01",
            "![](@/imagenes/p.png)\n\n{{ figura(imagen=\"imagenes/p.png\", alt=\"\") }}\n",
        )
        .with(
            "content/boletines/b.md",
            "---\ntitulo: B\nfecha: 2018-01-01\nportada: {imagen: imagenes/p.png, decorativa: true}\n---\n\
             {{ figura(imagen=\"imagenes/p.png\", alt=\"\", decorativa=true) }}\n",
        );
    site.write_bytes("content/imagenes/p.png", &tiny_png());
    assert_eq!(
        site.errors(),
        [
            "error: content/boletines/a.md:5:1: la imagen no tiene texto alternativo: describa lo que muestra para quien no puede verla; escriba ![descripción](ruta); si la imagen es solo decorativa, use {{ figura(imagen=\"…\", alt=\"\", decorativa=true) }}",
            "error: content/boletines/a.md:7:1: la imagen no tiene texto alternativo: describa lo que muestra para quien no puede verla; escriba `alt=\"…\"`; si la imagen es solo decorativa, escriba `alt=\"\", decorativa=true`",
        ]
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: A\nfecha: 2018-01-01\n---\nx\n",
    );
    site.build_ok();
    let page = site.read("boletines/b/index.html");
    assert_eq!(page.matches("alt=\"\"").count(), 2, "{page}");
}

pub fn tiny_png() -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&[200; 8 * 4 * 3], 8, 4, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[test]
fn barrio_descriptions_check_their_links_and_images() {
    let site = Site::new()
        .with(
            "content/datos/territorios.yaml",
            "- {id: callao, nombre: Callao, ubigeo: \"07\"}\n",
        )
        .with(
            "content/datos/barrios.yaml",
            "- id: ventanilla\n  nombre: Ventanilla\n  territorio: callao\n  descripcion: \"Ver [el Callao](@/territorios/calao) y ![foto](imagenes/no.jpg)\"\n",
        );
    assert_eq!(
        site.errors(),
        [
            "error: content/datos/barrios.yaml:4:16: no se encuentra la imagen `imagenes/no.jpg`: la ruta es relativa a `content/` (por ejemplo imagenes/foto.jpg) o a la carpeta del boletín",
            "error: content/datos/barrios.yaml:4:16: el enlace `@/territorios/calao` apunta a un contenido que no existe: ¿quiso decir `@/territorios/callao`?",
        ]
    );
}

#[test]
fn barrio_photos_are_checked_and_get_their_versions() {
    let site = Site::new()
        .with(
            "content/datos/territorios.yaml",
            "- {id: callao, nombre: Callao, ubigeo: \"07\"}\n",
        )
        .with(
            "content/datos/barrios.yaml",
            "- id: ventanilla\n  nombre: Ventanilla\n  territorio: callao\n  fotos:\n    - {imagen: imagenes/patio.jpg, alt: Un patio}\n    - {imagen: imagenes/no.jpg, alt: Nada}\n",
        );
    site.write_bytes("content/imagenes/patio.jpg", &phone_photo(1000, 250, 1));
    assert_eq!(
        site.errors(),
        [
            "error: content/datos/barrios.yaml:6:16: no se encuentra la imagen `imagenes/no.jpg`: la ruta es relativa a `content/` (por ejemplo imagenes/foto.jpg) o a la carpeta del boletín"
        ]
    );
    site.write(
        "content/datos/barrios.yaml",
        "- id: ventanilla\n  nombre: Ventanilla\n  territorio: callao\n  fotos:\n    - {imagen: imagenes/patio.jpg, alt: Un patio}\n",
    );
    site.build_ok();
    let page = site.read("barrios/ventanilla/index.html");
    assert!(
        page.contains(
            "srcset=\"/sub/imagenes/patio-480w.jpg 480w, /sub/imagenes/patio.jpg 1000w\""
        ),
        "{page}"
    );
    assert!(page.contains("width=\"1000\" height=\"250\""), "{page}");
}
