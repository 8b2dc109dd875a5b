//! Objects and arrays: required properties always, optional ones while shallow, readOnly
//! and writeOnly by direction, item counts within bounds, unique items when asked.

use rand::Rng;
use serde_json::{Map, Value};

use crate::{Direction, Generator, Mode, SHALLOW};

/// An object satisfying the schema.
pub(crate) fn object(g: &mut Generator<'_>, schema: &Value, dir: Direction, depth: usize) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let max = schema
        .get("maxProperties")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    let mut out = Map::new();
    let empty = Map::new();
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (name, prop) in props {
        let is_required = required.contains(&name.as_str());
        // `not` usually forbids a combination of optional properties: leave them all out.
        let sparse = g.mode == Mode::Minimal || depth >= SHALLOW || schema.get("not").is_some();
        if !is_required
            && (sparse || out.len() >= max || (g.mode == Mode::Dynamic && g.rng.random_bool(0.3)))
        {
            continue;
        }
        let resolved = g.resolve(prop).unwrap_or(prop);
        let skip = match dir {
            Direction::Request => resolved.get("readOnly") == Some(&Value::Bool(true)),
            Direction::Response => resolved.get("writeOnly") == Some(&Value::Bool(true)),
        };
        if skip {
            continue;
        }
        let v = g.produce(prop, dir, depth + 1, Some(name));
        out.insert(name.clone(), v);
    }
    for name in required {
        if !out.contains_key(name) && !props.contains_key(name) {
            let extra = extra_schema(schema);
            let v = g.produce(&extra, dir, depth + 1, Some(name));
            out.insert(name.to_owned(), v);
        }
    }
    let min = schema
        .get("minProperties")
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    let extra = extra_schema(schema);
    let mut n = 0;
    while out.len() < min.min(64) && schema.get("additionalProperties") != Some(&Value::Bool(false))
    {
        n += 1;
        let v = g.produce(&extra, dir, depth + 1, None);
        out.insert(format!("property{n}"), v);
    }
    Value::Object(out)
}

/// The schema of properties not listed in `properties`.
fn extra_schema(schema: &Value) -> Value {
    match schema.get("additionalProperties") {
        Some(Value::Object(s)) => Value::Object(s.clone()),
        _ => serde_json::json!({"type": "string"}),
    }
}

/// An array satisfying the schema.
pub(crate) fn array(g: &mut Generator<'_>, schema: &Value, dir: Direction, depth: usize) -> Value {
    let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxItems")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    let prefix: Vec<Value> = schema
        .get("prefixItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let wanted = match g.mode {
        _ if depth >= SHALLOW => min,
        Mode::Minimal => min,
        Mode::Static => min.max(1),
        Mode::Dynamic => min + g.rng.random_range(0..3),
    };
    let count = wanted.min(max).min(min.max(64)).min(10_000);
    let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
    let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
    let mut out: Vec<Value> = Vec::with_capacity(count);
    let mut attempts = 0;
    while out.len() < count && attempts < count * 8 + 8 {
        attempts += 1;
        let item_schema = prefix.get(out.len()).unwrap_or(&items);
        // Later items of a unique array vary, even in static mode.
        let v = if unique && !out.is_empty() {
            varied(g, item_schema, dir, depth)
        } else {
            g.produce(item_schema, dir, depth + 1, None)
        };
        if unique && out.contains(&v) {
            continue;
        }
        out.push(v);
    }
    Value::Array(out)
}

fn varied(g: &mut Generator<'_>, schema: &Value, dir: Direction, depth: usize) -> Value {
    let mode = std::mem::replace(&mut g.mode, Mode::Dynamic);
    let v = g.produce(schema, dir, depth + 1, None);
    g.mode = mode;
    v
}
