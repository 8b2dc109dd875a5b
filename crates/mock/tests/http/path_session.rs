//! Sessions named in the URL (`token: [{path: basketId}]`): the basket id in the path opens
//! the session, an unknown one is refused as the kind says, and a binding on an operation
//! without that path parameter does not load.

use cartwright_diag::Sources;
use cartwright_mock::Config;
use cartwright_spec::LoadOptions;
use serde_json::json;

use crate::{json, start_with};

const BASKETS: &str = r#"
openapi: 3.0.3
info: {title: baskets, version: "1"}
servers: [{url: /api/shop}]
x-cartwright:
  sessions:
    basket: {token: [{path: basketId}], unknown: 404, state: {items: []}}
paths:
  /baskets:
    post:
      x-cartwright:
        steps:
          - issue: {session: basket, state: {items: []}}
        respond:
          body: {/basketId: token}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {type: object, properties: {basketId: {type: string}}}
  /baskets/{basketId}/items:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      x-cartwright:
        session: basket
        steps:
          - append: {to: /items, value: {sku: request.body.sku}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {sku: {type: string}}}
      responses:
        "200": {description: added}
        "404": {description: no such basket}
  /baskets/{basketId}:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    get:
      x-cartwright:
        session: basket
        respond:
          body: {/count: state.items | length}
      responses:
        "200":
          description: the basket
          content:
            application/json:
              schema: {type: object, properties: {count: {type: integer}}}
        "404": {description: no such basket}
"#;

#[tokio::test]
async fn the_basket_id_in_the_path_opens_its_session() {
    let s = start_with(BASKETS, Config::default()).await;
    let made = json(s.client.post(s.url("/baskets")).send().await.expect("send")).await;
    let id = made["basketId"].as_str().expect("an id").to_owned();
    for sku in ["a", "b"] {
        let res = s
            .client
            .post(s.url(&format!("/baskets/{id}/items")))
            .json(&json!({"sku": sku}))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 200);
    }
    let res = s
        .client
        .get(s.url(&format!("/baskets/{id}")))
        .send()
        .await
        .expect("send");
    assert_eq!(json(res).await, json!({"count": 2}));
    let other = s
        .client
        .get(s.url("/baskets/nobody"))
        .send()
        .await
        .expect("send");
    assert_eq!(other.status(), 404);
}

#[test]
fn a_session_in_a_path_parameter_the_operation_lacks_is_refused_at_load() {
    let broken = BASKETS.replace(
        "  /baskets/{basketId}/items:\n    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]\n",
        "  /items:\n",
    );
    let mut sources = Sources::new();
    let err = cartwright_spec::load_str("b.yaml", &broken, &LoadOptions::default(), &mut sources)
        .expect_err("refused");
    let d = err
        .iter()
        .find(|d| d.message.contains("path parameter `basketId`"))
        .expect("names the parameter");
    assert_eq!(
        d.pointer.as_deref(),
        Some("/paths/~1items/post/x-cartwright/session")
    );
}
