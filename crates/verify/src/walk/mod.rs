//! The stateful phase: one walk through the API that follows it. A token of every session
//! kind is obtained first ([`session`]); then every operation is sent once what it needs is
//! known — the ids in its path, query and body taken from earlier answers ([`found`],
//! [`fill`]: wrapped answers, JSON:API, lists, `Location` headers, OpenAPI [`links`]) —
//! so producers run before consumers (`GET /regions` before the `POST /carts` that needs a
//! `region_id`, the cart before its lines). What nothing produces is sent at last with the
//! documented values ([`build`]). An operation that was refused is tried again when a
//! later answer gave something new, a few times at most, and at once in the ways [`step`]
//! knows (a smaller body, a fresh address, its session moved along, the changes its
//! refusal names sent again: [`named`]). A list scoped by a held id waits for it, and its
//! items are preferred where they fit ([`fill`]); a login beside a session's issuing
//! operation is sent the same credentials and renews that session ([`login`]). Deletions
//! come after everything else, and the operations that end a session last.
//!
//! Every answer is judged by the response checks, and creations and deletions by the
//! resource checks ([`lifecycle`]). A failure is kept as a scenario of the walk up to it,
//! with tokens and ids as captures (tokens secret), so its replay gets fresh ones.

mod build;
mod fill;
mod found;
mod lifecycle;
pub(crate) mod links;
mod login;
mod named;
mod session;
mod step;

use std::collections::HashMap;
use std::time::Instant;

use cartwright_http::Answer;
use cartwright_model::{Action, Method, Operation, ParamLocation};
use cartwright_outcome::Case;
use cartwright_scenario::ast::Capture;
use serde_json::Value;

use crate::probe::{Probe, ms};
use crate::request::Req;
use crate::sessions::flow::{self, Flow};
use found::Found;
use session::Held;

/// How often one operation is sent at most.
const TRIES: u32 = 3;

/// The walk as a case, or `None` when fewer than two operations take part.
pub(crate) async fn run(probe: &Probe<'_>, ops: &[&Operation]) -> Option<Case> {
    if ops.len() < 2 {
        return None;
    }
    let began = Instant::now();
    let mut flow = Flow::new(probe);
    let held = session::open(&mut flow).await;
    let mut walk = Walk {
        flow,
        held,
        found: Vec::new(),
        slots: HashMap::new(),
        used: Vec::new(),
        succeeded: HashMap::new(),
    };
    let mut order: Vec<&Operation> = ops.to_vec();
    // A login comes after the creations that used the session it replaces.
    order.sort_by_key(|op| match walk.logins(op).is_empty() {
        true => (rank(op), true),
        false => (rank(op).max(2), false),
    });
    let mut tries: HashMap<&str, (u32, usize)> = HashMap::new();
    let mut refusals: HashMap<&str, String> = HashMap::new();
    for class in 0..3 {
        let mut force = false;
        for _ in 0..8 {
            let mut sent = false;
            for op in order.iter().copied().filter(|op| class_of(op) == class) {
                if walk.reached(op) {
                    continue;
                }
                let (n, at) = tries
                    .get(op.id.as_str())
                    .copied()
                    .unwrap_or((0, usize::MAX));
                if n >= TRIES || at == walk.found.len() {
                    continue;
                }
                if !force && !walk.ready(op) {
                    continue;
                }
                tries.insert(&op.id, (n + 1, walk.found.len()));
                let before = walk.flow.report.len();
                walk.step(op).await;
                sent = true;
                // Refused for another reason than last time, it got closer (a cart first
                // without items, then without a shipping method): the try is not counted.
                if let Some(why) = walk.refusal(before)
                    && refusals
                        .insert(op.id.as_str(), why.clone())
                        .is_some_and(|w| w != why)
                {
                    tries.insert(&op.id, (n, walk.found.len()));
                }
            }
            if sent {
                force = false;
            } else if force {
                break;
            } else {
                force = true;
            }
        }
    }
    Some(Case {
        name: "stateful walk".into(),
        suite: probe.api.title.clone(),
        file: Some(probe.api.source.clone()),
        steps: walk.flow.report,
        duration_ms: ms(began),
        error: None,
    })
}

/// Where an operation starts in the walk: lists and creations first (they produce what
/// others need), then changes and actions, then reads of one item.
fn rank(op: &Operation) -> u8 {
    let has_path_params = op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Path);
    match (op.method, has_path_params) {
        (Method::Get, false) => 0,
        (Method::Post, false) => 1,
        (Method::Post | Method::Put | Method::Patch, _) => 2,
        _ => 3,
    }
}

