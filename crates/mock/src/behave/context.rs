//! What expressions see: the request, the session, secrets, `vars` and the time. Each
//! top-level name has its own place, found by a match on the name rather than by hashing
//! it, and the request view is made only when an expression reads `request`.

use std::sync::{Arc, OnceLock};

use cartwright_model::REQUEST_BODY;
use serde_json::{Value, json};

use super::change::Log;
use super::request::{Seen, parsed_body, request};

/// A live session as `auth` shows it: its kind, its token and its state; `None` for the
/// session whose state the context is changing where it lies, which `auth` shows as it
/// was before the operation's changes, like every other.
pub(crate) type Live = (String, String, Option<Arc<Value>>);

/// The top-level names a step sets, each in its own place.
#[derive(Clone, Copy)]
pub(crate) enum Top {
    /// `token`: the current session's token.
    Token,
    /// `record`: the record a `record` step found or made.
    Record,
    /// `issued`: what an `issue` or `refresh` step issued.
    Issued,
}

/// The names of the places, in order: `secret`, `now`, then the [`Top`] names.
const NAMES: [&str; 5] = ["secret", "now", "token", "record", "issued"];

/// The evaluation context of one request.
pub(crate) struct Ctx<'r> {
    /// What `request` is made from; `None` for a context without a request.
    seen: Option<Seen<'r>>,
    /// `request.body` as validation parsed it, when the view would show that value: found
    /// once per request, as a behaviour reads the body a dozen times.
    body: Option<&'r Value>,
    /// `request`, made on first read.
    request: OnceLock<Value>,
    /// `secret`, `now`, `token`, `record`, `issued` (as [`NAMES`]).
    places: [Value; 5],
    /// The session's `state`, shared with the store: a read copies nothing, the first
    /// change copies it once, unless the operation took it from the store to change it
    /// where it lies ([`Ctx::change_in_place`]).
    state: Arc<Value>,
    /// What undoes the changes made to `state` where it lies; off while it is a copy.
    log: Log<'r>,
    /// The live sessions `auth` is made of (kind, token, state), and `auth` itself, made
    /// only if an expression reads it: most operations never do.
    auth: (Vec<Live>, OnceLock<Value>),
    /// Names that are the same for every request (`vars`), looked up after the others.
    globals: Arc<Value>,
    /// Names bound for a moment (`item`, `this`), innermost last.
    layers: Vec<(&'static str, Value)>,
}

