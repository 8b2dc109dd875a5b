//! The two ways a schema is read: in a request and in a response.
//!
//! A property marked `readOnly` is sent only by the server and a `writeOnly` one only by the
//! client, so a `required` that names one binds in one direction only (OpenAPI 3.1 §4.8.24;
//! JSON Schema validation §9.4). The normalised document keeps every `required` as written;
//! each direction gets its own view of it, in which `required` leaves out the properties
//! that never travel that way. Requests are validated against the request view, answers
//! against the response view, and a required `readOnly` property stays required in answers.

use std::collections::BTreeSet;

use serde_json::Value;

use cartwright_source::pointer::{get, get_mut, unescape_fragment};

use crate::normalize::schema_pointers;

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From client to server: `readOnly` properties are not sent.
    Request,
    /// From server to client: `writeOnly` properties are not sent.
    Response,
}

impl Direction {
    /// The keyword that marks a property as never travelling this way.
    fn absent(self) -> &'static str {
        match self {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        }
    }
}

/// The request view and the response view of `doc` (see [`view`]), finding the schemas once
/// for both.
pub(crate) fn views(doc: &Value) -> (Option<Value>, Option<Value>) {
    // Most documents mark no property at all: one pass over the values settles that
    // without walking the schemas.
    let [mut request, mut response] = [false; 2];
    flagged(doc, &mut request, &mut response);
    if !request && !response {
        return (None, None);
    }
    let pointers = schema_pointers(doc);
    let edited = |on: bool, dir| on.then(|| edit(doc, &pointers, dir)).flatten();
    (
        edited(request, Direction::Request),
        edited(response, Direction::Response),
    )
}

/// A copy of `doc` in which every schema's `required` leaves out the properties that do not
/// travel in `dir`; `None` when no schema names such a property (the document as it is
/// serves this direction, and no copy is made).
#[cfg(test)]
pub(crate) fn view(doc: &Value, dir: Direction) -> Option<Value> {
    match dir {
        Direction::Request => views(doc).0,
        Direction::Response => views(doc).1,
    }
}

/// [`view`] over the schemas at `pointers`.
fn edit(doc: &Value, pointers: &BTreeSet<String>, dir: Direction) -> Option<Value> {
    let edits: Vec<(&String, Vec<String>)> = pointers
        .iter()
        .filter_map(|at| {
            let names = absent_required(doc, at, dir);
            (!names.is_empty()).then_some((at, names))
        })
        .collect();
    if edits.is_empty() {
        return None;
    }
    let mut copy = doc.clone();
    for (at, names) in edits {
        if let Some(Value::Array(req)) = get_mut(&mut copy, at).and_then(|s| s.get_mut("required"))
        {
            req.retain(|r| r.as_str().is_none_or(|r| !names.iter().any(|n| n == r)));
        }
    }
    Some(copy)
}

/// Sets `read_only` and `write_only` when some object in `value` has that keyword (`readOnly`,
/// `writeOnly`) set to `true`, the only form [`marked`] accepts. One walk for both, comparing
/// each key as it passes instead of looking the two up in every object; it stops once
/// both are found.
fn flagged(value: &Value, read_only: &mut bool, write_only: &mut bool) {
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                if *read_only && *write_only {
                    return;
                }
                if v == &Value::Bool(true) {
                    match k.as_str() {
                        "readOnly" => *read_only = true,
                        "writeOnly" => *write_only = true,
                        _ => {}
                    }
                } else if v.is_object() || v.is_array() {
                    flagged(v, read_only, write_only);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| flagged(v, read_only, write_only)),
        _ => {}
    }
}

/// The names in the schema's `required` at `at` that bind in `dir`: those whose property
/// travels that way.
pub(crate) fn required_in(doc: &Value, at: &str, dir: Direction) -> Vec<String> {
    let absent = absent_required(doc, at, dir);
    get(doc, at)
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| !absent.iter().any(|a| a == name))
        .map(str::to_owned)
        .collect()
}

/// The names in the schema's `required` whose property is marked as not travelling in `dir`.
fn absent_required(doc: &Value, at: &str, dir: Direction) -> Vec<String> {
    let Some(schema) = get(doc, at) else {
        return Vec::new();
    };
    let (Some(required), Some(props)) = (
        schema.get("required").and_then(Value::as_array),
        schema.get("properties").and_then(Value::as_object),
    ) else {
        return Vec::new();
    };
    required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| {
            props
                .get(*name)
                .is_some_and(|p| marked(doc, p, dir.absent(), 0))
        })
        .map(str::to_owned)
        .collect()
}

/// Whether a property schema carries `flag: true`: on itself, on what its `$ref` names, in
/// an `allOf` branch, or inside the `anyOf` that makes an OpenAPI 3.0 `nullable` schema
/// accept null (the flag moved in there when the schema was normalised).
fn marked(doc: &Value, schema: &Value, flag: &str, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    if schema.get(flag) == Some(&Value::Bool(true)) {
        return true;
    }
    let target = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|frag| get(doc, &unescape_fragment(frag)));
    if target.is_some_and(|t| marked(doc, t, flag, depth + 1)) {
        return true;
    }
    let branches = |k: &str| {
        schema
            .get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    if branches("allOf").any(|b| marked(doc, b, flag, depth + 1)) {
        return true;
    }
    let is_null = |b: &Value| b.get("type").and_then(Value::as_str) == Some("null");
    let any: Vec<&Value> = branches("anyOf").collect();
    any.len() == 2
        && any.iter().any(|b| is_null(b))
        && any
            .iter()
            .any(|b| !is_null(b) && marked(doc, b, flag, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_source::pointer::join;
    use serde_json::json;

    /// The `required` list of the schema at `at`.
    fn required_at(doc: &Value, at: &str) -> Value {
        doc.pointer(&join(at, "required"))
            .cloned()
            .unwrap_or(Value::Null)
    }

    fn doc() -> Value {
        json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}}}},
            "components": {"schemas": {
                "Id": {"type": "string", "readOnly": true},
                "User": {"type": "object", "required": ["id", "name", "password", "created", "made"],
                    "properties": {
                        "id": {"$ref": "#/components/schemas/Id"},
                        "name": {"type": "string"},
                        "password": {"type": "string", "writeOnly": true},
                        "created": {"anyOf": [{"type": "null"}, {"type": "string", "readOnly": true}]},
                        "made": {"allOf": [{"type": "string"}, {"readOnly": true}]}}}
            }}
        })
    }

    #[test]
    fn each_direction_leaves_out_only_what_does_not_travel_its_way() {
        let d = doc();
        let user = "/components/schemas/User";
        let request = view(&d, Direction::Request).expect("readOnly properties are required");
        assert_eq!(required_at(&request, user), json!(["name", "password"]));
        let response = view(&d, Direction::Response).expect("a writeOnly property is required");
        assert_eq!(
            required_at(&response, user),
            json!(["id", "name", "created", "made"])
        );
        assert_eq!(
            required_at(&d, user),
            json!(["id", "name", "password", "created", "made"]),
            "the document itself keeps `required` as written"
        );
        assert_eq!(
            required_in(&d, user, Direction::Request),
            ["name", "password"]
        );
    }

    #[test]
    fn a_document_without_such_properties_is_not_copied() {
        let d = json!({"components": {"schemas": {"A": {"type": "object", "required": ["x"],
            "properties": {"x": {"type": "string"}, "y": {"type": "string", "readOnly": true}}}}}});
        assert!(view(&d, Direction::Request).is_none());
        assert!(view(&d, Direction::Response).is_none());
    }
}
