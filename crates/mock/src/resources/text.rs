//! A stored item's JSON text, byte for byte what `serde_json::to_vec` writes for it, with
//! where each of its top-level arrays closes: an element appended to such an array (a line
//! added to a cart) is spliced into the text before that bracket, instead of the whole item
//! being written again.
//!
//! The text sits in a shared buffer between the frame of the answer that first wrote it
//! (`{"cart":` and `}`): an answer with that frame is the buffer itself, handed to the
//! connection without a copy, however large the cart.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;

use crate::json_text;

/// An item's JSON text in its frame, and the ends of its top-level arrays.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    /// The frame's opening, the text, the frame's closing; shared with answers being sent.
    buf: Arc<Vec<u8>>,
    /// Where the text starts and ends in `buf`.
    start: usize,
    end: usize,
    /// Each top-level array member's name and the offset of its closing `]` in `buf`.
    ends: Vec<(String, usize)>,
}

/// The buffer as a `Bytes` owner: answers share it instead of copying it.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Text {
    /// Writes the item, compact as serde_json writes it, between `open` and `close`.
    pub(crate) fn framed(value: &Value, open: &[u8], close: &[u8]) -> Text {
        let mut bytes = Vec::with_capacity(open.len() + 1024 + close.len());
        bytes.extend_from_slice(open);
        let start = bytes.len();
        let mut ends = Vec::new();
        if let Value::Object(map) = value {
            bytes.push(b'{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    bytes.push(b',');
                }
                json_text::string(k, &mut bytes);
                bytes.push(b':');
                json_text::value(v, &mut bytes);
                if v.is_array() {
                    ends.push((k.clone(), bytes.len() - 1));
                }
            }
            bytes.push(b'}');
        } else {
            json_text::value(value, &mut bytes);
        }
        let end = bytes.len();
        bytes.extend_from_slice(close);
        Text {
            buf: Arc::new(bytes),
            start,
            end,
            ends,
        }
    }

    /// The JSON text.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// The text between `open` and `close`: the shared buffer when that is its frame, else
    /// a copy.
    pub(crate) fn answer(&self, open: &[u8], close: &[u8]) -> Bytes {
        if &self.buf[..self.start] == open && &self.buf[self.end..] == close {
            return Bytes::from_owner(Shared(Arc::clone(&self.buf)));
        }
        let mut out = Vec::with_capacity(open.len() + self.end - self.start + close.len());
        out.extend_from_slice(open);
        out.extend_from_slice(self.bytes());
        out.extend_from_slice(close);
        out.into()
    }

    /// Splices `element` in as the last element of the top-level array `array`; false (the
    /// text unchanged) when the text has no such array.
    pub(crate) fn append(&mut self, array: &str, element: &Value) -> bool {
        let mut written = Vec::with_capacity(512);
        json_text::value(element, &mut written);
        self.append_text(array, &written)
    }

    /// Splices an element already written as JSON (`written`, as serde_json writes it) in as
    /// the last element of the top-level array `array`; false when there is no such array.
    pub(crate) fn append_text(&mut self, array: &str, written: &[u8]) -> bool {
        let Some(end) = self.ends.iter().find(|(k, _)| k == array).map(|(_, e)| *e) else {
            return false;
        };
        // `[` right before the close is an empty array: nothing to separate from.
        let comma = usize::from(end != 0 && self.buf[end - 1] != b'[');
        let (grown, len) = (comma + written.len(), self.buf.len());
        // An answer still being sent keeps the old buffer; this one gets a copy with room.
        if Arc::get_mut(&mut self.buf).is_none() {
            let mut copy = Vec::with_capacity(2 * (len + grown));
            copy.extend_from_slice(&self.buf);
            self.buf = Arc::new(copy);
        }
        // Unique now: no copy is made here.
        let bytes = Arc::make_mut(&mut self.buf);
        // Room at the end, the tail moved up once, the element copied into the gap.
        bytes.resize(len + grown, 0);
        bytes.copy_within(end..len, end + grown);
        if comma == 1 {
            bytes[end] = b',';
        }
        bytes[end + comma..end + grown].copy_from_slice(written);
        for (_, e) in &mut self.ends {
            if *e >= end {
                *e += grown;
            }
        }
        self.end += grown;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_text_is_serde_jsons_and_an_appended_element_lands_in_its_array() {
        let mut v = json!({"id": "c\"1", "items": [], "n": 1.5, "tags": ["a"], "m": {"x": [1]}});
        let (open, close) = (&b"{\"cart\":"[..], &b"}"[..]);
        let mut text = Text::framed(&v, open, close);
        assert_eq!(text.bytes(), serde_json::to_vec(&v).expect("json"));
        for (array, element) in [
            ("items", json!({"id": "l1", "q": [1, 2]})),
            ("items", json!({"id": "l2", "s": "]["})),
            ("tags", json!("b")),
            ("items", json!([])),
        ] {
            // An answer taken before the append is sent as it was.
            let before = text.answer(open, close);
            let sent = before.to_vec();
            assert!(text.append(array, &element));
            assert_eq!(before, sent, "an answer being sent is not changed");
            v[array].as_array_mut().expect("array").push(element);
            let written = serde_json::to_vec(&v).expect("json");
            assert_eq!(
                String::from_utf8_lossy(text.bytes()),
                String::from_utf8_lossy(&written)
            );
            let whole = serde_json::to_vec(&json!({"cart": v})).expect("json");
            assert_eq!(text.answer(open, close), whole);
            assert_eq!(text.answer(b"", b""), written, "another frame is a copy");
        }
        assert!(!text.append("m", &json!(1)), "not an array");
        assert!(!text.append("x", &json!(1)), "not at the top");
        assert!(!text.append("missing", &json!(1)));
    }

    #[test]
    fn an_answer_in_the_texts_frame_is_its_buffer() {
        let text = Text::framed(&json!({"a": [1]}), b"[", b"]");
        let shared = text.answer(b"[", b"]");
        assert_eq!(shared, &b"[{\"a\":[1]}]"[..]);
        assert_eq!(shared.as_ptr(), text.buf.as_ptr(), "no copy");
        let copied = text.answer(b"", b"");
        assert_ne!(copied.as_ptr(), text.buf.as_ptr());
    }
}
