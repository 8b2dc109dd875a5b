//! The admin API under `/__cartwright/`, as the REST mock has it: health, reset, the clock,
//! behind the same [`cartwright_mock::AdminAccess`] rules (token, Host, Origin, JSON).

use http::{Method, StatusCode};
use serde_json::{Value as Json, json};

use crate::GraphqlMock;

/// The reserved prefix.
pub(crate) const PREFIX: &str = "/__cartwright";

const ENDPOINTS: &[&str] = &[
    "GET /__cartwright/health",
    "POST /__cartwright/reset",
    "GET /__cartwright/clock",
    "POST /__cartwright/clock {\"advance\": \"31d\"} or {\"reset\": true}",
];

/// Whether a path belongs to the admin API.
pub(crate) fn is_admin(path: &str) -> bool {
    path == PREFIX || path.starts_with("/__cartwright/")
}

/// Answers an admin request with a status and a JSON body.
pub(crate) fn handle(
    mock: &GraphqlMock,
    method: &Method,
    headers: &http::HeaderMap,
    path: &str,
    body: &[u8],
) -> (StatusCode, Json) {
    if let Err(r) = mock.config().admin.check(method, headers) {
        return refused(r);
    }
    let path = path.trim_end_matches('/');
    match (method, path.strip_prefix(PREFIX).unwrap_or("")) {
        (&Method::GET, "/health") => (StatusCode::OK, mock.health()),
        (&Method::POST, "/reset") => {
            mock.reset();
            (StatusCode::OK, json!({"reset": true}))
        }
        (&Method::GET, "/clock") => (StatusCode::OK, mock.clock().view()),
        (&Method::POST, "/clock") => match mock.clock().command(body) {
            Ok(()) => {
                // No answer reads the clock yet; kept answers are dropped all the same,
                // so an answer that comes to depend on time can never be served stale.
                mock.cache().invalidate();
                (StatusCode::OK, mock.clock().view())
            }
            Err(e) => (
                StatusCode::BAD_REQUEST,
                json!({"error": e.to_string(), "example": {"advance": "31d"}}),
            ),
        },
        _ => (
            StatusCode::NOT_FOUND,
            json!({"error": format!("{method} {path} is not part of the admin API"), "endpoints": ENDPOINTS}),
        ),
    }
}

/// A refused admin call or GraphiQL request: its status and what was wrong.
pub(crate) fn refused(r: cartwright_mock::Refusal) -> (StatusCode, Json) {
    (r.status, json!({"error": r.detail, "title": r.title}))
}
