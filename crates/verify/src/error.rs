//! What stops verification before a request is sent, as a type callers can match on.

/// Why verification could not start.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// An `--auth` item that is not `NAME=VALUE`.
    #[error(
        "--auth `{0}`: expected NAME=VALUE (a security scheme of the spec, or bearer=, basic=, header=NAME:VALUE)"
    )]
    Auth(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}
