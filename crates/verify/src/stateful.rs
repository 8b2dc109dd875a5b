//! The stateful phase: one walk through the API in which every request uses what earlier
//! answers gave — session tokens where the `x-cartwright` bindings say they are issued and
//! carried, OpenAPI `links` ([`crate::links`]), and ids by parameter name — so operations behind a session or
//! an id are reached with live values (create a cart → add items → read it → check out).
//!
//! The order is by what an operation does: those that issue sessions first, then creations,
//! changes, reads, deletions, and those that end a session last; the spec's order within
//! each. Every answer is judged by the response checks. A failure is kept as a scenario of
//! the walk up to it, with the tokens and ids as captures, so its replay gets fresh ones.

use std::time::Instant;

use cartwright_model::{Action, Api, Binding, Carrier, Method, Operation, ParamLocation, Shape};
use cartwright_outcome::{Case, Check};
use cartwright_scenario::ast::{self, Capture, CaptureFull, Scenario};
use indexmap::IndexMap;
use serde_json::Value;

use crate::checks;
use crate::probe::{Probe, ms};
use crate::replay;
use cartwright_http::Request;

/// A value an answer gave, where it was found, and the scenario variable that holds it.
struct Found {
    key: String,
    value: Value,
    var: String,
    /// Set for a value an OpenAPI link hands to one operation's parameter.
    link: Option<(String, String)>,
}

/// The walk as a case, or `None` when fewer than two operations take part.
pub(crate) async fn run(probe: &Probe<'_>, ops: &[&Operation]) -> Option<Case> {
    if ops.len() < 2 {
        return None;
    }
    let began = Instant::now();
    let mut order: Vec<&Operation> = ops.to_vec();
    order.sort_by_key(|op| rank(op));
    let mut found: Vec<Found> = Vec::new();
    let mut tokens: IndexMap<String, String> = IndexMap::new();
    let mut steps = Vec::new();
    let mut script: Vec<ast::Step> = Vec::new();
    let selected = probe.opts.checks.as_deref();
    for op in order {
        let values = fill(probe, op, &found);
        let mut req = probe.assemble(op, &values);
        carry(probe.api, op, &tokens, &mut req);
        let (step, answer) = probe
            .exchange(format!("stateful {}", op.signature()), &req, |a| {
                checks::run(op, a, selected)
            })
            .await;
        let mut line = ast::Step {
            name: Some(step.name.clone()),
            ..ast::Step::new(ast::Action::Request(templated(
                probe, &req, &found, &tokens,
            )))
        };
        let failed: Vec<&Check> = step.failures().collect();
        if !failed.is_empty() {
            line.assert = Some(replay::asserts(&failed));
            let mut walk = script.clone();
            walk.push(line.clone());
            probe.keep(Scenario {
                name: format!("stateful walk to {}", op.signature()),
                description: Some(
                    "Found by cartwright verify's stateful phase: the walk up to the failing request."
                        .into(),
                ),
                tags: failed.iter().map(|c| c.name.clone()).collect(),
                vars: IndexMap::new(),
                steps: walk,
            });
        } else {
            line.assert = Some(ast::Asserts {
                schema: Some(false),
                ..ast::Asserts::default()
            });
        }
        steps.push(step);
        let Some(answer) = answer else {
            break;
        };
        if (200..300).contains(&answer.status)
            && let Some(body) = &answer.json
        {
            learn(probe.api, op, body, &mut found, &mut tokens, &mut line);
            tokens.keys().for_each(|kind| probe.session_obtained(kind));
        }
        if (200..300).contains(&answer.status) {
            for l in crate::links::follow(probe.api, op, answer.status, &answer) {
                // A value read elsewhere than the body (a header, a constant) has no capture:
                // the replay sends it as written.
                let var = match &l.pointer {
                    Some(p) => {
                        let var = format!("link{}_{}", found.len(), norm(&l.param));
                        line.capture.insert(var.clone(), Capture::Path(jsonpath(p)));
                        var
                    }
                    None => String::new(),
                };
                found.push(Found {
                    key: l.param.clone(),
                    value: l.value,
                    var,
                    link: Some((l.operation, l.param)),
                });
            }
        }
        script.push(line);
    }
    Some(Case {
        name: "stateful walk".into(),
        suite: probe.api.title.clone(),
        file: Some(probe.api.source.clone()),
        steps,
        duration_ms: ms(began),
        error: None,
    })
}

