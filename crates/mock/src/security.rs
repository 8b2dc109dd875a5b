//! Security requirements: credentials must be present and well-formed, and a JWT that
//! states its scopes must grant those the requirement names (`scopes`). Whether a token's
//! *value* is good (sessions, expiry, revocation) is the behaviours' call (`behave`), which
//! run after this check and answer from the spec's own session rules; a spec without them
//! accepts every well-formed credential, since it says how credentials look, not which are
//! valid.

use base64::Engine;
use cartwright_model::{Api, Operation, SchemeKind, SecurityScheme};
use http::StatusCode;

use crate::params::Raw;
use crate::problem::{Issue, Problem, ProblemKind};
use crate::{Incoming, scopes};

/// A credential as found in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential<'r> {
    /// A bearer token (also oauth2 / openIdConnect).
    Bearer(&'r str),
    /// Basic user and password.
    Basic(String, String),
    /// An API key's value.
    ApiKey(&'r str),
    /// An `Authorization` header of another scheme.
    Other(&'r str),
}

/// Checks the operation's requirements: any alternative (OR) whose schemes all hold (AND).
pub(crate) fn check(
    api: &Api,
    op: &Operation,
    raw: &Raw<'_>,
    accepted: &[(String, String)],
) -> Result<(), (Problem, Vec<String>)> {
    if op.security.is_empty() || op.security.iter().any(|r| r.schemes.is_empty()) {
        return Ok(());
    }
    let mut issues = Vec::new();
    let mut short: Vec<String> = Vec::new();
    for req in &op.security {
        let failures: Vec<Issue> = req
            .schemes
            .iter()
            .filter_map(|(name, _)| {
                let scheme = api.security_scheme(name)?;
                let found = credential(scheme, raw).and_then(|c| {
                    configured(name, &c, accepted).then_some(()).ok_or_else(|| {
                        "not a credential the mock was given for this scheme (--auth)".to_owned()
                    })
                });
                found.err().map(|message| Issue {
                    pointer: pointer_of(scheme),
                    schema: Some(format!("{}#/components/securitySchemes/{name}", api.source)),
                    message,
                })
            })
            .collect();
        if !failures.is_empty() {
            issues.extend(failures);
            continue;
        }
        let lacking = lacking_scopes(api, req, raw);
        if lacking.is_empty() {
            return Ok(());
        }
        short.extend(lacking);
    }
    if !short.is_empty() {
        // Every credential was good, and some alternative fell short only of scopes.
        short.dedup();
        let mut problem = Problem::new(
            StatusCode::FORBIDDEN,
            ProblemKind::InsufficientScope,
            "Insufficient Scope",
            format!("the token does not grant the scopes {}", short.join(", ")),
        );
        problem.issues = vec![Issue {
            pointer: "/header/Authorization".to_owned(),
            schema: None,
            message: format!("missing scopes: {}", short.join(" ")),
        }];
        let challenge = format!(
            "Bearer realm=\"{}\", error=\"insufficient_scope\", scope=\"{}\"",
            api.title,
            short.join(" ")
        );
        return Err((problem, vec![challenge]));
    }
    issues.dedup();
    let challenges: Vec<String> = op
        .security
        .iter()
        .flat_map(|r| r.schemes.iter())
        .filter_map(|(name, _)| api.security_scheme(name))
        .map(|s| s.challenge(&api.title))
        .collect();
    let mut problem = Problem::new(
        StatusCode::UNAUTHORIZED,
        ProblemKind::Unauthorized,
        "Unauthorized",
        "missing or malformed credentials",
    );
    problem.issues = issues;
    Err((problem, challenges))
}

/// Whether a credential is one `--auth` gave for the scheme, or the scheme was given none.
/// Compared in constant time, as secrets are.
fn configured(scheme: &str, found: &Credential<'_>, accepted: &[(String, String)]) -> bool {
    let mut given = accepted
        .iter()
        .filter(|(n, _)| n == scheme)
        .map(|(_, v)| v.as_str())
        .peekable();
    if given.peek().is_none() {
        return true;
    }
    let value = match found {
        Credential::Bearer(t) | Credential::ApiKey(t) | Credential::Other(t) => (*t).to_owned(),
        Credential::Basic(u, p) => format!("{u}:{p}"),
    };
    given.fold(false, |ok, v| ok | crate::behave::same_secret(v, &value))
}

/// The scopes a requirement names that the request's bearer tokens do not grant.
fn lacking_scopes(api: &Api, req: &cartwright_model::Requirement, raw: &Raw<'_>) -> Vec<String> {
    req.schemes
        .iter()
        .filter(|(_, scopes)| !scopes.is_empty())
        .filter_map(
            |(name, scopes)| match credential(api.security_scheme(name)?, raw) {
                Ok(Credential::Bearer(token)) => Some(
                    scopes::missing(token, scopes)
                        .into_iter()
                        .map(str::to_owned)
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            },
        )
        .flatten()
        .collect()
}

fn pointer_of(scheme: &SecurityScheme) -> String {
    match &scheme.kind {
        SchemeKind::ApiKeyHeader(n) => format!("/header/{n}"),
        SchemeKind::ApiKeyQuery(n) => format!("/query/{n}"),
        SchemeKind::ApiKeyCookie(n) => format!("/cookie/{n}"),
        _ => "/header/Authorization".to_owned(),
    }
}

/// The credential a scheme asks for, or why it is missing or malformed.
fn credential<'r>(scheme: &SecurityScheme, raw: &'r Raw<'r>) -> Result<Credential<'r>, String> {
    let req: &Incoming = raw.request;
    let authorization = || {
        req.header(http::header::AUTHORIZATION)
            .ok_or_else(|| "the `Authorization` header is missing".to_owned())
    };
    match &scheme.kind {
        SchemeKind::ApiKeyHeader(n) => req
            .header(n)
            .filter(|v| !v.is_empty())
            .map(Credential::ApiKey)
            .ok_or_else(|| format!("the `{n}` header is missing")),
        SchemeKind::ApiKeyQuery(n) => raw
            .query
            .iter()
            .find(|(k, _)| k == n)
            .filter(|(_, v)| !v.is_empty())
            .map(|(_, v)| Credential::ApiKey(v))
            .ok_or_else(|| format!("the `{n}` query parameter is missing")),
        SchemeKind::ApiKeyCookie(n) => raw
            .cookies
            .iter()
            .find(|(k, _)| k == n)
            .filter(|(_, v)| !v.is_empty())
            .map(|(_, v)| Credential::ApiKey(v))
            .ok_or_else(|| format!("the `{n}` cookie is missing")),
        SchemeKind::Bearer => {
            let h = authorization()?;
            match h.split_once(' ') {
                Some((s, token))
                    if s.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
                {
                    Ok(Credential::Bearer(token.trim()))
                }
                // Some APIs document JWTs sent bare ("Token only! Please use without Bearer
                // tag/prefix"); a value shaped like a JWT is taken as one.
                None if h.split('.').count() == 3 && !h.contains(char::is_whitespace) => {
                    Ok(Credential::Bearer(h))
                }
                _ => Err("`Authorization` must be `Bearer <token>`".to_owned()),
            }
        }
        SchemeKind::Basic => {
            let h = authorization()?;
            let encoded = h
                .split_once(' ')
                .filter(|(s, _)| s.eq_ignore_ascii_case("basic"))
                .map(|(_, e)| e.trim());
            let decoded = encoded
                .and_then(|e| base64::engine::general_purpose::STANDARD.decode(e).ok())
                .and_then(|b| String::from_utf8(b).ok());
            match decoded.as_deref().and_then(|d| d.split_once(':')) {
                Some((u, p)) => Ok(Credential::Basic(u.to_owned(), p.to_owned())),
                None => Err("`Authorization` must be `Basic base64(user:password)`".to_owned()),
            }
        }
        SchemeKind::OtherHttp(s) => {
            let h = authorization()?;
            if h.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)) {
                Ok(Credential::Other(h))
            } else {
                Err(format!("`Authorization` must use the `{s}` scheme"))
            }
        }
        SchemeKind::Unchecked => Ok(Credential::Other("")),
    }
}
