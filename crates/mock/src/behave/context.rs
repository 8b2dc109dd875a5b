//! What expressions see: the request, the session, secrets, `vars` and the time, as one
//! JSON object converted for evaluation only when a step has changed it.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use cartwright_model::{
    Carrier, Expr, ExprError, Fast, SecretDef, Shape, Val, follow, member, truthy, view,
};
use minijinja::value::{Value as Jinja, merge_maps};
use serde_json::{Map, Value, json};

use super::tokens::same_secret;
use crate::Incoming;

/// A live session as `auth` shows it: its kind, its token and its state.
pub(crate) type Live = (String, String, Arc<Value>);

/// The evaluation context of one request.
pub(crate) struct Ctx {
    /// Shared with minijinja's view of it while an expression runs; copied on write only if
    /// a view were still alive.
    json: Arc<Value>,
    /// The session's `state`, shared with the store: a read copies nothing, the first
    /// change copies it once.
    state: Arc<Value>,
    /// The live sessions `auth` is made of (kind, token, state), and `auth` itself, made
    /// only if an expression reads it: most operations never do.
    auth: (Vec<Live>, OnceLock<Value>),
    /// Names that are the same for every request (`vars`), looked up after `json`.
    globals: Arc<Value>,
    /// Names bound for a moment (`item`, `this`), innermost last.
    layers: Vec<(&'static str, Value)>,
}

impl Ctx {
    /// A context from its JSON and the API's shared names.
    pub(crate) fn new(json: Value, globals: Arc<Value>) -> Ctx {
        Ctx {
            json: Arc::new(json),
            state: Arc::new(Value::Null),
            auth: (Vec::new(), OnceLock::new()),
            globals,
            layers: Vec::new(),
        }
    }

    /// Sets a top-level name.
    pub(crate) fn set(&mut self, name: &str, v: Value) {
        match name {
            "state" => self.state = Arc::new(v),
            _ => Arc::make_mut(&mut self.json)[name] = v,
        }
    }

    /// Sets `state` to a session's state without copying it.
    pub(crate) fn set_state(&mut self, state: Arc<Value>) {
        self.state = state;
    }

    /// `state` as the store keeps it.
    pub(crate) fn state(&self) -> Arc<Value> {
        self.state.clone()
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

    /// A top-level value to change in place.
    pub(crate) fn get_mut(&mut self, name: &str) -> &mut Value {
        match name {
            "state" => Arc::make_mut(&mut self.state),
            _ => &mut Arc::make_mut(&mut self.json)[name],
        }
    }

    /// A top-level value.
    pub(crate) fn get(&self, name: &str) -> &Value {
        match name {
            "state" => &self.state,
            "auth" => self.auth(),
            _ => &self.json[name],
        }
    }

    /// The context for minijinja, with `this` bound over the layers when given.
    fn jinja(&self, this: Option<&Value>) -> Jinja {
        let (globals, base) = (view(self.globals.clone()), view(self.json.clone()));
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
            None if name == "state" => Some(&self.state),
            None if name == "auth" => Some(self.auth()),
            None => {
                let top = |v: &'s Value| v.as_object().and_then(|m| member(m, name));
                top(&self.json).or_else(|| top(&self.globals))
            }
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
                let mut m = Map::new();
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
        f: impl FnOnce(&mut Ctx) -> T,
    ) -> T {
        self.layers.push((name, v));
        let out = f(self);
        self.layers.pop();
        out
    }
}

/// The request as expressions see it: `method`, `path` (decoded parameters), `query`,
/// `headers` (lower-case names; headers that carry secrets left out) and `body`.
pub(super) fn request(req: &Incoming, params: &[(String, String)], secrets: &[SecretDef]) -> Value {
    let path: Map<String, Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    let query: Map<String, Value> = req
        .query
        .as_deref()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
                .collect()
        })
        .unwrap_or_default();
    let hidden: Vec<String> = secrets
        .iter()
        .flat_map(|s| s.headers.iter().map(|h| h.to_ascii_lowercase()))
        .collect();
    let headers: Map<String, Value> = req
        .headers
        .iter()
        .filter(|(n, _)| !hidden.iter().any(|h| h == n.as_str()))
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), Value::from(v.to_str().ok()?))))
        .collect();
    let mut out = Map::with_capacity(5);
    out.insert("method".into(), req.method.as_str().into());
    out.insert("path".into(), Value::Object(path));
    out.insert("query".into(), Value::Object(query));
    out.insert("headers".into(), Value::Object(headers));
    out.insert("body".into(), body(req));
    Value::Object(out)
}

