//! What each action does to the stored items: on a top-level collection's own store, and
//! on a sub-resource's parent array.

use std::sync::Arc;

use cartwright_model::{Parent, Place, ResourceAction as Action};
use serde_json::{Value, json};

use super::carry::fresh_tokens;
use super::catalog::{fresh_id, generated, natural, new_id};
use super::fill::{deleted, list, merge, place};
use super::guard::{Walks, guard_element};
use super::made::Made;
use super::splice::{Answer, Part};
use super::store::{ELEMENTS_MAX, Items, Stored, id_text};
use super::{Ctx, Done, item_at, put};
use crate::Outgoing;

/// A top-level collection's operations.
pub(super) fn own(ctx: &Ctx<'_>, store: &mut Items, answer: &mut Answer, out: &Outgoing) -> Done {
    let col = ctx.col;
    let id = ctx.param(col.param.as_deref()).map(str::to_owned);
    let at = item_at(&ctx.role.answer);
    match &ctx.role.action {
        Action::Create => {
            let mut item = match &ctx.role.answer {
                Place::Item(p) => answer.body.pointer(p).cloned().filter(Value::is_object),
                _ => None,
            }
            .or_else(|| generated(ctx, col.schema.as_deref()))
            .unwrap_or_else(|| json!({}));
            for child in &ctx.api.resources.collections {
                if let Some(p) = child
                    .parent
                    .as_ref()
                    .filter(|p| p.collection == ctx.role.collection)
                    && let Some(a) = item.get_mut(&p.array)
                    && a.is_array()
                {
                    *a = json!([]);
                }
            }
            let changes = merge(ctx, &mut item);
            fresh_tokens(ctx, at, &mut item, &changes);
            store.next += 1;
            let given = item.get(&col.id).and_then(id_text);
            let id = match given.filter(|g| natural(col) && !store.map.contains_key(g)) {
                Some(g) => g,
                None => {
                    let new_id = new_id(ctx, &item, col, col.schema.as_deref(), store.next);
                    item[&col.id] = new_id.clone();
                    id_text(&new_id).unwrap_or_default()
                }
            };
            place(ctx, answer.body_mut(), at, &mut item, &changes, out);
            store.put(id.clone(), item);
            Done::Ok(Some(id))
        }
        Action::List => {
            list(ctx, answer, store.map.values().cloned().collect());
            Done::Ok(None)
        }
        action => {
            let Some(id) = id else {
                return Done::Ok(None);
            };
            match action {
                Action::Delete => {
                    if store.map.shift_remove(&id).is_none() {
                        return Done::Missing(col.name.clone(), id);
                    }
                    deleted(answer.body_mut(), &id);
                }
                Action::Update => {
                    let Some(item) = store.map.get_mut(&id) else {
                        return Done::Missing(col.name.clone(), id);
                    };
                    // Copy-on-write: an answer still being written keeps the old version.
                    let item = Arc::make_mut(item).value_mut();
                    let changes = merge(ctx, item);
                    place(ctx, answer.body_mut(), at, item, &changes, out);
                }
                _ => {
                    let Some(item) = store.map.get(&id) else {
                        return Done::Missing(col.name.clone(), id);
                    };
                    if let Some(at) = at {
                        answer.splice(at, Part::One(item.clone()));
                    }
                }
            }
            Done::Ok(Some(id))
        }
    }
}

/// A sub-resource's operation on its parent `stored` (checked out of its store, see
/// `checkout.rs`): changed copy-on-write, and its kept text spliced rather than written
/// again when the operation only appends. A create appends `made`, the element made
/// before.
pub(super) fn change_parent(
    ctx: &Ctx<'_>,
    stored: &mut Arc<Stored>,
    p: &Parent,
    (made, walks): (Option<Made>, &mut Walks),
    answer: &mut Answer,
    out: &Outgoing,
) -> Done {
    // A create only appends to the array: the text written so far takes the new element
    // spliced in rather than being written again.
    let create = ctx.role.action == Action::Create;
    if create && !fits(ctx, p) {
        // Not an element: the parent answers as it is.
        if let Place::Parent(at) = &ctx.role.answer {
            answer.splice(at, Part::One(stored.clone()));
        }
        return Done::Ok(None);
    }
    let kept = create.then(|| Stored::kept(stored)).flatten();
    // Copy-on-write: an answer still being written keeps the old version.
    let parent = Arc::make_mut(stored);
    let mut add = Add {
        made,
        written: None,
    };
    let done = nested(
        ctx,
        parent.value_mut(),
        &p.array,
        &mut add,
        answer,
        out,
        walks,
    );
    if create && matches!(done, Done::Ok(_)) {
        parent.appended(&p.array, kept, add.written.as_deref());
    }
    if let (Done::Ok(_), Place::Parent(at)) = (&done, &ctx.role.answer) {
        answer.splice(at, Part::One(stored.clone()));
    }
    done
}

