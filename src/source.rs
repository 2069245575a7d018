//! Source text as editors wrote it: read once, normalised once (BOM stripped, CRLF → LF,
//! Unicode NFC), and able to turn a byte offset into the `line:column` that messages show.

use crate::diag::{Diagnostic, Position, Problem};
use std::path::{Path, PathBuf};

/// One text file of the site, normalised.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, as shown in messages.
    pub path: PathBuf,
    /// The text, without BOM and with `\n` line ends.
    pub text: String,
    /// Where each line starts, made the first time a position is asked for: most files
    /// never have a message, and indexing every line of ten thousand bulletins cost more
    /// than checking their encoding.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Wraps text already in memory (used by tests and by `read`).
    pub fn new(path: impl Into<PathBuf>, text: &str) -> Self {
        Self::from_string(path, text.to_string())
    }

    /// Wraps text read from a file, normalising it in place: a clean file (no BOM, no
    /// `\r`, composed or ASCII) is kept as read, without a copy.
    fn from_string(path: impl Into<PathBuf>, mut text: String) -> Self {
        if text.starts_with('\u{feff}') || memchr::memchr(b'\r', text.as_bytes()).is_some() {
            text = normalise(&text);
        }
        if let Some(composed) = nfc(&text) {
            text = composed;
        }
        SourceFile {
            path: path.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Reads `root/rel`; a missing file, an I/O error or non-UTF-8 bytes become a diagnostic.
    pub fn read(root: &Path, rel: &Path) -> Result<Self, Diagnostic> {
        Self::from_bytes(rel, read_bytes(root, rel)?)
    }

    /// Decodes bytes already read from `rel`; non-UTF-8 bytes become a diagnostic at the
    /// first bad byte.
    pub fn from_bytes(rel: &Path, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let text = utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let tmp = SourceFile::new(rel, &valid);
            Diagnostic::at(rel, tmp.position(offset), Problem::NotUtf8)
        })?;
        // A NUL byte is valid UTF-8 but never text an editor meant: a binary file, or a
        // corrupted save. pulldown-cmark would quietly turn it into U+FFFD.
        if let Some(at) = memchr::memchr(0, text.as_bytes()) {
            let tmp = SourceFile::new(rel, &text[..at]);
            return Err(Diagnostic::at(rel, tmp.position(at), Problem::NulByte));
        }
        if let Some((at, code)) = control_character(&text) {
            let tmp = SourceFile::new(rel, &text[..at]);
            return Err(Diagnostic::at(
                rel,
                tmp.position(at),
                Problem::ControlCharacter { code },
            ));
        }
        Ok(SourceFile::from_string(rel, text))
    }

    /// Moves the text out, leaving the path (and no text): a build frees each bulletin's
    /// text as soon as its body is rendered.
    pub fn take(&mut self) -> SourceFile {
        let empty = SourceFile {
            path: self.path.clone(),
            text: String::new(),
            line_starts: std::sync::OnceLock::new(),
        };
        std::mem::replace(self, empty)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = line_starts.partition_point(|&s| s <= offset);
        let start = line_starts[line.saturating_sub(1)];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Position::new(line.max(1), column)
    }

    /// A diagnostic at a byte offset of this file.
    pub fn error_at(&self, offset: usize, problem: Problem) -> Diagnostic {
        Diagnostic::at(&self.path, self.position(offset), problem)
    }
}

/// `String::from_utf8`, validated with SIMD (`simdutf8`: std's check was a fiftieth of a
/// build, its ASCII fast path broken by every accent); std's error, with the offset of the
/// first bad byte, for text that is not UTF-8. The library's one `unsafe` block: the
/// bytes were checked a line before, and checking them again is what this avoids.
#[allow(unsafe_code)]
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return String::from_utf8(bytes);
    }
    // SAFETY: `simdutf8` has just checked that `bytes` is UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// Strips a leading BOM and turns CRLF and lone CR into LF, so that every later step sees
/// one form of text (the same bulletin saved on Windows builds the same page).
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// The text in Unicode NFC when it is not already: `cancio\u{301}n` (decomposed, as macOS
/// names files and PDFs paste text) becomes `canción`, so one word is one tag, one slug,
/// one anchor and one search term. `None` (no copy) for ASCII or already composed text,
/// which is almost every file: the ASCII check is vectorised, and the quick check starts at
/// the first character from U+0300 on ([`below_combining`]).
pub fn nfc(text: &str) -> Option<String> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let from = below_combining(text);
    if from == text.len() || is_nfc_quick(text[from..].chars()) == IsNormalized::Yes {
        return None;
    }
    let composed: String = text.nfc().collect();
    (composed != text).then_some(composed)
}

/// Where the first character from U+0300 on starts (`text.len()` if there is none). Every
/// character below it (ASCII, Latin-1, the accented letters of Spanish, «», °) is its own
/// NFC form with combining class 0, so the quick check may start there: it was a fifth of a
/// build's reading time as one pass over every character. In UTF-8 such a character is a
/// byte below 0xCC (0xCC 0x80 is U+0300; continuation bytes are below 0xC0), and a byte from
/// 0xCC up is always a character's first.
fn below_combining(text: &str) -> usize {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    // Whole blocks by their largest byte (which compiles to vector instructions), then the
    // block that has one, byte by byte.
    let block = bytes
        .chunks(BLOCK)
        .position(|c| c.iter().fold(0, |m, &b| m.max(b)) >= 0xCC);
    block.map_or(bytes.len(), |n| {
        let start = n * BLOCK;
        start + bytes[start..].iter().position(|&b| b >= 0xCC).unwrap_or(0)
    })
}

