//! The Typst escaper: every text from content or data reaches the Typst source as a string
//! literal, so nothing an editor writes (`#`, `$`, `]`, `@x`, `<label>`, `\`, `//`, `/*`)
//! is ever read as Typst code or markup.

use std::fmt::Write;

/// `text` as a Typst string literal, quotes included.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as markup: an embedded string expression, ended by `;` so that nothing written
/// after it (a `.`, a `(`, a `[`) can continue it.
pub fn text(text: &str) -> String {
    format!("#{};", string(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_backslashes_and_controls_are_escaped() {
        assert_eq!(string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(string("x\ny\u{7}"), "\"x\\ny\\u{7}\"");
        assert_eq!(text("#set"), "#\"#set\";");
    }
}
