//! The Markdown layer's tests: every pass, hook and guard, on small bodies.

use super::*;
use passes::safe_url;

#[test]
fn only_text_over_a_placeholder_is_searched_for_one() {
    let map = vec![(10, 20, 10, 30), (40, 45, 50, 70)];
    let splice = Splice {
        text: String::new(),
        map,
    };
    for (range, near) in [
        (0..10, false),
        (0..11, true),
        (29..31, true),
        (30..50, false),
        (45..51, true),
        (69..80, true),
        (70..80, false),
    ] {
        assert_eq!(splice.touches(&range), near, "{range:?}");
    }
}

struct Fake;
impl Hooks for Fake {
    fn shortcode(&mut self, call: &Shortcode) -> Result<String, Problem> {
        Ok(format!(
            "<figure>{}</figure>",
            call.text("alt").unwrap_or("")
        ))
    }
    fn internal_link(&mut self, target: &str, _: usize) -> Result<String, Problem> {
        match target {
            "boletines/a.md" => Ok("/sub/boletines/a/".into()),
            _ => Err(Problem::BrokenInternalLink {
                target: target.into(),
                suggestion: None,
            }),
        }
    }
    fn image(&mut self, path: &str) -> Result<ImageRef, Problem> {
        match path {
            "a.jpg" => Ok(ImageRef {
                src: "/sub/imagenes/a.jpg".into(),
                ..ImageRef::default()
            }),
            _ => Err(Problem::ImageNotFound { path: path.into() }),
        }
    }
}

fn html(body: &str) -> String {
    let (r, p) = render(body, &mut Fake);
    assert!(p.is_empty(), "{p:?}");
    r.html
}

#[test]
fn headings_get_spanish_ids_unique() {
    let h = html("## Comisión Multisectorial\n\n## Comisión Multisectorial\n");
    assert!(
        h.contains("<h2 id=\"comision-multisectorial\">Comisión Multisectorial</h2>"),
        "{h}"
    );
    assert!(h.contains("id=\"comision-multisectorial-2\""));
}

#[test]
fn headings_never_take_the_theme_ids() {
    let h = html("## Contenido\n\n## Notas título\n");
    assert!(h.contains("<h2 id=\"contenido-2\">"), "{h}");
    assert!(h.contains("<h2 id=\"notas-titulo-2\">"), "{h}");
}

#[test]
fn footnotes_are_numbered_at_the_end_with_backlinks() {
    let h = html("Texto[^b] y otro[^a].\n\n[^a]: Segunda.\n[^b]: Primera.\n");
    assert!(
        h.contains("<sup class=\"nota-ref\" id=\"ref-1\"><a href=\"#nota-1\""),
        "{h}"
    );
    assert!(!h.contains("footnote-definition"), "{h}");
    let notes = &h[h.find("<section class=\"notas\"").unwrap()..];
    assert!(notes.find("Primera").unwrap() < notes.find("Segunda").unwrap());
    assert!(
        notes.contains("<li id=\"nota-1\"><p>Primera. <a href=\"#ref-1\" class=\"nota-volver\"")
    );
}

#[test]
fn block_shortcode_replaces_its_paragraph_and_inline_code_stays_literal() {
    let h = html("Antes\n\n{{ figura(imagen=\"a.jpg\", alt=\"Patio\") }}\n\n`{{ figura() }}`\n");
    assert!(h.contains("\n<figure>Patio</figure>"), "{h}");
    assert!(!h.contains("<p><figure>"));
    assert!(h.contains("<code>{{ figura() }}</code>"));
}

#[test]
fn a_figure_inside_a_sentence_is_an_error() {
    let (_, p) = render(
        "Texto {{ figura(imagen=\"a\", alt=\"b\") }} más.\n",
        &mut Fake,
    );
    assert!(matches!(p[0].1, Problem::ShortcodeSyntax { .. }), "{p:?}");
    let (_, p) = render("## T {{ figura(imagen=\"a\", alt=\"b\") }}\n", &mut Fake);
    assert!(matches!(p[0].1, Problem::ShortcodeSyntax { .. }), "{p:?}");
}

#[test]
fn internal_links_resolve_and_broken_ones_report_offset() {
    assert!(html("[a](@/boletines/a.md)").contains("href=\"/sub/boletines/a/\""));
    let (_, p) = render("Hola [b](@/boletines/b.md)", &mut Fake);
    assert_eq!(p[0].0, 5);
}

#[test]
fn markdown_images_resolve_like_figures() {
    let h = html("![Patio *con* `flores`](@/a.jpg \"T\") ![Patio](a.jpg)");
    assert!(
        h.contains(
            "<img src=\"/sub/imagenes/a.jpg\" alt=\"Patio con flores\" title=\"T\" \
             loading=\"lazy\" decoding=\"async\">"
        ),
        "{h}"
    );
    let (_, p) = render("![x](imagenes/no.jpg)", &mut Fake);
    assert!(matches!(p[0].1, Problem::ImageNotFound { .. }));
}