/// Text files larger than this are refused before they are read: no bulletin, page or data
/// file is that long, and a 50 MB paste would make every build and every phone slow.
pub const MAX_TEXT_MIB: u64 = 16;

/// The bytes of `root/rel`; a missing file, an I/O error or a file over [`MAX_TEXT_MIB`]
/// becomes a diagnostic on `rel`.
pub fn read_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_bytes_meta(root, rel).map(|(bytes, _)| bytes)
}

/// [`read_bytes`], with the metadata of the file as it was opened for the read.
pub fn read_bytes_meta(
    root: &Path,
    rel: &Path,
) -> Result<(Vec<u8>, std::fs::Metadata), Diagnostic> {
    use std::io::Read;
    let io = |e: std::io::Error| {
        Diagnostic::in_file(
            rel,
            Problem::Io {
                detail: e.to_string(),
            },
        )
    };
    // One open: the size comes from the open file, not from a second lookup of the path.
    let file = std::fs::File::open(root.join(rel)).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    let len = meta.len();
    if len > MAX_TEXT_MIB << 20 {
        return Err(Diagnostic::in_file(
            rel,
            Problem::FileTooLarge {
                limit_mib: MAX_TEXT_MIB as usize,
            },
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // The size it had when opened, and no more: a file that grows meanwhile is read as it
    // was (never past the limit), and the end is known without asking the system for it
    // (a second `read` per file, ten thousand system calls at 10,000 bulletins).
    file.take(len).read_to_end(&mut bytes).map_err(io)?;
    Ok((bytes, meta))
}

/// The first character XML 1.0 cannot hold, with its offset: a C0 control other than tab,
/// line feed and carriage return, or U+FFFE/U+FFFF. Editors never mean one; it arrives with
/// text pasted from PDFs and word processors, and a feed holding one is dropped whole by
/// feed readers. (NUL is reported on its own, before this.)
pub fn control_character(text: &str) -> Option<(usize, u32)> {
    let bytes = text.as_bytes();
    // Blocks without any byte below 0x20 (nearly all) are passed over without a branch
    // per byte; U+FFFE/U+FFFF start with 0xEF, rare in Spanish text.
    // Within a block the flags are or-ed, not tested byte by byte, so the loop vectorises.
    let block_clean = |c: &[u8]| {
        c.iter().fold(0u8, |bad, &b| {
            bad | u8::from(b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
        }) == 0
    };
    let quick = bytes.chunks(64).all(block_clean) && memchr::memchr(0xEF, bytes).is_none();
    if quick {
        return None;
    }
    text.char_indices()
        .find_map(|(at, c)| is_forbidden(c).then_some((at, u32::from(c))))
}

/// See [`control_character`].
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let f = SourceFile::new("a.md", "ab\nñandú x\n");
        assert_eq!(f.position(0), Position::new(1, 1));
        assert_eq!(f.position(3), Position::new(2, 1));
        let x = f.text.find('x').unwrap_or_default();
        assert_eq!(f.position(x), Position::new(2, 7));
    }

    #[test]
    fn nfc_equals_its_plain_twin() {
        use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
        let plain = |text: &str| {
            if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
                return None;
            }
            let composed: String = text.nfc().collect();
            (composed != text).then_some(composed)
        };
        // Characters around every boundary the fast path draws: ASCII, Latin-1, the last
        // below U+0300, combining marks (in and out of order), Hangul, and the quads that
        // decompose to spaces.
        let pieces = [
            "a",
            "ñ",
            "«",
            "\u{2ff}",
            "\u{300}",
            "\u{301}",
            "\u{316}",
            "\u{327}",
            "e\u{301}",
            "\u{1100}\u{1161}",
            "\u{2000}",
            "—",
            "…",
            "\u{212b}",
            "\u{340}",
            "\u{ac00}",
            "😀",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            let len = (seed % 150) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(nfc(&text), plain(&text), "{text:?}");
        }
        assert_eq!(below_combining("ñandú «x»"), "ñandú «x»".len());
        assert_eq!(
            below_combining(&format!("{}e\u{301}", "a".repeat(130))),
            131
        );
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let f = SourceFile::new("d.md", "cancio\u{301}n y Pen\u{303}a");
        assert_eq!(f.text, "canción y Peña");
        let f = SourceFile::new("a.md", "\u{feff}a\r\nb\r\n");
        assert_eq!(f.text, "a\nb\n");
    }

    #[test]
    fn control_characters_are_found_where_they_are() {
        assert_eq!(control_character("texto\tcon\nsaltos\r"), None);
        assert_eq!(control_character("año\u{b}x"), Some((4, 0xB)));
        assert_eq!(control_character("ok \u{fffe}"), Some((3, 0xFFFE)));
        assert_eq!(control_character("\u{ef00} ok"), None);
        // Plain twin: every character below 0x20 and the two non-characters.
        for code in 0..0x20u32 {
            let c = char::from_u32(code).unwrap();
            let text = format!("{}{c}", "x".repeat(70));
            let want = (code != 9 && code != 10 && code != 13).then_some((70, code));
            assert_eq!(control_character(&text), want, "{code:#x}");
        }
    }
}
