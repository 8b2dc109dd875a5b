//! `ignored_auth`: an operation that requires credentials (no anonymous alternative) must
//! refuse the documented request sent without any, and — when real credentials are at hand,
//! from `--auth` or obtained through the spec's behaviours — with them mangled. Placeholder
//! credentials are never mangled: a plain mock accepts any token by design, so that would
//! prove nothing.

use cartwright_http::Answer;
use cartwright_model::{Api, Operation, SchemeKind};
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{Matcher, Ops};
use serde_json::Value;

use crate::checks::Check as Name;
use crate::credentials::Placed;
use crate::probe::Probe;
use crate::request::{self, Req};
use crate::sessions::carry;
use crate::sessions::flow::{self, Flow};
use crate::sessions::obtain::obtain;
use crate::sessions::session::{self, Kind};

const CHECK: Name = Name::IgnoredAuth;

/// Whether `op` requires credentials that a request can leave out: mutual TLS cannot be
/// left out of a request, so such an operation cannot be probed.
fn probed(api: &Api, op: &Operation) -> bool {
    let placeable = |name: &str| {
        api.security_scheme(name)
            .is_some_and(|s| s.kind != SchemeKind::Unchecked)
    };
    op.security
        .first()
        .is_some_and(|first| first.schemes.iter().all(|(n, _)| placeable(n)))
        && !session::optional(op)
}

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(api: &Api) -> Option<&'static str> {
    (!api.operations.iter().any(|op| probed(api, op)))
        .then_some("no operation requires credentials a request can leave out")
}

/// The `ignored_auth` steps for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    let Some(first) = op.security.first() else {
        return Vec::new();
    };
    if !probe.on(CHECK) || !probed(probe.api, op) {
        return Vec::new();
    }
    let sig = op.signature();
    let valid = probe.request(op);
    let bare = strip(probe, op, &valid);
    let (step, _) = probe
        .single(format!("{sig} without credentials"), &bare, |a| {
            judge(a, "without credentials")
        })
        .await;
    let mut steps = vec![step];
    for (scheme, _) in &first.schemes {
        let name = format!("{sig} with mangled {scheme} credentials");
        if probe.creds.has(probe.api, scheme) {
            // The user's own credentials: the replay may name them, as the request did.
            let Some(placed) = probe.creds.place(probe.api, scheme, false) else {
                continue;
            };
            let req = replace(&valid, &placed);
            let (step, _) = probe
                .single(name, &req, |a| judge(a, "with mangled credentials"))
                .await;
            steps.push(step);
        } else if let Some(kind) = kinds.iter().find(|k| k.scheme.as_deref() == Some(scheme)) {
            steps.extend(obtained(probe, op, kind, name).await);
        }
    }
    steps
}

/// The mangled probe with a token obtained through the behaviours.
async fn obtained(probe: &Probe<'_>, op: &Operation, kind: &Kind<'_>, name: String) -> Vec<Step> {
    let mut flow = Flow::new(probe);
    let Some(s) = obtain(&mut flow, kind, "a").await else {
        flow.skip(name, format!("no {} token could be obtained", kind.name));
        return flow.report;
    };
    let (mangled, template) = mangle(&s.token, &s.var);
    let marker = flow.slot(&mangled, &template);
    let req = carry::carry(probe, op, kind, Some(&marker));
    flow.send(name.clone(), &req, |a| judge(a, "with a mangled token"))
        .await;
    flow.assert(|a| {
        a.status = Some(Matcher::Ops(Box::new(Ops {
            one_of: Some(vec![Value::from(401), Value::from(403)]),
            ..Ops::default()
        })))
    });
    flow.keep_if_failed(&name, CHECK);
    flow.report
}

fn judge(a: &Answer, how: &str) -> Vec<Check> {
    vec![if flow::ok(a.status) {
        Check::fail(
            CHECK,
            format!("a refusal (401 or 403) of the request {how}"),
            a.status.to_string(),
        )
    } else {
        Check::pass(CHECK)
    }]
}

