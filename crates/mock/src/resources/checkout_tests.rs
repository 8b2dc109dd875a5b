//! An inferred cart's operation waits for another operation on the same cart, never for one
//! on another cart: held over the stripe of one Medusa cart, a line is added to a second
//! cart, and the line of the first is added once the stripe is let go. A list waits for
//! every stripe. Adds to several carts from several threads lose none, a parent gone
//! while checked out is not brought back, and one that a bug panics over is.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use super::super::Ctx;
use super::super::splice::Answer;
use super::super::store::{Items, Stored};
use super::{checked_out, put_back, stripe};
use crate::test_specs::{add_from_threads, medusa};
use crate::{Incoming, Mock, Outgoing};

fn send(mock: &Mock, method: Method, path: &str, body: &str) -> Value {
    let mut req = Incoming::new(method, path);
    if !body.is_empty() {
        let json = HeaderValue::from_static("application/json");
        req.headers.insert(http::header::CONTENT_TYPE, json);
        req.body = Bytes::from(body.to_owned());
    }
    let out = mock.handle(req);
    assert_eq!(out.status, StatusCode::OK, "{path}");
    serde_json::from_slice(&out.body).expect("a JSON answer")
}

fn new_cart(mock: &Mock) -> String {
    let made = send(
        mock,
        Method::POST,
        "/store/carts",
        r#"{"region_id":"reg_1"}"#,
    );
    made["cart"]["id"].as_str().expect("an id").to_owned()
}

/// Adds a line; the number of lines the answer's cart holds.
fn add(mock: &Mock, cart: &str) -> usize {
    let line = r#"{"variant_id":"variant_1","quantity":1}"#;
    let path = format!("/store/carts/{cart}/line-items");
    let answer = send(mock, Method::POST, &path, line);
    answer["cart"]["items"].as_array().map_or(0, Vec::len)
}

fn lines(mock: &Mock, cart: &str) -> usize {
    let cart = send(mock, Method::GET, &format!("/store/carts/{cart}"), "");
    cart["cart"]["items"].as_array().map_or(0, Vec::len)
}

/// The stripe of a cart, as the mock takes it.
fn cart_stripe(mock: &Mock, cart: &str) -> u64 {
    let apis = mock.apis();
    let carts = apis[0]
        .resources
        .collections
        .iter()
        .position(|c| c.name == "carts");
    stripe(carts.expect("a carts collection"), cart)
}

#[test]
fn a_cart_waits_for_its_own_operations_only() {
    let mock = medusa();
    let first = new_cart(&mock);
    let second = std::iter::repeat_with(|| new_cart(&mock))
        .find(|c| cart_stripe(&mock, c) != cart_stripe(&mock, &first))
        .expect("a cart on another stripe");
    let held = mock.behave.hold_items(cart_stripe(&mock, &first));
    std::thread::scope(|scope| {
        let (done, answered) = mpsc::channel();
        let (mock, first, second) = (&mock, &first, &second);
        let to_second = done.clone();
        scope.spawn(move || to_second.send(("second", add(mock, second))));
        let got = answered.recv_timeout(Duration::from_secs(60));
        let (name, _) = got.expect("the other cart's line is added while this one's is held");
        assert_eq!(name, "second");
        scope.spawn(move || done.send(("first", add(mock, first))));
        assert!(
            answered.recv_timeout(Duration::from_millis(300)).is_err(),
            "the held cart's add waits"
        );
        drop(held);
        let got = answered.recv_timeout(Duration::from_secs(60));
        let (name, n) = got.expect("added once the stripe is let go");
        assert_eq!((name, n), ("first", 1));
    });
    assert_eq!(lines(&mock, &first), 1);
    assert_eq!(lines(&mock, &second), 1);
}

#[test]
fn a_list_waits_for_every_stripe() {
    let mock = medusa();
    let held = mock.behave.hold_items(1 << 37);
    std::thread::scope(|scope| {
        let (done, answered) = mpsc::channel();
        let mock = &mock;
        scope.spawn(move || done.send(send(mock, Method::GET, "/store/products", "")));
        assert!(
            answered.recv_timeout(Duration::from_millis(300)).is_err(),
            "a list waits while any one stripe is held"
        );
        drop(held);
        let list = answered.recv_timeout(Duration::from_secs(60));
        let list = list.expect("answered once the stripe is let go");
        assert!(list["products"].as_array().is_some_and(|p| !p.is_empty()));
    });
}

#[test]
fn adds_to_many_carts_from_many_threads_lose_none() {
    let mock = medusa();
    let carts: Vec<String> = (0..4).map(|_| new_cart(&mock)).collect();
    add_from_threads(&carts, (4, 10), |cart| {
        add(&mock, cart);
    });
    for cart in &carts {
        assert_eq!(lines(&mock, cart), 40, "every add of every thread is kept");
    }
}

#[test]
fn a_parent_gone_while_checked_out_stays_gone() {
    let stand_in = Arc::new(Stored::new(Value::Null));
    let parent = || Arc::new(Stored::new(json!({"id": "c1", "items": [{"id": "l1"}]})));
    let mut store = Items::default();
    store.map.insert("c1".into(), Arc::clone(&stand_in));
    assert!(put_back(&mut store, "c1", &stand_in, parent()));
    assert_eq!(store.map["c1"]["items"][0]["id"], "l1", "put back in place");

    // Forgotten, then made again under the same id: the new item stays.
    let mut store = Items::default();
    store.put("c1".into(), json!({"id": "c1", "items": []}));
    assert!(!put_back(&mut store, "c1", &stand_in, parent()));
    assert_eq!(store.map["c1"]["items"], json!([]), "the new item is kept");

    // Deleted: nothing comes back.
    let mut store = Items::default();
    assert!(!put_back(&mut store, "c1", &stand_in, parent()));
    assert!(store.map.is_empty());
}

#[test]
fn a_parent_a_bug_panics_over_is_put_back() {
    let mock = medusa();
    let cart = new_cart(&mock);
    add(&mock, &cart);
    let apis = mock.apis();
    let api = &apis[0];
    let index = (api.operations.iter())
        .position(|o| o.id == "PostCartsIdLineItems")
        .expect("the add");
    let role = api.resources.role(index).expect("a role");
    let col = &api.resources.collections[role.collection];
    let parent = col.parent.as_ref().expect("lines live in carts");
    let params = [(parent.param.clone(), cart.clone())];
    let ctx = Ctx {
        api,
        op: &api.operations[index],
        role,
        col,
        params: &params,
        fields: None,
        query: Vec::new(),
        config: mock.config(),
    };
    let mut answer = Answer::new(Arc::new(Value::Null));
    let out = Outgoing::empty(StatusCode::OK);
    let run = |pid: &str, answer: &mut Answer, bug: bool| {
        checked_out(&mock, &ctx, parent, pid, (answer, &out), |t, _| {
            assert!(bug, "a parent to change: {}", t.parent["id"]);
            panic!("a bug while the cart is checked out")
        })
    };
    let panicked = catch_unwind(AssertUnwindSafe(|| run(&cart, &mut answer, true)));
    assert!(panicked.is_err(), "the panic goes on");
    assert_eq!(lines(&mock, &cart), 1, "the cart is back, as it was");
    assert!(
        run("cart_none", &mut answer, false).is_none(),
        "no such cart"
    );
}
