//! The storefront security checks, each named and selectable like the response checks:
//!
//! - `ignored_auth` ([`auth`]): a secured operation refuses a request without credentials,
//!   and one with mangled real credentials.
//! - `use_after_revoke` ([`revoke`]): a revoked or ended token no longer opens its session.
//! - `cross_session_isolation` ([`isolation`]): one session's change is not seen by another.
//! - `path_encoding` ([`paths`]): a hostile value stays inside its path segment.
//! - `correlation_id_echo` ([`correlation`]): a declared correlation header comes back.
//! - `idempotent_retry` ([`retry`]): a retried creation creates one thing.
//!
//! Tokens come from the spec's behaviours ([`session`], [`obtain`]), so the checks reach
//! authenticated operations; a token that cannot be obtained skips the checks needing it.
//! Multi-step failures are kept as scenarios that obtain fresh tokens ([`flow`]).

pub(crate) mod auth;
pub(crate) mod carry;
pub(crate) mod correlation;
pub(crate) mod documented;
pub(crate) mod flow;
pub(crate) mod fresh;
pub(crate) mod isolation;
pub(crate) mod json;
pub(crate) mod obtain;
pub(crate) mod otp;
pub(crate) mod paths;
pub(crate) mod retry;
pub(crate) mod revoke;
pub(crate) mod session;

use cartwright_model::Operation;
use cartwright_outcome::Step;

use crate::probe::Probe;

/// The steps of the security checks for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let kinds = session::kinds(probe.api);
    let mut steps = auth::run(probe, op, &kinds).await;
    steps.extend(revoke::run(probe, op, &kinds).await);
    steps.extend(isolation::run(probe, op, &kinds).await);
    steps.extend(paths::run(probe, op).await);
    steps.extend(correlation::run(probe, op).await);
    steps.extend(retry::run(probe, op, &kinds).await);
    steps
}
