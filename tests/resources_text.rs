//! A stored item keeps its JSON text once an answer has written it, so a cart read again is
//! copied out rather than serialized again. A kept text that outlived a change would be a
//! stale cart, so every write that changes an item (a line added, changed or removed, the
//! item itself changed) is followed here by reads that must show the change, after the
//! item's text was written at least twice before it. A line added is spliced into the kept
//! text: every text read must be the bytes serde_json writes for the basket.

mod support;

use cartwright_model::Api;
use serde_json::{Value, json};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: baskets, version: "1"}
paths:
  /baskets:
    post:
      operationId: createBasket
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {currency: {type: string}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
  /baskets/{basketId}:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getBasket
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
    patch:
      operationId: updateBasket
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {currency: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
  /baskets/{basketId}/productItems:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {productId: {type: string}, quantity: {type: integer}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
  /baskets/{basketId}/productItems/{itemId}:
    parameters:
      - {name: basketId, in: path, required: true, schema: {type: string}}
      - {name: itemId, in: path, required: true, schema: {type: string}}
    patch:
      operationId: updateItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {quantity: {type: integer}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
    delete:
      operationId: removeItem
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
components:
  schemas:
    Basket:
      type: object
      properties:
        basketId: {type: string}
        currency: {type: string}
        productItems:
          type: array
          items:
            type: object
            properties: {itemId: {type: string}, productId: {type: string}, quantity: {type: integer}}
"##;

fn load() -> Api {
    support::load_text("baskets.yaml", SPEC)
}

/// Sends a request; the status and the body as sent (bytes) and parsed.
async fn call(
    s: &support::Served,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Vec<u8>, Value) {
    support::exchange(s, method, path, &[], body).await
}

/// Reads the basket twice (the second read is served from its kept text) and checks both
/// reads are the same bytes; the basket as read.
async fn read_twice(s: &support::Served, id: &str) -> Value {
    let path = format!("/baskets/{id}");
    let (st, first, basket) = call(s, "GET", &path, None).await;
    assert_eq!(st, 200, "{basket}");
    let (_, second, _) = call(s, "GET", &path, None).await;
    assert_eq!(first, second, "a read again is the same bytes");
    // A kept text, spliced or written whole, is what serde_json writes for the basket.
    let written = serde_json::to_vec(&basket).expect("JSON");
    assert_eq!(
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&written)
    );
    basket
}

fn items(basket: &Value) -> Vec<(String, i64)> {
    basket["productItems"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let product = i["productId"].as_str().expect("product").to_owned();
            (product, i["quantity"].as_i64().expect("quantity"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_to_a_stored_item_shows_in_the_reads_after_it() {
    let s = support::serve(load()).await;
    let (st, _, made) = call(&s, "POST", "/baskets", Some(json!({"currency": "EUR"}))).await;
    assert_eq!(st, 201, "{made}");
    let id = made["basketId"].as_str().expect("an id").to_owned();
    assert_eq!(read_twice(&s, &id).await["currency"], "EUR");

    // A line added: the answer and every read after it show it.
    let add = format!("/baskets/{id}/productItems");
    let (st, _, added) = call(
        &s,
        "POST",
        &add,
        Some(json!({"productId": "p1", "quantity": 2})),
    )
    .await;
    assert_eq!(st, 200, "{added}");
    assert_eq!(items(&added), [("p1".to_owned(), 2)]);
    let basket = read_twice(&s, &id).await;
    assert_eq!(items(&basket), [("p1".to_owned(), 2)]);
    let (_, _, again) = call(
        &s,
        "POST",
        &add,
        Some(json!({"productId": "p2", "quantity": 1})),
    )
    .await;
    assert_eq!(items(&again).len(), 2, "{again}");
    assert_eq!(items(&read_twice(&s, &id).await).len(), 2);

    // A line changed.
    let line = basket["productItems"][0]["itemId"]
        .as_str()
        .expect("line id");
    let (st, _, changed) = call(
        &s,
        "PATCH",
        &format!("/baskets/{id}/productItems/{line}"),
        Some(json!({"quantity": 5})),
    )
    .await;
    assert_eq!(st, 200, "{changed}");
    let basket = read_twice(&s, &id).await;
    assert_eq!(items(&basket)[0], ("p1".to_owned(), 5), "{basket}");

    // The item itself changed.
    let (st, _, updated) = call(
        &s,
        "PATCH",
        &format!("/baskets/{id}"),
        Some(json!({"currency": "SEK"})),
    )
    .await;
    assert_eq!(st, 200, "{updated}");
    let basket = read_twice(&s, &id).await;
    assert_eq!(basket["currency"], "SEK", "{basket}");
    assert_eq!(items(&basket).len(), 2, "lines kept: {basket}");

    // A line removed.
    let (st, _, removed) = call(
        &s,
        "DELETE",
        &format!("/baskets/{id}/productItems/{line}"),
        None,
    )
    .await;
    assert_eq!(st, 200, "{removed}");
    let basket = read_twice(&s, &id).await;
    assert_eq!(items(&basket), [("p2".to_owned(), 1)], "{basket}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_to_one_item_leaves_the_text_of_another_as_it_was() {
    let s = support::serve(load()).await;
    let mut ids = Vec::new();
    for currency in ["EUR", "USD"] {
        let (_, _, made) = call(&s, "POST", "/baskets", Some(json!({"currency": currency}))).await;
        ids.push(made["basketId"].as_str().expect("an id").to_owned());
    }
    let before = read_twice(&s, &ids[1]).await;
    let add = format!("/baskets/{}/productItems", ids[0]);
    call(
        &s,
        "POST",
        &add,
        Some(json!({"productId": "p1", "quantity": 1})),
    )
    .await;
    assert_eq!(items(&read_twice(&s, &ids[0]).await).len(), 1);
    assert_eq!(read_twice(&s, &ids[1]).await, before);
}
