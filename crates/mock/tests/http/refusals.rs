//! Refusals in each API's own words, and `Prefer: code=` answering the declared response
//! without running any behaviour, over HTTP.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Stateful, start_spec};

async fn jwt() -> Stateful {
    let config = Config {
        secrets: vec![("jwt".into(), "test-signing-key".into())],
        ..Config::default()
    };
    start_spec("storefront-v2-jwt", config).await
}

/// 004: "Errors follow the platform's standard error envelope — branch on errorCode": a
/// request without a JWT, or with an `Authorization` that is no JWT, gets the declared
/// `errorCode` 401, never the mock's problem+json.
#[tokio::test]
async fn a_missing_jwt_is_refused_in_the_errorcode_envelope() {
    let s = jwt().await;
    for auth in [None, Some("Basic dXNlcjpwdw=="), Some("Bearer ")] {
        let mut rb = s.req("GET", "/basket");
        if let Some(a) = auth {
            rb = rb.header("Authorization", a);
        }
        let r = s.send(rb).await;
        assert_eq!(r.status, 401, "{auth:?}");
        assert_eq!(r.body["errorCode"], "UNAUTHORIZED", "{auth:?}: {}", r.body);
        assert_eq!(r.headers["content-type"], "application/json", "{auth:?}");
    }
}

/// specs/vendo-storefront.yaml declares 401 for `GET /account` as the Spree/JSON:API
/// `{"error": …}` in `application/vnd.api+json` ("You need to pass access_token as
/// Authorization: Bearer <access_token>"): without one, with another scheme or with a token
/// it never issued, that is the answer.
#[tokio::test]
async fn a_missing_vendo_access_token_is_refused_in_the_spree_error() {
    let v = start_spec("vendo-storefront", Config::default()).await;
    for auth in [
        None,
        Some("Basic dXNlcjpwdw=="),
        Some("Bearer not-a-token-it-issued"),
    ] {
        let mut rb = v.req("GET", "/account");
        if let Some(a) = auth {
            rb = rb.header("Authorization", a);
        }
        let r = v.send(rb).await;
        assert_eq!(r.status, 401, "{auth:?}");
        assert_eq!(
            r.body,
            json!({"error": "The access token is invalid"}),
            "{auth:?}"
        );
        assert_eq!(
            r.headers["content-type"], "application/vnd.api+json",
            "{auth:?}"
        );
    }
}

/// `Prefer: code=401` on login answers the declared 401 and issues nothing; on registration
/// `code=201` answers the declared example and registers no one.
#[tokio::test]
async fn a_forced_status_is_the_declared_answer_and_changes_no_state() {
    let s = jwt().await;
    let ada = json!({"email": "ada@example.com", "password": "correct-horse"});
    let forced = s
        .send(
            s.req("POST", "/customer/register")
                .header("Prefer", "code=201")
                .json(&ada),
        )
        .await;
    assert_eq!(forced.status, 201);
    let example =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGFAZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJl";
    assert_eq!(forced.body["token"], example, "the declared example");
    let login = s.send(s.req("POST", "/customer/login").json(&ada)).await;
    assert_eq!(login.status, 401, "nobody was registered: {}", login.body);

    let registered = s.send(s.req("POST", "/customer/register").json(&ada)).await;
    assert_eq!(registered.status, 201);
    let refused = s
        .send(
            s.req("POST", "/customer/login")
                .header("Prefer", "code=401")
                .json(&ada),
        )
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["errorCode"], "INVALID_CREDENTIALS");
    assert!(refused.body.get("token").is_none(), "{}", refused.body);
}

/// Vendo: `Prefer: code=201` on `POST /cart` is the declared example, and its token opens
/// no cart; `Prefer: code=401` on `POST /auth` sends no code.
#[tokio::test]
async fn a_forced_vendo_answer_creates_no_cart_and_sends_no_code() {
    let v = start_spec("vendo-storefront", Config::default()).await;
    let cart = v
        .send(v.req("POST", "/cart").header("Prefer", "code=201"))
        .await;
    assert_eq!(cart.status, 201);
    let token = cart.body["data"]["attributes"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(token, "zTEpsukRq_yEUcXVCSv0uw1632867307450");
    let opened = v
        .send(v.req("GET", "/cart").header("X-Vendo-Order-Token", &token))
        .await;
    assert_eq!(opened.status, 404, "the example token opens nothing");

    let auth = v
        .send(
            v.req("POST", "/auth")
                .header("Prefer", "code=401")
                .json(&json!({"user": {"email": "vendo@example.com"}})),
        )
        .await;
    assert_eq!(auth.status, 401);
    assert_eq!(auth.body["error"], "invalid_grant");
    let outbox: Value = v
        .admin("GET", "/outbox")
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    assert_eq!(outbox["messages"], json!([]), "no code was sent");
}
