//! The JWT storefront, bound in specs/storefront-v2-jwt.yaml, over HTTP.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use cartwright_mock::Config;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{Stateful, start_spec};

const KEY: &str = "test-signing-key";

async fn shop() -> Stateful {
    let config = Config {
        secrets: vec![("jwt".into(), KEY.into())],
        ..Config::default()
    };
    start_spec("storefront-v2-jwt", config).await
}

async fn register(s: &Stateful, email: &str) -> String {
    let r = s
        .send(
            s.req("POST", "/customer/register")
                .json(&json!({"email": email, "password": "correct-horse", "firstName": "Ada"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["token"].as_str().expect("token").to_owned()
}

/// "A handful of bootstrap endpoints (catalog browsing ...) are anonymous"; login issues a real
/// HS256 JWT with `exp`, signed with the configured key.
#[tokio::test]
async fn catalog_is_anonymous_and_login_issues_a_signed_jwt() {
    let s = shop().await;
    assert_eq!(
        s.send(s.req("GET", "/catalog/products/P-100")).await.status,
        200
    );
    assert_eq!(
        s.send(s.req("GET", "/catalog/products/nope")).await.body["errorCode"],
        "PRODUCT_NOT_FOUND"
    );
    register(&s, "ada@example.com").await;
    let wrong = s
        .send(
            s.req("POST", "/customer/login")
                .json(&json!({"email": "ada@example.com", "password": "nope"})),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.body["errorCode"].clone()),
        (401, json!("INVALID_CREDENTIALS"))
    );
    let r = s
        .send(
            s.req("POST", "/customer/login")
                .json(&json!({"email": "ada@example.com", "password": "correct-horse"})),
        )
        .await;
    let jwt = r.body["token"].as_str().expect("jwt");
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&B64.decode(parts[0]).expect("b64")).expect("json");
    assert_eq!(header["alg"], "HS256");
    let claims: Value = serde_json::from_slice(&B64.decode(parts[1]).expect("b64")).expect("json");
    assert_eq!(claims["sub"], "ada@example.com");
    assert_eq!(
        claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"),
        3600
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).expect("key");
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&B64.decode(parts[2]).expect("sig"))
        .expect("signed with the configured key");
    let profile = s
        .send(
            s.req("GET", "/customer/profile")
                .header("Authorization", jwt),
        )
        .await;
    assert_eq!(
        profile.body["email"], "ada@example.com",
        "the token works without the Bearer prefix too"
    );
}

/// An expired or tampered JWT → 401 in the errorCode envelope.
#[tokio::test]
async fn expired_or_tampered_jwts_are_refused_in_the_envelope() {
    let s = shop().await;
    let jwt = register(&s, "t@example.com").await;
    let (head, rest) = jwt.split_once('.').expect("parts");
    let (_, sig) = rest.split_once('.').expect("parts");
    let forged_claims = B64.encode(br#"{"sub":"admin@example.com","exp":99999999999}"#);
    let tampered = format!("{head}.{forged_claims}.{sig}");
    for bad in [tampered.as_str(), "not-a-jwt"] {
        let r = s
            .send(s.req("GET", "/customer/profile").bearer_auth(bad))
            .await;
        assert_eq!(
            (r.status, r.body["errorCode"].clone()),
            (401, json!("UNAUTHORIZED")),
            "{bad}"
        );
    }
    assert_eq!(
        s.send(s.req("GET", "/customer/profile").bearer_auth(&jwt))
            .await
            .status,
        200
    );
    s.advance("61m").await;
    let r = s
        .send(s.req("GET", "/customer/profile").bearer_auth(&jwt))
        .await;
    assert_eq!(
        (r.status, r.body["errorCode"].clone()),
        (401, json!("UNAUTHORIZED"))
    );
}

/// A reference de-duplicates one customer's retries; another customer who sends the same
/// reference places their own order and never sees the first one's.
#[tokio::test]
async fn a_reference_is_the_callers_own() {
    let s = shop().await;
    let mut orders = Vec::new();
    for email in ["ann@example.com", "bob@example.com"] {
        let jwt = register(&s, email).await;
        let auth = |m: &str, p: &str| s.req(m, p).bearer_auth(&jwt);
        s.send(auth("POST", "/basket/items").json(&json!({"productId": "P-100", "quantity": 1})))
            .await;
        let r = s
            .send(
                auth("POST", "/orders")
                    .json(&json!({"reference": "7a1e0c52-9d3b-4f6a-8c21-5e4d3b2a1f00"})),
            )
            .await;
        assert_eq!(r.status, 201, "{email}: {:?}", r.body);
        assert!(r.headers.get("idempotent-replayed").is_none(), "{email}");
        orders.push(r.body["orderId"].clone());
    }
    assert_ne!(orders[0], orders[1]);
}

/// "when retrying order or payment requests, reuse the same client-generated reference so the
/// server can de-duplicate": the same answer, one order, one charge.
#[tokio::test]
async fn retried_orders_and_payments_with_one_reference_happen_once() {
    let s = shop().await;
    let jwt = register(&s, "buyer@example.com").await;
    let auth = |m: &str, p: &str| s.req(m, p).bearer_auth(&jwt);
    s.send(auth("POST", "/basket/items").json(&json!({"productId": "P-100", "quantity": 2})))
        .await;
    let basket = s.send(auth("GET", "/basket")).await;
    assert_eq!(basket.body["total"], 99.8);
    let reference = "3f6c2a9e-1b7d-4c1e-9a55-2d8e6f0b7c41";
    let first = s
        .send(auth("POST", "/orders").json(&json!({"reference": reference})))
        .await;
    let again = s
        .send(auth("POST", "/orders").json(&json!({"reference": reference})))
        .await;
    assert_eq!(first.status, 201);
    assert_eq!(first.body, again.body, "the same result");
    assert_eq!(
        again
            .headers
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    let orders = s.send(auth("GET", "/orders")).await;
    assert_eq!(
        orders.body["items"].as_array().map(Vec::len),
        Some(1),
        "one order"
    );
    let order_id = first.body["orderId"].as_str().expect("id");
    let pay = json!({"orderId": order_id, "reference": "5d1b7e2a-0c3f-4a8e-b6d9-1f2e3a4b5c6d", "method": "CARD"});
    let p1 = s.send(auth("POST", "/payment/requests").json(&pay)).await;
    let p2 = s.send(auth("POST", "/payment/requests").json(&pay)).await;
    assert_eq!((p1.status, &p1.body), (201, &p2.body));
    let payments = s.send(auth("GET", "/payments")).await;
    assert_eq!(
        payments.body["items"].as_array().map(Vec::len),
        Some(1),
        "one charge"
    );
    let outbox: Value = s
        .admin("GET", "/outbox?to=buyer@example.com")
        .send()
        .await
        .expect("o")
        .json()
        .await
        .expect("j");
    assert_eq!(
        outbox["messages"].as_array().map(Vec::len),
        Some(1),
        "one code for one charge"
    );
    let code = outbox["messages"][0]["code"].as_str().expect("code");
    let pid = p1.body["paymentId"].as_str().expect("pid");
    let bad = s
        .send(
            auth("POST", &format!("/payment/requests/{pid}/otp"))
                .json(&json!({"code": if code == "000000" { "111111" } else { "000000" }})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body["errorCode"].clone()),
        (422, json!("OTP_INVALID"))
    );
    let ok = s
        .send(auth("POST", &format!("/payment/requests/{pid}/otp")).json(&json!({"code": code})))
        .await;
    assert_eq!(ok.body["status"], "AUTHORISED");
    let guest = json!({"reference": "9b2f0d1c-6e8a-4f3b-8c2d-7a1e5f4b3c20", "email": "g@example.com", "items": [{"productId": "P-200", "quantity": 1}]});
    let g1 = s.send(s.req("POST", "/orders/guest").json(&guest)).await;
    let g2 = s.send(s.req("POST", "/orders/guest").json(&guest)).await;
    assert_eq!((g1.status, &g1.body), (201, &g2.body));
}
