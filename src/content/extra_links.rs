//! The one URL policy ([`crate::urls::is_safe_link`]) for a document's `extra`, the free
//! fields a theme reads (`boletin.extra.…`): a field named `url` or `enlace`, or ending in
//! `_url`, at any depth, that a theme may print as a link. A script or data scheme there is
//! an error at its line and column, as in the menu and the body.

use crate::diag::{Position, Problem};
use crate::urls::{is_address_key, is_safe_link};
use crate::yaml::{Node, Value};

/// Reports each unsafe address under `node` through `error`.
pub fn check(node: &Node, error: &mut impl FnMut(Position, Problem)) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                let name = key.key();
                if is_address_key(&name) {
                    addresses(&name, value, error);
                }
                check(value, error);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| check(n, error)),
        _ => {}
    }
}

/// The text of an address field, or each text of a list of them.
fn addresses(key: &str, node: &Node, error: &mut impl FnMut(Position, Problem)) {
    match &node.value {
        Value::Str(url) if !is_safe_link(url) => error(
            node.position,
            Problem::UnsafeLink {
                field: key.to_string(),
                value: url.clone(),
            },
        ),
        Value::Seq(items) => items.iter().for_each(|n| addresses(key, n, error)),
        _ => {}
    }
}
