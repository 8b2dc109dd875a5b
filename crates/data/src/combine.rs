//! `allOf` is merged into one schema before generating; `oneOf`/`anyOf` pick one branch,
//! merged with the keywords beside it, and a discriminator property gets its mapped value.

use rand::Rng;
use serde_json::{Map, Value};

use crate::{Generator, Mode};

/// The schema with its `allOf` folded in (references resolved in `root`), or `None` when it
/// has none.
pub(crate) fn merged(root: &Value, schema: &Value) -> Option<Map<String, Value>> {
    let parts = schema.get("allOf")?.as_array()?;
    let mut out = without(schema, &["allOf"]);
    for part in parts {
        let expanded = crate::ref_with_siblings(part);
        let part = match &expanded {
            Some(both) => both,
            None => match crate::resolve(root, part) {
                Some(p) => p,
                None => continue,
            },
        };
        let part = merged(root, part).map_or_else(|| part.clone(), Value::Object);
        merge_into(&mut out, &part);
    }
    Some(out)
}

/// One branch of `oneOf`/`anyOf`, merged with the keywords beside it, or `None` without either.
pub(crate) fn branch(g: &mut Generator<'_>, schema: &Value) -> Option<Value> {
    let (key, options) = alternatives(schema)?;
    if options.is_empty() {
        return Some(Value::Object(without(schema, &[key])));
    }
    let index = choose(g, options);
    Some(branch_at(g.root, schema, key, index))
}

/// Every branch of `oneOf`/`anyOf`, each as [`branch`] would build it, or `None` without
/// either keyword. For strategies, which offer all branches instead of choosing one.
#[cfg(feature = "strategy")]
pub(crate) fn branches(root: &Value, schema: &Value) -> Option<Vec<Value>> {
    let (key, options) = alternatives(schema)?;
    if options.is_empty() {
        return Some(vec![Value::Object(without(schema, &[key]))]);
    }
    Some(
        (0..options.len())
            .map(|i| branch_at(root, schema, key, i))
            .collect(),
    )
}

/// The keyword offering alternatives and its branches.
fn alternatives(schema: &Value) -> Option<(&'static str, &Vec<Value>)> {
    ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| schema.get(*k).and_then(Value::as_array).map(|o| (*k, o)))
}

/// Branch `index` of `schema[key]` merged with the keywords beside it; the caller checked
/// that the index exists.
fn branch_at(root: &Value, schema: &Value, key: &str, index: usize) -> Value {
    let chosen = schema
        .get(key)
        .and_then(|o| o.get(index))
        .unwrap_or(&Value::Null);
    let mut out = without(schema, &[key, "discriminator"]);
    let resolved = crate::resolve(root, chosen).cloned().unwrap_or(Value::Null);
    let resolved = merged(root, &resolved).map_or(resolved, Value::Object);
    merge_into(&mut out, &resolved);
    if let Some(prop) = schema
        .pointer("/discriminator/propertyName")
        .and_then(Value::as_str)
    {
        let value = discriminator_value(schema, chosen);
        pin(&mut out, prop, value);
    }
    Value::Object(out)
}

/// Static mode takes the first branch that is not just `null`; dynamic mode any branch.
fn choose(g: &mut Generator<'_>, options: &[Value]) -> usize {
    let is_null = |o: &Value| {
        g.resolve(o)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            == Some("null")
    };
    let candidates: Vec<usize> = (0..options.len())
        .filter(|i| !is_null(&options[*i]))
        .collect();
    match (g.mode, candidates.as_slice()) {
        (_, []) => 0,
        (Mode::Static | Mode::Minimal, [first, ..]) => *first,
        (Mode::Dynamic, many) => many[g.rng.random_range(0..many.len())],
    }
}

/// The mapping key that names the chosen branch, else the branch's schema name.
fn discriminator_value(schema: &Value, chosen: &Value) -> String {
    let target = chosen.get("$ref").and_then(Value::as_str).unwrap_or("");
    let mapped = schema
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object)
        .and_then(|m| {
            m.iter()
                .find(|(_, v)| v.as_str() == Some(target))
                .map(|(k, _)| k.clone())
        });
    mapped.unwrap_or_else(|| target.rsplit('/').next().unwrap_or("").to_owned())
}

/// Makes a property a required constant.
fn pin(schema: &mut Map<String, Value>, prop: &str, value: String) {
    if value.is_empty() {
        return;
    }
    let props = schema
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(props) = props.as_object_mut() {
        props.insert(prop.to_owned(), serde_json::json!({"const": value}));
    }
}

fn without(schema: &Value, keys: &[&str]) -> Map<String, Value> {
    let mut out = schema.as_object().cloned().unwrap_or_default();
    for k in keys {
        out.remove(*k);
    }
    out
}

/// Merges one schema's keywords into another: properties and required are unioned, a
/// property in both becomes the `allOf` of the two, other keywords keep the first value.
fn merge_into(out: &mut Map<String, Value>, part: &Value) {
    let Some(part) = part.as_object() else { return };
    for (k, v) in part {
        match (k.as_str(), out.get_mut(k)) {
            ("properties", Some(Value::Object(existing))) => {
                for (name, s) in v.as_object().into_iter().flatten() {
                    match existing.get(name) {
                        Some(prev) if prev != s => {
                            let both = serde_json::json!({"allOf": [prev.clone(), s.clone()]});
                            existing.insert(name.clone(), both);
                        }
                        _ => {
                            existing.insert(name.clone(), s.clone());
                        }
                    }
                }
            }
            ("required", Some(Value::Array(existing))) => {
                for r in v.as_array().into_iter().flatten() {
                    if !existing.contains(r) {
                        existing.push(r.clone());
                    }
                }
            }
            ("items" | "additionalProperties" | "not", Some(existing))
                if existing.is_object() && v.is_object() && existing != v =>
            {
                *existing = serde_json::json!({"allOf": [existing.clone(), v.clone()]});
            }
            ("enum" | "type", Some(existing)) => {
                // Both parts constrain the value: only what both allow is allowed.
                let as_list = |v: &Value| match v {
                    Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                let theirs = as_list(v);
                let both: Vec<Value> = as_list(existing)
                    .into_iter()
                    .filter(|x| theirs.contains(x))
                    .collect();
                if !both.is_empty() {
                    *existing = if k == "type" && both.len() == 1 {
                        both[0].clone()
                    } else {
                        Value::Array(both)
                    };
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
}
