//! The second half of `cross_session_isolation`: when session a's change created something
//! that a `GET` reads by id (a path parameter named like an id, given a value of a's answer
//! that neither the request nor a's earlier state held), session b must not read it — and a
//! itself must, or there is nothing to compare.

use std::collections::HashSet;

use cartwright_http::Answer;
use cartwright_model::{Method, Operation, ParamLocation, Parameter};
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Capture, Matcher, Ops};
use serde_json::Value;

use super::CHECK;
use crate::request::Req;
use crate::sessions::carry;
use crate::sessions::documented;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::session::{self, Kind};

/// Session a's change: the request, its answer, and a's state before it.
pub(super) struct Change<'x> {
    /// The request that made it.
    pub request: &'x Req,
    /// Its answer.
    pub answer: &'x Answer,
    /// Session a's read before the change.
    pub before: &'x Answer,
    /// Its scenario step, to capture the new id from.
    pub step: usize,
}

/// When the change created something a `GET` reads by id, session b must not read it;
/// `a` and `b` are the sessions' token markers.
pub(super) async fn run(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    change: &Change<'_>,
    a: &str,
    b: &str,
) {
    let probe = flow.probe;
    let Some((op, i, path, id)) = target(flow, kind, change, Method::Get) else {
        return;
    };
    let marker = flow.var_slot("own_id", &id);
    if let Some(s) = flow.steps.get_mut(change.step) {
        s.capture
            .insert("own_id".into(), Capture::Path(json::jsonpath(&path)));
    }
    let mut values = documented::values(probe, op);
    values.params.retain(|(j, _)| *j != i);
    values.params.push((i, Value::String(marker)));
    let as_a = carry::carry_with(probe, op, kind, Some(a), values.clone());
    let name = format!("{} with session a, by its new id", op.signature());
    let own = flow.setup(name, &as_a).await;
    if !own.is_some_and(|x| flow::ok(x.status)) {
        // Not readable even by its owner: nothing to compare.
        return;
    }
    let as_b = carry::carry_with(probe, op, kind, Some(b), values);
    let name = format!("{} with session b, by session a's id", op.signature());
    flow.send(name, &as_b, |x| {
        vec![if flow::ok(x.status) {
            Check::fail(
                CHECK,
                "a refusal: the resource is session a's",
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
}

/// The operation of `method` with one id-like path parameter on the session, the index of
/// that parameter, and the new id for it: where the change's answer has it, and its text.
/// An id the request carried, or that a's state held before, was not created by the change.
pub(super) fn target<'a>(
    flow: &Flow<'_, 'a>,
    kind: &Kind<'_>,
    change: &Change<'_>,
    method: Method,
) -> Option<(&'a Operation, usize, Path, String)> {
    let r = change.request;
    let body = r.body.as_ref().map(|b| String::from_utf8_lossy(&b.bytes));
    let sent = format!("{}{}", r.url, body.unwrap_or_default());
    let before: HashSet<String> = change
        .before
        .json
        .as_ref()
        .map(json::leaves)
        .unwrap_or_default()
        .into_iter()
        .map(|(_, v)| v.to_string())
        .collect();
    flow.probe.api.operations.iter().find_map(|op| {
        let params: Vec<(usize, &Parameter)> = op
            .parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| p.location == ParamLocation::Path)
            .collect();
        let [(i, p)] = params.as_slice() else {
            return None;
        };
        let lower = p.name.to_ascii_lowercase();
        if op.method != method
            || !session::uses(op, kind)
            || !(lower.ends_with("id") || lower == "number")
        {
            return None;
        }
        let (path, v) = own_id(change.answer, &p.name)?;
        let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        let new = !sent.contains(&text) && !before.contains(&v.to_string());
        new.then_some((op, *i, path, text))
    })
}

/// The id the change's answer gives the parameter `name`: a field of that name, else `id`,
/// at the top, one object down, or in a list.
fn own_id(made: &Answer, name: &str) -> Option<(Path, Value)> {
    let body = made.json.as_ref()?;
    let norm = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let leaves = json::leaves(body);
    let scalar = |p: &Path| p.len() <= 2 || p.iter().any(|k| k.parse::<usize>().is_ok());
    let pick = |want: &str| {
        leaves
            .iter()
            .find(|(p, v)| {
                scalar(p)
                    && p.last().is_some_and(|k| norm(k) == want)
                    && (v.is_string() || v.is_number())
            })
            .cloned()
    };
    pick(&norm(name)).or_else(|| pick("id"))
}
