//! Reading a stub definition and checking it against the loaded spec: the operation (or
//! method and path) exists and the conditions can be tested; the answer is checked by
//! [`super::answer`]. Every refusal says where and why.

use std::sync::Arc;

use cartwright_model::{Api, Lookup, Method, Operation};
use http::StatusCode;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Value, json};
use serde_json_path::JsonPath;

use super::Stub;
use super::conditions::{BodyCondition, Conditions, Test};
use crate::problem::{Problem, ProblemKind};

/// A stub as the admin API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Definition {
    #[serde(rename = "match")]
    on: On,
    /// Conditions may also stand beside `match`, as siblings of `answer`.
    #[serde(default)]
    headers: IndexMap<String, String>,
    #[serde(default)]
    query: IndexMap<String, String>,
    #[serde(default)]
    body: Vec<IndexMap<String, Value>>,
    #[serde(default)]
    answer: super::answer::AnswerDef,
    times: Option<u64>,
}

/// `match`: an operation id, or a method and a path (a template or a concrete path).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct On {
    operation: Option<String>,
    method: Option<String>,
    path: Option<String>,
    #[serde(default)]
    headers: IndexMap<String, String>,
    #[serde(default)]
    query: IndexMap<String, String>,
    #[serde(default)]
    body: Vec<IndexMap<String, Value>>,
}

/// A refusal of the definition.
pub(super) fn bad(detail: impl Into<String>) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        ProblemKind::BadStub,
        "Bad Stub",
        detail,
    )
}

/// Reads and checks a definition (`id` is set by the caller).
pub(super) fn define(apis: &[Arc<Api>], body: &[u8]) -> Result<Stub, Problem> {
    let given: Value =
        serde_json::from_slice(body).map_err(|e| bad(format!("the stub is not JSON: {e}")))?;
    let def: Definition = serde_json::from_value(given.clone()).map_err(|e| {
        bad(format!("{e}")).with(
            "example",
            json!({"match": {"operation": "addItem"}, "answer": {"status": 400}, "times": 1}),
        )
    })?;
    let (api, op, path) = operation(apis, &def.on)?;
    let mut conditions = Conditions {
        path,
        ..Conditions::default()
    };
    for (name, value) in def.on.headers.iter().chain(&def.headers) {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(bad(format!("`{name}` is not a header name")));
        }
        conditions
            .headers
            .push((name.to_ascii_lowercase(), value.clone()));
    }
    for (name, value) in def.on.query.iter().chain(&def.query) {
        conditions.query.push((name.clone(), value.clone()));
    }
    for (i, c) in def.on.body.iter().chain(&def.body).enumerate() {
        conditions.body.push(body_condition(i, c)?);
    }
    if def.times == Some(0) {
        return Err(bad(
            "`times` is at least 1 (a stub that never answers is no stub)",
        ));
    }
    let answer = super::answer::answer(api, op, def.answer)?;
    Ok(Stub {
        id: String::new(),
        source: api.source.clone(),
        operation: op.id.clone(),
        conditions,
        answer,
        times: def.times,
        hits: 0,
        given,
    })
}

/// The API and operation `match` names, and the concrete path it asks for, if any.
fn operation<'a>(
    apis: &'a [Arc<Api>],
    on: &On,
) -> Result<(&'a Api, &'a Operation, Option<String>), Problem> {
    let all = || {
        apis.iter()
            .flat_map(|a| a.operations.iter().map(move |o| (a, o)))
    };
    match (&on.operation, &on.method, &on.path) {
        (Some(id), None, None) => all()
            .find(|(_, o)| o.id == *id)
            .map(|(a, o)| (&**a, o, None))
            .ok_or_else(|| {
                let ids: Vec<&str> = all().map(|(_, o)| o.id.as_str()).collect();
                let mut p = bad(format!("the spec has no operation `{id}`"));
                if let Some(near) = cartwright_diag::did_you_mean(id, ids.iter().copied()) {
                    p.detail.push_str(&format!("; did you mean `{near}`?"));
                    p = p.with("closest", json!(near));
                }
                p
            }),
        (None, Some(method), Some(path)) => {
            let m = Method::parse(&method.to_ascii_uppercase())
                .ok_or_else(|| bad(format!("`{method}` is not an OpenAPI method")))?;
            if let Some((a, o)) = all().find(|(_, o)| o.method == m && o.path == *path) {
                return Ok((a, o, None));
            }
            for api in apis {
                let rest = api.strip_base(path).unwrap_or(path);
                if let Lookup::Found(found) = api.router.lookup(m, rest) {
                    return Ok((api, &api.operations[found.operation], Some(rest.to_owned())));
                }
            }
            let sigs: Vec<String> = all()
                .map(|(_, o)| format!("{} {}", o.method.as_str(), o.path))
                .collect();
            let asked = format!("{} {path}", m.as_str());
            let mut p = bad(format!("the spec has no operation for {asked}"));
            if let Some(near) =
                cartwright_diag::did_you_mean(&asked, sigs.iter().map(String::as_str))
            {
                p.detail.push_str(&format!("; did you mean `{near}`?"));
                p = p.with("closest", json!(near));
            }
            Err(p)
        }
        _ => Err(bad(
            "`match` takes an `operation` id, or a `method` and a `path` (not both)",
        )),
    }
}

/// One body condition: `{"path": "$.quantity", "equals": 2}` or `{"path": …, "exists": true}`.
fn body_condition(i: usize, c: &IndexMap<String, Value>) -> Result<BodyCondition, Problem> {
    let at = format!("body condition {i}");
    if let Some(k) = c
        .keys()
        .find(|k| !["path", "equals", "exists"].contains(&k.as_str()))
    {
        return Err(bad(format!(
            "{at}: unknown key `{k}`; a body condition has `path` and `equals` or `exists`"
        )));
    }
    let text = c.get("path").and_then(Value::as_str).ok_or_else(|| {
        bad(format!(
            "{at} needs a `path` (a JSONPath such as `$.quantity`)"
        ))
    })?;
    let path =
        JsonPath::parse(text).map_err(|e| bad(format!("{at}: `{text}` is not a JSONPath: {e}")))?;
    let test = match (c.get("equals"), c.get("exists")) {
        (Some(v), None) => Test::Equals(v.clone()),
        (None, Some(Value::Bool(b))) => Test::Exists(*b),
        (None, Some(other)) => {
            return Err(bad(format!("{at}: `exists` is true or false, not {other}")));
        }
        _ => {
            return Err(bad(format!(
                "{at} has exactly one of `equals` and `exists`"
            )));
        }
    };
    Ok(BodyCondition { path, test })
}
