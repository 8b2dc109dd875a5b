//! The security checks over HTTP: against the mock of the project specs they run and pass;
//! against a deliberately broken server each bug is found by its named check, its faithful
//! twin passes, and the kept failure scenarios replay (failing against the broken server,
//! passing against the faithful one).
//!
//! The fixture spec has no `x-cartwright`: its login (an anonymous `POST` answering a
//! `token`), logout (named so), cart (`/cart`, changed by `POST /cart/items`) are found by
//! convention.

mod mock;
pub(crate) mod server;
pub(crate) mod shop;

use std::collections::HashSet;
use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_outcome::{Run, Status};
use cartwright_verify::checks::Check;
use cartwright_verify::{Options, Verified, verify};

use server::server;
use shop::shop;

const CHECKS: &[Check] = &[
    Check::IgnoredAuth,
    Check::UseAfterRevoke,
    Check::CrossSessionIsolation,
    Check::PathEncoding,
    Check::CorrelationIdEcho,
    Check::IdempotentRetry,
];

fn options(target: String) -> Options {
    Options {
        target,
        checks: Some(CHECKS.to_vec()),
        max_examples: 0,
        ..Options::default()
    }
}

/// The names of the failed checks of one operation's case.
fn failed(run: &Run, op: &str) -> HashSet<String> {
    run.cases
        .iter()
        .find(|c| c.name.contains(&format!("({op})")))
        .unwrap_or_else(|| panic!("no case for {op}"))
        .steps
        .iter()
        .flat_map(|s| s.failures())
        .map(|c| c.name.clone())
        .collect()
}

/// The steps of a run whose checks include `check`, with their status.
fn ran(run: &Run, check: &str) -> Vec<(String, Status)> {
    run.cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.checks.iter().any(|k| k.name == check))
        .map(|s| (s.name.clone(), s.status))
        .collect()
}

async fn verified(broken: bool) -> (Verified, String) {
    let target = server(broken).await;
    (verify(&shop(), &options(target.clone())).await, target)
}

#[tokio::test]
async fn each_security_bug_is_found_by_its_named_check_and_the_faithful_twin_passes() {
    let (faithful, _) = verified(false).await;
    assert!(
        faithful
            .run
            .cases
            .iter()
            .all(|c| c.status() == Status::Passed),
        "{}",
        cartwright_report::terminal(&faithful.run, false)
    );
    assert!(faithful.failures.is_empty());
    let (broken, _) = verified(true).await;
    let report = cartwright_report::terminal(&broken.run, false);
    for (op, check) in [
        ("reports", "ignored_auth"),
        ("logout", "use_after_revoke"),
        ("addItem", "cross_session_isolation"),
        ("product", "path_encoding"),
        ("placeOrder", "idempotent_retry"),
        ("status", "correlation_id_echo"),
    ] {
        let found = failed(&broken.run, op);
        assert_eq!(found, HashSet::from([check.to_owned()]), "{op}:\n{report}");
    }
    for op in ["login", "me", "getCart", "getItem"] {
        assert!(failed(&broken.run, op).is_empty(), "{op}:\n{report}");
    }
    // Only the hostile values that carry a separator fall off the broken route, and they
    // make one failure, saying how many values hit it.
    let product: Vec<&cartwright_outcome::Step> = broken
        .run
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.status == Status::Failed && s.name.starts_with("GET /products/"))
        .collect();
    assert_eq!(product.len(), 1, "{report}");
    assert!(product[0].name.contains("%2F"), "{report}");
    let detail = product[0]
        .failures()
        .find_map(|c| c.detail.clone())
        .unwrap_or_default();
    let (count, values) = detail.split_once(": ").unwrap_or_default();
    let values: Vec<&str> = values.split(", ").collect();
    assert!(
        count.starts_with(&format!("hit by {} of ", values.len())),
        "{detail}"
    );
    assert!(
        values.len() >= 2 && values.iter().all(|v| v.contains("%2F")),
        "{detail}"
    );
}

/// Writes the scenarios with the verifier's own writer, reads them back as `cartwright run`
/// does, and runs each against `target`; the cases by scenario name.
pub(crate) async fn replay(
    api: cartwright_model::Api,
    scenarios: &[cartwright_scenario::Scenario],
    target: &str,
) -> Vec<(String, Status, String)> {
    let dir = std::env::temp_dir().join(format!(
        "cartwright-verify-security-{}-{}",
        std::process::id(),
        target.rsplit(':').next().unwrap_or("0")
    ));
    let written = cartwright_verify::replay::write(&dir, scenarios).expect("written");
    let api = Arc::new(api);
    let loaded: Vec<cartwright_scenario::Loaded> = written
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read back");
            let reader = cartwright_source::Reader::new();
            let loaded = cartwright_scenario::load_text(
                std::path::Path::new(path),
                &text,
                &reader,
                &mut Sources::new(),
            )
            .unwrap_or_else(|e| panic!("{path} parses: {e:?}\n{text}"));
            cartwright_scenario::Loaded {
                api: Some(api.clone()),
                api_name: "shop".into(),
                ..loaded
            }
        })
        .collect();
    let opts = cartwright_scenario::Options {
        target: target.into(),
        vars: serde_json::Map::new(),
        masker: cartwright_scenario::send::Masker::default(),
        snapshots: cartwright_scenario::snapshot::Mode::Locked,
        snapshot_root: dir.join("snapshots"),
        jobs: 2,
        timeout: std::time::Duration::from_secs(5),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    };
    let run = cartwright_scenario::run(loaded, &opts, |_| {}).await;
    let _ = std::fs::remove_dir_all(&dir);
    let report = cartwright_report::terminal(&run, false);
    run.cases
        .iter()
        .map(|c| (c.name.clone(), c.status(), report.clone()))
        .collect()
}

#[tokio::test]
async fn every_kept_failure_replays_failing_against_the_bug_and_passing_once_fixed() {
    let (broken, broken_target) = verified(true).await;
    let tags: HashSet<&str> = broken
        .failures
        .iter()
        .flat_map(|s| s.tags.iter().map(String::as_str))
        .collect();
    for check in CHECKS {
        assert!(
            tags.contains(check.as_str()),
            "no replay kept for {check}: {tags:?}"
        );
    }
    // The multi-step replays obtain their own tokens: none is written literally.
    let isolation = broken
        .failures
        .iter()
        .find(|s| s.tags.iter().any(|t| t == "cross_session_isolation"))
        .expect("isolation replay");
    let text = serde_saphyr::to_string(isolation).expect("printed");
    assert!(
        text.contains("{{ token_a }}") && text.contains("{{ token_b }}"),
        "{text}"
    );
    assert!(!text.contains("Bearer tok0"), "{text}");
    for (name, status, report) in replay(shop(), &broken.failures, &broken_target).await {
        assert_eq!(
            status,
            Status::Failed,
            "{name} against the broken server:\n{report}"
        );
    }
    let faithful_target = server(false).await;
    for (name, status, report) in replay(shop(), &broken.failures, &faithful_target).await {
        assert_eq!(
            status,
            Status::Passed,
            "{name} against the faithful twin:\n{report}"
        );
    }
}
