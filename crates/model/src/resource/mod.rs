//! Resources inferred from a spec alone: collections and their items, sub-resources and the
//! parent arrays they live in, actions on items, where an answer carries the item or the
//! list, and session carriers the spec both returns and accepts back.
//!
//! The mock keeps state by this map when no `x-cartwright` behaviour is bound, and prints it
//! (`cartwright lint --resources`) so a wrong guess can be seen and corrected with
//! `x-cartwright-resource` on the operation. Inference reads only what every real spec
//! carries: path templates, methods, response and request schemas (a shared `$ref` is a
//! shared resource), `Location` headers and OpenAPI links. Nothing here knows a vendor.

mod append;
mod infer;
mod names;
mod overrides;
mod print;
mod shape;

pub use names::{fold, key as name_key, same as same_name};

/// Everything inferred about one API's resources.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Resources {
    /// The collections, parents before their sub-resources.
    pub collections: Vec<Collection>,
    /// Per operation (by index in `Api::operations`): what it does, if anything.
    pub roles: Vec<Option<Role>>,
    /// Values the spec both returns and accepts back.
    pub carriers: Vec<SessionCarrier>,
    /// `x-cartwright-resource` corrections that could not be applied: pointer and why.
    pub problems: Vec<(String, String)>,
}

/// A collection of items addressed by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// Its name: the collection path's last segment (`carts`, `line-items`).
    pub name: String,
    /// The collection's path template (`/store/carts`).
    pub path: String,
    /// The item path template (`/store/carts/{id}`), when the spec has one.
    pub item_path: Option<String>,
    /// The path parameter naming the item (`id`).
    pub param: Option<String>,
    /// JSON pointer to the item schema in the document, when one is known.
    pub schema: Option<String>,
    /// The item property holding its id.
    pub id: String,
    /// The parent, for a sub-resource.
    pub parent: Option<Parent>,
    /// The item schema's property names: the request fields a create or update writes in
    /// (computed once, so a request only looks them up).
    pub fields: Vec<String>,
}

/// Where a sub-resource lives in its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Parent {
    /// The parent collection's index.
    pub collection: usize,
    /// The path parameter naming the parent item.
    pub param: String,
    /// The parent item's array property that holds the sub-resource's items.
    pub array: String,
    /// JSON pointer to that array's item schema.
    pub items: String,
    /// That item schema compiled as answers are judged (set by the loader, which holds the
    /// compiler): a new element is judged alone against it rather than inside its parent.
    pub schema: Option<crate::Schema>,
    /// Where that item schema judges each member by its property schema alone (nothing but
    /// `properties`, `required` and notes on it), the properties the sub-resource's requests
    /// send, compiled: a changed element is judged by the members it changed (set by the
    /// loader; empty elsewhere).
    pub members: Vec<(String, crate::Schema)>,
}

/// What an operation does to a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Adds an item.
    Create,
    /// Reads one item.
    Read,
    /// Lists the items.
    List,
    /// Changes an item (merged).
    Update,
    /// Removes an item.
    Delete,
    /// Does something to an item (`POST /carts/{id}/complete`): the item must exist.
    Act(String),
}

impl Action {
    /// The word used in the printed map and in overrides.
    pub fn as_str(&self) -> &str {
        match self {
            Action::Create => "create",
            Action::Read => "read",
            Action::List => "list",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Act(name) => name,
        }
    }
}

/// Where the answer's body carries what the operation touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The item at this pointer (`""`, `/cart`, `/data`).
    Item(String),
    /// The parent item at this pointer (a sub-resource operation answering the cart).
    Parent(String),
    /// The items in the array at this pointer, with count fields beside it.
    List {
        /// Pointer to the array.
        array: String,
        /// Pointers to `count`/`total`/`offset`/`limit` fields, by their folded names.
        counts: Vec<(String, String)>,
    },
    /// Nothing stateful: the spec's own answer.
    Spec,
}

/// One operation's part in a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The collection's index.
    pub collection: usize,
    /// What it does.
    pub action: Action,
    /// Where its answer carries the item, parent or list.
    pub answer: Place,
    /// Pointer to the item's fields in the request body (`""`, `/data/attributes`).
    pub request: String,
    /// Pointer to the new id in a create's answer, when an OpenAPI link names it.
    pub id_at: Option<String>,
    /// Whether the answer declares a `Location` header (set to the new item's path).
    pub location: bool,
    /// Whether an `x-cartwright-resource` override set this role.
    pub corrected: bool,
}

/// A value the spec returns and accepts back: a session that needs no binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCarrier {
    /// Where answers return it: `header NAME` or `body /pointer`.
    pub returned: String,
    /// The request header (or cookie) that carries it back.
    pub header: String,
    /// Whether it travels in a cookie rather than a header.
    pub cookie: bool,
}

impl Resources {
    /// Infers the resources of an API from its operations and document.
    pub fn infer(api: &crate::Api) -> Resources {
        let mut r = infer::infer(api);
        overrides::apply(api, &mut r);
        r
    }

    /// The role of the operation at `index`.
    pub fn role(&self, index: usize) -> Option<&Role> {
        self.roles.get(index).and_then(Option::as_ref)
    }

    /// The chain of collections from the top down to `index` (the last is `index`).
    pub fn lineage(&self, index: usize) -> Vec<usize> {
        let mut chain = vec![index];
        let mut at = index;
        while let Some(p) = self.collections.get(at).and_then(|c| c.parent.as_ref()) {
            if chain.contains(&p.collection) {
                break;
            }
            chain.push(p.collection);
            at = p.collection;
        }
        chain.reverse();
        chain
    }

    /// Whether any collection has an operation that creates its items.
    pub fn creates(&self, collection: usize) -> bool {
        self.roles
            .iter()
            .flatten()
            .any(|r| r.collection == collection && r.action == Action::Create)
    }

    /// The printed map, with the operations' signatures.
    pub fn render(&self, api: &crate::Api) -> String {
        print::render(self, api)
    }
}

/// The property names of the schema at `pointer` (through `$ref` and `allOf`).
pub fn fields(doc: &serde_json::Value, pointer: &str) -> Vec<String> {
    shape::at(doc, pointer)
        .map(|s| {
            shape::properties(doc, &s)
                .into_iter()
                .map(|(n, _)| n)
                .collect()
        })
        .unwrap_or_default()
}

/// The schema of the property `name` of the schema at `pointer`, resolved.
pub fn field_schema<'d>(
    doc: &'d serde_json::Value,
    pointer: &str,
    name: &str,
) -> Option<&'d serde_json::Value> {
    let s = shape::at(doc, pointer)?;
    shape::property(doc, &s, name).map(|p| p.v)
}
