//! `mock:` steps as admin calls on the cartwright mock, and how their answers are judged: a
//! stub the mock refuses fails the step with its reason, a journal count that differs fails
//! it with the expected and the actual count.

use cartwright_outcome::Check;
use minijinja::value::Value as Jinja;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use crate::answer::Answer;
use crate::ast::{Expect, MockAction};
use crate::template::{Template, TemplateError};

/// The admin call of a mock action: method, path under `/__cartwright` and JSON body.
pub(super) fn call(
    action: &MockAction,
    vars: &Jinja,
) -> Result<(&'static str, String, Option<Value>), TemplateError> {
    let text = |t: &str| Template::compile(t)?.text(vars);
    Ok(match action {
        MockAction::Reset => ("POST", "/reset".to_owned(), Some(json!({}))),
        MockAction::Advance(d) => ("POST", "/clock".to_owned(), Some(json!({"advance": d}))),
        MockAction::Outbox { to } => {
            let q = match to {
                Some(t) => format!("?to={}", utf8_percent_encode(&text(t)?, NON_ALPHANUMERIC)),
                None => String::new(),
            };
            ("GET", format!("/outbox{q}"), None)
        }
        MockAction::Stub(def) => (
            "POST",
            "/stubs".to_owned(),
            Some(crate::template::deep(def, vars)?),
        ),
        MockAction::Expect(e) => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            if let Some(o) = &e.operation {
                q.append_pair("operation", o);
            }
            if let Some(m) = &e.method {
                q.append_pair("method", m);
            }
            if let Some(p) = &e.path {
                q.append_pair("path", &text(p)?);
            }
            if let Some(s) = e.status {
                q.append_pair("status", &s.to_string());
            }
            ("GET", format!("/journal/count?{}", q.finish()), None)
        }
    })
}

/// The check a stub or expect step's answer makes; `None` for the other actions.
pub(super) fn judge(action: &MockAction, a: &Answer) -> Option<Check> {
    let refusal = || {
        let json = a.json.as_ref();
        json.and_then(|j| j["detail"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| a.text().into_owned())
    };
    match action {
        MockAction::Stub(_) if a.status == 201 => Some(Check::pass("the mock took the stub")),
        MockAction::Stub(_) => Some(Check::fail(
            "the mock took the stub",
            "201",
            format!("{}: {}", a.status, refusal()),
        )),
        MockAction::Expect(e) => {
            let name = format!("mock expect {}", described(e));
            let found = a.json.as_ref().and_then(|j| j["count"].as_u64());
            Some(match found {
                Some(n) if a.status == 200 && n == e.count => Check::pass(name),
                Some(n) if a.status == 200 => Check::fail(name, times(e.count), times(n)),
                _ => Check::fail(
                    name,
                    "a journal count",
                    format!("{}: {}", a.status, refusal()),
                ),
            })
        }
        _ => None,
    }
}

/// `N request(s)`.
fn times(n: u64) -> String {
    format!("{n} request{}", if n == 1 { "" } else { "s" })
}

/// What an expect counts, as the step's name says it: `startPayment POST 402`.
pub(super) fn described(e: &Expect) -> String {
    let parts: Vec<String> = [
        e.operation.clone(),
        e.method.clone(),
        e.path.clone(),
        e.status.map(|s| s.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "every request".to_owned()
    } else {
        parts.join(" ")
    }
}

/// What a stub step's definition names: its operation, or its method and path.
pub(super) fn stubbed(def: &Value) -> String {
    let m = &def["match"];
    match (
        m["operation"].as_str(),
        m["method"].as_str(),
        m["path"].as_str(),
    ) {
        (Some(o), _, _) => o.to_owned(),
        (None, Some(method), Some(path)) => format!("{method} {path}"),
        _ => "a request".to_owned(),
    }
}
