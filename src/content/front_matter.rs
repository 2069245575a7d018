//! A content file's front matter: split from the Markdown body at its `---` fences
//! ([`split`], keeping the body's absolute offset so that every later message points at the
//! right line), then read key by key into a validated [`FrontMatter`]
//! ([`read_front_matter`]): dates, the cover, corrections, `extra` as JSON.

use super::{Document, Kind};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Problem};
use crate::format::parse_date;
use crate::source::SourceFile;
use crate::yaml::{Fields, Located, Node, Value};
use jiff::civil::Date;

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

/// Keys a bulletin or page may have.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "titulo",
    "fecha",
    "resumen",
    "etiquetas",
    "territorios",
    "barrios",
    "portada",
    "autor",
    "actualizado",
    "slug",
    "plantilla",
    "borrador",
    "publicar_desde",
    "correcciones",
    "alias",
    "indice",
    "anunciar",
    "extra",
    "pdf",
];

/// Validated front matter.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `titulo`
    pub title: String,
    /// `fecha`
    pub date: Option<Date>,
    /// `resumen`
    pub summary: Option<String>,
    /// `etiquetas`
    pub tags: Vec<String>,
    /// `territorios`
    pub territories: Vec<Located<String>>,
    /// `barrios`
    pub barrios: Vec<Located<String>>,
    /// `portada`
    pub cover: Option<Cover>,
    /// `autor`
    pub author: Option<String>,
    /// `actualizado`
    pub updated: Option<Date>,
    /// `slug`
    pub slug: Option<Located<String>>,
    /// `plantilla`
    pub template: Option<Located<String>>,
    /// `borrador`
    pub draft: bool,
    /// `publicar_desde`, as an instant.
    pub publish_from: Option<jiff::Timestamp>,
    /// `correcciones`, in the order written.
    pub corrections: Vec<Correction>,
    /// `alias`: old addresses (site paths, `/boletines/viejo/`) that send readers here.
    pub aliases: Vec<Located<String>>,
    /// `indice`: a table of contents always (`true`) or never (`false`); by default, one
    /// past [`TOC_FROM`] second-level headings.
    pub toc: Option<bool>,
    /// `anunciar: true`: while embargoed, its title and planned instant are listed on
    /// `/proximas/` (nothing else of it appears anywhere).
    pub announce: bool,
    /// `extra`, free for themes.
    pub extra: serde_json::Value,
    /// `pdf`: this bulletin's own choice, over the site's.
    pub pdf: Option<bool>,
}

/// Second-level headings from which a long document gets a table of contents by itself.
pub const TOC_FROM: usize = 4;

impl FrontMatter {
    /// The last day the document changed: its latest correction, `actualizado`, or `fecha`.
    /// Feeds, the sitemap and the JSON-LD all date a change by it.
    pub fn last_modified(&self) -> Option<Date> {
        let corrected = self.corrections.iter().map(|c| c.date.value).max();
        [self.updated.or(self.date), corrected]
            .into_iter()
            .flatten()
            .max()
    }
}

/// A dated correction (`correcciones: [{fecha, texto, menor}]`): shown under the title unless
/// `menor`, and always in the change history.
#[derive(Debug, Clone)]
pub struct Correction {
    /// `fecha`
    pub date: Located<Date>,
    /// `texto`: what was corrected.
    pub text: String,
    /// `menor: true`: a typo fix, shown only in the history.
    pub minor: bool,
}

/// A cover image.
#[derive(Debug, Clone)]
pub struct Cover {
    /// Image path as written.
    pub image: Located<String>,
    /// Alternative text.
    pub alt: String,
    /// Credit line.
    pub credit: Option<String>,
}

pub(super) fn read_front_matter(
    file: &SourceFile,
    node: &Node,
    kind: Kind,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    let mut f = Fields::new(file, node, FRONT_MATTER_KEYS, diags)?;
    let title = f.required_text("titulo");
    let date = if kind == Kind::Bulletin && f.node("fecha").is_none() {
        f.missing("fecha");
        None
    } else {
        read_date(&mut f, "fecha")
    };
    let cover = read_cover(&mut f);
    let front = FrontMatter {
        title: title.map(|t| t.value).unwrap_or_default(),
        date,
        summary: f.text("resumen").map(|t| t.value),
        tags: f.text_list("etiquetas"),
        territories: f.located_text_list("territorios"),
        barrios: f.located_text_list("barrios"),
        cover,
        author: f.text("autor").map(|t| t.value),
        updated: read_date(&mut f, "actualizado"),
        slug: f.text("slug"),
        template: f.text("plantilla"),
        draft: f.boolean("borrador").unwrap_or(false),
        publish_from: read_instant(&mut f, "publicar_desde", &config.time_zone),
        corrections: read_corrections(&mut f),
        aliases: f.located_text_list("alias"),
        toc: f.boolean("indice"),
        announce: f.boolean("anunciar").unwrap_or(false),
        extra: f.node("extra").map_or(serde_json::Value::Null, |extra| {
            super::extra_links::check(extra, &mut |at, problem| f.error(at, problem));
            to_json(extra)
        }),
        pdf: f.pdf_switch("pdf"),
    };
    Some(front)
}

