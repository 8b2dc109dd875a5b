//! `--allow-origin` on the GraphQL mock, as on the REST mock: seed 001's "When a non-allowed
//! origin is used, the API will respond with a status 401 Unauthorized".

use serde_json::json;

use super::{SCHEMA, SESSION, config, start_with};

const TYPENAME: &str = "{ __typename }";

#[tokio::test]
async fn origins_outside_the_allow_list_get_401() {
    let s = start_with(
        SCHEMA,
        cartwright_graphql::Config {
            allow_origins: Some(vec!["https://allowed-origin.example.com".into()]),
            ..config()
        },
    )
    .await;
    let allowed = s
        .post(
            Some(SESSION),
            &[("Origin", "https://allowed-origin.example.com")],
            TYPENAME,
            json!({}),
        )
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let denied = s
        .post(
            Some(SESSION),
            &[("Origin", "https://evil.example")],
            TYPENAME,
            json!({}),
        )
        .await;
    assert_eq!(denied.status, 401, "{}", denied.body);
    assert!(denied.error().contains("https://evil.example"));
    let preflight = s
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", s.base))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), 401);
    assert!(
        !preflight
            .headers()
            .contains_key("access-control-allow-origin")
    );
    // Server-side calls carry no Origin and are not checked.
    let server_side = s.post(Some(SESSION), &[], TYPENAME, json!({})).await;
    assert_eq!(server_side.status, 200);
}
