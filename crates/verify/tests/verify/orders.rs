//! `cross_session_isolation` on what a session's next step makes: after session a fills its
//! basket and places the order, session b must not pay a's order by its id. The bug is
//! caught by that check alone; the faithful twin passes every default check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cartwright_verify::{Options, Verified, verify};
use serde_json::{Value, json};

use crate::serve::{Answer, Asked, failed, serve, spec};

const ORDERS: &str = r##"
openapi: 3.1.0
info: {title: orders by customer, version: "1"}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  responses:
    Unauthorized: {description: no valid token, content: {application/json: {schema: {type: object}}}}
    Invalid: {description: malformed, content: {application/json: {schema: {type: object}}}}
    Missing: {description: no such order of this customer, content: {application/json: {schema: {type: object}}}}
paths:
  /login:
    post:
      operationId: login
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [email, password], properties: {email: {type: string}, password: {type: string}}}
            example: {email: ada@example.com, password: correct-horse}
      responses:
        "200":
          description: a session
          content: {application/json: {schema: {type: object, required: [token], properties: {token: {type: string}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
  /basket:
    get:
      operationId: getBasket
      responses:
        "200":
          description: the customer's basket
          content:
            application/json:
              schema: {type: object, required: [count], properties: {count: {type: integer}}}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /basket/items:
    post:
      operationId: addItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [sku], properties: {sku: {type: string}}}
            example: {sku: TEE-1}
      responses:
        "201": {description: added, content: {application/json: {schema: {type: object, required: [sku], properties: {sku: {type: string}}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /orders:
    post:
      operationId: placeOrder
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}, example: {}}}
      responses:
        "201":
          description: the order of the basket
          content: {application/json: {schema: {type: object, required: [orderId], properties: {orderId: {type: string}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "422": {$ref: "#/components/responses/Invalid"}
  /payments:
    post:
      operationId: payOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [orderId], properties: {orderId: {type: string}}}
            example: {orderId: O-1}
      responses:
        "201": {description: paid, content: {application/json: {schema: {type: object, required: [paid], properties: {paid: {type: string}}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/Missing"}
"##;

#[derive(Default)]
struct State {
    baskets: HashMap<String, u64>,
    /// Each order's id and its customer's token.
    orders: HashMap<String, String>,
    next: u64,
}

/// `foreign` is the bug: any known order is paid, whoever asks.
fn shop(foreign: bool) -> impl Fn(&Asked) -> Answer {
    let state = Arc::new(Mutex::new(State::default()));
    move |a: &Asked| {
        let mut st = state.lock().expect("state");
        answer(&mut st, a, foreign)
    }
}

fn answer(st: &mut State, a: &Asked, foreign: bool) -> Answer {
    let allowed = match a.path.as_str() {
        "/login" | "/basket/items" | "/orders" | "/payments" => "POST",
        "/basket" => "GET",
        _ => return (404, vec![], r#"{"error": "no such route"}"#.into()),
    };
    if a.method.as_str() != allowed {
        return (405, vec![("allow", allowed.into())], String::new());
    }
    let json_body = a
        .headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let body: Option<&Value> = a.body.as_ref().filter(|b| json_body && b.is_object());
    let invalid = (400, vec![], r#"{"error": "invalid"}"#.to_owned());
    if a.path == "/login" {
        if !body.is_some_and(|b| b["email"].is_string() && b["password"].is_string()) {
            return invalid;
        }
        st.next += 1;
        let token = format!("tok{:024}", st.next);
        st.baskets.insert(token.clone(), 0);
        return (200, vec![], json!({"token": token}).to_string());
    }
    let given = a
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let Some(count) = st.baskets.get(given).copied() else {
        return (401, vec![], r#"{"error": "no valid token"}"#.into());
    };
    let token = given.to_owned();
    if a.path == "/basket" {
        return (200, vec![], json!({"count": count}).to_string());
    }
    let Some(body) = body else {
        return invalid;
    };
    match a.path.as_str() {
        "/basket/items" => {
            let Some(sku) = body["sku"].as_str() else {
                return invalid;
            };
            st.baskets.insert(token, count + 1);
            (201, vec![], json!({"sku": sku}).to_string())
        }
        "/orders" if count == 0 => (422, vec![], r#"{"error": "basket empty"}"#.into()),
        "/orders" => {
            st.next += 1;
            let id = format!("O-{}", st.next);
            st.orders.insert(id.clone(), token.clone());
            st.baskets.insert(token, 0);
            (201, vec![], json!({"orderId": id}).to_string())
        }
        _ => {
            let Some(id) = body["orderId"].as_str() else {
                return invalid;
            };
            let owner = st.orders.get(id);
            if owner.is_some_and(|o| *o == token || foreign) {
                (201, vec![], json!({"paid": id}).to_string())
            } else {
                (404, vec![], r#"{"error": "no such order"}"#.into())
            }
        }
    }
}

async fn run(foreign: bool) -> Verified {
    let opts = Options {
        target: serve(shop(foreign)).await,
        max_examples: 5,
        ..Options::default()
    };
    verify(&spec("orders.yaml", ORDERS), &opts).await
}

#[tokio::test]
async fn paying_another_customers_order_is_caught_by_cross_session_isolation() {
    let faithful = run(false).await.run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    let steps: Vec<(&str, Option<u16>)> = faithful
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .map(|s| (s.name.as_str(), s.response_status))
        .collect();
    // The faithful run did pay a's order as a, and refused b.
    assert!(
        steps.contains(&(
            "POST /payments with session a, on its own orderId",
            Some(201)
        )) && steps.contains(&(
            "POST /payments with session b, on session a's orderId",
            Some(404)
        )),
        "{steps:?}"
    );
    let verified = run(true).await;
    let report = cartwright_report::terminal(&verified.run, false);
    assert_eq!(
        failed(&verified.run).into_iter().collect::<Vec<_>>(),
        ["cross_session_isolation"],
        "{report}"
    );
    let failing: Vec<&str> = verified
        .run
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.failures().next().is_some())
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        failing
            .iter()
            .all(|n| n.starts_with("POST /payments with session b, on session a's orderId")),
        "{report}"
    );
    assert_eq!(verified.failures.len(), 1, "{report}");
}
