//! The inference: collections from path templates, roles from methods, places from the
//! answers' schemas, parent arrays by name and by shape, carriers by name.

use std::collections::BTreeMap;

use serde_json::Value;

use super::shape::{self, Owned};
use super::{Action, Collection, Parent, Place, Resources, Role, SessionCarrier, names};
use crate::{Api, Method, Operation, ParamLocation, SchemeKind, StatusKey};

/// Folded names of list fields that count or page what the array holds.
const COUNTS: [&str; 7] = [
    "count",
    "total",
    "totalcount",
    "offset",
    "limit",
    "totalitems",
    "size",
];

/// Folded names that list answers commonly hold their items under (JSON:API's `data` first).
const LIST_NAMES: [&str; 8] = [
    "data", "elements", "items", "results", "records", "content", "entries", "hits",
];

/// Infers collections, roles and carriers.
pub(super) fn infer(api: &Api) -> Resources {
    let doc = api.document.as_ref();
    let mut r = Resources {
        roles: vec![None; api.operations.len()],
        ..Resources::default()
    };
    let paths = collection_paths(api);
    for (path, item) in &paths {
        let name = last_literal(path).unwrap_or(path).to_owned();
        r.collections.push(Collection {
            name,
            path: path.clone(),
            item_path: item.clone(),
            param: item.as_deref().and_then(last_param).map(str::to_owned),
            schema: None,
            id: "id".to_owned(),
            parent: None,
            fields: Vec::new(),
        });
    }
    for (i, op) in api.operations.iter().enumerate() {
        r.roles[i] = role_of(&r, op).map(|mut role| {
            // A POST that answers a list is a search (`POST /product` with criteria).
            if role.action == Action::Create && searches(api, op) && !answers_item(api, op) {
                role.action = Action::List;
            }
            role
        });
    }
    for c in 0..r.collections.len() {
        item_schema(doc, api, &mut r, c);
    }
    super::append::appends(doc, api, &mut r);
    for c in 0..r.collections.len() {
        link_parent(doc, api, &mut r, c);
        if let Some(p) = &r.collections[c].parent {
            // A sub-resource's items are the parent array's items, whatever its answers hold.
            let items = p.items.clone();
            let name = r.collections[c].name.clone();
            if let Some(id) = shape::at(doc, &items).and_then(|s| shape::id_field(doc, &s, &name)) {
                r.collections[c].id = id;
            }
            r.collections[c].schema = Some(items);
        }
    }

    for (i, op) in api.operations.iter().enumerate() {
        if let Some(mut role) = r.roles[i].take() {
            role.answer = answer_place(doc, &r, op, &role);
            role.request = request_place(doc, op, &r.collections[role.collection]);
            role.location = success(op).is_some_and(|resp| {
                resp.headers
                    .iter()
                    .any(|h| h.name.eq_ignore_ascii_case("location"))
            });
            if role.action == Action::Create {
                role.id_at = linked_id(doc, api, op, &r.collections[role.collection]);
            }
            r.roles[i] = Some(role);
        }
    }
    lists_by_schema(doc, api, &mut r);
    drop_unreachable(doc, &mut r);
    for c in &mut r.collections {
        c.fields = c
            .schema
            .as_deref()
            .map(|s| super::fields(doc, s))
            .unwrap_or_default();
    }
    r.carriers = carriers(doc, api);
    r
}

/// Collection paths, each with its item path if the spec has one. A path is a collection
/// when it has an item path below it, or when it answers a list or creates; a literal right
/// under an item path with neither is an action, not a collection.
fn collection_paths(api: &Api) -> BTreeMap<String, Option<String>> {
    let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
    for op in &api.operations {
        if let Some((prefix, _)) = split_last(&op.path)
            && last_param(&op.path).is_some()
            && !prefix.is_empty()
            && last_literal(prefix).is_some()
        {
            out.insert(prefix.to_owned(), Some(op.path.clone()));
        }
    }
    for op in &api.operations {
        if out.contains_key(&op.path) || last_param(&op.path).is_some() {
            continue;
        }
        let under_item = split_last(&op.path).is_some_and(|(p, _)| last_param(p).is_some());
        // A literal under a collection (`/customers/me`) is a singleton or an action on the
        // collection, not a collection of its own.
        if split_last(&op.path).is_some_and(|(p, _)| out.contains_key(p)) {
            continue;
        }
        let lists = op.method == Method::Get && lists_something(api, op);
        let creates = op.method == Method::Post && !under_item && answers_item(api, op);
        if lists || creates {
            out.insert(op.path.clone(), None);
        }
    }
    out
}

