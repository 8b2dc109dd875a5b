//! Real ids for requests, obtained from a running mock through the resources it inferred:
//! a create (or the list of a catalog) for a collection, then a create under it for a
//! sub-resource, so a request reaches an item that exists instead of a placeholder's 404.

use cartwright_model::{Api, Place, ResourceAction as Action};
use serde_json::Value;

use super::Served;
use super::request::{Values, assemble, defaults};

/// Path parameter values naming live items for the operation at `index` (empty when it
/// has no inferred role, or no item could be made).
pub(crate) async fn params(s: &Served, api: &Api, index: usize) -> Vec<(String, Value)> {
    let r = &api.resources;
    let Some(role) = r.role(index) else {
        return Vec::new();
    };
    let lineage = r.lineage(role.collection);
    let top = lineage[0];
    let mut out = Vec::new();
    let Some(top_id) = obtain(s, api, top, &[]).await else {
        return out;
    };
    let col = &r.collections[role.collection];
    match &col.parent {
        None => {
            if let Some(p) = &col.param {
                out.push((p.clone(), top_id));
            }
        }
        Some(parent) => {
            out.push((parent.param.clone(), top_id));
            if !matches!(role.action, Action::Create | Action::List)
                && let Some(p) = &col.param
                && let Some(id) = obtain(s, api, role.collection, &out).await
            {
                out.push((p.clone(), id));
            }
        }
    }
    out
}

/// An id of a live item of `collection`: made by its create, else the first of its list.
async fn obtain(
    s: &Served,
    api: &Api,
    collection: usize,
    given: &[(String, Value)],
) -> Option<Value> {
    let r = &api.resources;
    let col = &r.collections[collection];
    let find = |action: Action| {
        r.roles.iter().enumerate().find_map(|(i, x)| {
            x.as_ref()
                .filter(|x| x.collection == collection && x.action == action)
                .map(|x| (i, x))
        })
    };
    let (i, role) = find(Action::Create).or_else(|| find(Action::List))?;
    let body = send(s, api, i, given).await?;
    match &role.answer {
        Place::Item(p) => body.pointer(p)?.get(&col.id).cloned(),
        Place::Parent(p) => {
            let array = &col.parent.as_ref()?.array;
            body.pointer(p)?
                .get(array)?
                .as_array()?
                .last()?
                .get(&col.id)
                .cloned()
        }
        Place::List { array, .. } => body.pointer(array)?.get(0)?.get(&col.id).cloned(),
        Place::Spec => role.id_at.as_deref().and_then(|p| body.pointer(p)).cloned(),
    }
}

/// Sends the operation's documented request with `given` path values; its JSON answer.
pub(crate) async fn send(
    s: &Served,
    api: &Api,
    index: usize,
    given: &[(String, Value)],
) -> Option<Value> {
    let op = &api.operations[index];
    let values = with(api, index, given);
    let req = assemble(api, op, &s.base, &Default::default(), &values);
    let res = s
        .client
        .execute(req.to_reqwest(&s.client).ok()?)
        .await
        .ok()?;
    if !res.status().is_success() {
        return None;
    }
    res.json().await.ok()
}

/// The operation's documented values with `given` path parameters put in.
pub(crate) fn with(api: &Api, index: usize, given: &[(String, Value)]) -> Values {
    let op = &api.operations[index];
    let mut values = defaults(api, op, 1);
    for (name, v) in given {
        if let Some(pi) = op
            .parameters
            .iter()
            .position(|p| &p.name == name && p.location == cartwright_model::ParamLocation::Path)
        {
            values.params.retain(|(i, _)| *i != pi);
            values.params.push((pi, v.clone()));
        }
    }
    values
}
