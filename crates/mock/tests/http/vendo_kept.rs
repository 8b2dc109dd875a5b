//! A cart read that no write has changed since its last answer is that answer again (the
//! mock keeps answers by the state they were written from): every kind of write Vendo's
//! bindings make — a new line, a merged line, an email, a removed line — shows in the next
//! read, and each token reads its own cart.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Stateful, start_spec};

/// The raw answer to a request with the order token `t`, and its JSON.
async fn raw(
    v: &Stateful,
    method: &str,
    path: &str,
    t: &str,
    body: Option<Value>,
) -> (u16, String) {
    let mut rb = v.req(method, path).header("X-Vendo-Order-Token", t);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let res = rb.send().await.expect("answer");
    let status = res.status().as_u16();
    (status, res.text().await.expect("text"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON answer")
}

#[tokio::test]
async fn every_write_shows_in_the_next_read() {
    let v = start_spec("vendo-storefront", Config::default()).await;
    let made = v.send(v.req("POST", "/cart")).await;
    let t = made.body["data"]["attributes"]["token"]
        .as_str()
        .expect("order token")
        .to_owned();
    let add =
        |variant: &str, quantity: u32| Some(json!({"variant_id": variant, "quantity": quantity}));
    let read = || raw(&v, "GET", "/cart", &t, None);

    let (status, added) = raw(&v, "POST", "/cart/add_item", &t, add("1", 2)).await;
    assert_eq!(status, 200);
    let (_, first) = read().await;
    assert_eq!(
        first, added,
        "an unchanged cart reads as the write's answer"
    );
    assert_eq!(read().await.1, first, "and again");
    assert_eq!(json(&first)["data"]["attributes"]["item_count"], 2);

    // A new line.
    raw(&v, "POST", "/cart/add_item", &t, add("2", 1)).await;
    let cart = json(&read().await.1);
    assert_eq!(cart["data"]["attributes"]["item_count"], 3);
    assert_eq!(cart["data"]["attributes"]["item_total"], "52.48");
    assert_eq!(cart["included"].as_array().map(Vec::len), Some(2));

    // A line merged into the one that has its variant.
    raw(&v, "POST", "/cart/add_item", &t, add("1", 1)).await;
    let cart = json(&read().await.1);
    assert_eq!(cart["data"]["attributes"]["item_count"], 4);
    assert_eq!(cart["included"][0]["attributes"]["quantity"], 3);
    assert_eq!(cart["included"][0]["attributes"]["total"], "59.97");

    // An email: the answer with the email replaces the anonymous one.
    assert_eq!(cart["data"]["attributes"]["email"], Value::Null);
    let checkout = Some(json!({"order": {"email": "kept@example.com"}}));
    raw(&v, "PATCH", "/checkout", &t, checkout).await;
    let cart = json(&read().await.1);
    assert_eq!(cart["data"]["attributes"]["email"], "kept@example.com");

    // A line removed.
    let line = cart["included"][1]["id"]
        .as_str()
        .expect("line id")
        .to_owned();
    let path = format!("/cart/remove_line_item/{line}");
    assert_eq!(raw(&v, "DELETE", &path, &t, None).await.0, 200);
    let cart = json(&read().await.1);
    assert_eq!(cart["included"].as_array().map(Vec::len), Some(1));
    assert_eq!(cart["data"]["attributes"]["item_total"], "59.97");

    // Another cart with the same lines reads its own token and id.
    let other = v.send(v.req("POST", "/cart")).await.body;
    let u = other["data"]["attributes"]["token"]
        .as_str()
        .expect("token");
    raw(&v, "POST", "/cart/add_item", u, add("1", 3)).await;
    let theirs = json(&raw(&v, "GET", "/cart", u, None).await.1);
    assert_eq!(theirs["data"]["attributes"]["token"], u);
    assert_eq!(theirs["data"]["id"], other["data"]["id"]);
    assert_eq!(theirs["data"]["attributes"]["email"], Value::Null);
    let mine = json(&read().await.1);
    assert_eq!(mine["data"]["attributes"]["token"], t.as_str());
}
