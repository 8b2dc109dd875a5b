use base64::Engine;
use serde_json::json;

use crate::{json, start};

fn order() -> serde_json::Value {
    json!({"reference": "0b9c4e4e-6a8e-4f61-9a7a-3f5f3f1f2e11", "lines": [{"sku": "A", "qty": 1}]})
}

#[tokio::test]
async fn global_api_key_applies_and_anonymous_operations_are_open() {
    let s = start().await;
    let cart = json!({"currency": "EUR", "items": []});
    let res = s
        .client
        .post(s.url("/cart"))
        .json(&cart)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.headers()["www-authenticate"],
        "ApiKey realm=\"Test Shop\", name=\"X-Api-Key\""
    );
    let body = json(res).await;
    assert_eq!(body["errors"][0]["pointer"], "/header/X-Api-Key");
    let res = s
        .client
        .post(s.url("/cart"))
        .header("x-api-key", "anything")
        .json(&cart)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    // `security: []` overrides the global requirement.
    assert_eq!(
        s.client
            .get(s.url("/products/1"))
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
}

#[tokio::test]
async fn alternatives_are_or_and_schemes_within_one_are_and() {
    let s = start().await;
    let post = || s.client.post(s.url("/orders")).json(&order());
    let res = post().send().await.expect("send");
    assert_eq!(res.status(), 401);
    let challenge = res.headers()["www-authenticate"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        challenge.contains("Bearer realm=") && challenge.contains("Basic realm="),
        "{challenge}"
    );

    assert_eq!(
        post()
            .header("authorization", "Bearer abc")
            .send()
            .await
            .expect("send")
            .status(),
        201
    );
    let basic = base64::engine::general_purpose::STANDARD.encode("user:pw");
    assert_eq!(
        post()
            .header("authorization", format!("Basic {basic}"))
            .send()
            .await
            .expect("send")
            .status(),
        201
    );
    // apiKey AND sessionCookie: one alone is not enough.
    assert_eq!(
        post()
            .header("x-api-key", "k")
            .send()
            .await
            .expect("send")
            .status(),
        401
    );
    assert_eq!(
        post()
            .header("x-api-key", "k")
            .header("cookie", "sid=s1")
            .send()
            .await
            .expect("send")
            .status(),
        201
    );
}

#[tokio::test]
async fn malformed_credentials_are_401() {
    let s = start().await;
    let post = |auth: &str| {
        s.client
            .post(s.url("/orders"))
            .header("authorization", auth.to_owned())
            .json(&order())
            .send()
    };
    assert_eq!(post("Bearer").await.expect("send").status(), 401);
    assert_eq!(post("Token abc").await.expect("send").status(), 401);
    assert_eq!(
        post("Basic !!!notbase64").await.expect("send").status(),
        401
    );
}