impl<'r> Ctx<'r> {
    /// The context of a request: `request` is made from `seen` when an expression reads it.
    pub(crate) fn of_request(
        seen: Seen<'r>,
        secret: Value,
        now: i64,
        globals: Arc<Value>,
    ) -> Ctx<'r> {
        let mut ctx = Ctx::empty(globals);
        ctx.seen = Some(seen);
        ctx.body = parsed_body(&seen);
        ctx.places[0] = secret;
        ctx.places[1] = now.into();
        ctx
    }

    /// A context with only the API's shared names.
    pub(crate) fn empty(globals: Arc<Value>) -> Ctx<'r> {
        Ctx {
            seen: None,
            body: None,
            request: OnceLock::new(),
            places: Default::default(),
            state: Arc::new(Value::Null),
            log: Log::default(),
            auth: (Vec::new(), OnceLock::new()),
            globals,
            layers: Vec::new(),
        }
    }

    /// A context whose top-level names are the members of `json` (`request`, `secret`,
    /// `now`, `token`, `record`, `issued`; others are not names a context has).
    #[cfg(test)]
    pub(crate) fn new(json: Value, globals: Arc<Value>) -> Ctx<'r> {
        let mut ctx = Ctx::empty(globals);
        if let Value::Object(m) = json {
            for (k, v) in m {
                if k == "request" {
                    ctx.request = OnceLock::from(v);
                } else if let Some(i) = NAMES.iter().position(|n| *n == k) {
                    ctx.places[i] = v;
                }
            }
        }
        ctx
    }

    /// Sets a top-level name.
    pub(crate) fn set(&mut self, name: Top, v: Value) {
        self.places[2 + name as usize] = v;
    }

    /// Sets `state`.
    pub(crate) fn set_state_value(&mut self, v: Value) {
        self.state = Arc::new(v);
    }

    /// Sets `state` to a session's state without copying it. A state being changed where
    /// it lies is settled first ([`Ctx::settle`]) by whoever took it.
    pub(crate) fn set_state(&mut self, state: Arc<Value>) {
        debug_assert!(!self.log.is_on(), "a state changed in place is replaced");
        self.state = state;
    }

    /// `state` as the store keeps it.
    pub(crate) fn state(&self) -> Arc<Value> {
        self.state.clone()
    }

    /// `state` as the store keeps it, without a new reference.
    pub(crate) fn state_ref(&self) -> &Arc<Value> {
        &self.state
    }

    /// `token`: the current session's token (null without one).
    pub(crate) fn token(&self) -> &Value {
        &self.places[2 + Top::Token as usize]
    }

    /// The API's shared names (`vars`).
    pub(crate) fn globals(&self) -> &Arc<Value> {
        &self.globals
    }

    /// `state` to change (copied first if anything else still holds it), and the log that
    /// keeps what undoes each change while it is changed where it lies.
    pub(crate) fn changing(&mut self) -> (&mut Value, &mut Log<'r>) {
        (Arc::make_mut(&mut self.state), &mut self.log)
    }

    /// Changes to `state` are made where it lies from now on, with a log to undo them:
    /// the caller has taken it from the store. `auth` lets go of it too, and shows it as
    /// the log says it was.
    pub(crate) fn change_in_place(&mut self) {
        self.log = Log::on();
        for (_, _, s) in &mut self.auth.0 {
            if s.as_ref().is_some_and(|s| Arc::ptr_eq(s, &self.state)) {
                *s = None;
            }
        }
    }

    /// Undoes the changes made where `state` lies and returns it as it was, for its taker
    /// to put back: an operation that fails leaves the stored state unchanged. `None` when
    /// it was not changed in place.
    pub(crate) fn settle(&mut self) -> Option<Arc<Value>> {
        if !self.log.is_on() {
            return None;
        }
        let mut log = std::mem::take(&mut self.log);
        log.undo_all(Arc::make_mut(&mut self.state));
        for (_, _, s) in &mut self.auth.0 {
            s.get_or_insert_with(|| self.state.clone());
        }
        Some(self.state.clone())
    }

    /// Sets the live sessions `auth` shows: `auth.<kind>.token` and `auth.<kind>.state`.
    pub(crate) fn set_auth(&mut self, live: Vec<Live>) {
        self.auth = (live, OnceLock::new());
    }

    fn auth(&self) -> &Value {
        self.auth.1.get_or_init(|| {
            let m = (self.auth.0.iter())
                .map(|(kind, t, s)| {
                    let state = match s {
                        Some(s) => Value::clone(s),
                        None => self.log.before(&self.state),
                    };
                    (kind.clone(), json!({"token": t, "state": state}))
                })
                .collect();
            Value::Object(m)
        })
    }

    /// `request.body`: the body validation parsed, as it is, when there is one; otherwise
    /// the view's.
    fn request_body(&self) -> &Value {
        const NULL: &Value = &Value::Null;
        match self.body {
            Some(body) => body,
            None => self.request().get("body").unwrap_or(NULL),
        }
    }

    /// `request`, made on first read.
    fn request(&self) -> &Value {
        self.request
            .get_or_init(|| self.seen.map_or(Value::Null, request))
    }

    /// A top-level name of the context itself (not a layer, not `vars`): told apart by
    /// length and first letter before the text is compared, as every name an expression
    /// reads is looked up here first.
    fn top(&self, name: &str) -> Option<&Value> {
        let place = |i: usize| (name == NAMES[i]).then(|| &self.places[i]);
        match (name.len(), name.as_bytes().first()) {
            (5, Some(b's')) => (name == "state").then_some(&*self.state),
            (4, Some(b'a')) => (name == "auth").then(|| self.auth()),
            (7, Some(b'r')) => (name == "request").then(|| self.request()),
            (12, Some(b'r')) => (name == REQUEST_BODY).then(|| self.request_body()),
            (6, Some(b's')) => place(0),
            (3, Some(b'n')) => place(1),
            (5, Some(b't')) => place(2),
            (6, Some(b'r')) => place(3),
            (6, Some(b'i')) => place(4),
            _ => None,
        }
    }

    /// `state` as expressions see it.
    pub(crate) fn get_state(&self) -> &Value {
        &self.state
    }

    /// Evaluates with an extra name bound (`item`, `this`); `f` only evaluates.
    pub(crate) fn with<T>(
        &mut self,
        name: &'static str,
        v: Value,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.layers.push((name, v));
        let out = f(self);
        self.layers.pop();
        out
    }
}

/// Evaluating expressions in the context: natively where the form allows, else minijinja.
#[path = "context_eval.rs"]
mod eval;

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
