//! The fixture: a small shop spec without `x-cartwright`, whose login, logout and cart are
//! found by convention.

use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;

/// The shop's spec.
pub(super) const SHOP: &str = r##"
openapi: 3.1.0
info: {title: secure shop, version: "1"}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  responses:
    Unauthorized:
      description: no valid token
      content: {application/json: {schema: {type: object}}}
    Invalid:
      description: malformed
      content: {application/json: {schema: {type: object}}}
  schemas:
    Item:
      type: object
      required: [id, sku, quantity]
      properties: {id: {type: string}, sku: {type: string}, quantity: {type: integer}}
paths:
  /login:
    post:
      operationId: login
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [email, password]
              properties: {email: {type: string, format: email}, password: {type: string}}
            example: {email: ada@example.com, password: correct-horse}
      responses:
        "200":
          description: a session
          content:
            application/json:
              schema: {type: object, required: [token], properties: {token: {type: string}}}
        "400": {$ref: "#/components/responses/Invalid"}
  /logout:
    post:
      operationId: logout
      responses:
        "204": {description: the token no longer opens the session}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /me:
    get:
      operationId: me
      responses:
        "200":
          description: the account
          content: {application/json: {schema: {type: object, required: [email], properties: {email: {type: string}}}}}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /reports:
    get:
      operationId: reports
      responses:
        "200": {description: sales, content: {application/json: {schema: {type: object}}}}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /cart:
    get:
      operationId: getCart
      responses:
        "200":
          description: the session's cart
          content:
            application/json:
              schema:
                type: object
                required: [items, count]
                properties: {items: {type: array, items: {$ref: "#/components/schemas/Item"}}, count: {type: integer}}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /cart/items:
    post:
      operationId: addItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [sku], properties: {sku: {type: string}, quantity: {type: integer, minimum: 1}}}
            example: {sku: TEE-1, quantity: 2}
      responses:
        "201": {description: added, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /cart/items/{itemId}:
    get:
      operationId: getItem
      parameters: [{name: itemId, in: path, required: true, schema: {type: string}, example: i1}]
      responses:
        "200": {description: a line, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {description: not in this cart, content: {application/json: {schema: {type: object}}}}
  /products/{code}:
    get:
      operationId: product
      security: []
      parameters: [{name: code, in: path, required: true, schema: {type: string}, example: TEE-1}]
      responses:
        "200":
          description: a product (any code names one)
          content: {application/json: {schema: {type: object, required: [code], properties: {code: {type: string}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
  /orders:
    post:
      operationId: placeOrder
      parameters: [{name: Idempotency-Key, in: header, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [sku], properties: {sku: {type: string}}}
            example: {sku: TEE-1}
      responses:
        "201":
          description: the order
          content: {application/json: {schema: {type: object, required: [id], properties: {id: {type: string}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /status:
    get:
      operationId: status
      security: []
      responses:
        "200":
          description: up
          headers: {X-Request-ID: {schema: {type: string}}}
          content: {application/json: {schema: {type: object}}}
"##;

/// The shop's API.
pub(crate) fn shop() -> cartwright_model::Api {
    cartwright_spec::load_str(
        "shop.yaml",
        SHOP,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api
}
