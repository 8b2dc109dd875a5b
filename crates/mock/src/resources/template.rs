//! A sub-resource's new element before the request's fields (a Medusa cart line, which
//! carries a whole generated product and variant), made once per collection with its JSON
//! text cut into members: a new element copies the members the request left alone from that
//! text and writes only the ones it set, instead of writing kilobytes again on every add.

use serde_json::{Map, Value};

use crate::json_text;

/// How a sub-resource's new element starts, found once per collection.
pub(crate) struct Template {
    /// The items schema's value, generated (the generator is deterministic).
    pub value: Value,
    /// The schema of the element's id property, which fresh ids are shaped by.
    pub id_schema: Option<Value>,
    /// `value`'s compact JSON text, as serde_json writes it.
    text: Vec<u8>,
    /// Each top-level member's name and where its `"name":value` lies in `text`, in order.
    members: Vec<(String, std::ops::Range<usize>)>,
}

impl Template {
    /// A template of `value`, its text written once.
    pub(crate) fn new(value: Value, id_schema: Option<Value>) -> Template {
        let mut text = Vec::with_capacity(1024);
        let mut members = Vec::new();
        if let Value::Object(map) = &value {
            text.push(b'{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                let start = text.len();
                member(&mut text, k, v);
                members.push((k.clone(), start..text.len()));
            }
            text.push(b'}');
        } else {
            json_text::value(&value, &mut text);
        }
        Template {
            value,
            id_schema,
            text,
            members,
        }
    }

    /// The JSON text of `element`, an object made from this template's value with only the
    /// members named in `set` changed, added or removed: those are written, every other
    /// member is copied from the template's text (it is still the template's value).
    pub(crate) fn write(&self, element: &Map<String, Value>, set: &[&str]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 64);
        out.push(b'{');
        // Members the request left alone keep the template's order: look from the last one.
        let mut next = 0;
        for (i, (k, v)) in element.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let found = (!set.contains(&k.as_str()))
                .then(|| self.find(k, next))
                .flatten();
            match found {
                Some(j) => {
                    out.extend_from_slice(&self.text[self.members[j].1.clone()]);
                    next = j + 1;
                }
                None => member(&mut out, k, v),
            }
        }
        out.push(b'}');
        out
    }

    /// The index of member `k`, looked for at `from` first.
    fn find(&self, k: &str, from: usize) -> Option<usize> {
        match self.members.get(from) {
            Some((name, _)) if name == k => Some(from),
            _ => self.members.iter().position(|(name, _)| name == k),
        }
    }
}

/// Writes one object member, `"k":v`.
fn member(out: &mut Vec<u8>, k: &str, v: &Value) {
    json_text::string(k, out);
    out.push(b':');
    json_text::value(v, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_element_is_written_as_serde_json_writes_it_whatever_was_set() {
        let value = json!({"id": "x", "q": 1, "product": {"v": [1, "a\"b"]}, "cart": {}});
        let template = Template::new(value.clone(), None);
        assert_eq!(template.text, serde_json::to_vec(&value).expect("json"));
        type Change = fn(&mut Map<String, Value>);
        let cases: [(&[&str], Change); 5] = [
            (&[], |_| {}),
            (&["id", "q"], |m| {
                m.insert("id".into(), json!("line_1"));
                m.insert("q".into(), json!(3));
            }),
            (&["new"], |m| {
                m.insert("new".into(), json!([1]));
            }),
            (&["q"], |m| {
                m.remove("q");
            }),
            (&["product"], |m| {
                m.insert("product".into(), json!({"v": []}));
            }),
        ];
        for (set, change) in cases {
            let mut element = value.as_object().cloned().expect("object");
            change(&mut element);
            let written = template.write(&element, set);
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&serde_json::to_vec(&element).expect("json")),
                "{set:?}"
            );
        }
    }
}
