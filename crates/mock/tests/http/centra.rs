//! Centra Checkout sessions, bound in specs/centra-checkout.yaml, over HTTP. Each test names
//! the sentence of the Centra documentation it checks.

use cartwright_mock::Config;
use serde_json::json;

use crate::start_spec;

const SECRET: &str = "SharedSecretExample1234";

async fn centra() -> crate::Stateful {
    let config = Config {
        secrets: vec![("shared".into(), SECRET.into())],
        ..Config::default()
    };
    start_spec("centra-checkout", config).await
}

fn token(body: &serde_json::Value) -> String {
    body["token"]
        .as_str()
        .expect("a token in the body")
        .to_owned()
}

/// "there's a token-parameter inside the response JSON that will be used to maintain the
/// current client-session"; "PUT /countries/CA ... The cart and the session for the customer
/// is now based on Canada".
#[tokio::test]
async fn a_token_keeps_the_selection_via_header_and_accept_parameter() {
    let c = centra().await;
    let first = c.send(c.req("GET", "/selection")).await;
    assert_eq!(first.status, 200);
    let t = token(&first.body);
    assert_eq!(t.len(), 32, "128-bit hex token");
    assert_eq!(first.body["location"]["country"], "US");
    let put = c
        .send(c.req("PUT", "/countries/CA").header("API-token", &t))
        .await;
    assert_eq!((put.status, token(&put.body)), (200, t.clone()));
    let by_header = c
        .send(c.req("GET", "/selection").header("API-token", &t))
        .await;
    assert_eq!(
        by_header.body["location"],
        json!({"country": "CA", "name": "Canada"})
    );
    assert_eq!(by_header.body["selection"]["currency"], "CAD");
    let by_accept = c
        .send(
            c.req("GET", "/selection")
                .header("Accept", format!("*/*; api-token={t}")),
        )
        .await;
    assert_eq!(by_accept.body["location"]["country"], "CA");
    assert_eq!(token(&by_accept.body), t);
    let other = c.send(c.req("GET", "/selection")).await;
    assert_ne!(token(&other.body), t, "no token starts a new session");
    assert_eq!(other.body["location"]["country"], "US");
}

/// "In the case of an expired token, the request you will make will give you back a new value
/// in the token-property for any request being made."
#[tokio::test]
async fn unknown_or_expired_tokens_get_a_new_token_and_an_empty_selection() {
    let c = centra().await;
    let t = token(&c.send(c.req("GET", "/selection")).await.body);
    c.send(
        c.req("POST", "/items/61-1")
            .header("API-token", &t)
            .json(&json!({"quantity": 1})),
    )
    .await;
    let unknown = c
        .send(
            c.req("GET", "/selection")
                .header("API-token", "0123456789abcdef0123456789abcdef"),
        )
        .await;
    assert_eq!(unknown.status, 200);
    assert_ne!(token(&unknown.body), "0123456789abcdef0123456789abcdef");
    c.advance("2h").await;
    let expired = c
        .send(c.req("GET", "/selection").header("API-token", &t))
        .await;
    assert_eq!(expired.status, 200, "not an error");
    assert_ne!(token(&expired.body), t);
    assert_eq!(expired.body["selection"]["items"], json!([]));
}

/// "you can provide none to the API-token ... This will make Centra not return any token at
/// all in the response, and will not save the current settings."
#[tokio::test]
async fn api_token_none_returns_no_token_and_saves_nothing() {
    let c = centra().await;
    let r = c
        .send(c.req("PUT", "/countries/SE").header("API-token", "none"))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.get("token").is_none(), "{}", r.body);
    assert_eq!(
        r.body["location"]["country"], "SE",
        "the answer reflects the request"
    );
    let again = c
        .send(c.req("GET", "/selection").header("API-token", "none"))
        .await;
    assert_eq!(again.body["location"]["country"], "US", "nothing was saved");
}

/// "By providing pricelist:all all prices will show up ... an associative array with each
/// pricelist-ID as the key" (shared secret only); client side, the pricelist "will be decided
/// based on the default settings".
#[tokio::test]
async fn pricelists_need_the_shared_secret() {
    let c = centra().await;
    let all = json!({"pricelist": "all"});
    let server = c
        .send(c.req("POST", "/products").bearer_auth(SECRET).json(&all))
        .await;
    let p = &server.body["products"][0];
    assert!(
        p["prices"]["1"]["priceAsNumber"].is_number() && p["prices"]["19"].is_object(),
        "{p}"
    );
    assert!(p.get("price").is_none());
    let alt = c
        .send(
            c.req("POST", "/products")
                .header("API-Authorization", format!("Bearer {SECRET}"))
                .json(&json!({"pricelist": 20})),
        )
        .await;
    assert_eq!(alt.body["products"][0]["price"], "10.00 USD");
    let client = c.send(c.req("POST", "/products").json(&all)).await;
    assert_eq!(client.status, 200);
    assert!(
        client.body["products"][0].get("prices").is_none(),
        "ignored without the secret"
    );
    let wrong = c
        .send(c.req("POST", "/products").bearer_auth("guess").json(&all))
        .await;
    assert!(
        wrong.body["products"][0].get("prices").is_none(),
        "a wrong secret is no secret"
    );
}

/// "If the headers Authorization or API-Authorization are used in the browser, the request will
/// fail"; the journal never shows the secret.
#[tokio::test]
async fn a_browser_request_carrying_the_secret_is_refused() {
    let c = centra().await;
    for h in ["Authorization", "API-Authorization"] {
        let r = c
            .send(
                c.req("POST", "/products")
                    .header("Origin", "https://shop.example.com")
                    .header(h, format!("Bearer {SECRET}")),
            )
            .await;
        assert_eq!(r.status, 401, "{h}");
        assert!(!r.body.to_string().contains(SECRET));
    }
    let journal = c
        .server
        .client
        .get(format!("{}/__cartwright/journal", c.server.base))
        .send()
        .await
        .expect("journal")
        .text()
        .await
        .expect("text");
    assert!(!journal.contains(SECRET));
}

