//! The request pipeline, from a buffered request to an answer, with its journal entry.

use std::time::Instant;

use cartwright_model::{Api, Operation, StatusKey};
use http::StatusCode;
use serde_json::json;

use crate::journal::Verdict;
use crate::negotiate::prefer;
use crate::note::{Note, Shown};
use crate::params::Raw;
use crate::problem::{Issue, Problem, ProblemKind};
use crate::{
    Incoming, Mock, Outgoing, admin, behave, body, cors, form_path, mask, params, respond, routing,
    security,
};

impl Mock {
    /// Handles one buffered request. Never panics on any input: every failure is an answer.
    pub fn handle(&self, mut req: Incoming) -> Outgoing {
        let start = Instant::now();
        let mut note = Note::default();
        crate::prefer::lift_query(&mut req);
        let mut out = self.unpanicked(|| self.dispatch(&req, &mut note));
        if !admin::is_admin(&req.path) {
            self.deliver(note.pace.as_deref(), &note.asked, &mut out);
        }
        self.finish(req, out, note, start)
    }

    /// Runs `f`, the dispatch of one request. A panic there is a bug in cartwright: it is
    /// answered 500 with a problem that says so (the panic's message is printed, as every
    /// panic's is), so the client gets an answer, its connection stays, and the journal
    /// records the request.
    fn unpanicked(&self, f: impl FnOnce() -> Outgoing) -> Outgoing {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
            let config = self.config();
            let problem = Problem::internal(
                "cartwright failed on a bug while answering; its message is in the mock's output",
            );
            problem.render(config.error_style, None, None, config.seed)
        })
    }

    /// Answers a request whose body exceeded the limit (the server stops reading it).
    pub fn too_large(&self, req: Incoming) -> Outgoing {
        let problem = Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ProblemKind::TooLarge,
            "Payload Too Large",
            format!("the body exceeds {} bytes", self.config().body_limit),
        );
        self.unread(req, problem, Verdict::TooLarge)
    }

    /// Answers a request whose body did not arrive whole (`why`): a 400, and the operation
    /// does not run, since running it on part of a body would change state the client
    /// never asked for.
    pub fn incomplete(&self, req: Incoming, why: &str) -> Outgoing {
        let problem = Problem::new(
            StatusCode::BAD_REQUEST,
            ProblemKind::IncompleteBody,
            "Incomplete Body",
            format!("incomplete body: {why}"),
        );
        self.unread(req, problem, Verdict::Incomplete)
    }

    /// Answers a request whose body was not read, without routing it.
    fn unread(&self, req: Incoming, problem: Problem, verdict: Verdict) -> Outgoing {
        let note = Note {
            validation: verdict,
            ..Note::default()
        };
        self.finish(
            req,
            problem.render(self.config().error_style, None, None, self.config().seed),
            note,
            Instant::now(),
        )
    }

    pub(crate) fn dispatch(&self, req: &Incoming, note: &mut Note) -> Outgoing {
        let config = self.config();
        let plain = |p: Problem| p.render(config.error_style, None, None, config.seed);
        if admin::is_admin(&req.path) {
            return admin::handle(self, req).unwrap_or_else(plain);
        }
        if let Some(answer) = cors::preflight(self, req) {
            note.validation = Verdict::Preflight;
            return answer.unwrap_or_else(plain);
        }
        let origin = req.header(http::header::ORIGIN);
        note.has_origin = Some(origin.is_some());
        if let Err(p) = cors::check_origin(config, origin) {
            note.validation = Verdict::OriginNotAllowed;
            return plain(p);
        }
        let apis = self.apis();
        let (api, mut m) = match routing::route(&apis, req) {
            Ok(found) => found,
            Err(p) => {
                note.validation = Verdict::NotRouted;
                let allow = p
                    .extra
                    .get("allow")
                    .and_then(|a| a.as_str())
                    .map(str::to_owned);
                let mut out = plain(p);
                if let Some(allow) = allow {
                    out.set("allow", &allow);
                }
                return out;
            }
        };
        let op = &api.operations[m.operation];
        note.operation = Some(op.id.clone());
        note.shown = match mask::masked(req, Some((api, op, !m.params.is_empty()))) {
            Some(masked) => Shown::Masked(masked),
            None => Shown::Raw,
        };
        form_path::reread(api, op, req, &mut m);
        let render = |p: Problem| p.render(config.error_style, Some(api), Some(op), config.seed);
        note.pace = op.pace.clone();
        match crate::prefer::check(req.header(crate::prefer::PREFER), config.max_delay) {
            Ok(asked) => note.asked = asked,
            Err(p) => {
                note.validation = Verdict::Invalid;
                return render(p);
            }
        }
        let raw = Raw::new(req, &m.params);
        if let Err((problem, challenges)) = security::check(api, op, &raw, &config.credentials) {
            note.validation = Verdict::Unauthorized;
            // The API's own 401 (or 403) where it declares one (Vendo's `{"error": …}`, an
            // `errorCode` envelope): a missing token is refused as a bad one is, in its words.
            let mut out = self
                .declared(api, op, req, problem.status.as_u16())
                .unwrap_or_else(|| render(problem));
            out.set("www-authenticate", &challenges.join(", "));
            return out;
        }
        let mut issues: Vec<Issue> = Vec::new();
        params::validate(op, &raw, &mut issues, &api.source);
        let parsed = match body::validate(op, req, config, &mut issues, &api.source, &api.document)
        {
            Ok(parsed) => parsed,
            Err(p) => {
                note.validation = Verdict::Unreadable;
                return render(p);
            }
        };
        if !issues.is_empty() {
            note.validation = Verdict::Invalid;
            note.violations = issues.len();
            return render(invalid(op, issues));
        }
        if let Err(p) = cors::browser_secret(api, req, origin) {
            note.validation = Verdict::Unauthorized;
            return render(p);
        }
        if let Some((id, out)) = self.stubbed(api, op, req, &parsed) {
            // A stub answers as set, running no behaviour and touching no resource.
            note.validation = Verdict::Stub;
            note.stub = Some(id);
            return out;
        }
        if let Some(out) = self.chaos(api, op, req) {
            note.chaos = true;
            return out;
        }
        // `check` above found the header well-formed, so it read what `prefer` would.
        let pref = note.asked.clone();
        if pref.code.is_some() {
            // A forced status is the spec's answer for it and nothing else: no behaviour or
            // resource runs, so no state changes and no live token or cart leaks into it.
            return respond::respond(api, op, req, &pref, config, &self.bodies)
                .unwrap_or_else(render);
        }
        if !behave::applies(api, op) {
            let stateful = if config.stateless {
                None
            } else {
                crate::resources::answer(self, api, m.operation, (req, &parsed), &m.params, &pref)
            };
            let out = match stateful {
                Some((out, touched)) => {
                    note.validation = Verdict::Resource;
                    note.resource = touched;
                    out
                }
                None => respond::respond(api, op, req, &pref, config, &self.bodies),
            };
            let mut out = out.unwrap_or_else(render);
            if !config.stateless {
                crate::resources::carry(api, op, req, &mut out);
            }
            return out;
        }
        note.validation = Verdict::Behaviour;
        match (self.behave).run(api, op, (req, parsed.value()), &m.params, config) {
            Ok(behave::Outcome::Done(out)) => out,
            Ok(behave::Outcome::Plan(plan)) => {
                self.planned(api, op, req, plan).unwrap_or_else(render)
            }
            Err(p) => render(p),
        }
    }

    /// The operation's declared answer for `status` (its example, or a body generated from
    /// its schema), when it declares that status or its class and `Accept` takes it. A
    /// `default` response is not taken as a declaration of this status.
    fn declared(&self, api: &Api, op: &Operation, req: &Incoming, status: u16) -> Option<Outgoing> {
        if !op
            .responses
            .iter()
            .any(|r| r.status != StatusKey::Default && r.status.covers(status))
        {
            return None;
        }
        let pref = crate::negotiate::Prefer {
            code: Some(status),
            ..crate::negotiate::Prefer::default()
        };
        respond::respond(api, op, req, &pref, self.config(), &self.bodies).ok()
    }

    /// Makes the answer a behaviour planned: the spec's response for the planned status and
    /// example (a problem when the spec declares none for a refusal), then patched.
    fn planned(
        &self,
        api: &Api,
        op: &Operation,
        req: &Incoming,
        mut plan: behave::Plan<'_>,
    ) -> Result<Outgoing, Problem> {
        let config = self.config();
        let mut pref = prefer(req.header(crate::prefer::PREFER));
        if plan.status.is_some() {
            pref.code = plan.status;
        }
        if let Some(example) = plan.respond.and_then(|r| r.example.clone()) {
            pref.example = Some(example);
        }
        if let Some(code) = plan.status
            && op.response_for(code).is_none()
        {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
            let reason = plan
                .reason
                .unwrap_or("refused by the operation's behaviour");
            return Err(Problem::new(
                status,
                ProblemKind::Refused,
                status.canonical_reason().unwrap_or("Refused"),
                reason,
            ));
        }
        let mut out = respond::respond(api, op, req, &pref, config, &self.bodies)?;
        behave::apply(&mut out, &mut plan, &self.bodies, &self.behave)?;
        if let Some(key) = plan.replay.take()
            && out.status.is_success()
        {
            self.behave.remember(api, key, &out);
        }
        Ok(out)
    }
}

/// A validation failure: the spec's declared 400 if it has one, else 422.
fn invalid(op: &Operation, issues: Vec<Issue>) -> Problem {
    let status = if op
        .responses
        .iter()
        .any(|r| r.status == StatusKey::Code(400))
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let n = issues.len();
    let mut p = Problem::new(
        status,
        ProblemKind::Validation,
        "Request Validation Failed",
        format!(
            "{n} violation{} of {}",
            if n == 1 { "" } else { "s" },
            op.signature()
        ),
    );
    p.issues = issues;
    p.with("operation", json!(op.id))
}

#[cfg(test)]
#[path = "handle_tests.rs"]
mod tests;
