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

/// Follows `$ref` chains from `value` (at `pointer`) to the node they end on, with its pointer.
/// A chain longer than 32 links or a dangling link yields `None`.
pub fn deref<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
    let mut current = value;
    let mut at = pointer.to_owned();
    for _ in 0..32 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let target = unescape_fragment(r.strip_prefix('#')?);
                current = doc.pointer(&target)?;
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
    fn deref_follows_chains_and_stops_on_cycles() {
        let doc = serde_json::json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}, "x": {"$ref": "#/x"}});
        let (v, at) = deref(&doc, &doc["a"], "/a").expect("resolves");
        assert_eq!(v["type"], "string");
        assert_eq!(at, "/c");
        assert!(deref(&doc, &doc["x"], "/x").is_none());
    }
}
