//! Secrets kept out of a recording, as scenario reports keep them out: every value known to
//! be a credential (`--secret`, `--auth`, the credentials the request carried by its
//! security schemes and session carriers, cookies the answer sets) and every field whose
//! name says it holds one (`token`, `access_token`, `password`) is replaced by a
//! placeholder before a body becomes an example.

use cartwright_http::Answer;
use cartwright_model::{Api, Carrier, SchemeKind};
use serde_json::Value;

use crate::{Config, Incoming};

/// What stands for a redacted value in a recorded example.
pub(super) const PLACEHOLDER: &str = "[redacted]";

/// Values shorter than this are not treated as secrets: masking them would hide ordinary
/// text (the scenario masker uses the same bound).
const SHORTEST: usize = 4;

/// Every credential value in play for this exchange: the request's by what `api` declares
/// (when it routed), and the answer's when there is one.
pub(super) fn secrets(
    config: &Config,
    api: Option<&Api>,
    req: &Incoming,
    answer: Option<&Answer>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: &str| {
        let v = v.trim();
        if v.len() >= SHORTEST && !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    };
    for (_, v) in config.secrets.iter().chain(&config.credentials) {
        add(v);
    }
    if let Some(auth) = req.header("authorization") {
        add(auth.split_once(' ').map_or(auth, |(_, token)| token));
    }
    let mut headers: Vec<&str> = Vec::new();
    let mut cookies: Vec<&str> = Vec::new();
    let mut queries: Vec<&str> = Vec::new();
    let schemes = api.map_or(&[][..], |a| &a.security_schemes[..]);
    let sessions = api.map_or(&[][..], |a| &a.behaviours.sessions[..]);
    for (_, scheme) in schemes {
        match &scheme.kind {
            SchemeKind::ApiKeyHeader(n) => headers.push(n),
            SchemeKind::ApiKeyCookie(n) => cookies.push(n),
            SchemeKind::ApiKeyQuery(n) => queries.push(n),
            _ => {}
        }
    }
    for kind in sessions {
        for c in &kind.carriers {
            match c {
                Carrier::Header(n) => headers.push(n),
                Carrier::Cookie(n) => cookies.push(n),
                Carrier::Query(n) => queries.push(n),
                _ => {}
            }
        }
    }
    for h in &headers {
        if let Some(v) = req.header(*h) {
            add(v);
        }
        if let Some(v) = answer.and_then(|a| a.header(h)) {
            add(v);
        }
    }
    for c in &cookies {
        if let Some(v) = request_cookie(req, c) {
            add(v);
        }
    }
    let set_cookies = answer.map_or(&[][..], |a| &a.headers[..]);
    for (_, set) in set_cookies.iter().filter(|(n, _)| n == "set-cookie") {
        if let Some((_, rest)) = set.split_once('=') {
            add(rest.split(';').next().unwrap_or(""));
        }
    }
    for (k, v) in form_urlencoded::parse(req.query.as_deref().unwrap_or("").as_bytes()) {
        if queries.iter().any(|q| *q == k) {
            add(&v);
        }
    }
    out
}

fn request_cookie<'r>(req: &'r Incoming, name: &str) -> Option<&'r str> {
    req.header("cookie")?.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then_some(v.trim())
    })
}

/// The line with every secret value shown as `***`, as the journal shows credentials.
pub(super) fn mask_line(line: &str, secrets: &[String]) -> String {
    let mut out = line.to_owned();
    for s in secrets {
        out = out.replace(s.as_str(), "***");
    }
    out
}

/// Replaces secrets in `value`; returns how many values were replaced. A value found in a
/// credential field (`token`) counts as a secret wherever else the body repeats it.
pub(super) fn redact(value: &mut Value, secrets: &[String]) -> usize {
    let mut all = secrets.to_vec();
    named(value, &mut all);
    replace(value, &all)
}

/// Collects the values of credential fields.
fn named(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| named(v, out)),
        Value::Object(fields) => {
            for (k, v) in fields {
                match v {
                    Value::String(s) if credential_field(k) && s.len() >= SHORTEST => {
                        out.push(s.clone());
                    }
                    other => named(other, out),
                }
            }
        }
        _ => {}
    }
}

fn replace(value: &mut Value, secrets: &[String]) -> usize {
    match value {
        Value::String(s) if secrets.iter().any(|x| s.contains(x.as_str())) => {
            *s = PLACEHOLDER.to_owned();
            1
        }
        Value::Array(items) => items.iter_mut().map(|v| replace(v, secrets)).sum(),
        Value::Object(fields) => fields
            .iter_mut()
            .map(|(k, v)| match v {
                Value::String(s) if credential_field(k) && !s.is_empty() && s != PLACEHOLDER => {
                    *s = PLACEHOLDER.to_owned();
                    1
                }
                _ => replace(v, secrets),
            })
            .sum(),
        _ => 0,
    }
}

/// Whether a field's name says it holds a credential: the words the journal masks
/// parameters by, but not a field that only describes one (`token_type`, `expires_in`).
fn credential_field(name: &str) -> bool {
    let plain: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    crate::mask::credential(name, None) && !plain.ends_with("type") && !plain.contains("expire")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn named_fields_and_known_values_are_redacted() {
        let mut body = json!({
            "access_token": "eyJhbGciOi.x.y", "token_type": "Bearer", "expires_in": 3600,
            "customer": {"email": "a@b.c", "note": "key sk_live_123456 inside"},
            "items": [{"id": "sk_live_123456"}], "echo": "eyJhbGciOi.x.y"
        });
        let n = redact(&mut body, &["sk_live_123456".to_owned()]);
        assert_eq!(n, 4);
        assert_eq!(
            body["echo"], PLACEHOLDER,
            "a token's value is hidden wherever it recurs"
        );
        assert_eq!(body["access_token"], PLACEHOLDER);
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["customer"]["email"], "a@b.c");
        assert_eq!(body["customer"]["note"], PLACEHOLDER);
        assert_eq!(body["items"][0]["id"], PLACEHOLDER);
    }
}
