//! `use_after_revoke`: a token that was revoked (or whose session was ended) must no longer
//! open its session. A token is obtained, a read with it must succeed, it is revoked, and the
//! same read must then be refused. A kind that renews answers an unknown token with a new
//! session and a *different* token, which is fine.
//!
//! Revoking operations are found in the bindings (`revoke: {token: request.path.token}`, or
//! `end: true` on a bound operation) and, for operations without one, by convention: an
//! operation named or pathed like `logout`, `signout` or `revoke`, which takes the token from
//! a path parameter or body property named like a token, else where requests carry it. The
//! check runs once per API, in the case of the first revoking operation.

use cartwright_http::Answer;
use cartwright_model::{Action, Api, Operation, ParamLocation};
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{Matcher, Ops};
use serde_json::Value;

use crate::checks::Check as Name;
use crate::probe::Probe;
use crate::request;
use crate::sessions::carry;
use crate::sessions::documented;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::obtain::{body_path, obtain};
use crate::sessions::session::{self, Kind, Source};

const CHECK: Name = Name::UseAfterRevoke;

/// Where a revoking operation takes the token from.
#[derive(Debug, Clone)]
enum At {
    /// Where requests carry the session's token.
    Carriers,
    /// A parameter.
    Param(ParamLocation, String),
    /// A body property.
    Body(Path),
}

