//! Adds to an item's array that no path addresses element by element: `POST /carts/{id}/items`
//! with no `/carts/{id}/items/{itemId}` below it, whose request body is an element of the
//! cart's `items` array. Such an action is a create in that array, so the element shows on
//! the next read of the cart. Only a body made of the array's item fields is one: Medusa's
//! `POST /store/carts/{id}/promotions` sends promotion codes, which are no cart line, and
//! stays an action.

use serde_json::Value;

use super::infer::request_schema;
use super::shape;
use super::{Action, Collection, Resources, names};
use crate::{Api, Method};

/// Turns each `POST` action whose body fits its item's array of the same name into a create
/// of a sub-resource of that name (the parent is linked by the caller, by that name).
pub(super) fn appends(doc: &Value, api: &Api, r: &mut Resources) {
    for (i, op) in api.operations.iter().enumerate() {
        let Some(mut role) = r.roles[i].clone().filter(|_| op.method == Method::Post) else {
            continue;
        };
        let Action::Act(verb) = role.action.clone() else {
            continue;
        };
        let Some(items) = r.collections[role.collection]
            .schema
            .as_deref()
            .and_then(|at| array_items(doc, at, &verb))
        else {
            continue;
        };
        let fields: Vec<String> = shape::properties(doc, &items)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let sent: Vec<String> = request_schema(doc, op)
            .map(|s| shape::properties(doc, &s))
            .unwrap_or_default()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        if sent.is_empty() || !sent.iter().all(|s| fields.contains(s)) {
            continue;
        }
        // Collections stay in path order, so a parent comes before its sub-resources.
        let at = (r.collections.iter())
            .position(|c| c.path > op.path)
            .unwrap_or(r.collections.len());
        for x in r.roles.iter_mut().flatten() {
            if x.collection >= at {
                x.collection += 1;
            }
        }
        r.collections.insert(
            at,
            Collection {
                name: verb,
                path: op.path.clone(),
                item_path: None,
                param: None,
                schema: Some(items.at),
                id: "id".to_owned(),
                parent: None,
                fields: Vec::new(),
            },
        );
        role.collection = at;
        role.action = Action::Create;
        r.roles[i] = Some(role);
    }
}

/// The item schema of the array property named like `verb` in the schema at `at`.
fn array_items<'d>(doc: &'d Value, at: &str, verb: &str) -> Option<shape::Owned<'d>> {
    let item = shape::at(doc, at)?;
    let (_, array) = shape::properties(doc, &item)
        .into_iter()
        .find(|(n, s)| names::key(n) == names::key(verb) && shape::is_array(s))?;
    shape::items(doc, &array)
}
