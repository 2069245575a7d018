//! Which assets the model keeps: the images and files a published page or dataset names,
//! placed at their URLs, and their paths checked. The rest are left out with a warning.

use super::Entry;
use crate::assets::{Asset, AssetKind};
use crate::config::SiteConfig;
use crate::content::Document;
use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The names below `content/imagenes/` that `docs`, the logo and the barrios' photos and
/// descriptions may name (see [`crate::content::mentions`]).
pub(super) fn image_names<'a>(
    docs: impl Iterator<Item = &'a Document>,
    config: &SiteConfig,
    data: &crate::data::Data,
) -> std::collections::HashSet<String> {
    use crate::content::mentions::{image_mentions, names_in};
    let mut mentions: Vec<String> = docs
        .flat_map(|d| d.image_mentions.iter().cloned())
        .collect();
    let mut texts: Vec<&str> = config.logo.iter().map(String::as_str).collect();
    for b in &data.records.barrios {
        texts.extend(b.photos.iter().map(|p| p.image.value.as_str()));
        texts.extend(b.description.as_deref());
    }
    for t in texts {
        mentions.extend(image_mentions(t));
    }
    mentions.iter().flat_map(|m| names_in(m)).collect()
}

/// The assets to publish: every file of a bundle (its bulletin is published), and the files
/// of `content/imagenes/` that a published page names. The others are not published; those
/// nothing names at all get a warning (one named only by a draft or an embargoed bulletin
/// waits for it silently).
pub(super) fn only_named(
    assets: Vec<Asset>,
    named: &std::collections::HashSet<String>,
    named_anywhere: &std::collections::HashSet<String>,
    warnings: &mut Diagnostics,
) -> Vec<Asset> {
    assets
        .into_iter()
        .filter(|a| {
            let Ok(name) = a.source.strip_prefix("content/imagenes") else {
                return true;
            };
            let name = crate::content::composed(display_path(name));
            if named.contains(&name) {
                return true;
            }
            if !named_anywhere.contains(&name) {
                warnings.push(Diagnostic::in_file(
                    &a.source,
                    Problem::ImageNotPublished {
                        reason: "ninguna página la usa: enlácela o muéstrela desde un boletín \
                                 o una página, o bórrela de `content/imagenes/`"
                            .into(),
                    },
                ));
            }
            false
        })
        .collect()
}

/// Images under `content/imagenes/` keep their path; files of a bundle go beside its page.
pub(super) fn place_assets(assets: &[PathBuf], bulletins: &[Entry]) -> Vec<Asset> {
    let bundles: BTreeMap<&Path, &str> = bulletins
        .iter()
        .filter_map(|e| e.doc.bundle.as_deref().map(|b| (b, e.url.as_str())))
        .collect();
    let mut out: Vec<Asset> = assets
        .iter()
        .filter_map(|source| {
            let bundle = source
                .ancestors()
                .skip(1)
                .find_map(|a| bundles.get(a).map(|url| (a, *url)));
            let output = match bundle {
                Some((dir, url)) => {
                    format!("{url}{}", display_path(source.strip_prefix(dir).ok()?))
                }
                None if source.starts_with("content/imagenes") => {
                    display_path(source.strip_prefix("content").ok()?)
                }
                None => return None,
            };
            let (kind, new_ext) = AssetKind::of(source);
            let output = match new_ext.zip(output.rsplit_once('.')) {
                Some((ext, (stem, _))) => format!("{stem}.{ext}"),
                None => output,
            };
            Some(Asset {
                source: source.clone(),
                output,
                kind,
            })
        })
        .collect();
    out.sort();
    out
}

/// Two files must not be published at one path, counting the narrower versions of images
/// (`foto-480w.jpg`) and WebP photos published as `.jpg`.
pub(super) fn check_asset_paths(assets: &[Asset], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &Asset> = BTreeMap::new();
    for a in assets {
        let mut paths = vec![a.output.clone()];
        if matches!(a.kind, AssetKind::Image(_)) {
            paths.extend(
                crate::assets::WIDTHS
                    .iter()
                    .map(|w| crate::assets::variant_path(&a.output, *w)),
            );
        }
        for p in paths {
            if let Some(other) = seen.insert(p.clone(), a) {
                diags.push(Diagnostic::in_file(
                    &a.source,
                    Problem::AssetPathTaken {
                        url: format!("/{p}"),
                        other: display_path(&other.source),
                    },
                ));
            }
        }
    }
}

/// The size an SVG declares on its root element: `width`/`height` in pixels, else its
/// `viewBox`.
pub(super) fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let pattern = format!(" {name}=\"");
        let from = tag.find(&pattern)? + pattern.len();
        Some(&tag[from..from + tag[from..].find('"')?])
    };
    let pixels = |v: &str| {
        v.trim()
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
    };
    if let (Some(w), Some(h)) = (
        attr("width").and_then(pixels),
        attr("height").and_then(pixels),
    ) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let view: Vec<f64> = attr("viewBox")?
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    match view[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::svg_size;

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size("<svg xmlns=\"x\" width=\"1200\" height=\"630px\">"),
            Some((1200, 630))
        );
        assert_eq!(
            svg_size("<?xml?><svg viewBox=\"0 0 360 1145\" role=\"img\">"),
            Some((360, 1145))
        );
        assert_eq!(svg_size("<svg width=\"100%\">"), None);
    }
}
