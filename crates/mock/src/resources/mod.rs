//! State from the spec alone: operations that the inferred resource map gives a role
//! (`cartwright_model::Resources`) keep their collection's items. A create stores the
//! answer it returns with the request's fields written in and a fresh id; reads, lists,
//! updates and deletes work on what is stored; a sub-resource lives in its parent's array;
//! an unknown id is the spec's 404. Collections nothing creates in (a catalog) are filled
//! once with generated items, so what a list shows can be read by id.
//!
//! Every stateful answer is checked against the operation's response schema before it is
//! stored: a request field whose shape breaks the answer is left out rather than served.

mod ids;
mod store;

use std::collections::HashMap;

use cartwright_data::Mode;
use cartwright_model::{Api, Collection, Operation, Place, ResourceAction as Action, Role};
use http::StatusCode;
use serde_json::{Value, json};

use crate::negotiate::prefer;
use crate::problem::Problem;
use crate::respond::{generate, respond};
use crate::{Config, Incoming, Mock, Outgoing};
pub use store::Items;
use store::id_text;

/// How many items a catalog starts with.
const CATALOG: u64 = 3;

/// What one request works on, gathered before the state lock is taken.
struct Ctx<'a> {
    api: &'a Api,
    op: &'a Operation,
    role: &'a Role,
    col: &'a Collection,
    params: &'a [(String, String)],
    fields: Option<Value>,
    query: Vec<(String, String)>,
    config: &'a Config,
}

/// What became of the state: the item's id, or why there is none.
enum Done {
    /// The answer's body is ready; the id touched, for the journal.
    Ok(Option<String>),
    /// No item (or parent) with this id.
    Missing(String, String),
}

impl Ctx<'_> {
    fn param(&self, name: Option<&str>) -> Option<&str> {
        let name = name?;
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn doc(&self) -> &Value {
        &self.api.document
    }
}

/// Answers an operation that has an inferred role; `None` leaves it to the stateless path.
/// An explicit `Prefer: code=` or `example=` is a request for the spec's own answer.
pub fn answer(
    mock: &Mock,
    api: &Api,
    index: usize,
    req: &Incoming,
    params: &[(String, String)],
) -> Option<(Result<Outgoing, Problem>, Option<String>)> {
    let role = api.resources.role(index)?;
    let pref = prefer(req.header("prefer"));
    if pref.code.is_some()
        || pref.example.is_some()
        || pref.dynamic.is_some()
        || pref.seed.is_some()
    {
        return None;
    }
    let top = api.resources.lineage(role.collection);
    if top.len() > 2 || !enumerable(api, top[0]) {
        return None;
    }
    let col = &api.resources.collections[role.collection];
    // Under an item but not kept in it (a read-only list per product): nothing to keep.
    if col.parent.is_none() && col.path.contains('{') {
        return None;
    }
    let fields = serde_json::from_slice::<Value>(&req.body)
        .ok()
        .and_then(|v| v.pointer(&role.request).cloned())
        .filter(Value::is_object);
    let ctx = Ctx {
        api,
        op: &api.operations[index],
        role,
        col,
        params,
        fields,
        query: query(req.query.as_deref()),
        config: mock.config(),
    };
    let skeleton = match respond(api, ctx.op, req, &pref, ctx.config, &mock.bodies) {
        Ok(s) if s.status.is_success() => s,
        other => return Some((other, None)),
    };
    let mut body = if skeleton.body.is_empty() {
        Value::Null
    } else {
        match mock.bodies.parsed(&skeleton.body) {
            Some(v) => Value::clone(&v),
            None => return Some((Ok(skeleton), None)),
        }
    };
    let done = mock
        .behave
        .with_items(api, |items| run(&ctx, items, &mut body, &skeleton));
    let touched = |id: Option<&str>| Some(format!("{} {}", col.name, id.unwrap_or("*")));
    match done {
        Done::Missing(what, id) => {
            let out = not_found(mock, &ctx, req, &what, &id);
            Some((out, touched(Some(&id))))
        }
        Done::Ok(id) => {
            let mut out = skeleton;
            if !body.is_null() {
                out.body = serde_json::to_vec(&body).unwrap_or_default().into();
            }
            if role.location
                && role.action == Action::Create
                && let Some(id) = &id
            {
                out.set("location", &location(&ctx, id));
            }
            Some((Ok(out), touched(id.as_deref())))
        }
    }
}

