//! OpenAPI Overlay 1.0: ordered actions that update or remove the nodes a JSONPath selects.
//!
//! Overlays let a team bind mock behaviour to a vendor's spec (an `x-cartwright` extension on
//! its operations, say) without editing the vendor's file. Every action is checked before any
//! is applied, so a broken overlay leaves the document exactly as it was.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

/// One problem with an overlay, located by a JSON pointer into the overlay document (such as
/// `/actions/3/target`) so the caller can turn it into `file:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayIssue {
    /// Where in the overlay.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// `true` for an error (nothing is applied), `false` for a warning (applied anyway).
    pub is_error: bool,
}

fn error(pointer: impl Into<String>, message: impl Into<String>) -> OverlayIssue {
    OverlayIssue {
        pointer: pointer.into(),
        message: message.into(),
        is_error: true,
    }
}

struct Action<'o> {
    at: String,
    path: JsonPath,
    target: &'o str,
    update: Option<&'o Value>,
    remove: bool,
}

/// Applies `overlay` to `doc` in place, returning warnings (such as a target that selects
/// nothing). On any error nothing is applied and every error found is returned.
pub fn apply(doc: &mut Value, overlay: &Value) -> Result<Vec<OverlayIssue>, Vec<OverlayIssue>> {
    let actions = parse(overlay)?;
    let mut result = doc.clone();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for a in &actions {
        let pointers: Vec<String> = a
            .path
            .query_located(&result)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            warnings.push(OverlayIssue {
                pointer: format!("{}/target", a.at),
                message: format!("target `{}` selects nothing", a.target),
                is_error: false,
            });
            continue;
        }
        if a.remove {
            // Deepest and highest index first, so earlier removals never shift later ones.
            let mut pointers = pointers;
            pointers.sort_by_key(|p| std::cmp::Reverse(order(p)));
            pointers.iter().for_each(|p| remove(&mut result, p));
        } else if let Some(update) = a.update {
            for p in &pointers {
                if let Some(node) = result.pointer_mut(p)
                    && let Err(message) = merge(node, update)
                {
                    errors.push(error(format!("{}/update", a.at), message));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    *doc = result;
    Ok(warnings)
}

/// Checks the overlay's shape and parses every target up front.
fn parse(overlay: &Value) -> Result<Vec<Action<'_>>, Vec<OverlayIssue>> {
    let mut errors = Vec::new();
    match overlay.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        Some(v) => errors.push(error(
            "/overlay",
            format!("unsupported Overlay version `{v}`; cartwright reads 1.x"),
        )),
        None => errors.push(error(
            "",
            "not an Overlay document: the `overlay` version field is missing",
        )),
    }
    if overlay.pointer("/info/title").is_none() || overlay.pointer("/info/version").is_none() {
        errors.push(error(
            "/info",
            "`info` with `title` and `version` is required",
        ));
    }
    let mut actions = Vec::new();
    match overlay.get("actions").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            for (i, a) in list.iter().enumerate() {
                let at = format!("/actions/{i}");
                let Some(target) = a.get("target").and_then(Value::as_str) else {
                    errors.push(error(
                        at,
                        "an action needs a `target` (a JSONPath expression)",
                    ));
                    continue;
                };
                match JsonPath::parse(target) {
                    Ok(path) => {
                        let remove = a.get("remove").and_then(Value::as_bool).unwrap_or(false);
                        actions.push(Action {
                            at,
                            path,
                            target,
                            update: a.get("update"),
                            remove,
                        });
                    }
                    Err(e) => errors.push(error(
                        format!("{at}/target"),
                        format!("`{target}` is not a JSONPath expression: {e}"),
                    )),
                }
            }
        }
        _ => errors.push(error("/actions", "`actions` must be a non-empty list")),
    }
    if errors.is_empty() {
        Ok(actions)
    } else {
        Err(errors)
    }
}

/// Sort key for removal: array indices compare as numbers.
fn order(pointer: &str) -> Vec<(usize, String)> {
    pointer
        .split('/')
        .map(|t| (t.parse::<usize>().unwrap_or(usize::MAX), t.to_owned()))
        .collect()
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = cartwright_source::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < a.len()
            {
                a.remove(i);
            }
        }
        _ => {}
    }
}

