//! Items of inferred collections, kept in insertion order so a list answers in the order
//! things were made, bounded like every other store.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use indexmap::IndexMap;
use serde_json::Value;
use serde_json::value::RawValue;

/// The most items one collection keeps; the oldest are forgotten first. Items can be large
/// (a cart with its lines), so fewer than the sessions' 10,000.
pub(super) const ITEMS_MAX: usize = 1_000;
/// The most elements a parent's array keeps for a sub-resource (lines in one cart).
pub(super) const ELEMENTS_MAX: usize = 1_000;

/// One collection's items by id.
#[derive(Default)]
pub(crate) struct Items {
    /// Items by id, oldest first; shared with the answers being written from them.
    pub map: IndexMap<String, Arc<Stored>>,
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
        self.map.insert(id, Arc::new(Stored::new(item)));
        while self.map.len() > ITEMS_MAX {
            self.map.shift_remove_index(0);
        }
    }
}

/// A stored item with its JSON text, written by the first answer that needs it and kept
/// until the item changes: a cart read again, or read after the write that answered with
/// it, is copied out as bytes rather than serialized again (carts run to tens of kilobytes).
#[derive(Debug)]
pub(crate) struct Stored {
    value: Value,
    text: OnceLock<Box<RawValue>>,
}

impl Stored {
    /// An item whose text is not written yet.
    pub(crate) fn new(value: Value) -> Stored {
        Stored {
            value,
            text: OnceLock::new(),
        }
    }

    /// The item to change; its text is forgotten, so no answer shows the old one.
    pub(crate) fn value_mut(&mut self) -> &mut Value {
        self.text = OnceLock::new();
        &mut self.value
    }

    /// The item's JSON text.
    pub(crate) fn text(&self) -> &RawValue {
        self.text.get_or_init(|| {
            // Written, not parsed again: `to_raw_value` trusts serde_json's own output.
            // A `Value` always writes; the default (`null`) is never seen.
            serde_json::value::to_raw_value(&self.value).unwrap_or_default()
        })
    }
}

impl Clone for Stored {
    /// A copy is made only to be changed (copy-on-write), so it starts without text.
    fn clone(&self) -> Self {
        Stored::new(self.value.clone())
    }
}

impl Deref for Stored {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.value
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
