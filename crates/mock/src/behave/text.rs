//! JSON text as `serde_json::to_writer` writes it (compact, strings escaped the same way),
//! written straight into the answer's buffer: a string with nothing to escape, as keys
//! and most values are, is copied whole instead of passing through the serializer's
//! escaping loop byte by byte.

use serde_json::Value;

/// Writes `v` as `serde_json::to_writer` does.
pub(super) fn value(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::String(s) => string(s, out),
        Value::Number(n) => {
            // Writing into memory cannot fail.
            let _ = serde_json::to_writer(&mut *out, n);
        }
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                value(x, out);
            }
            out.push(b']');
        }
        Value::Object(m) => {
            out.push(b'{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(k, out);
                out.push(b':');
                value(x, out);
            }
            out.push(b'}');
        }
    }
}

/// Writes `s` as a JSON string, escaped as `serde_json` escapes it: quotes, backslashes
/// and control characters (below U+0020); everything else as it is.
pub(super) fn string(s: &str, out: &mut Vec<u8>) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Every kind of value, and strings with each character serde_json escapes and some it
    /// does not (`/`, DEL, non-ASCII), are the bytes serde_json writes.
    #[test]
    fn writes_what_serde_json_writes() {
        let mut strings: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", b as char)).collect();
        strings
            .extend(["", "\"", "\\", "é/ü", "\u{2028}", "line\nnext", "tab\t"].map(String::from));
        let v = json!({
            "null": null, "t": true, "f": false, "i": -3, "u": 18446744073709551615u64,
            "x": 39.98, "e": 1e300, "tiny": 5e-324, "list": [1, "two", [], {}, [null]],
            "nested": {"k\"ey": {"a": [0.1, 0.2]}}, "strings": strings,
        });
        let mut out = Vec::new();
        super::value(&v, &mut out);
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            serde_json::to_string(&v).expect("written")
        );
    }
}
