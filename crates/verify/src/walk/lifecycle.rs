//! The resource checks of the walk, by the resource model ([`cartwright_model::resource`]):
//!
//! Both reads are judged by the response checks as well.
//!
//! - `ensure_resource_availability`: after a successful creation, the created item can be
//!   read with its collection's read operation (a success).
//! - `use_after_free`: after a successful deletion, reading the deleted item is no longer a
//!   success. A collection without a read of its own item (a cart line the spec only
//!   deletes) has nothing to probe, and says so.

use cartwright_http::Answer;
use cartwright_model::{Operation, ParamLocation};
use cartwright_model::{Place, ResourceAction as Action, Role};
use cartwright_outcome::Check;
use cartwright_scenario::ast::{self, Asserts, Capture, CaptureFull};
use serde_json::{Value, json};

use crate::request::Values;
use crate::sessions::flow;
use crate::walk::Walk;
use crate::walk::found::{Found, fold};

use crate::checks::Check as Name;

const AVAILABLE: &str = Name::EnsureResourceAvailability.as_str();
const FREED: &str = Name::UseAfterFree.as_str();

/// Runs the resource checks that a successful answer `a` to `op` (sent with `values`) calls
/// for.
pub(super) async fn after(walk: &mut Walk<'_, '_>, op: &Operation, values: &Values, a: &Answer) {
    let api = walk.flow.probe.api;
    let Some(role) = api
        .operations
        .iter()
        .position(|o| o.pointer == op.pointer)
        .and_then(|i| api.resources.role(i))
    else {
        return;
    };
    match role.action {
        Action::Create if walk.flow.probe.on(Name::EnsureResourceAvailability) => {
            available(walk, op, role, values, a).await
        }
        Action::Delete if walk.flow.probe.on(Name::UseAfterFree) => {
            freed(walk, op, role, values).await
        }
        _ => {}
    }
}

/// The read operation of a role's collection.
fn reader<'a>(walk: &Walk<'_, 'a>, role: &Role) -> Option<&'a Operation> {
    let api = walk.flow.probe.api;
    api.operations.iter().enumerate().find_map(|(i, o)| {
        api.resources
            .role(i)
            .filter(|r| r.collection == role.collection && r.action == Action::Read)
            .map(|_| o)
    })
}

async fn available(
    walk: &mut Walk<'_, '_>,
    op: &Operation,
    role: &Role,
    values: &Values,
    a: &Answer,
) {
    let Some(read) = reader(walk, role) else {
        return;
    };
    let api = walk.flow.probe.api;
    let Some(c) = api.resources.collections.get(role.collection) else {
        return;
    };
    let Some(param) = c.param.clone() else {
        return;
    };
    let name = format!("stateful {} ({AVAILABLE})", read.signature());
    let Some((value, capture)) = created(role, &c.id, a) else {
        walk.flow.skip(name, "the answer names no created id");
        return;
    };
    let step = walk.flow.steps.len().saturating_sub(1);
    walk.found.push(Found {
        key: fold(&c.id),
        context: vec![fold(&c.name)],
        value,
        capture: Some(capture),
        step,
        link: None,
        sessions: Vec::new(),
        by: op.id.clone(),
        scoped: false,
    });
    let k = walk.found.len() - 1;
    let marker = super::build::slot(&mut walk.flow, &walk.found, &mut walk.slots, k);
    let mut given = same_path(op, values, read);
    given.retain(|(n, _)| *n != param);
    given.push((param, marker));
    let (req, _) = walk.request(read, &given);
    let selected = walk.flow.probe.opts.checks.clone();
    walk.judged(name, &req, |r| {
        let mut checks = crate::checks::run(read, r, selected.as_deref());
        checks.push(if flow::ok(r.status) {
            Check::pass(AVAILABLE)
        } else {
            Check::fail(
                AVAILABLE,
                "a success reading the created item",
                r.status.to_string(),
            )
        });
        checks
    })
    .await;
}

async fn freed(walk: &mut Walk<'_, '_>, op: &Operation, role: &Role, values: &Values) {
    let Some(read) = reader(walk, role) else {
        walk.flow.skip(
            format!("stateful {} ({FREED})", op.signature()),
            "nothing to probe: the deleted item has no read operation of its own",
        );
        return;
    };
    let given = same_path(op, values, read);
    let (req, _) = walk.request(read, &given);
    let selected = walk.flow.probe.opts.checks.clone();
    walk.judged(
        format!("stateful {} ({FREED})", read.signature()),
        &req,
        |r| {
            let mut checks = crate::checks::run(read, r, selected.as_deref());
            checks.push(if flow::ok(r.status) {
                Check::fail(
                    FREED,
                    "no success reading the deleted item",
                    r.status.to_string(),
                )
            } else {
                Check::pass(FREED)
            });
            checks
        },
    )
    .await;
}

/// The created item's id and its capture: where a link says, else the item's id property
/// where the answer carries the item, else the `Location` header's last segment.
fn created(role: &Role, id: &str, a: &Answer) -> Option<(Value, Capture)> {
    let body = a.json.as_ref();
    let pointer: Option<String> = role.id_at.clone().or_else(|| match &role.answer {
        Place::Item(at) => Some(cartwright_source::pointer::join(at.as_str(), id)),
        _ => None,
    });
    if let Some(p) = pointer
        && let Some(v) = body
            .and_then(|b| b.pointer(&p))
            .filter(|v| v.is_string() || v.is_number())
    {
        return Some((v.clone(), Capture::Path(super::found::jsonpath(&p))));
    }
    let location = a.header("location")?;
    let last = location
        .split(['?', '#'])
        .next()?
        .trim_end_matches('/')
        .rsplit('/')
        .next()?;
    (!last.is_empty()).then(|| {
        (
            Value::String(last.to_owned()),
            Capture::Full(CaptureFull {
                header: Some("Location".into()),
                regex: Some("([^/?#]+)/?(?:[?#].*)?$".into()),
                ..CaptureFull::default()
            }),
        )
    })
}

/// The path values `op` was sent with, under the names `read` gives them: the same name,
/// else the same position among the path parameters.
fn same_path(op: &Operation, values: &Values, read: &Operation) -> Vec<(String, Value)> {
    let sent: Vec<(&str, &Value)> = values
        .params
        .iter()
        .filter_map(|(i, v)| op.parameters.get(*i).map(|p| (p, v)))
        .filter(|(p, _)| p.location == ParamLocation::Path)
        .map(|(p, v)| (p.name.as_str(), v))
        .collect();
    let wanted = read
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path);
    wanted
        .enumerate()
        .filter_map(|(n, p)| {
            sent.iter()
                .find(|(s, _)| *s == p.name)
                .or_else(|| sent.get(n))
                .map(|(_, v)| (p.name.clone(), (*v).clone()))
        })
        .collect()
}

/// What a fixed server shows in the replay of a failed resource check.
pub(super) fn asserts(failed: &[&Check], a: &mut Asserts) {
    for c in failed {
        let status = match c.name.as_str() {
            AVAILABLE => flow::success(),
            FREED => ast::Matcher::Ops(Box::new(ast::Ops {
                ge: Some(json!(300)),
                ..ast::Ops::default()
            })),
            _ => continue,
        };
        a.status = Some(status);
    }
}
