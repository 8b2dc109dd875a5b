//! A new line of a Medusa cart (which carries a generated product and variant) is written
//! from its collection's template text, only the members the request set written again,
//! and judged by those members' property schemas alone. After every kind of write (a line
//! added, changed, removed; the cart changed; an action on it; the state reset) the next
//! line added must still be what serde_json writes for it, in the answer and in the reads
//! after it, and every answer must conform to the spec.

mod support;

use std::path::Path;

use cartwright_model::Api;
use serde_json::{Value, json};

fn medusa() -> Api {
    support::load_lenient(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/medusa-store-v2.full.yaml"),
    )
}

/// Sends a request that must succeed; the body as sent, checked to be serde_json's bytes
/// for what it parses to, and parsed.
async fn call(s: &support::Served, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, bytes, parsed) = support::exchange(s, method, path, &[], body).await;
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {parsed}"
    );
    let written = serde_json::to_vec(&parsed).expect("JSON");
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&written),
        "{method} {path}"
    );
    parsed
}

/// Checks an answer against the operation's declared schema for its status.
fn conforms(api: &Api, op: &str, body: &Value) {
    let schema = api.operation(op).expect("operation").responses[0].content[0]
        .schema
        .as_ref()
        .expect("schema");
    let v = schema.violations(body);
    assert!(v.is_empty(), "{op}: {v:?}");
}

/// Reads the cart twice (the second from its kept text): the same bytes, the cart.
async fn read(s: &support::Served, api: &Api, id: &str) -> Value {
    let first = call(s, "GET", &format!("/store/carts/{id}"), None).await;
    let second = call(s, "GET", &format!("/store/carts/{id}"), None).await;
    assert_eq!(first, second);
    conforms(api, "GetCartsId", &first);
    first["cart"].clone()
}

/// A new cart's id.
async fn new_cart(s: &support::Served) -> String {
    let made = call(
        s,
        "POST",
        "/store/carts",
        Some(json!({"region_id": "reg_1"})),
    )
    .await;
    made["cart"]["id"].as_str().expect("cart id").to_owned()
}

/// Adds a line of `variant` and `quantity`; the line as the answer and a read show it.
async fn add(s: &support::Served, api: &Api, id: &str, variant: &str, quantity: u32) -> Value {
    let body = json!({"variant_id": variant, "quantity": quantity, "metadata": {"n": quantity}});
    let answer = call(
        s,
        "POST",
        &format!("/store/carts/{id}/line-items"),
        Some(body),
    )
    .await;
    conforms(api, "PostCartsIdLineItems", &answer);
    let line = answer["cart"]["items"]
        .as_array()
        .and_then(|l| l.last())
        .cloned()
        .expect("a line");
    assert_eq!(line["variant_id"], variant);
    assert_eq!(line["quantity"], quantity);
    assert_eq!(line["metadata"], json!({"n": quantity}));
    let cart = read(s, api, id).await;
    assert_eq!(cart["items"].as_array().and_then(|l| l.last()), Some(&line));
    line
}