/// What an operation does, from its path and method alone.
fn role_of(r: &Resources, op: &Operation) -> Option<Role> {
    let role = |collection, action| Role {
        collection,
        action,
        answer: Place::Spec,
        request: String::new(),
        id_at: None,
        location: false,
        corrected: false,
    };
    for (i, c) in r.collections.iter().enumerate() {
        if c.item_path.as_deref() == Some(op.path.as_str()) {
            let action = match op.method {
                Method::Get => Action::Read,
                Method::Put | Method::Patch | Method::Post => Action::Update,
                Method::Delete => Action::Delete,
                _ => return None,
            };
            return Some(role(i, action));
        }
        if c.path == op.path {
            return match op.method {
                Method::Post => Some(role(i, Action::Create)),
                Method::Get => Some(role(i, Action::List)),
                _ => None,
            };
        }
    }
    let (prefix, verb) = split_last(&op.path)?;
    if verb.starts_with('{') {
        return None;
    }
    let owner = r.collections.iter().position(|c| {
        c.item_path
            .as_deref()
            .is_some_and(|i| same_template(i, prefix))
    })?;
    Some(role(owner, Action::Act(verb.to_owned())))
}

/// The item schema: from a read's answer, else a create's or an update's, else a list's.
fn item_schema(doc: &Value, api: &Api, r: &mut Resources, c: usize) {
    let name = r.collections[c].name.clone();
    let mut found: Option<Owned<'_>> = None;
    for wanted in [Action::Read, Action::Create, Action::Update, Action::List] {
        for (i, op) in api.operations.iter().enumerate() {
            let Some(role) = r.roles[i].as_ref().filter(|x| x.collection == c) else {
                continue;
            };
            if role.action != wanted {
                continue;
            }
            let Some(answer) = answer_schema(doc, op) else {
                continue;
            };
            let item = if wanted == Action::List {
                list_place(doc, &answer, &name).map(|(_, item, _)| item)
            } else {
                item_place(doc, &answer, &name).map(|(_, item)| item)
            };
            if let Some(item) = item.filter(|i| !shape::properties(doc, i).is_empty()) {
                found = Some(item);
                break;
            }
        }
        if found.is_some() {
            break;
        }
    }
    if let Some(item) = found {
        if let Some(id) = shape::id_field(doc, &item, &name) {
            r.collections[c].id = id;
        }
        // A path that names items by another property (`{code}`, `{iso}`) says which.
        if let Some(param) = r.collections[c].param.clone()
            && let Some((prop, _)) = shape::properties(doc, &item)
                .into_iter()
                .find(|(n, _)| names::fold(n) == names::fold(&param))
        {
            r.collections[c].id = prop;
        }
        r.collections[c].schema = Some(item.at);
    }
}

/// Leaves stateless the collections whose items no client can address: no answer hands
/// out their ids (a create that answers the item, a `Location`, a link, or a list), or
/// their items have no id property at all (`POST /auth/customer/{provider}` is not an
/// update of a stored item; a password reset's token travels by e-mail), or nothing reads
/// what is stored. So are those
/// under a parent that is itself stateless, those nested deeper than one parent, and lists
/// under an item that are not kept in it (`/product/{id}/cross-selling`).
fn drop_unreachable(doc: &Value, r: &mut Resources) {
    let mut live = vec![false; r.collections.len()];
    // Collections are in path order, so a parent is judged before its sub-resources.
    for c in 0..r.collections.len() {
        let col = &r.collections[c];
        // Elements only appended to a parent's array, never addressed, need no id.
        let has_id = (col.parent.is_some() && col.item_path.is_none())
            || col
                .schema
                .as_deref()
                .is_none_or(|s| super::fields(doc, s).contains(&col.id));
        let exposed = r.roles.iter().flatten().any(|x| {
            x.collection == c
                && match x.action {
                    Action::List => true,
                    Action::Create => x.answer != Place::Spec || x.id_at.is_some() || x.location,
                    _ => false,
                }
        });
        // A collection only created in, never read, listed, changed or parent to anything,
        // keeps nothing anyone could see (`POST /cart` with no `/cart/{id}`). A sub-resource's
        // elements show in its parent, which is read when it is live.
        let observed = col.parent.is_some()
            || r.roles
                .iter()
                .flatten()
                .any(|x| x.collection == c && x.action != Action::Create)
            || r.collections
                .iter()
                .any(|s| s.parent.as_ref().is_some_and(|p| p.collection == c));
        let placed = match &col.parent {
            None => !col.path.contains('{'),
            Some(p) => live[p.collection] && r.collections[p.collection].parent.is_none(),
        };
        live[c] = has_id && exposed && observed && placed;
    }
    for role in r.roles.iter_mut() {
        if role.as_ref().is_some_and(|x| !live[x.collection]) {
            *role = None;
        }
    }
}

