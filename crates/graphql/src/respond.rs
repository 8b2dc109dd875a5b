//! A request's answer as the bytes the server sends: a query answered before in the current
//! state generation is served from the [answer cache](crate::cache); anything else runs, and
//! an operation that may change state starts a new generation once it has run.
//!
//! The bytes are exactly what [`GraphqlMock::execute`] gives written as JSON: a kept answer
//! is its body without `extensions` (`{"data":...}`), and `extensions` (`token`, `traceId`)
//! is written after it for each request, last, as the uncached answer has it.

use async_graphql::parser::types::OperationType;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::Value as Json;

use crate::GraphqlMock;
use crate::cache::Key;
use crate::engine::{body, session_token};
use crate::request::operation_type;

impl GraphqlMock {
    /// Answers one request: its status and body bytes; `trace_id` goes into
    /// `extensions.traceId`.
    pub(crate) async fn respond(
        &self,
        headers: &HeaderMap,
        mut request: async_graphql::Request,
        trace_id: &str,
    ) -> (StatusCode, Bytes) {
        let cache = self.cache();
        // Read before any state the answer is made from: a change after this makes the
        // answer unusable, however late it is kept.
        let generation = cache.generation();
        let access = self.authenticate(headers);
        let token = session_token(&access).map(str::to_owned);
        let token = token.as_deref();
        let variables = (cache.enabled() && access.cacheable())
            .then(|| serde_json::to_string(&request.variables).ok())
            .flatten();
        if let Some(variables) = &variables {
            let key = Key {
                query: &request.query,
                operation: request.operation_name.as_deref(),
                variables,
                access: &access,
            };
            if let Some(kept) = cache.get(&key) {
                return (StatusCode::OK, with_extensions(&kept, token, trace_id));
            }
        }
        let kind = operation_type(&mut request);
        // The text is kept only for a query that may be cached: the request goes to the run.
        let keep = variables
            .filter(|_| kind == Some(OperationType::Query))
            .map(|v| (request.query.clone(), request.operation_name.clone(), v));
        let (status, response) = self.run(access.clone(), request).await;
        if kind.is_some_and(|k| k != OperationType::Query) {
            cache.invalidate();
        }
        let clean = status == StatusCode::OK
            && response.errors.is_empty()
            && response.extensions.is_empty();
        if clean && let Some((query, operation, variables)) = keep {
            let data = serde_json::to_value(&response).map(|v| Bytes::from(v.to_string()));
            if let Ok(data) = data
                && data.ends_with(b"}")
            {
                let key = Key {
                    query: &query,
                    operation: operation.as_deref(),
                    variables: &variables,
                    access: &access,
                };
                cache.put(generation, &key, data.clone());
                return (status, with_extensions(&data, token, trace_id));
            }
        }
        let body = body(&response, token, trace_id);
        (status, Bytes::from(body.to_string()))
    }
}

/// A kept body (`{"data":...}`, a JSON object ending in `}`) with `extensions` written last:
/// the bytes [`body`] gives the same answer when it has no `extensions` of its own.
fn with_extensions(kept: &[u8], token: Option<&str>, trace_id: &str) -> Bytes {
    let mut ext = serde_json::Map::new();
    if let Some(token) = token {
        ext.insert("token".to_owned(), Json::from(token));
    }
    ext.insert("traceId".to_owned(), Json::from(trace_id));
    let ext = Json::Object(ext).to_string();
    let open = &kept[..kept.len().saturating_sub(1)];
    let mut out = Vec::with_capacity(kept.len() + ext.len() + 16);
    out.extend_from_slice(open);
    if open.len() > 1 {
        out.push(b',');
    }
    out.extend_from_slice(b"\"extensions\":");
    out.extend_from_slice(ext.as_bytes());
    out.push(b'}');
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_written_as_the_uncached_body_has_them() {
        let response = async_graphql::Response::new(
            async_graphql::Value::from_json(serde_json::json!({"a": [1, 2.5, "x\"y"], "b": null}))
                .expect("a value"),
        );
        for token in [None, Some("tok\"en")] {
            let whole = body(&response, token, "trace-1").to_string();
            let kept = serde_json::to_value(&response).expect("json").to_string();
            let spliced = with_extensions(kept.as_bytes(), token, "trace-1");
            assert_eq!(std::str::from_utf8(&spliced), Ok(whole.as_str()));
        }
    }
}
