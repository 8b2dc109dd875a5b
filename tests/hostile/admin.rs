//! The REST mock's admin API (`/__cartwright/*`) against a web page in the developer's
//! browser: it reads no one-time code across origins, resets nothing with a `text/plain`
//! POST, answers no rebinding `Host`, and asks for the admin token when one is set.

use std::path::Path;
use std::sync::Arc;

use cartwright_mock::{AdminAccess, Config, Mock};
use reqwest::{RequestBuilder, Response};
use serde_json::{Value, json};

use crate::support::load_lenient;

const BASE: &str = "/api/v2/storefront";
const EVIL: &str = "http://evil.example";

/// A Vendo mock on 127.0.0.1:0 that lets the page's origin call the storefront API, as a
/// developer running `--allow-origin` for a storefront would.
struct Vendo {
    base: String,
    port: u16,
    client: reqwest::Client,
    _running: cartwright_mock::Running,
}

async fn vendo(admin: AdminAccess) -> Vendo {
    let api =
        load_lenient(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/vendo-storefront.yaml"));
    let config = Config {
        log_requests: false,
        allow_origins: Some(vec![EVIL.to_owned()]),
        admin,
        ..Config::default()
    };
    let mock = Arc::new(Mock::new(vec![api], config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = cartwright_mock::serve(mock, listener, std::future::pending()).expect("serve");
    Vendo {
        base: format!("http://{}", running.addr),
        port: running.addr.port(),
        client: reqwest::Client::new(),
        _running: running,
    }
}

impl Vendo {
    fn api(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{BASE}{path}", self.base))
    }

    fn admin(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}/__cartwright{path}", self.base))
    }

    /// Sends a code to `email`, as the storefront's login does.
    async fn send_code(&self, email: &str) {
        let r = self
            .api(reqwest::Method::POST, "/auth")
            .json(&json!({"user": {"email": email, "first_name": "Vendo"}}))
            .send()
            .await
            .expect("auth");
        assert_eq!(r.status(), 200);
    }

    /// A new cart's order token.
    async fn cart(&self) -> String {
        let r: Value = self
            .api(reqwest::Method::POST, "/cart")
            .send()
            .await
            .expect("cart")
            .json()
            .await
            .expect("json");
        r["data"]["attributes"]["token"]
            .as_str()
            .expect("an order token")
            .to_owned()
    }

    /// The status of reading the cart of `token`: 200 while it exists.
    async fn cart_status(&self, token: &str) -> u16 {
        self.api(reqwest::Method::GET, "/cart")
            .header("X-Vendo-Order-Token", token)
            .send()
            .await
            .expect("cart")
            .status()
            .as_u16()
    }
}

/// No header of the answer lets a page of another origin read it.
fn no_cors(r: &Response) {
    let cors: Vec<_> = r
        .headers()
        .keys()
        .filter(|k| k.as_str().starts_with("access-control-"))
        .collect();
    assert!(cors.is_empty(), "CORS headers on an admin answer: {cors:?}");
}

#[tokio::test]
async fn a_page_of_another_origin_cannot_read_the_outbox() {
    let v = vendo(AdminAccess::default()).await;
    v.send_code("shopper@example.com").await;
    let read = v
        .admin(reqwest::Method::GET, "/outbox")
        .header("origin", EVIL)
        .send()
        .await
        .expect("outbox");
    assert_eq!(read.status(), 403);
    no_cors(&read);
    assert!(!read.text().await.expect("body").contains("\"code\""));
    let preflight = v
        .admin(reqwest::Method::OPTIONS, "/outbox")
        .header("origin", EVIL)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .expect("preflight");
    no_cors(&preflight);
    // The storefront API still answers that origin, as --allow-origin says.
    let api = v
        .api(reqwest::Method::GET, "/cart")
        .header("origin", EVIL)
        .send()
        .await
        .expect("cart");
    assert_eq!(api.headers()["access-control-allow-origin"], EVIL);
    // And the developer's own tools read the code.
    let own: Value = v
        .admin(reqwest::Method::GET, "/outbox?to=shopper@example.com")
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    assert_eq!(own["messages"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_post_without_json_resets_nothing_and_moves_no_clock() {
    let v = vendo(AdminAccess::default()).await;
    let token = v.cart().await;
    for media in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut reset = v.admin(reqwest::Method::POST, "/reset").body("{}");
        let mut clock = v
            .admin(reqwest::Method::POST, "/clock")
            .body(r#"{"advance": "31d"}"#);
        if let Some(m) = media {
            reset = reset.header("content-type", m);
            clock = clock.header("content-type", m);
        }
        let reset = reset.send().await.expect("reset");
        assert_eq!(reset.status(), 415, "{media:?}");
        no_cors(&reset);
        assert_eq!(
            clock.send().await.expect("clock").status(),
            415,
            "{media:?}"
        );
    }
    assert_eq!(v.cart_status(&token).await, 200, "the cart survives");
    let clock: Value = v
        .admin(reqwest::Method::GET, "/clock")
        .send()
        .await
        .expect("clock")
        .json()
        .await
        .expect("json");
    assert_eq!(clock["offset_ms"], 0, "the clock did not move");
    let reset = v
        .admin(reqwest::Method::POST, "/reset")
        .json(&json!({}))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 200);
    assert_eq!(
        v.cart_status(&token).await,
        404,
        "a JSON reset forgets the cart"
    );
}

#[tokio::test]
async fn a_rebinding_host_is_refused() {
    let v = vendo(AdminAccess::default()).await;
    let token = v.cart().await;
    v.send_code("shopper@example.com").await;
    let evil = format!("evil.example:{}", v.port);
    let read = v
        .admin(reqwest::Method::GET, "/outbox")
        .header("host", &evil)
        .send()
        .await
        .expect("outbox");
    assert_eq!(read.status(), 421);
    assert!(!read.text().await.expect("body").contains("\"code\""));
    let reset = v
        .admin(reqwest::Method::POST, "/reset")
        .header("host", &evil)
        .json(&json!({}))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 421);
    assert_eq!(v.cart_status(&token).await, 200, "the cart survives");
    for host in [
        format!("localhost:{}", v.port),
        format!("127.0.0.1:{}", v.port),
    ] {
        let ok = v
            .admin(reqwest::Method::GET, "/outbox")
            .header("host", &host)
            .send()
            .await
            .expect("outbox");
        assert_eq!(ok.status(), 200, "{host}");
    }
}

#[tokio::test]
async fn the_admin_token_is_asked_for_on_every_call_when_set() {
    let admin = AdminAccess {
        token: Some("t0k3n-of-the-test".into()),
        ..AdminAccess::default()
    };
    let v = vendo(admin).await;
    let token = v.cart().await;
    v.send_code("shopper@example.com").await;
    for (method, path) in [
        (reqwest::Method::GET, "/health"),
        (reqwest::Method::GET, "/outbox"),
        (reqwest::Method::GET, "/journal"),
        (reqwest::Method::POST, "/reset"),
        (reqwest::Method::POST, "/clock"),
    ] {
        for auth in [None, Some("Bearer wrong"), Some("Bearer t0k3n-of-the-tes")] {
            let mut req = v
                .admin(method.clone(), path)
                .json(&json!({"advance": "1d"}));
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            let r = req.send().await.expect("admin");
            assert_eq!(r.status(), 401, "{method} {path} with {auth:?}");
            assert!(
                r.headers()["www-authenticate"]
                    .to_str()
                    .is_ok_and(|c| c.starts_with("Bearer"))
            );
            assert!(!r.text().await.expect("body").contains("\"code\""));
        }
    }
    assert_eq!(v.cart_status(&token).await, 200, "the cart survives");
    let own: Value = v
        .admin(reqwest::Method::GET, "/outbox")
        .bearer_auth("t0k3n-of-the-test")
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    assert_eq!(own["messages"].as_array().map(Vec::len), Some(1));
}
