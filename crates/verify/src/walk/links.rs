//! OpenAPI links: a response's `links` name a later operation and say which of its
//! parameters take which values of this answer (`$response.body#/id`,
//! `$response.header.Location`, `$statusCode`, or a constant). The stateful walk gives those
//! values to that operation before anything it would guess by name.

use cartwright_http::Answer;
use cartwright_model::{Api, Operation};
use serde_json::Value;

/// A value a link hands to a parameter of a later operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Linked {
    /// The target's operationId.
    pub operation: String,
    /// The parameter's name (a `path.`/`query.`/`header.` prefix removed).
    pub param: String,
    /// The value.
    pub value: Value,
    /// Where in the body it was read (a JSON pointer), for a scenario capture.
    pub pointer: Option<String>,
}

/// The values the links of `op`'s response for `status` hand on, read from `answer`.
pub(crate) fn follow(api: &Api, op: &Operation, status: u16, answer: &Answer) -> Vec<Linked> {
    let Some(Value::Object(responses)) = api.document.pointer(&format!("{}/responses", op.pointer))
    else {
        return Vec::new();
    };
    let class = format!("{}XX", status / 100);
    let response = responses
        .get(&status.to_string())
        .or_else(|| responses.get(&class))
        .or_else(|| responses.get(&class.to_ascii_lowercase()))
        .or_else(|| responses.get("default"));
    let Some(response) = response.map(|r| resolve(api, r)) else {
        return Vec::new();
    };
    let Some(Value::Object(links)) = response.get("links") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for link in links.values().map(|l| resolve(api, l)) {
        let Some(target) = link.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let Some(Value::Object(params)) = link.get("parameters") else {
            continue;
        };
        for (name, expr) in params {
            let param = name
                .split_once('.')
                .filter(|(loc, _)| matches!(*loc, "path" | "query" | "header" | "cookie"))
                .map_or(name.as_str(), |(_, n)| n);
            if let Some((value, pointer)) = evaluate(expr, status, answer) {
                out.push(Linked {
                    operation: target.to_owned(),
                    param: param.to_owned(),
                    value,
                    pointer,
                });
            }
        }
    }
    out
}

/// A runtime expression, or a constant; `None` for what an answer cannot give (`$request…`).
fn evaluate(expr: &Value, status: u16, answer: &Answer) -> Option<(Value, Option<String>)> {
    let Value::String(e) = expr else {
        return Some((expr.clone(), None));
    };
    if !e.starts_with('$') {
        return Some((expr.clone(), None));
    }
    if e == "$statusCode" {
        return Some((Value::from(status), None));
    }
    if let Some(name) = e.strip_prefix("$response.header.") {
        return answer
            .header(name)
            .map(|v| (Value::String(v.to_owned()), None));
    }
    let body = answer.json.as_ref()?;
    if e == "$response.body" {
        return Some((body.clone(), Some(String::new())));
    }
    let pointer = e.strip_prefix("$response.body#")?;
    body.pointer(pointer)
        .map(|v| (v.clone(), Some(pointer.to_owned())))
}

/// Follows one local `$ref` (links and responses are often in `components`).
fn resolve<'a>(api: &'a Api, v: &'a Value) -> &'a Value {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| api.document.pointer(p))
        .unwrap_or(v)
}
