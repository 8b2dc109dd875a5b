//! Proxy mode (`--proxy URL`): every request is routed and checked against the spec as the
//! mock checks it, then forwarded to a real server; the real answer is judged against the
//! operation's declared responses and returned as it came. What breaks the contract, in
//! either direction, is listed in a `Cartwright-Violations` header and in the journal
//! (Prism's `sl-violations`). With `--proxy-only` / `--mock-only` some operations stay
//! mocked, state included (Counterfact's hybrid); with `--record DIR` the answers that keep
//! the contract become named examples in an OpenAPI Overlay (WireMock's recorder, but the
//! recording is part of the spec rather than a pile of stub files).

mod check;
mod forward;
mod header;
mod overlay;
mod record;
mod redact;

use std::sync::Arc;
use std::time::{Duration, Instant};

use cartwright_model::Api;
use serde::Serialize;

use crate::note::Note;
use crate::{Incoming, Mock, Outgoing, admin, cors};

pub use record::{RECORDING, Recorder};

/// The response header that lists contract violations of a proxied exchange.
pub const VIOLATIONS_HEADER: &str = "cartwright-violations";

/// Which operations go to the real server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Hybrid {
    /// Every request (`--proxy` alone).
    #[default]
    All,
    /// Only these operation ids; the rest are mocked (`--proxy-only`).
    Only(Vec<String>),
    /// Every operation but these ids, which are mocked (`--mock-only`).
    Except(Vec<String>),
}

impl Hybrid {
    /// Whether a request routed to `operation` (`None`: routed nowhere) goes upstream. A
    /// request in no operation follows the default side: upstream unless only named
    /// operations are.
    fn forwards(&self, operation: Option<&str>) -> bool {
        match (self, operation) {
            (Hybrid::All, _) | (Hybrid::Except(_), None) => true,
            (Hybrid::Only(_), None) => false,
            (Hybrid::Only(ids), Some(op)) => ids.iter().any(|i| i == op),
            (Hybrid::Except(ids), Some(op)) => !ids.iter().any(|i| i == op),
        }
    }
}

/// The proxy settings of a mock.
#[derive(Debug, Clone)]
pub struct Proxy {
    /// The real server's base URL, without a trailing `/`; request paths are appended.
    pub upstream: String,
    /// Refuse a request that breaks the contract with the mock's own 4xx instead of
    /// forwarding it (`--proxy-strict`).
    pub strict: bool,
    /// Which operations are forwarded.
    pub hybrid: Hybrid,
    /// How long the real server may take to answer whole (504 past it).
    pub timeout: Duration,
    /// The largest answer read from the real server (502 above it).
    pub max_body: usize,
    /// Where conforming answers are recorded as examples (`--record DIR`).
    pub record: Option<Arc<Recorder>>,
    client: reqwest::Client,
}

impl Proxy {
    /// Proxy settings for `upstream` (an `http://` or `https://` URL): every request
    /// forwarded, 30 s to answer, answers up to [`cartwright_http::MAX_BODY`].
    pub fn new(upstream: &str) -> Result<Proxy, String> {
        let rest = upstream
            .strip_prefix("http://")
            .or_else(|| upstream.strip_prefix("https://"))
            .ok_or_else(|| format!("`{upstream}` is not an http:// or https:// URL"))?;
        if rest.is_empty() || rest.starts_with(['/', ':']) || upstream.contains(['?', '#']) {
            return Err(format!(
                "`{upstream}` is not a base URL (a host, an optional port and path)"
            ));
        }
        // Redirects go back to the client as they came; the environment's proxy settings
        // do not apply to the one server named here.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Proxy {
            upstream: upstream.trim_end_matches('/').to_owned(),
            strict: false,
            hybrid: Hybrid::All,
            timeout: Duration::from_secs(30),
            max_body: cartwright_http::MAX_BODY,
            record: None,
            client,
        })
    }
}

/// What the journal keeps of a request the proxy saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Proxied {
    /// Whether it went to the real server (`false`: refused by `--proxy-strict`).
    pub forwarded: bool,
    /// Every contract violation, `request: …` then `response: …`.
    pub violations: Vec<String>,
    /// Why no answer came from the real server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream_error: Option<String>,
    /// The name the answer was recorded under (`recorded-1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
    /// Why the answer was not recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_recorded: Option<String>,
}

