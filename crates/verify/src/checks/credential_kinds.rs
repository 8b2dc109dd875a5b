//! Credentials of the wrong kind (seed 002): `token_kind_confusion` — the refresh token a
//! login answers alongside its access token ("You need to pass access_token as
//! Authorization: Bearer <access_token>") must not open what the access token opens; and
//! `one_time_code` — an issuing request with a wrong code, or with a code already
//! exchanged, must not get a token. Codes are read from the cartwright mock's outbox; any
//! other server gives verify no way to read one, and the check says so instead of passing.

use cartwright_http::Answer;
use cartwright_model::{Api, Operation};
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::CaptureFull;
use serde_json::Value;

use crate::checks::Check as Name;
use crate::checks::forged_credentials::refused;
use crate::probe::Probe;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::obtain::{issuing_request, obtain};
use crate::sessions::session::{self, Kind};
use crate::sessions::{carry, fresh, mock, otp};

/// Why no refresh token can be confused with an access token, if none can.
pub(crate) fn nothing_refresh(api: &Api, kinds: &[Kind<'_>]) -> Option<&'static str> {
    (!kinds.iter().any(|k| refreshes(api, k)))
        .then_some("no login answers a refresh token alongside its access token")
}

/// Why no one-time code can be probed, if none can.
pub(crate) fn nothing_code(_api: &Api, kinds: &[Kind<'_>]) -> Option<&'static str> {
    (!kinds.iter().any(|k| coded(k).is_some()))
        .then_some("no issuing operation checks a one-time code")
}

/// Whether tokens of `kind` come with a refresh token: the behaviour says so, or an
/// issuer's success answer declares a field named like one.
fn refreshes(api: &Api, kind: &Kind<'_>) -> bool {
    api.behaviours
        .session(&kind.name)
        .is_some_and(|s| s.refresh.is_some())
        || kind.issuers.iter().any(|op| {
            op.responses
                .iter()
                .flat_map(|r| &r.content)
                .filter_map(|m| m.schema.as_ref())
                .filter_map(|s| json::schema_json(api, s))
                .any(|s| declares_refresh(api, s, 3))
        })
}

fn declares_refresh(api: &Api, schema: &Value, depth: usize) -> bool {
    let members = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| json::resolve(api, schema).get(*k)?.as_array())
        .flatten();
    json::properties(api, schema)
        .into_iter()
        .any(|(k, s)| refreshish(k) || (depth > 0 && declares_refresh(api, s, depth - 1)))
        || (depth > 0
            && members
                .into_iter()
                .any(|m| declares_refresh(api, m, depth - 1)))
}

fn refreshish(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("refresh") && k.contains("token")
}

/// Where an answer carries its refresh token, three levels deep at most.
fn refresh_at(v: &Value) -> Option<Path> {
    let mut level: Vec<(Path, &Value)> = vec![(Vec::new(), v)];
    for _ in 0..3 {
        let mut next = Vec::new();
        for (path, v) in level {
            let Value::Object(m) = v else { continue };
            for (k, x) in m {
                let mut p = path.clone();
                p.push(k.clone());
                match x {
                    Value::String(s) if refreshish(k) && !s.is_empty() => return Some(p),
                    Value::Object(_) => next.push((p, x)),
                    _ => {}
                }
            }
        }
        level = next;
    }
    None
}

/// The issuing operation of `kind` that checks a one-time code.
fn coded<'a>(kind: &Kind<'a>) -> Option<&'a Operation> {
    kind.issuers
        .iter()
        .copied()
        .find(|op| otp::paths(op).is_some())
}

/// The steps of both checks for `op`: the refresh-token probe in the case of the kind's
/// reader, the code probes in the case of its coded issuer.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    let mut steps = Vec::new();
    for kind in kinds {
        let reader = session::reader(probe.api, kind);
        if probe.on(Name::TokenKindConfusion)
            && refreshes(probe.api, kind)
            && reader.is_some_and(|r| r.id == op.id)
        {
            steps.extend(refresh_as_access(probe, op, kind).await);
        }
        if probe.on(Name::OneTimeCode) && coded(kind).is_some_and(|c| c.id == op.id) {
            steps.extend(codes(probe, op, kind).await);
        }
    }
    steps
}

