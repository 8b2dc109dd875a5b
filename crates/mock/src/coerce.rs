//! Parameter and form text to the JSON type its schema asks for, read as JSON Schema reads
//! numbers: an integer is any number without a fractional part, of any size
//! (`18446744073709551616` and `1.0` are integers). Text that does not fit stays a string,
//! so the validator, not the parser, reports it with its pointer.

use serde_json::Value;

/// Text to the JSON type a schema asks for; text that does not fit stays a string.
pub(crate) fn coerce(text: &str, schema: &Value) -> Value {
    for kind in type_names(schema) {
        let parsed = match kind {
            // JSON Schema's integer is a number without a fractional part, of any size.
            "integer" => number(text).filter(is_integral),
            "number" => number(text),
            "boolean" => match text {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            "null" if text.is_empty() || text == "null" => Some(Value::Null),
            _ => None,
        };
        if let Some(v) = parsed {
            return v;
        }
    }
    Value::String(text.to_owned())
}

/// The schema's declared types in order, read in place (this runs for every parameter).
fn type_names(schema: &Value) -> impl Iterator<Item = &str> {
    let (one, many) = match schema.get("type") {
        Some(Value::String(t)) => (Some(t.as_str()), None),
        Some(Value::Array(ts)) => (None, Some(ts.iter().filter_map(Value::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
}

/// Text written as a number (`12`, `-3`, `18446744073709551616`, `1.5`, `1e3`) as JSON:
/// exact for every integer that fits 64 bits, the nearest double beyond.
fn number(text: &str) -> Option<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::from(u));
    }
    let numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    let f = text
        .parse::<f64>()
        .ok()
        .filter(|f| numeric && f.is_finite())?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

/// Whether a JSON number has no fractional part (`1.0` and `1e20` are integers).
fn is_integral(v: &Value) -> bool {
    v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coercion_keeps_text_that_does_not_fit() {
        assert_eq!(coerce("12", &json!({"type": "integer"})), json!(12));
        assert_eq!(coerce("12x", &json!({"type": "integer"})), json!("12x"));
        let int = json!({"type": "integer"});
        assert_eq!(
            coerce("18446744073709551615", &int),
            json!(18446744073709551615u64)
        );
        assert_eq!(
            coerce("18446744073709551616", &int),
            json!(1.8446744073709552e19)
        );
        assert_eq!(coerce("1.0", &int), json!(1.0));
        assert_eq!(coerce("1.5", &int), json!("1.5"));
        assert_eq!(coerce("inf", &int), json!("inf"));
        assert_eq!(coerce("NaN", &json!({"type": "number"})), json!("NaN"));
        assert_eq!(
            coerce("1.5", &json!({"type": ["number", "null"]})),
            json!(1.5)
        );
        assert_eq!(coerce("true", &json!({"type": "boolean"})), json!(true));
    }
}
