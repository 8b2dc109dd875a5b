//! The GraphQL mock over HTTP: each rule is shown by a request to a real server bound to
//! port 0, serving the Centra Storefront API schema from `specs/`.

mod bad_input;
mod cache;
mod cache_bytes;
mod catalog;
mod checkout;
mod graphiql;
mod hostile_body;
mod int_range;
mod modes;
mod origins;
mod selection;
mod serve;
mod session;
mod tokens;

use std::sync::Arc;

use cartwright_graphql::{Config, Fixtures, GraphqlMock, Running};
use serde_json::{Value as Json, json};

/// Centra's published Storefront API schema (a copy; see specs/centra-storefront.LICENSE.md).
pub const SCHEMA: &str = include_str!("../../../../specs/centra-storefront.graphql");

/// The tokens the test servers are configured with.
pub const SESSION: &str = "test-base-session";
/// The no-session token.
pub const NO_SESSION: &str = "test-no-session";
/// The shared secret.
pub const SHARED: &str = "test-shared-secret";

/// A running mock and a client for it.
pub struct Server {
    /// The server, bound to a free port.
    pub running: Running,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client for it.
    pub client: reqwest::Client,
}

/// The configuration the tests use: their own tokens, seed 7, no request log.
pub fn config() -> Config {
    Config {
        seed: 7,
        log_requests: false,
        secrets: vec![
            ("storefront_session".into(), SESSION.into()),
            ("storefront_no_session".into(), NO_SESSION.into()),
            ("shared".into(), SHARED.into()),
        ],
        ..Config::default()
    }
}

/// Starts a mock of the Centra schema with [`config`].
pub async fn start() -> Server {
    start_with(SCHEMA, config()).await
}

/// Starts a mock of `sdl` with `config`.
pub async fn start_with(sdl: &str, config: Config) -> Server {
    start_full(sdl, None, config).await
}

/// Starts a mock of `sdl` with a fixture file's text and `config`.
pub async fn start_full(sdl: &str, fixtures: Option<&str>, config: Config) -> Server {
    let fixtures = fixtures.map(|f| Fixtures::from_str("fixtures.yaml", f).expect("fixtures load"));
    let mock =
        GraphqlMock::new("centra-storefront.graphql", sdl, fixtures, config).expect("schema loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running =
        cartwright_graphql::serve(Arc::new(mock), listener, std::future::pending()).expect("serve");
    Server {
        base: format!("http://{}", running.addr),
        running,
        client: reqwest::Client::new(),
    }
}

/// An answer: status and body.
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Json,
}

impl Reply {
    /// The first error's message, or "" when there is none.
    pub fn error(&self) -> &str {
        self.body["errors"][0]["message"].as_str().unwrap_or("")
    }

    /// The session token handed back in `extensions.token`.
    pub fn token(&self) -> String {
        self.body["extensions"]["token"]
            .as_str()
            .expect("a session token in extensions.token")
            .to_owned()
    }

    /// Panics with the body when the answer has errors.
    pub fn ok(self) -> Json {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {:#}",
            self.body
        );
        assert_eq!(self.status, 200, "{:#}", self.body);
        self.body["data"].clone()
    }
}

impl Server {
    /// POSTs a query with a bearer token (if any) and extra headers.
    pub async fn post(
        &self,
        token: Option<&str>,
        headers: &[(&str, &str)],
        query: &str,
        variables: Json,
    ) -> Reply {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("the mock answers");
        Reply {
            status: res.status().as_u16(),
            body: res.json().await.expect("a JSON body"),
        }
    }

    /// POSTs a query with a token and no variables.
    pub async fn query(&self, token: &str, query: &str) -> Reply {
        self.post(Some(token), &[], query, json!({})).await
    }

    /// A fresh session: the base token's first answer hands out a session token.
    pub async fn session(&self) -> String {
        self.query(SESSION, "{ session { country { code } } }")
            .await
            .token()
    }
}
