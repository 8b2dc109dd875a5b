//! Resources inferred from specs nobody wrote for cartwright: the printed map of every spec
//! in `tests/corpus/` is a snapshot, the inference reads each style of spec (plain ids,
//! wrapped answers, JSON:API, `Location`, links, sub-resource arrays, header carriers), and
//! the mock of the unmodified Spree v3 and Shopware store specs keeps what is made in them:
//! create → read → list → update → delete → 404, every answer valid against its schema.

mod support;

use std::path::Path;

use cartwright_diag::Sources;
use cartwright_model::{Api, Place, ResourceAction as Action};
use cartwright_spec::LoadOptions;
use serde_json::{Value, json};

fn load_str(text: &str) -> Api {
    support::load_text("inline.yaml", text)
}

/// The role of the operation with that id.
fn role<'a>(api: &'a Api, id: &str) -> &'a cartwright_model::Role {
    let i = api
        .operations
        .iter()
        .position(|o| o.id == id)
        .expect("operation");
    api.resources
        .role(i)
        .unwrap_or_else(|| panic!("no role for {id}:\n{}", api.resources.render(api)))
}

#[test]
fn the_map_of_every_corpus_spec_is_as_recorded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let api = support::load_lenient(&root.join(&name));
        insta::assert_snapshot!(name.clone(), api.resources.render(&api));
    }
}

