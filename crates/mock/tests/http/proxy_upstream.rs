//! The real server the proxy tests put the mock in front of (one product off-contract,
//! one undeclared status, one slow answer, a login handing out a token), and a mock of the
//! proxy fixture forwarding to it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_mock::{Config, Proxy, Running};
use cartwright_spec::LoadOptions;
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use super::{Server, start_api};

/// The spec the proxy checks against.
pub(crate) const SPEC: &str = include_str!("../fixtures/proxy.yaml");

/// A request the real server received.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    /// Method and path with query.
    pub(crate) line: String,
    /// Its headers.
    pub(crate) headers: http::HeaderMap,
    /// Its body.
    pub(crate) body: Bytes,
}

/// The real server: one product off-contract, one answer with an undeclared status.
pub(crate) struct Upstream {
    /// Its base URL.
    pub(crate) url: String,
    /// Every request it received, in order.
    pub(crate) seen: Arc<Mutex<Vec<Seen>>>,
    _running: Running,
}

impl Upstream {
    /// The request lines it received.
    pub(crate) fn lines(&self) -> Vec<String> {
        let seen = self.seen.lock().expect("lock");
        seen.iter().map(|s| s.line.clone()).collect()
    }
}

/// A token the real server hands out at login.
pub(crate) const TOKEN: &str = "tok_live_5f2c9a7e41";

fn answer(line: &str) -> (u16, Value) {
    match line {
        "GET /products/1" => (200, json!({"id": 1, "name": "Tea", "price": 3.5})),
        // `id` is a string where the spec declares an integer.
        "GET /products/2" => (200, json!({"id": "two", "name": "Cake", "price": 2})),
        // 418 is declared nowhere.
        "GET /products/3" => (418, json!({"error": "teapot"})),
        "POST /login" => (
            200,
            json!({"token": TOKEN, "customer": {"email": "ann@example.com", "note": format!("signed in with {TOKEN}")}}),
        ),
        _ => (404, json!({"error": "no such thing here"})),
    }
}

/// Starts the real server on a free port.
pub(crate) async fn upstream() -> Upstream {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let kept = seen.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = cartwright_mock::serve_with(listener, std::future::pending(), move |req| {
        let kept = kept.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = body
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            // HEAD is answered as GET is (the server leaves the body out).
            let method = if parts.method == http::Method::HEAD {
                "GET"
            } else {
                parts.method.as_str()
            };
            let line = format!("{method} {}", parts.uri.path());
            kept.lock().expect("lock").push(Seen {
                line: format!(
                    "{} {}",
                    parts.method,
                    parts.uri.path_and_query().map_or("", |p| p.as_str())
                ),
                headers: parts.headers,
                body,
            });
            if line == "GET /products/4" {
                // Slower than any proxy timeout the tests set.
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            let (status, value) = answer(&line);
            let mut res = hyper::Response::new(Full::new(Bytes::from(value.to_string())));
            *res.status_mut() = http::StatusCode::from_u16(status).expect("status");
            let h = res.headers_mut();
            h.insert("content-type", "application/json".parse().expect("value"));
            h.insert("x-stock", "12".parse().expect("value"));
            h.insert("x-upstream", "real".parse().expect("value"));
            res
        }
    })
    .expect("serve");
    Upstream {
        url: format!("http://{}", running.addr),
        seen,
        _running: running,
    }
}

/// Loads the proxy spec.
pub(crate) fn api() -> cartwright_model::Api {
    let mut sources = Sources::new();
    cartwright_spec::load_str("proxy.yaml", SPEC, &LoadOptions::default(), &mut sources)
        .expect("fixture loads")
        .api
}

/// A mock of the spec proxying to `url`, with `tune` applied to the proxy settings.
pub(crate) async fn proxying(url: &str, tune: impl FnOnce(&mut Proxy)) -> Server {
    let mut proxy = Proxy::new(url).expect("proxy");
    proxy.timeout = Duration::from_secs(5);
    tune(&mut proxy);
    start_api(
        api(),
        Config {
            proxy: Some(proxy),
            ..Config::default()
        },
    )
    .await
}

/// The `Cartwright-Violations` header, if any.
pub(crate) fn violations(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("cartwright-violations")
        .map(|v| v.to_str().expect("ASCII").to_owned())
}
