//! The storefront security checks, each named and selectable like the response checks, and
//! the one place that runs them:
//!
//! - `ignored_auth` ([`ignored_auth`]): a secured operation refuses a request without
//!   credentials, and one with mangled real credentials.
//! - `use_after_revoke` ([`use_after_revoke`]): a revoked or ended token no longer opens its
//!   session.
//! - `forged_credentials` ([`forged_credentials`]): a forged JWT or a random static key
//!   opens nothing the real one opens.
//! - `token_kind_confusion` and `one_time_code` ([`credential_kinds`]): a refresh token is
//!   no access token; a wrong or spent one-time code is refused.
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
    Check, correlation_id_echo, credential_kinds, cross_session_isolation, forged_credentials,
    idempotent_retry, ignored_auth, path_encoding, use_after_revoke,
};
use crate::probe::Probe;
use crate::sessions::session;

/// The steps of the security checks for `op`. Each check runs whatever another found.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let kinds = session::kinds(probe.api);
    let first = probe
        .api
        .operations
        .iter()
        .find(|o| crate::included(o, &probe.opts.include));
    if first.is_some_and(|f| f.id == op.id) {
        unprobed(probe, &kinds);
    }
    let mut steps = ignored_auth::run(probe, op, &kinds).await;
    steps.extend(use_after_revoke::run(probe, op, &kinds).await);
    steps.extend(forged_credentials::run(probe, op, &kinds).await);
    steps.extend(credential_kinds::run(probe, op, &kinds).await);
    steps.extend(cross_session_isolation::run(probe, op, &kinds).await);
    steps.extend(path_encoding::run(probe, op).await);
    steps.extend(correlation_id_echo::run(probe, op).await);
    steps.extend(idempotent_retry::run(probe, op, &kinds).await);
    steps
}

/// Records the selected security checks that the API gives nothing to probe, once per
/// verification, so a check that passed by having nothing to do is not taken for one that
/// held.
fn unprobed(probe: &Probe<'_>, kinds: &[session::Kind<'_>]) {
    let api = probe.api;
    let found = [
        (Check::IgnoredAuth, ignored_auth::nothing(api)),
        (Check::UseAfterRevoke, use_after_revoke::nothing(api, kinds)),
        (
            Check::ForgedCredentials,
            forged_credentials::nothing(probe, kinds),
        ),
        (
            Check::TokenKindConfusion,
            credential_kinds::nothing_refresh(api, kinds),
        ),
        (
            Check::OneTimeCode,
            credential_kinds::nothing_code(api, kinds),
        ),
        (
            Check::CrossSessionIsolation,
            cross_session_isolation::nothing(api, kinds),
        ),
        (Check::PathEncoding, path_encoding::nothing(api)),
        (Check::CorrelationIdEcho, correlation_id_echo::nothing(api)),
        (Check::IdempotentRetry, idempotent_retry::nothing(api)),
    ];
    for (check, why) in found {
        if let Some(why) = why.filter(|_| probe.on(check)) {
            probe.nothing_to_probe(check.as_str(), why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_with_nothing_to_probe_are_recorded_with_why() {
        let text = r#"
openapi: 3.1.0
info: {title: plain, version: "1"}
paths:
  /products/{code}:
    get:
      operationId: product
      parameters: [{name: code, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"#;
        let api = cartwright_spec::load_str(
            "plain.yaml",
            text,
            &cartwright_spec::LoadOptions::default(),
            &mut cartwright_diag::Sources::new(),
        )
        .expect("loads")
        .api;
        let opts = crate::Options::default();
        let probe = Probe::new(&api, &opts).expect("probe");
        unprobed(&probe, &session::kinds(&api));
        let names: Vec<String> = probe.unprobed().into_iter().map(|(c, _)| c).collect();
        assert_eq!(
            names,
            [
                "ignored_auth",
                "use_after_revoke",
                "forged_credentials",
                "token_kind_confusion",
                "one_time_code",
                "cross_session_isolation",
                "correlation_id_echo",
                "idempotent_retry"
            ]
        );
    }
}
