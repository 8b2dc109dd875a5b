//! The values steps read from a received answer ([`cartwright_http::Answer`]): JSONPath,
//! header, cookie, regex, status.

use regex::Regex;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::ast::{Capture, CaptureFull};

pub(crate) use cartwright_http::Answer;

/// JSONPath reads of an answer's body.
pub(crate) trait Paths {
    /// The value at a JSONPath of the body (`None`: absent, or not JSON).
    fn path(&self, path: &str) -> Result<Option<Value>, String>;
}

impl Paths for Answer {
    fn path(&self, path: &str) -> Result<Option<Value>, String> {
        let parsed =
            JsonPath::parse(path).map_err(|e| format!("invalid JSONPath `{path}`: {e}"))?;
        let Some(json) = &self.json else {
            return Ok(None);
        };
        Ok(select(&parsed, path, json))
    }
}

/// One node for a singular path; every node, as an array, for a path that can select many
/// (`*`, `..`, filters, slices), so `length` and `contains` work on it.
pub(crate) fn select(parsed: &JsonPath, path: &str, json: &Value) -> Option<Value> {
    let nodes = parsed.query(json).all();
    let many =
        path.contains('*') || path.contains("..") || path.contains('?') || path.contains(':');
    if many {
        Some(Value::Array(nodes.into_iter().cloned().collect()))
    } else {
        nodes.first().map(|v| (*v).clone())
    }
}

/// Reads a capture from an answer; `Ok(None)` when the value is not there.
pub(crate) fn capture(c: &Capture, a: &Answer) -> Result<Option<Value>, String> {
    let full;
    let c = match c {
        Capture::Path(p) => {
            full = CaptureFull {
                jsonpath: Some(p.clone()),
                ..CaptureFull::default()
            };
            &full
        }
        Capture::Full(f) => f,
    };
    let source = source(c, a)?;
    let Some(re) = &c.regex else {
        return Ok(source);
    };
    let re = Regex::new(re).map_err(|e| format!("invalid regex: {e}"))?;
    let text = match source {
        Some(Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => return Ok(None),
    };
    Ok(re.captures(&text).map(|m| {
        let g = m.get(1).or_else(|| m.get(0));
        Value::from(g.map_or("", |g| g.as_str()))
    }))
}

/// What a capture reads before its regex: the JSONPath's value, the header, the cookie, the
/// status, or the whole body.
pub(crate) fn source(c: &CaptureFull, a: &Answer) -> Result<Option<Value>, String> {
    Ok(if let Some(p) = &c.jsonpath {
        a.path(p)?
    } else if let Some(h) = &c.header {
        a.header(h).map(Value::from)
    } else if let Some(k) = &c.cookie {
        a.cookie(k).map(Value::from)
    } else if c.status {
        Some(Value::from(a.status))
    } else {
        Some(Value::from(a.text().into_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn answer() -> Answer {
        Answer {
            status: 201,
            headers: vec![
                ("location".into(), "/orders/42".into()),
                ("set-cookie".into(), "sid=abc; Path=/".into()),
            ],
            body: r#"{"token":"t1","items":[{"id":1},{"id":2}]}"#.into(),
            json: Some(json!({"token": "t1", "items": [{"id": 1}, {"id": 2}]})),
            took: Duration::from_millis(3),
        }
    }

    fn cap(v: Value) -> Option<Value> {
        capture(&serde_json::from_value(v).expect("capture"), &answer()).expect("reads")
    }

    #[test]
    fn every_source() {
        assert_eq!(cap(json!("$.token")), Some(json!("t1")));
        assert_eq!(cap(json!("$.items[*].id")), Some(json!([1, 2])));
        assert_eq!(cap(json!("$.missing")), None);
        assert_eq!(
            cap(json!({"header": "Location"})),
            Some(json!("/orders/42"))
        );
        assert_eq!(cap(json!({"cookie": "sid"})), Some(json!("abc")));
        assert_eq!(cap(json!({"status": true})), Some(json!(201)));
        assert_eq!(
            cap(json!({"header": "location", "regex": "/orders/(\\d+)"})),
            Some(json!("42"))
        );
        assert_eq!(
            cap(json!({"regex": "\"token\":\"(\\w+)\""})),
            Some(json!("t1"))
        );
    }

    #[test]
    fn a_bad_path_is_an_error() {
        assert!(answer().path("$[").is_err());
    }
}
