//! The answer cache: a query asked again in an unchanged state is answered from it, byte for
//! byte as it was answered the first time; every write that changes what an answer holds
//! (the session's market, pricelist, language or country, its selection, its customer, a
//! reset) is seen by the next read; sessions never see each other's answers; and the cache
//! stays within its bound. Each read is made twice first, so the answer is kept (the health
//! endpoint counts it) before the write that must make it unusable.

use cartwright_graphql::CacheLimits;
use serde_json::{Value as Json, json};

use super::{NO_SESSION, SHARED, Server, config, start, start_with};

const LISTING: &str = "query($page: Int!) { displayItems(limit: 5, page: $page) { list { id name price { formattedValue currency { code } } } pagination { currentPage total } } }";
const LISTING_NO_SESSION: &str = "query($p: Int!) { displayItems(limit: 5, market: [1], pricelist: [$p], languageCode: [\"en\"]) { list { id name price { formattedValue } } } }";
const SELECTION: &str =
    "{ selection { lines { item { id } quantity } } session { loggedIn { email } } }";

/// The number of answers the cache keeps, from the admin API's health.
async fn kept(s: &Server) -> u64 {
    let health: Json = s
        .client
        .get(format!("{}/__cartwright/health", s.base))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    health["answerCache"]["entries"]
        .as_u64()
        .expect("answerCache.entries")
}

/// Reads `query` twice (the second from the cache); both answers are the same.
async fn read_twice(s: &Server, token: &str, query: &str, variables: Json) -> Json {
    let first = s
        .post(Some(token), &[], query, variables.clone())
        .await
        .ok();
    let second = s.post(Some(token), &[], query, variables).await.ok();
    assert_eq!(first, second);
    assert!(kept(s).await >= 1, "the answer is kept");
    second
}

/// Runs a mutation with the shared secret (setting the market or pricelist needs it).
async fn mutate(s: &Server, token: &str, mutation: &str) {
    let shared = [("x-shared-secret", SHARED)];
    s.post(Some(token), &shared, mutation, json!({})).await.ok();
}

fn first_item(listing: &Json) -> &Json {
    &listing["displayItems"]["list"][0]
}

#[tokio::test]
async fn a_listing_follows_every_change_of_the_sessions_market_pricelist_language_and_country() {
    let s = start().await;
    let token = s.session().await;
    let page = json!({"page": 1});
    let eur = read_twice(&s, &token, LISTING, page.clone()).await;
    assert_eq!(first_item(&eur)["price"]["currency"]["code"], "EUR");

    mutate(
        &s,
        &token,
        "mutation { setPricelist(id: 20) { userErrors { message } } }",
    )
    .await;
    let sek = read_twice(&s, &token, LISTING, page.clone()).await;
    assert_eq!(first_item(&sek)["price"]["currency"]["code"], "SEK");

    mutate(
        &s,
        &token,
        "mutation { setLanguage(code: \"sv\") { userErrors { message } } }",
    )
    .await;
    let sv = read_twice(&s, &token, LISTING, page.clone()).await;
    assert_ne!(
        first_item(&sv)["name"],
        first_item(&sek)["name"],
        "in Swedish"
    );
    assert_eq!(first_item(&sv)["price"], first_item(&sek)["price"]);

    let country = "mutation { setCountryState(countryCode: \"US\", stateCode: \"NY\") { userErrors { message } } }";
    mutate(&s, &token, country).await;
    let usd = read_twice(&s, &token, LISTING, page.clone()).await;
    assert_eq!(first_item(&usd)["price"]["currency"]["code"], "USD");

    mutate(
        &s,
        &token,
        "mutation { setMarket(id: 1) { userErrors { message } } }",
    )
    .await;
    let market = "{ session { market { id } } }";
    let m = read_twice(&s, &token, market, json!({})).await;
    assert_eq!(m["session"]["market"]["id"], 1);
    mutate(
        &s,
        &token,
        "mutation { setMarket(id: 2) { userErrors { message } } }",
    )
    .await;
    let m = s.query(&token, market).await.ok();
    assert_eq!(m["session"]["market"]["id"], 2);
}