const PLAIN: &str = r##"
openapi: 3.0.3
info: {title: plain, version: "1"}
paths:
  /baskets:
    post:
      operationId: createBasket
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {currency: {type: string}}}
      responses:
        "201":
          description: made
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Basket"}
          links:
            read: {operationId: getBasket, parameters: {basketId: "$response.body#/basketId"}}
  /baskets/{basketId}:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getBasket
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
  /baskets/{basketId}/productItems:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {productId: {type: string}, quantity: {type: integer}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
  /baskets/{basketId}/productItems/{itemId}:
    parameters:
      - {name: basketId, in: path, required: true, schema: {type: string}}
      - {name: itemId, in: path, required: true, schema: {type: string}}
    delete:
      operationId: removeItem
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Basket"}}}}
  /baskets/{basketId}/submit:
    parameters: [{name: basketId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: submit
      responses: {"204": {description: done}}
  /session:
    get:
      operationId: session
      parameters: [{name: sw-context-token, in: header, schema: {type: string}}]
      responses:
        "200":
          description: ok
          headers: {sw-context-token: {schema: {type: string}}}
components:
  schemas:
    Basket:
      type: object
      properties:
        basketId: {type: string}
        currency: {type: string}
        productItems:
          type: array
          items:
            type: object
            properties: {itemId: {type: string}, productId: {type: string}, quantity: {type: integer}}
"##;

#[test]
fn plain_ids_links_location_sub_resource_arrays_actions_and_header_carriers() {
    let api = load_str(PLAIN);
    let r = &api.resources;
    let create = role(&api, "createBasket");
    assert_eq!(create.action, Action::Create);
    assert_eq!(create.answer, Place::Item(String::new()));
    assert_eq!(create.id_at.as_deref(), Some("/basketId"));
    assert!(create.location);
    let baskets = &r.collections[create.collection];
    assert_eq!(baskets.id, "basketId");
    assert_eq!(baskets.param.as_deref(), Some("basketId"));
    let add = role(&api, "addItem");
    assert_eq!(add.action, Action::Create);
    let items = &r.collections[add.collection];
    let parent = items.parent.as_ref().expect("a parent");
    assert_eq!(parent.array, "productItems");
    assert_eq!(items.id, "itemId");
    assert_eq!(add.answer, Place::Parent(String::new()));
    assert_eq!(role(&api, "removeItem").action, Action::Delete);
    assert_eq!(role(&api, "submit").action, Action::Act("submit".into()));
    assert_eq!(r.carriers.len(), 1, "{:?}", r.carriers);
    assert_eq!(r.carriers[0].header, "sw-context-token");
}

const WRAPPED: &str = r##"
openapi: 3.1.0
info: {title: wrapped, version: "1"}
paths:
  /carts:
    post:
      operationId: createCart
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                data:
                  type: object
                  properties:
                    type: {type: string}
                    attributes: {type: object, properties: {email: {type: string}}}
      responses:
        "201": {description: ok, content: {application/vnd.api+json: {schema: {$ref: "#/components/schemas/CartDoc"}}}}
    get:
      operationId: listCarts
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  carts: {type: array, items: {$ref: "#/components/schemas/Cart"}}
                  count: {type: integer}
                  offset: {type: integer}
  /carts/{id}:
    get:
      operationId: getCart
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {cart: {$ref: "#/components/schemas/Cart"}}}
components:
  schemas:
    Cart: {type: object, properties: {id: {type: string}, email: {type: string}}}
    CartDoc:
      type: object
      properties:
        data:
          type: object
          properties: {id: {type: string}, type: {type: string}, attributes: {type: object}}
"##;

#[test]
fn wrapped_answers_json_api_documents_and_lists_with_counts() {
    let api = load_str(WRAPPED);
    assert_eq!(role(&api, "getCart").answer, Place::Item("/cart".into()));
    let create = role(&api, "createCart");
    assert_eq!(create.request, "/data/attributes");
    match &role(&api, "listCarts").answer {
        Place::List { array, counts } => {
            assert_eq!(array, "/carts");
            let names: Vec<&str> = counts.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, ["count", "offset"]);
        }
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn a_correction_in_the_spec_wins_and_a_wrong_one_is_an_error() {
    let corrected = WRAPPED.replace(
        "      operationId: getCart\n",
        "      operationId: getCart\n      x-cartwright-resource: false\n",
    );
    let api = load_str(&corrected);
    let i = api
        .operations
        .iter()
        .position(|o| o.id == "getCart")
        .expect("op");
    assert!(api.resources.role(i).is_none());
    let wrong = WRAPPED.replace(
        "      operationId: getCart\n",
        "      operationId: getCart\n      x-cartwright-resource: 7\n",
    );
    let mut sources = Sources::new();
    let loaded = cartwright_spec::load_str("w.yaml", &wrong, &LoadOptions::default(), &mut sources)
        .expect("loads, with the correction refused");
    let found = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("x-cartwright-resource"));
    let found = found.expect("a diagnostic");
    assert!(found.is_error());
    assert_eq!(
        found.pointer.as_deref(),
        Some("/paths/~1carts~1{id}/get/x-cartwright-resource")
    );
    let typo = WRAPPED.replace(
        "      operationId: getCart\n",
        "      operationId: getCart\n      x-cartwright-resource: {action: reed}\n",
    );
    let loaded = cartwright_spec::load_str("t.yaml", &typo, &LoadOptions::default(), &mut sources)
        .expect("loads, with the correction refused");
    let found = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("unknown action"))
        .expect("the typo is reported");
    assert!(
        found.message.contains("did you mean `read`"),
        "{}",
        found.message
    );
    assert_eq!(
        found.pointer.as_deref(),
        Some("/paths/~1carts~1{id}/get/x-cartwright-resource/action")
    );
    let corrected = WRAPPED.replace(
        "      operationId: listCarts\n",
        "      operationId: listCarts\n      x-cartwright-resource: {answer: /carts}\n",
    );
    let api = load_str(&corrected);
    let list = role(&api, "listCarts");
    assert!(list.corrected);
    assert!(api.resources.render(&api).contains("corrected"));
}

/// Sends a request and returns the status and JSON body (null when there is none).
async fn call(
    s: &support::Served,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Value) {
    let (status, _, parsed) = support::exchange(s, method, path, headers, body).await;
    (status, parsed)
}

/// Checks a successful answer against the operation's declared response schema.
fn conforms(api: &Api, op_id: &str, status: u16, body: &Value) {
    let op = api.operation(op_id).expect("operation");
    let resp = op.response_for(status).expect("declared status");
    if let Some(schema) = resp.content.first().and_then(|m| m.schema.as_ref()) {
        let v = schema.violations(body);
        assert!(v.is_empty(), "{op_id} {status}: {v:?}\n{body}");
    }
}

fn corpus(name: &str) -> Api {
    support::load_lenient(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(name),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spree_v3_wishlists_are_made_read_listed_changed_and_deleted() {
    let s = support::serve(corpus("spree-store-api-v3.yaml")).await;
    let api = s.api();
    let id_of = |path: &str, method: &str| {
        api.operations
            .iter()
            .find(|o| o.path == path && o.method.as_str() == method)
            .map(|o| o.id.clone())
            .expect("operation")
    };
    let auth = [
        ("x-spree-api-key", "pk_test"),
        ("authorization", "Bearer t"),
    ];
    let base = "/api/v3/store/wishlists";
    let (st, made) = call(&s, "POST", base, &auth, Some(json!({"name": "Gifts"}))).await;
    assert!((200..300).contains(&st), "{st} {made}");
    conforms(&api, &id_of(base, "POST"), st, &made);
    assert_eq!(made["name"], "Gifts");
    let id = made["id"].as_str().expect("an id").to_owned();
    let item = format!("{base}/{id}");
    let (st, read) = call(&s, "GET", &item, &auth, None).await;
    assert_eq!(st, 200, "{read}");
    conforms(
        &api,
        &id_of("/api/v3/store/wishlists/{id}", "GET"),
        st,
        &read,
    );
    assert_eq!(read["name"], "Gifts");
    let (_, second) = call(&s, "POST", base, &auth, Some(json!({"name": "Later"}))).await;
    assert_ne!(second["id"], made["id"]);
    let (st, list) = call(&s, "GET", base, &auth, None).await;
    assert_eq!(st, 200);
    conforms(&api, &id_of(base, "GET"), st, &list);
    let names: Vec<&Value> = list["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|w| &w["name"])
        .collect();
    assert_eq!(names, [&json!("Gifts"), &json!("Later")]);
    assert_eq!(list["meta"]["count"], 2);
    let (st, changed) = call(&s, "PATCH", &item, &auth, Some(json!({"name": "Birthday"}))).await;
    assert_eq!(st, 200, "{changed}");
    conforms(
        &api,
        &id_of("/api/v3/store/wishlists/{id}", "PATCH"),
        st,
        &changed,
    );
    assert_eq!(changed["name"], "Birthday");
    assert_eq!(
        call(&s, "GET", &item, &auth, None).await.1["name"],
        "Birthday"
    );
    let (st, _) = call(&s, "DELETE", &item, &auth, None).await;
    assert_eq!(st, 204);
    let (st, gone) = call(&s, "GET", &item, &auth, None).await;
    assert_eq!(st, 404, "{gone}");
    let (st, _) = call(&s, "PATCH", &item, &auth, Some(json!({"name": "x"}))).await;
    assert_eq!(st, 404);
    let (_, list) = call(&s, "GET", base, &auth, None).await;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    let journal = s.mock.journal().recent(20);
    assert!(
        journal
            .iter()
            .any(|e| e.resource.as_deref() == Some(&format!("wishlists {id}"))),
        "the journal names the resource and id touched"
    );
    let later = second["id"].as_str().expect("an id").to_owned();
    let (st, _) = call(&s, "POST", "/__cartwright/reset", &[], Some(json!({}))).await;
    assert!((200..300).contains(&st));
    let (st, _) = call(&s, "GET", &format!("{base}/{later}"), &auth, None).await;
    assert_eq!(st, 404, "reset forgets inferred state too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopware_addresses_are_made_listed_changed_and_deleted() {
    let s = support::serve(corpus("shopware-store-api.json")).await;
    let api = s.api();
    let h = [("sw-access-key", "SWSC0000"), ("sw-context-token", "ctx-1")];
    let address = json!({
        "firstName": "Ada", "lastName": "Lovelace", "street": "Main St 1",
        "city": "London", "countryId": "0123456789abcdef0123456789abcdef"
    });
    let (st, made) = call(
        &s,
        "POST",
        "/store-api/account/address",
        &h,
        Some(address.clone()),
    )
    .await;
    assert_eq!(st, 200, "{made}");
    conforms(&api, "createCustomerAddress", st, &made);
    assert_eq!(made["firstName"], "Ada");
    let id = made["id"].as_str().expect("an id").to_owned();
    assert_eq!(id.len(), 32, "ids keep the spec's 32-hex shape: {id}");
    let (st, list) = call(
        &s,
        "POST",
        "/store-api/account/list-address",
        &h,
        Some(json!({})),
    )
    .await;
    assert_eq!(st, 200, "{list}");
    conforms(&api, "listAddress", st, &list);
    assert_eq!(list["elements"][0]["id"], json!(id));
    assert_eq!(list["total"], 1);
    let item = format!("/store-api/account/address/{id}");
    let mut moved = address.clone();
    moved["city"] = json!("Paris");
    let (st, changed) = call(&s, "PATCH", &item, &h, Some(moved.clone())).await;
    assert_eq!(st, 200, "{changed}");
    let (_, list) = call(
        &s,
        "POST",
        "/store-api/account/list-address",
        &h,
        Some(json!({})),
    )
    .await;
    assert_eq!(list["elements"][0]["city"], "Paris");
    let (st, _) = call(&s, "DELETE", &item, &h, None).await;
    assert_eq!(st, 204);
    let (st, _) = call(&s, "PATCH", &item, &h, Some(moved)).await;
    assert_eq!(st, 404);
    let (_, list) = call(
        &s,
        "POST",
        "/store-api/account/list-address",
        &h,
        Some(json!({})),
    )
    .await;
    assert_eq!(list["elements"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inferred_header_carrier_comes_back_or_is_made_fresh() {
    let s = support::serve(corpus("shopware-store-api.json")).await;
    let patch = |token: Option<&'static str>| {
        let mut req = s
            .client
            .patch(format!("{}/store-api/context", s.base))
            .header("sw-access-key", "SWSC0000")
            .json(&json!({}));
        if let Some(t) = token {
            req = req.header("sw-context-token", t);
        }
        async move {
            let res = req.send().await.expect("answer");
            assert_eq!(res.status(), 200);
            res.headers()
                .get("sw-context-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .expect("the answer carries the token")
        }
    };
    assert_eq!(patch(Some("ctx-mine")).await, "ctx-mine");
    let (a, b) = (patch(None).await, patch(None).await);
    assert_ne!(
        a, b,
        "each new client gets its own token, not the spec's example"
    );
    assert_eq!(a.len(), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_array_is_bounded_and_a_full_one_is_a_conflict_that_loses_nothing() {
    let s = support::serve(load_str(PLAIN)).await;
    let (st, made) = call(
        &s,
        "POST",
        "/baskets",
        &[],
        Some(json!({"currency": "EUR"})),
    )
    .await;
    assert_eq!(st, 201, "{made}");
    let id = made["basketId"].as_str().expect("an id").to_owned();
    let add = format!("/baskets/{id}/productItems");
    for i in 0..1000 {
        let (st, _) = call(
            &s,
            "POST",
            &add,
            &[],
            Some(json!({"productId": format!("p{i}")})),
        )
        .await;
        assert_eq!(st, 200, "add {i}");
    }
    let (st, full) = call(
        &s,
        "POST",
        &add,
        &[],
        Some(json!({"productId": "one-too-many"})),
    )
    .await;
    assert_eq!(st, 409, "{full}");
    assert!(
        full["detail"].as_str().is_some_and(|d| d.contains("1000")),
        "{full}"
    );
    let (_, basket) = call(&s, "GET", &format!("/baskets/{id}"), &[], None).await;
    let items = basket["productItems"].as_array().expect("items");
    assert_eq!(items.len(), 1000);
    assert_eq!(items[999]["productId"], "p999");
}
