//! The credential checks (`forged_credentials`, `token_kind_confusion`, `one_time_code`,
//! `token_expiry`) over HTTP: against the mock of each seed spec they run and pass; against
//! a small token server with one bug each, that bug is found by its named check, and its
//! faithful twin raises nothing.

mod server;

use cartwright_outcome::{Run, Status};
use cartwright_verify::checks::Check;
use cartwright_verify::{Options, verify};

use crate::serve::failed;
use server::{Bug, Setup, server};

const CHECKS: &[Check] = &[
    Check::ForgedCredentials,
    Check::TokenKindConfusion,
    Check::OneTimeCode,
    Check::TokenExpiry,
];

fn options(target: String, auth: &[&str]) -> Options {
    Options {
        target,
        checks: Some(CHECKS.to_vec()),
        max_examples: 0,
        auth: auth.iter().map(|a| (*a).to_owned()).collect(),
        ..Options::default()
    }
}

/// The steps that judged `check`, by status.
fn judged(run: &Run, check: &str) -> Vec<(String, Status)> {
    run.cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.checks.iter().any(|k| k.name == check))
        .map(|s| (s.name.clone(), s.status))
        .collect()
}

#[tokio::test]
async fn against_the_seed_mocks_each_credential_check_runs_and_passes() {
    for (spec, auth, checks) in [
        (
            "vendo-storefront",
            &[][..],
            &["token_kind_confusion", "one_time_code", "token_expiry"][..],
        ),
        (
            "storefront-v2-jwt",
            &[][..],
            &["forged_credentials", "token_expiry"][..],
        ),
        (
            "centra-checkout",
            &["sharedSecret=SharedSecretExample1234"][..],
            &["forged_credentials", "token_expiry"][..],
        ),
    ] {
        let running = crate::serve_mock(crate::load(spec)).await;
        let api = crate::load(spec);
        let run = verify(&api, &options(format!("http://{}", running.addr), auth))
            .await
            .run;
        let report = cartwright_report::terminal(&run, false);
        assert!(failed(&run).is_empty(), "{spec}:\n{report}");
        for check in checks {
            let steps = judged(&run, check);
            assert!(
                !steps.is_empty() && steps.iter().all(|(_, s)| *s == Status::Passed),
                "{spec} {check}: {steps:?}\n{report}"
            );
        }
    }
}

/// The token server's spec.
const SPEC: &str = include_str!("forgery/tokens.yaml");

const AUTH: &str = "secret=s3cretKey42";

async fn against(setup: Setup, lifetime: Option<u64>) -> Run {
    let target = server(setup).await;
    let api = crate::serve::spec("tokens.yaml", SPEC);
    let mut opts = options(target, &[AUTH]);
    opts.token_lifetime_secs = lifetime;
    verify(&api, &opts).await.run
}

fn mock_like(bug: Option<Bug>) -> Setup {
    Setup {
        bug,
        cartwright: true,
        lifetime: 600,
    }
}

#[tokio::test]
async fn each_credential_bug_is_found_by_its_named_check_and_the_faithful_twin_raises_nothing() {
    let faithful = against(mock_like(None), None).await;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    for check in CHECKS {
        let steps = judged(&faithful, check.as_str());
        assert!(
            !steps.is_empty() && steps.iter().all(|(_, s)| *s == Status::Passed),
            "{check}: {steps:?}\n{report}"
        );
    }
    for (bug, check, step) in [
        (
            Bug::SignatureIgnored,
            "forged_credentials",
            "signature changed",
        ),
        (Bug::AlgNone, "forged_credentials", "alg: none"),
        (Bug::AnyKey, "forged_credentials", "random secret"),
        (
            Bug::RefreshAsAccess,
            "token_kind_confusion",
            "refresh token",
        ),
        (Bug::AnyCode, "one_time_code", "wrong code"),
        (Bug::CodeReused, "one_time_code", "code again"),
        (Bug::NeverExpires, "token_expiry", "expired user token"),
        (Bug::VisitKept, "token_expiry", "expired visit token"),
        (Bug::VisitCarried, "token_expiry", "expired visit token"),
    ] {
        let run = against(mock_like(Some(bug)), None).await;
        let report = cartwright_report::terminal(&run, false);
        assert_eq!(
            failed(&run),
            std::collections::BTreeSet::from([check.to_owned()]),
            "{bug:?}:\n{report}"
        );
        let failing: Vec<(String, Status)> = judged(&run, check)
            .into_iter()
            .filter(|(_, s)| *s == Status::Failed)
            .collect();
        assert!(
            failing.len() == 1 && failing[0].0.contains(step),
            "{bug:?}: {failing:?}"
        );
    }
}

