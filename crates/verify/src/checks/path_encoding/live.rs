//! Traversal values aimed at a real sibling route with a real id: for
//! `DELETE /vouchers/{voucher}`, `..%2Flines%2F<a line session a just added>`. A server that
//! decodes `%2F` before routing takes it as `DELETE /lines/<that line>` and succeeds where
//! the plain voucher got a 404; a value with a made-up id would have reached nothing and
//! answered 404 too, hiding the bug.
//!
//! The sibling is an operation of the same method (a decoding server keeps the method) whose
//! one path parameter is its last segment; the id is taken from the answer of a change on
//! the session both operations use, at a field named like the sibling's parameter.

use cartwright_http::Answer;
use cartwright_model::{Api, Method, Operation, ParamLocation};
use cartwright_outcome::{Check, Step};
use serde_json::Value;

use super::verdict::verdict;
use super::{CHECK, MARKER};
use crate::checks::Check as Name;
use crate::sessions::flow::Flow;
use crate::sessions::json;
use crate::sessions::obtain::obtain;
use crate::sessions::session::{self, Kind};
use crate::sessions::{carry, documented};

/// Changes tried for a real id, at most.
const TRIES: usize = 6;

/// The steps of the values aimed at real sibling routes, for the path parameter `i` of `op`
/// (its last segment); `plain` is the plain value to compare with.
pub(super) async fn run(
    probe: &crate::probe::Probe<'_>,
    op: &Operation,
    i: usize,
    plain: &str,
) -> Vec<Step> {
    let kinds = session::kinds(probe.api);
    let mut out = Vec::new();
    for (sibling, up) in siblings(probe.api, op) {
        let Some(kind) = kinds
            .iter()
            .find(|k| session::uses(op, k) && session::uses(sibling, k))
        else {
            continue;
        };
        let mut flow = Flow::new(probe);
        let Some(a) = obtain(&mut flow, kind, "a").await else {
            continue;
        };
        let Some((id, at, path)) = real_id(&mut flow, kind, op, sibling, &a.marker).await else {
            continue;
        };
        // A slot, so the replay sends the id its own change made.
        let id = flow.var_slot("real_id", &id);
        if let Some(s) = flow.steps.get_mut(at) {
            s.capture.insert(
                "real_id".into(),
                cartwright_scenario::ast::Capture::Path(json::jsonpath(&path)),
            );
        }
        let mut values = documented::values(probe, op);
        values.params.retain(|(j, _)| *j != i);
        values.params.push((i, Value::from(MARKER)));
        let base = carry::carry_with(probe, op, kind, Some(&a.marker), values);
        let with = |segment: &str| crate::request::Req {
            url: base.url.replacen(MARKER, segment, 1),
            ..base.clone()
        };
        let sig = op.signature();
        let Some(plain_answer) = flow
            .setup(format!("{sig} {plain} (plain, session a)"), &with(plain))
            .await
        else {
            continue;
        };
        let segment = format!("{up}{id}").replace('/', "%2F");
        let shown = segment.replace(&id, "<session a's id>");
        let name = format!(
            "{sig} {shown} (reaches {} with session a's own id when decoded)",
            sibling.signature()
        );
        let errors = probe.on(Name::NotAServerError);
        let judge = |x: &Answer| verdict(&plain_answer, x, None, errors);
        let got = flow
            .send(name.clone(), &with(&segment), |x| {
                vec![judge(x).map_or_else(
                    || Check::pass(CHECK),
                    |v| Check::fail(v.check, v.expected, v.actual),
                )]
            })
            .await;
        if let Some(v) = got.as_ref().and_then(judge) {
            flow.assert(|x| *x = v.fixed);
        }
        flow.keep_if_failed(&name, CHECK);
        out.extend(flow.report);
    }
    out
}

/// The operations of `op`'s method whose one path parameter is their last segment, on
/// another path, with the traversal from `op`'s parent to them (`../lines/`).
fn siblings<'a>(api: &'a Api, op: &Operation) -> Vec<(&'a Operation, String)> {
    let segs: Vec<&str> = op.path.split('/').skip(1).collect();
    let Some((_, parent)) = segs.split_last() else {
        return Vec::new();
    };
    api.operations
        .iter()
        .filter(|o| o.method == op.method && o.id != op.id && one_last_param(o))
        .filter_map(|o| {
            let other: Vec<&str> = o.path.split('/').skip(1).collect();
            let (_, dir) = other.split_last()?;
            let common = parent.iter().zip(dir).take_while(|(a, b)| a == b).count();
            if common == parent.len() && common == dir.len() {
                return None;
            }
            let ups = "../".repeat(parent.len() - common);
            let rest: String = dir[common..].iter().map(|s| format!("{s}/")).collect();
            Some((o, format!("{ups}{rest}")))
        })
        .take(2)
        .collect()
}

/// Whether the operation's one path parameter is its last segment.
fn one_last_param(op: &Operation) -> bool {
    let params: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    let last = op.path.rsplit('/').next().unwrap_or("");
    matches!(params.as_slice(), [p] if last == format!("{{{p}}}"))
}

/// A real id for the sibling's parameter: from the answer of a change on the session, at a
/// field of the parameter's name; with the change's scenario step and the id's place.
async fn real_id(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    op: &Operation,
    sibling: &Operation,
    a: &str,
) -> Option<(String, usize, json::Path)> {
    let probe = flow.probe;
    let name = sibling
        .parameters
        .iter()
        .find(|p| p.location == ParamLocation::Path)?
        .name
        .to_ascii_lowercase();
    let issuer = |o: &Operation| kind.issuers.iter().any(|x| x.id == o.id);
    let changes = probe.api.operations.iter().filter(|o| {
        matches!(o.method, Method::Post | Method::Put | Method::Patch)
            && session::uses(o, kind)
            && !issuer(o)
            && o.id != op.id
            && o.id != sibling.id
    });
    for change in changes.take(TRIES) {
        let req = carry::carry(probe, change, kind, Some(a));
        let got = flow
            .setup(format!("{} with session a", change.signature()), &req)
            .await?;
        let at = flow.steps.len().saturating_sub(1);
        let leaves = got.json.as_ref().map(json::leaves).unwrap_or_default();
        let id = leaves.into_iter().find_map(|(p, v)| {
            let named = p.last().is_some_and(|k| k.to_ascii_lowercase() == name);
            match v {
                Value::String(s) if named && !s.is_empty() => Some((s, at, p)),
                Value::Number(n) if named => Some((n.to_string(), at, p)),
                _ => None,
            }
        });
        if id.is_some() {
            return id;
        }
    }
    None
}