/// Where an operation goes in the walk.
fn rank(op: &Operation) -> u8 {
    let acts = |f: &dyn Fn(&Action) -> bool| {
        op.behaviour
            .as_ref()
            .is_some_and(|b| b.steps.iter().any(|s| f(&s.action)))
    };
    let has_path_params = op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Path);
    if acts(&|a| matches!(a, Action::End | Action::Revoke { .. })) {
        6
    } else if acts(&|a| matches!(a, Action::Issue { .. } | Action::Refresh { .. })) {
        0
    } else {
        match (op.method, has_path_params) {
            (Method::Post, false) => 1,
            (Method::Post | Method::Put | Method::Patch, _) => 2,
            (Method::Get, _) => 3,
            (Method::Delete, _) => 5,
            _ => 4,
        }
    }
}

/// The documented values, with path parameters taken from earlier answers by name.
fn fill(probe: &Probe<'_>, op: &Operation, found: &[Found]) -> crate::request::Values {
    let mut values = crate::request::defaults(probe.api, op, probe.opts.seed);
    // What a link hands to this operation comes first, for any parameter it names.
    let mut linked = Vec::new();
    for f in found {
        let Some((target, name)) = &f.link else {
            continue;
        };
        let Some(i) = op.parameters.iter().position(|p| p.name == *name) else {
            continue;
        };
        if *target != op.id {
            continue;
        }
        values.params.retain(|(j, _)| *j != i);
        values.params.push((i, f.value.clone()));
        linked.push(i);
    }
    for (i, v) in values.params.iter_mut() {
        if linked.contains(i) {
            continue;
        }
        let Some(p) = op.parameters.get(*i) else {
            continue;
        };
        if p.location != ParamLocation::Path {
            continue;
        }
        let want = norm(&p.name);
        let hit = found.iter().rev().filter(|f| f.link.is_none()).find(|f| {
            let key = norm(&f.key);
            key == want
                || (want.ends_with("id") && key == "id" && want.len() > 2)
                || (want == "token" && key.ends_with("token"))
        });
        if let Some(f) = hit {
            let candidate = match &f.value {
                Value::Number(n) => Value::String(n.to_string()),
                other => other.clone(),
            };
            let ok = p
                .schema
                .as_ref()
                .is_none_or(|s| s.is_valid(&candidate) || s.is_valid(&f.value));
            if ok {
                *v = f.value.clone();
            }
        }
    }
    values
}

fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Puts each session token the operation works on where its kind says tokens travel.
fn carry(api: &Api, op: &Operation, tokens: &IndexMap<String, String>, req: &mut Request) {
    let Some(kind) = op.behaviour.as_ref().and_then(|b| b.session.as_deref()) else {
        return;
    };
    let (Some(token), Some(session)) = (tokens.get(kind), api.behaviours.session(kind)) else {
        return;
    };
    let Some(carrier) = session.carriers.first() else {
        return;
    };
    let set = |req: &mut Request, name: &str, value: String| {
        req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        req.headers.push((name.to_owned(), value));
    };
    match carrier {
        Carrier::Header(h) => set(req, h, token.clone()),
        Carrier::Bearer => set(req, "authorization", format!("Bearer {token}")),
        Carrier::Accept(param) => set(req, "accept", format!("*/*; {param}={token}")),
        Carrier::Cookie(c) => set(req, "cookie", format!("{c}={token}")),
        // A path value is chosen before the request is built; nothing to put afterwards.
        Carrier::Path(_) => {}
        Carrier::Query(q) => {
            let sep = if req.url.contains('?') { '&' } else { '?' };
            req.url = format!(
                "{}{sep}{}",
                req.url,
                form_urlencoded::Serializer::new(String::new())
                    .append_pair(q, token)
                    .finish()
            );
        }
    }
}

