//! Against the mock of every project spec, each check reaches what it checks (tokens from
//! every kind of behaviour: a one-time code, a registration, a renewing session, a created
//! cart) and passes.

use std::collections::HashMap;

use cartwright_outcome::Status;
use cartwright_verify::verify;

use super::{CHECKS, options, ran};
use crate::{load as spec, serve_mock};

#[tokio::test]
async fn against_the_mock_the_checks_reach_what_they_check_and_pass() {
    let mut seen: HashMap<&str, Vec<(String, Status)>> = HashMap::new();
    for name in [
        "centra-checkout",
        "vendo-storefront",
        "websale-storefront",
        "storefront-v2-jwt",
    ] {
        let running = serve_mock(spec(name)).await;
        let verified = verify(&spec(name), &options(format!("http://{}", running.addr))).await;
        let report = cartwright_report::terminal(&verified.run, false);
        assert!(
            verified
                .run
                .cases
                .iter()
                .all(|c| c.status() != Status::Failed),
            "{name}:\n{report}"
        );
        assert!(
            verified.failures.is_empty(),
            "{name}: {:?}",
            verified.failures
        );
        for check in CHECKS {
            seen.entry(check.as_str()).or_default().extend(
                ran(&verified.run, check.as_str())
                    .into_iter()
                    .map(|(s, st)| (format!("{name}: {s}"), st)),
            );
        }
    }
    let has = |check: &str, needle: &str| {
        seen[check]
            .iter()
            .any(|(s, st)| s.contains(needle) && *st == Status::Passed)
    };
    // Tokens from each kind of behaviour: a one-time code (Vendo), a registration (JWT),
    // a renewing session (Centra), a created cart (Vendo).
    assert!(
        has(
            "use_after_revoke",
            "vendo-storefront: GET /account after DELETE /auth/{token}"
        ),
        "{:?}",
        seen["use_after_revoke"]
    );
    assert!(
        has(
            "ignored_auth",
            "vendo-storefront: GET /account with mangled bearerAuth"
        ),
        "{:?}",
        seen["ignored_auth"]
    );
    assert!(
        has(
            "ignored_auth",
            "storefront-v2-jwt: GET /basket with mangled jwt"
        ),
        "{:?}",
        seen["ignored_auth"]
    );
    for (spec, read) in [
        ("centra-checkout", "GET /selection"),
        ("vendo-storefront", "GET /cart"),
        ("storefront-v2-jwt", "GET /basket"),
    ] {
        assert!(
            has(
                "cross_session_isolation",
                &format!("{spec}: {read} with session b")
            ),
            "{:?}",
            seen["cross_session_isolation"]
        );
    }
    assert!(has(
        "path_encoding",
        "centra-checkout: DELETE /vouchers/{voucher} voucher=..%2Fx"
    ));
    assert!(has(
        "correlation_id_echo",
        "centra-checkout: GET /selection with X-Correlation-ID"
    ));
    assert!(has(
        "idempotent_retry",
        "storefront-v2-jwt: POST /orders/guest retried"
    ));
}
