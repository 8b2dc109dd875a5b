//! Matchers: whether a value found in an answer meets what a step asserts of it.

use minijinja::value::Value as Jinja;
use regex::Regex;
use serde_json::Value;

use crate::ast::{Matcher, Ops};
use crate::template::deep;

/// Why a matcher failed: what it wanted and what was there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mismatch {
    /// The expectation, as a reader would write it (`== 200`, `exists`).
    pub expected: String,
    /// The value found (`absent` when there was none).
    pub actual: String,
}

/// Checks `actual` (`None`: absent) against a matcher; expected values are interpolated.
pub(crate) fn check(m: &Matcher, actual: Option<&Value>, vars: &Jinja) -> Result<(), Mismatch> {
    let ops = match m {
        Matcher::Equals(v) => &Ops {
            eq: Some(v.clone()),
            ..Ops::default()
        },
        Matcher::Ops(o) => o,
    };
    let shown = || actual.map_or_else(|| "absent".to_owned(), short);
    let fail = |expected: String| Mismatch {
        expected,
        actual: shown(),
    };
    let want = |v: &Value| deep(v, vars).map_err(|e| fail(format!("a value ({e})")));
    if let Some(e) = ops.exists
        && actual.is_some() != e
    {
        return Err(fail(if e { "exists" } else { "absent" }.into()));
    }
    if let Some(e) = &ops.eq {
        let e = want(e)?;
        if !actual.is_some_and(|a| same(a, &e)) {
            return Err(fail(format!("== {}", short(&e))));
        }
    }
    if let Some(e) = &ops.ne {
        let e = want(e)?;
        if actual.is_some_and(|a| same(a, &e)) {
            return Err(fail(format!("!= {}", short(&e))));
        }
    }
    for (op, bound) in [
        ("<", &ops.lt),
        (">", &ops.gt),
        ("<=", &ops.le),
        (">=", &ops.ge),
    ] {
        if let Some(b) = bound {
            let b = want(b)?;
            let ok = match (actual.and_then(number), number(&b)) {
                (Some(a), Some(b)) => match op {
                    "<" => a < b,
                    ">" => a > b,
                    "<=" => a <= b,
                    _ => a >= b,
                },
                _ => false,
            };
            if !ok {
                return Err(fail(format!("{op} {}", short(&b))));
            }
        }
    }
    if let Some(c) = &ops.contains {
        let c = want(c)?;
        let ok = match (actual, &c) {
            (Some(Value::String(s)), Value::String(c)) => s.contains(c.as_str()),
            (Some(Value::Array(a)), c) => a.iter().any(|x| same(x, c)),
            (Some(Value::Object(m)), Value::String(k)) => m.contains_key(k),
            _ => false,
        };
        if !ok {
            return Err(fail(format!("contains {}", short(&c))));
        }
    }
    if let Some(re) = &ops.matches {
        let ok = match (Regex::new(re), actual) {
            (Ok(r), Some(Value::String(s))) => r.is_match(s),
            (Ok(r), Some(v)) if !v.is_object() && !v.is_array() => r.is_match(&v.to_string()),
            _ => false,
        };
        if !ok {
            return Err(fail(format!("matches /{re}/")));
        }
    }
    if let Some(t) = &ops.kind
        && !actual.is_some_and(|a| type_is(a, t))
    {
        return Err(fail(format!("type {t}")));
    }
    if let Some(l) = &ops.length {
        let len = actual.and_then(length).map(Value::from);
        check(l, len.as_ref(), vars).map_err(|m| Mismatch {
            expected: format!("length {}", m.expected),
            actual: format!("length {}", m.actual),
        })?;
    }
    if let Some(choices) = &ops.one_of {
        let mut wanted = Vec::new();
        for c in choices {
            wanted.push(want(c)?);
        }
        if !actual.is_some_and(|a| wanted.iter().any(|w| same(a, w))) {
            return Err(fail(format!("one of {}", short(&Value::Array(wanted)))));
        }
    }
    if let Some(n) = &ops.not
        && let Ok(()) = check(n, actual, vars)
    {
        return Err(fail(format!("not {}", shown_matcher(n))));
    }
    Ok(())
}

