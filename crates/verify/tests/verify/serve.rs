//! A one-function HTTP server for the small faulty servers of the check tests: each test
//! says how it answers a request, this serves it on 127.0.0.1.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_outcome::Run;
use cartwright_spec::LoadOptions;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// A request as the server got it: the path raw, as on the wire.
pub(crate) struct Asked {
    /// The method.
    pub(crate) method: http::Method,
    /// The path, still percent-encoded.
    pub(crate) path: String,
    /// The query, if any.
    pub(crate) query: String,
    /// The headers.
    pub(crate) headers: http::HeaderMap,
    /// The body, when it is JSON.
    pub(crate) body: Option<serde_json::Value>,
}

/// An answer: status, headers, JSON body (none when empty).
pub(crate) type Answer = (u16, Vec<(&'static str, String)>, String);

/// Serves `answer` on a free port; the base URL.
pub(crate) async fn serve(answer: impl Fn(&Asked) -> Answer + Send + Sync + 'static) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                    let answer = answer.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let bytes = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let asked = Asked {
                            method: parts.method,
                            path: parts.uri.path().to_owned(),
                            query: parts.uri.query().unwrap_or("").to_owned(),
                            headers: parts.headers,
                            body: serde_json::from_slice(&bytes).ok(),
                        };
                        let (status, headers, body) = answer(&asked);
                        let mut res = http::Response::builder().status(status);
                        for (k, v) in headers {
                            res = res.header(k, v);
                        }
                        if !body.is_empty() {
                            res = res.header("content-type", "application/json");
                        }
                        Ok::<_, Infallible>(
                            res.body(Full::new(Bytes::from(body))).expect("response"),
                        )
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

/// A spec from text.
pub(crate) fn spec(name: &str, text: &str) -> cartwright_model::Api {
    cartwright_spec::load_str(name, text, &LoadOptions::default(), &mut Sources::new())
        .expect("loads")
        .api
}

/// The names of the checks that failed anywhere in a run.
pub(crate) fn failed(run: &Run) -> std::collections::BTreeSet<String> {
    run.cases
        .iter()
        .flat_map(|c| &c.steps)
        .flat_map(|s| s.failures())
        .map(|c| c.name.clone())
        .collect()
}
