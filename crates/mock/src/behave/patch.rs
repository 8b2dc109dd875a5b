//! Finding and writing places in JSON by pointer: state changes (`set`, `append`, whose
//! writes and their undoing are in `change.rs`) and response patches, where a `*` segment
//! stands for every element of an array or value of an object.

#[cfg(test)]
use cartwright_model::{ExprError, Shape};
use serde_json::Value;

#[cfg(test)]
use super::change::put_at;
#[cfg(test)]
use super::context::Ctx;

/// The member `key`, made null first if missing.
#[cfg(test)]
fn child<'v>(m: &'v mut serde_json::Map<String, Value>, key: &str) -> &'v mut Value {
    if cartwright_model::member(m, key).is_none() {
        m.insert(key.to_owned(), Value::Null);
    }
    slot(m, key).expect("just inserted")
}

/// The member `key` to change: a small object is searched member by member, as
/// [`cartwright_model::member`] reads one (comparing a few short keys costs less than
/// hashing one).
pub(super) fn slot<'v>(
    m: &'v mut serde_json::Map<String, Value>,
    key: &str,
) -> Option<&'v mut Value> {
    if m.len() <= 16 {
        m.iter_mut()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v)
    } else {
        m.get_mut(key)
    }
}

/// The value at the pointer split into `segs` (at load), as
/// [`cartwright_source::pointer::get`] finds it, with objects searched as
/// [`cartwright_model::member`] does.
pub(super) fn get<'v, S: AsRef<str>>(doc: &'v Value, segs: &[S]) -> Option<&'v Value> {
    let mut at = doc;
    for token in segs {
        let token = token.as_ref();
        at = match at {
            Value::Object(m) => cartwright_model::member(m, token)?,
            Value::Array(a) => a.get(index(token)?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// As [`get`], for changing the value.
pub(super) fn get_mut<'v>(doc: &'v mut Value, segs: &[String]) -> Option<&'v mut Value> {
    let mut at = doc;
    for token in segs {
        at = match at {
            Value::Object(m) => slot(m, token)?,
            Value::Array(a) => a.get_mut(index(token)?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// An array index as `pointer::get` reads one: digits, no sign, no leading zero.
pub(super) fn index(token: &str) -> Option<usize> {
    (!token.starts_with(['+', '0']) || token == "0")
        .then(|| token.parse().ok())
        .flatten()
}

/// Applies a response patch: evaluates `shape` for every place the pointer's `segments`
/// (split at load) name, with `this` bound to the element a `*` stands for. Answers are
/// patched without building the body (`answer::patched`); this is what they must equal.
#[cfg(test)]
pub(super) fn patch(
    body: &mut Value,
    segments: &[String],
    shape: &Shape,
    ctx: &mut Ctx,
) -> Result<(), ExprError> {
    walk(body, segments, shape, ctx)
}

/// Walks to the places `segs` names; `this` is bound (once per element, by the `*` that
/// gave it) in `ctx` while the shape below it is evaluated.
#[cfg(test)]
fn walk(at: &mut Value, segs: &[String], shape: &Shape, ctx: &mut Ctx) -> Result<(), ExprError> {
    match segs {
        [] => {
            *at = ctx.shape(shape)?.unwrap_or(Value::Null);
            Ok(())
        }
        [star] if star == "*" => drop_or_replace(at, shape, ctx),
        [star, rest @ ..] if star == "*" => {
            let children: Vec<&mut Value> = match at {
                Value::Array(a) => a.iter_mut().collect(),
                Value::Object(m) => m.values_mut().collect(),
                _ => Vec::new(),
            };
            for child in children {
                let this = child.clone();
                ctx.with("this", this, |c| walk(child, rest, shape, c))?;
            }
            Ok(())
        }
        [last] => {
            let v = ctx.shape(shape)?;
            let _ = put_at(at, std::slice::from_ref(last), v);
            Ok(())
        }
        [seg, rest @ ..] => {
            if !at.is_object() && !at.is_array() {
                *at = Value::Object(serde_json::Map::new());
            }
            let next = match at {
                Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                Value::Object(m) => Some(child(m, seg)),
                _ => None,
            };
            match next {
                Some(n) => walk(n, rest, shape, ctx),
                None => Ok(()),
            }
        }
    }
}

/// Replaces every element of an array (or value of an object) with `shape`, `this` bound
/// to it; an element whose value is none is dropped, as a field whose value is none is, so a
/// list of records filters itself (`this if this.price is not none else none`).
#[cfg(test)]
fn drop_or_replace(at: &mut Value, shape: &Shape, ctx: &mut Ctx) -> Result<(), ExprError> {
    match at {
        Value::Array(a) => {
            let mut kept = Vec::with_capacity(a.len());
            for child in a.drain(..) {
                if let Some(v) = ctx.with("this", child, |c| c.shape(shape))? {
                    kept.push(v);
                }
            }
            *a = kept;
        }
        Value::Object(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let this = m[&k].clone();
                match ctx.with("this", this, |c| c.shape(shape))? {
                    Some(v) => m[&k] = v,
                    None => {
                        m.shift_remove(&k);
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;

    fn at(p: &str) -> Vec<String> {
        cartwright_model::Pointer::new(p.to_owned()).segments
    }

    #[test]
    fn get_finds_what_pointer_get_finds() {
        let v = json!({"a": {"b": [1, {"c~d": 2, "e/f": 3}]}, "": 4});
        for p in [
            "",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1",
            "/a/b/01",
            "/a/b/+1",
            "/a/b/2",
            "/a/b/x",
            "/a/b/1/c~0d",
            "/a/b/1/e~1f",
            "/x",
            "/",
            "/a/b/0/z",
        ] {
            assert_eq!(
                get(&v, &at(p)),
                cartwright_source::pointer::get(&v, p),
                "{p}"
            );
            let (mut a, mut b) = (v.clone(), v.clone());
            let found = get_mut(&mut a, &at(p)).map(|x| x.clone());
            assert_eq!(
                found,
                cartwright_source::pointer::get_mut(&mut b, p).map(|x| x.clone())
            );
        }
    }

    #[test]
    fn put_creates_and_removes() {
        let mut v = json!({});
        let _ = put_at(&mut v, &at("/location/country"), Some(json!("CA")));
        let _ = put_at(&mut v, &at("/items"), Some(json!([1])));
        let _ = put_at(&mut v, &at("/items/-"), Some(json!(2)));
        assert_eq!(v, json!({"location": {"country": "CA"}, "items": [1, 2]}));
        let _ = put_at(&mut v, &at("/location"), None);
        assert_eq!(v, json!({"items": [1, 2]}));
    }

    #[test]
    fn star_patches_every_element_with_this() {
        let mut body =
            json!({"products": [{"product": "1", "price": "3"}, {"product": "2", "price": "4"}]});
        let mut ctx = Ctx::new(
            json!({}),
            Arc::new(json!({"vars": {"p": {"1": "a", "2": "b"}}})),
        );
        let e = |s: &str| Shape::Expr(cartwright_model::Expr::compile(s).expect("compiles"));
        patch(
            &mut body,
            &at("/products/*/prices"),
            &e("vars.p[this.product]"),
            &mut ctx,
        )
        .expect("ok");
        patch(&mut body, &at("/products/*/price"), &e("none"), &mut ctx).expect("ok");
        assert_eq!(
            body,
            json!({"products": [{"product": "1", "prices": "a"}, {"product": "2", "prices": "b"}]})
        );
    }

    #[test]
    fn a_star_element_that_is_none_is_dropped() {
        let mut body = json!({"products": [{"p": 1}, {"p": 2}, {"p": 3}], "m": {"a": 1, "b": 2}});
        let mut ctx = Ctx::new(json!({}), Arc::new(json!({})));
        let e = |s: &str| Shape::Expr(cartwright_model::Expr::compile(s).expect("compiles"));
        let odd = e("this if this.p is odd else none");
        patch(&mut body, &at("/products/*"), &odd, &mut ctx).expect("ok");
        let small = e("this * 10 if this < 2 else none");
        patch(&mut body, &at("/m/*"), &small, &mut ctx).expect("ok");
        assert_eq!(
            body,
            json!({"products": [{"p": 1}, {"p": 3}], "m": {"a": 10}})
        );
    }
}