/// Every correction must be dated between its document's `fecha` and `today`: a correction
/// cannot come before what it corrects, nor be announced ahead.
pub fn check_corrections(docs: &[std::sync::Arc<Document>], today: Date, diags: &mut Diagnostics) {
    for doc in docs {
        for c in &doc.front.corrections {
            if let Some(problem) = correction_problem(c, doc.front.date, today) {
                diags.push(crate::diag::Diagnostic::at(
                    &doc.file.path,
                    c.date.position,
                    problem,
                ));
            }
        }
    }
}

/// What is wrong with a correction's date, if anything: before `published` (when what it
/// corrects has a date) or after `today`. Bulletins and datasets share this rule.
pub fn correction_problem(c: &Correction, published: Option<Date>, today: Date) -> Option<Problem> {
    match published {
        Some(p) if c.date.value < p => Some(Problem::CorrectionBeforeDate {
            date: crate::format::long_date(c.date.value),
            published: crate::format::long_date(p),
        }),
        _ if c.date.value > today => Some(Problem::CorrectionInFuture {
            date: crate::format::long_date(c.date.value),
        }),
        _ => None,
    }
}

/// `correcciones: [{fecha, texto, menor}]`, for a bulletin's front matter and a dataset's
/// metadata alike.
pub fn read_corrections(f: &mut Fields<'_>) -> Vec<Correction> {
    let file = f.file();
    let mut out = Vec::new();
    for node in f.list_of_maps("correcciones") {
        let Some(mut c) = Fields::new(file, node, &["fecha", "texto", "menor"], f.diags()) else {
            continue;
        };
        let position = c.node("fecha").map(|n| n.position);
        let date = match (read_date(&mut c, "fecha"), position) {
            (Some(d), Some(at)) => Some(Located {
                value: d,
                position: at,
            }),
            _ => {
                if c.node("fecha").is_none() {
                    c.missing("fecha");
                }
                None
            }
        };
        let text = c.required_text("texto");
        let minor = c.boolean("menor").unwrap_or(false);
        if let (Some(date), Some(text)) = (date, text) {
            out.push(Correction {
                date,
                text: text.value,
                minor,
            });
        }
    }
    out
}

fn read_date(f: &mut Fields<'_>, key: &str) -> Option<Date> {
    let t = f.text(key)?;
    let date = parse_date(&t.value);
    if date.is_none() {
        f.error(
            t.position,
            Problem::InvalidDate {
                field: key.into(),
                value: t.value,
            },
        );
    }
    date
}

/// `AAAA-MM-DD`, `AAAA-MM-DD HH:MM[:SS]` in the site's zone, or RFC 3339 with an offset.
fn read_instant(f: &mut Fields<'_>, key: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::Timestamp> {
    let t = f.text(key)?;
    let text = t.value.trim();
    let parsed = crate::format::parse_instant(text, tz);
    if parsed.is_none() {
        f.error(
            t.position,
            Problem::InvalidDateTime {
                field: key.into(),
                value: t.value,
            },
        );
    }
    parsed
}

fn read_cover(f: &mut Fields<'_>) -> Option<Cover> {
    let mut c = f.map("portada", &["imagen", "alt", "credito", "decorativa"])?;
    let image = c.required_text("imagen")?;
    let decorative = c.boolean("decorativa").unwrap_or(false);
    let alt = c
        .text("alt")
        .map(|t| t.value)
        .filter(|a| !a.trim().is_empty())
        .or(decorative.then(String::new));
    let credit = c.text("credito").map(|t| t.value);
    let Some(alt) = alt else {
        c.error(image.position, Problem::CoverWithoutAlt);
        return None;
    };
    Some(Cover { image, alt, credit })
}

/// A YAML node as JSON, for `extra`.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f, _) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            J::Object(entries.iter().map(|(k, v)| (k.key(), to_json(v))).collect())
        }
    }
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