/// A sub-resource's parent and the parent's array that holds its items: by name first
/// (`items` for `items`), then by shape (the array whose items have the fields the
/// sub-resource's create sends and its read answers).
fn link_parent(doc: &Value, api: &Api, r: &mut Resources, c: usize) {
    let path = r.collections[c].path.clone();
    let Some((prefix, _)) = split_last(&path) else {
        return;
    };
    // A read-only list under an item (`/product/{id}/cross-selling`) answers a shape of its
    // own; only what is created or addressed under an item lives in the item's array.
    if r.collections[c].item_path.is_none() && !r.creates(c) {
        return;
    }
    let Some(pc) = r.collections.iter().position(|p| {
        p.item_path
            .as_deref()
            .is_some_and(|i| same_template(i, prefix))
    }) else {
        return;
    };
    let Some(param) = last_param(prefix) else {
        return;
    };
    let Some(parent) = r.collections[pc]
        .schema
        .as_deref()
        .and_then(|p| shape::at(doc, p))
    else {
        return;
    };
    let sent = sent_fields(doc, api, r, c);
    let own = r.collections[c].schema.clone();
    let name = names::key(&r.collections[c].name);
    let mut best: Option<(f64, String, String)> = None;
    for (prop, schema) in shape::properties(doc, &parent) {
        if !shape::is_array(&schema) {
            continue;
        }
        let Some(items) = shape::items(doc, &schema) else {
            continue;
        };
        let pk = names::key(&prop);
        let mut score = if pk == name {
            3.0
        } else if name.ends_with(&pk) || pk.ends_with(&name) {
            2.0
        } else {
            0.0
        };
        let own_item = own.as_deref().filter(|o| !same_schema(doc, o, &parent.at));
        match own_item {
            Some(o) if same_schema(doc, o, &items.at) => score += 3.0,
            // Answers that hold an item of their own kind (a payment session) are kept in
            // an array of that kind, or in one of exactly their name; nothing less.
            Some(_) if pk != name => continue,
            _ => {}
        }
        let fields: Vec<String> = shape::properties(doc, &items)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        // Shape alone is evidence only when several sent fields agree: one shared `code`
        // does not make discount codes a cart's warnings.
        let hit = sent.iter().filter(|s| fields.contains(s)).count();
        if hit >= 2 || (hit == 1 && score > 0.0) {
            score += hit as f64 / sent.len() as f64;
        }
        if score >= 1.0 && best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, prop, items.at));
        }
    }
    if let Some((_, array, items)) = best {
        r.collections[c].parent = Some(Parent {
            collection: pc,
            param: param.to_owned(),
            array,
            items,
            schema: None,
            members: Vec::new(),
        });
    }
}

