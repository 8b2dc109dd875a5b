//! Sending a path exactly as written. URL parsers (reqwest's included) resolve `..` and
//! `%2e%2e` segments before sending, which would turn a path-traversal test into a request
//! for another route made by the client itself. Such a request is therefore sent over a
//! plain HTTP/1.1 connection with hyper, byte for byte.

use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::answer::headers;
use crate::{Answer, Error, Request};

/// Sends one request to an `http://` URL without touching its path.
pub(crate) async fn send(req: &Request, max_body: usize) -> Result<Answer, Error> {
    let rest = req.url.strip_prefix("http://").ok_or(Error::RawNeedsHttp)?;
    let authority = rest.find(['/', '?']).map_or(rest, |i| &rest[..i]);
    let start = Instant::now();
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::ConnectionRefused => Error::Refused(authority.to_owned()),
            _ => Error::Connect {
                authority: authority.to_owned(),
                source,
            },
        })?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| Error::transport(&e))?;
    tokio::spawn(conn);
    let mut builder = http::Request::builder()
        .method(req.method.as_str())
        .uri(req.target())
        .header("host", authority);
    for (k, v) in req.wire_headers() {
        builder = builder.header(k, v);
    }
    let payload = req
        .body
        .as_ref()
        .map_or_else(Bytes::new, |b| Bytes::from(b.bytes.clone()));
    let request = builder
        .body(Full::new(payload))
        .map_err(|e| Error::transport(&e))?;
    let res = sender
        .send_request(request)
        .await
        .map_err(|e| Error::transport(&e))?;
    let status = res.status().as_u16();
    let hs = headers(res.headers());
    let mut incoming = res.into_body();
    let mut body = Vec::new();
    while let Some(frame) = incoming.frame().await {
        let frame = frame.map_err(|e| Error::transport(&e))?;
        if let Some(chunk) = frame.data_ref() {
            crate::send::take(&mut body, chunk, max_body)?;
        }
    }
    Ok(Answer::new(status, hs, body, start.elapsed()))
}