/// "a voucher code with +, ie: TEST+CODE should be sent to DELETE /vouchers/TEST%2BCODE";
/// "../something-else-than-vouchers/foo" must not reach another route.
#[tokio::test]
async fn vouchers_are_removed_by_their_encoded_code_and_traversal_stays_in_the_segment() {
    let c = centra().await;
    let t = token(&c.send(c.req("GET", "/selection")).await.body);
    let added = c
        .send(
            c.req("POST", "/vouchers")
                .header("API-token", &t)
                .json(&json!({"voucher": "TEST+CODE"})),
        )
        .await;
    assert_eq!(
        added.body["selection"]["vouchers"],
        json!([{"voucher": "TEST+CODE"}])
    );
    let traversal = c
        .send(
            c.req("DELETE", "/vouchers/..%2Fitems%2F61-1")
                .header("API-token", &t),
        )
        .await;
    assert_eq!(
        traversal.status, 404,
        "a voucher named `../items/61-1`, not another route"
    );
    let space = c
        .send(
            c.req("DELETE", "/vouchers/TEST%20CODE")
                .header("API-token", &t),
        )
        .await;
    assert_eq!(space.status, 404, "`TEST CODE` is another voucher");
    let removed = c
        .send(
            c.req("DELETE", "/vouchers/TEST%2BCODE")
                .header("API-token", &t),
        )
        .await;
    assert_eq!(removed.status, 200);
    assert_eq!(removed.body["selection"]["vouchers"], json!([]));
}

/// Lines add up: quantities merge per item and totals follow the lines.
#[tokio::test]
async fn items_add_up_and_lines_can_be_removed() {
    let c = centra().await;
    let t = token(&c.send(c.req("GET", "/selection")).await.body);
    c.send(
        c.req("POST", "/items/61-2")
            .header("API-token", &t)
            .json(&json!({"quantity": 2})),
    )
    .await;
    c.send(c.req("POST", "/items/62-1").header("API-token", &t))
        .await;
    let r = c
        .send(
            c.req("POST", "/items/61-2")
                .header("API-token", &t)
                .json(&json!({"quantity": 1})),
        )
        .await;
    assert_eq!(r.status, 201);
    let items = r.body["selection"]["items"]
        .as_array()
        .expect("items")
        .clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["quantity"], 3);
    assert_eq!(r.body["selection"]["totals"]["grandTotalAsNumber"], 325);
    let missing = c
        .send(c.req("POST", "/items/999-1").header("API-token", &t))
        .await;
    assert_eq!(missing.status, 404);
    let line = items[1]["line"].as_str().expect("line id");
    let r = c
        .send(
            c.req("DELETE", &format!("/lines/{line}"))
                .header("API-token", &t),
        )
        .await;
    assert_eq!(r.body["selection"]["totals"]["grandTotalAsNumber"], 300);
}

/// The correlation ID "will be reflected back in our response".
#[tokio::test]
async fn correlation_id_is_echoed_on_stateful_answers() {
    let c = centra().await;
    let r = c
        .send(
            c.req("GET", "/selection")
                .header("X-Correlation-ID", "un1qu3-1d"),
        )
        .await;
    assert_eq!(
        r.headers
            .get("x-correlation-id")
            .and_then(|v| v.to_str().ok()),
        Some("un1qu3-1d")
    );
}

/// Without an ID in the request there is nothing to reflect: each answer gets its own,
/// never the spec's example shared by every answer.
#[tokio::test]
async fn without_a_correlation_id_each_answer_gets_its_own() {
    let c = centra().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = c.send(c.req("GET", "/selection")).await;
        ids.push(
            r.headers
                .get("x-correlation-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        );
    }
    assert!(
        ids.iter()
            .all(|i| i.as_ref().is_some_and(|i| i.len() == 32)),
        "{ids:?}"
    );
    assert_ne!(ids[0], ids[1]);
}

/// Registration, login and logout follow the session.
#[tokio::test]
async fn customers_register_log_in_and_out() {
    let c = centra().await;
    let t = token(&c.send(c.req("GET", "/selection")).await.body);
    let reg = json!({"email": "jane.doe@example.com", "password": "pw", "firstName": "Jane"});
    let r = c
        .send(
            c.req("POST", "/register")
                .header("API-token", &t)
                .json(&reg),
        )
        .await;
    assert_eq!(
        (r.status, r.body["loggedIn"]["firstName"].clone()),
        (201, json!("Jane"))
    );
    assert_eq!(
        c.send(
            c.req("POST", "/register")
                .header("API-token", &t)
                .json(&reg)
        )
        .await
        .status,
        400
    );
    let out = c
        .send(c.req("POST", "/logout").header("API-token", &t))
        .await;
    assert!(out.body.get("loggedIn").is_none());
    let bad = c
        .send(
            c.req("POST", "/login/jane.doe@example.com")
                .header("API-token", &t)
                .json(&json!({"password": "nope"})),
        )
        .await;
    assert_eq!(bad.status, 400);
    let ok = c
        .send(
            c.req("POST", "/login/jane.doe@example.com")
                .header("API-token", &t)
                .json(&json!({"password": "pw"})),
        )
        .await;
    assert_eq!(
        (ok.status, ok.body["loggedIn"]["email"].clone()),
        (200, json!("jane.doe@example.com"))
    );
}
