//! Session kinds the checks can obtain tokens of, where those tokens travel, and which
//! operations issue, read and use them.
//!
//! Discovery reads the spec's `x-cartwright` behaviours first: every session kind, its
//! carriers, whether an unknown token renews (Centra) or is refused, the security scheme its
//! tokens satisfy, and the operations whose binding `issue`s it. A spec without behaviours
//! falls back on OpenAPI conventions: for each bearer or API-key scheme some operation
//! requires, a kind whose tokens travel as that scheme says, issued by any anonymous `POST`
//! whose success answer declares a string property named like a token (`token`,
//! `access_token`, `data.token`).

use cartwright_http::Answer;
use cartwright_model::{
    Action, Api, Carrier, Method, Operation, ParamLocation, SchemeKind, Shape, StatusKey, Unknown,
};
use cartwright_scenario::ast::CaptureFull;
use serde_json::Value;

use crate::sessions::json::{self, Path};

/// A kind of session token.
#[derive(Debug, Clone)]
pub(crate) struct Kind<'a> {
    /// Its name (the behaviour's, or the security scheme's for a kind found by convention).
    pub name: String,
    /// Where requests carry its tokens, the first preferred.
    pub carriers: Vec<Carrier>,
    /// An absent or unknown token starts a new session instead of being refused.
    pub renew: bool,
    /// The security scheme its tokens satisfy.
    pub scheme: Option<String>,
    /// The operations that issue it.
    pub issuers: Vec<&'a Operation>,
}

/// Every kind of `api`.
pub(crate) fn kinds(api: &Api) -> Vec<Kind<'_>> {
    if api.behaviours.sessions.is_empty() {
        return conventional(api);
    }
    api.behaviours
        .sessions
        .iter()
        .map(|s| Kind {
            name: s.name.clone(),
            carriers: s.carriers.clone(),
            renew: s.unknown == Unknown::Renew,
            scheme: s.scheme.clone(),
            issuers: api
                .operations
                .iter()
                .filter(|op| {
                    actions(op)
                        .any(|a| matches!(a, Action::Issue { session, .. } if *session == s.name))
                })
                .collect(),
        })
        .collect()
}

fn conventional(api: &Api) -> Vec<Kind<'_>> {
    let issuers: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| {
            op.method == Method::Post
                && op.behaviour.is_none()
                && optional(op)
                && success_schemas(api, op).any(|s| declares_token(api, s, 2))
        })
        .collect();
    if issuers.is_empty() {
        return Vec::new();
    }
    api.security_schemes
        .iter()
        .filter(|(name, s)| {
            !matches!(
                s.kind,
                SchemeKind::Basic | SchemeKind::OtherHttp(_) | SchemeKind::Unchecked
            ) && api.operations.iter().any(|op| requires(op, name))
        })
        .map(|(name, _)| Kind {
            name: name.clone(),
            // The scheme places the token; no other carrier is known.
            carriers: Vec::new(),
            renew: false,
            scheme: Some(name.clone()),
            issuers: issuers.clone(),
        })
        .collect()
}

fn success_schemas<'d>(api: &'d Api, op: &'d Operation) -> impl Iterator<Item = &'d Value> {
    op.responses
        .iter()
        .filter(|r| matches!(r.status, StatusKey::Code(200..=299) | StatusKey::Range(2)))
        .flat_map(|r| &r.content)
        .filter_map(|m| m.schema.as_ref())
        .filter_map(|s| json::schema_json(api, s))
}

fn declares_token(api: &Api, schema: &Value, depth: usize) -> bool {
    json::properties(api, schema).into_iter().any(|(k, s)| {
        (json::tokenish(k) && s.get("type").and_then(Value::as_str) != Some("object"))
            || (depth > 0 && declares_token(api, s, depth - 1))
    })
}

/// The actions of an operation's binding.
pub(crate) fn actions(op: &Operation) -> impl Iterator<Item = &Action> {
    op.behaviour
        .as_deref()
        .into_iter()
        .flat_map(|b| b.steps.iter().map(|s| &s.action))
}

