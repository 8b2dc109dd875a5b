//! Routing a request to an API and operation, or the 400/404/405 that says why none
//! matches (a 404 names the closest operation).

use cartwright_model::{Api, Lookup, Match, Method, Operation};
use http::StatusCode;
use serde_json::json;

use crate::Incoming;
use crate::problem::{Problem, ProblemKind};

/// The API and operation for a request, or the 400/404/405 that explains why there is none.
pub(crate) fn route<'a>(
    apis: &'a [std::sync::Arc<Api>],
    req: &Incoming,
) -> Result<(&'a Api, Match), Problem> {
    let Some(method) = Method::parse(req.method.as_str()) else {
        return Err(unknown_method(apis, req));
    };
    let mut allowed: Option<Vec<Method>> = None;
    for api in apis {
        let Some(rest) = api.strip_base(&req.path) else {
            continue;
        };
        match api.router.lookup(method, rest) {
            Lookup::Found(m) => return Ok((api, m)),
            Lookup::MethodNotAllowed(a) => {
                allowed.get_or_insert(a);
            }
            Lookup::BadEncoding => {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    ProblemKind::BadEncoding,
                    "Bad Path Encoding",
                    "a path segment's percent-encoding is not UTF-8",
                ));
            }
            Lookup::NotFound => {}
        }
    }
    if let Some(allowed) = allowed {
        return Err(not_allowed(req, &allowed));
    }
    let mut p = Problem::new(
        StatusCode::NOT_FOUND,
        ProblemKind::NotFound,
        "No Such Operation",
        format!("no operation matches {} {}", req.method, req.path),
    );
    if let Some((api, op)) = closest(apis, method, &req.path) {
        let base = api.base_paths.first().map_or("", String::as_str);
        p = p.with(
            "closest",
            json!(format!(
                "{} {base}{} ({})",
                op.method.as_str(),
                op.path,
                op.id
            )),
        );
        p.detail.push_str(&format!(
            "; closest is {} {base}{}",
            op.method.as_str(),
            op.path
        ));
    }
    Err(p)
}

/// The 405 for a path that exists without the request's method, with `Allow` naming the
/// methods it has (RFC 9110 §15.5.6: a 405 always carries `Allow`).
fn not_allowed(req: &Incoming, allowed: &[Method]) -> Problem {
    let list = allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ProblemKind::MethodNotAllowed,
        "Method Not Allowed",
        format!(
            "{} {} is not declared; the path allows {list}",
            req.method, req.path
        ),
    )
    .with("allow", json!(list))
}

/// A method no OpenAPI path item can hold (`QUERY`, `FOO`): a 405 with `Allow` naming every
/// method some operation answers on the path, or a 404 when no operation has the path.
fn unknown_method(apis: &[std::sync::Arc<Api>], req: &Incoming) -> Problem {
    let mut allowed: Vec<Method> = Vec::new();
    for api in apis {
        let Some(rest) = api.strip_base(&req.path) else {
            continue;
        };
        for m in Method::ALL {
            if matches!(api.router.lookup(m, rest), Lookup::Found(_)) && !allowed.contains(&m) {
                allowed.push(m);
            }
        }
    }
    if allowed.is_empty() {
        return Problem::new(
            StatusCode::NOT_FOUND,
            ProblemKind::NotFound,
            "No Such Operation",
            format!("no operation matches {} {}", req.method, req.path),
        );
    }
    allowed.sort();
    let mut p = not_allowed(req, &allowed);
    p.detail = format!(
        "{} is not an OpenAPI method; {} allows {}",
        req.method,
        req.path,
        allowed
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    p
}

/// The operation whose full path reads most like the request's, preferring the same method.
fn closest<'a>(
    apis: &'a [std::sync::Arc<Api>],
    method: Method,
    path: &str,
) -> Option<(&'a Api, &'a Operation)> {
    let mut best: Option<(f64, &Api, &Operation)> = None;
    let path: String = path.chars().take(512).collect();
    for api in apis {
        let base = api.base_paths.first().map_or("", String::as_str);
        for op in &api.operations {
            let full = format!("{base}{}", op.path);
            let score = strsim::normalized_levenshtein(&path, &full)
                + if op.method == method { 0.05 } else { 0.0 };
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, api, op));
            }
        }
    }
    best.map(|(_, a, o)| (a, o))
}
