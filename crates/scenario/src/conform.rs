//! Contract checks of an answer against the spec: the operation a request matches, and
//! the findings of `cartwright_http`'s judgement of the answer against it (declared status,
//! content type and required headers, a body that fits the declared schema). Every
//! hand-written step is also a contract check this way.

use cartwright_http::{Finding, Kind};
use cartwright_model::{Api, Lookup, Method, Operation};

use crate::answer::Answer;

/// The operation a request path (relative to the API's base path) and method match.
pub(crate) fn operation<'a>(
    api: &'a Api,
    method: &str,
    path: &str,
) -> Result<&'a Operation, String> {
    let m = Method::parse(method).ok_or_else(|| format!("`{method}` is not an HTTP method"))?;
    let path = path.split('?').next().unwrap_or(path);
    match api.router.lookup(m, path) {
        Lookup::Found(found) => Ok(&api.operations[found.operation]),
        Lookup::MethodNotAllowed(allowed) => Err(format!(
            "`{path}` has no {method} operation in the spec (it has {})",
            allowed
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Lookup::NotFound => Err(format!("no operation of the spec matches {method} {path}")),
        Lookup::BadEncoding => Err(format!("`{path}` is not valid percent-encoded UTF-8")),
    }
}

/// Every way the answer breaks the operation's contract (empty: it conforms), as judged by
/// [`cartwright_http::judge`]; at most ten schema violations are kept.
pub(crate) fn violations(op: &Operation, a: &Answer) -> Vec<Finding> {
    let mut schema = 0;
    cartwright_http::judge(op, a)
        .findings
        .into_iter()
        .filter(|f| {
            let is_schema = matches!(f.kind, Kind::SchemaViolation { .. });
            schema += usize::from(is_schema);
            !is_schema || schema <= 10
        })
        .collect()
}
