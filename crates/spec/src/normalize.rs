//! Turns every schema of a document into JSON Schema 2020-12, so one validator and one value
//! generator serve OpenAPI 3.0 and 3.1 alike.
//!
//! Schemas are found from the places OpenAPI puts them (components, parameters, media types,
//! headers) and by following `$ref`s from there, so a schema in a bundled external file is
//! normalised exactly when something uses it as a schema. Changes are applied deepest first,
//! so wrapping a nullable schema in `anyOf` never invalidates a pointer still to be visited.

use std::collections::BTreeSet;

use cartwright_diag::Diagnostic;
use serde_json::{Map, Value, json};

use cartwright_source::pointer::{get, get_mut, join, unescape_fragment};

/// Keywords whose value is one subschema.
const ONE: &[&str] = &[
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];
/// Keywords whose value is a map of subschemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a list of subschemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Every pointer in `doc` that holds a schema.
pub(crate) fn schema_pointers(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for root in roots(doc) {
        let node = get(doc, &root);
        visit(doc, root, node, &mut found);
    }
    found
}

/// Where OpenAPI places schemas, before following references.
fn roots(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(schemas) = get(doc, "/components/schemas").and_then(Value::as_object) {
        out.extend(schemas.keys().map(|k| join("/components/schemas", k)));
    }
    let mut holders = Vec::new();
    for section in ["parameters", "headers", "requestBodies", "responses"] {
        let at = format!("/components/{section}");
        if let Some(m) = get(doc, &at).and_then(Value::as_object) {
            holders.extend(m.iter().map(|(k, v)| (join(&at, k), v)));
        }
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (p, item) in paths {
            let base = join("/paths", p);
            let Some(item) = item.as_object() else {
                continue;
            };
            for (k, v) in item {
                holders.push((join(&base, k), v));
            }
        }
    }
    for (holder, v) in holders {
        schemas_in_holder(v, &holder, 0, &mut out);
    }
    out
}

/// Finds `schema` fields in parameters, media types, headers, responses and operations.
fn schemas_in_holder(v: &Value, at: &str, depth: usize, out: &mut Vec<String>) {
    if depth > 6 {
        return;
    }
    let Some(obj) = v.as_object() else {
        if let Some(items) = v.as_array() {
            for (i, item) in items.iter().enumerate() {
                schemas_in_holder(item, &format!("{at}/{i}"), depth + 1, out);
            }
        }
        return;
    };
    for (k, child) in obj {
        let ptr = join(at, k);
        match k.as_str() {
            "schema" => out.push(ptr),
            "parameters" | "content" | "headers" | "requestBody" | "responses" => {
                schemas_in_holder(child, &ptr, depth + 1, out)
            }
            _ if at.ends_with("/content")
                || at.ends_with("/headers")
                || at.ends_with("/responses") =>
            {
                schemas_in_holder(child, &ptr, depth + 1, out)
            }
            _ if at.ends_with("/parameters") => schemas_in_holder(child, &ptr, depth + 1, out),
            _ => {}
        }
    }
}

/// Records the schema at `at` (`node`, if it exists) and every schema under it or named by
/// its `$ref`. The node is carried down with its pointer, so each is looked up only once.
fn visit(doc: &Value, at: String, node: Option<&Value>, found: &mut BTreeSet<String>) {
    if found.contains(&at) {
        return;
    }
    let Some(schema) = node.and_then(Value::as_object) else {
        found.insert(at);
        return;
    };
    found.insert(at.clone());
    if let Some(r) = schema.get("$ref").and_then(Value::as_str)
        && let Some(frag) = r.strip_prefix('#')
    {
        let target = unescape_fragment(frag);
        let node = get(doc, &target);
        visit(doc, target, node, found);
    }
    for (k, v) in schema {
        let k = k.as_str();
        if ONE.contains(&k) && v.is_object() {
            visit(doc, join(&at, k), Some(v), found);
        } else if MAP.contains(&k)
            && let Some(m) = v.as_object()
        {
            let base = join(&at, k);
            for (name, sub) in m {
                visit(doc, join(&base, name), Some(sub), found);
            }
        } else if LIST.contains(&k)
            && let Some(items) = v.as_array()
        {
            let base = join(&at, k);
            for (i, sub) in items.iter().enumerate() {
                visit(doc, format!("{base}/{i}"), Some(sub), found);
            }
        }
    }
}

/// Normalises every schema in place. `legacy` is true for OpenAPI 3.0 documents.
/// Returns diagnostics for schemas that break their own dialect's rules.
pub(crate) fn normalize(doc: &mut Value, legacy: bool) -> Vec<Diagnostic> {
    // Only 3.0's `nullable` and boolean bounds change; a document with neither anywhere
    // (every 3.1 document, many 3.0 ones) is left as it is without finding its schemas.
    if !legacy || !has_legacy_keywords(doc) {
        return Vec::new();
    }
    let pointers = schema_pointers(doc);
    let mut diagnostics = Vec::new();
    let mut ordered: Vec<&String> = pointers.iter().collect();
    ordered.sort_by_cached_key(|p| std::cmp::Reverse(p.matches('/').count()));
    for at in ordered {
        let Some(Value::Object(schema)) = get_mut(doc, at) else {
            continue;
        };
        if legacy {
            legacy_bounds(schema, at, &mut diagnostics);
            if let Some(wrapped) = legacy_nullable(schema) {
                *schema = wrapped;
            }
        }
    }
    diagnostics
}

