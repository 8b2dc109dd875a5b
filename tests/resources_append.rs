//! An add to an item's array that no path addresses element by element
//! (`POST /carts/{cartId}/items`, the cart's lines without ids of their own) is a create in
//! that array: the next read of the cart shows the line. A request that is no line (codes,
//! a coupon) changes nothing, and an action whose body is no line stays an action.

mod support;

use cartwright_model::{Api, ResourceAction as Action};
use serde_json::{Value, json};

/// The carts of `crates/mock/tests/fixtures/proxy.yaml`, with an add that requires nothing
/// (so a body with none of a line's fields reaches the mock) and promotion codes posted to
/// the cart, which hold no line.
const SPEC: &str = r##"
openapi: 3.0.3
info: {title: carts, version: "1"}
paths:
  /carts:
    post:
      operationId: createCart
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {currency: {type: string}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Cart"}}}}
  /carts/{cartId}:
    parameters: [{name: cartId, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getCart
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Cart"}}}}
  /carts/{cartId}/items:
    parameters: [{name: cartId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {productId: {type: integer}, quantity: {type: integer, minimum: 1}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Cart"}}}}
  /carts/{cartId}/promotions:
    parameters: [{name: cartId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: addPromotions
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [promo_codes]
              properties: {promo_codes: {type: array, items: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Cart"}}}}
components:
  schemas:
    Cart:
      type: object
      required: [id]
      properties:
        id: {type: string}
        currency: {type: string}
        items:
          type: array
          items:
            type: object
            additionalProperties: false
            properties:
              productId: {type: integer}
              quantity: {type: integer}
        promotions:
          type: array
          items:
            type: object
            properties: {code: {type: string}, amount: {type: number}}
"##;

/// Sends a request; the status, the body as sent and parsed.
async fn call(
    s: &support::Served,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Vec<u8>, Value) {
    support::exchange(s, method, path, &[], body).await
}

/// A new cart's id.
async fn cart(s: &support::Served) -> String {
    let (st, _, made) = call(s, "POST", "/carts", Some(json!({"currency": "EUR"}))).await;
    assert_eq!(st, 201, "{made}");
    made["id"].as_str().expect("an id").to_owned()
}

/// Reads the cart twice (the second from its kept text): both the same bytes, serde_json's
/// for the cart; the cart's lines as read.
async fn lines(s: &support::Served, id: &str) -> Value {
    let path = format!("/carts/{id}");
    let (st, first, read) = call(s, "GET", &path, None).await;
    assert_eq!(st, 200, "{read}");
    let (_, second, _) = call(s, "GET", &path, None).await;
    assert_eq!(first, second, "a read again is the same bytes");
    assert_eq!(first, serde_json::to_vec(&read).expect("JSON"));
    read["items"].clone()
}

fn role(api: &Api, path: &str) -> Option<Action> {
    let i = api.operations.iter().position(|op| op.path == path)?;
    api.resources.role(i).map(|r| r.action.clone())
}

#[test]
fn an_add_of_lines_without_ids_is_a_create_and_promotion_codes_stay_an_action() {
    let api = support::load_text("carts.yaml", SPEC);
    assert_eq!(role(&api, "/carts/{cartId}/items"), Some(Action::Create));
    assert_eq!(
        role(&api, "/carts/{cartId}/promotions"),
        Some(Action::Act("promotions".to_owned()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_line_shows_on_the_next_read_and_what_is_no_line_changes_nothing() {
    let s = support::serve(support::load_text("carts.yaml", SPEC)).await;
    let id = cart(&s).await;
    assert_eq!(lines(&s, &id).await, json!([]));
    let add = format!("/carts/{id}/items");
    let (st, _, added) = call(
        &s,
        "POST",
        &add,
        Some(json!({"productId": 7, "quantity": 2})),
    )
    .await;
    assert_eq!(st, 200, "{added}");
    // The line as sent: no id the schema does not have.
    let first = json!({"productId": 7, "quantity": 2});
    assert_eq!(added["items"], json!([first]), "{added}");
    assert_eq!(lines(&s, &id).await, json!([first]));
    let (_, _, again) = call(
        &s,
        "POST",
        &add,
        Some(json!({"productId": 9, "quantity": 1})),
    )
    .await;
    let both = json!([first, {"productId": 9, "quantity": 1}]);
    assert_eq!(again["items"], both);
    assert_eq!(lines(&s, &id).await, both);

    // A body with none of a line's fields, and one the line's schema refuses (a field it
    // does not allow), are no lines: the cart answers as it is.
    for body in [
        json!({"coupon": "TEN"}),
        json!({"productId": 3, "note": "x"}),
    ] {
        let (st, _, same) = call(&s, "POST", &add, Some(body.clone())).await;
        assert_eq!(st, 200, "{same}");
        assert_eq!(same["items"], both, "{body}");
        assert_eq!(lines(&s, &id).await, both, "{body}");
    }
    // Promotion codes are no promotion and no line.
    let (_, _, before) = call(&s, "GET", &format!("/carts/{id}"), None).await;
    let (st, _, promoted) = call(
        &s,
        "POST",
        &format!("/carts/{id}/promotions"),
        Some(json!({"promo_codes": ["TEN"]})),
    )
    .await;
    assert_eq!(st, 200, "{promoted}");
    assert_eq!(promoted["items"], both);
    let (_, _, read) = call(&s, "GET", &format!("/carts/{id}"), None).await;
    assert_eq!(read["items"], both);
    assert_eq!(read["promotions"], before["promotions"], "{read}");

    // Another cart's lines are its own.
    let other = cart(&s).await;
    assert_eq!(lines(&s, &other).await, json!([]));
    let missing = call(&s, "POST", "/carts/none/items", Some(first)).await;
    assert_eq!(missing.0, 404, "{}", missing.2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_fixtures_added_item_shows_in_its_cart() {
    let spec = include_str!("../crates/mock/tests/fixtures/proxy.yaml");
    let s = support::serve(support::load_text("proxy.yaml", spec)).await;
    let id = cart(&s).await;
    let add = format!("/carts/{id}/items");
    let (st, _, added) = call(
        &s,
        "POST",
        &add,
        Some(json!({"productId": 1, "quantity": 3})),
    )
    .await;
    assert_eq!(st, 200, "{added}");
    assert_eq!(
        lines(&s, &id).await,
        json!([{"productId": 1, "quantity": 3}])
    );
}
