//! The admin API under `/__cartwright/`: health, reset, the loaded operations, the journal
//! and its queries, unmatched requests, runtime stubs.
//! The prefix is reserved so it can never collide with a storefront route.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::problem::{Problem, ProblemKind};
use crate::{Incoming, Mock, Outgoing};

/// The reserved prefix.
pub(crate) const PREFIX: &str = "/__cartwright";

const ENDPOINTS: &[&str] = &[
    "GET /__cartwright/health",
    "POST /__cartwright/reset",
    "GET /__cartwright/operations",
    "GET /__cartwright/journal?limit=N&operation=ID&method=M&path=P&status=N&validation=V",
    "GET /__cartwright/journal/count?operation=ID&method=M&path=P&status=N&validation=V",
    "GET /__cartwright/unmatched?limit=N",
    "GET /__cartwright/stubs",
    "POST /__cartwright/stubs {\"match\": {\"operation\": \"ID\"}, \"answer\": {\"status\": 400}}",
    "DELETE /__cartwright/stubs",
    "DELETE /__cartwright/stubs/{id}",
    "GET /__cartwright/clock",
    "POST /__cartwright/clock {\"advance\": \"31d\"} or {\"reset\": true}",
    "GET /__cartwright/outbox?to=ADDRESS",
];

/// Whether a path belongs to the admin API.
pub(crate) fn is_admin(path: &str) -> bool {
    path == PREFIX || path.starts_with("/__cartwright/")
}

/// Answers an admin request, once [`crate::AdminAccess`] lets it through.
pub(crate) fn handle(mock: &Mock, req: &Incoming) -> Result<Outgoing, Problem> {
    if let Err(r) = mock.config().admin.check(&req.method, &req.headers) {
        return Ok(refused(r));
    }
    let path = req.path.trim_end_matches('/');
    let ok = |v: Value| Ok(Outgoing::json(StatusCode::OK, "application/json", &v));
    let rest = path.strip_prefix(PREFIX).unwrap_or("");
    if let Some(answer) = crate::admin_stubs::handle(mock, req, rest) {
        return answer;
    }
    match (&req.method, rest) {
        (&Method::GET, "/health") => ok(health(mock)),
        (&Method::POST, "/reset") => {
            mock.journal().clear();
            mock.behave.reset();
            mock.stubs.clear();
            mock.unmatched.clear();
            ok(json!({"reset": true}))
        }
        (&Method::GET, "/clock") => ok(mock.behave.clock.view()),
        (&Method::POST, "/clock") => {
            mock.behave.clock.command(&req.body).map_err(bad_clock)?;
            ok(mock.behave.clock.view())
        }
        (&Method::GET, "/outbox") => {
            let to = query(req, "to");
            ok(json!({"messages": mock.behave.outbox(to.as_deref())}))
        }
        (&Method::GET, "/operations") => ok(operations(mock)),
        _ => Err(Problem::new(
            StatusCode::NOT_FOUND,
            ProblemKind::AdminNotFound,
            "No Such Admin Endpoint",
            format!("{} {} is not part of the admin API", req.method, req.path),
        )
        .with("endpoints", json!(ENDPOINTS))),
    }
}

fn health(mock: &Mock) -> Value {
    let apis: Vec<Value> = mock
        .apis()
        .iter()
        .map(|a| json!({"title": a.title, "version": a.version, "source": a.source, "operations": a.operations.len(), "skipped": a.skipped.iter().map(|s| json!({"operation": s.operation, "reason": s.reason})).collect::<Vec<_>>()}))
        .collect();
    json!({"status": "ok", "apis": apis})
}

fn operations(mock: &Mock) -> Value {
    let mut out = Vec::new();
    for api in mock.apis().iter() {
        for op in &api.operations {
            let security: Vec<Vec<&str>> = op
                .security
                .iter()
                .map(|r| r.schemes.iter().map(|(n, _)| n.as_str()).collect())
                .collect();
            out.push(json!({"api": api.title, "id": op.id, "method": op.method.as_str(), "path": op.path, "base_paths": api.base_paths, "security": security}));
        }
    }
    json!({"operations": out})
}

fn query(req: &Incoming, name: &str) -> Option<String> {
    let q = req.query.as_deref()?;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A refused admin call as a problem+json answer; a 401 says which scheme it takes.
fn refused(r: crate::Refusal) -> Outgoing {
    let challenge = r.challenge();
    let mut out = Problem::new(r.status, ProblemKind::Refused, r.title, r.detail).render(
        crate::ErrorStyle::Problem,
        None,
        None,
        0,
    );
    if let Some(c) = challenge {
        out.set("www-authenticate", c);
    }
    out
}

/// A clock body the clock cannot follow, as a problem with an example of one it can.
fn bad_clock(e: crate::behave::ClockError) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        ProblemKind::BadClock,
        "Bad Clock Request",
        e.to_string(),
    )
    .with("example", json!({"advance": "31d"}))
}
