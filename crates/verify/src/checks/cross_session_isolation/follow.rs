//! Session b must not act on what session a's own next step made: after a's change, a takes
//! the step it enables (placing the order of the basket it filled), and the thing that step
//! made (an `orderId`) is handed by session b to the operation that acts on it (paying the
//! order, by a body field or a path parameter of the same name). That must be refused: the
//! order is a's. Session a then sends the same request, so the replay shows it is otherwise
//! a valid one.
//!
//! The step is a `POST` on the session without path parameters whose success answer
//! declares an id named for what it made (`orderId`, not a bare `id`); the operation that
//! acts on it is a change on the session that takes that name.

use cartwright_model::{Method, Operation, ParamLocation};
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Capture, Matcher, Ops};
use serde_json::Value;

use super::CHECK;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json;
use crate::sessions::session::{self, Kind};
use crate::sessions::{carry, documented};

/// Where the acting operation takes the id: a body field, or a path parameter (by index).
enum Slot {
    Body(String),
    Path(usize),
}

/// A step of a's that makes something, and an operation that acts on it.
struct Pair<'a> {
    make: &'a Operation,
    name: String,
    act: &'a Operation,
    slot: Slot,
}

/// After a's change (`change`), a takes each step that makes something named by id, and
/// b acts on it; `a` and `b` are the sessions' token markers.
pub(super) async fn run(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    change: &Operation,
    a: &str,
    b: &str,
) {
    let probe = flow.probe;
    for pair in pairs(probe.api, kind, change) {
        let make = carry::carry(probe, pair.make, kind, Some(a));
        let name = format!("{} with session a", pair.make.signature());
        let Some(made) = flow.setup(name, &make).await else {
            continue;
        };
        let at = flow.steps.len().saturating_sub(1);
        let id = made
            .json
            .as_ref()
            .and_then(|j| j.get(&pair.name))
            .filter(|v| flow::ok(made.status) && (v.is_string() || v.is_number()));
        let Some(id) = id else {
            continue;
        };
        let text = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
        let var = format!("made_{}", pair.name);
        let marker = flow.var_slot(&var, &text);
        if let Some(s) = flow.steps.get_mut(at) {
            let path = json::jsonpath(std::slice::from_ref(&pair.name));
            s.capture.insert(var, Capture::Path(path));
        }
        let mut values = documented::values(probe, pair.act);
        match &pair.slot {
            Slot::Body(field) => {
                if let Some(Value::Object(m)) = values.body.as_mut() {
                    m.insert(field.clone(), Value::String(marker));
                }
            }
            Slot::Path(i) => {
                values.params.retain(|(j, _)| j != i);
                values.params.push((*i, Value::String(marker)));
            }
        }
        let as_b = carry::carry_with(probe, pair.act, kind, Some(b), values.clone());
        let name = format!(
            "{} with session b, on session a's {}",
            pair.act.signature(),
            pair.name
        );
        flow.send(name, &as_b, |x| {
            vec![if flow::ok(x.status) {
                Check::fail(
                    CHECK,
                    format!("a refusal: the {} is session a's", pair.name),
                    x.status.to_string(),
                )
            } else {
                Check::pass(CHECK)
            }]
        })
        .await;
        flow.assert(|x| {
            x.status = Some(Matcher::Ops(Box::new(Ops {
                ge: Some(Value::from(300)),
                ..Ops::default()
            })))
        });
        let as_a = carry::carry_with(probe, pair.act, kind, Some(a), values);
        let name = format!(
            "{} with session a, on its own {}",
            pair.act.signature(),
            pair.name
        );
        flow.setup(name, &as_a).await;
    }
}

/// Each step on the session that makes something named by id, with the first operation
/// that acts on it.
fn pairs<'a>(api: &'a cartwright_model::Api, kind: &Kind<'_>, change: &Operation) -> Vec<Pair<'a>> {
    let issuer = |op: &Operation| kind.issuers.iter().any(|x| x.id == op.id);
    let on = |op: &Operation| session::uses(op, kind) && !issuer(op) && op.id != change.id;
    let mut out = Vec::new();
    for make in api
        .operations
        .iter()
        .filter(|op| op.method == Method::Post && on(op) && session::path_params(op) == 0)
    {
        for name in made_ids(api, make) {
            let act = api.operations.iter().find_map(|op| {
                let changes = matches!(
                    op.method,
                    Method::Post | Method::Put | Method::Patch | Method::Delete
                );
                if !changes || !on(op) || op.id == make.id {
                    return None;
                }
                takes(api, op, &name).map(|slot| (op, slot))
            });
            if let Some((act, slot)) = act {
                out.push(Pair {
                    make,
                    name,
                    act,
                    slot,
                });
            }
        }
    }
    out
}

/// The id-like top-level properties (not a bare `id`) of `op`'s success answers.
fn made_ids(api: &cartwright_model::Api, op: &Operation) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in op.responses.iter().filter(|r| {
        matches!(
            r.status,
            cartwright_model::StatusKey::Code(200..=299) | cartwright_model::StatusKey::Range(2)
        )
    }) {
        for m in &r.content {
            let Some(schema) = m.schema.as_ref().and_then(|s| json::schema_json(api, s)) else {
                continue;
            };
            for (k, _) in json::properties(api, schema) {
                let fold = k.to_ascii_lowercase();
                if fold.ends_with("id") && fold.len() > 2 && !out.iter().any(|x| x == k) {
                    out.push(k.to_owned());
                }
            }
        }
    }
    out
}

/// Where `op` takes a value named `name`: its body's property, or its one path parameter.
fn takes(api: &cartwright_model::Api, op: &Operation, name: &str) -> Option<Slot> {
    let path: Vec<(usize, &cartwright_model::Parameter)> = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Path)
        .collect();
    if let [(i, p)] = path.as_slice()
        && p.name == name
    {
        return Some(Slot::Path(*i));
    }
    if !path.is_empty() {
        return None;
    }
    let media = crate::request::body_media(op)?;
    let schema = json::schema_json(api, media.schema.as_ref()?)?;
    json::properties(api, schema)
        .iter()
        .any(|(k, _)| *k == name)
        .then(|| Slot::Body(name.to_owned()))
}
