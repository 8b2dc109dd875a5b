//! The request as expressions see it (`request.*`, `secret.*`), and the session tokens it
//! carries. The view is made only when an expression reads `request`, and a JSON body the
//! request's validation already parsed is taken from there instead of parsed again.

use cartwright_model::{Carrier, RequestParts, SecretDef};
use serde_json::{Map, Value, json};

use super::tokens::same_secret;
use crate::Incoming;
use crate::negotiate::is_json;

/// What the request view is made from: the request, its path parameters, the secrets whose
/// headers it hides, and its body as validation parsed it.
#[derive(Clone, Copy)]
pub(crate) struct Seen<'r> {
    /// The request.
    pub req: &'r Incoming,
    /// Its decoded path parameters.
    pub params: &'r [(String, String)],
    /// The API's secrets: their headers are left out of `request.headers`.
    pub secrets: &'r [SecretDef],
    /// The body as validation parsed it, when it did.
    pub parsed: Option<&'r Value>,
    /// The parts expressions may read; the others are shown empty.
    pub parts: RequestParts,
}

/// The request as expressions see it: `method`, `path` (decoded parameters), `query`,
/// `headers` (lower-case names; headers that carry secrets left out) and `body`. A part no
/// expression reads is left empty (`{}`, the body `null`), as no expression can tell.
pub(super) fn request(seen: Seen<'_>) -> Value {
    let Seen {
        req,
        params,
        secrets,
        parsed,
        parts,
    } = seen;
    let mut path = Map::new();
    if parts.path {
        path = (params.iter())
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
    }
    let mut query = Map::new();
    if parts.query
        && let Some(q) = req.query.as_deref()
    {
        query = form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
            .collect();
    }
    let mut headers = Map::new();
    if parts.headers {
        let hidden: Vec<String> = secrets
            .iter()
            .flat_map(|s| s.headers.iter().map(|h| h.to_ascii_lowercase()))
            .collect();
        headers = (req.headers.iter())
            .filter(|(n, _)| !hidden.iter().any(|h| h == n.as_str()))
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), Value::from(v.to_str().ok()?))))
            .collect();
    }
    let body = if parts.body {
        body(req, parsed)
    } else {
        Value::Null
    };
    let mut out = Map::with_capacity(5);
    out.insert("method".into(), req.method.as_str().into());
    out.insert("path".into(), Value::Object(path));
    out.insert("query".into(), Value::Object(query));
    out.insert("headers".into(), Value::Object(headers));
    out.insert("body".into(), body);
    Value::Object(out)
}

/// The body: form fields as text, anything else as JSON (null when it is not). A JSON body
/// validation parsed is the same value `serde_json` reads here, so it is copied instead.
fn body(req: &Incoming, parsed: Option<&Value>) -> Value {
    let ct = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if req.body.is_empty() {
        Value::Null
    } else if let Some(v) = parsed.filter(|_| is_json(&ct)) {
        v.clone()
    } else if ct.contains("x-www-form-urlencoded") {
        Value::Object(
            form_urlencoded::parse(&req.body)
                .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
                .collect(),
        )
    } else {
        serde_json::from_slice(&req.body).unwrap_or(Value::Null)
    }
}

/// `request.body` as the view would show it, borrowed, when it is the JSON body validation
/// parsed (the view holds a copy of that same value); `None` when the view must be asked.
pub(super) fn parsed_body<'r>(seen: &Seen<'r>) -> Option<&'r Value> {
    let json = || is_json(seen.req.header("content-type").unwrap_or(""));
    (seen.parts.body && !seen.req.body.is_empty() && json())
        .then_some(seen.parsed)
        .flatten()
}

/// The token a request carries in the first carrier that has one; `params` are the
/// request's path parameters, for sessions named in the URL.
pub(super) fn token(
    req: &Incoming,
    params: &[(String, String)],
    carriers: &[Carrier],
) -> Option<String> {
    carriers
        .iter()
        .find_map(|c| match c {
            Carrier::Header(h) => req.header(h).map(str::to_owned),
            Carrier::Accept(p) => accept_param(req.header("accept")?, p),
            Carrier::Bearer => bearer(req.header("authorization")?),
            Carrier::Cookie(name) => req.header("cookie")?.split(';').find_map(|c| {
                let (k, v) = c.trim().split_once('=')?;
                (k == name).then(|| v.to_owned())
            }),
            Carrier::Query(q) => form_urlencoded::parse(req.query.as_deref()?.as_bytes())
                .find(|(k, _)| k == q)
                .map(|(_, v)| v.into_owned()),
            Carrier::Path(p) => params.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone()),
        })
        .filter(|t| !t.is_empty())
}