/// The folded names of every parameter of the API: what answers are read for.
fn wanted(api: &cartwright_model::Api) -> Vec<String> {
    let mut names: Vec<String> = api
        .operations
        .iter()
        .flat_map(|o| &o.parameters)
        .filter(|p| matches!(p.location, ParamLocation::Path | ParamLocation::Query))
        .map(|p| found::fold(&p.name))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Whether `op` lists what suits a value the walk holds: a read whose required id-like
/// query parameter the walk fills (`GET /shipping-options?cart_id=`).
fn scoped(op: &Operation) -> bool {
    op.method == Method::Get
        && op.parameters.iter().any(|p| {
            p.location == ParamLocation::Query && p.required && found::idlike(&found::fold(&p.name))
        })
}

/// The JSON body a request sent, if any.
fn sent_body(req: &Req) -> Option<Value> {
    let body = req.body.as_ref()?;
    serde_json::from_slice(&body.bytes).ok()
}

/// 0 for most operations, 1 for deletions, 2 for those that end a session (by their
/// binding, or named so: a `logout`, a `sign-out`).
fn class_of(op: &Operation) -> u8 {
    let named = ["logout", "signout"]
        .iter()
        .any(|w| found::fold(&op.path).contains(w) || found::fold(&op.id).contains(w));
    let ends = named
        || crate::sessions::session::actions(op)
            .any(|a| matches!(a, Action::End | Action::Revoke { .. }));
    if ends {
        2
    } else if op.method == Method::Delete {
        1
    } else {
        0
    }
}

/// The walk's state.
struct Walk<'p, 'a> {
    flow: Flow<'p, 'a>,
    held: Vec<Held<'a>>,
    found: Vec<Found>,
    /// The slot marker of each found value a request used, by index.
    slots: HashMap<usize, String>,
    /// The found values the last request built used.
    used: Vec<usize>,
    /// The last request of each operation (by id) that succeeded, as built (markers in).
    succeeded: HashMap<String, Req>,
}

impl Walk<'_, '_> {
    /// Whether a step of the walk reached `op` with a success.
    fn reached(&self, op: &Operation) -> bool {
        let name = format!("stateful {}", op.signature());
        self.flow.report.iter().any(|s| {
            s.response_status.is_some_and(flow::ok)
                && (s.name == name || s.name.starts_with(&format!("{name} (")))
        })
    }

    /// The answer of the last step since report step `from` when it refused the request as
    /// not yet possible (400, 409, 422).
    fn refusal(&self, from: usize) -> Option<String> {
        let last = self.flow.report.get(from..)?.last()?;
        let refused = last
            .response_status
            .is_some_and(|s| matches!(s, 400 | 409 | 422));
        refused.then(|| last.response_body.clone().unwrap_or_default())
    }

    /// Whether every path parameter and id-like field of `op` can be filled.
    fn ready(&self, op: &Operation) -> bool {
        let (values, skip) = self.documented(op);
        let sessions = self.sessions(op);
        let examples = build::examples(self.flow.probe.api, op);
        let need = fill::Need {
            skip: &skip,
            sessions: &sessions,
            examples: &examples,
        };
        let found = &self.found;
        let filled = fill::fill(op, values, found, &need, &mut |k| found[k].value.clone());
        // A documented body names real things (a variant the store sells): its ids do not
        // wait for an answer; a path does.
        let documented = crate::request::body_media(op).is_some_and(|m| !m.examples.is_empty());
        filled
            .missing
            .iter()
            .all(|(name, in_body)| documented && *in_body && !name.is_empty())
    }

    /// The names of the held session kinds `op` works on.
    fn sessions(&self, op: &Operation) -> Vec<String> {
        self.held
            .iter()
            .filter(|h| crate::sessions::session::uses(op, &h.kind))
            .map(|h| h.kind.name.clone())
            .collect()
    }

    /// Learns the values of a successful answer to `op`: ids by name, and what its links
    /// hand on.
    fn learn(&mut self, op: &Operation, a: &Answer, sent: Option<Value>) {
        let step = self.flow.steps.len().saturating_sub(1);
        let sessions = self.sessions(op);
        let wanted = wanted(self.flow.probe.api);
        let scoped = scoped(op);
        let mut new = found::learn(op, a, step, &wanted);
        // Only the listed items' own ids: what they nest (a stock location's address, the
        // option's fulfilment provider) is no choice made for the scope.
        for f in &mut new {
            f.scoped = scoped && f.key == "id" && f.context.len() <= 3;
        }
        if let Some(body) = &sent {
            new.extend(found::sent(op, body, step, &wanted));
        }
        for f in new {
            // A value seen before is known already: only new values make a refused
            // operation worth another try.
            if !self
                .found
                .iter()
                .any(|g| g.key == f.key && g.value == f.value)
            {
                self.found.push(Found {
                    sessions: sessions.clone(),
                    by: op.id.clone(),
                    ..f
                });
            }
        }
        for l in links::follow(self.flow.probe.api, op, a.status, a) {
            self.found.push(Found {
                key: found::fold(&l.param),
                context: Vec::new(),
                value: l.value,
                // A value read elsewhere than the body (a header, a constant) has no
                // capture: the replay sends it as written.
                capture: l.pointer.map(|p| Capture::Path(found::jsonpath(&p))),
                step,
                link: Some((l.operation, l.param)),
                sessions: sessions.clone(),
                by: op.id.clone(),
                scoped: false,
            });
        }
    }
}
