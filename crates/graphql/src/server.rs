//! The socket side: hyper (HTTP/1 and HTTP/2), body limits, CORS, correlation IDs, one log
//! line per request, graceful shutdown. Every failure is an answer; nothing a client sends
//! stops the server.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bytes::Bytes;
use cartwright_mock::BodyError;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use serde_json::{Value as Json, json};
use tokio::net::TcpListener;

pub use cartwright_mock::Running;

use crate::{GraphqlMock, admin, generate, graphiql, request};

/// The GraphQL endpoint's path.
pub const ENDPOINT: &str = "/graphql";

/// Serves `mock` on `listener` until `signal` completes or [`Running::shutdown`] is called;
/// the accept loop is the REST mock's.
pub fn serve(
    mock: Arc<GraphqlMock>,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Running> {
    let limits = mock.config().connections;
    cartwright_mock::serve_limited(listener, signal, limits, move |req| {
        let mock = mock.clone();
        async move { answer(&mock, req).await }
    })
}

/// A fresh correlation ID when the request has none.
fn fresh_id() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    format!(
        "{:016x}",
        generate::mix(nanos, N.fetch_add(1, Ordering::Relaxed))
    )
}

async fn answer(mock: &GraphqlMock, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let start = Instant::now();
    let (parts, body) = req.into_parts();
    let config = mock.config();
    let correlation = parts
        .headers
        .get(config.correlation_header.as_str())
        .and_then(|v| v.to_str().ok())
        .map_or_else(fresh_id, str::to_owned);
    let path = parts.uri.path().to_owned();
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let refused = origin.filter(|o| !admin::is_admin(&path) && !config.origin_allowed(o));
    let (status, out) = if let Some(o) = refused {
        let message = format!("origin `{o}` is not in the allowed origins");
        (
            StatusCode::UNAUTHORIZED,
            Out::Json(
                json!({"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}),
            ),
        )
    } else {
        let stall = config.connections.header_timeout;
        match cartwright_mock::read_body(body, config.body_limit, stall).await {
            Err(BodyError::TooLarge) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                Out::Json(
                    json!({"errors": [{"message": format!("the body exceeds {} bytes", config.body_limit), "extensions": {"code": "BAD_REQUEST"}}]}),
                ),
            ),
            // Part of a body is never executed: a mutation would run on what the client
            // did not send.
            Err(BodyError::Incomplete(why)) => (
                StatusCode::BAD_REQUEST,
                Out::Json(
                    json!({"errors": [{"message": format!("incomplete body: {why}"), "extensions": {"code": "BAD_REQUEST"}}]}),
                ),
            ),
            Ok(bytes) => route(mock, &parts, &path, &bytes, &correlation).await,
        }
    };
    let cached = matches!(out, Out::Asset(..));
    let (bytes, media) = match out {
        Out::Json(json) => (Bytes::from(json.to_string()), "application/json"),
        Out::Answer(bytes) => (bytes, "application/json"),
        Out::Html(html) => (
            Bytes::from_static(html.as_bytes()),
            "text/html; charset=utf-8",
        ),
        Out::Asset(bytes, media) => (Bytes::from_static(bytes), media),
        Out::Empty => (Bytes::new(), "text/plain"),
    };
    let mut res = Response::new(Full::new(bytes));
    *res.status_mut() = status;
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if cached {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(graphiql::CACHE_CONTROL),
        );
    }
    // The admin API and GraphiQL (the page and its assets, or their refusals) answer no
    // page of another origin.
    let private = admin::is_admin(&path)
        || path.starts_with("/graphiql/")
        || (parts.method == Method::GET && wants_graphiql(&parts));
    if refused.is_none() && !private {
        cors(headers, &parts.headers);
    }
    if admin::is_admin(&path) && status == StatusCode::UNAUTHORIZED {
        headers.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"cartwright admin\""),
        );
    }
    if let (Ok(name), Ok(value)) = (
        http::HeaderName::from_bytes(config.correlation_header.as_bytes()),
        HeaderValue::from_str(&correlation),
    ) {
        headers.insert(name, value);
    }
    if config.log_requests && !admin::is_admin(&path) {
        config.request_log.request(
            &[parts.method.as_str(), &path],
            status.as_u16(),
            start.elapsed(),
        );
    }
    res
}

/// A response body.
enum Out {
    Json(Json),
    /// A GraphQL answer, already written.
    Answer(Bytes),
    Html(&'static str),
    /// An embedded file and its media type.
    Asset(&'static [u8], &'static str),
    Empty,
}

async fn route(
    mock: &GraphqlMock,
    parts: &http::request::Parts,
    path: &str,
    body: &[u8],
    correlation: &str,
) -> (StatusCode, Out) {
    if admin::is_admin(path) {
        let (status, json) = admin::handle(mock, &parts.method, &parts.headers, path, body);
        return (status, Out::Json(json));
    }
    if parts.method == Method::GET
        && let Some((bytes, media)) = graphiql::asset(path)
    {
        if let Err(r) = mock.config().admin.check_page(&parts.headers) {
            let (status, json) = admin::refused(r);
            return (status, Out::Json(json));
        }
        return (StatusCode::OK, Out::Asset(bytes, media));
    }
    if path.trim_end_matches('/') != ENDPOINT {
        let message = format!("no route for {path}: GraphQL is served at POST {ENDPOINT}");
        return (
            StatusCode::NOT_FOUND,
            Out::Json(json!({"errors": [{"message": message}]})),
        );
    }
    match parts.method {
        Method::OPTIONS => return (StatusCode::NO_CONTENT, Out::Empty),
        Method::GET if wants_graphiql(parts) => {
            return match mock.config().admin.check_page(&parts.headers) {
                Ok(()) => (StatusCode::OK, Out::Html(graphiql::PAGE)),
                Err(r) => {
                    let (status, json) = admin::refused(r);
                    (status, Out::Json(json))
                }
            };
        }
        Method::GET | Method::POST => {}
        _ => {
            let message = format!(
                "{} is not served: use POST (or GET for queries)",
                parts.method
            );
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                Out::Json(json!({"errors": [{"message": message}]})),
            );
        }
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    match request::read(&parts.method, parts.uri.query(), content_type, body) {
        Ok(req) => {
            let (status, bytes) = mock.respond(&parts.headers, req, correlation).await;
            (status, Out::Answer(bytes))
        }
        Err(refusal) => (refusal.status, Out::Json(refusal.body)),
    }
}

/// A browser opening the endpoint without a query gets GraphiQL.
fn wants_graphiql(parts: &http::request::Parts) -> bool {
    let html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let has_query = parts
        .uri
        .query()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "query"));
    html && !has_query
}

/// Browsers (GraphiQL, a storefront on another port) may call the mock from any origin
/// unless `--allow-origin` names the ones that may.
fn cors(headers: &mut http::HeaderMap, request: &http::HeaderMap) {
    let origin = request
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type, x-shared-secret, x-correlation-id"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("origin"));
}