/// The element a create appends, and its text once written.
struct Add {
    made: Option<Made>,
    /// The appended element's JSON text, written from the template's.
    written: Option<Vec<u8>>,
}

/// A sub-resource's operations, on its parent's array. A `Parent` answer is filled by the
/// caller, which holds the parent as stored.
fn nested(
    ctx: &Ctx<'_>,
    parent: &mut Value,
    array: &str,
    add: &mut Add,
    answer: &mut Answer,
    out: &Outgoing,
    walks: &mut Walks,
) -> Done {
    let col = ctx.col;
    if !parent.get(array).is_some_and(Value::is_array) {
        parent[array] = json!([]);
    }
    let id = ctx.param(col.param.as_deref()).map(str::to_owned);
    let position = |parent: &Value, id: &str| {
        parent[array].as_array().and_then(|a| {
            a.iter()
                .position(|e| e.get(&col.id).and_then(id_text).as_deref() == Some(id))
        })
    };
    let touched = match (&ctx.role.action, &id) {
        (Action::Create, _) => {
            if parent[array]
                .as_array()
                .is_some_and(|a| a.len() >= ELEMENTS_MAX)
            {
                return Done::Full(array.to_owned());
            }
            let (template, mut element, changes) = match add.made.take() {
                Some(m) => (Some(m.template), m.element, m.changes),
                None => (None, json!({}), Vec::new()),
            };
            let template = template.as_deref();
            // Elements whose schema has no id are only appended, never given one.
            let new_id = addressed(ctx).then(|| {
                let n = parent[array].as_array().map_or(0, Vec::len) as u64 + 1;
                let id_schema = template.and_then(|t| t.id_schema.as_ref());
                let new_id = fresh_id(ctx, &element, col, id_schema, n);
                element[&col.id] = new_id.clone();
                new_id
            });
            guard_element(
                ctx,
                parent,
                &mut element,
                &changes,
                &answer.body,
                out,
                walks,
            );
            // Only what the request set (and the id) differs from the template's text.
            if let (Some(t), Some(m)) = (template, element.as_object()) {
                let mut set: Vec<&str> = changes.iter().map(|(k, _)| k.as_str()).collect();
                set.push(&col.id);
                add.written = Some(t.write(m, &set));
            }
            if let Some(a) = parent[array].as_array_mut() {
                a.push(element);
            }
            new_id.as_ref().and_then(id_text)
        }
        (Action::List, _) => {
            let all = parent[array].as_array().into_iter().flatten();
            list(
                ctx,
                answer,
                all.cloned().map(|e| Arc::new(Stored::new(e))).collect(),
            );
            return Done::Ok(None);
        }
        (action, Some(id)) => {
            let Some(i) = position(parent, id) else {
                return Done::Missing(col.name.clone(), id.clone());
            };
            match action {
                Action::Delete => {
                    if let Some(a) = parent[array].as_array_mut() {
                        a.remove(i);
                    }
                    deleted(answer.body_mut(), id);
                }
                Action::Update => {
                    let mut element = parent[array][i].clone();
                    let changes = merge(ctx, &mut element);
                    guard_element(
                        ctx,
                        parent,
                        &mut element,
                        &changes,
                        &answer.body,
                        out,
                        walks,
                    );
                    parent[array][i] = element;
                }
                _ => {}
            }
            Some(id.clone())
        }
        (_, None) => None,
    };
    if let Place::Item(p) = &ctx.role.answer
        && let Some(i) = touched.as_deref().and_then(|id| position(parent, id))
    {
        put(answer.body_mut(), p, parent[array][i].clone());
    }
    Done::Ok(touched)
}

/// Whether a sub-resource's elements carry an id of their own (a cart's lines in Medusa),
/// rather than being only appended to the parent's array (`POST /carts/{id}/items` of
/// `{productId, quantity}` elements).
fn addressed(ctx: &Ctx<'_>) -> bool {
    ctx.col.fields.contains(&ctx.col.id)
}

/// Whether a create may append to the parent's array: an addressed element is made from the
/// items schema's value, whatever is sent; an element without an id is what the request
/// sends, so the request must be one: valid by the array's item schema and with at least one
/// of its fields. Anything else (promotion codes, a coupon) changes nothing.
fn fits(ctx: &Ctx<'_>, parent: &Parent) -> bool {
    if addressed(ctx) {
        return true;
    }
    let Some((value, Some(sent))) = ctx.fields.as_ref().map(|v| (v, v.as_object())) else {
        return false;
    };
    sent.keys().any(|k| ctx.col.fields.contains(k))
        && (parent.schema.as_ref()).is_none_or(|s| s.is_valid(value))
}