/// The request fields a collection's create sends.
fn sent_fields(doc: &Value, api: &Api, r: &Resources, c: usize) -> Vec<String> {
    api.operations
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            r.roles[*i]
                .as_ref()
                .is_some_and(|x| x.collection == c && x.action == Action::Create)
        })
        .filter_map(|(_, op)| request_schema(doc, op))
        .flat_map(|s| {
            shape::properties(doc, &s)
                .into_iter()
                .map(|(n, _)| n)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Where the operation's answer carries what it touched.
fn answer_place(doc: &Value, r: &Resources, op: &Operation, role: &Role) -> Place {
    let Some(answer) = answer_schema(doc, op) else {
        return Place::Spec;
    };
    let c = &r.collections[role.collection];
    if role.action == Action::List {
        return match list_place(doc, &answer, &c.name) {
            // A list of something else than what the collection keeps answers as the spec says.
            Some((_, item, _))
                if !shape::properties(doc, &item).is_empty()
                    && c.schema
                        .as_deref()
                        .is_some_and(|s| !same_schema(doc, &item.at, s)) =>
            {
                Place::Spec
            }
            Some((array, _, counts)) => Place::List { array, counts },
            None => Place::Spec,
        };
    }
    let parent_at = c
        .parent
        .as_ref()
        .and_then(|p| r.collections[p.collection].schema.as_deref())
        .and_then(|s| shape::find(doc, &answer, s, 2));
    if let (Some(ptr), Some(_)) = (&parent_at, &c.parent)
        && !matches!(role.action, Action::Act(_))
    {
        return Place::Parent(ptr.clone());
    }
    if let Some(ptr) = c
        .schema
        .as_deref()
        .and_then(|s| shape::find(doc, &answer, s, 2))
    {
        return Place::Item(ptr);
    }
    if matches!(role.action, Action::Delete | Action::Act(_)) || c.schema.is_some() {
        return Place::Spec;
    }
    item_place(doc, &answer, &c.name).map_or(Place::Spec, |(ptr, _)| Place::Item(ptr))
}

/// Where the item's fields are in a request body: JSON:API `data.attributes`, a wrapper
/// named for the resource, or the body itself.
fn request_place(doc: &Value, op: &Operation, c: &Collection) -> String {
    let Some(body) = request_schema(doc, op) else {
        return String::new();
    };
    if let Some(data) = shape::property(doc, &body, "data")
        && shape::property(doc, &data, "attributes").is_some()
    {
        return "/data/attributes".to_owned();
    }
    let props = shape::properties(doc, &body);
    if props.len() == 1 && names::same(&props[0].0, &c.name) && shape::is_object(doc, &props[0].1) {
        return format!("/{}", shape::escape(&props[0].0));
    }
    String::new()
}

/// Where an item sits in an answer: JSON:API `data`, the top level when it has an id, or a
/// wrapper property named for the resource (or the only object property).
fn item_place<'d>(doc: &'d Value, s: &Owned<'d>, name: &str) -> Option<(String, Owned<'d>)> {
    if shape::is_array(s) {
        return None;
    }
    let props = shape::properties(doc, s);
    if let Some((_, data)) = props.iter().find(|(n, _)| n == "data")
        && !shape::is_array(data)
        && shape::property(doc, data, "id").is_some()
    {
        return Some(("/data".to_owned(), data.clone()));
    }
    let objects: Vec<&(String, Owned<'d>)> = props
        .iter()
        .filter(|(_, p)| !shape::is_array(p) && shape::is_object(doc, p))
        .filter(|(_, p)| shape::id_field(doc, p, name).is_some())
        .collect();
    let wrapped = |(n, p): &(String, Owned<'d>)| (format!("/{}", shape::escape(n)), p.clone());
    if let Some(named) = objects.iter().find(|(n, _)| names::same(n, name)) {
        return Some(wrapped(named));
    }
    if shape::id_field(doc, s, name).is_some() {
        return Some((String::new(), s.clone()));
    }
    (objects.len() == 1).then(|| wrapped(objects[0]))
}

/// Where a list sits in an answer: the array, its item schema, and the count fields beside it.
type ListPlace<'d> = (String, Owned<'d>, Vec<(String, String)>);

fn list_place<'d>(doc: &'d Value, s: &Owned<'d>, name: &str) -> Option<ListPlace<'d>> {
    if shape::is_array(s) {
        return shape::items(doc, s).map(|i| (String::new(), i, Vec::new()));
    }
    let props = shape::properties(doc, s);
    let arrays: Vec<&(String, Owned<'d>)> =
        props.iter().filter(|(_, p)| shape::is_array(p)).collect();
    let chosen = arrays
        .iter()
        .find(|(n, _)| names::same(n, name))
        .or_else(|| {
            LIST_NAMES
                .iter()
                .find_map(|l| arrays.iter().find(|(n, _)| names::fold(n) == *l))
        })
        .or_else(|| (arrays.len() == 1).then(|| &arrays[0]))?;
    let items = shape::items(doc, &chosen.1)?;
    let mut counts: Vec<(String, String)> = props
        .iter()
        .filter(|(n, _)| COUNTS.contains(&names::fold(n).as_str()))
        .map(|(n, _)| (names::fold(n), format!("/{}", shape::escape(n))))
        .collect();
    // JSON:API and paginated APIs keep their counts one level down (`meta.count`).
    for (holder, h) in props
        .iter()
        .filter(|(n, _)| ["meta", "pagination", "pageinfo"].contains(&names::fold(n).as_str()))
    {
        for (n, _) in shape::properties(doc, h) {
            if COUNTS.contains(&names::fold(&n).as_str()) {
                counts.push((
                    names::fold(&n),
                    format!("/{}/{}", shape::escape(holder), shape::escape(&n)),
                ));
            }
        }
    }
    Some((format!("/{}", shape::escape(&chosen.0)), items, counts))
}

/// Operations that answer a list of a collection's items without a path of their own
/// (`POST /account/list-address` answering addresses): the same schema is the same resource.
fn lists_by_schema(doc: &Value, api: &Api, r: &mut Resources) {
    for (i, op) in api.operations.iter().enumerate() {
        if r.roles[i].is_some()
            || op
                .parameters
                .iter()
                .any(|p| p.location == ParamLocation::Path)
        {
            continue;
        }
        // Only what is named a listing lists everything: `/products/featured` is a subset.
        let named = last_literal(&op.path)
            .map(names::fold)
            .is_some_and(|n| n.contains("list") || n.contains("search"));
        if !named {
            continue;
        }
        let Some(answer) = answer_schema(doc, op) else {
            continue;
        };
        let Some(c) = r.collections.iter().position(|c| {
            c.parent.is_none()
                && c.schema.as_deref().is_some_and(|s| {
                    list_place(doc, &answer, &c.name)
                        .is_some_and(|(_, item, _)| same_schema(doc, &item.at, s))
                })
        }) else {
            continue;
        };
        let Some((array, _, counts)) = list_place(doc, &answer, &r.collections[c].name) else {
            continue;
        };
        r.roles[i] = Some(Role {
            collection: c,
            action: Action::List,
            answer: Place::List { array, counts },
            request: String::new(),
            id_at: None,
            location: false,
            corrected: false,
        });
    }
}

/// Whether two schemas are one resource: the same pointer, or one is an `allOf` that
/// extends the other by `$ref` (`allOf: [CustomerAddress, CustomerAddressRead]`).
fn same_schema(doc: &Value, a: &str, b: &str) -> bool {
    let extends = |x: &str, y: &str| {
        doc.pointer(x)
            .and_then(|v| v.get("allOf"))
            .and_then(Value::as_array)
            .is_some_and(|all| {
                all.iter().any(|br| {
                    br.get("$ref").and_then(Value::as_str) == Some(format!("#{y}").as_str())
                })
            })
    };
    a == b || extends(a, b) || extends(b, a)
}

/// The new id's place in a create's answer, from a link to the item's read:
/// `parameters: {id: $response.body#/cart/id}`.
fn linked_id(doc: &Value, api: &Api, op: &Operation, c: &Collection) -> Option<String> {
    let param = c.param.as_deref()?;
    let item_path = c.item_path.as_deref()?;
    let (status, _) = success_key(op)?;
    let links_at = format!("{}/responses/{status}/links", op.pointer);
    let links = shape::at(doc, &links_at)?;
    for (name, link) in links.v.as_object()? {
        let link = shape::resolve(doc, link, format!("{links_at}/{}", shape::escape(name)));
        let target = link
            .v
            .get("operationId")
            .and_then(Value::as_str)
            .and_then(|id| api.operation(id));
        if target.is_some_and(|t| t.path != item_path) {
            continue;
        }
        let expr = link
            .v
            .pointer(&format!("/parameters/{}", shape::escape(param)));
        if let Some(ptr) = expr
            .and_then(Value::as_str)
            .and_then(|e| e.strip_prefix("$response.body#"))
        {
            return Some(ptr.to_owned());
        }
    }
    None
}

/// Headers (and cookies) that answers return and requests send back under the same name.
fn carriers(doc: &Value, api: &Api) -> Vec<SessionCarrier> {
    let mut accepted: Vec<(String, bool)> = Vec::new();
    for op in &api.operations {
        for p in &op.parameters {
            match p.location {
                ParamLocation::Header => accepted.push((p.name.clone(), false)),
                ParamLocation::Cookie => accepted.push((p.name.clone(), true)),
                _ => {}
            }
        }
    }
    for (_, s) in &api.security_schemes {
        match &s.kind {
            SchemeKind::ApiKeyHeader(name) => accepted.push((name.clone(), false)),
            SchemeKind::ApiKeyCookie(name) => accepted.push((name.clone(), true)),
            _ => {}
        }
    }
    let mut out: Vec<SessionCarrier> = Vec::new();
    let mut add = |returned: String, header: &str, cookie: bool| {
        if !out.iter().any(|c| c.header.eq_ignore_ascii_case(header)) {
            out.push(SessionCarrier {
                returned,
                header: header.to_owned(),
                cookie,
            });
        }
    };
    for op in &api.operations {
        for resp in &op.responses {
            for h in &resp.headers {
                if let Some((name, cookie)) = accepted
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(&h.name))
                {
                    add(format!("header {}", h.name), name, *cookie);
                }
            }
        }
    }
    for op in &api.operations {
        let Some(answer) = answer_schema(doc, op) else {
            continue;
        };
        for (prop, _) in shape::properties(doc, &answer) {
            let folded = names::fold(&prop);
            if !folded.contains("token") {
                continue;
            }
            if let Some((name, cookie)) = accepted.iter().find(|(a, _)| {
                let a = names::fold(a);
                a == folded || (a.ends_with(&folded) && folded.len() >= 5)
            }) {
                add(format!("body /{}", shape::escape(&prop)), name, *cookie);
            }
        }
    }
    out
}

/// Whether an answer holds a list.
fn lists_something(api: &Api, op: &Operation) -> bool {
    let doc = api.document.as_ref();
    let name = last_literal(&op.path).unwrap_or_default();
    answer_schema(doc, op).is_some_and(|a| list_place(doc, &a, name).is_some())
}

/// Whether a POST answers a list as a search does: the list is the answer itself or under
/// a generic name (`elements`), not the parent's array named for the resource (an add to
/// `/baskets/{id}/productItems` that answers the basket with its `productItems`).
fn searches(api: &Api, op: &Operation) -> bool {
    let doc = api.document.as_ref();
    let name = last_literal(&op.path).unwrap_or_default();
    answer_schema(doc, op)
        .and_then(|a| list_place(doc, &a, name))
        .is_some_and(|(array, _, _)| {
            !array
                .rsplit('/')
                .next()
                .is_some_and(|n| names::same(n, name))
        })
}

/// Whether an answer holds an item with an id.
fn answers_item(api: &Api, op: &Operation) -> bool {
    let doc = api.document.as_ref();
    let name = last_literal(&op.path).unwrap_or_default();
    answer_schema(doc, op).is_some_and(|a| item_place(doc, &a, name).is_some())
}

/// The lowest declared 2xx response and its key.
fn success_key(op: &Operation) -> Option<(u16, &crate::Response)> {
    op.responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(c) if (200..300).contains(&c) => Some((c, r)),
            _ => None,
        })
        .min_by_key(|(c, _)| *c)
}

