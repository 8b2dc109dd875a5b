//! Response patches applied to a tree that borrows: the spec's example and the values the
//! patches name (`state['items']`) are written as they are, not copied into a new body
//! first. Only the objects and arrays a patch walks into are opened, one level at a time.
//! The result is the bytes `serde_json` would write for the body patched as a `Value`
//! (`patch::patch`, which the tests compare it with).

use std::borrow::Cow;

use cartwright_model::{ExprError, Shape};
use serde_json::Value;

use super::context::Ctx;
use crate::json_text as text;

/// A JSON null to borrow.
static NULL: Value = Value::Null;

/// A part of the answer being patched.
pub(super) enum Node<'a> {
    /// Unchanged: borrowed from the example, the context or the binding.
    Ref(&'a Value),
    /// Made by an expression.
    Own(Value),
    /// An object a patch has walked into: its members in order (as `serde_json` keeps
    /// them: a new key goes last, a replaced one keeps its place).
    Obj(Vec<(Cow<'a, str>, Node<'a>)>),
    /// An array a patch has walked into.
    Arr(Vec<Node<'a>>),
}

impl<'a> Node<'a> {
    fn is_container(&self) -> bool {
        match self {
            Node::Ref(v) => v.is_object() || v.is_array(),
            Node::Own(v) => v.is_object() || v.is_array(),
            Node::Obj(_) | Node::Arr(_) => true,
        }
    }

    /// Opens an object or array one level, so its members can be changed one by one.
    fn open(&mut self) {
        let opened = match self {
            Node::Ref(Value::Object(m)) => Node::Obj(
                m.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::Ref(v)))
                    .collect(),
            ),
            Node::Ref(Value::Array(a)) => Node::Arr(a.iter().map(Node::Ref).collect()),
            Node::Own(Value::Object(m)) => Node::Obj(
                std::mem::take(m)
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Node::Own(v)))
                    .collect(),
            ),
            Node::Own(Value::Array(a)) => {
                Node::Arr(std::mem::take(a).into_iter().map(Node::Own).collect())
            }
            _ => return,
        };
        *self = opened;
    }

    /// The value as a `Value`, for `this` when it is not borrowed.
    fn to_value(&self) -> Value {
        match self {
            Node::Ref(v) => (*v).clone(),
            Node::Own(v) => v.clone(),
            Node::Obj(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.as_ref().to_owned(), v.to_value()))
                    .collect(),
            ),
            Node::Arr(a) => Value::Array(a.iter().map(Node::to_value).collect()),
        }
    }

    /// The same node borrowing nothing, to outlive a `this` it was made from.
    fn detach<'b>(self) -> Node<'b> {
        match self {
            Node::Ref(v) => Node::Own(v.clone()),
            Node::Own(v) => Node::Own(v),
            Node::Obj(m) => Node::Obj(
                m.into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.detach()))
                    .collect(),
            ),
            Node::Arr(a) => Node::Arr(a.into_iter().map(Node::detach).collect()),
        }
    }

    /// Writes the node as `serde_json::to_writer` writes the `Value` it stands for.
    pub(super) fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            Node::Ref(v) => {
                text::value(v, out);
                Ok(())
            }
            Node::Own(v) => {
                text::value(v, out);
                Ok(())
            }
            Node::Obj(m) => {
                out.push(b'{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    text::string(k, out);
                    out.push(b':');
                    v.write(out)?;
                }
                out.push(b'}');
                Ok(())
            }
            Node::Arr(a) => {
                out.push(b'[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    v.write(out)?;
                }
                out.push(b']');
                Ok(())
            }
        }
    }
}

/// The member `key` of an opened object, made null first if missing (as `patch::child`).
fn member<'n, 'a>(m: &'n mut Vec<(Cow<'a, str>, Node<'a>)>, key: &'a str) -> &'n mut Node<'a> {
    let i = match m.iter().position(|(k, _)| k == key) {
        Some(i) => i,
        None => {
            m.push((Cow::Borrowed(key), Node::Ref(&NULL)));
            m.len() - 1
        }
    };
    &mut m[i].1
}

/// Sets (or with `None` removes) the member `key`, keeping its place when it exists.
fn put<'a>(m: &mut Vec<(Cow<'a, str>, Node<'a>)>, key: Cow<'a, str>, v: Option<Node<'a>>) {
    let at = m.iter().position(|(k, _)| *k == key);
    match (at, v) {
        (Some(i), Some(v)) => m[i].1 = v,
        (None, Some(v)) => m.push((key, v)),
        (Some(i), None) => {
            m.remove(i);
        }
        (None, None) => {}
    }
}

/// A shape's value as a node, borrowing what its expressions name.
fn node<'s>(
    ctx: &'s Ctx,
    shape: &'s Shape,
    this: Option<&'s Value>,
) -> Result<Option<Node<'s>>, ExprError> {
    Ok(match shape {
        Shape::Expr(e) => ctx.value(e, this)?.map(|v| match v {
            Cow::Borrowed(v) => Node::Ref(v),
            Cow::Owned(v) => Node::Own(v),
        }),
        Shape::Literal(v) => Some(Node::Ref(v)),
        Shape::Object(fields) => {
            let mut m = Vec::with_capacity(fields.len());
            for (k, s) in fields {
                if let Some(v) = node(ctx, s, this)? {
                    put(&mut m, Cow::Borrowed(k.as_str()), Some(v));
                }
            }
            Some(Node::Obj(m))
        }
        Shape::Array(items) => {
            let mut a = Vec::with_capacity(items.len());
            for s in items {
                a.push(node(ctx, s, this)?.unwrap_or(Node::Ref(&NULL)));
            }
            Some(Node::Arr(a))
        }
    })
}