#[tokio::test]
async fn the_selection_and_the_customer_follow_cart_and_login_mutations() {
    let s = start().await;
    let token = s.session().await;
    let empty = read_twice(&s, &token, SELECTION, json!({})).await;
    assert_eq!(empty["selection"]["lines"], json!([]));
    assert_eq!(empty["session"]["loggedIn"], Json::Null);

    let add = "mutation { addItem(item: \"1-1\", quantity: 2) { line { id } } }";
    let line = s.query(&token, add).await.ok()["addItem"]["line"]["id"].clone();
    let one = read_twice(&s, &token, SELECTION, json!({})).await;
    assert_eq!(one["selection"]["lines"][0]["quantity"], 2);

    let update = format!(
        "mutation {{ updateLine(lineId: {line}, quantity: 5) {{ userErrors {{ message }} }} }}"
    );
    mutate(&s, &token, &update).await;
    let five = read_twice(&s, &token, SELECTION, json!({})).await;
    assert_eq!(five["selection"]["lines"][0]["quantity"], 5);

    let login = "mutation { login(email: \"shopper@example.com\", password: \"secret\") { userErrors { message } } }";
    mutate(&s, &token, login).await;
    let logged = read_twice(&s, &token, SELECTION, json!({})).await;
    assert_eq!(
        logged["session"]["loggedIn"]["email"],
        "shopper@example.com"
    );

    let delete =
        format!("mutation {{ deleteLine(lineId: {line}) {{ userErrors {{ message }} }} }}");
    mutate(&s, &token, &delete).await;
    let after = s.query(&token, SELECTION).await.ok();
    assert_eq!(after["selection"]["lines"], json!([]));
}

#[tokio::test]
async fn a_reset_forgets_the_session_whose_answers_were_kept_and_a_clock_move_drops_them() {
    let s = start().await;
    let token = s.session().await;
    read_twice(&s, &token, SELECTION, json!({})).await;
    let admin = |path: &str| {
        s.client
            .post(format!("{}/__cartwright/{path}", s.base))
            .header("content-type", "application/json")
    };
    let res = admin("clock").body(r#"{"advance": "1d"}"#).send().await;
    assert_eq!(res.expect("answer").status(), 200);
    assert_eq!(kept(&s).await, 0, "nothing kept across a clock move");

    read_twice(&s, &token, SELECTION, json!({})).await;
    let res = admin("reset").send().await;
    assert_eq!(res.expect("answer").status(), 200);
    let after = s.query(&token, SELECTION).await;
    assert_eq!(
        after.status, 401,
        "the session is forgotten: {}",
        after.body
    );
    assert!(after.body.get("data").is_none_or(Json::is_null));
}

#[tokio::test]
async fn sessions_and_no_session_contexts_never_see_each_others_answers() {
    let s = start().await;
    let (a, b) = (s.session().await, s.session().await);
    mutate(
        &s,
        &b,
        "mutation { setPricelist(id: 21) { userErrors { message } } }",
    )
    .await;
    let page = json!({"page": 1});
    let in_a = read_twice(&s, &a, LISTING, page.clone()).await;
    let in_b = read_twice(&s, &b, LISTING, page.clone()).await;
    assert_eq!(first_item(&in_a)["price"]["currency"]["code"], "EUR");
    assert_eq!(first_item(&in_b)["price"]["currency"]["code"], "USD");
    let again_a = s.post(Some(&a), &[], LISTING, page).await.ok();
    assert_eq!(again_a, in_a);

    let eur = read_twice(&s, NO_SESSION, LISTING_NO_SESSION, json!({"p": 19})).await;
    let sek = read_twice(&s, NO_SESSION, LISTING_NO_SESSION, json!({"p": 20})).await;
    let price = |l: &Json| {
        first_item(l)["price"]["formattedValue"]
            .as_str()
            .map(str::to_owned)
    };
    assert!(price(&eur).is_some_and(|p| p.ends_with(" EUR")), "{eur}");
    assert!(price(&sek).is_some_and(|p| p.ends_with(" SEK")), "{sek}");
}

#[tokio::test]
async fn many_distinct_queries_keep_at_most_the_configured_number_of_answers() {
    let limits = CacheLimits {
        entries: 16,
        bytes: 64 * 1024,
    };
    let s = start_with(
        super::SCHEMA,
        cartwright_graphql::Config {
            answer_cache: limits,
            ..config()
        },
    )
    .await;
    let mut most = 0;
    for page in 1..=60 {
        s.post(
            Some(NO_SESSION),
            &[],
            LISTING_NO_SESSION,
            json!({"p": 19 + page % 3}),
        )
        .await
        .ok();
        let q = format!(
            "{{ languages {{ code }} brands(page: {page}, market: [1]) {{ list {{ name }} }} }}"
        );
        s.query(NO_SESSION, &q).await.ok();
        let health: Json = s
            .client
            .get(format!("{}/__cartwright/health", s.base))
            .send()
            .await
            .expect("answer")
            .json()
            .await
            .expect("json");
        let entries = health["answerCache"]["entries"]
            .as_u64()
            .unwrap_or(u64::MAX);
        let bytes = health["answerCache"]["bytes"].as_u64().unwrap_or(u64::MAX);
        assert!(entries <= 16 && bytes <= 64 * 1024, "{health}");
        most = most.max(entries);
    }
    assert!(
        most >= 8,
        "answers are kept up to the bound, at most {most}"
    );
}
