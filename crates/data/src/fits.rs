//! A light check that a documented value (`example`, `default`) fits its schema: type, enum,
//! const, lengths, bounds and required properties. Specs often carry examples that break
//! their own schema; serving one would break the contract, so such values are passed over.

use serde_json::Value;

/// Whether `v` plausibly validates against `schema` (references resolved in `root`). `false`
/// whenever in doubt.
pub(crate) fn fits(root: &Value, v: &Value, schema: &Value) -> bool {
    fits_at(root, v, schema, 0)
}

fn fits_at(root: &Value, v: &Value, schema: &Value, depth: usize) -> bool {
    if schema.get("$ref").is_some() && schema.as_object().is_some_and(|o| o.len() > 1) {
        return false;
    }
    let Some(schema) = crate::resolve(root, schema) else {
        return false;
    };
    if depth > 8 || !schema.is_object() {
        return true;
    }
    if [
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "pattern",
        "format",
        "patternProperties",
        "multipleOf",
        "uniqueItems",
    ]
    .iter()
    .any(|k| schema.get(*k).is_some())
    {
        // Too subtle for a light check: do not risk a documented value that may not fit.
        return false;
    }
    if let Some(c) = schema.get("const") {
        return c == v;
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        return options.contains(v);
    }
    if !type_ok(schema, v) {
        return false;
    }
    match v {
        Value::String(s) => within(schema, "minLength", "maxLength", s.chars().count() as f64),
        Value::Number(n) => number_ok(schema, n.as_f64().unwrap_or(0.0)),
        Value::Array(items) => {
            within(schema, "minItems", "maxItems", items.len() as f64)
                && schema
                    .get("items")
                    .is_none_or(|is| items.iter().all(|i| fits_at(root, i, is, depth + 1)))
        }
        Value::Object(map) => {
            let required = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            let props = schema.get("properties").and_then(Value::as_object);
            let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
            required.clone().all(|r| map.contains_key(r))
                && map.iter().all(|(k, x)| match props.and_then(|p| p.get(k)) {
                    Some(s) => fits_at(root, x, s, depth + 1),
                    None => !closed,
                })
        }
        _ => true,
    }
}

fn type_ok(schema: &Value, v: &Value) -> bool {
    let name = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n)
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) =>
        {
            "integer"
        }
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let ok = |t: &str| t == name || (t == "number" && name == "integer");
    match schema.get("type") {
        Some(Value::String(t)) => {
            ok(t) || (name == "null" && schema.get("nullable") == Some(&Value::Bool(true)))
        }
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(ok),
        _ => true,
    }
}

fn within(schema: &Value, min: &str, max: &str, n: f64) -> bool {
    schema
        .get(min)
        .and_then(Value::as_f64)
        .is_none_or(|m| n >= m)
        && schema
            .get(max)
            .and_then(Value::as_f64)
            .is_none_or(|m| n <= m)
}

fn number_ok(schema: &Value, n: f64) -> bool {
    let (lo, lo_excl, hi, hi_excl) = crate::numbers::bounds(schema);
    lo.is_none_or(|l| if lo_excl { n > l } else { n >= l })
        && hi.is_none_or(|h| if hi_excl { n < h } else { n <= h })
}