/// One character near the middle of a token changed to another of its class (a digit for a
/// digit, a letter for a letter), so the token keeps its shape and only its value is wrong:
/// the middle of a JWT is its payload, which the signature no longer covers. Also the
/// template that does the same to the replay's own token.
pub(crate) fn mangle(token: &str, var: &str) -> (String, String) {
    let chars: Vec<char> = token.chars().collect();
    let n = chars.len();
    let Some(p) = (n / 2..n)
        .chain(0..n / 2)
        .find(|&i| chars.get(i).is_some_and(char::is_ascii_alphanumeric))
        .or((n > 0).then_some(n / 2))
    else {
        return ("x".into(), "x".into());
    };
    let c = chars.get(p).copied().unwrap_or('x');
    let (x, y) = (other(c), other(other(c)));
    let mangled: String = chars
        .iter()
        .enumerate()
        .map(|(i, ch)| if i == p { x } else { *ch })
        .collect();
    let q = p + 1;
    let template = format!(
        "{{{{ {var}[:{p}] ~ ('{x}' if {var}[{p}:{q}] != '{x}' else '{y}') ~ {var}[{q}:] }}}}"
    );
    (mangled, template)
}

fn other(c: char) -> char {
    let next = |c: char, first: u8, len: u8| {
        let i = (c as u8 - first + 1) % len;
        char::from(first + i)
    };
    match c {
        '0'..='9' => next(c, b'0', 10),
        'a'..='z' => next(c, b'a', 26),
        'A'..='Z' => next(c, b'A', 26),
        _ => 'x',
    }
}

/// The request without the credentials the documented request carries.
fn strip(probe: &Probe<'_>, op: &Operation, req: &Req) -> Req {
    let mut out = req.clone();
    for placed in request::credentials(probe.api, op, &probe.creds) {
        match placed {
            Placed::Header(k, _) => out.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&k)),
            Placed::Query(k, _) => out.url = without_query(&out.url, &k),
            Placed::Cookie(k, _) => {
                for (n, v) in &mut out.headers {
                    if n.eq_ignore_ascii_case("cookie") {
                        *v = v
                            .split("; ")
                            .filter(|c| c.split_once('=').is_none_or(|(name, _)| name != k))
                            .collect::<Vec<_>>()
                            .join("; ");
                    }
                }
                out.headers
                    .retain(|(n, v)| !(n.eq_ignore_ascii_case("cookie") && v.is_empty()));
            }
        }
    }
    out
}

/// The request with the given credential's value mangled where it travels.
fn replace(req: &Req, placed: &Placed) -> Req {
    // The secret part is after the scheme (`Bearer `, `Basic `), if any.
    let bad = |v: &str| match v.rsplit_once(' ') {
        Some((scheme, secret)) => format!("{scheme} {}", mangle(secret, "x").0),
        None => mangle(v, "x").0,
    };
    let (Placed::Header(_, v) | Placed::Query(_, v) | Placed::Cookie(_, v)) = placed;
    swap(req, placed, Some(&bad(v)))
}

/// The request with the credential `placed` carries set to `value` where it travels (the
/// whole header value, `Bearer ` and all), or left out (`None`).
pub(crate) fn swap(req: &Req, placed: &Placed, value: Option<&str>) -> Req {
    let mut out = req.clone();
    match placed {
        Placed::Header(k, v) => {
            let is = |n: &str, x: &str| n.eq_ignore_ascii_case(k) && x == v;
            match value {
                Some(new) => {
                    for (n, x) in &mut out.headers {
                        if is(n, x) {
                            new.clone_into(x);
                        }
                    }
                }
                None => out.headers.retain(|(n, x)| !is(n, x)),
            }
        }
        Placed::Query(k, v) => {
            let pair = |v: &str| {
                form_urlencoded::Serializer::new(String::new())
                    .append_pair(k, v)
                    .finish()
            };
            out.url = match value {
                Some(new) => out.url.replace(&pair(v), &pair(new)),
                None => without_query(&out.url, k),
            };
        }
        Placed::Cookie(k, v) => {
            for (n, x) in &mut out.headers {
                if n.eq_ignore_ascii_case("cookie") {
                    *x = x
                        .split("; ")
                        .filter_map(|c| match value {
                            _ if c != format!("{k}={v}") => Some(c.to_owned()),
                            Some(new) => Some(format!("{k}={new}")),
                            None => None,
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                }
            }
            out.headers
                .retain(|(n, x)| !(n.eq_ignore_ascii_case("cookie") && x.is_empty()));
        }
    }
    out
}

fn without_query(url: &str, name: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return base.to_owned();
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&kept)
        .finish();
    format!("{base}?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mangled_token_keeps_its_shape_and_differs_in_one_place() {
        let (m, t) = mangle("abc.def.ghi", "tok");
        assert_eq!(m, "abc.dff.ghi");
        assert_eq!(
            t,
            "{{ tok[:5] ~ ('f' if tok[5:6] != 'f' else 'g') ~ tok[6:] }}"
        );
        assert_eq!(mangle("0f9Z", "t").0, "0f0Z");
        assert_eq!(mangle("", "t").0, "x");
    }
}
