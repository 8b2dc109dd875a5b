//! The four operating modes. Quoted from the seed document: "NO_SESSION - Stateless and
//! primarily used to populate your own catalog cache. Must be used server-side only.";
//! "SESSION - Stateful and used to act on behalf of a shopper."; "LOGGED_IN - Sub-mode of
//! SESSION, active for any logged-in customer."; "SHARED_SECRET - Sub-mode of SESSION. ...
//! should be passed in the x-shared-secret header."

use serde_json::json;

use super::{NO_SESSION, SESSION, SHARED, start, start_with};

const LISTING: &str = "query List($market: [Int!], $pricelist: [Int!], $lang: [String!]) {
  displayItems(market: $market, pricelist: $pricelist, languageCode: $lang, limit: 2) {
    list { id name price { formattedValue } }
  }
}";

#[tokio::test]
async fn a_request_without_a_token_is_refused() {
    let s = start().await;
    let r = s.post(None, &[], "{ languages { code } }", json!({})).await;
    assert_eq!(r.status, 401);
    assert!(r.error().contains("Authorization: Bearer"), "{:#}", r.body);
    assert_eq!(r.body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let r = s.query("not-a-token", "{ languages { code } }").await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn no_session_needs_market_pricelist_and_language_on_every_request() {
    // "When using a no session scoped token you will need to provide the request
    // information on each request (languageCode, market or pricelist) to get this result."
    let s = start().await;
    let r = s.post(Some(NO_SESSION), &[], LISTING, json!({})).await;
    assert!(r.error().contains("NO_SESSION"), "{:#}", r.body);
    let missing = &r.body["errors"][0]["extensions"]["missing"];
    assert_eq!(missing, &json!(["market", "pricelist", "languageCode"]));

    let vars = json!({"market": [1], "pricelist": [19], "lang": ["en"]});
    let data = s.post(Some(NO_SESSION), &[], LISTING, vars).await.ok();
    let first = &data["displayItems"]["list"][0];
    assert!(
        first["price"]["formattedValue"]
            .as_str()
            .unwrap_or("")
            .ends_with(" EUR"),
        "{data:#}"
    );
    // Stateless: no session token comes back.
    let r = s
        .post(
            Some(NO_SESSION),
            &[],
            LISTING,
            json!({"market": [1], "pricelist": [19], "lang": ["en"]}),
        )
        .await;
    assert!(r.body["extensions"].get("token").is_none());
}

#[tokio::test]
async fn no_session_needs_a_pricelist_only_where_prices_are_asked_for() {
    // Centra's own storefront accelerator lists categories with a market and a language only.
    let s = start().await;
    let q = "{ categories(market: [1], languageCode: [\"en\"]) { list { name uri } } }";
    let data = s.query(NO_SESSION, q).await.ok();
    assert!(data["categories"]["list"].is_array());
    let q = "{ displayItems(market: [1], languageCode: [\"en\"]) { list { name } filters { values { value } } } }";
    s.query(NO_SESSION, q).await.ok();
    let q = "{ displayItems(market: [1], languageCode: [\"en\"]) { list { lowestPrice { price { value } } } } }";
    let r = s.query(NO_SESSION, q).await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["missing"],
        json!(["pricelist"]),
        "{:#}",
        r.body
    );
}

#[tokio::test]
async fn the_server_side_credentials_are_refused_from_a_browser() {
    // NO_SESSION "Must be used server-side only"; "If a shared secret is provided only
    // server-side, consumption of the API is allowed."
    let s = start().await;
    let origin = [("origin", "https://shop.example.com")];
    let r = s
        .post(
            Some(NO_SESSION),
            &origin,
            "{ languages { code } }",
            json!({}),
        )
        .await;
    assert_eq!(r.status, 401);
    assert!(r.error().contains("server-side"), "{:#}", r.body);
    let token = s.session().await;
    let r = s
        .post(
            Some(&token),
            &[origin[0], ("x-shared-secret", SHARED)],
            "{ languages { code } }",
            json!({}),
        )
        .await;
    assert_eq!(r.status, 401);
    // A session token is meant for the browser.
    s.post(Some(&token), &origin, "{ languages { code } }", json!({}))
        .await
        .ok();
}

#[tokio::test]
async fn no_session_refuses_session_fields_naming_the_mode() {
    let s = start().await;
    let r = s.query(NO_SESSION, "{ selection { id } }").await;
    assert!(
        r.error().contains("requires operating mode SESSION"),
        "{:#}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["extensions"]["requiredMode"], "SESSION");
    assert_eq!(
        r.body["errors"][0]["path"],
        json!(["selection"]),
        "{:#}",
        r.body
    );
}

#[tokio::test]
async fn session_mode_refuses_no_session_arguments() {
    let s = start().await;
    let token = s.session().await;
    let r = s
        .query(&token, "{ displayItems(market: [1]) { list { id } } }")
        .await;
    assert!(
        r.error().contains("`market`") && r.error().contains("NO_SESSION"),
        "{:#}",
        r.body
    );
    // Without it, the session's market and pricelist apply.
    let data = s
        .query(
            &token,
            "{ displayItems(limit: 1) { list { price { formattedValue } } } }",
        )
        .await
        .ok();
    assert!(data["displayItems"]["list"][0]["price"]["formattedValue"].is_string());
}

#[tokio::test]
async fn a_shared_secret_field_is_refused_without_the_header_and_answered_with_it() {
    let s = start().await;
    let token = s.session().await;
    let q = "mutation { setPricelist(id: 21) { session { pricelist { id } } } }";
    let r = s.query(&token, q).await;
    assert!(
        r.error().contains("requires operating mode SHARED_SECRET"),
        "{:#}",
        r.body
    );
    assert!(r.error().contains("x-shared-secret"));
    let r = s
        .post(Some(&token), &[("x-shared-secret", SHARED)], q, json!({}))
        .await;
    assert_eq!(r.ok()["setPricelist"]["session"]["pricelist"]["id"], 21);
    let r = s
        .post(Some(&token), &[("x-shared-secret", "wrong")], q, json!({}))
        .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_logged_in_field_is_refused_before_login_and_answered_after() {
    let s = start().await;
    let token = s.session().await;
    let r = s.query(&token, "{ customer { email } }").await;
    assert!(
        r.error().contains("requires operating mode LOGGED_IN"),
        "{:#}",
        r.body
    );

    let login = "mutation { login(email: \"shopper@example.com\", password: \"wrong\") { loggedIn { email } userErrors { message } } }";
    let data = s.query(&token, login).await.ok();
    assert!(data["login"]["loggedIn"].is_null());
    assert!(
        !data["login"]["userErrors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .is_empty()
    );

    let login = login.replace("wrong", "secret");
    let data = s.query(&token, &login).await.ok();
    assert_eq!(data["login"]["loggedIn"]["email"], "shopper@example.com");
    let data = s
        .query(
            &token,
            "{ customer { email firstName } session { loggedIn { email } } }",
        )
        .await
        .ok();
    assert_eq!(data["customer"]["email"], "shopper@example.com");
    assert_eq!(data["session"]["loggedIn"]["email"], "shopper@example.com");

    s.query(
        &token,
        "mutation { logout { session { loggedIn { email } } } }",
    )
    .await
    .ok();
    let r = s.query(&token, "{ customer { email } }").await;
    assert!(r.error().contains("LOGGED_IN"));
}

#[tokio::test]
async fn a_limit_over_the_modes_maximum_is_refused() {
    // "Max limits depend on your session mode. `SESSION`: 40 `NO_SESSION`: 100"
    let s = start().await;
    let token = s.session().await;
    let r = s
        .query(&token, "{ displayItems(limit: 41) { list { id } } }")
        .await;
    assert!(
        r.error().contains("at most 40 in SESSION mode"),
        "{:#}",
        r.body
    );
}

/// A schema that marks its scopes with the `@scope` directive instead of descriptions.
const DIRECTIVE_SCHEMA: &str = r#"
directive @scope(scope: SCOPE!) on FIELD_DEFINITION | ARGUMENT_DEFINITION | OBJECT
enum SCOPE { LOGGED_IN NO_SESSION SESSION SHARED_SECRET }
type Query {
  open: String
  secretNote: String @scope(scope: SHARED_SECRET)
}
"#;

#[tokio::test]
async fn the_scope_directive_is_enforced_like_the_description_marker() {
    let s = start_with(DIRECTIVE_SCHEMA, super::config()).await;
    let token = s.query(SESSION, "{ open }").await.token();
    let r = s.query(&token, "{ secretNote }").await;
    assert!(
        r.error()
            .contains("`Query.secretNote` requires operating mode SHARED_SECRET"),
        "{:#}",
        r.body
    );
    let r = s
        .post(
            Some(&token),
            &[("x-shared-secret", SHARED)],
            "{ secretNote }",
            json!({}),
        )
        .await;
    assert!(r.ok()["secretNote"].is_string());
}
