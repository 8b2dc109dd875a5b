//! An answer made of the spec's body with stored items in place, written without copying
//! them: stored items are shared (`Arc`), so a read of a large cart copies its kept text
//! straight from the store, after the items' lock is released.

use std::sync::Arc;

use bytes::Bytes;
use cartwright_source::pointer::push;
use serde_json::Value;

use super::store::Stored;
use crate::json_text;

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
    /// JSON pointers to replace, as the role names them (never split: the writer builds
    /// the pointer of where it is and compares texts), and what replaces them.
    splices: Vec<(String, Part)>,
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
        self.splices.retain(|(p, _)| p != at);
        self.splices.push((at.to_owned(), part));
    }

    /// The answer's bytes: the body as serde_json writes it, with the stored items' texts
    /// in where they go. One stored item in the answer (a cart read, a line added) is
    /// answered from its kept buffer, the body around it written as its frame.
    pub(super) fn to_bytes(&self) -> Bytes {
        if let [(_, Part::One(item))] = self.splices.as_slice() {
            let mut frame = Vec::with_capacity(256);
            let mut hole = None;
            self.write(&self.body, &mut String::new(), &mut frame, Some(&mut hole));
            if let Some(at) = hole {
                return item.answer(&frame[..at], &frame[at..]);
            }
        }
        let texts: usize = self.splices.iter().map(|(_, part)| part.size()).sum();
        let mut out = Vec::with_capacity(texts + 1024);
        self.write(&self.body, &mut String::new(), &mut out, None);
        out.into()
    }

    /// Writes `value`, found at `path` (a pointer) in the body, or what replaces it. Given
    /// a `hole`, one stored item is left out: where it goes is put there instead.
    fn write(
        &self,
        value: &Value,
        path: &mut String,
        out: &mut Vec<u8>,
        mut hole: Option<&mut Option<usize>>,
    ) {
        if let Some((_, part)) = self.splices.iter().find(|(p, _)| p == path) {
            match (part, hole) {
                (Part::One(_), Some(hole)) => *hole = Some(out.len()),
                (Part::One(v), None) => out.extend_from_slice(v.text()),
                (Part::Many(list), _) => {
                    out.push(b'[');
                    for (i, v) in list.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        out.extend_from_slice(v.text());
                    }
                    out.push(b']');
                }
            }
            return;
        }
        let below = self.splices.iter().any(|(p, _)| {
            p.len() > path.len() && p.starts_with(path.as_str()) && p.as_bytes()[path.len()] == b'/'
        });
        if !below {
            json_text::value(value, out);
            return;
        }
        match value {
            Value::Object(map) => {
                out.push(b'{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_text::string(k, out);
                    out.push(b':');
                    let len = path.len();
                    push(path, k);
                    self.write(v, path, out, hole.as_deref_mut());
                    path.truncate(len);
                }
                out.push(b'}');
            }
            Value::Array(items) => {
                out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let len = path.len();
                    push(path, &i.to_string());
                    self.write(v, path, out, hole.as_deref_mut());
                    path.truncate(len);
                }
                out.push(b']');
            }
            other => json_text::value(other, out),
        }
    }
}

impl Part {
    /// The bytes its texts take (written here if not yet).
    fn size(&self) -> usize {
        match self {
            Part::One(v) => v.text().len(),
            Part::Many(list) => list.iter().map(|v| v.text().len() + 1).sum(),
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
        let out: Value = serde_json::from_slice(&a.to_bytes()).expect("JSON");
        assert_eq!(
            out,
            json!({"cart": {"id": "c1", "items": [1, 2]}, "n": 1, "list": [7, 8], "a/b": "slash"})
        );
        let mut whole = Answer::new(Arc::new(json!({"id": "x"})));
        whole.splice("", Part::One(stored(json!({"id": "y"}))));
        assert_eq!(whole.to_bytes(), &br#"{"id":"y"}"#[..]);
    }
}
