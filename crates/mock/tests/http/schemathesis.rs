//! Requests Schemathesis sent (`bench/schemathesis.sh`) that the mock answered against the
//! spec: a status the operation does not declare though it declares one that fits, and a
//! valid query refused.

use cartwright_mock::{Config, ErrorStyle};
use serde_json::Value;

use crate::{json, start_spec, start_with};

fn api_errors() -> Config {
    Config {
        error_style: ErrorStyle::Api,
        ..Config::default()
    }
}

/// The messages in the mock's outbox.
async fn outbox(v: &crate::Stateful) -> usize {
    let r: Value = v
        .admin("GET", "/outbox")
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    r["messages"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_the_declared_422_where_no_400_is_declared() {
    // Vendo's POST /auth declares 200, 401 and 422; Schemathesis sent a NUL byte as JSON.
    let v = start_spec("vendo-storefront", api_errors()).await;
    for body in [&b"\x00"[..], b"{\"user\": {\"email\": ", b"\x1e\xc3\x84"] {
        let r = v
            .send(
                v.req("POST", "/auth")
                    .header("content-type", "application/json")
                    .body(body.to_vec()),
            )
            .await;
        // `send` checks the status is declared and the body is the declared 422's.
        assert_eq!(r.status, 422, "{body:?}: {}", r.body);
    }
    assert_eq!(outbox(&v).await, 0, "no code was sent");
    // In problem+json the kind still says what was wrong.
    let p = start_spec("vendo-storefront", Config::default()).await;
    let r = p
        .send(
            p.req("POST", "/cart/add_item")
                .header("content-type", "application/vnd.api+json")
                .body(&b"\x0f\xffr"[..]),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["type"], "urn:cartwright:problem:malformed-json");
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("byte 0"))
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_keeps_the_declared_400() {
    // Centra's POST /vouchers declares 400: a body that does not parse is that 400.
    let c = start_spec("centra-checkout", api_errors()).await;
    let r = c
        .send(
            c.req("POST", "/vouchers")
                .header("content-type", "application/json")
                .body(&b"{\"voucher\": "[..]),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

/// Medusa's list filters: an object parameter, form-exploded, with array properties.
const FILTERS: &str = r#"
openapi: 3.0.3
info: {title: filters, version: "1"}
paths:
  /collections:
    get:
      parameters:
        - name: created_at
          in: query
          schema:
            type: object
            properties:
              $contained: {type: array, items: {type: string}}
              $in: {type: array, items: {type: integer}}
              $exists: {type: boolean}
      responses:
        "200":
          description: the collections
          content: {application/json: {schema: {type: object}}}
"#;

#[tokio::test]
async fn an_array_property_of_an_exploded_object_takes_every_value() {
    let s = start_with(FILTERS, Config::default()).await;
    let get = |query: &str| {
        s.client
            .get(format!("{}/collections?{query}", s.base))
            .send()
    };
    // What Schemathesis sent Medusa's GET /store/collections, cut to these properties.
    for query in [
        "%24contained=&%24exists=false",
        "%24contained=a&%24contained=b",
        "%24in=1&%24in=2",
    ] {
        let r = get(query).await.expect("send");
        assert_eq!(r.status(), 200, "{query}: {}", json(r).await);
    }
    // Each value is still checked against the items' schema.
    let r = get("%24in=1&%24in=x").await.expect("send");
    assert_eq!(r.status(), 422);
    let body = json(r).await;
    assert_eq!(
        body["errors"][0]["pointer"], "/query/created_at/$in/1",
        "{body}"
    );
}
