//! JSON text as `serde_json::to_writer` writes it (compact, strings escaped the same way),
//! written straight into the answer's buffer: a string with nothing to escape, as keys
//! and most values are, is copied whole instead of passing through the serializer's
//! escaping loop byte by byte. Behaviours' answers and inferred items' texts are both
//! written with it.

use serde_json::Value;

/// Writes `v` as `serde_json::to_writer` does.
pub(crate) fn value(v: &Value, out: &mut Vec<u8>) {
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
pub(crate) fn string(s: &str, out: &mut Vec<u8>) {
    if plain(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Whether no byte of `s` needs escaping, eight bytes at a time: a word with a byte below
/// 0x20, a quote or a backslash is caught (some others too, which are then written by
/// `serde_json`, to the same bytes).
fn plain(s: &[u8]) -> bool {
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let caught = |w: u64| {
        let control = w.wrapping_sub(0x20 * ONES) & !w & HIGH;
        control | zero_byte(w ^ (u64::from(b'"') * ONES)) | zero_byte(w ^ (u64::from(b'\\') * ONES))
            != 0
    };
    every_word(s, caught, |b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// A word with each of its eight bytes one.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// A word with the high bit of each of its eight bytes set.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether `bytes` pass, eight at a time: no word (read little-endian) is `caught`, and
/// every byte of the few left over is `fine`. The loop of both checks that run over every
/// answer's strings and every logged path.
pub(crate) fn every_word(
    bytes: &[u8],
    caught: impl Fn(u64) -> bool,
    fine: impl Fn(u8) -> bool,
) -> bool {
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        if caught(u64::from_le_bytes(eight)) {
            return false;
        }
    }
    words.remainder().iter().all(|&b| fine(b))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Every kind of value, and strings with each character serde_json escapes and some it
    /// does not (`/`, DEL, non-ASCII), are the bytes serde_json writes.
    #[test]
    fn writes_what_serde_json_writes() {
        let mut strings: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", b as char)).collect();
        // Each character at each place of a few words, and none.
        for at in 0..20 {
            for c in ['"', '\\', '\n', '\u{1f}', ' ', '~', 'é'] {
                let mut t: String = "abcdefghijklmnopqrst".chars().take(19).collect();
                t.insert(at.min(t.len()), c);
                strings.push(t);
            }
        }
        strings.push("a plain string of more than eight bytes".into());
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

    /// Every byte that needs escaping is caught wherever it stands.
    #[test]
    fn plain_catches_every_escape() {
        for at in 0..17 {
            for c in [b'"', b'\\', b'\n', 0x1f, 0] {
                let mut t = b"abcdefghijklmnop".to_vec();
                t.insert(at, c);
                assert!(!super::plain(&t), "{c:#x} at {at}");
            }
        }
        assert!(super::plain(
            "a plain string of more than eight bytes, é/~".as_bytes()
        ));
    }
}
