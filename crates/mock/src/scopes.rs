//! OAuth2 scopes a security requirement declares (`- oauth: [cart:write]`), held against the
//! scopes a bearer token states. The mock cannot know what an opaque token was granted, so
//! only a JWT's own `scope` (space-separated, RFC 9068) or `scp` (a list) claim is read; a
//! token that states no scopes is taken as it is, as the mock takes any well-formed
//! credential. A token that states scopes without a required one is refused with 403
//! `insufficient_scope` (RFC 6750 §3.1).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// The required scopes a JWT's claims do not grant; empty when all are granted or the token
/// states no scopes (or is no JWT).
pub(crate) fn missing<'s>(token: &str, required: &'s [String]) -> Vec<&'s str> {
    if required.is_empty() {
        return Vec::new();
    }
    let Some(granted) = granted(token) else {
        return Vec::new();
    };
    required
        .iter()
        .map(String::as_str)
        .filter(|r| !granted.iter().any(|g| g == r))
        .collect()
}

/// The scopes a JWT's payload grants, when it states any.
fn granted(token: &str) -> Option<Vec<String>> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => Some(s.split_whitespace().map(str::to_owned).collect()),
        (_, Some(Value::Array(list))) => Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        (_, Some(Value::String(s))) => Some(s.split_whitespace().map(str::to_owned).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn only_stated_scopes_are_judged() {
        let need = vec!["cart:write".to_owned()];
        assert_eq!(
            missing(&jwt(r#"{"scope":"cart:read"}"#), &need),
            ["cart:write"]
        );
        assert!(missing(&jwt(r#"{"scope":"cart:read cart:write"}"#), &need).is_empty());
        assert!(missing(&jwt(r#"{"scp":["cart:write"]}"#), &need).is_empty());
        assert!(missing(&jwt(r#"{"sub":"ada"}"#), &need).is_empty());
        assert!(missing("opaque-token", &need).is_empty());
    }
}
