//! A static key given by `--auth` (an API key, or a bearer value that is no session's
//! token, such as Centra's shared secret "SharedSecretExample1234") against a random value
//! of the same shape. What the key unlocks is found by comparison, not by name: the fields
//! of the answer with the real key that the answer without any key lacks (`prices` for
//! Centra's `pricelist: all`). A random key's success answer with any of them fails.

use std::collections::BTreeSet;

use cartwright_http::Answer;
use cartwright_model::{Operation, SchemeKind};
use cartwright_outcome::{Check, Step};
use serde_json::Value;

use cartwright_scenario::ast::{Asserts, Matcher, Ops};

use super::{CHECK, refused};
use crate::checks::ignored_auth::swap;
use crate::credentials::{Credentials, Placed};
use crate::probe::Probe;
use crate::replay;
use crate::request::{self, Values};
use crate::sessions::flow;
use crate::sessions::session::Kind;
use crate::sessions::{documented, json};

/// Whether `scheme` is a static key `--auth` gives: not a session's token, not a JWT, not
/// a user's password.
pub(super) fn probed(probe: &Probe<'_>, kinds: &[Kind<'_>], scheme: &str) -> bool {
    let Some(s) = probe.api.security_scheme(scheme) else {
        return false;
    };
    let Some(placed) = probe.creds.place(probe.api, scheme, false) else {
        return false;
    };
    let (Placed::Header(_, v) | Placed::Query(_, v) | Placed::Cookie(_, v)) = &placed;
    let token = v.rsplit(' ').next().unwrap_or_default();
    !matches!(s.kind, SchemeKind::Basic | SchemeKind::Unchecked)
        && !kinds.iter().any(|k| k.scheme.as_deref() == Some(scheme))
        && super::jwt::parse(token).is_none()
}

/// The random-key probes of `op`, one per static key it accepts and documented body.
pub(super) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    let mut steps = Vec::new();
    for req in &op.security {
        let [(scheme, _)] = req.schemes.as_slice() else {
            continue;
        };
        if !probed(probe, kinds, scheme) {
            continue;
        }
        for body in bodies(probe, op) {
            if let Some(step) = one(probe, op, scheme, body).await {
                steps.push(step);
            }
        }
    }
    steps
}

/// The documented bodies: every media example, else the documented default.
fn bodies(probe: &Probe<'_>, op: &Operation) -> Vec<Values> {
    let base = documented::values(probe, op);
    let examples: Vec<Value> = request::body_media(op)
        .map(|m| m.examples.iter().map(|e| e.value.clone()).collect())
        .unwrap_or_default();
    if examples.is_empty() {
        return vec![base];
    }
    examples
        .into_iter()
        .map(|b| Values {
            params: base.params.clone(),
            body: Some(b),
        })
        .collect()
}

/// One body: the real key's answer, the answer without a key, and the judged answer with a
/// random key; `None` when the real key unlocks nothing there.
async fn one(probe: &Probe<'_>, op: &Operation, scheme: &str, values: Values) -> Option<Step> {
    let given = probe.creds.place(probe.api, scheme, false)?;
    let (Placed::Header(_, v) | Placed::Query(_, v) | Placed::Cookie(_, v)) = &given;
    // Only this key, whichever other credentials `--auth` gives.
    let raw = match probe.api.security_scheme(scheme)?.kind {
        SchemeKind::Bearer | SchemeKind::OtherHttp(_) => v.rsplit(' ').next().unwrap_or(v),
        _ => v.as_str(),
    };
    let creds = Credentials::parse(&[format!("{scheme}={raw}")]).ok()?;
    let real = request::assemble(probe.api, op, &probe.target, &creds, &values);
    let bare = swap(&real, &given, None);
    let forged = swap(&real, &given, Some(&random_like(v)));
    let with = probe.send(&real).await.ok()?;
    if !flow::ok(with.status) {
        return None;
    }
    let without = probe.send(&bare).await.ok()?;
    let unlocked: BTreeSet<String> = if flow::ok(without.status) {
        let open = fields(&without);
        fields(&with).difference(&open).cloned().collect()
    } else {
        fields(&with)
    };
    if unlocked.is_empty() && flow::ok(without.status) {
        return None;
    }
    let name = format!(
        "{} with a random {scheme} of the real one's shape",
        op.signature()
    );
    let open = flow::ok(without.status);
    let (step, answer) = probe
        .exchange(name, &forged, |a| judge(a, &unlocked, open))
        .await;
    let failed: Vec<&Check> = step.failures().collect();
    if let (false, Some(a)) = (failed.is_empty(), &answer) {
        let request = replay::request(probe.api, &probe.target, &forged);
        let mut scenario = replay::single(&step.name, request, &failed);
        if let Some(asserts) = scenario.steps.first_mut().and_then(|s| s.assert.as_mut()) {
            assert_locked(asserts, a, &unlocked, open);
        }
        probe.keep(scenario);
    }
    Some(step)
}