/// The checks another server gave nothing to probe, with why.
fn unprobed(run: &Run) -> Vec<(String, String)> {
    run.coverage
        .iter()
        .flat_map(|c| &c.nothing_to_probe)
        .map(|n| (n.name.clone(), n.why.clone()))
        .collect()
}

#[tokio::test]
async fn against_another_server_codes_are_not_probed_and_expiry_waits_only_for_a_given_short_lifetime()
 {
    let real = |bug, lifetime| Setup {
        bug,
        cartwright: false,
        lifetime,
    };
    // No lifetime given: nothing to probe, whatever the server does.
    let run = against(real(Some(Bug::NeverExpires), 600), None).await;
    let notes = unprobed(&run);
    assert!(failed(&run).is_empty(), "{notes:?}");
    assert!(judged(&run, "one_time_code").is_empty());
    assert!(
        notes
            .iter()
            .any(|(c, w)| c == "one_time_code" && w.contains("no way to read")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|(c, w)| c == "token_expiry" && w.contains("--token-lifetime")),
        "{notes:?}"
    );
    // A lifetime beyond --max-wait is not waited for.
    let run = against(real(Some(Bug::NeverExpires), 600), Some(3600)).await;
    let notes = unprobed(&run);
    assert!(
        notes
            .iter()
            .any(|(c, w)| c == "token_expiry" && w.contains("3600s exceeds")),
        "{notes:?}"
    );
    // A short one is waited for: the bug is found, its twin passes.
    let run = against(real(Some(Bug::VisitKept), 1), Some(1)).await;
    assert_eq!(
        failed(&run),
        std::collections::BTreeSet::from(["token_expiry".to_owned()])
    );
    let run = against(real(None, 1), Some(1)).await;
    assert!(failed(&run).is_empty());
    assert!(!judged(&run, "token_expiry").is_empty());
}

#[tokio::test]
async fn each_kept_failure_replays_failing_against_its_bug_and_passing_against_the_twin() {
    for bug in [
        Bug::SignatureIgnored,
        Bug::AlgNone,
        Bug::AnyKey,
        Bug::RefreshAsAccess,
        Bug::AnyCode,
        Bug::CodeReused,
        Bug::NeverExpires,
        Bug::VisitKept,
        Bug::VisitCarried,
    ] {
        let broken = server(mock_like(Some(bug))).await;
        let api = crate::serve::spec("tokens.yaml", SPEC);
        let kept = verify(&api, &options(broken.clone(), &[AUTH]))
            .await
            .failures;
        assert_eq!(kept.len(), 1, "{bug:?}: {kept:?}");
        // An expiry replay moves the mock's clock, and says it needs the mock.
        let expiry = kept[0].tags.iter().any(|t| t == "token_expiry");
        let says = kept[0]
            .description
            .as_deref()
            .is_some_and(|d| d.contains("against the mock only"));
        assert_eq!(expiry, says, "{bug:?}: {:?}", kept[0].description);
        for (name, status, report) in crate::security::replay(api, &kept, &broken).await {
            assert_eq!(status, Status::Failed, "{bug:?} {name}:\n{report}");
        }
        let twin = server(mock_like(None)).await;
        let api = crate::serve::spec("tokens.yaml", SPEC);
        for (name, status, report) in crate::security::replay(api, &kept, &twin).await {
            assert_eq!(status, Status::Passed, "{bug:?} {name}:\n{report}");
        }
    }
}
