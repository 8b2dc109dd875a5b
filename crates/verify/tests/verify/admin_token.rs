//! `--admin-token` end to end: a mock whose admin API asks for a token lets verify read its
//! outbox (the one-time code of `one_time_code`) and move its clock (`token_expiry`) only
//! with the token; without it, those checks say the admin API refused and pass nothing.

use std::sync::Arc;

use cartwright_mock::{AdminAccess, Config, Mock};
use cartwright_outcome::{Run, Status};
use cartwright_verify::checks::Check;
use cartwright_verify::{Options, verify};

const TOKEN: &str = "admin-token-for-verify-0123456789";

/// The Vendo mock with its admin API behind [`TOKEN`].
async fn locked_mock() -> cartwright_mock::Running {
    let config = Config {
        log_requests: false,
        admin: AdminAccess {
            token: Some(TOKEN.into()),
            hosts: Vec::new(),
        },
        ..Config::default()
    };
    let mock = Arc::new(Mock::new(vec![crate::load("vendo-storefront")], config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    cartwright_mock::serve(mock, listener, std::future::pending()).expect("serve")
}

async fn run(target: String, admin_token: Option<&str>) -> Run {
    let api = crate::load("vendo-storefront");
    let opts = Options {
        target,
        checks: Some(vec![Check::OneTimeCode, Check::TokenExpiry]),
        max_examples: 0,
        admin_token: admin_token.map(str::to_owned),
        ..Options::default()
    };
    verify(&api, &opts).await.run
}

/// The statuses of the steps that judged `check`.
fn judged(run: &Run, check: &str) -> Vec<Status> {
    run.cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.checks.iter().any(|k| k.name == check))
        .map(|s| s.status)
        .collect()
}

fn nothing_to_probe(run: &Run, check: &str) -> bool {
    run.coverage
        .as_ref()
        .is_some_and(|c| c.nothing_to_probe.iter().any(|n| n.name == check))
}

#[tokio::test]
async fn with_the_admin_token_the_outbox_and_the_clock_are_used() {
    let mock = locked_mock().await;
    let run = run(format!("http://{}", mock.addr), Some(TOKEN)).await;
    let report = cartwright_report::terminal(&run, false);
    for check in ["one_time_code", "token_expiry"] {
        let steps = judged(&run, check);
        assert!(
            !steps.is_empty() && steps.iter().all(|s| *s == Status::Passed),
            "{check}: {steps:?}\n{report}"
        );
        assert!(!nothing_to_probe(&run, check), "{check}\n{report}");
    }
    assert!(!nothing_to_probe(&run, "admin API"), "{report}");
}

#[tokio::test]
async fn without_it_the_report_says_the_admin_api_refused_and_passes_nothing() {
    let mock = locked_mock().await;
    let run = run(format!("http://{}", mock.addr), None).await;
    let report = cartwright_report::terminal(&run, false);
    for check in ["one_time_code", "token_expiry"] {
        let steps = judged(&run, check);
        assert!(
            !steps.contains(&Status::Passed),
            "{check} passed without the admin API: {steps:?}\n{report}"
        );
    }
    assert!(nothing_to_probe(&run, "admin API"), "{report}");
    assert!(
        report.contains("refused verify's admin calls with 401")
            && report.contains("give --admin-token"),
        "{report}"
    );
}
