//! A new or changed line is judged alone against its array's item schema where the answer's
//! schema reaches that array plainly (`$ref`, `properties`, `items`), and inside a trial
//! answer where it does not (here an `allOf` around the basket). Both must revert exactly
//! the same request fields: the same requests against both specs give the same lines, and
//! every line served conforms to the answer's schema. Where the line's own schema is plain
//! (`properties`, `required`), only the changed members are judged, each by its property
//! schema; a line schema with more (`patternProperties`) is judged whole, with the same
//! outcome. (Debug builds also judge each line both ways inside the mock and insist on one
//! outcome.)

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
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Answer"}}}}
  /baskets/{basketId}:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getBasket
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Answer"}}}}
  /baskets/{basketId}/productItems:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {productId: {type: string}, quantity: {type: integer}, note: {}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Answer"}}}}
  /baskets/{basketId}/productItems/{itemId}:
    parameters:
      - {name: basketId, in: path, required: true, schema: {type: string}}
      - {name: itemId, in: path, required: true, schema: {type: string}}
    patch:
      operationId: updateItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {quantity: {type: integer}, note: {}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Answer"}}}}
components:
  schemas:
    Answer:
      type: object
      required: [basket]
      properties:
        basket: {$ref: "#/components/schemas/Basket"}
    Basket:
      type: object
      required: [basketId, currency]
      properties:
        basketId: {type: string}
        currency: {type: string, maxLength: 3}
        productItems:
          type: array
          maxItems: 50
          items: {$ref: "#/components/schemas/Item"}
    Item:
      type: object
      required: [itemId, productId, quantity]
      properties:
        itemId: {type: string}
        productId: {type: string, maxLength: 5}
        quantity: {type: integer, minimum: 1, maximum: 99}
        note:
          type: object
          properties: {text: {type: string, maxLength: 10}}
"##;

/// The same spec with the basket reached through an `allOf`: the line is judged in the
/// whole answer there.
fn wrapped() -> String {
    SPEC.replace(
        "        basket: {$ref: \"#/components/schemas/Basket\"}",
        "        basket: {allOf: [{$ref: \"#/components/schemas/Basket\"}]}",
    )
}

/// The same spec with a keyword on the line's schema that could judge a member by more than
/// its property schema: the line is judged whole there, not member by member.
fn patterned() -> String {
    SPEC.replace(
        "      required: [itemId, productId, quantity]\n",
        "      required: [itemId, productId, quantity]\n      patternProperties: {\"^x-\": {}}\n",
    )
}

/// The line items' member schemas, by name.
fn members(api: &Api) -> Vec<String> {
    let lines = api
        .resources
        .collections
        .iter()
        .find_map(|c| c.parent.as_ref());
    let mut names: Vec<String> = lines
        .expect("lines")
        .members
        .iter()
        .map(|(n, _)| n.clone())
        .collect();
    names.sort_unstable();
    names
}

fn load(text: &str) -> Api {
    support::load_text("baskets.yaml", text)
}

/// Sends a request that must succeed; its JSON answer.
async fn call(s: &support::Served, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, _, answer) = support::exchange(s, method, path, &[], body).await;
    assert!((200..300).contains(&status), "{path}: {status}");
    answer
}

/// Every line's fields but its id, in order.
fn lines(answer: &Value) -> Vec<Value> {
    let items = answer["basket"]["productItems"].as_array().expect("lines");
    items
        .iter()
        .map(|l| {
            let mut l = l.clone();
            l.as_object_mut().expect("line").remove("itemId");
            l
        })
        .collect()
}

/// Adds lines good and bad, changes one badly and well; the lines after each step.
async fn run(api: Api) -> Vec<Vec<Value>> {
    let answer = api.operation("getBasket").expect("read").responses[0].content[0]
        .schema
        .clone()
        .expect("schema");
    let s = support::serve(api).await;
    let made = call(&s, "POST", "/baskets", Some(json!({"currency": "EUR"}))).await;
    let id = made["basket"]["basketId"].as_str().expect("id").to_owned();
    let add = format!("/baskets/{id}/productItems");
    let mut seen = Vec::new();
    for body in [
        json!({"productId": "p1", "quantity": 2, "note": {"text": "gift"}}),
        json!({"productId": "far-too-long", "quantity": 500}),
        json!({"productId": "p3", "quantity": 0, "note": {"text": "much too long a note"}}),
        json!({"productId": "p4", "note": "not an object"}),
    ] {
        let out = call(&s, "POST", &add, Some(body)).await;
        assert!(answer.violations(&out).is_empty(), "{out}");
        seen.push(lines(&out));
    }
    let read = call(&s, "GET", &format!("/baskets/{id}"), None).await;
    let first = read["basket"]["productItems"][0]["itemId"]
        .as_str()
        .expect("line id")
        .to_owned();
    let line = format!("{add}/{first}");
    for body in [
        json!({"quantity": 100, "note": {"text": "ok"}}),
        json!({"quantity": 7}),
    ] {
        let out = call(&s, "PATCH", &line, Some(body)).await;
        assert!(answer.violations(&out).is_empty(), "{out}");
        seen.push(lines(&out));
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_judged_alone_loses_the_same_fields_as_one_judged_in_the_answer() {
    assert_eq!(members(&load(SPEC)), ["note", "productId", "quantity"]);
    assert!(members(&load(&patterned())).is_empty());
    let alone = run(load(SPEC)).await;
    let whole = run(load(&wrapped())).await;
    assert_eq!(alone, whole);
    // Judged member by member (above) and as a whole line: the same lines.
    assert_eq!(alone, run(load(&patterned())).await);
    // What was kept and what was reverted, line by line after the last change.
    let last = alone.last().expect("steps");
    assert_eq!(last.len(), 4);
    assert_eq!(last[0]["productId"], "p1");
    assert_eq!(last[0]["quantity"], 7, "a fitting change is kept");
    assert_eq!(last[0]["note"], json!({"text": "ok"}));
    assert_ne!(last[1]["productId"], "far-too-long", "too long: reverted");
    assert_ne!(last[1]["quantity"], 500, "above the maximum: reverted");
    assert_eq!(last[2]["productId"], "p3");
    assert_ne!(last[2]["quantity"], 0, "below the minimum: reverted");
    assert_ne!(last[2]["note"]["text"], "much too long a note");
    assert_eq!(last[3]["productId"], "p4");
    assert!(last[3]["note"].is_object() || last[3].get("note").is_none());
    // The change that broke the line left it as it was before.
    assert_eq!(alone[4][0]["quantity"], 2, "above the maximum: reverted");
    assert_eq!(alone[4][0]["note"], json!({"text": "ok"}));
}
