//! A store whose shipping options depend on the cart: `GET /shipping-options?cart_id=`
//! lists the one option valid for that cart, while `GET /options` lists an option valid for
//! none. A shipping method is accepted only with the cart's own option, so the walk reaches
//! it only by asking the scoped list with the cart's id and preferring what it answered.
//! A cart completes only with a shipping method and a payment session, and adding the
//! shipping method drops the payment session, as the refusal says: the walk completes it by
//! sending the payment session again.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};

const SPEC: &str = r##"
openapi: 3.1.0
info: {title: shipping, version: "1"}
components:
  schemas:
    Error:
      type: object
      properties: {message: {type: string}}
  responses:
    Refused:
      description: refused
      content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
paths:
  /carts/{id}/complete:
    post:
      operationId: complete
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: completed
          content: {application/json: {schema: {type: object}}}
        "400": {$ref: "#/components/responses/Refused"}
  /carts/{id}/payment-sessions:
    post:
      operationId: pay
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a payment session
          content: {application/json: {schema: {type: object}}}
        "404": {$ref: "#/components/responses/Refused"}
  /carts:
    post:
      operationId: createCart
      responses:
        "201":
          description: created
          content:
            application/json:
              schema:
                type: object
                required: [cart]
                properties: {cart: {type: object, properties: {id: {type: string}}}}
  /options:
    get:
      operationId: listOptions
      responses:
        "200":
          description: every option
          content:
            application/json:
              schema:
                type: object
                properties:
                  options: {type: array, items: {type: object, properties: {id: {type: string}}}}
  /shipping-options:
    get:
      operationId: listShippingOptions
      parameters:
        - {name: cart_id, in: query, required: true, schema: {type: string}}
      responses:
        "200":
          description: the options valid for the cart
          content:
            application/json:
              schema:
                type: object
                properties:
                  shipping_options:
                    type: array
                    items: {type: object, properties: {id: {type: string}}}
        "404": {$ref: "#/components/responses/Refused"}
  /carts/{id}/shipping-methods:
    post:
      operationId: addShippingMethod
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [option_id]
              properties: {option_id: {type: string}}
            example: {option_id: opt_documented}
      responses:
        "200":
          description: added
          content:
            application/json:
              schema: {type: object, properties: {cart: {type: object}}}
        "400": {$ref: "#/components/responses/Refused"}
        "404": {$ref: "#/components/responses/Refused"}
"##;

/// The fixture spec.
pub(super) fn spec() -> cartwright_model::Api {
    cartwright_spec::load_str(
        "shipping.yaml",
        SPEC,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api
}

/// Serves the shipping store on a free port; its base URL.
pub(super) async fn server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let carts: Arc<Mutex<Vec<Cart>>> = Arc::default();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let carts = carts.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                    let carts = carts.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let bytes = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                        let query = parts.uri.query().unwrap_or("").to_owned();
                        let (status, json) = {
                            let mut carts = carts.lock().expect("carts");
                            let (method, path) = (parts.method.as_str(), parts.uri.path());
                            answer(&mut carts, method, path, &query, &body)
                        };
                        let res = http::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from(json.to_string())))
                            .expect("response");
                        Ok::<_, Infallible>(res)
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

/// A cart: its id, whether it has a shipping method and whether a payment session.
#[derive(Default)]
struct Cart {
    id: String,
    shipping: bool,
    paid: bool,
}

fn answer(
    carts: &mut Vec<Cart>,
    method: &str,
    path: &str,
    query: &str,
    body: &Value,
) -> (u16, Value) {
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    let refused = |status: u16, m: &str| (status, json!({"message": m}));
    match (method, seg.as_slice()) {
        ("POST", ["carts"]) => {
            let id = format!("cart_{}", carts.len() + 1);
            carts.push(Cart {
                id: id.clone(),
                ..Cart::default()
            });
            (201, json!({"cart": {"id": id}}))
        }
        ("GET", ["options"]) => (200, json!({"options": [{"id": "opt_any"}]})),
        ("GET", ["shipping-options"]) => {
            let cart = query.strip_prefix("cart_id=").unwrap_or("");
            if carts.iter().any(|c| c.id == cart) {
                (
                    200,
                    json!({"shipping_options": [{"id": format!("so_{cart}")}]}),
                )
            } else {
                refused(404, "no such cart")
            }
        }
        ("POST", ["carts", id, rest]) => {
            let Some(cart) = carts.iter_mut().find(|c| c.id == *id) else {
                return refused(404, "no such cart");
            };
            match *rest {
                "shipping-methods" => {
                    let option = body.get("option_id").and_then(Value::as_str).unwrap_or("");
                    if option != format!("so_{id}") {
                        return refused(400, "the option is not valid for the cart");
                    }
                    // A new total: the payment session no longer fits.
                    cart.shipping = true;
                    cart.paid = false;
                    let method = json!({"id": format!("sm_{id}")});
                    (
                        200,
                        json!({"cart": {"id": id, "shipping_methods": [method]}}),
                    )
                }
                "payment-sessions" => {
                    cart.paid = true;
                    (200, json!({"cart": {"id": id}}))
                }
                "complete" if !cart.shipping => refused(400, "No shipping method selected"),
                "complete" if !cart.paid => refused(400, "A payment session is required"),
                "complete" => (200, json!({"order": {"id": format!("order_{id}")}})),
                _ => refused(404, "not found"),
            }
        }
        _ => refused(404, "not found"),
    }
}
