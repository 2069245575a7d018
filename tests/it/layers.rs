//! The library's dependency order, enforced: each top-level module of `src/` may import
//! (`crate::…`) only modules listed before it in [`ORDER`]. That rules out import circles
//! between modules and imports from a higher layer. `ARCHITECTURE.md` explains the layers;
//! a new module is added here at the place its imports allow.
//!
//! The reading is lexical: comments, strings and character literals are removed, the
//! `#[cfg(test)] mod tests` block at a file's end is ignored (tests may reach anywhere), and
//! every `crate::name` or `crate::{name, …}` is an import of `name` (an item of `lib.rs`
//! itself, such as `crate::BuildOptions`, is an import of the pipeline, `lib`).

use std::collections::BTreeSet;
use std::path::Path;

/// Bottom to top. Within the bottom rows, small shared modules; then readers of YAML and
/// settings; content and data; the model; image processing; rendering; the pipeline; and
/// what sits on the pipeline (scaffolding, fuzz entry points, the preview server).
const ORDER: &[&str] = &[
    // shared, small
    "diag",
    "format",
    "html",
    "urls",
    "threads",
    "phases",
    "options",
    "source",
    "project",
    "state",
    "fresh",
    "links",
    "assets",
    "output", // readers
    "yaml",
    "config",
    "theme", // the site's inputs
    "content",
    "data", // the whole site
    "model",
    "addresses",
    "schedule", // services
    "images",
    "pdf",    // output formats
    "render", // the pipeline
    "lib",    // on top of it
    "scaffold",
    "fuzz",
    "serve",
];

#[test]
fn no_module_imports_one_above_it_or_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let Some(me) = module_of(rel) else { continue };
        let rank = rank(&me).unwrap_or_else(|| panic!("{rel:?}: `{me}` is not in ORDER"));
        let text = std::fs::read_to_string(path).unwrap();
        for used in imports(&code_only(&text)) {
            match rank_of_import(&used) {
                Some(r) if r < rank || used == me => {}
                Some(_) => problems.push(format!(
                    "{}: `{me}` imports `{used}`, above it",
                    rel.display()
                )),
                None => problems.push(format!("{}: `{used}` is not in ORDER", rel.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself finds an upward import and ignores one in a comment or a string.
#[test]
fn the_layer_reader_sees_imports_and_only_imports() {
    let text = "use crate::{diag::Problem, yaml::{self, Node}};\n\
                // crate::render in a comment\n\
                let s = \"crate::serve\"; let c = '\"'; x = crate::model::build();\n\
                #[cfg(test)]\nmod tests { use crate::lib_only; }\n";
    let found: Vec<String> = imports(&code_only(text)).into_iter().collect();
    assert_eq!(found, ["diag", "model", "yaml"]);
    assert_eq!(rank_of_import("BuildOptions"), rank("lib"));
}

/// The top-level module a file belongs to; `None` for the binary's own files.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "main.rs" | "cli.rs" | "alloc.rs" => None,
        "lib.rs" => Some("lib".into()),
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

/// A lower-case name is a module; anything else (a type, a function of `lib.rs` written
/// with a capital or not in the list) is an item of the pipeline.
fn rank_of_import(name: &str) -> Option<usize> {
    rank(name).or_else(|| rank("lib"))
}

/// The text without comments, string or character literals, and the final tests module.
fn code_only(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if let Some(len) = raw_string_len(rest) {
            i += len;
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if let Some(len) = char_literal_len(rest) {
            i += len;
            out.push_str("' '");
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of a raw string literal at the start of `rest` (`r"…"`, `r#"…"#`).
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix('r').or_else(|| rest.strip_prefix("br"))?;
    let hashes = after_r.bytes().take_while(|&b| b == b'#').count();
    if after_r.as_bytes().get(hashes) != Some(&b'"') {
        return None;
    }
    let close = format!("\"{}", "#".repeat(hashes));
    let body = hashes + 1;
    let end = after_r[body..].find(&close)?;
    Some(rest.len() - after_r.len() + body + end + close.len())
}

/// The length of a character literal at the start of `rest` (not a lifetime).
fn char_literal_len(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let (_, c) = chars.next()?;
    let end = if c == '\\' {
        rest[1..].find('\'').map(|e| e + 1)?
    } else {
        let (at, next) = chars.next()?;
        if next != '\'' {
            return None;
        }
        at
    };
    Some(end + 1)
}

/// The first segment of every `crate::` path in `code`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.extend(first_name(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            found.extend(first_name(&item));
        } else {
            found.extend(first_name(rest));
        }
    }
    found
}

fn first_name(text: &str) -> Option<String> {
    let name: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty() && name != "self").then_some(name)
}
