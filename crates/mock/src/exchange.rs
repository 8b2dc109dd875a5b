//! The mock's own request and response types: hyper's are converted at the edge, so the
//! pipeline is plain data and tests can drive it without a socket.

use crate::delivery::Delivery;
use std::borrow::Cow;

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

    /// A header's value as text, if present and visible ASCII. The name is a `&str` in any
    /// case or, on the request path, a `HeaderName` constant.
    pub fn header(&self, name: impl HeaderKey) -> Option<&str> {
        self.header_value(name).and_then(|v| v.to_str().ok())
    }

    /// A header's first value as sent, found as [`Incoming::header`] finds it.
    pub fn header_value(&self, name: impl HeaderKey) -> Option<&HeaderValue> {
        // Most requests carry a handful of headers, and most questions about them find
        // nothing (`Origin`, `Prefer`, a cookie): the names alone are compared, which is
        // cheaper than hashing the one asked for, and only a name found is then hashed.
        if self.headers.keys_len() <= SCANNED {
            let found = self.headers.keys().find(|n| name.is(n))?;
            self.headers.get(found)
        } else {
            name.name().and_then(|n| self.headers.get(n.as_ref()))
        }
    }

    /// Every value of a header, in the order they came, found the way [`Incoming::header`]
    /// finds the first.
    pub fn header_values(&self, name: impl HeaderKey) -> Vec<&HeaderValue> {
        if self.headers.keys_len() <= SCANNED {
            let Some(found) = self.headers.keys().find(|n| name.is(n)) else {
                return Vec::new();
            };
            self.headers.get_all(found).iter().collect()
        } else {
            let all = |n: Cow<'_, HeaderName>| self.headers.get_all(n.as_ref()).iter().collect();
            name.name().map_or_else(Vec::new, all)
        }
    }
}

/// Up to this many header names, [`Incoming::header`] compares names instead of hashing.
const SCANNED: usize = 12;

/// A header name to look up in a request: a `HeaderName` (compared as it is) or text
/// (compared without regard to case, as header names are).
pub trait HeaderKey {
    /// Whether `name` is this one.
    fn is(&self, name: &HeaderName) -> bool;
    /// This name as the header map keys it; `None` when no header can have it.
    fn name(&self) -> Option<Cow<'_, HeaderName>>;
}

impl HeaderKey for HeaderName {
    fn is(&self, name: &HeaderName) -> bool {
        self == name
    }
    fn name(&self) -> Option<Cow<'_, HeaderName>> {
        Some(Cow::Borrowed(self))
    }
}

impl HeaderKey for &HeaderName {
    fn is(&self, name: &HeaderName) -> bool {
        *self == name
    }
    fn name(&self) -> Option<Cow<'_, HeaderName>> {
        Some(Cow::Borrowed(*self))
    }
}

impl HeaderKey for &str {
    fn is(&self, name: &HeaderName) -> bool {
        name.as_str().eq_ignore_ascii_case(self)
    }
    fn name(&self) -> Option<Cow<'_, HeaderName>> {
        HeaderName::from_bytes(self.as_bytes()).ok().map(Cow::Owned)
    }
}

