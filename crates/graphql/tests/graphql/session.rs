//! Session mode: the hand-over of a session token, and answers that follow the session.
//! "Upon the first request using the base session token, you will receive a new session
//! token to use in subsequent requests. When Querying Centra in this mode, all data returns
//! will be based on the market and pricelist of the session. This includes translations to
//! the session language, if they exist."

use serde_json::json;

use super::{SESSION, SHARED, start};

#[tokio::test]
async fn the_base_token_hands_out_a_new_session_token_that_keeps_state() {
    let s = start().await;
    let first = s.query(SESSION, "{ session { country { code } } }").await;
    let token = first.token();
    assert_ne!(token, SESSION);
    // The session token comes back on every answer of the session.
    let again = s
        .query(
            &token,
            "mutation { setCountryState(countryCode: \"US\") { userErrors { message } } }",
        )
        .await;
    assert_eq!(again.token(), token);
    let data = s
        .query(&token, "{ session { country { code } } }")
        .await
        .ok();
    assert_eq!(data["session"]["country"]["code"], "US");
    // Each use of the base token starts another session, which has not changed country.
    let other = s.query(SESSION, "{ session { country { code } } }").await;
    assert_ne!(other.token(), token);
    assert_ne!(other.body["data"]["session"]["country"]["code"], "US");
}

#[tokio::test]
async fn answers_follow_the_sessions_market_pricelist_and_language() {
    let s = start().await;
    let token = s.session().await;
    let item = "{ displayItem(id: 1) { name price { value formattedValue currency { code } } } session { pricelist { id } market { id } language { code } } }";
    let before = s.query(&token, item).await.ok();
    assert_eq!(before["displayItem"]["price"]["currency"]["code"], "EUR");

    s.query(&token, "mutation { setCountryState(countryCode: \"US\", stateCode: \"NY\") { userErrors { message } } }").await.ok();
    s.query(
        &token,
        "mutation { setLanguage(code: \"sv\") { session { language { code } } } }",
    )
    .await
    .ok();
    let after = s.query(&token, item).await.ok();
    assert_eq!(after["session"]["language"]["code"], "sv");
    assert_eq!(after["displayItem"]["price"]["currency"]["code"], "USD");
    assert!(
        after["displayItem"]["price"]["formattedValue"]
            .as_str()
            .unwrap_or("")
            .starts_with('$')
    );
    assert_ne!(
        after["session"]["pricelist"]["id"],
        before["session"]["pricelist"]["id"]
    );
    assert_ne!(
        after["displayItem"]["name"], before["displayItem"]["name"],
        "translated to sv"
    );
}

#[tokio::test]
async fn the_shared_secret_adds_its_sub_mode_to_the_session() {
    let s = start().await;
    let token = s.session().await;
    let q = "mutation { setMarket(id: 2) { session { market { id } } } }";
    let r = s
        .post(Some(&token), &[("x-shared-secret", SHARED)], q, json!({}))
        .await;
    assert_eq!(r.token(), token, "the same session");
    assert_eq!(r.ok()["setMarket"]["session"]["market"]["id"], 2);
    let data = s.query(&token, "{ session { market { id } } }").await.ok();
    assert_eq!(data["session"]["market"]["id"], 2);
}

#[tokio::test]
async fn a_reset_forgets_sessions() {
    let s = start().await;
    let token = s.session().await;
    s.client
        .post(format!("{}/__cartwright/reset", s.base))
        .header("content-type", "application/json")
        .send()
        .await
        .expect("reset");
    let r = s.query(&token, "{ session { country { code } } }").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}