/// What `this` is bound to while a patch below a `*` is evaluated.
#[derive(Clone, Copy)]
pub(super) enum This<'a, 'b> {
    /// Nothing: no `*` above.
    Unbound,
    /// An element borrowed from the example or the context: values may borrow from it.
    Lasting(&'a Value),
    /// A copy made on the way: values keep nothing borrowed from it.
    Passing(&'b Value),
}

/// A shape's value with `this` bound.
pub(super) fn eval<'a>(
    ctx: &'a Ctx,
    shape: &'a Shape,
    this: This<'a, '_>,
) -> Result<Option<Node<'a>>, ExprError> {
    match this {
        This::Unbound => node(ctx, shape, None),
        This::Lasting(t) => node(ctx, shape, Some(t)),
        This::Passing(t) => Ok(node(ctx, shape, Some(t))?.map(Node::detach)),
    }
}

/// The body `skeleton` with every patch applied in order, as JSON text.
pub(super) fn patched<'a>(
    skeleton: &'a Value,
    patches: impl IntoIterator<Item = (&'a [String], &'a Shape)>,
    ctx: &'a Ctx,
    capacity: usize,
) -> Result<Vec<u8>, ExprError> {
    let mut root = Node::Ref(skeleton);
    for (segments, shape) in patches {
        walk(&mut root, segments, shape, ctx, This::Unbound)?;
    }
    let mut text = Vec::with_capacity(capacity);
    // Writing into memory fails only for a map with non-string keys, which JSON has not.
    root.write(&mut text)
        .map_err(|e| ExprError(format!("the answer could not be written: {e}")))?;
    Ok(text)
}

/// Walks to the places `segs` names, as `patch::walk` does on a `Value`.
pub(super) fn walk<'a>(
    at: &mut Node<'a>,
    segs: &'a [String],
    shape: &'a Shape,
    ctx: &'a Ctx,
    this: This<'a, '_>,
) -> Result<(), ExprError> {
    match segs {
        [] => *at = eval(ctx, shape, this)?.unwrap_or(Node::Ref(&NULL)),
        [star] if star == "*" => drop_or_replace(at, shape, ctx)?,
        [star, rest @ ..] if star == "*" => {
            at.open();
            let children: Vec<&mut Node<'a>> = match at {
                Node::Obj(m) => m.iter_mut().map(|(_, v)| v).collect(),
                Node::Arr(a) => a.iter_mut().collect(),
                _ => Vec::new(),
            };
            for child in children {
                match child {
                    Node::Ref(v) => {
                        let v: &'a Value = v;
                        walk(child, rest, shape, ctx, This::Lasting(v))?;
                    }
                    other => {
                        let snapshot = other.to_value();
                        walk(other, rest, shape, ctx, This::Passing(&snapshot))?;
                    }
                }
            }
        }
        [last] => {
            let v = eval(ctx, shape, this)?;
            if !at.is_container() {
                *at = Node::Obj(Vec::new());
            }
            at.open();
            match (at, v) {
                (Node::Obj(m), v) => put(m, Cow::Borrowed(last.as_str()), v),
                (Node::Arr(a), Some(v)) => match last.parse::<usize>() {
                    Ok(i) if i < a.len() => a[i] = v,
                    _ if last == "-" => a.push(v),
                    _ => {}
                },
                _ => {}
            }
        }
        [seg, rest @ ..] => {
            if !at.is_container() {
                *at = Node::Obj(Vec::new());
            }
            at.open();
            let next = match at {
                Node::Arr(a) => seg.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                Node::Obj(m) => Some(member(m, seg)),
                _ => None,
            };
            if let Some(n) = next {
                walk(n, rest, shape, ctx, this)?;
            }
        }
    }
    Ok(())
}

/// Replaces every element or member with `shape`, `this` bound to it; one whose value is
/// none is dropped (as `patch::drop_or_replace`).
fn drop_or_replace<'a>(at: &mut Node<'a>, shape: &'a Shape, ctx: &'a Ctx) -> Result<(), ExprError> {
    at.open();
    match at {
        Node::Arr(a) => {
            let mut kept = Vec::with_capacity(a.len());
            for child in a.drain(..) {
                if let Some(v) = with_this(&child, shape, ctx)? {
                    kept.push(v);
                }
            }
            *a = kept;
        }
        Node::Obj(m) => {
            let mut kept = Vec::with_capacity(m.len());
            for (k, child) in m.drain(..) {
                if let Some(v) = with_this(&child, shape, ctx)? {
                    kept.push((k, v));
                }
            }
            *m = kept;
        }
        _ => {}
    }
    Ok(())
}

/// `shape` evaluated with `this` bound to `child`.
fn with_this<'a>(
    child: &Node<'a>,
    shape: &'a Shape,
    ctx: &'a Ctx,
) -> Result<Option<Node<'a>>, ExprError> {
    match child {
        Node::Ref(v) => eval(ctx, shape, This::Lasting(v)),
        other => eval(ctx, shape, This::Passing(&other.to_value())),
    }
}
