//! Runtime stubs over HTTP: matched by operation or method and path, with header, query
//! and body conditions, `times`, and precedence over behaviours and inferred state.

use std::path::PathBuf;

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Server, start, start_api, start_spec};

/// Posts a stub definition; the status and body of the admin answer.
pub(crate) async fn stub(base: &str, client: &reqwest::Client, def: Value) -> (u16, Value) {
    let r = client
        .post(format!("{base}/__cartwright/stubs"))
        .header("content-type", "application/json")
        .body(def.to_string())
        .send()
        .await
        .expect("stubs");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

pub(crate) async fn get(s: &Server, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut rb = s.client.get(s.url(path));
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.send().await.expect("answer");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_stub_matches_by_operation_or_by_method_and_path_newest_first() {
    let s = start().await;
    let (st, made) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "answer": {"status": 200, "body": {"id": 7, "name": "Stubbed"}}}),
    )
    .await;
    assert_eq!(st, 201, "{made}");
    assert!(
        made["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("stub-"))
    );
    let (st, made) = stub(
        &s.base,
        &s.client,
        json!({"match": {"method": "GET", "path": "/api/shop/products/2"}, "answer": {"status": 404, "body": {"message": "gone"}}}),
    )
    .await;
    assert_eq!(st, 201, "{made}");
    assert_eq!(made["operation"], "getProduct");
    assert_eq!(
        get(&s, "/products/2", &[]).await,
        (404, json!({"message": "gone"}))
    );
    assert_eq!(get(&s, "/products/3", &[]).await.1["name"], "Stubbed");
    let (st, _) = stub(
        &s.base,
        &s.client,
        json!({"match": {"method": "get", "path": "/products/{id}"}, "answer": {"body": {"id": 9, "name": "Template"}}}),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(get(&s, "/products/2", &[]).await.1["name"], "Template");
    let entries = s
        .client
        .get(format!("{}/__cartwright/journal?validation=stub", s.base))
        .send()
        .await
        .expect("journal");
    let entries: Value = entries.json().await.expect("json");
    assert_eq!(entries["entries"].as_array().map(Vec::len), Some(3));
    assert!(entries["entries"][0]["stub"].is_string());
}

#[tokio::test]
async fn header_query_and_body_conditions_must_all_hold() {
    let s = start().await;
    let def = json!({
        "match": {"operation": "getProduct", "headers": {"X-Region": "eu"}, "query": {"fields": "name"}},
        "answer": {"body": {"id": 5, "name": "European"}}
    });
    assert_eq!(stub(&s.base, &s.client, def).await.0, 201);
    let hit = get(&s, "/products/1?fields=name", &[("X-Region", "eu")]).await;
    assert_eq!(hit.1["name"], "European");
    let miss = get(&s, "/products/1?fields=name", &[("X-Region", "us")]).await;
    assert_eq!(miss.0, 200);
    assert_ne!(
        miss.1["name"], "European",
        "another header value is the spec's answer"
    );
    let miss = get(&s, "/products/1?fields=price", &[("X-Region", "eu")]).await;
    assert_ne!(miss.1["name"], "European", "another query value too");
    let def = json!({
        "match": {"operation": "createCart"},
        "body": [{"path": "$.items[0].quantity", "equals": 2}, {"path": "$.items[1]", "exists": false}],
        "answer": {"status": 400, "body": {"message": "out of stock"}}
    });
    assert_eq!(stub(&s.base, &s.client, def).await.0, 201);
    let cart = |quantity: u32, lines: usize| {
        let items: Vec<Value> = (0..lines)
            .map(|i| json!({"product": i + 1, "quantity": quantity}))
            .collect();
        s.client
            .post(s.url("/cart"))
            .header("X-Api-Key", "k")
            .json(&json!({"currency": "EUR", "items": items}))
            .send()
    };
    let r = cart(2, 1).await.expect("answer");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.expect("json")["message"],
        "out of stock"
    );
    assert_eq!(
        cart(1, 1).await.expect("answer").status(),
        200,
        "quantity 1 is not matched"
    );
    assert_eq!(
        cart(2, 2).await.expect("answer").status(),
        200,
        "a second line is not matched"
    );
}

