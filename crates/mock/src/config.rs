//! Mock configuration: everything has a default, so `cartwright mock spec.yaml` needs none.

/// How validation and routing errors are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorStyle {
    /// RFC 7807 `application/problem+json`, listing every violation.
    #[default]
    Problem,
    /// The API's own declared error shape (e.g. an `errorCode` envelope), where it declares one.
    Api,
}

/// Settings of a mock instance.
#[derive(Clone)]
pub struct Config {
    /// Seed for generated values; the same seed gives the same bodies.
    pub seed: u64,
    /// Allowed browser origins; `None` means origins are not checked.
    pub allow_origins: Option<Vec<String>>,
    /// The correlation header echoed on every response.
    pub correlation_header: String,
    /// Largest accepted request body in bytes (413 above).
    pub body_limit: usize,
    /// Deepest accepted JSON nesting (400 above).
    pub depth_limit: usize,
    /// How errors are rendered.
    pub error_style: ErrorStyle,
    /// How many requests the journal keeps.
    pub journal_size: usize,
    /// Log one line per request.
    pub log_requests: bool,
    /// Where those lines go (`tracing` unless a sink is given).
    pub request_log: crate::RequestLog,
    /// Secret values by name (shared secrets, signing keys); never logged or shown.
    pub secrets: Vec<(String, String)>,
    /// A fixed one-time code for local development instead of random ones.
    pub otp_code: Option<String>,
    /// Answer from the spec alone, keeping no state for inferred resources (Prism-like).
    pub stateless: bool,
    /// The only credentials a security scheme accepts, by scheme name (`--auth oauth=TOKEN`;
    /// basic as `user:password`). A scheme not listed accepts every well-formed credential,
    /// since a spec says how credentials look, not which are valid. Never logged or shown.
    pub credentials: Vec<(String, String)>,
    /// Who may call the admin API (`/__cartwright/*`): its token and the names of the
    /// bound address.
    pub admin: crate::AdminAccess,
    /// Timeouts and the cap on open connections.
    pub connections: crate::Limits,
    /// Forward requests to a real server and check both directions (`--proxy URL`);
    /// `None` answers everything from the spec.
    pub proxy: Option<crate::Proxy>,
    /// The longest delay a client may ask for with `Prefer: delay=MS`, so no client holds
    /// a connection open for ever.
    pub max_delay: std::time::Duration,
    /// The delay of every answer (`--latency`), over what operations declare.
    pub latency: Option<cartwright_model::Latency>,
    /// Delay answers as the spec's `x-cartwright-latency: {documented: …}` says the real
    /// API takes (`--latency documented`); operations that document none answer at once.
    pub documented_latency: bool,
    /// Dribble every body (`--dribble CHUNKS/DURATION`), over what operations declare.
    pub dribble: Option<crate::Dribble>,
    /// The share of answers replaced by a declared error answer (`--chaos 5%`), over what
    /// operations declare.
    pub chaos: Option<f64>,
    /// Seed of the chaos draws (`--chaos-seed`); the value seed when unset.
    pub chaos_seed: Option<u64>,
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
            allow_origins: None,
            correlation_header: "x-correlation-id".to_owned(),
            body_limit: 1024 * 1024,
            depth_limit: 64,
            error_style: ErrorStyle::Problem,
            journal_size: 1000,
            log_requests: true,
            request_log: crate::RequestLog::default(),
            secrets: Vec::new(),
            otp_code: None,
            stateless: false,
            credentials: Vec::new(),
            admin: crate::AdminAccess::default(),
            connections: crate::Limits::default(),
            proxy: None,
            max_delay: std::time::Duration::from_secs(60),
            latency: None,
            documented_latency: false,
            dribble: None,
            chaos: None,
            chaos_seed: None,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secret values stay out of every debug print.
        let names: Vec<&str> = self.secrets.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Config")
            .field("seed", &self.seed)
            .field("allow_origins", &self.allow_origins)
            .field("correlation_header", &self.correlation_header)
            .field("body_limit", &self.body_limit)
            .field("error_style", &self.error_style)
            .field("secrets", &names)
            .field("otp_code", &self.otp_code.as_ref().map(|_| "(set)"))
            .field("stateless", &self.stateless)
            .field("connections", &self.connections)
            .field(
                "credentials",
                &self.credentials.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("admin", &self.admin)
            .field("max_delay", &self.max_delay)
            .field("latency", &self.latency)
            .field("documented_latency", &self.documented_latency)
            .field("dribble", &self.dribble)
            .field("chaos", &self.chaos)
            .finish_non_exhaustive()
    }
}
