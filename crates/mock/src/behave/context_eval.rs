//! Evaluating an expression in a [`Ctx`]: a plain path or literal directly, the native
//! subset on the JSON context, and minijinja, with the context converted, for the rest.

use std::borrow::Cow;
use std::sync::Arc;

use cartwright_model::{Expr, ExprError, Fast, Shape, Val, follow, member, truthy, view};
use minijinja::value::{Value as Jinja, merge_maps};
use serde_json::{Map, Value};

use super::{Ctx, NAMES};

impl Ctx<'_> {
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

    /// Whether a condition holds: what a plain path or the native subset names is judged
    /// where it lies, not copied first (`when: state.items` does not copy the cart's lines).
    pub(crate) fn holds(&mut self, e: &Expr) -> Result<bool, ExprError> {
        if let Some(f) = e.fast() {
            return Ok(truthy(match f {
                Fast::Literal(v) => v.as_ref(),
                Fast::Path(name, keys) => follow(self.name(name), keys),
            }));
        }
        let names = |k: &str| self.name(k);
        match e.native().and_then(|n| n.eval(&names)) {
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
}
