//! The shape of the parts the mock walks: `paths`, path items, operations, parameters,
//! request bodies and responses must be mappings (or lists) as OpenAPI says. A wrong shape
//! was skipped in silence, so an operation written as a list simply vanished from the mock;
//! each is now an error at its JSON pointer.

use cartwright_diag::Diagnostic;
use cartwright_model::Method;
use serde_json::Value;

use cartwright_source::pointer::{deref, join};

/// Every node of the wrong shape, as an error at its pointer.
pub(crate) fn shape(doc: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut want = |v: Option<&Value>, at: &str, what: &str, list: bool| {
        let fits = match v {
            None => true,
            Some(v) if list => v.is_array(),
            Some(v) => v.is_object(),
        };
        if !fits {
            let kind = if list { "a list" } else { "a mapping" };
            out.push(
                Diagnostic::error("bad-shape", format!("{what} must be {kind}"))
                    .with_pointer(at.to_owned()),
            );
        }
        fits
    };
    want(doc.get("components"), "/components", "`components`", false);
    if !want(doc.get("paths"), "/paths", "`paths`", false) {
        return out;
    }
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = join("/paths", path);
        if !want(Some(item), &at, &format!("the path item `{path}`"), false) {
            continue;
        }
        let Some((item, item_at)) = deref(doc, item, &at) else {
            continue;
        };
        want(
            item.get("parameters"),
            &join(&item_at, "parameters"),
            "`parameters`",
            true,
        );
        for (key, op) in item.as_object().into_iter().flatten() {
            if Method::parse(key).is_none() {
                continue;
            }
            let op_at = join(&item_at, key);
            let what = format!("the operation `{} {path}`", key.to_ascii_uppercase());
            if want(Some(op), &op_at, &what, false) {
                operation(doc, op, &op_at, &mut want);
            }
        }
    }
    out
}

/// The parts of one operation.
fn operation(
    doc: &Value,
    op: &Value,
    at: &str,
    want: &mut impl FnMut(Option<&Value>, &str, &str, bool) -> bool,
) {
    let params_at = join(at, "parameters");
    if want(op.get("parameters"), &params_at, "`parameters`", true) {
        for (i, p) in op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            want(
                Some(p),
                &join(&params_at, &i.to_string()),
                "a parameter",
                false,
            );
        }
    }
    let body_at = join(at, "requestBody");
    if want(op.get("requestBody"), &body_at, "`requestBody`", false)
        && let Some((body, body_at)) = op.get("requestBody").and_then(|b| deref(doc, b, &body_at))
    {
        want(
            body.get("content"),
            &join(&body_at, "content"),
            "`content`",
            false,
        );
    }
    let responses_at = join(at, "responses");
    if want(op.get("responses"), &responses_at, "`responses`", false) {
        for (code, r) in op["responses"].as_object().into_iter().flatten() {
            let r_at = join(&responses_at, code);
            if want(Some(r), &r_at, &format!("the response `{code}`"), false)
                && let Some((r, r_at)) = deref(doc, r, &r_at)
            {
                want(
                    r.get("content"),
                    &join(&r_at, "content"),
                    "`content`",
                    false,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(doc: Value) -> Vec<String> {
        shape(&doc).into_iter().filter_map(|d| d.pointer).collect()
    }

    #[test]
    fn wrong_shapes_are_errors_at_their_pointers() {
        assert_eq!(pointers(json!({"paths": [1]})), ["/paths"]);
        assert_eq!(pointers(json!({"paths": {"/a": [1]}})), ["/paths/~1a"]);
        assert_eq!(
            pointers(json!({"paths": {"/a": {"get": [1]}}})),
            ["/paths/~1a/get"]
        );
        assert_eq!(
            pointers(json!({"paths": {"/a": {"get": {"responses": [1]}}}})),
            ["/paths/~1a/get/responses"]
        );
        assert_eq!(
            pointers(
                json!({"paths": {"/a": {"post": {"parameters": {"a": 1}, "requestBody": {"content": [1]}, "responses": {"200": [1]}}}}})
            ),
            [
                "/paths/~1a/post/parameters",
                "/paths/~1a/post/requestBody/content",
                "/paths/~1a/post/responses/200"
            ]
        );
        assert_eq!(
            pointers(json!({"paths": {}, "components": 3})),
            ["/components"]
        );
    }

    #[test]
    fn sound_documents_and_refs_have_no_finding() {
        let doc = json!({"paths": {"/a": {"$ref": "#/components/x"}, "/b": {"get": {
            "parameters": [{"$ref": "#/components/p"}],
            "responses": {"200": {"$ref": "#/components/r"}}}}},
            "components": {"x": {"get": {"responses": {}}}, "p": {}, "r": {"description": "ok"}}});
        assert!(shape(&doc).is_empty());
    }
}
