//! JSON pointers (RFC 6901): escaping a token, joining and splitting, and following
//! `$ref`s. Every crate that builds or reads a pointer goes through these.

use serde_json::Value;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// Unescapes one reference token.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A `$ref` fragment as a JSON pointer: URI fragments may percent-encode characters.
pub fn unescape_fragment(fragment: &str) -> String {
    if fragment.contains('%') {
        percent_decode(fragment)
    } else {
        fragment.to_owned()
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Appends a token to a pointer.
pub fn join(base: &str, token: &str) -> String {
    let mut out = base.to_owned();
    push(&mut out, token);
    out
}

/// Appends a token to a pointer in place: `/` and the escaped token.
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    if !token.contains(['~', '/']) {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// A pointer made of tokens (`[]` is the root, `""`).
pub fn from_tokens<T: AsRef<str>>(tokens: &[T]) -> String {
    let mut out = String::new();
    for t in tokens {
        push(&mut out, t.as_ref());
    }
    out
}

/// The unescaped tokens of a pointer; `None` when it is neither empty nor starts with `/`.
pub fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    Some(
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(unescape)
            .collect(),
    )
}

/// The node at `pointer`, as [`Value::pointer`] finds it, without allocating a string per
/// token: loading a large spec looks up tens of thousands of pointers.
pub fn get<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut current = doc;
    for token in pointer.strip_prefix('/')?.split('/') {
        current = match current {
            Value::Object(map) if token.contains('~') => map.get(&unescape(token))?,
            Value::Object(map) => map.get(token)?,
            Value::Array(items) => items.get(index(token)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// As [`get`], for changing the node ([`Value::pointer_mut`]).
pub fn get_mut<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut current = doc;
    for token in pointer.strip_prefix('/')?.split('/') {
        current = match current {
            Value::Object(map) => {
                if token.contains('~') {
                    map.get_mut(&unescape(token))?
                } else {
                    map.get_mut(token)?
                }
            }
            Value::Array(items) => items.get_mut(index(token)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// An array index token as RFC 6901 writes it: digits, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// Follows `$ref` chains from `value` (at `pointer`) to the node they end on, with its pointer.
/// A chain longer than 32 links or a dangling link yields `None`.
pub fn deref<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
    let mut current = value;
    let mut at = pointer.to_owned();
    for _ in 0..32 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let target = unescape_fragment(r.strip_prefix('#')?);
                current = get(doc, &target)?;
                at = target;
            }
            None => return Some((current, at)),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        assert_eq!(escape("/pets/{id}"), "~1pets~1{id}");
        assert_eq!(
            escape("~/"),
            "~0~1",
            "`~` first, so `/` is not escaped twice"
        );
        assert_eq!(escape("plain"), "plain");
        assert_eq!(join("/paths", "/a~b"), "/paths/~1a~0b");
        let mut p = String::new();
        push(&mut p, "a/b");
        push(&mut p, "0");
        assert_eq!(p, "/a~1b/0");
        assert_eq!(from_tokens(&["x~", "y"]), "/x~0/y");
        assert_eq!(tokens("/x~0/y~1z"), Some(vec!["x~".into(), "y/z".into()]));
        assert_eq!(tokens(""), Some(Vec::new()));
        assert_eq!(tokens("x"), None);
        assert_eq!(unescape(&escape("a~b/c")), "a~b/c");
        assert_eq!(unescape_fragment("/paths/~1a%7Bb%7D"), "/paths/~1a{b}");
    }

    #[test]
    fn get_finds_what_value_pointer_finds() {
        let mut doc = serde_json::json!({"a/b": {"c~d": [1, {"e": 2}]}, "0": "zero", "": {"": 3}});
        for p in [
            "",
            "/a~1b",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/0",
            "/0",
            "//",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/2",
            "/a~1b/c~0d/-",
            "/missing",
            "x",
            "/0/0",
            "/a~1b/c~0d/1/e/f",
        ] {
            assert_eq!(get(&doc, p), doc.pointer(p), "{p}");
            let expected = doc.clone().pointer_mut(p).map(|v| v.clone());
            assert_eq!(get_mut(&mut doc, p).map(|v| v.clone()), expected, "{p}");
        }
        *get_mut(&mut doc, "/a~1b/c~0d/1/e").expect("exists") = serde_json::json!(5);
        assert_eq!(doc["a/b"]["c~d"][1]["e"], 5);
    }

    #[test]
    fn deref_follows_chains_and_stops_on_cycles() {
        let doc = serde_json::json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}, "x": {"$ref": "#/x"}});
        let (v, at) = deref(&doc, &doc["a"], "/a").expect("resolves");
        assert_eq!(v["type"], "string");
        assert_eq!(at, "/c");
        assert!(deref(&doc, &doc["x"], "/x").is_none());
    }
}
