//! Servers that are not a cartwright mock, for the runs against "a real server": each test
//! says how it answers a request, this serves it on 127.0.0.1 over hyper.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// A request as the server got it.
pub(crate) struct Asked {
    /// The method.
    pub(crate) method: http::Method,
    /// The path and query, as on the wire.
    pub(crate) target: String,
    /// The headers.
    pub(crate) headers: http::HeaderMap,
    /// The body.
    pub(crate) body: Bytes,
}

/// An answer: status, headers, body.
pub(crate) type Reply = (u16, Vec<(String, String)>, Bytes);

/// What a server does with a request.
pub(crate) type Handler =
    Arc<dyn Fn(Asked) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

/// Serves `handler` on a free port; the base URL.
pub(crate) async fn serve(handler: Handler) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                    let handler = handler.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let asked = Asked {
                            method: parts.method,
                            target: parts
                                .uri
                                .path_and_query()
                                .map_or_else(String::new, |p| p.as_str().to_owned()),
                            headers: parts.headers,
                            body,
                        };
                        let (status, headers, body) = handler(asked).await;
                        let mut res = http::Response::builder().status(status);
                        for (k, v) in headers {
                            res = res.header(k, v);
                        }
                        Ok::<_, Infallible>(res.body(Full::new(body)).expect("response"))
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

/// A server in front of `upstream` that forwards every request except the mock's admin
/// API (`/__cartwright/…`, answered 404): the mock's behaviour, as a server that is not a
/// cartwright mock would have it.
pub(crate) async fn without_admin(upstream: String) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    serve(Arc::new(move |asked: Asked| {
        let (client, upstream) = (client.clone(), upstream.clone());
        Box::pin(async move {
            if asked.target.starts_with("/__cartwright") {
                return (404, Vec::new(), Bytes::new());
            }
            let mut req = client.request(asked.method, format!("{upstream}{}", asked.target));
            for (k, v) in &asked.headers {
                if k != http::header::HOST && k != http::header::CONTENT_LENGTH {
                    req = req.header(k, v);
                }
            }
            let Ok(res) = req.body(asked.body).send().await else {
                return (502, Vec::new(), Bytes::new());
            };
            let status = res.status().as_u16();
            let headers = res
                .headers()
                .iter()
                .filter(|(k, _)| {
                    *k != http::header::CONTENT_LENGTH && *k != http::header::TRANSFER_ENCODING
                })
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                .collect();
            (status, headers, res.bytes().await.unwrap_or_default())
        })
    }))
    .await
}
