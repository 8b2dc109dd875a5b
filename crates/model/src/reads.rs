//! Which parts of the request a binding's expressions may read (`request.body`,
//! `request.headers['x']`), found at load from their text, so the view of the request that
//! expressions see is made with those parts only. The reading errs on the side of more: a
//! `request` it cannot follow to one part (`request[k]`, `request | items`) reads them all.

/// The parts of `request` expressions may read. `method` is always shown (it costs nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestParts {
    /// `request.path`: decoded path parameters.
    pub path: bool,
    /// `request.query`.
    pub query: bool,
    /// `request.headers`.
    pub headers: bool,
    /// `request.body`.
    pub body: bool,
}

/// Every part: a binding nobody has read shows the whole request.
impl Default for RequestParts {
    fn default() -> Self {
        RequestParts::ALL
    }
}

impl RequestParts {
    /// Every part.
    pub const ALL: RequestParts = RequestParts {
        path: true,
        query: true,
        headers: true,
        body: true,
    };

    /// No part.
    pub const NONE: RequestParts = RequestParts {
        path: false,
        query: false,
        headers: false,
        body: false,
    };

    /// The parts this one or `other` reads.
    pub fn or(self, other: RequestParts) -> RequestParts {
        RequestParts {
            path: self.path || other.path,
            query: self.query || other.query,
            headers: self.headers || other.headers,
            body: self.body || other.body,
        }
    }

    /// The parts an expression's text may read.
    pub fn of(source: &str) -> RequestParts {
        const NAME: &str = "request";
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let bytes = source.as_bytes();
        let mut parts = RequestParts::NONE;
        let mut from = 0;
        while let Some(found) = source[from..].find(NAME) {
            let (at, end) = (from + found, from + found + NAME.len());
            from = end;
            // `x.request` and `requests` are other names.
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|c| ident(c) || c == b'.')
                || bytes.get(end).is_some_and(|c| ident(*c))
            {
                continue;
            }
            match part(source[end..].trim_start()) {
                Some("path") => parts.path = true,
                Some("query") => parts.query = true,
                Some("headers") => parts.headers = true,
                Some("body") => parts.body = true,
                // `method`, or a name the view does not have (undefined either way).
                Some(_) => {}
                None => return RequestParts::ALL,
            }
        }
        parts
    }
}

/// The part named right after `request`: `.name` or `['name']`; `None` for anything else.
fn part(rest: &str) -> Option<&str> {
    if let Some(r) = rest.strip_prefix('.') {
        let r = r.trim_start();
        let end = r
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(r.len());
        return (end > 0).then(|| &r[..end]);
    }
    let r = rest.strip_prefix('[')?.trim_start();
    let q = r.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let (name, after) = r[1..].split_once(q)?;
    after.trim_start().starts_with(']').then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(src: &str) -> (bool, bool, bool, bool) {
        let p = RequestParts::of(src);
        (p.path, p.query, p.headers, p.body)
    }

    #[test]
    fn named_parts_are_read_and_anything_else_reads_all() {
        assert_eq!(parts("state.email"), (false, false, false, false));
        assert_eq!(
            parts("request.body.user.email | lower"),
            (false, false, false, true)
        );
        assert_eq!(
            parts("request . query['page'] ~ request['headers'].x ~ request.path.id"),
            (true, true, true, false)
        );
        assert_eq!(
            parts("request.method == 'GET'"),
            (false, false, false, false)
        );
        assert_eq!(
            parts("this.request ~ requests ~ my_request"),
            (false, false, false, false)
        );
        for all in [
            "request",
            "request[k]",
            "request | items",
            "request['a' ~ 'b']",
            "x ~ request",
        ] {
            assert_eq!(RequestParts::of(all), RequestParts::ALL, "{all}");
        }
        let p = RequestParts::of("request.body.a").or(RequestParts::of("request.headers.b"));
        assert_eq!((p.headers, p.body, p.path), (true, true, false));
    }
}
