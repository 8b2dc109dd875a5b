//! A stored item's JSON text, byte for byte what `serde_json::to_vec` writes for it, with
//! where each of its top-level arrays closes: an element appended to such an array (a line
//! added to a cart) is spliced into the text before that bracket, instead of the whole item
//! being written again.

use serde_json::Value;

/// An item's JSON text and the ends of its top-level arrays.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    bytes: Vec<u8>,
    /// Each top-level array member's name and the offset of its closing `]` in `bytes`.
    ends: Vec<(String, usize)>,
}

impl Text {
    /// Writes the item, compact as serde_json writes it.
    pub(crate) fn write(value: &Value) -> Text {
        let Value::Object(map) = value else {
            let mut bytes = Vec::new();
            json(&mut bytes, value);
            return Text {
                bytes,
                ends: Vec::new(),
            };
        };
        let mut bytes = Vec::with_capacity(1024);
        let mut ends = Vec::new();
        bytes.push(b'{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            json(&mut bytes, k);
            bytes.push(b':');
            json(&mut bytes, v);
            if v.is_array() {
                ends.push((k.clone(), bytes.len() - 1));
            }
        }
        bytes.push(b'}');
        Text { bytes, ends }
    }

    /// The JSON text.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Splices `element` in as the last element of the top-level array `array`; false (the
    /// text unchanged) when the text has no such array.
    pub(crate) fn append(&mut self, array: &str, element: &Value) -> bool {
        let Some(end) = self.ends.iter().find(|(k, _)| k == array).map(|(_, e)| *e) else {
            return false;
        };
        let mut piece = Vec::with_capacity(512);
        // `[` right before the close is an empty array: nothing to separate from.
        if end == 0 || self.bytes[end - 1] != b'[' {
            piece.push(b',');
        }
        json(&mut piece, element);
        let (grown, len) = (piece.len(), self.bytes.len());
        // Room at the end, the tail moved up once, the element copied into the gap.
        self.bytes.resize(len + grown, 0);
        self.bytes.copy_within(end..len, end + grown);
        self.bytes[end..end + grown].copy_from_slice(&piece);
        for (_, e) in &mut self.ends {
            if *e >= end {
                *e += grown;
            }
        }
        true
    }
}

/// Appends `v`'s compact JSON to `out`; writing a value into a `Vec` cannot fail.
pub(super) fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let _written = serde_json::to_writer(out, v);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_text_is_serde_jsons_and_an_appended_element_lands_in_its_array() {
        let mut v = json!({"id": "c\"1", "items": [], "n": 1.5, "tags": ["a"], "m": {"x": [1]}});
        let mut text = Text::write(&v);
        assert_eq!(text.bytes(), serde_json::to_vec(&v).expect("json"));
        for (array, element) in [
            ("items", json!({"id": "l1", "q": [1, 2]})),
            ("items", json!({"id": "l2", "s": "]["})),
            ("tags", json!("b")),
            ("items", json!([])),
        ] {
            assert!(text.append(array, &element));
            v[array].as_array_mut().expect("array").push(element);
            assert_eq!(
                String::from_utf8_lossy(text.bytes()),
                String::from_utf8_lossy(&serde_json::to_vec(&v).expect("json"))
            );
        }
        assert!(!text.append("m", &json!(1)), "not an array");
        assert!(!text.append("x", &json!(1)), "not at the top");
        assert!(!text.append("missing", &json!(1)));
    }
}