/// A matcher as written, for the message of a `not` that failed.
fn shown_matcher(m: &Matcher) -> String {
    serde_json::to_value(m).map_or_else(|_| "…".to_owned(), |v| short(&v))
}

/// Equality where `1` and `1.0` are the same number, and a string equals a number written
/// the same way (headers and status codes are text on the wire).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => number(a) == number(b),
        (Value::String(s), Value::Number(_)) | (Value::Number(_), Value::String(s)) => {
            s.parse::<f64>().ok() == number(if a.is_number() { a } else { b })
        }
        _ => a == b,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn length(v: &Value) -> Option<usize> {
    match v {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(a) => Some(a.len()),
        Value::Object(m) => Some(m.len()),
        _ => None,
    }
}

/// The JSON types a `type` matcher names.
pub(crate) const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

fn type_is(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "number" => v.is_number(),
        // As JSON Schema reads it: no fractional part, any size (`1.0`, `1e20`).
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        _ => false,
    }
}

/// A value shown in one line, cut to a readable length.
pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> Matcher {
        serde_json::from_value(v).expect("a matcher")
    }

    fn ok(matcher: Value, actual: Option<Value>) -> Result<(), Mismatch> {
        let vars = Jinja::from_serialize(json!({"tok": "abc", "n": 2}));
        check(&m(matcher), actual.as_ref(), &vars)
    }

    #[test]
    fn every_operator_passes_and_fails() {
        assert!(ok(json!(200), Some(json!(200))).is_ok());
        assert!(ok(json!("200"), Some(json!(200))).is_ok());
        assert_eq!(
            ok(json!(200), Some(json!(404))).expect_err("differs"),
            Mismatch {
                expected: "== 200".into(),
                actual: "404".into()
            }
        );
        assert!(ok(json!({"!=": "{{ tok }}"}), Some(json!("abc"))).is_err());
        assert!(ok(json!({"<": 3, ">": 1}), Some(json!(2))).is_ok());
        assert!(ok(json!({">=": "{{ n }}"}), Some(json!(1))).is_err());
        assert!(ok(json!({"contains": "b"}), Some(json!("abc"))).is_ok());
        assert!(ok(json!({"contains": 3}), Some(json!([1, 2]))).is_err());
        assert!(ok(json!({"matches": "^[0-9a-f]{4}$"}), Some(json!("beef"))).is_ok());
        assert!(ok(json!({"matches": "^x"}), Some(json!("beef"))).is_err());
        assert!(ok(json!({"exists": true}), None).is_err());
        assert!(ok(json!({"exists": false}), None).is_ok());
        assert!(ok(json!({"type": "integer"}), Some(json!(1.5))).is_err());
        let big: Value = serde_json::from_str("18446744073709551616").expect("JSON");
        assert!(ok(json!({"type": "integer"}), Some(big)).is_ok());
        assert!(ok(json!({"type": "integer"}), Some(json!(1.0))).is_ok());
        assert!(ok(json!({"length": 2}), Some(json!([1, 2]))).is_ok());
        assert!(ok(json!({"length": {">": 2}}), Some(json!("ab"))).is_err());
        assert!(ok(json!({"one_of": ["a", "{{ tok }}"]}), Some(json!("abc"))).is_ok());
        assert!(ok(json!({"one_of": ["a"]}), Some(json!("abc"))).is_err());
        let not = json!({"not": {"matches": "(?i)authorization"}});
        assert!(ok(not.clone(), Some(json!("api-token, content-type"))).is_ok());
        assert!(ok(not.clone(), None).is_ok());
        let e = ok(not, Some(json!("Authorization"))).expect_err("not a match");
        assert!(e.expected.starts_with("not "), "{e:?}");
    }

    #[test]
    fn an_object_without_operators_compares_whole() {
        assert!(ok(json!({"country": "CA"}), Some(json!({"country": "CA"}))).is_ok());
        assert!(ok(json!({"country": "CA"}), Some(json!({"country": "US"}))).is_err());
    }
}