/// An operation that revokes tokens, and the kinds (indices) it revokes.
struct Revoker<'a> {
    op: &'a Operation,
    at: At,
    kinds: Vec<usize>,
}

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(api: &Api, kinds: &[Kind<'_>]) -> Option<&'static str> {
    revokers(api, kinds)
        .is_empty()
        .then_some("no operation revokes a token or ends a session")
}

fn revokers<'a>(api: &'a Api, kinds: &[Kind<'_>]) -> Vec<Revoker<'a>> {
    let all: Vec<usize> = (0..kinds.len()).collect();
    let bound_kind = |op: &Operation| -> Vec<usize> {
        kinds
            .iter()
            .position(|k| session::bound(op) == Some(k.name.as_str()))
            .into_iter()
            .collect()
    };
    api.operations
        .iter()
        .filter_map(|op| {
            if op.behaviour.is_some() {
                return session::actions(op).find_map(|a| match a {
                    Action::Revoke { token } => {
                        let at = from_expr(token.source());
                        let kinds = match at {
                            At::Carriers => bound_kind(op),
                            _ => all.clone(),
                        };
                        Some(Revoker { op, at, kinds })
                    }
                    Action::End => Some(Revoker {
                        op,
                        at: At::Carriers,
                        kinds: bound_kind(op),
                    }),
                    _ => None,
                });
            }
            let named = format!("{} {}", op.id, op.path).to_ascii_lowercase();
            let like = [
                "logout", "log-out", "log_out", "signout", "sign-out", "sign_out", "revoke",
            ]
            .iter()
            .any(|w| named.contains(w));
            like.then(|| Revoker {
                op,
                at: conventional_at(api, op),
                kinds: (0..kinds.len())
                    .filter(|&i| {
                        kinds[i]
                            .scheme
                            .as_deref()
                            .is_none_or(|s| session::requires(op, s))
                    })
                    .collect(),
            })
        })
        .collect()
}

/// `request.path.token` → the `token` path parameter; `token` → the carriers.
fn from_expr(src: &str) -> At {
    let head = src.split('|').next().unwrap_or("").trim();
    let param = |prefix: &str, loc| {
        head.strip_prefix(prefix)
            .map(|name| At::Param(loc, name.to_owned()))
    };
    param("request.path.", ParamLocation::Path)
        .or_else(|| param("request.query.", ParamLocation::Query))
        .or_else(|| param("request.headers.", ParamLocation::Header))
        .or_else(|| body_path(head).map(At::Body))
        .unwrap_or(At::Carriers)
}

fn conventional_at(api: &Api, op: &Operation) -> At {
    if let Some(p) = op
        .parameters
        .iter()
        .find(|p| p.location == ParamLocation::Path && json::tokenish(&p.name))
    {
        return At::Param(ParamLocation::Path, p.name.clone());
    }
    let body = request::body_media(op)
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| json::schema_json(api, s));
    match body.and_then(|b| {
        json::properties(api, b)
            .into_iter()
            .find(|(k, _)| json::tokenish(k))
    }) {
        Some((k, _)) => At::Body(vec![k.to_owned()]),
        None => At::Carriers,
    }
}

/// The `use_after_revoke` steps, in the case of the API's first revoking operation.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    let revs = revokers(probe.api, kinds);
    if !probe.on(CHECK) || revs.first().is_none_or(|r| r.op.id != op.id) {
        return Vec::new();
    }
    let mut steps = Vec::new();
    for r in &revs {
        for &k in &r.kinds {
            let Some(kind) = kinds.get(k) else { continue };
            let Some(reader) = session::reader(probe.api, kind).filter(|x| x.id != r.op.id) else {
                continue;
            };
            let (done, report) = attempt(probe, r, kind, reader).await;
            steps.extend(report);
            if done {
                return steps;
            }
        }
    }
    steps
}

/// One try: obtain, read, revoke, read again. True when the revocation went through (and
/// the second read was judged).
async fn attempt(
    probe: &Probe<'_>,
    r: &Revoker<'_>,
    kind: &Kind<'_>,
    reader: &Operation,
) -> (bool, Vec<Step>) {
    let name = format!(
        "{} after {} revoked its {} token",
        reader.signature(),
        r.op.signature(),
        kind.name
    );
    let mut flow = Flow::new(probe);
    let Some(s) = obtain(&mut flow, kind, "a").await else {
        flow.skip(name, format!("no {} token could be obtained", kind.name));
        return (false, flow.report);
    };
    let read = carry::carry(probe, reader, kind, Some(&s.marker));
    let first = flow
        .setup(format!("{} with the new token", reader.signature()), &read)
        .await;
    let Some(first) = first.filter(|a| flow::ok(a.status)) else {
        flow.skip(name, "the new token did not open its session");
        return (false, flow.report);
    };
    flow.assert(|a| a.status = Some(flow::success()));
    let mut values = documented::values(probe, r.op);
    place(r.op, &r.at, &s.marker, &mut values);
    let revoke = carry::carry_with(probe, r.op, kind, Some(&s.marker), values);
    let revoked = flow
        .setup(format!("{} (revoke the token)", r.op.signature()), &revoke)
        .await;
    if !revoked.is_some_and(|a| flow::ok(a.status)) {
        flow.skip(name, "the revocation was not accepted");
        return (false, flow.report);
    }
    flow.assert(|a| a.status = Some(flow::success()));
    let renewal = session::read(reader, kind, &first).map(|(_, src)| src);
    flow.send(name.clone(), &read, |a| judge(reader, kind, &s.token, a))
        .await;
    let var = s.var.clone();
    flow.assert(|a| match (kind.renew, renewal) {
        (true, Some(Source::Body(p))) => {
            a.body.insert(json::jsonpath(&p), differs(&var));
        }
        (true, Some(Source::Header(h))) => {
            a.headers.insert(h, differs(&var));
        }
        _ => {
            a.status = Some(Matcher::Ops(Box::new(Ops {
                ge: Some(Value::from(300)),
                ..Ops::default()
            })))
        }
    });
    flow.keep_if_failed(&name, CHECK);
    (true, flow.report)
}

fn differs(var: &str) -> Matcher {
    Matcher::Ops(Box::new(Ops {
        ne: Some(Value::String(format!("{{{{ {var} }}}}"))),
        ..Ops::default()
    }))
}

/// Puts the token where the revoking operation takes it from.
fn place(op: &Operation, at: &At, token: &str, values: &mut request::Values) {
    let t = Value::String(token.to_owned());
    match at {
        At::Carriers => {}
        At::Param(loc, name) => {
            let Some(i) = op
                .parameters
                .iter()
                .position(|p| p.location == *loc && p.name.eq_ignore_ascii_case(name))
            else {
                return;
            };
            values.params.retain(|(j, _)| *j != i);
            values.params.push((i, t));
        }
        At::Body(path) => {
            let body = values
                .body
                .get_or_insert(Value::Object(serde_json::Map::new()));
            json::set(body, path, t);
        }
    }
}

fn judge(reader: &Operation, kind: &Kind<'_>, token: &str, a: &Answer) -> Vec<Check> {
    if !flow::ok(a.status) {
        return vec![Check::pass(CHECK)];
    }
    let renewed = kind.renew && session::read(reader, kind, a).is_some_and(|(t, _)| t != token);
    vec![if renewed {
        Check::pass(CHECK)
    } else {
        Check::fail(
            CHECK,
            if kind.renew {
                "a refusal, or a new session with a new token"
            } else {
                "a refusal of the revoked token"
            },
            format!("{} (the revoked token still opens its session)", a.status),
        )
    }]
}
