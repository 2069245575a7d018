//! SVG images, rewritten from an allow-list. An SVG is a document: opened at its own
//! address it runs its `<script>`s and `on…` handlers on the site's origin, and it can
//! load from other origins (`href`, `url(…)`, `@import`). So an SVG is never published
//! byte for byte: it is parsed (roxmltree: no DTD, so no entity tricks) and written again
//! with only the elements and attributes that draw — shapes, text, gradients, filters —
//! and only references inside the image itself (`#id`) or raster images embedded as
//! `data:`. Scripts, handlers, `<foreignObject>`, animations (which can set any attribute),
//! `<metadata>` (Inkscape keeps authors, places and dates there), comments and processing
//! instructions are left out. An image that is not well-formed SVG is refused with a reason.

use crate::html::escape;
use roxmltree::{Node, NodeType};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Deeper nesting is refused: drawings nest a few levels, and the limit bounds the work.
pub const MAX_DEPTH: usize = 256;
/// More nodes are refused (a parser limit, before any tree is built past it).
const MAX_NODES: u32 = 2_000_000;

/// Elements kept, with their attributes (if allowed) and children.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "image",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "style",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Elements whose tag is dropped but whose children are kept (a link's shapes still draw).
const UNWRAPPED: &[&str] = &["a", "switch"];

/// Attributes without a namespace that are kept (after [`css_is_safe`] on their value).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "d",
    "points",
    "pathLength",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "overflow",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "maskContentUnits",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "font-stretch",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "writing-mode",
    "direction",
    "unicode-bidi",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "method",
    "spacing",
    "side",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "stop-color",
    "stop-opacity",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "filter",
    "filterUnits",
    "primitiveUnits",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "mode",
    "type",
    "values",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "flood-color",
    "flood-opacity",
    "lighting-color",
    "surfaceScale",
    "diffuseConstant",
    "specularConstant",
    "specularExponent",
    "kernelMatrix",
    "order",
    "divisor",
    "bias",
    "targetX",
    "targetY",
    "edgeMode",
    "kernelUnitLength",
    "preserveAlpha",
    "scale",
    "xChannelSelector",
    "yChannelSelector",
    "radius",
    "baseFrequency",
    "numOctaves",
    "seed",
    "stitchTiles",
    "azimuth",
    "elevation",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "specularExponent",
    "limitingConeAngle",
    "tableValues",
    "slope",
    "intercept",
    "amplitude",
    "exponent",
    "color-interpolation",
    "color-interpolation-filters",
    "shape-rendering",
    "text-rendering",
    "image-rendering",
    "vector-effect",
    "paint-order",
    "mix-blend-mode",
    "isolation",
    "role",
    "lang",
    "focusable",
    "version",
    "media",
];

/// The image written again from its allow-list, or why it cannot be published (Spanish).
pub fn sanitize(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "no está en UTF-8: expórtela de nuevo como SVG".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => "declara un DOCTYPE, que un SVG publicado no necesita: \
                                          expórtela de nuevo como «SVG simple»"
            .to_string(),
        e => format!("no es un SVG bien formado (detalle: {e})"),
    })?;
    let root = doc.root_element();
    if !is_svg(root, "svg") {
        return Err(format!(
            "no es un SVG: su elemento principal es `<{}>`, no `<svg>`",
            root.tag_name().name()
        ));
    }
    let mut out = String::with_capacity(text.len());
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write_tree(root, &mut out)?;
    out.push('\n');
    Ok(out.into_bytes())
}

