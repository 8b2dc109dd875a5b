//! Items of inferred collections, kept in insertion order so a list answers in the order
//! things were made, bounded like every other store.

use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value;

/// The most items one collection keeps; the oldest are forgotten first. Items can be large
/// (a cart with its lines), so fewer than the sessions' 10,000.
pub(super) const ITEMS_MAX: usize = 1_000;
/// The most elements a parent's array keeps for a sub-resource (lines in one cart).
pub(super) const ELEMENTS_MAX: usize = 1_000;

/// One collection's items by id.
#[derive(Default)]
pub(crate) struct Items {
    /// Items by id, oldest first; shared with the answers being written from them.
    pub map: IndexMap<String, Arc<Value>>,
    /// Whether a collection no operation creates in has been filled with generated items.
    pub seeded: bool,
    /// How many ids were handed out (integer ids count up from it).
    pub next: u64,
    /// A sub-resource's new element before the request's fields: generated once (the
    /// generator is deterministic), then copied.
    pub template: Option<Value>,
}

impl Items {
    /// Keeps an item under its id, forgetting the oldest beyond the bound.
    pub(crate) fn put(&mut self, id: String, item: Value) {
        self.map.insert(id, Arc::new(item));
        while self.map.len() > ITEMS_MAX {
            self.map.shift_remove_index(0);
        }
    }
}

/// The text form of an id value (`7` and `"7"` address the same item in a path).
pub(super) fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
