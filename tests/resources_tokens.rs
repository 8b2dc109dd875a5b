//! A session carrier that answers return in their body (Spree v3's cart `token`, which
//! requests send back as `X-Spree-Token`) is minted into each new item: two carts of the
//! unmodified Spree v3 spec never share the spec's example token, and a cart read back shows
//! the token it was made with.

mod support;

use std::path::Path;

use serde_json::{Value, json};

fn spree_v3() -> cartwright_model::Api {
    support::load_lenient(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/spree-store-api-v3.yaml"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_new_cart_gets_a_token_of_its_own_and_keeps_it() {
    let api = spree_v3();
    // The carrier the map infers is what this test is about: if it goes, so does the minting.
    let carrier = api
        .resources
        .carriers
        .iter()
        .find(|c| c.header == "x-spree-token");
    assert_eq!(carrier.map(|c| c.returned.as_str()), Some("body /token"));
    let s = support::serve(api).await;
    let auth = [
        ("x-spree-api-key", "pk_test"),
        ("authorization", "Bearer t"),
    ];
    let make = || support::exchange(&s, "POST", "/api/v3/store/carts", &auth, Some(json!({})));
    let mut carts: Vec<Value> = Vec::new();
    for _ in 0..2 {
        let (status, _, made) = make().await;
        assert!((200..300).contains(&status), "{status} {made}");
        carts.push(made);
    }
    let token = |cart: &Value| cart["token"].as_str().expect("a token").to_owned();
    let (a, b) = (token(&carts[0]), token(&carts[1]));
    assert_ne!(a, b, "each cart has its own token, not the spec's example");
    for t in [&a, &b] {
        assert!(
            t.len() == 32 && t.bytes().all(|c| c.is_ascii_hexdigit()),
            "{t}"
        );
    }
    let id = carts[0]["id"].as_str().expect("an id");
    let path = format!("/api/v3/store/carts/{id}");
    let (status, _, read) = support::exchange(&s, "GET", &path, &auth, None).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        read["token"],
        a.as_str(),
        "the cart keeps the token it was made with"
    );
}

/// A carrier whose schema declares `format: uuid` is minted as a UUID.
const SESSIONS: &str = r##"
openapi: 3.0.3
info: {title: sessions, version: "1"}
paths:
  /sessions:
    post:
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Session"}
  /sessions/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: X-Session-Token, in: header, schema: {type: string}}
      responses:
        "200":
          description: the session
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Session"}
components:
  schemas:
    Session:
      type: object
      required: [id, session_token]
      properties:
        id: {type: string}
        session_token: {type: string, format: uuid, example: 00000000-0000-0000-0000-000000000000}
"##;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_carrier_declared_as_a_uuid_is_minted_as_one() {
    let api = support::load_text("sessions.yaml", SESSIONS);
    let carrier = api
        .resources
        .carriers
        .iter()
        .find(|c| c.header == "X-Session-Token");
    assert_eq!(
        carrier.map(|c| c.returned.as_str()),
        Some("body /session_token")
    );
    let s = support::serve(api).await;
    let (status, _, made) = support::exchange(&s, "POST", "/sessions", &[], None).await;
    assert_eq!(status, 201, "{made}");
    let token = made["session_token"].as_str().expect("a token");
    assert_ne!(token, "00000000-0000-0000-0000-000000000000");
    let groups: Vec<usize> = token.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{token}");
}
