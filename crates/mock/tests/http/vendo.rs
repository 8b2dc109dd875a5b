//! Vendo one-time-code login, token pairs, order tokens and carts, bound in
//! specs/vendo-storefront.yaml, over HTTP.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Stateful, start_spec};

async fn vendo() -> Stateful {
    start_spec("vendo-storefront", Config::default()).await
}

/// The newest code the outbox holds for `email`.
async fn code_for(v: &Stateful, email: &str) -> String {
    let r = v
        .admin("GET", &format!("/outbox?to={email}"))
        .send()
        .await
        .expect("outbox");
    let body: Value = r.json().await.expect("json");
    let messages = body["messages"].as_array().expect("messages");
    messages
        .last()
        .and_then(|m| m["code"].as_str())
        .expect("a code was sent")
        .to_owned()
}

/// Logs in with a code and returns the token pair.
async fn login(v: &Stateful, email: &str) -> Value {
    let sent = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": email, "first_name": "Vendo"}})),
        )
        .await;
    assert_eq!(sent.body, json!({"message": "Code sent"}));
    let code = code_for(v, email).await;
    let r = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": email, "code": code}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// "The customer should now receive an email with the OTP code that you should send as code
/// parameter to receive the access_token"; a code works once.
#[tokio::test]
async fn a_code_from_the_outbox_gives_a_token_pair_once() {
    let v = vendo().await;
    let pair = login(&v, "vendo@example.com").await;
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 2_678_400);
    assert!(
        pair["created_at"].is_i64()
            && pair["refresh_token"]
                .as_str()
                .is_some_and(|t| t.len() >= 22)
    );
    let code = code_for(&v, "vendo@example.com").await;
    assert!(
        code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
        "{code}"
    );
    let reused = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": "vendo@example.com", "code": code}})),
        )
        .await;
    assert_eq!(reused.status, 401, "a used code is refused");
    v.send(
        v.req("POST", "/auth")
            .json(&json!({"user": {"email": "vendo@example.com"}})),
    )
    .await;
    let good = code_for(&v, "vendo@example.com").await;
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let r = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": "vendo@example.com", "code": wrong}})),
        )
        .await;
    assert_eq!(r.status, 401, "a wrong code is refused");
    let account = v
        .send(
            v.req("GET", "/account")
                .bearer_auth(pair["access_token"].as_str().expect("t")),
        )
        .await;
    assert_eq!(account.status, 200);
    assert_eq!(
        account.body["data"]["attributes"]["email"],
        "vendo@example.com"
    );
    assert_eq!(
        account.body["data"]["attributes"]["first_name"], "Vendo",
        "the user was created with the given name"
    );
}

/// A fixed code may be configured for local development.
#[tokio::test]
async fn a_fixed_code_can_be_configured() {
    let v = start_spec(
        "vendo-storefront",
        Config {
            otp_code: Some("123456".into()),
            ..Config::default()
        },
    )
    .await;
    v.send(
        v.req("POST", "/auth")
            .json(&json!({"user": {"email": "dev@example.com"}})),
    )
    .await;
    let r = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": "dev@example.com", "code": "123456"}})),
        )
        .await;
    assert_eq!(r.status, 200);
}

/// "this will return the same format JSON response (but with different access and refresh
/// token)"; the old refresh token stops working; revoked and expired tokens give 401.
#[tokio::test]
async fn refresh_rotates_revoke_revokes_and_tokens_expire() {
    let v = vendo().await;
    let pair = login(&v, "r@example.com").await;
    let refresh = pair["refresh_token"].as_str().expect("refresh").to_owned();
    let body = json!({"user": {"email": "r@example.com", "refresh_token": refresh}});
    let next = v.send(v.req("POST", "/auth").json(&body)).await;
    assert_eq!(next.status, 200);
    assert_ne!(next.body["access_token"], pair["access_token"]);
    assert_ne!(next.body["refresh_token"], pair["refresh_token"]);
    assert_eq!(
        v.send(v.req("POST", "/auth").json(&body)).await.status,
        401,
        "a refresh token works once"
    );
    let access = next.body["access_token"]
        .as_str()
        .expect("access")
        .to_owned();
    assert_eq!(
        v.send(v.req("GET", "/account").bearer_auth(&access))
            .await
            .status,
        200
    );
    assert_eq!(
        v.send(v.req("DELETE", &format!("/auth/{access}")))
            .await
            .status,
        204
    );
    assert_eq!(
        v.send(v.req("GET", "/account").bearer_auth(&access))
            .await
            .status,
        401,
        "revoked"
    );
    let new_refresh = next.body["refresh_token"].as_str().expect("r").to_owned();
    v.send(v.req("DELETE", &format!("/auth/{new_refresh}")))
        .await;
    let r = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": "r@example.com", "refresh_token": new_refresh}})),
        )
        .await;
    assert_eq!(r.status, 401, "a revoked refresh token is refused");
    let third = login(&v, "r@example.com").await;
    let t = third["access_token"].as_str().expect("t").to_owned();
    v.advance("30d").await;
    assert_eq!(
        v.send(v.req("GET", "/account").bearer_auth(&t))
            .await
            .status,
        200,
        "still valid after 30 days"
    );
    v.advance("1d").await;
    assert_eq!(
        v.send(v.req("GET", "/account").bearer_auth(&t))
            .await
            .status,
        401,
        "expired after 2678400 s"
    );
}

fn token(cart: &Value) -> String {
    cart["data"]["attributes"]["token"]
        .as_str()
        .expect("order token")
        .to_owned()
}

