//! `not_a_server_error`: no answer, to any request valid or not, is a server error.

use cartwright_outcome::Check;

use super::Check as Name;

/// The check for an answer with `status`.
pub(crate) fn not_a_server_error(status: u16) -> Check {
    if status >= 500 {
        Check::fail(
            Name::NotAServerError,
            "a status below 500",
            status.to_string(),
        )
    } else {
        Check::pass(Name::NotAServerError)
    }
}
