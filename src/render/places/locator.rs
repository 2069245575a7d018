//! The locator maps of barrio and territory pages. The country is drawn once, into a
//! content-hashed file beside the pages (`mapas/<map>.<hash>.svg`, cached by the browser for
//! every page that shows it); each page's map is a small SVG that shows that drawing as an
//! `<image>` and draws over it only its own territory, in the highlight colour, and its
//! barrios' points. Both use the national map's [`map::Frame`] and [`map::paths`], so the
//! highlight covers the shape beneath it exactly. A territory too small to be seen at
//! locator size (the Callao is a few units of 400 across) gets a ring and a zoomed inset in
//! the corner of the map where it covers the least land, tied to the ring by a line.

use crate::model::SiteModel;
use crate::output::{OutputFile, hashed_path};
use crate::render::charts::{esc, n};
use crate::render::map::{self, EMPTY, Frame, HIGHLIGHT, Point, STROKE};
use std::fmt::Write;

/// Below this size (viewBox units across) a highlighted territory gets a ring and an inset.
const SMALL: f64 = 12.0;
/// The inset's side, in viewBox units (of 400 across).
const INSET: f64 = 150.0;

/// One shape of the map as the locators draw it.
#[derive(Debug)]
struct Drawn {
    territory: Option<String>,
    d: String,
    /// (x0, y0, x1, y1) in viewBox units.
    bbox: (f64, f64, f64, f64),
    /// Its vertices as the data has them, projected: where the inset would cover land.
    vertices: Vec<(f64, f64)>,
}

/// The shared drawing and what each page's locator draws over it; made once per build.
#[derive(Debug)]
pub struct Locators {
    /// The shared drawing, `mapas/<map>.<hash>.svg`.
    pub file: OutputFile,
    /// Its address from the site's root (`/sub/mapas/…`).
    href: String,
    frame: Frame,
    shapes: Vec<Drawn>,
}

