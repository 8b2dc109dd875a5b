//! Which operations an error touches, so lenient loading can skip exactly those.
//!
//! An error touches an operation when it lies inside the operation (or its path item's
//! parameters), or inside anything the operation reaches through `$ref`s, transitively.

use std::collections::HashSet;

use serde_json::Value;

use cartwright_source::pointer::unescape_fragment;

/// Whether any of `errors` (bundled pointers) lies in what the operation at `op_at` reaches.
pub(crate) fn touched(doc: &Value, op_at: &str, item_at: &str, errors: &[&str]) -> Option<String> {
    // A clean document (the usual case) has nothing to find: no need to follow the `$ref`s.
    if errors.is_empty() {
        return None;
    }
    let mut reach: Vec<String> = vec![op_at.to_owned(), format!("{item_at}/parameters")];
    let mut seen: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < reach.len() {
        let at = reach[i].clone();
        if let Some(v) = doc.pointer(&at) {
            refs(v, &mut |r| {
                if seen.insert(r.to_owned()) {
                    reach.push(r.to_owned());
                }
            });
        }
        i += 1;
    }
    errors
        .iter()
        .find(|e| {
            reach.iter().any(|r| {
                e.as_bytes().starts_with(r.as_bytes())
                    && (e.len() == r.len() || e.as_bytes()[r.len()] == b'/')
            })
        })
        .map(|e| (*e).to_owned())
}

fn refs(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::Object(m) => {
            if let Some(frag) = m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                f(&unescape_fragment(frag));
            }
            m.values().for_each(|c| refs(c, f));
        }
        Value::Array(a) => a.iter().for_each(|c| refs(c, f)),
        _ => {}
    }
}
