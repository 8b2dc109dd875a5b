//! `forged_credentials`: a credential of the right shape but the wrong value must not open
//! what the real one opens.
//!
//! - A JWT (a bearer scheme with `bearerFormat: JWT`, or any bearer token that parses as
//!   one) with only its signature changed, and re-encoded unsigned (`alg: none`), must be
//!   refused where the real token is accepted ([`jwt`]). The token is the one `--auth`
//!   gives, else one obtained through the spec's behaviours; the probe runs once per
//!   scheme, on the first operation requiring it (a read without path parameters first).
//! - A static key (an API key, or a bearer value that is no session's token, such as
//!   Centra's shared secret) given by `--auth` is replaced by a random value of the same
//!   shape ([`secret`]): where the real key's answer has fields the answer without any key
//!   lacks, the random key's success answer must not have them.

mod jwt;
mod secret;

use cartwright_http::Answer;
use cartwright_model::{Api, Method, Operation, SchemeKind};
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{Matcher, Ops};
use serde_json::Value;

use crate::checks::Check as Name;
use crate::credentials::Placed;
use crate::probe::Probe;
use crate::sessions::carry;
use crate::sessions::flow::{self, Flow};
use crate::sessions::obtain::obtain;
use crate::sessions::session::{self, Kind};

const CHECK: Name = Name::ForgedCredentials;

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(probe: &Probe<'_>, kinds: &[Kind<'_>]) -> Option<&'static str> {
    let api = probe.api;
    let bearer = api.security_schemes.iter().any(|(name, s)| {
        s.kind == SchemeKind::Bearer
            && target(api, name).is_some()
            && (probe.creds.has(api, name) || kinds.iter().any(|k| k.scheme.as_ref() == Some(name)))
    });
    let keyed = api
        .security_schemes
        .iter()
        .any(|(name, _)| secret::probed(probe, kinds, name));
    (!bearer && !keyed).then_some("no bearer token to forge and no static key given by --auth")
}

/// The operation a scheme's tokens are forged on: the first requiring it, a `GET` without
/// path parameters first.
fn target<'a>(api: &'a Api, scheme: &str) -> Option<&'a Operation> {
    let requiring = || {
        api.operations
            .iter()
            .filter(move |op| session::requires(op, scheme))
    };
    requiring()
        .find(|op| op.method == Method::Get && session::path_params(op) == 0)
        .or_else(|| requiring().next())
}

/// The `forged_credentials` steps for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    if !probe.on(CHECK) {
        return Vec::new();
    }
    let mut steps = secret::run(probe, op, kinds).await;
    for (name, scheme) in &probe.api.security_schemes {
        if scheme.kind != SchemeKind::Bearer
            || target(probe.api, name).is_none_or(|t| t.id != op.id)
        {
            continue;
        }
        if probe.creds.has(probe.api, name) {
            steps.extend(given(probe, op, name).await);
        } else if let Some(kind) = kinds.iter().find(|k| k.scheme.as_deref() == Some(name)) {
            steps.extend(obtained(probe, op, kind).await);
        }
    }
    steps
}

/// Whether the spec says the scheme's tokens are JWTs (`bearerFormat: JWT`).
fn says_jwt(api: &Api, scheme: &str) -> bool {
    api.document
        .pointer(&format!(
            "/components/securitySchemes/{scheme}/bearerFormat"
        ))
        .and_then(Value::as_str)
        .is_some_and(|f| f.eq_ignore_ascii_case("jwt"))
}

/// The forgeries of the token `--auth` gives for `scheme`, each a one-request probe.
async fn given(probe: &Probe<'_>, op: &Operation, scheme: &str) -> Vec<Step> {
    let Some(Placed::Header(_, value)) = probe.creds.place(probe.api, scheme, false) else {
        return Vec::new();
    };
    let token = value.rsplit(' ').next().unwrap_or_default();
    let Some(jwt) = jwt::parse(token) else {
        return Vec::new();
    };
    let valid = probe.request(op);
    let sig = op.signature();
    let mut forged = Vec::new();
    if let Some((t, _)) = jwt.resigned("t") {
        forged.push(("with its signature changed", t));
    }
    forged.push(("unsigned (alg: none)", jwt.unsigned("t").0));
    let mut steps = Vec::new();
    for (how, t) in forged {
        let mut req = valid.clone();
        for (_, v) in &mut req.headers {
            *v = v.replace(token, &t);
        }
        let name = format!("{sig} with the {scheme} JWT {how}");
        let (step, _) = probe.single(name, &req, |a| judge(a, how)).await;
        steps.push(step);
    }
    steps
}

/// The forgeries of a token obtained through the behaviours, after the real one opened
/// the operation.
async fn obtained(probe: &Probe<'_>, op: &Operation, kind: &Kind<'_>) -> Vec<Step> {
    let sig = op.signature();
    let name = format!("{sig} with a forged {} JWT", kind.name);
    let mut flow = Flow::new(probe);
    let Some(s) = obtain(&mut flow, kind, "a").await else {
        flow.skip(name, format!("no {} token could be obtained", kind.name));
        return flow.report;
    };
    let Some(jwt) = jwt::parse(&s.token) else {
        let scheme = kind.scheme.as_deref().unwrap_or_default();
        if says_jwt(probe.api, scheme) {
            flow.skip(name, "the obtained token does not parse as a JWT");
        }
        return flow.report;
    };
    let real = carry::carry(probe, op, kind, Some(&s.marker));
    let opened = flow
        .setup(format!("{sig} with the real {} token", kind.name), &real)
        .await;
    if !opened.is_some_and(|a| flow::ok(a.status)) {
        flow.skip(name, "the real token did not open the operation");
        return flow.report;
    }
    flow.assert(|a| a.status = Some(flow::success()));
    let mut forged = Vec::new();
    if let Some(pair) = jwt.resigned(&s.var) {
        forged.push(("with its signature changed", pair));
    }
    forged.push(("unsigned (alg: none)", jwt.unsigned(&s.var)));
    for (how, (token, template)) in forged {
        let marker = flow.slot(&token, &template);
        let req = carry::carry(probe, op, kind, Some(&marker));
        let step = format!("{sig} with the {} JWT {how}", kind.name);
        flow.send(step, &req, |a| judge(a, how)).await;
        flow.assert(refused);
    }
    flow.keep_if_failed(&name, CHECK);
    flow.report
}

/// A replay's assertion that the answer is no success.
pub(crate) fn refused(a: &mut cartwright_scenario::ast::Asserts) {
    a.status = Some(Matcher::Ops(Box::new(Ops {
        ge: Some(Value::from(300)),
        ..Ops::default()
    })));
}

fn judge(a: &Answer, how: &str) -> Vec<Check> {
    vec![if flow::ok(a.status) {
        Check::fail(
            CHECK,
            format!("a refusal of the token {how}"),
            format!("{} (the forged token was accepted)", a.status),
        )
    } else {
        Check::pass(CHECK)
    }]
}
