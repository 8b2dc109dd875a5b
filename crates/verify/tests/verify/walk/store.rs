//! The walk's fixture spec: a store whose products are created and read by id, whose carts
//! answer wrapped (`{"cart": {...}}`), and whose customers register for a bearer token. No
//! `x-cartwright`: everything is found by the walk from the spec and the answers.

use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;

const STORE: &str = r##"
openapi: 3.1.0
info: {title: store, version: "1"}
components:
  securitySchemes:
    customer: {type: http, scheme: bearer}
  schemas:
    Product:
      type: object
      required: [id, name]
      properties:
        id: {type: string, example: prd_0}
        name: {type: string}
    Cart:
      type: object
      required: [id, items]
      properties:
        id: {type: string}
        items: {type: array, items: {type: object}}
    Error:
      type: object
      properties: {message: {type: string}}
  responses:
    NotFound:
      description: no such thing
      content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
paths:
  /products:
    post:
      operationId: createProduct
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
            example: {name: Tee}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Product"}}}
  /products/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getProduct
      responses:
        "200":
          description: the product
          content: {application/json: {schema: {$ref: "#/components/schemas/Product"}}}
        "404": {$ref: "#/components/responses/NotFound"}
    put:
      operationId: updateProduct
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
            example: {name: Mug}
      responses:
        "200":
          description: changed
          content: {application/json: {schema: {$ref: "#/components/schemas/Product"}}}
        "404": {$ref: "#/components/responses/NotFound"}
    delete:
      operationId: deleteProduct
      responses:
        "204": {description: gone}
        "404": {$ref: "#/components/responses/NotFound"}
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
                properties: {cart: {$ref: "#/components/schemas/Cart"}}
  /carts/{cart_id}:
    get:
      operationId: getCart
      parameters:
        - {name: cart_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the cart
          content:
            application/json:
              schema:
                type: object
                required: [cart]
                properties: {cart: {$ref: "#/components/schemas/Cart"}}
        "404": {$ref: "#/components/responses/NotFound"}
  /customers:
    post:
      operationId: register
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [email], properties: {email: {type: string}}}
            example: {email: jane@example.com}
      responses:
        "201":
          description: registered
          content:
            application/json:
              schema: {type: object, required: [token], properties: {token: {type: string}}}
  /customers/me:
    get:
      operationId: me
      security: [{customer: []}]
      responses:
        "200":
          description: the customer
          content:
            application/json:
              schema: {type: object, required: [email], properties: {email: {type: string}}}
        "401":
          description: no customer
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
"##;

/// The fixture spec.
pub(super) fn store() -> cartwright_model::Api {
    cartwright_spec::load_str(
        "store.yaml",
        STORE,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api
}
