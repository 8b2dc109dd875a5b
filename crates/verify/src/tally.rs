//! The statuses seen per operation, counted as requests go out through the probe, and what
//! else the coverage report needs (sessions obtained, checks with nothing to probe).
//!
//! A request is counted against the operation its method and URL path route to (the
//! target and the spec's base path stripped first; the most literal template wins, as in
//! the mock), not against the phase that sent it: a phase that probes one operation with a
//! request another operation answers counts where the answer came from, and a phase added
//! later is counted with nothing to change here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use cartwright_model::{Api, Carrier, Lookup, Operation, Router, SchemeKind, Template};
use cartwright_outcome::coverage::{self, Coverage, Note, Unreached};

use crate::credentials::Credentials;

/// The key counted for a request that got no answer.
const NO_ANSWER: &str = "no answer";

/// Counts for one verification.
pub(crate) struct Tally {
    router: Router,
    counts: Mutex<Vec<BTreeMap<String, u32>>>,
    sessions: Mutex<BTreeSet<String>>,
    nothing: Mutex<Vec<Note>>,
}

impl Tally {
    /// An empty tally routing to `api`'s operations.
    pub(crate) fn new(api: &Api) -> Self {
        let mut router = Router::new();
        for (i, op) in api.operations.iter().enumerate() {
            // A template that does not parse was already reported when the spec loaded.
            if let Ok(t) = Template::parse(&op.path) {
                router.insert(&t, op.method, i);
            }
        }
        Tally {
            router,
            counts: Mutex::new(vec![BTreeMap::new(); api.operations.len()]),
            sessions: Mutex::new(BTreeSet::new()),
            nothing: Mutex::new(Vec::new()),
        }
    }

    /// Counts one request (`status`: `None` when no answer came).
    pub(crate) fn count(
        &self,
        api: &Api,
        target: &str,
        req: &cartwright_http::Request,
        status: Option<u16>,
    ) {
        let Some(i) = self.route(api, target, req) else {
            return;
        };
        let key = status.map_or_else(|| NO_ANSWER.to_owned(), |s| s.to_string());
        if let Ok(mut counts) = self.counts.lock()
            && let Some(c) = counts.get_mut(i)
        {
            *c.entry(key).or_default() += 1;
        }
    }

    /// The operation a request is for: its URL without the target, query and base path,
    /// routed with its method.
    fn route(&self, api: &Api, target: &str, req: &cartwright_http::Request) -> Option<usize> {
        let rest = req.url.strip_prefix(target)?;
        let path = rest.split(['?', '#']).next().unwrap_or(rest);
        let path = if path.is_empty() { "/" } else { path };
        let path = api.strip_base(path)?;
        match self.router.lookup(req.method, path) {
            Lookup::Found(m) => Some(m.operation),
            _ => None,
        }
    }

    /// Requests counted for operation `op` so far, and how many got a 2xx answer.
    pub(crate) fn sent(&self, api: &Api, op: &Operation) -> (u32, u32) {
        let Some(i) = api.operations.iter().position(|o| std::ptr::eq(o, op)) else {
            return (0, 0);
        };
        let counts = self.counts.lock().map(|c| c.get(i).cloned()).ok().flatten();
        let counts = counts.unwrap_or_default();
        let ok = counts
            .iter()
            .filter(|(k, _)| k.starts_with('2') && k.len() == 3)
            .map(|(_, n)| n)
            .sum();
        (counts.values().sum(), ok)
    }

    /// Records that a session of `kind` (a session kind or security scheme) was obtained.
    pub(crate) fn session(&self, kind: &str) {
        if let Ok(mut s) = self.sessions.lock() {
            s.insert(kind.to_owned());
        }
    }

    /// Records a check that found nothing to probe on the spec.
    pub(crate) fn nothing(&self, check: &str, why: String) {
        if let Ok(mut n) = self.nothing.lock()
            && !n.iter().any(|x| x.name == check && x.why == why)
        {
            n.push(Note {
                name: check.to_owned(),
                why,
            });
        }
    }

    /// The checks recorded as having found nothing to probe, and why.
    #[cfg(test)]
    pub(crate) fn unprobed(&self) -> Vec<(String, String)> {
        self.nothing
            .lock()
            .map(|n| n.iter().map(|x| (x.name.clone(), x.why.clone())).collect())
            .unwrap_or_default()
    }