/// A line's members but those a request sets (and the id): the template's.
fn untouched(line: &Value) -> Value {
    let mut l = line.clone();
    let m = l.as_object_mut().expect("line");
    for k in ["id", "variant_id", "quantity", "metadata"] {
        m.remove(k);
    }
    l
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_from_the_template_text_is_right_after_every_kind_of_write() {
    let api = medusa();
    let s = support::serve(medusa()).await;
    let id = new_cart(&s).await;
    let first = add(&s, &api, &id, "variant_1", 1).await;
    let second = add(&s, &api, &id, "variant_2", 3).await;
    assert_ne!(first["id"], second["id"], "each line its own id");
    assert_eq!(untouched(&first), untouched(&second));

    // A line changed: the cart's text is written whole again, then a line spliced in.
    let line = first["id"].as_str().expect("line id");
    let lines = format!("/store/carts/{id}/line-items");
    call(
        &s,
        "POST",
        &format!("{lines}/{line}"),
        Some(json!({"quantity": 7})),
    )
    .await;
    assert_eq!(read(&s, &api, &id).await["items"][0]["quantity"], 7);
    let third = add(&s, &api, &id, "variant_3", 2).await;
    assert_eq!(untouched(&third), untouched(&first));

    // A line removed.
    let gone = second["id"].as_str().expect("line id");
    call(&s, "DELETE", &format!("{lines}/{gone}"), None).await;
    let cart = read(&s, &api, &id).await;
    assert!(
        cart["items"]
            .as_array()
            .expect("lines")
            .iter()
            .all(|l| l["id"] != gone)
    );
    add(&s, &api, &id, "variant_4", 4).await;

    // The cart itself changed, then an action on it.
    let cart_path = format!("/store/carts/{id}");
    call(
        &s,
        "POST",
        &cart_path,
        Some(json!({"email": "a@example.com"})),
    )
    .await;
    assert_eq!(read(&s, &api, &id).await["email"], "a@example.com");
    add(&s, &api, &id, "variant_5", 5).await;
    let promo = json!({"promo_codes": ["TEN"]});
    call(&s, "POST", &format!("{cart_path}/promotions"), Some(promo)).await;
    let sixth = add(&s, &api, &id, "variant_6", 6).await;
    let cart = read(&s, &api, &id).await;
    let quantities: Vec<&Value> = cart["items"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| &l["quantity"])
        .collect();
    assert_eq!(quantities, [7, 2, 4, 5, 6]);

    // Reset: the state is forgotten; a new cart's lines start from the template again.
    call(&s, "POST", "/__cartwright/reset", Some(json!({}))).await;
    let (status, _, _) = support::exchange(&s, "GET", &cart_path, &[], None).await;
    assert_eq!(status, 404, "reset forgets the cart");
    let id = new_cart(&s).await;
    let again = add(&s, &api, &id, "variant_1", 1).await;
    assert_eq!(untouched(&again), untouched(&sixth));
}

#[test]
fn the_line_items_members_are_compiled_where_the_item_schema_is_plain() {
    let api = medusa();
    let lines = api
        .resources
        .collections
        .iter()
        .find(|c| c.name == "line-items")
        .and_then(|c| c.parent.as_ref())
        .expect("line items in carts");
    let mut names: Vec<&str> = lines.members.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    // The fields the add and the change of a line send, by the line's property schemas.
    assert_eq!(names, ["metadata", "quantity", "variant_id"]);
    let quantity = &lines
        .members
        .iter()
        .find(|(n, _)| n == "quantity")
        .expect("quantity")
        .1;
    assert!(quantity.is_valid(&json!(2)));
    assert!(!quantity.is_valid(&json!("two")));
}

/// Lines are made before the items' lock is taken and appended under it: adds racing on two
/// carts lose none, and every line keeps an id of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_adds_to_two_carts_lose_no_line() {
    let s = std::sync::Arc::new(support::serve(medusa()).await);
    let carts = [new_cart(&s).await, new_cart(&s).await];
    let mut adds = tokio::task::JoinSet::new();
    for n in 0..40u32 {
        let (s, cart) = (s.clone(), carts[(n % 2) as usize].clone());
        adds.spawn(async move {
            let body = json!({"variant_id": format!("variant_{n}"), "quantity": n + 1});
            call(
                &s,
                "POST",
                &format!("/store/carts/{cart}/line-items"),
                Some(body),
            )
            .await;
        });
    }
    while let Some(done) = adds.join_next().await {
        done.expect("an add");
    }
    for (i, cart) in carts.iter().enumerate() {
        let got = call(&s, "GET", &format!("/store/carts/{cart}"), None).await;
        let lines = got["cart"]["items"].as_array().expect("lines");
        let mut quantities: Vec<u64> = lines
            .iter()
            .filter_map(|l| l["quantity"].as_u64())
            .collect();
        quantities.sort_unstable();
        let sent: Vec<u64> = (0..40u64)
            .filter(|n| n % 2 == i as u64)
            .map(|n| n + 1)
            .collect();
        assert_eq!(quantities, sent, "cart {i}");
        let ids: std::collections::HashSet<&str> =
            lines.iter().filter_map(|l| l["id"].as_str()).collect();
        assert_eq!(ids.len(), lines.len(), "cart {i}: one id per line");
    }
}