/// The session kind an operation's binding works on.
pub(crate) fn bound(op: &Operation) -> Option<&str> {
    op.behaviour.as_deref().and_then(|b| b.session.as_deref())
}

/// Whether the operation can be called without credentials (`security: []` or `{}`).
pub(crate) fn optional(op: &Operation) -> bool {
    op.security.is_empty() || op.security.iter().any(|r| r.schemes.is_empty())
}

/// Whether the operation requires `scheme` (no anonymous alternative).
pub(crate) fn requires(op: &Operation, scheme: &str) -> bool {
    !optional(op)
        && op
            .security
            .iter()
            .any(|r| r.schemes.iter().any(|(n, _)| n == scheme))
}

/// Whether the operation works on sessions of `kind`: bound to it, or requiring its scheme.
pub(crate) fn uses(op: &Operation, kind: &Kind<'_>) -> bool {
    bound(op) == Some(kind.name.as_str())
        || kind
            .scheme
            .as_deref()
            .is_some_and(|s| requires(op, s) && bound(op).is_none_or(|b| b == kind.name))
}

/// How many path parameters the operation has.
pub(crate) fn path_params(op: &Operation) -> usize {
    op.parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .count()
}

/// A `GET` without path parameters that answers with the session of `kind`: what checks
/// read to see whether a token still opens its session, and what it holds.
pub(crate) fn reader<'a>(api: &'a Api, kind: &Kind<'_>) -> Option<&'a Operation> {
    api.operations.iter().find(|op| {
        op.method == Method::Get
            && path_params(op) == 0
            && uses(op, kind)
            && !kind.issuers.iter().any(|i| i.id == op.id)
    })
}

/// Where an operation's answer carries a token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// A field of the JSON body.
    Body(Path),
    /// A response header.
    Header(String),
}

impl Source {
    /// The scenario capture of a token from here.
    pub(crate) fn capture(&self) -> CaptureFull {
        match self {
            Source::Body(p) => CaptureFull {
                jsonpath: Some(json::jsonpath(p)),
                secret: true,
                ..CaptureFull::default()
            },
            Source::Header(h) => CaptureFull {
                header: Some(h.clone()),
                secret: true,
                ..CaptureFull::default()
            },
        }
    }
}

/// Where the binding's answers put the new or current token (`issued.token`, `token`).
fn sources(op: &Operation) -> Vec<Source> {
    let Some(b) = op.behaviour.as_deref() else {
        return Vec::new();
    };
    let is_token = |src: &str| matches!(src.trim(), "issued.token" | "token");
    let mut out = Vec::new();
    for r in b
        .steps
        .iter()
        .filter_map(|s| s.respond.as_ref())
        .chain(std::iter::once(&b.respond))
    {
        for (pointer, shape) in &r.body {
            if let Shape::Expr(e) = shape
                && is_token(e.source())
            {
                out.push(Source::Body(json::from_pointer(&pointer.text)));
            }
        }
        for (name, e) in &r.headers {
            if is_token(e.source()) {
                out.push(Source::Header(name.clone()));
            }
        }
    }
    out
}

/// The token an answer of `op` carries for `kind`, and where it was found.
pub(crate) fn read(op: &Operation, kind: &Kind<'_>, a: &Answer) -> Option<(String, Source)> {
    let found = |s: &Source| match s {
        Source::Body(p) => a
            .json
            .as_ref()
            .and_then(|j| json::at(j, p))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
        Source::Header(h) => a.header(h).filter(|t| !t.is_empty()).map(str::to_owned),
    };
    let headers = kind.carriers.iter().filter_map(|c| match c {
        Carrier::Header(h) => Some(Source::Header(h.clone())),
        _ => None,
    });
    let guessed = a.json.as_ref().and_then(json::find_token).map(Source::Body);
    sources(op)
        .into_iter()
        .chain(headers)
        .chain(guessed)
        .find_map(|s| found(&s).map(|t| (t, s)))
}
