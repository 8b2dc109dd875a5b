//! `x-cartwright-resource`: the user's corrections of what inference guessed, on an
//! operation (`false` to leave it stateless, or `{collection, action, answer, request}`) or
//! on a path item (`{id, array}` for the collection that path names).

use cartwright_diag::did_you_mean;
use serde_json::Value;

use super::shape::escape;
use super::{Action, Collection, Place, Resources, Role};
use crate::Api;

const KEY: &str = "x-cartwright-resource";

/// Applies every correction in the document; what cannot apply goes to `r.problems`.
pub(super) fn apply(api: &Api, r: &mut Resources) {
    let doc = api.document.as_ref();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(v) = item.get(KEY) {
            let at = format!("/paths/{}/{KEY}", escape(path));
            path_level(r, path, v, &at);
        }
    }
    for (i, op) in api.operations.iter().enumerate() {
        let at = format!("{}/{KEY}", op.pointer);
        if let Some(v) = doc.pointer(&at) {
            operation_level(r, i, &op.path, v, &at);
        }
    }
}

/// The keys an operation's correction takes.
const OPERATION_KEYS: [&str; 4] = ["collection", "action", "answer", "request"];
/// The keys a path item's correction takes.
const PATH_KEYS: [&str; 2] = ["id", "array"];
/// The actions a correction can name besides an action on the item named by the path.
const ACTIONS: [&str; 5] = ["create", "read", "list", "update", "delete"];

/// Why an object has a key outside `known`, with a did-you-mean; `None` when it has none.
fn unknown_key(obj: &serde_json::Map<String, Value>, known: &[&str]) -> Option<String> {
    let key = obj.keys().find(|k| !known.contains(&k.as_str()))?;
    let hint = did_you_mean(key, known.iter().copied())
        .map(|m| format!("; did you mean `{m}`?"))
        .unwrap_or_default();
    Some(format!(
        "unknown key `{key}`: expected {}{hint}",
        known.join(", ")
    ))
}

fn path_level(r: &mut Resources, path: &str, v: &Value, at: &str) {
    let Some(obj) = v.as_object() else {
        r.problems
            .push((at.to_owned(), format!("expected an object, found `{v}`")));
        return;
    };
    if let Some(why) = unknown_key(obj, &PATH_KEYS) {
        r.problems.push((at.to_owned(), why));
        return;
    }
    let Some(c) = r
        .collections
        .iter_mut()
        .find(|c| c.path == path || c.item_path.as_deref() == Some(path))
    else {
        r.problems.push((
            at.to_owned(),
            format!("`{path}` is not a collection or item path of an inferred resource"),
        ));
        return;
    };
    if let Some(id) = v.get("id").and_then(Value::as_str) {
        c.id = id.to_owned();
    }
    if let Some(array) = v.get("array").and_then(Value::as_str) {
        match c.parent.as_mut() {
            Some(p) => p.array = array.to_owned(),
            None => r.problems.push((
                format!("{at}/array"),
                format!("`{path}` has no parent resource to hold it in an array"),
            )),
        }
    }
}

fn operation_level(r: &mut Resources, i: usize, path: &str, v: &Value, at: &str) {
    if v == &Value::Bool(false) {
        r.roles[i] = None;
        return;
    }
    let Some(obj) = v.as_object() else {
        r.problems.push((
            at.to_owned(),
            format!("expected `false` or an object, found `{v}`"),
        ));
        return;
    };
    if let Some(why) = unknown_key(obj, &OPERATION_KEYS) {
        r.problems.push((at.to_owned(), why));
        return;
    }
    let verb = path.rsplit('/').next().unwrap_or_default();
    if let Some(word) = obj.get("action").and_then(Value::as_str)
        && !ACTIONS.contains(&word)
        && word != verb
    {
        let mut known: Vec<&str> = ACTIONS.to_vec();
        known.push(verb);
        let hint = did_you_mean(word, known)
            .map(|m| format!("; did you mean `{m}`?"))
            .unwrap_or_default();
        r.problems.push((
            format!("{at}/action"),
            format!(
                "unknown action `{word}`: one of {}, or `{verb}` (the path's last segment){hint}",
                ACTIONS.join(", ")
            ),
        ));
        return;
    }
    let collection = match obj.get("collection").and_then(Value::as_str) {
        Some(p) => match r.collections.iter().position(|c| c.path == p) {
            Some(c) => c,
            None => {
                r.collections.push(Collection {
                    name: p.rsplit('/').next().unwrap_or(p).to_owned(),
                    path: p.to_owned(),
                    item_path: None,
                    param: None,
                    schema: None,
                    id: "id".to_owned(),
                    parent: None,
                    fields: Vec::new(),
                });
                r.collections.len() - 1
            }
        },
        None => match r.roles[i].as_ref() {
            Some(role) => role.collection,
            None => {
                r.problems.push((
                    at.to_owned(),
                    format!("nothing was inferred for `{path}`: name its `collection`"),
                ));
                return;
            }
        },
    };
    let previous = r.roles[i].take();
    let action = match obj.get("action").and_then(Value::as_str) {
        Some("create") => Action::Create,
        Some("read") => Action::Read,
        Some("list") => Action::List,
        Some("update") => Action::Update,
        Some("delete") => Action::Delete,
        Some(other) => Action::Act(other.to_owned()),
        None => previous.as_ref().map_or(Action::Read, |p| p.action.clone()),
    };
    let answer = match obj.get("answer").and_then(Value::as_str) {
        Some(ptr) if action == Action::List => Place::List {
            array: ptr.to_owned(),
            counts: Vec::new(),
        },
        Some(ptr) => Place::Item(ptr.to_owned()),
        None => previous.as_ref().map_or(Place::Spec, |p| p.answer.clone()),
    };
    let request = obj
        .get("request")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| previous.as_ref().map(|p| p.request.clone()))
        .unwrap_or_default();
    r.roles[i] = Some(Role {
        collection,
        action,
        answer,
        request,
        id_at: previous.as_ref().and_then(|p| p.id_at.clone()),
        location: previous.as_ref().is_some_and(|p| p.location),
        corrected: true,
    });
}
