//! Requests the mock could not answer from the spec: routed nowhere (404/405), unreadable
//! (415, malformed bodies) or breaking the schemas (400/422), kept whole for
//! `GET /__cartwright/unmatched` (WireMock's `/__admin/requests/unmatched`), so a frontend
//! developer sees exactly what their code sent. Bounded: the newest [`CAPACITY`] requests,
//! each body cut at [`BODY_LIMIT`] bytes; credentials masked as in the journal.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use cartwright_model::Api;
use serde::Serialize;
use serde_json::Value;

use crate::Incoming;
use crate::journal::Verdict;

/// How many requests are kept.
pub(crate) const CAPACITY: usize = 100;

/// The most bytes of one body kept.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

/// One request the mock could not answer from the spec.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Unmatched {
    /// Milliseconds since the Unix epoch when it arrived.
    pub at_ms: u128,
    /// The method.
    pub method: String,
    /// The path and query, credential values masked.
    pub path: String,
    /// The operation it routed to, when it routed and then failed validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Why the spec could not answer it.
    pub validation: Verdict,
    /// The status sent.
    pub status: u16,
    /// The headers in arrival order, credential values masked.
    pub headers: Vec<(String, String)>,
    /// The body as text (credential members of a JSON body masked), cut at the limit.
    pub body: String,
    /// The body's size as sent, in bytes.
    pub body_bytes: usize,
    /// Whether the body was cut.
    pub truncated: bool,
}

/// Whether a verdict means the spec could not answer the request.
pub(crate) fn unmatched(v: Verdict) -> bool {
    matches!(
        v,
        Verdict::NotRouted | Verdict::Invalid | Verdict::Unreadable
    )
}

/// The request as it is kept: headers and body masked and bounded.
fn kept(req: &Incoming, apis: &[Arc<Api>]) -> (Vec<(String, String)>, String, bool) {
    let headers = req
        .headers
        .iter()
        .map(|(k, v)| {
            let value = if crate::mask::credential_header(k.as_str(), apis) {
                "***".to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (k.as_str().to_owned(), value)
        })
        .collect();
    let (body, truncated) = match serde_json::from_slice::<Value>(&req.body) {
        Ok(mut v) => {
            let sent = v.clone();
            crate::mask::json(&mut v);
            if v == sent {
                cut(&req.body)
            } else {
                cut(serde_json::to_string(&v).unwrap_or_default().as_bytes())
            }
        }
        Err(_) => cut(&req.body),
    };
    (headers, body, truncated)
}

/// At most [`BODY_LIMIT`] bytes of a body as text, and whether it was cut.
fn cut(bytes: &[u8]) -> (String, bool) {
    if bytes.len() <= BODY_LIMIT {
        return (String::from_utf8_lossy(bytes).into_owned(), false);
    }
    let mut text = String::from_utf8_lossy(&bytes[..BODY_LIMIT]).into_owned();
    text.push_str(&format!("…[truncated: {} bytes in all]", bytes.len()));
    (text, true)
}

/// The newest [`CAPACITY`] unmatched requests.
#[derive(Debug, Default)]
pub(crate) struct Ring {
    entries: Mutex<VecDeque<Unmatched>>,
}

impl Ring {
    /// Keeps a request answered `status` because of `validation`; `path` is as the journal
    /// shows it, `operation` the one it routed to.
    pub(crate) fn keep(
        &self,
        req: &Incoming,
        apis: &[Arc<Api>],
        path: &str,
        operation: Option<String>,
        validation: Verdict,
        status: http::StatusCode,
    ) {
        let (headers, body, truncated) = kept(req, apis);
        self.push(Unmatched {
            at_ms: crate::journal::now_ms(),
            method: req.method.to_string(),
            path: path.to_owned(),
            operation,
            validation,
            status: status.as_u16(),
            headers,
            body,
            body_bytes: req.body.len(),
            truncated,
        });
    }

    /// Keeps one, dropping the oldest beyond capacity.
    fn push(&self, u: Unmatched) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(u);
    }

    /// The newest `limit`, oldest first.
    pub(crate) fn recent(&self, limit: usize) -> Vec<Unmatched> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let skip = entries.len().saturating_sub(limit);
        entries.iter().skip(skip).cloned().collect()
    }

    /// Forgets them all.
    pub(crate) fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut_with_a_marker() {
        let (text, cut_) = cut(&vec![b'a'; BODY_LIMIT + 10]);
        assert!(cut_);
        assert!(text.ends_with(&format!("[truncated: {} bytes in all]", BODY_LIMIT + 10)));
        assert_eq!(cut(b"short"), ("short".to_owned(), false));
    }
}
