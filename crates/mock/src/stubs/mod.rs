//! Runtime stubs: answers set through the admin API (`POST /__cartwright/stubs`) for the
//! requests they match, checked against the spec when they are added (WireMock's stub
//! mappings, made spec-aware: the operation must exist, the status must be declared, the
//! body must follow the declared schema).
//!
//! A stub answers after routing, security and request validation (a request that breaks
//! the spec is refused as always) and before behaviours and inferred resources; it changes
//! no state. The newest matching stub wins; one with `times: N` stops matching after N uses.

mod answer;
mod conditions;
mod define;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use cartwright_model::{Api, Operation};
use http::StatusCode;
use serde_json::{Value, json};

use crate::delivery::Delivery;
use crate::negotiate::Prefer;
use crate::parsed::Parsed;
use crate::problem::{Problem, ProblemKind};
use crate::{Incoming, Mock, Outgoing};

pub(crate) use conditions::Conditions;

/// The most stubs kept at once: the admin API is trusted, but memory is bounded anyway.
const CAPACITY: usize = 1000;

/// One stub, checked against the spec.
#[derive(Debug, Clone)]
pub(crate) struct Stub {
    /// `stub-N`, unique for the mock's lifetime.
    id: String,
    /// The API (its source) and operation the stub belongs to.
    source: String,
    operation: String,
    /// Further conditions on the request.
    conditions: Conditions,
    /// What it answers.
    answer: Answer,
    /// How many times it may answer; `None`: without limit.
    times: Option<u64>,
    /// How many times it answered.
    hits: u64,
    /// The definition as given, shown by `GET /__cartwright/stubs`.
    given: Value,
}

/// A stub's answer, ready to be sent.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    /// The body, already checked against the declared schema; `None`: the spec's own.
    body: Option<Value>,
    /// The media type the body goes out as.
    media: String,
    headers: Vec<(String, String)>,
    delivery: Delivery,
}

/// The stubs of a mock, newest last.
#[derive(Debug, Default)]
pub(crate) struct Stubs {
    list: Mutex<Vec<Stub>>,
    next: AtomicU64,
    /// How many stubs the list holds, read without the lock: most runs add none, and then
    /// no request should take a lock every other request also takes.
    count: AtomicUsize,
}

impl Stubs {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Stub>> {
        self.list.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Checks a definition against the loaded APIs and keeps it; the stub as listed.
    pub(crate) fn add(&self, apis: &[std::sync::Arc<Api>], body: &[u8]) -> Result<Value, Problem> {
        let mut stub = define::define(apis, body)?;
        let mut list = self.lock();
        if list.len() >= CAPACITY {
            return Err(Problem::new(
                StatusCode::INSUFFICIENT_STORAGE,
                ProblemKind::Full,
                "Too Many Stubs",
                format!("the mock keeps at most {CAPACITY} stubs; delete some first"),
            ));
        }
        stub.id = format!("stub-{}", self.next.fetch_add(1, Ordering::Relaxed) + 1);
        let view = stub.view();
        list.push(stub);
        self.count.store(list.len(), Ordering::Release);
        Ok(view)
    }

    /// Every stub, newest first, with its uses.
    pub(crate) fn list(&self) -> Vec<Value> {
        self.lock().iter().rev().map(Stub::view).collect()
    }

    /// Removes one stub; `false` when there is none of that id.
    pub(crate) fn remove(&self, id: &str) -> bool {
        let mut list = self.lock();
        let before = list.len();
        list.retain(|s| s.id != id);
        self.count.store(list.len(), Ordering::Release);
        list.len() != before
    }

    /// Removes every stub; how many there were.
    pub(crate) fn clear(&self) -> usize {
        let mut list = self.lock();
        self.count.store(0, Ordering::Release);
        std::mem::take(&mut *list).len()
    }

    /// The ids of the stubs kept, for a refusal that names them.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.lock().iter().map(|s| s.id.clone()).collect()
    }

    /// The newest stub that matches the request and has uses left, counted as used: its
    /// id and answer.
    fn take(
        &self,
        api: &Api,
        op: &Operation,
        req: &Incoming,
        body: &Parsed<'_>,
    ) -> Option<(String, Answer)> {
        if self.count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut list = self.lock();
        let stub = list.iter_mut().rev().find(|s| {
            s.source == api.source
                && s.operation == op.id
                && s.times.is_none_or(|t| s.hits < t)
                && s.conditions.hold(api, req, body.value())
        })?;
        stub.hits += 1;
        Some((stub.id.clone(), stub.answer.clone()))
    }
}

impl Stub {
    /// The stub as the admin API lists it: the definition, its id and its uses.
    fn view(&self) -> Value {
        let mut v = self.given.clone();
        if let Some(o) = v.as_object_mut() {
            o.insert("id".into(), json!(self.id));
            o.insert("operation".into(), json!(self.operation));
            o.insert("hits".into(), json!(self.hits));
            if let Some(t) = self.times {
                o.insert("remaining".into(), json!(t.saturating_sub(self.hits)));
                o.insert("used_up".into(), json!(self.hits >= t));
            }
        }
        v
    }
}

impl Mock {
    /// The answer of the newest stub matching a valid request, and the stub's id.
    pub(crate) fn stubbed(
        &self,
        api: &Api,
        op: &Operation,
        req: &Incoming,
        body: &Parsed<'_>,
    ) -> Option<(String, Outgoing)> {
        let (id, answer) = self.stubs.take(api, op, req, body)?;
        let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
        let pref = Prefer {
            code: Some(answer.status),
            ..Prefer::default()
        };
        // The spec's answer for the status gives the declared headers (and the body, when
        // the stub has none); a forced status the spec lacks starts from nothing.
        let spec = crate::respond::respond(api, op, req, &pref, self.config(), &self.bodies).ok();
        let mut out = match (spec, &answer.body) {
            (Some(out), None) => out,
            (None, None) => Outgoing::empty(status),
            (spec, Some(body)) => {
                let mut out = match body {
                    Value::String(text) if !answer.media.contains("json") => {
                        Outgoing::new(status, &answer.media, text.clone())
                    }
                    _ => Outgoing::json(status, &answer.media, body),
                };
                for (name, value) in spec.iter().flat_map(|s| s.headers.iter()) {
                    if name != http::header::CONTENT_TYPE {
                        out.headers.insert(name.clone(), value.clone());
                    }
                }
                out
            }
        };
        out.status = status;
        for (name, value) in &answer.headers {
            out.set(name, value);
        }
        out.delivery = answer.delivery;
        Some((id, out))
    }
}
