//! Writing into answers and items: request fields merged into an item (and reverted where
//! they would break the answer's schema), items and lists put in place, deletions marked.

use std::sync::Arc;

use serde_json::{Value, json};

use cartwright_model::{Operation, Place, Schema, Violation};

use super::catalog::natural;
use super::splice::{Answer, Part};
use super::store::Stored;
use cartwright_source::pointer::escape;

use super::{Ctx, put};
use crate::Outgoing;

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
    let violations = judge(schema, trial);
    restore(&violations, prefix, item, changes)
}

/// How `trial` breaks `schema`; nothing when it conforms.
pub(super) fn judge(schema: &Schema, trial: &Value) -> Vec<Violation> {
    if schema.is_valid(trial) {
        return Vec::new();
    }
    schema.violations(trial)
}

/// Restores the changed fields that have violations under `prefix/field`; whether any was.
pub(super) fn restore(
    violations: &[Violation],
    prefix: &str,
    item: &mut Value,
    changes: &[(String, Option<Value>)],
) -> bool {
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
pub(super) fn answer_schema<'o>(op: &'o Operation, out: &Outgoing) -> Option<&'o Schema> {
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