    /// The coverage of `ops`, and the sessions the spec declares that none obtained.
    pub(crate) fn coverage(&self, api: &Api, ops: &[&Operation], creds: &Credentials) -> Coverage {
        let counts = self.counts.lock().map(|c| c.clone()).unwrap_or_default();
        let operations = ops
            .iter()
            .map(|op| {
                let statuses = api
                    .operations
                    .iter()
                    .position(|o| std::ptr::eq(o, *op))
                    .and_then(|i| counts.get(i).cloned())
                    .unwrap_or_default();
                let reached = statuses
                    .keys()
                    .any(|k| k.parse::<u16>().is_ok_and(|s| (200..300).contains(&s)));
                coverage::Operation {
                    id: op.id.clone(),
                    signature: op.signature(),
                    reached,
                    reason: (!reached).then(|| Unreached::of(&statuses)),
                    statuses,
                }
            })
            .collect();
        Coverage {
            operations,
            sessions_missing: self.missing(api, creds),
            nothing_to_probe: self.nothing.lock().map(|n| n.clone()).unwrap_or_default(),
        }
    }

    /// The session kinds of `x-cartwright` and the bearer and API-key schemes that neither
    /// the walk obtained nor `--auth` gave.
    fn missing(&self, api: &Api, creds: &Credentials) -> Vec<Note> {
        let got = self.sessions.lock().map(|s| s.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for kind in &api.behaviours.sessions {
            if !got.contains(&kind.name) {
                out.push(Note {
                    name: kind.name.clone(),
                    why: format!(
                        "the walk obtained no `{}` session, so operations on one ran without it",
                        kind.name
                    ),
                });
            }
        }
        for (name, scheme) in &api.security_schemes {
            let token = matches!(
                scheme.kind,
                SchemeKind::Bearer
                    | SchemeKind::ApiKeyHeader(_)
                    | SchemeKind::ApiKeyQuery(_)
                    | SchemeKind::ApiKeyCookie(_)
            );
            // A session kind obtained by the walk that travels where the scheme says is that
            // scheme's token too (Centra's selection token in the `API-token` header).
            let carried = api
                .behaviours
                .sessions
                .iter()
                .filter(|k| got.contains(&k.name))
                .flat_map(|k| &k.carriers)
                .any(|c| carries(c, &scheme.kind));
            if token && !got.contains(name) && !carried && !creds.has(api, name) {
                out.push(Note {
                    name: name.clone(),
                    why: format!(
                        "no --auth value for the `{name}` scheme, so secured requests carried a placeholder"
                    ),
                });
            }
        }
        out
    }
}

/// Whether a session token carried by `c` is what the scheme `kind` asks for.
fn carries(c: &Carrier, kind: &SchemeKind) -> bool {
    match (c, kind) {
        (Carrier::Bearer, SchemeKind::Bearer) => true,
        (Carrier::Header(h), SchemeKind::ApiKeyHeader(n))
        | (Carrier::Cookie(h), SchemeKind::ApiKeyCookie(n)) => h.eq_ignore_ascii_case(n),
        (Carrier::Query(q), SchemeKind::ApiKeyQuery(n)) => q == n,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_http::{Method, Request};

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: /api}]
paths:
  /products/{id}:
    get:
      operationId: product
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /products/featured:
    get: {operationId: featured, responses: {"200": {description: ok}}}
"#;

    #[test]
    fn requests_count_against_the_most_literal_route_after_the_base_path() {
        let api = cartwright_spec::load_str(
            "t.yaml",
            SPEC,
            &cartwright_spec::LoadOptions::default(),
            &mut cartwright_diag::Sources::new(),
        )
        .expect("loads")
        .api;
        let tally = Tally::new(&api);
        let target = "http://127.0.0.1:1";
        let get = |path: &str| Request::new(Method::Get, format!("{target}{path}"));
        tally.count(&api, target, &get("/api/products/featured?x=1"), Some(200));
        tally.count(&api, target, &get("/api/products/7"), Some(404));
        tally.count(&api, target, &get("/api/products/7"), None);
        // Not under the base path, and not under the target: counted nowhere.
        tally.count(&api, target, &get("/products/7"), Some(200));
        tally.count(&api, "http://elsewhere", &get("/api/products/7"), Some(200));
        let ops: Vec<&Operation> = api.operations.iter().collect();
        let c = tally.coverage(&api, &ops, &Credentials::default());
        let by = |id: &str| c.operations.iter().find(|o| o.id == id).expect("op");
        assert!(by("featured").reached);
        let product = by("product");
        assert!(!product.reached);
        assert_eq!(product.statuses.get("404"), Some(&1));
        assert_eq!(product.statuses.get("no answer"), Some(&1));
        assert_eq!(product.reason, Some(Unreached::Ids));
    }
}