/// Objects merge recursively, arrays get the update appended, anything else is replaced.
fn merge(node: &mut Value, update: &Value) -> Result<(), String> {
    match node {
        Value::Object(target) => {
            let Value::Object(fields) = update else {
                return Err("the target is an object, so `update` must be an object".to_owned());
            };
            merge_objects(target, fields);
        }
        Value::Array(items) => items.push(update.clone()),
        other => *other = update.clone(),
    }
    Ok(())
}

fn merge_objects(target: &mut Map<String, Value>, fields: &Map<String, Value>) {
    for (k, v) in fields {
        match (target.get_mut(k), v) {
            (Some(Value::Object(t)), Value::Object(f)) => merge_objects(t, f),
            _ => {
                target.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "Shop", "version": "1"}, "tags": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
            "paths": {"/pets": {"get": {"operationId": "listPets"}, "post": {"operationId": "addPet"}}, "/carts": {"get": {"operationId": "getCart"}}}})
    }

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    #[test]
    fn updates_merge_into_every_selected_node_in_order() {
        let mut doc = spec();
        let o = overlay(json!([
            {"target": "$.info", "update": {"title": "Shop (mock)", "x-extra": {"a": 1}}},
            {"target": "$.paths.*.get", "update": {"x-cartwright": {"session": true}}},
            {"target": "$.paths.*[?@.operationId == 'addPet']", "update": {"x-cartwright": {"cart": "create"}}},
            {"target": "$.info", "update": {"x-extra": {"b": 2}}},
            {"target": "$.tags", "update": {"name": "d"}}
        ]));
        assert_eq!(apply(&mut doc, &o), Ok(vec![]));
        assert_eq!(doc["info"]["title"], "Shop (mock)");
        assert_eq!(doc["info"]["x-extra"], json!({"a": 1, "b": 2}));
        assert_eq!(
            doc["paths"]["/pets"]["get"]["x-cartwright"],
            json!({"session": true})
        );
        assert_eq!(
            doc["paths"]["/carts"]["get"]["x-cartwright"],
            json!({"session": true})
        );
        assert_eq!(
            doc["paths"]["/pets"]["post"]["x-cartwright"],
            json!({"cart": "create"})
        );
        assert_eq!(doc["tags"].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn removes_members_and_several_array_elements() {
        let mut doc = spec();
        let o = overlay(
            json!([{"target": "$.paths['/carts']", "remove": true}, {"target": "$.tags[0,2]", "remove": true}]),
        );
        assert_eq!(apply(&mut doc, &o), Ok(vec![]));
        assert!(doc["paths"].get("/carts").is_none());
        assert_eq!(doc["tags"], json!([{"name": "b"}]));
    }

    #[test]
    fn a_target_selecting_nothing_is_a_warning() {
        let mut doc = spec();
        let warnings = apply(
            &mut doc,
            &overlay(json!([{"target": "$.paths['/nope'].get", "update": {"x": 1}}])),
        )
        .expect("applies");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/actions/0/target");
        assert!(!warnings[0].is_error);
    }

    #[test]
    fn errors_are_all_reported_and_nothing_is_applied() {
        let mut doc = spec();
        let o = overlay(
            json!([{"target": "$.info", "update": {"x": 1}}, {"target": "$[?"}, {"update": {}}, {"target": "$.info", "update": 3}]),
        );
        let errors = apply(&mut doc, &o).expect_err("invalid");
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/actions/1/target", "/actions/2"]);
        assert_eq!(doc, spec());
        let errors = apply(
            &mut doc,
            &overlay(json!([{"target": "$.info", "update": 3}])),
        )
        .expect_err("non-object update");
        assert_eq!(errors[0].pointer, "/actions/0/update");
        assert_eq!(doc, spec(), "nothing applied");
    }

    #[test]
    fn version_and_shape_are_checked() {
        let mut doc = spec();
        let errors = apply(
            &mut doc,
            &json!({"overlay": "2.0.0", "info": {"title": "t", "version": "1"}, "actions": []}),
        )
        .expect_err("invalid");
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/overlay", "/actions"]);
        assert!(apply(&mut doc, &json!({"info": {}})).is_err());
    }
}
