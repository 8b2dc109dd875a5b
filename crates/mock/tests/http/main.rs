//! The mock over HTTP: each rule is shown by a request to a real server bound to port 0.

mod admin_cors;
mod bad_input;
mod responses;
mod routing;
mod security;
mod validation;

use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_mock::{Config, Mock, Running};
use cartwright_spec::LoadOptions;

/// A running mock of the fixture shop and a client for it.
pub struct Server {
    /// The server, bound to a free port.
    pub running: Running,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client for it.
    pub client: reqwest::Client,
    /// The mock behind it, for looking at its journal.
    pub mock: Arc<Mock>,
}

impl Server {
    /// The URL of a path under the shop's base path.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/shop{path}", self.base)
    }
}

/// The fixture spec.
pub const SHOP: &str = include_str!("../fixtures/shop.yaml");

/// Starts a mock of `spec` with `config`.
pub async fn start_with(spec: &str, config: Config) -> Server {
    let mut sources = Sources::new();
    let loaded =
        cartwright_spec::load_str("shop.yaml", spec, &LoadOptions::default(), &mut sources)
            .expect("fixture loads");
    let mock = Arc::new(Mock::new(
        vec![loaded.api],
        Config {
            log_requests: false,
            ..config
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running =
        cartwright_mock::serve(mock.clone(), listener, std::future::pending()).expect("serve");
    let base = format!("http://{}", running.addr);
    Server {
        running,
        base,
        client: reqwest::Client::new(),
        mock,
    }
}

/// Starts a mock of the fixture shop with the default configuration.
pub async fn start() -> Server {
    start_with(SHOP, Config::default()).await
}

/// The response's JSON body.
pub async fn json(res: reqwest::Response) -> serde_json::Value {
    res.json().await.expect("JSON body")
}