/// "The most important is the token attribute ... You need to use that token in a header
/// called X-Vendo-Order-Token"; totals follow the lines; another token never reads the cart.
#[tokio::test]
async fn carts_keep_items_and_totals_add_up() {
    let v = vendo().await;
    let cart = v.send(v.req("POST", "/cart")).await;
    assert_eq!(cart.status, 201);
    let t = token(&cart.body);
    let add = |variant: &str, quantity: u32| {
        v.req("POST", "/cart/add_item")
            .header("X-Vendo-Order-Token", &t)
            .json(&json!({"variant_id": variant, "quantity": quantity}))
    };
    v.send(add("1", 2)).await;
    v.send(add("2", 1)).await;
    let r = v.send(add("1", 1)).await;
    assert_eq!(r.status, 200);
    let read = v
        .send(v.req("GET", "/cart").header("X-Vendo-Order-Token", &t))
        .await;
    let a = &read.body["data"]["attributes"];
    assert_eq!(a["item_count"], 4);
    assert_eq!(a["item_total"], "72.47");
    assert_eq!(a["total"], "72.47");
    assert_eq!(read.body["included"].as_array().map(Vec::len), Some(2));
    assert_eq!(read.body["included"][0]["attributes"]["total"], "59.97");
    let line = read.body["included"][1]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let removed = v
        .send(
            v.req("DELETE", &format!("/cart/remove_line_item/{line}"))
                .header("X-Vendo-Order-Token", &t),
        )
        .await;
    assert_eq!(removed.body["data"]["attributes"]["item_total"], "59.97");
    let other = token(&v.send(v.req("POST", "/cart")).await.body);
    let theirs = v
        .send(v.req("GET", "/cart").header("X-Vendo-Order-Token", &other))
        .await;
    assert_eq!(
        theirs.body["data"]["attributes"]["item_count"], 0,
        "another session's token sees its own cart"
    );
    assert_eq!(
        v.send(
            v.req("GET", "/cart")
                .header("X-Vendo-Order-Token", "made-up")
        )
        .await
        .status,
        404
    );
    assert_eq!(v.send(add("999", 1)).await.status, 404);
}

/// "when creating a cart with a user token it will auto-assign this cart to the user".
#[tokio::test]
async fn a_cart_created_with_a_user_token_belongs_to_the_user() {
    let v = vendo().await;
    let pair = login(&v, "owner@example.com").await;
    let cart = v
        .send(
            v.req("POST", "/cart")
                .bearer_auth(pair["access_token"].as_str().expect("t")),
        )
        .await;
    assert_eq!(
        cart.body["data"]["attributes"]["email"],
        "owner@example.com"
    );
}

/// "Remember that after completing the checkout you need to create new cart and obtain a new
/// token!"
#[tokio::test]
async fn after_checkout_completes_the_token_no_longer_opens_a_cart() {
    let v = vendo().await;
    let t = token(&v.send(v.req("POST", "/cart")).await.body);
    let with = |m: &str, p: &str| v.req(m, p).header("X-Vendo-Order-Token", &t);
    assert_eq!(
        v.send(with("PATCH", "/checkout/next")).await.status,
        422,
        "an empty cart cannot check out"
    );
    v.send(with("POST", "/cart/add_item").json(&json!({"variant_id": "1"})))
        .await;
    assert_eq!(
        v.send(with("PATCH", "/checkout/complete")).await.status,
        422,
        "not ready"
    );
    v.send(with("PATCH", "/checkout").json(&json!({"order": {"email": "buyer@example.com"}})))
        .await;
    let mut state = String::new();
    for _ in 0..4 {
        let r = v.send(with("PATCH", "/checkout/next")).await;
        state = r.body["data"]["attributes"]["state"]
            .as_str()
            .expect("state")
            .to_owned();
    }
    assert_eq!(state, "confirm");
    let done = v.send(with("PATCH", "/checkout/complete")).await;
    assert_eq!(done.status, 200);
    assert_eq!(done.body["data"]["attributes"]["state"], "complete");
    assert!(done.body["data"]["attributes"]["completed_at"].is_string());
    assert_eq!(v.send(with("GET", "/cart")).await.status, 404);
}

/// 100 concurrent adds to one cart lose none.
#[tokio::test]
async fn concurrent_adds_lose_nothing() {
    let v = std::sync::Arc::new(vendo().await);
    let t = token(&v.send(v.req("POST", "/cart")).await.body);
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let (v, t) = (v.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            v.req("POST", "/cart/add_item")
                .header("X-Vendo-Order-Token", &t)
                .json(&json!({"variant_id": "2"}))
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("joined"), 200);
    }
    let read = v
        .send(v.req("GET", "/cart").header("X-Vendo-Order-Token", &t))
        .await;
    assert_eq!(read.body["data"]["attributes"]["item_count"], 100);
}

/// `POST /__cartwright/reset` forgets carts, users and codes.
#[tokio::test]
async fn reset_clears_state() {
    let v = vendo().await;
    let t = token(&v.send(v.req("POST", "/cart")).await.body);
    assert_eq!(
        v.admin("POST", "/reset")
            .send()
            .await
            .expect("reset")
            .status(),
        200
    );
    assert_eq!(
        v.send(v.req("GET", "/cart").header("X-Vendo-Order-Token", &t))
            .await
            .status,
        404
    );
    let outbox: Value = v
        .admin("GET", "/outbox")
        .send()
        .await
        .expect("o")
        .json()
        .await
        .expect("j");
    assert_eq!(outbox["messages"], json!([]));
}
