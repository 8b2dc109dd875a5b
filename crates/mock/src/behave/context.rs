//! What expressions see: the request, the session, secrets, `vars` and the time. Each
//! top-level name has its own place, found by a match on the name rather than by hashing
//! it, and the request view is made only when an expression reads `request`.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use cartwright_model::{
    Expr, ExprError, Fast, REQUEST_BODY, Shape, Val, follow, member, truthy, view,
};
use minijinja::value::{Value as Jinja, merge_maps};
use serde_json::{Map, Value, json};

use super::request::{Seen, parsed_body, request};

/// A live session as `auth` shows it: its kind, its token and its state.
pub(crate) type Live = (String, String, Arc<Value>);

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
    /// change copies it once.
    state: Arc<Value>,
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

    /// Sets `state` to a session's state without copying it.
    pub(crate) fn set_state(&mut self, state: Arc<Value>) {
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

    /// `state`, to change in place (copied first if the store still shares it).
    pub(crate) fn state_mut(&mut self) -> &mut Value {
        Arc::make_mut(&mut self.state)
    }

    /// Sets the live sessions `auth` shows: `auth.<kind>.token` and `auth.<kind>.state`.
    pub(crate) fn set_auth(&mut self, live: Vec<Live>) {
        self.auth = (live, OnceLock::new());
    }

    fn auth(&self) -> &Value {
        self.auth.1.get_or_init(|| {
            let m = (self.auth.0.iter())
                .map(|(kind, t, s)| (kind.clone(), json!({"token": t, "state": &**s})))
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

    /// The context for minijinja, with `this` bound over the layers when given.
    fn jinja(&self, this: Option<&Value>) -> Jinja {
        let mut base = Map::with_capacity(NAMES.len() + 1);
        base.insert("request".into(), self.request().clone());
        for (name, v) in NAMES.iter().zip(&self.places) {
            base.insert((*name).to_owned(), v.clone());
        }
        let (globals, base) = (
            view(self.globals.clone()),
            view(Arc::new(Value::Object(base))),
        );
        let mut top = Map::new();
        top.insert("auth".into(), self.auth().clone());
        let shared = minijinja::context! {state => view(self.state.clone())};
        for (k, v) in &self.layers {
            top.insert((*k).to_owned(), v.clone());
        }
        if let Some(v) = this {
            top.insert("this".into(), v.clone());
        }
        merge_maps([globals, base, shared, view(Arc::new(Value::Object(top)))])
    }

    /// The value of a plain path or literal, without minijinja.
    fn lookup(&self, f: &Fast) -> Option<Value> {
        match f {
            Fast::Literal(v) => v.clone(),
            Fast::Path(name, keys) => follow(self.name(name), keys).cloned(),
        }
    }

    /// A top-level name as expressions see it: bound names first, then the request's
    /// context, then `vars`.
    fn name<'s>(&'s self, name: &str) -> Option<&'s Value> {
        match self.layers.iter().rev().find(|(k, _)| *k == name) {
            Some((_, v)) => Some(v),
            None => self
                .top(name)
                .or_else(|| (self.globals.as_object()).and_then(|m| member(m, name))),
        }
    }

    /// The native evaluation of `e`, when it has one and it is sure of the result.
    fn native(&self, e: &Expr) -> Option<Val<'_>> {
        let n = e.native()?;
        let names = |k: &str| self.name(k);
        n.eval(&names).map(|v| match v {
            // The tree borrows from `e` and `self`; what leaves is owned or borrowed from
            // the context only.
            Val::Undef => Val::Undef,
            Val::Json(v) => Val::Json(std::borrow::Cow::Owned(v.into_owned())),
        })
    }

    /// Evaluates an expression.
    pub(crate) fn eval(&mut self, e: &Expr) -> Result<Option<Value>, ExprError> {
        if let Some(f) = e.fast() {
            return Ok(self.lookup(f));
        }
        match self.native(e) {
            Some(Val::Undef) => Ok(None),
            Some(Val::Json(v)) => Ok((!v.is_null()).then(|| v.into_owned())),
            None => e.eval(&self.jinja(None)),
        }
    }

    /// Evaluates an expression as [`Ctx::eval`] does with `this` bound to `this`, but
    /// borrowing what it names (from the context, `this` or the expression) instead of
    /// copying it: an answer's patches write `state['items']` without a copy of the cart.
    pub(crate) fn value<'s>(
        &'s self,
        e: &'s Expr,
        this: Option<&'s Value>,
    ) -> Result<Option<Cow<'s, Value>>, ExprError> {
        let names = |k: &str| match this {
            Some(t) if k == "this" => Some(t),
            _ => self.name(k),
        };
        if let Some(f) = e.fast() {
            return Ok(match f {
                Fast::Literal(v) => v.as_ref().map(Cow::Borrowed),
                Fast::Path(name, keys) => follow(names(name), keys).map(Cow::Borrowed),
            });
        }
        if let Some(n) = e.native()
            && let Some(v) = n.eval(&names)
        {
            return Ok(match v {
                Val::Undef => None,
                Val::Json(v) => (!v.is_null()).then_some(v),
            });
        }
        Ok(e.eval(&self.jinja(this))?.map(Cow::Owned))
    }

    /// Whether a condition holds.
    pub(crate) fn holds(&mut self, e: &Expr) -> Result<bool, ExprError> {
        if let Some(f) = e.fast() {
            return Ok(truthy(self.lookup(f).as_ref()));
        }
        match self.native(e) {
            Some(Val::Undef) => Ok(false),
            Some(Val::Json(v)) => Ok(truthy(Some(&v))),
            None => e.truthy(&self.jinja(None)),
        }
    }

    /// Evaluates a shape; fields whose expression is none are left out.
    pub(crate) fn shape(&mut self, s: &Shape) -> Result<Option<Value>, ExprError> {
        Ok(match s {
            Shape::Expr(e) => self.eval(e)?,
            Shape::Literal(v) => Some(v.clone()),
            Shape::Object(fields) => {
                let mut m = Map::with_capacity(fields.len());
                for (k, s) in fields {
                    if let Some(v) = self.shape(s)? {
                        m.insert(k.clone(), v);
                    }
                }
                Some(Value::Object(m))
            }
            Shape::Array(items) => {
                let mut a = Vec::new();
                for s in items {
                    a.push(self.shape(s)?.unwrap_or(Value::Null));
                }
                Some(Value::Array(a))
            }
        })
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

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
