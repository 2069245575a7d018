//! Splits a content file into its YAML front matter and its Markdown body, keeping the
//! body's absolute offset so that every later message points at the right line.

use crate::diag::{Diagnostic, Problem};
use crate::source::SourceFile;

/// The two parts of a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML text between the fences.
    pub yaml: &'a str,
    /// The line where `yaml` starts (always 2).
    pub yaml_line: usize,
    /// Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `file` at its `---` fences. The file text is already normalised (LF, no BOM).
pub fn split(file: &SourceFile) -> Result<Split<'_>, Diagnostic> {
    let text = file.text.as_str();
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| fence_with_spaces(text))
    else {
        return Err(file.error_at(0, Problem::FrontMatterMissing));
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(file.error_at(0, Problem::FrontMatterUnclosed))
}

fn fence_with_spaces(text: &str) -> Option<&str> {
    let (first, rest) = text.split_once('\n')?;
    (first.trim_end() == "---").then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_offsets() {
        let f = SourceFile::new("a.md", "---\ntitulo: A\n---\nHola\n");
        let s = split(&f).unwrap();
        assert_eq!(s.yaml, "titulo: A\n");
        assert_eq!(s.body, "Hola\n");
        assert_eq!(f.position(s.body_offset).line, 4);
    }

    #[test]
    fn a_fence_in_the_body_does_not_matter() {
        let f = SourceFile::new("a.md", "---\nt: 1\n---\n```\n---\n```\n");
        assert_eq!(split(&f).unwrap().body, "```\n---\n```\n");
    }

    #[test]
    fn missing_and_unclosed() {
        let f = SourceFile::new("a.md", "Hola\n");
        assert_eq!(*split(&f).unwrap_err().problem, Problem::FrontMatterMissing);
        let f = SourceFile::new("a.md", "---\ntitulo: A\n");
        assert_eq!(
            *split(&f).unwrap_err().problem,
            Problem::FrontMatterUnclosed
        );
    }
}
