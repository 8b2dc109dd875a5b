//! A cart's operation waits for another operation on the same cart, never for one on
//! another cart: held over the stripe of one cart's token, an add to a second cart is
//! answered, and the add to the first is answered once the stripe is let go, with its line.
//! Adds to several carts from several threads lose none.

use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method};
use serde_json::Value;

use super::super::tokens;
use super::stripes;
use crate::stripes::{Held, Stripes};
use crate::test_specs::{add_from_threads, vendo};
use crate::{Incoming, Mock};

fn send(mock: &Mock, method: Method, path: &str, token: Option<&str>, body: &str) -> Value {
    let mut req = Incoming::new(method, &format!("/api/v2/storefront{path}"));
    if let Some(t) = token {
        let t = HeaderValue::from_str(t).expect("a header value");
        req.headers.insert("x-vendo-order-token", t);
    }
    if !body.is_empty() {
        let json = HeaderValue::from_static("application/json");
        req.headers.insert(http::header::CONTENT_TYPE, json);
        req.body = Bytes::from(body.to_owned());
    }
    let out = mock.handle(req);
    assert!(out.status.is_success(), "{path}: {}", out.status);
    serde_json::from_slice(&out.body).expect("a JSON answer")
}

fn new_cart(mock: &Mock) -> String {
    let made = send(mock, Method::POST, "/cart", None, "");
    let token = &made["data"]["attributes"]["token"];
    token.as_str().expect("a token").to_owned()
}

fn add(mock: &Mock, token: &str) -> Value {
    let line = r#"{"variant_id":"1","quantity":1}"#;
    send(mock, Method::POST, "/cart/add_item", Some(token), line)
}

fn count(mock: &Mock, token: &str) -> u64 {
    let cart = send(mock, Method::GET, "/cart", Some(token), "");
    cart["data"]["attributes"]["item_count"]
        .as_u64()
        .expect("a count")
}

#[test]
fn a_cart_waits_for_its_own_operations_only() {
    let mock = vendo();
    let first = new_cart(&mock);
    let stripe = |t: &str| Stripes::of(usize::from(tokens::key(t)[0]));
    let second = std::iter::repeat_with(|| new_cart(&mock))
        .find(|t| stripe(t) != stripe(&first))
        .expect("a cart on another stripe");
    let held = mock.behave.stripes.0[stripe(&first)]
        .lock()
        .expect("not poisoned");
    std::thread::scope(|scope| {
        let (done, answered) = mpsc::channel();
        let (mock, first, second) = (&mock, &first, &second);
        let to_second = done.clone();
        scope.spawn(move || to_second.send(("second", add(mock, second))));
        let (name, _) = answered
            .recv_timeout(Duration::from_secs(60))
            .expect("the other cart's add is answered while this cart's stripe is held");
        assert_eq!(name, "second");
        scope.spawn(move || done.send(("first", add(mock, first))));
        assert!(
            answered.recv_timeout(Duration::from_millis(300)).is_err(),
            "the held cart's add waits"
        );
        drop(held);
        let (name, out) = answered
            .recv_timeout(Duration::from_secs(60))
            .expect("answered once the stripe is let go");
        assert_eq!(name, "first");
        assert_eq!(out["data"]["attributes"]["item_count"], 1);
    });
    assert_eq!(count(&mock, &first), 1);
    assert_eq!(count(&mock, &second), 1);
}

#[test]
fn adds_to_many_carts_from_many_threads_lose_none() {
    let mock = vendo();
    let carts: Vec<String> = (0..4).map(|_| new_cart(&mock)).collect();
    add_from_threads(&carts, (4, 25), |cart| {
        add(&mock, cart);
    });
    for cart in &carts {
        assert_eq!(count(&mock, cart), 100, "every add of every thread is kept");
    }
}

/// Every token a request carries has its stripe held until the operation ends, however
/// many it carries; two tokens on one stripe hold it once.
#[test]
fn every_carried_token_has_its_stripe_held() {
    let locks = Stripes::default();
    let keys: Vec<tokens::Key> = (0..)
        .map(|i| tokens::key(&format!("token {i}")))
        .take(200)
        .collect();
    let of = |k: &tokens::Key| Stripes::of(usize::from(k[0]));
    let first = keys[0];
    let other = *keys
        .iter()
        .find(|k| of(k) != of(&first))
        .expect("another stripe");
    let twin = *keys[1..]
        .iter()
        .find(|k| of(k) == of(&first))
        .expect("the same stripe");
    let free = |k: &tokens::Key| locks.0[of(k)].try_lock().is_ok();
    let held = locks.lock(stripes([first, other].iter()));
    assert!(matches!(held, Held::Many { .. }));
    assert!(!free(&first) && !free(&other));
    drop(held);
    assert!(free(&first) && free(&other));
    let held = locks.lock(stripes([first, twin].iter()));
    assert!(matches!(held, Held::One { .. }), "one stripe, held once");
    assert!(!free(&twin));
    drop(held);
    assert!(matches!(locks.lock(stripes([].iter())), Held::None));
}

/// Which operations run checked out is decided at load: the cart's add, update and
/// remove change only the cart; making a cart issues a session, and reading one changes
/// nothing, so neither does.
#[test]
fn only_operations_that_change_just_their_state_are_checked_out() {
    let mock = vendo();
    let apis = mock.apis();
    let state_only = |id: &str| {
        let op = apis[0].operation(id).expect("an operation");
        op.behaviour.as_ref().expect("a binding").state_only
    };
    assert!(state_only("addItem"));
    assert!(state_only("removeLineItem"));
    assert!(!state_only("createCart"), "it issues a session");
    assert!(!state_only("getCart"), "it changes nothing");
}