/// Obtains a token pair, reads with the access token, then with the refresh token.
async fn refresh_as_access(probe: &Probe<'_>, reader: &Operation, kind: &Kind<'_>) -> Vec<Step> {
    const CHECK: Name = Name::TokenKindConfusion;
    let sig = reader.signature();
    let name = format!(
        "{sig} with the {} refresh token as the access token",
        kind.name
    );
    let mut flow = Flow::new(probe);
    let Some(s) = obtain(&mut flow, kind, "a").await else {
        flow.skip(name, format!("no {} token could be obtained", kind.name));
        return flow.report;
    };
    let found = s.answer.as_ref().and_then(|a| Some((refresh_at(a)?, a)));
    let Some(refresh) = found.and_then(|(p, a)| Some((json::at(a, &p)?.as_str()?.to_owned(), p)))
    else {
        flow.skip(name, "the login answered no refresh token");
        return flow.report;
    };
    let (token, path) = refresh;
    flow.capture(
        "refresh_a",
        CaptureFull {
            jsonpath: Some(json::jsonpath(&path)),
            secret: true,
            ..CaptureFull::default()
        },
    );
    let access = carry::carry(probe, reader, kind, Some(&s.marker));
    let opened = flow
        .setup(format!("{sig} with the access token"), &access)
        .await;
    if !opened.is_some_and(|a| flow::ok(a.status)) {
        flow.skip(name, "the access token did not open the operation");
        return flow.report;
    }
    flow.assert(|a| a.status = Some(flow::success()));
    let marker = flow.var_slot("refresh_a", &token);
    let req = carry::carry(probe, reader, kind, Some(&marker));
    flow.send(name.clone(), &req, |a| {
        vec![if flow::ok(a.status) {
            Check::fail(
                CHECK,
                "a refusal of a refresh token where the access token goes",
                format!("{} (the refresh token opened it)", a.status),
            )
        } else {
            Check::pass(CHECK)
        }]
    })
    .await;
    flow.assert(refused);
    flow.keep_if_failed(&name, CHECK);
    flow.report
}

/// A wrong code, then the right one, then the right one again.
async fn codes(probe: &Probe<'_>, issuer: &Operation, kind: &Kind<'_>) -> Vec<Step> {
    const CHECK: Name = Name::OneTimeCode;
    let sig = issuer.signature();
    if !mock::is_cartwright(probe).await {
        probe.nothing_to_probe(
            CHECK.as_str(),
            "no way to read a one-time code: only the cartwright mock's outbox is read",
        );
        return Vec::new();
    }
    let mut flow = Flow::new(probe);
    let name = format!("{sig} with a wrong or spent one-time code");
    let Some((_, code_path)) = otp::paths(issuer) else {
        return Vec::new();
    };
    let body = crate::request::body_media(issuer)
        .into_iter()
        .flat_map(|m| &m.examples)
        .map(|e| e.value.clone())
        .find(|b| json::at(b, &code_path).is_some());
    let Some(mut body) = body else {
        flow.skip(name, "no documented request carries a code");
        return flow.report;
    };
    let marker = flow.var_slot("email_a", &fresh::email());
    flow.vars.insert(
        "email_a".into(),
        Value::String(fresh::EMAIL_TEMPLATE.into()),
    );
    crate::sessions::obtain::freshen(&mut body, &marker);
    let Some(c) = otp::code(issuer, &body, "a") else {
        flow.skip(name, "no documented request names a recipient and a code");
        return flow.report;
    };
    flow.vars
        .insert(c.var.clone(), Value::String(c.example.clone()));
    let sent = otp::send_code(&mut flow, issuer, &c).await;
    let real = match sent {
        Some(()) => otp::read_code(&mut flow, &c).await,
        None => None,
    };
    let Some(real) = real else {
        let why = format!(
            "no code was sent or none was found in the mock's outbox{}",
            crate::sessions::mock::refusal(flow.probe)
        );
        flow.skip(name, why);
        return flow.report;
    };
    let (zero, one) = ("0".repeat(real.len()), "1".repeat(real.len()));
    let wrong = if real == zero {
        one.clone()
    } else {
        zero.clone()
    };
    let var = c.var.clone();
    let template = format!("{{{{ '{zero}' if {var} != '{zero}' else '{one}' }}}}");
    let wrong = flow.slot(&wrong, &template);
    let right = flow.var_slot(&var, &real);
    let with = |code: &str| {
        let mut b = body.clone();
        json::set(&mut b, &c.code_path, Value::String(code.to_owned()));
        b
    };
    let req = issuing_request(&flow, issuer, Some(with(&wrong)));
    let judge = |how: &'static str| {
        move |a: &Answer| -> Vec<Check> {
            let token = session::read(issuer, kind, a).filter(|_| flow::ok(a.status));
            vec![match token {
                Some(_) => Check::fail(
                    CHECK,
                    format!("a refusal of {how}"),
                    format!("{} with a token", a.status),
                ),
                None => Check::pass(CHECK),
            }]
        }
    };
    flow.send(
        format!("{sig} with a wrong code"),
        &req,
        judge("a wrong code"),
    )
    .await;
    flow.assert(refused);
    let req = issuing_request(&flow, issuer, Some(with(&right)));
    let first = flow.setup(format!("{sig} with the code"), &req).await;
    if !first.is_some_and(|a| flow::ok(a.status)) {
        flow.skip(name, "the code from the outbox was not accepted");
        return flow.report;
    }
    flow.assert(|a| a.status = Some(flow::success()));
    flow.send(
        format!("{sig} with the code again"),
        &req,
        judge("a code already exchanged"),
    )
    .await;
    flow.assert(refused);
    flow.keep_if_failed(&name, CHECK);
    flow.report
}
