//! `path_encoding` judges more than the status: a server that decodes `%2F` before routing
//! answers `GET /carts/..%2Flines%2Fx` as `GET /lines/x`, with a 200 like the cart's own, and
//! only the answer's shape gives it away.

use cartwright_verify::{Options, verify};

use crate::serve::{Answer, Asked, failed, serve, spec};

const CARTS: &str = r##"
openapi: 3.1.0
info: {title: carts, version: "1"}
components:
  responses:
    Missing: {description: no such thing, content: {application/json: {schema: {type: object}}}}
paths:
  /carts/{cartId}:
    get:
      operationId: getCart
      parameters: [{name: cartId, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: the cart, made on first sight
          content:
            application/json:
              schema: {type: object, required: [id, lines], properties: {id: {type: string}, lines: {type: array}}}
        "404": {$ref: "#/components/responses/Missing"}
  /lines/{lineId}:
    get:
      operationId: getLine
      parameters: [{name: lineId, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: the line
          content:
            application/json:
              schema: {type: object, required: [lineId, quantity], properties: {lineId: {type: string}, quantity: {type: integer}}}
        "404": {$ref: "#/components/responses/Missing"}
"##;

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The faithful server splits the raw path and decodes each segment; the broken one decodes
/// the whole path first and resolves its dot segments, so `%2F` routes.
fn carts(broken: bool) -> impl Fn(&Asked) -> Answer {
    move |a: &Asked| {
        let segments: Vec<String> = if broken {
            let mut out: Vec<String> = Vec::new();
            for s in decode(&a.path).split('/').skip(1) {
                match s {
                    ".." => {
                        out.pop();
                    }
                    "." => {}
                    s => out.push(s.to_owned()),
                }
            }
            out
        } else {
            a.path.split('/').skip(1).map(decode).collect()
        };
        let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
        let body = match seg.as_slice() {
            ["carts", id] => serde_json::json!({"id": id, "lines": []}),
            ["lines", id] => serde_json::json!({"lineId": id, "quantity": 1}),
            _ => return (404, vec![], r#"{"error": "no such route"}"#.into()),
        };
        if a.method != http::Method::GET {
            return (405, vec![("allow", "GET".into())], String::new());
        }
        (200, vec![], body.to_string())
    }
}

#[tokio::test]
async fn a_value_decoded_before_routing_is_caught_by_the_shape_of_its_answer() {
    let api = spec("carts.yaml", CARTS);
    let opts = |target: String| Options {
        target,
        max_examples: 10,
        ..Options::default()
    };
    let faithful = verify(&api, &opts(serve(carts(false)).await)).await.run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    let broken = verify(&api, &opts(serve(carts(true)).await)).await.run;
    let report = cartwright_report::terminal(&broken, false);
    assert_eq!(
        failed(&broken).into_iter().collect::<Vec<_>>(),
        ["path_encoding"],
        "{report}"
    );
    // The aimed value is caught by its shape: its status is the cart's own 200.
    let cart = broken
        .cases
        .iter()
        .find(|c| c.name.contains("(getCart)"))
        .expect("the cart's case");
    let failed: Vec<&str> = cart
        .steps
        .iter()
        .flat_map(|s| s.failures())
        .filter_map(|c| c.detail.as_deref())
        .collect();
    assert!(
        failed.iter().any(|d| d.contains("..%2Flines%2F")),
        "{report}"
    );
}
