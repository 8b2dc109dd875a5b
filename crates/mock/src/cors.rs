//! CORS: preflights answered from the operations a path has, an optional allow-list of
//! origins (outside it: 401, as Centra documents), and CORS headers on every answer.
//! Headers a spec forbids in browsers (`x-cartwright: browser: forbid_headers`) are never
//! allowed by a preflight, so the browser itself fails the request before it is sent.

use cartwright_model::{Api, Lookup, Method};
use http::StatusCode;

use crate::problem::{Problem, ProblemKind};
use crate::{Config, Incoming, Mock, Outgoing};

/// Whether the request's `Origin` may call: always, when no allow-list is configured.
pub(crate) fn origin_allowed(config: &Config, origin: &str) -> bool {
    config.allow_origins.as_ref().is_none_or(|list| {
        list.iter()
            .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
    })
}

/// 401 for a request from an origin outside the allow-list.
pub(crate) fn check_origin(config: &Config, origin: Option<&str>) -> Result<(), Problem> {
    match origin {
        Some(origin) if !origin_allowed(config, origin) => Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            ProblemKind::OriginNotAllowed,
            "Origin Not Allowed",
            format!("origin `{origin}` is not in the allowed origins"),
        )),
        _ => Ok(()),
    }
}

/// 401 for a browser request (one with `origin`) carrying a header the API forbids there
/// (`x-cartwright: browser: forbid_headers`): the secret in it would be public.
pub(crate) fn browser_secret(
    api: &Api,
    req: &Incoming,
    origin: Option<&str>,
) -> Result<(), Problem> {
    if origin.is_none() {
        return Ok(());
    }
    match api
        .behaviours
        .browser_forbidden
        .iter()
        .find(|h| req.headers.contains_key(h.as_str()))
    {
        Some(h) => Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            ProblemKind::BrowserSecret,
            "Secret Sent From A Browser",
            format!("a request with `Origin` must not carry `{h}`: the secret would be public"),
        )),
        None => Ok(()),
    }
}

/// Answers a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
/// `None` when the request is not a preflight or its path has no operations.
pub(crate) fn preflight(mock: &Mock, req: &Incoming) -> Option<Result<Outgoing, Problem>> {
    if req.method != http::Method::OPTIONS {
        return None;
    }
    let origin = req.header(http::header::ORIGIN)?;
    req.header(http::header::ACCESS_CONTROL_REQUEST_METHOD)?;
    let methods = methods_of(mock, &req.path);
    if methods.is_empty() {
        return None;
    }
    if let Err(p) = check_origin(mock.config(), Some(origin)) {
        return Some(Err(p));
    }
    let mut out = Outgoing::empty(StatusCode::NO_CONTENT);
    out.set("access-control-allow-origin", origin);
    out.set(
        "access-control-allow-methods",
        &methods
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    );
    if let Some(h) = req.header(http::header::ACCESS_CONTROL_REQUEST_HEADERS) {
        let forbidden = forbidden_of(mock, &req.path);
        let allowed: Vec<&str> = h
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && !forbidden.iter().any(|f| f.eq_ignore_ascii_case(n)))
            .collect();
        if !allowed.is_empty() {
            out.set("access-control-allow-headers", &allowed.join(", "));
        }
    }
    out.set("access-control-allow-credentials", "true");
    out.set("access-control-max-age", "600");
    out.set("vary", "Origin");
    Some(Ok(out))
}

/// The headers the APIs serving the path forbid in browser requests.
fn forbidden_of(mock: &Mock, path: &str) -> Vec<String> {
    mock.apis()
        .iter()
        .filter(|api| api.strip_base(path).is_some())
        .flat_map(|api| api.behaviours.browser_forbidden.iter().cloned())
        .collect()
}

/// Every method the path has, across the loaded APIs.
pub(crate) fn methods_of(mock: &Mock, path: &str) -> Vec<Method> {
    let mut methods = Vec::new();
    for api in mock.apis().iter() {
        let Some(rest) = api.strip_base(path) else {
            continue;
        };
        for m in Method::ALL {
            if matches!(api.router.lookup(m, rest), Lookup::Found(_)) && !methods.contains(&m) {
                methods.push(m);
            }
        }
    }
    methods
}

/// Adds CORS headers to an answer for a cross-origin request; never to an admin answer,
/// which no page of another origin may read, whatever `--allow-origin` says.
pub(crate) fn decorate(config: &Config, req: &Incoming, origin: Option<&str>, out: &mut Outgoing) {
    let Some(origin) = origin else {
        return;
    };
    if crate::admin::is_admin(&req.path) {
        out.headers.remove("access-control-allow-origin");
        return;
    }
    if !origin_allowed(config, origin) || out.headers.contains_key("access-control-allow-origin") {
        return;
    }
    out.set("access-control-allow-origin", origin);
    out.set("access-control-allow-credentials", "true");
    out.set("access-control-expose-headers", "*");
    out.set("vary", "Origin");
}
