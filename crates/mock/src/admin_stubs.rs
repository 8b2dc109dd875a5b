//! The admin endpoints for runtime stubs and request checks: `/__cartwright/stubs` (add,
//! list, delete), `/journal` and `/journal/count` with filters, and `/unmatched`.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::journal::Filter;
use crate::journal_filter::FILTERS;
use crate::problem::{Problem, ProblemKind};
use crate::{Incoming, Mock, Outgoing};

/// The answer for a stub or journal-query endpoint; `None` when `rest` (the path under the
/// admin prefix) is none of them, or the method is not theirs.
pub(crate) fn handle(mock: &Mock, req: &Incoming, rest: &str) -> Option<Result<Outgoing, Problem>> {
    let ok = |status: StatusCode, v: Value| Ok(Outgoing::json(status, "application/json", &v));
    Some(match (&req.method, rest) {
        (&Method::GET, "/stubs") => ok(StatusCode::OK, json!({"stubs": mock.stubs.list()})),
        (&Method::POST, "/stubs") => mock
            .stubs
            .add(&mock.apis(), &req.body)
            .and_then(|stub| ok(StatusCode::CREATED, stub)),
        (&Method::DELETE, "/stubs") => ok(StatusCode::OK, json!({"deleted": mock.stubs.clear()})),
        (&Method::DELETE, _) if rest.starts_with("/stubs/") => {
            let id = &rest["/stubs/".len()..];
            if mock.stubs.remove(id) {
                ok(StatusCode::OK, json!({"deleted": id}))
            } else {
                let ids = mock.stubs.ids();
                Err(Problem::new(
                    StatusCode::NOT_FOUND,
                    ProblemKind::NotFound,
                    "No Such Stub",
                    format!("no stub `{id}`; the stubs are: {}", list(&ids)),
                )
                .with("stubs", json!(ids)))
            }
        }
        (&Method::GET, "/journal") => Filter::parse(req.query.as_deref(), &["limit"])
            .map_err(bad_filter)
            .and_then(|(filter, extra)| {
                let limit = limit(&extra)?;
                ok(
                    StatusCode::OK,
                    json!({"entries": mock.journal().find(&filter, limit)}),
                )
            }),
        (&Method::GET, "/journal/count") => Filter::parse(req.query.as_deref(), &[])
            .map_err(bad_filter)
            .and_then(|(filter, _)| {
                ok(
                    StatusCode::OK,
                    json!({"count": mock.journal().count(&filter)}),
                )
            }),
        (&Method::GET, "/unmatched") => Filter::parse(req.query.as_deref(), &["limit"])
            .map_err(bad_filter)
            .and_then(|(filter, extra)| {
                if filter != Filter::default() {
                    return Err(bad_filter(
                        "the unmatched requests take only `limit`".to_owned(),
                    ));
                }
                let limit = limit(&extra)?;
                ok(
                    StatusCode::OK,
                    json!({"requests": mock.unmatched.recent(limit)}),
                )
            }),
        _ => return None,
    })
}

/// The `limit` given, or 100.
fn limit(extra: &[(String, String)]) -> Result<usize, Problem> {
    match extra.iter().rev().find(|(k, _)| k == "limit") {
        None => Ok(100),
        Some((_, v)) => v
            .parse()
            .map_err(|_| bad_filter(format!("limit `{v}` is not a count"))),
    }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    }
}

/// A query the journal cannot answer, with the filters it takes.
fn bad_filter(why: String) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        ProblemKind::BadFilter,
        "Bad Journal Query",
        why,
    )
    .with("filters", json!(FILTERS))
}
