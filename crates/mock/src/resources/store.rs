//! Items of inferred collections, kept in insertion order so a list answers in the order
//! things were made, bounded like every other store.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use indexmap::IndexMap;
use serde_json::Value;

use super::guard::Walks;
use super::template::Template;
use super::text::Text;

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
    /// A sub-resource's new element before the request's fields: made once, then copied.
    pub template: Option<Arc<Template>>,
    /// Whether a sub-resource's operations judge a changed element alone, per answer schema.
    pub walks: Walks,
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
/// A line appended to a cart keeps the text too, the line spliced in ([`Stored::appended`]).
#[derive(Debug)]
pub(crate) struct Stored {
    value: Value,
    text: OnceLock<Text>,
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
    pub(crate) fn text(&self) -> &[u8] {
        (self
            .text
            .get_or_init(|| Text::framed(&self.value, b"", b"")))
        .bytes()
    }

    /// The item's JSON text between `open` and `close`: the kept buffer itself when the
    /// text was first written in that frame (every answer of one operation is), so a
    /// large cart is answered without a copy.
    pub(crate) fn answer(&self, open: &[u8], close: &[u8]) -> Bytes {
        (self
            .text
            .get_or_init(|| Text::framed(&self.value, open, close)))
        .answer(open, close)
    }

    /// The item's text as written so far, taken before a change that may only append to
    /// one of its arrays: moved out when the item is not shared, else copied.
    pub(crate) fn kept(stored: &mut Arc<Stored>) -> Option<Text> {
        match Arc::get_mut(stored) {
            Some(own) => own.text.take(),
            None => stored.text.get().cloned(),
        }
    }

    /// After the one change since `kept` was taken, an element pushed onto the array
    /// `array`: the text is `kept` with that element spliced in, not written again. `written`
    /// is the element's JSON text when the caller has it already.
    pub(crate) fn appended(&mut self, array: &str, kept: Option<Text>, written: Option<&[u8]>) {
        let last = self
            .value
            .get(array)
            .and_then(Value::as_array)
            .and_then(|a| a.last());
        let (Some(mut text), Some(last)) = (kept, last) else {
            return;
        };
        let spliced = match written {
            Some(written) => text.append_text(array, written),
            None => text.append(array, last),
        };
        if spliced {
            debug_assert_eq!(text.bytes(), Text::framed(&self.value, b"", b"").bytes());
            self.text = OnceLock::from(text);
        }
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