/// The replay's assertion: a refusal where the request without a key is refused, else
/// none of the unlocked fields the answer had.
fn assert_locked(asserts: &mut Asserts, a: &Answer, unlocked: &BTreeSet<String>, open: bool) {
    if !open {
        refused(asserts);
        return;
    }
    let Some(j) = &a.json else { return };
    for field in unlocked {
        if let Some(p) = concrete(j, field, "", &mut Vec::new()) {
            asserts.body.insert(
                json::jsonpath(&p),
                Matcher::Ops(Box::new(Ops {
                    exists: Some(false),
                    ..Ops::default()
                })),
            );
        }
    }
}

/// The first place in `v` of a field path with array items merged (`products[].prices`
/// is `products.0.prices`).
fn concrete(v: &Value, field: &str, at: &str, path: &mut Vec<String>) -> Option<Vec<String>> {
    match v {
        Value::Object(m) => m.iter().find_map(|(k, x)| {
            let here = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            path.push(k.clone());
            let found = if here == field {
                Some(path.clone())
            } else if field.starts_with(&here) {
                concrete(x, field, &here, path)
            } else {
                None
            };
            path.pop();
            found
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| {
            path.push(i.to_string());
            let found = concrete(x, field, &format!("{at}[]"), path);
            path.pop();
            found
        }),
        _ => None,
    }
}

fn judge(a: &Answer, unlocked: &BTreeSet<String>, open: bool) -> Vec<Check> {
    if !flow::ok(a.status) {
        return vec![Check::pass(CHECK)];
    }
    let got = fields(a);
    let leaked: Vec<&String> = unlocked.intersection(&got).take(5).collect();
    vec![match (open, leaked.is_empty()) {
        (true, true) => Check::pass(CHECK),
        (false, _) => Check::fail(
            CHECK,
            "a refusal of a random key (the request without a key is refused)",
            format!("{} (the random key was accepted)", a.status),
        ),
        (true, false) => Check::fail(
            CHECK,
            "none of the fields only the real key unlocks",
            format!(
                "{} with {}",
                a.status,
                leaked
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }]
}

/// The field paths of a JSON answer, array items merged (`products[].prices`).
fn fields(a: &Answer) -> BTreeSet<String> {
    fn walk(v: &Value, at: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if at.is_empty() {
                        k.clone()
                    } else {
                        format!("{at}.{k}")
                    };
                    out.insert(p.clone());
                    walk(x, &p, out);
                }
            }
            Value::Array(items) => {
                for x in items {
                    walk(x, &format!("{at}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    if let Some(j) = &a.json {
        walk(j, "", &mut out);
    }
    out
}

/// A random value of the same shape as the real one: the scheme word (`Bearer `) kept, each
/// letter a random letter of its case, each digit a random digit, the rest kept.
pub(super) fn random_like(real: &str) -> String {
    let (prefix, secret) = match real.rsplit_once(' ') {
        Some((p, s)) => (format!("{p} "), s),
        None => (String::new(), real),
    };
    loop {
        let noise = cartwright_model::random(secret.len().max(1));
        let out: String = secret
            .chars()
            .zip(noise.iter().cycle())
            .map(|(c, n)| match c {
                'a'..='z' => char::from(b'a' + n % 26),
                'A'..='Z' => char::from(b'A' + n % 26),
                '0'..='9' => char::from(b'0' + n % 10),
                other => other,
            })
            .collect();
        if out != secret || !secret.chars().any(|c| c.is_ascii_alphanumeric()) {
            return format!("{prefix}{out}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_key_keeps_the_shape_and_differs() {
        let real = "Bearer SharedSecretExample1234";
        let r = random_like(real);
        assert_ne!(r, real);
        let (p, s) = r.split_once(' ').expect("scheme kept");
        assert_eq!(p, "Bearer");
        assert_eq!(s.len(), "SharedSecretExample1234".len());
        assert!(s[..1].chars().all(|c| c.is_ascii_uppercase()));
        assert!(s[19..].chars().all(|c| c.is_ascii_digit()), "{s}");
    }
}
