//! Sending a [`Request`] and reading the whole [`Answer`]. The URL goes out as written:
//! when reqwest's URL parser would change it (resolve `..`, re-encode), the request is sent
//! byte for byte over hyper instead, so the raw form of attack payloads is kept.

use std::time::Instant;

use crate::answer::headers;
use crate::{Answer, Error, Request};

/// Sends `req` with `client` (or as written, see the module doc) and reads the answer.
pub async fn send(client: &reqwest::Client, req: &Request) -> Result<Answer, Error> {
    let parsed = reqwest::Url::parse(&req.url).map_err(|e| Error::InvalidUrl {
        url: req.url.clone(),
        reason: e.to_string(),
    })?;
    if !parsed.as_str().ends_with(req.target()) {
        return crate::raw::send(req).await;
    }
    let built = req.to_reqwest(client)?;
    let start = Instant::now();
    let res = client
        .execute(built)
        .await
        .map_err(|e| Error::transport(&e))?;
    let status = res.status().as_u16();
    let hs = headers(res.headers());
    let bytes = res.bytes().await.map_err(|e| Error::transport(&e))?;
    Ok(Answer::new(status, hs, bytes.to_vec(), start.elapsed()))
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
