//! A basket's steps change its stored state where it lies. An operation whose step fails
//! after earlier steps changed the basket answers 500 and leaves the basket as it was, to
//! the byte: every change is undone, whether it merged into a line, appended one, set or
//! made a member, or took one away from the middle of an object. `auth` shows the basket as
//! it was before the operation's changes, like any other live session. A step that issues
//! another basket leaves the one it changed as it was, too: the changes were made to the
//! operation's state, which the new basket's replaces.

use cartwright_mock::Config;

use crate::{Server, start_with};

const BASKETS: &str = r#"
openapi: 3.0.3
info: {title: baskets, version: "1"}
servers: [{url: /api/shop}]
x-cartwright:
  sessions:
    basket: {token: [{path: basketId}], unknown: 404}
paths:
  /baskets:
    post:
      x-cartwright:
        steps:
          - issue: {session: basket, state: {items: [], note: "'gift'", total: 0, tag: "'t'"}}
        respond:
          body: {/basketId: token}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {type: object}
  /baskets/{basketId}:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    get:
      x-cartwright:
        session: basket
        respond:
          body: {/basket: state}
      responses:
        "200":
          description: the basket
          content:
            application/json:
              schema: {type: object}
  /baskets/{basketId}/split:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      x-cartwright:
        session: basket
        steps:
          - set: {/tag: "'split'"}
          - issue: {session: basket, state: {items: []}}
        respond:
          body: {/basketId: token}
      responses:
        "201":
          description: a new basket
          content:
            application/json:
              schema: {type: object}
  /baskets/{basketId}/lines:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      x-cartwright:
        session: basket
        steps:
          - append:
              to: /items
              merge: {key: /sku, add: [/qty]}
              value: {sku: request.body.sku, qty: request.body.qty}
          - set:
              /total: state['items'] | map(attribute='qty') | sum
              /extra/deep: "'made'"
          - when: request.body.fail
            set: {/made/deep: "'new'", /note: none, /tag: "'changed'"}
          - when: request.body.fail
            set: {/broken: "'x' | nosuchfilter"}
        respond:
          body: {/before: auth.basket.state, /after: state}
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200":
          description: the basket
          content:
            application/json:
              schema: {type: object}
"#;

/// A new basket's id.
async fn made(s: &Server) -> String {
    let made: serde_json::Value = (s.client.post(s.url("/baskets")).send().await)
        .expect("send")
        .json()
        .await
        .expect("JSON");
    made["basketId"].as_str().expect("an id").to_owned()
}

/// The basket's stored state as text, member order included.
async fn basket(s: &Server, id: &str) -> String {
    let res = s
        .client
        .get(s.url(&format!("/baskets/{id}")))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    res.text().await.expect("body")
}

async fn add(s: &Server, id: &str, line: serde_json::Value) -> (u16, serde_json::Value) {
    let res = s
        .client
        .post(s.url(&format!("/baskets/{id}/lines")))
        .json(&line)
        .send()
        .await
        .expect("send");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_failed_step_leaves_the_basket_as_it_was() {
    let s = start_with(BASKETS, Config::default()).await;
    let id = made(&s).await;
    let fresh = basket(&s, &id).await;

    let (status, first) = add(&s, &id, serde_json::json!({"sku": "a", "qty": 1})).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        first["before"].to_string(),
        serde_json::from_str::<serde_json::Value>(&fresh).expect("JSON")["basket"].to_string(),
        "auth shows the basket as it was before this operation's changes"
    );
    let after_one = basket(&s, &id).await;
    assert_eq!(
        after_one,
        r#"{"basket":{"items":[{"sku":"a","qty":1}],"note":"gift","total":1,"tag":"t","extra":{"deep":"made"}}}"#
    );
    assert_eq!(
        first["after"].to_string(),
        after_one[10..after_one.len() - 1]
    );

    // Merged into the line, appended, set, made and taken away: then the failing step.
    for line in [
        serde_json::json!({"sku": "a", "qty": 2, "fail": true}),
        serde_json::json!({"sku": "b", "qty": 5, "fail": true}),
    ] {
        let (status, problem) = add(&s, &id, line.clone()).await;
        assert_eq!(status, 500, "{line}: {problem}");
        assert_eq!(basket(&s, &id).await, after_one, "{line} left no change");
    }

    // Back as it was, the basket takes the next change as any basket does.
    let (status, _) = add(&s, &id, serde_json::json!({"sku": "b", "qty": 5})).await;
    assert_eq!(status, 200);
    assert_eq!(
        basket(&s, &id).await,
        r#"{"basket":{"items":[{"sku":"a","qty":1},{"sku":"b","qty":5}],"note":"gift","total":6,"tag":"t","extra":{"deep":"made"}}}"#
    );
}

#[tokio::test]
async fn issuing_another_basket_leaves_the_changed_one_as_it_was() {
    let s = start_with(BASKETS, Config::default()).await;
    let id = made(&s).await;
    let before = basket(&s, &id).await;
    let split: serde_json::Value = (s.client)
        .post(s.url(&format!("/baskets/{id}/split")))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("JSON");
    let new = split["basketId"].as_str().expect("a new id");
    assert_ne!(new, id);
    assert_eq!(basket(&s, new).await, r#"{"basket":{"items":[]}}"#);
    assert_eq!(basket(&s, &id).await, before);
}
