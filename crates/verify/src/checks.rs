//! The named checks, one file each, and their names in one place ([`Check`]). Names are
//! stable: reports and `--checks` use them, and most are Schemathesis' own.
//!
//! The response checks judge one answer to one operation ([`run`]); the security checks
//! send requests of their own and are run by `crate::security::run`; `unsupported_method`
//! sends each path's undeclared methods.

mod content_type_conformance;
pub(crate) mod correlation_id_echo;
pub(crate) mod credential_kinds;
pub(crate) mod cross_session_isolation;
pub(crate) mod forged_credentials;
pub(crate) mod idempotent_retry;
pub(crate) mod ignored_auth;
mod kept;
mod not_a_server_error;
pub(crate) mod path_encoding;
mod response;
mod response_headers_conformance;
mod response_schema_conformance;
mod status_code_conformance;
pub(crate) mod token_expiry;
pub(crate) mod unsupported_method;
pub(crate) mod use_after_revoke;

pub(crate) use not_a_server_error::not_a_server_error;
pub use response::run;

/// A named check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// No answer is a server error (5xx).
    NotAServerError,
    /// Invalid data is refused (no 2xx).
    NegativeDataRejection,
    /// Valid data is accepted (not 400 or 422).
    PositiveDataAcceptance,
    /// The status is one the operation declares.
    StatusCodeConformance,
    /// The content type is one the answer's status declares.
    ContentTypeConformance,
    /// The headers the answer's status requires are there and fit their schemas.
    ResponseHeadersConformance,
    /// The body fits the answer's schema.
    ResponseSchemaConformance,
    /// Answers come within `--max-response-time`.
    MaxResponseTime,
    /// A secured operation refuses missing or mangled credentials.
    IgnoredAuth,
    /// A revoked token no longer opens its session.
    UseAfterRevoke,
    /// A forged JWT (changed signature, `alg: none`) or a random static key of the real
    /// one's shape does not open what the real credential opens.
    ForgedCredentials,
    /// A token of one kind (a refresh token) is not taken for another (an access token).
    TokenKindConfusion,
    /// A wrong one-time code, and one already exchanged, are refused.
    OneTimeCode,
    /// A token past its lifetime is refused, or renewed where the binding renews.
    TokenExpiry,
    /// One session does not see or change what another owns.
    CrossSessionIsolation,
    /// A hostile path value stays inside its segment.
    PathEncoding,
    /// A declared correlation header comes back.
    CorrelationIdEcho,
    /// A retried creation creates one thing.
    IdempotentRetry,
    /// A method the spec does not declare for a path gets 405 with `Allow`.
    UnsupportedMethod,
    /// What was created can be read back (run by the stateful walk).
    EnsureResourceAvailability,
    /// What was deleted can no longer be read (run by the stateful walk).
    UseAfterFree,
}

impl Check {
    /// The check's stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::NotAServerError => "not_a_server_error",
            Check::NegativeDataRejection => "negative_data_rejection",
            Check::PositiveDataAcceptance => "positive_data_acceptance",
            Check::StatusCodeConformance => "status_code_conformance",
            Check::ContentTypeConformance => "content_type_conformance",
            Check::ResponseHeadersConformance => "response_headers_conformance",
            Check::ResponseSchemaConformance => "response_schema_conformance",
            Check::MaxResponseTime => "max_response_time",
            Check::IgnoredAuth => "ignored_auth",
            Check::UseAfterRevoke => "use_after_revoke",
            Check::ForgedCredentials => "forged_credentials",
            Check::TokenKindConfusion => "token_kind_confusion",
            Check::OneTimeCode => "one_time_code",
            Check::TokenExpiry => "token_expiry",
            Check::CrossSessionIsolation => "cross_session_isolation",
            Check::PathEncoding => "path_encoding",
            Check::CorrelationIdEcho => "correlation_id_echo",
            Check::IdempotentRetry => "idempotent_retry",
            Check::UnsupportedMethod => "unsupported_method",
            Check::EnsureResourceAvailability => "ensure_resource_availability",
            Check::UseAfterFree => "use_after_free",
        }
    }

    /// The check of that name, among those `--checks` offers ([`ALL`]).
    pub fn parse(name: &str) -> Option<Check> {
        ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A report's check result carries the name as text.
impl From<Check> for String {
    fn from(c: Check) -> String {
        c.as_str().to_owned()
    }
}

/// Every check there is, in the order they run (`--checks all`).
pub const ALL: &[Check] = &[
    Check::NotAServerError,
    Check::NegativeDataRejection,
    Check::PositiveDataAcceptance,
    Check::StatusCodeConformance,
    Check::ContentTypeConformance,
    Check::ResponseHeadersConformance,
    Check::ResponseSchemaConformance,
    Check::MaxResponseTime,
    Check::IgnoredAuth,
    Check::UseAfterRevoke,
    Check::ForgedCredentials,
    Check::TokenKindConfusion,
    Check::OneTimeCode,
    Check::TokenExpiry,
    Check::CrossSessionIsolation,
    Check::PathEncoding,
    Check::CorrelationIdEcho,
    Check::IdempotentRetry,
    Check::EnsureResourceAvailability,
    Check::UseAfterFree,
    Check::UnsupportedMethod,
];

/// The checks run when none are named. `positive_data_acceptance` is left out, as in
/// Schemathesis: storefront APIs answer valid data with 400 for business reasons (an empty
/// selection, a country the store does not ship to, a wrong password), which the check
/// cannot tell from a validation refusal. `unsupported_method` is left out too: no spec
/// or seed says what an undeclared method gets, and real stores answer it 400 or 404 (a
/// framework's default), so by default it would report the server's choice as a defect;
/// `--checks all` runs it. `max_response_time` runs whenever a limit is set.
pub const DEFAULT: &[Check] = &[
    Check::NotAServerError,
    Check::NegativeDataRejection,
    Check::StatusCodeConformance,
    Check::ContentTypeConformance,
    Check::ResponseHeadersConformance,
    Check::ResponseSchemaConformance,
    Check::MaxResponseTime,
    Check::IgnoredAuth,
    Check::UseAfterRevoke,
    Check::ForgedCredentials,
    Check::TokenKindConfusion,
    Check::OneTimeCode,
    Check::TokenExpiry,
    Check::CrossSessionIsolation,
    Check::PathEncoding,
    Check::CorrelationIdEcho,
    Check::IdempotentRetry,
    Check::EnsureResourceAvailability,
    Check::UseAfterFree,
];

/// The checks `--checks` names: `all`, `default` (`None`), or names; an unknown name is
/// returned as the error.
pub fn select(names: &[String]) -> Result<Option<Vec<Check>>, String> {
    let mut out = Vec::new();
    for name in names.iter().filter(|n| *n != "all" && *n != "default") {
        out.push(Check::parse(name).ok_or_else(|| name.clone())?);
    }
    if names.iter().any(|n| n == "all") {
        Ok(Some(ALL.to_vec()))
    } else if names.iter().any(|n| n == "default") {
        Ok(None)
    } else {
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_selections_read_all_default_and_names() {
        for c in ALL {
            assert_eq!(Check::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Check::parse("not_a_check"), None);
        let s = |v: &[&str]| select(&v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>());
        assert_eq!(s(&["all"]), Ok(Some(ALL.to_vec())));
        assert_eq!(s(&["default"]), Ok(None));
        assert_eq!(s(&["path_encoding"]), Ok(Some(vec![Check::PathEncoding])));
        assert_eq!(s(&["path_encodin"]), Err("path_encodin".to_owned()));
        assert_eq!(s(&["all", "nope"]), Err("nope".to_owned()));
    }
}