/// Changes the state and fills the answer's body, under the state lock.
fn run(ctx: &Ctx<'_>, items: &mut HashMap<usize, Items>, body: &mut Value, out: &Outgoing) -> Done {
    let r = &ctx.api.resources;
    let top = r.lineage(ctx.role.collection)[0];
    seed(ctx, top, items.entry(top).or_default(), body, out);
    match &ctx.col.parent {
        None => own(
            ctx,
            items.entry(ctx.role.collection).or_default(),
            body,
            out,
        ),
        Some(p) => {
            let Some(pid) = ctx.param(Some(&p.param)).map(str::to_owned) else {
                return Done::Ok(None);
            };
            let store = items.entry(p.collection).or_default();
            let Some(mut parent) = store.map.get(&pid).cloned() else {
                return Done::Missing(r.collections[p.collection].name.clone(), pid);
            };
            let done = nested(ctx, &mut parent, &p.array, &p.items, body, out);
            if matches!(done, Done::Ok(_)) {
                store.map.insert(pid, parent);
            }
            done
        }
    }
}

/// A top-level collection's operations.
fn own(ctx: &Ctx<'_>, store: &mut Items, body: &mut Value, out: &Outgoing) -> Done {
    let col = ctx.col;
    let id = ctx.param(col.param.as_deref()).map(str::to_owned);
    match &ctx.role.action {
        Action::Create => {
            let mut item = match &ctx.role.answer {
                Place::Item(p) => body.pointer(p).cloned().filter(Value::is_object),
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
            let changes = merge(ctx, &mut item, col.schema.as_deref());
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
            let at = item_at(&ctx.role.answer);
            place(ctx, body, at.as_deref(), &mut item, &changes, out);
            store.put(id.clone(), item);
            Done::Ok(Some(id))
        }
        Action::List => {
            let all: Vec<Value> = store.map.values().cloned().collect();
            list(ctx, body, all);
            Done::Ok(None)
        }
        action => {
            let Some(id) = id else {
                return Done::Ok(None);
            };
            let Some(mut item) = store.map.get(&id).cloned() else {
                return Done::Missing(col.name.clone(), id);
            };
            match action {
                Action::Delete => {
                    store.map.shift_remove(&id);
                    deleted(body, &id);
                }
                Action::Update => {
                    let changes = merge(ctx, &mut item, col.schema.as_deref());
                    let at = item_at(&ctx.role.answer);
                    place(ctx, body, at.as_deref(), &mut item, &changes, out);
                    store.map.insert(id.clone(), item);
                }
                _ => {
                    let at = item_at(&ctx.role.answer);
                    place(ctx, body, at.as_deref(), &mut item, &[], out);
                }
            }
            Done::Ok(Some(id))
        }
    }
}

/// A sub-resource's operations, on its parent's array.
fn nested(
    ctx: &Ctx<'_>,
    parent: &mut Value,
    array: &str,
    items_schema: &str,
    body: &mut Value,
    out: &Outgoing,
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
            let mut element = generated(ctx, Some(items_schema)).unwrap_or_else(|| json!({}));
            let changes = merge(ctx, &mut element, Some(items_schema));
            let n = parent[array].as_array().map_or(0, Vec::len) as u64 + 1;
            let new_id = new_id(ctx, &element, col, Some(items_schema), n);
            element[&col.id] = new_id.clone();
            guard_element(ctx, parent, array, &mut element, &changes, body, out);
            if let Some(a) = parent[array].as_array_mut() {
                a.push(element);
            }
            id_text(&new_id)
        }
        (Action::List, _) => {
            let all = parent[array].as_array().cloned().unwrap_or_default();
            list(ctx, body, all);
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
                    deleted(body, id);
                }
                Action::Update => {
                    let mut element = parent[array][i].clone();
                    let changes = merge(ctx, &mut element, Some(items_schema));
                    guard_element(ctx, parent, array, &mut element, &changes, body, out);
                    parent[array][i] = element;
                }
                _ => {}
            }
            Some(id.clone())
        }
        (_, None) => None,
    };
    match &ctx.role.answer {
        Place::Parent(p) => {
            let mut whole = parent.clone();
            place(ctx, body, Some(p), &mut whole, &[], out);
        }
        Place::Item(p) => {
            if let Some(e) = touched
                .as_deref()
                .and_then(|id| position(parent, id))
                .map(|i| parent[array][i].clone())
            {
                let mut e = e;
                place(ctx, body, Some(p), &mut e, &[], out);
            }
        }
        _ => {}
    }
    Done::Ok(touched)
}

