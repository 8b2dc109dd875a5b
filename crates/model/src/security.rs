//! Security schemes and requirements, as declared; checking them is the mock's job.

/// Where an API key travels, or which HTTP scheme is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: apiKey` in a header.
    ApiKeyHeader(String),
    /// `type: apiKey` in the query string.
    ApiKeyQuery(String),
    /// `type: apiKey` in a cookie.
    ApiKeyCookie(String),
    /// `type: http, scheme: bearer`; also oauth2 and openIdConnect, whose tokens travel as bearer.
    Bearer,
    /// `type: http, scheme: basic`.
    Basic,
    /// Any other `http` scheme (digest, ...): only the `Authorization` header's presence is checked.
    OtherHttp(String),
    /// `mutualTLS` and unknown types: not checkable over plain HTTP, so always satisfied.
    Unchecked,
}

/// A declared security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// How credentials are carried.
    pub kind: SchemeKind,
}

impl SecurityScheme {
    /// The `WWW-Authenticate` challenge to send when this scheme's credentials are missing.
    pub fn challenge(&self, realm: &str) -> String {
        match &self.kind {
            SchemeKind::Basic => format!("Basic realm=\"{realm}\""),
            SchemeKind::OtherHttp(s) => format!("{s} realm=\"{realm}\""),
            SchemeKind::ApiKeyHeader(n)
            | SchemeKind::ApiKeyQuery(n)
            | SchemeKind::ApiKeyCookie(n) => {
                format!("ApiKey realm=\"{realm}\", name=\"{n}\"")
            }
            SchemeKind::Bearer | SchemeKind::Unchecked => format!("Bearer realm=\"{realm}\""),
        }
    }
}

/// One alternative of an operation's `security` list: every named scheme must be satisfied (AND).
/// An empty requirement (`{}`) is anonymous access.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Requirement {
    /// Scheme names with their scopes.
    pub schemes: Vec<(String, Vec<String>)>,
}
