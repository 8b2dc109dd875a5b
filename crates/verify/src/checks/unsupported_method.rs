//! `unsupported_method` (Schemathesis' check): a method the spec does not declare for a path
//! must get 405 Method Not Allowed, with the `Allow` header RFC 9110 §15.5.6 requires on a
//! 405. A success for an undeclared method fails too.
//!
//! As Schemathesis does, the methods sent are GET, PUT, POST, DELETE, PATCH and TRACE, less
//! those the path declares — an undeclared `DELETE` on a collection path and a `TRACE` are
//! sent to real servers too, since that is what a client or an attacker can send. OPTIONS
//! is left out, as Schemathesis leaves its answer unjudged: it is CORS' preflight. Also as
//! Schemathesis does, a 404 on a path with parameters (routing may look the resource up
//! before the method) and a 401 or 403 on a secured operation (authentication may come
//! before routing) are not failures. The documented request of the path's first operation
//! is sent with each method, once per path, in that operation's case; the path fails once,
//! saying which methods hit it.

use cartwright_http::{Answer, Method};
use cartwright_model::Operation;
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{Asserts, Matcher, Ops};
use serde_json::Value;

use crate::checks::Check as Name;
use crate::checks::kept;
use crate::probe::Probe;
use crate::sessions::{flow, session};

const CHECK: Name = Name::UnsupportedMethod;

/// Schemathesis' unexpected methods, without OPTIONS.
const METHODS: &[Method] = &[
    Method::Get,
    Method::Put,
    Method::Post,
    Method::Delete,
    Method::Patch,
    Method::Trace,
];

/// The `unsupported_method` steps, in the case of the path's first operation.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let ops = &probe.api.operations;
    let first = ops.iter().find(|o| o.path == op.path);
    if !probe.on(CHECK) || first.is_none_or(|f| f.id != op.id) {
        return Vec::new();
    }
    let declared: Vec<Method> = ops
        .iter()
        .filter(|o| o.path == op.path)
        .map(|o| o.method)
        .collect();
    let allowed: Vec<&str> = declared.iter().map(|m| m.as_str()).collect();
    let excused = Excused {
        missing: op.path.contains('{'),
        secured: !session::optional(op),
    };
    let documented = probe.request(op);
    let mut steps = Vec::new();
    // One failure per path: the first method that failed is the example, the rest counted.
    let (mut first_failed, mut hit, mut sent) = (None::<usize>, Vec::new(), 0usize);
    for method in METHODS.iter().filter(|m| !declared.contains(m)) {
        let mut req = documented.clone();
        req.method = *method;
        let name = format!(
            "{} {} (undeclared; the path allows {})",
            method.as_str(),
            op.path,
            allowed.join(", ")
        );
        let (step, answer) = probe
            .exchange(name.clone(), &req, |a| vec![judge(a, excused)])
            .await;
        sent += 1;
        if step.failures().next().is_none() {
            steps.push(step);
            continue;
        }
        hit.push(method.as_str());
        if first_failed.is_some() {
            continue;
        }
        if answer.is_some() {
            kept::keep(probe, &name, &req, CHECK, fixed());
        }
        first_failed = Some(steps.len());
        steps.push(step);
    }
    let failed = first_failed.and_then(|i| steps.get_mut(i));
    if let Some(c) = failed.and_then(|s| s.checks.iter_mut().find(|c| !c.passed)) {
        c.detail = Some(format!(
            "hit by {} of {sent} undeclared method(s): {}",
            hit.len(),
            hit.join(", ")
        ));
    }
    steps
}

/// What a fixed implementation's answer meets: 405 with `Allow`.
fn fixed() -> Asserts {
    let mut fixed = Asserts {
        status: Some(Matcher::Equals(Value::from(405))),
        schema: Some(false),
        ..Asserts::default()
    };
    fixed.headers.insert(
        "allow".into(),
        Matcher::Ops(Box::new(Ops {
            exists: Some(true),
            ..Ops::default()
        })),
    );
    fixed
}

/// Answers other than 405 that are not failures for this path.
#[derive(Debug, Clone, Copy)]
struct Excused {
    /// A 404: the path has parameters, and the documented values may name nothing.
    missing: bool,
    /// A 401 or 403: the operation is secured.
    secured: bool,
}

fn judge(a: &Answer, excused: Excused) -> Check {
    let allow = a.header("allow").map(str::trim).filter(|v| !v.is_empty());
    match a.status {
        405 if allow.is_some() => Check::pass(CHECK),
        405 => Check::fail(CHECK, "405 with an Allow header", "405 without Allow"),
        404 if excused.missing => Check::pass(CHECK),
        401 | 403 if excused.secured => Check::pass(CHECK),
        s if flow::ok(s) => Check::fail(
            CHECK,
            "405 Method Not Allowed",
            format!("{s}: the undeclared method succeeded"),
        ),
        s => Check::fail(CHECK, "405 Method Not Allowed", s.to_string()),
    }
}
