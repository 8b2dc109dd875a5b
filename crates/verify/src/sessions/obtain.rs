//! Obtaining a token of a session kind, so checks reach authenticated operations.
//!
//! A kind that renews (Centra) hands a token to any request without one: a read of it is
//! sent and the token read from the answer. A kind issued by an operation is obtained by
//! calling that operation with its documented request, the e-mail addresses in it made fresh
//! (so a registration succeeds however often it is run, and two sessions belong to two
//! people); the unchanged example is tried as well, for login examples that name a real test
//! account. When the binding checks a one-time code, the code is sent first, then read from
//! the cartwright mock's outbox (`/__cartwright/outbox`) — against another server the
//! documented example code is used. A kind that cannot be obtained makes the checks that
//! need it skip, never fail.

use cartwright_http::Answer;
use cartwright_model::{Method, Operation};
use serde_json::Value;

use crate::request::{self, Req, Values};
use crate::sessions::carry;
use crate::sessions::documented;
use crate::sessions::flow::{self, Flow};
use crate::sessions::fresh;
use crate::sessions::json::{self, Path};
use crate::sessions::otp;
use crate::sessions::session::{self, Kind};

/// A token obtained for a check.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The token.
    pub token: String,
    /// The marker that stands for it in requests (the scenario variable in replays).
    pub marker: String,
    /// The scenario variable it is captured into.
    pub var: String,
    /// Who it belongs to when the request named someone unchanged (the same example login
    /// twice is one person, whose sessions may rightly share state).
    pub principal: Option<String>,
    /// The issuing operation's id and the request that got the token (markers in place of
    /// fresh values): what a login of the same person sends again.
    pub issued: Option<(String, Req)>,
    /// The JSON body of the answer that carried the token (a refresh token may come with
    /// it).
    pub answer: Option<Value>,
}

/// Obtains a token of `kind`; `label` names its variables (`token_a`, `email_a`).
pub(crate) async fn obtain(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    label: &str,
) -> Option<Session> {
    let var = format!("token_{label}");
    if kind.renew {
        return renewed(flow, kind, &var).await;
    }
    let mut tries = 0;
    for op in &kind.issuers {
        for body in bodies(flow, op) {
            for anew in [true, false] {
                if tries >= 8 {
                    return None;
                }
                let kept = flow.steps.len();
                let Some(attempt) = Attempt::new(flow, op, &body, anew, label) else {
                    continue;
                };
                tries += 1;
                if let Some(s) = attempt.run(flow, op, kind, &var).await {
                    return Some(s);
                }
                // A failed attempt is no part of a replay: its capture would fail there.
                flow.steps.truncate(kept);
            }
        }
    }
    None
}

async fn renewed(flow: &mut Flow<'_, '_>, kind: &Kind<'_>, var: &str) -> Option<Session> {
    let api = flow.probe.api;
    let op = session::reader(api, kind).or_else(|| {
        api.operations
            .iter()
            .find(|op| session::bound(op) == Some(kind.name.as_str()) && op.method == Method::Get)
    })?;
    let req = carry::carry(flow.probe, op, kind, None);
    let name = format!(
        "{} without a token (a new {} session)",
        op.signature(),
        kind.name
    );
    let a = flow.setup(name, &req).await?;
    let (token, source) = session::read(op, kind, &a)?;
    flow.capture(var, source.capture());
    let marker = flow.var_slot(var, &token);
    Some(Session {
        token,
        marker,
        var: var.to_owned(),
        principal: None,
        issued: None,
        answer: a.json.clone(),
    })
}

/// The request bodies to try: the documented examples, else the generated default.
fn bodies(flow: &Flow<'_, '_>, op: &Operation) -> Vec<Option<Value>> {
    let media = request::body_media(op);
    let mut out: Vec<Option<Value>> = media
        .map(|m| m.examples.iter().map(|e| Some(e.value.clone())).collect())
        .unwrap_or_default();
    if out.is_empty() {
        out.push(request::defaults(flow.probe.api, op, flow.probe.opts.seed).body);
    }
    if let Some((_, code)) = otp::paths(op) {
        out.retain(|b| b.as_ref().is_some_and(|b| json::at(b, &code).is_some()));
    }
    out
}

