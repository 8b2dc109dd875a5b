//! What stops verification before a request is sent, as a type callers can match on.

/// Why verification could not start.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// An `--auth` item that is not `NAME=VALUE`.
    #[error(
        "--auth `{0}`: expected NAME=VALUE (a security scheme of the spec, or bearer=, basic=, header=NAME:VALUE)"
    )]
    Auth(String),
    /// An `--auth` item that places nothing on any request.
    #[error("--auth `{item}=…`: {why}; nothing given is dropped, so remove it or correct it")]
    AuthUnused {
        /// The item's key (its value may be a secret).
        item: String,
        /// Why it places nothing.
        why: String,
    },
    /// A `-H` value that is not `Name: value`.
    #[error("-H `{0}`: expected `Name: value` (a header name, a colon, the value on one line)")]
    Header(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}
