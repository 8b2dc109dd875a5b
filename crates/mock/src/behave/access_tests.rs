//! Inferred collections keep their items behind a lock of their own: a Medusa cart is made
//! and read while the behaviours' state lock is held, and a reset forgets the cart.

use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use serde_json::Value;

use crate::test_specs::medusa;
use crate::{Incoming, Mock, Outgoing};

fn send(mock: &Mock, method: Method, path: &str, body: &'static str) -> Outgoing {
    let mut req = Incoming::new(method, path);
    if !body.is_empty() {
        let json = HeaderValue::from_static("application/json");
        req.headers.insert(http::header::CONTENT_TYPE, json);
        req.body = Bytes::from_static(body.as_bytes());
    }
    mock.handle(req)
}

#[test]
fn inferred_items_do_not_wait_on_the_state_lock() {
    let mock = medusa();
    let (done, answered) = mpsc::channel();
    let id = std::thread::scope(|scope| {
        let held = mock.behave.lock();
        scope.spawn(|| {
            let made = send(
                &mock,
                Method::POST,
                "/store/carts",
                r#"{"region_id":"reg_1"}"#,
            );
            let cart: Value = serde_json::from_slice(&made.body).unwrap_or_default();
            let id = cart["cart"]["id"].as_str().unwrap_or_default().to_owned();
            let read = send(&mock, Method::GET, &format!("/store/carts/{id}"), "");
            done.send((made.status, read.status, id)).expect("sent");
        });
        let got = answered.recv_timeout(Duration::from_secs(60));
        // Let go before failing, so that a thread that waits on it can end.
        drop(held);
        let (made, read, id) = got.expect("answered while the state lock is held");
        assert_eq!((made, read), (StatusCode::OK, StatusCode::OK), "{id}");
        id
    });
    mock.behave.reset();
    let gone = send(&mock, Method::GET, &format!("/store/carts/{id}"), "");
    assert_eq!(
        gone.status,
        StatusCode::NOT_FOUND,
        "a reset forgets the cart"
    );
}