impl HeaderKey for &String {
    fn is(&self, name: &HeaderName) -> bool {
        HeaderKey::is(&self.as_str(), name)
    }
    fn name(&self) -> Option<Cow<'_, HeaderName>> {
        HeaderKey::name(&self.as_str()).map(|n| Cow::Owned(n.into_owned()))
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

thread_local! {
    /// The header map of the last request this thread answered, cleared: the next answer's
    /// map. Hyper hands the map of each answer it writes back as the next request's, so
    /// passing the request's on to an answer keeps both without allocating either.
    static SPARE: std::cell::Cell<Option<HeaderMap>> = const { std::cell::Cell::new(None) };
}

/// An empty header map for an answer: the one this thread kept, or a new one.
fn spare_headers() -> HeaderMap {
    SPARE.with(std::cell::Cell::take).unwrap_or_default()
}

impl Incoming {
    /// Gives the request's header map, cleared, to the next answer made on this thread.
    pub(crate) fn recycle(mut self) {
        let mut headers = std::mem::take(&mut self.headers);
        headers.clear();
        SPARE.with(|s| s.set(Some(headers)));
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
        // Not a copy of one map made once: hyper keeps the map of the answer it wrote for
        // the next request's headers, and a copy has room for one.
        let mut headers = spare_headers();
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

    /// Whether the answer has a header `name`: its few names are compared, as
    /// [`Incoming::header`] compares a request's, rather than the one asked for hashed.
    pub fn has(&self, name: &HeaderName) -> bool {
        if self.headers.keys_len() <= SCANNED {
            self.headers.keys().any(|k| k == name)
        } else {
            self.headers.contains_key(name)
        }
    }

    /// A response without a body.
    pub fn empty(status: StatusCode) -> Self {
        Outgoing {
            status,
            headers: spare_headers(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A request with `n` made-up headers besides the ones asked about, so both ways of
    /// looking up (comparing names, and the map's hash) are taken.
    fn request(n: usize) -> Incoming {
        let mut req = Incoming::new(Method::GET, "/");
        for i in 0..n {
            let name = HeaderName::from_bytes(format!("x-filler-{i}").as_bytes()).expect("name");
            req.headers.insert(name, HeaderValue::from_static("f"));
        }
        req.headers
            .append("prefer", HeaderValue::from_static("code=201"));
        req.headers
            .append("prefer", HeaderValue::from_static("code=404"));
        req.headers
            .insert("x-spree-order-token", HeaderValue::from_static("t1"));
        req.headers
            .insert("x-bytes", HeaderValue::from_bytes(b"\xff").expect("value"));
        req
    }

    #[test]
    fn an_answer_made_after_a_request_is_spent_carries_none_of_its_headers() {
        let mut req = request(SCANNED + 5);
        req.headers
            .insert("authorization", HeaderValue::from_static("Bearer secret"));
        req.recycle();
        let out = Outgoing::new(StatusCode::OK, "application/json", "{}");
        let names: Vec<&str> = out.headers.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["content-type"]);
        let mut out = out;
        for filled in [false, true] {
            assert!(out.has(&http::header::CONTENT_TYPE), "{filled}");
            assert!(!out.has(&http::header::AUTHORIZATION), "{filled}");
            out.headers.extend(request(SCANNED + 1).headers);
        }
        // The map was taken: the next answer gets a new one, also empty.
        assert!(Outgoing::empty(StatusCode::NO_CONTENT).headers.is_empty());
    }

    #[test]
    fn header_is_the_first_value_by_either_way_and_any_case() {
        for n in [0, SCANNED - 3, SCANNED + 5] {
            let req = request(n);
            let scanned = req.headers.keys_len() <= SCANNED;
            assert_eq!(scanned, n < SCANNED - 2, "{n} fillers");
            assert_eq!(req.header(crate::prefer::PREFER), Some("code=201"), "{n}");
            assert_eq!(req.header(&crate::prefer::PREFER), Some("code=201"), "{n}");
            assert_eq!(req.header("Prefer"), Some("code=201"), "{n}");
            let all: Vec<_> = req
                .header_values("PREFER")
                .iter()
                .map(|v| v.as_bytes())
                .collect();
            assert_eq!(all, [&b"code=201"[..], b"code=404"], "{n}");
            assert!(req.header_values("origin").is_empty(), "{n}");
            let name = "X-Spree-Order-Token".to_owned();
            assert_eq!(req.header(&name), Some("t1"), "{n}");
            assert_eq!(req.header(http::header::ORIGIN), None, "{n}");
            assert_eq!(req.header("x-spree"), None, "{n}");
            // Present but not visible ASCII: no text, as before.
            assert_eq!(req.header("x-bytes"), None, "{n}");
            assert!(req.headers.contains_key("x-bytes"));
        }
    }
}
