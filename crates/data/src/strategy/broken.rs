//! Invalid values: a valid value with one place broken. The place is the value itself or,
//! a few levels down, a property or an item; the rest stays valid, so a server refusing the
//! value refuses the broken rule and nothing else.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::Union;
use serde_json::{Value, json};

use super::{Ctx, Mutation, build, faults, flatten, skipped};
use crate::combine;

/// A broken value, what was broken, and where.
pub(super) type Broken = BoxedStrategy<(Value, Mutation, String)>;

/// How many properties or items deep a break may be placed.
const REACH: usize = 3;

/// Every way the schema can be broken, as one union; `None` when there is none.
pub(super) fn invalid(cx: Ctx<'_>, schema: &Value) -> Option<Broken> {
    let sites = sites(cx, schema, 0);
    (!sites.is_empty()).then(|| Union::new(sites).boxed())
}

/// The ways to break the value at this place, and a little deeper inside it.
fn sites(cx: Ctx<'_>, schema: &Value, depth: usize) -> Vec<Broken> {
    let Some(schema) = flatten(cx.root, schema) else {
        return Vec::new();
    };
    if !schema.is_object() {
        return Vec::new();
    }
    let alternatives = schema.get("oneOf").is_some() || schema.get("anyOf").is_some();
    let types = match declared(&schema) {
        None if alternatives => branch_types(cx, &schema),
        types => types,
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let mut out: Vec<Broken> = types
        .and_then(|t| faults::wrong_type(&t, nullable))
        .into_iter()
        .collect();
    if alternatives {
        // What breaks one branch may satisfy another: only a type none allows is certain.
        return out;
    }
    if schema.get("enum").is_some() || schema.get("const").is_some() {
        // Other rules would break alongside: a value outside the list is enough.
        out.extend(faults::not_in_enum(&schema));
        return out;
    }
    let Some(kind) = kind(&schema) else {
        return out;
    };
    // Broken values start from valid ones of this kind only (not null where `type` also
    // allows null: there is nothing to remove from null).
    let mut narrowed = schema.clone();
    if narrowed.get("type").is_some_and(Value::is_array) {
        narrowed["type"] = json!(kind);
    }
    match kind.as_str() {
        "integer" => out.extend(faults::range(&narrowed, true)),
        "number" => out.extend(faults::range(&narrowed, false)),
        "string" => out.extend(faults::text(&narrowed)),
        "array" => out.extend(array(cx, &narrowed, depth)),
        "object" => out.extend(object(cx, &narrowed, depth)),
        _ => {}
    }
    out
}

/// The types `type` lists, if it is there.
fn declared(schema: &Value) -> Option<Vec<String>> {
    match schema.get("type")? {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

/// The types any `oneOf`/`anyOf` branch allows; `None` if a branch allows any type.
fn branch_types(cx: Ctx<'_>, schema: &Value) -> Option<Vec<String>> {
    let mut all: Vec<String> = Vec::new();
    for branch in combine::branches(cx.root, schema)? {
        let branch = flatten(cx.root, &branch)?;
        for t in declared(&branch)? {
            if !all.contains(&t) {
                all.push(t);
            }
        }
    }
    Some(all)
}

/// The one type whose rules apply: declared alone (or beside `null`), else implied by the
/// keywords (a keyword applies only to values of its type, so breaking it needs that type).
fn kind(schema: &Value) -> Option<String> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t.clone()),
        Some(Value::Array(ts)) => {
            let non_null: Vec<&str> = ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            match non_null.as_slice() {
                [one] => Some((*one).to_owned()),
                _ => None,
            }
        }
        _ => Some(crate::infer(schema).to_owned()),
    }
}

/// A JSON pointer step for a property name.
fn step(name: &str) -> String {
    cartwright_source::pointer::join("", name)
}

/// An object without one required property, or with one property broken.
fn object(cx: Ctx<'_>, schema: &Value, depth: usize) -> Vec<Broken> {
    let base = build(cx, schema, depth, None);
    let mut out = Vec::new();
    let props = schema.get("properties").and_then(Value::as_object);
    // A property this direction leaves out is never there to remove.
    let present = |name: &str| {
        !props
            .and_then(|p| p.get(name))
            .is_some_and(|p| skipped(cx, p))
    };
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|r| present(r))
        .map(str::to_owned)
        .collect();
    if !required.is_empty() {
        let missing =
            (base.clone(), proptest::sample::select(required)).prop_map(|(mut v, name)| {
                if let Some(o) = v.as_object_mut() {
                    o.shift_remove(&name);
                }
                (v, Mutation::MissingRequired, step(&name))
            });
        out.push(missing.boxed());
    }
    if depth >= REACH {
        return out;
    }
    for (name, prop) in props.into_iter().flatten() {
        if skipped(cx, prop) {
            continue;
        }
        let inner = sites(cx, prop, depth + 1);
        if inner.is_empty() {
            continue;
        }
        let name = name.clone();
        let broken = (base.clone(), Union::new(inner)).prop_map(move |(mut v, (bad, m, at))| {
            match v.as_object_mut() {
                Some(o) => {
                    o.insert(name.clone(), bad);
                }
                None => v = json!({ name.clone(): bad }),
            }
            (v, m, format!("{}{at}", step(&name)))
        });
        out.push(broken.boxed());
    }
    out
}

/// An array with one item too few or too many, or with one item broken.
fn array(cx: Ctx<'_>, schema: &Value, depth: usize) -> Vec<Broken> {
    let count = |k: &str| schema.get(k).and_then(Value::as_u64);
    let (min, max) = (count("minItems").unwrap_or(0), count("maxItems"));
    let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
    // A valid array of exactly `n` items, except for the count the caller breaks.
    let sized = |n: u64| {
        let mut s = schema.clone();
        s["minItems"] = json!(n);
        s["maxItems"] = json!(n);
        build(cx, &s, depth, None)
    };
    let mut out = Vec::new();
    if (1..=1000).contains(&min) {
        let few = sized(min - 1).prop_map(|v| (v, Mutation::TooFewItems, String::new()));
        out.push(few.boxed());
    }
    // Unique items might run out of distinct values and stay within the maximum.
    if let Some(max) = max.filter(|m| *m < 1000 && !unique) {
        let many = sized(max + 1).prop_map(|v| (v, Mutation::TooManyItems, String::new()));
        out.push(many.boxed());
    }
    let items = schema.get("items").filter(|i| i.is_object());
    if depth >= REACH || max == Some(0) || schema.get("prefixItems").is_some() {
        return out;
    }
    let Some(items) = items else { return out };
    let inner = sites(cx, items, depth + 1);
    if inner.is_empty() {
        return out;
    }
    let mut s = schema.clone();
    s["minItems"] = json!(min.max(1));
    let base = build(cx, &s, depth, None);
    let broken = (base, Union::new(inner), any::<Index>()).prop_map(|(mut v, (bad, m, at), i)| {
        match v.as_array_mut() {
            Some(a) if !a.is_empty() => {
                let i = i.index(a.len());
                a[i] = bad;
                (v, m, format!("/{i}{at}"))
            }
            _ => (json!([bad]), m, format!("/0{at}")),
        }
    });
    out.push(broken.boxed());
    out
}
