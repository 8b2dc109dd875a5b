//! Reading schemas for their shape: following `$ref`s, collecting properties through
//! `allOf`, and finding where one schema sits inside another. Every node keeps its JSON
//! pointer, so what inference finds can name the schema it found.

use serde_json::Value;

use super::names;

/// A schema with an owned pointer, for nodes reached through properties.
#[derive(Debug, Clone)]
pub(super) struct Owned<'d> {
    /// The schema.
    pub v: &'d Value,
    /// Its JSON pointer in the document.
    pub at: String,
}

pub(crate) use cartwright_source::pointer::escape;

/// Follows `$ref` chains from `v` at `at`: the schema reached and its pointer.
pub(super) fn resolve<'d>(doc: &'d Value, v: &'d Value, at: String) -> Owned<'d> {
    let (mut v, mut at) = (v, at);
    for _ in 0..32 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(ptr) = r.strip_prefix('#') else {
            break;
        };
        match doc.pointer(ptr) {
            Some(next) => {
                v = next;
                at = ptr.to_owned();
            }
            None => break,
        }
    }
    Owned { v, at }
}

/// The schema at a pointer, resolved.
pub(super) fn at<'d>(doc: &'d Value, ptr: &str) -> Option<Owned<'d>> {
    doc.pointer(ptr).map(|v| resolve(doc, v, ptr.to_owned()))
}

/// The object properties of a schema, through `allOf` branches, resolved, in order.
pub(super) fn properties<'d>(doc: &'d Value, s: &Owned<'d>) -> Vec<(String, Owned<'d>)> {
    let mut out: Vec<(String, Owned<'d>)> = Vec::new();
    collect(doc, s, &mut out, 0);
    out
}

fn collect<'d>(doc: &'d Value, s: &Owned<'d>, out: &mut Vec<(String, Owned<'d>)>, depth: usize) {
    if depth > 8 {
        return;
    }
    if let Some(props) = s.v.get("properties").and_then(Value::as_object) {
        for (name, p) in props {
            if out.iter().any(|(n, _)| n == name) {
                continue;
            }
            let ptr = format!("{}/properties/{}", s.at, escape(name));
            out.push((name.clone(), resolve(doc, p, ptr)));
        }
    }
    for (i, branch) in
        s.v.get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
    {
        let b = resolve(doc, branch, format!("{}/allOf/{i}", s.at));
        collect(doc, &b, out, depth + 1);
    }
}

/// The property of that name.
pub(super) fn property<'d>(doc: &'d Value, s: &Owned<'d>, name: &str) -> Option<Owned<'d>> {
    properties(doc, s)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p)
}

/// Whether a schema describes an array.
pub(super) fn is_array(s: &Owned<'_>) -> bool {
    s.v.get("items").is_some() || types(s.v).any(|t| t == "array")
}

/// Whether a schema describes an object (declared so, or by having properties).
pub(super) fn is_object(doc: &Value, s: &Owned<'_>) -> bool {
    types(s.v).any(|t| t == "object") || !properties(doc, s).is_empty()
}

fn types(v: &Value) -> impl Iterator<Item = &str> {
    let t = v.get("type");
    t.and_then(Value::as_str).into_iter().chain(
        t.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str),
    )
}

/// The item schema of an array schema, resolved.
pub(super) fn items<'d>(doc: &'d Value, s: &Owned<'d>) -> Option<Owned<'d>> {
    s.v.get("items")
        .map(|i| resolve(doc, i, format!("{}/items", s.at)))
}

/// The property that holds an object's id: `id`, `<name>Id`, `<name>_id`, `uuid`.
pub(super) fn id_field(doc: &Value, s: &Owned<'_>, name: &str) -> Option<String> {
    let props = properties(doc, s);
    let own = format!("{}id", names::key(name));
    ["id", own.as_str(), "uuid"]
        .into_iter()
        .find_map(|want| {
            props
                .iter()
                .find(|(n, _)| names::fold(n) == want)
                .map(|(n, _)| n.clone())
        })
        .or_else(|| {
            // `itemId` for `productItems`: the end of the resource's name, then `id`.
            props
                .iter()
                .map(|(n, _)| (n, names::fold(n)))
                .find(|(_, f)| f.len() > 2 && f.ends_with("id") && own.ends_with(f.as_str()))
                .map(|(n, _)| n.clone())
        })
}

/// Where the schema `target` (a pointer) sits in values of `s`: `""` for `s` itself, else
/// the pointer through properties (and `allOf`), at most `depth` levels down.
pub(super) fn find(doc: &Value, s: &Owned<'_>, target: &str, depth: usize) -> Option<String> {
    if s.at == target {
        return Some(String::new());
    }
    if depth == 0 {
        return None;
    }
    properties(doc, s).into_iter().find_map(|(name, p)| {
        find(doc, &p, target, depth - 1).map(|rest| format!("/{}{rest}", escape(&name)))
    })
}
