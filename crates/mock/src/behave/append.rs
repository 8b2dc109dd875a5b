//! `append` with `merge`: a new element, or the fields it adds to and replaces in the
//! element that has its key. A merge reads only the key and those fields, so only their
//! expressions are evaluated: adding a cart line that is already there evaluates its key
//! and quantities, not its new id, name and price.

use cartwright_model::{ExprError, Merge, Pointer, Shape};
use serde_json::{Value, json};

use super::change::{Change, Log, put_at};
use super::context::Ctx;
use super::patch::{get, get_mut};

/// What a merge changes in the element found: each replaced field's value, then each
/// added field's amount, in the binding's order.
pub(super) struct Merged {
    /// The element's index in the list.
    at: usize,
    replace: Vec<Option<Value>>,
    add: Vec<Option<f64>>,
}

/// The change `merge` makes for `value`, when the list at `to` in `state` has an element
/// with the same key; `None` when it has not (the whole element is then appended).
pub(super) fn merged(
    ctx: &mut Ctx,
    state: &Value,
    to: &Pointer,
    value: &Shape,
    merge: &Merge,
) -> Result<Option<Merged>, ExprError> {
    let Some(mine) = at(ctx, value, &merge.key)? else {
        return Ok(None);
    };
    let list = get(state, &to.segments).and_then(Value::as_array);
    let key = &merge.key.segments;
    let Some(i) = list.and_then(|l| l.iter().position(|x| get(x, key) == Some(&mine))) else {
        return Ok(None);
    };
    let mut replace = Vec::with_capacity(merge.replace.len());
    for field in &merge.replace {
        replace.push(at(ctx, value, field)?);
    }
    let mut add = Vec::with_capacity(merge.add.len());
    for field in &merge.add {
        add.push(at(ctx, value, field)?.as_ref().and_then(Value::as_f64));
    }
    Ok(Some(Merged {
        at: i,
        replace,
        add,
    }))
}

/// Applies a merge to the state it was found in, keeping what undoes it in `log`.
pub(super) fn merge<'a>(
    state: &mut Value,
    to: &'a Pointer,
    merge: &'a Merge,
    m: Merged,
    log: &mut Log<'a>,
) {
    let within = Some((to.segments.as_slice(), m.at));
    let Some(existing) = get_mut(state, &to.segments)
        .and_then(Value::as_array_mut)
        .and_then(|l| l.get_mut(m.at))
    else {
        return;
    };
    for (field, v) in merge.replace.iter().zip(m.replace) {
        log.keep(within, put_at(existing, &field.segments, v));
    }
    for (field, amount) in merge.add.iter().zip(m.add) {
        let field = &field.segments;
        let sum =
            get(existing, field).and_then(Value::as_f64).unwrap_or(0.0) + amount.unwrap_or(0.0);
        let sum = if sum.fract() == 0.0 {
            json!(sum as i64)
        } else {
            json!(sum)
        };
        log.keep(within, put_at(existing, field, Some(sum)));
    }
}

/// Appends `v` to the list at `to`, making the list if there is none, keeping what undoes
/// it in `log`.
pub(super) fn push<'a>(state: &mut Value, to: &'a Pointer, v: Value, log: &mut Log<'a>) {
    let to = &to.segments;
    if get(state, to).and_then(Value::as_array).is_none() {
        log.keep(None, put_at(state, to, Some(json!([]))));
    }
    if let Some(list) = get_mut(state, to).and_then(Value::as_array_mut) {
        list.push(v);
        log.keep(None, Some(Change::Pushed(to)));
    }
}

/// The value `shape` has at `pointer`: only the expressions on the way there are evaluated
/// (a member whose value is none is left out, as [`Ctx::shape`] leaves it out).
fn at(ctx: &mut Ctx, shape: &Shape, pointer: &Pointer) -> Result<Option<Value>, ExprError> {
    let segs = &pointer.segments;
    let mut s = shape;
    for (i, seg) in segs.iter().enumerate() {
        match s {
            // A key given twice is the later one, as the object is built.
            Shape::Object(fields) => match fields.iter().rev().find(|(k, _)| k == seg) {
                Some((_, inner)) => s = inner,
                None => return Ok(None),
            },
            // An expression or array on the way: its value, then the rest of the way.
            _ => {
                let v = ctx.shape(s)?;
                return Ok(v.and_then(|v| get(&v, &segs[i..]).cloned()));
            }
        }
    }
    ctx.shape(s)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cartwright_model::Expr;

    use super::*;

    fn shape(v: &Value) -> Shape {
        match v {
            Value::String(s) => Shape::Expr(Expr::compile(s).expect("compiles")),
            Value::Object(m) => {
                Shape::Object(m.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
            }
            other => Shape::Literal(other.clone()),
        }
    }

    /// A merge changes the element as merging the whole new element did, and evaluates
    /// only the key and merged fields: a failing expression elsewhere is not met.
    #[test]
    fn a_merge_reads_only_its_fields() {
        let line = shape(&json!({
            "id": "digits(8)",
            "bad": "none + 1",
            "attributes": {"variant_id": "'1'", "quantity": "2", "total_amount": "2 * 20.25",
                           "name": "'Tee'", "extra": {"k": "'v'"}},
        }));
        let p = |s: &str| Pointer::new(s.to_owned());
        let m = Merge {
            key: p("/attributes/variant_id"),
            add: vec![p("/attributes/quantity"), p("/attributes/total_amount")],
            replace: vec![p("/attributes/name"), p("/attributes/extra/k")],
        };
        let mut state = json!({"items": [
            {"id": "9", "attributes": {"variant_id": "2", "quantity": 1}},
            {"id": "1", "attributes": {"variant_id": "1", "quantity": 1, "total_amount": 19.5}},
        ]});
        let mut ctx = Ctx::new(json!({}), Arc::new(json!({})));
        assert!(
            ctx.shape(&line).is_err(),
            "the whole line does not evaluate"
        );
        let found = merged(&mut ctx, &state, &p("/items"), &line, &m).expect("evaluates");
        let to = p("/items");
        merge(
            &mut state,
            &to,
            &m,
            found.expect("the line with variant 1"),
            &mut Log::default(),
        );
        assert_eq!(
            state["items"][1],
            json!({"id": "1", "attributes": {"variant_id": "1", "quantity": 3,
                   "total_amount": 60, "name": "Tee", "extra": {"k": "v"}}})
        );
        assert_eq!(state["items"][0]["attributes"]["quantity"], 1);
        let other = shape(&json!({"attributes": {"variant_id": "'3'"}}));
        assert!(
            merged(&mut ctx, &state, &p("/items"), &other, &m)
                .expect("ok")
                .is_none()
        );
        assert!(
            merged(&mut ctx, &state, &p("/none"), &line, &m)
                .expect("ok")
                .is_none()
        );
        let by_expr = shape(&json!({"attributes": "{'variant_id': '1', 'quantity': 5}"}));
        let found = merged(&mut ctx, &state, &p("/items"), &by_expr, &m).expect("ok");
        assert_eq!(found.map(|f| f.add), Some(vec![Some(5.0), None]));
    }
}
