//! Privacy: fields named `privado` (at any depth) or listed in `campos_privados` are removed
//! from the YAML tree as soon as a data file is parsed, before any other step can see them,
//! so no template, export, search index or chart can publish them by mistake.

use crate::yaml::{Node, Value};

/// Removes private keys everywhere in `node`.
pub fn strip(node: &mut Node, private: &[String]) {
    match &mut node.value {
        Value::Map(entries) => {
            entries.retain(|(k, _)| !is_private(&k.key(), private));
            for (_, v) in entries.iter_mut() {
                strip(v, private);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|i| strip(i, private)),
        _ => {}
    }
}

/// A key is private when, trimmed and case-folded, it is `privado` or a name of
/// `campos_privados`: `Privado:`, `"privado ":` and `DNI` are private too (an exact match
/// let them through).
fn is_private(key: &str, private: &[String]) -> bool {
    let key = key.trim().to_lowercase();
    key == "privado" || private.iter().any(|p| p.trim().to_lowercase() == key)
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