/// One step of the walk: an element (or text) to write, or an end tag to close.
enum Step<'a, 'input> {
    Visit(Node<'a, 'input>, usize),
    Close(&'a str),
}

/// Writes the kept part of the tree, without recursion (the depth is the editor's).
fn write_tree<'a, 'input>(root: Node<'a, 'input>, out: &mut String) -> Result<(), String> {
    let xlink = root.descendants().any(|n| {
        n.attributes()
            .any(|a| a.namespace() == Some(XLINK_NS) && a.name() == "href")
    });
    let mut stack = vec![Step::Visit(root, 0)];
    while let Some(step) = stack.pop() {
        let (node, depth) = match step {
            Step::Close(name) => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
                continue;
            }
            Step::Visit(node, depth) => (node, depth),
        };
        if depth > MAX_DEPTH {
            return Err(format!(
                "anida más de {MAX_DEPTH} elementos: simplifíquela (agrupe menos) y expórtela de nuevo"
            ));
        }
        match node.node_type() {
            NodeType::Text => {
                // A `<style>`'s text was checked with its element (`kept`).
                out.push_str(&escape(node.text().unwrap_or_default()));
                continue;
            }
            NodeType::Element => {}
            // Comments and processing instructions are left out.
            _ => continue,
        }
        let name = node.tag_name().name();
        let children = |stack: &mut Vec<Step<'a, 'input>>| {
            let kids: Vec<_> = node.children().collect();
            stack.extend(kids.into_iter().rev().map(|c| Step::Visit(c, depth + 1)));
        };
        if node.tag_name().namespace().is_some_and(|ns| ns == SVG_NS) && UNWRAPPED.contains(&name) {
            children(&mut stack);
            continue;
        }
        if !kept(node) {
            continue;
        }
        out.push('<');
        out.push_str(name);
        if depth == 0 {
            out.push_str(" xmlns=\"");
            out.push_str(SVG_NS);
            out.push('"');
            if xlink {
                out.push_str(" xmlns:xlink=\"");
                out.push_str(XLINK_NS);
                out.push('"');
            }
        }
        write_attributes(node, out);
        if node.has_children() {
            out.push('>');
            stack.push(Step::Close(name));
            children(&mut stack);
        } else {
            out.push_str("/>");
        }
    }
    Ok(())
}

/// An element of the SVG namespace named `name` (a file without `xmlns` counts as SVG).
fn is_svg(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace().is_none_or(|ns| ns == SVG_NS)
}

/// Whether an element is written: allowed, and for `<style>` a sheet that loads nothing.
fn kept(node: Node) -> bool {
    let name = node.tag_name().name();
    if !ELEMENTS.contains(&name) || !is_svg(node, name) {
        return false;
    }
    if name == "style" {
        return node
            .children()
            .all(|c| c.is_text() && css_is_safe(c.text().unwrap_or_default()));
    }
    true
}

fn write_attributes(node: Node, out: &mut String) {
    let element = node.tag_name().name();
    for a in node.attributes() {
        let (name, value) = (a.name(), a.value());
        let written = match a.namespace() {
            None if name == "href" => href_is_safe(element, value).then_some("href"),
            Some(XLINK_NS) if name == "href" => {
                href_is_safe(element, value).then_some("xlink:href")
            }
            None if ATTRIBUTES.contains(&name) || name.starts_with("aria-") => {
                css_is_safe(value).then_some(name)
            }
            Some(XML_NS) if name == "space" => Some("xml:space"),
            Some(XML_NS) if name == "lang" => Some("xml:lang"),
            _ => None,
        };
        if let Some(written) = written {
            out.push(' ');
            out.push_str(written);
            out.push_str("=\"");
            out.push_str(&escape(value));
            out.push('"');
        }
    }
}

/// A reference is kept only when it stays inside the image (`#id`), or, for `<image>`, when
/// it embeds a raster picture (`data:image/png;base64,…`).
fn href_is_safe(element: &str, value: &str) -> bool {
    let v = value.trim();
    if v.starts_with('#') {
        return !v.contains(['(', '\\']);
    }
    let lower = v.to_ascii_lowercase();
    element == "image"
        && ["png", "jpeg", "jpg", "gif", "webp"]
            .iter()
            .any(|t| lower.starts_with(&format!("data:image/{t};base64,")))
}

