//! Most binding expressions are a value path (`state.email`, `state['items']`, `issued.token`)
//! or a literal (`'cart'`, `none`). Those are recognised at load and evaluated by looking the
//! path up in the JSON context, with no conversion and no interpreter; everything else goes
//! to minijinja. Both give the same result.

use serde_json::Value;

/// A recognised simple expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Fast {
    /// A literal; `None` for `none`.
    Literal(Option<Value>),
    /// A name followed by keys and indices.
    Path(String, Vec<Key>),
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// `.name` or `['name']`.
    Name(String),
    /// `[3]`.
    Index(usize),
}

const KEYWORDS: &[&str] = &[
    "none", "None", "true", "false", "True", "False", "not", "and", "or", "is", "in", "if", "else",
    "loop", "self",
];

/// Recognises `source` as a literal or a plain path.
pub(crate) fn recognise(source: &str) -> Option<Fast> {
    let s = source.trim();
    match s {
        "none" | "None" => return Some(Fast::Literal(None)),
        "true" | "True" => return Some(Fast::Literal(Some(Value::Bool(true)))),
        "false" | "False" => return Some(Fast::Literal(Some(Value::Bool(false)))),
        "[]" => return Some(Fast::Literal(Some(Value::Array(Vec::new())))),
        _ => {}
    }
    if let Some(text) = quoted(s) {
        return Some(Fast::Literal(Some(Value::String(text.to_owned()))));
    }
    if let Ok(n) = s.parse::<i64>() {
        return Some(Fast::Literal(Some(Value::from(n))));
    }
    let (name, mut rest) = ident(s)?;
    if KEYWORDS.contains(&name) {
        return None;
    }
    let mut keys = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let (k, r) = ident(r)?;
            keys.push(Key::Name(k.to_owned()));
            rest = r;
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = r[..end].trim();
            keys.push(match quoted(inner) {
                Some(k) => Key::Name(k.to_owned()),
                None => Key::Index(inner.parse().ok()?),
            });
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    if name == "request" && matches!(keys.first(), Some(Key::Name(k)) if k == "body") {
        keys.remove(0);
        return Some(Fast::Path(REQUEST_BODY.to_owned(), keys));
    }
    Some(Fast::Path(name.to_owned(), keys))
}

/// The name `request.body` is read by, in [`Fast::Path`] and [`crate::Native::Name`]: a
/// context hands out the body it already holds, without making the whole request view
/// for one member of it. No name an expression writes has a `.`, so none can clash.
pub const REQUEST_BODY: &str = "request.body";

fn quoted(s: &str) -> Option<&str> {
    let q = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = s.strip_prefix(q)?.strip_suffix(q)?;
    (!inner.contains(q) && !inner.contains('\\')).then_some(inner)
}

fn ident(s: &str) -> Option<(&str, &str)> {
    let end = s
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit())))
        .map_or(s.len(), |(i, _)| i);
    (end > 0).then(|| s.split_at(end))
}

/// Follows `keys` from `start`; `None` when a step is missing or the value is null.
pub fn follow<'v>(start: Option<&'v Value>, keys: &[Key]) -> Option<&'v Value> {
    let mut at = start?;
    for k in keys {
        at = match (k, at) {
            (Key::Name(n), Value::Object(m)) => member(m, n)?,
            (Key::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    (!at.is_null()).then_some(at)
}

/// Up to this many members, an object is searched one by one rather than by hash.
const SCAN: usize = 16;

/// The member `key` of an object. A small object is searched member by member: comparing
/// a few short keys costs less than hashing one (`serde_json`'s maps hash with SipHash),
/// and binding expressions look up a dozen members per request.
pub fn member<'v>(m: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if m.len() <= SCAN {
        m.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        m.get(key)
    }
}

/// Jinja's truthiness of a JSON value.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_paths_and_literals_only() {
        assert_eq!(
            recognise("state.email"),
            Some(Fast::Path("state".into(), vec![Key::Name("email".into())]))
        );
        assert_eq!(
            recognise("state['items'][0]"),
            Some(Fast::Path(
                "state".into(),
                vec![Key::Name("items".into()), Key::Index(0)]
            ))
        );
        assert_eq!(
            recognise("'cart'"),
            Some(Fast::Literal(Some(json!("cart"))))
        );
        assert_eq!(recognise("none"), Some(Fast::Literal(None)));
        for complex in [
            "state.items | length",
            "a ~ b",
            "x()",
            "not a",
            "a.b + 1",
            "'it''s'",
        ] {
            assert_eq!(recognise(complex), None, "{complex}");
        }
    }

    #[test]
    fn follows_paths() {
        let v = json!({"a": {"b": [1, null]}});
        assert_eq!(
            follow(
                Some(&v),
                &[Key::Name("a".into()), Key::Name("b".into()), Key::Index(0)]
            ),
            Some(&json!(1))
        );
        assert_eq!(
            follow(
                Some(&v),
                &[Key::Name("a".into()), Key::Name("b".into()), Key::Index(1)]
            ),
            None
        );
        assert_eq!(follow(Some(&v), &[Key::Name("x".into())]), None);
    }
}
