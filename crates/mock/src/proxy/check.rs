//! The request side of a proxied exchange: routed and checked as the mock checks requests
//! (security, parameters, body), but every finding becomes a violation line instead of a
//! refusal, since in proxy mode the real server decides.

use std::sync::Arc;

use cartwright_http::{Finding, Kind};
use cartwright_model::Api;

use crate::journal::Verdict;
use crate::params::Raw;
use crate::{Incoming, Mock, body, cors, form_path, mask, params, routing, security};

/// What the spec makes of a request about to be forwarded.
pub(super) struct Checked {
    /// The API and the index of the operation it routed to.
    pub route: Option<(Arc<Api>, usize)>,
    /// The operation's id.
    pub operation: Option<String>,
    /// The verdict the journal shows.
    pub verdict: Verdict,
    /// `request: …` lines.
    pub violations: Vec<String>,
    /// The path and query with credentials masked.
    pub shown: String,
    /// Refused whatever the mode: an origin outside `--allow-origin`.
    pub refused: bool,
}

/// Routes and checks `req`.
pub(super) fn request(mock: &Mock, req: &Incoming) -> Checked {
    let config = mock.config();
    let apis = mock.apis();
    let mut checked = Checked {
        route: None,
        operation: None,
        verdict: Verdict::Valid,
        violations: Vec::new(),
        shown: mask::shown(req, None),
        refused: false,
    };
    if cors::check_origin(config, req.header(http::header::ORIGIN)).is_err() {
        checked.refused = true;
        checked.verdict = Verdict::OriginNotAllowed;
        return checked;
    }
    let Ok((api, mut m)) = routing::route(&apis, req) else {
        checked.verdict = Verdict::NotRouted;
        checked
            .violations
            .push("request: not in the spec".to_owned());
        return checked;
    };
    let op = &api.operations[m.operation];
    checked.operation = Some(op.id.clone());
    checked.shown = mask::shown(req, Some((api, op, !m.params.is_empty())));
    form_path::reread(api, op, req, &mut m);
    let raw = Raw::new(req, &m.params);
    if let Err((problem, _)) = security::check(api, op, &raw, &config.credentials) {
        checked.verdict = Verdict::Unauthorized;
        checked
            .violations
            .push(format!("request: {}", problem.detail));
    }
    let mut issues = Vec::new();
    params::validate(op, &raw, &mut issues, &api.source);
    if let Err(problem) = body::validate(op, req, config, &mut issues, &api.source, &api.document) {
        checked.verdict = Verdict::Unreadable;
        checked
            .violations
            .push(format!("request: /body: {}", problem.detail));
    }
    if !issues.is_empty() && checked.verdict == Verdict::Valid {
        checked.verdict = Verdict::Invalid;
    }
    checked.violations.extend(
        issues
            .iter()
            .map(|i| format!("request: {}: {}", i.pointer, i.message)),
    );
    checked.route = apis
        .iter()
        .find(|a| std::ptr::eq(a.as_ref(), api))
        .map(|a| (a.clone(), m.operation));
    checked
}

/// A response finding as a violation line: the body pointer first when there is one
/// (`/data/id: "x" is not of type "integer"`), else the finding's own sentence.
pub(super) fn finding(f: &Finding) -> String {
    match (&f.kind, &f.pointer) {
        (Kind::SchemaViolation { reason, .. }, Some(p)) => {
            let at = if p.is_empty() { "/" } else { p.as_str() };
            format!("{at}: {reason}")
        }
        _ => f.message.clone(),
    }
}
