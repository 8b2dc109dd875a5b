//! The JWT storefront's basket and orders belong to the customer, not to one token; a
//! signed-in customer refreshes the JWT before it expires. Over HTTP.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Stateful, start_spec};

async fn shop() -> Stateful {
    let config = Config {
        secrets: vec![("jwt".into(), "test-signing-key".into())],
        ..Config::default()
    };
    start_spec("storefront-v2-jwt", config).await
}

fn jwt(body: &Value) -> String {
    body["token"].as_str().expect("a token").to_owned()
}

async fn login(s: &Stateful, email: &str) -> String {
    let r = s
        .send(
            s.req("POST", "/customer/login")
                .json(&json!({"email": email, "password": "correct-horse"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    jwt(&r.body)
}

async fn basket(s: &Stateful, token: &str) -> Value {
    let r = s.send(s.req("GET", "/basket").bearer_auth(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// 004: "Basket & Order — create and manage shopping baskets, place orders (member or guest),
/// follow order history": a second login of the same customer (a new JWT) sees the basket and
/// the orders the first one made; another customer sees neither.
#[tokio::test]
async fn a_second_login_sees_the_same_basket_and_orders() {
    let s = shop().await;
    for email in ["ada@example.com", "bob@example.com"] {
        let r = s
            .send(
                s.req("POST", "/customer/register")
                    .json(&json!({"email": email, "password": "correct-horse"})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let first = login(&s, "ada@example.com").await;
    let added = s
        .send(
            s.req("POST", "/basket/items")
                .bearer_auth(&first)
                .json(&json!({"productId": "P-100", "quantity": 2})),
        )
        .await;
    assert_eq!(added.status, 200);
    let second = login(&s, "ada@example.com").await;
    assert_ne!(first, second);
    assert_eq!(basket(&s, &second).await["items"][0]["quantity"], 2);
    let order = s
        .send(
            s.req("POST", "/orders")
                .bearer_auth(&second)
                .json(&json!({"reference": "3f6c2a9e-1b7d-4c1e-9a55-2d8e6f0b7c41"})),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let history = s.send(s.req("GET", "/orders").bearer_auth(&first)).await;
    assert_eq!(history.body["items"][0]["orderId"], order.body["orderId"]);
    let bob = login(&s, "bob@example.com").await;
    assert_eq!(basket(&s, &bob).await["items"], json!([]));
    let theirs = s.send(s.req("GET", "/orders").bearer_auth(&bob)).await;
    assert_eq!(theirs.body["items"], json!([]));
}

/// 004: "Refresh tokens proactively before they expire to avoid interrupting the customer
/// experience": a JWT refreshed before it expires gives a new one that opens the same basket
/// after the old one has expired.
#[tokio::test]
async fn a_refreshed_jwt_opens_the_same_basket() {
    let s = shop().await;
    let r = s
        .send(
            s.req("POST", "/customer/register")
                .json(&json!({"email": "ada@example.com", "password": "correct-horse"})),
        )
        .await;
    let old = jwt(&r.body);
    s.send(
        s.req("POST", "/basket/items")
            .bearer_auth(&old)
            .json(&json!({"productId": "P-200"})),
    )
    .await;
    s.advance("50m").await;
    let refreshed = s
        .send(s.req("POST", "/customer/refresh-token").bearer_auth(&old))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    assert_eq!(refreshed.body["customer"]["email"], "ada@example.com");
    let new = jwt(&refreshed.body);
    assert_ne!(new, old);
    s.advance("15m").await;
    let expired = s.send(s.req("GET", "/basket").bearer_auth(&old)).await;
    assert_eq!(expired.status, 401);
    assert_eq!(
        basket(&s, &new).await["items"][0]["productId"],
        "P-200",
        "the refreshed JWT opens the customer's basket"
    );
    let without = s.send(s.req("POST", "/customer/refresh-token")).await;
    assert_eq!(without.status, 401);
    assert_eq!(without.body["errorCode"], "UNAUTHORIZED");
}
