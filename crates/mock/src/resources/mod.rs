//! State from the spec alone: operations that the inferred resource map gives a role
//! (`cartwright_model::Resources`) keep their collection's items. A create stores the
//! answer it returns with the request's fields written in and a fresh id; reads, lists,
//! updates and deletes work on what is stored; a sub-resource lives in its parent's array;
//! an unknown id is the spec's 404. Collections nothing creates in (a catalog) are filled
//! once with generated items, so what a list shows can be read by id.
//!
//! Every stateful answer is checked against the operation's response schema before it is
//! stored: a request field whose shape breaks the answer is left out rather than served.

mod carry;
mod catalog;
mod checkout;
mod fill;
mod guard;
mod ids;
mod made;
mod ops;
mod splice;
mod store;
mod template;
mod text;

use std::sync::Arc;

use cartwright_model::{Api, Collection, Operation, Place, ResourceAction as Action, Role};
use http::StatusCode;
use serde_json::{Value, json};

use crate::negotiate::{Prefer, prefer};
use crate::parsed::Parsed;
use crate::problem::{Problem, ProblemKind};
use crate::respond::respond;
use crate::{Config, Incoming, Mock, Outgoing};
pub(crate) use carry::carry;
use catalog::seed;
use ops::own;
use splice::Answer;
pub(crate) use store::Items;

/// What one request works on, gathered before the items' lock is taken.
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
    /// The parent's array holds as many elements as the mock keeps.
    Full(String),
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
/// `sent` is the request body as validation parsed it. An explicit `Prefer` (`code`,
/// `example`, `dynamic`, `seed`) is a request for the spec's own answer.
pub(crate) fn answer(
    mock: &Mock,
    api: &Api,
    index: usize,
    (req, sent): (&Incoming, &Parsed<'_>),
    params: &[(String, String)],
    pref: &Prefer,
) -> Option<(Result<Outgoing, Problem>, Option<String>)> {
    let role = api.resources.role(index)?;
    if pref.code.is_some()
        || pref.example.is_some()
        || pref.dynamic.is_some()
        || pref.seed.is_some()
    {
        return None;
    }
    let col = &api.resources.collections[role.collection];
    let fields = sent
        .value()
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
    let skeleton = match respond(api, ctx.op, req, pref, ctx.config, &mock.bodies) {
        Ok(s) if s.status.is_success() => s,
        other => return Some((other, None)),
    };
    let body = if skeleton.body.is_empty() {
        Arc::new(Value::Null)
    } else {
        match mock.bodies.parsed(&skeleton.body) {
            Some(v) => v,
            None => return Some((Ok(skeleton), None)),
        }
    };
    let mut answer = Answer::new(body);
    let held = mock.behave.hold_items(checkout::stripes(&ctx));
    let done = match &col.parent {
        Some(p) => checkout::in_parent(mock, &ctx, p, &mut answer, &skeleton),
        None => mock.behave.with_items(api, |items| {
            let top = items.entry(role.collection).or_default();
            seed(&ctx, role.collection, top, &answer.body, &skeleton);
            own(&ctx, top, &mut answer, &skeleton)
        }),
    };
    // The answer is written from the stored items themselves, which no later change
    // touches (copy-on-write): the next operation on this item need not wait for it.
    drop(held);
    let touched = |id: Option<&str>| Some(format!("{} {}", col.name, id.unwrap_or("*")));
    match done {
        Done::Missing(what, id) => {
            let out = not_found(mock, &ctx, req, &what, &id);
            Some((out, touched(Some(&id))))
        }
        Done::Full(array) => {
            let out = Err(Problem::new(
                StatusCode::CONFLICT,
                ProblemKind::Full,
                "Too Many Elements",
                format!(
                    "`{array}` holds {} elements, the most the mock keeps in one {}",
                    store::ELEMENTS_MAX,
                    api.resources.collections[col
                        .parent
                        .as_ref()
                        .map_or(role.collection, |p| p.collection)]
                    .name
                ),
            ));
            Some((out, touched(None)))
        }
        Done::Ok(id) => {
            let mut out = skeleton;
            if !answer.body.is_null() {
                out.body = answer.to_bytes();
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
        ProblemKind::NotFound,
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

fn item_at(place: &Place) -> Option<&str> {
    match place {
        Place::Item(p) => Some(p),
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

fn query(q: Option<&str>) -> Vec<(String, String)> {
    q.map(|q| {
        form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    })
    .unwrap_or_default()
}