/// Reads what a successful answer gives: the session token where the binding puts it, and
/// the body's named values; each becomes a capture of the scenario step.
fn learn(
    api: &Api,
    op: &Operation,
    body: &Value,
    found: &mut Vec<Found>,
    tokens: &mut IndexMap<String, String>,
    line: &mut ast::Step,
) {
    if let Some(b) = &op.behaviour
        && let Some((kind, pointer)) = issued(api, b)
        && let Some(Value::String(t)) = body.pointer(&pointer)
    {
        let var = format!("{kind}_token");
        tokens.insert(kind, t.clone());
        line.capture.insert(
            var,
            Capture::Full(CaptureFull {
                jsonpath: Some(jsonpath(&pointer)),
                secret: true,
                ..CaptureFull::default()
            }),
        );
    }
    let step = found.len();
    for (pointer, key, value) in named(body) {
        let var = format!("v{step}_{}", norm(&key));
        if line.capture.contains_key(&var) {
            continue;
        }
        line.capture
            .insert(var.clone(), Capture::Path(jsonpath(&pointer)));
        found.push(Found {
            key,
            value,
            var,
            link: None,
        });
    }
}

/// The session kind whose token this binding hands out, and where in the body: a body
/// patch `issued.token` (a new session), or `token` on an operation of a kind that renews.
fn issued(api: &Api, b: &Binding) -> Option<(String, String)> {
    let issues = b.steps.iter().find_map(|s| match &s.action {
        Action::Issue { session, .. } | Action::Refresh { session, .. } => Some(session.clone()),
        _ => None,
    });
    let kind = issues.clone().or_else(|| b.session.clone())?;
    api.behaviours.session(&kind)?;
    let wanted = if issues.is_some() {
        "issued.token"
    } else {
        "token"
    };
    let responds = b
        .steps
        .iter()
        .filter_map(|s| s.respond.as_ref())
        .chain(std::iter::once(&b.respond));
    for r in responds {
        for (pointer, shape) in &r.body {
            if let Shape::Expr(e) = shape
                && e.source().trim() == wanted
            {
                return Some((kind, pointer.clone()));
            }
        }
    }
    None
}

/// Scalar values under id-like names, at most three levels down: `id`, `data.id`,
/// `order.number`, `cart_id`.
fn named(body: &Value) -> Vec<(String, String, Value)> {
    fn walk(v: &Value, at: &str, depth: usize, out: &mut Vec<(String, String, Value)>) {
        let Value::Object(m) = v else {
            return;
        };
        for (k, x) in m {
            let pointer = cartwright_source::pointer::join(at, k);
            let n = norm(k);
            let idlike = n == "id" || n.ends_with("id") || n == "number" || n.ends_with("token");
            match x {
                Value::String(_) | Value::Number(_) if idlike => {
                    out.push((pointer, k.clone(), x.clone()))
                }
                Value::Object(_) if depth < 3 => walk(x, &pointer, depth + 1, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(body, "", 0, &mut out);
    out
}

/// A JSON pointer as the JSONPath the scenario language reads.
fn jsonpath(pointer: &str) -> String {
    let mut out = String::from("$");
    for part in pointer.split('/').skip(1) {
        let part = cartwright_source::pointer::unescape(part);
        if part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !part.is_empty() {
            out.push('.');
            out.push_str(&part);
        } else {
            out.push_str(&format!("['{}']", part.replace('\'', "\\'")));
        }
    }
    out
}

/// The scenario request, with tokens and learned values as the variables that hold them.
fn templated(
    probe: &Probe<'_>,
    req: &Request,
    found: &[Found],
    tokens: &IndexMap<String, String>,
) -> ast::Request {
    let mut r = replay::request(probe.api, &probe.target, req);
    for (kind, token) in tokens {
        let var = format!("{{{{ {kind}_token }}}}");
        for v in r.headers.values_mut() {
            if v.contains(token.as_str()) {
                *v = v.replace(token.as_str(), &var);
            }
        }
    }
    let segments: Vec<String> = r
        .path
        .split('/')
        .map(|seg| {
            let decoded = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
            found
                .iter()
                .rev()
                .find(|f| {
                    !seg.is_empty()
                        && !f.var.is_empty()
                        && match &f.value {
                            Value::String(s) => *s == decoded,
                            Value::Number(n) => n.to_string() == decoded,
                            _ => false,
                        }
                })
                .map_or_else(|| seg.to_owned(), |f| format!("{{{{ {} }}}}", f.var))
        })
        .collect();
    r.path = segments.join("/");
    r
}
