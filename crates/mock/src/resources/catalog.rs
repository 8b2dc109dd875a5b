//! Catalogs — collections nothing creates in, such as regions and products — filled once,
//! from the items the spec documents or generated with fresh ids, and the ids themselves.

use cartwright_data::Mode;
use cartwright_model::{Collection, Place};
use serde_json::{Value, json};

use super::fill::answer_schema;
use super::store::{Items, id_text};
use super::{Ctx, ids, put};
use crate::Outgoing;
use crate::respond::generate;

/// How many items a catalog starts with.
const CATALOG: u64 = 3;

/// Fills a catalog (a collection nothing creates in) once, from its item schema.
pub(super) fn seed(ctx: &Ctx<'_>, c: usize, store: &mut Items, body: &Value, out: &Outgoing) {
    if store.seeded {
        return;
    }
    store.seeded = true;
    let r = &ctx.api.resources;
    let col = &r.collections[c];
    if r.creates(c) || col.parent.is_some() {
        return;
    }
    if documented(ctx, c, body, store) {
        return;
    }
    let Some(schema) = col.schema.as_deref() else {
        return;
    };
    for k in 0..CATALOG {
        let seed = ctx.config.seed.wrapping_add(k);
        let mut item = generate(ctx.api, schema, seed, Mode::Static);
        if !item.is_object() {
            return;
        }
        if !fits(ctx, c, body, out, &item) {
            // Specs can make optional parts unsatisfiable: the smallest item, as answers do.
            item = generate(ctx.api, schema, seed, Mode::Minimal);
            if !fits(ctx, c, body, out, &item) {
                // Nothing generated fits this answer: keep what the answer itself holds.
                taken(ctx, body, store);
                return;
            }
        }
        store.next += 1;
        let id = match item.get(&col.id).filter(|_| natural(col)) {
            Some(kept) => kept.clone(),
            None => new_id(ctx, &item, col, Some(schema), store.next),
        };
        item[&col.id] = id.clone();
        fresh_nested(ctx, &mut item, k);
        if let Some(id) = id_text(&id) {
            store.put(id, item);
        }
    }
}

/// Fills a catalog with the items the answer being made documents, ids and all, when its
/// media type declares examples: a documented `GET /products/1` keeps answering product 1.
pub(super) fn documented(ctx: &Ctx<'_>, c: usize, body: &Value, store: &mut Items) -> bool {
    if ctx.role.collection != c {
        return false;
    }
    let declared = ctx
        .op
        .responses
        .iter()
        .any(|r| r.status.covers(200) && r.content.iter().any(|m| !m.examples.is_empty()));
    declared && taken(ctx, body, store)
}

/// Keeps the items the answer being made holds, under their own ids.
pub(super) fn taken(ctx: &Ctx<'_>, body: &Value, store: &mut Items) -> bool {
    let found: Vec<Value> = match &ctx.role.answer {
        Place::Item(p) => body.pointer(p).into_iter().cloned().collect(),
        Place::List { array, .. } => body
            .pointer(array)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut kept = false;
    for item in found {
        if let Some(key) = item.get(&ctx.col.id).and_then(id_text) {
            store.put(key, item);
            kept = true;
        }
    }
    kept
}

/// Whether an item of collection `c` fits the answer being made (judged only where the
/// answer holds such items).
pub(super) fn fits(ctx: &Ctx<'_>, c: usize, body: &Value, out: &Outgoing, item: &Value) -> bool {
    if ctx.role.collection != c {
        return true;
    }
    let Some(schema) = answer_schema(ctx.op, out) else {
        return true;
    };
    let mut trial = body.clone();
    match &ctx.role.answer {
        Place::Item(p) => put(&mut trial, p, item.clone()),
        Place::List { array, .. } => put(&mut trial, array, json!([item])),
        _ => return true,
    }
    schema.is_valid(&trial)
}

/// Gives objects in the item's arrays fresh ids of their own (a product's variants), so
/// they can be told apart and referred to.
pub(super) fn fresh_nested(ctx: &Ctx<'_>, item: &mut Value, k: u64) {
    let Some(obj) = item.as_object_mut() else {
        return;
    };
    for (name, v) in obj.iter_mut() {
        let Some(list) = v.as_array_mut() else {
            continue;
        };
        for (i, e) in list.iter_mut().enumerate() {
            if let Some(sample) = e.get("id").cloned() {
                e["id"] = ids::fresh(ctx.doc(), &sample, None, k * 100 + i as u64 + 1, name);
            }
        }
    }
}

/// Whether items are named by a property of their own (`code`, `iso`, `handle`) rather
/// than an id the server hands out: such values are kept, not replaced.
pub(super) fn natural(col: &Collection) -> bool {
    let f = cartwright_model::fold(&col.id);
    !(f.ends_with("id") || f == "uuid")
}

/// A fresh id shaped like the item's generated one.
pub(super) fn new_id(
    ctx: &Ctx<'_>,
    item: &Value,
    col: &Collection,
    schema: Option<&str>,
    n: u64,
) -> Value {
    let id_schema = schema.and_then(|s| cartwright_model::field_schema(ctx.doc(), s, &col.id));
    fresh_id(ctx, item, col, id_schema, n)
}

/// A fresh id shaped like the item's generated one, by the id property's schema.
pub(super) fn fresh_id(
    ctx: &Ctx<'_>,
    item: &Value,
    col: &Collection,
    id_schema: Option<&Value>,
    n: u64,
) -> Value {
    let sample = item.get(&col.id).cloned().unwrap_or(Value::Null);
    ids::fresh(ctx.doc(), &sample, id_schema, n, &col.name)
}

/// A value generated for the schema at `pointer`.
pub(super) fn generated(ctx: &Ctx<'_>, pointer: Option<&str>) -> Option<Value> {
    let v = generate(ctx.api, pointer?, ctx.config.seed, Mode::Static);
    v.is_object().then_some(v)
}