#[test]
fn images_need_an_alt_and_must_be_inside_the_site() {
    let (_, p) = render(
        "![](a.jpg)\n\n![x](https://e.org/b.png) ![y](//e.org/c.png)",
        &mut Fake,
    );
    assert!(matches!(p[0].1, Problem::ImageWithoutAlt { .. }), "{p:?}");
    assert!(matches!(p[1].1, Problem::ExternalImage { .. }), "{p:?}");
    assert!(matches!(p[2].1, Problem::ExternalImage { .. }), "{p:?}");
    assert_eq!(p.len(), 3);
}

#[test]
fn script_urls_are_neutralised_as_before() {
    let old = |dest: &str| {
        let lower: String = dest
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        if ["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|s| lower.starts_with(s))
        {
            "#".to_string()
        } else {
            dest.to_string()
        }
    };
    for dest in [
        "",
        "https://www.gob.pe/mininter",
        "JAVASCRIPT:alert(1)",
        " java\tscript :alert(1)",
        "j a v a s c r i p t:x",
        "DaTa:text/html,x",
        "vbScript:x",
        "ĴAVASCRIPT:x",
        "javascript",
        "/boletines/a/",
        "data",
    ] {
        assert_eq!(safe_url(dest), old(dest), "{dest:?}");
    }
}

#[test]
fn raw_html_is_sanitised_with_a_warning_and_script_urls_neutralised() {
    let (r, p) = render(
        "Texto <abbr title=\"Ministerio del Interior\">Mininter</abbr>.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
        &mut Fake,
    );
    assert!(!r.html.contains("<script>"), "{}", r.html);
    assert!(!r.html.contains("alert"), "{}", r.html);
    assert!(
        r.html
            .contains("<abbr title=\"Ministerio del Interior\">Mininter</abbr>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"#\""));
    assert_eq!(
        p,
        vec![
            (
                62,
                Problem::HtmlRemoved {
                    what: "la etiqueta <script>".into()
                }
            ),
            (
                89,
                Problem::UnsafeBodyLink {
                    url: "javascript:alert(1)".into(),
                    place: "este enlace".into(),
                    image: false,
                }
            )
        ]
    );
}

#[test]
fn script_links_and_images_are_errors_at_their_place_and_never_reach_the_html() {
    let body = "[a](JaVaScRiPt:alert(1)) [b](&#106;avascript:x) <vbscript:x>\n\n\
                [c][r]\n\n[r]: data:text/html,x\n\n![d](data:image/svg+xml,x)\n\n\
                <a href=\"java&Tab;script:x\">e</a> <img src=\"&#x64;ata:x\" alt=\"f\">\n\n\
                [ok](https://e.org/) [mail](mailto:a@e.org) [tel](tel:+51) [s](/a/) [n](#x)";
    let (r, p) = render(body, &mut Fake);
    let refused: Vec<(usize, &str, &str)> = p
        .iter()
        .filter_map(|(at, p)| match p {
            Problem::UnsafeBodyLink { url, place, .. } => Some((*at, url.as_str(), place.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        refused,
        [
            (0, "JaVaScRiPt:alert(1)", "este enlace"),
            (25, "javascript:x", "este enlace"),
            (48, "vbscript:x", "este enlace"),
            (62, "data:text/html,x", "este enlace"),
            (93, "data:image/svg+xml,x", "esta imagen"),
            (130, "java&Tab;script:x", "`href`"),
            (165, "&#x64;ata:x", "`src`"),
        ],
        "{p:?}"
    );
    // No attribute holds them (an autolink's visible text may: it is only text).
    let lower = r.html.to_lowercase();
    for bad in ["javascript", "vbscript", "data:"] {
        assert!(!lower.contains(&format!("=\"{bad}")), "{bad}: {}", r.html);
    }
    for ok in ["https://e.org/", "mailto:a@e.org", "tel:+51", "/a/", "#x"] {
        assert!(
            r.html.contains(&format!("href=\"{ok}\"")),
            "{ok}: {}",
            r.html
        );
    }
}

#[test]
fn tables_are_wrapped_and_aligned() {
    let h = html("| a | n |\n|---|--:|\n| x | 1 |\n");
    assert!(
        h.contains("<div class=\"tabla\" role=\"region\" aria-label=\"Tabla 1\" tabindex=\"0\">")
    );
    assert!(h.contains("text-align: right"), "{h}");
}

#[test]
fn source_lines_get_their_class() {
    let h = html("| a |\n|---|\n| 1 |\n\nFuente: Dirección General.\n\nOtro.\n");
    assert!(
        h.contains("<p class=\"fuente\">Fuente: Dirección General.</p>"),
        "{h}"
    );
    assert!(h.contains("<p>Otro.</p>"));
}

#[test]
fn a_later_source_line_split_into_pieces_is_still_one() {
    // After the first paragraph only an opening is kept: «Fuente:» arriving in pieces
    // (an entity, emphasis) or after a long first piece must still be recognised, and a
    // paragraph that only mentions it later must not.
    let (r, _) = render(
        "Primero, completo y largo.\n\nF&#117;ente: *Dirección* General.\n\n\
         **Fuente:** INEI.\n\nUn texto largo que cita la Fuente: no es una.\n",
        &mut Fake,
    );
    assert_eq!(r.first_paragraph, "Primero, completo y largo.");
    assert_eq!(
        r.html.matches("<p class=\"fuente\">").count(),
        2,
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<p class=\"fuente\">Fuente: <em>Dirección</em> General.</p>")
    );
    assert!(
        r.html
            .contains("<p class=\"fuente\"><strong>Fuente:</strong> INEI.</p>")
    );
    assert!(
        r.html
            .contains("<p>Un texto largo que cita la Fuente: no es una.</p>")
    );
}

#[test]
fn first_paragraph_and_words() {
    let (r, _) = render("## T\n\nUno *dos* tres.\n\nCuatro.", &mut Fake);
    assert_eq!(r.first_paragraph, "Uno dos tres.");
    assert_eq!(r.words, 5);
}

#[test]
fn a_word_split_across_text_events_counts_once() {
    // Typographic quotes and entities split the text into several events: with and
    // without a shortcode (whose placeholders need the text joined), one count.
    let text = "L'Oréal \"dijo\" that's a&amp;b fin.";
    let (plain, _) = render(text, &mut Fake);
    assert_eq!(plain.words, 5);
    let with_call = format!("{text}\n\n{{{{ figura(imagen=\"a\", alt=\"b\") }}}}");
    let (spliced, _) = render(&with_call, &mut Fake);
    // The call's own paragraph (its placeholder) counts as one word, as it always has.
    assert_eq!(spliced.words, 5 + 1);
    // Short pieces with spaces in them (counted without the word counter's call).
    let (short, _) = render("a \"b\" c -- d\ne", &mut Fake);
    assert_eq!(short.words, "a “b” c – d e".split_whitespace().count());
}

#[test]
fn offsets_after_a_shortcode_map_back() {
    let body = "{{ figura(imagen=\"a\", alt=\"b\") }} [x](@/nada.md)";
    let (_, p) = render(body, &mut Fake);
    assert_eq!(p[0].0, body.find('[').unwrap());
}

#[test]
fn eight_thousand_equal_headings_and_explicit_ids_render_in_linear_time() {
    let (r, _) = render(&"## Avance\n\n".repeat(8_000), &mut Fake);
    assert_eq!(r.heading_ids.len(), 8_000);
    assert_eq!(r.heading_ids[7_999], "avance-8000");
    assert!(r.html.contains("<h2 id=\"avance-8000\">Avance</h2>"));
    let (r, _) = render(&"## Otro {#avance}\n\n".repeat(8_000), &mut Fake);
    assert_eq!(r.heading_ids[7_999], "avance-8000");
}

#[test]
fn two_headings_nota_no_longer_hang() {
    let h = html("## Nota\n\n## Nota\n\n## Nota 1\n");
    assert!(h.contains("<h2 id=\"nota\">"), "{h}");
    assert!(h.contains("<h2 id=\"nota-seccion\">"), "{h}");
    assert!(h.contains("<h2 id=\"nota-1-seccion\">"), "{h}");
}

#[test]
fn raw_html_nested_80000_deep_is_an_error_not_minutes() {
    let body = format!(
        "Texto.\n\n{}x{}\n",
        "<div>".repeat(80_000),
        "</div>".repeat(80_000)
    );
    let (r, p) = render(&body, &mut Fake);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0], (8, Problem::HtmlTooDeep { limit: 256 }));
    assert!(r.html.is_empty());
    // Deep Markdown in a body with raw HTML goes to the sanitiser as well.
    let (_, p) = render(
        &format!("<b>x</b>\n\n{} x\n", ">".repeat(50_000)),
        &mut Fake,
    );
    assert!(matches!(p[..], [(_, Problem::HtmlTooDeep { .. })]), "{p:?}");
    // Up to the limit, the body is sanitised as before.
    let nested = format!("{}x{}", "<div>".repeat(250), "</div>".repeat(250));
    let out = html(&nested);
    assert_eq!(out.matches("<div>").count(), 250, "{out}");
    assert!(out.contains("<div>x</div>"), "{out}");
    let paragraphs = "<p>uno\n".repeat(2_000);
    assert!(html(&paragraphs).contains("uno"));
}