/// A style value or sheet that loads nothing and runs nothing: every `url(…)` points inside
/// the image, and none of `@import`, `expression(`, `javascript:`, bindings, or backslash
/// escapes (which could spell any of them) appears.
fn css_is_safe(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    const REFUSED: &[&str] = &[
        "\\",
        "@import",
        "expression",
        "javascript:",
        "behavior",
        "-moz-binding",
        "</",
        "data:",
    ];
    if REFUSED.iter().any(|r| lower.contains(r)) {
        return false;
    }
    lower.match_indices("url(").all(|(i, _)| {
        lower[i + 4..]
            .trim_start_matches([' ', '\t', '\n', '\r', '"', '\''])
            .starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> String {
        String::from_utf8(sanitize(svg.as_bytes()).expect("sanitised")).unwrap()
    }

    #[test]
    fn drawing_is_kept() {
        let out = clean(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><defs>\
             <linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/></linearGradient>\
             </defs><rect width=\"10\" height=\"10\" fill=\"url(#g)\"/>\
             <text x=\"1\" y=\"5\">Año &amp; día</text></svg>",
        );
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
             viewBox=\"0 0 10 10\"><defs><linearGradient id=\"g\"><stop offset=\"0\" \
             stop-color=\"#fff\"/></linearGradient></defs><rect width=\"10\" height=\"10\" \
             fill=\"url(#g)\"/><text x=\"1\" y=\"5\">Año &amp; día</text></svg>\n"
        );
    }

    #[test]
    fn scripts_handlers_and_outside_references_are_removed() {
        let out = clean(
            "<?xml version=\"1.0\"?><?xml-stylesheet href=\"https://e.example/x.css\"?>\
             <!-- autor: Ana, -12.05,-77.04 --><svg xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:h=\"http://www.w3.org/1999/xhtml\" \
             onload=\"alert(1)\"><script>alert(2)</script><metadata>GPS</metadata>\
             <foreignObject><h:iframe src=\"https://e.example\"/></foreignObject>\
             <a href=\"javascript:alert(3)\"><circle r=\"1\" onclick=\"alert(4)\" \
             style=\"fill:url(https://e.example/p)\"/></a>\
             <use xlink:href=\"https://e.example/s.svg#x\"/><use href=\"#ok\"/>\
             <image href=\"https://e.example/t.png\"/><SCRIPT>x</SCRIPT>\
             <set attributeName=\"href\" to=\"javascript:alert(5)\"/>\
             <style>@import url(https://e.example/a.css);</style>\
             <style>.a{fill:red}</style></svg>",
        );
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\"><circle r=\"1\"/><use/>\
             <use href=\"#ok\"/><image/><style>.a{fill:red}</style></svg>\n"
        );
    }

    #[test]
    fn what_is_not_svg_is_refused_with_a_reason() {
        let e = sanitize(b"<html><script>alert(1)</script></html>").unwrap_err();
        assert_eq!(
            e,
            "no es un SVG: su elemento principal es `<html>`, no `<svg>`"
        );
        let e = sanitize(b"<!DOCTYPE svg [<!ENTITY a \"b\">]><svg/>").unwrap_err();
        assert!(e.starts_with("declara un DOCTYPE"), "{e}");
        let e = sanitize(b"<svg><g></svg>").unwrap_err();
        assert!(e.starts_with("no es un SVG bien formado (detalle: "), "{e}");
        let deep = format!("<svg>{}{}</svg>", "<g>".repeat(300), "</g>".repeat(300));
        let e = sanitize(deep.as_bytes()).unwrap_err();
        assert!(e.starts_with("anida más de 256"), "{e}");
        // The parser does not recurse either: far deeper nesting is a reason, not a crash.
        let deeper = format!(
            "<svg>{}{}</svg>",
            "<g>".repeat(200_000),
            "</g>".repeat(200_000)
        );
        assert!(sanitize(deeper.as_bytes()).is_err());
    }
}
