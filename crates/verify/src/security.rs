//! The storefront security checks, each named and selectable like the response checks, and
//! the one place that runs them:
//!
//! - `ignored_auth` ([`ignored_auth`]): a secured operation refuses a request without
//!   credentials, and one with mangled real credentials.
//! - `use_after_revoke` ([`use_after_revoke`]): a revoked or ended token no longer opens its
//!   session.
//! - `cross_session_isolation` ([`cross_session_isolation`]): one session's change is not
//!   seen by another.
//! - `path_encoding` ([`path_encoding`]): a hostile value stays inside its path segment.
//! - `correlation_id_echo` ([`correlation_id_echo`]): a declared correlation header comes
//!   back.
//! - `idempotent_retry` ([`idempotent_retry`]): a retried creation creates one thing.
//!
//! Tokens come from the spec's behaviours (`crate::sessions`), so the checks reach
//! authenticated operations; a token that cannot be obtained skips the checks needing it.

use cartwright_model::Operation;
use cartwright_outcome::Step;

use crate::checks::{
    correlation_id_echo, cross_session_isolation, idempotent_retry, ignored_auth, path_encoding,
    use_after_revoke,
};
use crate::probe::Probe;
use crate::sessions::session;

/// The steps of the security checks for `op`. Each check runs whatever another found.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let kinds = session::kinds(probe.api);
    let mut steps = ignored_auth::run(probe, op, &kinds).await;
    steps.extend(use_after_revoke::run(probe, op, &kinds).await);
    steps.extend(cross_session_isolation::run(probe, op, &kinds).await);
    steps.extend(path_encoding::run(probe, op).await);
    steps.extend(correlation_id_echo::run(probe, op).await);
    steps.extend(idempotent_retry::run(probe, op, &kinds).await);
    steps
}
