//! GraphQL mock configuration: everything has a default, so `cartwright mock schema.graphql`
//! needs none.

use crate::cache::CacheLimits;

/// Settings of a GraphQL mock.
#[derive(Clone)]
pub struct Config {
    /// Seed for generated values and minted tokens: the same seed gives the same answers.
    pub seed: u64,
    /// Secret values by name: the tokens (`storefront_session`, `storefront_no_session`) and
    /// the shared secret (`shared`). Never logged or shown.
    pub secrets: Vec<(String, String)>,
    /// The correlation header echoed on every response (and sent as `extensions.traceId`).
    pub correlation_header: String,
    /// Largest accepted request body in bytes.
    pub body_limit: usize,
    /// Log one line per request.
    pub log_requests: bool,
    /// Where those lines go (`tracing` unless a sink is given).
    pub request_log: cartwright_mock::RequestLog,
    /// Deepest accepted selection nesting (a full introspection query needs about 13).
    pub max_depth: usize,
    /// Largest accepted query complexity (one per selected field).
    pub max_complexity: usize,
    /// Allowed browser origins (`--allow-origin`); `None` means origins are not checked. A
    /// request from another origin gets 401, as the REST mock answers it.
    pub allow_origins: Option<Vec<String>>,
    /// Who may call the admin API and open GraphiQL: the admin token and the names of the
    /// bound address, as the REST mock has them.
    pub admin: cartwright_mock::AdminAccess,
    /// Timeouts and the cap on open connections (the REST mock's).
    pub connections: cartwright_mock::Limits,
    /// How many query answers are kept to be served again while the state is unchanged.
    pub answer_cache: CacheLimits,
}

impl Config {
    /// Whether a browser at `origin` may call: always, when no allow-list is configured.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.allow_origins.as_ref().is_none_or(|list| {
            list.iter()
                .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
        })
    }
}

impl Config {
    /// The value of a configured secret.
    pub fn secret(&self, name: &str) -> Option<&str> {
        self.secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 0,
            secrets: Vec::new(),
            correlation_header: "x-correlation-id".to_owned(),
            body_limit: 1024 * 1024,
            log_requests: true,
            request_log: cartwright_mock::RequestLog::default(),
            max_depth: 32,
            max_complexity: 5_000,
            allow_origins: None,
            admin: cartwright_mock::AdminAccess::default(),
            connections: cartwright_mock::Limits::default(),
            answer_cache: CacheLimits::default(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secret values stay out of every debug print.
        let names: Vec<&str> = self.secrets.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Config")
            .field("seed", &self.seed)
            .field("secrets", &names)
            .field("correlation_header", &self.correlation_header)
            .field("body_limit", &self.body_limit)
            .field("max_depth", &self.max_depth)
            .field("max_complexity", &self.max_complexity)
            .field("allow_origins", &self.allow_origins)
            .field("admin", &self.admin)
            .field("connections", &self.connections)
            .field("answer_cache", &self.answer_cache)
            .finish_non_exhaustive()
    }
}
