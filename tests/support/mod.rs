//! Shared by the workspace-level tests: loading, serving on port 0, building requests.
#![allow(dead_code)]

pub(crate) mod live;
pub(crate) mod request;

use std::path::Path;
use std::sync::Arc;

use cartwright_diag::{Sources, render_all};
use cartwright_mock::{Config, Mock, Running};
use cartwright_model::Api;
use cartwright_spec::LoadOptions;

/// Loads a spec leniently, panicking with rendered diagnostics if even that fails.
pub(crate) fn load_lenient(path: &Path) -> Api {
    let mut sources = Sources::new();
    match cartwright_spec::load(
        path,
        &LoadOptions {
            lenient: true,
            ..LoadOptions::default()
        },
        &mut sources,
    ) {
        Ok(l) => l.api,
        Err(d) => panic!(
            "{} does not load:\n{}",
            path.display(),
            render_all(&d, &sources, false)
        ),
    }
}

/// Loads a spec written in a test, panicking if it does not load.
pub(crate) fn load_text(name: &str, text: &str) -> Api {
    let mut sources = Sources::new();
    cartwright_spec::load_str(name, text, &LoadOptions::default(), &mut sources)
        .expect("spec loads")
        .api
}

/// Sends one request to a served mock: the status, the body's bytes as sent, and the body
/// parsed (null when it is not JSON).
pub(crate) async fn exchange(
    s: &Served,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (u16, Vec<u8>, serde_json::Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = s.client.request(method, format!("{}{path}", s.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("answer");
    let status = res.status().as_u16();
    let bytes = res.bytes().await.expect("body").to_vec();
    let parsed = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, bytes, parsed)
}

/// A mock serving one API on 127.0.0.1:0.
pub(crate) struct Served {
    pub running: Running,
    pub base: String,
    pub client: reqwest::Client,
    pub mock: Arc<Mock>,
}

impl Served {
    /// The API being served.
    pub(crate) fn api(&self) -> Arc<Api> {
        self.mock.apis()[0].clone()
    }
}

/// Serves `api` with the default configuration.
pub(crate) async fn serve(api: Api) -> Served {
    let mock = Arc::new(Mock::new(
        vec![api],
        Config {
            log_requests: false,
            ..Config::default()
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running =
        cartwright_mock::serve(mock.clone(), listener, std::future::pending()).expect("serve");
    let base = format!("http://{}", running.addr);
    Served {
        running,
        base,
        client: reqwest::Client::new(),
        mock,
    }
}

/// Serves `specs/<name>.graphql` with the GraphQL mock's default configuration on
/// 127.0.0.1:0; the server and its `http://` base.
pub(crate) async fn serve_graphql(name: &str) -> (cartwright_graphql::Running, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs")
        .join(format!("{name}.graphql"));
    let sdl = std::fs::read_to_string(&path).expect("schema");
    let mock = cartwright_graphql::GraphqlMock::new(
        &path.display().to_string(),
        &sdl,
        None,
        cartwright_graphql::Config {
            log_requests: false,
            ..cartwright_graphql::Config::default()
        },
    )
    .expect("schema loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running =
        cartwright_graphql::serve(Arc::new(mock), listener, std::future::pending()).expect("serve");
    let base = format!("http://{}", running.addr);
    (running, base)
}
