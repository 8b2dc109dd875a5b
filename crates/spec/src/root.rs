//! What the document says once for every operation: base paths (from `servers`) and
//! security schemes.

use cartwright_model::{SchemeKind, SecurityScheme};
use serde_json::Value;

use cartwright_source::pointer::deref;

/// Base paths from `servers` (variables take their defaults); `""` when one serves at the root.
pub(crate) fn base_paths(doc: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for server in doc
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            continue;
        };
        let mut url = url.to_owned();
        for (name, var) in server
            .get("variables")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let default = var.get("default").and_then(Value::as_str).unwrap_or("");
            url = url.replace(&format!("{{{name}}}"), default);
        }
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]).to_owned(),
            None => url,
        };
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_owned();
        if !out.contains(&path) {
            out.push(path);
        }
    }
    if out.iter().all(String::is_empty) {
        return Vec::new();
    }
    out
}

/// The document's security schemes by name (`$ref`s followed), as the mock checks them.
pub(crate) fn security_schemes(doc: &Value) -> Vec<(String, SecurityScheme)> {
    let mut out = Vec::new();
    for (name, s) in doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some((s, _)) = deref(doc, s, "") else {
            continue;
        };
        let field = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let kind = match (field("type").as_str(), field("in").as_str()) {
            ("apiKey", "header") => SchemeKind::ApiKeyHeader(field("name")),
            ("apiKey", "query") => SchemeKind::ApiKeyQuery(field("name")),
            ("apiKey", "cookie") => SchemeKind::ApiKeyCookie(field("name")),
            ("http", _) if field("scheme").eq_ignore_ascii_case("basic") => SchemeKind::Basic,
            ("http", _) if field("scheme").eq_ignore_ascii_case("bearer") => SchemeKind::Bearer,
            ("http", _) => SchemeKind::OtherHttp(field("scheme")),
            ("oauth2" | "openIdConnect", _) => SchemeKind::Bearer,
            _ => SchemeKind::Unchecked,
        };
        out.push((name.clone(), SecurityScheme { kind }));
    }
    out
}
