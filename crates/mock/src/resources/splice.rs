//! An answer made of the spec's body with stored items in place, serialized without copying
//! them: stored items are shared (`Arc`), so a read of a large cart writes its bytes
//! straight from the store, after the state lock is released.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use super::store::Stored;

/// What goes in a place of the answer.
pub(super) enum Part {
    /// One stored item.
    One(Arc<Stored>),
    /// A list of stored items.
    Many(Vec<Arc<Stored>>),
}

/// The spec's body and the stored items that replace some of its nodes.
#[derive(Default)]
pub(super) struct Answer {
    /// The body made from the spec (example or generated), counts and ids patched in:
    /// shared with the body cache until something is patched in ([`Answer::body_mut`]), so
    /// a read whose whole answer is a stored item copies nothing.
    pub body: Arc<Value>,
    /// JSON pointers (unescaped, split) to replace, and what replaces them.
    splices: Vec<(Vec<String>, Part)>,
}

impl Answer {
    /// An answer starting from the spec's body.
    pub(super) fn new(body: Arc<Value>) -> Self {
        Answer {
            body,
            splices: Vec::new(),
        }
    }

    /// The body to patch, copied first if the body cache still shares it.
    pub(super) fn body_mut(&mut self) -> &mut Value {
        Arc::make_mut(&mut self.body)
    }

    /// Puts a stored item (or list) at `at` when the body has that place; `""` is the body.
    pub(super) fn splice(&mut self, at: &str, part: Part) {
        if self.body.pointer(at).is_none() {
            return;
        }
        // `at` named a place of the body just above, so it is a pointer.
        let path = cartwright_source::pointer::tokens(at).unwrap_or_default();
        self.splices.retain(|(p, _)| *p != path);
        self.splices.push((path, part));
    }

    /// The answer's bytes.
    pub(super) fn to_vec(&self) -> Vec<u8> {
        let root = Node {
            value: &self.body,
            path: Vec::new(),
            splices: &self.splices,
        };
        serde_json::to_vec(&root).unwrap_or_default()
    }
}

/// A node of the body being written, with where it is.
struct Node<'a> {
    value: &'a Value,
    path: Vec<&'a str>,
    splices: &'a [(Vec<String>, Part)],
}

impl Node<'_> {
    fn child<'a>(&'a self, key: &'a str, value: &'a Value) -> Node<'a> {
        let mut path = self.path.clone();
        path.push(key);
        Node {
            value,
            path,
            splices: self.splices,
        }
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let here = |p: &Vec<String>| {
            p.len() == self.path.len() && p.iter().zip(&self.path).all(|(a, b)| a == b)
        };
        if let Some((_, part)) = self.splices.iter().find(|(p, _)| here(p)) {
            return match part {
                Part::One(v) => v.text().serialize(s),
                Part::Many(list) => {
                    let mut seq = s.serialize_seq(Some(list.len()))?;
                    for v in list {
                        seq.serialize_element(v.text())?;
                    }
                    seq.end()
                }
            };
        }
        let below = self.splices.iter().any(|(p, _)| {
            p.len() > self.path.len() && p.iter().zip(&self.path).all(|(a, b)| a == b)
        });
        if !below {
            return self.value.serialize(s);
        }
        match self.value {
            Value::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, &self.child(k, v))?;
                }
                m.end()
            }
            Value::Array(items) => {
                let keys: Vec<String> = (0..items.len()).map(|i| i.to_string()).collect();
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for (k, v) in keys.iter().zip(items) {
                    seq.serialize_element(&self.child(k, v))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stored(v: Value) -> Arc<Stored> {
        Arc::new(Stored::new(v))
    }

    #[test]
    fn stored_items_replace_their_places_and_nothing_else() {
        let mut a = Answer::new(Arc::new(
            json!({"cart": {"id": "x"}, "n": 1, "list": [0], "a/b": {}}),
        ));
        a.splice(
            "/cart",
            Part::One(stored(json!({"id": "c1", "items": [1, 2]}))),
        );
        a.splice(
            "/list",
            Part::Many(vec![stored(json!(7)), stored(json!(8))]),
        );
        a.splice("/a~1b", Part::One(stored(json!("slash"))));
        a.splice("/missing", Part::One(stored(json!(0))));
        let out: Value = serde_json::from_slice(&a.to_vec()).expect("JSON");
        assert_eq!(
            out,
            json!({"cart": {"id": "c1", "items": [1, 2]}, "n": 1, "list": [7, 8], "a/b": "slash"})
        );
        let mut whole = Answer::new(Arc::new(json!({"id": "x"})));
        whole.splice("", Part::One(stored(json!({"id": "y"}))));
        assert_eq!(whole.to_vec(), br#"{"id":"y"}"#);
    }
}
