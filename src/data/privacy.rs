//! Privacy: fields named `privado` (at any depth) or listed in `campos_privados` are removed
//! from the YAML tree as soon as a data file is parsed, before any other step can see them,
//! so no template, export, search index or chart can publish them by mistake.

use crate::diag::Position;
use crate::yaml::{Node, Value};

/// Removes private keys everywhere in `node`. A key is private when, trimmed and
/// case-folded, it is `privado` or a name of `campos_privados`: `Privado:`, `"privado ":`
/// and `DNI` are private too (an exact match let them through).
///
/// Returns each key removed that is not written exactly as a private name (`DNI` for
/// `dni`), once per spelling, with where it first appears: the caller warns, so that an
/// editor sees why a column is missing.
pub fn strip(node: &mut Node, private: &[String]) -> Vec<(Position, String, String)> {
    // The names are folded once per file, not once per key of every row.
    let mut names: Vec<String> = private.iter().map(|p| fold(p)).collect();
    names.push("privado".into());
    let mut near = Vec::new();
    strip_folded(node, &names, &mut near);
    near
}

fn strip_folded(node: &mut Node, names: &[String], near: &mut Vec<(Position, String, String)>) {
    match &mut node.value {
        Value::Map(entries) => {
            entries.retain(|(k, _)| {
                let key = k.key();
                let folded = fold(&key);
                let Some(name) = names.iter().find(|n| **n == folded) else {
                    return true;
                };
                if key != *name && !near.iter().any(|(_, k, _)| *k == key) {
                    near.push((k.position, key, name.clone()));
                }
                false
            });
            for (_, v) in entries.iter_mut() {
                strip_folded(v, names, near);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|i| strip_folded(i, names, near)),
        _ => {}
    }
}

/// The private names as [`is_private_path`] compares them: `privado` and the site's list.
pub fn folded_names(private: &[String]) -> Vec<String> {
    let mut names: Vec<String> = private.iter().map(|p| fold(p)).collect();
    names.push("privado".into());
    names
}

/// True when a spreadsheet column is private: one of its dotted parts (`privado.nota`,
/// `ubicacion.privado`) is a private name, as a key at any depth is in YAML.
pub fn is_private_path(column: &str, folded: &[String]) -> bool {
    column.split('.').any(|part| folded.contains(&fold(part)))
}

/// A field name as privacy compares it.
fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn private_fields_go_at_any_depth() {
        let f = SourceFile::new(
            "d.yaml",
            "- a: 1\n  privado: X\n  b: {privado: Y, c: 2, dni: Z}\n",
        );
        let mut node = crate::yaml::parse(&f, &f.text.clone(), 1).unwrap();
        strip(&mut node, &["dni".to_string()]);
        let json = crate::content::to_json(&node).to_string();
        assert_eq!(json, r#"[{"a":1,"b":{"c":2}}]"#);
    }
}
