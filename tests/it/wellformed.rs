//! A seeded property test (issue 28): whatever characters editors write in titles,
//! summaries, tags, authors, data cells and chart labels, the Atom feed, the sitemap, the
//! chart SVGs and the JSON downloads stay well-formed (parsed back with roxmltree and
//! serde_json). Inputs with characters the reader refuses (controls) must fail the build;
//! every other input must build.

use crate::harness::Site;

/// A small xorshift generator: the same seed, the same cases, on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A string of pieces that break escaping, random code points (no surrogates) and
    /// now and then a control character.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "]]>",
            "<",
            ">",
            "&",
            "&amp;",
            "\"",
            "'",
            "<![CDATA[",
            "</title>",
            "<!--",
            "-->",
            "\\",
            "{{",
            "}}",
            "\u{2028}",
            "\u{feff}",
            "ñ",
            "😀",
            "a\u{301}",
            "\u{fffd}",
            "&#0;",
            "\u{85}",
            " ",
            "x",
        ];
        let mut out = String::new();
        for _ in 0..1 + self.below(8) {
            match self.below(10) {
                0..=5 => out.push_str(PIECES[self.below(PIECES.len())]),
                6..=8 => {
                    let c = loop {
                        let n = (self.next() % 0x11_0000) as u32;
                        if let Some(c) = char::from_u32(n) {
                            break c;
                        }
                    };
                    out.push(c);
                }
                _ => out.push(char::from_u32(1 + (self.next() % 31) as u32).unwrap_or('\u{1}')),
            }
        }
        out
    }
}

/// A YAML double-quoted scalar holding `s` exactly (every character escaped by code).
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{85}' || c == '\u{2028}' || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c < ' ' && c != '\t' && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}')
}

#[test]
fn feeds_sitemap_chart_svgs_and_json_stay_well_formed_for_any_text() {
    let mut rng = Rng(0x5eed_b01e_714e);
    let (mut built, mut refused) = (0, 0);
    for case in 0..24 {
        let mut texts: Vec<String> = (0..6).map(|_| rng.text()).collect();
        // The label is written raw in the body, where a carriage return is a line end.
        texts[5] = texts[5].replace('\r', "");
        let [title, summary, tag, author, cell, label] = &texts[..] else {
            unreachable!()
        };
        // Written raw in the body: a control character there is refused too.
        let label_arg = format!(
            "\"{}\"",
            label
                .replace(['"', '\\'], "'")
                .replace("{{", "{ {")
                .replace("}}", "} }")
        );
        let site = Site::new()
            .with(
                "content/datos/cifras.yaml",
                &format!(
                    "- {{zona: {}, total: 3}}\n- {{zona: {}, total: 5}}\n",
                    quoted(cell),
                    quoted(&format!("{cell}2"))
                ),
            )
            .with(
                "content/boletines/a.md",
                &format!(
                    "---\ntitulo: {}\nfecha: 2018-01-01\nresumen: {}\netiquetas: [{}]\nautor: {}\n---\n\
                     {{{{ grafico(datos=\"cifras\", x=\"zona\", y=\"total\", titulo={}) }}}}\n",
                    quoted(&format!("T{title}")),
                    quoted(summary),
                    quoted(&format!("e{tag}")),
                    quoted(author),
                    label_arg
                ),
            );
        let expect_refusal = texts.iter().any(|t| has_control(t));
        match site.build() {
            Err(d) => {
                refused += 1;
                let text: Vec<String> = d.iter().map(ToString::to_string).collect();
                assert!(expect_refusal, "case {case}: {texts:?} refused: {text:#?}");
                continue;
            }
            Ok(_) => {
                built += 1;
                assert!(
                    !expect_refusal,
                    "case {case}: {texts:?} built with a control char"
                );
            }
        }
        for (path, bytes) in site.snapshot() {
            let text = String::from_utf8_lossy(&bytes);
            if path.ends_with(".xml") || path.ends_with(".svg") {
                let options = roxmltree::ParsingOptions {
                    allow_dtd: false,
                    ..Default::default()
                };
                if let Err(e) = roxmltree::Document::parse_with_options(&text, options) {
                    panic!("case {case}: {path} is not well-formed ({e}) for {texts:?}");
                }
            } else if path.ends_with(".json")
                && let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes)
            {
                panic!("case {case}: {path} is not JSON ({e}) for {texts:?}");
            }
        }
    }
    // Both kinds of case were exercised.
    assert!(built > 3 && refused > 3, "built {built}, refused {refused}");
}
