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

pub mod auth;
pub mod carry;
pub mod correlation;
pub mod documented;
pub mod flow;
pub mod fresh;
pub mod isolation;
pub mod json;
pub mod obtain;
pub mod otp;
pub mod paths;
pub mod retry;
pub mod revoke;
pub mod session;

use cartwright_model::Operation;
use cartwright_outcome::Step;

use crate::probe::Probe;

/// The steps of the security checks for `op`.
pub async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let kinds = session::kinds(probe.api);
    let mut steps = auth::run(probe, op, &kinds).await;
    steps.extend(revoke::run(probe, op, &kinds).await);
    steps.extend(isolation::run(probe, op, &kinds).await);
    steps.extend(paths::run(probe, op).await);
    steps.extend(correlation::run(probe, op).await);
    steps.extend(retry::run(probe, op, &kinds).await);
    steps
}