/// Checks a changed element inside its parent against the answer, reverting fields that break it.
fn guard_element(
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
    let mut whole = parent.clone();
    let index = match whole[array].as_array_mut() {
        Some(a) => {
            a.push(element.clone());
            a.len() - 1
        }
        None => return,
    };
    let mut trial = body.clone();
    put(&mut trial, p, whole);
    let prefix = format!("{p}/{}/{index}", escape(array));
    revert(ctx, &trial, &prefix, element, changes, out);
}

/// Puts an item into the answer at `at`, reverting request fields that break the schema.
fn place(
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
    if !changes.is_empty() {
        let mut trial = body.clone();
        put(&mut trial, at, item.clone());
        revert(ctx, &trial, at, item, changes, out);
    }
    put(body, at, item.clone());
}

/// Restores changed fields that the answer's schema refuses (violations under `prefix/field`).
fn revert(
    ctx: &Ctx<'_>,
    trial: &Value,
    prefix: &str,
    item: &mut Value,
    changes: &[(String, Option<Value>)],
    out: &Outgoing,
) {
    let Some(schema) = answer_schema(ctx.op, out) else {
        return;
    };
    let violations = schema.violations(trial);
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
        }
    }
}

/// The compiled schema of the media type the answer was made in.
fn answer_schema<'o>(op: &'o Operation, out: &Outgoing) -> Option<&'o cartwright_model::Schema> {
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
fn merge(ctx: &Ctx<'_>, item: &mut Value, schema: Option<&str>) -> Vec<(String, Option<Value>)> {
    let Some(fields) = ctx.fields.as_ref().and_then(Value::as_object) else {
        return Vec::new();
    };
    let declared = schema.map(|s| cartwright_model::fields(ctx.doc(), s));
    let Some(obj) = item.as_object_mut() else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (k, v) in fields {
        if k == &ctx.col.id && !natural(ctx.col) {
            continue;
        }
        let known = obj.contains_key(k) || declared.as_ref().is_some_and(|d| d.contains(k));
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
fn list(ctx: &Ctx<'_>, body: &mut Value, all: Vec<Value>) {
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
    let page: Vec<Value> = all
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    put(body, array, Value::Array(page));
    for (name, at) in counts {
        let v = match name.as_str() {
            "offset" => json!(offset),
            "limit" => json!(limit.unwrap_or(total.max(1))),
            _ => json!(total),
        };
        if body.pointer(at).is_some() {
            put(body, at, v);
        }
    }
}

/// Marks a deletion answer: its `id` is the removed one, `deleted` is true, where declared.
fn deleted(body: &mut Value, id: &str) {
    if let Some(obj) = body.as_object_mut() {
        if obj.get("id").is_some_and(Value::is_string) {
            obj.insert("id".into(), json!(id));
        }
        if obj.contains_key("deleted") {
            obj.insert("deleted".into(), json!(true));
        }
    }
}

/// Fills a catalog (a collection nothing creates in) once, from its item schema.
fn seed(ctx: &Ctx<'_>, c: usize, store: &mut Items, body: &Value, out: &Outgoing) {
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
fn documented(ctx: &Ctx<'_>, c: usize, body: &Value, store: &mut Items) -> bool {
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
fn taken(ctx: &Ctx<'_>, body: &Value, store: &mut Items) -> bool {
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
fn fits(ctx: &Ctx<'_>, c: usize, body: &Value, out: &Outgoing, item: &Value) -> bool {
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
fn fresh_nested(ctx: &Ctx<'_>, item: &mut Value, k: u64) {
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

/// Whether a client can learn the collection's ids from the API: something creates or
/// lists its items. Where nothing does, every id is as good as another, so reads answer
/// from the spec rather than 404 for ids no client could have known.
fn enumerable(api: &Api, c: usize) -> bool {
    let r = &api.resources;
    r.roles
        .iter()
        .flatten()
        .any(|x| x.collection == c && matches!(x.action, Action::Create | Action::List))
}

/// Whether items are named by a property of their own (`code`, `iso`, `handle`) rather
/// than an id the server hands out: such values are kept, not replaced.
fn natural(col: &Collection) -> bool {
    let f = cartwright_model::fold(&col.id);
    !(f.ends_with("id") || f == "uuid")
}

/// A fresh id shaped like the item's generated one.
fn new_id(ctx: &Ctx<'_>, item: &Value, col: &Collection, schema: Option<&str>, n: u64) -> Value {
    let sample = item.get(&col.id).cloned().unwrap_or(Value::Null);
    let id_schema = schema.and_then(|s| cartwright_model::field_schema(ctx.doc(), s, &col.id));
    ids::fresh(ctx.doc(), &sample, id_schema, n, &col.name)
}

/// A value generated for the schema at `pointer`.
fn generated(ctx: &Ctx<'_>, pointer: Option<&str>) -> Option<Value> {
    let v = generate(ctx.api, pointer?, ctx.config.seed, Mode::Static);
    v.is_object().then_some(v)
}

/// The 404 for an unknown id: the spec's declared one, else a problem naming the id.
fn not_found(
    mock: &Mock,
    ctx: &Ctx<'_>,
    req: &Incoming,
    what: &str,
    id: &str,
) -> Result<Outgoing, Problem> {
    if ctx
        .op
        .response_for(404)
        .is_some_and(|r| r.status != cartwright_model::StatusKey::Default)
    {
        let mut pref = prefer(req.header("prefer"));
        pref.code = Some(404);
        return respond(ctx.api, ctx.op, req, &pref, ctx.config, &mock.bodies);
    }
    Err(Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not Found",
        format!("no {what} with id `{id}`"),
    )
    .with("id", json!(id)))
}

/// The new item's URL path, for `Location`.
fn location(ctx: &Ctx<'_>, id: &str) -> String {
    let base = ctx.api.base_paths.first().map_or("", String::as_str);
    let mut path = ctx
        .col
        .item_path
        .clone()
        .unwrap_or_else(|| format!("{}/{{id}}", ctx.col.path));
    for (name, value) in ctx.params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let param = ctx.col.param.as_deref().unwrap_or("id");
    path = path.replace(&format!("{{{param}}}"), &encode(id));
    format!("{base}{path}")
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn item_at(place: &Place) -> Option<String> {
    match place {
        Place::Item(p) => Some(p.clone()),
        _ => None,
    }
}

/// Sets the value at a JSON pointer (`""` is the whole body); a missing place is left alone.
fn put(body: &mut Value, at: &str, v: Value) {
    if at.is_empty() {
        *body = v;
    } else if let Some(slot) = body.pointer_mut(at) {
        *slot = v;
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn query(q: Option<&str>) -> Vec<(String, String)> {
    q.map(|q| {
        form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    })
    .unwrap_or_default()
}
