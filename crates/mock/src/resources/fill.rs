//! Writing into answers and items: request fields merged into an item (and reverted where
//! they would break the answer's schema), items and lists put in place, deletions marked.

use std::sync::Arc;

use serde_json::{Value, json};

use cartwright_model::{Operation, Place};

use super::catalog::natural;
use super::splice::{Answer, Part};
use super::store::Stored;
use cartwright_source::pointer::escape;

use super::{Ctx, put};
use crate::Outgoing;

/// Checks a changed element inside its parent against the answer, reverting fields that break it.
pub(super) fn guard_element(
    ctx: &Ctx<'_>,
    parent: &Value,
    array: &str,
    element: &mut Value,
    changes: &[(String, Option<Value>)],
    body: &Value,
    out: &Outgoing,
) {
    if changes.is_empty() {
        return;
    }
    let Place::Parent(p) = &ctx.role.answer else {
        return;
    };
    // The parent without its other elements: what the element is judged in, at the cost
    // of the element rather than of the whole cart.
    let Some(fields) = parent.as_object() else {
        return;
    };
    let mut whole: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| *k != array)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    whole.insert(array.to_owned(), json!([element.clone()]));
    let segments = cartwright_source::pointer::tokens(p).unwrap_or_default();
    let trial = with_at(body, &segments, Value::Object(whole));
    let prefix = format!("{p}/{}/0", escape(array));
    revert(ctx, &trial, &prefix, element, changes, out);
}

/// A copy of `body` with `v` at the place `segments` names (unescaped), copying only what
/// lies beside the path: the spec's own version of that place, often the largest part of
/// the body, is never copied just to be replaced. A missing place leaves `body` as it is.
fn with_at(body: &Value, segments: &[String], v: Value) -> Value {
    let Some((head, rest)) = segments.split_first() else {
        return v;
    };
    // Exactly one member or element is on the path: it takes `v`, the rest are copied.
    let mut v = Some(v);
    let mut on_path = |x: &Value| with_at(x, rest, v.take().unwrap_or(Value::Null));
    match body {
        Value::Object(m) if m.contains_key(head) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = if k == head { on_path(x) } else { x.clone() };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => match head.parse::<usize>() {
            Ok(i) if i < a.len() => Value::Array(
                (a.iter().enumerate())
                    .map(|(j, x)| if i == j { on_path(x) } else { x.clone() })
                    .collect(),
            ),
            _ => body.clone(),
        },
        _ => body.clone(),
    }
}

/// Puts an item into the answer at `at`, reverting request fields that break the schema.
pub(super) fn place(
    ctx: &Ctx<'_>,
    body: &mut Value,
    at: Option<&str>,
    item: &mut Value,
    changes: &[(String, Option<Value>)],
    out: &Outgoing,
) {
    let Some(at) = at else {
        return;
    };
    put(body, at, item.clone());
    if !changes.is_empty() && revert(ctx, body, at, item, changes, out) {
        put(body, at, item.clone());
    }
}

/// Restores changed fields that the answer's schema refuses (violations under
/// `prefix/field`); whether any was restored.
pub(super) fn revert(
    ctx: &Ctx<'_>,
    trial: &Value,
    prefix: &str,
    item: &mut Value,
    changes: &[(String, Option<Value>)],
    out: &Outgoing,
) -> bool {
    let Some(schema) = answer_schema(ctx.op, out) else {
        return false;
    };
    if schema.is_valid(trial) {
        return false;
    }
    let violations = schema.violations(trial);
    let mut restored = false;
    for (field, old) in changes {
        let at = format!("{prefix}/{}", escape(field));
        let broken = violations
            .iter()
            .any(|v| v.instance == at || v.instance.starts_with(&format!("{at}/")));
        if broken && let Some(obj) = item.as_object_mut() {
            match old {
                Some(old) => obj.insert(field.clone(), old.clone()),
                None => obj.remove(field),
            };
            restored = true;
        }
    }
    restored
}

/// The compiled schema of the media type the answer was made in.
pub(super) fn answer_schema<'o>(
    op: &'o Operation,
    out: &Outgoing,
) -> Option<&'o cartwright_model::Schema> {
    let resp = op.response_for(out.status.as_u16())?;
    let ct = out
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    resp.content
        .iter()
        .find(|m| ct.starts_with(m.media_type.as_str()))
        .or_else(|| resp.content.first())?
        .schema
        .as_ref()
}

/// Writes the request's fields into the item's properties of the same name (objects merged),
/// returning each written field with its old value.
pub(super) fn merge(ctx: &Ctx<'_>, item: &mut Value) -> Vec<(String, Option<Value>)> {
    let Some(fields) = ctx.fields.as_ref().and_then(Value::as_object) else {
        return Vec::new();
    };
    let Some(obj) = item.as_object_mut() else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (k, v) in fields {
        if k == &ctx.col.id && !natural(ctx.col) {
            continue;
        }
        let known = obj.contains_key(k) || ctx.col.fields.contains(k);
        if !known {
            continue;
        }
        let old = obj.get(k).cloned();
        let new = match (&old, v) {
            (Some(Value::Object(o)), Value::Object(n)) => {
                let mut m = o.clone();
                m.extend(n.iter().map(|(a, b)| (a.clone(), b.clone())));
                Value::Object(m)
            }
            _ => v.clone(),
        };
        obj.insert(k.clone(), new);
        changes.push((k.clone(), old));
    }
    changes
}

/// Fills a list answer: the page asked for (`offset`, `limit`) and the counts beside it.
pub(super) fn list(ctx: &Ctx<'_>, answer: &mut Answer, all: Vec<Arc<Stored>>) {
    let Place::List { array, counts } = &ctx.role.answer else {
        return;
    };
    let number = |name: &str| {
        ctx.query
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let total = all.len();
    let offset = number("offset").unwrap_or(0);
    let limit = number("limit");
    let page: Vec<Arc<Stored>> = all
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    answer.splice(array, Part::Many(page));
    for (name, at) in counts {
        let v = match name.as_str() {
            "offset" => json!(offset),
            "limit" => json!(limit.unwrap_or(total.max(1))),
            _ => json!(total),
        };
        if answer.body.pointer(at).is_some() {
            put(answer.body_mut(), at, v);
        }
    }
}

/// Marks a deletion answer: its `id` is the removed one, `deleted` is true, where declared.
pub(super) fn deleted(body: &mut Value, id: &str) {
    if let Some(obj) = body.as_object_mut() {
        if obj.get("id").is_some_and(Value::is_string) {
            obj.insert("id".into(), json!(id));
        }
        if obj.contains_key("deleted") {
            obj.insert("deleted".into(), json!(true));
        }
    }
}
