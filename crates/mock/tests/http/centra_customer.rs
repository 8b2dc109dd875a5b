//! A Centra Checkout customer's selection across sessions, bound in
//! specs/centra-checkout.yaml, over HTTP: "The API allows customer to register, modify their
//! customer details, sign in, forgot password/reset password and sign out. This will also make
//! sure the customer can maintain its cart across multiple sessions and browsers."

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::start_spec;

/// A new session's token.
async fn session(c: &crate::Stateful) -> String {
    let r = c.send(c.req("GET", "/selection")).await;
    r.body["token"].as_str().expect("a token").to_owned()
}

/// The items of a session's selection.
async fn items(c: &crate::Stateful, token: &str) -> Vec<Value> {
    let r = c
        .send(c.req("GET", "/selection").header("API-token", token))
        .await;
    r.body["selection"]["items"]
        .as_array()
        .expect("items")
        .clone()
}

async fn post(c: &crate::Stateful, path: &str, token: &str, body: Value) -> crate::stateful::Reply {
    c.send(c.req("POST", path).header("API-token", token).json(&body))
        .await
}

/// What a customer put in the cart in one browser is in the cart of another once they sign in
/// there, and what they add there is in the first one too: one cart, however many sessions.
#[tokio::test]
async fn the_cart_follows_the_customer_to_another_session() {
    let c = start_spec("centra-checkout", Config::default()).await;
    let first = session(&c).await;
    let reg = json!({"email": "sam@example.com", "password": "pw"});
    assert_eq!(post(&c, "/register", &first, reg).await.status, 201);
    assert_eq!(post(&c, "/items/61-1", &first, json!({})).await.status, 201);
    let second = session(&c).await;
    assert_ne!(first, second);
    assert_eq!(items(&c, &second).await, Vec::<Value>::new());
    let login = post(
        &c,
        "/login/sam@example.com",
        &second,
        json!({"password": "pw"}),
    )
    .await;
    assert_eq!(login.status, 200);
    assert_eq!(login.body["selection"]["items"][0]["item"], "61-1");
    let there = items(&c, &second).await;
    assert_eq!(there.len(), 1);
    assert_eq!(
        post(&c, "/items/62-1", &second, json!({})).await.status,
        201
    );
    let back = items(&c, &first).await;
    let names: Vec<&Value> = back.iter().map(|i| &i["item"]).collect();
    assert_eq!(names, [&json!("61-1"), &json!("62-1")]);
}

/// The cart is the customer's: a wrong password opens nothing, and another customer signing in
/// elsewhere finds their own, empty cart.
#[tokio::test]
async fn nobody_else_gets_the_customers_cart() {
    let c = start_spec("centra-checkout", Config::default()).await;
    let first = session(&c).await;
    let reg = json!({"email": "kim@example.com", "password": "pw"});
    post(&c, "/register", &first, reg).await;
    post(&c, "/items/61-1", &first, json!({})).await;
    let stranger = session(&c).await;
    let wrong = post(
        &c,
        "/login/kim@example.com",
        &stranger,
        json!({"password": "no"}),
    )
    .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(items(&c, &stranger).await, Vec::<Value>::new());
    let other = json!({"email": "lee@example.com", "password": "pw2"});
    assert_eq!(post(&c, "/register", &stranger, other).await.status, 201);
    let elsewhere = session(&c).await;
    let login = post(
        &c,
        "/login/lee@example.com",
        &elsewhere,
        json!({"password": "pw2"}),
    )
    .await;
    assert_eq!(login.status, 200);
    assert_eq!(items(&c, &elsewhere).await, Vec::<Value>::new());
}
