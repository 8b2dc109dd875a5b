//! The mock over HTTP: each rule is shown by a request to a real server bound to port 0.

mod admin_cors;
mod bad_input;
mod body_frames;
mod centra;
mod centra_catalogue;
mod centra_customer;
mod centra_paths;
mod contract;
mod credentials;
mod failed_steps;
mod faults;
mod faults_overlay;
mod faults_pace;
mod h2_faults;
mod h2_idle;
mod hostile_body;
mod hostile_connections;
mod hostile_mask;
mod hostile_sessions;
mod journal_pace;
mod jwt;
mod jwt_customer;
mod path_session;
mod proxy;
mod proxy_hybrid;
mod proxy_record;
mod proxy_upstream;
mod refusals;
mod responses;
mod routing;
mod schemathesis;
mod scopes;
mod security;
mod spree;
mod stateful;
mod stopping;
mod stubs;
mod stubs_admin;
mod stubs_journal;
mod validation;
mod vendo;
mod vendo_kept;
mod websale;

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

/// Starts a mock of one of the project's specs (`specs/NAME.yaml`) with `config`; its
/// responses are checked against the spec by [`Stateful::send`].
pub async fn start_spec(name: &str, config: Config) -> Stateful {
    let path = format!("{}/../../specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("spec readable");
    let mut sources = Sources::new();
    let loaded = cartwright_spec::load_str(&path, &text, &LoadOptions::default(), &mut sources)
        .expect("spec loads");
    let base_path = loaded.api.base_paths.first().cloned().unwrap_or_default();
    let server = start_api(loaded.api, config).await;
    let api = server.mock.apis()[0].clone();
    Stateful {
        base: format!("{}{base_path}", server.base),
        server,
        api,
    }
}

/// Starts a mock of a loaded API.
pub async fn start_api(api: cartwright_model::Api, config: Config) -> Server {
    let mock = Arc::new(Mock::new(
        vec![api],
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

pub use stateful::Stateful;
