//! A request as it goes on the wire: method, the whole URL text, headers, and a body with
//! its content type.

use crate::Method;

/// A body and the content type it is sent as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The `Content-Type` sent with it (unless the request's headers already hold one).
    pub content_type: String,
    /// The exact bytes.
    pub bytes: Vec<u8>,
}

impl Body {
    /// A body of `bytes` sent as `content_type`.
    pub fn new(content_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Body {
        Body {
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }
}

/// One request, ready to send. The URL is kept as text: it goes out as written, dot
/// segments and encodings included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The whole URL: scheme, authority, path and query.
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Body>,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: Method, url: impl Into<String>) -> Request {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Whether a header is set (names compare case-insensitively).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    }

    /// The headers as sent: the request's own, then `content-type` for the body when the
    /// request's headers do not already set one.
    pub fn wire_headers(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(b) = &self.body
            && !self.has_header("content-type")
        {
            out.push(("content-type", b.content_type.as_str()));
        }
        out
    }

    /// The path and query, exactly as written in the URL (`/` when the URL has no path).
    pub fn target(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.find(['/', '?']).map_or("/", |i| &rest[i..])
    }

    /// Whether the path holds a dot segment (`/.`), which clients resolve unless told not to.
    pub fn has_dot_segment(&self) -> bool {
        let target = self.target();
        let path = target.split('?').next().unwrap_or(target);
        path.contains("/.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_is_the_path_and_query_as_written() {
        let r = Request::new(Method::Get, "http://h:1/api/../x?q=/.");
        assert_eq!(r.target(), "/api/../x?q=/.");
        assert!(r.has_dot_segment());
        assert_eq!(Request::new(Method::Get, "http://h").target(), "/");
        assert!(!Request::new(Method::Get, "http://h/a?b=/.").has_dot_segment());
    }

    #[test]
    fn the_body_content_type_is_sent_unless_a_header_sets_it() {
        let mut r = Request::new(Method::Post, "http://h/");
        r.body = Some(Body::new("application/json", "{}"));
        assert_eq!(r.wire_headers(), [("content-type", "application/json")]);
        r.headers.push(("Content-Type".into(), "text/plain".into()));
        assert_eq!(r.wire_headers(), [("Content-Type", "text/plain")]);
    }
}