#[tokio::test]
async fn a_stub_with_times_stops_matching_and_is_listed_as_used_up() {
    let s = start().await;
    let def = json!({"match": {"operation": "getProduct"}, "answer": {"status": 404, "body": {"message": "later"}}, "times": 2});
    let (_, made) = stub(&s.base, &s.client, def).await;
    assert_eq!(made["remaining"], 2);
    assert_eq!(get(&s, "/products/1", &[]).await.0, 404);
    assert_eq!(get(&s, "/products/1", &[]).await.0, 404);
    assert_eq!(
        get(&s, "/products/1", &[]).await.0,
        200,
        "the third is the spec's"
    );
    let list: Value = s
        .client
        .get(format!("{}/__cartwright/stubs", s.base))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let listed = &list["stubs"][0];
    assert_eq!(
        (&listed["hits"], &listed["remaining"], &listed["used_up"]),
        (&json!(2), &json!(0), &json!(true))
    );
}

/// Vendo's `addItem` is a behaviour that appends to the cart; a stub answers instead and
/// the cart is unchanged afterwards.
#[tokio::test]
async fn a_stub_answers_before_a_behaviour_and_changes_no_state() {
    let v = start_spec("vendo-storefront", Config::default()).await;
    let cart = v.send(v.req("POST", "/cart")).await;
    let token = cart.body["data"]["attributes"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let (st, made) = stub(
        &v.server.base,
        &v.server.client,
        json!({"match": {"operation": "addItem"}, "answer": {"status": 422}, "times": 1}),
    )
    .await;
    assert_eq!(st, 201, "{made}");
    let add = || {
        v.req("POST", "/cart/add_item")
            .header("X-Vendo-Order-Token", &token)
            .json(&json!({"variant_id": "1", "quantity": 2}))
    };
    let refused = v.send(add()).await;
    assert_eq!(
        refused.status, 422,
        "the declared 422, checked against the spec"
    );
    let read = v
        .send(v.req("GET", "/cart").header("X-Vendo-Order-Token", &token))
        .await;
    assert_eq!(
        read.body["data"]["attributes"]["item_count"], 0,
        "nothing was added"
    );
    assert_eq!(
        v.send(add()).await.status,
        200,
        "used up: the behaviour runs again"
    );
}

/// The Shopware store spec, unmodified, keeps inferred addresses; a stub on the create
/// answers in its place and nothing is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stub_answers_before_inferred_resources() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let options = cartwright_spec::LoadOptions {
        lenient: true,
        ..cartwright_spec::LoadOptions::default()
    };
    let loaded = cartwright_spec::load(
        &root.join("tests/corpus/shopware-store-api.json"),
        &options,
        &mut cartwright_diag::Sources::new(),
    )
    .expect("loads leniently");
    let s = start_api(loaded.api, Config::default()).await;
    let (st, made) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "createCustomerAddress"}, "answer": {"status": 200}}),
    )
    .await;
    assert_eq!(st, 201, "{made}");
    let h = [("sw-access-key", "SWSC0000"), ("sw-context-token", "ctx-1")];
    let call = |method: reqwest::Method, path: &str, body: Value| {
        let mut rb = s.client.request(method, format!("{}{path}", s.base));
        for (k, v) in h {
            rb = rb.header(k, v);
        }
        rb.json(&body).send()
    };
    let address = json!({"firstName": "Ada", "lastName": "Lovelace", "street": "Main St 1",
        "city": "London", "countryId": "0123456789abcdef0123456789abcdef"});
    let r = call(reqwest::Method::POST, "/store-api/account/address", address)
        .await
        .expect("answer");
    assert_eq!(r.status(), 200);
    let journal = s.mock.journal().recent(1);
    assert_eq!(journal[0].validation, cartwright_mock::Verdict::Stub);
    let list: Value = call(
        reqwest::Method::POST,
        "/store-api/account/list-address",
        json!({}),
    )
    .await
    .expect("answer")
    .json()
    .await
    .expect("json");
    assert_eq!(list["total"], 0, "nothing was made: {list}");
}