/// `Bearer xyz` → `xyz`; a bare token is taken as it is (some APIs say "without Bearer").
fn bearer(h: &str) -> Option<String> {
    let h = h.trim();
    match h.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => Some(t.trim().to_owned()),
        Some(_) => None,
        None => Some(h.to_owned()),
    }
}

/// A parameter of any media range in an `Accept` header (`*/*; api-token=abc`).
fn accept_param(accept: &str, name: &str) -> Option<String> {
    accept.split(',').find_map(|range| {
        range.split(';').skip(1).find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().trim_matches('"').to_owned())
        })
    })
}

/// Which declared secrets the request carries correctly: `secret.<name>` is true or false.
pub(super) fn secrets(req: &Incoming, defs: &[SecretDef], values: &[(String, String)]) -> Value {
    let mut out = Map::new();
    for def in defs {
        let expected = values.iter().find(|(n, _)| *n == def.name).map(|(_, v)| v);
        let given = def.headers.iter().filter_map(|h| req.header(h)).any(|v| {
            let v = match &def.scheme {
                Some(s) => v
                    .trim()
                    .split_once(' ')
                    .filter(|(p, _)| p.eq_ignore_ascii_case(s))
                    .map_or(v, |(_, t)| t),
                None => v,
            };
            expected.is_some_and(|e| same_secret(v.trim(), e))
        });
        out.insert(def.name.clone(), json!(given));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_parameters_and_bearer() {
        assert_eq!(
            accept_param("*/*; api-token=abc", "api-token").as_deref(),
            Some("abc")
        );
        assert_eq!(
            accept_param("application/json, */*;q=0.5; API-Token=\"x\"", "api-token").as_deref(),
            Some("x")
        );
        assert_eq!(accept_param("*/*", "api-token"), None);
        assert_eq!(bearer("Bearer t0k").as_deref(), Some("t0k"));
        assert_eq!(bearer("t0k").as_deref(), Some("t0k"));
        assert_eq!(bearer("Basic abc"), None);
    }

    fn post(content_type: &str, body: &'static str) -> Incoming {
        let mut req = Incoming::new(http::Method::POST, "/cart?x=1");
        let value = http::HeaderValue::from_str(content_type).expect("a header value");
        req.headers.insert(http::header::CONTENT_TYPE, value);
        req.headers
            .insert("x-api-key", http::HeaderValue::from_static("s3cret"));
        req.body = bytes::Bytes::from_static(body.as_bytes());
        req
    }

    /// Validation's parsed body stands in for parsing it again only where both read JSON:
    /// a form body (which validation coerces to its schema's types) and a text body (which
    /// validation keeps as a string) are read here as they always were.
    #[test]
    fn the_parsed_body_is_taken_only_for_json() {
        let stand_in = json!({"taken": "from validation"});
        let json_req = post("application/vnd.api+json; charset=utf-8", r#"{"a": 1}"#);
        assert_eq!(body(&json_req, Some(&stand_in)), stand_in);
        assert_eq!(body(&json_req, None), json!({"a": 1}));
        let form = post("application/x-www-form-urlencoded", "q=2&name=x");
        let coerced = json!({"q": 2, "name": "x"});
        assert_eq!(body(&form, Some(&coerced)), json!({"q": "2", "name": "x"}));
        let text = post("text/plain", r#"{"b": true}"#);
        let as_text = json!(r#"{"b": true}"#);
        assert_eq!(body(&text, Some(&as_text)), json!({"b": true}));
    }

    #[test]
    fn the_view_hides_secret_headers_and_shows_the_rest() {
        let req = post("application/json", r#"{"a": 1}"#);
        let params = [("id".to_owned(), "7".to_owned())];
        let secrets = [SecretDef {
            name: "key".into(),
            headers: vec!["X-API-Key".into()],
            scheme: None,
        }];
        let seen = Seen {
            req: &req,
            params: &params,
            secrets: &secrets,
            parsed: None,
            parts: RequestParts::ALL,
        };
        let v = request(seen);
        assert_eq!(v["method"], "POST");
        assert_eq!(v["path"], json!({"id": "7"}));
        assert_eq!(v["query"], json!({"x": "1"}));
        assert_eq!(v["headers"], json!({"content-type": "application/json"}));
        assert_eq!(v["body"], json!({"a": 1}));
        let only_body = RequestParts {
            body: true,
            ..RequestParts::NONE
        };
        let v = request(Seen {
            parts: only_body,
            ..seen
        });
        assert_eq!(
            v,
            json!({"method": "POST", "path": {}, "query": {}, "headers": {}, "body": {"a": 1}})
        );
    }
}
