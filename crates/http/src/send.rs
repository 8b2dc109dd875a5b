//! Sending a [`Request`] and reading the whole [`Answer`], up to a bound on the body so a
//! target streaming without end cannot fill memory. The URL goes out as written:
//! when reqwest's URL parser would change it (resolve `..`, re-encode), the request is sent
//! byte for byte over hyper instead, so the raw form of attack payloads is kept.

use std::time::Instant;

use crate::answer::headers;
use crate::{Answer, Error, Request};

/// The body read by [`send`]: 10 MB, far above any API answer, far below a memory problem.
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// Sends `req` with `client` (or as written, see the module doc) and reads the answer, whose
/// body may be up to [`MAX_BODY`] bytes.
pub async fn send(client: &reqwest::Client, req: &Request) -> Result<Answer, Error> {
    send_bounded(client, req, MAX_BODY).await
}

/// As [`send`], with a body over `max_body` bytes an [`Error::TooLarge`].
pub async fn send_bounded(
    client: &reqwest::Client,
    req: &Request,
    max_body: usize,
) -> Result<Answer, Error> {
    let parsed = reqwest::Url::parse(&req.url).map_err(|e| Error::InvalidUrl {
        url: req.url.clone(),
        reason: e.to_string(),
    })?;
    if !parsed.as_str().ends_with(req.target()) {
        return crate::raw::send(req, max_body).await;
    }
    let built = req.to_reqwest(client)?;
    let start = Instant::now();
    let mut res = client
        .execute(built)
        .await
        .map_err(|e| Error::sending(&e, &req.url))?;
    let status = res.status().as_u16();
    let hs = headers(res.headers());
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|e| Error::transport(&e))? {
        take(&mut body, &chunk, max_body)?;
    }
    Ok(Answer::new(status, hs, body, start.elapsed()))
}

/// Appends `chunk` to `body` unless that takes it over `max` bytes.
pub(crate) fn take(body: &mut Vec<u8>, chunk: &[u8], max: usize) -> Result<(), Error> {
    if body.len().saturating_add(chunk.len()) > max {
        return Err(Error::TooLarge { limit: max });
    }
    body.extend_from_slice(chunk);
    Ok(())
}

impl Request {
    /// The reqwest request, URL parsed (and so normalised) by reqwest: for callers that
    /// drive a client themselves. [`send`] keeps the path as written instead.
    pub fn to_reqwest(&self, client: &reqwest::Client) -> Result<reqwest::Request, Error> {
        let method = http::Method::from_bytes(self.method.as_str().as_bytes())
            .map_err(|e| Error::transport(&e))?;
        let mut builder = client.request(method, self.url.as_str());
        for (k, v) in self.wire_headers() {
            builder = builder.header(k, v);
        }
        if let Some(b) = &self.body {
            builder = builder.body(b.bytes.clone());
        }
        builder.build().map_err(|e| Error::transport(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_read_up_to_the_bound_and_no_further() {
        let mut body = Vec::new();
        assert!(take(&mut body, b"12345", 8).is_ok());
        assert!(take(&mut body, b"678", 8).is_ok());
        let over = take(&mut body, b"9", 8).expect_err("over the bound");
        assert!(matches!(over, Error::TooLarge { limit: 8 }));
        assert_eq!(body, b"12345678");
    }
}
