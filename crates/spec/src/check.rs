//! Up-front structural checks: what would make the mock misbehave, reported before it starts.

use std::collections::HashMap;

use cartwright_diag::{Diagnostic, did_you_mean};
use cartwright_model::{Method, Template};
use serde_json::Value;

use cartwright_source::pointer::{deref, join};

/// The OpenAPI version family of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// 3.0.x: JSON Schema draft 4 dialect with `nullable`.
    V30,
    /// 3.1.x: JSON Schema 2020-12.
    V31,
}

/// Reads and checks the `openapi` field.
pub(crate) fn version(doc: &Value) -> Result<Version, Diagnostic> {
    let help = "cartwright reads OpenAPI 3.0 and 3.1 documents";
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(Version::V30),
        Some(v) if v.starts_with("3.1") => Ok(Version::V31),
        Some(v) => Err(Diagnostic::error(
            "unsupported-version",
            format!("unsupported OpenAPI version `{v}`"),
        )
        .with_pointer("/openapi")
        .with_help(help)),
        None if doc.get("swagger").is_some() => Err(Diagnostic::error(
            "unsupported-version",
            "this is a Swagger 2.0 document; cartwright reads only OpenAPI 3.0 and 3.1",
        )
        .with_pointer("/swagger")
        .with_help("convert it to OpenAPI 3 first (for example with swagger2openapi)")),
        None if !doc.is_object() => {
            Err(Diagnostic::error("not-openapi", "the document is not a mapping").with_help(help))
        }
        None => Err(Diagnostic::error("not-openapi", "missing `openapi` field")
            .with_pointer("")
            .with_help(help)),
    }
}

/// Every structural finding of the document.
pub(crate) fn check(doc: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doc.pointer("/info/title").and_then(Value::as_str).is_none() {
        out.push(
            Diagnostic::warning("missing-info", "`info.title` is missing").with_pointer("/info"),
        );
    }
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        // A `paths` of the wrong shape is told by `shape`.
        if doc.get("webhooks").is_none() && doc.get("paths").is_none() {
            out.push(
                Diagnostic::error("missing-paths", "the document has no `paths`").with_pointer(""),
            );
        }
        return out;
    };
    let mut ids: HashMap<&str, String> = HashMap::new();
    for (path, item) in paths {
        let at = join("/paths", path);
        let template = match Template::parse(path) {
            Ok(t) => t,
            Err(e) => {
                out.push(Diagnostic::error("bad-path", e.0).with_pointer(at));
                continue;
            }
        };
        let Some((item, item_at)) = deref(doc, item, &at) else {
            continue;
        };
        for (key, op) in item.as_object().into_iter().flatten() {
            if Method::parse(key).is_none() || !op.is_object() {
                continue;
            }
            let op_at = join(&item_at, key);
            check_path_params(doc, &template, item, op, &op_at, &mut out);
            if let Some(id) = op.get("operationId").and_then(Value::as_str)
                && let Some(first) = ids.insert(id, op_at.clone())
            {
                out.push(
                    Diagnostic::warning(
                        "duplicate-operation-id",
                        format!("operationId `{id}` is also used at {first}"),
                    )
                    .with_pointer(join(&op_at, "operationId")),
                );
            }
            if op.get("responses").is_none() {
                out.push(
                    Diagnostic::warning("missing-responses", "the operation declares no responses")
                        .with_pointer(op_at),
                );
            }
        }
    }
    out
}

/// Path parameters of an operation: (name, pointer) for path-item and operation level.
fn declared_path_params<'a>(
    doc: &'a Value,
    item: &'a Value,
    op: &'a Value,
    op_at: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let levels = [
        (
            item.get("parameters"),
            op_at.rsplit_once('/').map_or("", |p| p.0).to_owned(),
        ),
        (op.get("parameters"), op_at.to_owned()),
    ];
    for (params, base) in levels {
        for (i, p) in params
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = format!("{base}/parameters/{i}");
            if let Some((p, at)) = deref(doc, p, &at)
                && p.get("in").and_then(Value::as_str) == Some("path")
                && let Some(name) = p.get("name").and_then(Value::as_str)
            {
                out.push((name.to_owned(), at));
            }
        }
    }
    out
}

fn check_path_params(
    doc: &Value,
    template: &Template,
    item: &Value,
    op: &Value,
    op_at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let declared = declared_path_params(doc, item, op, op_at);
    let used = template.params();
    for name in &used {
        if declared.iter().any(|(d, _)| d == name) {
            continue;
        }
        let mut diag = Diagnostic::error(
            "undeclared-path-param",
            format!("path parameter `{{{name}}}` is used in the path but not declared"),
        )
        .with_pointer(op_at.to_owned());
        diag = match did_you_mean(name, declared.iter().map(|(d, _)| d.as_str())) {
            Some(best) => diag.with_help(format!("did you mean `{best}`? (declared names must match the template)")),
            None => diag.with_help(format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to `parameters`")),
        };
        out.push(diag);
    }
    for (name, at) in &declared {
        if !used.contains(&name.as_str()) && at.starts_with(op_at) {
            out.push(
                Diagnostic::warning(
                    "unused-path-param",
                    format!("path parameter `{name}` is declared but not in the path"),
                )
                .with_pointer(at.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_undeclared_path_params_with_a_suggestion() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/orders/{order_id}": {"get": {"parameters": [{"name": "orderId", "in": "path", "required": true}], "responses": {}}}}});
        let diags = check(&doc);
        let d = diags
            .iter()
            .find(|d| d.code == "undeclared-path-param")
            .expect("found");
        assert_eq!(
            d.pointer.as_deref(),
            Some("/paths/~1orders~1{order_id}/get")
        );
        assert!(
            d.help.as_deref().is_some_and(|h| h.contains("orderId")),
            "{d:?}"
        );
    }

    #[test]
    fn rejects_swagger_and_unknown_versions() {
        assert!(version(&json!({"swagger": "2.0"})).is_err());
        assert!(version(&json!({"openapi": "4.0.0"})).is_err());
        assert_eq!(
            version(&json!({"openapi": "3.1.0"})).ok(),
            Some(Version::V31)
        );
    }
}
