//! What came back: status, headers, the body's bytes, the body as JSON when it is JSON, and
//! how long it took.

use std::borrow::Cow;
use std::time::Duration;

use serde_json::Value;

/// An answer, read whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-case, in order.
    pub headers: Vec<(String, String)>,
    /// The body's bytes, exactly as received.
    pub body: Vec<u8>,
    /// The body as JSON, when it parses as JSON.
    pub json: Option<Value>,
    /// Time from sending to the whole body.
    pub took: Duration,
}

impl Answer {
    /// An answer from what was read; the JSON is parsed here.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>, took: Duration) -> Self {
        let json = serde_json::from_slice(&body).ok();
        Answer {
            status,
            headers,
            body,
            json,
            took,
        }
    }

    /// The body as text (lossy for bodies that are not UTF-8).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The first value of a header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A cookie the answer sets.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .find_map(|(_, v)| {
                let (k, rest) = v.split_once('=')?;
                (k.trim() == name).then(|| rest.split(';').next().unwrap_or("").trim())
            })
    }

    /// The essence of the answer's `Content-Type` (`""` when there is none).
    pub fn media_type(&self) -> String {
        cartwright_model::media::essence(self.header("content-type").unwrap_or(""))
    }
}

/// Header names and values as text, names lower-case (as `http` gives them).
pub(crate) fn headers(map: &http::HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_cookies_and_text() {
        let a = Answer::new(
            200,
            vec![
                (
                    "content-type".into(),
                    "Application/JSON; charset=utf-8".into(),
                ),
                ("set-cookie".into(), "sid=abc; Path=/".into()),
            ],
            br#"{"a":1}"#.to_vec(),
            Duration::ZERO,
        );
        assert_eq!(
            a.header("Content-Type"),
            Some("Application/JSON; charset=utf-8")
        );
        assert_eq!(a.media_type(), "application/json");
        assert_eq!(a.cookie("sid"), Some("abc"));
        assert_eq!(a.json, Some(serde_json::json!({"a": 1})));
        assert_eq!(a.text(), r#"{"a":1}"#);
        let binary = Answer::new(200, Vec::new(), vec![0xff, 0xfe], Duration::ZERO);
        assert_eq!(binary.json, None);
        assert_eq!(binary.body, [0xff, 0xfe]);
    }
}
