//! At the session bound the least recently used session goes, not the oldest: a basket in
//! use a moment ago survives a flood of new ones, and an evicted basket's next request is
//! answered exactly as a basket that never existed is (the spec's declared 404).

use cartwright_mock::Config;
use serde_json::json;

use crate::{Server, json, start_with};

const BASKETS: &str = r#"
openapi: 3.0.3
info: {title: baskets, version: "1"}
servers: [{url: /api/shop}]
x-cartwright:
  sessions:
    basket: {token: [{path: basketId}], unknown: 404, max: 3, state: {items: []}}
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
        "404":
          description: no such basket
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
              example: {error: basket not found}
"#;

async fn make(s: &Server) -> String {
    let made = json(s.client.post(s.url("/baskets")).send().await.expect("send")).await;
    made["basketId"].as_str().expect("an id").to_owned()
}

async fn open(s: &Server, id: &str) -> (u16, serde_json::Value) {
    let res = s
        .client
        .get(s.url(&format!("/baskets/{id}")))
        .send()
        .await
        .expect("send");
    (res.status().as_u16(), json(res).await)
}

#[tokio::test]
async fn the_least_recently_used_basket_is_evicted_and_then_unknown() {
    let s = start_with(BASKETS, Config::default()).await;
    let first = make(&s).await;
    let second = make(&s).await;
    let third = make(&s).await;
    // The first is the oldest, but used last: the second is the one to go.
    assert_eq!(open(&s, &first).await.0, 200);
    let fourth = make(&s).await;
    for live in [&first, &third, &fourth] {
        assert_eq!(open(&s, live).await, (200, json!({"count": 0})));
    }
    let never = open(&s, "never-issued").await;
    assert_eq!(never, (404, json!({"error": "basket not found"})));
    assert_eq!(
        open(&s, &second).await,
        never,
        "an evicted basket is answered as an unknown one"
    );
}
