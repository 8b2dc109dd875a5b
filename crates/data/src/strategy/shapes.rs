//! Objects and arrays. Required properties always, optional ones each present or not (so
//! shrinking drops them), none beyond the recursion depth; arrays within their item counts,
//! shrinking by dropping items; unique items by leaving out repeats.

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{Ctx, build, flatten, skipped, text};
use crate::SHALLOW;

/// A property as drawn: name, value, whether it is required.
type Field = (String, Value, bool);

/// Valid objects: declared properties only, except for undeclared required ones and filler
/// that `minProperties` demands.
pub(super) fn object(cx: Ctx<'_>, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let count = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
    let (min, max) = (
        count("minProperties").unwrap_or(0),
        count("maxProperties").unwrap_or(usize::MAX),
    );
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // `not` usually forbids a combination of optional properties: leave them all out.
    let sparse = depth >= SHALLOW || schema.get("not").is_some();
    let mut fields: Vec<BoxedStrategy<Option<Field>>> = Vec::new();
    for (name, prop) in &props {
        let is_required = required.contains(name);
        // A property whose schema is `false` can only be left out.
        if skipped(cx, prop) || (sparse && !is_required) || *prop == Value::Bool(false) {
            continue;
        }
        let n = name.clone();
        let field =
            build(cx, prop, depth + 1, Some(name)).prop_map(move |v| (n.clone(), v, is_required));
        fields.push(if is_required {
            field.prop_map(Some).boxed()
        } else {
            proptest::option::of(field).boxed()
        });
    }
    let extra = extra_schema(schema);
    for name in required.iter().filter(|r| !props.contains_key(*r)) {
        let n = name.clone();
        fields.push(
            build(cx, &extra, depth + 1, Some(name))
                .prop_map(move |v| Some((n.clone(), v, true)))
                .boxed(),
        );
    }
    // Filler for `minProperties`, enough even when every optional property is left out.
    let open = schema.get("additionalProperties") != Some(&Value::Bool(false));
    let spare = if open {
        min.saturating_sub(required.len()).min(64)
    } else {
        0
    };
    let spares = vec(build(cx, &extra, depth + 1, None), spare);
    (fields, spares)
        .prop_map(move |(fields, spares)| assemble(fields, spares, min, max))
        .boxed()
}

/// The object from the drawn properties: optional ones dropped from the end past
/// `maxProperties`, filler added up to `minProperties`.
fn assemble(fields: Vec<Option<Field>>, spares: Vec<Value>, min: usize, max: usize) -> Value {
    let mut fields: Vec<Field> = fields.into_iter().flatten().collect();
    while fields.len() > max {
        match fields.iter().rposition(|(_, _, required)| !required) {
            Some(i) => {
                fields.remove(i);
            }
            None => break,
        }
    }
    let mut out: Map<String, Value> = fields.into_iter().map(|(n, v, _)| (n, v)).collect();
    let mut n = 0;
    for v in spares {
        if out.len() >= min {
            break;
        }
        let name = loop {
            n += 1;
            let name = format!("property{n}");
            if !out.contains_key(&name) {
                break name;
            }
        };
        out.insert(name, v);
    }
    Value::Object(out)
}

/// The schema of properties not listed in `properties`.
fn extra_schema(schema: &Value) -> Value {
    match schema.get("additionalProperties") {
        Some(s @ Value::Object(_)) => s.clone(),
        _ => json!({"type": "string"}),
    }
}

