//! Fresh ids shaped like the ones the spec shows: integers count up, UUIDs stay UUIDs,
//! 32-hex ids stay 32-hex, patterned ids are generated to their pattern, and plain strings
//! become `<name>_<26 characters>`, as the ULID-style ids storefront APIs hand out.

use cartwright_data::{Direction, Generator, Mode};
use serde_json::{Value, json};

/// A fresh id for an item whose generated id was `sample`; `schema` is the id property's.
pub(super) fn fresh(
    doc: &Value,
    sample: &Value,
    schema: Option<&Value>,
    n: u64,
    name: &str,
) -> Value {
    let format = schema.and_then(|s| s.get("format")).and_then(Value::as_str);
    if sample.is_i64() || sample.is_u64() {
        return json!(n);
    }
    let text = sample.as_str().unwrap_or_default();
    if format == Some("uuid") || looks_like_uuid(text) {
        return json!(cartwright_model::uuid());
    }
    if text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return json!(cartwright_model::uuid().replace('-', ""));
    }
    if let Some(schema) = schema.filter(|s| s.get("pattern").is_some() || s.get("enum").is_some()) {
        return Generator::new(doc, n, Mode::Dynamic).value(schema, Direction::Response);
    }
    let prefix = cartwright_model::name_key(name);
    let tail: String = cartwright_model::random(26)
        .iter()
        .map(|b| char::from(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"[usize::from(b % 32)]))
        .collect();
    json!(format!("{prefix}_{tail}"))
}

fn looks_like_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_the_shape_of_the_sample() {
        let doc = json!({});
        assert_eq!(fresh(&doc, &json!(3), None, 9, "carts"), json!(9));
        let u = fresh(
            &doc,
            &json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            None,
            1,
            "x",
        );
        assert!(looks_like_uuid(u.as_str().expect("text")));
        let h = fresh(
            &doc,
            &json!("0123456789abcdef0123456789abcdef"),
            None,
            1,
            "x",
        );
        assert_eq!(h.as_str().map(str::len), Some(32));
        let p = fresh(&doc, &json!("string"), None, 1, "line-items");
        assert!(p.as_str().expect("text").starts_with("lineitem_"));
        assert_ne!(p, fresh(&doc, &json!("string"), None, 1, "line-items"));
    }
}