fn success(op: &Operation) -> Option<&crate::Response> {
    success_key(op).map(|(_, r)| r)
}

/// The JSON schema of the operation's success answer, resolved.
fn answer_schema<'d>(doc: &'d Value, op: &Operation) -> Option<Owned<'d>> {
    let resp = success(op)?;
    let media = resp
        .content
        .iter()
        .find(|m| m.media_type.contains("json"))
        .or_else(|| resp.content.first())?;
    shape::at(doc, &media.schema.as_ref()?.pointer)
}

/// The JSON schema of the operation's request body, resolved.
pub(super) fn request_schema<'d>(doc: &'d Value, op: &Operation) -> Option<Owned<'d>> {
    let media = op
        .body
        .as_ref()?
        .content
        .iter()
        .find(|m| m.media_type.contains("json"))?;
    shape::at(doc, &media.schema.as_ref()?.pointer)
}

/// Whether two templates route alike, whatever their parameters are called
/// (`/carts/{id}` and `/carts/{cart_id}` name one item).
fn same_template(a: &str, b: &str) -> bool {
    let shape = |p: &str| -> Vec<String> {
        p.split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    "{}".to_owned()
                } else {
                    seg.to_owned()
                }
            })
            .collect()
    };
    shape(a) == shape(b)
}

/// The path without its last segment, and that segment.
fn split_last(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit_once('/')
}

/// The last segment's parameter name, if the last segment is one whole parameter.
fn last_param(path: &str) -> Option<&str> {
    let (_, last) = split_last(path)?;
    last.strip_prefix('{')?.strip_suffix('}')
}

/// The last segment, if it is a literal.
fn last_literal(path: &str) -> Option<&str> {
    let (_, last) = split_last(path)?;
    (!last.contains('{') && !last.is_empty()).then_some(last)
}
