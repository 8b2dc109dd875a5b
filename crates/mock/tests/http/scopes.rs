//! OAuth2 scopes named by a security requirement, held against the scopes a JWT states.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cartwright_mock::Config;
use serde_json::json;

use crate::start_with;

/// A spec whose write operation requires the `cart:write` scope and answers 403 in its own
/// envelope.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Scoped Shop, version: "1"}
servers: [{url: /api/shop}]
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {cart:read: read carts, cart:write: change carts}
paths:
  /cart:
    get:
      security: [{oauth: [cart:read]}]
      responses:
        "200": {description: ok, content: {application/json: {example: {items: []}}}}
    post:
      security: [{oauth: [cart:write]}]
      responses:
        "201": {description: created, content: {application/json: {example: {items: []}}}}
        "403":
          description: The token lacks a scope.
          content:
            application/json:
              example: {errorCode: INSUFFICIENT_SCOPE, message: The token lacks a scope.}
"#;

fn jwt(claims: serde_json::Value) -> String {
    format!(
        "eyJhbGciOiJIUzI1NiJ9.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The requirement `oauth: [cart:write]` is the spec's declaration: a token stating only
/// `cart:read` is refused with 403 `insufficient_scope` (RFC 6750), in the declared answer;
/// one granting `cart:write`, or an opaque token the mock cannot read, is let through.
#[tokio::test]
async fn a_jwt_lacking_a_required_scope_is_refused() {
    let s = start_with(SPEC, Config::default()).await;
    let reader = jwt(json!({"sub": "ada", "scope": "cart:read"}));
    let writer = jwt(json!({"sub": "ada", "scope": "cart:read cart:write"}));
    let post = |token: &str| s.client.post(s.url("/cart")).bearer_auth(token).send();
    let refused = post(&reader).await.expect("send");
    assert_eq!(refused.status(), 403);
    let challenge = refused.headers()["www-authenticate"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        challenge.contains("insufficient_scope") && challenge.contains("cart:write"),
        "{challenge}"
    );
    let body: serde_json::Value = refused.json().await.expect("json");
    assert_eq!(body["errorCode"], "INSUFFICIENT_SCOPE");
    assert_eq!(post(&writer).await.expect("send").status(), 201);
    assert_eq!(post("opaque-token").await.expect("send").status(), 201);
    let read = s
        .client
        .get(s.url("/cart"))
        .bearer_auth(&reader)
        .send()
        .await
        .expect("send");
    assert_eq!(read.status(), 200);
    let anonymous = s.client.post(s.url("/cart")).send().await.expect("send");
    assert_eq!(anonymous.status(), 401);
}

/// `--auth oauth=TOKEN` on the mock: the scheme accepts only that token, so a client's
/// mangled or made-up token is refused as a real server refuses it (and `cartwright verify
/// --auth oauth=TOKEN` finds the mock does not ignore credentials).
#[tokio::test]
async fn a_configured_credential_is_the_only_one_accepted() {
    let writer = jwt(json!({"sub": "ada", "scope": "cart:read cart:write"}));
    let config = Config {
        credentials: vec![("oauth".into(), writer.clone())],
        ..Config::default()
    };
    let s = start_with(SPEC, config).await;
    let post = |token: &str| s.client.post(s.url("/cart")).bearer_auth(token).send();
    assert_eq!(post(&writer).await.expect("send").status(), 201);
    let mangled = format!("{writer}x");
    for other in [mangled.as_str(), "opaque-token"] {
        let res = post(other).await.expect("send");
        assert_eq!(res.status(), 401, "{other}");
        let body = res.text().await.expect("text");
        assert!(
            !body.contains(&writer),
            "the configured token is never shown"
        );
    }
}
