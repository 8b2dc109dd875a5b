//! Forwarding: the client's request as the real server should see it (same method, path,
//! query, headers and body; hop-by-hop headers and `Host` are the connection's, not the
//! request's), sent bounded in time and size, and the answer turned back into the mock's
//! [`Outgoing`] unchanged. A real server that cannot be reached is a 502 or 504 that names it.

use bytes::Bytes;
use cartwright_http::{Answer, Body, Error, Method, Request};
use http::{HeaderName, HeaderValue, StatusCode};

use super::Proxy;
use crate::problem::{Problem, ProblemKind};
use crate::{Incoming, Outgoing};

/// Headers that belong to one connection (RFC 9110 §7.6.1), or that the client library
/// sets itself for the new one. `accept-encoding` is dropped so the answer comes as
/// identity and can be judged; its `content-encoding` would otherwise hide the body.
const NOT_FORWARDED: [&str; 12] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    "accept-encoding",
];

/// Whether a header stays behind: connection-bound, or named in `Connection`.
fn stays(name: &str, connection: &[String]) -> bool {
    NOT_FORWARDED.iter().any(|h| name.eq_ignore_ascii_case(h))
        || connection.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// The names a `Connection` header lists: they are hop-by-hop too.
fn connection_names(headers: &http::HeaderMap) -> Vec<String> {
    headers
        .get_all(http::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The request to send upstream.
fn upstream_request(proxy: &Proxy, req: &Incoming, method: Method) -> Request {
    let mut url = format!("{}{}", proxy.upstream, req.path);
    if let Some(q) = &req.query {
        url.push('?');
        url.push_str(q);
    }
    let mut out = Request::new(method, url);
    let connection = connection_names(&req.headers);
    for (name, value) in &req.headers {
        if stays(name.as_str(), &connection) {
            continue;
        }
        out.headers.push((
            name.as_str().to_owned(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        ));
    }
    if !req.body.is_empty() {
        // The client's own `Content-Type` is among the headers; this one is used only
        // when it sent none.
        out.body = Some(Body::new("application/octet-stream", req.body.to_vec()));
    }
    out
}

/// Sends `req` upstream and reads the whole answer, or the 502/504 that says why not.
pub(super) async fn send(proxy: &Proxy, req: &Incoming) -> Result<Answer, Problem> {
    let Some(method) = Method::parse(req.method.as_str()) else {
        return Err(failed(
            proxy,
            format!("cannot forward method {}", req.method),
        ));
    };
    let request = upstream_request(proxy, req, method);
    let sent = cartwright_http::send_bounded(&proxy.client, &request, proxy.max_body);
    match tokio::time::timeout(proxy.timeout, sent).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(Error::Refused(at))) => Err(failed(
            proxy,
            format!("upstream {} refused the connection ({at})", proxy.upstream),
        )),
        Ok(Err(Error::TooLarge { limit })) => Err(failed(
            proxy,
            format!(
                "upstream {} answered with more than {limit} bytes",
                proxy.upstream
            ),
        )),
        Ok(Err(e)) => Err(failed(
            proxy,
            format!("upstream {} failed: {e}", proxy.upstream),
        )),
        Err(_) => {
            let secs = proxy.timeout.as_secs_f64();
            Err(Problem::new(
                StatusCode::GATEWAY_TIMEOUT,
                ProblemKind::Upstream,
                "Upstream Timed Out",
                format!(
                    "upstream {} gave no whole answer within {secs} s",
                    proxy.upstream
                ),
            )
            .with("upstream", serde_json::json!(proxy.upstream)))
        }
    }
}

fn failed(proxy: &Proxy, detail: String) -> Problem {
    Problem::new(
        StatusCode::BAD_GATEWAY,
        ProblemKind::Upstream,
        "Upstream Failed",
        detail,
    )
    .with("upstream", serde_json::json!(proxy.upstream))
}

/// The real answer as the client gets it: status, headers (without hop-by-hop ones and
/// the length, which the server sets for the body it sends, but for a `HEAD`, whose length
/// is that of the body not sent) and body, as they came.
pub(super) fn outgoing(a: &Answer, head: bool) -> Outgoing {
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut out = Outgoing::empty(status);
    let connection: Vec<String> = a
        .headers
        .iter()
        .filter(|(n, _)| n == "connection")
        .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_owned()))
        .collect();
    for (name, value) in &a.headers {
        if stays(name, &connection) && !(head && name == "content-length") {
            continue;
        }
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            out.headers.append(n, v);
        }
    }
    out.body = Bytes::from(a.body.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_and_host_stay_behind() {
        let proxy = Proxy::new("http://127.0.0.1:9/base/").expect("proxy");
        let mut req = Incoming::new(http::Method::POST, "/carts?x=1");
        for (k, v) in [
            ("host", "mock:4010"),
            ("connection", "keep-alive, x-hop"),
            ("x-hop", "1"),
            ("authorization", "Bearer abc"),
            ("content-type", "application/json"),
            ("accept-encoding", "gzip"),
        ] {
            req.headers
                .insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        req.body = Bytes::from_static(b"{}");
        let r = upstream_request(&proxy, &req, Method::Post);
        assert_eq!(r.url, "http://127.0.0.1:9/base/carts?x=1");
        let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["authorization", "content-type"]);
        assert_eq!(r.body.map(|b| b.bytes), Some(b"{}".to_vec()));
    }
}
