//! The mock's own request and response types: hyper's are converted at the edge, so the
//! pipeline is plain data and tests can drive it without a socket.

use crate::delivery::Delivery;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

/// A buffered request.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The method.
    pub method: Method,
    /// The raw path, still percent-encoded.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Incoming {
    /// A request with no headers and no body (for tests).
    pub fn new(method: Method, path_and_query: &str) -> Self {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
            None => (path_and_query.to_owned(), None),
        };
        Incoming {
            method,
            path,
            query,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// A header's value as text, if present and visible ASCII. The name is a `&str` or,
    /// on the request path, a `HeaderName` constant, which is looked up without parsing it.
    pub fn header(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The `Content-Type` value for a media type: the common ones are static values, built
/// without copying or checking the text on every answer.
fn content_type_value(media: &str) -> Option<HeaderValue> {
    // Constants, so their bytes are checked once by the compiler, not on every answer as
    // `from_static` called at run time does.
    const JSON: HeaderValue = HeaderValue::from_static("application/json");
    const PROBLEM: HeaderValue = HeaderValue::from_static("application/problem+json");
    match media {
        "application/json" => Some(JSON),
        "application/problem+json" => Some(PROBLEM),
        _ => HeaderValue::from_str(media).ok(),
    }
}

/// A response ready to be sent.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// How the server sends it (at once unless a delay or fault was asked for).
    pub delivery: Delivery,
}

impl Outgoing {
    /// A response with a body of the given content type.
    pub fn new(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(v) = content_type_value(content_type) {
            headers.insert(http::header::CONTENT_TYPE, v);
        }
        Outgoing {
            status,
            headers,
            body: body.into(),
            delivery: Delivery::default(),
        }
    }

    /// A response without a body.
    pub fn empty(status: StatusCode) -> Self {
        Outgoing {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            delivery: Delivery::default(),
        }
    }

    /// A JSON response.
    pub fn json(status: StatusCode, content_type: &str, value: &serde_json::Value) -> Self {
        Outgoing::new(
            status,
            content_type,
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }

    /// Sets a header, ignoring names or values that HTTP cannot carry.
    pub fn set(&mut self, name: &str, value: &str) {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.insert(n, v);
        }
    }

    /// The body parsed as JSON, for tests.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}
