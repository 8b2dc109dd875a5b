//! `path_encoding`: a hostile value of a string path parameter must stay inside its segment.
//!
//! Each hostile value ([`hostile`]) — an encoded slash, an encoded traversal, a literal `+`,
//! an encoded NUL, a double-encoded slash, and values an encoded traversal would turn into
//! the path of another operation of its method (`..%2Flines%2Fx`) — is sent already percent-encoded, as it goes
//! on the wire (the client keeps `%2F` as written and resolves no `..` inside a segment),
//! and compared with a plain value of the same parameter. A hostile value fails when it gets
//! a server error (reported as `not_a_server_error` when that check runs); a success where
//! the plain value got none (it reached something else); a 404 or 405 where the plain value
//! succeeded (it was decoded before routing and fell off the route); or a success with the
//! shape of the other operation it was aimed at (the answer to that operation's own path)
//! where the plain value's answer has another shape. Refusing it (400, 422) is fine.
//!
//! Values aimed at a real sibling route carry a real id a session's change made
//! ([`live`]): `..%2Flines%2F<a line of session a>` from `DELETE /vouchers/{voucher}`.
//!
//! Each check fails once per operation: the first hostile value that hit it is the example,
//! and the report says how many hit it.

mod hostile;
mod live;
mod verdict;

use std::collections::BTreeMap;

use cartwright_http::Answer;
use cartwright_model::{Operation, ParamLocation, Parameter};
use cartwright_outcome::{Check, Step};
use serde_json::Value;

use crate::checks::Check as Name;
use crate::checks::kept;
use crate::probe::Probe;
use crate::request::Req;
use crate::sessions::documented;

use verdict::verdict;

const CHECK: Name = Name::PathEncoding;

/// Plain values to compare with, the first the parameter's schema accepts.
const PLAIN: &[&str] = &["cartwrightprobe", "cwprobe", "x"];

/// Stands for the parameter while the request is built: letters only, so no encoding
/// touches it.
const MARKER: &str = "cwsegmentz";

/// A failed check of the operation: its step, and the hostile values that hit it.
struct Hit {
    step: usize,
    values: Vec<String>,
}

/// The `path_encoding` steps for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    if !probe.on(CHECK) {
        return Vec::new();
    }
    let sig = op.signature();
    let server_errors = probe.on(Name::NotAServerError);
    let mut steps = Vec::new();
    let mut hits: BTreeMap<Name, Hit> = BTreeMap::new();
    let mut sent = 0usize;
    for (i, p) in op.parameters.iter().enumerate() {
        if p.location != ParamLocation::Path || !free_text(p) {
            continue;
        }
        let Some(plain) = PLAIN.iter().find(|v| {
            p.schema
                .as_ref()
                .is_none_or(|s| s.is_valid(&Value::from(**v)))
        }) else {
            continue;
        };
        let mut values = documented::values(probe, op);
        values.params.retain(|(j, _)| *j != i);
        values.params.push((i, Value::from(MARKER)));
        let base = probe.assemble(op, &values);
        let with = |segment: &str| Req {
            url: base.url.replacen(MARKER, segment, 1),
            ..base.clone()
        };
        let (step, answer) = probe
            .exchange(
                format!("{sig} {}={plain} (plain)", p.name),
                &with(plain),
                |_| Vec::new(),
            )
            .await;
        steps.push(step);
        let Some(plain_answer) = answer else {
            continue;
        };
        let last = op.path.ends_with(&format!("{{{}}}", p.name));
        if last {
            steps.extend(live::run(probe, op, i, plain).await);
        }
        for h in hostile::values(probe.api, op, &p.name, plain) {
            // Where a server that decodes before routing would take the value.
            let direct = match &h.reaches {
                Some((decoded, _)) => probe.send(&with(decoded)).await.ok(),
                None => None,
            };
            let req = with(&h.segment);
            let name = format!("{sig} {}={} ({})", p.name, h.segment, h.what);
            let judge = |a: &Answer| verdict(&plain_answer, a, direct.as_ref(), server_errors);
            let (step, answer) = probe
                .exchange(name.clone(), &req, |a| {
                    vec![judge(a).map_or_else(
                        || Check::pass(CHECK),
                        |v| Check::fail(v.check, v.expected, v.actual),
                    )]
                })
                .await;
            sent += 1;
            let Some(v) = answer.as_ref().and_then(&judge) else {
                steps.push(step);
                continue;
            };
            if let Some(hit) = hits.get_mut(&v.check) {
                hit.values.push(h.segment);
                continue;
            }
            kept::keep(probe, &name, &req, v.check, v.fixed);
            hits.insert(
                v.check,
                Hit {
                    step: steps.len(),
                    values: vec![h.segment],
                },
            );
            steps.push(step);
        }
    }
    for (check, hit) in hits {
        let detail = format!(
            "hit by {} of {sent} hostile value(s): {}",
            hit.values.len(),
            hit.values.join(", ")
        );
        if let Some(c) = steps
            .get_mut(hit.step)
            .and_then(|s| s.checks.iter_mut().find(|c| c.name == check.as_str()))
        {
            c.detail = Some(detail);
        }
    }
    steps
}

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(api: &cartwright_model::Api) -> Option<&'static str> {
    let free = |p: &Parameter| p.location == ParamLocation::Path && free_text(p);
    (!api
        .operations
        .iter()
        .any(|op| op.parameters.iter().any(free)))
    .then_some("no path parameter takes free text")
}

/// A string parameter without `enum`, `const`, `format` or `pattern`: one whose value is
/// free text, so hostile text is a value like any other.
fn free_text(p: &Parameter) -> bool {
    let s = &p.shape;
    let typed = match s.get("type") {
        None => true,
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        Some(_) => false,
    };
    typed
        && ["enum", "const", "format", "pattern"]
            .iter()
            .all(|k| s.get(k).is_none())
}