/// Valid arrays: `prefixItems` first, then `items`, within `minItems`/`maxItems` (a few
/// items beyond the minimum at most; only the minimum beyond the recursion depth).
pub(super) fn array(cx: Ctx<'_>, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    let count = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
    let min = count("minItems").unwrap_or(0).min(10_000);
    let max = count("maxItems").unwrap_or(usize::MAX);
    let hi = if depth >= SHALLOW {
        min
    } else {
        max.min(min + 4).max(min)
    };
    let prefix: Vec<BoxedStrategy<Value>> = schema
        .get("prefixItems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(hi)
        .map(|p| build(cx, p, depth + 1, None))
        .collect();
    let (rest_lo, rest_hi) = (min.saturating_sub(prefix.len()), hi - prefix.len());
    let item = match schema.get("items") {
        Some(Value::Bool(false)) => None,
        Some(items) => Some(build(cx, items, depth + 1, None)),
        // Without `items`, anything may follow; add only what `minItems` needs.
        None => None,
    };
    let (item, rest_hi) = match item {
        Some(item) => (item, rest_hi),
        None => (text::any_simple(), rest_lo),
    };
    let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
    if unique
        && prefix.is_empty()
        && let Some(s) = distinct_listed(cx, schema, rest_lo, rest_hi)
    {
        return s;
    }
    // Stand-ins for repeats left out of a unique array, so it still reaches `minItems`.
    let spare = if unique && rest_lo > 0 {
        (4 * rest_lo).clamp(16, 64)
    } else {
        0
    };
    (
        prefix,
        vec(item.clone(), rest_lo..=rest_hi),
        vec(item, spare),
    )
        .prop_map(move |(head, rest, spares)| {
            let mut out: Vec<Value> = head.into_iter().chain(rest).collect();
            if unique {
                let mut seen: Vec<Value> = Vec::with_capacity(out.len());
                out.retain(|v| {
                    let fresh = !seen.contains(v);
                    seen.push(v.clone());
                    fresh
                });
                for v in spares {
                    if out.len() >= min {
                        break;
                    }
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
            }
            Value::Array(out)
        })
        .boxed()
}

/// Unique items from a small listed domain (an `enum`, a `const`, booleans, null, a short
/// integer range): a selection of its values in order, which repeats can never shorten.
/// Drawing and dropping repeats could fall short of `minItems` when the domain is this
/// small. `None` when the domain is not listed or too small.
fn distinct_listed(
    cx: Ctx<'_>,
    schema: &Value,
    lo: usize,
    hi: usize,
) -> Option<BoxedStrategy<Value>> {
    let items = flatten(cx.root, schema.get("items")?)?;
    let options = listed_domain(&items)?;
    if lo > options.len() {
        return None;
    }
    let hi = hi.min(options.len());
    Some(
        proptest::sample::subsequence(options, lo..=hi)
            .prop_map(Value::Array)
            .boxed(),
    )
}

/// Every value a flattened schema allows, when it names them all and they are few.
fn listed_domain(items: &Value) -> Option<Vec<Value>> {
    let mut options: Vec<Value> = Vec::new();
    let mut add = |v: Value| {
        if !options.contains(&v) {
            options.push(v);
        }
    };
    if let Some(values) = items.get("enum").and_then(Value::as_array) {
        values.iter().cloned().for_each(&mut add);
    } else if let Some(c) = items.get("const") {
        add(c.clone());
    } else {
        let types: Vec<&str> = match items.get("type")? {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        for t in types {
            match t {
                "boolean" => [false, true]
                    .map(Value::Bool)
                    .into_iter()
                    .for_each(&mut add),
                "null" => add(Value::Null),
                "integer" => small_range(items)?.into_iter().for_each(&mut add),
                _ => return None,
            }
        }
        if items.get("nullable") == Some(&Value::Bool(true)) {
            add(Value::Null);
        }
    }
    Some(options)
}

/// The integers of a bounded range of at most 16, when nothing but the bounds limits them.
/// Both an inclusive and a numeric exclusive bound may be given; the tighter binds. The
/// 3.0 boolean form is left to drawing.
fn small_range(items: &Value) -> Option<Vec<Value>> {
    let keyword = |k: &str| items.get(k);
    if keyword("multipleOf").is_some()
        || keyword("exclusiveMinimum").is_some_and(Value::is_boolean)
        || keyword("exclusiveMaximum").is_some_and(Value::is_boolean)
    {
        return None;
    }
    let bound = |k: &str| keyword(k).and_then(Value::as_f64);
    let lows = [
        bound("minimum").map(|m| m.ceil() as i64),
        bound("exclusiveMinimum").map(|x| x.floor() as i64 + 1),
    ];
    let highs = [
        bound("maximum").map(|m| m.floor() as i64),
        bound("exclusiveMaximum").map(|x| x.ceil() as i64 - 1),
    ];
    let lo = lows.into_iter().flatten().max()?;
    let hi = highs.into_iter().flatten().min()?;
    (hi >= lo && hi - lo < 16).then(|| (lo..=hi).map(Value::from).collect())
}