/// Operation ids that no loaded API declares, as one message naming the closest ids; `Ok`
/// when every id is known.
pub fn unknown_operations(apis: &[Api], ids: &[String]) -> Result<(), String> {
    let known: Vec<&str> = apis
        .iter()
        .flat_map(|a| a.operations.iter().map(|o| o.id.as_str()))
        .collect();
    let lines: Vec<String> = ids
        .iter()
        .filter(|id| !known.contains(&id.as_str()))
        .map(|id| {
            let mut close: Vec<(f64, &str)> = known
                .iter()
                .map(|k| (strsim::jaro_winkler(id, k), *k))
                .filter(|(s, _)| *s > 0.7)
                .collect();
            close.sort_by(|a, b| b.0.total_cmp(&a.0));
            let names: Vec<&str> = close.iter().take(3).map(|(_, k)| *k).collect();
            if names.is_empty() {
                format!("no operation `{id}` in the specs")
            } else {
                format!(
                    "no operation `{id}` in the specs (did you mean {}?)",
                    names.join(", ")
                )
            }
        })
        .collect();
    if lines.is_empty() {
        Ok(())
    } else {
        Err(lines.join("\n"))
    }
}

impl Mock {
    /// Answers one buffered request: from the spec, or in proxy mode from the real server
    /// with both directions checked. The server calls this; [`Mock::handle`] is the mock
    /// alone, for tests that drive it in process.
    pub async fn answer(&self, req: Incoming) -> Outgoing {
        let Some(proxy) = &self.config().proxy else {
            return self.handle(req);
        };
        // The admin API and preflights are the mock's own, never the real server's; a method
        // no OpenAPI operation can have gets the mock's 405 or 404.
        if admin::is_admin(&req.path)
            || cors::preflight(self, &req).is_some()
            || cartwright_model::Method::parse(req.method.as_str()).is_none()
        {
            return self.handle(req);
        }
        let start = Instant::now();
        let checked = check::request(self, &req);
        if !proxy.hybrid.forwards(checked.operation.as_deref()) {
            return self.handle(req);
        }
        let mut note = Note {
            operation: checked.operation.clone(),
            validation: checked.verdict,
            violations: checked.violations.len(),
            shown: crate::note::Shown::Masked(checked.shown.clone()),
            ..Note::default()
        };
        // A credential the request carried stays out of the header and the journal.
        let api = checked.route.as_ref().map(|(api, _)| api.as_ref());
        let secrets = redact::secrets(self.config(), api, &req, None);
        let mut proxied = Proxied {
            violations: checked
                .violations
                .iter()
                .map(|v| redact::mask_line(v, &secrets))
                .collect(),
            ..Proxied::default()
        };
        if checked.refused || (proxy.strict && !checked.violations.is_empty()) {
            // The mock's own refusal: it runs nothing for a request that fails its checks.
            let mut refusal = Note::default();
            let mut out = self.dispatch(&req, &mut refusal);
            refusal.proxy = Some(proxied);
            if let Some(p) = &refusal.proxy {
                header::set_violations(&mut out, &p.violations);
            }
            return self.finish(req, out, refusal, start);
        }
        proxied.forwarded = true;
        let mut out = match forward::send(proxy, &req).await {
            Ok(answer) => {
                if let Some((api, index)) = &checked.route {
                    let op = &api.operations[*index];
                    let judged = cartwright_http::judge(op, &answer);
                    proxied.violations.extend(
                        judged
                            .findings
                            .iter()
                            .map(|f| format!("response: {}", check::finding(f))),
                    );
                    if let Some(recorder) = &proxy.record {
                        let verdict = record::keep(recorder, self, api, op, &req, &answer, &judged);
                        match verdict.await {
                            Ok(name) => proxied.recorded = name,
                            Err(why) => {
                                proxied.not_recorded = Some(redact::mask_line(&why, &secrets))
                            }
                        }
                    }
                }
                forward::outgoing(&answer, req.method == http::Method::HEAD)
            }
            Err(problem) => {
                proxied.upstream_error = Some(problem.detail.clone());
                let config = self.config();
                problem.render(config.error_style, None, None, config.seed)
            }
        };
        for line in &mut proxied.violations {
            *line = redact::mask_line(line, &secrets);
        }
        header::set_violations(&mut out, &proxied.violations);
        note.violations = proxied.violations.len();
        note.proxy = Some(proxied);
        self.finish(req, out, note, start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hybrid_sides() {
        let only = Hybrid::Only(vec!["getProduct".into()]);
        assert!(only.forwards(Some("getProduct")));
        assert!(!only.forwards(Some("addItem")));
        assert!(!only.forwards(None));
        let except = Hybrid::Except(vec!["addItem".into()]);
        assert!(!except.forwards(Some("addItem")));
        assert!(except.forwards(Some("getProduct")));
        assert!(except.forwards(None));
    }
}