impl Locators {
    /// The locators of the site's map, or `None` without one.
    pub fn new(model: &SiteModel) -> Option<Self> {
        let m = model.data.map.as_ref()?;
        let frame = Frame::of(m);
        let shapes: Vec<Drawn> = m
            .shapes
            .iter()
            .zip(map::paths(m, &frame))
            .map(|(shape, d)| {
                let vertices: Vec<(f64, f64)> = shape
                    .polygons
                    .iter()
                    .flatten()
                    .flatten()
                    .map(|&(lon, lat)| frame.project(lon, lat))
                    .collect();
                let bbox = vertices
                    .iter()
                    .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, &(x, y)| {
                        (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y))
                    });
                Drawn {
                    territory: shape.territory.clone(),
                    d,
                    bbox,
                    vertices,
                }
            })
            .collect();
        let bytes = shared_svg(&frame, &shapes).into_bytes();
        let stem = std::path::Path::new(&m.file)
            .file_stem()
            .map(|s| crate::content::slug::slugify(&s.to_string_lossy()))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "mapa".into());
        let path = hashed_path(&format!("mapas/{stem}.svg"), &bytes);
        Some(Locators {
            href: format!("{}{path}", model.config.base_url.path),
            file: OutputFile {
                path,
                bytes: bytes.into(),
            },
            frame,
            shapes,
        })
    }

    /// A page's locator: `territory` highlighted, `points` marked; `name` is the
    /// territory's name for the description.
    pub fn svg(
        &self,
        territory: &str,
        name: &str,
        points: &[Point],
        id: &str,
        title: &str,
    ) -> String {
        let (w, h) = (self.frame.width, self.frame.height);
        let own: Vec<&Drawn> = self
            .shapes
            .iter()
            .filter(|s| s.territory.as_deref() == Some(territory))
            .collect();
        let bbox = own
            .iter()
            .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, s| {
                (
                    b.0.min(s.bbox.0),
                    b.1.min(s.bbox.1),
                    b.2.max(s.bbox.2),
                    b.3.max(s.bbox.3),
                )
            });
        let small = bbox.0 <= bbox.2 && (bbox.2 - bbox.0).max(bbox.3 - bbox.1) < SMALL;
        let mut desc = format!("Mapa del Perú por territorios; resalta {name}.");
        if small {
            let _ = write!(desc, " Un recuadro amplía la zona de {name}.");
        }
        let id = esc(id);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-titulo {id}-desc\" class=\"mapa__svg\"><title id=\"{id}-titulo\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            n(w),
            n(h),
            esc(title),
            esc(&desc)
        );
        self.image(&mut out);
        highlight(&own, "", &mut out);
        marks(points, &self.frame, 1.0, &mut out);
        if small {
            self.inset(bbox, &own, points, &mut out);
        }
        out.push_str("</svg>");
        out
    }

    fn image(&self, out: &mut String) {
        let _ = write!(
            out,
            "<image href=\"{}\" width=\"{}\" height=\"{}\"/>",
            esc(&self.href),
            n(self.frame.width),
            n(self.frame.height)
        );
    }

    /// The ring around a small territory, the line to the inset, and the inset: the
    /// territory and its neighbours drawn again, zoomed so it is a third of the inset.
    fn inset(&self, b: (f64, f64, f64, f64), own: &[&Drawn], points: &[Point], out: &mut String) {
        let (cx, cy) = ((b.0 + b.2) / 2.0, (b.1 + b.3) / 2.0);
        let view = ((b.2 - b.0).max(b.3 - b.1) * 3.0).max(SMALL);
        let (v0, v1) = (cx - view / 2.0, cy - view / 2.0);
        let (x, y) = self.corner((cx, cy));
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"{HIGHLIGHT}\" stroke-width=\"2.5\"/>",
            n(cx),
            n(cy),
            n(SMALL)
        );
        // The line leaves the ring towards the inset's nearest point.
        let (ex, ey) = (cx.clamp(x, x + INSET), cy.clamp(y, y + INSET));
        let len = (ex - cx).hypot(ey - cy);
        if len > SMALL {
            let _ = write!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{HIGHLIGHT}\" stroke-width=\"1.5\"/>",
                n(cx + (ex - cx) / len * SMALL),
                n(cy + (ey - cy) / len * SMALL),
                n(ex),
                n(ey)
            );
        }
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" stroke=\"{HIGHLIGHT}\" stroke-width=\"1.5\"/><svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\">",
            n(x),
            n(y),
            n(INSET),
            n(INSET),
            n(x),
            n(y),
            n(INSET),
            n(INSET),
            n(v0),
            n(v1),
            n(view),
            n(view)
        );
        let seen = |s: &&Drawn| {
            s.bbox.0 <= v0 + view && s.bbox.2 >= v0 && s.bbox.1 <= v1 + view && s.bbox.3 >= v1
        };
        let neighbours: Vec<&Drawn> = self
            .shapes
            .iter()
            .filter(seen)
            .filter(|s| !own.iter().any(|o| std::ptr::eq(*o, *s)))
            .collect();
        for s in neighbours {
            let _ = write!(
                out,
                "<path d=\"{}\" fill=\"{EMPTY}\" stroke=\"{STROKE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\" vector-effect=\"non-scaling-stroke\"/>",
                s.d
            );
        }
        highlight(own, " vector-effect=\"non-scaling-stroke\"", out);
        marks(points, &self.frame, view / INSET, out);
        out.push_str("</svg>");
    }

    /// The inset's top-left corner: of the four corners of the map (a small margin in),
    /// the one whose square covers the fewest points of any border, and not the
    /// territory itself; the bottom left first on a tie (the sea, on Peru's map).
    fn corner(&self, territory: (f64, f64)) -> (f64, f64) {
        let (w, h, m) = (self.frame.width, self.frame.height, 4.0);
        let candidates = [
            (m, h - INSET - m),
            (w - INSET - m, h - INSET - m),
            (m, m),
            (w - INSET - m, m),
        ];
        let inside = |(x, y): (f64, f64), (px, py): (f64, f64)| {
            px >= x && px <= x + INSET && py >= y && py <= y + INSET
        };
        let cost = |c: (f64, f64)| -> usize {
            if inside(c, territory) {
                return usize::MAX;
            }
            self.shapes
                .iter()
                .flat_map(|s| &s.vertices)
                .filter(|p| inside(c, **p))
                .count()
        };
        candidates
            .into_iter()
            .min_by_key(|c| cost(*c))
            .unwrap_or(candidates[0])
    }
}

/// The shared drawing: every shape, unlinked, in the empty colour.
fn shared_svg(frame: &Frame, shapes: &[Drawn]) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\"><g fill=\"{EMPTY}\" stroke=\"{STROKE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\">",
        w = n(frame.width),
        h = n(frame.height)
    );
    for s in shapes {
        let _ = write!(out, "<path d=\"{}\"/>", s.d);
    }
    out.push_str("</g></svg>\n");
    out
}

fn highlight(own: &[&Drawn], extra: &str, out: &mut String) {
    for s in own {
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"{HIGHLIGHT}\" stroke=\"{STROKE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\"{extra}/>",
            s.d
        );
    }
}

/// The barrios' points, `scale` times their size on the whole map (smaller in the inset).
fn marks(points: &[Point], frame: &Frame, scale: f64, out: &mut String) {
    for p in points {
        let (x, y) = frame.project(p.lon, p.lat);
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#1b1b1b\" stroke=\"#ffffff\" stroke-width=\"{}\"/>",
            n(x),
            n(y),
            n4(4.0 * scale),
            n4(1.5 * scale)
        );
    }
}

/// A size that may be a fraction of a unit (inside the inset), to two decimals.
fn n4(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    format!("{r}")
}
