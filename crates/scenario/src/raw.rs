//! Sending a path exactly as written. URL parsers (reqwest's included) resolve `..` and
//! `%2e%2e` segments before sending, which would turn a path-traversal test into a request
//! for another route made by the client itself. A `raw(...)` path with dot segments is
//! therefore sent over a plain HTTP/1.1 connection with hyper, byte for byte.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What came back: status, headers (lower-case names) and body bytes.
pub type Raw = (u16, Vec<(String, String)>, Bytes);

/// Sends one request to an `http://` base without touching the path.
pub async fn send(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Option<(&str, &str)>,
) -> Result<Raw, String> {
    let rest = base.strip_prefix("http://").ok_or_else(|| {
        "a path with dot segments can only be sent as written over http://".to_owned()
    })?;
    let (authority, prefix) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let target = if prefix.is_empty() {
        path.to_owned()
    } else {
        format!("/{prefix}{path}")
    };
    let mut req = http::Request::builder()
        .method(method)
        .uri(target)
        .header("host", authority);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let payload = match body {
        Some((b, ct)) => {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                req = req.header("content-type", ct);
            }
            Bytes::from(b.to_owned())
        }
        None => Bytes::new(),
    };
    let req = req.body(Full::new(payload)).map_err(|e| e.to_string())?;
    let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let hs = res
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let bytes = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, hs, bytes))
}
