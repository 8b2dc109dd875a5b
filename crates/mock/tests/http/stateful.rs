//! A client for the behaviour tests: every answer is checked against the spec's declared
//! response for its status, so a behaviour that patches a body out of contract fails here.

use std::sync::Arc;

use cartwright_model::{Api, Lookup, Method};
use reqwest::RequestBuilder;
use serde_json::{Value, json};

use super::Server;

/// A running mock of a project spec, with the loaded API for conformance checks.
pub struct Stateful {
    /// The server.
    pub server: Server,
    /// `http://127.0.0.1:PORT/base/path`.
    pub base: String,
    /// The loaded API.
    pub api: Arc<Api>,
}

/// A status and JSON body (`null` when empty or not JSON), plus headers.
pub struct Reply {
    /// The status.
    pub status: u16,
    /// The body.
    pub body: Value,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
}

impl Stateful {
    /// A request to a path under the API's base path.
    pub fn req(&self, method: &str, path: &str) -> RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        self.server
            .client
            .request(m, format!("{}{path}", self.base))
    }

    /// A request to the admin API.
    pub fn admin(&self, method: &str, path: &str) -> RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        self.server
            .client
            .request(m, format!("{}/__cartwright{path}", self.server.base))
            .header("content-type", "application/json")
    }

    /// Sends, reads the body, and checks a 2xx/4xx answer against the operation's schema.
    pub async fn send(&self, rb: RequestBuilder) -> Reply {
        let req = rb.build().expect("request");
        let (method, path) = (
            req.method().as_str().to_owned(),
            req.url().path().to_owned(),
        );
        let res = self.server.client.execute(req).await.expect("response");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let ct = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = res.bytes().await.expect("body");
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !ct.contains("problem") {
            self.conforms(&method, &path, status, &body);
        }
        Reply {
            status,
            body,
            headers,
        }
    }

    fn conforms(&self, method: &str, raw_path: &str, status: u16, body: &Value) {
        let Some(rest) = self.api.strip_base(raw_path) else {
            return;
        };
        let Some(m) = Method::parse(method) else {
            return;
        };
        let Lookup::Found(found) = self.api.router.lookup(m, rest) else {
            return;
        };
        let op = &self.api.operations[found.operation];
        let response = op
            .response_for(status)
            .unwrap_or_else(|| panic!("{method} {raw_path}: {status} is not declared"));
        if let Some(schema) = response.content.first().and_then(|c| c.schema.as_ref()) {
            let v = schema.violations(body);
            assert!(
                v.is_empty(),
                "{method} {raw_path} {status}: body breaks the spec: {v:?}\n{body:#}"
            );
        }
    }

    /// Moves the virtual clock.
    pub async fn advance(&self, by: &str) {
        let r = self
            .admin("POST", "/clock")
            .json(&json!({"advance": by}))
            .send()
            .await
            .expect("clock");
        assert_eq!(r.status(), 200);
    }
}
