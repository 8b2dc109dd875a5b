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

/// Shopware's `includes`: a deepObject whose keys are entity names, each a list of fields,
/// declared only by `additionalProperties`.
const INCLUDES: &str = r#"
openapi: 3.1.0
info: {title: includes, version: "1"}
paths:
  /currency:
    get:
      parameters:
        - name: includes
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            additionalProperties: {type: array, items: {type: string}}
        - name: counts
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            additionalProperties: {type: integer}
      responses:
        "200":
          description: the currencies
          content: {application/json: {schema: {type: object}}}
"#;

#[tokio::test]
async fn a_deep_object_key_takes_the_additional_properties_schema() {
    let s = start_with(INCLUDES, Config::default()).await;
    let get = |query: &str| s.client.get(format!("{}/currency?{query}", s.base)).send();
    // What Schemathesis sent Shopware's GET /currency: one field, then two, per entity.
    for query in [
        "includes%5Bproduct%5D=name",
        "includes%5Bproduct%5D=name&includes%5Bproduct%5D=id&includes%5Bmedia%5D=url",
        "counts%5Bproduct%5D=3",
    ] {
        let r = get(query).await.expect("send");
        assert_eq!(r.status(), 200, "{query}: {}", json(r).await);
    }
    // The additional properties' schema is still checked, item by item.
    let r = get("counts%5Bproduct%5D=x").await.expect("send");
    assert_eq!(r.status(), 422);
    let body = json(r).await;
    assert_eq!(
        body["errors"][0]["pointer"], "/query/counts/product",
        "{body}"
    );
}

/// Shopware's `POST /_mcp`: a session id the answer returns and the request sends back,
/// declared `format: uuid`, beside the context token, declared a plain string.
const MCP: &str = r#"
openapi: 3.1.0
info: {title: mcp, version: "1"}
paths:
  /_mcp:
    post:
      parameters:
        - {name: mcp-session-id, in: header, schema: {type: string, format: uuid}}
        - {name: sw-context-token, in: header, schema: {type: string}}
      responses:
        "200":
          description: the answer
          headers:
            mcp-session-id: {schema: {type: string, format: uuid}}
            sw-context-token: {schema: {type: string}}
          content: {application/json: {schema: {type: object}}}
"#;

#[tokio::test]
async fn a_minted_session_id_takes_the_format_its_header_declares() {
    let s = start_with(MCP, Config::default()).await;
    let post = || s.client.post(format!("{}/_mcp", s.base)).send();
    let is_uuid = |v: &str| {
        let parts: Vec<usize> = v.split('-').map(str::len).collect();
        parts == [8, 4, 4, 4, 12] && v.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    };
    let (a, b) = (post().await.expect("send"), post().await.expect("send"));
    let id =
        |r: &reqwest::Response, name: &str| r.headers()[name].to_str().expect("text").to_owned();
    let (id_a, id_b) = (id(&a, "mcp-session-id"), id(&b, "mcp-session-id"));
    assert!(is_uuid(&id_a), "{id_a}");
    assert!(is_uuid(&id_b), "{id_b}");
    assert_ne!(id_a, id_b, "each session gets its own id");
    // The context token declares no format: it keeps Shopware's 32 hex digits.
    let token = id(&a, "sw-context-token");
    assert_eq!(token.len(), 32, "{token}");
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    // An id the request brings is handed back as it came.
    let r = s
        .client
        .post(format!("{}/_mcp", s.base))
        .header("mcp-session-id", "1b4e28ba-2fa1-41d2-883f-0016d3cca427")
        .send()
        .await
        .expect("send");
    assert_eq!(
        id(&r, "mcp-session-id"),
        "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
    );
}
