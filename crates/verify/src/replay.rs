//! Failures as scenarios: every failure is handed back as a `cartwright run` scenario that
//! sends the same request(s) and asserts what the failed check expected, so the scenario
//! fails against the implementation exactly as the check did, and passes once it is fixed.
//!
//! A scenario is the scenario crate's own AST, printed as YAML: what `cartwright run` reads
//! is what is written, with no second format to keep in step.

use std::path::Path;

use cartwright_model::Api;
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Action, Asserts, Matcher, Ops, Request, Scenario, Step};
use indexmap::IndexMap;
use serde_json::{Value, json};

use cartwright_http::{Body, Request as Wire};

/// The scenario request for `req`: the URL's path without the target and the spec's base
/// path (the runner adds them back), the query as a map, headers, and the body.
pub fn request(api: &Api, target: &str, req: &Wire) -> Request {
    let rest = req.url.strip_prefix(target).unwrap_or(&req.url);
    let prefix = api.base_paths.first().map_or("", String::as_str);
    let rest = rest.strip_prefix(prefix).unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut q: IndexMap<String, Value> = IndexMap::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let v = Value::String(escape(&v));
        match q.get_mut(k.as_ref()) {
            Some(Value::Array(items)) => items.push(v),
            Some(first) => *first = json!([first.clone(), v]),
            None => {
                q.insert(k.into_owned(), v);
            }
        }
    }
    let mut out = Request {
        method: req.method.as_str().to_owned(),
        path: escape(path),
        query: q,
        headers: req
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), escape(v)))
            .collect(),
        json: None,
        form: None,
        body: None,
    };
    if let Some(Body {
        content_type: ct,
        bytes,
    }) = &req.body
    {
        let text = String::from_utf8_lossy(bytes);
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) if ct.contains("json") && !v.is_null() => out.json = Some(escape_value(v)),
            _ => {
                out.headers.insert("content-type".into(), ct.clone());
                out.body = Some(escape(&text));
            }
        }
    }
    out
}

/// The assertions that a fixed implementation meets, for the failed checks of one request.
/// Checks that judge a sequence (isolation, revocation, retries) write their own.
pub fn asserts(failed: &[&Check]) -> Asserts {
    let mut a = Asserts::default();
    let mut status = Ops::default();
    for c in failed {
        match c.name.as_str() {
            "not_a_server_error" => status.lt = Some(json!(500)),
            "negative_data_rejection" => {
                status.ge = Some(json!(400));
                status.lt = Some(json!(500));
            }
            "positive_data_acceptance" => status.lt = Some(json!(400)),
            "ignored_auth" => status.one_of = Some(vec![json!(401), json!(403)]),
            "status_code_conformance"
            | "content_type_conformance"
            | "response_headers_conformance"
            | "response_schema_conformance" => a.schema = Some(true),
            "max_response_time" => a.duration = c.expected.clone(),
            _ => {}
        }
    }
    if status != Ops::default() {
        a.status = Some(Matcher::Ops(Box::new(status)));
    }
    // Only the named checks are asserted: a contract check of its own would add failures
    // the original run did not report.
    a.schema.get_or_insert(false);
    a
}

/// A one-request scenario for a failed step.
pub fn single(name: &str, request: Request, failed: &[&Check]) -> Scenario {
    Scenario {
        name: name.to_owned(),
        description: Some(format!(
            "Found by cartwright verify: {}.",
            failed
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        tags: failed.iter().map(|c| c.name.clone()).collect(),
        vars: IndexMap::new(),
        steps: vec![Step {
            name: Some(name.to_owned()),
            assert: Some(asserts(failed)),
            ..Step::new(Action::Request(request))
        }],
    }
}

/// Writes each scenario to `dir` as `NN-<slug>.yaml`; returns the paths written.
pub fn write(dir: &Path, scenarios: &[Scenario]) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        let text = serde_saphyr::to_string(s).map_err(std::io::Error::other)?;
        let path = dir.join(format!("{:03}-{}.yaml", i + 1, slug(&s.name)));
        std::fs::write(&path, text)?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    parts.join("-").chars().take(60).collect()
}

/// Sent values are data, not templates: `{{` would be read as an expression.
fn escape(s: &str) -> String {
    if s.contains("{{") || s.contains("{%") || s.contains("{#") {
        format!(
            "{{{{ raw({}) }}}}",
            serde_json::to_string(s).unwrap_or_default()
        )
    } else {
        s.to_owned()
    }
}

fn escape_value(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(escape(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(escape_value).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, escape_value(v))).collect())
        }
        other => other,
    }
}

/// Replaces every secret value in the scenario's requests by the variable that stands for
/// it, adds `headers` (sent on every request by `-H`) to each request, and says in the
/// description which variables `cartwright run` must be given. `secrets` is
/// `(variable, value)`, longest value first.
pub fn mask(scenario: &mut Scenario, headers: &[(String, String)], secrets: &[(String, String)]) {
    let mut used: Vec<&str> = Vec::new();
    let mut sub = |text: &mut String| {
        for (var, value) in secrets {
            if text.contains(value.as_str()) {
                *text = text.replace(value.as_str(), &format!("{{{{ {var} }}}}"));
                if !used.contains(&var.as_str()) {
                    used.push(var);
                }
            }
        }
    };
    for step in &mut scenario.steps {
        let Action::Request(r) = &mut step.action else {
            continue;
        };
        for (k, v) in headers {
            r.headers.retain(|n, _| !n.eq_ignore_ascii_case(k));
            r.headers.insert(k.clone(), v.clone());
        }
        sub(&mut r.path);
        r.headers.values_mut().for_each(&mut sub);
        for v in r.query.values_mut() {
            strings(v, &mut sub);
        }
        if let Some(j) = &mut r.json {
            strings(j, &mut sub);
        }
        if let Some(b) = &mut r.body {
            sub(b);
        }
        if let Some(form) = &mut r.form {
            form.values_mut().for_each(&mut sub);
        }
    }
    if !used.is_empty() {
        let set: Vec<String> = used.iter().map(|v| format!("--secret {v}=…")).collect();
        let note = format!(
            " It needs the credentials it was found with: `cartwright run … {}`.",
            set.join(" ")
        );
        scenario
            .description
            .get_or_insert_with(String::new)
            .push_str(&note);
    }
}

/// Applies `f` to every string in a JSON value.
fn strings(v: &mut Value, f: &mut impl FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| strings(i, f)),
        Value::Object(m) => m.values_mut().for_each(|i| strings(i, f)),
        _ => {}
    }
}