fn body(req: &Incoming) -> Value {
    let ct = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if req.body.is_empty() {
        Value::Null
    } else if ct.contains("x-www-form-urlencoded") {
        Value::Object(
            form_urlencoded::parse(&req.body)
                .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
                .collect(),
        )
    } else {
        serde_json::from_slice(&req.body).unwrap_or(Value::Null)
    }
}

/// The token a request carries in the first carrier that has one; `params` are the
/// request's path parameters, for sessions named in the URL.
pub(super) fn token(
    req: &Incoming,
    params: &[(String, String)],
    carriers: &[Carrier],
) -> Option<String> {
    carriers
        .iter()
        .find_map(|c| match c {
            Carrier::Header(h) => req.header(h).map(str::to_owned),
            Carrier::Accept(p) => accept_param(req.header("accept")?, p),
            Carrier::Bearer => bearer(req.header("authorization")?),
            Carrier::Cookie(name) => req.header("cookie")?.split(';').find_map(|c| {
                let (k, v) = c.trim().split_once('=')?;
                (k == name).then(|| v.to_owned())
            }),
            Carrier::Query(q) => form_urlencoded::parse(req.query.as_deref()?.as_bytes())
                .find(|(k, _)| k == q)
                .map(|(_, v)| v.into_owned()),
            Carrier::Path(p) => params.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone()),
        })
        .filter(|t| !t.is_empty())
}

/// `Bearer xyz` → `xyz`; a bare token is taken as it is (some APIs say "without Bearer").
fn bearer(h: &str) -> Option<String> {
    let h = h.trim();
    match h.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => Some(t.trim().to_owned()),
        Some(_) => None,
        None => Some(h.to_owned()),
    }
}

/// A parameter of any media range in an `Accept` header (`*/*; api-token=abc`).
fn accept_param(accept: &str, name: &str) -> Option<String> {
    accept.split(',').find_map(|range| {
        range.split(';').skip(1).find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().trim_matches('"').to_owned())
        })
    })
}

/// Which declared secrets the request carries correctly: `secret.<name>` is true or false.
pub(super) fn secrets(req: &Incoming, defs: &[SecretDef], values: &[(String, String)]) -> Value {
    let mut out = Map::new();
    for def in defs {
        let expected = values.iter().find(|(n, _)| *n == def.name).map(|(_, v)| v);
        let given = def.headers.iter().filter_map(|h| req.header(h)).any(|v| {
            let v = match &def.scheme {
                Some(s) => v
                    .trim()
                    .split_once(' ')
                    .filter(|(p, _)| p.eq_ignore_ascii_case(s))
                    .map_or(v, |(_, t)| t),
                None => v,
            };
            expected.is_some_and(|e| same_secret(v.trim(), e))
        });
        out.insert(def.name.clone(), json!(given));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_parameters_and_bearer() {
        assert_eq!(
            accept_param("*/*; api-token=abc", "api-token").as_deref(),
            Some("abc")
        );
        assert_eq!(
            accept_param("application/json, */*;q=0.5; API-Token=\"x\"", "api-token").as_deref(),
            Some("x")
        );
        assert_eq!(accept_param("*/*", "api-token"), None);
        assert_eq!(bearer("Bearer t0k").as_deref(), Some("t0k"));
        assert_eq!(bearer("t0k").as_deref(), Some("t0k"));
        assert_eq!(bearer("Basic abc"), None);
    }
}

#[cfg(test)]
mod with_tests {
    use super::*;

    #[test]
    fn with_layers_a_name_over_the_context() {
        let mut ctx = Ctx::new(json!({"state": null}), Arc::new(json!({"vars": {"a": 1}})));
        let e = Expr::compile("state.email").expect("compiles");
        let v = ctx.with("state", json!({"email": "x@example.com"}), |c| c.eval(&e));
        assert_eq!(v, Ok(Some(json!("x@example.com"))));
        let e = Expr::compile("vars.a + this").expect("compiles");
        assert_eq!(
            ctx.with("this", json!(2), |c| c.eval(&e)),
            Ok(Some(json!(3)))
        );
    }
}