/// Whether any object in `value` has a `nullable` key or a boolean `exclusiveMinimum` or
/// `exclusiveMaximum`: what [`legacy_bounds`] and [`legacy_nullable`] act on, wherever it is.
fn has_legacy_keywords(value: &Value) -> bool {
    match value {
        Value::Object(m) => m.iter().any(|(k, v)| {
            k == "nullable"
                || (v.is_boolean() && (k == "exclusiveMinimum" || k == "exclusiveMaximum"))
                || has_legacy_keywords(v)
        }),
        Value::Array(items) => items.iter().any(has_legacy_keywords),
        _ => false,
    }
}

/// Draft 4's boolean `exclusiveMinimum`/`exclusiveMaximum` become 2020-12 numbers.
fn legacy_bounds(schema: &mut Map<String, Value>, at: &str, out: &mut Vec<Diagnostic>) {
    for (excl, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(Value::Bool(flag)) = schema.get(excl).cloned() else {
            continue;
        };
        schema.remove(excl);
        match schema.get(bound).cloned() {
            Some(limit) if flag => {
                schema.remove(bound);
                schema.insert(excl.to_owned(), limit);
            }
            Some(_) => {}
            None => out.push(
                Diagnostic::error("exclusive-without-bound", format!("`{excl}` is given without `{bound}`"))
                    .with_pointer(join(at, excl))
                    .with_help(format!("OpenAPI 3.0 (JSON Schema draft 4) requires `{bound}` whenever `{excl}` is present; add `{bound}` or remove `{excl}`")),
            ),
        }
    }
}

/// OpenAPI 3.0's `nullable: true` becomes `null` in `type` (and `enum`), or an `anyOf` with null.
fn legacy_nullable(schema: &mut Map<String, Value>) -> Option<Map<String, Value>> {
    let nullable = schema.remove("nullable") == Some(Value::Bool(true));
    if !nullable {
        return None;
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(t)) => {
            schema.insert("type".to_owned(), json!([t, "null"]));
            None
        }
        Some(_) => None,
        None if schema.contains_key("$ref") || LIST.iter().any(|k| schema.contains_key(*k)) => {
            let inner = std::mem::take(schema);
            let mut wrapped = Map::new();
            wrapped.insert(
                "anyOf".to_owned(),
                json!([{"type": "null"}, Value::Object(inner)]),
            );
            Some(wrapped)
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_without_legacy_keywords_is_left_as_it_is_and_any_one_is_acted_on() {
        let plain = json!({"components": {"schemas": {"A": {"type": "integer", "minimum": 1,
            "exclusiveMaximum": 5, "properties": {"n": {"type": "string"}}}}}});
        let mut doc = plain.clone();
        assert!(normalize(&mut doc, true).is_empty());
        assert_eq!(doc, plain);
        for (key, value) in [
            ("nullable", json!(false)),
            ("exclusiveMinimum", json!(true)),
        ] {
            let mut doc = plain.clone();
            doc["components"]["schemas"]["A"]["properties"]["n"][key] = value;
            normalize(&mut doc, true);
            let n = &doc["components"]["schemas"]["A"]["properties"]["n"];
            assert!(n.get(key).is_none(), "{key} is normalised away: {n}");
        }
    }

    #[test]
    fn legacy_schemas_become_2020_12() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"parameters": [{"name": "n", "in": "query", "schema": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}}],
              "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
            "components": {"schemas": {
                "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                    "id": {"type": "string", "readOnly": true},
                    "name": {"type": "string", "nullable": true, "enum": ["a"]},
                    "owner": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]}}},
                "Owner": {"type": "object", "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}},
                "Bad": {"type": "number", "exclusiveMaximum": false}
            }}
        });
        let diags = normalize(&mut doc, true);
        let pet = &doc["components"]["schemas"]["Pet"];
        assert_eq!(
            pet["required"],
            json!(["id", "name"]),
            "a readOnly property stays required: each direction reads it its own way"
        );
        assert_eq!(pet["properties"]["name"]["type"], json!(["string", "null"]));
        assert_eq!(pet["properties"]["name"]["enum"], json!(["a", null]));
        assert_eq!(
            pet["properties"]["owner"]["anyOf"][0],
            json!({"type": "null"})
        );
        let param = &doc["paths"]["/a"]["get"]["parameters"][0]["schema"];
        assert_eq!(param, &json!({"type": "integer", "exclusiveMinimum": 1}));
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].pointer.as_deref(),
            Some("/components/schemas/Bad/exclusiveMaximum")
        );
    }
}
