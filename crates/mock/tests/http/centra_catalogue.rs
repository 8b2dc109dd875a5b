//! The Centra Checkout product catalogue, bound in specs/centra-checkout.yaml, over HTTP: what
//! POST /products lists for a filter, a market and a pricelist. Each test names the sentence of
//! the Centra documentation it checks.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::start_spec;

const SECRET: &str = "SharedSecretExample1234";

async fn centra() -> crate::Stateful {
    let config = Config {
        secrets: vec![("shared".into(), SECRET.into())],
        ..Config::default()
    };
    start_spec("centra-checkout", config).await
}

/// The product ids a listing holds, in order.
fn ids(body: &Value) -> Vec<String> {
    body["products"]
        .as_array()
        .expect("a products list")
        .iter()
        .map(|p| p["product"].as_str().expect("a product id").to_owned())
        .collect()
}

/// Lists products with `query`, with the shared secret when `secret` is true.
async fn list(c: &crate::Stateful, query: Value, secret: bool) -> Value {
    let mut req = c.req("POST", "/products").json(&query);
    if secret {
        req = req.bearer_auth(SECRET);
    }
    let r = c.send(req).await;
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    r.body
}

/// "The Checkout API allows you to filter products based on certain criteria": by ids, by
/// category, by a search text; each keeps what it names and leaves out the rest.
#[tokio::test]
async fn each_filter_keeps_only_what_it_names() {
    let c = centra().await;
    let all = ids(&list(&c, json!({}), false).await);
    assert!(all.len() >= 3, "a catalogue to filter: {all:?}");
    for id in &all {
        let one = list(&c, json!({"products": [id]}), false).await;
        assert_eq!(ids(&one), vec![id.clone()]);
    }
    assert_eq!(
        ids(&list(&c, json!({"products": ["no-such"]}), false).await),
        Vec::<String>::new()
    );
    let plain = list(&c, json!({"search": "PLAIN"}), false).await;
    assert_eq!(ids(&plain), ["62"]);
    let in_two = list(&c, json!({"categories": ["2"]}), false).await;
    assert!(
        in_two["products"]
            .as_array()
            .expect("list")
            .iter()
            .all(|p| p["categories"]
                .as_array()
                .expect("categories")
                .contains(&json!("2")))
    );
    assert!(ids(&in_two).len() < all.len(), "{in_two}");
    let both = list(&c, json!({"categories": ["2"], "search": "sweden"}), false).await;
    assert_eq!(ids(&both), ["63"]);
}

/// "A product without a price inside a pricelist will still be visible, however it will not be
/// possible to purchase (price will be defined as null. You can always filter out the
/// non-available items by using onlyAvailable: true".
#[tokio::test]
async fn a_product_without_a_price_is_listed_with_null_and_cannot_be_bought() {
    let c = centra().await;
    let listed = list(&c, json!({}), false).await;
    let unpriced = listed["products"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["product"] == "63")
        .expect("the product without a price is still visible")
        .clone();
    assert_eq!(
        (&unpriced["price"], &unpriced["priceAsNumber"]),
        (&Value::Null, &Value::Null)
    );
    let available = list(&c, json!({"onlyAvailable": true}), false).await;
    assert!(!ids(&available).contains(&"63".to_owned()));
    assert_eq!(ids(&available).len(), ids(&listed).len() - 1);
    let buy = c.send(c.req("POST", "/items/63-1")).await;
    assert_eq!(buy.status, 400, "{}", buy.body);
    let priced = list(&c, json!({"pricelist": 19, "onlyAvailable": true}), true).await;
    assert!(ids(&priced).contains(&"63".to_owned()), "{priced}");
}

/// "If a specific market is used, it will list the exact same amount of products for every
/// pricelist inside this market"; "The only thing changing the existance of products is the
/// market."
#[tokio::test]
async fn every_pricelist_of_a_market_lists_the_same_products() {
    let c = centra().await;
    let mut per_market = Vec::new();
    for market in [1, 2] {
        let first = ids(&list(&c, json!({"market": market, "pricelist": 1}), true).await);
        for pricelist in [2, 19, 20, 21, 22] {
            let other = list(&c, json!({"market": market, "pricelist": pricelist}), true).await;
            assert_eq!(ids(&other), first, "market {market}, pricelist {pricelist}");
        }
        per_market.push(first);
    }
    assert_ne!(
        per_market[0], per_market[1],
        "the markets differ in what exists"
    );
}

/// "Any active market can be used and accessed by the party knowing the shared secret. This
/// means that if you have a limited subset of products only enabled for a VIP-market, these
/// products would be possible to be sold if the shared secret was exposed."
#[tokio::test]
async fn only_the_shared_secret_opens_another_market() {
    let c = centra().await;
    let vip = ids(&list(&c, json!({"market": 2}), true).await);
    assert!(vip.contains(&"64".to_owned()), "{vip:?}");
    let customer = ids(&list(&c, json!({"market": 2}), false).await);
    assert!(!customer.contains(&"64".to_owned()), "{customer:?}");
    let guessed = c
        .send(
            c.req("POST", "/products")
                .bearer_auth("guess")
                .json(&json!({"market": 2})),
        )
        .await;
    assert!(!ids(&guessed.body).contains(&"64".to_owned()));
    assert_eq!(c.send(c.req("GET", "/products/64")).await.status, 404);
    let unknown = c
        .send(
            c.req("POST", "/products")
                .bearer_auth(SECRET)
                .json(&json!({"market": 99})),
        )
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
}

/// "providing pricelist:20 to the request ... We will now get 10.00 USD": the pricelist the
/// secret names prices every product, and "pricelist:all" gives each product its `prices` by
/// pricelist id instead.
#[tokio::test]
async fn the_named_pricelist_prices_the_listing() {
    let c = centra().await;
    let twenty = list(&c, json!({"pricelist": 20, "products": ["61"]}), true).await;
    assert_eq!(twenty["products"][0]["price"], "10.00 USD");
    let all = list(&c, json!({"pricelist": "all", "products": ["61"]}), true).await;
    let p = &all["products"][0];
    assert_eq!(p["prices"]["1"]["price"], "3.00 USD");
    assert_eq!(p["prices"]["19"]["price"], "291.00 SEK");
    assert!(p.get("price").is_none(), "{p}");
}