/// `request.body.user.email | lower` → `user.email`.
pub(crate) fn body_path(expr: &str) -> Option<Path> {
    let head = expr.split('|').next()?.trim();
    let rest = head.strip_prefix("request.body.")?;
    Some(rest.split('.').map(str::to_owned).collect())
}

/// One try of an issuing operation with one body.
struct Attempt {
    body: Option<Value>,
    code: Option<otp::Code>,
    principal: Option<String>,
}

impl Attempt {
    /// A try with `body`; `anew` puts a fresh address in place of every documented one.
    /// `None` when there is nothing to change anew, or the body lacks a code the binding
    /// checks.
    fn new(
        flow: &mut Flow<'_, '_>,
        op: &Operation,
        body: &Option<Value>,
        anew: bool,
        label: &str,
    ) -> Option<Attempt> {
        let mut body = body.clone();
        let address = fresh::email();
        if anew {
            let email_var = format!("email_{label}");
            let marker = flow.var_slot(&email_var, &address);
            // Nothing naming a person: the unchanged try is the same request.
            if !body.as_mut().is_some_and(|b| freshen(b, &marker)) {
                return None;
            }
            flow.vars
                .insert(email_var, Value::String(fresh::EMAIL_TEMPLATE.into()));
        }
        let principal = match &body {
            _ if anew => Some(address),
            Some(b) if b.as_object().is_some_and(|m| !m.is_empty()) => Some(b.to_string()),
            _ => None,
        };
        let code = match otp::paths(op) {
            Some(_) => Some(otp::code(op, body.as_ref()?, label)?),
            None => None,
        };
        Some(Attempt {
            body,
            code,
            principal,
        })
    }

    /// Sends the code (if any) and the issuing request; the token, if the answer has one.
    async fn run(
        self,
        flow: &mut Flow<'_, '_>,
        op: &Operation,
        kind: &Kind<'_>,
        var: &str,
    ) -> Option<Session> {
        let mut body = self.body;
        if let Some(c) = &self.code {
            let code = otp::fetch(flow, op, c).await?;
            let marker = flow.var_slot(&c.var, &code);
            if let Some(b) = &mut body {
                json::set(b, &c.code_path, Value::String(marker));
            }
        }
        let req = issuing_request(flow, op, body);
        let name = format!("{} (obtain a {} token)", op.signature(), kind.name);
        let a: Answer = flow.setup(name, &req).await?;
        if !flow::ok(a.status) {
            return None;
        }
        let (token, source) = session::read(op, kind, &a)?;
        flow.capture(var, source.capture());
        let marker = flow.var_slot(var, &token);
        Some(Session {
            token,
            marker,
            var: var.to_owned(),
            principal: self.principal,
            issued: Some((op.id.clone(), req)),
            answer: a.json.clone(),
        })
    }
}

/// Replaces every e-mail address of a body (fields named like one, or values that look like
/// one) with `marker`; false when there was none.
pub(crate) fn freshen(v: &mut Value, marker: &str) -> bool {
    match v {
        Value::Object(m) => {
            let mut changed = false;
            for (k, x) in m.iter_mut() {
                if let Value::String(s) = x
                    && (k.to_ascii_lowercase().contains("email") || looks_like_email(s))
                {
                    *x = Value::String(marker.to_owned());
                    changed = true;
                } else {
                    changed |= freshen(x, marker);
                }
            }
            changed
        }
        Value::Array(items) => {
            // Every element, not just up to the first address.
            let mut changed = false;
            for x in items {
                changed |= freshen(x, marker);
            }
            changed
        }
        _ => false,
    }
}

fn looks_like_email(s: &str) -> bool {
    s.split_once('@')
        .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !s.contains(' '))
}

/// The issuing operation's documented request with `body`.
pub(crate) fn issuing_request(flow: &Flow<'_, '_>, op: &Operation, body: Option<Value>) -> Req {
    let probe = flow.probe;
    let defaults = documented::values(probe, op);
    probe.assemble(
        op,
        &Values {
            params: defaults.params,
            body: body.or(defaults.body),
        },
    )
}
