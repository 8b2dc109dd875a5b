//! `path_encoding`: a hostile value of a string path parameter must stay inside its segment.
//!
//! Each hostile value — an encoded slash, an encoded traversal, a literal `+`, an encoded
//! NUL, a double-encoded slash — is sent already percent-encoded, as it goes on the wire
//! (the client keeps `%2F` as written and resolves no `..` inside a segment), and compared
//! with a plain unknown value of the same parameter. A hostile value fails when it gets a
//! server error; a success where the plain value got none (it reached something else); or a
//! 404 or 405 where the plain value succeeded (it was decoded before routing and fell off
//! the route). Refusing it (400, 422) is fine.

use cartwright_model::{Operation, ParamLocation, Parameter};
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{self, Asserts, Matcher, Ops, Scenario};
use indexmap::IndexMap;
use serde_json::Value;

use crate::checks::Check as Name;
use crate::probe::Probe;
use crate::replay;
use crate::request::Req;
use crate::sessions::documented;
use crate::sessions::flow;

const CHECK: Name = Name::PathEncoding;

/// The hostile segments as sent, and what each is.
const HOSTILE: &[(&str, &str)] = &[
    ("x%2Fy", "an encoded slash"),
    ("..%2Fx", "an encoded traversal"),
    ("TEST+CODE", "a literal plus"),
    ("x%00y", "an encoded NUL"),
    ("x%252Fy", "a double-encoded slash"),
];

/// Plain values to compare with, the first the parameter's schema accepts.
const PLAIN: &[&str] = &["cartwrightprobe", "cwprobe", "x"];

/// Stands for the parameter while the request is built: letters only, so no encoding
/// touches it.
const MARKER: &str = "cwsegmentz";

/// The `path_encoding` steps for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    if !probe.on(CHECK) {
        return Vec::new();
    }
    let sig = op.signature();
    let mut steps = Vec::new();
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
        let Some(plain_status) = answer.map(|a| a.status) else {
            continue;
        };
        for (segment, what) in HOSTILE {
            let req = with(segment);
            let name = format!("{sig} {}={segment} ({what})", p.name);
            let (step, answer) = probe
                .exchange(name.clone(), &req, |a| {
                    vec![judge(plain_status, a.status).map_or_else(
                        || Check::pass(CHECK),
                        |(expected, actual)| Check::fail(CHECK, expected, actual),
                    )]
                })
                .await;
            if let Some(a) = answer
                && let Some(status) = fixed(plain_status, a.status)
            {
                keep(probe, &name, &req, status);
            }
            steps.push(step);
        }
    }
    steps
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

/// Why a hostile answer fails, as expected and found; `None` when it is fine.
fn judge(plain: u16, hostile: u16) -> Option<(String, String)> {
    if hostile >= 500 {
        return Some((
            "a status below 500 (a refusal such as 400 is fine)".into(),
            hostile.to_string(),
        ));
    }
    if flow::ok(hostile) && !flow::ok(plain) {
        return Some((
            format!("{plain}, as for a plain unknown value, or a refusal"),
            format!("{hostile}: the value reached something the plain one did not"),
        ));
    }
    if matches!(hostile, 404 | 405) && flow::ok(plain) {
        return Some((
            format!("{plain}, as for a plain value, or a refusal such as 400"),
            format!("{hostile}: the value was decoded before routing"),
        ));
    }
    None
}

/// The status matcher a fixed implementation meets, when the answer failed.
fn fixed(plain: u16, hostile: u16) -> Option<Ops> {
    judge(plain, hostile)?;
    Some(if hostile >= 500 {
        Ops {
            lt: Some(Value::from(500)),
            ..Ops::default()
        }
    } else if flow::ok(hostile) {
        Ops {
            ge: Some(Value::from(300)),
            ..Ops::default()
        }
    } else {
        Ops {
            ne: Some(Value::from(hostile)),
            ..Ops::default()
        }
    })
}

/// Keeps a one-request replay; the path is written literally, so the runner sends it byte
/// for byte.
fn keep(probe: &Probe<'_>, name: &str, req: &Req, status: Ops) {
    let request = replay::request(probe.api, &probe.target, req);
    probe.keep(Scenario {
        name: name.to_owned(),
        description: Some(format!("Found by cartwright verify: {CHECK}.")),
        tags: vec![CHECK.into()],
        vars: IndexMap::new(),
        steps: vec![ast::Step {
            name: Some(name.to_owned()),
            assert: Some(Asserts {
                status: Some(Matcher::Ops(Box::new(status))),
                schema: Some(false),
                ..Asserts::default()
            }),
            ..ast::Step::new(ast::Action::Request(request))
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_answers_are_judged_against_the_plain_one() {
        assert!(judge(404, 400).is_none());
        assert!(judge(404, 404).is_none());
        assert!(judge(200, 200).is_none());
        assert!(judge(404, 500).is_some());
        assert!(judge(404, 200).is_some());
        assert!(judge(200, 404).is_some());
        assert!(judge(200, 405).is_some());
        assert!(judge(200, 422).is_none());
    }
}
